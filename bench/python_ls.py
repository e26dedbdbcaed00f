"""Benchmark reference: list a cache and read every sidecar with the real Python xpersist.

usage: .venv-interop/bin/python bench/python_ls.py <dir or s3://bucket/prefix>

(an s3:// cache is reached through s3fs; bench/cloud.js sets FSSPEC_CONFIG_DIR to its server)

Times exactly `store = CacheStore(dir); for k in store.keys(): a = store.get_artifact(k)`
(interpreter start-up and imports excluded) and prints one JSON line:
{"keys": N, "read": N - errors, "errors": E, "seconds": total, "list_seconds": keys() only,
 "first_error": message or null, "python": "3.11.7", "xpersist": "2021.12.17"}
A key whose sidecar does not load (e.g. a folder listed as a key) counts as an error rather
than stopping the run. Made for caches of 100,000 top-level keys and more.
"""
import json
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'test', 'interop', 'python'))
import xp  # noqa: E402
from xp import CacheStore  # noqa: E402


def main() -> int:
    if len(sys.argv) != 2 or ('://' not in sys.argv[1] and not os.path.isdir(sys.argv[1])):
        print('usage: python_ls.py <existing cache dir or s3:// URL>', file=sys.stderr)
        return 2
    errors = 0
    first_error = None
    started = time.perf_counter()
    store = CacheStore(sys.argv[1])
    keys = store.keys()
    listed = time.perf_counter()
    for k in keys:
        try:
            store.get_artifact(k)
        except Exception as exc:
            errors += 1
            if first_error is None:
                first_error = xp.error_message(exc)
    finished = time.perf_counter()
    print(
        json.dumps(
            {
                'keys': len(keys),
                'read': len(keys) - errors,
                'errors': errors,
                'seconds': round(finished - started, 6),
                'list_seconds': round(listed - started, 6),
                'first_error': first_error,
                'python': '%d.%d.%d' % sys.version_info[:3],
                'xpersist': xp.xpersist.__version__,
            }
        )
    )
    return 0


if __name__ == '__main__':
    sys.exit(main())
