/**
 * What datasets-ts-to-py.test.ts puts: the datasets of python/dataset-specs.json with every
 * serializer, NetCDF format and per-variable encoding of issue 7, each with the storage facts
 * Python must find in the payload (so a dump_kwarg silently dropped shows up).
 */

/** One put. `spec` names a dataset of dataset-specs.json (or several, for xcollection). */
export interface DatasetJob {
  key: string
  spec: string | { datasets: Record<string, string> }
  serializer: 'xarray.netcdf' | 'xarray.zarr' | 'xcollection'
  dumpKwargs: Record<string, unknown>
  /** Zarr v3: checked with the zarr 3 venv; Python xpersist's zarr 2.13 cannot read it. */
  zarr3?: boolean
  /** A subset of check_datasets.py's `storage` the payload must match. */
  storage?: Record<string, unknown>
  /** Relative tolerance for our own read-back (packing rounds values). */
  selfTol?: number
  /** Decoded dtypes that differ from the spec's after the round trip, as xarray reads them. */
  readBackDtypes?: Record<string, string>
}

const PACKED = {
  t2m: { dtype: 'int16', scale_factor: 0.01, add_offset: 273.15, _FillValue: -32767 },
  precip: { dtype: 'int16', scale_factor: 0.25, _FillValue: -1 },
}
const PACKED_STORAGE = {
  variables: {
    t2m: {
      dtype: '<i2',
      attrs: { scale_factor: 0.01, add_offset: 273.15, _FillValue: -32767 },
      attr_types: { _FillValue: 'int16', scale_factor: 'float64', add_offset: 'float64' },
    },
    precip: {
      dtype: '<i2',
      attrs: { scale_factor: 0.25, _FillValue: -1 },
      attr_types: { _FillValue: 'int16' },
    },
  },
}

// xarray 2023.1 decodes packed int16 to float32, with or without add_offset.
const PACKED_READ_BACK = { t2m: 'float32', precip: 'float32' }

/** Every put of the suite. */
export const JOBS: DatasetJob[] = [
  {
    key: 'basic.nc',
    spec: 'basic',
    serializer: 'xarray.netcdf',
    dumpKwargs: {},
    storage: { format: 'NETCDF4' },
  },
  {
    key: 'basic-nc4-zlib.nc',
    spec: 'basic',
    serializer: 'xarray.netcdf',
    dumpKwargs: {
      format: 'NETCDF4',
      encoding: { sst: { zlib: true, complevel: 4, chunksizes: [1, 2, 3] } },
    },
    storage: {
      format: 'NETCDF4',
      variables: { sst: { zlib: true, complevel: 4, chunksizes: [1, 2, 3] } },
    },
  },
  {
    key: 'basic-nc4-classic.nc',
    spec: 'basic',
    serializer: 'xarray.netcdf',
    dumpKwargs: { format: 'NETCDF4_CLASSIC', encoding: { sst: { zlib: true, complevel: 1 } } },
    storage: { format: 'NETCDF4_CLASSIC', variables: { sst: { zlib: true, complevel: 1 } } },
  },
  {
    key: 'basic-nc3-64bit.nc',
    spec: 'basic',
    serializer: 'xarray.netcdf',
    dumpKwargs: { format: 'NETCDF3_64BIT' },
    storage: { format: 'NETCDF3_64BIT' },
  },
  {
    key: 'basic-nc3-classic.nc',
    spec: 'basic',
    serializer: 'xarray.netcdf',
    dumpKwargs: { format: 'NETCDF3_CLASSIC' },
    storage: { format: 'NETCDF3_CLASSIC' },
  },
  {
    key: 'basic-fill-dtype.nc',
    spec: 'basic',
    serializer: 'xarray.netcdf',
    dumpKwargs: { encoding: { sst: { _FillValue: -999.0, dtype: 'float64' } } },
    readBackDtypes: { sst: 'float64' },
    storage: {
      variables: {
        sst: { dtype: '<f8', attrs: { _FillValue: -999.0 }, attr_types: { _FillValue: 'float64' } },
      },
    },
  },
  {
    key: 'strings-nc4.nc',
    spec: 'strings',
    serializer: 'xarray.netcdf',
    dumpKwargs: { format: 'NETCDF4' },
    storage: { format: 'NETCDF4' },
  },
  {
    key: 'strings-nc3.nc',
    spec: 'strings',
    serializer: 'xarray.netcdf',
    dumpKwargs: { format: 'NETCDF3_CLASSIC' },
    storage: { format: 'NETCDF3_CLASSIC' },
  },
  {
    key: 'packed-nc4.nc',
    spec: 'packed',
    serializer: 'xarray.netcdf',
    dumpKwargs: { format: 'NETCDF4', encoding: PACKED },
    storage: PACKED_STORAGE,
    selfTol: 1e-3,
    readBackDtypes: PACKED_READ_BACK,
  },
  {
    key: 'packed-nc3.nc',
    spec: 'packed',
    serializer: 'xarray.netcdf',
    dumpKwargs: { format: 'NETCDF3_64BIT', encoding: PACKED },
    storage: { format: 'NETCDF3_64BIT', ...PACKED_STORAGE },
    selfTol: 1e-3,
    readBackDtypes: PACKED_READ_BACK,
  },
  {
    key: 'basic.zarr',
    spec: 'basic',
    serializer: 'xarray.zarr',
    dumpKwargs: {},
    storage: { format: 'zarr2', consolidated: true },
  },
  {
    key: 'basic-chunked.zarr',
    spec: 'basic',
    serializer: 'xarray.zarr',
    dumpKwargs: { consolidated: false, encoding: { sst: { chunks: [2, 1, 3] } } },
    storage: { format: 'zarr2', consolidated: false, variables: { sst: { chunks: [2, 1, 3] } } },
  },
  {
    key: 'strings.zarr',
    spec: 'strings',
    serializer: 'xarray.zarr',
    dumpKwargs: {},
    storage: { format: 'zarr2' },
  },
  {
    key: 'packed.zarr',
    spec: 'packed',
    serializer: 'xarray.zarr',
    dumpKwargs: { encoding: PACKED },
    selfTol: 1e-3,
    readBackDtypes: PACKED_READ_BACK,
  },
  {
    key: 'basic-v3.zarr',
    spec: 'basic',
    serializer: 'xarray.zarr',
    dumpKwargs: { zarr_format: 3, consolidated: true },
    zarr3: true,
  },
  {
    key: 'strings-v3.zarr',
    spec: 'strings',
    serializer: 'xarray.zarr',
    dumpKwargs: { zarr_format: 3, consolidated: true },
    zarr3: true,
  },
  {
    key: 'both.xc',
    spec: { datasets: { ocean: 'basic', stations: 'strings' } },
    serializer: 'xcollection',
    dumpKwargs: {},
  },
]
