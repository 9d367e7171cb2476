#!/usr/bin/env bash
# vrfd puts back an address of its own that was deleted (and what went
# with it: the connected route, the routes through it).
. "$(dirname "$0")/lib_daemon.sh"

start_vrfd
apply_lab demo

addr_ok() {
	ip -j -n demo-ce1 addr show dev eth0 | jq -e '[.[0].addr_info[] |
	    select(.family == "inet" and .local == "10.1.0.2" and
	    .prefixlen == 24)] | length == 1' >/dev/null
}
addr_ok || fail "10.1.0.2/24 missing after apply"

say "address deleted"
ip -n demo-ce1 addr del 10.1.0.2/24 dev eth0
repaired "address 10.1.0.2/24" addr_ok
repaired "routes through it" route_ok demo-ce1 10.8.0.0/16
expect_drift demo demo-ce1 "address 10.1.0.2/24 on eth0 deleted"
ping_ok demo-ce1 10.1.0.1
wait_for 100 converged demo || fail "not converged"
[ "$(ns_status demo demo-ce1 .repairs)" -ge 1 ] || fail "no repair counted"
stop_vrfd
echo ok
