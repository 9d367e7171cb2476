#!/usr/bin/env bash
# vrfd built with AddressSanitizer and UBSan through a day's work: apply,
# drift and repairs, a namespace deleted, garbage and events clients,
# re-applies from memory, progress, SIGHUP, destroy, SIGTERM. Any report or leak fails the test.
#
# The binaries: $VRFD_ASAN, or build/asan/bin/vrfd (`make asan`), and
# build/asan/bin/vrfctl if it is there. `make check` builds them; without
# them the test fails in CI (it must run there) and says why elsewhere.
. "$(dirname "$0")/lib_daemon.sh"

asan=${VRFD_ASAN:-$ROOT/build/asan/bin/vrfd}
if [ ! -x "$asan" ]; then
	[ -z "${CI:-}" ] || fail "no ASan vrfd at $asan (make asan)"
	echo "SKIP: no ASan vrfd at $asan (make asan)"
	exit 0
fi
[ ! -x "$ROOT/build/asan/bin/vrfctl" ] || VRFCTL=$ROOT/build/asan/bin/vrfctl
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:log_path=$T/asan
export UBSAN_OPTIONS=print_stacktrace=1:log_path=$T/ubsan
VRFD_BIN=$asan start_vrfd
apply_lab demo
apply_lab other

vctl events -j > "$T/events.json" &
BG_PIDS+=($!)

say "drift of every kind"
ip -n demo-ce1 route del 10.8.0.0/16
ip -n demo-ce1 link set eth0 mtu 1500
ip -n demo-pe1 link set eth2 down
ip netns exec demo-pe1 sysctl -qw net.ipv4.ip_forward=0
ip -n demo-ce1 neigh del 10.1.0.1 dev eth0
ip -n other-ce2 link del eth0
repaired "demo" converged demo
repaired "other" converged other
ip netns del demo-pe1
repaired "demo-pe1 deleted" converged demo
ping_ok demo-ce1 10.2.0.2

say "garbage, and a client that leaves early"
ctl 'not json' | jq -e '.ok == false' >/dev/null || fail "garbage accepted"
ctl '{"cmd":"apply","topology":"lab: [x"}' | jq -e '.ok == false' \
	>/dev/null || fail "bad topology accepted"
python3 - "$SOCK" <<'PY'
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
s.connect(sys.argv[1])
s.send(b'{"cmd":"status","lab":null}')
s.close()
s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
s.connect(sys.argv[1])
s.send(b"z" * 65536)
s.close()
PY
vctl -j status > /dev/null
vctl -j plan "$T/demo.yaml" > /dev/null
# A plan of a text vrfd has not kept (parsed for it alone), and of a
# lab's kept topology.
sed 's/mtu: 1400/mtu: 1450/' "$T/demo.yaml" > "$T/demo2.yaml"
vctl -j plan "$T/demo2.yaml" > /dev/null || fail "plan of another text"
vctl -j plan demo > /dev/null || fail "plan of a kept lab"

say "re-applies from memory, and a client that asked for progress and left"
wait_for 100 converged demo || fail "demo not converged"
for i in 1 2; do
	vctl apply "$T/demo.yaml" > /dev/null || fail "re-apply $i"
done
python3 - "$SOCK" "$T/demo.yaml" <<'PY'
import json, socket, sys
req = {"cmd": "apply", "file": sys.argv[2],
       "topology": open(sys.argv[2]).read(), "progress": 0}
s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
s.connect(sys.argv[1])
s.send(json.dumps(req).encode())
s.recv(65536)
s.close()
PY

say "SIGHUP with a bad configuration, then a good one"
cp "$CONF" "$T/conf.good"
echo "debounce_ms lots" >> "$CONF"
kill -HUP "$VRFD_PID"
reload_refused() { grep -q "configuration not reloaded" "$T/vrfd.log"; }
wait_for 100 reload_refused || fail "the bad configuration was not refused"
cp "$T/conf.good" "$CONF"
echo "resync_interval 1" >> "$CONF"
kill -HUP "$VRFD_PID"
reloaded() { grep -q "configuration reloaded" "$T/vrfd.log"; }
wait_for 100 reloaded || fail "the good configuration was not read"
ip netns exec demo-pe1 sysctl -qw net.ipv4.conf.all.accept_redirects=1
repaired "resync after reload" converged demo

say "destroy, stop"
vctl destroy other > /dev/null
# A lab of 32 namespaces or more: its marks are read by two threads.
"$ROOT/bench/gen-lab" chain 40 > "$T/chain.yaml"
vctl apply "$T/chain.yaml" > /dev/null || fail "apply of the chain of 40"
vctl destroy chain > /dev/null || fail "destroy of the chain of 40"
expect_eq "$(ls /run/netns | grep -c '^chain-')" 0 "the chain's namespaces after destroy"
stop_vrfd
kill "${BG_PIDS[@]}" 2>/dev/null || true
BG_PIDS=()
if ls "$T"/asan.* "$T"/ubsan.* >/dev/null 2>&1; then
	cat "$T"/asan.* "$T"/ubsan.* 2>/dev/null | head -80
	fail "sanitizer reports"
fi
echo ok
