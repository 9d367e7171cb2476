#!/usr/bin/env bash
# vrfd re-creates a link of its own that was deleted, renamed or moved to
# another namespace, with both of its ends.
. "$(dirname "$0")/lib_daemon.sh"

start_vrfd
apply_lab demo

# pair_ok: ce1:eth0 and pe1:eth1 exist, up, as one veth pair that carries
# traffic.
pair_ok() {
	ip -j -n demo-ce1 link show dev eth0 | jq -e '.[0] |
	    (.flags | index("UP")) and .mtu == 1400' >/dev/null &&
	ip -j -n demo-pe1 link show dev eth1 | jq -e '.[0] |
	    (.flags | index("UP")) and .mtu == 1400' >/dev/null &&
	route_ok demo-ce1 10.8.0.0/16 &&
	ip netns exec demo-ce1 ping -c 1 -W 1 10.1.0.1
}
pair_ok >/dev/null || fail "ce1 - pe1 not working after apply"

say "link deleted"
ip -n demo-ce1 link del eth0
repaired "deleted link" pair_ok
expect_drift demo demo-ce1 "link eth0 deleted"

say "link renamed"
# One command: vrfd must not see (and repair) half of it.
ip -n demo-ce1 link set dev eth0 down name other0
repaired "renamed link" pair_ok
ip -n demo-ce1 link show other0 >/dev/null 2>&1 &&
	fail "the renamed link other0 is still there"

say "link moved to another namespace"
ip netns add elsewhere
ip -n demo-ce1 link set eth0 netns elsewhere
repaired "moved link" pair_ok
# A move first sets the link down, then waits for the network to settle
# (tens of ms) before it deletes it here: the repair may start on the
# first event.
expect_drift demo demo-ce1 "link eth0 "

say "link moved into another lab namespace"
ip -n demo-ce2 link set dev eth0 netns demo-ce1 name moved0
ce2_ok() {
	ip netns exec demo-ce2 ping -c 1 -W 1 10.2.0.1 >/dev/null
}
repaired "ce2 link back" ce2_ok
repaired "pair ce1-pe1 still fine" pair_ok
gone_moved0() { ! ip -n demo-ce1 link show moved0; }
repaired "moved0 gone from ce1" gone_moved0
wait_for 100 converged demo || fail "not converged"
stop_vrfd
echo ok
