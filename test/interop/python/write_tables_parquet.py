"""The pandas.parquet read corpus: pandas writes Parquet with both engines (pyarrow and
fastparquet) over every codec, page version, encoding, type and index kind issue 8 names, and
pd.read_parquet of each file is written beside it as golden JSON in the CLI's table form
(electron/engine/table/table-json.ts). Cases an engine cannot write are recorded, with why.

usage: write_tables_parquet.py OUT_DIR   (writes OUT_DIR/<case>.parquet, <case>.json, manifest.json)
"""

import datetime as dt
import decimal
import json
import math
import os
import sys
import traceback

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

D = decimal.Decimal


def cycle(values, n):
    return [values[k % len(values)] for k in range(n)]


def basic(n=7):
    """Every plain pandas type, with missing values in each nullable one."""
    rng = np.arange(n)
    return pd.DataFrame(
        {
            "i64": (rng * 1000003 - 5).astype("int64"),
            "i32": rng.astype("int32"),
            "big": np.array([2**62 + k for k in range(n)], dtype="int64"),
            "f64": cycle([1.5, math.nan, -0.1, 1e300, 2.0, math.nan, 3.25], n),
            "f32": np.array([0.1 * k for k in range(n)], dtype="float32"),
            "s": cycle(["a", None, "héllo", "", "x,y", "多", "z"], n),
            "b": [k % 2 == 0 for k in range(n)],
            "ni": pd.array(cycle([1, None, 3, -(2**40), None, 6, 7], n), dtype="Int64"),
            "nb": pd.array(cycle([True, None, False, True, None, False, True], n), dtype="boolean"),
        }
    )


def fit(frame, n):
    return frame.iloc[:n].reset_index(drop=True)


def times():
    base = pd.Timestamp("2021-03-04 05:06:07.123456789")
    naive = pd.Series([base + pd.Timedelta(days=k, nanoseconds=k) for k in range(5)])
    naive[2] = pd.NaT
    return pd.DataFrame(
        {
            "naive": naive,
            "utc": naive.dt.tz_localize("UTC"),
            "paris": naive.dt.tz_localize("Europe/Paris"),
            "old": pd.Series(pd.to_datetime(["1900-01-01", "1969-12-31 23:59:59.5", None, "2262-04-11", "1970-01-01"])),
        }
    )


def dates():
    return pd.DataFrame({"d": [dt.date(2020, 1, 1), None, dt.date(1969, 7, 20), dt.date(2099, 12, 31)], "n": [1, 2, 3, 4]})


def categoricals():
    return pd.DataFrame(
        {
            "c": pd.Categorical(["lo", "hi", None, "lo", "mid"]),
            "o": pd.Categorical(["lo", "hi", "mid", None, "lo"], categories=["lo", "mid", "hi"], ordered=True),
            # An unused category, and an order that is neither sorted nor first-seen.
            "u": pd.Categorical(["b", "c", "b", "c", None], categories=["c", "unused", "b"], ordered=True),
            "ci": pd.Categorical([3, 1, 3, None, 2]),
        }
    )


def decimals():
    return pd.DataFrame(
        {
            "d": [D("1.50"), D("-2.25"), None, D("12345678.99"), D("0.00")],
            "wide": [D("12345678901234567890.123456"), D("-1.000001"), D("0.000000"), None, D("99999999999999999999.999999")],
        }
    )


def nested():
    return pd.DataFrame(
        {
            "l": [[1, 2], [], None, [3, None], [4]],
            "ls": [["a"], ["b", None], [], None, ["c", "d"]],
            "st": [{"a": 1, "b": "x"}, {"a": None, "b": "y"}, None, {"a": 4, "b": None}, {"a": 5, "b": "z"}],
        }
    )


def indexed(kind):
    frame = fit(basic(), 5)[["i64", "s", "f64"]]
    if kind == "range":
        return frame
    if kind == "range-step":
        frame.index = pd.RangeIndex(10, 20, 2, name="r")
        return frame
    if kind == "named":
        frame.index = pd.Index(["k0", "k1", "k2", "k3", "k4"], name="key")
        return frame
    if kind == "unnamed":
        frame.index = pd.Index([5, 3, 9, 1, 7])
        return frame
    if kind == "time":
        frame.index = pd.DatetimeIndex(pd.date_range("2020-01-01", periods=5, freq="H"), name="when")
        return frame
    if kind == "multi":
        frame.index = pd.MultiIndex.from_arrays([["a", "a", "b", "b", "c"], [1, 2, 1, 2, 1]], names=["letter", "num"])
        return frame
    if kind == "multi-unnamed":
        frame.index = pd.MultiIndex.from_arrays([["a", "a", "b", "b", "c"], [1, 2, 1, 2, 1]])
        return frame
    raise ValueError(kind)


def many(n=95):
    """Enough rows for several row groups (and pages spanning them)."""
    rng = np.arange(n)
    return pd.DataFrame(
        {
            "n": rng.astype("int64"),
            "x": rng * 0.5,
            "s": [f"row{k}" for k in rng],
            "t": pd.date_range("2000-01-01", periods=n, freq="min"),
        }
    )


def encodings():
    n = 40
    rng = np.arange(n)
    return pd.DataFrame(
        {
            "delta_i": (rng * 7 - 100).astype("int64"),
            "delta_i32": rng.astype("int32"),
            "dl_s": [f"v{k % 5}" * (k % 4) for k in rng],
            "db_s": [f"prefix-{k:04d}" for k in rng],
            "bss_f": rng * 0.25,
            "bss_f32": (rng * 0.5).astype("float32"),
            "flag": rng % 3 == 0,
        }
    )


CASES = []


def case(name, engine, frame, why=None, **kw):
    CASES.append((f"{engine}-{name}", engine, name, frame, kw, why))


CODECS = ["snappy", "gzip", "zstd", "brotli", "lz4", None]
for codec in CODECS:
    label = codec or "none"
    case(f"codec-{label}", "pyarrow", basic, compression=codec)
    case(f"codec-{label}", "fastparquet", basic, compression=codec)
    case(f"codec-{label}-v2", "pyarrow", basic, compression=codec, data_page_version="2.0")
case("plain-v1", "pyarrow", basic, use_dictionary=False)
case("plain-v2", "pyarrow", basic, use_dictionary=False, data_page_version="2.0")
case("dict-v2", "pyarrow", many, data_page_version="2.0", row_group_size=1000)
case("small-pages", "pyarrow", many, data_page_size=64, write_batch_size=8, data_page_version="2.0")
ENC = {
    "delta_i": "DELTA_BINARY_PACKED",
    "delta_i32": "DELTA_BINARY_PACKED",
    "dl_s": "DELTA_LENGTH_BYTE_ARRAY",
    "db_s": "DELTA_BYTE_ARRAY",
    "bss_f": "BYTE_STREAM_SPLIT",
    "bss_f32": "BYTE_STREAM_SPLIT",
    "flag": "RLE",
}
for v in ("1.0", "2.0"):
    label = "v1" if v == "1.0" else "v2"
    case(f"delta-{label}", "pyarrow", encodings, use_dictionary=False, column_encoding=ENC, data_page_version=v)
case("plain-fp", "fastparquet", encodings, object_encoding="utf8")
case("dict-fp", "fastparquet", many)
case("fixed-text", "fastparquet", lambda: pd.DataFrame({"s": ["ab", "cd", "ef"]}), fixed_text={"s": 2}, why="fastparquet writes fixed_text as FIXED_LEN_BYTE_ARRAY annotated UTF8, which pandas (pyarrow) cannot read back")
for unit in ("ms", "us"):
    case(f"times-{unit}", "pyarrow", times, coerce_timestamps=unit, allow_truncated_timestamps=True)
case("times-ns", "pyarrow", times, version="2.6")
case("times-ns-v2", "pyarrow", times, version="2.6", data_page_version="2.0")
case("times-int96", "pyarrow", times, use_deprecated_int96_timestamps=True)
case("times-v1-format", "pyarrow", times, version="1.0", coerce_timestamps="us", allow_truncated_timestamps=True)
case("times", "fastparquet", times)
case("times-int96", "fastparquet", times, times="int96")
case("dates", "pyarrow", dates)
case("dates", "fastparquet", dates, why="fastparquet has no date32: it cannot infer a type for datetime.date objects")
case("categoricals", "pyarrow", categoricals)
case("categoricals", "fastparquet", categoricals)
case("decimals", "pyarrow", decimals)
case("decimals-int", "pyarrow", decimals, store_decimal_as_integer=True)
# fastparquet writes Decimal objects as float64 and lists/dicts as JSON text: read as such.
case("decimals", "fastparquet", decimals)
case("nested", "pyarrow", nested)
case("nested", "fastparquet", nested)
case("nested-v2", "pyarrow", nested, data_page_version="2.0")
case("empty-rows", "pyarrow", lambda: fit(basic(), 0))
case("empty-rows", "fastparquet", lambda: fit(basic(), 0))
case("empty-columns", "pyarrow", lambda: pd.DataFrame(index=pd.RangeIndex(4)))
case("empty-columns-named", "pyarrow", lambda: pd.DataFrame(index=pd.Index(["a", "b"], name="k")))
case("empty-columns", "fastparquet", lambda: pd.DataFrame(index=pd.RangeIndex(4)))
for kind in ("range", "range-step", "named", "unnamed", "time", "multi", "multi-unnamed"):
    case(f"index-{kind}", "pyarrow", lambda kind=kind: indexed(kind))
    why = "fastparquet cannot write a MultiIndex without level names" if kind == "multi-unnamed" else None
    case(f"index-{kind}", "fastparquet", lambda kind=kind: indexed(kind), why=why)
case("row-groups", "pyarrow", many, row_group_size=20)
case("row-groups-index", "pyarrow", lambda: many().set_index("s"), row_group_size=20, compression="zstd")
case("row-groups", "fastparquet", many, row_group_offsets=20)


# --- golden JSON: pd.read_parquet's frame in the CLI's table form -------------------------


def arrow_cli_type(t):
    """The CLI's column type name (arrow-columns.ts shortTypeName) for an Arrow type."""
    if hasattr(t, "storage_type"):
        return arrow_cli_type(t.storage_type)
    if pa.types.is_dictionary(t):
        return arrow_cli_type(t.value_type)
    if pa.types.is_timestamp(t):
        return "datetime"
    if pa.types.is_date(t):
        return "date"
    if pa.types.is_string(t) or pa.types.is_large_string(t):
        return "string"
    if pa.types.is_boolean(t):
        return "bool"
    if pa.types.is_decimal(t):
        return f"decimal({t.precision},{t.scale})"
    if pa.types.is_list(t) or pa.types.is_large_list(t):
        return f"list<{arrow_cli_type(t.value_type)}>"
    if pa.types.is_struct(t):
        return "struct<" + ", ".join(f"{f.name}: {arrow_cli_type(f.type)}" for f in t) + ">"
    if pa.types.is_floating(t):
        return {16: "float16", 32: "float32", 64: "float64"}[t.bit_width]
    if pa.types.is_null(t):
        return "null"
    return str(t)


def cli_type(series, arrow_type):
    dtype = series.dtype
    if isinstance(dtype, pd.CategoricalDtype):
        return cli_type(pd.Series(dtype.categories), None if arrow_type is None else (arrow_type.value_type if pa.types.is_dictionary(arrow_type) else arrow_type))
    if str(dtype).startswith("datetime64"):
        return "datetime"
    if str(dtype) in ("bool", "boolean"):
        return "bool"
    if dtype.kind in "iuf":
        return str(dtype).lower()
    if arrow_type is not None:
        return arrow_cli_type(arrow_type)
    return "string"


def cell(v):
    """One value in table-json.ts's form."""
    if v is None or v is pd.NA or v is pd.NaT:
        return None
    if isinstance(v, (float, np.floating)):
        return None if not math.isfinite(v) else float(v)
    if isinstance(v, (bool, np.bool_)):
        return bool(v)
    if isinstance(v, (int, np.integer)):
        n = int(v)
        return n if abs(n) <= 2**53 else str(n)
    if isinstance(v, pd.Timestamp):
        text = iso(v.tz_convert("UTC").tz_localize(None) if v.tzinfo else v)
        return text + ("Z" if v.tzinfo else "")
    if isinstance(v, np.datetime64):
        return cell(pd.Timestamp(v))
    if isinstance(v, dt.datetime):
        return cell(pd.Timestamp(v))
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, D):
        return str(v)
    if isinstance(v, (list, tuple, np.ndarray)):
        return [cell(x) for x in v]
    if isinstance(v, dict):
        return {k: cell(x) for k, x in v.items()}
    if isinstance(v, bytes):
        return v.decode("utf-8")
    return str(v)


def iso(ts):
    text = ts.strftime("%Y-%m-%dT%H:%M:%S")
    frac = f"{ts.microsecond * 1000 + ts.nanosecond:09d}".rstrip("0")
    return text + ("." + frac if frac else "")


def column_cells(series):
    if isinstance(series.dtype, pd.CategoricalDtype):
        series = series.astype(object)
    return [cell(v) for v in series.tolist()] if not str(series.dtype).startswith("datetime64") else [cell(v) for v in series]


def golden(path):
    frame = pd.read_parquet(path)
    schema = pq.read_schema(path)
    meta = json.loads((schema.metadata or {}).get(b"pandas", b"null") or b"null")
    columns = []
    for name in frame.columns:
        series = frame[name]
        at = schema.get_field_index(str(name))
        arrow_type = schema.field(at).type if at >= 0 else None
        extra = {}
        if isinstance(series.dtype, pd.CategoricalDtype):
            extra["ordered"] = bool(series.dtype.ordered)
            extra["categories"] = column_cells(pd.Series(series.dtype.categories))
        tz = getattr(series.dtype, "tz", None)
        if tz is not None:
            extra["timezone"] = str(tz)
        columns.append({"name": str(name), "dtype": str(series.dtype), "type": cli_type(series, arrow_type), **extra})
    index = frame.index
    kind = "range" if isinstance(index, pd.RangeIndex) else "multi" if isinstance(index, pd.MultiIndex) else "index"
    levels = [index.get_level_values(i) for i in range(index.nlevels)]
    return {
        "rowCount": len(frame),
        "columns": columns,
        "index": {
            "kind": kind,
            "names": list(index.names),
            "dtypes": [str(level.dtype) for level in levels],
            "levels": [column_cells(pd.Series(level)) for level in levels],
            "stored": meta["index_columns"] if meta else None,
        },
        "rows": [list(r) for r in zip(*[column_cells(frame[c]) for c in frame.columns])] if len(frame.columns) else [[] for _ in range(len(frame))],
        "rowGroups": pq.ParquetFile(path).metadata.num_row_groups,
    }


def write(path, engine, frame, kw):
    frame.to_parquet(path, engine=engine, **kw)


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    manifest = {"pandas": pd.__version__, "pyarrow": pa.__version__, "cases": {}}
    import fastparquet

    manifest["fastparquet"] = fastparquet.__version__
    for key, engine, name, make, kw, why in CASES:
        entry = {"engine": engine, "case": name, "kwargs": {k: repr(v) for k, v in kw.items()}}
        path = os.path.join(out, key + ".parquet")
        try:
            write(path, engine, make(), kw)
            gold = golden(path)
        except Exception as err:  # an engine that cannot write this case: recorded, not fatal
            entry["skipped"] = (why + ": " if why else "") + f"{type(err).__name__}: {err}".splitlines()[0][:300]
            if os.path.exists(path):
                os.remove(path)
            manifest["cases"][key] = entry
            continue
        if why:
            entry["note"] = f"written although expected to fail ({why})"
        with open(os.path.join(out, key + ".json"), "w") as f:
            json.dump(gold, f, ensure_ascii=False, indent=1)
        entry["file"] = key + ".parquet"
        entry["golden"] = key + ".json"
        manifest["cases"][key] = entry
    with open(os.path.join(out, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)
    ok = sum(1 for e in manifest["cases"].values() if "file" in e)
    print(f"{ok} files, {len(manifest['cases']) - ok} skipped")


if __name__ == "__main__":
    main()
