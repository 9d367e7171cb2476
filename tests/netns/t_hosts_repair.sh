#!/usr/bin/env bash
# Drift of a link between hosts is repaired by the vrfd of the host whose
# end it is: a VXLAN end deleted is made again (same VNI, same MAC) and
# traffic flows again; its MTU changed by hand is set back in place; the
# other host's vrfd has nothing to do.
. "$(dirname "$0")/lib_hosts.sh"

hosts_start v4 a b
hosts_vrfd a
hosts_vrfd b
hosts_lab "$T/xh.yaml" xh a a a b b b
on a "$VRFCTL" apply "$T/xh.yaml" > /dev/null || fail "apply on a"
on b "$VRFCTL" apply "$T/xh.yaml" > /dev/null || fail "apply on b"
ping_on a xh-h1 10.2.0.2 || fail "h1 cannot reach h2"
vni=$(vni_of a xh-r2 eth1)
mac=$(mac_of a xh-r2 eth1)

repairs() {	# repairs HOST NS: what vrfd counts
	on "$1" "$VRFCTL" -j status xh |
	    jq -r --arg ns "$2" '.labs[0].namespaces[] | select(.namespace == $ns) | .repairs'
}
eth1_back() {
	[ "$(qh a xh-r2 '.[0].linkinfo.info_kind' -d link show dev eth1 2>/dev/null)" = vxlan ] &&
	    [ "$(qh a xh-r2 '.[0].addr_info[] | select(.local == "10.23.0.2") | .prefixlen' addr show dev eth1)" = 24 ]
}

say "host a's end of r2 - r3 deleted: a's vrfd makes it again"
on a ip -n xh-r2 link delete eth1
wait_for 100 eth1_back || fail "r2:eth1 not made again"
expect_eq "$(vni_of a xh-r2 eth1)" "$vni" "vni made again"
expect_eq "$(mac_of a xh-r2 eth1)" "$mac" "mac made again"
expect_eq "$(qh a xh-r2 '.[0].ifalias' link show dev eth1)" "vrfd lab=xh" "mark"
wait_for 40 ping_on a xh-h1 10.2.0.2 || fail "h1 cannot reach h2 after the repair"
expect_eq "$(repairs a xh-r2)" 1 "a's repairs of xh-r2"
expect_eq "$(repairs b xh-r3)" 0 "b's repairs of xh-r3"
grep -q "xh-r2: link eth1 deleted: repaired" "$T/vrfd-a.log" ||
	fail "a's vrfd did not say it repaired"

say "its MTU changed by hand: set back in place, not made again"
idx=$(qh b xh-r3 '.[0].ifindex' link show dev eth0)
on b ip -n xh-r3 link set dev eth0 mtu 1400
mtu_back() { [ "$(qh b xh-r3 '.[0].mtu' link show dev eth0)" = 1500 ]; }
wait_for 100 mtu_back || fail "r3:eth0's MTU not set back"
expect_eq "$(qh b xh-r3 '.[0].ifindex' link show dev eth0)" "$idx" \
    "r3:eth0 is the same link"

say "a VXLAN link of someone else's in its place is a conflict, left alone"
hosts_vrfd_stop b
on b ip -n xh-r3 link delete eth0
on b ip link add eth0 netns xh-r3 type vxlan id 77 local 192.0.2.2 \
    remote 192.0.2.1 dstport 4789
on b "$VRFCTL" status xh > "$T/conflict.out" && fail "status with a conflict"
grep -q "xh-r3: interface eth0 exists and is not vrfd's; left alone" \
    "$T/conflict.out" || fail "status: $(cat "$T/conflict.out")"
hosts_vrfd b
on b "$VRFCTL" apply "$T/xh.yaml" > "$T/conflict-apply.out" &&
	fail "apply with a conflict"
expect_eq "$(vni_of b xh-r3 eth0)" 77 "someone else's vxlan"
expect_eq "$(qh b xh-r3 '.[0].ifalias // ""' link show dev eth0)" "" \
    "someone else's vxlan's alias"
echo "ok"
