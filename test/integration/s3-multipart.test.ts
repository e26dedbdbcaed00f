// Multipart upload of big payloads against moto_server, with a 5 MiB threshold and parts (S3's
// smallest) so ~12 MiB bodies go in three parts: bytes round-trip exactly, a failed or
// cancelled upload leaves no upload behind, and create-only is decided on CompleteMultipartUpload.
import { randomBytes } from 'node:crypto'
import { ListMultipartUploadsCommand, type S3Client } from '@aws-sdk/client-s3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadSdk, makeS3Client } from '../../electron/engine/backend/s3/client.js'
import { parseS3Options } from '../../electron/engine/backend/s3/options.js'
import { S3Backend } from '../../electron/engine/backend/s3/s3-backend.js'
import { startMoto, type MotoServer } from '../servers/moto.js'
import { makeBucket, testS3Client } from '../servers/s3-buckets.js'

const MiB = 1024 * 1024
const TUNING = { threshold: 5 * MiB, partSize: 5 * MiB, concurrency: 2 }
const BUCKET = 'xpersist-multipart'
let moto: MotoServer
let admin: S3Client
let runs = 0

beforeAll(async () => {
  moto = await startMoto()
  await makeBucket(moto.storageOptions, BUCKET)
  admin = testS3Client(moto.storageOptions)
}, 120_000)
afterAll(async () => {
  admin?.destroy()
  await moto?.stop()
})

type Hook = (command: string, input: Record<string, unknown>) => void

/** A backend on a fresh prefix; `hook` sees every command before it is sent (and may throw). */
async function fresh(hook?: Hook): Promise<{ backend: S3Backend; prefix: string }> {
  const sdk = await loadSdk()
  const settings = parseS3Options(moto.storageOptions)
  const client = await makeS3Client(sdk, settings)
  if (hook) {
    type Next = (args: { input: Record<string, unknown> }) => Promise<unknown>
    const mw =
      (next: Next, context: { commandName?: string }) =>
      async (args: { input: Record<string, unknown> }) => {
        hook(context.commandName ?? '', args.input)
        return next(args)
      }
    client.middlewareStack.add(mw as never, { step: 'initialize', name: 'testHook' })
  }
  const prefix = `run-${++runs}`
  return { backend: new S3Backend(sdk, client, BUCKET, prefix, settings, TUNING), prefix }
}

async function openUploads(): Promise<string[]> {
  const out = await admin.send(new ListMultipartUploadsCommand({ Bucket: BUCKET }))
  return (out.Uploads ?? []).map((u) => u.Key ?? '')
}

const body = (bytes: number) => new Uint8Array(randomBytes(bytes))

describe('S3 multipart upload (moto)', () => {
  it('round-trips a 12 MiB payload exactly, in three parts', async () => {
    const parts: number[] = []
    const { backend } = await fresh((command, input) => {
      if (command === 'UploadPartCommand') parts.push(input.PartNumber as number)
    })
    const data = body(12 * MiB + 123)
    const meta = await backend.put('big/payload.bin', data)
    expect(parts.sort()).toEqual([1, 2, 3])
    expect(meta.etag).toMatch(/-3$/) // S3's multipart ETag: md5 of the parts' md5s, '-' count
    expect(
      Buffer.compare(Buffer.from((await backend.get('big/payload.bin'))!), Buffer.from(data)),
    ).toBe(0)
    expect((await backend.head('big/payload.bin'))?.size).toBe(data.length)
    const range = await backend.get('big/payload.bin', { offset: 5 * MiB - 2, length: 4 })
    expect([...range!]).toEqual([...data.subarray(5 * MiB - 2, 5 * MiB + 2)])
    expect(await openUploads()).toEqual([])
  }, 120_000)

  it('keeps a payload at the threshold in one PutObject', async () => {
    const commands: string[] = []
    const { backend } = await fresh((command) => commands.push(command))
    await backend.put('at-threshold', body(5 * MiB))
    expect(commands).toEqual(['PutObjectCommand'])
  }, 120_000)

  it('aborts the upload when a part fails: no object, no upload left', async () => {
    const { backend } = await fresh((command, input) => {
      if (command === 'UploadPartCommand' && input.PartNumber === 2) {
        throw Object.assign(new Error('injected network failure'), { $metadata: {} })
      }
    })
    await expect(backend.put('failed', body(12 * MiB))).rejects.toThrow()
    expect(await backend.head('failed')).toBeUndefined()
    expect(await openUploads()).toEqual([])
  }, 120_000)

  it('aborts the upload when cancelled between parts', async () => {
    const controller = new AbortController()
    const { backend } = await fresh((command, input) => {
      if (command === 'UploadPartCommand' && input.PartNumber === 2) controller.abort()
    })
    const err = await backend.put('cancelled', body(12 * MiB), { signal: controller.signal }).then(
      () => undefined,
      (e: unknown) => e as Error & { code?: string },
    )
    expect(err?.message).toMatch(
      /Writing cancelled to s3:\/\/.* was cancelled; nothing was written/,
    )
    expect(await backend.head('cancelled')).toBeUndefined()
    expect(await openUploads()).toEqual([])
  }, 120_000)

  it('decides create-only on CompleteMultipartUpload: the loser writes nothing', async () => {
    const { backend } = await fresh()
    const first = body(12 * MiB)
    await backend.put('once', first, { mode: 'create' })
    const err = await backend.put('once', body(11 * MiB), { mode: 'create' }).then(
      () => undefined,
      (e: unknown) => e as Error & { code?: string },
    )
    expect(err?.code).toBe('ALREADY_EXISTS')
    const kept = await backend.get('once')
    expect(kept?.length).toBe(first.length)
    expect(Buffer.compare(Buffer.from(kept!), Buffer.from(first))).toBe(0)
    expect(await openUploads()).toEqual([])
  }, 120_000)

  it('sends If-Match on CompleteMultipartUpload; moto 5.2.5 ignores it (known limit)', async () => {
    const completes: Record<string, unknown>[] = []
    const { backend } = await fresh((command, input) => {
      if (command === 'CompleteMultipartUploadCommand') completes.push(input)
    })
    const v1 = await backend.put('guarded', body(6 * MiB))
    await backend.put('guarded', body(6 * MiB)) // v1's etag is now stale
    expect(completes.at(-1)?.IfMatch).toBeUndefined()
    const stale = backend.put('guarded', body(6 * MiB), { mode: { ifMatch: v1.etag } })
    // AWS answers 412 here (ConflictError). moto 5.2.5's CompleteMultipartUpload reads only
    // If-None-Match, so the stale write wins: pinned so a fixed moto is noticed.
    await expect(stale).resolves.toMatchObject({ path: 'guarded' })
    expect(completes.at(-1)?.IfMatch).toBe(`"${v1.etag}"`)
    expect(await openUploads()).toEqual([])
  }, 120_000)
})
