"""Runs a command once and prints {"seconds": wall, "peak_rss_mb": max RSS} as JSON.

Used by bench/run.js to time whole processes (Node CLI and Python reference) the same way.
"""
import json
import resource
import subprocess
import sys
import time

start = time.perf_counter()
proc = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
seconds = time.perf_counter() - start
rss_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
if proc.returncode != 0:
    sys.stderr.write(proc.stderr.decode(errors="replace"))
    sys.exit(proc.returncode)
print(json.dumps({"seconds": seconds, "peak_rss_mb": rss_kb / 1024}))
