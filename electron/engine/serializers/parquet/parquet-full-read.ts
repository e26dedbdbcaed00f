/**
 * Whole-table Parquet loads through parquet-wasm (Rust's parquet crate compiled to wasm):
 * measured 10x faster than hyparquet, which boxes every value in a JS array. Only flat
 * columns whose Arrow type is certain to equal what parquet-columns.ts builds are read here;
 * the rest (decimals, categoricals, binary, nested, INT96, millisecond times) stay on the
 * hyparquet path. parquet-wasm needs the whole file in wasm memory, so a load whose estimated
 * peak is over WASM_MAX_PEAK_BYTES is left to hyparquet as well.
 */
import { DataType, DateDay, Timestamp, TimeUnit, Utf8, makeVector, type Vector } from 'apache-arrow'
import type { ColumnPlan } from './parquet-columns.js'
import { numericType } from './parquet-nested.js'
import type { ParquetFile } from './parquet-file.js'
import { ffiData, readFfiBatch, type FfiColumn } from './parquet-wasm-ffi.js'

/**
 * The estimated wasm memory a load may take (file bytes + twice the decoded columns: the
 * wasm table and its IPC copy). wasm32 memory ends at 4 GiB and never shrinks, so loads
 * above this go through hyparquet (slower, bounded by MAX_DECODE_BYTES).
 */
export const WASM_MAX_PEAK_BYTES = 2 * 1024 * 1024 * 1024

type WasmModule = typeof import('parquet-wasm')
let wasm: Promise<WasmModule> | null = null

/**
 * Columns of a whole-table load read by parquet-wasm, by name; a column not in the map is
 * for the caller to read. `names[i]` is read as `plans[i]` says.
 */
export async function wasmColumns(
  file: ParquetFile,
  names: readonly string[],
  plans: readonly ColumnPlan[],
  limit = WASM_MAX_PEAK_BYTES,
  /** Checks the file's bytes before they are decoded (page-size guards); throws to refuse. */
  check?: (bytes: Uint8Array, columns: ReadonlySet<string>) => void,
): Promise<Map<string, Vector>> {
  const out = new Map<string, Vector>()
  const rowCount = Number(file.metadata.num_rows)
  const wanted = new Map<string, DataType>()
  names.forEach((n, i) => {
    const type = expectedType(plans[i]!)
    if (type) wanted.set(n, type)
  })
  if (wanted.size === 0 || rowCount === 0) return out
  if (peakBytes(file, [...wanted.keys()]) > limit) return out
  const bytes = new Uint8Array(await file.buffer.slice(0, file.totalBytes))
  check?.(bytes, new Set(wanted.keys()))
  const { readParquet, wasmMemory } = await (wasm ??= import('parquet-wasm'))
  let columns: FfiColumn[]
  try {
    const stream = readParquet(bytes, {
      columns: [...wanted.keys()],
      batchSize: rowCount,
    }).intoFFI()
    try {
      // One batch of every row: more would need concatenating, which hyparquet does instead.
      if (stream.numArrays() !== 1) return out
      columns = readFfiBatch(wasmMemory().buffer, stream.arrayAddr(0), stream.schemaAddr())
    } finally {
      stream.free()
    }
  } catch {
    // A file parquet-wasm cannot read (damaged, or a feature it lacks): hyparquet reads it,
    // or says what is wrong with it.
    return out
  }
  for (const column of columns) {
    const type = wanted.get(column.name)
    if (!type || column.length !== rowCount || out.has(column.name)) continue
    const data = ffiData(column, type)
    if (data) out.set(column.name, makeVector(data))
  }
  return out
}

// File bytes (all in wasm memory) + the columns' uncompressed bytes twice over.
function peakBytes(file: ParquetFile, names: readonly string[]): number {
  const wanted = new Set(names)
  let decoded = 0
  for (const group of file.metadata.row_groups) {
    for (const column of group.columns) {
      const m = column.meta_data
      if (m && wanted.has(m.path_in_schema[0] ?? '')) decoded += Number(m.total_uncompressed_size)
    }
  }
  return file.totalBytes + 2 * decoded
}

/**
 * The Arrow type parquet-columns.ts gives a column, for the columns whose type parquet-wasm
 * is known to give the same way; null for the others.
 */
export function expectedType(plan: ColumnPlan): DataType | null {
  const el = plan.element
  const lt = el.logical_type
  const ct = el.converted_type
  if (el.repetition_type === 'REPEATED' || (el.num_children ?? 0) > 0) return null
  // An all-None column becomes Arrow's null type on the hyparquet path (parquet-columns.ts).
  if (plan.empty) return null
  if (lt?.type === 'TIMESTAMP') {
    if (lt.unit === 'MILLIS') return null
    const unit = lt.unit === 'NANOS' ? TimeUnit.NANOSECOND : TimeUnit.MICROSECOND
    return new Timestamp(unit, plan.timezone ?? (lt.isAdjustedToUTC ? 'UTC' : null))
  }
  if (lt || ct) {
    if (lt?.type === 'DATE' || ct === 'DATE') return el.type === 'INT32' ? new DateDay() : null
    if (lt?.type === 'STRING' || ct === 'UTF8')
      return el.type === 'BYTE_ARRAY' && !plan.categorical ? new Utf8() : null
    if (lt && lt.type !== 'INTEGER') return null
    if (ct && !/^U?INT_(8|16|32|64)$/.test(ct)) return null
  }
  if (plan.categorical) return null
  return numericType(el)
}
