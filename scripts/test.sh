#!/usr/bin/env bash
# README command 2: set up, then run the whole test suite.
# Storage tests also run against a real MongoDB when MONGODB_URI is set.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export FLWR_TELEMETRY_ENABLED=0 TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS="" HF_HUB_OFFLINE=1
# --dist loadfile: a module's tests run in one worker, in file order (tests/test_network.py passes one
# network from test to test; pytest-xdist 3.8's loadgroup does not group under pytest 9.2)
exec .venv/bin/python -m pytest -n "${FEDNET_TEST_WORKERS:-2}" --dist loadfile "$@"
