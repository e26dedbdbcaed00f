/**
 * pd.read_csv for the files DataFrame.to_csv writes, producing an Arrow table whose pandas
 * index is recorded as pyarrow records it (see table/pandas-meta.ts).
 *
 * Which column is the index, with no index_col kwarg: pandas' implicit index (data records one
 * field longer than the header: to_csv(index_label=False) writes that), else a first column
 * whose header cell is empty (to_csv's unnamed index). A first column with a name, like
 * daily-obs' 'time', stays a data column: from the file alone it cannot be told apart from
 * data written with index=False, and pd.read_csv keeps it as data too. Pass index_col=0 (the
 * serializer derives it from the sidecar's dump_kwargs, see csvLoadKwargs) to make it the
 * index. Without an index the table gets pandas' default RangeIndex.
 */
import type { Table } from 'apache-arrow'
import type { Kwargs } from '../serializer.js'
import { loadCsvBytes } from './csv-load.js'
import { assembleTable } from './csv-table-plan.js'
import { CsvTextReader, type KeptRows } from './csv-text-reader.js'
import { inferColumn } from './infer-column.js'

export { CsvTextReader } from './csv-text-reader.js'

/**
 * Reads a whole CSV payload (bytes, or its bytes in pieces) into an Arrow table. Whole bytes
 * go through the byte reader (csv-load.ts); pieces through the text reader below.
 */
export function readPandasCsv(
  input: Uint8Array | Iterable<Uint8Array>,
  kwargs: Kwargs = {},
): Table {
  if (input instanceof Uint8Array) return loadCsvBytes(input, kwargs)
  return readPandasCsvText(input, kwargs)
}

/** The text reader over the whole input: the reference the byte reader falls back to. */
export function readPandasCsvText(
  input: Uint8Array | Iterable<Uint8Array>,
  kwargs: Kwargs = {},
): Table {
  const reader = new PandasCsvReader(kwargs)
  for (const piece of input instanceof Uint8Array ? [input] : input) {
    reader.push(piece)
    if (reader.full) break
  }
  reader.end()
  return reader.toTable()
}

/** Bytes in, table out, incrementally; keeps at most `keepRows` rows but counts them all. */
export class PandasCsvReader extends CsvTextReader {
  /** The table of the kept rows. */
  toTable(): Table {
    return keptTable(this.kept())
  }
}

/** The table of a reader's kept rows. */
export function keptTable({ plan, rows, texts }: KeptRows): Table {
  return assembleTable(plan, rows, (c) => inferColumn(c.name, texts(c), c.rules))
}
