#!/usr/bin/env bash
# t_ecmp_weights: a weighted multipath route (topology/diamond.yaml: src to
# dst's loopback via a with weight 3 and via b with weight 1) is in the
# kernel as one route with both nexthops and their weights, IPv4 and IPv6;
# the kernel really splits flows about 3:1 (ip route get over 400 flows);
# traffic gets through.
. "$(dirname "$0")/lib.sh"

"$VRFCTL" apply "$TOPO/diamond.yaml" >/dev/null || fail "apply"

# "gateway/dev/weight" of each nexthop of the route to $2 in $1, sorted
nexthops() {
	ip -N -j -n "$1" route show "$2" proto 118 | jq -r '
	    [.[].nexthops[]? | "\(.gateway)/\(.dev)/\(.weight)"] | sort |
	    join(" ")'
}

say "one route, two weighted nexthops (IPv4)"
r=$(ip -N -j -n diamond-src route show 10.255.0.4/32)
expect_eq "$(jq length <<<"$r")" 1 "routes to 10.255.0.4"
expect_eq "$(jq -r '.[0].protocol' <<<"$r")" 118 "protocol"
expect_eq "$(nexthops diamond-src 10.255.0.4/32)" \
    "10.0.1.2/eth-a/3 10.0.2.2/eth-b/1" "nexthops"

say "the same in IPv6 (metric 1024, as the kernel keeps it)"
r=$(ip -N -j -n diamond-src -6 route show 2001:db8:ff::4/128)
expect_eq "$(jq length <<<"$r")" 1 "routes to 2001:db8:ff::4"
expect_eq "$(jq -r '.[0] | "\(.protocol) \(.metric)"' <<<"$r")" "118 1024" \
    "protocol and metric"
expect_eq "$(ip -N -j -n diamond-src -6 route show 2001:db8:ff::4/128 |
    jq -r '[.[0].nexthops[] | "\(.gateway)/\(.dev)/\(.weight)"] | sort |
    join(" ")')" "2001:db8:1::2/eth-a/3 2001:db8:2::2/eth-b/1" "IPv6 nexthops"

say "equal weights are weight 1 each (dst's default routes)"
expect_eq "$(nexthops diamond-dst default)" \
    "10.0.3.1/eth-a/1 10.0.4.1/eth-b/1" "dst default"

say "the kernel splits flows about 3:1"
# Hash on ports (policy 1) so that 400 UDP flows from one source spread;
# 3:1 gives ~300 via a (4 standard deviations: 260..340); 1:1 would give
# ~200.
for fam in 4 6; do
	ip netns exec diamond-src sysctl -qw \
	    "net.ipv$fam.fib_multipath_hash_policy=1"
	dst=10.255.0.4
	[ $fam = 6 ] && dst=2001:db8:ff::4
	n=$(for s in $(seq 1000 1399); do
		echo "route get $dst ipproto udp sport $s dport 53"
	done | ip -n diamond-src -batch - | grep -c ' dev eth-a ')
	if [ "$n" -lt 260 ] || [ "$n" -gt 340 ]; then
		fail "IPv$fam: $n of 400 flows via a, want about 300"
	fi
	echo "IPv$fam: $n of 400 flows via a"
done

say "traffic gets through, both families"
ping_ok diamond-src 10.255.0.4
ping_ok diamond-src 2001:db8:ff::4 -6
ping_ok diamond-dst 10.255.0.1 -I 10.255.0.4
say "ok"
