#!/usr/bin/env bash
# Optional step of setup-venv.sh: creates .venv-zarr3/ at the repo root with zarr-python 3
# (python/requirements-zarr3.txt). zarr 3 needs numpy >= 1.25, which the pinned xpersist-era
# stack of .venv-interop cannot take, so the Zarr v3 corpus entries and the v3 checks of
# stores written here run in this second venv. Idempotent (stamp), wheels only. When it cannot
# install, it says so and exits 1; setup-venv.sh then carries on and the v3 tests skip with
# that reason.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
venv="$root/.venv-zarr3"
req="$here/python/requirements-zarr3.txt"
py="${XPERSIST_INTEROP_PYTHON:-python3}"
start=$SECONDS
stamp="$(cat "${BASH_SOURCE[0]}" "$req" | sha256sum | cut -c1-16)-$("$py" -c 'import sys; print("%d.%d.%d" % sys.version_info[:3])')"
check='import zarr, xarray, numpy; assert zarr.__version__.startswith("3."); print("zarr", zarr.__version__, "xarray", xarray.__version__, "numpy", numpy.__version__)'

if [[ -f "$venv/.zarr3-stamp" && "$(cat "$venv/.zarr3-stamp")" == "$stamp" ]] &&
  versions="$("$venv/bin/python" -c "$check" 2>/dev/null)"; then
  echo "setup-venv-zarr3: up to date: .venv-zarr3 ($versions) in $((SECONDS - start))s"
  exit 0
fi

log="$(mktemp "${TMPDIR:-/tmp}/xpersist-setup-zarr3.XXXXXX.log")"
rm -rf "$venv"
if "$py" -m venv "$venv" >>"$log" 2>&1 &&
  timeout 900 "$venv/bin/python" -m pip install --no-input --disable-pip-version-check \
    --only-binary=:all: -r "$req" >>"$log" 2>&1 &&
  versions="$("$venv/bin/python" -c "$check" 2>>"$log")"; then
  echo "$stamp" >"$venv/.zarr3-stamp"
  rm -f "$log"
  echo "setup-venv-zarr3: created .venv-zarr3 ($versions) in $((SECONDS - start))s"
  exit 0
fi
echo "setup-venv-zarr3: could not install zarr 3; the Zarr v3 interop tests will skip. Last lines of $log:" >&2
tail -n 10 "$log" >&2
rm -rf "$venv"
exit 1
