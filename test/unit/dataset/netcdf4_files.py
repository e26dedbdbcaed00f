"""Writes the NetCDF4/HDF5 files test/unit/dataset/netcdf4-read.test.ts reads, into argv[1].

Both xarray engines (netCDF4 and h5netcdf) write the same dataset; an h5py file without
dimension scales gives phony dimensions. Prints JSON facts the test needs (chunk offsets).
"""
import json
import sys

import h5py
import netCDF4
import numpy as np
import xarray as xr

out = sys.argv[1]
rng = np.arange(2 * 3 * 4, dtype="f4").reshape(2, 3, 4)
attr_kinds = {
    "i1": np.int8(-8), "u1": np.uint8(200), "i2": np.int16(-300), "u2": np.uint16(60000),
    "i4": np.int32(-70000), "u4": np.uint32(4000000000), "i8": np.int64(-(2**40)),
    "u8": np.uint64(2**63 + 5), "f4": np.float32(0.5), "f8": np.float64(1.25),
    "i2s": np.array([1, 2, 3], dtype="i2"), "f8s": np.array([0.5, -1.5]),
}


def dataset():
    t = xr.Variable(("time", "lat", "lon"), rng, {"units": "K", "long_name": "température"})
    names = xr.Variable(("station",), np.array(["alpha", "bé", ""], dtype=object))
    chars = xr.Variable(("station",), np.array([b"abc", b"de", b"f"], dtype="S3"))
    counts = xr.Variable(("station", "nocoord"), np.arange(6, dtype="i8").reshape(3, 2))
    ds = xr.Dataset(
        {"t": t, "names": names, "chars": chars, "counts": counts},
        coords={"time": ("time", [10, 20]), "lat": ("lat", [-1.0, 0.0, 1.0]),
                "lon": ("lon", np.arange(4, dtype="f4"))},
        attrs={"title": "tiny", "history": "written by netcdf4_files.py", **attr_kinds},
    )
    return ds


enc_t = {"zlib": True, "complevel": 5, "shuffle": True, "chunksizes": (1, 3, 2), "_FillValue": -9.0}
ds = dataset()
ds.to_netcdf(f"{out}/nc4.nc", engine="netcdf4", unlimited_dims=["time"],
             encoding={"t": enc_t, "lat": {"_FillValue": None}})
ds.to_netcdf(f"{out}/h5n.nc", engine="h5netcdf",
             encoding={"t": {k: v for k, v in enc_t.items()}, "lat": {"_FillValue": None}})

with netCDF4.Dataset(f"{out}/nc4.nc", "a") as nc:
    g = nc.createGroup("forecast")
    g.createDimension("step", 2)
    g.createVariable("lead", "i4", ("step",))[:] = [1, 2]

with h5py.File(f"{out}/plain.h5", "w") as f:
    f["a"] = np.arange(6, dtype="<i2").reshape(2, 3)
    f["b"] = np.arange(3, dtype=">f8")
    f["c"] = np.arange(4, dtype="u1").reshape(2, 2)
    f.attrs["note"] = "plain"

with h5py.File(f"{out}/nc4.nc", "r") as f:
    info = f["t"].id.get_chunk_info(0)
    chunk = {"offset": info.byte_offset, "size": info.size}

# A chunked zlib file large enough that a 2-D slice touches a small part of it.
noise = np.random.default_rng(0).standard_normal((20, 100, 100)).astype("f4")
xr.Dataset({"v": (("time", "lat", "lon"), noise)}).to_netcdf(
    f"{out}/slab.nc", engine="netcdf4",
    encoding={"v": {"zlib": True, "complevel": 4, "chunksizes": (4, 50, 50)}})
with h5py.File(f"{out}/slab.nc", "r") as f:
    d = f["v"]
    infos = [d.id.get_chunk_info(i) for i in range(d.id.get_num_chunks())]
    touched = [c.size for c in infos if c.chunk_offset[0] <= 5 < c.chunk_offset[0] + 4]
slab = {"index": 5, "chunks": len(touched), "chunk_bytes": sum(touched), "slice": noise[5].tolist()}

print(json.dumps({"chunk": chunk, "slab": slab}))
