// `npm run bench:reliability`: what kill -9, racing writers and mutated files do to a cache.
// Prints one JSON document. Counts are flags, so a small run is quick:
//   node bench/reliability.js --kills 100 --racers 16 --rounds 100 --fuzz 10000 --seed 1
// Needs the built engine (npm run build).
import { existsSync, rmSync, promises as fs } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { runFuzz } from './reliability-fuzz.js'
import { ENGINE, flags, prng, startWriter, whose } from './reliability-lib.js'

const opts = flags({ kills: 100, racers: 16, rounds: 100, fuzz: 10000, seed: 1, hangMs: 20000 })
if (!existsSync(ENGINE)) throw new Error(`${ENGINE} is missing: run npm run build first`)
const { CacheStore, diagnose } = await import(ENGINE)
const KEY = 'bench/key'
const SIDECAR = `xpersist_metadata_store/${KEY}.artifact.json`
const work = await fs.mkdtemp(path.join(os.tmpdir(), 'xp-reliability-'))
let dirs = 0

async function listFiles(dir) {
  // A put killed before its first write leaves no folder at all: opening creates nothing.
  const entries = await fs
    .readdir(dir, { recursive: true, withFileTypes: true })
    .catch((e) => (e.code === 'ENOENT' ? [] : Promise.reject(e)))
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
}

/** A fresh cache; with `owner`, KEY holds that writer's CSV artifact. */
async function cache(owner) {
  const dir = path.join(work, `c${dirs++}`)
  const store = await CacheStore.open(dir)
  if (owner !== undefined) {
    const csv = new TextEncoder().encode(`,writer\n0,${owner}\n`)
    await store.importPayload(KEY, csv, {
      serializer: 'pandas.csv',
      additionalMetadata: { writer: owner },
    })
  }
  return dir
}

// op -> how to set it up, the writer's command, and which owners are acceptable afterwards.
const OPS = {
  put: { owner: undefined, cmd: { op: 'put', id: 1 }, allowed: [null, 1] },
  overwrite: { owner: 0, cmd: { op: 'put', id: 1 }, allowed: [0, 1] },
  metadata: { owner: 0, cmd: { op: 'metadata', id: 3 }, allowed: [0] },
  delete: { owner: 0, cmd: { op: 'delete', id: 0 }, allowed: [0, null] },
}

/** Runs one writer to its end (unkilled) to learn how many changing calls and how long it takes. */
async function probe(op) {
  const dir = await cache(OPS[op].owner)
  const w = startWriter(dir, { ...OPS[op].cmd, key: KEY, waitGo: true })
  await w.waiting
  const t = performance.now()
  w.go()
  const line = await w.done
  return { calls: Number(line.split(' ')[1]), ms: Math.round(performance.now() - t) }
}

async function killBench(n, rand) {
  const probes = {}
  for (const op of Object.keys(OPS)) probes[op] = await probe(op)
  const s = {
    cases: n,
    probes,
    byOp: { put: 0, overwrite: 0, metadata: 0, delete: 0 },
    killedMidOperation: 0,
    mixedSeenBeforeRepair: 0,
    mixedOrHalfVisibleUnflagged: 0,
    mixedOrHalfVisibleAfterRepair: 0,
    unexpectedOwnerAfterRepair: 0,
    casesWithLeftovers: 0,
    leftoversFoundByDoctor: 0,
    leftoversCleanedByDoctor: 0,
    samples: [],
  }
  for (let i = 0; i < n; i++) {
    const op = Object.keys(OPS)[Math.floor(rand() * 4)]
    s.byOp[op]++
    const dir = await cache(OPS[op].owner)
    const cmd = { ...OPS[op].cmd, key: KEY }
    let result
    if (rand() < 0.5) {
      // A crash injected at a random changing call (lock, journal, payload, sidecar, delete).
      const at = 1 + Math.floor(rand() * probes[op].calls)
      const when = rand() < 0.5 ? 'before' : 'after'
      result = await startWriter(dir, { ...cmd, crash: { at, when, how: 'kill' } }).done
    } else {
      // kill -9 from outside after a random time within the operation (even mid-fsync).
      const w = startWriter(dir, { ...cmd, waitGo: true })
      await w.waiting
      w.go()
      await sleep(rand() * probes[op].ms * 1.2)
      w.proc.kill('SIGKILL')
      result = await w.done
    }
    if (result.startsWith('died')) s.killedMidOperation++
    const store = await CacheStore.open(dir)
    const extra = (await listFiles(dir)).filter((f) => f !== KEY && f !== SIDECAR)
    const seen = await whose(store, KEY)
    const report = await diagnose(store)
    if (seen === 'mixed') s.mixedSeenBeforeRepair++
    if (seen === 'mixed' && report.ok) s.mixedOrHalfVisibleUnflagged++
    if (extra.length > 0) {
      s.casesWithLeftovers++
      if (!report.ok) s.leftoversFoundByDoctor++
    }
    // Clean as a user would: repair interrupted writes, then delete orphans (dry runs skipped).
    await store.repairInterrupted({ dryRun: false })
    const orphans = (await diagnose(store)).orphans.map((o) => o.path)
    if (orphans.length > 0) await store.deleteOrphans(orphans, { dryRun: false })
    const after = await whose(store, KEY)
    const left = (await listFiles(dir)).filter((f) => f !== KEY && f !== SIDECAR)
    if (extra.length > 0 && left.length === 0 && (await diagnose(store)).ok)
      s.leftoversCleanedByDoctor++
    if (after === 'mixed') s.mixedOrHalfVisibleAfterRepair++
    else if (!OPS[op].allowed.includes(after)) s.unexpectedOwnerAfterRepair++
    if ((after === 'mixed' || left.length > 0 || seen === 'mixed') && s.samples.length < 10) {
      s.samples.push({ op, result, seen, after, extra, left, interrupted: report.interrupted })
    }
    await fs.rm(dir, { recursive: true, force: true })
  }
  return s
}

async function raceBench(racers, rounds, policy) {
  const dir = await cache(policy === 'overwrite' ? 0 : undefined)
  const s = { racers, rounds, winnersPerRound: {}, mixed: 0, leftovers: 0, errors: {} }
  for (let r = 0; r < rounds; r++) {
    const store = await CacheStore.open(dir)
    if (policy === 'raise_error' && (await store.has(KEY)))
      await store.delete(KEY, { dryRun: false })
    const ids = Array.from({ length: racers }, (_, j) => 100 + r * racers + j)
    const writers = ids.map((id) =>
      startWriter(dir, { op: 'put', key: KEY, id, policy, waitGo: true }),
    )
    await Promise.all(writers.map((w) => w.waiting))
    for (const w of writers) w.go()
    const results = await Promise.all(writers.map((w) => w.done))
    const won = ids.filter((_, j) => results[j].startsWith('done'))
    for (const line of results.filter((x) => !x.startsWith('done'))) {
      const code = line.split(' ')[0]
      s.errors[code] = (s.errors[code] ?? 0) + 1
    }
    const owner = await whose(store, KEY)
    const winners = policy === 'raise_error' ? won.length : owner === 'mixed' ? 0 : 1
    s.winnersPerRound[winners] = (s.winnersPerRound[winners] ?? 0) + 1
    if (owner === 'mixed' || !(policy === 'raise_error' ? won : ids).includes(owner)) s.mixed++
    const files = await listFiles(dir)
    if (files.some((f) => f !== KEY && f !== SIDECAR)) s.leftovers++
  }
  return s
}

// Interrupted runs leave no temp caches behind either.
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    rmSync(work, { recursive: true, force: true })
    process.exit(130)
  })
}

const rand = prng(opts.seed)
const started = performance.now()
const out = { node: process.version, cpus: os.cpus().length, flags: opts }
// Each part is also written to stderr as it finishes, so a long run that is stopped keeps
// what it measured.
const part = async (name, measure) => {
  out[name] = await measure()
  console.error(JSON.stringify({ [name]: out[name] }))
}
try {
  await part('killDuringWrites', () => killBench(opts.kills, rand))
  await part('racingRaiseError', () => raceBench(opts.racers, opts.rounds, 'raise_error'))
  await part('racingOverwrite', () => raceBench(opts.racers, opts.rounds, 'overwrite'))
  await part('fuzz', () =>
    runFuzz({ count: opts.fuzz, seed: opts.seed, hangMs: opts.hangMs, work }),
  )
} finally {
  await fs.rm(work, { recursive: true, force: true })
}
out.seconds = Math.round((performance.now() - started) / 1000)
console.log(JSON.stringify(out, null, 2))
