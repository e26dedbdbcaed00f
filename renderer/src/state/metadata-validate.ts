import { PyFloat } from '../../../shared/pyjson'
import { PyJsonSyntaxError, pyJsonParse } from '../../../shared/pyjson-parse'

/** The outcome of checking metadata text: fine, or what is wrong and on which line. */
export type MetadataCheck = { ok: true } | { ok: false; message: string; line: number | null }

/** The 1-based line of a character offset. */
export function lineOf(text: string, position: number): number {
  let line = 1
  for (let i = 0; i < position && i < text.length; i++) if (text.charCodeAt(i) === 10) line++
  return line
}

/**
 * Checks additional_metadata text as Python's json.loads would read it (1.0 stays a float,
 * NaN is allowed), and that it is an object, since the sidecar field is a dict.
 */
export function checkMetadataText(text: string): MetadataCheck {
  if (text.trim() === '') {
    return { ok: false, message: 'Metadata must be a JSON object; write {} for none.', line: 1 }
  }
  let value: unknown
  try {
    value = pyJsonParse(text)
  } catch (err) {
    if (err instanceof PyJsonSyntaxError) {
      const line = lineOf(text, err.position)
      const column = err.position - text.lastIndexOf('\n', err.position - 1)
      const what = err.message.replace(/ at line \d+, position \d+$/, '')
      return {
        ok: false,
        message: `Not valid JSON: ${what} (line ${line}, column ${column}).`,
        line,
      }
    }
    return { ok: false, message: `Not valid JSON: ${String(err)}`, line: null }
  }
  if (
    value === null ||
    typeof value !== 'object' ||
    Array.isArray(value) ||
    value instanceof PyFloat
  ) {
    const what = Array.isArray(value) ? 'a list' : value === null ? 'null' : `a ${typeof value}`
    return {
      ok: false,
      message: `Metadata must be a JSON object ({"field": value, ...}), not ${what}.`,
      line: 1,
    }
  }
  return { ok: true }
}
