// Saved rule sets: per cache, in the user's config beside recent.json (never in the cache),
// written whole and renamed, hostile names kept as data, bounded.
import { promises as fs } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { invoke } from '../../electron/ipc/router.js'
import { SAVED_RULES_LIMITS, SavedRules } from '../../electron/ipc/saved-rules.js'
import { ExplorerSession } from '../../electron/ipc/session.js'
import { emptyRuleSet } from '../../shared/rule-set.js'
import { call } from '../helpers/ipc-call.js'
import { fixtureCopy, listFiles, tempDir } from '../helpers/temp.js'

const rules = (patch: object) => ({ ...emptyRuleSet(), ...patch })

async function setUp() {
  const config = await tempDir('xp-rules-config-')
  const session = new ExplorerSession({
    mode: 'browser',
    initial: null,
    recentFile: path.join(config, 'recent.json'),
  })
  const a = await fixtureCopy()
  const b = await fixtureCopy()
  const before = [await listFiles(a), await listFiles(b)]
  const idA = (await call(session, 'cache.open', { location: a })).cacheId
  const idB = (await call(session, 'cache.open', { location: b })).cacheId
  return { config, session, a, b, idA, idB, before }
}

describe('saved rule sets', () => {
  it('are kept per cache in the config folder, and nothing is written in a cache', async () => {
    const { config, session, a, b, idA, idB, before } = await setUp()
    const saved = await call(session, 'rules.save', {
      cacheId: idA,
      name: ' old runs ',
      rules: { olderThan: '365d', where: [{ field: 'exp', value: 'old' }] },
    })
    expect(saved).toMatchObject([
      {
        name: 'old runs',
        rules: rules({ olderThan: '365d', where: [{ field: 'exp', value: 'old' }] }),
      },
    ])
    expect(await call(session, 'rules.list', { cacheId: idB })).toEqual([])
    await call(session, 'rules.save', { cacheId: idB, name: 'cap', rules: { maxTotal: '50GB' } })
    expect((await call(session, 'rules.list', { cacheId: idA })).map((s) => s.name)).toEqual([
      'old runs',
    ])
    expect([await listFiles(a), await listFiles(b)]).toEqual(before)
    // One file beside recent.json, no temp file left, and it reads back in a new session.
    expect((await fs.readdir(config)).sort()).toEqual(['cleanup-rules.json', 'recent.json'])
    const next = new ExplorerSession({
      mode: 'browser',
      initial: null,
      recentFile: path.join(config, 'recent.json'),
    })
    const again = (await call(next, 'cache.open', { location: a })).cacheId
    expect((await call(next, 'rules.list', { cacheId: again })).map((s) => s.name)).toEqual([
      'old runs',
    ])
    expect(await call(session, 'rules.delete', { cacheId: idA, name: 'old runs' })).toEqual([])
    const bad = await invoke(session, 'rules.delete', { cacheId: idA, name: 'old runs' })
    expect(bad).toMatchObject({ ok: false, error: { message: /no saved rule set 'old runs'/ } })
  })

  it('refuses a bad rule or name with the field at fault, saving nothing', async () => {
    const { config, session, idA } = await setUp()
    const badRule = await invoke(session, 'rules.save', {
      cacheId: idA,
      name: 'x',
      rules: { largerThan: '5M' },
    })
    expect(badRule).toMatchObject({ ok: false, error: { message: /Larger than takes a size/ } })
    const noName = await invoke(session, 'rules.save', { cacheId: idA, name: '  ', rules: {} })
    expect(noName).toMatchObject({ ok: false, error: { message: /Give the rule set a name/ } })
    expect(await fs.readdir(config)).toEqual(['recent.json'])
  })

  it('keeps hostile names as data: __proto__, constructor, toString', async () => {
    const file = path.join(await tempDir('xp-rules-'), 'cleanup-rules.json')
    const store = new SavedRules(file)
    for (const url of ['__proto__', 'constructor', 'file:///c'])
      for (const name of ['__proto__', 'constructor', 'toString'])
        await store.save(url, name, rules({ olderThan: '1d', per: '' }))
    const fresh = new SavedRules(file)
    expect((await fresh.list('__proto__')).map((s) => s.name)).toEqual([
      '__proto__',
      'constructor',
      'toString',
    ])
    expect(await fresh.list('hasOwnProperty')).toEqual([])
    expect(({} as Record<string, unknown>).olderThan).toBeUndefined()
    expect(Object.prototype).not.toHaveProperty('olderThan')
  })

  it('serialises concurrent saves and never leaves a half-written or temp file', async () => {
    const dir = await tempDir('xp-rules-')
    const file = path.join(dir, 'cleanup-rules.json')
    const store = new SavedRules(file)
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => store.save('file:///c', `set ${i}`, rules({}))),
    )
    expect(await new SavedRules(file).list('file:///c')).toHaveLength(20)
    expect(await fs.readdir(dir)).toEqual(['cleanup-rules.json'])
    JSON.parse(await fs.readFile(file, 'utf8'))
  })

  it('keeps an unreadable file instead of saving over it', async () => {
    const dir = await tempDir('xp-rules-')
    const file = path.join(dir, 'cleanup-rules.json')
    await fs.writeFile(file, '{"version": 1, "caches": [')
    const store = new SavedRules(file)
    expect(await store.list('file:///c')).toEqual([])
    await expect(store.save('file:///c', 'x', rules({}))).rejects.toThrow(/cannot be read.*move/)
    expect(await fs.readFile(file, 'utf8')).toBe('{"version": 1, "caches": [')
  })

  it('is bounded: sets per cache refused past the cap, the oldest cache forgotten', async () => {
    const store = new SavedRules(null)
    for (let i = 0; i < SAVED_RULES_LIMITS.setsPerCache; i++)
      await store.save('u', `s${i}`, rules({}))
    await expect(store.save('u', 'one more', rules({}))).rejects.toMatchObject({
      code: 'LIMIT_EXCEEDED',
    })
    await store.save('u', 's0', rules({ olderThan: '2d' })) // replacing is fine
    for (let i = 0; i < SAVED_RULES_LIMITS.caches; i++) await store.save(`c${i}`, 'x', rules({}))
    expect(await store.list('u')).toEqual([])
    expect(await store.list(`c${SAVED_RULES_LIMITS.caches - 1}`)).toHaveLength(1)
  })
})
