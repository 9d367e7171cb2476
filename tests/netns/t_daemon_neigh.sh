#!/usr/bin/env bash
# vrfd puts back a static neighbour of its own that was deleted or
# changed.
. "$(dirname "$0")/lib_daemon.sh"

start_vrfd
apply_lab demo

neigh_ok() {
	ip -j -n demo-ce1 neigh show 10.1.0.1 dev eth0 | jq -e 'length == 1 and
	    .[0].lladdr == "02:00:00:00:01:01" and
	    (.[0].state | index("PERMANENT"))' >/dev/null
}
neigh_ok || fail "neighbour 10.1.0.1 missing after apply"

say "neighbour deleted"
ip -n demo-ce1 neigh del 10.1.0.1 dev eth0
repaired "neighbour deleted" neigh_ok
expect_drift demo demo-ce1 "neighbour 10.1.0.1 on eth0 deleted"

say "neighbour changed"
ip -n demo-ce1 neigh replace 10.1.0.1 lladdr 02:00:00:00:09:09 dev eth0 \
	nud permanent
repaired "neighbour changed" neigh_ok
expect_drift demo demo-ce1 "neighbour 10.1.0.1 on eth0 changed"
wait_for 100 converged demo || fail "not converged"
stop_vrfd
echo ok
