#!/usr/bin/env bash
# The default registry pod for real: its reader and writer containers run as rendered (see
# registry-pods.sh) on one data volume, inside `unshare --net --mount --pid --fork`. Pushes through
# the writer (where `kubectl port-forward` connects), pulls through the reader (the Service's
# target), tries to push to the reader and to reach the writer from outside its pod, restarts the
# "pod" (with its garbage-collect init container when GARBAGE_COLLECT is set), and records it all.
set -euo pipefail
WORK=$1 IMAGE_LAYOUT=$2
export RUN_AS=$3
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=test/real/registry-pods.sh
source "$HERE/registry-pods.sh"
out() { printf '%s\n' "$2" > "$WORK/out/$1"; }
# shellcheck disable=SC2154 # f is the trap's own loop variable
trap 'for f in "$WORK"/run/*/log; do [ -f "$f" ] && { echo "== $f"; tail -n 20 "$f"; }; done >&2; echo "failed at line $LINENO: $BASH_COMMAND" >&2' ERR
mkdir -p "$WORK/out"

ip link set lo up
mount --make-rprivate /
mkdir -p /run/netns && mount -t tmpfs -o size=1m tmpfs /run/netns
DATA_DIR=$WORK/data                                       # the PersistentVolumeClaim
mkdir -p "$DATA_DIR" && chown "$RUN_AS:$RUN_AS" "$DATA_DIR"
pod_add registry
ip=$(pod_ip registry)
builder=''  # registry.builderPush
if [ -d "$WORK/containers/builder" ]; then builder=yes; fi
start_pod() {
  container_start registry registry; container_start registry writer
  [ -z "$builder" ] || container_start registry builder
}
stop_pod() {
  container_stop registry registry; container_stop registry writer
  [ -z "$builder" ] || container_stop registry builder
}

start_pod
ip netns exec registry skopeo copy --quiet --dest-tls-verify=false "oci:$IMAGE_LAYOUT:latest" \
  docker://127.0.0.1:5001/easy-kanban:latest
skopeo inspect --tls-verify=false "docker://$ip:5000/easy-kanban:latest" > "$WORK/out/before.json"
if skopeo copy --quiet --dest-tls-verify=false "oci:$IMAGE_LAYOUT:latest" "docker://$ip:5000/evil:latest" \
  2> "$WORK/out/push-to-reader-stderr"; then out push-to-reader-rc 0; else out push-to-reader-rc $?; fi
out post-to-reader-status "$(http_status -X POST "http://$ip:5000/v2/evil/blobs/uploads/")"
out writer-from-outside "$(http_status "http://$ip:5001/v2/")"
if [ -n "$builder" ]; then  # the builders' push path: htpasswd credentials from the Secret
  out builder-anonymous-status "$(http_status "http://$ip:5002/v2/")"
  try_push() { # <name> <skopeo args…>
    local name=$1; shift
    if skopeo copy --quiet --dest-tls-verify=false "$@" "oci:$IMAGE_LAYOUT:latest" "docker://$ip:5002/ci/app:v1" \
      2> "$WORK/out/builder-$name-stderr"; then out "builder-$name-rc" 0; else out "builder-$name-rc" $?; fi
  }
  try_push anonymous
  try_push wrong --dest-creds "${BUILDER_CREDS%%:*}:wrong"
  try_push right --dest-creds "$BUILDER_CREDS"
  skopeo inspect --tls-verify=false --format '{{.Digest}}' "docker://$ip:5000/ci/app:v1" > "$WORK/out/builder-pulled-digest"
fi
stop_pod                                                  # the pod is replaced; the volume stays
if [ -n "${GARBAGE_COLLECT:-}" ]; then                    # the init container, before the pod serves
  container_run_once registry garbage-collect > "$WORK/out/gc.log" 2>&1
fi
start_pod
skopeo inspect --tls-verify=false "docker://$ip:5000/easy-kanban:latest" > "$WORK/out/after.json"
find "$DATA_DIR" -type f ! -user "$RUN_AS" > "$WORK/out/foreign-files"
find "$DATA_DIR/docker/registry/v2/repositories" -maxdepth 1 -mindepth 1 -printf '%f\n' | sort > "$WORK/out/repositories"
stop_pod
