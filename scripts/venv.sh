# Sourced by scripts/try and scripts/test: make sure the virtual environment $VENV (default .venv) exists, installing
# Debian's python3-venv when missing.
set -euo pipefail
. scripts/system.sh
PY=${PYTHON:-python3}
VENV=${VENV:-.venv}
if ! command -v "$PY" >/dev/null 2>&1; then
  echo "python3 is missing: apt-get install -y python3 python3-venv (Python ≥ 3.11)" >&2
  exit 2
fi
if [ ! -x "$VENV/bin/python" ]; then
  if ! "$PY" -m venv "$VENV" 2>/dev/null; then
    rm -rf "$VENV"
    ver=$("$PY" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')
    system_install "python${ver}-venv"
    "$PY" -m venv "$VENV"
  fi
fi
"$VENV/bin/python" -m pip install -q --upgrade pip >/dev/null 2>&1 || true
