import { promises as fs } from 'node:fs'
import path from 'node:path'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RunningServer } from '../../electron/server/http-server.js'
import { fixtureCopy } from '../helpers/temp.js'
import { UI_TIMEOUT_MS } from '../helpers/timeouts.js'
import { e2eUnavailable, launchChromium, screenshot, SCREENSHOTS, serveCache } from './harness.js'

// The keyboard path through the explorer, counted key by key, and the layout at 1024 px.

const unavailable = e2eUnavailable()
if (unavailable && !process.env.CI) console.warn(`End-to-end tests skipped: ${unavailable}`)
const skip = Boolean(unavailable) && !process.env.CI

let browser: Browser
let server: RunningServer
const pageErrors: string[] = []

beforeAll(async () => {
  if (skip) return
  if (unavailable) throw new Error(`End-to-end tests cannot run: ${unavailable}`)
  await fs.mkdir(SCREENSHOTS, { recursive: true })
  browser = await launchChromium()
  server = await serveCache(await fixtureCopy())
})

afterAll(async () => {
  expect(pageErrors).toEqual([])
  await browser?.close()
  await server?.close()
})

async function openAt(width: number, height: number, context?: BrowserContext): Promise<Page> {
  const page = await (
    context ?? (await browser.newContext({ viewport: { width, height } }))
  ).newPage()
  page.setDefaultTimeout(UI_TIMEOUT_MS)
  page.on('pageerror', (err) => pageErrors.push(err.message))
  await page.goto(server.url)
  await page.locator('tr.key-row[data-key="stations.csv"]').waitFor()
  return page
}

// In the page: the computed text-overflow and whether the text is cut (typed loosely: no DOM
// typings on the Node side).
type Box = { scrollWidth: number; clientWidth: number }
const overflowOf = (el: unknown) =>
  (
    globalThis as unknown as { getComputedStyle(e: unknown): { textOverflow: string } }
  ).getComputedStyle(el).textOverflow
const isCut = (el: unknown) => (el as Box).scrollWidth > (el as Box).clientWidth

// Evaluated in the page (as text: this project's Node typings have no DOM).
const FOCUSED = `(() => {
  const el = document.activeElement
  if (!el || el === document.body) return 'body'
  const pane = el.closest('[data-pane]')?.dataset.pane ?? 'top'
  if (el.closest('thead th')) return 'header:' + (el.textContent ?? '').replace(/[▲▼\\s]+$/u, '')
  if (el.matches('tr.key-row')) return 'row:' + el.dataset.key
  const label = el.getAttribute('aria-label')
  return pane + ':' + el.tagName.toLowerCase() + (label ? '[' + label + ']' : '')
})()`
const SCROLLS_SIDEWAYS = `(() => {
  const s = document.scrollingElement
  return s.scrollWidth > s.clientWidth
})()`

/** What has the focus, in words a failing assertion can show: "header:key", "row:<key>"... */
const focused = (page: Page) => page.evaluate<string>(FOCUSED)

const pageScrollsSideways = (page: Page) => page.evaluate<boolean>(SCROLLS_SIDEWAYS)

describe.skipIf(skip)('the explorer by keyboard (Chromium)', () => {
  it('search, headers, sort and panes are a few keystrokes away', async () => {
    const page = await openAt(1024, 768)
    let keystrokes = 0
    const press = async (key: string) => {
      keystrokes++
      await page.keyboard.press(key)
    }
    await press('/')
    expect(await focused(page)).toBe('top:input[Search keys and metadata]')
    const stops: string[] = []
    while (!(await focused(page)).startsWith('header:') && stops.length < 60) {
      await press('Tab')
      stops.push(await focused(page))
    }
    const tabs = stops.length
    expect(stops.at(-1)).toBe('header:key')
    // Was 58 when every facet value was a tab stop; now the sidebar is one (its date and size
    // fields fold behind summaries): Put, Clean up…, Doctor, Trash, Usage, the sidebar, its
    // divider, the column picker, the first header.
    expect(tabs, stops.join(' > ')).toBeLessThanOrEqual(9)
    const keyHeader = page.locator('thead th').first()
    expect(await keyHeader.getAttribute('aria-sort')).toBe('ascending')
    await press('Enter')
    await expect.poll(() => keyHeader.getAttribute('aria-sort')).toBe('descending')
    expect(await focused(page)).toBe('header:key')
    await press('Space')
    await expect.poll(() => keyHeader.getAttribute('aria-sort')).toBe('ascending')
    expect(await focused(page)).toBe('header:key')
    await press('F6')
    expect(await focused(page)).toBe('detail:aside[Detail]')
    console.log(
      `keyboard path: ${keystrokes} keystrokes, ${tabs} Tabs from the search box to the first header`,
    )
    expect(keystrokes).toBe(tabs + 4)

    // The rows are the next tab stop after the headers, and one stop: arrows move inside.
    await press('Shift+F6')
    expect(await focused(page)).toMatch(/^row:/)
    await press('ArrowDown')
    await press('ArrowDown')
    const second = await focused(page)
    expect(second).toMatch(/^row:/)
    expect(await page.locator('[data-testid="key-table"] tr[tabindex="0"]').count()).toBe(1)
    await press('Tab')
    expect(await focused(page)).not.toMatch(/^(row|header):/)
    await press('F6')
    expect(await focused(page)).toBe('detail:aside[Detail]')
    await press('F6')
    expect(await focused(page)).toMatch(/^sidebar:/)
    await page.locator('tr.key-row').first().click()
    await screenshot(page, 'keyboard-1024x768')
    await page.screenshot({ path: path.join('/tmp', 't10-keys-1024.png') }).catch(() => {})
    expect(await pageScrollsSideways(page)).toBe(false)
    await page.close()
  })

  it('panes resize by keyboard, collapse, remember their sizes, and never scroll the page sideways', async () => {
    let page = await openAt(1024, 768)
    const sidebarSplitter = page.getByRole('separator', { name: 'Sidebar width' })
    const before = Number(await sidebarSplitter.getAttribute('aria-valuenow'))
    await sidebarSplitter.focus()
    await page.keyboard.press('ArrowRight')
    await page.keyboard.press('ArrowRight')
    await expect
      .poll(async () => Number(await sidebarSplitter.getAttribute('aria-valuenow')))
      .toBe(before + 32)
    let detailSplitter = page.getByRole('separator', { name: 'Detail pane width' })
    await detailSplitter.focus()
    await page.keyboard.press('Enter')
    await expect.poll(() => page.locator('[data-pane="detail"]').isHidden()).toBe(true)
    expect(await pageScrollsSideways(page)).toBe(false)
    // Remembered by the next window of the same browser profile (the URL's token is read once,
    // so a reload would not reconnect: a new page is what a user opening it again gets).
    const first = page
    page = await openAt(1024, 768, first.context())
    await first.close()
    const sidebarAgain = page.getByRole('separator', { name: 'Sidebar width' })
    expect(Number(await sidebarAgain.getAttribute('aria-valuenow'))).toBe(before + 32)
    expect(await page.locator('[data-pane="detail"]').isHidden()).toBe(true)
    detailSplitter = page.getByRole('separator', { name: 'Detail pane width' })
    await detailSplitter.focus()
    await page.keyboard.press('Enter')
    await expect.poll(() => page.locator('[data-pane="detail"]').isVisible()).toBe(true)
    // The widest panes the splitters allow still leave the page within the window.
    await detailSplitter.focus()
    await page.keyboard.press('End')
    await sidebarAgain.focus()
    await page.keyboard.press('End')
    expect(await pageScrollsSideways(page)).toBe(false)
    await page.close()
  })

  it('a long key ends in an ellipsis with the whole key in its title; wide and narrow screenshots', async () => {
    for (const [width, height] of [
      [1024, 768],
      [1600, 1000],
    ] as const) {
      const page = await openAt(width, height)
      await page.locator('tr.key-row').first().click()
      expect(await pageScrollsSideways(page)).toBe(false)
      // The longest key: cut with an ellipsis at 1024 px, whole in its title.
      const key = 'prefect-result-2026-11-26t14-43-29-740448-00-00'
      const cell = page.locator(`tr.key-row[data-key="${key}"] .key-cell`)
      expect(await cell.getAttribute('title')).toBe(key)
      const text = cell.locator('.key-text')
      expect(await text.evaluate(overflowOf)).toBe('ellipsis')
      if (width === 1024) expect(await text.evaluate(isCut)).toBe(true)
      await cell.click()
      const heading = page.locator('.detail-key')
      await expect.poll(() => heading.getAttribute('title')).toBe(key)
      expect(await heading.locator('.detail-key-text').evaluate(overflowOf)).toBe('ellipsis')
      await page.locator('tr.key-row').first().click()
      const name = `keyboard-layout-${width}x${height}`
      await screenshot(page, name)
      await page.screenshot({ path: path.join('/tmp', `t10-keys-${width}.png`) }).catch(() => {})
      await page.close()
    }
  })
})
