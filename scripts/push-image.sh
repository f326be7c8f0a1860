#!/usr/bin/env bash
# Pushes an image to the in-cluster registry from a laptop: replaces the seed's
# build-and-push-to-registry.sh.
#
#   npm run push -- <image source> <repository>:<tag>
#
# <image source>: an OCI layout folder (optionally folder:tag), an OCI archive or a docker-archive
# tarball (`docker save`). By default the registry is reached through
#   kubectl port-forward -n kube-system svc/internal-registry 5000:5000
# and the image is pushed to localhost:5000 over plain HTTP (skopeo needs --dest-tls-verify=false
# for that; docker accepts plain HTTP to localhost by default). Nodes then pull it as
# <ClusterIP>:5000/<repository>:<tag>.
#
# Environment: PUSH_REGISTRY (default localhost:5000), PORT_FORWARD=0 to skip the port-forward,
# REGISTRY_NAMESPACE / REGISTRY_SERVICE (default kube-system / internal-registry).
set -euo pipefail

usage() { echo "usage: npm run push -- <oci-layout[:tag] | image.tar> <repository>:<tag>" >&2; exit 2; }
[ $# -eq 2 ] || usage
source_arg=$1 target=$2
registry=${PUSH_REGISTRY:-localhost:5000}
[[ $target =~ ^[a-z0-9]+([._/-][a-z0-9]+)*:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$ ]] || {
  echo "push: '$target' is not <repository>:<tag>, such as easy-kanban:latest" >&2; exit 2; }

layout=${source_arg%:*}
if [ -d "$source_arg" ] || { [ "$layout" != "$source_arg" ] && [ -d "$layout" ]; }; then
  [ -f "${layout}/oci-layout" ] || [ -f "${source_arg}/oci-layout" ] || {
    echo "push: '$source_arg' is a folder but not an OCI layout (no oci-layout file)" >&2; exit 2; }
  source="oci:${source_arg}"
elif [ -f "$source_arg" ]; then
  if tar -tf "$source_arg" 2>/dev/null | grep -qE '^(\./)?oci-layout$'; then source="oci-archive:${source_arg}"; else source="docker-archive:${source_arg}"; fi
else
  echo "push: '$source_arg' is neither an OCI layout nor an image archive" >&2; exit 2
fi

forward_pid=
cleanup() { [ -z "$forward_pid" ] || kill "$forward_pid" 2>/dev/null || true; }
trap cleanup EXIT
if [ "${PORT_FORWARD:-1}" != 0 ]; then
  kubectl port-forward -n "${REGISTRY_NAMESPACE:-kube-system}" "svc/${REGISTRY_SERVICE:-internal-registry}" \
    "${registry##*:}:5000" >/dev/null &
  forward_pid=$!
fi
for _ in $(seq 50); do
  if (exec 3<>"/dev/tcp/${registry%:*}/${registry##*:}") 2>/dev/null; then break; fi
  sleep 0.2
done

skopeo copy --dest-tls-verify=false "$source" "docker://${registry}/${target}"
echo "pushed ${target} to ${registry}; nodes pull it as <registry ClusterIP>:5000/${target}"
