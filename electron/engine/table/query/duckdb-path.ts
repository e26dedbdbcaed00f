/**
 * The real path DuckDB may open for a Parquet payload, and the proof afterwards that what it
 * read was that payload. DuckDB opens files by name itself (following links), so: the backend
 * must be a local folder; the path is the key under the cache's real root, with no link
 * anywhere on the way (its realpath is itself) and a regular file at the end; and after the
 * query the same checks hold and the file is the same inode, size and mtime as before. A
 * payload swapped for something else meanwhile fails the check and the result is discarded.
 */
import { lstat, realpath } from 'node:fs/promises'
import path from 'node:path'
import { LocalBackend } from '../../backend/local.js'
import { ConflictError } from '../../errors.js'
import type { Target } from '../../serializers/serializer.js'

/** A payload file DuckDB may open, and how to prove later that it still is. */
export interface ProvenFile {
  path: string
  /** Throws unless the file at `path` is still the one checked. */
  recheck(): Promise<void>
}

/** The payload's real path, or null when it is not a plain local file under the root. */
export async function provenPayloadPath(target: Target): Promise<ProvenFile | null> {
  const backend = target.backend
  if (!(backend instanceof LocalBackend)) return null
  const parts = target.path.split('/')
  if (parts.some((p) => p === '' || p === '.' || p === '..' || p.includes('\\'))) return null
  const abs = path.join(backend.root, ...parts)
  const identity = await check(abs)
  if (!identity) return null
  return {
    path: abs,
    async recheck() {
      const now = await check(abs)
      if (now !== identity) {
        throw new ConflictError(
          `${target.path} changed while it was queried, so the result was discarded; run the query again.`,
        )
      }
    },
  }
}

async function check(abs: string): Promise<string | null> {
  try {
    if ((await realpath(abs)) !== abs) return null
    const st = await lstat(abs, { bigint: true })
    if (!st.isFile()) return null
    return `${st.dev}:${st.ino}:${st.size}:${st.mtimeNs}`
  } catch {
    return null
  }
}
