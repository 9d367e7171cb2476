# tests/netns/lib_daemon.sh: helpers of the daemon tests (t_daemon_*.sh),
# on top of lib.sh. Each test runs its own vrfd on a private socket and
# state directory under $T and ends it by its PID.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

SOCK=$T/s.sock
STATE=$T/state
CONF=$T/vrfd.conf
VRFD_PID=
BG_PIDS=()

daemon_cleanup() {
	local rc=${KEEP_RC:-$?} p
	# The test's helpers, by SIGKILL: one may ignore SIGTERM on
	# purpose, and a wait on it would never end. vrfd by SIGTERM.
	for p in "${BG_PIDS[@]}"; do
		kill -KILL "$p" 2>/dev/null || true
		wait "$p" 2>/dev/null || true
	done
	if [ -n "$VRFD_PID" ]; then
		kill "$VRFD_PID" 2>/dev/null || true
		wait "$VRFD_PID" 2>/dev/null || true
	fi
	if [ "$rc" -ne 0 ] && [ -f "$T/vrfd.log" ]; then
		echo "--- vrfd log (last 60 lines)"
		tail -60 "$T/vrfd.log"
		[ -z "$FAILED_WITH" ] || echo "FAIL: $FAILED_WITH" >&2
	fi
	# KEEP_LOG=FILE keeps the daemon's log, for a look at a passing test.
	[ -z "${KEEP_LOG:-}" ] || cp "$T/vrfd.log" "$KEEP_LOG" 2>/dev/null || true
	rm -rf "$T"
}
trap daemon_cleanup EXIT

# kill_services GLOB: the processes of the services whose pid files GLOB
# (under /run/vrfd/svc) names, by SIGKILL: for a test's EXIT trap, before
# daemon_cleanup, keeping the test's exit status for it (KEEP_RC).
kill_services() {
	local f
	KEEP_RC=$?
	for f in /run/vrfd/svc/$1; do
		# under set -e: a kill that fails must not end the trap
		[ ! -e "$f" ] || kill -KILL "$(cut -d' ' -f1 "$f")" \
		    2>/dev/null || true
	done
}

# The configuration of the test's vrfd; tests append to it before
# start_vrfd (a later line wins). Tests drift the same namespace many times
# in a row: the backoff is t_daemon_backoff.sh's, not theirs.
cat > "$CONF" <<'EOF'
debounce_ms 20
resync_interval 30
backoff_repairs 32
EOF

# start_vrfd [VRFD-ARGS...]: start vrfd (or $VRFD) in the background and
# wait until it answers on $SOCK.
start_vrfd() {
	"${VRFD_BIN:-$VRFD}" -s "$SOCK" -d "$STATE" -c "$CONF" \
	    -v -D watch,repair,control "$@" >>"$T/vrfd.log" 2>&1 &
	VRFD_PID=$!
	wait_for 200 ctl_ping || fail "vrfd did not answer on $SOCK"
}

# stop_vrfd: SIGTERM, and it must exit 0.
stop_vrfd() {
	local rc=0
	kill -TERM "$VRFD_PID"
	wait "$VRFD_PID" || rc=$?
	VRFD_PID=
	expect_eq "$rc" 0 "vrfd exit status"
}

vrfd_alive() {
	[ -n "$VRFD_PID" ] && kill -0 "$VRFD_PID" 2>/dev/null
}

# ctl JSON: one raw request on the control socket; prints the reply.
ctl() {
	python3 - "$SOCK" "$1" <<'PY'
import socket, sys
P = 65536
s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
s.connect(sys.argv[1])
data = sys.argv[2].encode()
for i in range(len(data) // P + 1):
    s.send(data[i * P:(i + 1) * P])
buf = b""
while True:
    p = s.recv(P)
    buf += p
    if len(p) < P:
        break
print(buf.decode())
PY
}

ctl_ping() {
	[ -S "$SOCK" ] && ctl '{"cmd":"ping"}' | jq -e '.ok' >/dev/null
}

vctl() {
	"$VRFCTL" -s "$SOCK" "$@"
}

# alone ARGS...: vrfctl on its own while vrfd runs, for a test that
# compares the two. vrfctl never runs the engine beside a running vrfd
# (vrfd holds /run/vrfd/lock), so this one gets a /run/vrfd of its own.
# Commands that only read.
alone() {
	unshare --mount --propagation private -- sh -c \
	    'mount -t tmpfs vrfd-alone /run/vrfd && exec "$@"' sh \
	    "$VRFCTL" -s "$T/no-daemon.sock" "$@"
}

# lab_yaml LAB: the test lab. ce1 - pe1 - ce2, with a route, a neighbour,
# an MTU, a MAC and sysctls to drift (accept_redirects changes silently:
# no netconf event).
lab_yaml() {
	cat <<EOF
lab: $1
defaults: {sysctl: {net.ipv4.ip_forward: 1}}
routers:
  ce1:
    interfaces:
      eth0: {addresses: [10.1.0.2/24], mtu: 1400, mac: "02:00:00:00:01:02"}
    routes:
      - {to: default, via: 10.1.0.1}
      - {to: 10.8.0.0/16, via: 10.1.0.1}
    neighbours:
      - {ip: 10.1.0.1, lladdr: "02:00:00:00:01:01", dev: eth0}
  pe1:
    sysctl:
      net.ipv4.conf.all.rp_filter: 1
      net.ipv4.conf.all.accept_redirects: 0
    interfaces:
      eth1: {addresses: [10.1.0.1/24], mtu: 1400, mac: "02:00:00:00:01:01"}
      eth2: {addresses: [10.2.0.1/24]}
    routes:
      - {to: 10.8.0.0/16, type: blackhole}
  ce2:
    interfaces: {eth0: {addresses: [10.2.0.2/24]}}
    routes: [{to: default, via: 10.2.0.1}]
links:
  - [ce1:eth0, pe1:eth1]
  - [ce2:eth0, pe1:eth2]
EOF
}

# apply_lab LAB: write and apply the test lab through vrfd; it must be
# kept (stored) and converged.
apply_lab() {
	local n
	n=$(lab_passes "$1")
	lab_yaml "$1" > "$T/$1.yaml"
	vctl apply "$T/$1.yaml" > "$T/apply.out" || {
		cat "$T/apply.out"
		fail "apply $1"
	}
	[ -f "$STATE/labs/$1.yaml" ] || fail "$1 was not applied by vrfd"
	converged "$1" || fail "$1 not converged after apply"
	# vrfd's first look at the lab after the apply (a pass, some 20 ms
	# on): a drift made before it is found by it, and named so (seen in
	# CI). An apply that made nothing may bring none: 1 s at most.
	wait_for 100 lab_looked "$1" "$n" || true
}

# lab_passes LAB: vrfd's passes over LAB so far; lab_looked LAB N: more.
lab_passes() { grep -c "repair: $1: pass over" "$T/vrfd.log" || true; }
lab_looked() { [ "$(lab_passes "$1")" -gt "$2" ]; }

# converged LAB: vrfd's status says LAB is as its topology says.
converged() {
	vctl -j status "$1" | jq -e '.labs[0].converged' >/dev/null
}

# ns_status LAB NS JQ: a field of NS in vrfd's status.
ns_status() {
	vctl -j status "$1" | jq -r --arg ns "$2" \
	    ".labs[0].namespaces[] | select(.namespace == \$ns) | $3"
}

# route_ok NS PREFIX: our route to PREFIX is there (protocol 118).
route_ok() {
	ip -N -j -n "$1" route show exact "$2" |
	    jq -e 'length == 1 and .[0].protocol == "118"' >/dev/null
}

# repaired WHAT CMD...: CMD becomes true within 5 s (100 polls).
repaired() {
	local what=$1
	shift
	wait_for 100 "$@" || fail "not repaired: $what"
	say "repaired: $what"
}

# drift_is LAB NS WORDS: vrfd's status names WORDS in the last drift of NS.
drift_is() {
	case $(ns_status "$1" "$2" '.last_drift.what // ""') in
	*"$3"*) return 0 ;;
	esac
	return 1
}

# expect_drift LAB NS WORDS: ... within 5 s.
expect_drift() {
	wait_for 100 drift_is "$@" ||
		fail "$2: last drift '$(ns_status "$1" "$2" \
		    '.last_drift.what // ""')', expected '$3'"
}

# follow_events FILE: `vrfctl events -j` into FILE, in the background,
# and back once it is subscribed: a drift of demo-ce2's default route
# (deleted until an event shows it, put back by vrfd) is in FILE.
follow_events() {
	local file=$1 try
	vctl events -j >"$file" &
	BG_PIDS+=($!)
	for try in 1 2 3 4 5 6 7 8 9 10; do
		route_ok demo-ce2 0.0.0.0/0 && ip -n demo-ce2 route del default
		wait_for 20 events_seen_ce2 "$file" && break
	done
	events_seen_ce2 "$file" || fail "vrfctl events saw nothing: $(cat "$file")"
	wait_for 100 route_ok demo-ce2 0.0.0.0/0 || fail "demo-ce2's default route not back"
}
events_seen_ce2() {
	jq -se 'map(select(.namespace == "demo-ce2" and
	    (.what | startswith("route default")))) | length > 0' "$1" >/dev/null
}

# ctl_clients N: N clients of this user connected at once, each served a
# ping; fails if one is not.
ctl_clients() {
	python3 - "$SOCK" "$1" <<'PY'
import json, socket, sys
socks = []
for i in range(int(sys.argv[2])):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    s.settimeout(5)
    s.connect(sys.argv[1])
    socks.append(s)
for s in socks:
    s.send(b'{"cmd":"ping"}')
    r = json.loads(s.recv(65536))
    assert r.get("ok") is True, r
PY
}
