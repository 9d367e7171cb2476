#!/usr/bin/env bash
# Someone who keeps undoing the same thing does not make vrfd spin: one
# repair per undo, and after backoff_repairs of them within the window each
# next repair waits, the wait doubling up to its cap; events and status
# say so.
. "$(dirname "$0")/lib_daemon.sh"

cat >> "$CONF" <<'EOF2'
backoff_repairs 3
backoff_window 10
backoff_initial_ms 300
backoff_max_ms 1200
EOF2
start_vrfd
apply_lab demo

follow_events "$T/events.json"

say "undo the same route 6 times"
for i in 1 2 3 4 5 6; do
	wait_for 100 route_ok demo-ce1 10.8.0.0/16 ||
		fail "route not back before undo $i"
	ip -n demo-ce1 route del 10.8.0.0/16
done
repaired "the last undo" route_ok demo-ce1 10.8.0.0/16
backoff=$(ns_status demo demo-ce1 .backoff_ms)
expect_eq "$backoff" 1200 "status backoff_ms"

ce1() {
	jq -sc --arg e "$1" 'map(select(.namespace == "demo-ce1" and
	    .event == $e))' "$T/events.json"
}
all_events() {
	[ "$(ce1 repair | jq length)" -ge 6 ] &&
	[ "$(ce1 backoff | jq length)" -ge 4 ]
}
wait_for 100 all_events || fail "events: $(cat "$T/events.json")"
expect_eq "$(ce1 repair | jq length)" 6 "repairs for 6 undos"
expect_eq "$(ce1 backoff | jq -c 'map(.backoff_ms)')" "[300,600,1200,1200]" \
	"backoff delays"
ce1 backoff | jq -e 'last | .what == "route 10.8.0.0/16 deleted" and
    .repairs == 6' >/dev/null || fail "backoff event: $(ce1 backoff)"
# The repairs after the third waited out their delay: each came at least
# 300, 600, 1200 ms after the one before (event times, to the ms).
gaps=$(ce1 repair | jq -c 'map(.time | (.[0:19] + "Z" | fromdateiso8601) +
    (.[20:23] | tonumber) / 1000) | [range(1; length) as $i |
    (.[$i] - .[$i - 1]) * 1000 | round] | .[2:]')
say "gaps between repairs 3-4, 4-5, 5-6: $gaps ms"
echo "$gaps" | jq -e '.[0] >= 295 and .[1] >= 595 and .[2] >= 1195' \
	>/dev/null || fail "repairs not held back: $gaps"
# Another namespace is not held back by ce1's backoff.
ip -n demo-pe1 route del blackhole 10.8.0.0/16
start=$(date +%s%N)
repaired "pe1 at once" route_ok demo-pe1 10.8.0.0/16
[ $(( ($(date +%s%N) - start) / 1000000 )) -lt 1000 ] ||
	fail "pe1 waited for ce1's backoff"
stop_vrfd
echo ok
