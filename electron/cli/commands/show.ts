import type { Command } from '../args.js'
import { intOption, UsageError } from '../args.js'
import { CacheStore } from '../../engine/store.js'
import { isArrowTable } from '../../engine/pick.js'
import { LimitExceededError } from '../../engine/errors.js'
import { cellText, indexText, textTable } from '../format.js'
import { visibleText } from '../../../shared/visible-text.js'
import { QUERY_OPTIONS, QUERY_USAGE, hasQuery } from '../query-args.js'
import { STORAGE_FLAGS, STORAGE_USAGE, storageOptionsOf } from '../storage-args.js'

/** Serializers whose values are datasets (their show lives in show-dataset.ts). */
const DATASET_SERIALIZERS = new Set(['xarray.netcdf', 'xarray.zarr', 'xcollection'])

/** Items `show` converts before it previews (arrays) or stops (other values). */
const MAX_ITEMS = 10_000_000
/** Elements of a previewed array that `show` prints. */
const HEAD = 1000

/** `xpersist show`: the value of a key, as text or as the stable JSON form. */
export const show: Command = {
  usage:
    "show <cache> <key> [--rows N] [--offset N] [--columns a,b] [--count] [--all] [--json] [--slice 'VAR:DIM=I,DIM=A:B[:STEP]'] [--stats VAR] [--member NAME] " +
    QUERY_USAGE +
    ` ${STORAGE_USAGE}`,
  summary:
    'show the value of an artifact (tables: first N rows; arrays over 10 M items: the first ' +
    '1000; --all: everything, which needs memory for every item; datasets: the structure, ' +
    'one slice of a variable with --slice, min/max/mean/NaN count with --stats, a member ' +
    'of a collection with --member; a CSV page counts its rows only with --count when ' +
    'that needs a scan of the file; tables sorted, filtered, searched or group-counted ' +
    'over all their rows with --sort, --where, --search, --group-count)',
  options: {
    rows: { type: 'string', short: 'n' },
    offset: { type: 'string' },
    all: { type: 'boolean' },
    json: { type: 'boolean' },
    slice: { type: 'string' },
    stats: { type: 'string' },
    member: { type: 'string' },
    columns: { type: 'string' },
    count: { type: 'boolean' },
    ...QUERY_OPTIONS,
    ...STORAGE_FLAGS,
  },
  minPositionals: 2,
  maxPositionals: 2,
  async run({ positionals, values, out, outJson }) {
    const [location, key] = positionals as [string, string]
    const all = Boolean(values.all)
    const rows = intOption(values.rows, 'rows', 20)
    const store = await CacheStore.open(location, {
      readonly: true,
      storageOptions: storageOptionsOf(values),
    })
    const { serializer } = await store.getArtifact(key)
    const datasetOnly = ['slice', 'stats', 'member'].some((o) => values[o] !== undefined)
    if (datasetOnly || DATASET_SERIALIZERS.has(serializer)) {
      const { showDataset } = await import('./show-dataset.js')
      return showDataset(store, key, { positionals, values, out, outJson })
    }
    if (hasQuery(values)) {
      if (values.columns !== undefined || values.all) {
        throw new UsageError(
          '--columns and --all do not combine with a query; use --rows and --offset',
        )
      }
      const { showQuery } = await import('./show-query.js')
      return showQuery(store, key, { values, out, outJson })
    }
    if (serializer === 'pandas.parquet') {
      const { showParquet } = await import('./show-parquet.js')
      return showParquet(store, key, { values, out, outJson })
    }
    if (values.columns !== undefined) {
      // Only Parquet reads a subset of columns; a flag that did nothing would mislead.
      throw new UsageError(
        `--columns picks columns of a Parquet table; '${key}' is ${serializer}. Leave out --columns.`,
      )
    }
    if (serializer === 'pandas.csv' && !all) {
      // One page through row checkpoints, not the whole file (show-csv-page.ts).
      const { csvPageJson } = await import('./show-csv-page.js')
      const offset = intOption(values.offset, 'offset', 0)
      const page = await csvPageJson(store, key, offset, rows, Boolean(values.count))
      const { stringifyJson } = await import('../../engine/pyvalue-json.js')
      if (values.json) outJson(stringifyJson(page))
      else out(tableText(page as unknown as TableJson))
      return 0
    }
    const value = await store.get(key)
    const { stringifyJson } = await import('../../engine/pyvalue-json.js')
    let shown: Record<string, unknown>
    const previewed: number[] = []
    if (isArrowTable(value)) {
      const { tableToJson } = await import('../../engine/table/table-json.js')
      const n = all ? (value as { numRows: number }).numRows : rows
      shown = tableToJson(value as never, n) as unknown as Record<string, unknown>
    } else {
      const { pyToJson } = await import('../../engine/pyvalue-json.js')
      const onPreview = (n: number) => previewed.push(n)
      const limits = all
        ? { maxNodes: Infinity }
        : { maxNodes: MAX_ITEMS, arrayPreview: { over: MAX_ITEMS, head: HEAD, onPreview } }
      try {
        shown = { kind: 'object', value: pyToJson(value, limits) }
      } catch (err) {
        if (!(err instanceof LimitExceededError) || all) throw err
        throw new LimitExceededError(
          `The value of '${key}' has more than ${MAX_ITEMS.toLocaleString('en-US')} items to show. ` +
            `Run again with --all to print all of it (that needs memory for every item).`,
        )
      }
    }
    const note =
      previewed.length === 0
        ? null
        : `Showing the first ${HEAD.toLocaleString('en-US')} items of ` +
          `${previewed.length === 1 ? 'an array' : `${previewed.length} arrays`} of ` +
          `${previewed.map((n) => n.toLocaleString('en-US')).join(', ')} items. ` +
          `Run again with --all to print all of it (that needs memory for every item).`
    if (values.json) {
      outJson(stringifyJson(shown))
      if (note) process.stderr.write(`xpersist: ${note}\n`)
    } else if (shown.kind === 'table') out(tableText(shown as unknown as TableJson))
    else out(stringifyJson(shown.value, 2) + (note ? `\n${note}` : ''))
    return 0
  },
}

interface TableJson {
  /** null: not counted (a CSV page without --count). */
  rowCount: number | null
  /** The first row's position when the page is not the first. */
  offset?: number
  columns: { name: string; type: string }[]
  index: { name: string | null; names?: (string | null)[]; values: unknown[] } | null
  rows: unknown[][]
}

/** Column types whose missing value pandas prints as NaT. */
const TIME_TYPE = /^(?:datetime|duration)/

function tableText(t: TableJson): string {
  const index = indexText(t.index)
  const header = [...index.header, ...t.columns.map((c) => c.name)].map(visibleText)
  const types = [...index.header.map(() => ''), ...t.columns.map((c) => c.type)]
  const offset = index.header.length
  const body = t.rows.map((r, i) => [
    ...index.row(i),
    ...r.map((v, j) =>
      v === null && TIME_TYPE.test(types[j + offset] ?? '') ? 'NaT' : cellText(v),
    ),
  ])
  const numeric = types.map((ty) => /int|float/.test(ty))
  const table = textTable(header, [types, ...body], numeric)
  const shape = `x ${t.columns.length} columns]`
  if (t.rowCount === null) {
    const seen = (t.offset ?? 0) + t.rows.length
    return `${table}\n... rows not counted: pass --count to count them\n[${seen}+ rows ${shape}`
  }
  const after = t.rowCount - (t.offset ?? 0) - t.rows.length
  const more = after > 0 ? `\n... ${after} more rows` : ''
  return `${table}${more}\n[${t.rowCount} rows ${shape}`
}
