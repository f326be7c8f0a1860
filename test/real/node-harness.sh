#!/usr/bin/env bash
# One node, for real (see node-env.sh): containerd from a scenario's config, the shipped agent run
# twice (and cleanup, if asked), pulls through CRI before and after; what it saw goes to $WORK.
set -euo pipefail
WORK=$1 AGENT_DIR=$2 SCENARIO_CONFIG=$3 IMAGE_LAYOUT=$4
# shellcheck source=test/real/node-env.sh
source "$(dirname "$0")/node-env.sh"

node_env_setup
if [ "$SCENARIO_CONFIG" != none ]; then cp "$SCENARIO_CONFIG" /etc/containerd/config.toml; fi
write_restart_script
start_containerd
dump_config > "$WORK/dump-before.toml"
# A file broken (or upgraded) after containerd started: containerd runs on what it read before.
if [ -n "${LATE_CONFIG:-}" ]; then cp "$LATE_CONFIG" /etc/containerd/config.toml; fi
cp -a /etc/containerd "$WORK/etc-before"

echo "{\"ip\": $(pull "$IP:5000/easy-kanban:latest"), \"name\": $(pull "internal-registry.kube-system.svc.cluster.local:5000/easy-kanban:latest")}" > "$WORK/pulls-without-agent.json"
ctr -n k8s.io images rm "$IP:5000/easy-kanban:latest" "internal-registry.kube-system.svc.cluster.local:5000/easy-kanban:latest" >/dev/null 2>&1 || true

snapshot before "$WORK/etc-before"
run_agent first
cat "$WORK/restarts" > "$WORK/restarts-after-first"
snapshot first /etc/containerd
containerd config dump > "$WORK/dump-after.toml" 2>/dev/null || true
echo "{\"ip\": $(pull "$IP:5000/easy-kanban:latest"), \"name\": $(pull "internal-registry.kube-system.svc.cluster.local:5000/easy-kanban:latest"), \"cri\": \"$(cri_status)\"}" > "$WORK/pulls-with-agent.json"
run_agent second
snapshot second /etc/containerd
cat "$WORK/restarts" > "$WORK/restarts-after-second"
if [ "${RUN_CLEANUP:-}" = 1 ]; then
  AGENT_MODE=cleanup run_agent cleanup
  snapshot after-cleanup /etc/containerd
fi
kill "$(cat "$WORK/containerd.pid")" 2>/dev/null || true
