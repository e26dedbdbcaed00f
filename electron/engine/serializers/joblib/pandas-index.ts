/**
 * pandas Index objects from their pickled form: `_new_Index(cls, {data, name})` for Index,
 * Int64Index, CategoricalIndex, TimedeltaIndex...; `_new_Index(RangeIndex, {start, stop,
 * step, name})`; `_new_Index(MultiIndex, {levels, codes, names})`; and
 * `_new_DatetimeIndex(DatetimeIndex, {data, name})`. Read as data, never constructed.
 */
import { Int64 } from 'apache-arrow'
import { NdArray } from '../../pyvalue.js'
import { argsOf, arrayColumn, mismatch, NotAFrame, pandasName } from './pandas-arrays.js'
import { takeRows, type RawColumn } from './pandas-vectors.js'

/** Labels of a RangeIndex written out (categories, MultiIndex levels): more means damage. */
const MAX_RANGE_VALUES = 10_000_000

/** A RangeIndex, kept as numbers as pyarrow keeps it. */
export interface RangeIndexValue {
  kind: 'range'
  name: unknown
  start: number
  step: number
  length: number
}

/** Any other index: one column per level (one level unless a MultiIndex). */
export interface LevelsIndexValue {
  kind: 'levels'
  levels: { name: unknown; column: RawColumn }[]
  length: number
}

/** A pickled pandas index. */
export type IndexValue = RangeIndexValue | LevelsIndexValue

/** Reads a pickled index; NotAFrame for kinds we do not know (PeriodIndex, IntervalIndex). */
export function readIndex(v: unknown): IndexValue {
  const fn = pandasName(v)
  if (fn !== '_new_Index' && fn !== '_new_DatetimeIndex') throw new NotAFrame(`index ${fn}`)
  const [cls, d] = argsOf(v)
  if (!(d instanceof Map)) throw new NotAFrame('index state')
  const kind = pandasName(cls)
  if (kind === 'RangeIndex') {
    const start = toInt(d.get('start'), 0)
    const step = toInt(d.get('step'), 1)
    if (step === 0) throw mismatch('a RangeIndex with step 0')
    const length = Math.max(0, Math.ceil((toInt(d.get('stop'), 0) - start) / step))
    return { kind: 'range', name: d.get('name') ?? null, start, step, length }
  }
  if (kind === 'MultiIndex') return multiIndex(d)
  const data = d.get('data')
  const length = data instanceof NdArray ? data.size : lengthOf(data)
  return {
    kind: 'levels',
    levels: [{ name: d.get('name') ?? null, column: arrayColumn(data, length) }],
    length,
  }
}

/** The values of an index as one column (a categorical's categories). */
export function indexColumn(v: unknown): RawColumn {
  const index = readIndex(v)
  if (index.kind === 'range') {
    // Categories or a MultiIndex level: a RangeIndex here costs memory per value, unlike rows.
    if (index.length > MAX_RANGE_VALUES) throw mismatch(`a RangeIndex of ${index.length} labels`)
    const values = Array.from({ length: index.length }, (_, i) =>
      BigInt(index.start + i * index.step),
    )
    return { type: new Int64(), values }
  }
  if (index.levels.length !== 1) throw new NotAFrame('MultiIndex categories')
  return index.levels[0]!.column
}

function multiIndex(d: Map<unknown, unknown>): LevelsIndexValue {
  const levels = d.get('levels')
  const codes = d.get('codes') ?? d.get('labels')
  const names = d.get('names')
  if (!Array.isArray(levels) || !Array.isArray(codes) || levels.length !== codes.length) {
    throw new NotAFrame('MultiIndex state')
  }
  let length = -1
  const out = levels.map((level, i) => {
    const code = codes[i]
    if (!(code instanceof NdArray) || Array.isArray(code.data))
      throw new NotAFrame('MultiIndex codes')
    if (length >= 0 && code.size !== length)
      throw mismatch('MultiIndex levels of different lengths')
    length = code.size
    const column = indexColumn(level)
    const data = code.data as ArrayLike<number | bigint>
    for (let j = 0; j < data.length; j++) {
      if (Number(data[j]) >= column.values.length)
        throw mismatch('a MultiIndex code past its level')
    }
    const name = Array.isArray(names) ? (names[i] ?? null) : null
    return { name, column: takeRows(column, data) }
  })
  if (length < 0) throw new NotAFrame('MultiIndex without levels')
  return { kind: 'levels', levels: out, length }
}

// An extension array's length: DatetimeArray & co keep their ndarray in the BUILD state.
function lengthOf(data: unknown): number {
  const state = (data as { state?: { state?: unknown } } | null)?.state?.state
  const inner =
    state && typeof state === 'object' && 'items' in state
      ? (state.items as unknown[])[1]
      : undefined
  if (inner instanceof NdArray) return inner.size
  const fields =
    state instanceof Map
      ? (state.get('_data') ?? state.get('_codes') ?? state.get('_ndarray'))
      : undefined
  if (fields instanceof NdArray) return fields.size
  throw new NotAFrame('index data')
}

function toInt(v: unknown, fallback: number): number {
  if (v === null || v === undefined) return fallback
  const n = typeof v === 'bigint' ? Number(v) : v
  if (typeof n !== 'number' || !Number.isSafeInteger(n))
    throw mismatch('a RangeIndex bound is not an integer')
  return n
}
