/**
 * What tables-parquet-ts-to-py.test.ts puts with serializer pandas.parquet: each table of
 * helpers/table-frames.ts with the to_parquet options of issue 8 (every codec, index
 * None/True/False on each index kind, row_group_size), and the storage facts Python must find
 * in the file so a dump_kwarg silently dropped shows up.
 */

/** One put. `frame` names a table of helpers/table-frames.ts and its pandas twin. */
export interface TableJob {
  key: string
  frame: string
  dumpKwargs: Record<string, unknown>
  /** A subset of check_tables_parquet.py's `storage` the file must match. */
  storage?: { codecs?: string[]; row_groups?: number[] }
  /**
   * A known gap: pandas does not yet read this back equal. The suite expects the check to
   * fail (so a fix shows up as a failure to flip), and says why here.
   */
  knownGap?: string
  /** A known gap of the relay (pandas' file loaded here, put again), as knownGap. */
  relayGap?: string
}

const CODECS: [string | null, string][] = [
  ['snappy', 'SNAPPY'],
  ['gzip', 'GZIP'],
  ['brotli', 'BROTLI'],
  ['zstd', 'ZSTD'],
  // pyarrow reports both LZ4 framings as 'LZ4'.
  ['lz4', 'LZ4'],
  [null, 'UNCOMPRESSED'],
]

const INDEXED = ['small', 'small-range', 'small-named', 'small-unnamed', 'small-multi']

/** Every put of the suite. */
export const JOBS: TableJob[] = [
  { key: 'types.parquet', frame: 'types', dumpKwargs: {}, storage: { codecs: ['SNAPPY'] } },
  ...CODECS.map(([compression, codec]) => ({
    key: `types-${compression ?? 'none'}.parquet`,
    frame: 'types',
    dumpKwargs: { compression },
    storage: { codecs: [codec] },
  })),
  {
    key: 'nested.parquet',
    frame: 'nested',
    dumpKwargs: {},
  },
  {
    key: 'categories.parquet',
    frame: 'categories',
    dumpKwargs: {},
    knownGap:
      "parquet-wasm (Rust's parquet crate) re-encodes a dictionary from the values, so pandas " +
      'gets only the categories used, in order of first appearance (pyarrow writes the Arrow ' +
      'dictionary as it is)',
    relayGap: 'the same (the writer re-encodes the dictionary the reader kept)',
  },
  ...INDEXED.flatMap((frame) =>
    [null, true, false].map((index) => ({
      key: `${frame}-index-${String(index)}.parquet`,
      frame,
      dumpKwargs: { index },
    })),
  ),
  { key: 'small-engine.parquet', frame: 'small', dumpKwargs: { engine: 'pyarrow' } },
  {
    key: 'long-rg10.parquet',
    frame: 'long',
    dumpKwargs: { row_group_size: 10 },
    storage: { row_groups: [10, 10, 5] },
  },
  { key: 'long.parquet', frame: 'long', dumpKwargs: {}, storage: { row_groups: [25] } },
  {
    key: 'empty.parquet',
    frame: 'empty',
    dumpKwargs: {},
  },
]
