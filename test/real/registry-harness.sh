#!/usr/bin/env bash
# The registry pod, for real: Debian's docker-registry run the way the Deployment runs it (the
# registry:2 image's config, the Deployment's env and UID, a read-only root with the data volume
# at /var/lib/registry and an emptyDir /tmp), inside `unshare --net --mount --pid --fork`. Pushes
# an image, restarts the "pod", and records what the registry serves afterwards.
set -euo pipefail
WORK=$1 IMAGE_LAYOUT=$2 RUN_AS=$3
HERE=$(cd "$(dirname "$0")" && pwd)

ip link set lo up
mount --make-rprivate /
mkdir -p "$WORK/data" /var/lib/registry
chown "$RUN_AS:$RUN_AS" "$WORK/data"
cp -r "$IMAGE_LAYOUT" "$WORK/image"
cp "$HERE/registry-image-config.yml" "$WORK/config.yml"
mount --bind "$WORK" /mnt
mount --bind "$WORK/data" /var/lib/registry            # the PersistentVolumeClaim
mount --bind "$WORK/config.yml" /etc/docker/registry/config.yml
mount -t tmpfs -o size=64m tmpfs /tmp                   # the emptyDir at /tmp
mount -o remount,ro,bind /                              # readOnlyRootFilesystem

start_pod() {
  # shellcheck disable=SC2046 # one variable per word, from the Deployment's env
  setpriv --reuid="$RUN_AS" --regid="$RUN_AS" --clear-groups \
    env -i $(cat /mnt/pod.env) docker-registry serve /etc/docker/registry/config.yml >> /mnt/registry.log 2>&1 &
  echo $! > /mnt/registry.pid
  for _ in $(seq 50); do (exec 3<>/dev/tcp/127.0.0.1/5000) 2>/dev/null && return; sleep 0.1; done
  echo "registry did not start" >&2; cat /mnt/registry.log >&2; exit 1
}
stop_pod() { kill "$(cat /mnt/registry.pid)"; while kill -0 "$(cat /mnt/registry.pid)" 2>/dev/null; do sleep 0.05; done; }

start_pod
skopeo copy --quiet --dest-tls-verify=false oci:/mnt/image:latest docker://127.0.0.1:5000/easy-kanban:latest
skopeo inspect --tls-verify=false docker://127.0.0.1:5000/easy-kanban:latest > /mnt/before.json
stop_pod                                                # the pod is replaced; the volume stays
if [ -n "${GARBAGE_COLLECT:-}" ]; then                  # the init container, before the registry serves
  # shellcheck disable=SC2046
  setpriv --reuid="$RUN_AS" --regid="$RUN_AS" --clear-groups \
    env -i $(cat /mnt/pod.env) docker-registry garbage-collect /etc/docker/registry/config.yml > /mnt/gc.log 2>&1
fi
start_pod
skopeo inspect --tls-verify=false docker://127.0.0.1:5000/easy-kanban:latest > /mnt/after.json
find /var/lib/registry -type f ! -user "$RUN_AS" > /mnt/foreign-files
stop_pod
