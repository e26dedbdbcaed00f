/**
 * Sidecars of object-store caches kept on disk between opens, so reopening a bucket of
 * 100,000 artifacts fetches only the sidecars that changed. One JSON file per cache URL in
 * the user's cache directory, never in the bucket (reading a cache writes nothing into it).
 * An entry is used only while the listing shows the same ETag, size and date for its path.
 * The file is a cache and untrusted: one that is too big, does not parse, or belongs to
 * another URL is ignored (the listing is then cold), and texts from it are validated like
 * fresh ones by the caller.
 */
import { createHash, randomBytes } from 'node:crypto'
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import type { ObjectMeta } from './backend/backend.js'
import { MAX_SPLIT_LENGTH, MAX_SPLITS } from './list-ranges.js'

/** Bytes of sidecar JSON one index file holds at most; sidecars past it are fetched each time. */
export const MAX_INDEX_BYTES = 128 * 1024 * 1024

/** Sidecars larger than this are not kept (Python writes a few hundred bytes). */
export const MAX_INDEXED_SIDECAR_BYTES = 256 * 1024

/** Index files kept, one per cache URL (least recently used go first). */
export const MAX_INDEX_FILES = 16

const FORMAT = 'xpersist-sidecar-index/1'

/** Bytes the split points add to an index file at most (JSON escapes included). */
const SPLITS_BYTES = MAX_SPLITS * (MAX_SPLIT_LENGTH * 6 + 3)

/** path, etag, size, lastModified (ms), text */
type Entry = [string, string, number, number, string]

/** Where the CLI and the explorer keep sidecar indexes: $XDG_CACHE_HOME/xpersist/sidecar-index. */
export function defaultSidecarIndexDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache')
  return path.join(base, 'xpersist', 'sidecar-index')
}

/** The index file of a cache URL inside `dir`. */
export function sidecarIndexFile(dir: string, url: string): string {
  return path.join(dir, `${createHash('sha256').update(url).digest('hex').slice(0, 32)}.json`)
}

const sameVersion = (e: Entry, m: ObjectMeta) =>
  e[1] === m.etag && e[2] === m.size && e[3] === m.lastModified.getTime()

/**
 * The sidecar index of one cache for one listing: `lookup` what is kept, `remember` what was
 * fetched, then `save` keeps exactly the sidecars this listing saw (so deleted keys drop out).
 */
export class SidecarIndex {
  private readonly kept = new Map<string, Entry>()
  private keptBytes = 0
  private fresh = 0
  private nextSplits: string[]

  private constructor(
    private readonly file: string | null,
    private readonly url: string,
    private readonly old: Map<string, Entry>,
    private readonly maxBytes: number,
    /** Where the last listing's pages ended (see list-ranges.ts); a hint, never trusted. */
    readonly splits: readonly string[] = [],
  ) {
    this.nextSplits = [...splits]
  }

  /**
   * The index of `url` in `dir` (null: no index, every sidecar is fetched), holding at most
   * `maxBytes` of sidecars (a file bigger than that is not read at all).
   */
  static async load(
    dir: string | null,
    url: string,
    maxBytes = MAX_INDEX_BYTES,
  ): Promise<SidecarIndex> {
    if (dir === null) return new SidecarIndex(null, url, new Map(), maxBytes)
    const file = sidecarIndexFile(dir, url)
    let old = new Map<string, Entry>()
    let splits: string[] = []
    try {
      const st = await fs.stat(file)
      if (st.size <= maxBytes + SPLITS_BYTES + 4096) {
        const data = JSON.parse(await fs.readFile(file, 'utf8')) as unknown
        old = parseIndex(data, url)
        splits = parseSplits(data, url)
        // Read counts as use: a bucket reopened often is not pruned for one written once.
        const now = new Date()
        await fs.utimes(file, now, now).catch(() => undefined)
      }
    } catch {
      old = new Map() // none yet, unreadable or not JSON: a cold listing
      splits = []
    }
    return new SidecarIndex(file, url, old, maxBytes, splits)
  }

  /** Records where this listing's pages ended, for the next listing to split at. */
  rememberSplits(splits: readonly string[]): void {
    this.nextSplits = [...splits]
  }

  /** Entries loaded from disk (for tests and messages). */
  get loaded(): number {
    return this.old.size
  }

  /** The kept text of the sidecar `meta` lists, if the kept one is that version. */
  lookup(meta: ObjectMeta): string | undefined {
    const e = this.old.get(meta.path)
    if (!e || !sameVersion(e, meta)) return undefined
    this.keep(e)
    return e[4]
  }

  /** Records a sidecar just fetched at the version `meta` listed. */
  remember(meta: ObjectMeta, text: string): void {
    const modified = meta.lastModified.getTime()
    if (this.file === null || text.length > MAX_INDEXED_SIDECAR_BYTES) return
    if (!Number.isFinite(modified)) return // a version without a date cannot be told apart
    if (this.keep([meta.path, meta.etag, meta.size, modified, text])) {
      this.fresh++
    }
  }

  private keep(e: Entry): boolean {
    // Entries past the byte budget are dropped: those sidecars are fetched again next time.
    // Counted as written (escapes and UTF-8 included), so a full index still passes load's size check.
    const bytes = Buffer.byteLength(JSON.stringify(e)) + 1
    if (this.keptBytes + bytes > this.maxBytes || this.kept.has(e[0])) return false
    this.kept.set(e[0], e)
    this.keptBytes += bytes
    return true
  }

  /** Writes the index if it changed (new sidecars, or kept ones gone); failures are ignored. */
  async save(): Promise<void> {
    const sameSplits =
      this.nextSplits.length === this.splits.length &&
      this.nextSplits.every((p, i) => p === this.splits[i])
    if (this.file === null) return
    if (this.fresh === 0 && this.kept.size === this.old.size && sameSplits) return
    const dir = path.dirname(this.file)
    const tmp = `${this.file}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`
    try {
      await fs.mkdir(dir, { recursive: true })
      const body = {
        format: FORMAT,
        url: this.url,
        entries: [...this.kept.values()],
        splits: this.nextSplits,
      }
      // Write then rename: a reader (another process listing the same bucket) never sees half.
      await fs.writeFile(tmp, JSON.stringify(body))
      await fs.rename(tmp, this.file)
      await prune(dir)
    } catch {
      // A read-only or full home directory costs the next open its fetches, nothing more.
      await fs.rm(tmp, { force: true }).catch(() => undefined)
    }
  }
}

// Every field is checked: a file of another format, another URL or with one bad entry is no index.
function parseIndex(data: unknown, url: string): Map<string, Entry> {
  const none = new Map<string, Entry>()
  if (typeof data !== 'object' || data === null) return none
  const d = data as Record<string, unknown>
  if (d.format !== FORMAT || d.url !== url || !Array.isArray(d.entries)) return none
  const out = new Map<string, Entry>()
  for (const e of d.entries as unknown[]) {
    if (
      !Array.isArray(e) ||
      e.length !== 5 ||
      typeof e[0] !== 'string' ||
      typeof e[1] !== 'string' ||
      !Number.isSafeInteger(e[2]) ||
      !Number.isFinite(e[3]) ||
      typeof e[4] !== 'string' ||
      (e[4] as string).length > MAX_INDEXED_SIDECAR_BYTES
    ) {
      return none
    }
    out.set(e[0] as string, e as Entry)
  }
  return out
}

// Split points of an index file: strings of bounded length and count, else none (a hint only).
function parseSplits(data: unknown, url: string): string[] {
  if (typeof data !== 'object' || data === null) return []
  const d = data as Record<string, unknown>
  if (d.format !== FORMAT || d.url !== url) return []
  const splits = d.splits
  if (!Array.isArray(splits) || splits.length > MAX_SPLITS) return []
  const ok = splits.every((p) => typeof p === 'string' && p.length <= MAX_SPLIT_LENGTH)
  return ok ? (splits as string[]) : []
}

// Keeps the MAX_INDEX_FILES most recently used index files.
async function prune(dir: string): Promise<void> {
  const names = (await fs.readdir(dir)).filter((n) => /^[0-9a-f]{32}\.json$/.test(n))
  if (names.length <= MAX_INDEX_FILES) return
  const dated = await Promise.all(
    names.map(async (n) => ({
      n,
      t: await fs.stat(path.join(dir, n)).then(
        (s) => s.mtimeMs,
        () => 0,
      ),
    })),
  )
  dated.sort((a, b) => a.t - b.t)
  for (const { n } of dated.slice(0, dated.length - MAX_INDEX_FILES)) {
    await fs.rm(path.join(dir, n), { force: true })
  }
}
