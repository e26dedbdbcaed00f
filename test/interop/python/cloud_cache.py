"""Python xpersist on an object-store cache (s3:// through s3fs, gs:// through gcsfs), for the
cloud interop tests. The endpoint and dummy keys come from the environment (an fsspec config
file in FSSPEC_CONFIG_DIR; STORAGE_EMULATOR_HOST for GCS), because xpersist's serializers call
pandas and xarray without storage_options.

usage: cloud_cache.py write <url>              put the corpus, print what Python's get returns
       cloud_cache.py read <url> <keys-json>   print what Python reads for each key
       cloud_cache.py keys <url>               print keys(), or the error it raises

Output is one JSON document on stdout; values in xp.plain() form.
"""
import json
import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import xp  # noqa: E402
from xp import CacheStore, joblib, np, pd, xr  # noqa: E402


def frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            'station': ['BOU', 'NWT', 'Mesa, Lab', 'São Tomé'],
            'temp_c': [12.5, -3.25, np.nan, 21.0],
            'elevation_m': [1655, 3528, 1888, 8],
            'active': [True, False, True, False],
        }
    )


def dataset() -> xr.Dataset:
    lat = np.array([-5.0, 0.0, 5.0], dtype='float32')
    t = pd.date_range('2000-01-01', periods=4, freq='D')
    sst = (20 + np.arange(12, dtype='float32').reshape(4, 3) / 4).astype('float32')
    return xr.Dataset(
        {'sst': (('time', 'lat'), sst, {'units': 'degC'})},
        coords={'time': t, 'lat': ('lat', lat, {'units': 'degrees_north'})},
        attrs={'title': 'cloud interop', 'version': 2},
    )


def write(url: str) -> dict:
    store = CacheStore(url)
    df = frame()
    store.put('stations.parquet', df, serializer='pandas.parquet')
    store.put('stations.csv', df, serializer='pandas.csv')
    store.put('sst.zarr', dataset(), serializer='xarray.zarr')
    out = {'format': 'xpersist-cloud-corpus/1', 'not_written': {}, 'values': {}}
    out['put'] = {'frame': xp.plain(df)}
    # netCDF4 opens a local path: it cannot write s3:// or gs:// (recorded, not hidden).
    try:
        store.put('sst.nc', dataset(), serializer='xarray.netcdf')
    except Exception as exc:  # noqa: BLE001
        out['not_written']['sst.nc'] = f'{type(exc).__name__}: {exc}'
    out['keys'] = sorted(store.keys())
    for key in out['keys']:
        value = store.get(key)
        if isinstance(value, xr.Dataset):
            value = value.load()
        out['values'][key] = xp.plain(value)
    return out


def read(url: str, keys: list) -> dict:
    store = CacheStore(url)
    results = {}
    for key in keys:
        entry = {'value': None, 'error': None, 'read_with': None}
        try:
            artifact = store.get_artifact(key)
            if artifact.serializer == 'joblib':
                # joblib.load opens the path with the builtin open: download first.
                with tempfile.TemporaryDirectory() as tmp:
                    local = os.path.join(tmp, 'payload')
                    store.fs.get(f'{store.raw_path}/{key}', local)
                    value = joblib.load(local, **(artifact.load_kwargs or {}))
                entry['read_with'] = 'download + joblib.load'
            else:
                value = store.get(key)
                if isinstance(value, xr.Dataset):
                    value = value.load()
                entry['read_with'] = 'CacheStore.get'
            entry['value'] = xp.plain(value)
        except Exception as exc:  # noqa: BLE001
            entry['error'] = f'{type(exc).__name__}: {exc}'
        results[key] = entry
    return {'format': 'xpersist-cloud-read/1', 'results': results}


def keys(url: str) -> dict:
    try:
        return {'keys': sorted(CacheStore(url).keys()), 'error': None}
    except Exception as exc:  # noqa: BLE001
        return {'keys': None, 'error': f'{type(exc).__name__}: {exc}'}


def main(argv: list) -> int:
    if len(argv) < 2 or argv[0] not in ('write', 'read', 'keys'):
        print(__doc__, file=sys.stderr)
        return 2
    if argv[0] == 'write':
        out = write(argv[1])
    elif argv[0] == 'read':
        out = read(argv[1], json.loads(argv[2]))
    else:
        out = keys(argv[1])
    print(json.dumps(xp.jsonable(out)))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
