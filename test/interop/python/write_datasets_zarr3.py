"""The zarr v3 part of the dataset corpus, and the v3 check of the other direction. Runs in the
second venv (.venv-zarr3: zarr-python 3, numpy 2, a 2025 xarray), never in .venv-interop.

usage:
  write_datasets_zarr3.py write <cache> <golden_dir>
      writes the v3 entries under <cache>/<key> (the caller, write_datasets.py, adds the
      sidecars with Python xpersist) and their golden JSON; prints {versions, entries}.
  write_datasets_zarr3.py check <jobs.json>
      jobs: [{key, path, spec}] (spec: the shared dataset spec, see dataset_spec.py); opens
      each v3 store with xr.open_zarr and compares it with the spec's dataset using
      xr.testing.assert_identical; prints {versions, results: {key: {error, zarr_format}}}.
  write_datasets_zarr3.py control <jobs.json>
      first writes each job's spec itself with to_zarr(zarr_format=3, **dump_kwargs) at its
      path, then checks as above: shows the check holds for what zarr-python 3 writes.
"""
import json
import os
import sys
import warnings

warnings.filterwarnings('ignore')
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import xarray as xr  # noqa: E402
import zarr  # noqa: E402

from dataset_form import dataset_form  # noqa: E402
from dataset_spec import build_dataset  # noqa: E402


def versions() -> dict:
    return {'zarr': zarr.__version__, 'xarray': xr.__version__, 'numpy': np.__version__,
            'python': '%d.%d.%d' % sys.version_info[:3]}


def base() -> xr.Dataset:
    time = pd.date_range('2000-01-01', periods=4, freq='MS')
    lat = np.array([-10.0, 0.0, 10.0], dtype='float32')
    lon = np.linspace(180, 200, 5).astype('float32')
    v = (20 + np.arange(4)[:, None, None] + 0.5 * np.cos(np.deg2rad(lat))[None, :, None]
         + 0.1 * np.arange(5)[None, None, :]).astype('float32')
    v[0, 0, 0] = np.nan
    return xr.Dataset(
        {
            'sst': (('time', 'lat', 'lon'), v, {'units': 'degC'}),
            'count': (('lat',), np.arange(3, dtype='int32'), {'long_name': 'count'}),
            'int_fill': (('lon',), np.array([1, -1, 3, -1, 5], dtype='int16')),
        },
        coords={'time': time, 'lat': ('lat', lat, {'units': 'degrees_north'}),
                'lon': ('lon', lon, {'units': 'degrees_east'})},
        attrs={'title': 'corpus v3', 'version': 3, 'scale': 0.5},
    )


def entries():
    from zarr.codecs import BloscCodec, GzipCodec

    ds = base()
    strings = ds.assign(station=(('lat',), np.array(['Boulder', 'Zürich ✓', ''], dtype=object)))
    chunks = {'sst': {'chunks': (2, 2, 5)}, 'int_fill': {'_FillValue': -1}}
    return [
        ('zarr3-default.zarr', 'to_zarr(zarr_format=3, consolidated=True), default codecs',
         ['zarr v3', 'default codecs (zstd)', 'consolidated', 'fill values'],
         ds, {'encoding': chunks, 'consolidated': True}, None),
        ('zarr3-gzip.zarr', 'to_zarr(zarr_format=3, consolidated=False), GzipCodec(level=5)',
         ['zarr v3', 'gzip', 'not consolidated'],
         ds, {'encoding': {**chunks, 'sst': {'chunks': (2, 2, 5), 'compressors': [GzipCodec(level=5)]}},
              'consolidated': False}, None),
        ('zarr3-blosc.zarr', 'to_zarr(zarr_format=3), BloscCodec(cname=lz4, shuffle)',
         ['zarr v3', 'blosc lz4'],
         ds, {'encoding': {'sst': {'chunks': (1, 3, 5), 'compressors': [BloscCodec(cname='lz4', clevel=5, shuffle='shuffle')]}},
              'consolidated': True}, None),
        ('zarr3-sharded.zarr', 'to_zarr(zarr_format=3), sst in shards of (2, 3, 5), chunks (1, 3, 5)',
         ['zarr v3', 'sharding'],
         ds, {'encoding': {'sst': {'chunks': (1, 3, 5), 'shards': (2, 3, 5)}}, 'consolidated': True}, None),
        ('zarr3-strings.zarr', 'to_zarr(zarr_format=3), a variable-length string variable',
         ['zarr v3', 'vlen-utf8 strings'],
         strings, {'consolidated': True}, None),
        ('zarr3-missing-chunk.zarr', 'to_zarr(zarr_format=3), then the chunk sst/c/1/0/0 deleted',
         ['zarr v3', 'missing chunk reads as fill'],
         ds, {'encoding': chunks, 'consolidated': True}, 'sst/c/1/0/0'),
    ]


def write(cache: str, golden_dir: str) -> dict:
    out = {}
    for key, writer, features, ds, kwargs, drop in entries():
        path = os.path.join(cache, key)
        try:
            ds.to_zarr(path, zarr_format=3, mode='w-', **kwargs)
        except Exception as exc:  # a writer this zarr cannot do: recorded, not fatal
            out[key] = {'error': f'{type(exc).__name__}: {exc}'}
            continue
        if drop:
            os.remove(os.path.join(path, drop))
        got = xr.open_zarr(path, zarr_format=3)
        with open(os.path.join(golden_dir, f'{key}.json'), 'w', encoding='utf-8') as f:
            f.write(json.dumps(dataset_form(got), allow_nan=False))
        out[key] = {'writer': writer, 'features': features,
                    'expect': {'missing_chunk': drop} if drop else {}}
    return {'versions': versions(),
            'entries': {k: v for k, v in out.items() if 'error' not in v},
            'failed': {k: v['error'] for k, v in out.items() if 'error' in v}}


def check(jobs_path: str, control: bool = False) -> dict:
    with open(jobs_path, encoding='utf-8') as f:
        jobs = json.load(f)
    if control:
        for job in jobs:
            kwargs = {k: v for k, v in (job.get('dump_kwargs') or {}).items() if k != 'zarr_format'}
            build_dataset(job['spec']).to_zarr(job['path'], zarr_format=3, mode='w-', **kwargs)
    results = {}
    for job in jobs:
        try:
            fmt = json.load(open(os.path.join(job['path'], 'zarr.json')))['zarr_format']
        except Exception:
            fmt = None
        try:
            got = xr.open_zarr(job['path'], zarr_format=3)
            xr.testing.assert_identical(got.load(), build_dataset(job['spec']))
            results[job['key']] = {'error': None, 'zarr_format': fmt}
        except Exception as exc:
            results[job['key']] = {'error': f'{type(exc).__name__}: {exc}'[:4000], 'zarr_format': fmt}
    return {'versions': versions(), 'results': results}


def main() -> int:
    if len(sys.argv) == 4 and sys.argv[1] == 'write':
        print(json.dumps(write(sys.argv[2], sys.argv[3])))
        return 0
    if len(sys.argv) == 3 and sys.argv[1] in ('check', 'control'):
        print(json.dumps(check(sys.argv[2], control=sys.argv[1] == 'control')))
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == '__main__':
    sys.exit(main())
