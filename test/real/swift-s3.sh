#!/usr/bin/env bash
# OpenStack Swift from Debian's packages as an S3 server (its s3api middleware, tempauth
# credentials), for the registry's S3 storage driver. Sourced by a harness that runs in its own
# mount and network namespaces: /etc/swift is a tmpfs here (Swift always reads
# /etc/swift/swift.conf), so the machine's /etc stays untouched.
#
#   swift_start <dir> <address>   rings, account/container/object servers, memcached and the proxy
#                                 on <address>:8080, the bucket `registry`
#   swift_stop_proxy / swift_start_proxy   the S3 endpoint down and up again
# shellcheck shell=bash
SWIFT_ACCESS_KEY=test:tester
SWIFT_SECRET_KEY=testing

swift_conf() { # <file> <lines…>
  local file=$1; shift
  printf '%s\n' "$@" > "/etc/swift/$file"
}

swift_start() {
  SWIFT_DIR=$1 SWIFT_ADDR=$2
  mkdir -p "$SWIFT_DIR/node/d1" "$SWIFT_DIR/run" /etc/swift
  mount -t tmpfs -o size=16m tmpfs /etc/swift
  # Swift logs only to syslog: a datagram socket of our own collects it (proxy requests included).
  /usr/bin/python3 -c '
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
with open(sys.argv[2], "ab", 0) as log:
    while True:
        log.write(s.recv(65536) + b"\n")
' "$SWIFT_DIR/run/log.sock" "$SWIFT_DIR/swift.log" &
  local common=("[DEFAULT]" "devices = $SWIFT_DIR/node" "mount_check = false" "user = root"
    "log_address = $SWIFT_DIR/run/log.sock" "bind_ip = 127.0.0.1" "workers = 1" "log_facility = LOG_LOCAL0" "disable_fallocate = true")
  swift_conf swift.conf "[swift-hash]" "swift_hash_path_suffix = internal-registry-test" \
    "[storage-policy:0]" "name = Policy-0" "default = yes"
  swift_conf account-server.conf "${common[@]}" "bind_port = 6202" \
    "[pipeline:main]" "pipeline = account-server" "[app:account-server]" "use = egg:swift#account"
  swift_conf container-server.conf "${common[@]}" "bind_port = 6201" \
    "[pipeline:main]" "pipeline = container-server" "[app:container-server]" "use = egg:swift#container"
  swift_conf object-server.conf "${common[@]}" "bind_port = 6200" \
    "[pipeline:main]" "pipeline = object-server" "[app:object-server]" "use = egg:swift#object"
  swift_conf proxy-server.conf "[DEFAULT]" "bind_ip = $SWIFT_ADDR" "bind_port = 8080" "workers = 1" \
    "user = root" "log_facility = LOG_LOCAL0" "log_address = $SWIFT_DIR/run/log.sock" \
    "[pipeline:main]" \
    "pipeline = catch_errors gatekeeper healthcheck proxy-logging cache s3api tempauth slo dlo proxy-logging proxy-server" \
    "[app:proxy-server]" "use = egg:swift#proxy" "account_autocreate = true" \
    "[filter:s3api]" "use = egg:swift#s3api" "location = us-east-1" \
    "[filter:tempauth]" "use = egg:swift#tempauth" "user_test_tester = $SWIFT_SECRET_KEY .admin" \
    "[filter:healthcheck]" "use = egg:swift#healthcheck" \
    "[filter:cache]" "use = egg:swift#memcache" "memcache_servers = 127.0.0.1:11211" \
    "[filter:catch_errors]" "use = egg:swift#catch_errors" \
    "[filter:gatekeeper]" "use = egg:swift#gatekeeper" \
    "[filter:proxy-logging]" "use = egg:swift#proxy_logging" \
    "[filter:slo]" "use = egg:swift#slo" "[filter:dlo]" "use = egg:swift#dlo"
  # One interpreter for the three rings: swift-ring-builder would start nine.
  /usr/bin/python3 - <<'PY'
from swift.common.ring import RingBuilder
for name, port in (('account', 6202), ('container', 6201), ('object', 6200)):
    builder = RingBuilder(4, 1, 1)
    builder.add_dev({'id': 0, 'region': 1, 'zone': 1, 'ip': '127.0.0.1', 'port': port, 'device': 'd1', 'weight': 100})
    builder.rebalance()
    builder.get_ring().save('/etc/swift/%s.ring.gz' % name)
PY
  memcached -u nobody -l 127.0.0.1 -p 11211 > "$SWIFT_DIR/memcached.log" 2>&1 &
  local server
  for server in account container object; do
    "swift-$server-server" "/etc/swift/$server-server.conf" > "$SWIFT_DIR/$server.log" 2>&1 &
  done
  swift_start_proxy
  # The bucket, through Swift's own API (tempauth): the registry's S3 driver does not create it.
  local auth token url
  auth=$(curl -sS -D - -o /dev/null -H "X-Auth-User: $SWIFT_ACCESS_KEY" -H "X-Auth-Key: $SWIFT_SECRET_KEY" \
    "http://$SWIFT_ADDR:8080/auth/v1.0" | tr -d '\r')
  token=$(sed -n 's/^X-Auth-Token: //Ip' <<< "$auth") url=$(sed -n 's/^X-Storage-Url: //Ip' <<< "$auth")
  local _
  for _ in $(seq 300); do # 503 until the account and container servers listen
    curl -sf -X PUT -H "X-Auth-Token: $token" "$url/registry" -o /dev/null && return
    sleep 0.1
  done
  echo "Swift did not create the bucket within 30 s" >&2
  return 1
}

swift_start_proxy() {
  swift-proxy-server /etc/swift/proxy-server.conf >> "$SWIFT_DIR/proxy.log" 2>&1 &
  echo $! > "$SWIFT_DIR/run/proxy.pid"
  local _
  for _ in $(seq 300); do
    curl -sf "http://$SWIFT_ADDR:8080/healthcheck" > /dev/null 2>&1 && return
    sleep 0.1
  done
  echo "swift-proxy-server did not answer /healthcheck within 30 s" >&2
  cat "$SWIFT_DIR"/*.log >&2
  return 1
}

swift_stop_proxy() {
  local pid
  pid=$(cat "$SWIFT_DIR/run/proxy.pid")
  kill "$pid"
  while kill -0 "$pid" 2>/dev/null; do sleep 0.05; done
}

# swift_objects <container>: the names of the objects in a Swift container (Swift's own API)
swift_objects() {
  local auth token url
  auth=$(curl -sS -D - -o /dev/null -H "X-Auth-User: $SWIFT_ACCESS_KEY" -H "X-Auth-Key: $SWIFT_SECRET_KEY" \
    "http://$SWIFT_ADDR:8080/auth/v1.0" | tr -d '\r')
  token=$(sed -n 's/^X-Auth-Token: //Ip' <<< "$auth") url=$(sed -n 's/^X-Storage-Url: //Ip' <<< "$auth")
  curl -sS -H "X-Auth-Token: $token" "$url/$1" || true
}
