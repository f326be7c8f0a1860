#!/usr/bin/env bash
# The scale-out registry for real (issue 12): OpenStack Swift's S3 API on 198.51.100.10:8080
# (TEST-NET-2, on this namespace's lo), one writer pod and READERS reader pods, each container run
# as rendered (see registry-pods.sh). Runs inside `unshare --net --mount --pid --fork`; writes what
# it observed to $WORK/out/<name>, which the test asserts.
set -euo pipefail
WORK=$1 SMALL=$2 BIG=$3 OLD=$4 READERS=$6
export RUN_AS=$5
S3_ADDR=198.51.100.10
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=test/real/registry-pods.sh
source "$HERE/registry-pods.sh"
# shellcheck source=test/real/swift-s3.sh
source "$HERE/swift-s3.sh"
out() { printf '%s\n' "$2" > "$WORK/out/$1"; }
# On failure, the tools' own output: every registry container's log and Swift's.
# shellcheck disable=SC2154 # f is the trap's own loop variable
trap 'for f in "$WORK"/run/*/log "$WORK/swift/swift.log"; do [ -f "$f" ] && { echo "== $f"; tail -n 20 "$f"; }; done >&2; echo "failed at line $LINENO: $BASH_COMMAND" >&2' ERR
mkdir -p "$WORK/out"

ip link set lo up
ip addr add "$S3_ADDR/32" dev lo
mount --make-rprivate /
mkdir -p /run/netns && mount -t tmpfs -o size=1m tmpfs /run/netns   # pod namespaces stay in here
SECONDS=0
swift_start "$WORK/swift" "$S3_ADDR"
out swift-start-seconds "$SECONDS"

pod_add writer
readers=()
for i in $(seq "$READERS"); do pod_add "reader$i"; readers+=("reader$i"); done
pod_add cached # a reader with the in-memory blob descriptor cache, for comparison only
container_start writer writer
for r in "${readers[@]}"; do container_start "$r" registry; done
container_start cached reader-cached

# Push through the writer, from inside its pod: where `kubectl port-forward` connects.
push() { ip netns exec writer skopeo copy --quiet --dest-tls-verify=false "oci:$1:latest" "docker://127.0.0.1:5001/$2"; }
digest() { skopeo inspect --tls-verify=false --format '{{.Digest}}' "docker://$1"; }
push "$SMALL" easy-kanban:latest
push "$BIG" big:latest
out writer-digest "$(ip netns exec writer skopeo inspect --tls-verify=false --format '{{.Digest}}' docker://127.0.0.1:5001/easy-kanban:latest)"
out big-writer-digest "$(ip netns exec writer skopeo inspect --tls-verify=false --format '{{.Digest}}' docker://127.0.0.1:5001/big:latest)"
# The S3 driver uploads a blob in parts of at least its chunk size; s3api stores part <n> of an
# upload as the object <key>/<upload id>/<n> of the bucket's +segments container.
out big-parts "$(grep -a -o '"PUT /d1/[0-9]*/[^ ]*/registry%2Bsegments/[^ ]*/big/_uploads/[^ ]*/[0-9]*"' "$WORK/swift/swift.log" |
  sed 's/.*\///' | sort -u | wc -l)"

# Pull through every reader: a full copy (skopeo checks every digest) and the manifest digest.
for r in "${readers[@]}"; do
  ip=$(pod_ip "$r")
  skopeo copy --quiet --src-tls-verify=false "docker://$ip:5000/easy-kanban:latest" "oci:$WORK/pulled-$r:latest"
  skopeo copy --quiet --src-tls-verify=false "docker://$ip:5000/big:latest" "oci:$WORK/pulled-big-$r:latest"
  out "digest-$r" "$(digest "$ip:5000/easy-kanban:latest")"
  out "big-digest-$r" "$(digest "$ip:5000/big:latest")"
done

# What one reader costs when it streams from S3 (printed by the test; the bench measures filesystem).
big_layer=$(skopeo inspect --tls-verify=false --format '{{index .Layers 0}}' "docker://$(pod_ip reader1):5000/big:latest")
cpu() { awk '{print $14 + $15}' "/proc/$(cat "$WORK/run/reader1-registry/pid")/stat"; }
cpu_before=$(cpu) start=$(date +%s%N) bytes=0
for _ in 1 2 3; do
  bytes=$((bytes + $(curl -sf -o /dev/null -w '%{size_download}' "http://$(pod_ip reader1):5000/v2/big/blobs/$big_layer")))
done
out s3-pull "$bytes $(( $(date +%s%N) - start )) $(( $(cpu) - cpu_before )) $(getconf CLK_TCK)"

# No push through a reader, the Service's target.
reader1=$(pod_ip reader1)
if skopeo copy --quiet --dest-tls-verify=false "oci:$SMALL:latest" "docker://$reader1:5000/evil:latest" 2> "$WORK/out/push-to-reader-stderr"; then
  out push-to-reader-rc 0
else
  out push-to-reader-rc $?
fi
out post-to-reader-status "$(http_status -X POST "http://$reader1:5000/v2/evil/blobs/uploads/")"
out evil-on-writer-status "$(ip netns exec writer bash -c "$(declare -f http_status); http_status http://127.0.0.1:5001/v2/evil/tags/list")"

# The writer answers on its pod's loopback only.
out writer-from-own-pod "$(ip netns exec writer bash -c "$(declare -f http_status); http_status http://127.0.0.1:5001/v2/")"
out writer-from-outside "$(http_status "http://$(pod_ip writer):5001/v2/")"
out writer-from-reader-pod "$(ip netns exec reader1 bash -c "$(declare -f http_status); http_status http://127.0.0.1:5001/v2/")"

# The S3 server goes away and comes back; no registry restarts.
pids_before=$(cat "$WORK"/run/*/pid | sort | tr '\n' ' ')
swift_stop_proxy
out outage-manifest-status "$(http_status "http://$reader1:5000/v2/easy-kanban/manifests/latest" -H 'Accept: application/vnd.oci.image.manifest.v1+json')"
if push "$SMALL" during-outage:latest 2> "$WORK/out/outage-push-stderr"; then out outage-push-rc 0; else out outage-push-rc $?; fi
swift_start_proxy
# Each registry's storage health check (every 10 s, 3 failures) may have marked it unhealthy: /v2/
# then answers 503 (and Kubernetes takes the reader out of the Service) until its next check passes.
SECONDS=0
for r in "${readers[@]}" writer; do
  [ "$r" = writer ] && url=http://127.0.0.1:5001/v2/ || url="http://$(pod_ip "$r"):5000/v2/"
  until [ "$(ip netns exec "$r" curl -s -o /dev/null -w '%{http_code}' "$url")" = 200 ]; do
    [ "$SECONDS" -lt 60 ] || { echo "$r still unhealthy 60 s after S3 came back" >&2; exit 1; }
    sleep 0.5
  done
done
out recovery-seconds "$SECONDS"
for r in "${readers[@]}"; do out "after-outage-digest-$r" "$(digest "$(pod_ip "$r"):5000/easy-kanban:latest")"; done
out pids-unchanged "$([ "$pids_before" = "$(cat "$WORK"/run/*/pid | sort | tr '\n' ' ')" ] && for p in $pids_before; do kill -0 "$p" || exit 1; done && echo yes || echo no)"

# Garbage collection: an image whose manifest is deleted loses its layer; readers never serve it
# truncated. Every reader (and the cached one) serves the layer once before.
push "$OLD" old:v1
old_layer=$(ip netns exec writer skopeo inspect --tls-verify=false --format '{{index .Layers 0}}' docker://127.0.0.1:5001/old:v1)
out old-layer "$old_layer"
for r in "${readers[@]}" cached; do
  out "before-gc-$r" "$(curl -s -o /dev/null -w '%{http_code} %{size_download}' "http://$(pod_ip "$r"):5000/v2/old/blobs/$old_layer")"
done
old_manifest=$(ip netns exec writer curl -sf -I -H 'Accept: application/vnd.oci.image.manifest.v1+json' \
  http://127.0.0.1:5001/v2/old/manifests/v1 | tr -d '\r' | sed -n 's/^Docker-Content-Digest: //Ip')
out delete-status "$(ip netns exec writer bash -c "$(declare -f http_status); http_status -X DELETE http://127.0.0.1:5001/v2/old/manifests/$old_manifest")"
container_stop writer writer                      # the writer Deployment restarts (Recreate) …
container_run_once writer garbage-collect > "$WORK/out/gc-log" 2>&1  # … its init container collects
container_start writer writer
for r in "${readers[@]}" cached; do
  out "after-gc-$r" "$(curl -s -o "$WORK/after-gc-$r.blob" -w '%{http_code} %{size_download}' "http://$(pod_ip "$r"):5000/v2/old/blobs/$old_layer")"
  out "after-gc-kept-$r" "$(digest "$(pod_ip "$r"):5000/easy-kanban:latest")"
done
