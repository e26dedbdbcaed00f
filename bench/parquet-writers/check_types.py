"""Reads every file types.mjs wrote with pandas (pyarrow engine) and prints the dtype and values,
so the writers can be compared on what pandas gets back.  Usage: python check_types.py <dir>"""
import json
import sys
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq

out = {}
for f in sorted(Path(sys.argv[1]).glob('*.parquet')):
    try:
        meta = pq.ParquetFile(f).metadata
        df = pd.read_parquet(f)
        col = df.columns[-1]
        dtype = str(df[col].dtype)
        if dtype == 'category':
            dtype += f' ordered={df[col].cat.ordered}'
        out[f.name] = {
            'dtype': dtype,
            'values': [repr(x) for x in df[col].tolist()],
            'arrow': str(pq.read_schema(f).field(col).type),
            'codec': meta.row_group(0).column(0).compression if meta.num_row_groups else None,
        }
    except Exception as e:  # noqa: BLE001 - the error is the measurement
        out[f.name] = {'error': f'{type(e).__name__}: {e}'}
print(json.dumps(out, indent=1))
