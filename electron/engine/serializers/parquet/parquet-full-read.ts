/**
 * Whole-table Parquet loads through parquet-wasm (Rust's parquet crate compiled to wasm):
 * measured 10x faster than hyparquet, which boxes every value in a JS array. Only flat
 * columns whose Arrow type is certain to equal what parquet-columns.ts builds are read here;
 * the rest (decimals, categoricals, binary, nested, INT96, millisecond times) stay on the
 * hyparquet path. parquet-wasm decodes a row group at a time in wasm memory, so a load whose
 * largest row group is estimated over WASM_MAX_PEAK_BYTES is left to hyparquet as well.
 */
import { DataType, DateDay, Timestamp, TimeUnit, Utf8, makeVector, type Vector } from 'apache-arrow'
import type { ColumnPlan } from './parquet-columns.js'
import { numericType } from './parquet-nested.js'
import type { ParquetFile } from './parquet-file.js'
import { ColumnConcat } from './parquet-ffi-concat.js'
import { ffiBatchViews, ffiData } from './parquet-wasm-ffi.js'

/**
 * The estimated wasm memory a load may take (the file + the largest row group's decoded
 * columns twice: the wasm table and room to grow it). wasm32 memory ends at 4 GiB and never
 * shrinks, so loads above this go through hyparquet (slower, bounded by MAX_DECODE_BYTES).
 */
export const WASM_MAX_PEAK_BYTES = 2 * 1024 * 1024 * 1024

type WasmModule = typeof import('parquet-wasm')
let wasm: Promise<WasmModule> | null = null

/**
 * Checks the file's bytes (read from offset `at`) before they are decoded (page-size guards):
 * throws to refuse the file, returns false when it cannot check them (hyparquet reads).
 */
export type ByteCheck = (bytes: Uint8Array, at: number) => boolean

/**
 * Columns of a whole-table load read by parquet-wasm, by name; a column not in the map is
 * for the caller to read. `names[i]` is read as `plans[i]` says. Row groups are decoded one
 * at a time and joined column by column (parquet-ffi-concat.ts).
 */
export async function wasmColumns(
  file: ParquetFile,
  names: readonly string[],
  plans: readonly ColumnPlan[],
  limit = WASM_MAX_PEAK_BYTES,
  /** The check for reads of these columns' chunks. */
  guard?: (columns: ReadonlySet<string>) => ByteCheck,
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
  // parquet-wasm compiles its 5 MB module on import: started first, it overlaps the read.
  const loading = (wasm ??= import('parquet-wasm'))
  // Handled here too: a failed import while the read is pending is not an unhandled rejection.
  loading.catch(() => undefined)
  const bytes = new Uint8Array(await file.buffer.slice(0, file.totalBytes))
  // Refuses a page claiming more than any chunk before wasm sees it; a file it cannot walk
  // (true here: every chunk lies in the whole file) would be left to hyparquet.
  if (guard && !guard(new Set(wanted.keys()))(bytes, 0)) return out
  const { readParquet, wasmMemory } = await loading
  const columns = [...wanted.keys()].map((n) => new ColumnConcat(n, rowCount))
  const groups = file.metadata.row_groups
  // parquet-wasm's synchronous reader, once per row group: it copies the file into wasm
  // memory each time (a memcpy into pages the previous group freed) but decodes only that
  // group. Its async reader (ParquetFile) fetches only the chunks, but a panic there, or a
  // read that fails, is an uncaught trap in a microtask that ends the process (measured on
  // the damaged-page fixtures); here a panic is an exception, caught below.
  for (let g = 0; g < groups.length; g++) {
    const rows = Number(groups[g]!.num_rows)
    if (rows === 0) continue
    try {
      const stream = readParquet(bytes, {
        rowGroups: [g],
        columns: [...wanted.keys()],
        batchSize: rows,
      }).intoFFI()
      try {
        // One batch of the row group's rows: anything else is left to hyparquet.
        if (stream.numArrays() !== 1) return out
        const views = ffiBatchViews(wasmMemory().buffer, stream.arrayAddr(0), stream.schemaAddr())
        for (const column of columns) {
          const view = views.find((v) => v.name === column.name)
          if (view && view.length === rows) column.append(view)
          else column.ok = false
        }
      } finally {
        stream.free()
      }
    } catch {
      // A file parquet-wasm cannot read (damaged, or a feature it lacks): hyparquet reads it,
      // or says what is wrong with it.
      return out
    }
  }
  for (const column of columns) {
    const whole = column.finish()
    const data = whole && ffiData(whole, wanted.get(column.name)!)
    if (data) out.set(column.name, makeVector(data))
  }
  return out
}

// The file + the largest row group's wanted columns' uncompressed bytes twice over.
function peakBytes(file: ParquetFile, names: readonly string[]): number {
  const wanted = new Set(names)
  let peak = 0
  for (const group of file.metadata.row_groups) {
    let decoded = 0
    for (const column of group.columns) {
      const m = column.meta_data
      if (m && wanted.has(m.path_in_schema[0] ?? '')) decoded += Number(m.total_uncompressed_size)
    }
    peak = Math.max(peak, 2 * decoded)
  }
  return file.totalBytes + peak
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
