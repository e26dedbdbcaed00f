"""Checks that xarray opens a Zarr store written by xpersist-ts exactly as a reference store.

Usage: zarr_compare.py REFERENCE WRITTEN [consolidated|unconsolidated|both]
Opens both with xr.open_zarr, asserts identical (dims, variables, dtypes, attrs, values), and
compares each variable's encoding (chunks, compressor, filters, dtype, _FillValue) and the
dimension order. Prints one JSON line {"ok": true, ...} or exits non-zero with the difference.
"""
import json
import sys

import xarray as xr

ref, new = sys.argv[1], sys.argv[2]
mode = sys.argv[3] if len(sys.argv) > 3 else 'both'
modes = {'consolidated': [True], 'unconsolidated': [False], 'both': [True, False]}[mode]
KEYS = ('chunks', 'preferred_chunks', 'compressor', 'filters', 'dtype', '_FillValue', 'units',
        'calendar', 'scale_factor', 'add_offset')

def enc(ds):
    return {name: {k: repr(v.encoding.get(k)) for k in KEYS} for name, v in ds.variables.items()}

a = xr.open_zarr(ref, consolidated=None).load()
checked = []
for consolidated in modes:
    b = xr.open_zarr(new, consolidated=consolidated).load()
    xr.testing.assert_identical(a, b)
    assert list(a.dims) == list(b.dims), (list(a.dims), list(b.dims))
    assert list(a.variables) == list(b.variables), (list(a.variables), list(b.variables))
    ea, eb = enc(a), enc(b)
    assert ea == eb, json.dumps({'reference': ea, 'written': eb}, indent=1)
    checked.append(consolidated)
print(json.dumps({'ok': True, 'consolidated': checked, 'variables': list(a.variables)}))
