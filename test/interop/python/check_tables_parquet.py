"""Checks tables the TypeScript engine put with serializer pandas.parquet, with pandas 1.5.3 +
pyarrow and the real Python xpersist: the other half of tables-parquet-ts-to-py.test.ts.

usage: check_tables_parquet.py [--control] <cache> <jobs.json>

--control: Python xpersist puts every job itself first (the FRAMES twin, DataFrame.to_parquet
with the same dump_kwargs), so the suite shows its checks hold for what pandas writes.

jobs: [{key, frame, dump_kwargs}]. Per key, the frame pd.read_parquet gives, read directly
and through `CacheStore(cache).get(key)`, must be `pd.testing.assert_frame_equal` (dtypes,
index type and names checked) to FRAMES[frame] as to_parquet(index=...) round-trips it.
Prints {versions, results: {key: {direct_error, get_error, storage}}}; `storage` is the
file's codecs and row group sizes (pyarrow.parquet.ParquetFile metadata). Exit code 0 unless
the arguments are bad; failures are per key.
"""
import datetime
import decimal
import json
import os
import sys
import warnings

warnings.filterwarnings('ignore')
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import xp  # noqa: E402
from xp import CacheStore, np, pd  # noqa: E402
import pyarrow  # noqa: E402
import pyarrow.parquet as pq  # noqa: E402

NAN = float('nan')
NS_2023 = 1_700_000_000_123_456_789


def _ts(values, unit, tz=None):
    s = pd.to_datetime(pd.Series(values, dtype='Int64'), unit=unit)
    return s.dt.tz_localize('UTC').dt.tz_convert(tz) if tz else s


def types():
    return pd.DataFrame({
        'i8': np.array([1, -2, 3], 'int8'),
        'i16': np.array([1, -2, 3], 'int16'),
        'i32': np.array([1, -2, 3], 'int32'),
        'i64': np.array([1, -2, 2**62], 'int64'),
        'u8': np.array([1, 2, 255], 'uint8'),
        'u16': np.array([1, 2, 65535], 'uint16'),
        'u32': np.array([1, 2, 4294967295], 'uint32'),
        'u64': np.array([1, 2, 2**63], 'uint64'),
        'f32': np.array([1.5, NAN, -2], 'float32'),
        'f64': np.array([1.5, NAN, -2], 'float64'),
        'b': [True, False, True],
        'b_na': pd.array([True, None, False], 'boolean'),
        'i_na': pd.array([1, None, 3], 'Int64'),
        's': ['x', None, 'é'],
        'ls': ['x', None, 'é'],
        'd': [datetime.date(1970, 1, 1), None, datetime.date(2024, 2, 29)],
        'ts_ms': _ts([0, None, 1_700_000_000_123], 'ms'),
        'ts_us': _ts([0, None, 1_700_000_000_123_456], 'us'),
        'ts_ns': _ts([0, None, NS_2023], 'ns'),
        'ts_tz': _ts([0, None, NS_2023], 'ns', 'Europe/Paris'),
        'ts_utc': _ts([0, None, 1_700_000_000_123], 'ms', 'UTC'),
        'dec': [decimal.Decimal('123.45'), None, decimal.Decimal('-0.01')],
        'cat': pd.Categorical(['a', 'c', None], categories=['a', 'c']),
        'cat_ord': pd.Categorical(['lo', 'mid', 'hi'], categories=['lo', 'mid', 'hi'], ordered=True),
    })


def categories():
    return pd.DataFrame({
        'unused': pd.Categorical(['a', 'c', None], categories=['a', 'b', 'c']),
        'order': pd.Categorical(['hi', 'lo', 'mid'], categories=['lo', 'mid', 'hi'], ordered=True),
    })


def nested():
    return pd.DataFrame({
        'lst': [np.array([1, 2]), np.array([], dtype='int64'), None],
        'st': [{'a': 1, 'b': 'x'}, None, {'a': 3, 'b': None}],
    })


def small(**extra):
    return pd.DataFrame({'f': [1.5, NAN, -2.0], 's': ['a', None, 'c'], **extra})


def multi():
    df = small(k1=['x', 'x', 'y'], k2=np.array([1, 2, 1], 'int64'))
    return df.set_index(['k1', 'k2'])


def unnamed():
    df = small()
    df.index = pd.Index(np.array([7, 8, 9], 'int64'))
    return df


# The pandas twins of helpers/table-frames.ts FRAMES.
FRAMES = {
    'types': types,
    'nested': nested,
    'categories': categories,
    'small': small,
    'small-range': lambda: small().set_axis(pd.RangeIndex(10, 25, 5, name='r')),
    'small-named': lambda: small(key=['p', 'q', 'r']).set_index('key'),
    'small-unnamed': unnamed,
    'small-multi': multi,
    'long': lambda: pd.DataFrame({'v': np.arange(25, dtype='int32')}),
    'empty': lambda: pd.DataFrame({'f': pd.Series([], dtype='float64'),
                                   's': pd.Series([], dtype=object)}),
}


def expected(frame: str, index) -> 'pd.DataFrame':
    """FRAMES[frame] as to_parquet(index=index) + read_parquet gives it back."""
    df = FRAMES[frame]()
    if index is False:
        return df.reset_index(drop=True)
    if index is True and isinstance(df.index, pd.RangeIndex):
        # Stored as a column, a RangeIndex comes back as a plain int64 index.
        df.index = pd.Index(np.asarray(df.index, dtype='int64'), name=df.index.name)
    return df


def compare(got, want) -> None:
    pd.testing.assert_frame_equal(got, want, check_dtype=True, check_index_type=True,
                                  check_column_type=True, check_names=True)


def storage(path: str) -> dict:
    meta = pq.ParquetFile(path).metadata
    groups = [meta.row_group(i) for i in range(meta.num_row_groups)]
    codecs = sorted({g.column(c).compression for g in groups for c in range(g.num_columns)})
    return {'codecs': codecs, 'row_groups': [g.num_rows for g in groups]}


def error_of(fn) -> 'str | None':
    try:
        fn()
        return None
    except Exception as e:  # noqa: BLE001 - the message is the result
        return f'{type(e).__name__}: {e}'[:4000]


def main() -> int:
    args = sys.argv[1:]
    control = args[:1] == ['--control']
    if control:
        args = args[1:]
    if len(args) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    cache, jobs_path = args
    with open(jobs_path, encoding='utf-8') as f:
        jobs = json.load(f)
    store = CacheStore(cache)
    results = {}
    for job in jobs:
        key, kwargs = job['key'], job['dump_kwargs']
        put_error = None
        if control:
            put_error = error_of(lambda: store.put(key, FRAMES[job['frame']](),
                                                   serializer='pandas.parquet',
                                                   dump_kwargs=kwargs))
        want = expected(job['frame'], kwargs.get('index'))
        path = os.path.join(cache, key)
        results[key] = {
            'direct_error': put_error or error_of(lambda: compare(pd.read_parquet(path), want)),
            'get_error': put_error or error_of(lambda: compare(store.get(key), want)),
            'storage': None if put_error else storage(path),
        }
    print(json.dumps({
        'versions': {'pandas': pd.__version__, 'pyarrow': pyarrow.__version__,
                     'xpersist': xp.xpersist.__version__},
        'results': results,
    }))
    return 0


if __name__ == '__main__':
    sys.exit(main())
