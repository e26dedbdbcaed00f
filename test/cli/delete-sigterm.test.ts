// SIGTERM during a big delete, through each way one starts: a real `xpersist serve` (the
// HTTP API's delete.start), `xpersist rm --yes` and `xpersist prune --yes`. The delete stops
// between artifacts and says how far it got (N of M); the cache has no half-deleted artifact:
// doctor is clean, and every planned key is wholly there (sidecar and payload) or wholly gone,
// deleted + remaining = the plan.
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { CLI, runCli, serveUrl } from '../helpers/cli.js'
import { writeGeneratedCache, type GeneratedArtifact } from '../helpers/generated-cache.js'
import { tempDir } from '../helpers/temp.js'

// Enough that the delete is still running when the first progress has been seen (a local
// delete takes a lock, writes a journal and removes two files per artifact).
const TOTAL = 1500

/** A cache of TOTAL small artifacts; their keys, in the order a delete takes them. */
async function bigCache(): Promise<{ dir: string; keys: string[] }> {
  const dir = path.join(await tempDir('xp-delete-term-'), 'cache')
  const artifacts: GeneratedArtifact[] = []
  for (let i = 0; i < TOTAL; i++)
    artifacts.push({
      key: `runs/r${String(i).padStart(5, '0')}`,
      createdAt: '2025-01-01T00:00:00',
      payloadBytes: 64,
    })
  await writeGeneratedCache(dir, artifacts, { python: true })
  return { dir, keys: artifacts.map((a) => a.key) }
}

/** The N, M and M - N of a "N of M artifact(s) done, M - N left" line after `lead`. */
function howFar(text: string, lead: string): { done: number; total: number; left: number } {
  const said = new RegExp(
    `${lead} (\\d+) of (\\d+) artifact\\(s\\) done, (\\d+) left as they were \\(none half-deleted\\)\\.`,
  ).exec(text)
  expect(said, text.slice(-500)).not.toBeNull()
  const [done, total, left] = (said as RegExpExecArray).slice(1, 4).map(Number) as number[]
  return { done: done as number, total: total as number, left: left as number }
}

const sidecarOf = (dir: string, key: string) =>
  path.join(dir, 'xpersist_metadata_store', `${key}.artifact.json`)

/**
 * Every key wholly there or wholly gone; the ones gone are the first `done` (a delete goes in
 * order); doctor finds nothing to repair.
 */
async function expectWholeOrGone(dir: string, keys: string[], done: number): Promise<void> {
  expect(done).toBeGreaterThan(0)
  expect(done).toBeLessThan(keys.length)
  let remaining = 0
  for (const key of keys) {
    const payload = existsSync(path.join(dir, key))
    expect([key, payload]).toEqual([key, existsSync(sidecarOf(dir, key))])
    if (payload) remaining++
  }
  expect(done + remaining).toBe(keys.length)
  const listed = (await runCli(['ls', dir])).stdout.trim().split('\n')
  expect(listed).toEqual(keys.slice(done))
  const doctor = await runCli(['doctor', dir, '--json'])
  const report = JSON.parse(doctor.stdout) as { ok: boolean; orphans: unknown[] }
  expect([doctor.code, report.ok, report.orphans]).toEqual([0, true, []])
}

/**
 * Runs the CLI with `args`, sends SIGTERM once the first key's sidecar is gone (the delete
 * has begun), and resolves with its exit code and output.
 */
async function terminatedOnceStarted(
  args: string[],
  dir: string,
  first: string,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [CLI, ...args], {
    env: { ...process.env, XDG_CACHE_HOME: await tempDir('xp-delete-term-xdg-') },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve))
  let exitedEarly = false
  void exited.then(() => (exitedEarly = true))
  for (let i = 0; i < 60_000 && existsSync(sidecarOf(dir, first)) && !exitedEarly; i++)
    await new Promise((r) => setTimeout(r, 2))
  expect(exitedEarly, stderr).toBe(false)
  child.kill('SIGTERM')
  return { code: await exited, stdout, stderr }
}

describe('SIGTERM to xpersist serve during a delete', () => {
  it('stops between artifacts, logs N of M, and leaves no half-deleted artifact', async () => {
    const { dir, keys } = await bigCache()

    const child = spawn(process.execPath, [CLI, 'serve', dir, '--port', '0'], {
      env: { ...process.env, XDG_CONFIG_HOME: await tempDir('xp-serve-term-config-') },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stderr = ''
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve))
    const url = await serveUrl(child)
    const token = url.searchParams.get('token') as string
    const invoke = async (channel: string, body: unknown) => {
      const res = await fetch(`${url.origin}/api/invoke/${channel}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Xpersist-Token': token },
        body: JSON.stringify(body),
      })
      const envelope = (await res.json()) as { ok: boolean; data: unknown; error?: unknown }
      expect([channel, envelope.ok, envelope.error]).toEqual([channel, true, undefined])
      return envelope.data as Record<string, unknown>
    }

    const { cacheId } = await invoke('cache.open', { location: dir })
    const { jobId } = await invoke('delete.start', { cacheId, keys, confirmCount: TOTAL })
    let seen = 0
    for (let i = 0; i < 6000 && seen === 0; i++) {
      const status = await invoke('job.status', { jobId })
      seen = status.done as number
      expect(status.finished).toBe(false)
      if (seen === 0) await new Promise((r) => setTimeout(r, 5))
    }
    expect(seen).toBeGreaterThan(0)
    child.kill('SIGTERM')
    expect(await exited).toBe(0)

    const { done, total, left } = howFar(stderr, 'Stopped a delete on shutdown:')
    expect([total, done + left]).toEqual([TOTAL, TOTAL])
    expect(done).toBeGreaterThanOrEqual(seen)
    expect(done).toBeLessThan(TOTAL)

    await expectWholeOrGone(dir, keys, done)
  })
})

describe('SIGTERM to xpersist rm --yes and prune --yes', () => {
  it('rm stops between artifacts, prints N of M and exits 143', async () => {
    const { dir, keys } = await bigCache()
    const r = await terminatedOnceStarted(['rm', dir, ...keys, '--yes'], dir, keys[0] as string)
    expect(r.code).toBe(143)
    expect(r.stderr).toContain(
      'Stopping after the artifact in progress (SIGTERM again to quit now)',
    )
    expect(r.stdout).toContain(`Stopped partway through deleting ${TOTAL} artifact(s)`)
    const { done, total, left } = howFar(r.stdout, 'Stopped:')
    expect([total, done + left]).toEqual([TOTAL, TOTAL])
    await expectWholeOrGone(dir, keys, done)
  })

  it('prune --json says cancelled and lists exactly the paths it removed', async () => {
    const { dir, keys } = await bigCache()
    const r = await terminatedOnceStarted(
      ['prune', dir, '--older-than', '0h', '--yes', '--json'],
      dir,
      keys[0] as string,
    )
    expect(r.code).toBe(143)
    const plan = JSON.parse(r.stdout) as {
      cancelled: boolean
      deleted: string[]
      entries: unknown[]
    }
    expect([plan.cancelled, plan.entries.length]).toEqual([true, TOTAL])
    const gone = keys.filter((k) => !existsSync(path.join(dir, k)))
    expect([...plan.deleted].sort()).toEqual(
      gone.flatMap((k) => [k, `xpersist_metadata_store/${k}.artifact.json`]).sort(),
    )
    await expectWholeOrGone(dir, keys, gone.length)
  })
})
