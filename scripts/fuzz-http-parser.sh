#!/usr/bin/env bash
# Fuzzes HTTPCore's request parser, response parser and chunked scanner with libFuzzer and
# AddressSanitizer for SECONDS seconds (Fuzz/HTTPParserFuzz/main.swift, which also checks that
# every way of splitting an input gives the same answer).
#
#   scripts/fuzz-http-parser.sh SECONDS [OUTDIR]
#
# OUTDIR receives the grown corpus (OUTDIR/corpus), any crashing input (OUTDIR/crash-*) and the
# fuzzer's log (OUTDIR/fuzz.log); it is reused as the starting corpus next time. Without OUTDIR
# nothing is kept and a crashing input is printed in hex instead. The build happens in a
# temporary directory that is always removed. Exits non-zero if the target crashes, leaks or
# breaks an invariant, or if it cannot be built.
set -euo pipefail

if [[ $# -lt 1 || $# -gt 2 || ! $1 =~ ^[0-9]+$ ]]; then
    echo "usage: $0 SECONDS [OUTDIR]" >&2
    exit 2
fi
duration=$1
root=$(cd "$(dirname "$0")/.." && pwd)
swiftc=${SWIFTC:-$(command -v swiftc || echo /opt/swift/usr/bin/swiftc)}
# Longest input the fuzzer generates: enough to cross the target's 1 KiB head limit.
max_input_length=2048

work=$(mktemp -d "${TMPDIR:-/tmp}/wharf-http-fuzz.XXXXXX")
cleanup() { rm -rf "$work"; }
trap cleanup EXIT

if [[ $# -eq 2 ]]; then
    mkdir -p "$2"
    outdir=$(cd "$2" && pwd)
else
    outdir="$work/out"
    mkdir -p "$outdir"
fi
mkdir -p "$outdir/corpus"

echo "building the fuzz target (swiftc -sanitize=fuzzer,address -O)..." >&2
# swiftc's own temporary files go to the work directory too. The build log is shown only on
# failure: gold warns about every ASan helper symbol it cannot export.
if ! TMPDIR="$work" "$swiftc" -sanitize=fuzzer,address -parse-as-library -O \
    -module-name HTTPParserFuzz \
    "$root"/Sources/HTTPCore/*.swift "$root/Fuzz/HTTPParserFuzz/main.swift" \
    -o "$work/http-parser-fuzz" >"$work/build.log" 2>&1; then
    grep -v "Cannot export local symbol" "$work/build.log" >&2
    echo "building the fuzz target FAILED" >&2
    exit 1
fi

echo "fuzzing for ${duration}s..." >&2
status=0
(
    cd "$work"
    # Swift's own crash backtracer would trip over ASan; libFuzzer reports the crash itself.
    SWIFT_BACKTRACE=enable=no ./http-parser-fuzz \
        -max_total_time="$duration" \
        -max_len="$max_input_length" \
        -dict="$root/Fuzz/HTTPParserFuzz/http.dict" \
        -artifact_prefix="$outdir/" \
        -print_final_stats=1 \
        "$outdir/corpus" "$root/Fuzz/HTTPParserFuzz/seeds"
) >"$outdir/fuzz.log" 2>&1 || status=$?

grep -E '^(#[0-9]+ *DONE|stat::number_of_executed_units|stat::peak_rss_mb|Done [0-9]+ runs)' "$outdir/fuzz.log" >&2 || true
if [[ $status -ne 0 ]]; then
    echo "fuzzing FAILED (exit $status):" >&2
    grep -m 5 -E 'ERROR: |Fatal error|SUMMARY: |deadly signal' "$outdir/fuzz.log" >&2 || tail -n 40 "$outdir/fuzz.log" >&2
    for crash in "$outdir"/crash-* "$outdir"/leak-* "$outdir"/timeout-* "$outdir"/oom-*; do
        [[ -e $crash ]] || continue
        if [[ $# -eq 2 ]]; then
            echo "input kept in $crash" >&2
        else
            echo "input $(basename "$crash") (hex):" >&2
            od -An -tx1 -v "$crash" >&2
        fi
    done
    exit "$status"
fi
echo "fuzzing passed" >&2
