// `xpersist prune`: help, refusals with messages that name the flag, the dry-run plan (rm's
// plan, file for file), --json, --yes, and the same on an s3:// cache through
// --storage-options / --endpoint-url.
import { promises as fs } from 'node:fs'
import path from 'node:path'
import { PutObjectCommand } from '@aws-sdk/client-s3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from '../helpers/cli.js'
import { writeGeneratedCache, type GeneratedArtifact } from '../helpers/generated-cache.js'
import { listFiles, tempDir } from '../helpers/temp.js'
import { MOTO_KEY, MOTO_SECRET, startMoto, type MotoServer } from '../servers/moto.js'
import { makeBucket, testS3Client } from '../servers/s3-buckets.js'

const DAY = 86_400_000
// Ages far from every threshold used below, so the clock moving during a test changes nothing.
const ago = (days: number) => new Date(Date.now() - days * DAY).toISOString().slice(0, 19)

const ARTIFACTS: GeneratedArtifact[] = [
  { key: 'old/a', createdAt: ago(800), payloadBytes: 3000, metadata: { exp: 'x' } },
  { key: 'old/b', createdAt: ago(500), payloadBytes: 2000, metadata: { exp: 'y' } },
  { key: 'mid/c', createdAt: ago(200), payloadBytes: 1000, metadata: { exp: 'x' } },
  { key: 'new/d', createdAt: ago(2), payloadBytes: 500, metadata: { exp: 'x' } },
  { key: 'undated', createdAt: null, payloadBytes: 10 },
]

async function cache(): Promise<string> {
  const dir = path.join(await tempDir('xp-prune-cli-'), 'cache')
  await writeGeneratedCache(dir, ARTIFACTS)
  return dir
}

type PlanJson = {
  root: string
  dryRun: boolean
  entries: { key: string; bytes: number; files: { path: string }[] }[]
  bytes: number
  prune: { undated: string[]; kept: number; overBy: number }
}

describe('xpersist prune', () => {
  it('--help says what every rule takes, units included', async () => {
    const help = await runCli(['prune', '--help'])
    expect(help.code).toBe(0)
    for (const text of [
      '--older-than',
      'no months',
      '--keep-last N [--per F]',
      '--max-total',
      '1 MB = 1,000,000 bytes',
      'KiB',
      'created<=2025-06 (June included)',
      '--yes',
    ])
      expect(help.stdout).toContain(text)
    expect((await runCli(['--help'])).stdout).toMatch(/prune <cache>.*retention rules/)
  })

  it('refuses without a rule, and names the flag and a valid value for a bad one', async () => {
    const dir = await cache()
    const cases: [string[], RegExp][] = [
      [[], /give at least one rule, such as --older-than 365d/],
      [
        ['--older-than', '6m'],
        /--older-than takes a duration such as 365d, not '6m'.*months or minutes/,
      ],
      [['--before', '2025-13-01'], /--before takes a UTC date such as 2025-12-01/],
      [
        ['--larger-than', '10'],
        /--larger-than takes a size such as 1GB, not '10' \(add a unit, e.g. '10MB'\)/,
      ],
      [['--max-total', 'lots'], /--max-total takes a size such as 50GB/],
      [['--where', 'exp'], /--where takes field=value.*experiment=baseline/],
      [['--keep-last', '0'], /--keep-last takes a whole number of 1 or more/],
      [['--per', 'exp'], /--per goes with --keep-last/],
      [['--filter', 'size>5M'], /'size>5M'.*'5MB'/],
      [['--filter', 'old'], /'old' is a search word, not a filter/],
    ]
    for (const [args, message] of cases) {
      const r = await runCli(['prune', dir, ...args])
      expect([args, r.code]).toEqual([args, 2])
      expect(r.stderr).toMatch(message)
    }
    const missing = await runCli(['prune', path.join(dir, 'nope'), '--older-than', '1d', '--yes'])
    expect(missing.code).toBe(1)
    await expect(fs.stat(path.join(dir, 'nope'))).rejects.toThrow()
  })

  it('prints rm’s plan and deletes nothing without --yes', async () => {
    const dir = await cache()
    const before = await listFiles(dir)
    const r = await runCli(['prune', dir, '--older-than', '365d'])
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('Would delete 2 artifact(s), 5.3 KB')
    expect(r.stdout.indexOf('  old/a')).toBeLessThan(r.stdout.indexOf('  old/b'))
    expect(r.stdout).toContain('Rules selected 2 of 5 artifact(s)')
    expect(r.stdout).toContain('Kept 1 artifact(s) without a readable created_at')
    expect(r.stdout).toContain('Dry run: nothing was deleted')
    expect(await listFiles(dir)).toEqual(before)

    const json = JSON.parse(
      (await runCli(['prune', dir, '--older-than', '365d', '--json'])).stdout,
    ) as PlanJson
    const rm = JSON.parse(
      (await runCli(['rm', dir, 'old/a', 'old/b', '--json'])).stdout,
    ) as PlanJson
    const { prune, ...asRm } = json
    expect(asRm).toEqual(rm)
    expect(prune.undated).toEqual(['undated'])
  })

  it('--keep-last --per and --max-total in --json; --yes deletes exactly the plan', async () => {
    const dir = await cache()
    const kept = JSON.parse(
      (await runCli(['prune', dir, '--keep-last', '1', '--per', 'exp', '--json'])).stdout,
    ) as PlanJson
    // exp=x keeps new/d, exp=y keeps old/b; undated is kept and reported.
    expect(kept.entries.map((e) => e.key)).toEqual(['old/a', 'mid/c'])
    expect(kept.prune.kept).toBe(2)
    const capped = JSON.parse(
      (await runCli(['prune', dir, '--max-total', '4kB', '--json'])).stdout,
    ) as PlanJson
    expect(capped.entries.map((e) => e.key)).toEqual(['old/a', 'old/b'])

    const done = await runCli(['prune', dir, '--keep-last', '1', '--per', 'exp', '--yes'])
    expect(done.code).toBe(0)
    expect(done.stdout).toContain('Deleted 2 artifact(s)')
    const keys = (await runCli(['ls', dir])).stdout.trim().split('\n')
    expect(keys).toEqual(['new/d', 'old/b', 'undated'])
    expect((await runCli(['doctor', dir])).code).toBe(0)
  })

  it('--trash moves what the rules choose into the trash; trash restore brings it back byte for byte', async () => {
    const dir = await cache()
    const before = await listFiles(dir)
    const bytesBefore = await fs.readFile(path.join(dir, 'old/a'))
    const dry = await runCli(['prune', dir, '--older-than', '365d', '--trash'])
    expect(dry.code).toBe(0)
    expect(dry.stdout).toContain('Would move to the trash 2 artifact(s)')
    expect(dry.stdout).toContain('Run again with --yes to move them to the trash')
    expect(await listFiles(dir)).toEqual(before)

    const done = await runCli(['prune', dir, '--older-than', '365d', '--trash', '--yes'])
    expect(done.code).toBe(0)
    const id = /Moved to the trash \(entry ([^)]+)\)/.exec(done.stdout)?.[1]
    expect(id).toBeDefined()
    expect(done.stdout).toContain(`Undo with: xpersist trash ${dir} restore ${id}`)
    expect((await runCli(['ls', dir])).stdout.trim().split('\n')).toEqual([
      'mid/c',
      'new/d',
      'undated',
    ])
    expect((await runCli(['doctor', dir])).code).toBe(0)

    const restored = await runCli(['trash', dir, 'restore', id as string, '--yes'])
    expect(restored.code).toBe(0)
    expect(await fs.readFile(path.join(dir, 'old/a'))).toEqual(bytesBefore)
    expect((await runCli(['ls', dir])).stdout.trim().split('\n')).toHaveLength(5)
  })

  it.skipIf(process.getuid?.() === 0)(
    '--yes on a cache without write permission deletes nothing',
    async () => {
      // Skipped as root: root writes to a read-only folder anyway, so there is nothing to refuse.
      const dir = await cache()
      const before = await listFiles(dir)
      await fs.chmod(path.join(dir, 'xpersist_metadata_store'), 0o555)
      await fs.chmod(dir, 0o555)
      try {
        const r = await runCli(['prune', dir, '--older-than', '1d', '--yes'])
        expect(r.code).toBe(1)
        expect(r.stderr).toMatch(/read-only.*nothing was deleted.*without --yes/)
      } finally {
        await fs.chmod(dir, 0o755)
        await fs.chmod(path.join(dir, 'xpersist_metadata_store'), 0o755)
      }
      expect(await listFiles(dir)).toEqual(before)
    },
  )
})

describe('xpersist prune on an s3:// cache', () => {
  let moto: MotoServer
  let options = ''
  const URL = 's3://prune-bucket/cache'
  let local = ''

  beforeAll(async () => {
    moto = await startMoto()
    await makeBucket(moto.storageOptions, 'prune-bucket')
    local = await cache()
    const client = testS3Client(moto.storageOptions)
    for (const rel of await listFiles(local)) {
      const Body = await fs.readFile(path.join(local, rel))
      const Key = `cache/${rel.split(path.sep).join('/')}`
      await client.send(new PutObjectCommand({ Bucket: 'prune-bucket', Key, Body }))
    }
    client.destroy()
    options = JSON.stringify({ key: MOTO_KEY, secret: MOTO_SECRET })
  })
  afterAll(async () => {
    await moto?.stop()
  })

  it('plans what the local copy plans (sidecar sizes from the listing), then --yes deletes it', async () => {
    const s3 = (...args: string[]) =>
      runCli(['prune', URL, ...args, '--storage-options', options, '--endpoint-url', moto.endpoint])
    const remote = await s3('--older-than', '365d', '--json')
    expect(remote.stderr).toBe('')
    const here = JSON.parse(
      (await runCli(['prune', local, '--older-than', '365d', '--json'])).stdout,
    ) as PlanJson
    const there = JSON.parse(remote.stdout) as PlanJson
    expect({ ...there, root: '' }).toEqual({ ...here, root: '' })

    const done = await s3('--older-than', '365d', '--yes', '--json')
    expect((JSON.parse(done.stdout) as PlanJson).dryRun).toBe(false)
    const after = await runCli([
      'ls',
      URL,
      '--storage-options',
      options,
      '--endpoint-url',
      moto.endpoint,
    ])
    expect(after.stdout.trim().split('\n')).toEqual(['mid/c', 'new/d', 'undated'])
  })
})
