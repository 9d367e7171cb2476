#!/usr/bin/env bash
# `vrfctl events` shows a repair within milliseconds of the drift, as
# JSON (-j, one document per line) and as text.
. "$(dirname "$0")/lib_daemon.sh"

start_vrfd
apply_lab demo

vctl events -j > "$T/events.json" 2>"$T/events.err" &
BG_PIDS+=($!)
vctl events > "$T/events.txt" 2>&1 &
BG_PIDS+=($!)

# The followers may not be subscribed yet when the route goes: delete it
# again (bounded) until both have seen a repair.
seen() {
	jq -se 'map(select(.event == "repair" and .namespace == "demo-ce1" and
	    (.what | contains("route 10.8.0.0/16 deleted")))) | length > 0' \
	    "$T/events.json" >/dev/null &&
	grep -q 'demo-ce1 (ce1) repair: route 10.8.0.0/16 deleted -> 1 change in' \
	    "$T/events.txt"
}
for try in 1 2 3 4 5 6 7 8 9 10; do
	route_ok demo-ce1 10.8.0.0/16 && ip -n demo-ce1 route del 10.8.0.0/16
	wait_for 20 seen && break
done
seen || fail "no repair event: $(cat "$T/events.json" "$T/events.txt")"
cat "$T/events.txt"

ev=$(jq -sc 'map(select(.event == "repair" and .namespace == "demo-ce1"))
    | last' "$T/events.json")
echo "$ev" | jq .
echo "$ev" | jq -e '
	.lab == "demo" and .node == "ce1" and .noticed_by == "netlink" and
	.changes == 1 and .failed == 0 and
	(.time | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}\\.[0-9]{3}Z$")) and
	(.plan | length == 1) and .plan[0].op == "add" and
	(.plan[0].object | contains("10.8.0.0/16")) and
	.repair_ms > 0 and .repair_ms < 1000' >/dev/null ||
	fail "unexpected event: $ev"

say "a namespace deleted"
# Noticed by inotify (its name went) or netlink (its nsid went): the two
# race, both are right.
ip netns del demo-ce2
has_ns_event() {
	jq -se 'map(select(.namespace == "demo-ce2" and
	    .what == "namespace deleted")) | length > 0' "$T/events.json" \
	    >/dev/null
}
wait_for 100 has_ns_event || fail "no event for demo-ce2"
repaired "demo-ce2" ping_ok demo-ce1 10.2.0.2
# No event for our own echoes: every event is a repair that changed
# something.
jq -se 'map(select(.changes == 0)) | length == 0' "$T/events.json" \
	>/dev/null || fail "events without changes"
[ ! -s "$T/events.err" ] || fail "vrfctl events: $(cat "$T/events.err")"
stop_vrfd
echo ok
