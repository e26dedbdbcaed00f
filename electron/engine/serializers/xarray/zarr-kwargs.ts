// The kwargs of the zarr serializers, as Python xpersist passes them: load_kwargs to
// xr.open_zarr / xcollection.open_collection, dump_kwargs to Dataset.to_zarr /
// Collection.to_zarr. Each one is implemented or refused by name.
import type { DecodeOptions } from '../../dataset/cf-decode.js'
import { InvalidArgumentError } from '../../errors.js'
import { checkKwargs, type Kwargs } from '../serializer.js'

const DECODE = [
  'decode_cf',
  'mask_and_scale',
  'decode_times',
  'concat_characters',
  'decode_coords',
  'decode_timedelta',
]
/** load_kwargs of 'xarray.zarr' (chunks is accepted and changes nothing: reads are lazy). */
export const ZARR_LOAD_KWARGS = [...DECODE, 'consolidated', 'chunks', 'group', 'drop_variables']
/** load_kwargs of 'xcollection' (open_collection passes them to xr.open_dataset). */
export const COLLECTION_LOAD_KWARGS = [...DECODE, 'consolidated', 'chunks']
/** dump_kwargs of 'xarray.zarr' (compute and safe_chunks change nothing: nothing is deferred). */
export const ZARR_DUMP_KWARGS = ['consolidated', 'encoding', 'zarr_format', 'zarr_version', 'mode', 'compute', 'safe_chunks'] // prettier-ignore
/** dump_kwargs of 'xcollection'. */
export const COLLECTION_DUMP_KWARGS = ['consolidated', 'mode', 'compute', 'zarr_format', 'zarr_version'] // prettier-ignore

function flag(serializer: string, kwargs: Kwargs, name: string): boolean | undefined {
  const v = kwargs[name]
  if (v === undefined || v === null) return undefined
  if (typeof v !== 'boolean') {
    throw new InvalidArgumentError(
      `${serializer} kwarg '${name}' must be true or false, not ${JSON.stringify(v)}.`,
    )
  }
  return v
}

/** What the load kwargs ask of the reader and of CF decoding. */
export interface ZarrLoadOptions {
  decode: DecodeOptions
  consolidated?: boolean
  group?: string
  dropVariables: string[]
}

/** Checks and reads load kwargs. */
export function zarrLoadOptions(
  serializer: string,
  kwargs: Kwargs,
  known: readonly string[],
): ZarrLoadOptions {
  checkKwargs(serializer, 'load', kwargs, known)
  if (kwargs.decode_coords === 'all') {
    throw new InvalidArgumentError(
      `${serializer} load kwarg decode_coords='all' is not supported; use true.`,
    )
  }
  const group = kwargs.group
  if (group !== undefined && group !== null && typeof group !== 'string') {
    throw new InvalidArgumentError(`${serializer} load kwarg group must be a group path.`)
  }
  const drop = kwargs.drop_variables
  const dropVariables = drop == null ? [] : typeof drop === 'string' ? [drop] : drop
  if (!Array.isArray(dropVariables) || !dropVariables.every((d) => typeof d === 'string')) {
    throw new InvalidArgumentError(
      `${serializer} load kwarg drop_variables must be a name or a list of names.`,
    )
  }
  return {
    decode: {
      decodeCf: flag(serializer, kwargs, 'decode_cf'),
      maskAndScale: flag(serializer, kwargs, 'mask_and_scale'),
      decodeTimes: flag(serializer, kwargs, 'decode_times'),
      concatCharacters: flag(serializer, kwargs, 'concat_characters'),
      decodeCoords: flag(serializer, kwargs, 'decode_coords'),
      decodeTimedelta: flag(serializer, kwargs, 'decode_timedelta'),
    },
    consolidated: flag(serializer, kwargs, 'consolidated'),
    group: typeof group === 'string' ? group.replace(/^\/+|\/+$/g, '') : undefined,
    dropVariables: dropVariables as string[],
  }
}

/** What the dump kwargs ask of the writer. */
export interface ZarrDumpOptions {
  zarrFormat: 2 | 3
  consolidated: boolean
  encoding: Map<string, unknown>
}

/** Checks and reads dump kwargs (writing nothing). */
export function zarrDumpOptions(
  serializer: string,
  kwargs: Kwargs,
  known: readonly string[],
): ZarrDumpOptions {
  checkKwargs(serializer, 'dump', kwargs, known)
  const fmt = kwargs.zarr_format ?? kwargs.zarr_version ?? 2
  if (fmt !== 2 && fmt !== 3) {
    throw new InvalidArgumentError(
      `${serializer} dump kwarg zarr_format must be 2 or 3, not ${JSON.stringify(fmt)}.`,
    )
  }
  const mode = kwargs.mode ?? 'w'
  if (mode !== 'w' && mode !== 'w-') {
    throw new InvalidArgumentError(
      `${serializer} dump kwarg mode=${JSON.stringify(mode)} is not supported: the store writes ` +
        `each artifact whole ('w'); appending ('a', 'r+', append_dim) is not implemented here.`,
    )
  }
  if (kwargs.compute === false) {
    throw new InvalidArgumentError(
      `${serializer} dump kwarg compute=false is not supported: values are written at once.`,
    )
  }
  flag(serializer, kwargs, 'safe_chunks')
  const e = kwargs.encoding
  if (e != null && (typeof e !== 'object' || Array.isArray(e))) {
    throw new InvalidArgumentError(
      `${serializer} dump kwarg encoding must map variable names to their encodings.`,
    )
  }
  const encoding =
    e == null
      ? new Map<string, unknown>()
      : e instanceof Map
        ? new Map(e as Map<string, unknown>)
        : new Map(Object.entries(e))
  return {
    zarrFormat: fmt,
    consolidated: flag(serializer, kwargs, 'consolidated') ?? true,
    encoding,
  }
}
