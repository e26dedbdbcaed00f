"""Writes a ~200k-row pandas.parquet artifact into a cache folder for test/e2e/tables.test.ts.

Usage: python big_table.py <cache_dir> [rows]. Columns cover what the table view must show
exactly: int64 beyond 2^53, decimals, datetimes with NaT, date32, nullable Int64 and boolean,
strings with None, floats with NaN; several row groups so the summaries come from statistics.
"""
import datetime as dt
import decimal
import json
import os
import sys

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

root = sys.argv[1]
n = int(sys.argv[2]) if len(sys.argv) > 2 else 200_000
key = "sales-2021.parquet"
i = np.arange(n, dtype=np.int64)
when = pd.Timestamp("2021-01-01") + pd.to_timedelta(i * 157, unit="s")
when = pd.Series(when).mask(i % 1000 == 7)  # NaT
frame = pd.DataFrame(
    {
        "order_id": i + 1,
        "big": (2**53 + i).astype(np.int64),
        "store": pd.Series(np.array(["Boulder", "Denver", "Golden", "Niwot"])[i % 4]).mask(
            i % 997 == 3
        ),
        "amount": np.where(i % 500 == 11, np.nan, np.round((i * 7919) % 100_000 / 100, 2)),
        "qty": pd.array(np.where(i % 400 == 5, None, (i * 31) % 50), dtype="Int64"),
        "paid": pd.array(np.where(i % 300 == 9, None, i % 3 != 0), dtype="boolean"),
        "when": when,
    }
)
day = pa.array(
    [None if k % 800 == 1 else dt.date(2021, 1, 1) + dt.timedelta(days=int(k % 365)) for k in i],
    pa.date32(),
)
price = pa.array(
    [decimal.Decimal(int((k * 104729) % 10**8)).scaleb(-2) for k in i], pa.decimal128(12, 2)
)
table = pa.Table.from_pandas(frame, preserve_index=False)
table = table.append_column("day", day).append_column("price", price)
os.makedirs(os.path.join(root, "xpersist_metadata_store"), exist_ok=True)
pq.write_table(table, os.path.join(root, key), row_group_size=50_000, compression="snappy")
with open(os.path.join(root, "xpersist_metadata_store", key + ".artifact.json"), "w") as f:
    json.dump(
        {
            "key": key,
            "serializer": "pandas.parquet",
            "load_kwargs": {},
            "dump_kwargs": {},
            "additional_metadata": {"rows": n},
            "created_at": "2026-12-01T21:44:51.463354",
        },
        f,
    )
print(os.path.getsize(os.path.join(root, key)))
