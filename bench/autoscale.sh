#!/usr/bin/env bash
# Autoscaling on request rate, end to end: a load step from N to 4N x r requests/s through the
# load balancer on a service at its target, a noisy steady phase, then the load stops. Prints
# the figures of issue 5 as JSON (see bench/autoscale.py). Needs root (tasks are containers).
#   bench/autoscale.sh [--tasks N] [--per-task R] [--noise-seconds S] [--window S]
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH=/opt/swift/usr/bin:$PATH
swift build -c release --product wharf 2>&1 | tail -n 1
swift build -c release --product wharf-shim 2>&1 | tail -n 1
bin=$(swift build -c release --show-bin-path)
exec python3 bench/autoscale.py --wharf "$bin/wharf" --repo "$PWD" "$@"
