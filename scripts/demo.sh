#!/usr/bin/env bash
# README command 1: set up, then run the demo network (simulated hospitals + coordinator).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export FLWR_TELEMETRY_ENABLED=0 TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS="" HF_HUB_OFFLINE=1
exec .venv/bin/fedcoord demo "$@"
