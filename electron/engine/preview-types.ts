// The engine's preview shapes. The engine owns them (previewArtifact returns them to the CLI,
// the IPC handlers and library users alike); the IPC channel map's PreviewSchema
// (shared/ipc.ts) mirrors them for the wire, and electron/ipc/handlers/preview-contract.ts
// fails the build if the two ever differ. So the engine never depends on the IPC layer.

/** One table cell as a preview carries it. */
export type PreviewCell = number | string | boolean | null

/**
 * One column's summary: from Parquet footer statistics over the whole file when every row
 * group has them ('file'), else computed on the rows of this page ('page'), and labelled so.
 */
export interface ColumnSummary {
  source: 'file' | 'page'
  /** Missing values (null, NaN, NaT) among the rows the source covers; null when unknown. */
  nullCount: number | null
  min: PreviewCell
  max: PreviewCell
}

/** One column of a table page: its name, short type name ('int64', 'datetime64[ns, UTC]'...). */
export interface TableColumn {
  name: string
  type: string
  summary?: ColumnSummary
}

/** A page of table rows, read through byte ranges where the format allows. */
export interface TablePreview {
  kind: 'table'
  /** Exact when the whole payload was read, else null (still counting). */
  rowCount: number | null
  offset: number
  columns: TableColumn[]
  index: { name: string | null; values: PreviewCell[] } | null
  rows: PreviewCell[][]
  bytesRead: number
  totalBytes: number
}

/** A whole value, with long arrays and lists cut. */
export interface ObjectPreview {
  kind: 'object'
  /** pyToJson form: numpy arrays {dtype, shape, values}, placeholders {__python__}. */
  value: unknown
  /** True when long arrays or lists were cut to keep the preview bounded. */
  truncated: boolean
  bytesRead: number
  totalBytes: number
}

/**
 * An xarray dataset's structure (dimensions, coordinates, variables, attributes), as
 * `show --json` prints it: each variable `{dims, shape, dtype, attrs, chunks?, values?}`, with
 * decoded values only for variables of at most 10,000 elements. Records are null-prototype.
 */
export interface DatasetPreview {
  kind: 'dataset'
  dims: Record<string, number>
  coords: Record<string, unknown>
  data_vars: Record<string, unknown>
  attrs: Record<string, unknown>
  /** What the reader skipped or could not show (for example "groups ignored: /forecast"). */
  notes: string[]
  bytesRead: number
  totalBytes: number
}

/** An xcollection: its member datasets, each in the dataset form. */
export interface CollectionPreview {
  kind: 'collection'
  datasets: Record<string, DatasetPreview>
  bytesRead: number
  totalBytes: number
}

/** Why there is no preview (a serializer without one, or not implemented here). */
export interface UnsupportedPreview {
  kind: 'unsupported'
  serializer: string
  message: string
}

/** A bounded preview; `kind` picks the view. New kinds add a member here and to PreviewSchema. */
export type Preview =
  TablePreview | ObjectPreview | DatasetPreview | CollectionPreview | UnsupportedPreview

/** A condition on one column of a table query; `value` is read in the column's type. */
export interface TableFilter {
  column: string
  op: 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge' | 'contains' | 'isNull' | 'notNull'
  value: string | number | boolean | null
}

/** Sort, filter, text search and group-count over a whole table (not only a page). */
export interface TableQuery {
  sort: { column: string; descending: boolean }[]
  filters: TableFilter[]
  /** Rows where any column's text contains this (case-insensitive); '' for none. */
  search: string
  /** Count rows per distinct value of this column instead of listing rows. */
  groupBy: string | null
}

/** What a finished table query holds; its rows are read by pages with its resultId. */
export interface TableQueryResult {
  resultId: string
  /** Rows matching the filters and search. */
  matched: number
  /** Rows of the whole table. */
  totalRows: number
  /** For groupBy: distinct values and their counts, largest first; null otherwise. */
  groups: { value: PreviewCell; count: number }[] | null
  /** True when groups were cut at the bound (the rest are summed in no group). */
  groupsTruncated: boolean
  /** Which executor ran it ('duckdb' for local files, 'stream' through the backend). */
  engine: string
}
