#!/usr/bin/env bash
# Pushes an image to the in-cluster registry from a laptop: replaces the seed's
# build-and-push-to-registry.sh.
#
#   npm run push -- <image source> <repository>:<tag>
#
# <image source>: an OCI layout folder (optionally folder:tag), an OCI archive or a docker-archive
# tarball (`docker save`). The registry's writer listens on 127.0.0.1 inside its pod only; this
# script reaches it with
#   kubectl port-forward [--context <context>] --address 127.0.0.1 -n <namespace> deployment/<writer> :<writer port>
# (context, namespace, workload and port from the config, as synth reads it; kubectl picks a free local
# port) and pushes there over plain HTTP. Nodes then pull it as <ClusterIP>:<port>/<repository>:<tag>.
# When the port-forward cannot start, kubectl's own message is printed and nothing is pushed.
#
# Environment: PORT_FORWARD=0 with PUSH_REGISTRY=<host:port> pushes to a registry you already
# reach instead (plain HTTP only to a loopback host; any other host is verified over TLS).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)

usage() { echo "usage: npm run push -- <oci-layout[:tag] | image.tar> <repository>:<tag>" >&2; exit 2; }
[ $# -eq 2 ] || usage
source_arg=$1 target=$2
[[ $target =~ ^[a-z0-9]+([._/-][a-z0-9]+)*:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$ ]] || {
  echo "push: '$target' is not <repository>:<tag>, such as easy-kanban:latest" >&2; exit 2; }

layout=${source_arg%:*}
if [ -d "$source_arg" ] || { [ "$layout" != "$source_arg" ] && [ -d "$layout" ]; }; then
  [ -f "${layout}/oci-layout" ] || [ -f "${source_arg}/oci-layout" ] || {
    echo "push: '$source_arg' is a folder but not an OCI layout (no oci-layout file)" >&2; exit 2; }
  source="oci:${source_arg}"
elif [ -f "$source_arg" ]; then
  # Not `tar -tf | grep -q` under pipefail: grep quits at the first match, tar then dies of
  # SIGPIPE, and the archive was taken for a docker-archive (the intermittent push failure, issue 13).
  listing=$(tar -tf "$source_arg" 2>/dev/null || true)
  if grep -qxE '(\./)?oci-layout' <<< "$listing"; then source="oci-archive:${source_arg}"; else source="docker-archive:${source_arg}"; fi
else
  echo "push: '$source_arg' is neither an OCI layout nor an image archive" >&2; exit 2
fi

forward_pid='' errors=''
cleanup() {
  [ -z "$forward_pid" ] || kill "$forward_pid" 2>/dev/null || true
  [ -z "$errors" ] || rm -f "$errors"
}
trap cleanup EXIT
if [ "${PORT_FORWARD:-1}" != 0 ]; then
  read -r namespace workload remote_port context < <(node "$ROOT/build/push-target.js" || echo)
  [ -n "${remote_port:-}" ] || exit 2 # push-target.js said why
  kube_context=()
  [ -z "${context:-}" ] || kube_context=(--context "$context")
  errors=$(mktemp)
  coproc FORWARD { exec kubectl port-forward "${kube_context[@]}" --address 127.0.0.1 -n "$namespace" "$workload" ":$remote_port" 2> "$errors"; }
  # shellcheck disable=SC2153 # FORWARD_PID is set by coproc
  forward_pid=$FORWARD_PID
  local_port=
  # kubectl says where it listens once it does, or exits with its own message.
  while IFS= read -r -t 60 line <&"${FORWARD[0]}"; do
    if [[ $line =~ ^Forwarding\ from\ 127\.0\.0\.1:([0-9]+)\ -\> ]]; then local_port=${BASH_REMATCH[1]}; break; fi
  done
  if [ -z "$local_port" ]; then
    kill "$forward_pid" 2>/dev/null || true
    wait "$forward_pid" 2>/dev/null || true
    cat "$errors" >&2
    echo "push: kubectl port-forward ${kube_context[*]+${kube_context[*]} }-n $namespace $workload :$remote_port did not start; nothing was pushed" >&2
    exit 1
  fi
  cat <&"${FORWARD[0]}" > /dev/null & # kubectl logs each connection; keep its pipe drained
  registry=127.0.0.1:$local_port
else
  registry=${PUSH_REGISTRY:?push: with PORT_FORWARD=0, set PUSH_REGISTRY to <host:port>}
fi

# Plain HTTP only where it cannot leave the machine.
host=${registry%:*}
tls=()
case $host in
  localhost | 127.* | '[::1]') tls=(--dest-tls-verify=false) ;;
esac
skopeo copy "${tls[@]}" "$source" "docker://${registry}/${target}"
echo "pushed ${target} to ${registry}; nodes pull it as <registry ClusterIP>:<registry.port>/${target}"
