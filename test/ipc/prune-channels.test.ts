// prune.plan against a generated cache whose answer is known for every rule (the engine's
// prune tests use the same one), through the router as the Clean up dialog calls it.
import path from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { invoke } from '../../electron/ipc/router.js'
import { ExplorerSession } from '../../electron/ipc/session.js'
import type { RuleSet } from '../../shared/rule-set.js'
import { writeGeneratedCache, type GeneratedArtifact } from '../helpers/generated-cache.js'
import { call } from '../helpers/ipc-call.js'
import { ARTIFACTS, NOW } from '../helpers/prune-artifacts.js'
import { listFiles, tempDir } from '../helpers/temp.js'

let dir: string
let sizes: Map<string, number>

beforeAll(async () => {
  dir = path.join(await tempDir('xp-prune-ipc-'), 'cache')
  sizes = await writeGeneratedCache(dir, ARTIFACTS)
})

const sum = (keys: string[]) => keys.reduce((s, k) => s + (sizes.get(k) as number), 0)

async function opened(location = dir) {
  const session = new ExplorerSession({ mode: 'browser', initial: null, now: () => NOW })
  const { cacheId } = await call(session, 'cache.open', { location, readonly: true })
  return { session, cacheId }
}

/** Rules as typed -> keys chosen (oldest first) and what "keep the last" protects. */
const CASES: [Partial<RuleSet>, string[], number][] = [
  [{ olderThan: '365d' }, ['c/1', 'a/1', 'b/1', 'a/2'], 0],
  [{ before: '2025' }, ['c/1', 'a/1', 'b/1', 'a/2'], 0],
  [{ where: [{ field: 'exp', value: 'a' }], olderThan: '365d' }, ['a/1', 'a/2'], 0],
  [{ serializers: ['pandas.csv'] }, ['b/1', 'a/3'], 0],
  [{ prefixes: ['c/'] }, ['c/1', 'c/2'], 0],
  [{ largerThan: '650kB' }, ['c/1', 'c/2', 'u/none'], 0],
  [{ keepLast: '1', per: 'exp' }, ['c/1', 'a/1', 'b/1', 'a/2', 'a/3'], 3],
  // The whole readable scope is 46 U: oldest first until at most 35 U.
  [{ maxTotal: '3.5MB' }, ['c/1', 'a/1', 'b/1'], 0],
  // a/4, b/2 and c/2 protected: c/1 alone brings it under 4 MB.
  [{ maxTotal: '4MB', keepLast: '1', per: 'exp' }, ['c/1'], 3],
]

describe('prune.plan', () => {
  it.each(CASES)('%j', async (rules, expected, kept) => {
    const { session, cacheId } = await opened()
    const plan = await call(session, 'prune.plan', { cacheId, rules, keys: 'all' })
    expect(plan).toMatchObject({ hasRules: true, listed: ARTIFACTS.length, kept, broken: 1 })
    expect(plan.keys).toEqual(expected)
    expect(plan.count).toBe(expected.length)
    expect(plan.bytes).toBe(sum(expected))
    // The delete flow's own plan of those keys frees the same bytes.
    const rm = await call(session, 'delete.plan', { cacheId, keys: plan.keys })
    expect(rm.bytes).toBe(plan.bytes)
  })

  it('says how far each rule narrows, the dates chosen, and what it could not judge', async () => {
    const { session, cacheId } = await opened()
    const plan = await call(session, 'prune.plan', {
      cacheId,
      rules: { olderThan: '365d', where: [{ field: 'exp', value: 'a' }] },
    })
    expect(plan.steps).toEqual([
      { rule: 'Older than 365d', count: 4 },
      { rule: 'Metadata exp=a', count: 2 },
    ])
    expect(plan.oldestMs).toBe(Date.parse('2024-01-10T00:00:00Z'))
    expect(plan.newestMs).toBe(Date.parse('2024-06-10T00:00:00Z'))
    expect(plan.undated).toBe(1) // u/none has exp=a and no created_at: kept
    const max = await call(session, 'prune.plan', {
      cacheId,
      rules: { maxTotal: '2MB', keepLast: '1', per: 'exp' },
    })
    expect(max.overBy).toBe(max.remainingBytes - 2_000_000)
    expect(max.overBy).toBeGreaterThan(0)
    expect(max.maxTotal).toBe(2_000_000)
  })

  it('chooses nothing without a rule, and sends a sample of keys unless asked for all', async () => {
    const { session, cacheId } = await opened()
    const none = await call(session, 'prune.plan', { cacheId, rules: {} })
    expect(none).toMatchObject({ hasRules: false, count: 0, keys: [], bytes: 0 })
    const some = await call(session, 'prune.plan', { cacheId, rules: { olderThan: '0h' } })
    expect(some.count).toBe(8)
    expect(some.keys).toHaveLength(8) // under the sample size: all of them
  })

  it('reuses the listing while the user types, and lists again when asked fresh', async () => {
    const location = path.join(await tempDir('xp-prune-ipc-'), 'cache')
    await writeGeneratedCache(location, ARTIFACTS.slice(0, 2))
    const { session, cacheId } = await opened(location)
    const rules = { prefixes: ['a/'] }
    expect((await call(session, 'prune.plan', { cacheId, rules })).count).toBe(2)
    await writeGeneratedCache(location, [{ ...(ARTIFACTS[0] as GeneratedArtifact), key: 'a/new' }])
    expect((await call(session, 'prune.plan', { cacheId, rules, fresh: false })).count).toBe(2)
    expect((await call(session, 'prune.plan', { cacheId, rules, fresh: true })).count).toBe(3)
  })

  it('refuses bad rules with the field and a valid value, and writes nothing', async () => {
    const { session, cacheId } = await opened()
    const before = await listFiles(dir)
    const cases: [Partial<RuleSet>, RegExp][] = [
      [{ olderThan: '6m' }, /olderThan: Older than takes a duration such as 365d.*months/],
      [{ before: '2025-13' }, /before: Created before takes a UTC date/],
      [{ maxTotal: '50' }, /Keep the cache under takes a size such as 50GB.*'50MB'/],
      [{ keepLast: '0' }, /Keep the last takes a whole number of 1 or more/],
      [{ per: 'exp' }, /Per field goes with Keep the last/],
      [{ where: [{ field: '', value: 'x' }] }, /has no field name/],
      [{ prefixes: Array(33).fill('p') }, /prefixes/],
    ]
    for (const [rules, message] of cases) {
      const r = await invoke(session, 'prune.plan', { cacheId, rules })
      expect(r.ok).toBe(false)
      if (!r.ok) expect([rules, r.error.message]).toEqual([rules, expect.stringMatching(message)])
    }
    expect(await listFiles(dir)).toEqual(before)
  })
})
