#!/usr/bin/env bash
# One node, for real (see node-env.sh): containerd from a scenario's files, the DaemonSet's own
# containers run as rendered (pod.sh, written by the test from the synthesized DaemonSet) twice,
# the readiness probe, cleanup, and pulls through CRI before and after; what it saw goes to $WORK.
# SCENARIO is a config file (copied to /etc/containerd/config.toml) or a folder with etc/ (copied to
# /etc/containerd, links kept) and optionally srv/ (copied to /srv, outside the agent's mounts).
set -euo pipefail
WORK=$1 AGENT_DIR=$2 SCENARIO=$3 IMAGE_LAYOUT=$4
# shellcheck source=test/real/node-env.sh
source "$(dirname "$0")/node-env.sh"
# shellcheck source=/dev/null # written by the test: POD_ENV, POD_COMMAND, READY_COMMAND, READY_USER
source "$WORK/pod.sh"

place_scenario() {
  if [ "$SCENARIO" = none ]; then return; fi
  if [ -d "$SCENARIO" ]; then
    cp -a "$SCENARIO/etc/." /etc/containerd/
    if [ -d "$SCENARIO/srv" ]; then cp -a "$SCENARIO/srv/." /srv/; fi
  else
    cp "$SCENARIO" /etc/containerd/config.toml
  fi
}

# The pod's paths: the ConfigMap at /agent, the status emptyDir at /status (mount points on the
# machine, like /host; empty there, filled only in this mount namespace).
mkdir -p /agent /status
node_env_setup
mount --bind -o ro "$AGENT_DIR" /agent
mount --bind "$WORK/status" /status

# Stands in for systemd on the node: `systemctl restart containerd`, reached through the DaemonSet's
# own `nsenter -t 1 …`; it records which PID 1 it runs under and whether it shares its namespaces.
write_restart_script
mount -t tmpfs tmpfs /usr/local/sbin
cat > /usr/local/sbin/systemctl <<SH
#!/bin/sh
same=yes
for ns in mnt net pid uts ipc; do [ "\$(readlink /proc/self/ns/\$ns)" = "\$(readlink /proc/1/ns/\$ns)" ] || same="no (\$ns)"; done
echo "systemctl \$*: pid 1 is \$(tr '\\0' ' ' < /proc/1/cmdline), namespaces of pid 1: \$same" >> "$WORK/systemctl.log"
[ "\$*" = "restart containerd" ] || { echo "systemctl stand-in: only 'restart containerd'" >&2; exit 1; }
exec sh "$WORK/restart.sh"
SH
chmod 0755 /usr/local/sbin/systemctl

[ -n "${LATE_CONFIG:-}" ] || place_scenario
start_containerd
dump_config > "$WORK/dump-before.toml"
containerd --version > "$WORK/containerd-version"
# Files placed after containerd started (broken, or that this containerd would not load): it runs on what it read before.
[ -z "${LATE_CONFIG:-}" ] || place_scenario
snapshot etc-before /etc/containerd
snapshot srv-before /srv

pulls() {
  echo "{\"ip\": $(pull "$IP:5000/easy-kanban:latest"), \"name\": $(pull "internal-registry.kube-system.svc.cluster.local:5000/easy-kanban:latest"), \"cri\": \"$(cri_status)\"}"
}
pulls > "$WORK/pulls-without-agent.json"
ctr -n k8s.io images rm "$IP:5000/easy-kanban:latest" "internal-registry.kube-system.svc.cluster.local:5000/easy-kanban:latest" >/dev/null 2>&1 || true

# The init container, as rendered: only what this namespace layout forces differs (see pod.sh).
run_pod() {
  local name=$1; shift
  set +e
  env -i "${POD_ENV[@]}" "$@" "${POD_COMMAND[@]}" > "$WORK/agent-$name.out" 2> "$WORK/agent-$name.err"
  echo $? > "$WORK/agent-$name.rc"
  set -e
  cat "$WORK/restarts" > "$WORK/restarts-after-$name"
}
# The ready container's readiness probe, as its user.
probe() {
  set +e
  setpriv --reuid="$READY_USER" --regid="$READY_USER" --clear-groups "${READY_COMMAND[@]}" > "$WORK/ready-$1.out" 2>&1
  echo $? > "$WORK/ready-$1.rc"
  set -e
}

probe before
run_pod first
probe first
snapshot first /etc/containerd
snapshot srv-first /srv
cp -a /etc/containerd "$WORK/etc-first"
containerd config dump > "$WORK/dump-after.toml" 2>/dev/null || true
pulls > "$WORK/pulls-with-agent.json"
rm -f /status/*
run_pod second
probe second
snapshot second /etc/containerd
run_pod cleanup AGENT_MODE=cleanup
snapshot after-cleanup /etc/containerd
snapshot srv-after-cleanup /srv
cri_status > "$WORK/cri-after-cleanup"
kill "$(cat "$WORK/containerd.pid")" 2>/dev/null || true
