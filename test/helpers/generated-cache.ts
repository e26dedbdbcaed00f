/**
 * Writes a cache of chosen artifacts straight to disk, as Python xpersist lays it out: for
 * retention tests that need exact created_at, sizes, metadata and serializers. Payloads are
 * never loaded by a listing or a delete, so they are filler bytes of the size asked.
 */
import { promises as fs } from 'node:fs'
import path from 'node:path'
import { encodeSidecar } from '../../electron/engine/sidecar.js'

/** One artifact to write; `sidecarText` replaces the sidecar (to write a broken one). */
export interface GeneratedArtifact {
  key: string
  createdAt: string | null
  payloadBytes: number
  serializer?: string
  metadata?: Record<string, unknown>
  sidecarText?: string
}

/** The sidecar's fields for `a`, in the order Python writes them. */
function sidecarFields(a: GeneratedArtifact) {
  return {
    key: a.key,
    serializer: a.serializer ?? 'joblib',
    load_kwargs: {},
    dump_kwargs: {},
    additional_metadata: a.metadata ?? {},
    created_at: a.createdAt,
  }
}

/** The sidecar JSON Python writes for `a`. */
export function sidecarJson(a: GeneratedArtifact): string {
  return JSON.stringify(sidecarFields(a))
}

/** The sidecar bytes Python writes for `a` (`artifact.json(indent=2)`, the engine's encoder). */
export function pythonSidecar(a: GeneratedArtifact): Uint8Array {
  return encodeSidecar(sidecarFields(a))
}

/**
 * Writes `artifacts` under `dir`; returns each key's payload + sidecar bytes. Sidecars are
 * compact JSON unless `python` (then byte for byte what Python writes).
 */
export async function writeGeneratedCache(
  dir: string,
  artifacts: readonly GeneratedArtifact[],
  options: { python?: boolean } = {},
): Promise<Map<string, number>> {
  const sizes = new Map<string, number>()
  await fs.mkdir(path.join(dir, 'xpersist_metadata_store'), { recursive: true })
  for (const a of artifacts) {
    const sidecar = a.sidecarText ?? (options.python ? pythonSidecar(a) : sidecarJson(a))
    const sidecarPath = path.join(dir, 'xpersist_metadata_store', `${a.key}.artifact.json`)
    const payloadPath = path.join(dir, a.key)
    await fs.mkdir(path.dirname(sidecarPath), { recursive: true })
    await fs.mkdir(path.dirname(payloadPath), { recursive: true })
    await fs.writeFile(payloadPath, Buffer.alloc(a.payloadBytes, 0x61))
    await fs.writeFile(sidecarPath, sidecar)
    sizes.set(
      a.key,
      a.payloadBytes + (typeof sidecar === 'string' ? Buffer.byteLength(sidecar) : sidecar.length),
    )
  }
  return sizes
}
