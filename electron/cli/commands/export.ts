import { copyFile, rename } from 'node:fs/promises'
import path from 'node:path'
import type { Command } from '../args.js'
import { UsageError } from '../args.js'
import { CacheStore } from '../../engine/store.js'
import { QUERY_OPTIONS, QUERY_USAGE, queryFromOptions } from '../query-args.js'
import { STORAGE_FLAGS, STORAGE_USAGE, storageOptionsOf } from '../storage-args.js'

/** `xpersist export`: what a query shows of a table, to CSV (pandas to_csv) or Parquet. */
export const exportCommand: Command = {
  usage: `export <cache> <key> -o out.csv|out.parquet ${QUERY_USAGE} ${STORAGE_USAGE}`,
  summary:
    'write the rows of a table that match --where/--search, in --sort order, to CSV (as ' +
    "pandas' to_csv writes it, index included) or Parquet",
  options: { ...QUERY_OPTIONS, output: { type: 'string', short: 'o' }, ...STORAGE_FLAGS },
  minPositionals: 2,
  maxPositionals: 2,
  async run({ positionals, values, out }) {
    const [location, key] = positionals as [string, string]
    const output = values.output
    if (typeof output !== 'string' || output === '') {
      throw new UsageError('-o/--output: give the file to write, ending in .csv or .parquet')
    }
    const ext = path.extname(output).toLowerCase()
    const format = ext === '.csv' ? 'csv' : ext === '.parquet' || ext === '.pq' ? 'parquet' : null
    if (!format) {
      throw new UsageError(`-o/--output: '${output}' must end in .csv or .parquet`)
    }
    if (values['group-count'] !== undefined) {
      throw new UsageError('--group-count: export writes rows; use it with show instead')
    }
    const query = queryFromOptions(values)
    const store = await CacheStore.open(location, {
      readonly: true,
      storageOptions: storageOptionsOf(values),
    })
    const { openTableSource, runTableQuery, exportQuery, exportName, removeExport } =
      await import('../../engine/table/query/index.js')
    const source = await openTableSource(store, key)
    const result = await runTableQuery(source, query)
    const file = await exportQuery(source, result.positions, exportName(key, query, format), format)
    try {
      await rename(file.path, output).catch(async (err: NodeJS.ErrnoException) => {
        if (err.code !== 'EXDEV') throw err
        await copyFile(file.path, output)
      })
    } finally {
      await removeExport(file.path)
    }
    out(`Wrote ${file.rows} of ${result.totalRows} rows (${file.bytes} bytes) to ${output}`)
    return 0
  },
}
