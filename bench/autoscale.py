#!/usr/bin/env python3
"""Autoscaling on request rate, measured end to end (driven by bench/autoscale.sh).

Brings up `wharf serve` (its own data directory, bridge, cgroups and ports), a service of busybox
httpd tasks behind the load balancer and a target-tracking policy on ALBRequestCountPerTarget,
then puts an open-loop load on the LB: N x r requests/s (at target), a step to 4N x r, a steady
phase with +-20% noise per second, and a stop. Reports:
  - time from the step to the first scale-out decision (goal < 5 s),
  - time from the step until responses come from the new task count (goal < 10 s),
  - failed requests during scale-out and scale-in (goal 0),
  - task count changes during the noisy steady phase (goal <= 1),
  - time for scale-in after the load stops, against the configured stabilization window.
The default run takes over 12 minutes: 10 of them are the noisy phase (--noise-seconds). Needs
root. If the run fails, the end of the daemon's log is printed before everything is removed.
"""
import argparse
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

parser = argparse.ArgumentParser(
    description="Autoscaling on request rate, end to end. Needs root; the default run takes over 12 minutes "
                "(10 of them --noise-seconds).")
parser.add_argument("--wharf", required=True)
parser.add_argument("--repo", required=True)
parser.add_argument("--tasks", type=int, default=2, help="N: tasks at the starting load")
parser.add_argument("--per-task", type=float, default=5.0, help="r: requests/s per task at target")
parser.add_argument("--noise-seconds", type=int, default=600, help="length of the noisy steady phase, seconds")
parser.add_argument("--window", type=int, default=60, help="scale-in stabilization window, seconds")
args = parser.parse_args()
if os.geteuid() != 0:
    sys.exit("bench/autoscale.py needs root: its tasks are containers with their own network namespaces and cgroups")

# Seconds `wharf serve` gets to answer the ECS API.
SERVE_START_TIMEOUT = 30
# Lines of the daemon's log shown when the run fails.
LOG_TAIL_LINES = 40


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def aws(*arguments):
    out = subprocess.run(["aws", "--endpoint-url", f"http://127.0.0.1:{api}", "--output", "json"] + list(arguments),
                         env=env, capture_output=True, text=True)
    if out.returncode != 0:
        raise RuntimeError(f"aws {' '.join(arguments)}: {out.stderr}")
    return json.loads(out.stdout) if out.stdout.strip() else {}


def service():
    return aws("ecs", "describe-services", "--cluster", "default", "--services", "web")["services"][0]


def wait_for(probe, timeout, step=0.25):
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = probe()
        if value:
            return value
        time.sleep(step)
    return None


class Load:
    """Open-loop GETs at a rate that can change every second; each request on its own thread."""

    def __init__(self):
        self.rate = 0.0
        self.lock = threading.Lock()
        self.results = []  # (time, ok, body)
        self.stopped = False
        threading.Thread(target=self.run, daemon=True).start()

    def one(self):
        started = time.time()
        ok, body = False, ""
        try:
            with socket.create_connection(("127.0.0.1", lb), timeout=5) as s:
                s.sendall(b"GET / HTTP/1.1\r\nHost: bench\r\nConnection: close\r\n\r\n")
                chunks = []
                while True:
                    chunk = s.recv(4096)
                    if not chunk:
                        break
                    chunks.append(chunk)
            text = b"".join(chunks).decode(errors="replace")
            ok = text.startswith("HTTP/1.1 200")
            body = text.split("\r\n\r\n", 1)[-1].strip()
        except OSError:
            pass
        with self.lock:
            self.results.append((started, ok, body))

    def run(self):
        next_at = time.time()
        while not self.stopped:
            rate = self.rate
            if rate <= 0:
                time.sleep(0.05)
                next_at = time.time()
                continue
            threading.Thread(target=self.one, daemon=True).start()
            next_at += 1.0 / rate
            time.sleep(max(0.0, next_at - time.time()))

    def window(self, start, end):
        with self.lock:
            return [r for r in self.results if start <= r[0] < end]


def serve_log_tail():
    try:
        with open(os.path.join(data, "serve.log"), errors="replace") as f:
            return "".join(f.readlines()[-LOG_TAIL_LINES:])
    except OSError:
        return "(no log)\n"


def serve_config():
    return f"""region: us-east-1
accountId: "123456789012"
autoscaling:
  scaleInStabilizationSeconds: {args.window}
loadBalancer:
  workers: 1
  listeners:
    - name: web
      bindAddress: 127.0.0.1
      port: {lb}
      defaultTargetGroup: web
  targetGroups:
    - name: web
      deregistrationDelaySeconds: 2
      healthCheck: {{intervalSeconds: 2, timeoutSeconds: 1, healthyThresholdCount: 2, unhealthyThresholdCount: 2}}
"""


def api_answers():
    return subprocess.run(["aws", "--endpoint-url", f"http://127.0.0.1:{api}", "ecs", "list-clusters"],
                          env=env, capture_output=True).returncode == 0


token = "%06x" % random.randrange(1 << 24)
data = tempfile.mkdtemp(prefix="wharf-autoscale-")
api, lb, dash = free_port(), free_port(), free_port()
env = dict(os.environ, AWS_SHARED_CREDENTIALS_FILE=os.path.join(data, "credentials"), AWS_PROFILE="wharf",
           AWS_CONFIG_FILE="/dev/null", AWS_DEFAULT_REGION="us-east-1", AWS_MAX_ATTEMPTS="1")
report = {}
serve = None
completed = False
try:
    config = os.path.join(data, "serve.yaml")
    with open(config, "w") as f:
        f.write(serve_config())
    runtime_options = ["--data-dir", data, "--bridge", "wab" + token,
                       "--cgroup-parent", "wharf-bench-" + token, "--veth-prefix", "wa",
                       "--subnet", "10.238.%d.0/24" % random.randrange(1, 250)]

    layout = os.path.join(data, "busybox")
    subprocess.run([os.path.join(args.repo, "scripts/build-busybox-image.sh"), layout], check=True, stdout=subprocess.DEVNULL)
    subprocess.run([args.wharf, "image", "import", layout, "--data-dir", data], check=True, stdout=subprocess.DEVNULL)
    log = open(os.path.join(data, "serve.log"), "w")
    serve = subprocess.Popen([args.wharf, "serve", "--config", config, "--listen", f"127.0.0.1:{api}",
                              "--dashboard", f"127.0.0.1:{dash}"] + runtime_options, stdout=log, stderr=log)
    if not wait_for(lambda: serve.poll() is not None or api_answers(), SERVE_START_TIMEOUT):
        raise RuntimeError(f"wharf serve did not answer on 127.0.0.1:{api} within {SERVE_START_TIMEOUT}s")
    if serve.poll() is not None:
        raise RuntimeError(f"wharf serve exited with status {serve.returncode}")
    tg = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/"
    h = 0xcbf29ce484222325
    for b in b"web":
        h = ((h ^ b) * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
    group_id = "%016x" % h
    td = os.path.join(data, "td.json")
    with open(td, "w") as f:
        json.dump({"family": "web", "networkMode": "awsvpc", "cpu": "256", "memory": "512", "containerDefinitions": [
            {"name": "web", "image": "busybox", "essential": True, "portMappings": [{"containerPort": 8080}],
             "command": ["sh", "-c", "mkdir -p /www && hostname > /www/index.html && exec httpd -f -p 8080 -h /www"]}]}, f)
    aws("ecs", "register-task-definition", "--cli-input-json", "file://" + td)
    n, r = args.tasks, args.per_task
    aws("ecs", "create-service", "--cluster", "default", "--service-name", "web", "--task-definition", "web",
        "--desired-count", str(n), "--load-balancers", f"targetGroupArn={tg}{group_id},containerName=web,containerPort=8080",
        "--network-configuration", "awsvpcConfiguration={subnets=[subnet-bench]}")
    aws("application-autoscaling", "register-scalable-target", "--service-namespace", "ecs", "--resource-id",
        "service/default/web", "--scalable-dimension", "ecs:service:DesiredCount", "--min-capacity", str(n),
        "--max-capacity", str(4 * n + 2))
    policy = os.path.join(data, "policy.json")
    with open(policy, "w") as f:
        json.dump({"TargetValue": 60 * r, "PredefinedMetricSpecification": {
            "PredefinedMetricType": "ALBRequestCountPerTarget",
            "ResourceLabel": f"app/wharf/0000000000000000/targetgroup/web/{group_id}"}}, f)
    aws("application-autoscaling", "put-scaling-policy", "--service-namespace", "ecs", "--resource-id",
        "service/default/web", "--scalable-dimension", "ecs:service:DesiredCount", "--policy-name", "requests",
        "--policy-type", "TargetTrackingScaling", "--target-tracking-scaling-policy-configuration", "file://" + policy)
    if not wait_for(lambda: service()["runningCount"] == n, 120):
        raise RuntimeError("the service did not reach its starting count")

    load = Load()
    load.rate = n * r
    time.sleep(20)  # at target: nothing should move
    step = time.time()
    load.rate = 4 * n * r
    decided = wait_for(lambda: time.time() if service()["desiredCount"] > n else None, 60, step=0.2)
    report["step_to_decision_s"] = round(decided - step, 2) if decided else None
    target = 4 * n

    def serving():
        recent = load.window(time.time() - 2, time.time())
        return time.time() if len({b for _, ok, b in recent if ok}) >= target else None
    answered = wait_for(serving, 60, step=0.2)
    report["step_to_new_tasks_answering_s"] = round(answered - step, 2) if answered else None
    time.sleep(10)
    scale_out = load.window(step, time.time())
    report["scale_out_requests"] = len(scale_out)
    report["scale_out_failed"] = sum(1 for _, ok, _ in scale_out if not ok)

    # Noisy steady load: +-20% each second around 4N x r.
    before = service()["desiredCount"]
    changes, last = 0, before
    noise_start = time.time()
    while time.time() - noise_start < args.noise_seconds:
        load.rate = 4 * n * r * random.uniform(0.8, 1.2)
        time.sleep(1)
        if int(time.time() - noise_start) % 5 == 0:
            now = service()["desiredCount"]
            if now != last:
                changes, last = changes + 1, now
    report["noise_seconds"] = args.noise_seconds
    report["noise_task_count_changes"] = changes

    # Stop: back in after the stabilization window.
    stop = time.time()
    load.rate = n * r / 4
    back = wait_for(lambda: time.time() if service()["desiredCount"] <= n else None, args.window * 3 + 120, step=0.5)
    report["stop_to_scale_in_s"] = round(back - stop, 1) if back else None
    report["stabilization_window_s"] = args.window
    wait_for(lambda: service()["runningCount"] == service()["desiredCount"], 60)
    time.sleep(5)
    scale_in = load.window(stop, time.time())
    report["scale_in_requests"] = len(scale_in)
    report["scale_in_failed"] = sum(1 for _, ok, _ in scale_in if not ok)
    load.stopped = True
    completed = True
finally:
    # Everything the run made goes: the service's tasks, the daemon, the bridge, cgroups, files.
    if serve is not None and serve.poll() is None:
        try:
            aws("ecs", "delete-service", "--cluster", "default", "--service", "web", "--force")
            wait_for(lambda: service()["status"] == "INACTIVE", 120, step=1)
        except Exception as error:  # the report still prints
            print(f"cleanup: {error}", file=sys.stderr)
    if serve is not None:
        serve.terminate()
        serve.wait()
    if not completed:
        print(f"the run failed; the end of wharf serve's log:\n{serve_log_tail()}", file=sys.stderr)
    subprocess.run(["ip", "link", "del", "wab" + token], stderr=subprocess.DEVNULL)
    subprocess.run(["sh", "-c", f"find /sys/fs/cgroup -depth -type d -path '*wharf-bench-{token}/*' -exec rmdir {{}} + 2>/dev/null;"
                    f"find /sys/fs/cgroup -depth -type d -name 'wharf-bench-{token}' -exec rmdir {{}} + 2>/dev/null; true"])
    subprocess.run(["rm", "-rf", data])
    print(json.dumps(report, indent=2))
