/* global window, document, requestAnimationFrame, MutationObserver */
// `npm run bench:explorer`: the explorer in Debian's Chromium (browser mode) on a cache of
// 100,000 artifacts: time to the first rows painted, to the whole listing, frame times while
// scrolling the key table, and renderer memory. Prints one JSON document. Not a timed test.
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { makeCache } from './make-cache.js'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const N = Number(process.env.BENCH_ARTIFACTS ?? 100000)
const { ExplorerSession } = await import('../dist/electron/ipc/session.js')
const { startServer } = await import('../dist/electron/server/http-server.js')
const { chromium } = await import('playwright-core')

const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]
}

/**
 * Resident memory of Chromium's renderer processes, MB: the largest one (the page's own; the
 * others are spare renderers Chromium keeps) and the sum of all of them.
 */
function rendererRssMb() {
  const out = execFileSync('ps', ['-eo', 'rss,args'], { encoding: 'utf8' })
  const rss = out
    .split('\n')
    .filter((l) => l.includes('chromium') && l.includes('--type=renderer'))
    .map((l) => Number(l.trim().split(/\s+/)[0]) / 1024)
  return { page: Math.max(0, ...rss), all: rss.reduce((a, b) => a + b, 0) }
}

const cache = await makeCache(path.join(os.tmpdir(), `xpersist-bench-${N}`), N)
const session = new ExplorerSession({
  mode: 'browser',
  initial: { location: cache, readonly: true },
})
const server = await startServer(session, {
  rendererDir: path.join(ROOT, 'dist', 'renderer'),
  port: 0,
})
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  // The flags this machine needs (no network, no GPU, root), shared with the e2e tests.
  args: JSON.parse(readFileSync(path.join(ROOT, 'bench', 'chromium-flags.json'), 'utf8')),
})
try {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } })
  // Note, in the page, when the first key row appears (ms since navigation start).
  await page.addInitScript(() => {
    const seen = () => {
      if (document.querySelector('tr.key-row') && !window.__firstRow) {
        window.__firstRow = performance.now()
        return true
      }
      return false
    }
    new MutationObserver(() => seen()).observe(document, { childList: true, subtree: true })
  })
  await page.goto(server.url)
  await page.waitForFunction(() => window.__firstRow, null, { timeout: 60_000 })
  const firstRowsMs = await page.evaluate(() => window.__firstRow)
  await page.waitForFunction(
    () => !document.querySelector('[aria-label="Listing progress"]'),
    null,
    { timeout: 120_000 },
  )
  const allRowsMs = await page.evaluate(() => performance.now())
  const frames = await page.evaluate(
    () =>
      new Promise((resolve) => {
        const el = document.querySelector('[data-testid="key-table"]')
        const deltas = []
        let last = performance.now()
        let n = 0
        const step = (t) => {
          deltas.push(t - last)
          last = t
          el.scrollTop += n < 120 ? 700 : -900
          if (++n < 240) requestAnimationFrame(step)
          else resolve(deltas.slice(1))
        }
        requestAnimationFrame(step)
      }),
  )
  const cdp = await page.context().newCDPSession(page)
  // Measured after a garbage collection, so detached rows awaiting collection do not count.
  await cdp.send('HeapProfiler.enable')
  await cdp.send('HeapProfiler.collectGarbage')
  await cdp.send('Performance.enable')
  const { metrics } = await cdp.send('Performance.getMetrics')
  const metric = (name) => metrics.find((m) => m.name === name)?.value ?? null
  const rss = rendererRssMb()
  console.log(
    JSON.stringify(
      {
        artifacts: N,
        first_rows_ms: +firstRowsMs.toFixed(0),
        all_rows_listed_ms: +allRowsMs.toFixed(0),
        scroll_frames: {
          count: frames.length,
          p50_ms: +quantile(frames, 0.5).toFixed(1),
          p95_ms: +quantile(frames, 0.95).toFixed(1),
          max_ms: +Math.max(...frames).toFixed(1),
        },
        memory: {
          js_heap_used_mb: +(metric('JSHeapUsedSize') / 2 ** 20).toFixed(1),
          js_heap_total_mb: +(metric('JSHeapTotalSize') / 2 ** 20).toFixed(1),
          renderer_rss_mb: +rss.page.toFixed(1),
          all_renderers_rss_mb: +rss.all.toFixed(1),
          dom_nodes: metric('Nodes'),
        },
        targets: { first_rows_ms: 1500, scroll_p95_ms: 20, renderer_mb: 500 },
      },
      null,
      2,
    ),
  )
} finally {
  await browser.close()
  await server.close()
}
