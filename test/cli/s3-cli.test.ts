// The CLI on an s3:// cache: a copy of the Python-written sample cache uploaded to moto lists
// and shows exactly as the local folder does, options come by --storage-options (JSON or
// @file) or --endpoint-url, mistakes exit with a message and never print a secret, and a
// local `ls` still loads no S3 SDK.
import { execFile } from 'node:child_process'
import { promises as fs } from 'node:fs'
import path from 'node:path'
import { promisify } from 'node:util'
import { PutObjectCommand } from '@aws-sdk/client-s3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CLI, runCli } from '../helpers/cli.js'
import { FIXTURE_CACHE, listFiles, tempDir } from '../helpers/temp.js'
import { MOTO_KEY, MOTO_SECRET, startMoto, type MotoServer } from '../servers/moto.js'
import { makeBucket, testS3Client } from '../servers/s3-buckets.js'

let moto: MotoServer
let optionsJson = ''
const URL = 's3://team-bucket/caches/sample'

beforeAll(async () => {
  moto = await startMoto()
  await makeBucket(moto.storageOptions, 'team-bucket')
  const client = testS3Client(moto.storageOptions)
  for (const rel of await listFiles(FIXTURE_CACHE)) {
    const Body = await fs.readFile(path.join(FIXTURE_CACHE, rel))
    const Key = `caches/sample/${rel.split(path.sep).join('/')}`
    await client.send(new PutObjectCommand({ Bucket: 'team-bucket', Key, Body }))
  }
  client.destroy()
  optionsJson = JSON.stringify({ key: MOTO_KEY, secret: MOTO_SECRET, endpoint_url: moto.endpoint })
})
afterAll(async () => {
  await moto?.stop()
})

const s3 = (...args: string[]) => runCli([...args, '--storage-options', optionsJson])

describe('xpersist on an s3:// cache', () => {
  it('ls lists the same keys and sizes as the local copy', async () => {
    const remote = await s3('ls', URL, '--long', '--json')
    expect(remote.stderr).toBe('')
    const local = await runCli(['ls', FIXTURE_CACHE, '--long', '--json'])
    const strip = (json: string) =>
      (JSON.parse(json) as Record<string, unknown>[]).map(({ key, serializer, bytes, files }) => ({
        key,
        serializer,
        bytes,
        files,
      }))
    expect(strip(remote.stdout)).toEqual(strip(local.stdout))
    expect(strip(remote.stdout).length).toBeGreaterThan(20)
    const plain = await s3('ls', URL)
    expect(plain.stdout).toContain('gauges.parquet')
  })

  it('show of a Parquet key prints what the local copy prints', async () => {
    for (const key of ['gauges.parquet', 'hourly-zstd.parquet']) {
      const remote = await s3('show', URL, key, '--rows', '3')
      const local = await runCli(['show', FIXTURE_CACHE, key, '--rows', '3'])
      expect(remote.code).toBe(0)
      expect(remote.stdout).toBe(local.stdout)
    }
    expect((await s3('show', URL, 'gauges.parquet')).stdout).toContain('South Platte')
  })

  it('takes the options from a file, and the endpoint from --endpoint-url', async () => {
    const file = path.join(await tempDir(), 'opts.json')
    await fs.writeFile(file, JSON.stringify({ key: MOTO_KEY, secret: MOTO_SECRET }))
    const r = await runCli([
      'info',
      URL,
      'pi',
      '--storage-options',
      `@${file}`,
      '--endpoint-url',
      moto.endpoint,
    ])
    expect(r.stderr).toBe('')
    expect(r.stdout).toMatch(/serializer:\s+joblib/)
  })

  it('mistakes exit non-zero with a message and no secret', async () => {
    const keys = JSON.stringify({ key: MOTO_KEY, secret: MOTO_SECRET })
    const cases: [string[], number, RegExp][] = [
      [
        ['ls', 's3://no-such-bucket', '--storage-options', optionsJson],
        1,
        /bucket 'no-such-bucket' does not exist/,
      ],
      [
        ['ls', URL, '--storage-options', keys, '--endpoint-url', 'http://127.0.0.1:9'],
        1,
        /Cannot reach the S3 endpoint/,
      ],
      [
        ['ls', URL, '--storage-options', optionsJson, '--endpoint-url', 'http://127.0.0.1:9'],
        2,
        /--endpoint-url and endpoint_url in --storage-options differ/,
      ],
    ]
    for (const [args, code, message] of cases) {
      const r = await runCli(args)
      expect(r.code, args.join(' ')).toBe(code)
      expect(r.stderr).toMatch(message)
      expect(r.stderr + r.stdout).not.toContain(MOTO_SECRET)
      expect(r.stderr + r.stdout).not.toContain(MOTO_KEY)
    }
    const bad = await runCli(['ls', URL, '--storage-options', `{"secret": "${MOTO_SECRET}"`])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toMatch(/--storage-options is not valid JSON/)
    expect(bad.stderr).not.toContain(MOTO_SECRET)
    const unknown = await runCli(['ls', URL, '--storage-options', '{"colour": "red"}'])
    expect(unknown.code).toBe(1)
    expect(unknown.stderr).toMatch(/Unknown S3 storage option: 'colour'/)
  })

  it('a local ls loads no S3 SDK', async () => {
    const log = path.join(await tempDir(), 'imports.log')
    const hook =
      "import { register } from 'node:module';" +
      "register('data:text/javascript,' + encodeURIComponent(\"import { appendFileSync } from 'node:fs';" +
      'export async function resolve(s, c, n) { const r = await n(s, c); ' +
      "appendFileSync(process.env.XP_IMPORT_LOG, r.url + '\\\\n'); return r }\"))"
    await promisify(execFile)(
      process.execPath,
      ['--import', `data:text/javascript,${encodeURIComponent(hook)}`, CLI, 'ls', FIXTURE_CACHE],
      { env: { ...process.env, XP_IMPORT_LOG: log } },
    )
    const loaded = (await fs.readFile(log, 'utf8')).split('\n')
    expect(loaded.some((u) => u.includes('/electron/cli/commands/ls.js'))).toBe(true)
    expect(loaded.filter((u) => /@aws-sdk|@smithy|backend\/s3\//.test(u))).toEqual([])
  })
})
