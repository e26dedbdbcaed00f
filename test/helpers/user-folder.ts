import { promises as fs } from 'node:fs'
import path from 'node:path'
import { tempDir, writeOldFile } from './temp.js'

/** A folder of someone's work that is not a cache: a thesis and a results table. */
export async function userFolder(): Promise<string> {
  const dir = path.join(await tempDir('xp-user-'), 'work')
  await fs.mkdir(path.join(dir, 'data'), { recursive: true })
  // Written long ago (a young file without sidecar would be a create in flight to doctor).
  await writeOldFile(path.join(dir, 'thesis.pdf'), '%PDF-1.7 four years of work')
  await writeOldFile(path.join(dir, 'data', 'results.csv'), 'run,score\n1,0.93\n')
  return dir
}

/** Every file and folder under `dir` with the bytes of each file: equal means untouched. */
export async function snapshot(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {}
  for (const e of await fs.readdir(dir, { recursive: true, withFileTypes: true })) {
    const rel = path.relative(dir, path.join(e.parentPath, e.name))
    out[rel] = e.isFile() ? await fs.readFile(path.join(dir, rel), 'utf8') : '<dir>'
  }
  return out
}
