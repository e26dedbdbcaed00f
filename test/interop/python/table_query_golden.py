"""Writes a small table as Parquet (pyarrow, several row groups) and CSV, and what pandas
answers to a list of whole-table queries on each: row positions in order (sort_values with
kind='stable', na_position='last'; boolean masks) and group counts (value_counts(dropna=False)).
Usage: table_query_golden.py <outdir>; writes t.parquet, t.csv and golden.json there."""
import json
import sys

import numpy as np
import pandas as pd

out = sys.argv[1]
rng = np.random.default_rng(8)
n = 60
grades = np.array(["a", "b", "B", "ab", "é", "c", None], dtype=object)
df = pd.DataFrame(
    {
        "n": rng.integers(0, 10, n),
        "score": np.where(rng.random(n) < 0.2, np.nan, np.round(rng.random(n), 2)),
        "grade": grades[rng.integers(0, len(grades), n)],
        "flag": rng.random(n) < 0.5,
        "when": pd.to_datetime("2021-01-01")
        + pd.to_timedelta(rng.integers(0, 20, n), unit="D"),
    }
)
df.loc[rng.random(n) < 0.15, "when"] = pd.NaT
df.to_parquet(f"{out}/t.parquet", engine="pyarrow", row_group_size=7)
df.to_csv(f"{out}/t.csv")
csv = pd.read_csv(f"{out}/t.csv", index_col=0)


def sort(frame, cols, desc):
    return frame.sort_values(
        cols, ascending=[not d for d in desc], kind="stable", na_position="last"
    )


QUERIES = [
    ("sort grade", dict(sort=[("grade", False)]), lambda f: sort(f, ["grade"], [False])),
    ("sort score desc", dict(sort=[("score", True)]), lambda f: sort(f, ["score"], [True])),
    (
        "sort grade, n desc",
        dict(sort=[("grade", False), ("n", True)]),
        lambda f: sort(f, ["grade", "n"], [False, True]),
    ),
    (
        "n >= 5 and score < 0.5",
        dict(filters=[("n", "ge", 5), ("score", "lt", 0.5)]),
        lambda f: f[(f.n >= 5) & (f.score < 0.5)],
    ),
    ("grade != b", dict(filters=[("grade", "ne", "b")]), lambda f: f[f.grade != "b"]),
    ("score isnull", dict(filters=[("score", "isNull", None)]), lambda f: f[f.score.isna()]),
    (
        "grade contains a",
        dict(filters=[("grade", "contains", "a")]),
        lambda f: f[f.grade.str.contains("a", regex=False, na=False)],
    ),
    ("flag == true", dict(filters=[("flag", "eq", True)]), lambda f: f[f.flag == True]),  # noqa: E712
    (
        "n == 3 sorted by score",
        dict(filters=[("n", "eq", "3")], sort=[("score", False)]),
        lambda f: sort(f[f.n == 3], ["score"], [False]),
    ),
    ("group grade", dict(group="grade"), None),
    ("group n where flag", dict(group="n", filters=[("flag", "eq", True)]), None),
]
PARQUET_ONLY = [
    ("sort when desc", dict(sort=[("when", True)]), lambda f: sort(f, ["when"], [True])),
    (
        "when >= 2021-01-10",
        dict(filters=[("when", "ge", "2021-01-10")]),
        lambda f: f[f.when >= pd.Timestamp("2021-01-10")],
    ),
]


def answer(frame, spec, fn):
    q = {
        "sort": [{"column": c, "descending": d} for c, d in spec.get("sort", [])],
        "filters": [{"column": c, "op": o, "value": v} for c, o, v in spec.get("filters", [])],
        "search": "",
        "groupBy": spec.get("group"),
    }
    if spec.get("group"):
        sub = frame
        for c, o, v in spec.get("filters", []):
            sub = sub[sub[c] == v]
        counts = sub[spec["group"]].value_counts(dropna=False)
        groups = [
            [None if pd.isna(k) else (k.item() if hasattr(k, "item") else k), int(c)]
            for k, c in counts.items()
        ]
        return {"query": q, "positions": None, "groups": groups, "matched": len(sub)}
    res = fn(frame)
    return {"query": q, "positions": [int(i) for i in res.index], "groups": None, "matched": len(res)}


golden = {
    "parquet": {name: answer(df, s, f) for name, s, f in QUERIES + PARQUET_ONLY},
    "csv": {name: answer(csv, s, f) for name, s, f in QUERIES},
}
with open(f"{out}/golden.json", "w") as fh:
    json.dump(golden, fh)
