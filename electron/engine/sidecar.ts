import { ARTIFACT_FIELDS, parseArtifact, type Artifact } from '../../shared/artifact.js'
import { jsonChildren, MAX_DEPTH, MAX_SIDECAR_BYTES, nestsDeeperThan } from '../../shared/limits.js'
import { pyJsonDumps } from '../../shared/pyjson.js'
import { pyJsonParse } from '../../shared/pyjson-parse.js'
import { CorruptSidecarError, InvalidArgumentError } from './errors.js'

const decoder = new TextDecoder('utf-8', { fatal: true })
const encoder = new TextEncoder()

/**
 * Parses sidecar bytes into an Artifact; CorruptSidecarError names the file and says what
 * is wrong (bad UTF-8, bad JSON, a field of the wrong type).
 */
export function decodeSidecar(bytes: Uint8Array | string, where: string): Artifact {
  // Checked before decoding: parsing and re-encoding a 50 MB sidecar took most of a minute.
  if (bytes.length > MAX_SIDECAR_BYTES) {
    throw new CorruptSidecarError(
      `Sidecar ${where} is ${megabytes(bytes.length)}; xpersist reads sidecars up to ` +
        `${megabytes(MAX_SIDECAR_BYTES)} (Python writes a few hundred bytes). ` +
        `Fix or delete the file; 'xpersist doctor' lists every broken sidecar.`,
    )
  }
  let json: unknown
  try {
    json = pyJsonParse(typeof bytes === 'string' ? bytes : decoder.decode(bytes))
  } catch (err) {
    throw new CorruptSidecarError(
      `Sidecar ${where} is not valid JSON (${(err as Error).message}). ` +
        `Fix or delete the file; 'xpersist doctor' lists every broken sidecar.`,
      { cause: err },
    )
  }
  const parsed = parseArtifact(json)
  if (!parsed.success) {
    throw new CorruptSidecarError(
      `Sidecar ${where} does not describe an artifact: ${parsed.field}: ${parsed.message}. ` +
        `Fix or delete the file; 'xpersist doctor' lists every broken sidecar.`,
    )
  }
  return parsed.data
}

/**
 * Sidecar bytes exactly as Python writes them (`artifact.json(indent=2)`: field order key,
 * serializer, load_kwargs, dump_kwargs, additional_metadata, created_at; ASCII escapes; no
 * final newline). Unknown fields a newer writer added follow, unchanged. A created_at that was
 * missing stays missing (and null stays null): the time is unknown, and inventing one would
 * change what the sidecar says.
 */
export function encodeSidecar(artifact: Artifact): Uint8Array {
  const ordered: Record<string, unknown> = {}
  const set = (k: string, value: unknown) =>
    Object.defineProperty(ordered, k, { value, enumerable: true, writable: true })
  for (const field of ARTIFACT_FIELDS)
    if (artifact[field] !== undefined) set(field, artifact[field])
  for (const [k, v] of Object.entries(artifact))
    if (v !== undefined && !Object.hasOwn(ordered, k)) set(k, v)
  // What is written must read back: the reader refuses sidecars nested deeper than this.
  if (nestsDeeperThan(ordered, MAX_DEPTH, jsonChildren)) {
    throw new InvalidArgumentError(
      `The metadata of '${artifact.key}' nests deeper than xpersist reads (${MAX_DEPTH} levels ` +
        'for the whole sidecar). Flatten it, e.g. store deep structures as a JSON string.',
    )
  }
  return encoder.encode(pyJsonDumps(ordered, 2))
}

function megabytes(bytes: number): string {
  return `${(bytes / 1024 ** 2).toFixed(1)} MB`
}
