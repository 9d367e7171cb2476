#!/usr/bin/env bash
# t_daemon_recover: a foreign object in the place of one of vrfd's is a
# conflict, left alone; once it goes, vrfd's own comes back at once, from
# the kernel's event alone (no periodic resync: resync_interval is 30 s).
#
# While vrfd is stopped, its objects are swapped for foreign ones with the
# same keys: route 10.8.0.0/16 of demo-ce1 (proto static), the blackhole
# 10.8.0.0/16 of demo-pe1 (proto 42), address 10.2.0.2/24 of demo-ce2 (no
# protocol). At start vrfd sees the conflicts: status says the lab is not
# converged, one difference in each of those namespaces, and the foreign
# objects are untouched. Then each foreign object is deleted: vrfd's own
# (protocol 118, IFA_PROTO 118) is back within about a second, its repair
# event says netlink noticed it, and no resync ran. At the end the lab is
# converged.
. "$(dirname "$0")/lib_daemon.sh"

grep -qx 'resync_interval 30' "$CONF" || fail "resync_interval is not 30"

# addr_proto_of NS ADDR: the IFA_PROTO of each copy of that address (0
# when it has none), "none" without one. iproute2 before 6.3 does not
# show it: build/tests/addr_proto reads it.
addr_proto_of() {
	"$ROOT/build/tests/addr_proto" "$1" "$2" || echo none
}

# addr_there NS ADDR PLEN DEV: the address is on DEV, whoever's.
addr_there() {
	ip -j -n "$1" address show dev "$4" | jq -e --arg a "$2" \
	    --argjson p "$3" '[.[0].addr_info[] | select(.family == "inet" and
	    .local == $a and .prefixlen == $p)] | length == 1' >/dev/null
}

ms_since() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }

start_vrfd
apply_lab demo
expect_eq "$(addr_proto_of demo-ce2 10.2.0.2)" 118 \
	"protocol of vrfd's address after apply"

say "vrfd stopped: its objects swapped for foreign ones"
stop_vrfd
ip -n demo-ce1 route replace 10.8.0.0/16 via 10.1.0.1 proto static
ip -n demo-pe1 route replace blackhole 10.8.0.0/16 proto 42
# The address goes, and with it the routes through it; the foreign copy
# comes in its place.
ip -n demo-ce2 address del 10.2.0.2/24 dev eth0
ip -n demo-ce2 address add 10.2.0.2/24 dev eth0
expect_eq "$(addr_proto_of demo-ce2 10.2.0.2)" 0 \
	"protocol of the foreign address"

start_vrfd

say "at start: conflicts, reported and left alone"
# The start pass is done once demo-ce2 has its default route back (the
# foreign address makes 10.2.0.1 reachable).
wait_for 100 route_ok demo-ce2 0.0.0.0/0 || fail "demo-ce2: default route not back at start"
conflicts_seen() {
	[ "$(ns_status demo demo-ce1 .differences)" = 1 ] &&
	[ "$(ns_status demo demo-pe1 .differences)" = 1 ] &&
	[ "$(ns_status demo demo-ce2 .differences)" = 1 ]
}
wait_for 100 conflicts_seen ||
	fail "status: $(vctl -j status demo | jq -c '[.labs[0].namespaces[] |
	    {namespace, differences}]')"
converged demo && fail "status says converged with three conflicts"
# Status names each conflict, in the words of the plan.
for c in "demo-ce1 route 10.8.0.0/16 proto static metric 0 exists and is not vrfd's" \
    "demo-pe1 route blackhole 10.8.0.0/16 proto babel metric 0 exists and is not vrfd's" \
    "demo-ce2 address 10.2.0.2/24 on eth0 exists and is not vrfd's"; do
	ns=${c%% *}
	got=$(ns_status demo "$ns" '.conflicts // [] | .[]') || true
	[[ $got == *"${c#* }"* ]] ||
		fail "status of $ns: conflicts $(ns_status demo "$ns" '.conflicts' | jq -c .), expected '${c#* }'"
done
rc=0; vctl status demo > "$T/status.txt" || rc=$?
expect_eq "$rc" 1 "exit status of vrfctl status with conflicts"
# A plan through vrfd names each conflict.
vctl -j plan "$T/demo.yaml" > "$T/plan.json" || true
plan_conflicts=$(jq -r '[.. | objects | select(.conflict == true) |
    "\(.namespace) \(.object)"] | sort | .[]' "$T/plan.json")
expect_eq "$plan_conflicts" "demo-ce1 route 10.8.0.0/16 metric 0
demo-ce2 address 10.2.0.2/24 dev eth0
demo-pe1 route blackhole 10.8.0.0/16 metric 0" "plan: the conflicts"
# Left alone: the foreign objects are as they were put.
ip -N -j -n demo-ce1 route show exact 10.8.0.0/16 | jq -e 'length == 1 and
    .[0].protocol == "4" and .[0].gateway == "10.1.0.1"' >/dev/null ||
	fail "demo-ce1: the foreign route was touched"
ip -N -j -n demo-pe1 route show exact 10.8.0.0/16 | jq -e 'length == 1 and
    .[0].protocol == "42" and (.[0].type == "blackhole" or .[0].type == "6")' >/dev/null ||
	fail "demo-pe1: the foreign blackhole was touched"
expect_eq "$(addr_proto_of demo-ce2 10.2.0.2)" 0 \
	"protocol of the foreign address while vrfd runs"

# Events from now on (the address in conflict is still there: the
# default route's repair is a "drift" event).
follow_events "$T/events.json"

say "the foreign route goes: vrfd's comes back"
start=$(date +%s%N)
ip -n demo-ce1 route del 10.8.0.0/16 proto static
wait_for 20 route_ok demo-ce1 10.8.0.0/16 ||
	fail "demo-ce1: route 10.8.0.0/16 not back within 1 s (now: $(ip -N -j \
	    -n demo-ce1 route show exact 10.8.0.0/16))"
say "demo-ce1 route back in $(ms_since "$start") ms"

say "the foreign blackhole goes: vrfd's comes back"
start=$(date +%s%N)
ip -n demo-pe1 route del blackhole 10.8.0.0/16 proto 42
wait_for 20 route_ok demo-pe1 10.8.0.0/16 ||
	fail "demo-pe1: blackhole 10.8.0.0/16 not back within 1 s"
say "demo-pe1 blackhole back in $(ms_since "$start") ms"
ip -N -j -n demo-pe1 route show exact 10.8.0.0/16 |
	jq -e '(.[0].type == "blackhole" or .[0].type == "6")' >/dev/null || fail "demo-pe1: not a blackhole"

say "the foreign address goes: vrfd's comes back"
start=$(date +%s%N)
ip -n demo-ce2 address del 10.2.0.2/24 dev eth0
wait_for 20 addr_there demo-ce2 10.2.0.2 24 eth0 ||
	fail "demo-ce2: address 10.2.0.2/24 not back within 1 s"
say "demo-ce2 address back in $(ms_since "$start") ms"
expect_eq "$(addr_proto_of demo-ce2 10.2.0.2)" 118 \
	"protocol of the address put back"
wait_for 20 route_ok demo-ce2 0.0.0.0/0 ||
	fail "demo-ce2: default route not back with the address"

say "converged, from events alone"
wait_for 20 converged demo ||
	fail "not converged: $(vctl -j status demo | jq -c '[.labs[0].namespaces[] |
	    {namespace, differences, foreign}]')"
for ns in demo-ce1 demo-pe1 demo-ce2; do
	expect_eq "$(ns_status demo $ns .differences)" 0 "$ns differences"
	expect_eq "$(ns_status demo $ns .foreign)" 0 "$ns foreign objects"
	expect_eq "$(ns_status demo $ns '.conflicts // [] | length')" 0 "$ns conflicts"
done
# Each came back by a repair that netlink noticed, of what was deleted.
repair_of() {	# repair_of NS WHAT
	jq -se --arg ns "$1" --arg w "$2" 'map(select(.namespace == $ns and
	    .event == "repair" and .noticed_by == "netlink" and
	    .what == $w and .failed == 0)) | length >= 1' "$T/events.json" \
	    >/dev/null
}
all_repairs() {
	repair_of demo-ce1 "route 10.8.0.0/16 deleted (proto static)" &&
	repair_of demo-pe1 "route 10.8.0.0/16 deleted (proto babel)" &&
	repair_of demo-ce2 "address 10.2.0.2/24 on eth0 deleted"
}
wait_for 40 all_repairs || fail "repair events: $(cat "$T/events.json")"
jq -se 'map(select(.event == "resync" or .noticed_by == "resync" or
    .event == "backoff")) | length == 0' "$T/events.json" >/dev/null ||
	fail "a resync or a backoff: $(cat "$T/events.json")"
ping_ok demo-ce1 10.1.0.1
ping_ok demo-ce2 10.2.0.1
vrfd_alive || fail "vrfd died"
stop_vrfd
say ok
