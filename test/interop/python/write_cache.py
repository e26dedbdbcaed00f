"""Writes a cache through the real Python xpersist `CacheStore(dir).put`, for the TypeScript
side to read, and prints a JSON manifest of what it wrote.

usage: write_cache.py <dir> [--manifest PATH]

<dir> must be missing or empty. The manifest goes to stdout, or to PATH with --manifest.
Manifest: {format, cache_dir, versions, python_keys, python_keys_sorted, artifacts: {key:
{serializer, put: {serializer, dump_kwargs, additional_metadata}, data_path, sidecar_path,
sidecar_text, sidecar, files: [{path, size}], value, python_get}}}; `value` is the value
passed to put and `python_get` what CacheStore.get returns, both in xp.plain() form.
"""
import argparse
import json
import math
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import xp  # noqa: E402
from xp import CacheStore, np, pd, xr  # noqa: E402

META = {'experiment': 'ctrl', 'member': 3, 'tags': ['a', 'b'], 'site': 'Zürich'}


def stations() -> pd.DataFrame:
    return pd.DataFrame(
        {
            'station_id': [101, 102, 103, 104, 105],
            'temperature': [12.5, np.nan, -3.25, 0.1, 21.0],
            'name': ['Boulder', 'Mesa Lab', 'Niwot, Ridge', 'Foothills "B"', 'Marshall'],
            'active': [True, False, True, True, False],
            'installed': pd.to_datetime(
                ['2001-04-01', '1999-12-31', '2010-06-15', '2015-01-01', '2020-02-29']
            ),
            'climate_zone': pd.Categorical(
                ['semi-arid', 'alpine', 'alpine', 'semi-arid', 'semi-arid']
            ),
        }
    )


def edge_cases() -> pd.DataFrame:
    # What CSV makes hard: embedded newlines and quotes, blanks vs missing, big ints,
    # float round-trips, times of day, non-ASCII text.
    return pd.DataFrame(
        {
            'text': ['multi\nline', '  padded  ', '', None, 'São Paulo ✓'],
            'big': [2**53 + 1, -(2**62), 0, 1, -1],
            'ratio': [0.1 + 0.2, 1e-300, -0.0, float('inf'), 1 / 3],
            'when': pd.to_datetime(
                ['2020-01-01 12:34:56.789', '1970-01-01', None, '2038-01-19 03:14:08', '2000-02-29 23:59:59']
            ),
        }
    )


def sst_dataset() -> xr.Dataset:
    time = pd.date_range('2000-01-01', periods=6, freq='MS')
    lat = np.array([-7.5, -2.5, 2.5, 7.5], dtype='float32')
    lon = np.array([180.0, 185.0, 190.0, 195.0, 200.0], dtype='float32')
    t = np.arange(6, dtype='float32')[:, None, None]
    sst = 26.5 + 0.5 * t + np.cos(np.deg2rad(lat))[None, :, None] + 0.2 * np.arange(5)[None, None, :]
    sst = sst.astype('float32')
    sst[0, 0, 0] = np.nan
    mask = np.zeros((4, 5), dtype='int8')
    mask[0, :2] = 1
    return xr.Dataset(
        {
            'sst': (
                ('time', 'lat', 'lon'),
                sst,
                {'units': 'degC', 'long_name': 'Sea surface temperature'},
            ),
            'land_mask': (('lat', 'lon'), mask, {'flag_values': [0, 1], 'flag_meanings': 'ocean land'}),
        },
        coords={
            'time': time,
            'lat': ('lat', lat, {'units': 'degrees_north'}),
            'lon': ('lon', lon, {'units': 'degrees_east'}),
        },
        attrs={
            'title': 'xpersist interop dataset',
            'Conventions': 'CF-1.8',
            'version': 3,
            'scale': 0.5,
            'valid_years': [2000, 2001],
        },
    )


# (key, value, put keyword arguments); 'auto' picks pandas.csv for DataFrames, xarray.netcdf
# for Datasets and joblib for the rest.
ARTIFACTS = [
    ('stations.csv', stations(), {'additional_metadata': META}),
    ('stations-noindex.csv', stations(), {'serializer': 'pandas.csv', 'dump_kwargs': {'index': False}}),
    ('edge-cases.csv', edge_cases(), {'serializer': 'pandas.csv'}),
    ('stations.parquet', stations(), {'serializer': 'pandas.parquet'}),
    ('list-ints', [1, 2, 3, -4, 2**40], {'additional_metadata': META}),
    (
        'run-config',
        {
            'name': 'ctrl',
            'members': [1, 2, 3],
            'params': {'dt': 0.5, 'alpha': 1e-3, 'label': 'baseline', 'levels': [1000.0, 850.0, 500.0]},
            'enabled': True,
            'disabled': False,
            'parent': None,
            'tags': ['ocean', 'sst'],
            'nested': [[1, 2], ['a', None]],
            'count': -7,
            'unicode': 'Zürich ✓',
        },
        {'additional_metadata': {'owner': 'xpersist-py', 'nested': {'a': 1, 'b': [1.5, None]}}},
    ),
    ('greeting', 'hello from python xpersist', {}),
    ('pi', math.pi, {}),
    ('vec-f8', np.linspace(0.0, 1.0, 11), {}),
    ('grid-i4', np.arange(12, dtype=np.int32).reshape(3, 4), {}),
    ('vec-f8-compressed', np.sin(np.linspace(0.0, 2 * np.pi, 200)), {'dump_kwargs': {'compress': 3}}),
    ('sst-monthly.nc', sst_dataset(), {'additional_metadata': {**META, 'variable': 'sst'}}),
    ('sst-monthly.zarr', sst_dataset(), {'serializer': 'xarray.zarr', 'additional_metadata': META}),
]


def files_of(root: str, key: str) -> list:
    path = os.path.join(root, key)
    if os.path.isfile(path):
        return [{'path': key, 'size': os.path.getsize(path)}]
    found = []
    for folder, _, names in os.walk(path):
        for name in names:
            full = os.path.join(folder, name)
            found.append({'path': os.path.relpath(full, root), 'size': os.path.getsize(full)})
    return sorted(found, key=lambda f: f['path'])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('dir')
    parser.add_argument('--manifest', help='write the manifest here instead of stdout')
    args = parser.parse_args()
    root = os.path.abspath(args.dir)
    if os.path.exists(root) and os.listdir(root):
        print(f'write_cache.py: {root} is not empty; give a new or empty folder', file=sys.stderr)
        return 2

    store = CacheStore(root)
    artifacts = {}
    for key, value, kwargs in ARTIFACTS:
        store.put(key, value, **kwargs)
        sidecar_path = f'xpersist_metadata_store/{key}.artifact.json'
        with open(os.path.join(root, sidecar_path), encoding='utf-8') as f:
            sidecar_text = f.read()
        sidecar = json.loads(sidecar_text)
        artifacts[key] = {
            'serializer': sidecar['serializer'],
            'put': {
                'serializer': kwargs.get('serializer', 'auto'),
                'dump_kwargs': kwargs.get('dump_kwargs', {}),
                'additional_metadata': kwargs.get('additional_metadata', {}),
            },
            'data_path': key,
            'sidecar_path': sidecar_path,
            'sidecar_text': sidecar_text,
            'sidecar': sidecar,
            'files': files_of(root, key),
            'value': xp.plain(value),
            'python_get': xp.plain(store.get(key)),
        }

    keys = store.keys()
    manifest = {
        'format': 'xpersist-interop-manifest/1',
        'cache_dir': root,
        'versions': xp.versions(),
        'python_keys': keys,
        'python_keys_sorted': sorted(keys),
        'artifacts': artifacts,
    }
    text = json.dumps(manifest, allow_nan=False, indent=2)
    if args.manifest:
        with open(args.manifest, 'w', encoding='utf-8') as f:
            f.write(text + '\n')
    else:
        print(text)
    return 0


if __name__ == '__main__':
    sys.exit(main())
