// The trash on S3 (moto on 127.0.0.1): a prefix in the bucket, objects copied then deleted;
// a Zarr folder and a NetCDF file from the Python-written fixture come back byte for byte.
import { promises as fs } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { diagnose } from '../../electron/engine/doctor.js'
import { CacheStore } from '../../electron/engine/store.js'
import { startMoto, type MotoServer } from '../servers/moto.js'
import { makeBucket } from '../servers/s3-buckets.js'
import { FIXTURE_CACHE, listFiles } from '../helpers/temp.js'
import { pythonSidecar } from '../helpers/counting-backend.js'

let moto: MotoServer
const BUCKET = 'xpersist-trash'
const KEYS = ['sst-monthly-consolidated.zarr', 'sst-monthly.nc']

beforeAll(async () => {
  moto = await startMoto()
  await makeBucket(moto.storageOptions, BUCKET)
})
afterAll(async () => {
  await moto?.stop()
})

describe('trash on S3 (moto)', () => {
  it('moves to a trash prefix by copy then delete, says the cost, and restores byte for byte', async () => {
    const store = await CacheStore.open(`s3://${BUCKET}/cache`, {
      storageOptions: moto.storageOptions,
    })
    // The two artifacts, uploaded as Python wrote them.
    const files = (await listFiles(FIXTURE_CACHE)).filter((f) =>
      KEYS.some(
        (k) =>
          f === k || f.startsWith(`${k}/`) || f === `xpersist_metadata_store/${k}.artifact.json`,
      ),
    )
    const original = new Map<string, Buffer>()
    for (const f of files) {
      const bytes = await fs.readFile(path.join(FIXTURE_CACHE, f))
      original.set(f, bytes)
      await store.backend.put(f, bytes)
    }
    const plan = await store.deleteMany(KEYS, { trash: true })
    expect(plan.trash).toMatchObject({ method: 'copy', copyObjects: files.length })
    // The copies are made on the server (CopyObject): no object's bytes come through here.
    const read: string[] = []
    const get = store.backend.get.bind(store.backend)
    store.backend.get = (p, range) => (read.push(p), get(p, range))
    const run = await store.deleteMany(KEYS, { trash: true, dryRun: false })
    store.backend.get = get
    expect(read.filter((p) => original.has(p))).toEqual([])
    expect(await store.keys()).toEqual([])
    const id = run.trash?.id as string
    expect((await store.trashEntries()).map((e) => e.keys)).toEqual([[...KEYS].sort()])
    const restore = await store.restoreFromTrash(id, [], { dryRun: false })
    expect(restore.restored.sort()).toEqual([...KEYS].sort())
    for (const [f, bytes] of original) {
      expect(Buffer.from((await store.backend.get(f)) as Uint8Array).equals(bytes)).toBe(true)
    }
    expect(await store.trashEntries()).toEqual([])
    expect((await diagnose(store)).ok).toBe(true)
  })

  it('copies a key with spaces, + and % in its name (CopySource is URL-encoded)', async () => {
    const store = await CacheStore.open(`s3://${BUCKET}/odd`, {
      storageOptions: moto.storageOptions,
    })
    const key = 'runs/odd key+100%.bin'
    const bytes = Buffer.from('payload bytes')
    await store.backend.put(key, bytes)
    await store.backend.put(`xpersist_metadata_store/${key}.artifact.json`, pythonSidecar(key))
    const run = await store.deleteMany([key], { trash: true, dryRun: false })
    expect(await store.keys()).toEqual([])
    const moved = await store.backend.get(`.xpersist-trash/${run.trash?.id}/${key}`)
    expect(Buffer.from(moved as Uint8Array).equals(bytes)).toBe(true)
    await store.restoreFromTrash(run.trash?.id as string, [], { dryRun: false })
    expect(Buffer.from((await store.backend.get(key)) as Uint8Array).equals(bytes)).toBe(true)
  })
})
