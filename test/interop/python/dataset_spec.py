"""Builds an xarray Dataset from the shared JSON dataset spec (dataset-specs.json), so the
TypeScript side and Python build the same dataset. Needs only numpy, pandas and xarray (both
venvs use it).

Spec: {"coords": {name: var}, "data_vars": {name: var}, "attrs": {..}}; var = {dims, dtype,
attrs?, values}. dtype is a numpy name ('float32', 'int16', 'bool', 'datetime64[ns]') or
'str' (an object array of Python strings, as xarray decodes text); values are nested lists
with null for NaN / NaT and ISO text for datetimes.
"""
import numpy as np
import pandas as pd
import xarray as xr


def build_array(var: dict) -> np.ndarray:
    dtype, values = var['dtype'], var['values']
    if dtype == 'str':
        return np.array(values, dtype=object)
    if dtype.startswith('datetime64'):
        flat = np.array(values, dtype=object).ravel()
        ts = pd.to_datetime([v for v in flat]).values.astype('datetime64[ns]')
        return ts.reshape(np.shape(np.array(values, dtype=object)))
    if dtype.startswith('float'):
        return np.array(_nan(values), dtype=dtype)
    return np.array(values, dtype=dtype)


def _nan(values):
    if isinstance(values, list):
        return [_nan(v) for v in values]
    return np.nan if values is None else values


def build_dataset(spec: dict) -> xr.Dataset:
    def variable(var):
        return xr.Variable(tuple(var['dims']), build_array(var), dict(var.get('attrs') or {}))

    return xr.Dataset(
        {name: variable(v) for name, v in spec.get('data_vars', {}).items()},
        coords={name: variable(v) for name, v in spec.get('coords', {}).items()},
        attrs=dict(spec.get('attrs') or {}),
    )
