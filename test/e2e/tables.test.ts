// The full table view in Chromium on the real engine: a 200,000-row Parquet written by pandas
// (pyarrow) in the interop venv. Open it, jump to the last page, read exact cells, copy by the
// keyboard and the context menu; then sort, filter and export over the whole table through
// table.query / table.export (t8-query's handlers: skipped while the channel is NOT_SUPPORTED).
import { execFileSync } from 'node:child_process'
import { existsSync, promises as fs } from 'node:fs'
import path from 'node:path'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RunningServer } from '../../electron/server/http-server.js'
import { REPO, tempDir } from '../helpers/temp.js'
import { UI_TIMEOUT_MS } from '../helpers/timeouts.js'
import { e2eUnavailable, launchChromium, screenshot, SCREENSHOTS, serveCache } from './harness.js'

const PYTHON = path.join(REPO, '.venv-interop', 'bin', 'python')
const KEY = 'sales-2021.parquet'
const ROWS = 200_000

const unavailable =
  e2eUnavailable() ?? (existsSync(PYTHON) ? null : `${PYTHON} is missing (the interop venv)`)
const skip = Boolean(unavailable) && !process.env.CI

let browser: Browser
let context: BrowserContext
let page: Page
let cache: string
let server: RunningServer
const pageErrors: string[] = []

beforeAll(async () => {
  if (skip) return
  if (unavailable) throw new Error(`End-to-end tests cannot run: ${unavailable}`)
  await fs.mkdir(SCREENSHOTS, { recursive: true })
  cache = await tempDir('xp-e2e-tables-')
  execFileSync(PYTHON, [path.join(REPO, 'test/e2e/python/big_table.py'), cache, String(ROWS)])
  server = await serveCache(cache, true)
  browser = await launchChromium()
  context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
  const origin = new URL(server.url).origin
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin })
  page = await context.newPage()
  page.setDefaultTimeout(UI_TIMEOUT_MS)
  page.on('pageerror', (err) => pageErrors.push(err.message))
  page.on('console', (m) => {
    if (m.type() === 'error') pageErrors.push(m.text())
  })
  await page.goto(server.url)
}, UI_TIMEOUT_MS * 2)

afterAll(async () => {
  if (skip) return
  await browser?.close()
  await server?.close()
  if (cache) await fs.rm(cache, { recursive: true, force: true })
  // A refused query is shown in the view, not thrown: any page error is a bug.
  expect(pageErrors.filter((e) => !e.includes('NOT_SUPPORTED'))).toEqual([])
})

const status = () => page.getByTestId('table-view-status').innerText()
const cell = (row: number, col: number) =>
  page.locator(`[data-testid="table-view-grid"] tbody tr[data-row="${row}"] td`).nth(col)
// Runs in the page (this file is type-checked without the DOM library).
type PageClipboard = { navigator: { clipboard: { readText(): Promise<string> } } }
const clipboard = () =>
  page.evaluate(() => (globalThis as unknown as PageClipboard).navigator.clipboard.readText())

describe.skipIf(skip)('the full table view in Chromium (200,000-row Parquet)', () => {
  it('opens full width, jumps to the last page, shows exact cells, copies', async () => {
    await page.locator(`tr.key-row:has(span.key-text:text-is("${KEY}"))`).click()
    await page.getByTestId('preview-table').waitFor()
    // the keyboard: T opens the selected table full width
    await page.locator('body').press('t')
    await page.getByTestId('table-view').waitFor()
    expect(await page.locator('.panes').isHidden()).toBe(true)
    expect(await status()).toBe('Rows 1–100 of 200,000')
    // the whole file's summary from the footer statistics, labelled
    const header = page.locator('th', { has: page.getByRole('button', { name: /^order_id/ }) })
    expect(await header.innerText()).toMatch(/whole file[\s\S]*min 1[\s\S]*max 200000/)
    expect(await cell(0, 1).innerText()).toBe('9007199254740992')
    expect(await cell(0, 8).innerText()).toBe('0.00')
    expect(await cell(7, 6).innerText()).toBe('NaT')
    expect(await cell(1, 7).innerText()).toBe('None')
    expect(await cell(5, 4).innerText()).toBe('<NA>')
    expect(await cell(11, 3).innerText()).toBe('NaN')
    expect(await cell(3, 2).innerText()).toBe('None')
    expect(await cell(0, 7).innerText()).toBe('2021-01-01')
    await screenshot(page, '40-table-view-first-page')

    await page.getByRole('button', { name: 'Last »' }).click()
    await expect.poll(status).toBe('Rows 199,901–200,000 of 200,000')
    expect(await cell(199_900, 0).innerText()).toBe('199901')
    expect(await cell(199_900, 1).innerText()).toBe('9007199254940892')

    // keyboard copy: focus the grid, move down and right, Ctrl+C
    await page.getByTestId('table-view-grid').focus()
    await page.keyboard.press('ArrowDown')
    await page.keyboard.press('ArrowRight')
    await page.keyboard.press('Control+c')
    await expect.poll(clipboard).toBe('9007199254940893')
    await cell(199_905, 2).click({ button: 'right' })
    await page.getByRole('menuitem', { name: 'Copy row' }).click()
    await expect.poll(clipboard).toMatch(/^199906\t9007199254940897\t[A-Za-z]+\t/)
    await expect
      .poll(() => page.getByTestId('table-view-notice').innerText())
      .toBe('Copied row 199,906.')
    await screenshot(page, '42-table-view-copied')

    // the page's rows are virtualized: scroll to its end for the last row
    await page.getByTestId('table-view-grid').evaluate((el) => {
      const box = el as unknown as { scrollTop: number; scrollHeight: number }
      box.scrollTop = box.scrollHeight
    })
    expect(await cell(199_999, 0).innerText()).toBe('200000')
    expect(await cell(199_999, 1).innerText()).toBe('9007199254940991')
    await screenshot(page, '41-table-view-last-page')

    await page.keyboard.press('Escape')
    await page.getByTestId('key-table').waitFor({ state: 'visible' })
    expect(await page.getByRole('heading', { name: KEY }).isVisible()).toBe(true)
  })

  it('sorts, filters and exports over the whole table', async () => {
    await page.locator('body').press('t')
    await page.getByTestId('table-view').waitFor()
    await page.getByRole('button', { name: /^amount/ }).click()
    const done = page
      .getByTestId('table-view-matched')
      .or(page.getByText(/Could not sort or filter/))
    await done.first().waitFor()
    expect(await page.getByText(/Could not sort or filter/).isVisible()).toBe(false)
    // NaN amounts sort last: the first row holds the smallest amount
    await expect.poll(() => cell(0, 3).innerText()).toBe('0.0')
    await page.getByLabel('Filter column').selectOption('store')
    await page.getByLabel('Condition').selectOption('eq')
    await page.getByLabel('Filter value').fill('Denver')
    await page.getByRole('button', { name: 'Add filter' }).click()
    await expect
      .poll(() => page.getByTestId('table-view-matched').innerText())
      .toMatch(/^4\d,\d{3} of 200,000 rows match$/)
    // the count comes with the job's end, the rows with the page after it
    await expect.poll(() => cell(0, 2).innerText()).toBe('Denver')
    await expect.poll(status).toMatch(/^Rows 1–100 of 4\d,\d{3}$/)
    await screenshot(page, '44-table-view-sorted-filtered')
    const download = page.waitForEvent('download')
    await page.getByRole('button', { name: 'Export CSV' }).click()
    const file = await download
    expect(file.suggestedFilename()).toMatch(/\.csv$/)
    await expect.poll(() => page.getByTestId('table-view-notice').innerText()).toMatch(/Exported/)
    await screenshot(page, '45-table-view-exported')
  })
})
