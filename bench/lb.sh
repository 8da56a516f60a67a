#!/usr/bin/env bash
# Load-balancer benchmark: Wharf's LB beside HAProxy 2.6 and nginx 1.22, in the same run.
#
#   bench/lb.sh [-d SECONDS] [-c CONNECTIONS] [-r ROUNDS] [--tls] [--workers N]
#               [--idle COUNT]
#
# Calls ../shared/bench/lb-peers.sh, which runs wrk against HAProxy (:8001), nginx (:8002) and
# Wharf (:8003), one worker thread each, round-robin to two nginx backends on :9001/:9002,
# alternating rounds, and prints medians and per-round ratios. Wharf runs as
# `wharf lb --config` on a generated configuration equivalent to the peers' (see configs/lb.yaml),
# in a session of its own as the daemonized peers are.
#
# --workers N (default 1): worker threads for Wharf (the peers keep one; use 2 for the scaling
#   figure, compared with a 1-worker run of the same script).
# --idle COUNT: instead of wrk, hold COUNT idle keep-alive connections open against HAProxy and
#   Wharf and report resident memory per connection for both.
# Everything stays on 127.0.0.1 and stops by itself. Missing tools (haproxy, nginx, wrk,
# openssl) are installed with apt-get when run as root; HAProxy is needed only here.
# ../shared/bench/lb-peers.sh belongs to the workplace's shared bench scripts beside this
# repository, not to it; --idle does without it.
set -euo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
PEERS="$REPO/../shared/bench/lb-peers.sh"
WORKERS=1
IDLE=0
ARGS=()
while [[ $# -gt 0 ]]; do
    case $1 in
        --workers) WORKERS=$2; shift 2 ;;
        --idle) IDLE=$2; shift 2 ;;
        -d|-c|-r) ARGS+=("$1" "$2"); shift 2 ;;
        --tls) ARGS+=("$1"); shift ;;
        *) echo "usage: $0 [-d S] [-c C] [-r R] [--tls] [--workers N] [--idle COUNT]" >&2; exit 2 ;;
    esac
done

export PATH=/opt/swift/usr/bin:$PATH
missing=()
for tool in haproxy nginx wrk openssl; do
    command -v "$tool" >/dev/null || missing+=("$tool")
done
if [[ ${#missing[@]} -gt 0 ]]; then
    if [[ $(id -u) -ne 0 ]]; then
        echo "bench/lb.sh: ${missing[*]} missing (run as root to install them, or apt-get install -y ${missing[*]})" >&2
        exit 1
    fi
    echo "installing ${missing[*]}" >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}" >&2 \
        || { apt-get update >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}" >&2; }
fi
if [[ $IDLE -eq 0 && ! -x $PEERS ]]; then
    echo "bench/lb.sh: $PEERS is missing: it is one of the workplace's shared bench scripts, outside this repository" >&2
    exit 1
fi
echo "building wharf (release) ..." >&2
swift build -c release --product wharf --scratch-path "$REPO/.build-bench" >&2
WHARF="$REPO/.build-bench/release/wharf"

WORK=$(mktemp -d -t wharf-lb-bench.XXXX)
trap 'rm -rf "$WORK"' EXIT

# The LB's configuration: TLS material comes from lb-peers.sh's environment ($LB_CERT/$LB_KEY),
# so the configuration is written by a small wrapper at start-up.
cat >"$WORK/run-wharf.sh" <<SH
#!/usr/bin/env bash
set -e
PROTO=HTTP; CERTS=""
if [ "\${LB_TLS:-0}" = 1 ]; then
  PROTO=HTTPS
  CERTS="    certificates:
      - certificate: \$LB_CERT
        privateKey: \$LB_KEY"
fi
cat >"$WORK/lb.yaml" <<YAML
workers: $WORKERS
listeners:
  - name: bench
    bindAddress: 127.0.0.1
    port: 8003
    protocol: \$PROTO
\$CERTS
    defaultTargetGroup: backends
targetGroups:
  - name: backends
    healthCheck:
      intervalSeconds: 5
      timeoutSeconds: 2
      healthyThresholdCount: 2
    targets:
      - address: 127.0.0.1
        port: 9001
      - address: 127.0.0.1
        port: 9002
YAML
# Its own session, as HAProxy and nginx are in (both daemonize, which calls setsid): with the
# kernel's autogroup scheduling (sched_autogroup_enabled=1 on Debian), a process left in this
# script's session shares one scheduling group, and so one share of the CPU, with wrk.
# setsid execs in place here (this script is not a process-group leader), so the PID
# lb-peers.sh stops is the LB's own.
exec setsid "$WHARF" lb --config "$WORK/lb.yaml"
SH
chmod +x "$WORK/run-wharf.sh"

if [[ $IDLE -gt 0 ]]; then
    # Not exec: the EXIT trap must still remove $WORK.
    status=0
    python3 "$REPO/bench/lb-idle.py" "$IDLE" "$WORK/run-wharf.sh" || status=$?
    exit "$status"
fi
LB_TLS=0
for a in "${ARGS[@]}"; do [[ $a == --tls ]] && LB_TLS=1; done
export LB_TLS
"$PEERS" "${ARGS[@]}" -- "$WORK/run-wharf.sh"
