import { isPlainObject, pyJsonDumps } from '../../../shared/pyjson'
import { pyJsonParse } from '../../../shared/pyjson-parse'

/** How one top-level field of the user's version compares with the one on disk. */
export type FieldChange = 'added' | 'removed' | 'changed' | 'same'

/** One top-level additional_metadata field in a conflict: each side's value as editor text. */
export interface FieldDiff {
  change: FieldChange
  /** The value in the user's version; undefined when it has no such field. */
  mine?: string
  /** The value on disk; undefined when the disk version has no such field. */
  disk?: string
}

function fields(text: string): Map<string, string> | null {
  let value: unknown
  try {
    value = pyJsonParse(text)
  } catch {
    return null
  }
  if (!isPlainObject(value)) return null
  // A field name is the user's string: a Map, so `__proto__` is a field like any other.
  const out = new Map<string, string>()
  for (const name of Object.keys(value)) {
    out.set(name, pyJsonDumps(value[name], 2, { ascii: false }))
  }
  return out
}

/**
 * The per-field difference between the user's metadata and the version on disk, as the user
 * would apply it: added (only in mine), removed (only on disk), changed; values compare as
 * Python writes them, so 1 and 1.0 differ. Disk order first, then fields only in mine. Null
 * when either side is not a JSON object (the raw texts are all there is to compare).
 */
export function diffMetadata(mine: string, disk: string): Map<string, FieldDiff> | null {
  const a = fields(mine)
  const b = fields(disk)
  if (a === null || b === null) return null
  const out = new Map<string, FieldDiff>()
  for (const [name, d] of b) {
    const m = a.get(name)
    const change = m === undefined ? 'removed' : m === d ? 'same' : 'changed'
    out.set(name, m === undefined ? { change, disk: d } : { change, mine: m, disk: d })
  }
  for (const [name, m] of a) if (!b.has(name)) out.set(name, { change: 'added', mine: m })
  return out
}
