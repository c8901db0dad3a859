#!/usr/bin/env bash
# Create or refresh the project's virtual environment (.venv), idempotently.
#   scripts/setup.sh           Python environment only
#   scripts/setup.sh --system  also SuperCollider + JACK from Debian (needed by the tests)
# A stamp of the requirement files makes the second run a no-op.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-.venv}

want_system=0
[ "${1:-}" = "--system" ] && want_system=1

find_python() {
  for cand in python3.11 python3; do
    if command -v "$cand" >/dev/null 2>&1 &&
       "$cand" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))'; then
      echo "$cand"; return 0
    fi
  done
  echo "psc-looper needs Python 3.11 (python3.11 or python3 on PATH)" >&2
  return 1
}

stamp_of() { cat requirements/lock.txt requirements/no-deps.txt setup.cfg pyproject.toml | sha256sum | cut -d' ' -f1; }

if [ ! -f "$VENV/.psc-stamp" ] || [ "$(cat "$VENV/.psc-stamp")" != "$(stamp_of)" ]; then
  py=$(find_python)
  [ -x "$VENV/bin/python" ] || "$py" -m venv "$VENV"
  echo "setup: installing pinned Python packages into $VENV (first run: a few minutes)"
  "$VENV/bin/python" -m pip install -q --disable-pip-version-check -r requirements/lock.txt
  "$VENV/bin/python" -m pip install -q --disable-pip-version-check --no-deps -r requirements/no-deps.txt
  "$VENV/bin/python" -m pip install -q --disable-pip-version-check --no-deps -e .
  stamp_of > "$VENV/.psc-stamp"
fi

if [ "$want_system" = 1 ] && ! { command -v sclang && command -v scsynth && command -v jackd; } >/dev/null 2>&1; then
  pkgs="supercollider-language supercollider-server jackd2"
  if [ "$(id -u)" = 0 ]; then sudo=""; elif command -v sudo >/dev/null; then sudo="sudo"; else
    echo "setup: SuperCollider is missing; install it with: apt-get install $pkgs" >&2; exit 1; fi
  echo "setup: installing SuperCollider and JACK from Debian ($pkgs)"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $pkgs >/dev/null
fi
