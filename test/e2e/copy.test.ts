import { existsSync, promises as fs } from 'node:fs'
import path from 'node:path'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RunningServer } from '../../electron/server/http-server.js'
import { fixtureCopy, tempDir } from '../helpers/temp.js'
import { UI_TIMEOUT_MS } from '../helpers/timeouts.js'
import { e2eUnavailable, launchChromium, screenshot, SCREENSHOTS, serveCache } from './harness.js'

const unavailable = e2eUnavailable()
if (unavailable && !process.env.CI) console.warn(`End-to-end tests skipped: ${unavailable}`)
const skip = Boolean(unavailable) && !process.env.CI

let browser: Browser
const servers: RunningServer[] = []
const dirs: string[] = []
const pageErrors: string[] = []

beforeAll(async () => {
  if (skip) return
  if (unavailable) throw new Error(`End-to-end tests cannot run: ${unavailable}`)
  await fs.mkdir(SCREENSHOTS, { recursive: true })
  browser = await launchChromium()
})

afterAll(async () => {
  expect(pageErrors).toEqual([])
  await browser?.close()
  for (const s of servers) await s.close()
  for (const d of dirs) await fs.rm(d, { recursive: true, force: true })
})

const KEYS = ['greeting', 'pi']

describe.skipIf(skip)('Copy to… in Chromium (browser mode)', () => {
  it('copies two selected keys to an empty cache: plan first, then run, then they are there', async () => {
    const source = await fixtureCopy()
    const destination = await tempDir('xp-copy-dest-')
    dirs.push(source, destination)
    const server = await serveCache(source)
    servers.push(server)
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } })
    page.setDefaultTimeout(UI_TIMEOUT_MS)
    page.on('pageerror', (err) => pageErrors.push(err.message))
    await page.goto(server.url)
    const row = (key: string) =>
      page.locator(`tr.key-row:has(span.key-text:text-is(${JSON.stringify(key)}))`)
    await row('greeting').click()
    await row('pi').click({ modifiers: ['Control'] })
    await page.getByRole('button', { name: 'Copy 2 to…' }).click()
    const dialog = page.getByTestId('copy-dialog')
    await dialog.getByLabel('Destination cache location').fill(destination)
    await dialog.getByRole('button', { name: 'Open and plan' }).click()
    const plan = dialog.getByRole('table', { name: 'Copy plan' })
    await plan.waitFor()
    expect(await plan.locator('tbody th').allInnerTexts()).toEqual(KEYS)
    // The plan is a dry run: nothing is in the destination yet.
    expect(existsSync(path.join(destination, 'xpersist_metadata_store', 'pi.artifact.json'))).toBe(
      false,
    )
    await screenshot(page, 'copy-plan')
    await dialog.getByRole('button', { name: 'Copy 2 artifacts' }).click()
    await dialog.getByText('2 artifacts copied').waitFor()
    await screenshot(page, 'copy-summary')
    await dialog.getByRole('button', { name: 'Close' }).last().click()

    await page.getByLabel('Cache location').fill(destination)
    await page.getByRole('button', { name: 'Open', exact: true }).click()
    // The source's rows (pi among them) stay until the destination's listing replaces them,
    // so wait for the table to hold exactly the copied keys rather than for one row.
    await expect
      .poll(async () => (await page.locator('tr.key-row span.key-text').allInnerTexts()).sort(), {
        timeout: 60_000,
      })
      .toEqual(KEYS)
    await screenshot(page, 'copy-destination')
    await page.close()
  })
})
