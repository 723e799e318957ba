#!/usr/bin/env bash
# Set up everything the project needs on a fresh Debian machine with Python 3.11:
# a virtual environment in .venv with the pinned dependencies (requirements.lock),
# torch 2.13.0 CPU first (a local wheel; a plain `torch` would pull a CUDA build),
# and the project itself in editable mode. Idempotent: re-running is quick.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON="${PYTHON:-python3.11}"
command -v "$PYTHON" >/dev/null 2>&1 || PYTHON=python3
"$PYTHON" - <<'PY' || { echo "setup: Python 3.11 is required (found $("$PYTHON" --version 2>&1))" >&2; exit 1; }
import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else 1)
PY

# System packages: Tesseract (OCR of burned-in text in images) and Chromium (browser tests of the
# web UI). Installed from Debian's packages when missing.
SYSTEM_PACKAGES=()
command -v tesseract >/dev/null 2>&1 || SYSTEM_PACKAGES+=(tesseract-ocr)
command -v chromium >/dev/null 2>&1 || SYSTEM_PACKAGES+=(chromium)
if ((${#SYSTEM_PACKAGES[@]})); then
  echo "setup: installing Debian packages: ${SYSTEM_PACKAGES[*]}" >&2
  SUDO=""
  [[ "$(id -u)" -eq 0 ]] || SUDO="sudo"
  if [[ -n "$SUDO" ]] && ! command -v sudo >/dev/null 2>&1; then
    echo "setup: please install as root: apt-get install -y ${SYSTEM_PACKAGES[*]}" >&2
    exit 1
  fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${SYSTEM_PACKAGES[@]}" >/dev/null
fi

STAMP=.venv/.setup-stamp
WANT="$(cat requirements.lock pyproject.toml | sha256sum | cut -c1-16)"
if [[ -f "$STAMP" && "$(cat "$STAMP")" == "$WANT" ]]; then
  exit 0
fi

echo "setup: creating .venv and installing pinned dependencies (first time: a few minutes)" >&2
[[ -x .venv/bin/python ]] || "$PYTHON" -m venv .venv
export PIP_DISABLE_PIP_VERSION_CHECK=1
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q "torch==2.13.0"
.venv/bin/python -m pip install -q -r requirements.lock
.venv/bin/python -m pip install -q --no-deps --no-build-isolation -e .
.venv/bin/python -m pip check >&2 || echo "setup: warning: pip check reported problems (above)" >&2
echo "$WANT" > "$STAMP"
echo "setup: done" >&2
