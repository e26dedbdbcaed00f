import {
  closeSync,
  constants,
  lstatSync,
  openSync,
  promises as fs,
  readdirSync,
  readFileSync,
  readSync,
  type Dirent,
} from 'node:fs'
import { randomBytes } from 'node:crypto'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import type { Backend, ByteRange, ListResult, ObjectMeta, PutOptions } from './backend.js'
import { TEMP_MARKER } from '../keys.js'
import {
  AlreadyExistsError,
  BackendError,
  ConflictError,
  PermissionDeniedError,
  XpersistError,
} from '../errors.js'

const READ_FLAGS = constants.O_RDONLY | constants.O_NOFOLLOW
// An empty, '.' or '..' segment, or a leading or trailing '/': never a path under the root.
const UNSAFE_PATH = /(?:^|\/)\.{1,2}(?:\/|$)|\/\/|^\/|\/$|\\|\0/
// Files up to this size are read with synchronous calls: for the small sidecars a listing
// reads by the thousand, a libuv round trip per call costs ~6x the read itself (measured by
// `npm run bench`), while blocking the loop for a 64 KiB read is a few microseconds.
const SYNC_READ_LIMIT = 64 * 1024

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
 * so readers never see a partial file. Symbolic links are never followed: every folder on the
 * way is checked to be a real folder under the root, and files open with O_NOFOLLOW.
 */
export class LocalBackend implements Backend {
  readonly url: string
  private readonly verified = new Set<string>([''])

  private constructor(
    readonly root: string,
    private readonly keepDirs: Set<string>,
  ) {
    this.url = pathToFileURL(root).href
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
    return new LocalBackend(real, new Set(options.keepDirs ?? []))
  }

  private abs(rel: string): string {
    if (rel === '') return this.root
    if (UNSAFE_PATH.test(rel)) {
      throw new BackendError(`Refusing path '${rel}': it would leave the cache root.`)
    }
    return `${this.root}${path.sep}${path.sep === '/' ? rel : rel.split('/').join(path.sep)}`
  }

  /** Checks (and with `create`, makes) each folder of `relDir`; false when one is missing. */
  private async checkDir(relDir: string, create: boolean): Promise<boolean> {
    if (this.verified.has(relDir)) return true
    const parts = relDir.split('/')
    for (let i = 1; i <= parts.length; i++) {
      const rel = parts.slice(0, i).join('/')
      if (this.verified.has(rel)) continue
      const abs = this.abs(rel)
      let st = await fs.lstat(abs).catch((e: NodeJS.ErrnoException) => {
        if (e.code === 'ENOENT') return undefined
        throw mapError(abs)(e)
      })
      if (!st) {
        if (!create) return false
        await fs.mkdir(abs).catch((e: NodeJS.ErrnoException) => {
          if (e.code !== 'EEXIST') throw mapError(abs)(e)
        })
        st = await fs.lstat(abs)
      }
      if (st.isSymbolicLink()) {
        throw new PermissionDeniedError(
          `${abs} is a symbolic link; xpersist never follows links inside a cache, so nothing ` +
            `is read or written outside ${this.root}. Replace the link with a real folder.`,
        )
      }
      if (!st.isDirectory()) throw new BackendError(`${abs} is a file where a folder is needed.`)
      this.verified.add(rel)
    }
    return true
  }

  async ensureDir(rel: string): Promise<void> {
    await this.checkDir(rel, true)
  }

  async head(rel: string): Promise<ObjectMeta | undefined> {
    if (!(await this.checkDir(parentOf(rel), false))) return undefined
    return this.headChecked(rel)
  }

  // Batches check each distinct folder once, then make plain synchronous calls: a listing of
  // 100,000 keys spends its time in syscalls instead of promise and thread-pool overhead.
  // Node decodes UTF-8 files natively in one call; a replacement character means the bytes
  // may not be valid UTF-8, so those are re-read as bytes for a strict decode.
  async getManyText(rels: string[]): Promise<(string | Uint8Array | undefined)[]> {
    const present = await this.checkDirsOf(rels)
    const out: (string | Uint8Array | undefined)[] = []
    for (let i = 0; i < rels.length; i++) {
      const rel = rels[i] as string
      if (!present[i]) {
        out.push(undefined)
        continue
      }
      const abs = this.abs(rel)
      let text: string | undefined
      try {
        // Node accepts numeric open flags here (O_NOFOLLOW refuses links); its types say string.
        text = readFileSync(abs, { encoding: 'utf8', flag: READ_FLAGS as unknown as string })
      } catch (e) {
        text = missingAsUndefined(abs)(e as NodeJS.ErrnoException)
      }
      out.push(text !== undefined && text.includes('\uFFFD') ? await this.get(rel) : text)
    }
    return out
  }

  async headMany(rels: string[]): Promise<(ObjectMeta | undefined)[]> {
    const present = await this.checkDirsOf(rels)
    return rels.map((rel, i) => (present[i] ? this.headChecked(rel) : undefined))
  }

  private async checkDirsOf(rels: string[]): Promise<boolean[]> {
    const dirs = new Map<string, boolean>()
    for (const rel of rels) {
      const dir = parentOf(rel)
      if (!dirs.has(dir)) dirs.set(dir, await this.checkDir(dir, false))
    }
    return rels.map((rel) => dirs.get(parentOf(rel)) as boolean)
  }

  private headChecked(rel: string): ObjectMeta | undefined {
    const abs = this.abs(rel)
    let st
    try {
      st = lstatSync(abs, { throwIfNoEntry: false })
    } catch (e) {
      return missingAsUndefined(abs)(e as NodeJS.ErrnoException)
    }
    if (!st || st.isDirectory()) return undefined
    if (st.isSymbolicLink()) throw symlinkRefused(abs)
    // Writes replace files by rename, so the inode alone changes on every write; size and
    // mtime (sub-millisecond) guard against in-place edits by other tools.
    return {
      path: rel,
      size: st.size,
      lastModified: st.mtime,
      etag: `${st.ino}-${st.size}-${st.mtimeMs}`,
    }
  }

  async get(rel: string, range?: ByteRange): Promise<Uint8Array | undefined> {
    if (!(await this.checkDir(parentOf(rel), false))) return undefined
    const abs = this.abs(rel)
    if (!range) {
      const small = readSmallSync(abs)
      if (small !== 'large') return small
      const data = await fs.readFile(abs, { flag: READ_FLAGS }).catch(missingAsUndefined(abs))
      return data && new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
    }
    const fh = await fs.open(abs, READ_FLAGS).catch(missingAsUndefined(abs))
    if (!fh) return undefined
    try {
      const size = (await fh.stat()).size
      const [start, length] =
        'suffixLength' in range
          ? [Math.max(0, size - range.suffixLength), Math.min(size, range.suffixLength)]
          : [range.offset, Math.max(0, Math.min(range.length, size - range.offset))]
      const buf = new Uint8Array(length)
      let done = 0
      while (done < length) {
        const { bytesRead } = await fh.read(buf, done, length - done, start + done)
        if (bytesRead === 0) break
        done += bytesRead
      }
      return done === length ? buf : buf.subarray(0, done)
    } finally {
      await fh.close()
    }
  }

  async put(rel: string, data: Uint8Array, options: PutOptions = {}): Promise<ObjectMeta> {
    const mode = options.mode ?? 'overwrite'
    await this.checkDir(parentOf(rel), true)
    const abs = this.abs(rel)
    const tmp = path.join(
      path.dirname(abs),
      `.${path.basename(abs).slice(0, 100)}${TEMP_MARKER}${randomBytes(6).toString('hex')}`,
    )
    try {
      const fh = await fs.open(tmp, 'wx', 0o644)
      try {
        await fh.writeFile(data)
        await fh.sync()
      } finally {
        await fh.close()
      }
      if (mode === 'create') {
        await fs.link(tmp, abs).catch((e: NodeJS.ErrnoException) => {
          if (e.code === 'EEXIST') throw new AlreadyExistsError(`${abs} already exists.`)
          throw mapError(abs)(e)
        })
      } else {
        if (typeof mode === 'object') {
          const current = await this.head(rel)
          if (current?.etag !== mode.ifMatch) {
            throw new ConflictError(`${abs} changed since it was read.`)
          }
        }
        await fs.rename(tmp, abs).catch(mapError(abs))
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
    if (!(await this.checkDir(dir, false))) return
    const abs = this.abs(rel)
    const st = await fs.lstat(abs).catch(missingAsUndefined(abs))
    if (!st) return
    if (st.isDirectory()) throw new BackendError(`${abs} is a folder, not an object.`)
    await fs.unlink(abs).catch(missingAsUndefined(abs))
    await this.pruneEmptyDirs(dir)
  }

  /** Removes `relDir` and its parents while they are empty; the root and kept folders stay. */
  private async pruneEmptyDirs(relDir: string): Promise<void> {
    for (let dir = relDir; dir !== '' && !this.keepDirs.has(dir); dir = parentOf(dir)) {
      const removed = await fs.rmdir(this.abs(dir)).then(
        () => true,
        () => false,
      )
      if (!removed) return
      for (const v of this.verified)
        if (v === dir || v.startsWith(`${dir}/`)) this.verified.delete(v)
    }
  }

  async *list(prefix: string): AsyncIterable<ObjectMeta> {
    for await (const page of this.listPaths(prefix)) {
      for (const rel of page) {
        const meta = await this.head(rel).catch(() => undefined)
        if (meta) yield meta
      }
    }
  }

  /** Like list, without a stat per object: paths only, a folder per page. */
  async *listPaths(prefix: string): AsyncIterable<string[]> {
    yield* this.walk(prefix, (e) => e.isFile() && !e.name.includes(TEMP_MARKER))
  }

  /** Files under `prefix` that `want` accepts, a folder per page; links are never entered. */
  private async *walk(prefix: string, want: (e: Dirent) => boolean): AsyncIterable<string[]> {
    const start = prefix.replace(/\/+$/, '')
    if (!(await this.checkDir(start, false))) return
    const stack = [start]
    while (stack.length > 0) {
      const dir = stack.pop() as string
      const page: string[] = []
      for (const e of await this.readDir(dir)) {
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
    if (!(await this.checkDir(dir, false))) return result
    for (const e of await this.readDir(dir)) {
      const rel = dir === '' ? e.name : `${dir}/${e.name}`
      if (e.isDirectory()) result.prefixes.push(`${rel}/`)
      else if (e.isFile() && !e.name.includes(TEMP_MARKER)) {
        const meta = await this.head(rel).catch(() => undefined)
        if (meta) result.objects.push(meta)
      }
    }
    return result
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
  private async readDir(rel: string): Promise<Dirent[]> {
    const abs = this.abs(rel)
    try {
      return readdirSync(abs, { withFileTypes: true })
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return []
      throw mapError(abs)(e as NodeJS.ErrnoException)
    }
  }

  async isWritable(): Promise<boolean> {
    return fs.access(this.root, constants.W_OK).then(
      () => true,
      () => false,
    )
  }
}

// One scratch buffer for synchronous reads: a small file is read into it with a single
// read call (no fstat) and copied out at its exact size.
const scratch = new Uint8Array(SYNC_READ_LIMIT + 1)

/** Reads a file of at most SYNC_READ_LIMIT bytes synchronously; 'large' for bigger ones. */
function readSmallSync(abs: string): Uint8Array | undefined | 'large' {
  let fd: number
  try {
    fd = openSync(abs, READ_FLAGS)
  } catch (e) {
    return missingAsUndefined(abs)(e as NodeJS.ErrnoException)
  }
  try {
    let done = 0
    for (;;) {
      const n = readSync(fd, scratch, done, scratch.length - done, done)
      if (n === 0) break
      done += n
      if (done > SYNC_READ_LIMIT) return 'large'
    }
    return scratch.slice(0, done)
  } catch (e) {
    return missingAsUndefined(abs)(e as NodeJS.ErrnoException)
  } finally {
    closeSync(fd)
  }
}

function parentOf(rel: string): string {
  const i = rel.lastIndexOf('/')
  return i < 0 ? '' : rel.slice(0, i)
}

function symlinkRefused(abs: string): PermissionDeniedError {
  return new PermissionDeniedError(
    `${abs} is a symbolic link; xpersist never follows links inside a cache. ` +
      `Replace it with the real file.`,
  )
}

function missingAsUndefined(abs: string) {
  return (e: NodeJS.ErrnoException): undefined => {
    if (e.code === 'ENOENT' || e.code === 'EISDIR' || e.code === 'ENOTDIR') return undefined
    throw mapError(abs)(e)
  }
}

/** Maps an OS error to the closed engine error set, naming the file and the fix. */
function mapError(abs: string) {
  return (e: NodeJS.ErrnoException): never => {
    if (e instanceof XpersistError) throw e
    if (e.code === 'ELOOP') throw symlinkRefused(abs)
    if (e.code === 'EACCES' || e.code === 'EPERM' || e.code === 'EROFS') {
      throw new PermissionDeniedError(
        `Permission denied for ${abs} (${e.code}). Open the cache read-only, or fix its permissions.`,
        { cause: e },
      )
    }
    if (e.code === 'ENOSPC') {
      throw new BackendError(`No space left on the device holding ${abs}.`, { cause: e })
    }
    throw new BackendError(`${e.code ?? 'Error'} on ${abs}: ${e.message}`, { cause: e })
  }
}
