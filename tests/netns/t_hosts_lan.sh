#!/usr/bin/env bash
# A switched LAN over two hosts: the switch on host b, nodes on both.
# The end of a link between hosts at a switch is a VXLAN link that is a
# port of its bridge; traffic between host a's nodes crosses b's bridge;
# a trace from b stops at the switch's port to host a; verify probes each
# port from b through a node of b's on the LAN.
. "$(dirname "$0")/lib_hosts.sh"

hosts_start v4 a b
cat > "$T/lan.yaml" <<YAML
lab: ln
hosts:
  a: {underlay: 192.0.2.1, mtu: 9000}
  b: {underlay: 192.0.2.2, mtu: 9000}
routers:
  h1: {host: a, interfaces: {eth0: {addresses: [10.0.1.1/24, "2001:db8:1::1/64"]}}}
  h2: {host: a, interfaces: {eth0: {addresses: [10.0.1.2/24]}}}
  h3: {host: b, interfaces: {eth0: {addresses: [10.0.1.3/24, "2001:db8:1::3/64"]}}}
switches:
  lan: {host: b}
links:
  - [h1:eth0, lan:p1]
  - [h2:eth0, lan:p2]
  - [h3:eth0, lan:p3]
expect:
  - {from: h1, to: 10.0.1.3}
  - {from: h1, to: 10.0.1.2}
  - {from: h3, to: "2001:db8:1::1"}
YAML
on a "$VRFCTL" apply "$T/lan.yaml" > /dev/null || fail "apply on a"
on b "$VRFCTL" apply "$T/lan.yaml" > /dev/null || fail "apply on b"

say "the switch's ends of the links between hosts are ports of its bridge"
for p in p1 p2; do
	expect_eq "$(qh b ln-lan '.[0].linkinfo.info_kind' -d link show dev "$p")" \
	    vxlan "lan:$p kind"
	expect_eq "$(qh b ln-lan '.[0].master' link show dev "$p")" br0 \
	    "lan:$p master"
done
expect_eq "$(vni_of b ln-lan p1)" "$(vni_of a ln-h1 eth0)" "vni of h1 - lan"

say "host a's nodes reach each other across host b's bridge"
ping_on a ln-h1 10.0.1.2 || fail "h1 cannot reach h2"
ping_on a ln-h1 10.0.1.3 || fail "h1 cannot reach h3"
ping_on b ln-h3 2001:db8:1::1 || fail "h3 cannot reach h1 over IPv6"

say "a trace from b stops at the switch's port to host a"
on b "$VRFCTL" trace -l ln h3 10.0.1.1 > "$T/trace.out" || fail "trace on b"
tail -1 "$T/trace.out" | grep -qx "cross-host: lan: p1 leads to host a, h1:eth0 (vni $(vni_of b ln-lan p1)): vrfctl trace there follows it" ||
	fail "trace: $(cat "$T/trace.out")"
grep -q "^    2  lan   p3  switched  *-  *p1 " "$T/trace.out" ||
	fail "trace: $(cat "$T/trace.out")"

say "verify probes every tunnel from both hosts: b's through h3"
on a "$VRFCTL" verify ln > "$T/verify-a.out" ||
	fail "verify on a: $(cat "$T/verify-a.out")"
on b "$VRFCTL" verify ln > "$T/verify-b.out" ||
	fail "verify on b: $(cat "$T/verify-b.out")"
grep -q "^ok   tunnel lan:p1 -> host a h1:eth0 (vni [0-9]*): reply in" \
    "$T/verify-b.out" || fail "verify on b: $(cat "$T/verify-b.out")"
tail -1 "$T/verify-b.out" | grep -qx "lab ln on host b: 1 of 1 expectations hold, 2 judged on other hosts; 2 of 2 tunnels answer" ||
	fail "verify on b: $(cat "$T/verify-b.out")"
tail -1 "$T/verify-a.out" | grep -qx "lab ln on host a: 2 of 2 expectations hold, 1 judged on other hosts; 2 of 2 tunnels answer" ||
	fail "verify on a: $(cat "$T/verify-a.out")"
echo "ok"
