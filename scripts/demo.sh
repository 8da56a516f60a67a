#!/usr/bin/env bash
# The main job: installs what is missing, builds Wharf, builds the busybox image and runs the
# example ECS task definition (configs/web-task.json) as a real container with its own IP.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh

echo "== building wharf (release)"
swift build -c release 2>&1 | tail -n 1
bin=$(swift build -c release --show-bin-path)

data=${WHARF_DATA_DIR:-/var/lib/wharf}
image_dir=$(mktemp -d)
trap 'rm -rf "$image_dir"' EXIT
echo "== building the busybox image from Debian's busybox-static and importing it"
scripts/build-busybox-image.sh "$image_dir/busybox" >/dev/null
"$bin/wharf" image import "$image_dir/busybox" --data-dir "$data"

echo "== running configs/web-task.json"
line=$("$bin/wharf" run-task configs/web-task.json --data-dir "$data")
echo "$line"
task=$(echo "$line" | awk '{print $2}')
ip=$(echo "$line" | awk '{print $4}')

echo "== waiting for the task to be healthy"
for _ in $(seq 1 50); do
  "$bin/wharf" ps --data-dir "$data" | grep -q "${task:0:12}.*healthy" && break
  sleep 0.2
done
"$bin/wharf" ps --data-dir "$data"
echo "== curl http://$ip:8080/"
curl -s --max-time 3 "http://$ip:8080/"

cat <<TXT

The task keeps running under its own supervisor. Try:
  $bin/wharf ps --data-dir $data
  $bin/wharf logs ${task:0:12} --data-dir $data
  curl http://$ip:8080/
  $bin/wharf stop ${task:0:12} --data-dir $data
TXT
