"""The entries of the dataset corpus (write_datasets.py): small Datasets covering every format,
codec, calendar and CF encoding of issue 7. Each entry is a dict:
  key, serializer, writer (how it was written, in words), features (what it covers),
  value + dump_kwargs (put through CacheStore.put) or direct(path) (written with to_netcdf /
  to_zarr because the arguments, numcodecs objects, cannot go in a JSON sidecar),
  after(path) (damage or additions made after writing), expect (facts the TS side checks
  beyond the golden, e.g. a note about an ignored group).
Sizes are tiny (a few KB each) so the corpus stays far under 2 MB and writes in seconds.
"""
import os

import numcodecs
import numpy as np
import pandas as pd
import xarray as xr

CALENDARS = [
    'standard', 'gregorian', 'proleptic_gregorian', 'noleap', '365_day', 'all_leap', '366_day',
    '360_day',
]


def sst(nt=4, ny=3, nx=5, name='sst') -> xr.Dataset:
    """(time, lat, lon) float32 with a NaN, CF coordinates, global attrs of several types."""
    time = pd.date_range('2000-01-01', periods=nt, freq='MS')
    lat = np.linspace(-10, 10, ny).astype('float32')
    lon = np.linspace(180, 200, nx).astype('float32')
    v = (20 + np.arange(nt)[:, None, None] + 0.5 * np.cos(np.deg2rad(lat))[None, :, None]
         + 0.1 * np.arange(nx)[None, None, :]).astype('float32')
    v[0, 0, 0] = np.nan
    return xr.Dataset(
        {name: (('time', 'lat', 'lon'), v, {'units': 'degC', 'standard_name': 'sea_surface_temperature'})},
        coords={
            'time': ('time', time, {'standard_name': 'time', 'axis': 'T'}),
            'lat': ('lat', lat, {'units': 'degrees_north', 'standard_name': 'latitude'}),
            'lon': ('lon', lon, {'units': 'degrees_east', 'standard_name': 'longitude'}),
        },
        attrs={'title': 'corpus', 'Conventions': 'CF-1.8', 'version': 3, 'scale': 0.5,
               'valid_years': [2000, 2001]},
    )


def with_extras(ds: xr.Dataset, strings=True) -> xr.Dataset:
    """Adds a dimension without a coordinate (nv) and, optionally, a string variable."""
    ds = ds.copy()
    lat = ds['lat'].values
    ds['lat_bnds'] = (('lat', 'nv'), np.stack([lat - 5, lat + 5], axis=1).astype('float32'))
    ds['count'] = (('lat',), np.arange(ds.sizes['lat'], dtype='int32'), {'long_name': 'count'})
    if strings:
        ds['station'] = (('lat',), np.array(['Boulder', 'Zürich ✓', ''][: ds.sizes['lat']], dtype=object))
    return ds


def add_group(path: str) -> None:
    import netCDF4

    with netCDF4.Dataset(path, 'a') as nc:
        g = nc.createGroup('forecast')
        g.createDimension('lead', 2)
        g.createVariable('lead', 'i4', ('lead',))[:] = [1, 2]


def cf_encodings() -> tuple:
    """Packed ints, fill values, missing_value, char arrays with _Encoding, bool, NaT."""
    n = 5
    raw = np.array([271.5, 272.25, np.nan, 300.0, 310.75])
    t = pd.to_datetime(['2000-01-01', '2000-01-01T06:00', None, '2001-02-28T23:59:59', '1999-12-31'])
    ds = xr.Dataset(
        {
            'packed_scale': (('x',), (raw - 273.15).astype('float32'), {'units': 'degC'}),
            'packed_offset': (('x',), raw, {'units': 'K'}),
            'filled': (('x',), np.array([1.5, np.nan, 3.0, np.nan, 5.0], dtype='float32')),
            'int_filled': (('x',), np.array([1, 2, -99, 4, 5], dtype='int32')),
            'flag': (('x',), np.array([True, False, True, True, False])),
            'label': (('x',), np.array(['alpha', 'béta', '', 'd', 'epsilon'], dtype=object)),
            'when': (('x',), t),
        },
        coords={'x': ('x', np.arange(n, dtype='int16'))},
        attrs={'source': 'cf-encodings'},
    )
    encoding = {
        'packed_scale': {'dtype': 'int16', 'scale_factor': 0.01, '_FillValue': -32767},
        'packed_offset': {'dtype': 'int16', 'scale_factor': 0.01, 'add_offset': 273.15,
                          '_FillValue': -32767},
        'filled': {'_FillValue': -999.0},
        'label': {'dtype': 'S1'},
        'when': {'units': 'hours since 2000-01-01', 'dtype': 'float64'},
    }
    return ds, encoding


def add_missing_value(path: str) -> None:
    """int_filled: -99 marked as missing_value only (xarray masks it and decodes to float)."""
    import netCDF4

    with netCDF4.Dataset(path, 'a') as nc:
        nc['int_filled'].setncattr('missing_value', np.int32(-99))
        v = nc.createVariable('both_fills', 'f4', ('x',), fill_value=np.float32(-1.0))
        v.setncattr('missing_value', np.float32(-1.0))
        v[:] = np.array([-1.0, 2.0, 3.0, -1.0, 5.0], dtype='float32')


def calendars() -> xr.Dataset:
    """One variable per calendar, raw numbers with units/calendar attrs: xarray decodes them on
    open (datetime64 for the standard ones, cftime for the rest). Day 59 is Feb 29 in standard
    and all_leap, Mar 1 in noleap, Feb 30 in 360_day."""
    days = np.array([0, 31, 59, 59.5, 365, 1000.25])
    data = {
        f't_{cal}': (('step',), days, {'units': 'days since 2000-01-01', 'calendar': cal})
        for cal in CALENDARS
    }
    data['hours_std'] = (('step',), np.array([0, 1, 24, 36, -12, 87600], dtype='int32'),
                         {'units': 'hours since 1970-01-01 00:00:00'})
    ds = xr.Dataset(data, attrs={'source': 'calendars'})
    ds['t_360_day'].attrs['long_name'] = 'days in a 360-day year'
    return ds


def cal360_coord() -> xr.Dataset:
    ds = sst(nt=3, ny=2, nx=2)
    ds = ds.assign_coords(time=('time', [0.0, 30.0, 59.0],
                                {'units': 'days since 2000-01-01', 'calendar': '360_day'}))
    return xr.decode_cf(ds)


def zarr_base() -> xr.Dataset:
    ds = with_extras(sst(nt=4, ny=3, nx=5))
    ds['int_fill'] = (('lon',), np.array([1, -1, 3, -1, 5], dtype='int16'))
    return ds


def zarr_encoding(compressor) -> dict:
    return {'sst': {'compressor': compressor, 'chunks': (2, 2, 5)},
            'int_fill': {'_FillValue': -1}}


def to_zarr_with(ds, compressor, consolidated):
    def write(path):
        ds.to_zarr(path, encoding=zarr_encoding(compressor), consolidated=consolidated)
    return write


def delete_chunk(rel: str):
    def after(path):
        os.remove(os.path.join(path, rel))
    return after


def collection():
    import xcollection as xc

    a = sst(nt=2, ny=2, nx=3)
    b = calendars()[['t_noleap', 't_standard']]
    return xc.Collection({'ocean': a, 'times': b})


def entries() -> list:
    cf, cf_enc = cf_encodings()
    nc4_enc = {'sst': {'zlib': True, 'complevel': 4, 'shuffle': True, 'chunksizes': [2, 3, 5]}}
    zds = zarr_base()
    return [
        {
            'key': 'nc4-netcdf4.nc', 'serializer': 'xarray.netcdf',
            'writer': 'CacheStore.put, engine netcdf4, NETCDF4, then a group added with netCDF4',
            'features': ['netcdf4', 'chunked', 'zlib', 'shuffle', 'unlimited dim', 'vlen string',
                         'group ignored', 'dim without coordinate'],
            'value': with_extras(sst()),
            'dump_kwargs': {'engine': 'netcdf4', 'format': 'NETCDF4', 'unlimited_dims': ['time'],
                            'encoding': nc4_enc},
            'after': add_group,
            'expect': {'note_contains': 'forecast', 'unlimited_dims': ['time']},
        },
        {
            'key': 'nc4-h5netcdf.nc', 'serializer': 'xarray.netcdf',
            'writer': 'CacheStore.put, engine h5netcdf',
            'features': ['netcdf4', 'h5netcdf engine', 'chunked', 'zlib', 'vlen string'],
            'value': with_extras(sst()),
            'dump_kwargs': {'engine': 'h5netcdf', 'encoding': {'sst': {'zlib': True, 'complevel': 1,
                                                                       'chunksizes': (1, 3, 5)}}},
        },
        {
            'key': 'nc4-classic.nc', 'serializer': 'xarray.netcdf',
            'writer': 'CacheStore.put, engine netcdf4, NETCDF4_CLASSIC',
            'features': ['netcdf4 classic model', 'zlib', 'char strings'],
            'value': with_extras(sst()),
            'dump_kwargs': {'engine': 'netcdf4', 'format': 'NETCDF4_CLASSIC', 'encoding': nc4_enc},
        },
        {
            'key': 'nc3-classic.nc', 'serializer': 'xarray.netcdf',
            'writer': 'CacheStore.put, engine scipy, NETCDF3_CLASSIC',
            'features': ['netcdf3 classic', 'record dim', 'char strings', 'dim without coordinate'],
            'value': with_extras(sst()),
            'dump_kwargs': {'engine': 'scipy', 'format': 'NETCDF3_CLASSIC', 'unlimited_dims': ['time']},
        },
        {
            'key': 'nc3-64bit.nc', 'serializer': 'xarray.netcdf',
            'writer': 'CacheStore.put, engine scipy, NETCDF3_64BIT',
            'features': ['netcdf3 64-bit offset'],
            'value': with_extras(sst(), strings=False),
            'dump_kwargs': {'engine': 'scipy', 'format': 'NETCDF3_64BIT'},
        },
        {
            'key': 'cf-encodings.nc', 'serializer': 'xarray.netcdf',
            'writer': 'CacheStore.put, engine netcdf4, then missing_value attrs added with netCDF4',
            'features': ['packed int16 scale_factor', 'packed int16 scale_factor+add_offset',
                         '_FillValue', 'missing_value', 'int with fill to float', 'char array _Encoding',
                         'bool', 'NaT', 'hours since'],
            'value': cf, 'dump_kwargs': {'engine': 'netcdf4', 'encoding': cf_enc},
            'after': add_missing_value,
        },
        {
            'key': 'cf-encodings-nc3.nc', 'serializer': 'xarray.netcdf',
            'writer': 'CacheStore.put, engine scipy, NETCDF3_64BIT',
            'features': ['packed int16 (nc3)', '_FillValue (nc3)', 'char array _Encoding (nc3)',
                         'bool (nc3)'],
            'value': cf.drop_vars(['int_filled']),
            'dump_kwargs': {'engine': 'scipy', 'format': 'NETCDF3_64BIT',
                            'encoding': {k: v for k, v in cf_enc.items()}},
        },
        {
            'key': 'calendars.nc', 'serializer': 'xarray.netcdf',
            'writer': 'CacheStore.put, engine netcdf4 (raw numbers with units/calendar attrs)',
            'features': ['calendar ' + c for c in CALENDARS] + ['hours since, int32'],
            'value': calendars(), 'dump_kwargs': {'engine': 'netcdf4'},
        },
        {
            'key': 'zarr2-default.zarr', 'serializer': 'xarray.zarr',
            'writer': 'CacheStore.put xarray.zarr (to_zarr defaults: Blosc lz4, consolidated)',
            'features': ['zarr v2', 'blosc lz4', 'consolidated', 'vlen-utf8', 'fill values',
                         '_ARRAY_DIMENSIONS', 'dim without coordinate'],
            'value': zds,
            'dump_kwargs': {'encoding': {'sst': {'chunks': [2, 2, 5]}, 'int_fill': {'_FillValue': -1}}},
        },
        {
            'key': 'zarr2-zlib.zarr', 'serializer': 'xarray.zarr',
            'writer': 'to_zarr(compressor=Zlib(level=1), consolidated=False)',
            'features': ['zarr v2', 'zlib', 'not consolidated'],
            'direct': to_zarr_with(zds, numcodecs.Zlib(level=1), False),
        },
        {
            'key': 'zarr2-gzip.zarr', 'serializer': 'xarray.zarr',
            'writer': 'to_zarr(compressor=GZip(level=5), consolidated=True)',
            'features': ['zarr v2', 'gzip', 'consolidated'],
            'direct': to_zarr_with(zds, numcodecs.GZip(level=5), True),
        },
        {
            'key': 'zarr2-zstd.zarr', 'serializer': 'xarray.zarr',
            'writer': 'to_zarr(compressor=Zstd(level=3), consolidated=False)',
            'features': ['zarr v2', 'zstd', 'not consolidated'],
            'direct': to_zarr_with(zds, numcodecs.Zstd(level=3), False),
        },
        {
            'key': 'zarr2-missing-chunk.zarr', 'serializer': 'xarray.zarr',
            'writer': 'CacheStore.put xarray.zarr, then the chunk file sst/1.0.0 deleted',
            'features': ['zarr v2', 'missing chunk reads as fill'],
            'value': zds,
            'dump_kwargs': {'encoding': {'sst': {'chunks': [2, 2, 5]}}},
            'after': delete_chunk('sst/1.0.0'),
            'expect': {'missing_chunk': 'sst/1.0.0'},
        },
        {
            'key': 'zarr2-360day.zarr', 'serializer': 'xarray.zarr',
            'writer': 'CacheStore.put xarray.zarr, a 360_day time coordinate',
            'features': ['zarr v2', 'cftime coordinate 360_day'],
            'value': cal360_coord(),
        },
        {
            'key': 'collection.xc', 'serializer': 'xcollection',
            'writer': 'CacheStore.put of an xcollection.Collection (auto)',
            'features': ['xcollection', 'zarr v2 groups'],
            'value': collection(),
        },
    ]
