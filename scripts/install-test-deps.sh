#!/usr/bin/env bash
# Installs the Debian packages the real-component tests run (scripts/test-packages.txt):
# containerd, the registry, skopeo, umoci, shellcheck, the namespace tools, strace (crash points) and
# openssl (a TLS stub). kubectl comes with the base image (Debian ships only 1.20). Run as root.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
apt-get update
xargs apt-get install -y --no-install-recommends < "$(dirname "$0")/test-packages.txt"
