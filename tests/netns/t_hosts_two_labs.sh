#!/usr/bin/env bash
# Two labs on the same two hosts, with the same addresses: their links
# between the hosts have VNIs of their own (derived from each lab's
# name), and nothing of one reaches the other. A third lab whose written
# VNI another lab already uses on a host is refused before anything is
# made.
. "$(dirname "$0")/lib_hosts.sh"

hosts_start v4 a b
hosts_vrfd a
hosts_vrfd b
hosts_lab "$T/xh.yaml" xh a a a b b b
hosts_lab "$T/yh.yaml" yh a a a b b b
for lab in xh yh; do
	for h in a b; do
		on "$h" "$VRFCTL" apply "$T/$lab.yaml" > /dev/null ||
			fail "apply $lab on $h"
	done
done

say "the labs' links between hosts have VNIs of their own"
[ "$(vni_of a xh-r2 eth1)" != "$(vni_of a yh-r2 eth1)" ] ||
	fail "xh and yh share a VNI"
[ "$(vni_of a xh-r1 eth2)" != "$(vni_of a yh-r1 eth2)" ] ||
	fail "xh and yh share a VNI"
for lab in xh yh; do
	ping_on a "$lab-h1" 10.2.0.2 || fail "$lab: h1 cannot reach h2"
	ping_on b "$lab-h2" 2001:db8:1::2 || fail "$lab: h2 cannot reach h1"
done

say "with xh's h2 down, xh's h1 reaches nobody: not yh's h2"
on b "$VRFCTL" link set xh h2:eth0 down > /dev/null || fail "link set"
ping_on a xh-h1 10.2.0.2 && fail "xh's h1 reaches a 10.2.0.2 with xh's h2 down"
ping_on a xh-h1 2001:db8:2::2 && fail "xh's h1 reaches a 2001:db8:2::2"
ping_on a yh-h1 10.2.0.2 || fail "yh: h1 cannot reach h2"
# Nothing of xh's arrived at yh's h2: no echo request reached it (an
# nftables counter of them; its link's own packet count also moves with
# yh's ARP and neighbour discovery).
on b ip netns exec yh-h2 nft -f - <<'NFT' || fail "nft counter in yh-h2"
table inet probe {
	counter echo { }
	chain in {
		type filter hook prerouting priority 0;
		icmp type echo-request counter name echo
		icmpv6 type echo-request counter name echo
	}
}
NFT
for i in 1 2 3; do ping_on a xh-h1 10.2.0.2 || true; done
got=$(on b ip netns exec yh-h2 nft -j list counter inet probe echo |
    jq '.nftables[] | select(.counter) | .counter.packets')
expect_eq "$got" 0 "echo requests yh's h2 got from xh"
ping_on a yh-h1 10.2.0.2 || fail "yh: h1 cannot reach h2"
got=$(on b ip netns exec yh-h2 nft -j list counter inet probe echo |
    jq '.nftables[] | select(.counter) | .counter.packets')
expect_eq "$got" 1 "echo requests yh's h2 got from yh's h1 (the counter counts)"
on b ip netns exec yh-h2 nft delete table inet probe || fail "nft delete"
on b "$VRFCTL" link set xh h2:eth0 up > /dev/null || fail "link set up"
wait_for 40 ping_on a xh-h1 10.2.0.2 || fail "xh: h1 cannot reach h2 again"

say "a VNI another lab uses on a host is refused, before anything is made"
vni=$(vni_of a xh-r1 eth2)
cat > "$T/zh.yaml" <<YAML
lab: zh
hosts:
  a: {underlay: 192.0.2.1}
  b: {underlay: 192.0.2.2}
routers:
  z1: {host: a}
  z2: {host: b}
links:
  - {endpoints: [z1:eth0, z2:eth0], mtu: 1450, vni: $vni}
YAML
rc=0
on a "$VRFCTL" apply "$T/zh.yaml" > "$T/zh.out" 2>&1 || rc=$?
expect_eq "$rc" 3 "exit status of an apply with a VNI taken"
grep -q "error: links\[0\].vni: vni $vni of link z1:eth0 - z2:eth0 is taken on this host by lab xh (link r1:eth2 - r4:eth2)" \
    "$T/zh.out" || fail "apply zh: $(cat "$T/zh.out")"
on a test ! -e /run/netns/zh-z1 || fail "zh made something"
on b "$VRFCTL" plan "$T/zh.yaml" > "$T/zh.out" 2>&1 && fail "plan zh on b"
grep -q "is taken on this host by lab xh" "$T/zh.out" ||
	fail "plan zh on b: $(cat "$T/zh.out")"
echo "ok"
