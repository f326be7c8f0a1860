#!/usr/bin/env bash
# Faults on one node (see node-env.sh): FAULT=kill (the agent SIGKILLed at random points, KILLS
# times, then a run to convergence), readonly (/etc/containerd mounted read-only), full (a full
# disk), norestart (containerd does not come back after the restart). What it saw goes to $WORK.
set -euo pipefail
WORK=$1 AGENT_DIR=$2 CONFIG=$3 IMAGE_LAYOUT=$4 FAULT=$5 KILLS=${6:-0}
[ "$FAULT" != full ] || export ETC_TMPFS_SIZE=64k
# shellcheck source=test/real/node-env.sh
source "$(dirname "$0")/node-env.sh"

node_env_setup
cp "$CONFIG" /etc/containerd/config.toml
write_restart_script
start_containerd
dump_config > "$WORK/dump-before.toml"

# Digest of every file the agent may write, one line per file, for the test to check.
record() { (cd /etc/containerd && find . -type f \( -name config.toml -o -name hosts.toml \) -print0 | sort -z | xargs -0 -r sha256sum | sed "s|^|$1 |") >> "$WORK/states.log"; }

case "$FAULT" in
  kill)
    record 0
    cp /etc/containerd/config.toml "$WORK/original.toml"
    kills=0
    for i in $(seq "$KILLS"); do
      # After a run that finished, put the node back as it was, so that every kill lands in a real change.
      if [ -f "$WORK/converged" ]; then
        rm -rf /etc/containerd/certs.d /etc/containerd/.config.toml.internal-registry.json /etc/containerd/config.toml.internal-registry.bak
        cp "$WORK/original.toml" /etc/containerd/config.toml
        rm "$WORK/converged"
      fi
      AGENT_MODE=apply AGENT_PLAN_DIR="$AGENT_DIR" HOST_ROOT=/host MOUNTED_HOST_PATHS=/etc/containerd \
        STATUS_DIR="$WORK/status" RESTART_COMMAND="sh $WORK/restart.sh" CONTAINERD_COMMAND=containerd \
        CTR_COMMAND=ctr TERMINATION_LOG=/dev/null HEALTH_TIMEOUT_SECONDS=10 \
        node "$AGENT_DIR/agent.js" > /dev/null 2>&1 &
      agent=$!
      sleep "0.$(printf '%03d' $((RANDOM % 450)))"
      if kill -9 "$agent" 2>/dev/null; then kills=$((kills + 1)); else touch "$WORK/converged"; fi
      wait "$agent" 2>/dev/null || true
      # a restart the agent started may still be finishing, as systemd would finish it
      for _ in $(seq 50); do [ "$(cri_status)" = ok ] && break; sleep 0.1; done
      record "$i"
    done
    echo "$kills" > "$WORK/kills"
    run_agent final
    record final
    find /etc/containerd -name '.*.tmp-*' -o -name '.internal-registry-candidate-*' > "$WORK/leftovers"
    ;;
  readonly)
    mount -o remount,ro,bind /host/etc/containerd
    snapshot before /etc/containerd
    run_agent final
    snapshot after /etc/containerd
    ;;
  full)
    avail=$(df --output=avail -B1 /etc/containerd | tail -1)
    head -c $((avail - 2048)) /dev/zero > /etc/containerd/filler
    snapshot before /etc/containerd
    run_agent final
    snapshot after /etc/containerd
    ;;
  norestart)
    snapshot before /etc/containerd
    # The fault injector: the first restart starts containerd on a broken config, so it does not
    # come back; the second (the agent's restart after restoring the backup) is a normal one.
    cat > "$WORK/broken-restart.sh" <<SH
#!/bin/sh
if [ ! -f "$WORK/broke-once" ]; then
  touch "$WORK/broke-once"
  kill "\$(cat "$WORK/containerd.pid")"; while kill -0 "\$(cat "$WORK/containerd.pid")" 2>/dev/null; do sleep 0.05; done
  printf 'version = 2\n[plugins\n' > "$WORK/broken.toml"
  containerd --config "$WORK/broken.toml" >> "$WORK/containerd.log" 2>&1 &
  echo \$! > "$WORK/containerd.pid"
else
  sh "$WORK/restart.sh"
fi
SH
    RESTART_COMMAND="sh $WORK/broken-restart.sh" HEALTH_TIMEOUT_SECONDS=3 run_agent final
    snapshot after /etc/containerd
    ;;
esac
dump_config > "$WORK/dump-after.toml"
cri_status > "$WORK/cri"
cat "$WORK/restarts" > "$WORK/restarts-final"
kill "$(cat "$WORK/containerd.pid")" 2>/dev/null || true
