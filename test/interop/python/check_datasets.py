"""Checks datasets the TypeScript engine put into a cache, with xarray 2023.1 and the real
Python xpersist: the other half of datasets-ts-to-py.test.ts.

usage: check_datasets.py [--control] <cache> <jobs.json>

--control: Python xpersist puts every job itself first (into an empty <cache>), so the suite
can show its checks and storage expectations hold for what Python writes.

jobs: [{key, spec, serializer, dump_kwargs, python_get?}]; `spec` is a dataset spec (see
dataset_spec.py) or, for xcollection, {"datasets": {name: spec}}. Per key, the reference is
the spec's dataset written by xarray here with the same serializer and dump_kwargs, then
opened again (so packing, fill values and text encodings decode the same way on both sides),
and the engine's payload must be `xr.testing.assert_identical` to it, opened directly and
through `CacheStore(cache).get(key)` (skipped when python_get is false: zarr v3 is beyond
this zarr 2.13). Prints {format, versions, results: {key: {identical_error, get_error,
storage}}}; `storage` says how the payload is stored (file format, per-variable dtype,
compression, chunks, scale_factor, _FillValue) so the TS side can check dump_kwargs were
honoured. Exit code 0 unless the arguments are bad; failures are per key.
"""
import json
import os
import sys
import tempfile
import warnings

warnings.filterwarnings('ignore')
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import xp  # noqa: E402
from xp import CacheStore, np, xr  # noqa: E402
from dataset_form import attr_json  # noqa: E402
from dataset_spec import build_dataset  # noqa: E402


def python_kwargs(kwargs) -> dict:
    """dump_kwargs as Python passes them: h5py and netCDF4 want tuples where JSON has lists."""
    kwargs = dict(kwargs or {})
    if 'encoding' in kwargs:
        kwargs['encoding'] = {
            v: {k: tuple(x) if isinstance(x, list) else x for k, x in e.items()}
            for v, e in kwargs['encoding'].items()
        }
    return kwargs


def reference(job: dict, tmp: str):
    """The spec's dataset as xarray writes and re-reads it with the job's arguments."""
    kwargs = python_kwargs(job.get('dump_kwargs'))
    spec = job['spec']
    if job['serializer'] == 'xcollection':
        return {name: build_dataset(s) for name, s in spec['datasets'].items()}
    ds = build_dataset(spec)
    path = os.path.join(tmp, job['key'].replace('/', '_'))
    if job['serializer'] == 'xarray.zarr':
        ds.to_zarr(path, **kwargs)
        return xr.open_zarr(path).load()
    ds.to_netcdf(path, **kwargs)
    with xr.open_dataset(path) as ref:
        return ref.load()


def identical(got, ref) -> str:
    try:
        if isinstance(ref, dict):
            names = list(got.keys())
            if sorted(names) != sorted(ref):
                return f'collection members {sorted(names)} != {sorted(ref)}'
            for name, ds in ref.items():
                xr.testing.assert_identical(got[name].load(), ds)
        else:
            xr.testing.assert_identical(got.load(), ref)
        return None
    except Exception as exc:
        return xp.error_message(exc)[:4000]


def open_direct(path: str, serializer: str):
    if serializer == 'xcollection':
        import xcollection as xc

        return xc.open_collection(path)
    if serializer == 'xarray.zarr':
        return xr.open_zarr(path)
    return xr.open_dataset(path)


def nc_format(path: str) -> str:
    with open(path, 'rb') as f:
        head = f.read(8)
    if head[:4] == b'CDF\x01':
        return 'NETCDF3_CLASSIC'
    if head[:4] == b'CDF\x02':
        return 'NETCDF3_64BIT'
    if head[:8] == b'\x89HDF\r\n\x1a\n':
        import netCDF4

        with netCDF4.Dataset(path) as nc:
            return nc.data_model
    return 'unknown:' + head.hex()


def attr_type(v) -> str:
    """An attribute's stored type: numpy's name, or the Python type for text."""
    return v.dtype.name if isinstance(v, (np.ndarray, np.generic)) else type(v).__name__


def storage(path: str, serializer: str) -> dict:
    """How the payload stores each variable (what dump_kwargs and encodings should change)."""
    if serializer == 'xcollection':
        return {}
    if serializer == 'xarray.zarr':
        import zarr

        group = zarr.open_group(path, mode='r')
        out = {'format': 'zarr2', 'consolidated': os.path.exists(os.path.join(path, '.zmetadata')),
               'variables': {}}
        for name, arr in group.arrays():
            out['variables'][name] = {
                'dtype': arr.dtype.str, 'chunks': list(arr.chunks),
                'compressor': arr.compressor.codec_id if arr.compressor else None,
                'fill_value': attr_json(arr.fill_value),
                'attrs': attr_json(dict(arr.attrs)),
            }
        return out
    out = {'format': nc_format(path), 'variables': {}}
    with xr.open_dataset(path, decode_cf=False, mask_and_scale=False) as raw:
        with xr.open_dataset(path) as decoded:
            for name, var in raw.variables.items():
                enc = decoded[name].encoding
                out['variables'][name] = {
                    'dtype': var.dtype.str,
                    'attrs': attr_json(dict(var.attrs)),
                    'attr_types': {k: attr_type(v) for k, v in var.attrs.items()},
                    'zlib': bool(enc.get('zlib', False)),
                    'complevel': enc.get('complevel'),
                    'chunksizes': attr_json(enc.get('chunksizes')),
                    'shuffle': bool(enc.get('shuffle', False)),
                }
    return out


def put_control(store, job: dict) -> None:
    """What Python xpersist itself writes for a job (the --control run)."""
    spec = job['spec']
    if job['serializer'] == 'xcollection':
        import xcollection as xc

        value = xc.Collection({name: build_dataset(s) for name, s in spec['datasets'].items()})
    else:
        value = build_dataset(spec)
    store.put(job['key'], value, serializer=job['serializer'],
              dump_kwargs=python_kwargs(job.get('dump_kwargs')))


def main() -> int:
    args = sys.argv[1:]
    control = args[:1] == ['--control']
    if control:
        args = args[1:]
    if len(args) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    root = os.path.abspath(args[0])
    with open(args[1], encoding='utf-8') as f:
        jobs = json.load(f)
    store = CacheStore(root)
    if control:
        for job in jobs:
            put_control(store, job)
    results = {}
    with tempfile.TemporaryDirectory(prefix='xp-check-datasets-') as tmp:
        for job in jobs:
            key, serializer = job['key'], job['serializer']
            path = os.path.join(root, key)
            res = {'identical_error': None, 'get_error': None, 'storage': None}
            try:
                ref = reference(job, tmp)
            except Exception as exc:
                res['identical_error'] = 'reference failed: ' + xp.error_message(exc)[:2000]
                results[key] = res
                continue
            try:
                res['identical_error'] = identical(open_direct(path, serializer), ref)
            except Exception as exc:
                res['identical_error'] = 'open failed: ' + xp.error_message(exc)[:4000]
            if job.get('python_get', True):
                try:
                    res['get_error'] = identical(store.get(key), ref)
                except Exception as exc:
                    res['get_error'] = 'get failed: ' + xp.error_message(exc)[:4000]
            try:
                res['storage'] = storage(path, serializer)
            except Exception as exc:
                res['storage'] = {'error': xp.error_message(exc)[:2000]}
            results[key] = res
    print(xp.dumps({'format': 'xpersist-dataset-check/1', 'versions': xp.versions(),
                    'results': results}))
    return 0


if __name__ == '__main__':
    sys.exit(main())
