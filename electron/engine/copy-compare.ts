import { createHash } from 'node:crypto'
import type { Backend, ObjectMeta } from './backend/backend.js'
import type { Gate } from './copy-gate.js'

/** Bytes read per request while hashing an object (the memory a hash holds at once). */
export const HASH_CHUNK = 8 * 1024 * 1024

/**
 * The object's content MD5 when its ETag is one: an S3 object written in one PUT has the hex
 * MD5 of its bytes as ETag. A multipart ETag ('<md5>-<parts>') is not, nor is any local
 * (inode, size, mtime) or GCS (generation) tag, so those give undefined and are hashed instead.
 * An S3 object encrypted with SSE-KMS has a 32-hex ETag that is no MD5: it then only fails to
 * match, costing a copy that was not needed, never skipping one that was.
 */
export function contentMd5(backend: Backend, meta: ObjectMeta): string | undefined {
  if (!backend.url.startsWith('s3://')) return undefined
  const tag = meta.etag.replace(/^(?:W\/)?"|"$/g, '').toLowerCase()
  return /^[0-9a-f]{32}$/.test(tag) ? tag : undefined
}

/**
 * Decides whether an object already in the destination equals its source, for resumed and
 * repeated copies. Sizes first (free, from listings); then, when both sides carry content-MD5
 * ETags, those (free); when one side does, the MD5 of the other side's bytes; otherwise a
 * SHA-256 of both sides' bytes. Hashes read by ranges of HASH_CHUNK through the copy's gate,
 * and are remembered per (object, etag), so re-checking under the write lock reads nothing again.
 */
export class ObjectComparer {
  private readonly digests = new Map<string, Promise<string | null>>()

  constructor(private readonly gate: Gate) {}

  /** Whether `dst`'s object `d` holds the same bytes as `src`'s object `s`. */
  async same(src: Backend, s: ObjectMeta, dst: Backend, d: ObjectMeta): Promise<boolean> {
    if (s.size !== d.size) return false
    const a = contentMd5(src, s)
    const b = contentMd5(dst, d)
    if (a !== undefined && b !== undefined) return a === b
    if (a !== undefined) return (await this.digest(dst, d, 'md5')) === a
    if (b !== undefined) return (await this.digest(src, s, 'md5')) === b
    const [x, y] = await Promise.all([this.digest(src, s, 'sha256'), this.digest(dst, d, 'sha256')])
    return x !== null && x === y
  }

  /** The hex digest of an object's bytes; null when it changed or vanished while being read. */
  digest(backend: Backend, meta: ObjectMeta, algorithm: 'md5' | 'sha256'): Promise<string | null> {
    const id = JSON.stringify([backend.url, meta.path, meta.etag, meta.size, algorithm])
    let found = this.digests.get(id)
    if (!found) {
      found = this.hash(backend, meta, algorithm)
      this.digests.set(id, found)
    }
    return found
  }

  private async hash(
    backend: Backend,
    meta: ObjectMeta,
    algorithm: 'md5' | 'sha256',
  ): Promise<string | null> {
    const hash = createHash(algorithm)
    for (let offset = 0; offset < meta.size; offset += HASH_CHUNK) {
      const length = Math.min(HASH_CHUNK, meta.size - offset)
      const chunk = await this.gate.run(length, () => backend.get(meta.path, { offset, length }))
      if (chunk === undefined || chunk.length !== length) return null
      hash.update(chunk)
    }
    return hash.digest('hex')
  }
}
