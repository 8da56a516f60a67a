#!/usr/bin/env bash
# Runtime benchmark: Wharf against the iproute2+runc baseline, in the same run.
#
#   bench/runtime.sh [N] [--density COUNT] [--concurrent COUNT] [--skip-baseline]
#
# N (default 200): sequential launch/wait/remove cycles (Wharf and baseline alike).
# --density COUNT (default 1000): idle awsvpc tasks for the density measurement (0 skips it).
# --concurrent COUNT (default 100): tasks launched from concurrent threads (0 skips it).
#
# Wharf runs on an isolated configuration: a temporary data directory,
# bridge wbenchTOKEN, subnet 10.238.0.0/16 (the baseline uses 10.239.0.0/16), cgroup parent
# wharf-bench-TOKEN, veth prefix wb. Everything is removed afterwards, also on failure or
# interrupt. Needs root. All traffic stays on this machine.
set -euo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
source "$REPO/bench/lib.sh"
BASELINE="$REPO/../shared/bench/runtime-baseline.sh"
N=200
DENSITY=1000
CONCURRENT=100
SKIP_BASELINE=0
while [[ $# -gt 0 ]]; do
    case $1 in
        --density) DENSITY=$2; shift 2 ;;
        --concurrent) CONCURRENT=$2; shift 2 ;;
        --skip-baseline) SKIP_BASELINE=1; shift ;;
        [0-9]*) N=$1; shift ;;
        *) echo "usage: $0 [N] [--density COUNT] [--concurrent COUNT] [--skip-baseline]" >&2; exit 2 ;;
    esac
done

if [[ $(id -u) -ne 0 ]]; then
    echo "bench/runtime.sh needs root" >&2
    exit 1
fi

# --- prerequisites ---------------------------------------------------------------------------
missing=()
command -v runc >/dev/null || missing+=(runc)
{ [[ -x /usr/bin/busybox ]] && /usr/bin/busybox --list-full >/dev/null 2>&1; } || missing+=(busybox-static)
command -v ip >/dev/null || missing+=(iproute2)
command -v python3 >/dev/null || missing+=(python3)
if [[ ${#missing[@]} -gt 0 ]]; then
    echo "installing ${missing[*]}" >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}" >&2 \
        || { apt-get update >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}" >&2; }
fi

SWIFT=swift
command -v swift >/dev/null || SWIFT=/opt/swift/usr/bin/swift
SCRATCH="$REPO/.build-bench"
echo "building wharf-bench and wharf-shim (release)" >&2
(cd "$REPO" && "$SWIFT" build -c release --scratch-path "$SCRATCH" --product wharf-shim >&2 \
    && "$SWIFT" build -c release --scratch-path "$SCRATCH" --product wharf-bench >&2)
BIN=$(cd "$REPO" && "$SWIFT" build -c release --scratch-path "$SCRATCH" --show-bin-path)
BENCH="$BIN/wharf-bench"

# --- isolated configuration and cleanup ------------------------------------------------------
TOKEN=$(od -An -N2 -tx2 /dev/urandom | tr -d ' \n')
WORK=$(mktemp -d -t wharf-bench.XXXXXX)
ROOT="$WORK/wharf"
IMAGE="$WORK/busybox-oci"
RESULTS="$WORK/results"
COMMON=(--root "$ROOT" --token "$TOKEN" --subnet 10.238.0.0/16)

cleanup() {
    local status=$?
    trap - EXIT INT TERM
    # Cleanup goes on past any step that fails (errexit would stop at the first one).
    set +e
    bench_stop_child
    bench_remove_host_resources "$BENCH" "$TOKEN" "${COMMON[@]}"
    rm -rf "$WORK"
    exit $status
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if ip route show | grep -q '^10\.238\.'; then
    echo "10.238.0.0/16 is routed on this host already; refusing to run" >&2
    exit 1
fi

echo "building the busybox image" >&2
"$REPO/scripts/build-busybox-image.sh" "$IMAGE" >/dev/null

# The density run needs (a) N veths on one bridge (a Linux bridge takes at most 1023 ports),
# (b) ~3 processes per task, (c) N network namespaces. Warn on obvious limits.
if [[ $DENSITY -gt 1000 ]]; then
    echo "warning: a Linux bridge holds at most 1023 ports; density $DENSITY will fail" >&2
fi

# The runtime turns on the host's cgroup2 option favordynmods when it starts (container starts
# then join their cgroups without waiting for an RCU grace period), and the setting stays with
# the host: it is turned on here first, so the baseline's runc runs on the same host as Wharf.
# The superblock's options are passed along: a remount sets exactly the options it is given.
read -r CGROUP2_MOUNT CGROUP2_OPTIONS < <(awk '{ for (i = 7; i < NF; i++) if ($i == "-") {
    if ($(i + 1) == "cgroup2") { print $5, $(i + 3); exit } break } }' /proc/self/mountinfo) || true
if [[ -n ${CGROUP2_MOUNT:-} ]] && [[ ,$CGROUP2_OPTIONS, != *,favordynmods,* ]]; then
    KEEP=$(tr ',' '\n' <<<"$CGROUP2_OPTIONS" | { grep -v -x -E 'rw|ro|seclabel' || true; } | paste -sd, -)
    mount -o "remount${KEEP:+,$KEEP},favordynmods" "$CGROUP2_MOUNT" 2>/dev/null || true
fi
if [[ -n ${CGROUP2_MOUNT:-} ]] && grep -q " $CGROUP2_MOUNT .* cgroup2 .*favordynmods" /proc/self/mountinfo; then
    echo "host: cgroup2 favordynmods on ($CGROUP2_MOUNT), for the baseline and Wharf alike" >&2
else
    echo "host: cgroup2 favordynmods not available, for the baseline and Wharf alike" >&2
fi

# --- baseline --------------------------------------------------------------------------------
BASE_P50="" BASE_P99=""
if [[ $SKIP_BASELINE -eq 0 ]]; then
    bench_settle
    echo "running the baseline (iproute2 + runc), $N cycles" >&2
    BASE_LINE=$(bash "$BASELINE" "$N" | tail -1)
    echo "$BASE_LINE"
    BASE_P50=$(sed -n 's/.*p50=\([0-9.]*\).*/\1/p' <<<"$BASE_LINE")
    BASE_P99=$(sed -n 's/.*p99=\([0-9.]*\).*/\1/p' <<<"$BASE_LINE")
fi

# --- wharf -----------------------------------------------------------------------------------
: >"$RESULTS"
bench_settle
echo "running wharf: $N cycles" >&2
bench_run_tee "$RESULTS" timeout 600 "$BENCH" cycle "${COMMON[@]}" --image "$IMAGE" --count "$N" --deadline 300
# The same cycles with no network namespaces prepared ahead: what the network pool buys.
bench_settle
echo "running wharf: $N cycles without the network pool" >&2
bench_run_tee "$RESULTS" timeout 600 "$BENCH" cycle "${COMMON[@]}" --image "$IMAGE" --count "$N" --deadline 300 --network-pool 0
# The same cycles in bridge mode, each task publishing one dynamic host port: what publishing
# (a host port taken, the task's NAT table written and deleted) adds.
bench_settle
echo "running wharf: $N cycles in bridge mode" >&2
bench_run_tee "$RESULTS" timeout 600 "$BENCH" cycle "${COMMON[@]}" --image "$IMAGE" --count "$N" --deadline 300 --bridge
if [[ $CONCURRENT -gt 0 ]]; then
    bench_settle
    echo "running wharf: $CONCURRENT concurrent launches" >&2
    bench_run_tee "$RESULTS" timeout 300 "$BENCH" concurrent "${COMMON[@]}" --image "$IMAGE" --count "$CONCURRENT" || true
fi
if [[ $DENSITY -gt 0 ]]; then
    bench_settle
    echo "running wharf: density $DENSITY" >&2
    bench_run_tee "$RESULTS" timeout 1500 "$BENCH" density "${COMMON[@]}" --image "$IMAGE" --count "$DENSITY" --deadline 900 || true
fi

# --- side by side ----------------------------------------------------------------------------
field() { sed -n "s/.*$2=\([-0-9.na]*\).*/\1/p" <<<"$(grep "^wharf $1 " "$RESULTS" | grep -v "network pool 0)\|bridge mode)" | head -1)"; }
bridged() { sed -n "s/.*$2=\([-0-9.na]*\).*/\1/p" <<<"$(grep "^wharf $1 .*bridge mode)" "$RESULTS" | head -1)"; }
unpooled() { sed -n "s/.*$2=\([-0-9.na]*\).*/\1/p" <<<"$(grep "^wharf $1 .*network pool 0)" "$RESULTS" | head -1)"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b == "" || b + 0 == 0) print "-"; else printf "%.1fx", a / b }'; }
W_P50=$(field cycle p50) W_P99=$(field cycle p99)
L_P50=$(field launch-to-exec p50) L_P99=$(field launch-to-exec p99)
CONC=$(grep '^wharf concurrent ' "$RESULTS" | head -1 || true)
DENS=$(grep '^wharf density ' "$RESULTS" | head -1 || true)

echo
printf '%-28s %-26s %-12s %s\n' "" "baseline (iproute2+runc)" "wharf" "ratio"
printf '%-28s %-26s %-12s %s\n' "cycle p50 (ms)" "${BASE_P50:--}" "${W_P50:--}" "$(ratio "$BASE_P50" "$W_P50")"
printf '%-28s %-26s %-12s %s\n' "cycle p99 (ms)" "${BASE_P99:--}" "${W_P99:--}" "$(ratio "$BASE_P99" "$W_P99")"
printf '%-28s %-26s %s\n' "launch-to-exec p50/p99 (ms)" "" "${L_P50:--} / ${L_P99:--}"
printf '%-28s %-26s %s\n' "  without network pool" "" "$(unpooled launch-to-exec p50) / $(unpooled launch-to-exec p99) (cycle p50 $(unpooled cycle p50))"
printf '%-28s %-26s %s\n' "  bridge mode, 1 port" "" "$(bridged launch-to-exec p50) / $(bridged launch-to-exec p99) (cycle p50 $(bridged cycle p50))"
if [[ -n $CONC ]]; then
    printf '%-28s %-26s %s\n' "$CONCURRENT concurrent: all RUNNING after (ms)" "" "$(sed -n 's/.*all-running=\([0-9.]*\).*/\1/p' <<<"$CONC")"
fi
if [[ -n $DENS ]]; then
    n=$(sed -n 's/.*density n=\([0-9]*\).*/\1/p' <<<"$DENS")
    echo "density N=$n (asked $DENSITY): first10 median $(field density first10) ms, last10 median $(field density last10) ms" \
        "(ratio $(field density ratio)), memory per idle task $(field density mem-per-task) KiB" \
        "(supervisor Pss $(field density supervisor-pss) KiB, container Pss $(field density container-pss) KiB)"
    grep -q STOPPED-EARLY <<<"$DENS" && echo "density stopped early: ${DENS##*STOPPED-EARLY: }"
fi
if [[ -n $BASE_P50 && -n $W_P50 ]]; then
    awk -v a="$BASE_P50" -v b="$W_P50" 'BEGIN { printf "goal cycle p50 >= 5x faster than baseline: %s\n", (a / b >= 5 ? "met" : "NOT met") }'
fi
if [[ -n $L_P50 ]]; then
    awk -v a="$L_P50" -v b="$L_P99" 'BEGIN { printf "goal launch-to-exec p50 < 5 ms, p99 < 20 ms: %s\n", (a < 5 && b < 20 ? "met" : "NOT met") }'
fi
