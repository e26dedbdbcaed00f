// One bad entry in a cache (a sidecar whose name is no valid key, a link, a file where a folder
// should be, metadata nested absurdly deep) becomes one broken row that doctor reports; every
// other key still lists (issue 6: one bad entry emptied the whole listing).
import { promises as fs } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { diagnose } from '../../electron/engine/doctor.js'
import { sidecarNameProblem, validateKey } from '../../electron/engine/keys.js'
import { stringifyJson } from '../../electron/engine/pyvalue-json.js'
import { encodeSidecar } from '../../electron/engine/sidecar.js'
import { CacheStore } from '../../electron/engine/store.js'
import { invoke } from '../../electron/ipc/router.js'
import { ExplorerSession } from '../../electron/ipc/session.js'
import type { ArtifactRow } from '../../shared/ipc.js'
import type { ArtifactInfo } from '../../shared/store-types.js'
import { runCli } from '../helpers/cli.js'
import { listFiles, tempDir } from '../helpers/temp.js'

const META = 'xpersist_metadata_store'
const GOOD = ['filed', 'good-1', 'nested/good-2']

function sidecarText(key: string, additional: Record<string, unknown> = {}): Uint8Array {
  return encodeSidecar({
    key,
    serializer: 'joblib',
    load_kwargs: {},
    dump_kwargs: {},
    additional_metadata: additional,
    created_at: '2026-01-01T00:00:00.000000',
  })
}

/** Writes `key`'s sidecar at its file name (which need not be a valid key) and its payload. */
async function entry(root: string, name: string, payload: string | null = 'x'): Promise<void> {
  const file = path.join(root, META, `${name}.artifact.json`)
  await fs.mkdir(path.dirname(file), { recursive: true })
  await fs.writeFile(file, sidecarText(name))
  if (payload !== null) {
    await fs.mkdir(path.dirname(path.join(root, name)), { recursive: true })
    await fs.writeFile(path.join(root, name), payload)
  }
}

/** A cache with three good keys and one entry of every bad kind issue 6 lists. */
async function badCache(): Promise<{ root: string; outside: string }> {
  const root = path.join(await tempDir(), 'cache')
  const outside = await tempDir('xp-outside-')
  await fs.writeFile(path.join(outside, 'secret'), 'outside secret')
  await fs.mkdir(path.join(outside, 'dir'))
  await fs.writeFile(path.join(outside, 'dir', 'x'), 'outside secret')
  await fs.writeFile(path.join(outside, 'sidecar.json'), sidecarText('linked-sidecar'))
  for (const key of GOOD) await entry(root, key)
  // sidecar names that are no valid key
  await entry(root, 'back\\slash')
  await fs.writeFile(path.join(root, META, '..artifact.json'), sidecarText('.'))
  // a symlinked payload file, a symlinked key folder, a symlinked folder payload
  await entry(root, 'linked-payload', null)
  await fs.symlink(path.join(outside, 'secret'), path.join(root, 'linked-payload'))
  await entry(root, 'linked-dir/x', null)
  await fs.symlink(path.join(outside, 'dir'), path.join(root, 'linked-dir'))
  await entry(root, 'zarr-link', null)
  await fs.symlink(path.join(outside, 'dir'), path.join(root, 'zarr-link'))
  // a file where a folder is expected: 'filed' is a file, yet a key 'filed/inner' exists
  await entry(root, 'filed/inner', null)
  // metadata nested 50,000 deep
  const deep = `${'['.repeat(50_000)}${']'.repeat(50_000)}`
  await fs.writeFile(
    path.join(root, META, 'deep.artifact.json'),
    `{"key": "deep", "serializer": "joblib", "additional_metadata": {"x": ${deep}}}`,
  )
  await fs.writeFile(path.join(root, 'deep'), 'x')
  // a symlinked sidecar, whose payload is real
  await fs.symlink(
    path.join(outside, 'sidecar.json'),
    path.join(root, META, 'linked-sidecar.artifact.json'),
  )
  await fs.writeFile(path.join(root, 'linked-sidecar'), 'x')
  return { root, outside }
}

const BAD = [
  '.',
  'back\\slash',
  'filed/inner',
  'linked-dir/x',
  'linked-payload',
  'linked-sidecar',
  'zarr-link',
]

describe('listing a cache with bad entries', () => {
  it('artifacts(): each bad entry is a broken row, every good key lists', async () => {
    const { root } = await badCache()
    const store = await CacheStore.open(root, { readonly: true })
    const rows: ArtifactInfo[] = []
    for await (const info of store.artifacts({ batchSize: 4 })) rows.push(info)
    // one key per batch: a bad entry alone in its batch is still only its own row
    const single: ArtifactInfo[] = []
    for await (const info of store.artifacts({ batchSize: 1 })) single.push(info)
    const summary = (r: ArtifactInfo) => [r.key, r.error, r.payload.bytes]
    expect(single.map(summary)).toEqual(rows.map(summary))
    const byKey = new Map(rows.map((r) => [r.key, r]))
    for (const key of GOOD) {
      expect(byKey.get(key)).toMatchObject({ error: null, artifact: { key } })
      expect(byKey.get(key)?.payload.bytes).toBe(1)
    }
    for (const key of BAD)
      expect(byKey.get(key)?.error, key).toMatchObject({ code: expect.any(String) })
    expect(byKey.get('back\\slash')?.error?.code).toBe('INVALID_KEY')
    expect(byKey.get('linked-sidecar')?.error?.message).toMatch(/symbolic link/)
    expect(byKey.get('linked-payload')?.error?.message).toMatch(/symbolic link/)
    expect(byKey.get('filed/inner')?.error?.message).toMatch(/file where a folder is needed/)
    expect(byKey.has('deep')).toBe(true)
    expect(rows.map((r) => r.key)).toEqual([...rows.map((r) => r.key)].sort())
  })

  it('keys() holds only names that are valid keys', async () => {
    const { root } = await badCache()
    const store = await CacheStore.open(root, { readonly: true })
    const keys = await store.keys()
    expect(keys).toEqual(expect.arrayContaining(GOOD))
    expect(keys).not.toContain('.')
    expect(keys).not.toContain('back\\slash')
    expect(keys).toContain('linked-sidecar')
  })

  it('getArtifacts in bulk: a linked sidecar fails alone', async () => {
    const { root } = await badCache()
    const store = await CacheStore.open(root, { readonly: true })
    const got = await store.getArtifacts(['good-1', 'linked-sidecar', 'nested/good-2'])
    expect(got.map((r) => r.error?.code ?? null)).toEqual([null, 'PERMISSION_DENIED', null])
  })

  it('doctor reports every bad entry and still checks the good keys', async () => {
    const { root, outside } = await badCache()
    const store = await CacheStore.open(root, { readonly: true })
    const report = await diagnose(store)
    const broken = report.brokenSidecars.map((b) => b.key)
    for (const key of BAD) expect(broken, key).toContain(key)
    for (const key of GOOD) expect(broken).not.toContain(key)
    expect(report.missingPayload).not.toEqual(expect.arrayContaining(GOOD))
    // the linked sidecar's payload belongs to it: not an orphan
    expect(report.orphans.map((o) => o.path)).not.toContain('linked-sidecar')
    expect(report.brokenSidecars.find((b) => b.key === 'linked-sidecar')?.error.message).toMatch(
      /symbolic link; xpersist never follows links/,
    )
    expect(report.ok).toBe(false)
    expect(await listFiles(outside)).toEqual(['dir/x', 'secret', 'sidecar.json'])
  })

  it('cache.list pages every row, and each page serialises', async () => {
    const { root } = await badCache()
    const session = new ExplorerSession({ mode: 'browser', initial: null })
    const open = await invoke(session, 'cache.open', { location: root, readonly: true })
    if (!open.ok) throw new Error(open.error.message)
    const rows: ArtifactRow[] = []
    let cursor: string | null = null
    do {
      const page = await invoke(session, 'cache.list', {
        cacheId: (open.data as { cacheId: string }).cacheId,
        cursor,
        limit: 3,
      })
      expect(page.ok).toBe(true)
      // what browser mode sends; a row that cannot be sent must not sink its page
      expect(() => stringifyJson(page)).not.toThrow()
      const data = page.ok ? (page.data as { rows: ArtifactRow[]; cursor: string | null }) : null
      rows.push(...(data?.rows ?? []))
      cursor = data?.cursor ?? null
    } while (cursor)
    const byKey = new Map(rows.map((r) => [r.key, r]))
    for (const key of GOOD)
      expect(byKey.get(key)).toMatchObject({ error: null, serializer: 'joblib' })
    for (const key of BAD) expect(byKey.get(key)?.error, key).not.toBeNull()
    expect(byKey.has('deep')).toBe(true)
  })

  it('the CLI ls --long --json lists every row; ls lists the valid keys', async () => {
    const { root } = await badCache()
    const r = await runCli(['ls', root, '--long', '--json'])
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    const rows = JSON.parse(r.stdout) as { key: string; error: unknown }[]
    const byKey = new Map(rows.map((row) => [row.key, row]))
    for (const key of GOOD) expect(byKey.get(key)?.error).toBeNull()
    for (const key of BAD) expect(byKey.get(key)?.error, key).not.toBeNull()
    const plain = await runCli(['ls', root, '--json'])
    expect(JSON.parse(plain.stdout)).toEqual(expect.arrayContaining(GOOD))
    const doctor = await runCli(['doctor', root, '--json'])
    expect(doctor.code).toBe(1)
    const broken = JSON.parse(doctor.stdout).brokenSidecars.map((b: { key: string }) => b.key)
    expect(broken).toEqual(expect.arrayContaining(BAD))
  })

  it('deleting a bad row is refused, naming why, and removes nothing', async () => {
    const { root, outside } = await badCache()
    const store = await CacheStore.open(root)
    const before = await listFiles(root)
    await expect(store.delete('back\\slash', { dryRun: false })).rejects.toMatchObject({
      code: 'INVALID_KEY',
    })
    for (const key of ['linked-sidecar', 'linked-payload', 'linked-dir/x']) {
      await expect(store.delete(key, { dryRun: false }), key).rejects.toMatchObject({
        code: 'PERMISSION_DENIED',
        message: expect.stringMatching(/symbolic link/),
      })
    }
    expect(await listFiles(root)).toEqual(before)
    expect(await listFiles(outside)).toEqual(['dir/x', 'secret', 'sidecar.json'])
  })
})

describe('sidecarNameProblem', () => {
  it('agrees with validateKey, its fast path included', () => {
    const names = [
      'a',
      'a/b.c',
      '-x',
      'a.',
      '.hidden',
      '.',
      '..',
      'a/../b',
      'a//b',
      'a/',
      'back\\slash',
      'C:x',
      'xpersist_metadata_store',
      'xpersist_metadata_store/k',
      'k/xpersist_metadata_store',
      'a/.b.xpersist-tmp-0a1b',
      'x'.repeat(1024),
      'x'.repeat(1025),
      'é'.repeat(600),
      'nul\0',
    ]
    for (const name of names) {
      let valid = true
      try {
        validateKey(name)
      } catch {
        valid = false
      }
      expect(sidecarNameProblem(name) === null, name).toBe(valid)
    }
  })
})
