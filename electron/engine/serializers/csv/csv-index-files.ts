/**
 * Row checkpoints of CSV payloads kept on disk between processes (the CLI is a new process
 * every time, so without this each `show --offset` deep in a file scans up to it again). The
 * files live in the user's cache directory, never in the artifact cache (reading a cache
 * writes nothing into it); one small JSON file per payload version (backend URL, path, size,
 * mtime, etag), at most MAX_INDEX_FILES of them. A file that does not parse, does not match
 * the payload or is too big is ignored: it is a cache, and a wrong one must never be used.
 */
import { createHash } from 'node:crypto'
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import type { Backend, ObjectMeta } from '../../backend/backend.js'
import { CsvRowIndex, MAX_CHECKPOINTS } from './csv-checkpoints.js'

/** Index files kept (least recently written go first). */
export const MAX_INDEX_FILES = 64

/** Payloads smaller than this are not indexed on disk: reading them from the start is cheap. */
export const MIN_INDEXED_BYTES = 4 * 1024 * 1024

/** An index file is at most this big (MAX_CHECKPOINTS offsets as decimal text and commas). */
const MAX_FILE_BYTES = MAX_CHECKPOINTS * 17 + 4096

const FORMAT = 'xpersist-csv-row-index/1'

let directory: string | null = null

/** Where the CLI keeps index files: $XDG_CACHE_HOME/xpersist/csv-row-index (~/.cache/...). */
export function defaultIndexDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache')
  return path.join(base, 'xpersist', 'csv-row-index')
}

/** Turns index files on (a directory) or off (null, the default for the library). */
export function useIndexDir(dir: string | null): void {
  directory = dir
}

/** What was last loaded or saved per index, so an unchanged index is not written again. */
const saved = new WeakMap<CsvRowIndex, string>()

function identity(backend: Backend, meta: ObjectMeta): string {
  return [backend.url, meta.path, meta.size, meta.lastModified.getTime(), meta.etag].join('\u0000')
}

function fileFor(dir: string, id: string): string {
  return path.join(dir, `${createHash('sha256').update(id).digest('hex').slice(0, 32)}.json`)
}

function signature(index: CsvRowIndex): string {
  return `${index.marks.length}:${index.rowCount}`
}

/** The index saved for this payload version, or undefined (none, stale, corrupt, or off). */
export async function loadIndexFile(
  backend: Backend,
  meta: ObjectMeta,
): Promise<CsvRowIndex | undefined> {
  if (directory === null || meta.size < MIN_INDEXED_BYTES) return undefined
  const id = identity(backend, meta)
  try {
    const file = fileFor(directory, id)
    const st = await fs.stat(file)
    if (st.size > MAX_FILE_BYTES) return undefined
    const index = parseIndex(JSON.parse(await fs.readFile(file, 'utf8')) as unknown, id, meta)
    if (index) saved.set(index, signature(index))
    return index
  } catch {
    return undefined
  }
}

// Checks every field: a file from an older format or another payload is no index.
function parseIndex(data: unknown, id: string, meta: ObjectMeta): CsvRowIndex | undefined {
  if (typeof data !== 'object' || data === null) return undefined
  const d = data as Record<string, unknown>
  if (d.format !== FORMAT || d.identity !== id || !Array.isArray(d.marks)) return undefined
  const marks = d.marks as unknown[]
  if (marks.length === 0 || marks.length > MAX_CHECKPOINTS) return undefined
  let last = -1
  for (const m of marks) {
    if (!Number.isSafeInteger(m) || (m as number) <= last || (m as number) > meta.size)
      return undefined
    last = m as number
  }
  const rowCount = d.rowCount ?? null
  if (rowCount !== null && !(Number.isSafeInteger(rowCount) && (rowCount as number) >= 0))
    return undefined
  const index = new CsvRowIndex(marks[0] as number)
  index.marks.push(...(marks.slice(1) as number[]))
  index.rowCount = rowCount as number | null
  return index
}

/** Saves the index if it grew since it was loaded or saved; failures are ignored (a cache). */
export async function saveIndexFile(
  backend: Backend,
  meta: ObjectMeta,
  index: CsvRowIndex,
): Promise<void> {
  const dir = directory
  if (dir === null || meta.size < MIN_INDEXED_BYTES || saved.get(index) === signature(index)) return
  const id = identity(backend, meta)
  const body = { format: FORMAT, identity: id, rowCount: index.rowCount, marks: index.marks }
  try {
    await fs.mkdir(dir, { recursive: true })
    const file = fileFor(dir, id)
    // Write then rename: a reader never sees half a file.
    const tmp = `${file}.${process.pid}.tmp`
    await fs.writeFile(tmp, JSON.stringify(body))
    await fs.rename(tmp, file)
    saved.set(index, signature(index))
    await prune(dir)
  } catch {
    // A read-only or full home directory costs the next page its seek, nothing more.
  }
}

// Keeps the MAX_INDEX_FILES most recently written files.
async function prune(dir: string): Promise<void> {
  const names = (await fs.readdir(dir)).filter((n) => /^[0-9a-f]{32}\.json$/.test(n))
  if (names.length <= MAX_INDEX_FILES) return
  const dated = await Promise.all(
    names.map(async (n) => ({ n, t: (await fs.stat(path.join(dir, n))).mtimeMs })),
  )
  dated.sort((a, b) => a.t - b.t)
  for (const { n } of dated.slice(0, dated.length - MAX_INDEX_FILES)) {
    await fs.rm(path.join(dir, n), { force: true })
  }
}
