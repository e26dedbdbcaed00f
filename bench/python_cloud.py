"""The Python side of bench/cloud.js, run in .venv-interop (s3fs 2022.11). s3:// is reached
through the fsspec config that bench/cloud.js writes (FSSPEC_CONFIG_DIR: endpoint, dummy keys).

  parquet <cache> <mb>            writes big.parquet (about <mb> MB, bench/python_tables.py's
                                  columns, pandas' defaults: a row group per 1 M rows) into a
                                  local cache with Python xpersist; prints its size and layout
  put <local-dir> <s3-url>        s3fs put(local_dir, url, recursive=True): seconds
  botocore <local-dir> <s3-url>   put_object of every file from a pool of 10 threads, what
                                  `aws s3 cp --recursive` does for small files (boto3 is not in
                                  the venv; botocore is, under s3fs): seconds

Each prints one JSON line; timings exclude interpreter start-up and imports.
"""
import json
import os
import sys
import time
from concurrent.futures import ThreadPoolExecutor

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, '..', 'test', 'interop', 'python'))

# bench/python_tables.py's frame: about 38 bytes a row once written as snappy Parquet.
BYTES_PER_ROW = 38.5


def files_under(root: str) -> list:
    out = []
    for d, _, names in os.walk(root):
        out.extend(os.path.join(d, n) for n in names)
    return sorted(out)


def parquet(cache: str, mb: float) -> dict:
    import pyarrow.parquet as pq
    import xpersist
    from python_tables import frame  # also registers pandas.parquet (through xp)

    rows = max(1000, int(mb * 2**20 / BYTES_PER_ROW))
    t0 = time.perf_counter()
    xpersist.CacheStore(cache).put('big.parquet', frame(rows, 1), serializer='pandas.parquet')
    path = os.path.join(cache, 'big.parquet')
    meta = pq.ParquetFile(path).metadata
    return {
        'seconds': time.perf_counter() - t0,
        'rows': rows,
        'bytes': os.path.getsize(path),
        'row_groups': meta.num_row_groups,
        'columns': meta.num_columns,
    }


def put(local: str, url: str) -> dict:
    import fsspec

    fs = fsspec.filesystem('s3')
    t0 = time.perf_counter()
    fs.put(local.rstrip('/') + '/', url.rstrip('/') + '/', recursive=True)
    return {'seconds': time.perf_counter() - t0, 'files': len(files_under(local))}


def botocore_put(local: str, url: str) -> dict:
    import botocore.session
    import fsspec.config

    conf = fsspec.config.conf['s3']
    bucket, _, prefix = url[len('s3://') :].partition('/')
    client = botocore.session.get_session().create_client(
        's3',
        endpoint_url=conf['client_kwargs']['endpoint_url'],
        region_name=conf['client_kwargs']['region_name'],
        aws_access_key_id=conf['key'],
        aws_secret_access_key=conf['secret'],
    )
    files = files_under(local)
    t0 = time.perf_counter()

    def one(path: str) -> None:
        key = '/'.join(p for p in (prefix, os.path.relpath(path, local)) if p)
        with open(path, 'rb') as f:
            client.put_object(Bucket=bucket, Key=key, Body=f.read())

    with ThreadPoolExecutor(max_workers=10) as pool:
        list(pool.map(one, files))
    return {'seconds': time.perf_counter() - t0, 'files': len(files)}


def main(argv: list) -> int:
    if len(argv) != 3 or argv[0] not in ('parquet', 'put', 'botocore'):
        print(__doc__, file=sys.stderr)
        return 2
    if argv[0] == 'parquet':
        out = parquet(argv[1], float(argv[2]))
    elif argv[0] == 'put':
        out = put(argv[1], argv[2])
    else:
        out = botocore_put(argv[1], argv[2])
    print(json.dumps(out))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
