#!/usr/bin/env bash
# ECS API benchmark (issue 4): DescribeTasks/ListTasks requests per second with 1,000 tasks
# stored, and RunTask of 10 tasks until all are RUNNING (goal: p50 under 100 ms end to end).
#
#   bench/api.sh [--stored N] [--stored-kind sleep|exit] [--duration S] [--connections N] [--cycles N]
#
# --stored N (default 1000, a multiple of 10): tasks stored through RunTask (count 10 per
#     call) before the throughput measurements. --stored-kind sleep (default): busybox
#     `sleep`, so they stay RUNNING (1,000 live tasks: ~1,000 veths on the bridge, which holds
#     1,023); exit: busybox `true`, so they are stored STOPPED.
# --duration S (default 10): seconds of each throughput measurement.
# --connections N (default 4): concurrent keep-alive connections of the load generator
#     (wharf-bench api: compiled, SigV4 like the AWS CLI, one thread per connection).
# --cycles N (default 30): RunTask-of-10 cycles; tasks are stopped (and STOPPED) between cycles.
#
# `wharf serve` runs on an isolated configuration: a temporary data directory, bridge wbenchTOKEN, subnet 10.236.0.0/16, cgroup parent
# wharf-bench-TOKEN, veth prefix wb, the API on a free loopback port, no dashboard. Everything
# is removed afterwards, also on failure or interrupt. Needs root. All traffic stays on loopback.
# Release build in $WHARF_BENCH_SCRATCH (default .build-bench-api); $WHARF_BENCH_SERVE_LOG, if set,
# receives a copy of the daemon's log.
set -euo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
source "$REPO/bench/lib.sh"
STORED=1000
STORED_KIND=sleep
DURATION=10
CONNECTIONS=4
CYCLES=30
SUBNET=10.236.0.0/16
while [[ $# -gt 0 ]]; do
    case $1 in
        --stored) STORED=$2; shift 2 ;;
        --stored-kind) STORED_KIND=$2; shift 2 ;;
        --duration) DURATION=$2; shift 2 ;;
        --connections) CONNECTIONS=$2; shift 2 ;;
        --cycles) CYCLES=$2; shift 2 ;;
        *) echo "usage: $0 [--stored N] [--stored-kind sleep|exit] [--duration S] [--connections N] [--cycles N]" >&2; exit 2 ;;
    esac
done

if [[ $(id -u) -ne 0 ]]; then
    echo "bench/api.sh needs root" >&2
    exit 1
fi

SWIFT=swift
command -v swift >/dev/null || SWIFT=/opt/swift/usr/bin/swift
SCRATCH=${WHARF_BENCH_SCRATCH:-$REPO/.build-bench-api}
echo "building wharf, wharf-shim and wharf-bench (release)" >&2
(cd "$REPO" && "$SWIFT" build -c release --scratch-path "$SCRATCH" --product wharf-shim >&2 \
    && "$SWIFT" build -c release --scratch-path "$SCRATCH" --product wharf >&2 \
    && "$SWIFT" build -c release --scratch-path "$SCRATCH" --product wharf-bench >&2)
BIN=$(cd "$REPO" && "$SWIFT" build -c release --scratch-path "$SCRATCH" --show-bin-path)
WHARF="$BIN/wharf"
BENCH="$BIN/wharf-bench"

# --- isolated configuration and cleanup ------------------------------------------------------
TOKEN=$(od -An -N2 -tx2 /dev/urandom | tr -d ' \n')
WORK=$(mktemp -d -t wharf-bench-api.XXXXXX)
ROOT="$WORK/wharf"
DATA="$ROOT/data"
IMAGE="$WORK/busybox-oci"
LOG="$WORK/serve.log"
SERVE_PID=""
COMMON=(--root "$ROOT" --token "$TOKEN" --subnet "$SUBNET")

cleanup() {
    local status=$?
    trap - EXIT INT TERM
    # Cleanup goes on past any step that fails (errexit would stop at the first one).
    set +e
    bench_stop_child
    [[ -n $SERVE_PID ]] && bench_stop_process "$SERVE_PID"
    if [[ -n ${WHARF_BENCH_SERVE_LOG:-} && -f $LOG ]]; then cp "$LOG" "$WHARF_BENCH_SERVE_LOG"; fi
    if [[ $status -ne 0 && -f $LOG ]]; then
        echo "--- wharf serve log (last 40 lines) ---" >&2
        tail -40 "$LOG" >&2
    fi
    bench_remove_host_resources "$BENCH" "$TOKEN" "${COMMON[@]}"
    rm -rf "$WORK"
    exit $status
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if ip route show | grep -q "^${SUBNET%%.0.0/16}\."; then
    echo "$SUBNET is routed on this host already; refusing to run" >&2
    exit 1
fi

echo "building the busybox image" >&2
"$REPO/scripts/build-busybox-image.sh" "$IMAGE" >/dev/null
mkdir -p "$DATA"
"$WHARF" image import "$IMAGE" --data-dir "$DATA" >/dev/null

PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
printf 'region: us-east-1\naccountId: "123456789012"\n' >"$WORK/serve.yaml"
"$WHARF" serve --data-dir "$DATA" --bridge "wbench$TOKEN" --cgroup-parent "wharf-bench-$TOKEN" \
    --veth-prefix wb --subnet "$SUBNET" --listen "127.0.0.1:$PORT" --dashboard off --config "$WORK/serve.yaml" \
    >"$LOG" 2>&1 &
SERVE_PID=$!
for _ in $(seq 200); do
    grep -q "ECS API on" "$LOG" 2>/dev/null && break
    kill -0 "$SERVE_PID" 2>/dev/null || { echo "wharf serve exited" >&2; exit 1; }
    sleep 0.1
done
grep -q "ECS API on" "$LOG" || { echo "wharf serve did not start within 20 s" >&2; exit 1; }

bench_settle
echo "running: $STORED stored tasks ($STORED_KIND), ${DURATION}s per measurement on $CONNECTIONS connections, $CYCLES RunTask cycles" >&2
bench_run timeout 1800 "$BENCH" api --endpoint "127.0.0.1:$PORT" --credentials "$DATA/credentials" --stored "$STORED" \
    --stored-kind "$STORED_KIND" --duration "$DURATION" --connections "$CONNECTIONS" --cycles "$CYCLES"
