import { lstatSync, mkdirSync, type BigIntStats } from 'node:fs'
import path from 'node:path'
import {
  BackendError,
  CacheFolderChangedError,
  PermissionDeniedError,
  XpersistError,
} from '../errors.js'

// An empty, '.' or '..' segment, or a leading or trailing '/': never a path under the root.
const UNSAFE_PATH = /(?:^|\/)\.{1,2}(?:\/|$)|\/\/|^\/|\/$|\\|\0/

/** Which file or folder a path named when it was checked: device and inode. */
export interface Identity {
  dev: bigint
  ino: bigint
}

const sameIdentity = (a: Identity, b: Identity) => a.dev === b.dev && a.ino === b.ino

/**
 * Keeps every path of a LocalBackend inside its root. Node has no openat(), so nothing is
 * remembered between calls: at the moment of use, each call lstats (never follows) the root
 * and every folder below it, and compares devices and inodes before and after the act (a
 * write's rename, a delete's unlink, a listing's readdir; a read checks after its open), so a
 * folder swapped for a link in a long session is refused, not followed. The calls are
 * synchronous: microseconds each, and no thread-pool hop widens the window between check and use.
 */
export class PathGuard {
  constructor(
    readonly root: string,
    private readonly rootId: Identity,
  ) {}

  /** The guard of the real folder `root` (already resolved by realpath). */
  static of(root: string): PathGuard {
    const st = lstatSync(root, { bigint: true })
    return new PathGuard(root, { dev: st.dev, ino: st.ino })
  }

  /** The absolute path of `rel`; refuses anything that could climb out of the root. */
  abs(rel: string): string {
    if (rel === '') return this.root
    if (UNSAFE_PATH.test(rel)) {
      throw new BackendError(`Refusing path '${rel}': it would leave the cache root.`)
    }
    return `${this.root}${path.sep}${path.sep === '/' ? rel : rel.split('/').join(path.sep)}`
  }

  /**
   * Checks (and with `create`, makes) each folder of `relDir`, from the root down, without
   * following links. Returns the identity of `relDir`, or undefined when a folder is missing.
   */
  checkDir(relDir: string, create: boolean): Identity | undefined {
    try {
      return this.walkDown(relDir, create)
    } catch (e) {
      throw mapError(this.abs(relDir))(e as NodeJS.ErrnoException)
    }
  }

  private walkDown(relDir: string, create: boolean): Identity | undefined {
    const rootSt = lstatSync(this.root, { bigint: true, throwIfNoEntry: false })
    if (!rootSt || !rootSt.isDirectory() || !sameIdentity(rootSt, this.rootId)) {
      throw new CacheFolderChangedError(this.root)
    }
    let id: Identity = this.rootId
    if (relDir === '') return id
    const parts = relDir.split('/')
    for (let i = 1; i <= parts.length; i++) {
      const abs = this.abs(parts.slice(0, i).join('/'))
      let st = lstatSync(abs, { bigint: true, throwIfNoEntry: false })
      if (!st) {
        if (!create) return undefined
        mkdirOnce(abs)
        // The parent must still be the folder just checked, or the mkdir went through a link.
        this.expectSame(path.dirname(abs), id)
        st = lstatSync(abs, { bigint: true })
      }
      if (st.isSymbolicLink()) throw linkRefused(abs)
      if (!st.isDirectory()) {
        throw new BackendError(`${abs} is a file where a folder is needed.`)
      }
      id = { dev: st.dev, ino: st.ino }
    }
    return id
  }

  /**
   * Whether `relDir`, checked from the root again, is still the folder `id` names; false when
   * it is gone or another folder now (a reader then discards what it read, as if missing), and
   * a throw when a link or a file took its place.
   */
  unchanged(relDir: string, id: Identity): boolean {
    const now = this.checkDir(relDir, false)
    return now !== undefined && sameIdentity(now, id)
  }

  /** Throws unless `relDir` is still, checked from the root again, the folder `id` names. */
  recheck(relDir: string, id: Identity): void {
    if (!this.unchanged(relDir, id)) {
      throw new PermissionDeniedError(
        `${this.abs(relDir)} was moved or replaced while xpersist was using it; nothing ` +
          `outside ${this.root} was changed. Check what else is changing the cache, then retry.`,
      )
    }
  }

  /**
   * Whether the file opened as `abs` is, checked after the open, a real file in a real folder
   * under the root: every folder from the root is checked again (a link throws) and the file
   * now at `abs` must be the one opened. If not, the open may have gone through a folder
   * swapped for a link and back, or a writer replaced the file meanwhile.
   */
  opened(relDir: string, abs: string, opened: Identity): boolean {
    if (!this.checkDir(relDir, false)) return false
    return this.isAt(abs, opened)
  }

  /** Throws unless the file written as `abs` (a temp file only we use) is still there. */
  confirm(relDir: string, dirId: Identity, abs: string, written: Identity): void {
    this.recheck(relDir, dirId)
    if (!this.isAt(abs, written)) {
      throw new PermissionDeniedError(
        `${abs} was moved while xpersist was writing it (a folder on its way may have been ` +
          `swapped for a link), so the write was not finished. Check what else is changing ` +
          `the cache, then retry.`,
      )
    }
  }

  private isAt(abs: string, id: Identity): boolean {
    const st = lstatSync(abs, { bigint: true, throwIfNoEntry: false })
    return st !== undefined && !st.isSymbolicLink() && sameIdentity(st, id)
  }

  private expectSame(abs: string, id: Identity): void {
    const st = lstatSync(abs, { bigint: true, throwIfNoEntry: false })
    if (!st || st.isSymbolicLink() || !sameIdentity(st, id)) throw linkRefused(abs)
  }
}

function mkdirOnce(abs: string): void {
  try {
    mkdirSync(abs)
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e
  }
}

/** The refusal for a link met inside the cache. */
export function linkRefused(abs: string): PermissionDeniedError {
  return new PermissionDeniedError(
    `${abs} is a symbolic link; xpersist never follows links inside a cache, so nothing ` +
      `outside it is read or written. Replace the link with the real folder or file.`,
  )
}

/** The identity of a stat result. */
export function identityOf(st: BigIntStats): Identity {
  return { dev: st.dev, ino: st.ino }
}

/** Maps an OS error to the closed engine error set, naming the file and the fix. */
export function mapError(abs: string) {
  return (e: NodeJS.ErrnoException): never => {
    if (e instanceof XpersistError) throw e
    if (e.code === 'ELOOP') throw linkRefused(abs)
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

/** For reads: a missing file (or a folder where a file was asked for) is undefined. */
export function missingAsUndefined(abs: string) {
  return (e: NodeJS.ErrnoException): undefined => {
    if (e.code === 'ENOENT' || e.code === 'EISDIR' || e.code === 'ENOTDIR') return undefined
    throw mapError(abs)(e)
  }
}
