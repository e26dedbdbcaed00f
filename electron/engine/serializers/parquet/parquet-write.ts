/**
 * Parquet encoding of an Arrow table as pandas' to_parquet (pyarrow engine) writes it.
 *
 * Writer chosen by measurement on this machine (bench/parquet-writers/, figures in its README):
 * parquet-wasm 0.8.0 (Rust's parquet crate, fed Arrow IPC) over hyparquet-writer 0.17.0.
 * - Types: parquet-wasm wrote every Arrow type pandas restores (int8-64, uint8-64, float32/64
 *   with NaN, bool with nulls, utf8, large utf8, date32, timestamps ms/us/ns naive and with a
 *   time zone, decimal128, dictionary incl. ordered, list, struct), and stores the Arrow
 *   schema (ARROW:schema) that pyarrow reads categoricals, their order and time zones from.
 *   hyparquet-writer has no Arrow input and no ARROW:schema: int8/int16/uint8 came back int32,
 *   a millisecond TIMESTAMP came back UTC-aware, and uint64, ns timestamps, time zones,
 *   decimals, dictionaries, lists and structs need a hand-written schema per type.
 * - Codecs: parquet-wasm all six pandas takes (snappy, gzip, brotli, zstd, lz4, none);
 *   hyparquet-writer has only snappy built in, gzip and brotli through node:zlib, and no zstd
 *   or lz4 on Node 20 without another dependency.
 * - 1 M rows x 10 columns, snappy: parquet-wasm 1.6-4.9 s and +71 MB peak RSS,
 *   hyparquet-writer 9.6-27.8 s and +263 MB (the machine was shared; paired runs).
 * - Cost: parquet-wasm is a 4.95 MB wasm binary loaded on first use (0.2-0.6 s);
 *   hyparquet-writer is ~230 KB of JS. Acceptable here: the engine runs in Node (CLI, server,
 *   Electron main), never in the renderer bundle, and loads it only when writing Parquet.
 * Reading stays with hyparquet (byte ranges, page by page).
 */
import { tableToIPC, type Table } from 'apache-arrow'
import { InvalidArgumentError, LimitExceededError } from '../../errors.js'
import { PANDAS_METADATA_KEY } from '../../table/pandas-meta.js'
import { pandasLayout } from './pandas-write-meta.js'

/** to_parquet's options this encoder honours (dump_kwargs compression, index, row_group_size). */
export interface ParquetWriteOptions {
  /** 'snappy' (pandas' default), 'gzip', 'brotli', 'zstd', 'lz4' or null (none). */
  compression?: string | null
  /** true: write the index as columns; false: drop it; null/undefined: pandas' default rule. */
  index?: boolean | null
  rowGroupSize?: number
}

/** pyarrow's default row group length (rows), used when row_group_size is not given. */
export const DEFAULT_ROW_GROUP_SIZE = 1024 * 1024

/**
 * Arrow IPC bytes one write takes at most: the wasm memory (32-bit, 4 GiB) holds the IPC
 * copy, the decoded table and the Parquet output at once.
 */
export const MAX_WRITE_IPC_BYTES = 1024 * 1024 * 1024

// pyarrow's names (case-insensitive) -> parquet-wasm's Compression keys.
const CODECS = new Map([
  ['snappy', 'SNAPPY'],
  ['gzip', 'GZIP'],
  ['brotli', 'BROTLI'],
  ['zstd', 'ZSTD'],
  // pyarrow writes 'lz4' as LZ4_RAW; the older Hadoop LZ4 framing is deprecated.
  ['lz4', 'LZ4_RAW'],
  ['none', 'UNCOMPRESSED'],
  ['uncompressed', 'UNCOMPRESSED'],
] as const)

type Wasm = typeof import('parquet-wasm/node')
let wasm: Promise<Wasm> | null = null

/** The Parquet file bytes for `table`, with the 'pandas' metadata pd.read_parquet restores from. */
export async function encodeParquet(
  table: Table,
  options: ParquetWriteOptions = {},
): Promise<Uint8Array> {
  const codec = codecName(options.compression)
  const rows = options.rowGroupSize ?? DEFAULT_ROW_GROUP_SIZE
  if (!Number.isSafeInteger(rows) || rows < 1) {
    throw new InvalidArgumentError(
      `row_group_size must be a positive whole number of rows, not ${String(options.rowGroupSize)}.`,
    )
  }
  const laid = pandasLayout(table, options.index ?? null)
  const ipc = tableToIPC(laid, 'stream')
  if (ipc.byteLength > MAX_WRITE_IPC_BYTES) {
    throw new LimitExceededError(
      `The table is ${ipc.byteLength} bytes in Arrow form, over the ${MAX_WRITE_IPC_BYTES}-byte ` +
        `limit of one Parquet write; write it in parts (slices of rows) or with Python.`,
    )
  }
  const pw = await (wasm ??= import('parquet-wasm/node'))
  const props = new pw.WriterPropertiesBuilder()
    .setCompression(pw.Compression[codec])
    .setMaxRowGroupSize(rows)
    // The Rust writer keeps schema metadata only inside ARROW:schema; pyarrow writes 'pandas'
    // as a key of its own too, which readers without Arrow (hyparquet, fastparquet) look for.
    .setKeyValueMetadata(
      new Map([[PANDAS_METADATA_KEY, laid.schema.metadata.get(PANDAS_METADATA_KEY)!]]),
    )
    .setCreatedBy('xpersist (parquet-wasm 0.8.0, Rust parquet)')
    .build()
  try {
    // writeParquet takes ownership of (and frees) the wasm table and the properties.
    return pw.writeParquet(pw.Table.fromIPCStream(ipc), props)
  } catch (err) {
    // A Rust panic surfaces as a bare RuntimeError ('unreachable'): say what was being done.
    throw new InvalidArgumentError(
      `Could not encode the table as Parquet (${err instanceof Error ? err.message : String(err)}); ` +
        `its schema is ${laid.schema.fields.map((f) => `${f.name}: ${String(f.type)}`).join(', ')}.`,
    )
  }
}

function codecName(compression: string | null | undefined): keyof Wasm['Compression'] {
  if (compression === undefined) return 'SNAPPY'
  if (compression === null) return 'UNCOMPRESSED'
  const codec = typeof compression === 'string' && CODECS.get(compression.toLowerCase() as never)
  if (!codec) {
    throw new InvalidArgumentError(
      `Unsupported Parquet compression ${JSON.stringify(compression)}; use one of ` +
        `snappy, gzip, brotli, zstd, lz4 or None.`,
    )
  }
  return codec
}
