import { execFile, spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import path from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { CacheStore } from '../../electron/engine/store.js'
import { diagnose } from '../../electron/engine/doctor.js'
import { runCli } from '../helpers/cli.js'
import { listFiles, REPO, tempDir } from '../helpers/temp.js'

const run = promisify(execFile)
const ENGINE = path.join(REPO, 'dist', 'electron', 'engine', 'index.js')
const CHILD = path.join(REPO, 'test', 'helpers', 'writer-child.js')
const KEY = 'race/key'
const SIDECAR = `xpersist_metadata_store/${KEY}.artifact.json`

type Command = {
  op: 'put' | 'metadata' | 'delete'
  key: string
  id: number
  policy?: string
  startAt?: number
  crash?: { at: number | 'payload' | 'sidecar'; when: 'before' | 'after'; how: 'kill' | 'ready' }
}

/** Runs one writer process to its end (or its death); its last stdout line. */
async function child(dir: string, cmd: Command): Promise<string> {
  const args = [CHILD, ENGINE, dir, JSON.stringify(cmd)]
  try {
    return (await run(process.execPath, args)).stdout.trim()
  } catch (err) {
    return `died ${(err as { signal?: string }).signal ?? ''}`.trim()
  }
}

/**
 * Whose artifact `key` is: the writer id when payload and sidecar are one writer's (its
 * serializer, its writer id; an edit keeps the payload's writer), null when absent, 'mixed'.
 */
async function whose(store: CacheStore, key: string): Promise<number | null | 'mixed'> {
  if (!(await store.has(key))) return null
  try {
    const a = await store.getArtifact(key)
    const value = (await store.get(key)) as {
      getChild?: (n: string) => { get: (i: number) => unknown } | null
      get: (k: string) => unknown
    }
    const csv = a.serializer === 'pandas.csv'
    const writer = Number(csv ? value.getChild?.('writer')?.get(0) : value.get('writer'))
    if (!Number.isInteger(writer) || writer % 2 !== (csv ? 0 : 1)) return 'mixed'
    if (!a.additional_metadata.edited && a.additional_metadata.writer !== writer) return 'mixed'
    return writer
  } catch {
    return 'mixed'
  }
}

async function cacheWith(id: number): Promise<string> {
  expect(existsSync(ENGINE), `${ENGINE} missing: run npm run build first`).toBe(true)
  const dir = path.join(await tempDir(), 'cache')
  await CacheStore.open(dir)
  expect(await child(dir, { op: 'put', key: KEY, id })).toMatch(/^done/)
  return dir
}

describe('a writer killed between payload and sidecar', () => {
  it('overwrite csv -> pickle: doctor reports the interrupted put and repairs it to the new artifact', async () => {
    const dir = await cacheWith(0)
    const died = await child(dir, {
      op: 'put',
      key: KEY,
      id: 1,
      crash: { at: 'payload', when: 'after', how: 'kill' },
    })
    expect(died).toBe('died SIGKILL')
    const store = await CacheStore.open(dir)
    const report = await diagnose(store)
    expect(report.ok).toBe(false)
    expect(report.interrupted).toEqual([
      expect.objectContaining({ key: KEY, op: 'put', repair: expect.stringMatching(/joblib/) }),
    ])
    const plan = await store.repairInterrupted()
    expect(plan.dryRun).toBe(true)
    expect(await whose(store, KEY)).toBe('mixed') // the dry run changed nothing
    await store.repairInterrupted({ dryRun: false })
    expect(await whose(store, KEY)).toBe(1)
    expect((await diagnose(store)).ok).toBe(true)
    expect(await listFiles(dir)).toEqual([KEY, SIDECAR])
  }, 60_000)

  it('the next write of the key repairs it first (a metadata edit keeps the completed put)', async () => {
    const dir = await cacheWith(2)
    await child(dir, {
      op: 'put',
      key: KEY,
      id: 3,
      crash: { at: 'payload', when: 'after', how: 'kill' },
    })
    expect(await child(dir, { op: 'metadata', key: KEY, id: 5 })).toMatch(/^done/)
    const store = await CacheStore.open(dir)
    expect(await whose(store, KEY)).toBe(3)
    expect((await store.getArtifact(KEY)).additional_metadata).toEqual({ writer: 5, edited: true })
    expect((await diagnose(store)).ok).toBe(true)
  }, 60_000)

  it('killed before the payload: the old artifact stays, and the lock is cleaned', async () => {
    const dir = await cacheWith(4)
    await child(dir, {
      op: 'put',
      key: KEY,
      id: 7,
      crash: { at: 'payload', when: 'before', how: 'kill' },
    })
    const store = await CacheStore.open(dir)
    expect(await whose(store, KEY)).toBe(4)
    expect((await diagnose(store)).interrupted).toHaveLength(1)
    await store.repairInterrupted({ dryRun: false })
    expect(await whose(store, KEY)).toBe(4)
    expect((await diagnose(store)).ok).toBe(true)
  }, 60_000)

  it('a delete killed after the sidecar is finished by the repair, not left as an orphan', async () => {
    const dir = await cacheWith(6)
    // It dies after removing the sidecar, before the payload.
    await child(dir, {
      op: 'delete',
      key: KEY,
      id: 0,
      crash: { at: 'sidecar', when: 'after', how: 'kill' },
    })
    const store = await CacheStore.open(dir)
    expect((await diagnose(store)).interrupted).toEqual([
      expect.objectContaining({ key: KEY, op: 'delete' }),
    ])
    await store.repairInterrupted({ dryRun: false })
    expect(await listFiles(dir)).toEqual([])
    expect((await diagnose(store)).ok).toBe(true)
  }, 60_000)
})

describe('kill -9 from outside, mid-put', () => {
  it('xpersist doctor lists the interrupted write (exit 1) and --repair completes it', async () => {
    const dir = await cacheWith(8)
    const proc = spawn(process.execPath, [
      CHILD,
      ENGINE,
      dir,
      JSON.stringify({
        op: 'put',
        key: KEY,
        id: 9,
        crash: { at: 'payload', when: 'after', how: 'ready' },
      }),
    ])
    const exited = new Promise((resolve) => proc.on('exit', resolve))
    await new Promise<void>((resolve, reject) => {
      proc.stdout.on('data', (d: Buffer) => d.toString().includes('READY') && resolve())
      proc.on('exit', () => reject(new Error('the writer ended before READY')))
    })
    proc.kill('SIGKILL')
    await exited
    const listed = await runCli(['doctor', dir])
    expect(listed.code).toBe(1)
    expect(listed.stdout).toMatch(/Interrupted writes.*\n.*race\/key \(put\): finish the put/)
    const repaired = await runCli(['doctor', dir, '--repair'])
    expect(repaired.stdout).toMatch(/Repaired 1 interrupted write/)
    expect(repaired.code).toBe(0)
    expect(await whose(await CacheStore.open(dir), KEY)).toBe(9)
  }, 60_000)
})

describe('overwriters racing across processes', () => {
  it('csv and pickle writers on one key: each round ends as exactly one writer artifact', async () => {
    const dir = await cacheWith(0)
    const writers = 4
    for (let round = 0; round < 4; round++) {
      const startAt = Date.now() + 1500
      const ids = Array.from({ length: writers }, (_, i) => round * writers + i + 10)
      const results = await Promise.all(
        ids.map((id) => child(dir, { op: 'put', key: KEY, id, startAt })),
      )
      expect(results.every((r) => r.startsWith('done'))).toBe(true)
      const store = await CacheStore.open(dir)
      const winner = await whose(store, KEY)
      expect(ids).toContain(winner)
      expect(await listFiles(dir)).toEqual([KEY, SIDECAR])
    }
  }, 120_000)
})
