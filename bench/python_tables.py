"""The Python side of bench/tables.js, run in .venv-interop (pandas 1.5.3, pyarrow 25.0.1).

  make <cache> --parquet-rows N --csv-rows M   writes big.parquet and big.csv with Python
                                               xpersist (pandas serializers as xp.py registers
                                               them) and the raw CSV file for `put`; prints JSON
  get <cache> <key>                            Python xpersist's get (pd.read_parquet /
                                               pd.read_csv): seconds, rows, peak RSS
  head <cache> <key> <offset> <rows>           what a page costs in Python: the whole get, then
                                               iloc[offset:offset+rows]
  pyarrow <file>                               pyarrow.parquet.read_table of the file
  sort <cache> <key> <column>                  get, then sort_values(kind='stable') and head(100)
  put <cache> <key> <csv>                      pd.read_csv then Python xpersist's put (to_csv)

Each measuring command runs in a process of its own (bench/tables.js starts one per run), so
its peak RSS is that operation's.
"""
import json
import os
import resource
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..', 'test', 'interop', 'python'))
import xp  # noqa: E402,F401  (registers pandas.csv / pandas.parquet as the newer xpersist does)
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import xpersist  # noqa: E402


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def frame(rows: int, seed: int) -> pd.DataFrame:
    """About ten columns of the kinds analysts cache: ids, floats, ints, text, times, bools."""
    rng = np.random.default_rng(seed)
    stations = np.array([f'station-{i:04d}' for i in range(2000)])
    return pd.DataFrame(
        {
            'id': np.arange(rows, dtype=np.int64),
            'station': stations[rng.integers(0, len(stations), rows)],
            'time': pd.Timestamp('2000-01-01') + pd.to_timedelta(rng.integers(0, 10**9, rows), 's'),
            'temp': rng.normal(15, 10, rows).round(3),
            'pressure': rng.normal(1013, 12, rows).round(2),
            'humidity': rng.uniform(0, 100, rows).round(1),
            'count': rng.integers(0, 1000, rows),
            'flag': rng.random(rows) < 0.1,
            'score': rng.random(rows),
            'code': rng.integers(-(2**40), 2**40, rows),
        }
    )


def make(cache: str, parquet_rows: int, csv_rows: int) -> dict:
    t0 = time.perf_counter()
    store = xpersist.CacheStore(cache)
    df = frame(parquet_rows, 1)
    # pandas' defaults (pyarrow, snappy, one row group per 1 M rows as pyarrow 25 writes).
    store.put('big.parquet', df, serializer='pandas.parquet')
    del df
    df = frame(csv_rows, 2)
    df.loc[df.sample(frac=0.01, random_state=3).index, 'temp'] = np.nan
    store.put('big.csv', df, serializer='pandas.csv')
    raw = os.path.join(os.path.dirname(cache), 'put-me.csv')
    df.to_csv(raw)
    out = {
        'seconds': time.perf_counter() - t0,
        'parquet_rows': parquet_rows,
        'csv_rows': csv_rows,
        'bytes': {
            'big.parquet': os.path.getsize(os.path.join(cache, 'big.parquet')),
            'big.csv': os.path.getsize(os.path.join(cache, 'big.csv')),
            'put-me.csv': os.path.getsize(raw),
        },
        'put_file': raw,
    }
    return out


def timed(fn) -> dict:
    t0 = time.perf_counter()
    value = fn()
    return {'seconds': time.perf_counter() - t0, 'peak_rss_mb': peak_mb(), **value}


def main(argv: list) -> dict:
    cmd = argv[0]
    if cmd == 'make':
        cache = argv[1]
        rows = int(argv[argv.index('--parquet-rows') + 1])
        csv_rows = int(argv[argv.index('--csv-rows') + 1])
        return make(cache, rows, csv_rows)
    if cmd == 'get':
        store = xpersist.CacheStore(argv[1], readonly=True)
        return timed(lambda: {'rows': len(store.get(argv[2]))})
    if cmd == 'head':
        store = xpersist.CacheStore(argv[1], readonly=True)
        offset, rows = int(argv[3]), int(argv[4])
        return timed(lambda: {'rows': len(store.get(argv[2]).iloc[offset : offset + rows])})
    if cmd == 'pyarrow':
        import pyarrow.parquet as pq

        return timed(lambda: {'rows': pq.read_table(argv[1]).num_rows})
    if cmd == 'sort':
        store = xpersist.CacheStore(argv[1], readonly=True)

        def run():
            df = store.get(argv[2]).sort_values(argv[3], kind='stable', na_position='last')
            return {'rows': len(df.head(100)), 'first': str(df[argv[3]].iloc[0])}

        return timed(run)
    if cmd == 'put':
        store = xpersist.CacheStore(argv[1])

        def run():
            df = pd.read_csv(argv[3], index_col=0)
            store.put(argv[2], df, serializer='pandas.csv')
            return {'rows': len(df)}

        return timed(run)
    raise SystemExit(f'unknown command {cmd!r}')


if __name__ == '__main__':
    print(json.dumps(main(sys.argv[1:])))
