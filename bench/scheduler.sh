#!/usr/bin/env bash
# Scheduler benchmark: placements per second of ECS task placement (Scheduler module) over
# simulated container instances, release build.
#
#   bench/scheduler.sh [--instances N] [--tasks N] [--runs N]
#
# Defaults: 10,000 tasks over 1,000 instances, 5 timed runs (median reported), for binpack(memory),
# binpack(cpu), spread(instanceId), spread(AZ)+binpack(memory), and the same with a memberOf
# constraint; once in RunTask-sized requests of 10 tasks on one cluster state, once as a single
# request of all tasks. Pure computation: needs no root, creates no files outside the build.
# Goal (issue): at least 10,000 placements/s.
set -euo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
INSTANCES=1000
TASKS=10000
RUNS=5
while [[ $# -gt 0 ]]; do
    case $1 in
        --instances) INSTANCES=$2; shift 2 ;;
        --tasks) TASKS=$2; shift 2 ;;
        --runs) RUNS=$2; shift 2 ;;
        *) echo "usage: $0 [--instances N] [--tasks N] [--runs N]" >&2; exit 2 ;;
    esac
done

SWIFT=swift
command -v swift >/dev/null || SWIFT=/opt/swift/usr/bin/swift
SCRATCH="$REPO/.build-bench-sched"
echo "building wharf-bench (release)" >&2
(cd "$REPO" && "$SWIFT" build -c release --scratch-path "$SCRATCH" --product wharf-bench >&2)
BIN=$(cd "$REPO" && "$SWIFT" build -c release --scratch-path "$SCRATCH" --show-bin-path)
BENCH="$BIN/wharf-bench"

RESULTS=$(mktemp -t wharf-bench-sched.XXXXXX)
trap 'rm -f "$RESULTS"' EXIT

for BATCH in 10 "$TASKS"; do
    echo "placing $TASKS tasks on $INSTANCES instances in requests of $BATCH, $RUNS runs" >&2
    timeout 900 "$BENCH" scheduler --instances "$INSTANCES" --tasks "$TASKS" --batch "$BATCH" --runs "$RUNS" | tee -a "$RESULTS"
done

echo
printf '%-40s %22s %22s\n' "scenario ($TASKS tasks, $INSTANCES instances)" "requests of 10 (/s)" "one request (/s)"
slowest=""
while read -r scenario; do
    small=$(grep "^wharf scheduler $scenario batch=10:" "$RESULTS" | sed -n 's/.*median=\([0-9.]*\).*/\1/p')
    large=$(grep "^wharf scheduler $scenario batch=$TASKS:" "$RESULTS" | sed -n 's/.*median=\([0-9.]*\).*/\1/p')
    printf '%-40s %22s %22s\n' "$scenario" "${small:--}" "${large:--}"
    for value in $small $large; do
        if [[ -z $slowest ]] || awk -v a="$value" -v b="$slowest" 'BEGIN { exit !(a < b) }'; then slowest=$value; fi
    done
done < <(sed -n 's/^wharf scheduler \(.*\) batch=10:.*/\1/p' "$RESULTS")
if [[ -n $slowest ]]; then
    awk -v s="$slowest" 'BEGIN { printf "goal >= 10,000 placements/s in every scenario: %s (slowest %.0f/s)\n", (s >= 10000 ? "met" : "NOT met"), s }'
fi
