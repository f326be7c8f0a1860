#!/usr/bin/env bash
# One node, for real: runs inside `unshare --net --mount --pid --fork --mount-proc` (see
# node-setup.test.ts). Starts Debian's docker-registry on the stand-in ClusterIP 192.0.2.10, pushes
# a small image, starts containerd from a scenario's config, runs the shipped node agent the way the
# DaemonSet does (twice), pulls through CRI, and writes what it saw to $WORK/result.json.
# It never touches the machine's own /etc/containerd or PID 1: every path is bind-mounted over in
# this private mount namespace.
set -euo pipefail
WORK=$1 AGENT_DIR=$2 SCENARIO_CONFIG=$3 IMAGE_LAYOUT=$4
HERE=$(cd "$(dirname "$0")" && pwd)
IP=192.0.2.10
SOCK=/run/containerd/containerd.sock

mount --make-rprivate /
mkdir -p "$WORK"/{etc,lib,run,reg,status,host} /etc/containerd /var/lib/containerd /run/containerd /host
mount --bind "$WORK/etc" /etc/containerd
mount --bind "$WORK/lib" /var/lib/containerd
mount --bind "$WORK/run" /run/containerd
mount --bind "$WORK/host" /host
mkdir -p /host/etc/containerd
mount --bind "$WORK/etc" /host/etc/containerd

ip link set lo up
ip link add veth-node type veth peer name veth-peer
ip addr add "$IP/24" dev veth-node
ip link set veth-node up
ip link set veth-peer up

# Like the registry:2 image's own config (Debian's ships htpasswd auth).
cat > "$WORK/registry.yml" <<YAML
version: 0.1
storage:
  filesystem:
    rootdirectory: $WORK/reg
  delete:
    enabled: true
http:
  addr: $IP:5000
YAML
docker-registry serve "$WORK/registry.yml" > "$WORK/registry.log" 2>&1 &
for _ in $(seq 50); do (exec 3<>"/dev/tcp/$IP/5000") 2>/dev/null && break; sleep 0.1; done
skopeo copy --quiet --dest-tls-verify=false "oci:$IMAGE_LAYOUT:latest" "docker://$IP:5000/easy-kanban:latest"

if [ "$SCENARIO_CONFIG" != none ]; then cp "$SCENARIO_CONFIG" /etc/containerd/config.toml; fi

echo 0 > "$WORK/restarts"
cat > "$WORK/restart.sh" <<SH
#!/bin/sh
# Stands in for 'systemctl restart containerd' on the node.
if [ -f "$WORK/containerd.pid" ]; then kill "\$(cat "$WORK/containerd.pid")" 2>/dev/null; while kill -0 "\$(cat "$WORK/containerd.pid")" 2>/dev/null; do sleep 0.05; done; fi
containerd >> "$WORK/containerd.log" 2>&1 &
echo \$! > "$WORK/containerd.pid"
echo \$((\$(cat "$WORK/restarts") + 1)) > "$WORK/restarts"
SH
containerd > "$WORK/containerd.log" 2>&1 &
echo $! > "$WORK/containerd.pid"
for _ in $(seq 100); do ctr plugins ls >/dev/null 2>&1 && break; sleep 0.1; done
# containerd 1.6 cannot dump without a config file; its defaults are what it runs on then.
containerd config dump > "$WORK/dump-before.toml" 2>/dev/null || containerd config default > "$WORK/dump-before.toml"
# A file broken (or upgraded) after containerd started: containerd runs on what it read before.
if [ -n "${LATE_CONFIG:-}" ]; then cp "$LATE_CONFIG" /etc/containerd/config.toml; fi
cp -a /etc/containerd "$WORK/etc-before"

pull() { node "$HERE/cri-pull.js" "$SOCK" "$1"; }
echo "{\"ip\": $(pull "$IP:5000/easy-kanban:latest"), \"name\": $(pull "internal-registry.kube-system.svc.cluster.local:5000/easy-kanban:latest")}" > "$WORK/pulls-without-agent.json"
ctr -n k8s.io images rm "$IP:5000/easy-kanban:latest" "internal-registry.kube-system.svc.cluster.local:5000/easy-kanban:latest" >/dev/null 2>&1 || true

run_agent() {
  set +e
  AGENT_MODE=${AGENT_MODE:-apply} AGENT_PLAN_DIR="$AGENT_DIR" HOST_ROOT=/host MOUNTED_HOST_PATHS=/etc/containerd \
    STATUS_DIR="$WORK/status" RESTART_COMMAND="sh $WORK/restart.sh" CONTAINERD_COMMAND=containerd CTR_COMMAND=ctr \
    TERMINATION_LOG="$WORK/termination-log-$1" HEALTH_TIMEOUT_SECONDS=10 \
    node "$AGENT_DIR/agent.js" > "$WORK/agent-$1.out" 2> "$WORK/agent-$1.err"
  echo $? > "$WORK/agent-$1.rc"
  set -e
}
# Every file under a folder with its digest: equal listings mean nothing was written.
snapshot() { (cd "$2" && find . -type f -print0 | sort -z | xargs -0 -r sha256sum) > "$WORK/files-$1.sha"; }
snapshot before "$WORK/etc-before"

run_agent first
cat "$WORK/restarts" > "$WORK/restarts-after-first"
snapshot first /etc/containerd
containerd config dump > "$WORK/dump-after.toml" 2>/dev/null || true
criok=$(ctr plugins ls 2>/dev/null | awk '$2=="cri"{print $4}')
echo "{\"ip\": $(pull "$IP:5000/easy-kanban:latest"), \"name\": $(pull "internal-registry.kube-system.svc.cluster.local:5000/easy-kanban:latest"), \"cri\": \"$criok\"}" > "$WORK/pulls-with-agent.json"
run_agent second
snapshot second /etc/containerd
cat "$WORK/restarts" > "$WORK/restarts-after-second"
if [ "${RUN_CLEANUP:-}" = 1 ]; then
  AGENT_MODE=cleanup run_agent cleanup
  snapshot after-cleanup /etc/containerd
fi
kill "$(cat "$WORK/containerd.pid")" 2>/dev/null || true
