import { MAX_DEPTH } from '../../shared/limits.js'
import type { CollectionPreview, DatasetPreview, Preview, PreviewCell } from './preview-types.js'
import { NotSupportedError, UnknownSerializerError } from './errors.js'
import { isArrowTable } from './pick.js'
import { NdArray, PySet, PyTuple } from './pyvalue.js'
import type { CacheStore } from './store.js'

/** Bounds of one preview. */
export interface PreviewRequest {
  offset?: number
  rows?: number
  /** Payloads that cannot be read in part (pickles) above this size are refused. */
  maxBytes?: number
}

// An array preview keeps at most this many elements (a 1000 x 1000 heatmap), a list this many items.
const MAX_ARRAY_ELEMENTS = 1_000_000
const MAX_LIST_ITEMS = 10_000

function cell(v: unknown): PreviewCell {
  if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString()
  // A list or struct cell (and a MultiIndex row's levels) travels as its JSON text.
  if (v !== null && typeof v === 'object') return JSON.stringify(v)
  return v as PreviewCell
}

/**
 * A bounded preview of one artifact for the explorer: a page of table rows read through byte
 * ranges, a value with long arrays cut, or a message saying why there is none.
 */
export async function previewArtifact(
  store: CacheStore,
  key: string,
  request: PreviewRequest = {},
): Promise<Preview> {
  const artifact = await store.getArtifact(key)
  const serializer = await store.serializer(artifact.serializer).catch((err: unknown) => {
    if (err instanceof NotSupportedError || err instanceof UnknownSerializerError) return err
    throw err
  })
  if (serializer instanceof Error) {
    return { kind: 'unsupported', serializer: artifact.serializer, message: serializer.message }
  }
  if (!serializer.preview) {
    return {
      kind: 'unsupported',
      serializer: artifact.serializer,
      message: `${artifact.serializer} artifacts have no preview yet; the sidecar is shown above.`,
    }
  }
  const offset = request.offset ?? 0
  const rows = request.rows ?? 100
  const target = { backend: store.backend, path: key, putMode: 'overwrite' as const }
  const result = await serializer.preview(target, {
    offset,
    rows,
    maxBytes: request.maxBytes,
    kwargs: artifact.load_kwargs,
  })
  // Dataset serializers build their own preview (dataset-json.ts): it is passed on as it is.
  if (isDatasetPreview(result)) return result
  const { tableToJson } = await import('./table/table-json.js')
  if (isTablePage(result)) {
    const json = tableToJson(result.table as never, rows)
    const cells = json.rows.map((r) => r.map(cell))
    const { columnSummaries } = await import('./table/column-summary.js')
    const summaries = columnSummaries(json.columns, cells, result.metadata as never)
    return {
      kind: 'table',
      rowCount: result.rowCount,
      offset,
      columns: json.columns.map((c, i) => ({ ...c, summary: summaries[i] })),
      index: json.index && { name: json.index.name, values: json.index.values.map(cell) },
      rows: cells,
      bytesRead: result.bytesRead,
      totalBytes: result.totalBytes,
    }
  }
  // A page read through ranges reports its own sizes; a whole value read needs the payload's.
  const totalBytes = (await store.payloadFiles(key)).reduce((s, f) => s + f.bytes, 0)
  if (isArrowTable(result)) {
    const json = tableToJson(result as never, offset + rows)
    const cells = json.rows.slice(offset).map((r) => r.map(cell))
    const { columnSummaries } = await import('./table/column-summary.js')
    const summaries = columnSummaries(json.columns, cells)
    return {
      kind: 'table',
      rowCount: json.rowCount,
      offset,
      columns: json.columns.map((c, i) => ({ ...c, summary: summaries[i] })),
      index: json.index && {
        name: json.index.name,
        values: json.index.values.slice(offset).map(cell),
      },
      rows: cells,
      bytesRead: totalBytes,
      totalBytes,
    }
  }
  const { pyToJson } = await import('./pyvalue-json.js')
  const cut = { truncated: false }
  // Big ints tagged: the browser transport parses with JSON.parse, which would round them;
  // pickled dates and times tagged so the tree shows their value, not their class.
  const value = pyToJson(bound(result, cut, 0), { taggedBigInts: true, taggedTimes: true })
  return { kind: 'object', value, truncated: cut.truncated, bytesRead: totalBytes, totalBytes }
}

/**
 * The rows of a table artifact whose preview could not say (rowCount null): a streaming count
 * that records row checkpoints, stopped by `signal`. null when the serializer cannot count.
 */
export async function countArtifactRows(
  store: CacheStore,
  key: string,
  signal?: AbortSignal,
): Promise<number | null> {
  const artifact = await store.getArtifact(key)
  const serializer = await store.serializer(artifact.serializer)
  if (!serializer.countRows) return null
  const target = { backend: store.backend, path: key, putMode: 'overwrite' as const }
  return serializer.countRows(target, { kwargs: artifact.load_kwargs, signal })
}

function isDatasetPreview(v: unknown): v is DatasetPreview | CollectionPreview {
  if (v === null || typeof v !== 'object') return false
  const kind = (v as { kind?: unknown }).kind
  return (kind === 'dataset' || kind === 'collection') && 'bytesRead' in v
}

function isTablePage(v: unknown): v is {
  table: unknown
  rowCount: number | null
  bytesRead: number
  totalBytes: number
  /** A Parquet page's footer, whose statistics summarize the whole file. */
  metadata?: unknown
} {
  return v !== null && typeof v === 'object' && 'table' in v && 'bytesRead' in v
}

/** Cuts long arrays, lists, sets and dicts (first dimension first) so a preview stays bounded. */
function bound(v: unknown, cut: { truncated: boolean }, depth: number): unknown {
  // Readers refuse values deeper than MAX_DEPTH; pyToJson reports anything deeper.
  if (depth > MAX_DEPTH) return v
  if (v instanceof NdArray) {
    if (v.size <= MAX_ARRAY_ELEMENTS || v.shape.length === 0) return v
    const rowSize = v.shape.slice(1).reduce((a, b) => a * b, 1)
    const keep = Math.max(1, Math.floor(MAX_ARRAY_ELEMENTS / Math.max(1, rowSize)))
    cut.truncated = true
    return new NdArray(
      v.dtype,
      [keep, ...v.shape.slice(1)],
      v.data.slice(0, keep * rowSize) as NdArray['data'],
    )
  }
  if (Array.isArray(v)) {
    if (v.length > MAX_LIST_ITEMS) cut.truncated = true
    return v.slice(0, MAX_LIST_ITEMS).map((x) => bound(x, cut, depth + 1))
  }
  if (v instanceof PyTuple) return new PyTuple(bound(v.items, cut, depth + 1) as unknown[])
  if (v instanceof PySet) return new PySet(bound(v.items, cut, depth + 1) as unknown[], v.frozen)
  if (v instanceof Map) {
    const out = new Map()
    for (const [k, x] of v) {
      if (out.size === MAX_LIST_ITEMS) {
        cut.truncated = true
        break
      }
      out.set(k, bound(x, cut, depth + 1))
    }
    return out
  }
  return v
}
