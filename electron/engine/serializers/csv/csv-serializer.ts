/**
 * The 'pandas.csv' serializer: Python xpersist's load=pd.read_csv, dump=DataFrame.to_csv,
 * with apache-arrow Tables in the place of DataFrames.
 */
import { Table } from 'apache-arrow'
import { CorruptPayloadError, InvalidArgumentError, LimitExceededError } from '../../errors.js'
import { sliceTable } from '../../table/pandas-meta.js'
import { isRowObjects, rowsToTable } from '../../table/rows-to-table.js'
import {
  writeTarget,
  type Kwargs,
  type PreviewOptions,
  type Serializer,
  type Target,
} from '../serializer.js'
import { countCsvRows, readCsvPage } from './csv-pages.js'
import { checkCsvBytes, loadCsvTarget } from './csv-load.js'
import { PandasCsvReader } from './read-csv.js'
import { checkPandasCsvDumpKwargs, writePandasCsv } from './write-csv.js'
import { DEFAULT_NA_VALUES } from './read-options.js'

/** Bytes fetched per range request while previewing. */
export const PREVIEW_CHUNK_BYTES = 64 * 1024

/** Cells a preview page holds at most (a 200,000-column file gives 5 rows, not a frozen UI). */
export const PREVIEW_MAX_CELLS = 1_000_000

/** What `preview` returns: the rows asked for and how much of the file it took. */
export interface CsvPreview {
  /** Rows [offset, offset + rows), with the table's index. */
  table: Table
  /** Data rows in the file when it was read to the end (or to nrows), else null. */
  rowCount: number | null
  bytesRead: number
  totalBytes: number
}

/** The pandas.csv serializer. */
export const pandasCsvSerializer: Serializer = {
  name: 'pandas.csv',
  async dump(value: unknown, target: Target, kwargs: Kwargs): Promise<void> {
    await writeTarget(target, writePandasCsv(toTable(value), kwargs))
  },
  async load(target: Target, kwargs: Kwargs): Promise<Table> {
    const meta = await target.backend.head(target.path)
    if (!meta) throw missingPayload(target)
    try {
      return await loadCsvTarget(target, kwargs, meta.size)
    } catch (err) {
      // The reader says "this CSV": name the payload, so a failing get says which file.
      if (!(err instanceof CorruptPayloadError)) throw err
      throw new CorruptPayloadError(
        `The CSV payload ${target.path} in ${target.backend.url}: ${err.message} ` +
          `Fix the file or put it again.`,
        { cause: err },
      )
    }
  },
  checkPayload: (data) => void checkCsvBytes(data),
  preview: previewPandasCsv,
  countRows: countPandasCsvRows,
  sidecarLoadKwargs: (_value, dumpKwargs) => csvLoadKwargs({}, dumpKwargs),
  checkDumpKwargs: checkPandasCsvDumpKwargs,
}

/**
 * The load kwargs that read back what the sidecar says to_csv wrote: index_col=0 when it wrote
 * an index as the first column (so a named index such as daily-obs' 'time' comes back as the
 * index), header=None when it wrote no header. Explicit load kwargs win. The store records
 * these as the sidecar's load_kwargs when it puts a table, so Python's get reads it back too.
 */
export function csvLoadKwargs(loadKwargs: Kwargs, dumpKwargs: Kwargs): Kwargs {
  const out: Kwargs = { ...loadKwargs }
  const wroteHeader = dumpKwargs.header !== false
  if (!wroteHeader && !('header' in out)) out.header = null
  // index_label=False with a header leaves the header a cell short: pandas' implicit index
  // already finds that index, and index_col=0 would take the wrong column.
  const firstIsIndex =
    dumpKwargs.index !== false && (dumpKwargs.index_label !== false || !wroteHeader)
  if (firstIsIndex && !('index_col' in out) && !('usecols' in out)) out.index_col = 0
  // A separator, quote or missing-value text other than pandas' default must be read back
  // with the same one, or Python's get splits the rows differently (or keeps 'MISSING').
  if (typeof dumpKwargs.sep === 'string' && dumpKwargs.sep !== ',' && !('sep' in out))
    out.sep = dumpKwargs.sep
  if (typeof dumpKwargs.quotechar === 'string' && dumpKwargs.quotechar !== '"')
    out.quotechar ??= dumpKwargs.quotechar
  const naRep = dumpKwargs.na_rep
  if (typeof naRep === 'string' && !DEFAULT_NA_VALUES.includes(naRep) && !('na_values' in out))
    out.na_values = [naRep]
  return out
}

/**
 * Reads rows [offset, offset + rows) through byte ranges (csv-pages.ts): from the nearest row
 * checkpoint, stopping as soon as it has them. rowCount is null until a scan reached the end
 * (see countPandasCsvRows).
 */
export async function previewPandasCsv(
  target: Target,
  options: PreviewOptions & { kwargs: Kwargs },
): Promise<CsvPreview> {
  const rows = options.rows ?? 20
  const offset = options.offset ?? 0
  if (!Number.isInteger(rows) || rows < 0 || !Number.isInteger(offset) || offset < 0) {
    throw new InvalidArgumentError('Preview rows and offset must be non-negative integers.')
  }
  const meta = await target.backend.head(target.path)
  if (!meta) throw missingPayload(target)
  // An explicit byte budget, bare '\r' line ends or a non-ASCII sep: read from the start.
  if (options.maxBytes === undefined) {
    const page = await readCsvPage(target, meta, options.kwargs, offset, rows, PREVIEW_MAX_CELLS)
    if (page) return page
  }
  const totalBytes = meta.size
  const limit = Math.min(totalBytes, options.maxBytes ?? Infinity)
  const wanted = offset + rows
  const reader = new PandasCsvReader(options.kwargs, wanted, PREVIEW_MAX_CELLS)
  let bytesRead = 0
  // Rows past `wanted` in the last chunk are counted, not kept; reading stops at the chunk.
  while (bytesRead < limit && reader.rowsSeen < wanted && !reader.full) {
    // A record longer than a chunk (a huge quoted field) is re-parsed with every chunk added;
    // reading as much again as is held back keeps that work linear, not quadratic.
    const length = Math.min(Math.max(PREVIEW_CHUNK_BYTES, reader.pendingLength), limit - bytesRead)
    const bytes = await target.backend.get(target.path, { offset: bytesRead, length })
    if (!bytes || bytes.length === 0) break
    bytesRead += bytes.length
    reader.push(bytes)
  }
  const wholeFile = bytesRead >= totalBytes
  if (wholeFile) reader.end()
  if (!wholeFile && !reader.hasHeader) {
    throw new LimitExceededError(
      `The first ${bytesRead} bytes of ${target.path} hold no complete header row; raise maxBytes.`,
    )
  }
  return {
    table: sliceTable(reader.toTable(), offset, wanted),
    rowCount: wholeFile || reader.full ? reader.rowsSeen : null,
    bytesRead,
    totalBytes,
  }
}

/**
 * Counts the data rows (streaming, recording checkpoints); cancelled through `signal`. null
 * when the file cannot be scanned or the count needs more than `maxScanBytes` of scanning.
 */
export async function countPandasCsvRows(
  target: Target,
  options: { kwargs: Kwargs; signal?: AbortSignal; maxScanBytes?: number },
): Promise<number | null> {
  const meta = await target.backend.head(target.path)
  if (!meta) throw missingPayload(target)
  return countCsvRows(target, meta, options.kwargs, options.signal, options.maxScanBytes)
}

function toTable(value: unknown): Table {
  if (value instanceof Table) return value
  if (isRowObjects(value)) return rowsToTable(value)
  const kind = value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value
  throw new InvalidArgumentError(
    `pandas.csv writes apache-arrow Tables (or arrays of plain row objects), not ${kind}. ` +
      `Build a Table with tableFromArrays, or pick another serializer.`,
  )
}

function missingPayload(target: Target): CorruptPayloadError {
  return new CorruptPayloadError(
    `The CSV payload ${target.path} is missing from ${target.backend.url}; the artifact is ` +
      `incomplete. Delete it and put it again.`,
  )
}
