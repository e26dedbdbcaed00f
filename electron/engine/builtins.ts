import { Registry } from './registry.js'

export { Registry } from './registry.js'

/** The global registry, as Python's `xpersist.registry`, with the built-in serializers. */
export const registry = new Registry()

// Each serializer's code (and its libraries: Arrow, papaparse) loads on first use only.
registry.serializers.register(
  'pandas.csv',
  async () => (await import('./serializers/csv/csv-serializer.js')).pandasCsvSerializer,
)
registry.serializers.register(
  'xarray.netcdf',
  async () => (await import('./serializers/xarray/netcdf-serializer.js')).xarrayNetcdfSerializer,
)
registry.serializers.register(
  'joblib',
  async () => (await import('./serializers/joblib/joblib-serializer.js')).joblibSerializer,
)
registry.serializers.register(
  'xarray.zarr',
  async () => (await import('./serializers/xarray/zarr-serializer.js')).xarrayZarrSerializer,
)
registry.serializers.register(
  'xcollection',
  async () =>
    (await import('./serializers/xarray/xcollection-serializer.js')).xcollectionSerializer,
)

registry.serializers.register(
  'pandas.parquet',
  async () => (await import('./serializers/parquet/parquet-serializer.js')).pandasParquetSerializer,
)
