import { randomBytes } from 'node:crypto'
import { constants, promises as fs } from 'node:fs'
import type { IncomingMessage } from 'node:http'
import path from 'node:path'
import { Transform } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { InvalidArgumentError } from '../engine/errors.js'
import { checkManifest, type FolderLimits, type ManifestEntry } from './folder-paths.js'

// A new file only (O_EXCL), never through a link (O_NOFOLLOW), readable by us alone.
const WRITE_FLAGS =
  constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0)

/** An idle folder upload is removed after this long (a tab closed halfway). */
const IDLE_MS = 10 * 60_000
/** Unfinished uploads kept at once; starting another drops the oldest. */
const MAX_PENDING = 4

interface Pending {
  dir: string
  entries: ManifestEntry[]
  /** Per file: not sent yet, being written, or written whole. */
  state: ('wait' | 'busy' | 'done')[]
  touched: number
}

const gone = () =>
  new InvalidArgumentError('That folder upload expired or was cancelled; choose the folder again.')

/**
 * Folder uploads in browser mode: a manifest of relative paths and sizes is checked whole
 * first, then each file's bytes are streamed in their own request into a fresh private
 * folder, and finishing hands back that folder for one put. Any failure removes the whole
 * upload, so a folder is either complete or gone; idle ones expire.
 */
export class FolderUploads {
  private readonly pending = new Map<string, Pending>()

  constructor(
    /** Makes a fresh private folder (inside the server's upload folder). */
    private readonly freshDir: () => Promise<string>,
    private readonly limits: FolderLimits,
    private readonly now: () => number = Date.now,
  ) {}

  /** Checks a manifest and opens an upload for it; nothing is written if it is refused. */
  async start(manifest: unknown): Promise<{ upload: string; files: number; bytes: number }> {
    await this.sweep()
    const entries = checkManifest(manifest, this.limits)
    while (this.pending.size >= MAX_PENDING) {
      const oldest = this.pending.keys().next().value as string
      await this.cancel(oldest)
    }
    const dir = await this.freshDir()
    const upload = randomBytes(16).toString('hex')
    const state = entries.map(() => 'wait' as const)
    this.pending.set(upload, { dir, entries, state, touched: this.now() })
    const bytes = entries.reduce((sum, e) => sum + e.bytes, 0)
    return { upload, files: entries.length, bytes }
  }

  /** Streams file `index` of the manifest from the request body; its size must match. */
  async receive(upload: string, index: number, req: IncomingMessage): Promise<{ bytes: number }> {
    const p = this.pending.get(upload)
    if (!p) throw gone()
    const entry = p.entries[index]
    if (!entry) throw new InvalidArgumentError(`The folder upload has no file ${index}.`)
    if (p.state[index] !== 'wait') {
      throw new InvalidArgumentError(`${JSON.stringify(entry.path)} was already sent.`)
    }
    p.state[index] = 'busy'
    p.touched = this.now()
    const wrong = (got: string) =>
      new InvalidArgumentError(
        `${JSON.stringify(entry.path)} is ${entry.bytes} bytes in the listing but ${got} arrived; the folder changed while it was sent? Choose it again.`,
      )
    let bytes = 0
    const count = new Transform({
      transform(chunk: Buffer, _enc, next) {
        bytes += chunk.length
        if (bytes > entry.bytes) next(wrong('more'))
        else next(null, chunk)
      },
    })
    try {
      // The paths were checked plain and relative, and only this code writes in the folder,
      // so no segment can be a link; O_NOFOLLOW holds that for the file itself too.
      const file = path.join(p.dir, ...entry.path.split('/'))
      await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o700 })
      const out = await fs.open(file, WRITE_FLAGS, 0o600)
      await pipeline(req, count, out.createWriteStream()) // closes `out`, also on failure
      if (bytes !== entry.bytes) throw wrong(String(bytes))
      // Cancelled while this file streamed: what it wrote may have recreated part of the folder.
      if (this.pending.get(upload) !== p) throw gone()
    } catch (err) {
      await fs.rm(p.dir, { recursive: true, force: true })
      await this.cancel(upload)
      throw err
    }
    p.state[index] = 'done'
    p.touched = this.now()
    return { bytes }
  }

  /** Ends an upload whose every file arrived; returns its folder, which the caller now owns. */
  async finish(upload: string): Promise<{ dir: string; files: number; bytes: number }> {
    const p = this.pending.get(upload)
    if (!p) throw gone()
    const missing = p.state.findIndex((s) => s !== 'done')
    if (missing >= 0) {
      const name = JSON.stringify(p.entries[missing]?.path)
      await this.cancel(upload)
      throw new InvalidArgumentError(`The folder upload ended before ${name} arrived whole.`)
    }
    this.pending.delete(upload)
    const bytes = p.entries.reduce((sum, e) => sum + e.bytes, 0)
    return { dir: p.dir, files: p.entries.length, bytes }
  }

  /** Drops an upload and removes its folder; unknown ids are ignored. */
  async cancel(upload: string): Promise<void> {
    const p = this.pending.get(upload)
    this.pending.delete(upload)
    if (p) await fs.rm(p.dir, { recursive: true, force: true })
  }

  /** Removes uploads idle for longer than IDLE_MS. */
  async sweep(): Promise<void> {
    const old = [...this.pending].filter(
      ([, p]) => this.now() - p.touched > IDLE_MS && !p.state.includes('busy'),
    )
    await Promise.all(old.map(([id]) => this.cancel(id)))
  }

  /** Removes every unfinished upload (the server is closing). */
  async removeAll(): Promise<void> {
    await Promise.all([...this.pending.keys()].map((id) => this.cancel(id)))
  }
}
