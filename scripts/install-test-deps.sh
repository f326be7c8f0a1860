#!/usr/bin/env bash
# Installs the Debian packages the real-component tests run (scripts/test-packages.txt):
# containerd, the registry, skopeo, umoci, shellcheck and the namespace tools. Run as root.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
apt-get update
xargs apt-get install -y --no-install-recommends < "$(dirname "$0")/test-packages.txt"
