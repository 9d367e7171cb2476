#!/usr/bin/env bash
# A six-router lab over two simulated hosts (IPv4 underlay, each with its
# own vrfd, told its host in vrfd.conf): each host builds only its part,
# the links between them are VXLAN links made from the host's namespace
# into the routers', traffic crosses end to end, verify proves the
# expect: list from each host and probes every tunnel, trace stops where
# the packet leaves the host, and the same file gives the same VNIs and
# MACs on every host.
. "$(dirname "$0")/lib_hosts.sh"

hosts_start v4 a b
hosts_lab "$T/xh.yaml" xh a a a b b b
# What host b's vrfctl says host a is to make, before any vrfd runs.
on b "$VRFCTL" --host a -j plan "$T/xh.yaml" > "$T/plan-a-on-b.json" ||
	fail "plan of host a on host b"
hosts_vrfd a
hosts_vrfd b

say "each host applies the same file, and builds its part"
on a "$VRFCTL" apply "$T/xh.yaml" > "$T/apply-a.out" || fail "apply on a"
on b "$VRFCTL" apply "$T/xh.yaml" > "$T/apply-b.out" || fail "apply on b"
grep -q "^apply: lab xh on host a: .*; converged" "$T/apply-a.out" ||
	fail "apply on a: $(cat "$T/apply-a.out")"
grep -q "^apply: lab xh on host b: .*; converged" "$T/apply-b.out" ||
	fail "apply on b: $(cat "$T/apply-b.out")"
expect_eq "$(on a ls /run/netns | sort | tr '\n' ' ')" "xh-h1 xh-r1 xh-r2 " \
    "host a's namespaces"
expect_eq "$(on b ls /run/netns | sort | tr '\n' ' ')" "xh-h2 xh-r3 xh-r4 " \
    "host b's namespaces"

say "a link between hosts is a VXLAN link, made from the host's namespace"
for end in "a xh-r2 eth1 192.0.2.1 192.0.2.2" "a xh-r1 eth2 192.0.2.1 192.0.2.2" \
    "b xh-r3 eth0 192.0.2.2 192.0.2.1" "b xh-r4 eth2 192.0.2.2 192.0.2.1"; do
	set -- $end
	expect_eq "$(qh "$1" "$2" '.[0].linkinfo.info_kind' -d link show dev "$3")" \
	    vxlan "$2:$3 kind"
	expect_eq "$(qh "$1" "$2" '.[0].linkinfo.info_data | "\(.local) \(.remote) \(.port) \(.learning) \(.link // "none")"' \
	    -d link show dev "$3")" "$4 $5 4789 false none" "$2:$3 tunnel"
	expect_eq "$(qh "$1" "$2" '.[0].ifalias' link show dev "$3")" \
	    "vrfd lab=xh" "$2:$3 mark"
	expect_eq "$(qh "$1" "$2" '.[0].mtu' link show dev "$3")" 1500 "$2:$3 mtu"
done
# The tunnel's socket is the host's: UDP 4789 in the host's namespace.
on a ss -Hlun | grep -q ':4789 ' || fail "no VXLAN socket in host a's namespace"

say "the same file gives the same VNIs and MACs on every host"
expect_eq "$(vni_of a xh-r2 eth1)" "$(vni_of b xh-r3 eth0)" "vni of r2 - r3"
expect_eq "$(vni_of a xh-r1 eth2)" "$(vni_of b xh-r4 eth2)" "vni of r1 - r4"
[ "$(vni_of a xh-r2 eth1)" != "$(vni_of a xh-r1 eth2)" ] ||
	fail "two links with one VNI"
# What host b's vrfctl said host a would make is what host a made.
expect_eq "$(jq -r .host "$T/plan-a-on-b.json")" a "the plan's host"
for end in "xh-r2 eth1" "xh-r1 eth2" "xh-h1 eth0"; do
	set -- $end
	cmd=$(jq -r --arg ns "$1" --arg i "$2" '.plan[].command |
	    select(startswith("ip link add \($i) netns \($ns) "))' \
	    "$T/plan-a-on-b.json")
	[ -n "$cmd" ] || fail "no creation of $1:$2 in host a's plan made on b"
	case $cmd in
	*" address $(mac_of a "$1" "$2") "*) ;;
	*) fail "$1:$2: MAC on a is $(mac_of a "$1" "$2"), b says: $cmd" ;;
	esac
	if [ "$2" != eth0 ]; then
		case $cmd in
		*" type vxlan id $(vni_of a "$1" "$2") "*) ;;
		*) fail "$1:$2: VNI on a is $(vni_of a "$1" "$2"), b says: $cmd" ;;
		esac
	fi
done

say "traffic crosses the hosts, IPv4 and IPv6, both links between them"
ping_on a xh-h1 10.2.0.2 || fail "h1 cannot reach h2"
ping_on b xh-h2 10.1.0.2 || fail "h2 cannot reach h1"
ping_on a xh-h1 2001:db8:2::2 || fail "h1 cannot reach h2 over IPv6"
ping_on b xh-h2 2001:db8:1::2 || fail "h2 cannot reach h1 over IPv6"

say "verify proves the expect: list from each host, and every tunnel"
on a "$VRFCTL" verify "$T/xh.yaml" > "$T/verify-a.out" ||
	fail "verify on a: $(cat "$T/verify-a.out")"
on b "$VRFCTL" verify xh > "$T/verify-b.out" ||
	fail "verify on b: $(cat "$T/verify-b.out")"
grep -qx "ok   h1 -> 10.2.0.2  (across hosts: by probe)" "$T/verify-a.out" ||
	fail "verify on a: $(cat "$T/verify-a.out")"
grep -qx -- "--   h2 -> 10.1.0.2  (from host b: judged there)" "$T/verify-a.out" ||
	fail "verify on a: $(cat "$T/verify-a.out")"
grep -qx "ok   r3 -> 10.34.0.4" "$T/verify-b.out" ||
	fail "verify on b: $(cat "$T/verify-b.out")"
grep -q "^ok   tunnel r3:eth0 -> host a r2:eth1 (vni [0-9]*): reply in" \
    "$T/verify-b.out" || fail "verify on b: $(cat "$T/verify-b.out")"
tail -1 "$T/verify-a.out" | grep -qx "lab xh on host a: 4 of 4 expectations hold, 3 judged on other hosts; 2 of 2 tunnels answer" ||
	fail "verify on a: $(tail -1 "$T/verify-a.out")"
tail -1 "$T/verify-b.out" | grep -qx "lab xh on host b: 3 of 3 expectations hold, 4 judged on other hosts; 2 of 2 tunnels answer" ||
	fail "verify on b: $(tail -1 "$T/verify-b.out")"
on a "$VRFCTL" -j verify xh > "$T/verify-a.json" || fail "verify -j on a"
expect_eq "$(jq -r '"\(.host) \(.held) \(.elsewhere) \(.failed) \([.tunnels[].holds] | all)"' \
    "$T/verify-a.json")" "a 4 3 0 true" "verify -j on a"

say "status says which host it speaks for, and each tunnel's last probe"
on a "$VRFCTL" status xh > "$T/status-a.out" || fail "status on a"
grep -qx "xh: host a (underlay 192.0.2.1)" "$T/status-a.out" ||
	fail "status on a: $(cat "$T/status-a.out")"
grep -q "^xh: tunnel r2:eth1 to host b (r3:eth0, 192.0.2.2), vni [0-9]*: last probe [0-9:.]*: reply in" \
    "$T/status-a.out" || fail "status on a: $(cat "$T/status-a.out")"
expect_eq "$(on b "$VRFCTL" -j status xh | jq -r '.labs[0] | "\(.host) \(.tunnels | length) \([.tunnels[].last_probe.result] | unique | join(","))"')" \
    "b 2 reply" "status -j on b"
expect_eq "$(on a "$VRFCTL" plan xh)" "no changes on host a" "plan on a"

say "trace stops where the packet leaves the host, and says where it goes on"
on a "$VRFCTL" trace -l xh h1 10.2.0.2 > "$T/trace.out" || fail "trace on a"
tail -1 "$T/trace.out" | grep -qx "cross-host: r2: eth1 leads to host b, r3:eth0 (vni $(vni_of a xh-r2 eth1)): vrfctl trace there follows it" ||
	fail "trace: $(cat "$T/trace.out")"
on b "$VRFCTL" -j trace -l xh r3 10.2.0.2 | jq -e '.result == "delivered"' \
    >/dev/null || fail "trace on b from where a's stopped"
on a "$VRFCTL" trace -l xh r4 10.2.0.2 > "$T/remote.out" 2>&1 &&
	fail "trace from another host's node"
grep -q "r4 is on host b: trace it there" "$T/remote.out" ||
	fail "trace from r4 on a: $(cat "$T/remote.out")"

say "destroy on one host leaves the other's part"
on b "$VRFCTL" destroy xh > /dev/null || fail "destroy on b"
expect_eq "$(on b ls /run/netns | wc -l)" 0 "host b's namespaces"
expect_eq "$(on a ls /run/netns | wc -l)" 3 "host a's namespaces"
on a "$VRFCTL" verify xh > "$T/verify-dead.out" &&
	fail "verify on a with host b's part gone"
grep -q "^FAIL tunnel r2:eth1 -> host b r3:eth0 (vni [0-9]*): timeout" \
    "$T/verify-dead.out" || fail "dead tunnel: $(cat "$T/verify-dead.out")"
echo "ok"
