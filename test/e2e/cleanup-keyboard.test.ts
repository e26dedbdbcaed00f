import { createHash } from 'node:crypto'
import { promises as fs } from 'node:fs'
import path from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RunningServer } from '../../electron/server/http-server.js'
import { writeGeneratedCache, type GeneratedArtifact } from '../helpers/generated-cache.js'
import { listFiles, tempDir } from '../helpers/temp.js'
import { UI_TIMEOUT_MS } from '../helpers/timeouts.js'
import { e2eUnavailable, launchChromium, screenshot, SCREENSHOTS, serveCache } from './harness.js'

// Issue 10's task, keyboard only: "older than a year" -> delete all matching into the trash
// -> Undo, counted key by key (at most 15), then every file checked byte for byte on disk.

const unavailable = e2eUnavailable()
if (unavailable && !process.env.CI) console.warn(`End-to-end tests skipped: ${unavailable}`)
const skip = Boolean(unavailable) && !process.env.CI

const DAY_MS = 86_400_000
const TOTAL = 48
/** Artifacts created more than a year ago: every third one, 400 to 700 days back. */
const OLD = new Set<string>()

function artifacts(now: number): GeneratedArtifact[] {
  const out: GeneratedArtifact[] = []
  for (let i = 0; i < TOTAL; i++) {
    const old = i % 3 === 0
    const days = old ? 400 + i * 6 : 1 + i * 7 // the newest old one is 400 days, the oldest new 330
    const folder = ['runs/2024', 'runs/2025', 'experiments'][i % 3]!
    const key = `${folder}/result-${String(i).padStart(2, '0')}${i % 2 ? '.csv' : '.pkl'}`
    if (old) OLD.add(key)
    out.push({
      key,
      createdAt: new Date(now - days * DAY_MS).toISOString().replace('Z', ''),
      payloadBytes: 100 + i * 37,
      serializer: i % 2 ? 'pandas.csv' : 'joblib',
      metadata: { experiment: i % 4 ? 'baseline' : 'warming', run: i },
    })
  }
  return out
}

/** Every file under the cache (the trash aside) and the SHA-256 of its bytes. */
async function snapshot(root: string): Promise<Map<string, string>> {
  const out = new Map<string, string>()
  for (const rel of await listFiles(root)) {
    if (rel.split(/[\\/]/)[0] === '.xpersist-trash') continue
    const bytes = await fs.readFile(path.join(root, rel))
    out.set(rel, createHash('sha256').update(bytes).digest('hex'))
  }
  return out
}

let browser: Browser
let server: RunningServer
let cache: string
const pageErrors: string[] = []

beforeAll(async () => {
  if (skip) return
  if (unavailable) throw new Error(`End-to-end tests cannot run: ${unavailable}`)
  await fs.mkdir(SCREENSHOTS, { recursive: true })
  cache = await tempDir('xp-e2e-cleanup-')
  await writeGeneratedCache(cache, artifacts(Date.now()), { python: true })
  browser = await launchChromium()
  server = await serveCache(cache)
})

afterAll(async () => {
  expect(pageErrors).toEqual([])
  await browser?.close()
  await server?.close()
})

// What has the focus, in words a failing assertion can show (evaluated in the page as text:
// this project's Node typings have no DOM).
const FOCUSED = `(() => {
  const el = document.activeElement
  if (!el || el === document.body) return 'body'
  return el.tagName.toLowerCase() + ':' + (el.getAttribute('aria-label') || el.textContent || '').trim().slice(0, 60)
})()`

describe.skipIf(skip)('cleaning stale artifacts by keyboard (Chromium)', () => {
  it('older than a year -> delete all matching into the trash -> Undo in at most 15 keys, byte for byte', async () => {
    const before = await snapshot(cache)
    expect(before.size).toBe(TOTAL * 2)
    const page: Page = await (
      await browser.newContext({ viewport: { width: 1280, height: 800 } })
    ).newPage()
    page.setDefaultTimeout(UI_TIMEOUT_MS)
    page.on('pageerror', (err) => pageErrors.push(err.message))
    await page.goto(server.url)
    await page.locator('tr.key-row').first().waitFor()
    await page.getByText(`${TOTAL} artifacts`, { exact: false }).first().waitFor()

    const keys: string[] = []
    const press = async (key: string) => {
      keys.push(key)
      await page.keyboard.press(key)
    }
    const focused = () => page.evaluate<string>(FOCUSED)

    // F6 enters the sidebar; PageDown jumps facet by facet to the one after age, and
    // ArrowUp steps back onto age's last preset, "older than 1 year".
    await press('F6')
    for (let i = 0; i < 6 && !/^button:age:/.test(await focused()); i++) await press('PageDown')
    await press('PageDown')
    await press('ArrowUp')
    expect(await focused()).toMatch(/older than 1 year/)
    await press('Enter')
    const footer = page.getByRole('button', { name: `Delete all ${OLD.size} matching…` })
    await footer.waitFor()

    // F6 to the key table, then Tab to the footer's action.
    await press('F6')
    for (let i = 0; i < 6 && !/Delete all/.test(await focused()); i++) await press('Tab')
    expect(await focused()).toMatch(new RegExp(`Delete all ${OLD.size} matching`))
    await press('Enter')

    const dialog = page.getByRole('dialog')
    const confirm = dialog.getByLabel(`Type ${OLD.size} to move ${OLD.size} artifacts to the trash`)
    await confirm.waitFor()
    await screenshot(page, 'cleanup-keyboard-plan')
    // The confirmation box has the focus: type the count, Enter moves them to the trash.
    expect(await focused()).toMatch(/^input/)
    for (const digit of String(OLD.size)) await press(digit)
    await press('Enter')
    await dialog
      .getByText(new RegExp(`Moved ${OLD.size} artifacts of ${OLD.size} to the trash`))
      .waitFor()

    // On disk: every old key's payload and sidecar left the cache, the others are untouched.
    const moved = await snapshot(cache)
    expect(moved.size).toBe(before.size - OLD.size * 2)
    for (const key of OLD) expect(moved.has(key)).toBe(false)
    await screenshot(page, 'cleanup-keyboard-summary')

    // Undo is reached from the summary by Tab; Enter restores the trash entry.
    for (let i = 0; i < 6 && !/Undo/.test(await focused()); i++) await press('Tab')
    expect(await focused()).toMatch(/Undo/)
    await press('Enter')
    await dialog
      .getByText(`Restored ${OLD.size} artifacts of ${OLD.size} from the trash.`)
      .waitFor()

    expect(await snapshot(cache)).toEqual(before)
    expect(keys.length, `keys pressed: ${keys.join(' ')}`).toBeLessThanOrEqual(15)
    console.log(`cleanup by keyboard: ${keys.length} keys: ${keys.join(' ')}`)
  })
})
