"""Writes the dataset corpus: small xarray Datasets in every format, codec and calendar of
issue 7, put into a fresh xpersist cache by the real Python xpersist (or written with
to_netcdf/to_zarr where a sidecar cannot record the arguments, then given a sidecar by
xpersist's own Artifact), each with a golden JSON of what `xr.open_dataset` gives.

usage: write_datasets.py <outdir>

<outdir> must be missing or empty. Writes:
  <outdir>/cache/                  the cache (keys below)
  <outdir>/golden/<key>.json       what xarray reads back, in the issue's dataset form
  <outdir>/raw/<key>.json          NetCDF entries as stored, before CF decoding (raw_netcdf.py)
  <outdir>/manifest.json           {format, versions, zarr3: {available, reason}, entries:
                                    {key: {serializer, writer, features, golden, expect}}}
Golden form: {"kind":"dataset","dims","coords":{name: var},"data_vars":{name: var},"attrs"},
var = {dims, shape, dtype, python_dtype, attrs, values}: values nested lists, NaN as null,
datetime64 and cftime dates as ISO text; `dtype` is the engine model's name (an object array
of strings is 'str', of cftime dates 'object'), `python_dtype` xarray's own.
When ../../../.venv-zarr3 exists, write_datasets_zarr3.py adds the zarr v3 entries with it.
"""
import json
import os
import subprocess
import sys
import warnings

# xarray's notes (consolidated metadata fallbacks, NaT casts) are expected here, not news.
warnings.filterwarnings('ignore')

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import xp  # noqa: E402
from xp import CacheStore, np, pd, xr  # noqa: E402
import corpus_datasets as cd  # noqa: E402
from dataset_form import dataset_form  # noqa: E402
from raw_netcdf import raw_netcdf  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, '..', '..', '..'))
ZARR3_PYTHON = os.path.join(REPO, '.venv-zarr3', 'bin', 'python')


def write_sidecar(root: str, key: str, serializer: str, metadata: dict) -> None:
    """A sidecar made by xpersist's own Artifact model, for payloads written directly."""
    from xpersist.cache import Artifact

    artifact = Artifact(key=key, serializer=serializer, additional_metadata=metadata)
    path = os.path.join(root, 'xpersist_metadata_store', f'{key}.artifact.json')
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, 'w', encoding='utf-8') as f:
        f.write(artifact.json(indent=2))




def golden_of(value) -> dict:
    import xcollection as xc

    if isinstance(value, xc.Collection):
        return {
            'kind': 'collection',
            'datasets': {str(name): dataset_form(value[name]) for name in value.keys()},
        }
    return dataset_form(value)


def run_zarr3(root: str, golden_dir: str) -> dict:
    """Adds the zarr v3 entries with the second venv; returns {available, reason, entries}."""
    if not os.path.exists(ZARR3_PYTHON):
        return {
            'available': False,
            'reason': '.venv-zarr3 is missing (bash test/interop/setup-venv.sh --zarr3 builds it)',
            'entries': {},
        }
    script = os.path.join(HERE, 'write_datasets_zarr3.py')
    env = {**os.environ, 'PYTHONDONTWRITEBYTECODE': '1', 'PYTHONWARNINGS': 'ignore'}
    p = subprocess.run(
        [ZARR3_PYTHON, script, 'write', root, golden_dir],
        capture_output=True, text=True, timeout=300, env=env,
    )
    if p.returncode != 0:
        return {'available': False, 'reason': f'write_datasets_zarr3.py failed: {p.stderr[-2000:]}',
                'entries': {}}
    out = json.loads(p.stdout)
    for key in out['entries']:
        write_sidecar(root, key, 'xarray.zarr', {'written_with': out['entries'][key]['writer']})
    return {'available': True, 'reason': None, 'versions': out['versions'],
            'failed': out['failed'], 'entries': out['entries']}


def main() -> int:
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    out = os.path.abspath(sys.argv[1])
    if os.path.exists(out) and os.listdir(out):
        print(f'write_datasets.py: {out} is not empty; give a new or empty folder', file=sys.stderr)
        return 2
    root = os.path.join(out, 'cache')
    golden_dir = os.path.join(out, 'golden')
    os.makedirs(golden_dir, exist_ok=True)
    store = CacheStore(root)

    entries = {}
    for e in cd.entries():
        key = e['key']
        if e.get('direct'):
            e['direct'](os.path.join(root, key))
            write_sidecar(root, key, e['serializer'], {'written_with': e['writer']})
        else:
            store.put(key, e['value'], serializer=e['serializer'], dump_kwargs=e.get('dump_kwargs'))
        if e.get('after'):
            e['after'](os.path.join(root, key))
        got = CacheStore(root).get(key)  # what Python xpersist's get gives
        golden = golden_of(got)
        with open(os.path.join(golden_dir, f'{key}.json'), 'w', encoding='utf-8') as f:
            f.write(xp.dumps(golden))
        if e['serializer'] == 'xarray.netcdf':
            os.makedirs(os.path.join(out, 'raw'), exist_ok=True)
            with open(os.path.join(out, 'raw', f'{key}.json'), 'w', encoding='utf-8') as f:
                f.write(xp.dumps(raw_netcdf(os.path.join(root, key))))
        entries[key] = {
            'serializer': e['serializer'],
            'writer': e['writer'],
            'features': e['features'],
            'golden': f'golden/{key}.json',
            'expect': e.get('expect', {}),
        }

    zarr3 = run_zarr3(root, golden_dir)
    for key, entry in zarr3.pop('entries').items():
        entries[key] = {**entry, 'serializer': 'xarray.zarr', 'golden': f'golden/{key}.json'}

    manifest = {
        'format': 'xpersist-dataset-corpus/1',
        'cache_dir': root,
        'versions': xp.versions(),
        'zarr3': zarr3,
        'entries': entries,
    }
    with open(os.path.join(out, 'manifest.json'), 'w', encoding='utf-8') as f:
        f.write(json.dumps(manifest, allow_nan=False, indent=2) + '\n')
    print(json.dumps({'entries': len(entries), 'zarr3': zarr3['available']}))
    return 0


if __name__ == '__main__':
    sys.exit(main())
