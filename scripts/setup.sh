#!/usr/bin/env bash
# Installs what Wharf needs on Debian 12 and is missing. Safe to run again.
# Needs root (apt-get). The Swift 6.3 toolchain must already be on PATH (or in /opt/swift).
set -euo pipefail

if [ "$(id -u)" -ne 0 ]; then
  echo "setup: run as root (apt-get, network namespaces and cgroups need it)" >&2
  exit 1
fi

# System packages: libev and OpenSSL for the load balancer, zlib for image layers,
# busybox-static for the built-in busybox image, iproute2/curl/python3 for tests and the demo.
packages=(libev-dev libssl-dev zlib1g-dev busybox-static iproute2 curl python3 ca-certificates)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if ! command -v swift >/dev/null 2>&1; then
  if [ -x /opt/swift/usr/bin/swift ]; then
    export PATH=/opt/swift/usr/bin:$PATH
  else
    echo "setup: the Swift 6.3 toolchain is not on PATH (install it from swift.org, then run this again)" >&2
    exit 1
  fi
fi
