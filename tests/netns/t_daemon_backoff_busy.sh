#!/usr/bin/env bash
# t_daemon_backoff_busy: the backoff counts repairs per object, not per
# namespace. Six unrelated edits of one namespace (demo-ce1) in quick
# succession, each made once the one before is repaired: a route deleted,
# the default route deleted, the MTU of eth0 changed, the permanent
# neighbour deleted, the MAC of eth0 changed, IPv4 forwarding turned off.
# With backoff_repairs 3 and a window of 10 s, each is repaired at once
# (within about a second), no "backoff" event is sent, no "next repair"
# warning is logged, and status says backoff_ms 0. Then the first object
# (route 10.8.0.0/16) is undone twice more: its third repair within the
# window, and only it, starts the backoff.
. "$(dirname "$0")/lib_daemon.sh"

cat >> "$CONF" <<'EOF2'
backoff_repairs 3
backoff_window 10
backoff_initial_ms 1000
backoff_max_ms 4000
EOF2
start_vrfd
apply_lab demo

ms_since() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }

follow_events "$T/events.json"

mtu_ok() {
	ip -j -n demo-ce1 link show eth0 | jq -e '.[0].mtu == 1400' >/dev/null
}
mac_ok() {
	ip -j -n demo-ce1 link show eth0 |
	    jq -e '.[0].address == "02:00:00:00:01:02"' >/dev/null
}
neigh_ok() {
	ip -j -n demo-ce1 neigh show 10.1.0.1 dev eth0 | jq -e 'length == 1 and
	    .[0].lladdr == "02:00:00:00:01:01" and
	    (.[0].state | index("PERMANENT"))' >/dev/null
}
fwd_ok() {
	[ "$(ip netns exec demo-ce1 sysctl -n net.ipv4.ip_forward)" = 1 ]
}
route_10_8() { route_ok demo-ce1 10.8.0.0/16; }
route_default() { route_ok demo-ce1 0.0.0.0/0; }
all_ok() {
	route_10_8 && route_default && mtu_ok && neigh_ok && mac_ok && fwd_ok
}
all_ok || fail "demo-ce1 not as declared before the edits"

# edit WHAT CHECK CMD...: CMD undoes what CHECK checks, which must be true
# again within about a second.
edit() {
	local what=$1 check=$2 start
	shift 2
	"$check" || fail "$what: not as declared before the edit"
	start=$(date +%s%N)
	"$@"
	wait_for 20 "$check" || fail "$what: not repaired within 1 s"
	say "$what: repaired in $(ms_since "$start") ms"
}

say "six unrelated edits of demo-ce1"
edit "route 10.8.0.0/16 deleted" route_10_8 \
	ip -n demo-ce1 route del 10.8.0.0/16
edit "default route deleted" route_default \
	ip -n demo-ce1 route del default
edit "mtu of eth0 changed" mtu_ok \
	ip -n demo-ce1 link set eth0 mtu 1300
edit "neighbour 10.1.0.1 deleted" neigh_ok \
	ip -n demo-ce1 neigh del 10.1.0.1 dev eth0
edit "mac of eth0 changed" mac_ok \
	ip -n demo-ce1 link set eth0 address 02:00:00:00:01:99
edit "ip_forward turned off" fwd_ok \
	ip netns exec demo-ce1 sysctl -qw net.ipv4.ip_forward=0
all_ok || fail "demo-ce1 not as declared after the edits"

ce1() {
	jq -sc --arg e "$1" 'map(select(.namespace == "demo-ce1" and
	    .event == $e))' "$T/events.json"
}
six_repairs() { [ "$(ce1 repair | jq length)" -ge 6 ]; }
wait_for 40 six_repairs || fail "repair events: $(ce1 repair)"
expect_eq "$(ce1 repair | jq length)" 6 "repair events of demo-ce1"
expect_eq "$(ce1 backoff | jq length)" 0 \
	"backoff events after unrelated edits ($(ce1 backoff))"
expect_eq "$(ce1 drift | jq length)" 0 "drift events of demo-ce1 ($(ce1 drift))"
expect_eq "$(ns_status demo demo-ce1 .backoff_ms)" 0 "status backoff_ms"
expect_eq "$(ns_status demo demo-ce1 .repairs)" 6 "status repairs"
grep -q "next repair in" "$T/vrfd.log" &&
	fail "vrfd backed off: $(grep "next repair in" "$T/vrfd.log")"
converged demo || fail "not converged after the edits"

say "the same route undone twice more: its third repair starts the backoff"
edit "route 10.8.0.0/16 deleted (2nd)" route_10_8 \
	ip -n demo-ce1 route del 10.8.0.0/16
expect_eq "$(ce1 backoff | jq length)" 0 "backoff events after 2 repairs of the route"
edit "route 10.8.0.0/16 deleted (3rd)" route_10_8 \
	ip -n demo-ce1 route del 10.8.0.0/16
one_backoff() { [ "$(ce1 backoff | jq length)" -ge 1 ]; }
wait_for 40 one_backoff || fail "no backoff event after 3 repairs of the route"
ce1 backoff | jq -e 'length == 1 and (.[0] | .backoff_ms == 1000 and
    .repairs == 3 and .what == "route 10.8.0.0/16 deleted")' >/dev/null ||
	fail "backoff event: $(ce1 backoff)"
expect_eq "$(ns_status demo demo-ce1 .backoff_ms)" 1000 "status backoff_ms"
vrfd_alive || fail "vrfd died"
stop_vrfd
say ok
