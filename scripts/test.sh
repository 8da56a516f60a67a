#!/usr/bin/env bash
# Runs every test: installs what is missing, builds, and runs the unit and end-to-end tests.
# Needs root: the runtime tests create real network namespaces, veths, bridges and cgroups
# (each named uniquely per run and removed afterwards).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh

mkdir -p test-output
swift build --build-tests 2>&1 | tail -n 3
swift test 2>&1 | tee test-output/swift-test.log

# The request parser under libFuzzer and AddressSanitizer, for a bounded time (every input is
# also checked for split-feeding invariants; a crash or broken invariant fails the run).
scripts/fuzz-http-parser.sh "${WHARF_FUZZ_SECONDS:-60}" test-output/http-fuzz
