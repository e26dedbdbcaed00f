/**
 * A pickled pandas DataFrame or Series as an Arrow table, rebuilt from the data its pickle
 * carries (block values, placements, axes) and never by running pandas: the safe pickle
 * machine leaves DataFrame, BlockManager, _unpickle_block, _new_Index... as inert
 * placeholders that record their arguments and state, and this module reads those records.
 *
 * Layouts (seen with pickletools.dis on pandas 1.5.3, 2.2.3 and 3.1.1):
 * - DataFrame: NEWOBJ + BUILD {_mgr: BlockManager(blocks, axes)}, each block
 *   `_unpickle_block(values, placement, ndim)`; axes = [columns, index].
 * - Series: NEWOBJ + BUILD {_mgr: SingleBlockManager + state (..., {'0.14.1': {axes,
 *   blocks: [{values, mgr_locs}]}}), name (pandas 3: _name)}.
 * The index is recorded as pyarrow records it (pandas-meta.ts). A Series becomes a one-column
 * table named after the Series, or '0' when unnamed, as `series.to_frame()` then pyarrow name it.
 */
import type { Table, Vector } from 'apache-arrow'
import { tableFromColumns } from '../../table/arrow-columns.js'
import { UNNAMED_INDEX_FIELD, withIndexColumns, withRangeIndex } from '../../table/pandas-meta.js'
import { LimitExceededError, XpersistError } from '../../errors.js'
import { NdArray, PyTuple } from '../../pyvalue.js'
import { pyRepr } from '../../pyvalue-json.js'
import {
  argsOf,
  blockColumns,
  field,
  mismatch,
  NotAFrame,
  pandasName,
  stateOf,
} from './pandas-arrays.js'
import { readIndex, type IndexValue } from './pandas-index.js'
import { toVector, type RawColumn } from './pandas-vectors.js'

/** Rows an Arrow table built here may have (Arrow's 32-bit offsets bound a column anyway). */
const MAX_ROWS = 2 ** 31 - 1

/**
 * The table a top-level pickled DataFrame or Series stands for; null when the value is not
 * one, or is one in a layout this reader does not know (it then stays a placeholder).
 * Throws CorruptPayloadError when the pickle's parts contradict each other.
 */
export function pandasTable(value: unknown): Table | null {
  const kind = pandasName(value)
  if (kind !== 'DataFrame' && kind !== 'Series') return null
  try {
    return kind === 'DataFrame' ? frameTable(value) : seriesTable(value)
  } catch (err) {
    // A damaged or over-large frame is reported; a layout we do not read stays a placeholder,
    // and so does one whose values Arrow refuses (a hostile dtype/value mix), never a crash.
    if (err instanceof XpersistError) throw err
    return null
  }
}

function frameTable(frame: unknown): Table {
  const mgr = field(frame, '_mgr') ?? field(frame, '_data')
  if (pandasName(mgr) !== 'BlockManager') throw new NotAFrame('manager')
  const { blocks, axes } = managerParts(mgr)
  if (axes.length !== 2) throw new NotAFrame('a DataFrame manager without two axes')
  const columns = readIndex(axes[0])
  const index = readIndex(axes[1])
  const names = columnNames(columns)
  const rows = index.length
  const placed = new Array<RawColumn | undefined>(names.length)
  for (const block of blocks) {
    const [values, placement] = blockParts(block)
    const locs = placementOf(placement, names.length)
    blockColumns(values, locs.length, rows).forEach((col, j) => {
      const at = locs[j]!
      if (placed[at]) throw mismatch(`column ${at} is placed by two blocks`)
      placed[at] = col
    })
  }
  const missing = placed.findIndex((c) => c === undefined)
  if (missing >= 0 || placed.length !== names.length) {
    throw mismatch(`no block holds column ${missing} ('${names[missing]}')`)
  }
  return assemble(names, placed as RawColumn[], index)
}

function seriesTable(series: unknown): Table {
  const mgr = field(series, '_mgr') ?? field(series, '_data')
  if (pandasName(mgr) !== 'SingleBlockManager') throw new NotAFrame('series manager')
  const { blocks, axes } = managerParts(mgr)
  if (axes.length !== 1 || blocks.length !== 1) throw new NotAFrame('a Series manager layout')
  const index = readIndex(axes[0])
  const [values] = blockParts(blocks[0])
  const column = blockColumns(values, 1, index.length)[0]!
  const name = field(series, 'name') ?? field(series, '_name') ?? null
  return assemble([name === null ? '0' : labelText(name)], [column], index)
}

/** The blocks and axes of a manager, from REDUCE arguments or the '0.14.1' state dict. */
function managerParts(mgr: unknown): { blocks: unknown[]; axes: unknown[] } {
  const [blocks, axes] = argsOf(mgr)
  if (blocks !== undefined) return { blocks: listOf(blocks), axes: listOf(axes) }
  const state = stateOf(mgr)
  const dict = state instanceof PyTuple ? state.items[3] : undefined
  const v = dict instanceof Map ? dict.get('0.14.1') : undefined
  if (!(v instanceof Map)) throw new NotAFrame('manager state')
  return { blocks: listOf(v.get('blocks')), axes: listOf(v.get('axes')) }
}

function blockParts(block: unknown): [unknown, unknown] {
  if (block instanceof Map) return [block.get('values'), block.get('mgr_locs')]
  if (pandasName(block) !== '_unpickle_block' && pandasName(block) !== 'new_block') {
    throw new NotAFrame('block')
  }
  const [values, placement] = argsOf(block)
  return [values, placement]
}

/** The column positions a block holds: a slice or an integer array, each within the columns. */
function placementOf(p: unknown, columns: number): number[] {
  let locs: number[]
  if (p instanceof NdArray && !Array.isArray(p.data))
    locs = Array.from(p.data as ArrayLike<number | bigint>, Number)
  else if (
    p !== null &&
    typeof p === 'object' &&
    (p as { pythonClass?: string }).pythonClass === 'builtins.slice'
  ) {
    const [start, stop, step] = argsOf(p).map((x) =>
      x === null || x === undefined ? null : Number(x),
    )
    const by = step ?? 1
    if (!(by > 0) || !Number.isSafeInteger(start ?? 0) || !Number.isSafeInteger(stop ?? columns)) {
      throw mismatch('a block placement slice')
    }
    locs = []
    for (let i = start ?? 0; i < Math.min(stop ?? columns, columns + 1); i += by) locs.push(i)
  } else throw new NotAFrame('block placement')
  if (locs.some((i) => !Number.isSafeInteger(i) || i < 0 || i >= columns)) {
    throw mismatch(`a block placed outside the ${columns} columns`)
  }
  return locs
}

/** Column labels as pyarrow writes them: str() of each label; a MultiIndex's as a tuple. */
function columnNames(columns: IndexValue): string[] {
  if (columns.kind === 'range') {
    return Array.from({ length: columns.length }, (_, i) =>
      String(columns.start + i * columns.step),
    )
  }
  if (columns.levels.length === 1) return Array.from(columns.levels[0]!.column.values, labelText)
  return Array.from({ length: columns.length }, (_, i) =>
    pyRepr(new PyTuple(columns.levels.map((l) => l.column.values[i] ?? null))),
  )
}

function labelText(v: unknown): string {
  return typeof v === 'string' ? v : pyRepr(v)
}

function assemble(names: string[], columns: RawColumn[], index: IndexValue): Table {
  const rows = index.length
  // Only a RangeIndex can claim rows no data backs (a frame without columns).
  if (rows > MAX_ROWS) {
    throw new LimitExceededError(
      `This pickled pandas object claims ${rows} rows, more than the ${MAX_ROWS} a table holds here.`,
    )
  }
  for (const [i, c] of columns.entries()) {
    if (c.values.length !== rows)
      throw mismatch(`column '${names[i]}' has ${c.values.length} rows, the index ${rows}`)
  }
  const vectors: Vector[] = columns.map(toVector)
  if (index.kind === 'range') {
    const table = tableFromColumns(names, vectors, rows)
    const name = index.name === null ? null : labelText(index.name)
    return withRangeIndex(table, name, index.start, index.step)
  }
  const taken = new Set(names)
  const fields: string[] = []
  const levelNames: (string | null)[] = []
  index.levels.forEach((level, i) => {
    const name = level.name === null ? null : labelText(level.name)
    // pyarrow's field name: the level's name unless unnamed or taken by a column.
    const fieldName =
      name !== null && !taken.has(name) ? name : UNNAMED_INDEX_FIELD.replace('0', String(i))
    taken.add(fieldName)
    fields.push(fieldName)
    levelNames.push(name)
    if (level.column.values.length !== rows) throw mismatch('an index level of another length')
    vectors.push(toVector(level.column))
  })
  const table = tableFromColumns([...names, ...fields], vectors, rows)
  return withIndexColumns(table, fields, levelNames)
}

function listOf(v: unknown): unknown[] {
  if (Array.isArray(v)) return v
  if (v instanceof PyTuple) return v.items
  throw new NotAFrame('a manager part that is not a list')
}
