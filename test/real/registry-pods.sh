#!/usr/bin/env bash
# Registry pods for real: Debian's docker-registry run the way the rendered containers run it.
# Sourced by a scenario that runs in its own mount, network and PID namespaces. Each pod is a
# network namespace (`ip netns`) joined to the scenario's namespace by a veth pair with TEST-NET-1
# addresses; each container gets its own mount namespace with its config (the ConfigMap key at
# /etc/docker/registry/config.yml), its volumes (the data volume read-only where the manifest says
# so, an emptyDir /tmp) and runs as the pod's UID with exactly the container's environment
# (`env -i`, Secret references resolved by the test) on a read-only root.
#
# $WORK/containers/<container>/{config.yml,env,data-mode} come from the synthesized manifests.
# shellcheck shell=bash

pod_count=0
# pod_add <name>: a pod network namespace; prints nothing, sets POD_IP_<name>
pod_add() {
  local name=$1 n=$((++pod_count))
  ip netns add "$name"
  ip link add "h$n" type veth peer name eth0 netns "$name"
  ip addr add "192.0.2.$((4 * n + 1))/30" dev "h$n"
  ip link set "h$n" up
  ip -n "$name" link set lo up
  ip -n "$name" addr add "192.0.2.$((4 * n + 2))/30" dev eth0
  ip -n "$name" link set eth0 up
  ip -n "$name" route add default via "192.0.2.$((4 * n + 1))"
  printf -v "POD_IP_$name" '%s' "192.0.2.$((4 * n + 2))"
}

pod_ip() { local v="POD_IP_$1"; echo "${!v}"; }

# netns_of <pod>: the command prefix that enters the pod's network namespace; pod `-` is the
# caller's own (hostNetwork). A prefix, not a function: a background job must be the registry's own
# process (exec all the way down), so that killing its PID stops the registry.
netns_of() {
  NETNS=()
  [ "$1" = - ] || NETNS=(ip netns exec "$1")
}

# The inside of one container: its mounts, then the registry as the pod's UID with only its env.
# shellcheck disable=SC2016 # expanded by the inner bash
CONTAINER_INIT='
  set -e
  dir=$1 data=$2
  env=$(cat "$dir/env") args=$(cat "$dir/args") mode=$(cat "$dir/data-mode")  # before /tmp is replaced
  mounts=$(cat "$dir/mounts")
  # The image'"'"'s /etc/docker/registry holds only what the pod mounts there (a private tmpfs here).
  mount -t tmpfs -o size=1m tmpfs /etc/docker/registry
  touch /etc/docker/registry/config.yml
  mount --bind "$dir/config.yml" /etc/docker/registry/config.yml
  while read -r source target; do
    [ -n "$source" ] || continue
    case $target in /etc/docker/registry/*) ;; *) echo "secret volume at $target: not under /etc/docker/registry" >&2; exit 1 ;; esac
    mkdir -p "$target" && mount --bind "$source" "$target"
  done <<< "$mounts"
  if [ -n "$data" ]; then
    mount --bind "$data" /var/lib/registry
    if [ "$mode" = ro ]; then mount -o remount,ro,bind /var/lib/registry; fi
  fi
  mount -t tmpfs -o size=64m tmpfs /tmp
  mount -o remount,ro,bind /   # readOnlyRootFilesystem
  # One variable per word, from the container env; docker-registry is Debian'"'"'s /bin/registry.
  # shellcheck disable=SC2086
  exec setpriv --reuid="$RUN_AS" --regid="$RUN_AS" --clear-groups env -i $env docker-registry $args'

# container_start <pod> <container> [<instance>]: starts it, waits until it listens on its address
container_start() {
  local pod=$1 container=$2 instance=${3:-$2} dir="$WORK/containers/$2"
  local addr
  addr=$(sed -n 's/^  addr: //p' "$dir/config.yml")
  mkdir -p "$WORK/run/$pod-$instance"
  netns_of "$pod"
  "${NETNS[@]}" unshare --mount --propagation private bash -c "$CONTAINER_INIT" \
    _ "$dir" "${DATA_DIR:-}" >> "$WORK/run/$pod-$instance/log" 2>&1 &
  echo $! > "$WORK/run/$pod-$instance/pid"
  local port=${addr##*:} host=${addr%:*}
  [ -n "$host" ] || host=127.0.0.1
  for _ in $(seq 100); do
    "${NETNS[@]}" bash -c "(exec 3<>/dev/tcp/$host/$port)" 2>/dev/null && return
    kill -0 "$(cat "$WORK/run/$pod-$instance/pid")" 2>/dev/null || break
    sleep 0.1
  done
  echo "$container in $pod did not listen on $addr:" >&2
  cat "$WORK/run/$pod-$instance/log" >&2
  return 1
}

container_stop() { # <pod> <instance>
  local pid
  pid=$(cat "$WORK/run/$1-$2/pid")
  if ! kill "$pid"; then
    echo "$2 in $1 had already ended:" >&2
    cat "$WORK/run/$1-$2/log" >&2
    return 1
  fi
  while kill -0 "$pid" 2>/dev/null; do sleep 0.05; done
}

# container_run_once <pod> <container>: a container that ends (the garbage-collect init container)
container_run_once() {
  netns_of "$1"
  "${NETNS[@]}" unshare --mount --propagation private bash -c "$CONTAINER_INIT" \
    _ "$WORK/containers/$2" "${DATA_DIR:-}"
}

# http_status <curl args…>: the status code, or 000 when no connection could be made
http_status() { curl -s -o /dev/null -w '%{http_code}' --max-time 10 "$@" || true; }
