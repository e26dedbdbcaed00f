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
    const run = await store.deleteMany(KEYS, { trash: true, dryRun: false })
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
})
