"""Shared helper for the interop scripts: imports the real xpersist 2021.12.17 and adds what
the later xpersist source (the one the fixture and the TypeScript port follow) has on top:
the 'pandas.csv' and 'pandas.parquet' serializers and auto-picking 'pandas.csv' for a
DataFrame. Also turns Python values into the plain JSON forms the scripts print.

Run directly: `python xp.py --versions` prints one line of versions (used by setup-venv.sh).
"""
import base64
import datetime
import importlib
import json
import math
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
STUBS = os.path.join(HERE, 'stubs')


def _importable_or_stub(module: str) -> bool:
    """Imports `module`; if it (or its top package) is not installed, appends the stubs
    folder to sys.path and imports the stub instead. Returns True when a stub was used."""
    try:
        importlib.import_module(module)
        return False
    except ModuleNotFoundError as exc:
        top = module.split('.')[0]
        if exc.name is None or exc.name.split('.')[0] != top:
            raise
    if STUBS not in sys.path:
        sys.path.append(STUBS)
    importlib.import_module(module)
    return True


_STUBBED = [m for m in ('prefect.engine.result', 'xcollection') if _importable_or_stub(m)]
# 'prefect' when the real prefect 1.x and xcollection are installed, else 'stubs'.
INTEROP_PATH = 'stubs' if _STUBBED else 'prefect'

import joblib  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import xarray as xr  # noqa: E402
import xpersist  # noqa: E402
from xpersist import CacheStore, registry  # noqa: E402,F401
from xpersist.serializers import Serializer, pick_serializer  # noqa: E402


# As in xpersist's serializers.py after 2021.12.17 (git 434f55d), which wrote the fixture.
@registry.serializers.register('pandas.csv')
def pandas_csv() -> Serializer:
    return Serializer(name='pandas.csv', load=pd.read_csv, dump=pd.DataFrame.to_csv)


@registry.serializers.register('pandas.parquet')
def pandas_parquet() -> Serializer:
    return Serializer(name='pandas.parquet', load=pd.read_parquet, dump=pd.DataFrame.to_parquet)


@pick_serializer.register(pd.DataFrame)
def _(obj):
    return registry.serializers.get('pandas.csv')().name


def versions() -> dict:
    """Versions of the stack the scripts run on."""
    import fsspec
    import netCDF4
    import pydantic
    import zarr

    return {
        'python': '%d.%d.%d' % sys.version_info[:3],
        'xpersist': xpersist.__version__,
        'interop_path': INTEROP_PATH,
        'pandas': pd.__version__,
        'numpy': np.__version__,
        'xarray': xr.__version__,
        'zarr': zarr.__version__,
        'netCDF4': netCDF4.__version__,
        'joblib': joblib.__version__,
        'fsspec': fsspec.__version__,
        'pydantic': pydantic.VERSION,
    }


# ---- plain JSON forms -------------------------------------------------------------------
# Conventions (shared with test/fixtures/sample-cache.expected.json where they overlap):
# NaN -> null; +-inf -> {"__float__": "Infinity" | "-Infinity"}; datetimes -> ISO 8601
# strings; ints beyond +-2**53 -> {"__bigint__": "digits"}; tuples, sets, bytes, numpy
# scalars and arrays nested in other values are tagged (__tuple__, __set__, __bytes_b64__,
# __numpy_scalar__, __ndarray__).

MAX_SAFE_INT = 2**53 - 1


def type_name(value) -> str:
    t = type(value)
    return t.__name__ if t.__module__ == 'builtins' else f'{t.__module__}.{t.__qualname__}'


def _float(x: float):
    if math.isnan(x):
        return None
    if math.isinf(x):
        return {'__float__': 'Infinity' if x > 0 else '-Infinity'}
    return x


def cell(x):
    """A table or array cell as JSON: numpy scalars become their Python value, untagged."""
    if x is None or x is pd.NaT:
        return None
    if isinstance(x, (pd.Timestamp, datetime.datetime, datetime.date)):
        return x.isoformat()
    if isinstance(x, np.datetime64):
        return None if np.isnat(x) else pd.Timestamp(x).isoformat()
    if isinstance(x, np.generic):
        x = x.item()
    if isinstance(x, float):
        return _float(x)
    if isinstance(x, (bool, str)):
        return x
    return jsonable(x)


def array_values(a: np.ndarray):
    if a.dtype.kind == 'M':
        iso = [None if np.isnat(x) else pd.Timestamp(x).isoformat() for x in a.ravel()]
        return np.array(iso, dtype=object).reshape(a.shape).tolist()
    if a.dtype.kind == 'm':
        return np.where(np.isnat(a), None, a.astype('int64')).tolist()
    flat = [cell(x) for x in a.ravel(order='C').tolist()]
    return np.array(flat, dtype=object).reshape(a.shape).tolist() if a.ndim > 1 else flat


def array_plain(a: np.ndarray) -> dict:
    return {
        'dtype': a.dtype.name,
        'dtype_str': a.dtype.str,
        'shape': list(a.shape),
        'fortran_order': bool(a.flags.f_contiguous and not a.flags.c_contiguous),
        'values': array_values(a),
    }


def frame_plain(df: pd.DataFrame) -> dict:
    columns = [str(c) for c in df.columns]
    series = [df.iloc[:, i].astype(object).tolist() for i in range(df.shape[1])]
    out = {
        'python_type': 'pandas.core.frame.DataFrame',
        'columns': columns,
        'dtypes': {str(c): str(t) for c, t in df.dtypes.items()},
        'index': {
            'type': type(df.index).__name__,
            'name': jsonable(df.index.name),
            'dtype': str(df.index.dtype),
            'values': [cell(x) for x in df.index.astype(object).tolist()],
        },
        'rows': [[cell(col[r]) for col in series] for r in range(len(df))],
    }
    categories = {
        str(c): {'categories': [cell(x) for x in s.cat.categories], 'ordered': bool(s.cat.ordered)}
        for c, s in df.items()
        if isinstance(s.dtype, pd.CategoricalDtype)
    }
    if categories:
        out['categories'] = categories
    return out


def dataset_plain(ds: xr.Dataset) -> dict:
    return {
        'python_type': 'xarray.core.dataset.Dataset',
        'dims': {str(k): int(v) for k, v in ds.dims.items()},
        'coords': [str(k) for k in ds.coords],
        'data_vars': [str(k) for k in ds.data_vars],
        'attrs': jsonable(dict(ds.attrs)),
        'variables': {
            str(name): {
                'dims': [str(d) for d in var.dims],
                'shape': list(var.shape),
                'dtype': str(var.dtype),
                'attrs': jsonable(dict(var.attrs)),
                'values': array_values(np.asarray(var.values)),
            }
            for name, var in ds.variables.items()
        },
    }


def jsonable(x):
    """Any value as JSON, tagging what JSON cannot say itself."""
    if x is None or isinstance(x, (bool, str)):
        return x
    if isinstance(x, int):
        return x if abs(x) <= MAX_SAFE_INT else {'__bigint__': str(x)}
    if isinstance(x, float):
        return _float(x)
    if isinstance(x, np.ndarray):
        return {'__ndarray__': array_plain(x)}
    if isinstance(x, np.generic) and not isinstance(x, np.datetime64):
        return {'__numpy_scalar__': {'dtype': x.dtype.name, 'value': cell(x)}}
    if isinstance(x, (np.datetime64, pd.Timestamp, datetime.datetime, datetime.date)) or x is pd.NaT:
        return cell(x)
    if isinstance(x, dict):
        return {str(k): jsonable(v) for k, v in x.items()}
    if isinstance(x, list):
        return [jsonable(v) for v in x]
    if isinstance(x, tuple):
        return {'__tuple__': [jsonable(v) for v in x]}
    if isinstance(x, (set, frozenset)):
        return {'__set__': sorted((jsonable(v) for v in x), key=repr)}
    if isinstance(x, (bytes, bytearray)):
        return {'__bytes_b64__': base64.b64encode(bytes(x)).decode('ascii')}
    if isinstance(x, pd.DataFrame):
        return frame_plain(x)
    if isinstance(x, xr.Dataset):
        return dataset_plain(x)
    if hasattr(x, 'isoformat'):  # cftime dates
        return x.isoformat()
    return {'__repr__': repr(x)}


def plain(value) -> dict:
    """A value read from or put in a cache, in the form the scripts print."""
    if isinstance(value, pd.DataFrame):
        return frame_plain(value)
    if isinstance(value, xr.DataArray):
        value = value.to_dataset(name=value.name or '__xarray_dataarray_variable__')
    if isinstance(value, xr.Dataset):
        return dataset_plain(value)
    if isinstance(value, np.ndarray):
        return {'python_type': 'numpy.ndarray', **array_plain(value)}
    return {'python_type': type_name(value), 'json': jsonable(value)}


def artifact_plain(artifact) -> dict:
    """artifact.dict() with created_at as isoformat(), as xpersist writes it."""
    d = artifact.dict()
    if d.get('created_at') is not None:
        d['created_at'] = d['created_at'].isoformat()
    return jsonable(d)


def error_message(exc: BaseException) -> str:
    """`Type: message`, followed by the causes xpersist chains with `raise ... from`."""
    parts = []
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        parts.append(f'{type(exc).__name__}: {exc}')
        exc = exc.__cause__ or exc.__context__
    return ' <- caused by '.join(parts)


def dumps(obj) -> str:
    """JSON that JavaScript's JSON.parse accepts (no NaN/Infinity literals)."""
    return json.dumps(obj, allow_nan=False)


if __name__ == '__main__':
    if sys.argv[1:] == ['--versions']:
        print(', '.join(f'{k} {v}' for k, v in versions().items() if k != 'interop_path'))
    else:
        print(dumps(versions()))
