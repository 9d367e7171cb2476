#!/usr/bin/env bash
# Two labs watched at once: drift in each is repaired in its own lab;
# destroying one leaves the other watched.
. "$(dirname "$0")/lib_daemon.sh"

start_vrfd
apply_lab one
apply_lab two

say "drift in both labs at once"
ip -n one-ce1 route del 10.8.0.0/16
ip -n two-ce2 link set eth0 down
ip -n two-pe1 route del blackhole 10.8.0.0/16
repaired "one-ce1 route" route_ok one-ce1 10.8.0.0/16
two_ok() {
	ip netns exec two-ce2 ping -c 1 -W 1 10.2.0.1 &&
	route_ok two-pe1 10.8.0.0/16
}
repaired "two-ce2 link, two-pe1 route" two_ok
expect_drift one one-ce1 "route 10.8.0.0/16 deleted"
expect_drift two two-ce2 "link eth0 set down"
# Each lab saw only its own drift.
[ "$(ns_status one one-ce2 .repairs)" = 0 ] || fail "one-ce2 was repaired"
[ "$(ns_status two two-ce1 .repairs)" = 0 ] || fail "two-ce1 was repaired"

say "destroy one; two is still kept"
vctl destroy one >/dev/null
for ns in one-ce1 one-pe1 one-ce2; do
	[ -e "/run/netns/$ns" ] && fail "$ns still there after destroy"
done
[ -f "$STATE/labs/one.yaml" ] && fail "one is still kept after destroy"
# ... and stays gone: nothing re-creates it.
ctl_ping || fail "vrfd not answering"
[ -e /run/netns/one-pe1 ] && fail "one-pe1 came back"
ip -n two-ce1 route del 10.8.0.0/16
repaired "two-ce1 route after one's destroy" route_ok two-ce1 10.8.0.0/16
vctl -j status | jq -e '[.labs[].lab] == ["two"]' >/dev/null ||
	fail "status lists other labs than two"
stop_vrfd
echo ok
