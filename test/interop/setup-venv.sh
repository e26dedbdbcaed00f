#!/usr/bin/env bash
# Creates .venv-interop/ at the repo root with the pinned Python xpersist stack that the
# interop tests and the benchmark reference run against. Idempotent: a stamp (hash of the
# requirements, this script, the Python version and the mode) makes a rerun a no-op.
# Non-interactive; safe to call from CI (CI=true, no stdin) and from several test workers
# at once (a lock serialises them).
#
# Install paths, recorded in .venv-interop/interop-path:
#   prefect  requirements.txt installed as is (real prefect 1.x and xcollection)
#   stubs    prefect would not install: requirements-core.txt plus xpersist --no-deps; the
#            scripts then put test/interop/python/stubs on sys.path for `prefect` and
#            `xcollection` (see xp.py)
# XPERSIST_INTEROP_STUBS=1 forces the stubs path; XPERSIST_INTEROP_PYTHON picks the
# interpreter (default python3; the pins are for CPython 3.11).
#
# Last step, optional: setup-venv-zarr3.sh builds the second venv .venv-zarr3 (zarr-python 3,
# for the Zarr v3 corpus). Its failure does not fail this script; the v3 tests then skip with
# the reason. XPERSIST_INTEROP_ZARR3=0 leaves that step out.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
venv="$root/.venv-interop"
req_dir="$here/python"
py="${XPERSIST_INTEROP_PYTHON:-python3}"
mode="auto"
if [[ "${XPERSIST_INTEROP_STUBS:-}" == "1" ]]; then mode="stubs"; fi
start=$SECONDS

py_version="$("$py" -c 'import sys; print("%d.%d.%d" % sys.version_info[:3])')"
if [[ "$py_version" != 3.11.* ]]; then
  echo "setup-venv: $py is Python $py_version; the pinned wheels need CPython 3.11 (set XPERSIST_INTEROP_PYTHON)" >&2
  exit 1
fi

stamp="$(cat "${BASH_SOURCE[0]}" "$req_dir"/requirements*.txt | sha256sum | cut -c1-16)-py$py_version-$mode"

# One setup at a time per work tree; the others wait, then find the stamp.
lock="${TMPDIR:-/tmp}/xpersist-setup-venv-$(printf '%s' "$root" | sha256sum | cut -c1-12).lock"
exec 9>"$lock"
flock 9

summary() {
  local path xp
  path="$(cat "$venv/interop-path")"
  xp="$("$venv/bin/python" "$req_dir/xp.py" --versions)"
  echo "setup-venv: $1 .venv-interop (path=$path, $xp) in $((SECONDS - start))s"
}

# Optional second venv for zarr 3 (see the top of this file); never fails this script.
zarr3_step() {
  if [[ "${XPERSIST_INTEROP_ZARR3:-1}" != "0" ]]; then
    bash "$here/setup-venv-zarr3.sh" || echo "setup-venv: optional zarr 3 venv not built (Zarr v3 tests will skip)" >&2
  fi
}

if [[ -f "$venv/.interop-stamp" && "$(cat "$venv/.interop-stamp")" == "$stamp" ]] &&
  "$venv/bin/python" "$req_dir/xp.py" --versions >/dev/null 2>&1; then
  summary "up to date:"
  zarr3_step
  exit 0
fi

log="$(mktemp "${TMPDIR:-/tmp}/xpersist-setup-venv.XXXXXX.log")"
pip_install() {
  # Wheels only: a source build here would mean a wrong pin, not something to compile.
  timeout 900 "$venv/bin/python" -m pip install --no-input --disable-pip-version-check \
    --only-binary=:all: "$@" >>"$log" 2>&1
}
fresh_venv() {
  rm -rf "$venv"
  "$py" -m venv "$venv" >>"$log" 2>&1
}

path=""
if [[ "$mode" == "auto" ]]; then
  fresh_venv
  if pip_install -r "$req_dir/requirements.txt" &&
    "$venv/bin/python" -c 'import prefect.engine.result, xcollection, xpersist' >>"$log" 2>&1; then
    path="prefect"
  else
    echo "setup-venv: the prefect stack did not install or import; falling back to stubs (log: $log)" >&2
    tail -n 5 "$log" >&2
  fi
fi
if [[ -z "$path" ]]; then
  fresh_venv
  if ! pip_install -r "$req_dir/requirements-core.txt" ||
    ! pip_install --no-deps "$(grep -E '^xpersist==' "$req_dir/requirements.txt")"; then
    echo "setup-venv: install failed; last lines of $log:" >&2
    tail -n 20 "$log" >&2
    exit 1
  fi
  path="stubs"
fi

echo "$path" >"$venv/interop-path"
if ! "$venv/bin/python" "$req_dir/xp.py" --versions >>"$log" 2>&1; then
  echo "setup-venv: xpersist does not import in the new venv; last lines of $log:" >&2
  tail -n 20 "$log" >&2
  exit 1
fi
echo "$stamp" >"$venv/.interop-stamp"
rm -f "$log"
summary "created"
zarr3_step
