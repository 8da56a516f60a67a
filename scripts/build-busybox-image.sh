#!/usr/bin/env bash
# Builds Wharf's built-in busybox image as an OCI image layout directory.
#
#   scripts/build-busybox-image.sh OUTDIR [NAME]
#
# OUTDIR receives oci-layout, index.json (annotated with org.opencontainers.image.ref.name
# = NAME, default "busybox:latest") and blobs/sha256/{layer,config,manifest}. The image has
# one gzip layer built from Debian's static busybox. The output is deterministic (sorted
# entries, fixed mtime, owner 0:0, gzip without name/timestamp), so rebuilding on the same
# busybox package gives the same digests. Prints NAME on success.
set -euo pipefail

if [[ $# -lt 1 || $# -gt 2 ]]; then
    echo "usage: $0 OUTDIR [NAME]" >&2
    exit 2
fi
OUTDIR=$1
NAME=${2:-busybox:latest}
BUSYBOX=/usr/bin/busybox

if [[ ! -x $BUSYBOX ]] || ! "$BUSYBOX" --list-full >/dev/null 2>&1; then
    # Debian's busybox-static is statically linked, so the image needs no libc.
    DEBIAN_FRONTEND=noninteractive apt-get install -y busybox-static >&2
fi

mkdir -p "$OUTDIR"
# python3's tarfile gives full control over entry order, owners and mtimes (GNU tar's
# --sort/--mtime would too, but the layout JSON is easier to get byte-stable here).
python3 - "$OUTDIR" "$NAME" "$BUSYBOX" <<'PY'
import gzip, hashlib, io, json, os, subprocess, sys, tarfile

outdir, name, busybox = sys.argv[1], sys.argv[2], sys.argv[3]
MTIME = 0  # fixed, for reproducible digests

entries = {}  # path -> TarInfo (+ data)

def add_dir(path, mode=0o755):
    entries[path] = (tarfile.TarInfo(path), None, tarfile.DIRTYPE, mode, None)

def add_file(path, data, mode=0o644):
    entries[path] = (tarfile.TarInfo(path), data, tarfile.REGTYPE, mode, None)

def add_symlink(path, target):
    entries[path] = (tarfile.TarInfo(path), None, tarfile.SYMTYPE, 0o777, target)

for d in ["bin", "sbin", "usr", "usr/bin", "usr/sbin", "etc", "var", "var/www", "home", "dev", "proc", "sys", "run"]:
    add_dir(d)
add_dir("root", 0o700)
add_dir("tmp", 0o1777)

with open(busybox, "rb") as f:
    add_file("bin/busybox", f.read(), 0o755)

applets = subprocess.run([busybox, "--list-full"], check=True, capture_output=True, text=True).stdout.split()
for applet in applets:
    applet = applet.strip("/")
    if not applet or applet == "bin/busybox":
        continue
    parent = os.path.dirname(applet)
    if parent and parent not in entries:
        add_dir(parent)
    add_symlink(applet, "/bin/busybox")

add_file("etc/passwd", b"root:x:0:0:root:/root:/bin/sh\n"
                       b"www:x:1000:1000:www:/var/www:/bin/sh\n"
                       b"nobody:x:65534:65534:nobody:/nonexistent:/bin/false\n")
add_file("etc/group", b"root:x:0:\nwww:x:1000:\nnogroup:x:65534:\n")
add_file("etc/hostname", b"wharf\n")
add_file("var/www/index.html", b"hello from wharf busybox\n")

tar_bytes = io.BytesIO()
with tarfile.open(fileobj=tar_bytes, mode="w", format=tarfile.PAX_FORMAT) as tar:
    for path in sorted(entries):
        info, data, kind, mode, target = entries[path]
        info.type = kind
        info.mode = mode
        info.uid = info.gid = 0
        info.uname = info.gname = ""
        info.mtime = MTIME
        if kind == tarfile.SYMTYPE:
            info.linkname = target
        if kind == tarfile.REGTYPE:
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
        else:
            tar.addfile(info)
layer_tar = tar_bytes.getvalue()
diff_id = "sha256:" + hashlib.sha256(layer_tar).hexdigest()

gz = io.BytesIO()
# mtime=0 and an empty filename keep the gzip header byte-stable.
with gzip.GzipFile(filename="", mode="wb", fileobj=gz, mtime=0, compresslevel=9) as g:
    g.write(layer_tar)
layer_gz = gz.getvalue()

blobs = os.path.join(outdir, "blobs", "sha256")
os.makedirs(blobs, exist_ok=True)

def write_blob(data):
    digest = hashlib.sha256(data).hexdigest()
    with open(os.path.join(blobs, digest), "wb") as f:
        f.write(data)
    return "sha256:" + digest, len(data)

def canonical(obj):
    return json.dumps(obj, sort_keys=True, separators=(",", ":")).encode()

layer_digest, layer_size = write_blob(layer_gz)
config = {
    "created": "1970-01-01T00:00:00Z",
    "architecture": "amd64",
    "os": "linux",
    "config": {
        "Env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],
        "Cmd": ["sh"],
    },
    "rootfs": {"type": "layers", "diff_ids": [diff_id]},
    "history": [{"created": "1970-01-01T00:00:00Z", "created_by": "scripts/build-busybox-image.sh"}],
}
config_digest, config_size = write_blob(canonical(config))
manifest = {
    "schemaVersion": 2,
    "mediaType": "application/vnd.oci.image.manifest.v1+json",
    "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": config_digest, "size": config_size},
    "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "digest": layer_digest, "size": layer_size}],
}
manifest_digest, manifest_size = write_blob(canonical(manifest))
index = {
    "schemaVersion": 2,
    "mediaType": "application/vnd.oci.image.index.v1+json",
    "manifests": [{
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "digest": manifest_digest,
        "size": manifest_size,
        "annotations": {"org.opencontainers.image.ref.name": name},
        "platform": {"architecture": "amd64", "os": "linux"},
    }],
}
with open(os.path.join(outdir, "index.json"), "wb") as f:
    f.write(canonical(index))
with open(os.path.join(outdir, "oci-layout"), "wb") as f:
    f.write(canonical({"imageLayoutVersion": "1.0.0"}))
PY
echo "$NAME"
