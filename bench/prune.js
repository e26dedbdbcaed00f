// `npm run bench:prune` (and part of `npm run bench`): retention on a big local cache.
// 1. The prune plan on BENCH_PRUNE_ARTIFACTS (100,000) artifacts: the engine's planning alone
//    (selectForPrune + planFromListing over a listing already in memory) for several rule sets,
//    and `xpersist prune --json` end to end (a whole process: start, listing, plan, JSON).
// 2. Moving BENCH_PRUNE_MOVE (10,000) artifacts to the trash beside deleting them permanently,
//    each run on a fresh copy of the cache (the copy is not timed).
// BENCH_PRUNE_RUNS (default 3) runs each (BENCH_PRUNE_MOVE=0 skips part 2); prints one JSON
// document with medians.
import { execFileSync } from 'node:child_process'
import { promises as fs } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { median } from './bench-util.js'
import { makeCache } from './make-cache.js'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const CLI = path.join(ROOT, 'bin', 'xpersist.js')

// Rule sets as prune's flags; the bench cache's created_at run one second apart from
// 2026-01-01 and its experiment is one of four values.
const RULES = {
  before: { before: '2026-01-01T12:00' },
  keep_last_per: { 'keep-last': '100', per: 'experiment' },
  max_total: { 'max-total': '1MB' },
  all_three: { where: ['experiment=hist'], 'keep-last': '10', per: 'member', 'max-total': '100kB' },
}

const flagsOf = (rules) =>
  Object.entries(rules).flatMap(([flag, v]) =>
    (Array.isArray(v) ? v : [v]).flatMap((x) => [`--${flag}`, String(x)]),
  )

async function timed(runs, before, fn) {
  const ms = []
  let out
  for (let i = 0; i < runs; i++) {
    if (before) await before(i)
    const t = performance.now()
    out = await fn(i)
    ms.push(performance.now() - t)
  }
  return { median_ms: +median(ms).toFixed(1), runs: ms.map((x) => +x.toFixed(1)), out }
}

/** The prune plan on `n` artifacts: in-process planning per rule set, and the CLI end to end. */
async function planBench(n, runs) {
  const { CacheStore } = await import('../dist/electron/engine/index.js')
  const { selectForPrune, planFromListing } = await import('../dist/electron/engine/prune.js')
  const { pruneRulesOf } = await import('../dist/electron/cli/prune-args.js')
  const dir = await makeCache(path.join(os.tmpdir(), `xpersist-bench-${n}`), n)
  const store = await CacheStore.open(dir, { readonly: true })
  const listing = await timed(runs, null, async () => {
    const rows = []
    for await (const info of store.artifacts()) rows.push(info)
    return rows
  })
  const rows = listing.out
  const now = Date.now()
  const plan = {}
  for (const [name, rules] of Object.entries(RULES)) {
    const parsed = pruneRulesOf(rules)
    const r = await timed(Math.max(runs, 5), null, () =>
      planFromListing(store.url, selectForPrune(rows, parsed, now).chosen),
    )
    plan[name] = { median_ms: r.median_ms, runs: r.runs, chosen: r.out.entries.length }
  }
  // The whole process as a user meets it, timed by measure.py like run.js's ls figures.
  const cli = {}
  for (const name of ['keep_last_per', 'all_three']) {
    const args = ['prune', dir, ...flagsOf(RULES[name]), '--json']
    const results = []
    for (let i = 0; i < runs; i++)
      results.push(
        JSON.parse(
          execFileSync('python3', [path.join(ROOT, 'bench', 'measure.py'), 'node', CLI, ...args], {
            encoding: 'utf8',
          }),
        ),
      )
    cli[`xpersist prune <cache> ${args.slice(2).join(' ')}`] = {
      median_ms: +(median(results.map((r) => r.seconds)) * 1000).toFixed(0),
      runs: results.map((r) => +(r.seconds * 1000).toFixed(0)),
      peak_rss_mb: +Math.max(...results.map((r) => r.peak_rss_mb)).toFixed(1),
    }
  }
  return {
    artifacts: rows.length,
    listing: { median_ms: listing.median_ms, runs: listing.runs },
    plan_from_listing: plan,
    cli_whole_process: cli,
  }
}

/** Moving `n` artifacts to the trash beside deleting them, each run on a fresh copy. */
async function trashBench(n, runs) {
  const { CacheStore } = await import('../dist/electron/engine/index.js')
  const source = await makeCache(path.join(os.tmpdir(), `xpersist-bench-${n}`), n)
  const work = await fs.mkdtemp(path.join(os.tmpdir(), 'xpersist-bench-trash-'))
  const copy = path.join(work, 'cache')
  const fresh = async () => {
    await fs.rm(copy, { recursive: true, force: true })
    await fs.cp(source, copy, { recursive: true })
  }
  const run = (trash) => async () => {
    const store = await CacheStore.open(copy, { create: false })
    const keys = await store.keys()
    const plan = await store.deleteMany(keys, { dryRun: false, ...(trash ? { trash: true } : {}) })
    if (plan.deleted.length !== 2 * n) throw new Error(`moved/deleted ${plan.deleted.length} paths`)
  }
  try {
    const del = await timed(runs, fresh, run(false))
    const trash = await timed(runs, fresh, run(true))
    return {
      artifacts: n,
      delete: { median_ms: del.median_ms, runs: del.runs },
      trash: { median_ms: trash.median_ms, runs: trash.runs },
      trash_over_delete: +(trash.median_ms / del.median_ms).toFixed(2),
    }
  } finally {
    await fs.rm(work, { recursive: true, force: true })
  }
}

/** Both parts, sized by the environment (see the top of this file). */
export async function runPruneBench() {
  const runs = Number(process.env.BENCH_PRUNE_RUNS ?? 3)
  const move = Number(process.env.BENCH_PRUNE_MOVE ?? 10_000)
  return {
    runs,
    plan: await planBench(Number(process.env.BENCH_PRUNE_ARTIFACTS ?? 100_000), runs),
    trash_vs_delete: move > 0 ? await trashBench(move, runs) : null,
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url))
  console.log(JSON.stringify(await runPruneBench(), null, 2))
