#!/usr/bin/env bash
# An underlay flap, over IPv4 and over IPv6: the underlay link of one
# host goes down and comes back. The VXLAN links have no device of their
# own (routing picks the underlay), so nothing of the lab's changes:
# traffic stops while the underlay is down and flows again once it is
# up, and neither vrfd has anything to repair.
. "$(dirname "$0")/lib_hosts.sh"

flap() {	# flap FAMILY
	local fam=$1 r
	say "$fam: apply the lab on both hosts"
	hosts_lab "$T/xh.yaml" xh a a a b b b
	on a "$VRFCTL" apply "$T/xh.yaml" > /dev/null || fail "apply on a"
	on b "$VRFCTL" apply "$T/xh.yaml" > /dev/null || fail "apply on b"
	ping_on a xh-h1 10.2.0.2 || fail "$fam: h1 cannot reach h2"
	ping_on a xh-h1 2001:db8:2::2 || fail "$fam: h1 cannot reach h2 (v6)"
	idx=$(qh a xh-r2 '.[0].ifindex' link show dev eth1)

	say "$fam: host a's underlay goes down: the tunnels carry nothing"
	on a ip link set ul0 down
	ping_on a xh-h1 10.2.0.2 && fail "$fam: h1 reaches h2 with no underlay"
	ping_on b xh-h2 2001:db8:1::2 && fail "$fam: h2 reaches h1 with no underlay"
	expect_eq "$(qh a xh-r2 '.[0].operstate' link show dev eth1)" UNKNOWN \
	    "$fam: the VXLAN link itself stays"

	say "$fam: it comes back: traffic flows again, on the same links"
	on a ip link set ul0 up
	wait_for 100 ping_on a xh-h1 10.2.0.2 ||
		fail "$fam: h1 cannot reach h2 after the flap"
	wait_for 100 ping_on b xh-h2 2001:db8:1::2 ||
		fail "$fam: h2 cannot reach h1 after the flap (v6)"
	expect_eq "$(qh a xh-r2 '.[0].ifindex' link show dev eth1)" "$idx" \
	    "$fam: r2:eth1 is the same link"
	for h in a b; do
		r=$(on "$h" "$VRFCTL" -j status xh |
		    jq '[.labs[0].namespaces[].repairs] | add')
		expect_eq "$r" 0 "$fam: repairs on $h"
	done
	on a "$VRFCTL" verify xh > "$T/verify.out" ||
		fail "$fam: verify after the flap: $(cat "$T/verify.out")"
	on a "$VRFCTL" destroy xh > /dev/null
	on b "$VRFCTL" destroy xh > /dev/null
}

hosts_start v4 a b
hosts_vrfd a
hosts_vrfd b
flap IPv4
# Again, the hosts on an IPv6 underlay.
hosts_vrfd_stop a
hosts_vrfd_stop b
for h in a b; do
	on "$h" ip address flush dev ul0 scope global
done
on a ip address add 2001:db8::1/64 dev ul0 nodad
on b ip address add 2001:db8::2/64 dev ul0 nodad
HOST_ADDR[a]=2001:db8::1
HOST_ADDR[b]=2001:db8::2
wait_for 100 on a ping -c 1 -W 1 2001:db8::2 || fail "IPv6 underlay"
hosts_vrfd a
hosts_vrfd b
flap IPv6
echo "ok"
