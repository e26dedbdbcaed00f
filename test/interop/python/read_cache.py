"""Reads artifacts (written by the TypeScript side, or any xpersist cache) with the real
Python xpersist and prints what it found as one JSON document on stdout.

usage: read_cache.py <dir> [<keys-json>]

<keys-json> is a JSON array given inline ('["a","b"]'), a path to a file holding one, or
'-' for stdin; without it every key of CacheStore(dir).keys() is read. An item is a key, or
{"key": ..., "read_csv": {...}} to choose pd.read_csv's arguments for that key.

Each key: the sidecar through CacheStore.get_artifact (pydantic must parse it); the data
through joblib.load(path, **load_kwargs) for joblib, pd.read_csv(path, **load_kwargs) for
pandas.csv (plus index_col=0 unless the sidecar says dump_kwargs.index is false), and
CacheStore.get for any other serializer; CacheStore.get is also tried for every key
(get_error). Failures are reported per key; the exit code is 0 unless the arguments are bad.
"""
import json
import os
import sys
import warnings

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import xp  # noqa: E402
from xp import CacheStore, joblib, pd  # noqa: E402
from xpersist.cache import Artifact  # noqa: E402

MISSING_KEY = 'no-such-key-written-by-anyone'


def parse_keys(arg: str) -> list:
    if arg == '-':
        text = sys.stdin.read()
    elif arg.lstrip().startswith('['):
        text = arg
    else:
        with open(arg, encoding='utf-8') as f:
            text = f.read()
    items = json.loads(text)
    if not isinstance(items, list):
        raise ValueError('keys-json must be a JSON array')
    return [item if isinstance(item, dict) else {'key': item} for item in items]


def read_value(store, root: str, artifact, read_csv_override):
    """The value and a description of how it was read."""
    path = os.path.join(root, artifact.key)
    load_kwargs = dict(artifact.load_kwargs or {})
    if artifact.serializer == 'joblib':
        return joblib.load(path, **load_kwargs), f'joblib.load(path, **{load_kwargs!r})'
    if artifact.serializer == 'pandas.csv':
        if read_csv_override is not None:
            kwargs = dict(read_csv_override)
        else:
            kwargs = load_kwargs
            wrote_index = (artifact.dump_kwargs or {}).get('index', True)
            if wrote_index and 'index_col' not in kwargs:
                kwargs['index_col'] = 0
        return pd.read_csv(path, **kwargs), f'pd.read_csv(path, **{kwargs!r})'
    return store.get(artifact.key), 'CacheStore.get(key)'


def sidecar_extra_fields(root: str, key: str) -> list:
    """Sidecar fields pydantic's Artifact ignores (extra fields are dropped silently)."""
    try:
        with open(os.path.join(root, 'xpersist_metadata_store', f'{key}.artifact.json'), 'rb') as f:
            raw = json.loads(f.read())
        return sorted(set(raw) - set(Artifact.__fields__)) if isinstance(raw, dict) else []
    except Exception:
        return []


def read_one(store, root: str, item: dict) -> dict:
    key = item['key']
    entry = {
        'in': key in store,
        'artifact': None,
        'sidecar_extra_fields': [],
        'read_with': None,
        'value': None,
        'error': None,
        'get_error': None,
        'warnings': [],
    }
    try:
        artifact = store.get_artifact(key)
    except Exception as exc:
        entry['error'] = xp.error_message(exc)
        return entry
    entry['artifact'] = xp.artifact_plain(artifact)
    entry['sidecar_extra_fields'] = sidecar_extra_fields(root, key)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter('always')
        try:
            value, entry['read_with'] = read_value(store, root, artifact, item.get('read_csv'))
            entry['value'] = xp.plain(value)
        except Exception as exc:
            entry['error'] = xp.error_message(exc)
    entry['warnings'] = [f'{w.category.__name__}: {w.message}' for w in caught]
    if entry['read_with'] != 'CacheStore.get(key)':
        try:
            with warnings.catch_warnings():
                warnings.simplefilter('ignore')
                store.get(key)
        except Exception as exc:
            entry['get_error'] = xp.error_message(exc)
    elif entry['error'] is not None:
        entry['get_error'] = entry['error']
    return entry


def main() -> int:
    if len(sys.argv) not in (2, 3) or sys.argv[1] in ('-h', '--help'):
        print(__doc__, file=sys.stderr)
        return 2
    root = os.path.abspath(sys.argv[1])
    if not os.path.isdir(root):
        print(f'read_cache.py: {root} is not a folder', file=sys.stderr)
        return 2
    store = CacheStore(root)
    keys = store.keys()
    try:
        items = parse_keys(sys.argv[2]) if len(sys.argv) == 3 else [{'key': k} for k in keys]
    except (OSError, ValueError) as exc:
        print(f'read_cache.py: bad keys-json: {exc}', file=sys.stderr)
        return 2

    out = {
        'format': 'xpersist-interop-read/1',
        'cache_dir': root,
        'versions': xp.versions(),
        'keys': keys,
        'keys_sorted': sorted(keys),
        'missing_key_probe': {'key': MISSING_KEY, 'in': MISSING_KEY in store},
        'results': {item['key']: read_one(store, root, item) for item in items},
    }
    print(xp.dumps(out))
    return 0


if __name__ == '__main__':
    sys.exit(main())
