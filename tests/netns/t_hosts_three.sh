#!/usr/bin/env bash
# The six-router lab over three simulated hosts on an IPv6 underlay, with
# no vrfd and no host named anywhere: each vrfctl finds its host from the
# underlay address that is its own. Each host builds its part; traffic
# crosses two hosts on the way; verify holds from each host.
. "$(dirname "$0")/lib_hosts.sh"

hosts_start v6 a b c
for h in a b c; do
	on "$h" sh -c ': > /etc/vrfd/vrfd.conf'	# no `host`: found
done
#              h1 r1 r2 r3 r4 h2
hosts_lab "$T/xh.yaml" xh a a b b c c

say "each host finds itself by its underlay address, and builds its part"
for h in a b c; do
	on "$h" "$VRFCTL" apply "$T/xh.yaml" > "$T/apply-$h.out" ||
		fail "apply on $h: $(cat "$T/apply-$h.out")"
	grep -q "^apply: lab xh on host $h: .*; converged" "$T/apply-$h.out" ||
		fail "apply on $h: $(cat "$T/apply-$h.out")"
done
expect_eq "$(on a ls /run/netns | sort | tr '\n' ' ')" "xh-h1 xh-r1 " "a's"
expect_eq "$(on b ls /run/netns | sort | tr '\n' ' ')" "xh-r2 xh-r3 " "b's"
expect_eq "$(on c ls /run/netns | sort | tr '\n' ' ')" "xh-h2 xh-r4 " "c's"
# r2 - r3 is on one host: a veth; r1 - r2, r3 - r4, r1 - r4 cross.
expect_eq "$(qh b xh-r2 '.[0].linkinfo.info_kind' -d link show dev eth1)" \
    veth "r2 - r3, on host b"
expect_eq "$(qh b xh-r2 '.[0].linkinfo.info_data | "\(.local6) \(.remote6)"' \
    -d link show dev eth0)" "2001:db8::2 2001:db8::1" "r1 - r2, from b"
expect_eq "$(qh c xh-r4 '.[0].linkinfo.info_data | "\(.local6) \(.remote6)"' \
    -d link show dev eth2)" "2001:db8::3 2001:db8::1" "r1 - r4, from c"
expect_eq "$(vni_of a xh-r1 eth1)" "$(vni_of b xh-r2 eth0)" "vni of r1 - r2"
expect_eq "$(vni_of b xh-r3 eth1)" "$(vni_of c xh-r4 eth0)" "vni of r3 - r4"
# The tunnels are IPv6: the hosts' sockets are.
on b ss -Hlun | grep -q '\[::\]:4789 ' || fail "no IPv6 VXLAN socket on b"

say "h1 reaches h2 across all three hosts, and the way back is another"
ping_on a xh-h1 10.2.0.2 || fail "h1 cannot reach h2"
ping_on c xh-h2 10.1.0.2 || fail "h2 cannot reach h1"
ping_on a xh-h1 2001:db8:2::2 || fail "h1 cannot reach h2 over IPv6"

say "verify holds from each host"
for h in a b c; do
	on "$h" "$VRFCTL" verify xh > "$T/verify-$h.out" ||
		fail "verify on $h: $(cat "$T/verify-$h.out")"
done
tail -1 "$T/verify-b.out" | grep -qx "lab xh on host b: 1 of 1 expectations hold, 6 judged on other hosts; 2 of 2 tunnels answer" ||
	fail "verify on b: $(cat "$T/verify-b.out")"
tail -1 "$T/verify-c.out" | grep -qx "lab xh on host c: 2 of 2 expectations hold, 5 judged on other hosts; 2 of 2 tunnels answer" ||
	fail "verify on c: $(cat "$T/verify-c.out")"

say "a host none of the lab's is, and a host named that is none of them"
on a "$VRFCTL" --host z plan "$T/xh.yaml" > "$T/z.out" 2>&1 &&
	fail "plan as host z"
grep -q "this host is 'z', and lab xh declares no such host" "$T/z.out" ||
	fail "plan as host z: $(cat "$T/z.out")"
on a ip address del 2001:db8::1/64 dev ul0
on a "$VRFCTL" plan "$T/xh.yaml" > "$T/none.out" 2>&1 ||
	fail "plan on a, kept as host a: $(cat "$T/none.out")"
on a sh -c 'rm /var/lib/vrfd/labs/xh.host'
on a "$VRFCTL" plan "$T/xh.yaml" > "$T/none.out" 2>&1 &&
	fail "plan on a host that is none of the lab's"
grep -q "no underlay address of lab xh's hosts (a, b, c) is an address of this host" \
    "$T/none.out" || fail "plan, no host: $(cat "$T/none.out")"
echo "ok"
