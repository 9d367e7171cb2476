#!/usr/bin/env bash
# t_proto_names: route protocols are named as `ip route` names them
# (`proto ospf`, not `proto 188`): in plan, status and vrfd's events. In
# the commands plan prints, a name only where ip reads it back: vrfd's 118
# is "vrfd" while conf/rt_protos.d/vrfd.conf is installed (the sandbox
# installs it), "118" without it; and the commands run.
. "$(dirname "$0")/lib_daemon.sh"

start_vrfd
apply_lab demo
follow_events "$T/events.json"

# event_is WORDS: vrfd told its followers of a drift in demo-ce1 in WORDS.
event_is() {
	jq -se --arg w "$1" 'map(select(.namespace == "demo-ce1" and
	    .what == $w)) | length > 0' "$T/events.json" >/dev/null
}

say "a route of ospf's beside vrfd's: foreign, named"
ip -n demo-ce1 route add 10.9.0.0/24 via 10.1.0.1 proto ospf
foreign_seen() {
	[ "$(ns_status demo demo-ce1 '.foreign_objects | tostring')" = \
	    '[{"kind":"route","what":"10.9.0.0/24 proto ospf metric 0"}]' ]
}
wait_for 100 foreign_seen ||
	fail "status: $(ns_status demo demo-ce1 .foreign_objects)"
vctl plan "$T/demo.yaml" >"$T/plan.txt" || fail "plan"
grep -qxF "  demo-ce1: route 10.9.0.0/24 proto ospf metric 0" "$T/plan.txt" ||
	fail "plan: $(cat "$T/plan.txt")"

say "one of ospf's in the place of vrfd's: a conflict, named"
ip -n demo-ce1 route replace 10.8.0.0/16 via 10.1.0.1 proto ospf
why="route 10.8.0.0/16 proto ospf metric 0 exists and is not vrfd's; left alone"
expect_drift demo demo-ce1 "route 10.8.0.0/16 replaced (proto ospf)"
wait_for 100 event_is "route 10.8.0.0/16 replaced (proto ospf)" ||
	fail "events: $(cat "$T/events.json")"
expect_eq "$(ns_status demo demo-ce1 '.conflicts | tostring')" \
    "$(jq -nc --arg w "$why" '[$w]')" "status: conflicts"
vctl status demo >"$T/status.txt" || true
grep -qxF "demo-ce1: $why" "$T/status.txt" ||
	fail "status: $(cat "$T/status.txt")"
vctl plan "$T/demo.yaml" >"$T/plan.txt" || fail "plan"
grep -qxF "  ce1: cannot add route 10.8.0.0/16 metric 0: $why" "$T/plan.txt" ||
	fail "plan: $(cat "$T/plan.txt")"
ip -n demo-ce1 route del 10.8.0.0/16 proto ospf
ip -n demo-ce1 route del 10.9.0.0/24 proto ospf
repaired "vrfd's own again" route_ok demo-ce1 10.8.0.0/16
wait_for 100 event_is "route 10.8.0.0/16 deleted (proto ospf)" ||
	fail "events: $(cat "$T/events.json")"
stop_vrfd

say "plan's commands: the name ip reads back, and they run"
ip -n demo-ce1 route del 10.8.0.0/16
# vrfctl alone, on the lab vrfd kept
plan_cmd() {
	VRFD_STATE_DIR=$STATE "$VRFCTL" -j plan demo |
	    jq -r '.plan[] | select(.namespace == "demo-ce1") | .command'
}
cmd=$(plan_cmd)
expect_eq "$cmd" "ip -n demo-ce1 route add 10.8.0.0/16 proto vrfd via 10.1.0.1" \
    "the command, vrfd.conf installed"
mv /etc/iproute2/rt_protos.d/vrfd.conf "$T/"
expect_eq "$(plan_cmd)" \
    "ip -n demo-ce1 route add 10.8.0.0/16 proto 118 via 10.1.0.1" \
    "the command, vrfd.conf not installed"
mv "$T/vrfd.conf" /etc/iproute2/rt_protos.d/
eval "$cmd" || fail "the plan's command: $cmd"
route_ok demo-ce1 10.8.0.0/16 || fail "the command did not make vrfd's route"

say "names of a file under rt_protos.d; numbers without one"
echo "77 mydaemon" >/etc/iproute2/rt_protos.d/lab.conf
ip -n demo-ce2 route add 10.7.0.0/24 via 10.2.0.1 proto 77
ip -n demo-ce2 route add 10.6.0.0/24 via 10.2.0.1 proto 78
expect_eq "$(VRFD_STATE_DIR=$STATE "$VRFCTL" -j status demo | jq -r \
    '.labs[0].namespaces[] | select(.namespace == "demo-ce2") |
    .foreign_objects[].what' | sort)" \
    "10.6.0.0/24 proto 78 metric 0
10.7.0.0/24 proto mydaemon metric 0" "status: foreign objects"
say ok
