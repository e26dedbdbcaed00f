"""Compares two NetCDF files as xarray sees them, through both engines (netcdf4, h5netcdf).

Usage: netcdf4_check.py EXPECTED WRITTEN [unordered]. Prints JSON: per engine, a list of differences
(empty when xarray reads the same dims, variables in the same order, dtypes, attrs, values and
storage encoding), used by test/unit/dataset/netcdf4-write.test.ts.
"""
import json
import sys

import numpy as np
import xarray as xr

ENCODING_KEYS = ["chunksizes", "zlib", "complevel", "shuffle", "contiguous"]


def same(a, b):
    try:
        np.testing.assert_equal(np.asarray(a), np.asarray(b))
        return True
    except AssertionError:
        return False


UNORDERED = sys.argv[3:] == ["unordered"]


def names(x):
    return sorted(x) if UNORDERED else list(x)


def compare(expected, written, engine):
    out = []
    with xr.open_dataset(expected, engine=engine, decode_cf=False) as a, \
            xr.open_dataset(written, engine=engine, decode_cf=False) as b:
        if names(a.variables) != names(b.variables):
            out.append(f"variables {list(a.variables)} != {list(b.variables)}")
        if dict(a.dims) != dict(b.dims):
            out.append(f"dims {dict(a.dims)} != {dict(b.dims)}")
        if a.encoding.get("unlimited_dims") != b.encoding.get("unlimited_dims"):
            out.append(f"unlimited {a.encoding.get('unlimited_dims')} != {b.encoding.get('unlimited_dims')}")
        if names(a.attrs) != names(b.attrs) or not all(same(a.attrs[k], b.attrs[k]) for k in a.attrs):
            out.append(f"attrs {a.attrs} != {b.attrs}")
        for name in a.variables:
            if name not in b.variables:
                continue
            va, vb = a[name].variable, b[name].variable
            if va.dims != vb.dims or va.dtype != vb.dtype:
                out.append(f"{name}: {va.dims} {va.dtype} != {vb.dims} {vb.dtype}")
            if not same(va.values, vb.values):
                out.append(f"{name}: values differ")
            if names(va.attrs) != names(vb.attrs) or not all(same(va.attrs[k], vb.attrs[k]) for k in va.attrs):
                out.append(f"{name}: attrs {va.attrs} != {vb.attrs}")
            for k in ENCODING_KEYS:
                if k in va.encoding and va.encoding.get(k) != vb.encoding.get(k):
                    out.append(f"{name}: encoding {k} {va.encoding.get(k)} != {vb.encoding.get(k)}")
    return out


print(json.dumps({e: compare(sys.argv[1], sys.argv[2], e) for e in ["netcdf4", "h5netcdf"]}))
