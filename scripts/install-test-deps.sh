#!/usr/bin/env bash
# Installs the Debian packages the real-component tests run (scripts/test-packages.txt):
# containerd, the registry, skopeo, umoci, shellcheck, the namespace tools, strace (crash points) and
# openssl (a TLS stub), then fetches containerd 1.7 and 2.x for the node matrix (fetch-containerd.sh).
# kubectl comes with the base image (Debian ships only 1.20). Run as root.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
apt-get update
xargs apt-get install -y --no-install-recommends < "$(dirname "$0")/test-packages.txt"
# containerd 1.7 (trixie) and 2.x (sid) for the node matrix, unpacked under .cache/containerd.
bash "$(dirname "$0")/fetch-containerd.sh"
