#!/usr/bin/env bash
# t_daemon_busy: passes run off the event loop, one at a time per lab.
#
# Lab demo is kept; then lab grid (bench/gen-grid 20: 400 routers, about
# two seconds of kernel work) is applied in the background. While that
# apply runs:
#   - a route deleted in demo is repaired at once (within about a second,
#     and while the apply of grid still runs);
#   - `vrfctl status demo` answers within half a second;
#   - a second `vrfctl apply` of grid is not run beside the first (one
#     pass of a lab at a time): it waits, then finds nothing to do.
# Both applies end with exit 0, grid converged, nothing failed, no "File
# exists". grid is destroyed at the end; demo is still kept and converged.
. "$(dirname "$0")/lib_daemon.sh"

GRID_N=20

ms_since() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }
# The first apply still runs: its process is there and has not answered.
a1_running() { kill -0 "$A1" 2>/dev/null && [ ! -s "$T/a1.json" ]; }
grid_running() { [ -e /run/netns/grid-r0-0 ] && a1_running; }

start_vrfd
apply_lab demo
"$ROOT/bench/gen-grid" "$GRID_N" > "$T/grid.yaml"
grep -qx 'lab: grid' "$T/grid.yaml" || fail "gen-grid: the lab is not named grid"
for ns in /run/netns/*; do
	case $(basename "$ns") in grid-*) fail "a grid namespace before the test: $ns" ;; esac
done

say "apply grid in the background"
a_start=$(date +%s%N)
vctl -j apply "$T/grid.yaml" > "$T/a1.json" 2> "$T/a1.err" &
A1=$!
BG_PIDS+=($A1)
# Its pass has started once its first namespace is there.
wait_for 200 grid_running || fail "the apply of grid did not start (or ended at once)"
say "grid's pass runs, $(ms_since "$a_start") ms after the request"

say "a second apply of grid, while the first runs"
vctl -j apply "$T/grid.yaml" > "$T/a2.json" 2> "$T/a2.err" &
A2=$!
BG_PIDS+=($A2)

say "drift in demo while grid applies"
start=$(date +%s%N)
ip -n demo-ce1 route del 10.8.0.0/16
wait_for 20 route_ok demo-ce1 10.8.0.0/16 ||
	fail "demo-ce1: route not repaired within 1 s while grid applies"
repair_ms=$(ms_since "$start")
a1_running ||
	fail "the apply of grid ended before the repair was seen: cannot tell (grid too small?)"
say "demo repaired in $repair_ms ms, grid's apply still running"

say "status of demo while grid applies"
start=$(date +%s%N)
vctl -j status demo > "$T/status.json" || fail "status of demo: exit $? ($(cat "$T/status.json"))"
status_ms=$(ms_since "$start")
still=no
a1_running && still=yes
say "status answered in $status_ms ms (grid's apply still running: $still)"
[ "$status_ms" -lt 500 ] || fail "status of demo took $status_ms ms while grid applies"
jq -e '.labs[0].lab == "demo" and .labs[0].converged' "$T/status.json" >/dev/null ||
	fail "status of demo: $(cat "$T/status.json")"

say "both applies end"
rc1=0; wait "$A1" || rc1=$?
a1_ms=$(ms_since "$a_start")
rc2=0; wait "$A2" || rc2=$?
a2_ms=$(ms_since "$a_start")
say "first apply done after $a1_ms ms, second after $a2_ms ms; repair took $repair_ms ms"
for i in 1 2; do
	grep -qi "file exists" "$T/a$i.json" "$T/a$i.err" &&
		fail "apply $i: File exists: $(cat "$T/a$i.err") $(jq -c '[.. | objects | select(.error?) | .error] | unique' "$T/a$i.json")"
done
expect_eq "$rc1" 0 "exit status of the first apply ($(cat "$T/a1.err"))"
expect_eq "$rc2" 0 "exit status of the second apply ($(cat "$T/a2.err"))"
jq -e '.failed == 0 and .converged and .changes > 0' "$T/a1.json" >/dev/null ||
	fail "first apply: $(jq -c '{changes, failed, converged}' "$T/a1.json")"
# The second waited for the first: nothing was left for it to do.
jq -e '.failed == 0 and .converged and .changes == 0' "$T/a2.json" >/dev/null ||
	fail "second apply: $(jq -c '{changes, failed, converged}' "$T/a2.json")"
[ "$repair_ms" -lt "$a1_ms" ] || fail "the repair ($repair_ms ms) was not before the end of the apply ($a1_ms ms)"
converged grid || fail "grid not converged after both applies"
[ -f "$STATE/labs/grid.yaml" ] || fail "grid is not kept"

say "destroy grid; demo stays"
vctl destroy grid > /dev/null || fail "destroy grid"
left=$(ls /run/netns | grep -c '^grid-' || true)
expect_eq "$left" 0 "grid namespaces left after destroy"
[ -f "$STATE/labs/grid.yaml" ] && fail "grid still kept after destroy"
converged demo || fail "demo not converged at the end"
ip -n demo-ce1 route del 10.8.0.0/16
wait_for 20 route_ok demo-ce1 10.8.0.0/16 || fail "demo no longer repaired after grid's destroy"
vrfd_alive || fail "vrfd died"
stop_vrfd
say ok
