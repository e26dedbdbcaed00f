"""Checks that Python xpersist's get returns, for a key written by xpersist-ts, what xarray
(or xcollection) opens from a reference store.

Usage: xpersist_get_compare.py CACHE KEY REFERENCE dataset|collection
Prints one JSON line {"ok": true, ...}; an assertion error otherwise.
"""
import json
import sys

import xarray as xr
import xcollection as xc
import xpersist

cache, key, ref, kind = sys.argv[1:5]
got = xpersist.CacheStore(cache).get(key)
if kind == 'dataset':
    want = xr.open_zarr(ref, consolidated=None).load()
    xr.testing.assert_identical(want, got.load())
    names = list(got.variables)
else:
    want = xc.open_collection(ref)
    assert list(want.keys()) == list(got.keys()), (list(want.keys()), list(got.keys()))
    for name in want.keys():
        xr.testing.assert_identical(want[name].load(), got[name].load())
    names = list(got.keys())
print(json.dumps({'ok': True, 'names': names}))
