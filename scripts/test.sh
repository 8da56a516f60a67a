#!/usr/bin/env bash
# Runs every test: installs what is missing, builds, and runs the unit and end-to-end tests.
# Needs root: the runtime tests create real network namespaces, veths, bridges and cgroups
# (each named uniquely per run and removed afterwards).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh

mkdir -p test-output
# Built first so that the test log holds only the tests; the build's own output goes to its
# log and is shown in full when it fails (compile errors), else only its last line.
if ! swift build --build-tests >test-output/swift-build.log 2>&1; then
  cat test-output/swift-build.log >&2
  echo "test: the build failed (log: test-output/swift-build.log)" >&2
  exit 1
fi
tail -n 1 test-output/swift-build.log
swift test --skip-build 2>&1 | tee test-output/swift-test.log
# As root, with everything above installed, every test can run: one that skipped itself hid a
# failure (a missing tool, a binary not built), so the run fails.
if [[ $(id -u) -eq 0 ]] && grep -E "^Test Case '.*' skipped" test-output/swift-test.log >&2; then
  echo "test: the tests above skipped themselves (every test must run as root after the set-up)" >&2
  exit 1
fi

# The request parser under libFuzzer and AddressSanitizer, for a bounded time (every input is
# also checked for split-feeding invariants; a crash or broken invariant fails the run).
scripts/fuzz-http-parser.sh "${WHARF_FUZZ_SECONDS:-60}" test-output/http-fuzz
