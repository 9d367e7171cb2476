#!/usr/bin/env bash
# vrfd repairs what a person changes on one of its links: set down, MTU,
# MAC address.
. "$(dirname "$0")/lib_daemon.sh"

start_vrfd
apply_lab demo

# link_ok NS IF MTU MAC: up, with that MTU and address.
link_ok() {
	ip -j -n "$1" link show dev "$2" | jq -e --arg mac "$4" \
	    --argjson mtu "$3" '.[0] | (.flags | index("UP")) and
	    .mtu == $mtu and .address == $mac' >/dev/null
}
link_ok demo-ce1 eth0 1400 02:00:00:00:01:02 || fail "eth0 wrong after apply"

say "link set down"
ip -n demo-ce1 link set eth0 down
repaired "eth0 up" link_ok demo-ce1 eth0 1400 02:00:00:00:01:02
# Its IPv4 routes went with it, silently: they are back too.
repaired "routes after link down" route_ok demo-ce1 10.8.0.0/16
expect_drift demo demo-ce1 "link eth0 set down"
ping_ok demo-ce1 10.1.0.1

say "MTU changed"
ip -n demo-ce1 link set eth0 mtu 1500
repaired "eth0 mtu 1400" link_ok demo-ce1 eth0 1400 02:00:00:00:01:02
expect_drift demo demo-ce1 "link eth0 mtu 1400 -> 1500"

say "MAC changed"
ip -n demo-ce1 link set eth0 address 02:00:00:00:09:09
repaired "eth0 address" link_ok demo-ce1 eth0 1400 02:00:00:00:01:02
expect_drift demo demo-ce1 "address 02:00:00:00:01:02 -> 02:00:00:00:09:09"

say "peer end set down"
ip -n demo-pe1 link set eth1 down
repaired "pe1 eth1 up" link_ok demo-pe1 eth1 1400 02:00:00:00:01:01
ping_ok demo-ce1 10.1.0.1
wait_for 100 converged demo || fail "not converged"
stop_vrfd
echo ok
