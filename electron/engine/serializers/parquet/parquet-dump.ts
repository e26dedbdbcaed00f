/**
 * The 'pandas.parquet' serializer's dump: DataFrame.to_parquet (pyarrow engine) for an
 * apache-arrow Table, honouring the to_parquet options users pass as dump_kwargs.
 */
import { Table } from 'apache-arrow'
import { InvalidArgumentError } from '../../errors.js'
import { checkKwargs, writeTarget, type Kwargs, type Target } from '../serializer.js'
import { encodeParquet, type ParquetWriteOptions } from './parquet-write.js'

/** to_parquet's keyword arguments dump takes; any other is refused by name. */
export const PARQUET_DUMP_KWARGS = ['compression', 'index', 'row_group_size', 'engine'] as const

/** Writes `value` (an apache-arrow Table) to the target as pandas' to_parquet would. */
export async function dumpPandasParquet(
  value: unknown,
  target: Target,
  kwargs: Kwargs,
): Promise<void> {
  const options = parquetDumpOptions(kwargs)
  if (!(value instanceof Table)) {
    const kind = value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value
    throw new InvalidArgumentError(
      `pandas.parquet writes apache-arrow Tables, not ${kind}. Build a Table with ` +
        `tableFromArrays (or load one), or pick another serializer.`,
    )
  }
  await writeTarget(target, await encodeParquet(value, options))
}

/** The encoder options dump_kwargs ask for, after checking each one as to_parquet would. */
export function parquetDumpOptions(kwargs: Kwargs): ParquetWriteOptions {
  checkKwargs('pandas.parquet', 'dump', kwargs, PARQUET_DUMP_KWARGS)
  const engine = kwargs.engine
  if (engine !== undefined && engine !== 'pyarrow' && engine !== 'auto') {
    throw new InvalidArgumentError(
      `pandas.parquet dump kwarg 'engine' must be 'pyarrow' or 'auto' (the files written here ` +
        `are what pyarrow writes), not ${JSON.stringify(engine)}.`,
    )
  }
  const { compression, index } = kwargs
  if (compression !== undefined && compression !== null && typeof compression !== 'string') {
    throw new InvalidArgumentError(
      `pandas.parquet dump kwarg 'compression' must be a codec name or None, not ${JSON.stringify(compression)}.`,
    )
  }
  if (index !== undefined && index !== null && typeof index !== 'boolean') {
    throw new InvalidArgumentError(
      `pandas.parquet dump kwarg 'index' must be True, False or None, not ${JSON.stringify(index)}.`,
    )
  }
  const rows = kwargs.row_group_size
  if (
    rows !== undefined &&
    rows !== null &&
    !(typeof rows === 'number' && Number.isSafeInteger(rows) && rows > 0)
  ) {
    throw new InvalidArgumentError(
      `pandas.parquet dump kwarg 'row_group_size' must be a positive whole number of rows, not ${JSON.stringify(rows)}.`,
    )
  }
  return {
    compression: compression as string | null | undefined,
    index: index as boolean | null | undefined,
    rowGroupSize: (rows ?? undefined) as number | undefined,
  }
}
