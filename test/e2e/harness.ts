import { existsSync } from 'node:fs'
import path from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { startWorkerEngine } from '../../electron/ipc/worker-host.js'
import { startServer, type RunningServer } from '../../electron/server/http-server.js'
import { REPO } from '../helpers/temp.js'
import { UI_TIMEOUT_MS } from '../helpers/timeouts.js'
import CHROMIUM_FLAGS from '../../bench/chromium-flags.json' with { type: 'json' }

/** Debian's Chromium, driven by playwright-core (no browser download, ever). */
export const CHROMIUM = '/usr/bin/chromium'
/** The built renderer; test/setup/global.ts rebuilds it first when its sources changed. */
export const RENDERER = path.join(REPO, 'dist', 'renderer')
/** Where screenshots of each main view are saved, as test artifacts. */
export const SCREENSHOTS = path.join(REPO, 'test-results', 'screenshots')

/** Why the browser tests cannot run here, or null when they can. */
export function e2eUnavailable(): string | null {
  if (!existsSync(CHROMIUM)) return `${CHROMIUM} is missing (apt-get install -y chromium)`
  if (!existsSync(path.join(RENDERER, 'index.html')))
    return `${RENDERER} is not built (npm run build)`
  return null
}

/** Launches headless Chromium with the flags this machine needs. */
export async function launchChromium(): Promise<Browser> {
  const { chromium } = await import('playwright-core')
  return chromium.launch({
    executablePath: CHROMIUM,
    args: CHROMIUM_FLAGS,
    timeout: UI_TIMEOUT_MS,
  })
}

/** A browser-mode server on `cache`, as `xpersist serve` starts it (engine in a worker). */
export async function serveCache(cache: string, readonly = false): Promise<RunningServer> {
  const engine = startWorkerEngine({
    mode: 'browser',
    initial: { location: cache, readonly },
    readonlyCeiling: readonly,
  })
  return startServer(engine, { rendererDir: RENDERER, port: 0 })
}

/** Saves a full-page screenshot under test-results/screenshots. */
export async function screenshot(page: Page, name: string): Promise<string> {
  const file = path.join(SCREENSHOTS, `${name}.png`)
  await page.screenshot({ path: file })
  return file
}
