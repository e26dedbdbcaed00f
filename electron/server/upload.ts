import { randomBytes } from 'node:crypto'
import { createWriteStream, promises as fs } from 'node:fs'
import type { IncomingMessage } from 'node:http'
import os from 'node:os'
import path from 'node:path'
import { pipeline } from 'node:stream/promises'
import { Transform } from 'node:stream'
import { LimitExceededError } from '../engine/errors.js'

/**
 * Where browser uploads land: a private temp folder made on first use, streamed to disk
 * (never held in memory), removed with everything in it when the server stops.
 */
export class UploadDir {
  private dir: Promise<string> | null = null

  constructor(private readonly maxBytes: number) {}

  /** Streams a request body to a new file; resolves with its path and size. */
  async receive(req: IncomingMessage): Promise<{ path: string; bytes: number }> {
    const tooLarge = () =>
      new LimitExceededError(
        `The file is larger than the ${Math.round(this.maxBytes / 2 ** 20)} MiB this server accepts; use \`xpersist put\` for it.`,
      )
    // A declared size over the cap is refused before a byte is written.
    if (Number(req.headers['content-length'] ?? 0) > this.maxBytes) throw tooLarge()
    this.dir ??= fs.mkdtemp(path.join(os.tmpdir(), 'xpersist-uploads-'))
    const file = path.join(await this.dir, randomBytes(12).toString('hex'))
    let bytes = 0
    const limit = this.maxBytes
    const count = new Transform({
      transform(chunk: Buffer, _enc, next) {
        bytes += chunk.length
        if (bytes > limit) next(tooLarge())
        else next(null, chunk)
      },
    })
    try {
      await pipeline(req, count, createWriteStream(file, { flags: 'wx', mode: 0o600 }))
    } catch (err) {
      await fs.rm(file, { force: true })
      throw err
    }
    return { path: file, bytes }
  }

  /** A new private folder inside this one, for a folder upload. */
  async freshDir(): Promise<string> {
    this.dir ??= fs.mkdtemp(path.join(os.tmpdir(), 'xpersist-uploads-'))
    return fs.mkdtemp(path.join(await this.dir, 'folder-'))
  }

  /** Removes the folder and whatever is still in it. */
  async remove(): Promise<void> {
    const dir = await this.dir?.catch(() => null)
    if (dir) await fs.rm(dir, { recursive: true, force: true })
  }
}
