#!/usr/bin/env bash
# Create or refresh the project's virtual environment (.venv), idempotently.
#   scripts/setup.sh         the instrument: pinned Python packages (requirements/lock.txt)
#   scripts/setup.sh --test  also what the tests and training use: the training tools
#                            (requirements/train.txt), mypy and import-linter
#                            (requirements/test.txt) and, from Debian, SuperCollider,
#                            JACK, MMA (the drum grooves), tmux (the status view test) and
#                            Chromium with its driver (the stage view's browser test)
# A stamp of the requirement files makes the second run a no-op.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-.venv}

want_test=0
[ "${1:-}" = "--test" ] && want_test=1
DEBIAN_TEST_PACKAGES="supercollider-language supercollider-server jackd2 mma tmux chromium chromium-driver"

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

stamp_of() { cat requirements/lock.txt requirements/no-deps.txt setup.cfg pyproject.toml "$@" | sha256sum | cut -d' ' -f1; }
pip_install() { "$VENV/bin/python" -m pip install -q --disable-pip-version-check "$@"; }

if [ ! -f "$VENV/.psc-stamp" ] || [ "$(cat "$VENV/.psc-stamp")" != "$(stamp_of)" ]; then
  py=$(find_python)
  [ -x "$VENV/bin/python" ] || "$py" -m venv "$VENV"
  echo "setup: installing pinned Python packages into $VENV (first run: a few minutes)"
  pip_install -r requirements/lock.txt
  pip_install --no-deps -r requirements/no-deps.txt
  pip_install --no-deps -e .
  stamp_of > "$VENV/.psc-stamp"
fi

[ "$want_test" = 1 ] || exit 0

TEST_REQUIREMENTS="requirements/train.txt requirements/test.txt"
if [ ! -f "$VENV/.psc-test-stamp" ] ||
   [ "$(cat "$VENV/.psc-test-stamp")" != "$(stamp_of $TEST_REQUIREMENTS)" ]; then
  echo "setup: installing the training and test tools ($TEST_REQUIREMENTS)"
  pip_install -r requirements/train.txt -r requirements/test.txt
  stamp_of $TEST_REQUIREMENTS > "$VENV/.psc-test-stamp"
fi

if ! { command -v sclang && command -v scsynth && command -v jackd && command -v mma &&
       command -v tmux && command -v chromium && command -v chromedriver; } >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then sudo=""; elif command -v sudo >/dev/null; then sudo="sudo"; else
    echo "setup: missing Debian packages; install them with: apt-get install $DEBIAN_TEST_PACKAGES" >&2
    exit 1
  fi
  echo "setup: installing from Debian: $DEBIAN_TEST_PACKAGES"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
    $DEBIAN_TEST_PACKAGES >/dev/null
fi
