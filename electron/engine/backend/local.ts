import {
  closeSync,
  constants,
  fstatSync,
  linkSync,
  lstatSync,
  openSync,
  promises as fs,
  read,
  readdirSync,
  readFileSync,
  readSync,
  renameSync,
  rmdirSync,
  unlinkSync,
  type BigIntStats,
  type Dirent,
} from 'node:fs'
import { randomBytes } from 'node:crypto'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import type {
  Backend,
  ByteRange,
  ListResult,
  ListRange,
  ObjectMeta,
  PutOptions,
  RandomReader,
  SizedText,
} from './backend.js'
import { inRange } from './backend.js'
import { TEMP_MARKER } from '../keys.js'
import {
  AlreadyExistsError,
  BackendError,
  ConflictError,
  NotSupportedError,
  PermissionDeniedError,
} from '../errors.js'
import {
  identityOf,
  linkRefused,
  mapError,
  missingAsUndefined,
  PathGuard,
  type Identity,
} from './local-guard.js'

// O_NOFOLLOW refuses a link as the last component; O_NONBLOCK keeps a FIFO planted in a cache
// from hanging the open (regular files ignore it).
const READ_FLAGS = constants.O_RDONLY | constants.O_NOFOLLOW | (constants.O_NONBLOCK ?? 0)
// Files up to this size are read with synchronous calls: for the small sidecars a listing
// reads by the thousand, a libuv round trip per call costs ~6x the read itself (measured by
// `npm run bench`), while blocking the loop for a 64 KiB read is a few microseconds.
const SYNC_READ_LIMIT = 64 * 1024
// A file replaced between open and check (a writer renaming over it) is opened again this often.
const OPEN_ATTEMPTS = 3

/** Options for a local backend. */
export interface LocalBackendOptions {
  /** Create the root folder when it is missing (a writable store does, a read-only one never). */
  create?: boolean
  /** Folders that are never removed when they become empty (the metadata folder). */
  keepDirs?: string[]
}

/**
 * A folder on local disk. Writes go to a temp file in the same folder, are fsynced, then
 * renamed (or hard-linked, for create-only writes, which fails atomically if the name exists),
 * so readers never see a partial file. Symbolic links are never followed: at every call, each
 * folder on the way is checked to be a real folder under the root (see PathGuard), and files
 * open with O_NOFOLLOW; nothing is remembered, so a folder swapped for a link later is refused.
 */
export class LocalBackend implements Backend {
  readonly url: string

  private constructor(
    private readonly guard: PathGuard,
    private readonly keepDirs: Set<string>,
  ) {
    this.url = pathToFileURL(guard.root).href
  }

  /** The real path of the cache folder. */
  get root(): string {
    return this.guard.root
  }

  /** Opens (and with `create`, makes) the folder at `root`. */
  static async open(root: string, options: LocalBackendOptions = {}): Promise<LocalBackend> {
    const abs = path.resolve(root)
    if (options.create) await fs.mkdir(abs, { recursive: true }).catch(mapError(abs))
    const real = await fs.realpath(abs).catch((e: NodeJS.ErrnoException) => {
      if (e.code !== 'ENOENT') throw mapError(abs)(e)
      throw new BackendError(
        `No cache folder at ${abs}. Check the path; a read-only open never creates one.`,
      )
    })
    const st = await fs.stat(real)
    if (!st.isDirectory()) throw new BackendError(`${abs} is a file, not a cache folder.`)
    return new LocalBackend(PathGuard.of(real), new Set(options.keepDirs ?? []))
  }

  private abs(rel: string): string {
    return this.guard.abs(rel)
  }

  async ensureDir(rel: string): Promise<void> {
    this.guard.checkDir(rel, true)
  }

  async head(rel: string): Promise<ObjectMeta | undefined> {
    return this.headMany([rel]).then((metas) => metas[0])
  }

  // Batches check each distinct folder once before and once after, with plain synchronous
  // calls between: a listing of 100,000 keys spends its time in syscalls instead of promise
  // and thread-pool overhead. Node decodes UTF-8 files natively in one call; a replacement
  // character means the bytes may not be valid UTF-8, so those are re-read as bytes for a
  // strict decode.
  async getManyText(rels: string[]): Promise<(string | Uint8Array | undefined)[]> {
    return (await this.getManyTextSized(rels)).map((entry) => entry.text)
  }

  // The blocks come from the descriptor the read already holds: no stat by path per sidecar.
  async getManyTextSized(rels: string[]): Promise<SizedText[]> {
    const dirs = this.checkDirsOf(rels)
    const out: SizedText[] = []
    const strict: number[] = []
    for (const rel of rels) {
      if (!dirs.get(parentOf(rel))) {
        out.push({ text: undefined })
        continue
      }
      const entry = this.readTextSync(this.abs(rel))
      if (entry.text !== undefined && entry.text.includes('\uFFFD')) strict.push(out.length)
      out.push(entry)
    }
    const changed = this.changedDirs(dirs)
    for (const i of strict) {
      const entry = out[i] as SizedText
      out[i] = { ...entry, text: await this.get(rels[i] as string) }
    }
    // Read from a folder that was swapped meanwhile: discarded, as if it had been missing.
    return changed.size === 0
      ? out
      : out.map((v, i) => (changed.has(parentOf(rels[i] as string)) ? { text: undefined } : v))
  }

  /**
   * A file's UTF-8 text (links refused) and the blocks it takes; text undefined if missing.
   * Node reads a path as UTF-8 in one native call, faster than any read through a descriptor,
   * so the blocks come from one lstat after it (measured: about a third of the read's time).
   */
  private readTextSync(abs: string): SizedText & { text: string | undefined } {
    let text: string | undefined
    try {
      // Node accepts numeric open flags here (O_NOFOLLOW refuses links); its types say string.
      text = readFileSync(abs, { encoding: 'utf8', flag: READ_FLAGS as unknown as string })
    } catch (e) {
      return { text: missingAsUndefined(abs)(e as NodeJS.ErrnoException) }
    }
    let blocks: number | undefined
    try {
      blocks = lstatSync(abs, { throwIfNoEntry: false })?.blocks
    } catch {
      // the text was read: a stat that fails after it only leaves the size on disk unknown
    }
    return blocks !== undefined && Number.isFinite(blocks)
      ? { text, allocated: blocks * 512 }
      : { text }
  }

  async headMany(rels: string[]): Promise<(ObjectMeta | undefined)[]> {
    return this.headManySync(rels)
  }

  private headManySync(rels: string[]): (ObjectMeta | undefined)[] {
    const dirs = this.checkDirsOf(rels)
    const out = rels.map((rel) => (dirs.get(parentOf(rel)) ? this.headChecked(rel) : undefined))
    const changed = this.changedDirs(dirs)
    return changed.size === 0
      ? out
      : out.map((m, i) => (changed.has(parentOf(rels[i] as string)) ? undefined : m))
  }

  private checkDirsOf(rels: string[]): Map<string, Identity | undefined> {
    const dirs = new Map<string, Identity | undefined>()
    for (const rel of rels) {
      const dir = parentOf(rel)
      if (!dirs.has(dir)) dirs.set(dir, this.guard.checkDir(dir, false))
    }
    return dirs
  }

  /** The folders of `dirs` that, checked again, are gone or another folder now. */
  private changedDirs(dirs: Map<string, Identity | undefined>): Set<string> {
    const changed = new Set<string>()
    for (const [dir, id] of dirs) if (id && !this.guard.unchanged(dir, id)) changed.add(dir)
    return changed
  }

  /** Metadata of a regular file whose folder was just checked; a link is refused. */
  private headChecked(rel: string): ObjectMeta | undefined {
    const abs = this.abs(rel)
    let st
    try {
      st = lstatSync(abs, { throwIfNoEntry: false })
    } catch (e) {
      return missingAsUndefined(abs)(e as NodeJS.ErrnoException)
    }
    if (st?.isSymbolicLink()) throw linkRefused(abs)
    if (!st?.isFile()) return undefined
    // Writes replace files by rename, so the inode alone changes on every write; size and
    // mtime (sub-millisecond) guard against in-place edits by other tools.
    return {
      path: rel,
      size: st.size,
      lastModified: st.mtime,
      etag: `${st.ino}-${st.size}-${st.mtimeMs}`,
      // st_blocks counts 512-byte units on every POSIX system; Windows reports none.
      ...(Number.isFinite(st.blocks) ? { allocated: st.blocks * 512 } : {}),
    }
  }

  /**
   * Opens `rel` for reading, then proves the open did not go through a swapped folder: every
   * folder is checked after the open, and the file now at `rel` must be the one opened. Data
   * is only returned once that holds, so checking before the open as well would add nothing.
   */
  private openVerified(rel: string): { fd: number; st: BigIntStats } | undefined {
    const dir = parentOf(rel)
    const abs = this.abs(rel)
    for (let attempt = 1; ; attempt++) {
      let fd: number
      try {
        fd = openSync(abs, READ_FLAGS)
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code
        // Missing: the folders say whether that is all (a link or a file on the way throws).
        if (code === 'ENOENT' || code === 'ENOTDIR') this.guard.checkDir(dir, false)
        return missingAsUndefined(abs)(e as NodeJS.ErrnoException)
      }
      try {
        const st = fstatSync(fd, { bigint: true })
        if (this.guard.opened(dir, abs, identityOf(st))) return { fd, st }
      } catch (e) {
        closeSync(fd)
        throw mapError(abs)(e as NodeJS.ErrnoException)
      }
      closeSync(fd)
      if (attempt === OPEN_ATTEMPTS) {
        throw new PermissionDeniedError(
          `${abs} kept being replaced while xpersist opened it, so it was not read. Check ` +
            `what else is writing to the cache, then retry.`,
        )
      }
    }
  }

  async get(rel: string, range?: ByteRange): Promise<Uint8Array | undefined> {
    const opened = this.openVerified(rel)
    if (!opened) return undefined
    const { fd, st } = opened
    try {
      if (!st.isFile()) return undefined
      const size = Number(st.size)
      if (!range)
        return size <= SYNC_READ_LIMIT ? readSyncAt(fd, 0, size) : await readAt(fd, 0, size)
      const [start, length] =
        'suffixLength' in range
          ? [Math.max(0, size - range.suffixLength), Math.min(size, range.suffixLength)]
          : [range.offset, Math.max(0, Math.min(range.length, size - range.offset))]
      return await readAt(fd, start, length)
    } catch (e) {
      return missingAsUndefined(this.abs(rel))(e as NodeJS.ErrnoException)
    } finally {
      closeSync(fd)
    }
  }

  // The descriptor stays on the file opened and checked here: a writer renaming a new version
  // over it later does not change what this reader sees.
  async openRead(rel: string): Promise<RandomReader | undefined> {
    const opened = this.openVerified(rel)
    if (!opened) return undefined
    const { fd, st } = opened
    if (!st.isFile()) {
      closeSync(fd)
      return undefined
    }
    const abs = this.abs(rel)
    let open = true
    return {
      size: Number(st.size),
      readSync: (buffer, position) => {
        if (!open) throw new BackendError(`${abs} was read after it was closed.`)
        try {
          return readSync(fd, buffer, 0, buffer.length, position)
        } catch (e) {
          throw mapError(abs)(e as NodeJS.ErrnoException)
        }
      },
      close: async () => {
        if (open) closeSync(fd)
        open = false
      },
    }
  }

  async put(rel: string, data: Uint8Array, options: PutOptions = {}): Promise<ObjectMeta> {
    const mode = options.mode ?? 'overwrite'
    const dir = parentOf(rel)
    const dirId = this.guard.checkDir(dir, true) as Identity
    const abs = this.abs(rel)
    const tmp = path.join(
      path.dirname(abs),
      `.${path.basename(abs).slice(0, 100)}${TEMP_MARKER}${randomBytes(6).toString('hex')}`,
    )
    try {
      const fh = await fs.open(tmp, 'wx', 0o644).catch(mapError(tmp))
      let tmpId: Identity
      try {
        tmpId = identityOf(await fh.stat({ bigint: true }))
        await fh.writeFile(data)
        await fh.sync()
      } finally {
        await fh.close()
      }
      // From the version check to the rename nothing awaits, so no other write of this
      // process can land between them (writers in other processes are serialised by the
      // store's key lock; a disk has no compare-and-swap rename).
      if (typeof mode === 'object' && this.headManySync([rel])[0]?.etag !== mode.ifMatch) {
        throw new ConflictError(`${abs} changed since it was read.`)
      }
      // Right before the file becomes visible: its folder is still the one checked, and the
      // temp file is in it. Synchronous, so nothing else runs between the check and the rename.
      this.guard.confirm(dir, dirId, tmp, tmpId)
      try {
        if (mode === 'create') linkSync(tmp, abs)
        else renameSync(tmp, abs)
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'EEXIST') {
          throw new AlreadyExistsError(`${abs} already exists.`)
        }
        throw mapError(abs)(e as NodeJS.ErrnoException)
      }
    } finally {
      await fs.rm(tmp, { force: true })
    }
    const meta = await this.head(rel)
    if (!meta) throw new BackendError(`${abs} vanished right after it was written.`)
    return meta
  }

  async delete(rel: string): Promise<void> {
    const dir = parentOf(rel)
    const dirId = this.guard.checkDir(dir, false)
    if (!dirId) return
    const abs = this.abs(rel)
    let st
    try {
      st = lstatSync(abs, { throwIfNoEntry: false })
    } catch (e) {
      st = missingAsUndefined(abs)(e as NodeJS.ErrnoException)
    }
    if (!st) return
    if (st.isDirectory()) throw new BackendError(`${abs} is a folder, not an object.`)
    // unlink never follows the name it removes; the folders above it must be the checked ones.
    this.guard.recheck(dir, dirId)
    try {
      unlinkSync(abs)
    } catch (e) {
      missingAsUndefined(abs)(e as NodeJS.ErrnoException)
    }
    this.pruneEmptyDirs(dir)
  }

  async rename(from: string, to: string, options: { noReplace?: boolean } = {}): Promise<boolean> {
    const srcDir = parentOf(from)
    const srcId = this.guard.checkDir(srcDir, false)
    if (!srcId) return false
    const src = this.abs(from)
    let st
    try {
      st = lstatSync(src, { throwIfNoEntry: false })
    } catch (e) {
      st = missingAsUndefined(src)(e as NodeJS.ErrnoException)
    }
    if (!st) return false
    if (st.isSymbolicLink()) throw linkRefused(src)
    if (!st.isFile()) throw new BackendError(`${src} is not a file.`)
    const dstDir = parentOf(to)
    const dstId = this.guard.checkDir(dstDir, true) as Identity
    const dst = this.abs(to)
    // Synchronous from here to the rename: both folders are still the checked ones.
    this.guard.recheck(srcDir, srcId)
    this.guard.recheck(dstDir, dstId)
    try {
      // link fails atomically when the name exists; rename would replace it.
      if (options.noReplace) {
        linkSync(src, dst)
        unlinkSync(src)
      } else renameSync(src, dst)
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code
      if (code === 'EEXIST') throw new AlreadyExistsError(`${dst} already exists.`)
      if (code === 'ENOENT') return false
      if (code === 'EXDEV') throw new NotSupportedError(`${src} and ${dst} are on two filesystems.`)
      throw mapError(dst)(e as NodeJS.ErrnoException)
    }
    this.pruneEmptyDirs(srcDir)
    return true
  }

  // One path at a time through `delete`, so each gets every check a single delete makes (its
  // folders re-proved right before the unlink); unlink is cheap next to those checks anyway.
  async deleteMany(rels: string[]): Promise<void> {
    for (const rel of rels) await this.delete(rel)
  }

  /** Removes `relDir` and its parents while they are empty; the root and kept folders stay. */
  private pruneEmptyDirs(relDir: string): void {
    for (let dir = relDir; dir !== '' && !this.keepDirs.has(dir); dir = parentOf(dir)) {
      try {
        // rmdir never follows the folder it removes (a link fails), but the folders above it
        // must be real ones under the root at this moment.
        if (!this.guard.checkDir(parentOf(dir), false)) return
        rmdirSync(this.abs(dir))
      } catch {
        return // not empty, gone, or no longer safe to touch: pruning is only tidying up
      }
    }
  }

  async *list(prefix: string, range?: ListRange): AsyncIterable<ObjectMeta> {
    for await (const all of this.listPaths(prefix)) {
      // Filtered before the stat: a range costs only the stats of its own files.
      const page = range ? all.filter((p) => inRange(p, range)) : all
      if (page.length === 0) continue
      const dirs = this.checkDirsOf(page)
      const metas: ObjectMeta[] = []
      for (const rel of page) {
        if (!dirs.get(parentOf(rel))) continue
        try {
          const meta = this.headChecked(rel)
          if (meta) metas.push(meta)
        } catch {
          // a link or an unreadable entry is not an object; readers of it get the refusal
        }
      }
      const changed = this.changedDirs(dirs)
      yield* metas.filter((m) => !changed.has(parentOf(m.path)))
    }
  }

  /**
   * Like list, without a stat per object: paths only, a folder per page. Every entry that is
   * not a folder is named, links too, so a caller reading one meets the refusal instead of
   * never seeing it.
   */
  async *listPaths(prefix: string): AsyncIterable<string[]> {
    yield* this.walk(prefix, (e) => !e.isDirectory() && !e.name.includes(TEMP_MARKER))
  }

  /** Entries under `prefix` that `want` accepts, a folder per page; links are never entered. */
  private async *walk(prefix: string, want: (e: Dirent) => boolean): AsyncIterable<string[]> {
    const start = prefix.replace(/\/+$/, '')
    if (!this.guard.checkDir(start, false)) return
    const stack = [start]
    while (stack.length > 0) {
      const dir = stack.pop() as string
      const page: string[] = []
      for (const e of this.readDir(dir)) {
        const rel = dir === '' ? e.name : `${dir}/${e.name}`
        if (e.isDirectory()) stack.push(rel)
        else if (want(e)) page.push(rel)
      }
      if (page.length > 0) yield page
    }
  }

  async listWithDelimiter(prefix: string): Promise<ListResult> {
    const dir = prefix.replace(/\/+$/, '')
    const result: ListResult = { objects: [], prefixes: [] }
    const id = this.guard.checkDir(dir, false)
    if (!id) return result
    for (const e of this.readDir(dir)) {
      const rel = dir === '' ? e.name : `${dir}/${e.name}`
      if (e.isDirectory()) result.prefixes.push(`${rel}/`)
      else if (e.isFile() && !e.name.includes(TEMP_MARKER)) {
        const meta = this.headChecked(rel)
        if (meta) result.objects.push(meta)
      }
    }
    return this.guard.unchanged(dir, id) ? result : { objects: [], prefixes: [] }
  }

  /** Temp files of interrupted writes, which `list` hides; doctor reports them. */
  async *listTempFiles(prefix: string): AsyncIterable<string> {
    for await (const page of this.walk(
      prefix,
      (e) => !e.isDirectory() && e.name.includes(TEMP_MARKER),
    )) {
      yield* page
    }
  }

  // Synchronous like the small reads: one readdir of 10,000 names costs ~8 ms either way, and
  // the thread-pool round trip made `keys()` 2.5x slower than the call itself (npm run bench).
  // The folder is checked before and after, so a folder swapped for a link is never listed;
  // one removed or replaced meanwhile (a concurrent delete pruned it) lists as empty.
  private readDir(rel: string): Dirent[] {
    const id = this.guard.checkDir(rel, false)
    if (!id) return []
    const abs = this.abs(rel)
    let entries: Dirent[]
    try {
      entries = readdirSync(abs, { withFileTypes: true })
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return []
      throw mapError(abs)(e as NodeJS.ErrnoException)
    }
    return this.guard.unchanged(rel, id) ? entries : []
  }

  async isWritable(): Promise<boolean> {
    return fs.access(this.root, constants.W_OK).then(
      () => true,
      () => false,
    )
  }
}

/** Reads `length` bytes at `start` synchronously (fewer at the end of the file). */
function readSyncAt(fd: number, start: number, length: number): Uint8Array {
  const buf = new Uint8Array(length)
  let done = 0
  while (done < length) {
    const n = readSync(fd, buf, done, length - done, start + done)
    if (n === 0) break
    done += n
  }
  return done === length ? buf : buf.subarray(0, done)
}

/** Reads `length` bytes at `start` through the thread pool (fewer at the end of the file). */
async function readAt(fd: number, start: number, length: number): Promise<Uint8Array> {
  const buf = new Uint8Array(length)
  let done = 0
  while (done < length) {
    const n = await new Promise<number>((resolve, reject) =>
      read(fd, buf, done, length - done, start + done, (err, bytesRead) =>
        err ? reject(err) : resolve(bytesRead),
      ),
    )
    if (n === 0) break
    done += n
  }
  return done === length ? buf : buf.subarray(0, done)
}

function parentOf(rel: string): string {
  const i = rel.lastIndexOf('/')
  return i < 0 ? '' : rel.slice(0, i)
}
