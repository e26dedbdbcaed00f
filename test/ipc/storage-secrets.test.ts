// Credentials never come back from the main side (issue 9: "Credentials never reach the
// renderer, logs, error messages, recent lists"): a cache is opened on moto_server with a
// secret, then every channel a window uses is called, failures included, and every answer,
// event, the recent file on disk and whatever was logged is scanned for the secret and key.
import { PutObjectCommand } from '@aws-sdk/client-s3'
import { promises as fs } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import type { Channel } from '../../shared/ipc.js'
import { invoke } from '../../electron/ipc/router.js'
import { ExplorerSession } from '../../electron/ipc/session.js'
import { rememberedOptions } from '../../electron/ipc/storage-secrets.js'
import { FIXTURE_CACHE, listFiles, tempDir } from '../helpers/temp.js'
import { MOTO_KEY, MOTO_SECRET, startMoto, type MotoServer } from '../servers/moto.js'
import { makeBucket, testS3Client } from '../servers/s3-buckets.js'

const BUCKET = 'xp-secrets'
const LOCATION = `s3://${BUCKET}/shared/cache`
const TOKEN = 'session-token-do-not-print'
// The fixture keys uploaded: a Parquet table and a Zarr dataset (a prefix of objects).
const KEYS = ['gauges.parquet', 'sst-monthly-chunked.zarr']

let moto: MotoServer
let dir: string

beforeAll(async () => {
  moto = await startMoto()
  dir = await tempDir('xp-secrets-')
  await makeBucket(moto.storageOptions, BUCKET)
  const client = testS3Client(moto.storageOptions)
  try {
    for (const file of await listFiles(FIXTURE_CACHE)) {
      if (!KEYS.some((k) => file.startsWith(k) || file.includes(`/${k}.artifact.json`))) continue
      const Body = await fs.readFile(path.join(FIXTURE_CACHE, file))
      await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: `shared/cache/${file}`, Body }))
    }
  } finally {
    client.destroy()
  }
}, 180_000)

afterAll(async () => {
  await moto?.stop()
  if (dir) await fs.rm(dir, { recursive: true, force: true })
})

describe('secrets given to cache.open never come back', () => {
  it('no answer, error, event, recent list or log line carries them', async () => {
    const recentFile = path.join(dir, 'recent.json')
    const session = new ExplorerSession({ mode: 'browser', initial: null, recentFile })
    const seen: unknown[] = []
    session.onEvent((e) => seen.push(e))
    const logged: string[] = []
    const spies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((m) =>
      vi.spyOn(console, m).mockImplementation((...args: unknown[]) => {
        logged.push(args.map(String).join(' '))
      }),
    )
    const writes = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: unknown) => {
      logged.push(String(chunk))
      return true
    })
    const call = async (channel: Channel, request: unknown) => {
      const envelope = await invoke(session, channel, request)
      seen.push(envelope)
      return envelope
    }
    const withSecret = { ...moto.storageOptions }
    const settingsOnly = {
      endpoint_url: moto.endpoint,
      client_kwargs: { region_name: 'us-east-1' },
    }
    try {
      const opened = await call('cache.open', { location: LOCATION, storageOptions: withSecret })
      if (!opened.ok) throw new Error(opened.error.message)
      const { cacheId } = opened.data as { cacheId: string }
      const listed = await call('cache.list', { cacheId, cursor: null, limit: 100 })
      expect(listed).toMatchObject({ ok: true, data: { total: KEYS.length } })
      await call('cache.listProgress', { cacheId })
      for (const key of KEYS) {
        expect(await call('artifact.detail', { cacheId, key })).toMatchObject({ ok: true })
        expect(await call('artifact.preview', { cacheId, key })).toMatchObject({ ok: true })
      }
      await call('doctor.run', { cacheId })
      // failures: a missing key, a refused delete count, a job's status
      expect(await call('artifact.detail', { cacheId, key: 'nope' })).toMatchObject({ ok: false })
      await call('delete.start', { cacheId, keys: [KEYS[0]], confirmCount: 2 })
      // a job run to its end (the Parquet key is deleted from the bucket), its status polled
      const started = await call('delete.start', { cacheId, keys: [KEYS[0]], confirmCount: 1 })
      if (!started.ok) throw new Error(started.error.message)
      const { jobId } = started.data as { jobId: string }
      for (let i = 0; i < 600; i++) {
        const status = await call('job.status', { jobId })
        if (!status.ok || (status.data as { finished: boolean }).finished) break
        await new Promise((r) => setTimeout(r, 50))
      }
      expect(await call('job.status', { jobId })).toMatchObject({
        ok: true,
        data: { finished: true, error: null },
      })
      // wrong places: a closed port, a missing bucket, a key without its secret, a token alone
      // (S3 opens lazily; cache.open reads one listing page so that these fail at open.)
      const failures = [
        {
          location: LOCATION,
          storageOptions: { ...withSecret, endpoint_url: 'http://127.0.0.1:9' },
        },
        { location: `s3://no-such-bucket-xp/cache`, storageOptions: withSecret },
        { location: LOCATION, storageOptions: { ...settingsOnly, secret: MOTO_SECRET } },
        { location: LOCATION, storageOptions: { ...settingsOnly, token: TOKEN } },
        { location: LOCATION, storageOptions: { ...withSecret, token: TOKEN, unknown_opt: 1 } },
      ]
      for (const request of failures) {
        const open = await call('cache.open', request)
        expect(open, request.location).toMatchObject({ ok: false })
      }
      // A reopen with the settings only works: the session kept the keys, not the window.
      const reopened = await call('cache.open', {
        location: LOCATION,
        readonly: true,
        storageOptions: settingsOnly,
      })
      expect(reopened).toMatchObject({ ok: true, data: { readonly: true } })
      const info = await call('app.info', {})
      expect(info).toMatchObject({
        ok: true,
        data: {
          recent: [
            {
              location: LOCATION,
              options: settingsOnly,
              secretsNeeded: true,
              secretsKept: true,
            },
          ],
        },
      })
      const onDisk = await fs.readFile(recentFile, 'utf8')
      seen.push(onDisk)
      expect(JSON.parse(onDisk)[0]).toEqual({
        location: LOCATION,
        readonly: true,
        options: settingsOnly,
        secretsNeeded: true,
      })
    } finally {
      for (const s of spies) s.mockRestore()
      writes.mockRestore()
      await session.close()
    }
    const text = [...seen.map((x) => JSON.stringify(x)), ...logged].join('\n')
    expect(seen.length).toBeGreaterThan(15)
    for (const secret of [MOTO_SECRET, MOTO_KEY, TOKEN]) expect(text).not.toContain(secret)

    // After the session closes nothing is kept: a settings-only open has no keys to use.
    const next = new ExplorerSession({ mode: 'browser', initial: null, recentFile })
    const info = await invoke(next, 'app.info', {})
    expect(info).toMatchObject({ ok: true, data: { recent: [{ location: LOCATION }] } })
    expect(JSON.stringify(info)).not.toContain('secretsKept')
    await next.close()
  }, 180_000)
})

describe('which storage options are remembered', () => {
  it('keeps settings, never credentials, and flags what must be asked again', () => {
    expect(
      rememberedOptions('s3://b/p', {
        endpoint_url: 'http://127.0.0.1:9000',
        client_kwargs: { region_name: 'eu-west-1', aws_secret_access_key: 'x' },
        anon: false,
        requester_pays: true,
      }),
    ).toEqual({
      options: {
        endpoint_url: 'http://127.0.0.1:9000',
        client_kwargs: { region_name: 'eu-west-1' },
        anon: false,
        requester_pays: true,
      },
      secretsNeeded: true,
    })
    expect(rememberedOptions('s3://b/p', { profile: 'team', anon: true })).toEqual({
      options: { profile: 'team', anon: true },
      secretsNeeded: false,
    })
    // S3's token is a session token: a secret
    expect(rememberedOptions('s3://b/p', { token: 'anon' })).toEqual({
      options: {},
      secretsNeeded: true,
    })
    // an endpoint carrying user:password is not remembered at all
    expect(rememberedOptions('s3://b/p', { endpoint_url: 'http://u:pw@host:9000' })).toEqual({
      options: {},
      secretsNeeded: true,
    })
    // GCS: token modes are settings; a service-account path or dict is not remembered
    expect(rememberedOptions('gs://b/p', { token: 'anon', project: 'p1' })).toEqual({
      options: { token: 'anon', project: 'p1' },
      secretsNeeded: false,
    })
    for (const token of ['/keys/sa.json', { private_key: 'x' }]) {
      expect(rememberedOptions('gcs://b/p', { token })).toEqual({
        options: {},
        secretsNeeded: true,
      })
    }
    // an option nobody classified is not remembered (allow-list)
    expect(rememberedOptions('s3://b/p', { new_credential_option: 'x' })).toEqual({
      options: {},
      secretsNeeded: true,
    })
  })
})
