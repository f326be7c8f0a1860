#!/usr/bin/env bash
# Fetches the containerd builds the real-component tests run besides the machine's own: Debian
# trixie's 1.7 and sid's 2.x. A private apt state (own sources list, lists and cache) is used, so
# the machine's apt configuration stays untouched; the archive URI is taken from the machine's own
# apt sources. Each build is unpacked under .cache/containerd/<series>/ (outside git); a second run
# reuses it. Prints which version each series got (sid moves, so the exact version may be gone).
# Usage: fetch-containerd.sh [series…]   series: 1.7 2.1 (default: both)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
CACHE=${CONTAINERD_CACHE:-$ROOT/.cache/containerd}
# series → suite and the version measured in issue 10 (preferred while the suite carries it)
declare -A SUITE=([1.7]=trixie [2.1]=sid)
declare -A WANT=([1.7]='1.7.24~ds1-6+deb13u1' [2.1]='2.1.9+ds1-5')
declare -A PREFIX=([1.7]='1.7.' [2.1]='2.')

archive_uri() {
  local uri=''
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    uri=$(awk '/^URIs:/ {for (i = 2; i <= NF; i++) if ($i !~ /security/) {print $i; exit}}' "$f")
    [ -n "$uri" ] && break
  done
  if [ -z "$uri" ] && [ -f /etc/apt/sources.list ]; then
    uri=$(awk '$1 == "deb" {for (i = 2; i <= NF; i++) if ($i ~ /:\/\//) {if ($i !~ /security/) print $i; break}}' /etc/apt/sources.list | head -n1)
  fi
  [ -n "$uri" ] || { echo "fetch-containerd: no Debian archive URI in the machine's apt sources" >&2; exit 1; }
  echo "$uri"
}

fetch() {
  local series=$1 suite=${SUITE[$1]} dest="$CACHE/$1"
  if [ -x "$dest/usr/bin/containerd" ]; then
    echo "containerd $series: $(cat "$dest/VERSION") (cached in $dest)"
    return
  fi
  local state="$CACHE/apt-$suite"
  mkdir -p "$state/lists/partial" "$state/cache/archives/partial" "$state/debs"
  echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $(archive_uri) $suite main" > "$state/sources.list"
  local apt=(-o "Dir::Etc::sourcelist=$state/sources.list" -o Dir::Etc::sourceparts=- -o "Dir::State::Lists=$state/lists"
    -o "Dir::Cache=$state/cache" -o Dir::State::status=/dev/null -o APT::Get::List-Cleanup=0 -o Debug::NoLocking=1 -o APT::Sandbox::User=root)
  apt-get "${apt[@]}" -qq update
  local versions version
  versions=$(apt-cache "${apt[@]}" madison containerd | awk -F'|' '{gsub(/ /, "", $2); print $2}')
  if grep -qxF "${WANT[$series]}" <<< "$versions"; then
    version=${WANT[$series]}
  else
    version=$(grep -F "${PREFIX[$series]}" <<< "$versions" | head -n1 || true)
    [ -n "$version" ] || { echo "fetch-containerd: $suite has no containerd ${PREFIX[$series]}x (has: $versions)" >&2; exit 1; }
    echo "containerd $series: ${WANT[$series]} is gone from $suite; using $version" >&2
  fi
  (cd "$state/debs" && rm -f ./*.deb && apt-get "${apt[@]}" -qq download "containerd=$version")
  rm -rf "$dest.tmp" && mkdir -p "$dest.tmp"
  dpkg-deb -x "$state/debs"/containerd_*.deb "$dest.tmp/root"
  mkdir -p "$dest.tmp/usr/bin"
  for bin in containerd ctr containerd-shim-runc-v2; do
    install -m 0755 "$dest.tmp/root/usr/bin/$bin" "$dest.tmp/usr/bin/$bin"
  done
  rm -rf "$dest.tmp/root" "$state/debs" "$state/cache"
  echo "$version" > "$dest.tmp/VERSION"
  rm -rf "$dest" && mv "$dest.tmp" "$dest"
  echo "containerd $series: $version (fetched into $dest)"
}

for series in "${@:-1.7 2.1}"; do
  for s in $series; do fetch "$s"; done
done
