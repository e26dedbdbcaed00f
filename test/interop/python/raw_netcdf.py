"""A NetCDF file as stored, before any CF decoding (netCDF4 with auto mask/scale and
char-to-string off), in the shape of the engine's SourceDataset: the input side of
datasets-cf-decode.test.ts, which feeds it to the engine's decodeDataset and compares the
result with the golden of what xarray decodes. Groups are left out, as the readers do.

Form: {"dims": {name: size}, "unlimited_dims": [..], "attrs": {..}, "variables": [{name, dims,
dtype, attrs, values}]}; dtype is numpy's name ('int16', 'float32'), '|S1' for chars (one
character per element, latin-1, NUL as '') or 'str' for variable-length strings; values
nested, NaN as null; attribute NaN and +-inf tagged {"__float__": "NaN"}.
"""
import math

import numpy as np

from dataset_form import values_json


def raw_attr(v):
    """An attribute exactly: NaN and +-inf tagged {"__float__": "NaN"} (a fill value of NaN
    must stay NaN), bytes as latin-1 text, arrays as lists."""
    if isinstance(v, np.ndarray):
        return [raw_attr(x) for x in v.tolist()]
    if isinstance(v, (list, tuple)):
        return [raw_attr(x) for x in v]
    if isinstance(v, np.generic):
        v = v.item()
    if isinstance(v, bytes):
        return v.decode('latin-1')
    if isinstance(v, float) and not math.isfinite(v):
        return {'__float__': 'NaN' if math.isnan(v) else ('Infinity' if v > 0 else '-Infinity')}
    return v


def raw_values(data: np.ndarray):
    """Values as stored; a char array one character per byte (latin-1, NUL as '')."""
    if data.dtype.kind == 'S':
        return np.vectorize(lambda b: b.decode('latin-1'), otypes=[object])(data).tolist()
    return values_json(data)


def _dtype(var) -> str:
    if var.dtype is str:
        return 'str'
    dt = np.dtype(var.dtype)
    return dt.str if dt.kind == 'S' else dt.name


def raw_netcdf(path: str) -> dict:
    import netCDF4

    with netCDF4.Dataset(path) as nc:
        nc.set_auto_maskandscale(False)
        nc.set_auto_chartostring(False)
        variables = []
        for name, var in nc.variables.items():
            data = np.asarray(var[...])
            variables.append({
                'name': name,
                'dims': list(var.dimensions),
                'dtype': _dtype(var),
                'attrs': {k: raw_attr(var.getncattr(k)) for k in var.ncattrs()},
                'values': raw_values(data),
            })
        return {
            'dims': {name: len(d) for name, d in nc.dimensions.items()},
            'unlimited_dims': [name for name, d in nc.dimensions.items() if d.isunlimited()],
            'attrs': {k: raw_attr(nc.getncattr(k)) for k in nc.ncattrs()},
            'variables': variables,
        }
