#!/usr/bin/env bash
# Installs what Wharf needs on Debian 12 and is missing. Safe to run again.
# Needs root (apt-get). The Swift 6.3 toolchain must already be on root's PATH (sudo resets
# PATH) or in /opt/swift.
set -euo pipefail

if [ "$(id -u)" -ne 0 ]; then
  echo "setup: run as root (apt-get, network namespaces and cgroups need it)" >&2
  exit 1
fi

# Building: SwiftPM needs git and pkg-config (COpenSSL, CZlib and CZstd are found through it);
# libev and OpenSSL for the load balancer, zlib and zstd for gzip and zstd image layers, SQLite
# for the control plane's store.
build_packages=(git pkg-config libev-dev libssl-dev libsqlite3-dev zlib1g-dev libzstd-dev)
# Running tasks and the demo: busybox-static for the built-in busybox image, iproute2, curl and
# python3; wrk puts load on the demo (and bench/autoscale.sh).
run_packages=(busybox-static iproute2 curl python3 ca-certificates wrk)
# Tests only (scripts/demo.sh installs them too, so one setup serves both): openssl and nginx
# for certificates and backends; chromium renders the dashboard in its tests (headless);
# docker-registry (the CNCF distribution registry), skopeo and apache2-utils (htpasswd) for the
# registry tests and bench/pull.sh; the zstd tool makes zstd layers for the image store and
# registry tests; the AWS CLI, botocore and boto3, because the end-to-end tests drive Wharf
# with the real tools users have; nftables (`nft`) reads back the NAT tables Wharf writes over
# netlink.
test_packages=(openssl nginx chromium docker-registry skopeo apache2-utils zstd awscli python3-botocore python3-boto3 nftables)

# Debian's packages of these start a system service on install: nginx on :80, and
# docker-registry as an open registry anyone can push to on :5000 of every interface. Wharf
# only runs them as its own processes, so a service this script has just installed is stopped
# and disabled again.
services=(nginx docker-registry)

installed() {
  case $1 in
    awscli) command -v aws >/dev/null 2>&1 ;;
    python3-botocore) python3 -c "import botocore" >/dev/null 2>&1 ;;
    python3-boto3) python3 -c "import boto3" >/dev/null 2>&1 ;;
    *) dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed" ;;
  esac
}

# Stops and disables the system service UNIT. Under a running systemd through systemctl;
# without one (containers) through its init script, if the package started it that way.
disable_service() {
  local unit=$1
  if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then
    if [ -n "$(systemctl list-unit-files --no-legend "$unit.service" 2>/dev/null)" ]; then
      systemctl disable --now "$unit" >/dev/null 2>&1 || echo "setup: could not disable the $unit service" >&2
    fi
  elif [ -x "/etc/init.d/$unit" ]; then
    service "$unit" stop >/dev/null 2>&1 || true
    # Offline, systemctl disables both the systemd unit and the init script's links.
    if command -v systemctl >/dev/null 2>&1; then
      systemctl disable "$unit" >/dev/null 2>&1 || true
    else
      update-rc.d "$unit" disable >/dev/null 2>&1 || true
    fi
  fi
}

missing=()
for package in "${build_packages[@]}" "${run_packages[@]}" "${test_packages[@]}"; do
  installed "$package" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  for unit in "${services[@]}"; do
    for package in "${missing[@]}"; do
      if [ "$package" = "$unit" ]; then
        echo "setup: stopping and disabling the $unit service the package started"
        disable_service "$unit"
      fi
    done
  done
fi

if ! command -v swift >/dev/null 2>&1; then
  if [ -x /opt/swift/usr/bin/swift ]; then
    export PATH=/opt/swift/usr/bin:$PATH
  else
    echo "setup: the Swift 6.3 toolchain is neither on PATH nor in /opt/swift (under sudo, PATH is reset);" \
      "install it from swift.org, then run this again" >&2
    exit 1
  fi
fi
