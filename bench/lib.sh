# Shared by the bench scripts that run Wharf on an isolated configuration (bench/api.sh,
# bench/runtime.sh): `source "$REPO/bench/lib.sh"`. Needs bash.

# Seconds a stopped process gets between SIGTERM and SIGKILL.
BENCH_STOP_GRACE_SECONDS=10
# The command bench_run waits for now (empty when none): the cleanup stops it.
BENCH_CHILD_PID=""

# bench_run COMMAND...: runs COMMAND in the background and waits for it; returns its status.
# Why not in the foreground: bash runs an INT or TERM trap only once the foreground command has
# returned, and `timeout` moves its command into a process group of its own, out of reach of
# the terminal's Ctrl-C, so an interrupt would wait for the whole benchmark. `wait` returns as
# soon as a trapped signal arrives; the cleanup then ends the command with bench_stop_child.
bench_run() {
    "$@" &
    BENCH_CHILD_PID=$!
    local status=0
    wait "$BENCH_CHILD_PID" || status=$?
    BENCH_CHILD_PID=""
    return "$status"
}

# bench_run_tee FILE COMMAND...: bench_run, with COMMAND's standard output appended to FILE and
# then shown (what `COMMAND | tee -a FILE` does; a pipeline would run in the foreground again).
bench_run_tee() {
    local file=$1
    shift
    local before status=0
    before=$(wc -l <"$file")
    bench_run "$@" >>"$file" || status=$?
    tail -n "+$((before + 1))" "$file"
    return "$status"
}

# bench_stop_process PID: SIGTERM, up to BENCH_STOP_GRACE_SECONDS for it to exit, then SIGKILL
# (to its process group too: `timeout` leads one, holding the command it runs).
bench_stop_process() {
    local pid=$1
    # Every step may fail (the process may be gone already); none stops a caller under errexit.
    if kill -0 "$pid" 2>/dev/null; then
        kill -TERM "$pid" 2>/dev/null || true
        local tenths
        for ((tenths = 0; tenths < BENCH_STOP_GRACE_SECONDS * 10; tenths++)); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        if kill -0 "$pid" 2>/dev/null; then
            kill -KILL -- "-$pid" 2>/dev/null || true
            kill -KILL "$pid" 2>/dev/null || true
        fi
    fi
    wait "$pid" 2>/dev/null || true
}

# bench_stop_child: stops the command bench_run waits for, if any (for the cleanup).
bench_stop_child() {
    if [[ -n $BENCH_CHILD_PID ]]; then
        bench_stop_process "$BENCH_CHILD_PID"
        BENCH_CHILD_PID=""
    fi
}

# bench_remove_host_resources BENCH TOKEN CLEANUP_ARGUMENTS...: removes everything a bench run
# with token TOKEN left on the host. `BENCH cleanup CLEANUP_ARGUMENTS...` stops every task and
# removes their veths, cgroups and addresses, the bridge wbenchTOKEN and the cgroup parent
# wharf-bench-TOKEN; the rest is belt and braces, should that
# subcommand itself fail. Goes on past any step that fails.
bench_remove_host_resources() {
    local bench=$1 token=$2
    shift 2
    "$bench" cleanup "$@" >&2 || true
    ip link del "wbench$token" 2>/dev/null || true
    local d
    for d in /sys/fs/cgroup/wharf-bench-"$token" /sys/fs/cgroup/*/wharf-bench-"$token"; do
        [[ -d $d ]] && { find "$d" -depth -type d -exec rmdir {} + 2>/dev/null || true; }
    done
    return 0
}

# bench_settle: waits (at most BENCH_SETTLE_LIMIT seconds, default 30) until the machine has
# been at least 90% idle over one second, so a phase does not pay for the kernel's background
# work left by the one before it (namespaces, cgroups and mounts are torn down by kernel
# workers after their processes exit: a runc or Wharf run leaves seconds of it behind).
bench_settle() {
    local limit=${BENCH_SETTLE_LIMIT:-30} waited=0 a b
    while [[ $waited -lt $limit ]]; do
        read -r -a a </proc/stat
        sleep 1
        read -r -a b </proc/stat
        waited=$((waited + 1))
        local total=0 idle=$(( (b[4] + b[5]) - (a[4] + a[5]) )) i
        for i in 1 2 3 4 5 6 7 8; do total=$((total + b[i] - a[i])); done
        if [[ $total -gt 0 && $((idle * 100 / total)) -ge 90 ]]; then
            return 0
        fi
    done
    echo "bench: the machine was still busy after ${limit}s; measuring anyway" >&2
}
