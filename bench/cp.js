// `xpersist cp` of N small artifacts (bench/make-cache.js's) between two local caches (issue
// 9), beside plain copies of the same folder in the same run: GNU `cp -r` and Python's
// shutil.copytree (neither fsyncs nor locks, so they are a floor, not a like-for-like).
// Medians of RUNS; JSON on stdout. The local-to-S3 copy is in bench/cloud.js.
// Usage: node bench/cp.js [artifacts=1000]   (run `npx tsc -p tsconfig.build.json` first)
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { median } from './bench-util.js'
import { makeCache } from './make-cache.js'

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const RUNS = 3
const n = Number(process.argv[2] ?? 1000)
const { CacheStore } = await import(path.join(REPO, 'dist/electron/engine/store.js'))
const { planCopy, runCopy } = await import(path.join(REPO, 'dist/electron/engine/copy.js'))

const work = mkdtempSync(path.join(os.tmpdir(), 'xp-bench-cp-'))
try {
  const src = await makeCache(path.join(work, 'src'), n)
  rmSync(path.join(src, '.bench-stamp'))
  const timed = async (fn) => {
    const ms = []
    for (let r = 0; r < RUNS; r++) {
      const dst = path.join(work, `dst-${r}-${Math.random().toString(36).slice(2)}`)
      const t = performance.now()
      await fn(dst)
      ms.push(performance.now() - t)
      rmSync(dst, { recursive: true, force: true })
    }
    return Math.round(median(ms))
  }
  const source = await CacheStore.open(src, { readonly: true })
  const xpersist = await timed(async (dst) => {
    const plan = await planCopy(source, await CacheStore.open(dst))
    await runCopy(plan)
    if (plan.copied.length !== n) throw new Error(`copied ${plan.copied.length} of ${n}`)
  })
  let resume = 0
  {
    const dst = path.join(work, 'resume')
    await runCopy(await planCopy(source, await CacheStore.open(dst)))
    const t = performance.now()
    const plan = await planCopy(source, await CacheStore.open(dst))
    resume = Math.round(performance.now() - t)
    if (plan.keys !== 0) throw new Error('a rerun found work to do')
  }
  const gnuCp = await timed(async (dst) => execFileSync('cp', ['-r', src, dst]))
  const python = path.join(REPO, '.venv-interop', 'bin', 'python')
  const copytree = await timed(async (dst) =>
    execFileSync(python, [
      '-c',
      'import shutil,sys; shutil.copytree(sys.argv[1], sys.argv[2])',
      src,
      dst,
    ]),
  )
  console.log(
    JSON.stringify({
      artifacts: n,
      runs: RUNS,
      loadAverage: os.loadavg().map((x) => Number(x.toFixed(1))),
      ms: {
        xpersistCp: xpersist,
        rerunPlanAllEqual: resume,
        gnuCpR: gnuCp,
        pythonCopytree: copytree,
      },
      perArtifactMs: Number((xpersist / n).toFixed(2)),
      ratioToGnuCp: Number((xpersist / gnuCp).toFixed(1)),
      ratioToPythonCopytree: Number((xpersist / copytree).toFixed(1)),
    }),
  )
} finally {
  rmSync(work, { recursive: true, force: true })
}
