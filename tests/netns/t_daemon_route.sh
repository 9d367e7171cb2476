#!/usr/bin/env bash
# vrfd repairs its routes: deleted, changed by hand (same protocol or
# another); a foreign route (proto 42) is left alone.
. "$(dirname "$0")/lib_daemon.sh"

start_vrfd
apply_lab demo

say "route deleted"
ip -n demo-ce1 route del 10.8.0.0/16
repaired "route deleted" route_ok demo-ce1 10.8.0.0/16
expect_drift demo demo-ce1 "route 10.8.0.0/16 deleted"

say "route changed, protocol kept"
ip -n demo-ce1 route change 10.8.0.0/16 via 10.1.0.3 proto 118
gw_ok() {
	ip -j -n demo-ce1 route show exact 10.8.0.0/16 |
	    jq -e '.[0].gateway == "10.1.0.1"' >/dev/null
}
repaired "route changed (proto 118)" gw_ok
route_ok demo-ce1 10.8.0.0/16 || fail "route not ours after repair"

say "route replaced by another protocol: reported, left alone"
# Foreign routes are never removed: vrfd reports the drift it cannot fix.
ip -n demo-ce1 route replace 10.8.0.0/16 via 10.1.0.3 proto static
expect_drift demo demo-ce1 "replaced (proto static)"
ip -N -j -n demo-ce1 route show exact 10.8.0.0/16 |
	jq -e '.[0].protocol == "4" and .[0].gateway == "10.1.0.3"' \
	>/dev/null || fail "vrfd took the foreign route over"
converged demo && fail "status says converged with a foreign route in the way"
# Once it is gone, ours comes back without waiting for a resync.
ip -n demo-ce1 route del 10.8.0.0/16 proto static
repaired "route ours again" route_ok demo-ce1 10.8.0.0/16
gw_ok || fail "route 10.8.0.0/16 has the wrong gateway"

say "route of pe1 (blackhole) deleted"
ip -n demo-pe1 route del blackhole 10.8.0.0/16
repaired "blackhole route deleted" route_ok demo-pe1 10.8.0.0/16

say "a foreign route survives"
ip -n demo-ce1 route add 10.99.0.0/16 via 10.1.0.1 proto 42
# A repair pass over the same namespace must leave it.
ip -n demo-ce1 route del 10.8.0.0/16
repaired "route deleted again" route_ok demo-ce1 10.8.0.0/16
ip -N -j -n demo-ce1 route show exact 10.99.0.0/16 |
	jq -e 'length == 1 and .[0].protocol == "42"' >/dev/null ||
	fail "the foreign route 10.99.0.0/16 is gone"
converged demo || fail "not converged at the end"
vrfd_alive || fail "vrfd died"
stop_vrfd
echo "ok"
