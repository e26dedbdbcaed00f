import type { DimSelection, Selection, Variable } from '../engine/dataset/model.js'
import { InvalidArgumentError } from '../engine/errors.js'
import { UsageError } from './args.js'

/** `--slice 'var:time=3,depth=0'` parsed: the variable and one part per named dimension. */
export interface SliceSpec {
  variable: string
  parts: Map<string, DimSelection>
}

const FORMAT =
  "--slice takes VAR or VAR:DIM=I,DIM=START:STOP[:STEP] (for example 'sst:time=3,lat=0:100:2')"

function whole(text: string, what: string, spec: string): number {
  if (!/^\d+$/.test(text)) {
    throw new UsageError(`${FORMAT}; ${what} '${text}' in '${spec}' is not a whole number >= 0`)
  }
  return Number(text)
}

/** Parses the text of `--slice`; UsageError (exit 2) saying what the format is. */
export function parseSliceSpec(spec: string): SliceSpec {
  const colon = spec.indexOf(':')
  const variable = colon < 0 ? spec : spec.slice(0, colon)
  if (!variable) throw new UsageError(`${FORMAT}; the variable name is missing`)
  const parts = new Map<string, DimSelection>()
  const rest = colon < 0 ? '' : spec.slice(colon + 1)
  for (const part of rest ? rest.split(',') : []) {
    const eq = part.indexOf('=')
    const dim = part.slice(0, eq).trim()
    if (eq <= 0 || !dim) throw new UsageError(`${FORMAT}; '${part}' has no DIM=`)
    if (parts.has(dim)) throw new UsageError(`--slice names ${dim} twice`)
    const value = part.slice(eq + 1).trim()
    const bits = value.split(':')
    if (bits.length === 1) {
      parts.set(dim, whole(value, `the index of ${dim}`, spec))
    } else if (bits.length <= 3) {
      const [a, b, c] = bits as [string, string, string | undefined]
      const range: { start: number; stop: number; step?: number } = {
        start: a === '' ? 0 : whole(a, `the start of ${dim}`, spec),
        stop: b === '' ? Number.MAX_SAFE_INTEGER : whole(b, `the stop of ${dim}`, spec),
      }
      if (c !== undefined && c !== '') range.step = whole(c, `the step of ${dim}`, spec)
      if (range.step === 0) throw new UsageError(`--slice: the step of ${dim} must be at least 1`)
      parts.set(dim, range)
    } else {
      throw new UsageError(`${FORMAT}; '${part}' has too many ':'`)
    }
  }
  return { variable, parts }
}

/**
 * The selection `spec` means for `variable`: checked against its dimensions, so an unknown
 * dimension or an index past the end is an error naming --slice and what is valid.
 */
export function selectionOf(spec: SliceSpec, variable: Variable): Selection {
  for (const dim of spec.parts.keys()) {
    if (!variable.dims.includes(dim)) {
      throw new InvalidArgumentError(
        `--slice: ${spec.variable} has no dimension ${JSON.stringify(dim)}; its dimensions are ` +
          `${variable.dims.map((d, i) => `${d} (${variable.shape[i]})`).join(', ') || 'none (a scalar)'}.`,
      )
    }
  }
  return variable.dims.map((dim, i) => {
    const part = spec.parts.get(dim)
    const n = variable.shape[i] ?? 0
    if (typeof part === 'number' && part >= n) {
      throw new InvalidArgumentError(
        `--slice: index ${part} is out of range for ${dim}, which has ${n} elements ` +
          `(valid: 0 to ${n - 1}).`,
      )
    }
    if (part && typeof part === 'object' && part.start >= n && n > 0) {
      throw new InvalidArgumentError(
        `--slice: ${dim}=${part.start}:... starts past the end of ${dim}, which has ${n} ` +
          `elements (valid starts: 0 to ${n - 1}).`,
      )
    }
    return part ?? null
  })
}
