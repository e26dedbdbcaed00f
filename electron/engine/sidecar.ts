import { ARTIFACT_FIELDS, parseArtifact, type Artifact } from '../../shared/artifact.js'
import { pyJsonDumps } from '../../shared/pyjson.js'
import { pyJsonParse } from '../../shared/pyjson-parse.js'
import { CorruptSidecarError } from './errors.js'

const decoder = new TextDecoder('utf-8', { fatal: true })
const encoder = new TextEncoder()

/**
 * Parses sidecar bytes into an Artifact; CorruptSidecarError names the file and says what
 * is wrong (bad UTF-8, bad JSON, a field of the wrong type).
 */
export function decodeSidecar(bytes: Uint8Array | string, where: string): Artifact {
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
  return encoder.encode(pyJsonDumps(ordered, 2))
}
