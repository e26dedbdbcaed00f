import { promises as fs } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll } from 'vitest'

/** The repository root. */
export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')
/** The Python-written fixture cache (copied from ../shared; copy it again before writing). */
export const FIXTURE_CACHE = path.join(REPO, 'test', 'fixtures', 'sample-cache')
/** What every fixture artifact holds. */
export const FIXTURE_EXPECTED = path.join(REPO, 'test', 'fixtures', 'sample-cache.expected.json')

const made: string[] = []
afterAll(async () => {
  for (const d of made.splice(0)) await fs.rm(d, { recursive: true, force: true })
})

/** A fresh temp folder, removed after the test file. */
export async function tempDir(prefix = 'xp-test-'): Promise<string> {
  const d = await fs.mkdtemp(path.join(os.tmpdir(), prefix))
  made.push(d)
  return d
}

/** A writable temp copy of the fixture cache. */
export async function fixtureCopy(): Promise<string> {
  const dir = path.join(await tempDir('xp-fixture-'), 'cache')
  await fs.cp(FIXTURE_CACHE, dir, { recursive: true })
  await chmodWritable(dir)
  return dir
}

async function chmodWritable(p: string): Promise<void> {
  const st = await fs.stat(p)
  await fs.chmod(p, st.isDirectory() ? 0o755 : 0o644)
  if (st.isDirectory()) for (const e of await fs.readdir(p)) await chmodWritable(path.join(p, e))
}

/** Every file under `dir`, relative, sorted. */
export async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = []
  for (const e of await fs.readdir(dir, { recursive: true, withFileTypes: true })) {
    if (e.isFile()) out.push(path.relative(dir, path.join(e.parentPath, e.name)))
  }
  return out.sort()
}

/**
 * Writes a file dated older than PENDING_CREATE_MS (10 minutes): a payload without sidecar
 * that young is a create in flight, so an orphan a test means must be an old one.
 */
export async function writeOldFile(file: string, data: string | Uint8Array): Promise<void> {
  await fs.writeFile(file, data)
  const old = new Date(Date.now() - 11 * 60_000)
  await fs.utimes(file, old, old)
}
