/**
 * Parquet encoding of an Arrow table as pandas' to_parquet writes it. Contract placeholder on
 * main while the t8-pqwrite branch writes the encoder: it refuses with a clear error.
 */
import type { Table } from 'apache-arrow'
import { NotSupportedError } from '../../errors.js'

/** to_parquet's options this encoder honours (dump_kwargs compression, index, row_group_size). */
export interface ParquetWriteOptions {
  /** 'snappy' (pandas' default), 'gzip', 'brotli', 'zstd', 'lz4' or null (none). */
  compression?: string | null
  /** true: write the index as columns; false: drop it; null/undefined: pandas' default rule. */
  index?: boolean | null
  rowGroupSize?: number
}

/** The Parquet file bytes for `table`, with the 'pandas' metadata pd.read_parquet restores from. */
export function encodeParquet(
  table: Table,
  options: ParquetWriteOptions = {},
): Promise<Uint8Array> {
  void table
  void options
  return Promise.reject(new NotSupportedError('Writing Parquet is not available yet.'))
}
