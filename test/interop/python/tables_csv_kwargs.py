"""pandas read_csv/to_csv kwargs both ways, for test/interop/tables-csv-kwargs.test.ts.

`write DIR`: Python xpersist puts DataFrames with to_csv dump_kwargs into DIR/cache and records
the read_csv load_kwargs a user would pass in each sidecar (xpersist 2021.12.17's put has no
load_kwargs argument; its Artifact has the field and get passes it to the loader, so the
sidecar is written as the later source writes it). The golden of each key is what
`store.get(key)` returns (pd.read_csv with those kwargs), as xp.frame_plain, in
DIR/manifest.json.

`check DIR`: DIR/jobs.json lists tables the TypeScript side put into DIR/ts-cache with
dump_kwargs, as specs. For each, pandas builds the same DataFrame, writes it with the same
dump_kwargs, and reads it back with the load_kwargs our sidecar recorded: that frame must be
`pd.testing.assert_frame_equal` to Python xpersist's get of our payload. Prints the results.
"""
import io
import json
import os
import sys

import numpy as np
import pandas as pd

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import xp  # noqa: E402

N = 12


def base_frame() -> pd.DataFrame:
    rng = np.random.default_rng(8)
    t = pd.date_range('2021-03-27 22:30:00', periods=N, freq='7h')
    return pd.DataFrame(
        {
            'station': [f'st-{i:02d}' for i in range(N)],
            'a': np.arange(N, dtype='int64') * 3 - 7,
            'x': rng.normal(size=N) * 1000,
            'label': ['alpha', 'beta; gamma', 'q"uote', '', 'delta', 'x,y'] * (N // 6),
            't': t,
        }
    )


def with_sentinels(df: pd.DataFrame) -> pd.DataFrame:
    df = df.copy()
    df.loc[[2, 5], 'a'] = -999
    df.loc[[3], 'x'] = -999
    return df


# key -> (frame, dump_kwargs, load_kwargs)
def cases():
    df = base_frame()
    indexed = df.set_index('station')
    tz = df.assign(t=df['t'].dt.tz_localize('Etc/GMT-3'))
    return {
        'semicolon.csv': (
            df,
            {'sep': ';', 'index': False, 'float_format': '%.3f', 'date_format': '%Y-%m-%d %H:%M:%S'},
            {'sep': ';', 'parse_dates': ['t']},
        ),
        'index-col.csv': (indexed, {}, {'index_col': 0, 'parse_dates': ['t']}),
        'index-col-name.csv': (
            indexed,
            {'float_format': '%.6e'},
            {'index_col': 'station', 'usecols': ['station', 'a', 'x', 't'], 'parse_dates': ['t']},
        ),
        'usecols-pos.csv': (df, {'index': False}, {'usecols': [1, 3]}),
        'nrows-na.csv': (
            with_sentinels(df),
            {'index': False, 'float_format': '%.4g'},
            {'nrows': 7, 'na_values': ['-999'], 'parse_dates': ['t']},
        ),
        'dates-only.csv': (
            df,
            {'index': False, 'date_format': '%Y-%m-%d', 'float_format': '%d'},
            {'parse_dates': ['t'], 'index_col': 'station'},
        ),
        'date-z.csv': (
            tz,
            {'index': False, 'date_format': '%Y-%m-%dT%H:%M:%S%z'},
            {'parse_dates': ['t']},
        ),
        'dates-as-text.csv': (df, {'index': False}, {}),
    }


def write(out: str) -> None:
    root = os.path.join(out, 'cache')
    store = xp.CacheStore(root)
    entries = {}
    for key, (frame, dump_kwargs, load_kwargs) in cases().items():
        store.put(key, frame, serializer='pandas.csv', dump_kwargs=dump_kwargs)
        # Record the load_kwargs, as a later xpersist's put(load_kwargs=...) would.
        artifact = store.get_artifact(key)
        artifact.load_kwargs = load_kwargs
        with open(os.path.join(root, 'xpersist_metadata_store', f'{key}.artifact.json'), 'w') as f:
            f.write(artifact.json(indent=2))
        got = store.get(key)
        direct = pd.read_csv(os.path.join(root, key), **load_kwargs)
        pd.testing.assert_frame_equal(got, direct)
        entries[key] = {'dump_kwargs': dump_kwargs, 'load_kwargs': load_kwargs, 'golden': xp.frame_plain(got)}
    with open(os.path.join(out, 'manifest.json'), 'w') as f:
        f.write(xp.dumps({'versions': xp.versions(), 'entries': entries}))


def frame_from_spec(spec: dict) -> pd.DataFrame:
    def series(col: dict):
        kind, values = col['kind'], col['values']
        if kind == 'int':
            return pd.Series(values, dtype='int64')
        if kind == 'float':
            return pd.Series([np.nan if v is None else v for v in values], dtype='float64')
        if kind == 'str':
            return pd.Series(values, dtype=object)
        if kind == 'bool':
            return pd.Series(values, dtype=bool)
        s = pd.to_datetime(pd.Series(values))
        return s.dt.tz_localize('UTC').dt.tz_convert(col['tz']) if col.get('tz') else s
    df = pd.DataFrame({c['name']: series(c) for c in spec['columns']})
    if spec.get('index'):
        df.index = pd.Index(series(spec['index']), name=spec['index']['name'])
    return df


def check(out: str) -> None:
    jobs = json.load(open(os.path.join(out, 'jobs.json')))
    store = xp.CacheStore(os.path.join(out, 'ts-cache'), readonly=True)
    results = {}
    for key, job in jobs.items():
        frame = frame_from_spec(job['spec'])
        text = frame.to_csv(**job['dump_kwargs'])
        ours = open(os.path.join(out, 'ts-cache', key), encoding='utf-8', newline='').read()
        load_kwargs = store.get_artifact(key).load_kwargs
        result = {'load_kwargs': load_kwargs, 'bytes_equal': ours == text, 'pandas_text': text, 'frame_error': None}
        try:
            expected = pd.read_csv(io.StringIO(text), **load_kwargs)
            got = store.get(key)
            pd.testing.assert_frame_equal(got, expected)
            # And what the user put comes back in shape: the same columns, index and missing
            # cells (a separator or na_rep read back wrongly would change these).
            assert list(got.columns) == list(frame.columns), f'columns {list(got.columns)}'
            assert got.index.name == frame.index.name, f'index name {got.index.name!r}'
            assert got.isna().values.tolist() == frame.isna().values.tolist(), 'missing cells differ'
        except Exception as exc:  # noqa: BLE001 - reported to the test, which fails on it
            result['frame_error'] = xp.error_message(exc)
        results[key] = result
    print(xp.dumps(results))


if __name__ == '__main__':
    {'write': write, 'check': check}[sys.argv[1]](sys.argv[2])
