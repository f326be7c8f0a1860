#!/usr/bin/env bash
# Sourced by the node harnesses, inside `unshare --net --mount --pid --fork --mount-proc`: one node
# with a real containerd, Debian's docker-registry on the stand-in ClusterIP 192.0.2.10 (TEST-NET-1,
# on a veth pair kept in the namespace), a small image pushed with skopeo, and the shipped agent run
# the way the DaemonSet runs it. It never touches the machine's own /etc/containerd or PID 1: every
# path is bind-mounted over in this private mount namespace.
# Needs: WORK, AGENT_DIR, IMAGE_LAYOUT. Optional: CONTAINERD_BINARIES, a folder whose usr/bin holds
# the containerd, ctr and containerd-shim-runc-v2 of the series under test (scripts/fetch-containerd.sh).
# shellcheck disable=SC2034 # IP and SOCK are for the scripts that source this file
IP=192.0.2.10
SOCK=/run/containerd/containerd.sock
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=test/real/registry-pods.sh
source "$HERE/registry-pods.sh"

# Mounts, network, registry; /etc/containerd is $WORK/etc, also seen by the agent at /host/etc/containerd.
node_env_setup() {
  node_mounts
  node_registry
}

# The node's folders, each a folder of $WORK in this mount namespace.
node_mounts() {
  mount --make-rprivate /
  mkdir -p "$WORK"/{etc,lib,run,reg,status,host,srv} /etc/containerd /var/lib/containerd /run/containerd /host
  # The series under test as the node's own binaries: the agent's `nsenter -t 1 -m -- containerd`
  # runs the same version as the daemon.
  if [ -n "${CONTAINERD_BINARIES:-}" ]; then
    for bin in containerd ctr containerd-shim-runc-v2; do mount --bind "$CONTAINERD_BINARIES/usr/bin/$bin" "/usr/bin/$bin"; done
  fi
  if [ -n "${ETC_TMPFS_SIZE:-}" ]; then mount -t tmpfs -o "size=$ETC_TMPFS_SIZE" tmpfs "$WORK/etc"; fi
  mount --bind "$WORK/etc" /etc/containerd
  mount --bind "$WORK/lib" /var/lib/containerd
  mount --bind "$WORK/run" /run/containerd
  mount --bind "$WORK/host" /host
  mkdir -p /host/etc/containerd
  mount --bind "$WORK/etc" /host/etc/containerd
  # A folder outside the agent's mounts, for configs that link there.
  mount --bind "$WORK/srv" /srv
  ip link set lo up
}

# The stand-in ClusterIP on a veth pair inside the namespace, the registry on it, and the image pushed.
node_registry() {
  ip link add veth-node type veth peer name veth-peer
  ip addr add "$IP/24" dev veth-node
  ip link set veth-node up
  ip link set veth-peer up

  # The registry pod of the same synth (shippedNodeSetup writes it beside the agent), run as rendered
  # (registry-pods.sh) in the node's network: its read-only reader on :5000, where the node pulls
  # 192.0.2.10:5000 from, and its writer on 127.0.0.1:5001, which takes the push.
  local shipped
  shipped=$(dirname "$AGENT_DIR")/registry
  cp -r "$shipped/containers" "$WORK/containers"
  RUN_AS=$(cat "$shipped/uid") DATA_DIR=$WORK/reg
  export RUN_AS
  chown "$RUN_AS:$RUN_AS" "$WORK/reg"
  container_start - registry
  container_start - writer
  skopeo copy --quiet --dest-tls-verify=false "oci:$IMAGE_LAYOUT:latest" docker://127.0.0.1:5001/easy-kanban:latest
}

# Stands in for 'systemctl restart containerd' on the node; counts restarts.
write_restart_script() {
  echo 0 > "$WORK/restarts"
  cat > "$WORK/restart.sh" <<SH
#!/bin/sh
if [ -f "$WORK/containerd.pid" ]; then kill "\$(cat "$WORK/containerd.pid")" 2>/dev/null; while kill -0 "\$(cat "$WORK/containerd.pid")" 2>/dev/null; do sleep 0.05; done; fi
containerd >> "$WORK/containerd.log" 2>&1 &
echo \$! > "$WORK/containerd.pid"
echo \$((\$(cat "$WORK/restarts") + 1)) > "$WORK/restarts"
SH
}

start_containerd() {
  containerd >> "$WORK/containerd.log" 2>&1 &
  echo $! > "$WORK/containerd.pid"
  for _ in $(seq 100); do ctr plugins ls >/dev/null 2>&1 && break; sleep 0.1; done
}

# containerd 1.6 cannot dump without a config file; its defaults are what it runs on then.
dump_config() { containerd config dump 2>/dev/null || containerd config default; }

cri_status() { ctr plugins ls 2>/dev/null | awk '$2=="cri"{print $4}'; }

pull() { node "$HERE/cri-pull.js" "$SOCK" "$1"; }

# The agent with the DaemonSet's command, env and mount paths; its restart is restart.sh.
run_agent() {
  set +e
  AGENT_MODE=${AGENT_MODE:-apply} AGENT_PLAN_DIR="$AGENT_DIR" HOST_ROOT=/host MOUNTED_HOST_PATHS=/etc/containerd \
    STATUS_DIR="$WORK/status" RESTART_COMMAND="${RESTART_COMMAND:-sh $WORK/restart.sh}" CONTAINERD_COMMAND=containerd \
    CTR_COMMAND=ctr TERMINATION_LOG="$WORK/termination-log-$1" HEALTH_TIMEOUT_SECONDS="${HEALTH_TIMEOUT_SECONDS:-10}" \
    node "$AGENT_DIR/agent.js" > "$WORK/agent-$1.out" 2> "$WORK/agent-$1.err"
  echo $? > "$WORK/agent-$1.rc"
  set -e
}

# Every file under a folder with its digest, and every link with its target: equal listings mean
# nothing was written.
snapshot() {
  (cd "$2" && find . -type f -print0 | sort -z | xargs -0 -r sha256sum && find . -type l -printf '%p -> %l\n' | sort) > "$WORK/files-$1.sha"
}
