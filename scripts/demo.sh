#!/usr/bin/env bash
# The main job: installs what is missing, builds Wharf, and brings up the demo from configs/:
# `wharf serve` (the ECS and Application Auto Scaling APIs, the load balancer on :8080 and the
# dashboard), a service of busybox httpd tasks behind the load balancer, and target tracking
# on its request rate. Prints the URLs and the `aws` lines to inspect it, then keeps the daemon
# in the foreground until Ctrl-C (the tasks keep running; the next start re-adopts them).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh

# Seconds `wharf serve` gets to answer the ECS API before the demo gives up.
api_start_timeout=20

work=$(mktemp -d)
serve=
stop_daemon() {
  if [ -n "$serve" ]; then kill -TERM "$serve" 2>/dev/null || true; wait "$serve" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap stop_daemon EXIT

echo "== building wharf and wharf-shim (release)"
# The build's output is kept and shown only when it fails: all of it, so compile errors show.
if ! swift build -c release >"$work/build.log" 2>&1; then
  cat "$work/build.log" >&2
  echo "demo: the release build failed" >&2
  exit 1
fi
tail -n 1 "$work/build.log"
bin=$(swift build -c release --show-bin-path)

data=${WHARF_DATA_DIR:-/var/lib/wharf}
api=127.0.0.1:7080
dashboard=127.0.0.1:7081
mkdir -p "$data"

echo "== building the busybox image from Debian's busybox-static and importing it"
scripts/build-busybox-image.sh "$work/busybox" >/dev/null
"$bin/wharf" image import "$work/busybox" --data-dir "$data" >/dev/null

echo "== starting wharf serve (log: $data/serve.log)"
"$bin/wharf" serve --data-dir "$data" --config configs/serve.yaml >"$data/serve.log" 2>&1 &
serve=$!
trap 'echo; echo "== stopping wharf serve (the web tasks keep running; see above to remove them)"; exit 0' INT TERM

export AWS_SHARED_CREDENTIALS_FILE="$data/credentials" AWS_PROFILE=wharf AWS_DEFAULT_REGION=us-east-1
aws_() { aws --endpoint-url "http://$api" "$@"; }
api_deadline=$((SECONDS + api_start_timeout))
until aws_ ecs list-clusters >/dev/null 2>&1; do
  if ! kill -0 "$serve" 2>/dev/null; then
    echo "demo: wharf serve exited; its log ($data/serve.log):" >&2
    tail -n 40 "$data/serve.log" >&2
    exit 1
  fi
  if [ "$SECONDS" -ge "$api_deadline" ]; then
    echo "demo: the ECS API did not answer on http://$api within ${api_start_timeout}s; the end of $data/serve.log:" >&2
    tail -n 40 "$data/serve.log" >&2
    exit 1
  fi
  sleep 0.2
done

echo "== registering configs/web-task.json and the service configs/web-service.json"
aws_ ecs register-task-definition --cli-input-json file://configs/web-task.json \
  --query 'taskDefinition.taskDefinitionArn' --output text
status=$(aws_ ecs describe-services --cluster default --services web --query 'services[0].status' --output text)
if [ "$status" = "ACTIVE" ]; then
  aws_ ecs update-service --cluster default --service web --task-definition web --query 'service.serviceArn' --output text
else
  aws_ ecs create-service --cli-input-json file://configs/web-service.json --query 'service.serviceArn' --output text
fi

echo "== target tracking: 600 requests per task per minute (10/s), 1 to 8 tasks (configs/web-scaling-policy.json)"
aws_ application-autoscaling register-scalable-target --service-namespace ecs --resource-id service/default/web \
  --scalable-dimension ecs:service:DesiredCount --min-capacity 1 --max-capacity 8
aws_ application-autoscaling put-scaling-policy --cli-input-json file://configs/web-scaling-policy.json \
  --query 'PolicyARN' --output text

echo "== waiting for the service to be stable"
for _ in $(seq 1 120); do
  stable=$(aws_ ecs describe-services --cluster default --services web \
    --query 'length(services[?length(deployments) == `1` && runningCount == desiredCount])' --output text)
  [ "$stable" = "1" ] && break
  sleep 1
done
aws_ ecs wait services-stable --cluster default --services web
for _ in 1 2 3 4; do curl -s --max-time 3 http://127.0.0.1:8080/; done

cat <<TXT

Wharf is up.
  Load balancer:  http://127.0.0.1:8080/        (the web service's tasks, round robin)
  Dashboard:      http://$dashboard/            (JSON at /api/dashboard.json, Prometheus at /metrics)
  ECS API:        http://$api                   (log: $data/serve.log)

Inspect it with the AWS CLI, as root (the credentials file is readable by root only):
  export AWS_SHARED_CREDENTIALS_FILE=$data/credentials AWS_PROFILE=wharf AWS_DEFAULT_REGION=us-east-1
  aws --endpoint-url http://$api ecs describe-services --cluster default --services web
  aws --endpoint-url http://$api ecs list-tasks --cluster default --service-name web
  aws --endpoint-url http://$api application-autoscaling describe-scaling-activities --service-namespace ecs

Put load on it and watch it scale out on the dashboard, then back in a minute after the load stops:
  wrk -t 2 -c 8 -d 60s http://127.0.0.1:8080/

Ctrl-C stops only the daemon: the web tasks keep running, and the next start re-adopts them.
To remove them, delete the service first, while the daemon runs (as root, with the export above):
  aws --endpoint-url http://$api ecs delete-service --cluster default --service web --force
or, with the daemon stopped, list them with \`sudo $bin/wharf ps --data-dir $data\` and stop each
one with \`sudo $bin/wharf stop TASK --data-dir $data\` (the service stays recorded, so the next
start runs its tasks again).
TXT
wait "$serve"
