/**
 * Writes a cache of chosen artifacts straight to disk, as Python xpersist lays it out: for
 * retention tests that need exact created_at, sizes, metadata and serializers. Payloads are
 * never loaded by a listing or a delete, so they are filler bytes of the size asked.
 */
import { promises as fs } from 'node:fs'
import path from 'node:path'

/** One artifact to write; `sidecarText` replaces the sidecar (to write a broken one). */
export interface GeneratedArtifact {
  key: string
  createdAt: string | null
  payloadBytes: number
  serializer?: string
  metadata?: Record<string, unknown>
  sidecarText?: string
}

/** The sidecar JSON Python writes for `a`. */
export function sidecarJson(a: GeneratedArtifact): string {
  return JSON.stringify({
    key: a.key,
    serializer: a.serializer ?? 'joblib',
    load_kwargs: {},
    dump_kwargs: {},
    additional_metadata: a.metadata ?? {},
    created_at: a.createdAt,
  })
}

/** Writes `artifacts` under `dir`; returns each key's payload + sidecar bytes. */
export async function writeGeneratedCache(
  dir: string,
  artifacts: readonly GeneratedArtifact[],
): Promise<Map<string, number>> {
  const sizes = new Map<string, number>()
  await fs.mkdir(path.join(dir, 'xpersist_metadata_store'), { recursive: true })
  for (const a of artifacts) {
    const sidecar = a.sidecarText ?? sidecarJson(a)
    const sidecarPath = path.join(dir, 'xpersist_metadata_store', `${a.key}.artifact.json`)
    const payloadPath = path.join(dir, a.key)
    await fs.mkdir(path.dirname(sidecarPath), { recursive: true })
    await fs.mkdir(path.dirname(payloadPath), { recursive: true })
    await fs.writeFile(payloadPath, Buffer.alloc(a.payloadBytes, 0x61))
    await fs.writeFile(sidecarPath, sidecar)
    sizes.set(a.key, a.payloadBytes + Buffer.byteLength(sidecar))
  }
  return sizes
}
