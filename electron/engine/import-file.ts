import path from 'node:path'
import type { Artifact } from '../../shared/artifact.js'
import { pyJsonParse } from '../../shared/pyjson-parse.js'
import { serializerForBytes } from './detect-payload.js'
import { InvalidArgumentError } from './errors.js'
import type { CacheStore, PutOptionsArg } from './store.js'

// Files whose bytes already are a payload of a serializer are stored exactly as they are.
const PAYLOAD_EXTENSIONS: Record<string, string> = {
  '.csv': 'pandas.csv',
  '.parquet': 'pandas.parquet',
  '.joblib': 'joblib',
  '.pkl': 'joblib',
  '.pickle': 'joblib',
}

/** The serializer 'auto' means for a file of this name, or undefined when it cannot tell. */
export function serializerForFile(name: string): string | undefined {
  const ext = path.extname(name).toLowerCase()
  return PAYLOAD_EXTENSIONS[ext] ?? (ext === '.json' ? 'joblib' : undefined)
}

/**
 * Stores a file as an artifact: a CSV, Parquet, pickle or NetCDF file is kept byte for byte (after
 * checking it loads); a .json file is read as a value and serialized. `serializer` 'auto' (or
 * undefined) picks from the content (NetCDF classic, 64-bit offset, HDF5), then the file name.
 */
export async function importFile(
  store: CacheStore,
  key: string,
  name: string,
  data: Uint8Array,
  options: PutOptionsArg = {},
): Promise<Artifact> {
  const wanted =
    options.serializer && options.serializer !== 'auto' ? options.serializer : undefined
  // Content first: a NetCDF file is one whatever its name ends with.
  const serializer = wanted ?? serializerForBytes(data) ?? serializerForFile(name)
  if (!serializer) {
    throw new InvalidArgumentError(
      `Cannot tell how to store ${path.basename(name)}; choose a serializer (pandas.csv for CSV, joblib for pickles, xarray.netcdf for NetCDF).`,
    )
  }
  if (path.extname(name).toLowerCase() === '.json') {
    let value: unknown
    try {
      value = pyJsonParse(new TextDecoder().decode(data))
    } catch (err) {
      throw new InvalidArgumentError(
        `${path.basename(name)} is not valid JSON: ${(err as Error).message}.`,
      )
    }
    return store.put(key, value, { ...options, serializer })
  }
  return store.importPayload(key, data, { ...options, serializer })
}
