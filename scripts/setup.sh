#!/usr/bin/env bash
# Installs what Wharf needs on Debian 12 and is missing. Safe to run again.
# Needs root (apt-get). The Swift 6.3 toolchain must already be on PATH (or in /opt/swift).
set -euo pipefail

if [ "$(id -u)" -ne 0 ]; then
  echo "setup: run as root (apt-get, network namespaces and cgroups need it)" >&2
  exit 1
fi

# System packages: libev and OpenSSL for the load balancer, zlib for image layers, SQLite for
# the control plane's store, busybox-static for the built-in busybox image; iproute2, curl,
# python3, openssl and nginx for tests (backends, certificates) and the demo; chromium renders
# the dashboard in its tests (headless); docker-registry (the CNCF distribution registry),
# skopeo and apache2-utils (htpasswd) for the registry tests and bench/pull.sh; wrk puts load
# on the demo and bench/autoscale.sh.
packages=(libev-dev libssl-dev libsqlite3-dev zlib1g-dev busybox-static iproute2 curl python3 ca-certificates openssl nginx
          chromium docker-registry skopeo apache2-utils wrk)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# The AWS CLI and botocore: the end-to-end tests drive Wharf with the real tools users have.
if ! command -v aws >/dev/null 2>&1; then
  echo "setup: installing awscli"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq awscli >/dev/null
fi
if ! python3 -c "import botocore" >/dev/null 2>&1; then
  echo "setup: installing python3-botocore"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-botocore >/dev/null
fi
if ! python3 -c "import boto3" >/dev/null 2>&1; then
  echo "setup: installing python3-boto3"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-boto3 >/dev/null
fi

if ! command -v swift >/dev/null 2>&1; then
  if [ -x /opt/swift/usr/bin/swift ]; then
    export PATH=/opt/swift/usr/bin:$PATH
  else
    echo "setup: the Swift 6.3 toolchain is not on PATH (install it from swift.org, then run this again)" >&2
    exit 1
  fi
fi
