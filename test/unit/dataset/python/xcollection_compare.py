"""Checks that xcollection opens a store written by xpersist-ts as it opens a reference one.

Usage: xcollection_compare.py REFERENCE WRITTEN
Both open with xcollection.open_collection (what Python xpersist's get calls); the member
names, their order, and each member (xr.testing.assert_identical, plus chunks and compressor)
must agree. Prints one JSON line {"ok": true, "members": [...]}.
"""
import json
import sys

import xarray as xr
import xcollection as xc

ref, new = sys.argv[1], sys.argv[2]
a = xc.open_collection(ref)
b = xc.open_collection(new)
assert list(a.keys()) == list(b.keys()), (list(a.keys()), list(b.keys()))
for name in a.keys():
    da, db = a[name].load(), b[name].load()

    xr.testing.assert_identical(da, db)
    for v in da.variables:
        for k in ('chunks', 'compressor', 'dtype', '_FillValue'):
            assert repr(da[v].encoding.get(k)) == repr(db[v].encoding.get(k)), (name, v, k)
print(json.dumps({'ok': True, 'members': list(a.keys())}))
