import { spawnSync } from 'node:child_process'
import { promises as fs } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Backend } from '../../electron/engine/backend/backend.js'
import { diagnose } from '../../electron/engine/doctor.js'
import { encodeJournal, lockPathOf, newJournal } from '../../electron/engine/key-lock.js'
import { fingerprint } from '../../electron/engine/lock-repair.js'
import { CacheStore } from '../../electron/engine/store.js'
import { encodeSidecar } from '../../electron/engine/sidecar.js'
import { listFiles, tempDir } from '../helpers/temp.js'

const KEY = 'runs/a'
const csv = (id: number) => new TextEncoder().encode(`,writer\n0,${id}\n`)

async function fresh() {
  const dir = path.join(await tempDir(), 'cache')
  return { dir, store: await CacheStore.open(dir, { onDuplicateKey: 'overwrite' }) }
}

/** Whose artifact the key is (serializer and payload agree with the sidecar's writer), or 'mixed'. */
async function whose(store: CacheStore, key: string): Promise<number | 'mixed'> {
  try {
    const a = await store.getArtifact(key)
    const value = (await store.get(key)) as {
      getChild?: (n: string) => { get: (i: number) => unknown } | null
      get: (k: string) => unknown
    }
    const isCsv = a.serializer === 'pandas.csv'
    const writer = Number(isCsv ? value.getChild?.('writer')?.get(0) : value.get('writer'))
    return writer === a.additional_metadata.writer && writer % 2 === (isCsv ? 0 : 1)
      ? writer
      : 'mixed'
  } catch {
    return 'mixed'
  }
}

const putCsv = (store: CacheStore, id: number) =>
  store.importPayload(KEY, csv(id), {
    serializer: 'pandas.csv',
    additionalMetadata: { writer: id },
  })
const putPickle = (store: CacheStore, id: number) =>
  store.put(KEY, { writer: id }, { serializer: 'joblib', additionalMetadata: { writer: id } })

/** A pid that belonged to a process that has exited. */
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '']).pid as number
}

/** Calls `after` once, right after the first put of `target` on `backend` resolves. */
function afterPut(backend: Backend, target: string, after: () => Promise<void>): void {
  const put = backend.put.bind(backend)
  let fired = false
  backend.put = async (p, data, options) => {
    const meta = await put(p, data, options)
    if (p === target && !fired) {
      fired = true
      await after()
    }
    return meta
  }
}

describe('overwrite holds a per-key lock across payload and sidecar', () => {
  it('a second overwriter never lands between the first one payload and sidecar', async () => {
    const { dir, store: a } = await fresh()
    await putCsv(a, 0)
    const b = await CacheStore.open(dir, { onDuplicateKey: 'overwrite' })
    // B is let loose while A sits between its payload and its sidecar; A goes on once B has
    // finished, or once B is seen waiting for the lock.
    let bWaits!: () => void
    const bBlocked = new Promise<void>((resolve) => (bWaits = resolve))
    const bPut = b.backend.put.bind(b.backend)
    b.backend.put = async (p, data, options) =>
      bPut(p, data, options).catch((err) => {
        if (p.startsWith('.xpersist-locks/')) bWaits()
        throw err
      })
    let bDone!: Promise<unknown>
    afterPut(a.backend, KEY, async () => {
      bDone = putPickle(b, 1)
      await Promise.race([bDone, bBlocked])
    })
    await putCsv(a, 2)
    await bDone
    expect(await whose(a, KEY)).toBe(1)
    expect(await listFiles(dir)).toEqual([KEY, `xpersist_metadata_store/${KEY}.artifact.json`])
  })

  it('doctor does not call the payload of a put under way an orphan (so cleaning cannot race it)', async () => {
    const { store } = await fresh()
    let seen: string[] = []
    afterPut(store.backend, KEY, async () => {
      seen = (await diagnose(store)).orphans.map((o) => o.path)
    })
    await putCsv(store, 0)
    expect(seen).toEqual([])
    expect(await whose(store, KEY)).toBe(0)
  })

  it('a write that fails after its payload is repaired at once to the new artifact', async () => {
    const { dir, store } = await fresh()
    await putCsv(store, 0)
    const put = store.backend.put.bind(store.backend)
    let failed = false
    store.backend.put = async (p, data, options) => {
      if (p.startsWith('xpersist_metadata_store/') && !failed) {
        failed = true
        throw new Error('disk hiccup')
      }
      return put(p, data, options)
    }
    await expect(putPickle(store, 1)).rejects.toThrow('disk hiccup')
    expect(await whose(store, KEY)).toBe(1)
    expect((await diagnose(store)).ok).toBe(true)
    expect(await listFiles(dir)).toEqual([KEY, `xpersist_metadata_store/${KEY}.artifact.json`])
  })
})

describe('stale locks', () => {
  /** Leaves what a put of writer 1 killed right after its payload leaves, with a dead pid. */
  async function interruptedPut(store: CacheStore) {
    await putCsv(store, 0)
    const journal = {
      ...newJournal('put', KEY),
      pid: deadPid(),
      oldPayload: await fingerprint(store, KEY),
    }
    const artifact = { ...(await store.getArtifact(KEY)), serializer: 'joblib' }
    artifact.additional_metadata = { writer: 1 }
    journal.newSidecar = new TextDecoder().decode(encodeSidecar(artifact))
    await store.backend.put(lockPathOf(KEY), encodeJournal(journal), { mode: 'create' })
    const scratch = await CacheStore.open(path.join(await tempDir(), 'scratch'))
    await putPickle(scratch, 1)
    await store.backend.put(KEY, (await scratch.backend.get(KEY)) as Uint8Array)
  }

  it('two repairers and a writer racing on one stale lock leave one whole artifact', async () => {
    const { dir, store } = await fresh()
    await interruptedPut(store)
    expect(await whose(store, KEY)).toBe('mixed')
    const other = await CacheStore.open(dir)
    await Promise.all([
      store.repairInterrupted({ dryRun: false }),
      other.repairInterrupted({ dryRun: false }),
      other.updateMetadata(KEY, { writer: 1, note: 'x' }),
    ])
    expect((await store.getArtifact(KEY)).serializer).toBe('joblib')
    expect((await store.get(KEY)) as Map<string, unknown>).toEqual(new Map([['writer', 1]]))
    expect(await listFiles(dir)).toEqual([KEY, `xpersist_metadata_store/${KEY}.artifact.json`])
  })

  it('an unreadable lock is reported and removed; lock files are never keys or orphans', async () => {
    const { dir, store } = await fresh()
    await putCsv(store, 0)
    await fs.mkdir(path.join(dir, '.xpersist-locks'), { recursive: true })
    await fs.writeFile(path.join(dir, '.xpersist-locks', 'junk.json'), '{not json')
    const odd = { ...newJournal('put', 'x'), pid: deadPid(), oldPayload: 'everything' }
    await fs.writeFile(path.join(dir, lockPathOf('x')), JSON.stringify(odd))
    expect(await store.keys()).toEqual([KEY])
    const report = await diagnose(store)
    expect(report.orphans).toEqual([])
    expect(report.interrupted).toEqual([
      expect.objectContaining({ lock: lockPathOf('x'), key: null, op: null }),
      { lock: '.xpersist-locks/junk.json', key: null, op: null, repair: expect.any(String) },
    ])
    expect((await store.repairInterrupted({ dryRun: false })).repaired).toHaveLength(2)
    expect((await diagnose(store)).ok).toBe(true)
    expect(await whose(store, KEY)).toBe(0)
  })

  it('a journal never removes another key files (a cache is untrusted input)', async () => {
    const { dir, store } = await fresh()
    await putCsv(store, 0)
    await store.put('other', 1)
    const journal = {
      ...newJournal('delete', 'gone'),
      pid: deadPid(),
      oldPayload: [
        { path: 'other', etag: '' },
        { path: KEY, etag: '' },
      ],
    }
    await store.backend.put(lockPathOf('gone'), encodeJournal(journal))
    await store.repairInterrupted({ dryRun: false })
    expect(await listFiles(dir)).toEqual([
      'other',
      KEY,
      'xpersist_metadata_store/other.artifact.json',
      `xpersist_metadata_store/${KEY}.artifact.json`,
    ])
  })

  it("a delete journal of a folder key never takes a nested key's payload", async () => {
    const { dir, store } = await fresh()
    await store.put('nest/x/part0', 1) // its own key, under the folder of key nest/x
    await fs.mkdir(path.join(dir, 'nest', 'x'), { recursive: true })
    await fs.writeFile(path.join(dir, 'nest', 'x', 'chunk'), 'folder payload of nest/x')
    await fs.writeFile(path.join(dir, 'xpersist_metadata_store', 'nest', 'x.artifact.json'), '{}')
    const journal = {
      ...newJournal('delete', 'nest/x'),
      pid: deadPid(),
      oldPayload: [
        { path: 'nest/x/chunk', etag: '' },
        { path: 'nest/x/part0', etag: '' },
      ],
    }
    await store.backend.put(lockPathOf('nest/x'), encodeJournal(journal))
    await store.repairInterrupted({ dryRun: false })
    expect(await listFiles(dir)).toEqual([
      'nest/x/part0',
      'xpersist_metadata_store/nest/x/part0.artifact.json',
    ])
    expect(await store.get('nest/x/part0')).toBe(1)
  })

  it('refuses keys inside the lock folder', async () => {
    const { store } = await fresh()
    await expect(store.put('.xpersist-locks/x', 1)).rejects.toMatchObject({ code: 'INVALID_KEY' })
  })
})
