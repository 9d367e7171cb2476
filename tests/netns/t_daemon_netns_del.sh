#!/usr/bin/env bash
# `ip netns del` of a lab namespace: vrfd makes it again, with its
# contents and both ends of its links.
. "$(dirname "$0")/lib_daemon.sh"

start_vrfd
apply_lab demo
ping_ok demo-ce1 10.2.0.2

# pe1 is back as it was: its links (whose other ends, in ce1 and ce2,
# died with it), addresses, routes and sysctls.
pe1_ok() {
	[ -e /run/netns/demo-pe1 ] &&
	ip -j -n demo-pe1 link show dev eth1 | jq -e '.[0] |
	    (.flags | index("UP")) and .mtu == 1400 and
	    .address == "02:00:00:00:01:01"' >/dev/null &&
	ip -j -n demo-pe1 link show dev eth2 >/dev/null &&
	ip -j -n demo-ce1 link show dev eth0 | jq -e '.[0] |
	    (.flags | index("UP"))' >/dev/null &&
	ip -j -n demo-ce2 link show dev eth0 | jq -e '.[0] |
	    (.flags | index("UP"))' >/dev/null &&
	route_ok demo-pe1 10.8.0.0/16 &&
	route_ok demo-ce1 10.8.0.0/16 &&
	[ "$(ip netns exec demo-pe1 sysctl -n net.ipv4.ip_forward)" = 1 ] &&
	ip netns exec demo-ce1 ping -c 1 -W 1 10.2.0.2
}

for round in 1 2; do
	say "ip netns del demo-pe1 (round $round)"
	ip netns del demo-pe1
	repaired "demo-pe1 and its links" pe1_ok
	expect_drift demo demo-pe1 "namespace deleted"
	[ "$(ns_status demo demo-pe1 .watched)" = true ] ||
		fail "demo-pe1 not watched again"
done

say "ip netns del, slowed down between its two steps"
# iproute2 unbinds the name, then removes the file. A repair in between
# must not take the file away first (the delete would fail), nor give up.
umount /run/netns/demo-pe1
sleep 0.2
rm /run/netns/demo-pe1 || fail "the name went before ip netns del took it"
repaired "demo-pe1 after a slow delete" pe1_ok

say "a name left on no namespace is a leftover, taken over"
umount /run/netns/demo-pe1
repaired "demo-pe1 from a leftover name" pe1_ok

say "and its drift is still repaired"
ip -n demo-pe1 route del blackhole 10.8.0.0/16
repaired "pe1 route" route_ok demo-pe1 10.8.0.0/16
wait_for 100 converged demo || fail "not converged"
stop_vrfd
echo ok
