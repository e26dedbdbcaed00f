import { promises as fs } from 'node:fs'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RunningServer } from '../../electron/server/http-server.js'
import { fixtureCopy } from '../helpers/temp.js'
import { UI_TIMEOUT_MS } from '../helpers/timeouts.js'
import { e2eUnavailable, launchChromium, screenshot, SCREENSHOTS, serveCache } from './harness.js'

const unavailable = e2eUnavailable()
if (unavailable && !process.env.CI) console.warn(`End-to-end tests skipped: ${unavailable}`)
// In CI, Chromium and the build are installed by .ci/run: a missing one is a failure, not a skip.
const skip = Boolean(unavailable) && !process.env.CI

let browser: Browser
const servers: RunningServer[] = []
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
})

describe.skipIf(skip)('filters in the URL (browser mode)', () => {
  it('a bookmarked URL restores its filters and key; the token leaves the address bar', async () => {
    const server = await serveCache(await fixtureCopy())
    servers.push(server)
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } })
    page.setDefaultTimeout(UI_TIMEOUT_MS)
    page.on('pageerror', (err) => pageErrors.push(err.message))
    const view = new URLSearchParams([
      ['q', 'stations size<10MB'],
      ['serializer', 'pandas.csv'],
      ['after', '2000-01-01'],
      ['key', 'stations.csv'],
    ])
    await page.goto(`${server.url}&${view.toString()}`)
    const keysShown = () => page.locator('tr.key-row span.key-text').allInnerTexts()
    await expect.poll(keysShown).toEqual(['stations-noindex.csv', 'stations.csv'])
    const entries = await page.evaluate('history.length')
    const search = page.getByLabel('Search keys and metadata')
    expect(await search.inputValue()).toBe('stations size<10MB')
    expect(await page.getByLabel('Created after (UTC day)').inputValue()).toBe('2000-01-01')
    const serializer = page.getByRole('button', { name: /^serializer: pandas\.csv/ })
    expect(await serializer.getAttribute('aria-pressed')).toBe('true')
    // the selected key's preview is open
    await page.getByTestId('preview-table').getByText('Niwot, Ridge').waitFor()
    // the token is read once and never written back; the view stays in the address bar
    await expect.poll(() => page.url()).not.toContain('token=')
    expect(new URL(page.url()).searchParams.get('q')).toBe('stations size<10MB')
    expect(new URL(page.url()).searchParams.get('key')).toBe('stations.csv')
    await page.getByText('Size between…').click()
    await page.getByLabel('Size at least').fill('290B')
    await expect.poll(keysShown).toEqual(['stations.csv'])
    await page.locator('.sidebar').screenshot({ path: `${SCREENSHOTS}/10-filters-sidebar.png` })
    await screenshot(page, '10-filters')
    await page.getByRole('button', { name: 'Remove filter serializer = pandas.csv' }).click()
    await expect.poll(() => new URL(page.url()).searchParams.getAll('serializer')).toEqual([])
    expect(new URL(page.url()).searchParams.get('minsize')).toBe('290B')
    // a syntax error is named under the box, and nothing matches until it is fixed
    await search.fill('stations age>6m')
    await page
      .getByRole('alert')
      .getByText(/'m' could mean months or minutes/)
      .waitFor()
    await expect.poll(keysShown).toEqual([])
    await screenshot(page, '11-filter-syntax-error')
    // replaceState only: no history entry per change
    expect(await page.evaluate('history.length')).toBe(entries)
  })
})
