// `xpersist prune --json` on a seeded generated cache (Python's sidecars, payloads of known
// sizes, created_at across two years, experiment/run metadata) against an oracle that reads
// the documented rules the slow and obvious way, without any engine or shared code: every
// rule alone, then in combinations, --max-total and --keep-last --per included. Then --yes on
// one rule, checked file by file on disk.
import { promises as fs } from 'node:fs'
import path from 'node:path'
import { beforeAll, describe, expect, test } from 'vitest'
import { runCli } from '../helpers/cli.js'
import { writeGeneratedCache, type GeneratedArtifact } from '../helpers/generated-cache.js'
import { prng } from '../helpers/prng.js'
import { listFiles, tempDir } from '../helpers/temp.js'

const DAY = 86_400_000
const COUNT = 300
const EXPERIMENTS = ['ctrl', 'hist', 'ssp585']

/** One generated artifact and what the oracle knows of it. */
interface Known {
  a: GeneratedArtifact
  /** created_at as epoch ms; null when missing or no date. */
  ms: number | null
  /** Payload + sidecar bytes on disk. */
  bytes: number
  broken: boolean
}

/** Python's naive isoformat() of `ms` (UTC), microseconds only when there are some. */
function isoformat(ms: number, micros: number): string {
  const base = new Date(ms).toISOString().slice(0, 19)
  return micros === 0 ? base : `${base}.${String(micros).padStart(6, '0')}`
}

/**
 * COUNT artifacts from `seed`, `now` the CLI's clock at the time of the test (give or take the
 * minutes a test takes). Every created_at lies 12 hours plus i seconds off a whole day before
 * now: no age threshold in days is within minutes of one, and no two artifacts tie.
 */
function generate(seed: number, now: number): GeneratedArtifact[] {
  const rand = prng(seed)
  const out: GeneratedArtifact[] = []
  for (let i = 0; i < COUNT; i++) {
    const roll = rand(20)
    const exp = roll < 3 ? null : (EXPERIMENTS[rand(3)] as string)
    const run = rand(4)
    const key = `${exp ?? 'misc'}/run${run}/a${String(i).padStart(4, '0')}`
    const metadata: Record<string, unknown> = { run }
    if (exp !== null) metadata.experiment = exp
    const ms = now - rand(730) * DAY - 12 * 3_600_000 - i * 1000
    const createdAt = roll === 19 ? null : isoformat(ms, rand(2) ? 0 : 1 + rand(999_999))
    out.push({
      key,
      createdAt,
      payloadBytes: 1000 * (1 + rand(50)),
      serializer: rand(4) === 0 ? 'pandas.csv' : 'joblib',
      metadata,
      ...(rand(60) === 0 ? { sidecarText: `{"key": "${key}", "serializer":` } : {}),
    })
  }
  return out
}

/** A rule set as the oracle reads it; `args` says it as prune's flags. */
interface Rules {
  olderThanDays?: number
  /** Epoch ms of a UTC month's first instant, with its 'YYYY-MM' text. */
  before?: { ms: number; text: string }
  where?: [string, string][]
  serializer?: string[]
  prefix?: string[]
  largerThan?: number
  keepLast?: { n: number; per?: string }
  maxTotal?: number
}

function args(r: Rules): string[] {
  const out: string[] = []
  if (r.olderThanDays !== undefined) out.push('--older-than', `${r.olderThanDays}d`)
  if (r.before) out.push('--before', r.before.text)
  for (const [f, v] of r.where ?? []) out.push('--where', `${f}=${v}`)
  for (const s of r.serializer ?? []) out.push('--serializer', s)
  for (const p of r.prefix ?? []) out.push('--prefix', p)
  if (r.largerThan !== undefined) out.push('--larger-than', `${r.largerThan}B`)
  if (r.keepLast) out.push('--keep-last', String(r.keepLast.n))
  if (r.keepLast?.per) out.push('--per', r.keepLast.per)
  if (r.maxTotal !== undefined) out.push('--max-total', `${r.maxTotal}B`)
  return out
}

/** The keys the rules delete, oldest first, undated last by key (as prune documents). */
function oracle(known: Known[], r: Rules, now: number): string[] {
  const timeRule =
    r.olderThanDays !== undefined ||
    r.before !== undefined ||
    r.keepLast !== undefined ||
    r.maxTotal !== undefined
  const meta = (k: Known, f: string) => (k.a.metadata ?? {})[f]
  const otherFilters = (k: Known) =>
    (r.where ?? []).every(([f, v]) => meta(k, f) !== undefined && String(meta(k, f)) === v) &&
    (r.serializer === undefined || r.serializer.includes(k.a.serializer ?? 'joblib')) &&
    (r.prefix === undefined || r.prefix.some((p) => k.a.key.startsWith(p))) &&
    (r.largerThan === undefined || k.bytes > r.largerThan)
  const timeFilters = (k: Known) =>
    (r.olderThanDays === undefined && r.before === undefined) ||
    (k.ms !== null &&
      (r.olderThanDays === undefined || now - k.ms > r.olderThanDays * DAY) &&
      (r.before === undefined || k.ms < r.before.ms))
  const scope = known.filter((k) => !k.broken && otherFilters(k) && timeFilters(k))
  const dated = scope.filter((k) => k.ms !== null)
  const group = (k: Known) => {
    const per = r.keepLast?.per
    return per === undefined ? '' : meta(k, per) === undefined ? null : String(meta(k, per))
  }
  const protectedOnes = new Set<Known>()
  if (r.keepLast) {
    const { n } = r.keepLast
    for (const k of dated) {
      const newer = dated.filter(
        (j) => group(j) === group(k) && (j.ms as number) > (k.ms as number),
      )
      if (newer.length < n) protectedOnes.add(k)
    }
  }
  const deletable = dated
    .filter((k) => !protectedOnes.has(k))
    .sort((x, y) => (x.ms as number) - (y.ms as number))
  if (r.maxTotal === undefined) {
    const undated = timeRule ? [] : scope.filter((k) => k.ms === null)
    undated.sort((x, y) => (x.a.key < y.a.key ? -1 : 1))
    return [...deletable, ...undated].map((k) => k.a.key)
  }
  let total = scope.reduce((s, k) => s + k.bytes, 0)
  const out: string[] = []
  for (const k of deletable) {
    if (total <= r.maxTotal) break
    out.push(k.a.key)
    total -= k.bytes
  }
  return out
}

type PlanJson = {
  dryRun: boolean
  entries: { key: string; bytes: number }[]
  bytes: number
  prune: { broken: string[] }
}

let dir: string
let known: Known[]
let now: number

beforeAll(async () => {
  now = Date.now()
  dir = path.join(await tempDir('xp-prune-oracle-'), 'cache')
  const artifacts = generate(20_260_101, now)
  const sizes = await writeGeneratedCache(dir, artifacts, { python: true })
  known = artifacts.map((a) => ({
    a,
    ms: a.createdAt === null ? null : Date.parse(`${a.createdAt.slice(0, 23)}Z`),
    bytes: sizes.get(a.key) as number,
    broken: a.sidecarText !== undefined,
  }))
})

/** The rule sets, built once the cache (and so its total) exists. */
function ruleSets(): Rules[] {
  const total = known.filter((k) => !k.broken).reduce((s, k) => s + k.bytes, 0)
  const year = new Date(now - 365 * DAY)
  const month = `${year.getUTCFullYear()}-${String(year.getUTCMonth() + 1).padStart(2, '0')}`
  const before = { ms: Date.UTC(year.getUTCFullYear(), year.getUTCMonth(), 1), text: month }
  return [
    { olderThanDays: 365 },
    { olderThanDays: 30 },
    { before },
    { where: [['experiment', 'hist']] },
    { where: [['run', '2']] },
    {
      where: [
        ['experiment', 'ctrl'],
        ['run', '0'],
      ],
    },
    { serializer: ['pandas.csv'] },
    { prefix: ['ssp585/', 'misc/'] },
    { largerThan: 40_000 },
    { keepLast: { n: 5 } },
    { keepLast: { n: 3, per: 'experiment' } },
    { keepLast: { n: 2, per: 'run' }, prefix: ['hist/'] },
    { maxTotal: Math.floor(total / 2) },
    { maxTotal: Math.floor(total / 3), keepLast: { n: 10, per: 'experiment' } },
    { maxTotal: 50_000, where: [['experiment', 'ctrl']] },
    { olderThanDays: 200, keepLast: { n: 4, per: 'run' } },
    { before, serializer: ['joblib'], largerThan: 20_000 },
    { olderThanDays: 90, maxTotal: Math.floor(total / 4), keepLast: { n: 1, per: 'experiment' } },
  ]
}

describe('prune on a seeded cache agrees with an independent oracle', () => {
  test('every rule alone and in combination, through the CLI (--json dry run)', async () => {
    const before = await listFiles(dir)
    const broken = known.filter((k) => k.broken).map((k) => k.a.key)
    expect(broken.length).toBeGreaterThan(0)
    expect(known.some((k) => k.ms === null && !k.broken)).toBe(true)
    for (const rules of ruleSets()) {
      const expected = oracle(known, rules, now)
      const r = await runCli(['prune', dir, ...args(rules), '--json'])
      expect([args(rules), r.code, r.stderr]).toEqual([args(rules), 0, ''])
      const plan = JSON.parse(r.stdout) as PlanJson
      const got = plan.entries.map((e) => e.key)
      expect([args(rules), got]).toEqual([args(rules), expected])
      const bytes = new Map(known.map((k) => [k.a.key, k.bytes]))
      expect(plan.bytes).toBe(expected.reduce((s, k) => s + (bytes.get(k) as number), 0))
      expect([...plan.prune.broken].sort()).toEqual([...broken].sort())
    }
    // Most rule sets choose something and none chooses everything: the cases say something.
    const sizes = ruleSets().map((r) => oracle(known, r, now).length)
    expect(sizes.filter((n) => n > 0).length).toBeGreaterThan(sizes.length - 2)
    expect(Math.max(...sizes)).toBeLessThan(COUNT)
    expect(await listFiles(dir)).toEqual(before)
  })

  test('--yes deletes exactly what the oracle chose; everything else is on disk untouched', async () => {
    const copy = path.join(await tempDir('xp-prune-oracle-yes-'), 'cache')
    await fs.cp(dir, copy, { recursive: true })
    const rules: Rules = { keepLast: { n: 3, per: 'experiment' }, olderThanDays: 100 }
    const chosen = new Set(oracle(known, rules, now))
    expect(chosen.size).toBeGreaterThan(10)
    const done = await runCli(['prune', copy, ...args(rules), '--yes', '--json'])
    expect(done.code).toBe(0)
    const plan = JSON.parse(done.stdout) as PlanJson
    expect(plan.dryRun).toBe(false)
    expect(new Set(plan.entries.map((e) => e.key))).toEqual(chosen)

    const files = new Set(await listFiles(copy))
    for (const k of known) {
      const sidecar = path.join('xpersist_metadata_store', `${k.a.key}.artifact.json`)
      const gone = chosen.has(k.a.key)
      expect([k.a.key, files.has(k.a.key), files.has(sidecar)]).toEqual([k.a.key, !gone, !gone])
      if (!gone) {
        const stat = await fs.stat(path.join(copy, k.a.key))
        expect(stat.size).toBe(k.a.payloadBytes)
      }
    }
    expect(files.size).toBe(2 * (known.length - chosen.size))
    // Doctor finds nothing but the broken sidecars the cache was made with.
    const doctor = JSON.parse((await runCli(['doctor', copy, '--json'])).stdout) as {
      orphans: unknown[]
      missingPayload: unknown[]
    }
    expect(doctor.orphans).toEqual([])
    expect(doctor.missingPayload).toEqual([])
  })
})
