#!/usr/bin/env bash
# Pull benchmark: Wharf's registry client against skopeo, same local registry.
#
#   bench/pull.sh [RUNS]        (default 5; needs root, docker-registry, skopeo, python3)
#
# Starts Debian's docker-registry on 127.0.0.1 (plain HTTP, its own port and storage),
# pushes a multi-layer image of about 60 MB (5 gzip layers of incompressible data plus
# small files) with skopeo, then alternates:
#   wharf image pull REF            into an empty image store (download, verify, gunzip, unpack)
#   skopeo copy docker://REF dir:D  into an empty directory (download, verify)
# and prints both medians, then the median of a second `wharf image pull` of the same image
# (the manifest is fetched, everything else is already stored).
#
# WHARF=path/to/wharf overrides the binary (default: the release build, built if missing).
set -euo pipefail

RUNS=${1:-5}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
export PATH=/opt/swift/usr/bin:$PATH
if [[ -z ${WHARF:-} ]]; then
    BIN=$(cd "$ROOT" && swift build -c release --show-bin-path)
    WHARF=$BIN/wharf
    [[ -x $WHARF ]] || (cd "$ROOT" && swift build -c release --product wharf >&2)
fi
for tool in docker-registry skopeo python3 curl setpriv; do
    command -v "$tool" >/dev/null || { echo "pull.sh: $tool is missing (scripts/setup.sh installs it)" >&2; exit 1; }
done

WORK=$(mktemp -d /tmp/wharf-pull-bench.XXXXXX)
REGISTRY_PID=
cleanup() {
    if [[ -n $REGISTRY_PID ]]; then kill -KILL "$REGISTRY_PID" 2>/dev/null || true; wait "$REGISTRY_PID" 2>/dev/null || true; fi
    rm -rf "$WORK"
}
trap cleanup EXIT

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
HOST=127.0.0.1:$PORT
cat > "$WORK/config.yml" <<EOF
version: 0.1
log:
  level: error
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: $WORK/registry
http:
  addr: $HOST
EOF
setpriv --pdeathsig KILL docker-registry serve "$WORK/config.yml" >"$WORK/registry.log" 2>&1 &
REGISTRY_PID=$!
registry_up=0
for _ in $(seq 100); do
    if curl -sf -o /dev/null "http://$HOST/v2/"; then registry_up=1; break; fi
    kill -0 "$REGISTRY_PID" 2>/dev/null || break
    sleep 0.1
done
if [[ $registry_up -ne 1 ]]; then
    if kill -0 "$REGISTRY_PID" 2>/dev/null; then
        echo "bench/pull.sh: docker-registry did not answer on http://$HOST/v2/ within 10 s; its log:" >&2
    else
        echo "bench/pull.sh: docker-registry exited before answering on http://$HOST/v2/; its log:" >&2
    fi
    cat "$WORK/registry.log" >&2
    exit 1
fi

# The image: an OCI layout with 5 gzip layers (12 MB of random bytes and a few small files each).
python3 - "$WORK/layout" <<'PY'
import gzip, hashlib, io, json, os, sys, tarfile
out = sys.argv[1]
os.makedirs(out + "/blobs/sha256", exist_ok=True)
def blob(data):
    digest = hashlib.sha256(data).hexdigest()
    with open(f"{out}/blobs/sha256/{digest}", "wb") as f:
        f.write(data)
    return "sha256:" + digest, len(data)
layers, diff_ids = [], []
for index in range(5):
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for name, data in [(f"layer{index}/data.bin", os.urandom(12 * 1024 * 1024))] + \
                          [(f"layer{index}/etc/file{n}.txt", (f"layer {index} file {n}\n" * 200).encode()) for n in range(50)]:
            info = tarfile.TarInfo(name)
            info.size, info.mtime, info.mode = len(data), 0, 0o644
            tar.addfile(info, io.BytesIO(data))
    tar_bytes = raw.getvalue()
    diff_ids.append("sha256:" + hashlib.sha256(tar_bytes).hexdigest())
    digest, size = blob(gzip.compress(tar_bytes, compresslevel=1, mtime=0))
    layers.append({"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "digest": digest, "size": size})
config = json.dumps({"architecture": "amd64", "os": "linux", "config": {"Cmd": ["sh"]},
                     "rootfs": {"type": "layers", "diff_ids": diff_ids}}, sort_keys=True).encode()
config_digest, config_size = blob(config)
manifest = json.dumps({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
                       "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": config_digest, "size": config_size},
                       "layers": layers}, sort_keys=True).encode()
manifest_digest, manifest_size = blob(manifest)
with open(out + "/index.json", "w") as f:
    json.dump({"schemaVersion": 2, "manifests": [{"mediaType": "application/vnd.oci.image.manifest.v1+json",
                                                  "digest": manifest_digest, "size": manifest_size}]}, f)
with open(out + "/oci-layout", "w") as f:
    json.dump({"imageLayoutVersion": "1.0.0"}, f)
PY
skopeo copy --quiet --preserve-digests --dest-tls-verify=false "oci:$WORK/layout" "docker://$HOST/bench/big:1"
REF=$HOST/bench/big:1
SIZE=$(du -sb "$WORK/registry" | cut -f1)

now() { date +%s%N; }
median() { sort -n | awk '{a[NR]=$1} END {m = (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2; printf "%.1f", m / 1e6}'; }

# Wharf's log lines go to a file, shown if a pull fails.
wharf_pull() {
    "$WHARF" image pull --data-dir "$WORK/store" --insecure-registry "$HOST" "$REF" >/dev/null 2>>"$WORK/wharf.log" \
        || { cat "$WORK/wharf.log" >&2; exit 1; }
}

wharf_times=() skopeo_times=() second_times=()
for run in $(seq "$RUNS"); do
    rm -rf "$WORK/store" "$WORK/skopeo-dir"
    start=$(now)
    wharf_pull
    wharf_times+=($(( $(now) - start )))

    start=$(now)
    skopeo copy --quiet --src-tls-verify=false "docker://$REF" "dir:$WORK/skopeo-dir"
    skopeo_times+=($(( $(now) - start )))

    start=$(now)
    wharf_pull
    second_times+=($(( $(now) - start )))
done

echo "image: $REF, 5 layers, registry storage $(( SIZE / 1024 / 1024 )) MiB, $RUNS runs alternating"
printf '%-44s %10s\n' "" "median ms"
printf '%-44s %10s\n' "wharf image pull (empty store, + unpack)" "$(printf '%s\n' "${wharf_times[@]}" | median)"
printf '%-44s %10s\n' "skopeo copy docker:// -> dir:" "$(printf '%s\n' "${skopeo_times[@]}" | median)"
printf '%-44s %10s\n' "wharf image pull again (image stored)" "$(printf '%s\n' "${second_times[@]}" | median)"
