#!/usr/bin/env bash
# Autoscaling on request rate, end to end: a load step from N to 4N x r requests/s through the
# load balancer on a service at its target, a noisy steady phase, then the load stops. Prints as
# JSON (see bench/autoscale.py): time from the step to the scale-out decision and until the new
# tasks answer, failed requests during scale-out and scale-in, task count changes under noise,
# and the time to scale in against the stabilization window. Needs root (tasks are containers).
#
#   bench/autoscale.sh [--tasks N] [--per-task R] [--noise-seconds S] [--window S]
#
# The default run takes over 12 minutes, 10 of them the noisy phase (--noise-seconds 600).
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ $(id -u) -ne 0 ]]; then
    echo "bench/autoscale.sh needs root (its tasks are containers with their own namespaces and cgroups)" >&2
    exit 1
fi
export PATH=/opt/swift/usr/bin:$PATH

build_log=$(mktemp -t wharf-autoscale-build.XXXXXX)
trap 'rm -f "$build_log"' EXIT
# The build's output is shown in full only when it fails (compile errors).
for product in wharf wharf-shim; do
    if ! swift build -c release --product "$product" >"$build_log" 2>&1; then
        cat "$build_log" >&2
        echo "bench/autoscale.sh: building $product failed" >&2
        exit 1
    fi
done
bin=$(swift build -c release --show-bin-path)
status=0
python3 bench/autoscale.py --wharf "$bin/wharf" --repo "$PWD" "$@" || status=$?
exit "$status"
