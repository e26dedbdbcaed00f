import { mkdirSync, promises as fs, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { diagnose } from '../../electron/engine/doctor.js'
import { ownedBy, ownerOf } from '../../electron/engine/ownership.js'
import { CacheStore } from '../../electron/engine/store.js'
import { NESTED, nestedKeysCache } from '../helpers/nested-keys.js'
import { listFiles } from '../helpers/temp.js'

const sidecarOf = (key: string) => `xpersist_metadata_store/${key}.artifact.json`

describe("a payload never includes another key's files (issue 6, item 2)", () => {
  it('deleting a stray sidecar "runs" (doctor: sidecar without payload) keeps the four keys under it', async () => {
    const cache = await nestedKeysCache()
    const store = await CacheStore.open(cache)
    const report = await diagnose(store)
    expect(report.missingPayload).toEqual(['runs'])
    expect(report.orphans).toEqual([])
    const plan = await store.delete('runs')
    expect(plan.entries[0]?.files.map((f) => f.path)).toEqual([sidecarOf('runs')])
    const before = await listFiles(cache)
    // What the explorer's doctor "Delete sidecars without payload" runs:
    const done = await store.deleteMany(report.missingPayload, { dryRun: false })
    expect(done.deleted).toEqual([sidecarOf('runs')])
    expect(await listFiles(cache)).toEqual(before.filter((f) => f !== sidecarOf('runs')))
    for (const key of NESTED.runsKeys) {
      expect(await fs.readFile(path.join(cache, key), 'utf8')).toBe(`payload of ${key}`)
    }
  })

  it('deleting nest/x takes its own chunks and leaves the payload of nest/x/part0', async () => {
    const cache = await nestedKeysCache()
    const store = await CacheStore.open(cache)
    expect((await store.payloadFiles('nest/x')).map((f) => f.path)).toEqual(NESTED.nestOwn)
    const rows = new Map<string, string[]>()
    for await (const info of store.artifacts()) {
      rows.set(
        info.key,
        info.payload.files.map((f) => f.path),
      )
    }
    expect(rows.get('nest/x')).toEqual(NESTED.nestOwn)
    expect(rows.get('runs')).toEqual([])
    const done = await store.delete('nest/x', { dryRun: false })
    expect(done.deleted).toEqual([sidecarOf('nest/x'), ...NESTED.nestOwn])
    expect(await fs.readFile(path.join(cache, 'nest/x/part0'), 'utf8')).toBe(
      'payload of nest/x/part0',
    )
    expect(await store.keys()).toContain('nest/x/part0')
    expect(await diagnose(store)).toMatchObject({ orphans: [], missingPayload: ['runs'] })
  })

  it('a key listed only for a subset listing still leaves nested keys out', async () => {
    const cache = await nestedKeysCache()
    const store = await CacheStore.open(cache, { readonly: true })
    const rows = []
    for await (const info of store.artifacts({ keys: ['nest/x', 'runs'] })) rows.push(info)
    expect(rows.map((r) => r.payload.files.length)).toEqual([2, 0])
  })

  it('re-proves ownership at delete time: a key nested after planning is kept', async () => {
    const cache = await nestedKeysCache()
    const store = await CacheStore.open(cache)
    const plan = await store.deleteMany(['runs/old/notes', 'nest/x'], {
      dryRun: false,
      // After the plan was made and the first key deleted, nest/x/0.0 becomes a key of its own.
      onProgress: ({ done }) => {
        if (done !== 1) return
        const sidecar = path.join(cache, sidecarOf('nest/x/0.0'))
        mkdirSync(path.dirname(sidecar), { recursive: true })
        writeFileSync(sidecar, readFileSync(path.join(cache, sidecarOf('nest/x/part0'))))
      },
    })
    expect(plan.entries[1]?.files.map((f) => f.path)).toContain('nest/x/0.0')
    expect(plan.deleted).not.toContain('nest/x/0.0')
    expect(await fs.readFile(path.join(cache, 'nest/x/0.0'), 'utf8')).toBe('chunk nest/x/0.0')
    await expect(fs.access(path.join(cache, 'nest/x/.zattrs'))).rejects.toThrow()
  })

  it('ownerOf picks the longest key; engine files belong to nobody', () => {
    const keys = new Set(['runs', 'runs/2022/config', 'nest/x', 'nest/x/part0'])
    expect(ownerOf('runs/2022/config', keys)).toBe('runs/2022/config')
    expect(ownerOf('runs/2022/other', keys)).toBe('runs')
    expect(ownerOf('nest/x/part0', keys)).toBe('nest/x/part0')
    expect(ownerOf('nest/x/0.0', keys)).toBe('nest/x')
    expect(ownerOf('nest/x/.xpersist-journal/j', keys)).toBeUndefined()
    expect(ownerOf('nest/x/.c.xpersist-tmp-ab12', keys)).toBeUndefined()
    expect(ownerOf('elsewhere', keys)).toBeUndefined()
    expect(ownedBy('nest/x/part0', 'nest/x', keys)).toBe(false)
    expect(ownedBy('nest/x/0.0', 'nest/x', keys)).toBe(true)
    expect(ownedBy('nest/xy', 'nest/x', keys)).toBe(false)
    expect(ownedBy('a/b', 'a', new Set())).toBe(true)
  })
})
