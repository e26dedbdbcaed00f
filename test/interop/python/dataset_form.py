"""The issue's dataset form of an xarray Dataset, for golden JSON: shared by the corpus writer
(.venv-interop) and the zarr v3 writer (.venv-zarr3), so it needs only numpy, pandas, xarray.

Form: {"kind":"dataset","dims":{name: size},"coords":{name: var},"data_vars":{name: var},
"attrs":{..}}; var = {dims, shape, dtype, python_dtype, attrs, values}. Values are nested
lists: NaN as null, +-inf as {"__float__": "Infinity"}, datetime64 and cftime dates as ISO
text (NaT as null), bytes as text. `dtype` is numpy's name as the engine spells it: 'object'
for decoded text and cftime dates (as xarray has them), '|S3' for byte strings, 'str' only
for numpy '<U' text; `python_dtype` is str(var.dtype) as xarray has it.
"""
import math

import numpy as np
import pandas as pd


def _float(x: float):
    if math.isnan(x):
        return None
    if math.isinf(x):
        return {'__float__': 'Infinity' if x > 0 else '-Infinity'}
    return x


def scalar(x):
    """One element (or attribute item) as JSON."""
    if x is None or x is pd.NaT:
        return None
    if isinstance(x, np.datetime64):
        return None if np.isnat(x) else pd.Timestamp(x).isoformat()
    if isinstance(x, pd.Timestamp):
        return x.isoformat()
    if isinstance(x, np.generic):
        x = x.item()
    if isinstance(x, bytes):
        return x.decode('utf-8', errors='replace')
    if isinstance(x, float):
        return _float(x)
    if isinstance(x, (bool, int, str)):
        return x
    if hasattr(x, 'isoformat') and hasattr(x, 'calendar'):  # cftime
        return x.isoformat()
    return repr(x)


def attr_json(v):
    if isinstance(v, np.ndarray):
        return [attr_json(x) for x in v.tolist()]
    if isinstance(v, (list, tuple)):
        return [attr_json(x) for x in v]
    if isinstance(v, dict):
        return {str(k): attr_json(x) for k, x in v.items()}
    return scalar(v)


def values_json(a: np.ndarray):
    flat = [scalar(x) for x in a.ravel(order='C')]
    if a.ndim == 0:
        return flat[0]
    if a.ndim == 1:
        return flat
    return np.array(flat, dtype=object).reshape(a.shape).tolist()


def model_dtype(a: np.ndarray) -> str:
    if a.dtype.kind == 'U':
        return 'str'
    if a.dtype.kind == 'O':
        return 'object'
    if a.dtype.kind == 'S':
        return a.dtype.str
    return a.dtype.name


def var_form(var) -> dict:
    a = np.asarray(var.values)
    return {
        'dims': [str(d) for d in var.dims],
        'shape': [int(n) for n in var.shape],
        'dtype': model_dtype(a),
        'python_dtype': str(var.dtype),
        'attrs': attr_json(dict(var.attrs)),
        'values': values_json(a),
    }


def dataset_form(ds) -> dict:
    """The golden form of a decoded Dataset."""
    return {
        'kind': 'dataset',
        'dims': {str(k): int(v) for k, v in ds.sizes.items()},
        'coords': {str(k): var_form(ds[k].variable) for k in ds.coords},
        'data_vars': {str(k): var_form(ds[k].variable) for k in ds.data_vars},
        'attrs': attr_json(dict(ds.attrs)),
    }
