#!/usr/bin/env bash
# npm run bench, per containerd series, inside `unshare --net --mount --pid --fork --mount-proc`
# (see test/real/node-env.sh): the shipped agent's repeated run on a node it already set up, and a
# containerd restart until its CRI plugin answers `ok`. Prints one JSON line of milliseconds.
# Usage: bench-node.sh WORK AGENT_DIR CONFIG RUNS   (CONTAINERD_BINARIES as in node-env.sh)
set -euo pipefail
WORK=$1 AGENT_DIR=$2 CONFIG=$3 RUNS=$4
# shellcheck source=test/real/node-env.sh
source "$(dirname "$0")/../test/real/node-env.sh"

node_mounts
cp "$CONFIG" /etc/containerd/config.toml
write_restart_script
start_containerd
agent() {
  AGENT_MODE=apply AGENT_PLAN_DIR="$AGENT_DIR" HOST_ROOT=/host MOUNTED_HOST_PATHS=/etc/containerd \
    STATUS_DIR="$WORK/status" RESTART_COMMAND="sh $WORK/restart.sh" CONTAINERD_COMMAND='nsenter -t 1 -m -- containerd' \
    CTR_COMMAND='nsenter -t 1 -m -- ctr' TERMINATION_LOG="$WORK/termination-log" node "$AGENT_DIR/agent.js" > /dev/null
}
now() { date +%s%N; }
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

start=$(now)
agent # the first run configures the node: two config dumps, the writes, one restart until CRI answers
first_ms=$((($(now) - start) / 1000000))
first_restarts=$(cat "$WORK/restarts")
runs=()
for _ in $(seq "$RUNS"); do start=$(now); agent; runs+=($((($(now) - start) / 1000000))); done
restarts=()
for _ in $(seq "$RUNS"); do
  start=$(now)
  sh "$WORK/restart.sh"
  until [ "$(cri_status)" = ok ]; do sleep 0.02; done
  restarts+=($((($(now) - start) / 1000000)))
done
version=$(containerd --version | awk '{print $3}')
printf '{"version":"%s","firstRunMs":%s,"firstRunRestarts":%s,"repeatedRunMs":%s,"restartUntilCriMs":%s,"repeatedRunRestarts":%s}\n' \
  "$version" "$first_ms" "$first_restarts" "$(printf '%s\n' "${runs[@]}" | median)" "$(printf '%s\n' "${restarts[@]}" | median)" \
  "$(($(cat "$WORK/restarts") - first_restarts - RUNS))"
kill "$(cat "$WORK/containerd.pid")" 2>/dev/null || true
