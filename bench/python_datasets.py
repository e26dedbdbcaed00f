"""The Python half of bench/datasets.js (runs in .venv-interop).

  python_datasets.py make <cache> --size-mb N
      writes a float32 (time, lat, lon) `sst` of about N MB as a chunked, zlib NetCDF4
      ('sst.nc', netCDF4 written step by step so memory stays at one chunk row) and as Zarr
      v2 ('sst.zarr', Blosc lz4, xarray's default), each with a sidecar from xpersist's own
      Artifact model; prints {shape, chunks, k, files: {key: bytes}, intersected: {key:
      {stored_bytes, raw_bytes, chunks}}, seconds} where k is the time step the bench slices
      and `intersected` the chunks that slice touches.
  python_datasets.py measure <cache> <key> <k> --runs R
      per run, a fresh xr.open_dataset (NetCDF) or xr.open_zarr, then ds.sst.isel(time=k).values;
      prints {open_ms: [..], slice_ms: [..], peak_rss_mb, versions}.
"""
import argparse
import json
import os
import resource
import sys
import time
import warnings

warnings.filterwarnings('ignore')
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'test', 'interop', 'python'))
import numpy as np  # noqa: E402

NY, NX = 720, 1440  # a quarter-degree global grid
CHUNKS = (4, 180, 360)  # 1 MB raw per chunk; one time step crosses 16 chunks


def field(t: int) -> np.ndarray:
    lat = np.linspace(-89.875, 89.875, NY, dtype='float32')[:, None]
    lon = np.linspace(0.125, 359.875, NX, dtype='float32')[None, :]
    rng = np.random.default_rng(t)
    base = 15 + 12 * np.cos(np.deg2rad(lat)) + 2 * np.sin(np.deg2rad(lon * 3 + t))
    noise = rng.normal(0, 0.05, (NY, NX))
    return np.round(base + noise, 2).astype('float32')  # two decimals, as sensors give


def sidecar(root: str, key: str, serializer: str, meta: dict) -> None:
    from xpersist.cache import Artifact

    path = os.path.join(root, 'xpersist_metadata_store', f'{key}.artifact.json')
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, 'w', encoding='utf-8') as f:
        f.write(Artifact(key=key, serializer=serializer, additional_metadata=meta).json(indent=2))


def coords():
    import pandas as pd

    lat = np.linspace(-89.875, 89.875, NY)
    lon = np.linspace(0.125, 359.875, NX)
    return lat, lon, pd.Timestamp('2000-01-01')


def make_netcdf(path: str, nt: int) -> None:
    import netCDF4

    lat, lon, _ = coords()
    with netCDF4.Dataset(path, 'w', format='NETCDF4') as nc:
        nc.createDimension('time', nt)
        nc.createDimension('lat', NY)
        nc.createDimension('lon', NX)
        t = nc.createVariable('time', 'f8', ('time',))
        t.units, t.calendar, t.standard_name = 'days since 2000-01-01', 'standard', 'time'
        t[:] = np.arange(nt)
        for name, vals, units in (('lat', lat, 'degrees_north'), ('lon', lon, 'degrees_east')):
            v = nc.createVariable(name, 'f8', (name,))
            v.units = units
            v[:] = vals
        sst = nc.createVariable('sst', 'f4', ('time', 'lat', 'lon'), zlib=True, complevel=1,
                                shuffle=True, chunksizes=CHUNKS, fill_value=np.float32(np.nan))
        sst.units, sst.standard_name = 'degC', 'sea_surface_temperature'
        for t0 in range(0, nt, CHUNKS[0]):
            t1 = min(nt, t0 + CHUNKS[0])
            sst[t0:t1] = np.stack([field(t) for t in range(t0, t1)])


def make_zarr(path: str, nt: int) -> None:
    import xarray as xr
    import zarr

    lat, lon, _ = coords()
    import pandas as pd

    template = xr.Dataset(
        {'sst': (('time', 'lat', 'lon'), np.zeros((0, NY, NX), 'float32'),
                 {'units': 'degC', 'standard_name': 'sea_surface_temperature'})},
        coords={'time': pd.date_range('2000-01-01', periods=0), 'lat': ('lat', lat, {'units': 'degrees_north'}),
                'lon': ('lon', lon, {'units': 'degrees_east'})},
    )
    template.to_zarr(path, encoding={'sst': {'chunks': CHUNKS}, 'time': {'chunks': (nt,)}})
    for t0 in range(0, nt, CHUNKS[0]):
        t1 = min(nt, t0 + CHUNKS[0])
        block = xr.Dataset(
            {'sst': (('time', 'lat', 'lon'), np.stack([field(t) for t in range(t0, t1)]))},
            coords={'time': pd.date_range('2000-01-01', periods=nt)[t0:t1]},
        )
        block.to_zarr(path, append_dim='time')
    zarr.consolidate_metadata(path)


def intersected_nc(path: str, k: int) -> dict:
    import h5py

    with h5py.File(path, 'r') as f:
        ds = f['sst']
        stored, n = 0, 0
        for i in range(ds.id.get_num_chunks()):
            info = ds.id.get_chunk_info(i)
            if info.chunk_offset[0] <= k < info.chunk_offset[0] + CHUNKS[0]:
                stored += info.size
                n += 1
    return {'stored_bytes': stored, 'raw_bytes': n * int(np.prod(CHUNKS)) * 4, 'chunks': n}


def intersected_zarr(path: str, k: int) -> dict:
    tc = k // CHUNKS[0]
    folder = os.path.join(path, 'sst')
    names = [n for n in os.listdir(folder) if n.split('.')[0] == str(tc) and not n.startswith('.')]
    stored = sum(os.path.getsize(os.path.join(folder, n)) for n in names)
    return {'stored_bytes': stored, 'raw_bytes': len(names) * int(np.prod(CHUNKS)) * 4,
            'chunks': len(names)}


def folder_bytes(path: str) -> int:
    if os.path.isfile(path):
        return os.path.getsize(path)
    return sum(os.path.getsize(os.path.join(d, n)) for d, _, ns in os.walk(path) for n in ns)


def make(root: str, size_mb: float) -> dict:
    start = time.perf_counter()
    nt = max(2, round(size_mb * 2**20 / (NY * NX * 4)))
    k = nt // 2
    os.makedirs(root, exist_ok=True)
    make_netcdf(os.path.join(root, 'sst.nc'), nt)
    sidecar(root, 'sst.nc', 'xarray.netcdf', {'bench': 'datasets', 'size_mb': size_mb})
    make_zarr(os.path.join(root, 'sst.zarr'), nt)
    sidecar(root, 'sst.zarr', 'xarray.zarr', {'bench': 'datasets', 'size_mb': size_mb})
    return {
        'shape': [nt, NY, NX], 'chunks': list(CHUNKS), 'k': k,
        'raw_mb': round(nt * NY * NX * 4 / 2**20, 1),
        'files': {key: folder_bytes(os.path.join(root, key)) for key in ('sst.nc', 'sst.zarr')},
        'intersected': {'sst.nc': intersected_nc(os.path.join(root, 'sst.nc'), k),
                        'sst.zarr': intersected_zarr(os.path.join(root, 'sst.zarr'), k)},
        'seconds': round(time.perf_counter() - start, 1),
    }


def measure(root: str, key: str, k: int, runs: int) -> dict:
    import xarray as xr

    path = os.path.join(root, key)
    opens, slices = [], []
    for _ in range(runs):
        t0 = time.perf_counter()
        ds = xr.open_zarr(path) if key.endswith('.zarr') else xr.open_dataset(path)
        t1 = time.perf_counter()
        values = ds.sst.isel(time=k).values
        t2 = time.perf_counter()
        assert values.shape == (NY, NX)
        ds.close()
        opens.append((t1 - t0) * 1000)
        slices.append((t2 - t1) * 1000)
    return {'open_ms': opens, 'slice_ms': slices,
            'peak_rss_mb': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            'versions': {'xarray': xr.__version__, 'python': '%d.%d.%d' % sys.version_info[:3]}}


def main() -> int:
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest='cmd', required=True)
    m = sub.add_parser('make')
    m.add_argument('root')
    m.add_argument('--size-mb', type=float, default=1024)
    s = sub.add_parser('measure')
    s.add_argument('root')
    s.add_argument('key')
    s.add_argument('k', type=int)
    s.add_argument('--runs', type=int, default=5)
    a = p.parse_args()
    out = make(a.root, a.size_mb) if a.cmd == 'make' else measure(a.root, a.key, a.k, a.runs)
    print(json.dumps(out))
    return 0


if __name__ == '__main__':
    sys.exit(main())
