#!/usr/bin/env bash
# Installs the Debian packages the real-component tests run: containerd, the registry, skopeo,
# umoci, shellcheck, and the namespace tools. Run as root (CI runs as root).
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y --no-install-recommends \
  containerd docker-registry skopeo umoci shellcheck iproute2 util-linux ca-certificates
