// The in-memory Dataset model every dataset format shares (netcdf3, netcdf4/hdf5, zarr v2/v3,
// xcollection). Two layers, as xarray has them:
//  - a *stored* dataset (SourceDataset): what a format reader finds in the file, before CF
//    decoding (packed int16, fill values, "days since ..." numbers, char arrays);
//  - a *decoded* Dataset: what `xr.open_dataset` returns by default (see cf-decode.ts).
// Both read lazily: opening reads metadata only, `read(selection)` reads only the chunks or
// hyperslabs the selection touches. Names and attributes come from untrusted files, so every
// name-keyed collection is a Map (ordered, and safe for '__proto__' or '0' as a name).

/** One dimension's part of a selection: an index (drops the dimension) or a half-open range. */
export type DimSelection = number | { start: number; stop: number; step?: number }

/**
 * A selection over an array's dimensions, in order; dimensions past the end of the list, and
 * `null` entries, are taken whole.
 */
export type Selection = readonly (DimSelection | null)[]

/** Typed arrays a stored or decoded variable's values come in. */
export type NumericArray =
  | Int8Array
  | Uint8Array
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | Float32Array
  | Float64Array
  | BigInt64Array
  | BigUint64Array

/**
 * An n-dimensional array in C order. `dtype` is numpy's name: 'float32', 'int16', 'bool'
 * (Uint8Array of 0/1), 'datetime64[ns]' (BigInt64Array of ns since 1970, NaT as
 * -2**63 as numpy has it), 'str' (strings), 'object' (cftime-like dates in non-standard
 * calendars, as ISO text, or null), '|S1' (chars, one per element, as strings).
 * Byte dtypes ('|S1', '|S<n>') hold bytes, not text: each string's char codes are the bytes
 * (Latin-1, 0-255; a NUL char may be '' or '\0'), so a UTF-8 'é' stored as chars is the two
 * elements '\xc3', '\xa9'; CF decoding turns them into text with `_Encoding`.
 */
export interface NdArray {
  dtype: string
  shape: number[]
  data: NumericArray | (string | null)[]
}

/** An attribute value as netCDF/zarr store it (numbers, text, arrays of them). */
export type AttrValue = string | number | bigint | boolean | null | AttrValue[] | AttrMap
/** Attributes in file order; a Map so any name is safe. */
export type AttrMap = Map<string, AttrValue>

/** A stored array: its shape and dtype, and lazy reads of parts of it. */
export interface StoredArray {
  readonly shape: readonly number[]
  /** numpy dtype of the stored values ('int16', 'float32', '|S1', 'str', 'bool', ...). */
  readonly dtype: string
  /** Chunk shape for chunked storage (zarr, chunked HDF5); undefined when contiguous. */
  readonly chunks?: readonly number[]
  /** Reads the selected part; reads only the chunks or hyperslabs the selection touches. */
  read(selection?: Selection, signal?: AbortSignal): Promise<NdArray>
}

/** One variable as stored, before CF decoding. */
export interface SourceVariable {
  readonly name: string
  readonly dims: readonly string[]
  /** Attributes exactly as stored (scale_factor, _FillValue, units ... included). */
  readonly attrs: AttrMap
  /** Storage facts xarray keeps in `.encoding` (chunksizes, zlib, compressor, ...). */
  readonly encoding: Map<string, unknown>
  readonly array: StoredArray
}

/** A dataset as a format reader finds it. */
export interface SourceDataset {
  /** Dimensions in file order with their sizes. */
  readonly dims: Map<string, number>
  /** Variables in file order (dimension coordinates included). */
  readonly variables: SourceVariable[]
  readonly attrs: AttrMap
  /** Things the reader skipped, for the user (for example "groups ignored: /forecast"). */
  readonly notes: string[]
  /** Unlimited dimensions (netCDF), recorded as xarray's encoding['unlimited_dims']. */
  readonly unlimitedDims?: string[]
  /** Bytes read so far by this dataset's reads (for previews and the benchmark). */
  bytesRead(): number
  /** Releases file handles (h5wasm files); safe to call twice. */
  close?(): Promise<void>
}

/** One decoded variable, as xarray shows it after `open_dataset`. */
export interface Variable {
  readonly name: string
  readonly dims: readonly string[]
  readonly shape: readonly number[]
  /** Decoded numpy dtype ('float32' for packed int16, 'datetime64[ns]', 'object', 'bool'). */
  readonly dtype: string
  /** Attributes after decoding (scale_factor, _FillValue, units of times ... moved out). */
  readonly attrs: AttrMap
  /** What decoding moved out of attrs, plus the storage facts (xarray's `.encoding`). */
  readonly encoding: Map<string, unknown>
  /** Chunk shape as stored, if chunked. */
  readonly chunks?: readonly number[]
  /** Reads and decodes the selected part. */
  read(selection?: Selection, signal?: AbortSignal): Promise<NdArray>
}

/** A decoded dataset: the value `store.get` returns for xarray.netcdf and xarray.zarr. */
export interface Dataset {
  readonly kind: 'dataset'
  readonly dims: Map<string, number>
  readonly coords: Map<string, Variable>
  readonly dataVars: Map<string, Variable>
  readonly attrs: AttrMap
  /** Dataset-level encoding (unlimited_dims, source format). */
  readonly encoding: Map<string, unknown>
  readonly notes: string[]
  bytesRead(): number
  close(): Promise<void>
}

/** Several named datasets: the value `store.get` returns for xcollection. */
export interface Collection {
  readonly kind: 'collection'
  readonly datasets: Map<string, Dataset>
}

/** Number of elements of a shape. */
export function sizeOf(shape: readonly number[]): number {
  let n = 1
  for (const d of shape) n *= d
  return n
}

/**
 * One variable ready for a format writer: values already CF-encoded to the stored dtype
 * (times as numbers with `units`/`calendar` attrs, packed ints with scale_factor/add_offset,
 * NaN replaced by _FillValue), and the storage choices for it.
 */
export interface EncodedVariable {
  readonly name: string
  readonly dims: readonly string[]
  /** Attributes to store, the CF ones (_FillValue, scale_factor, units, calendar) included. */
  readonly attrs: AttrMap
  readonly data: NdArray
  /**
   * Storage choices from the user's encoding or the source's: chunksizes/chunks, zlib,
   * complevel, shuffle, compressor, contiguous. Writers ignore the ones their format lacks.
   */
  readonly encoding: Map<string, unknown>
  /** True for a coordinate (zarr and netCDF record this through `coordinates` attrs). */
  readonly isCoord: boolean
}

/** A dataset ready for a format writer (see cf-encode.ts). */
export interface EncodedDataset {
  readonly dims: Map<string, number>
  readonly variables: EncodedVariable[]
  readonly attrs: AttrMap
  readonly unlimitedDims: string[]
}
