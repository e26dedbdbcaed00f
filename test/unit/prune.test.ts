// Retention rules against a generated cache whose right answer is known for every rule,
// --max-total and --keep-last --per included; then the same rules on random listings
// against a brute-force reading of the documented semantics.
import { promises as fs, writeFileSync } from 'node:fs'
import path from 'node:path'
import { beforeAll, describe, expect, test } from 'vitest'
import { pruneRulesOf } from '../../electron/cli/prune-args.js'
import { diagnose } from '../../electron/engine/doctor.js'
import { selectForPrune, type PruneRules } from '../../electron/engine/prune.js'
import { CacheStore } from '../../electron/engine/store.js'
import { clauseMatches, isTimeClause } from '../../shared/filter-query.js'
import { groupValueKey, metadataValue } from '../../shared/metadata-values.js'
import type { ArtifactInfo } from '../../shared/store-types.js'
import {
  sidecarJson,
  writeGeneratedCache,
  type GeneratedArtifact,
} from '../helpers/generated-cache.js'
import { ARTIFACTS, NOW } from '../helpers/prune-artifacts.js'
import { listFiles, tempDir } from '../helpers/temp.js'
import { prng } from '../helpers/prng.js'

const OLD_FOUR = ['c/1', 'a/1', 'b/1', 'a/2']

/** Flags -> the keys pruned, oldest first (undated last). */
const CASES: [Record<string, unknown>, string[]][] = [
  [{ 'older-than': '365d' }, OLD_FOUR],
  [{ 'older-than': '52w' }, [...OLD_FOUR, 'c/2']],
  [{ before: '2025-01-01' }, OLD_FOUR],
  [{ before: '2025' }, OLD_FOUR],
  [{ filter: ['created<=2024'] }, OLD_FOUR],
  [{ filter: ['created>2024'] }, ['c/2', 'a/3', 'b/2', 'a/4']],
  [{ filter: ['created>=2025-03', 'created<2025-12'] }, ['a/3', 'b/2']],
  [{ where: ['exp=a'] }, ['a/1', 'a/2', 'a/3', 'a/4', 'u/none']],
  [{ where: ['exp=a'], 'older-than': '365d' }, ['a/1', 'a/2']],
  [{ where: ['exp=a', 'tags=keep'] }, ['a/4']],
  [{ where: ['run=3'] }, ['c/2']],
  [{ serializer: ['pandas.csv'] }, ['b/1', 'a/3']],
  [{ serializer: ['pandas.csv', 'joblib'], before: '2024-03' }, ['c/1', 'a/1', 'b/1']],
  [{ prefix: ['c/'] }, ['c/1', 'c/2']],
  [{ prefix: ['c/', 'u/'] }, ['c/1', 'c/2', 'u/bad', 'u/none']],
  [{ 'larger-than': '650kB' }, ['c/1', 'c/2', 'u/none']],
  [{ 'older-than': '0h' }, ['c/1', 'a/1', 'b/1', 'a/2', 'c/2', 'a/3', 'b/2', 'a/4']],
  // Newest per exp kept: a/4, b/2; c/1 and c/2 lack exp and form one group: c/2 kept.
  [{ 'keep-last': '1', per: 'exp' }, ['c/1', 'a/1', 'b/1', 'a/2', 'a/3']],
  [{ 'keep-last': '2' }, ['c/1', 'a/1', 'b/1', 'a/2', 'c/2', 'a/3']],
  [{ 'keep-last': '1', per: 'exp', prefix: ['a/'] }, ['a/1', 'a/2', 'a/3']],
  // Scope 46 U: oldest first until at most 35 U: c/1 (7) 39, a/1 (1) 38, b/1 (5) 33.
  [{ 'max-total': '3.5MB' }, ['c/1', 'a/1', 'b/1']],
  // Scope a/ is 10 U: a/1 9, a/2 7, a/3 4 <= 6.
  [{ 'max-total': '0.6MB', prefix: ['a/'] }, ['a/1', 'a/2', 'a/3']],
  // Protected a/4, b/2, c/2: c/1 39 <= 40 stops.
  [{ 'max-total': '4MB', 'keep-last': '1', per: 'exp' }, ['c/1']],
  // Every unprotected one goes and the scope still does not fit.
  [{ 'max-total': '2MB', 'keep-last': '1', per: 'exp' }, ['c/1', 'a/1', 'b/1', 'a/2', 'a/3']],
]

let dir: string
let sizes: Map<string, number>
let store: CacheStore

beforeAll(async () => {
  dir = path.join(await tempDir('xp-prune-'), 'cache')
  sizes = await writeGeneratedCache(dir, ARTIFACTS)
  store = await CacheStore.open(dir, { readonly: true, create: false })
})

const sum = (keys: string[]) => keys.reduce((s, k) => s + (sizes.get(k) as number), 0)

describe('prune on a generated cache', () => {
  test.each(CASES)('%j', async (flags, expected) => {
    const plan = await store.prune(pruneRulesOf(flags), { now: NOW })
    expect(plan.entries.map((e) => e.key)).toEqual(expected)
    expect(plan.bytes).toBe(sum(expected))
    expect(plan.dryRun).toBe(true)
    expect(plan.prune.broken).toEqual(['z/broken'])
  })

  test('the dry-run plan is the plan rm makes for those keys, file for file', async () => {
    const plan = await store.prune(pruneRulesOf({ 'keep-last': '1', per: 'exp' }), { now: NOW })
    const rm = await store.deleteMany(plan.entries.map((e) => e.key))
    const { prune, ...asRm } = plan
    expect(prune.kept).toBe(3)
    expect(asRm).toEqual(rm)
  })

  test('undated artifacts are kept and reported whenever a time rule applies', async () => {
    const aged = await store.prune(pruneRulesOf({ 'older-than': '0h' }), { now: NOW })
    expect(aged.prune.undated).toEqual(['u/bad', 'u/none'])
    const kept = await store.prune(pruneRulesOf({ 'keep-last': '1', where: ['exp=a'] }), {
      now: NOW,
    })
    expect(kept.prune.undated).toEqual(['u/none'])
    const plain = await store.prune(pruneRulesOf({ prefix: ['c/'] }), { now: NOW })
    expect(plain.prune.undated).toEqual([])
  })

  test('--max-total: what remains, and how far over when protected ones fill it', async () => {
    const fits = await store.prune(pruneRulesOf({ 'max-total': '3.5MB' }), { now: NOW })
    const all = [...sizes.keys()].filter((k) => k !== 'z/broken')
    expect(fits.prune.scope).toEqual({ count: 10, bytes: sum(all) })
    expect(fits.prune.remainingBytes).toBe(sum(all) - fits.bytes)
    expect(fits.prune.overBy).toBe(0)
    const short = await store.prune(
      pruneRulesOf({ 'max-total': '2MB', 'keep-last': '1', per: 'exp' }),
      { now: NOW },
    )
    expect(short.prune.overBy).toBe(short.prune.remainingBytes - 2_000_000)
    expect(short.prune.overBy).toBeGreaterThan(0)
  })

  test('--yes deletes exactly the plan through rm’s path; doctor stays clean', async () => {
    const copy = path.join(await tempDir('xp-prune-yes-'), 'cache')
    await fs.cp(dir, copy, { recursive: true })
    const writable = await CacheStore.open(copy, { create: false })
    const before = await listFiles(copy)
    const plan = await writable.prune(pruneRulesOf({ 'keep-last': '1', per: 'exp' }), {
      now: NOW,
      dryRun: false,
    })
    expect(plan.dryRun).toBe(false)
    const gone = ['c/1', 'a/1', 'b/1', 'a/2', 'a/3']
    expect(plan.entries.map((e) => e.key)).toEqual(gone)
    const removed = gone.flatMap((k) => [k, `xpersist_metadata_store/${k}.artifact.json`])
    expect(await listFiles(copy)).toEqual(before.filter((f) => !removed.includes(f)))
    expect([...plan.deleted].sort()).toEqual([...removed].sort())
    const report = await diagnose(writable)
    expect(report.missingPayload).toEqual([])
    expect(report.orphans).toEqual([])
  })

  test('--yes keeps an artifact rewritten after the listing judged it, and says so', async () => {
    const copy = path.join(await tempDir('xp-prune-race-'), 'cache')
    await fs.cp(dir, copy, { recursive: true })
    const writable = await CacheStore.open(copy, { create: false })
    const a1 = ARTIFACTS.find((a) => a.key === 'a/1') as GeneratedArtifact
    const rewritten = sidecarJson({ ...a1, metadata: { exp: 'a', pinned: true } })
    const plan = await writable.prune(pruneRulesOf({ 'older-than': '365d' }), {
      now: NOW,
      dryRun: false,
      list: {
        // Every sidecar has been read once the last batch reports: a rewrite now comes after
        // the rules judged a/1, as another process's metadata edit would.
        onProgress: (p) => {
          if (p.phase === 'sidecars' && p.done === p.total)
            writeFileSync(
              path.join(copy, 'xpersist_metadata_store', 'a/1.artifact.json'),
              rewritten,
            )
        },
      },
    })
    expect(plan.entries.map((e) => e.key)).toEqual(['c/1', 'b/1', 'a/2'])
    expect(plan.prune.changed).toEqual(['a/1'])
    expect(await writable.has('a/1')).toBe(true)
    expect(await writable.has('c/1')).toBe(false)
  })

  test('a read-only store refuses to apply and deletes nothing', async () => {
    const before = await listFiles(dir)
    await expect(
      store.prune(pruneRulesOf({ 'older-than': '0h' }), { now: NOW, dryRun: false }),
    ).rejects.toThrow(/read-only/)
    expect(await listFiles(dir)).toEqual(before)
  })
})

function randomListing(rand: (n: number) => number, n: number): ArtifactInfo[] {
  const out: ArtifactInfo[] = []
  for (let i = 0; i < n; i++) {
    const key = `${['p', 'q', 'r'][rand(3)]}/${String(i).padStart(4, '0')}`
    const day = 1 + rand(28)
    const created =
      rand(15) === 0
        ? null
        : `202${4 + rand(2)}-0${1 + rand(9)}-${String(day).padStart(2, '0')}T00:00:00`
    const metadata: Record<string, unknown> = {}
    if (rand(4) > 0) metadata.exp = ['x', 'y', 'z', 1][rand(4)]
    const broken = rand(30) === 0
    out.push({
      key,
      artifact: broken
        ? null
        : {
            key,
            serializer: rand(2) ? 'joblib' : 'pandas.csv',
            load_kwargs: {},
            dump_kwargs: {},
            additional_metadata: metadata,
            created_at: created,
          },
      error: broken ? { code: 'CORRUPT_SIDECAR', message: 'x' } : null,
      payload: { files: [{ path: key, bytes: rand(1000) }], bytes: 0 },
      sidecarBytes: 100 + rand(50),
    })
    const last = out[out.length - 1] as ArtifactInfo
    last.payload.bytes = (last.payload.files[0] as { bytes: number }).bytes
  }
  return out
}

/** The documented semantics, read the slow and obvious way (quadratic ranks). */
function oracle(listing: ArtifactInfo[], rules: PruneRules, now: number): string[] {
  const ms = (i: ArtifactInfo) => {
    const c = i.artifact?.created_at
    if (c === null || c === undefined) return null
    const t = Date.parse(`${String(c)}Z`)
    return Number.isFinite(t) ? t : null
  }
  const subjectOf = (i: ArtifactInfo) => ({
    key: i.key,
    serializer: i.artifact?.serializer ?? null,
    createdMs: ms(i),
    bytes: i.payload.bytes + (i.sidecarBytes ?? 0),
    metadata: i.artifact?.additional_metadata ?? {},
  })
  const scope = listing.filter(
    (i) => i.error === null && rules.clauses.every((c) => clauseMatches(c, subjectOf(i), now)),
  )
  const timeRules =
    rules.clauses.some(isTimeClause) || rules.keepLast !== null || rules.maxTotal !== null
  const newer = (a: ArtifactInfo, b: ArtifactInfo) =>
    (ms(a) as number) > (ms(b) as number) || (ms(a) === ms(b) && a.key > b.key)
  const group = (i: ArtifactInfo) =>
    rules.keepLast?.per == null
      ? ''
      : (groupValueKey(metadataValue(i.artifact?.additional_metadata ?? {}, rules.keepLast.per)) ??
        '\u0000missing')
  const dated = scope.filter((i) => ms(i) !== null)
  const deletable = dated
    .filter((i) => {
      if (rules.keepLast === null) return true
      const rank = dated.filter((j) => j !== i && group(j) === group(i) && newer(j, i)).length
      return rank >= rules.keepLast.n
    })
    .sort((a, b) => (newer(a, b) ? 1 : -1))
  if (rules.maxTotal === null)
    return timeRules
      ? deletable.map((i) => i.key)
      : [...deletable, ...scope.filter((i) => ms(i) === null)].map((i) => i.key)
  let total = scope.reduce((s, i) => s + subjectOf(i).bytes, 0)
  const out: string[] = []
  for (const i of deletable) {
    if (total <= rules.maxTotal) break
    out.push(i.key)
    total -= subjectOf(i).bytes
  }
  return out
}

describe('prune on random listings agrees with the documented semantics', () => {
  const FLAGS: Record<string, unknown>[] = [
    { 'older-than': '400d' },
    { before: '2025-03' },
    { where: ['exp=x'] },
    { where: ['exp=1'], serializer: ['joblib'] },
    { prefix: ['q/'] },
    { 'larger-than': '800B' },
    { 'keep-last': '2', per: 'exp' },
    { 'keep-last': '5' },
    { 'max-total': '20kB' },
    { 'max-total': '5kB', 'keep-last': '3', per: 'exp', prefix: ['p/', 'r/'] },
    { filter: ['created>=2024-06', 'created<=2025-02', 'size<500B'], 'max-total': '10kB' },
  ]
  test('120 seeded listings of 200 artifacts', () => {
    const rand = prng(7)
    const now = Date.parse('2026-01-01T00:00:00Z')
    for (let round = 0; round < 120; round++) {
      const listing = randomListing(rand, 200)
      const flags = FLAGS[round % FLAGS.length] as Record<string, unknown>
      const rules = pruneRulesOf(flags)
      const got = selectForPrune(listing, rules, now).chosen.map((i) => i.key)
      expect([round, got]).toEqual([round, oracle(listing, rules, now)])
    }
  })
})
