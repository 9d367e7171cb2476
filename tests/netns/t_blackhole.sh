#!/usr/bin/env bash
# t_blackhole: routes that are not unicast (topology/diamond.yaml on src:
# blackhole 192.0.2.0/24, unreachable 198.51.100.0/24 and
# 2001:db8:dead::/48) are in the kernel with their type and our protocol,
# and do what their type says: a local sender is refused (blackhole:
# EINVAL, unreachable: EHOSTUNREACH); a remote sender (dst, two hops away)
# gets an ICMP "unreachable" from src for the unreachable route and
# nothing at all for the blackhole.
. "$(dirname "$0")/lib.sh"

"$VRFCTL" apply "$TOPO/diamond.yaml" >/dev/null || fail "apply"

say "route types, protocol, no nexthops"
# type by name (ip -j), protocol by number (ip -N -j)
rt() {	# rt NS [-6] PREFIX: "type protocol gateway"
	local ns=$1
	shift
	local t p
	t=$(ip -j -n "$ns" "$@" | jq -r '.[0].type // "unicast"')
	p=$(ip -N -j -n "$ns" "$@" | jq -r '"\(.[0].protocol) \(.[0].gateway // "-")"')
	echo "$t $p"
}
expect_eq "$(rt diamond-src route show 192.0.2.0/24)" "blackhole 118 -" \
    "192.0.2.0/24"
expect_eq "$(rt diamond-src route show 198.51.100.0/24)" "unreachable 118 -" \
    "198.51.100.0/24"
expect_eq "$(rt diamond-src -6 route show 2001:db8:dead::/48)" \
    "unreachable 118 -" "2001:db8:dead::/48"

say "a local sender is refused at once"
out=$(ip netns exec diamond-src ping -c 1 -W 1 192.0.2.1 2>&1) &&
	fail "ping through the blackhole succeeded"
grep -q "Invalid argument" <<<"$out" || fail "blackhole: got '$out'"
out=$(ip netns exec diamond-src ping -c 1 -W 1 198.51.100.1 2>&1) &&
	fail "ping through the unreachable route succeeded"
grep -q "No route to host" <<<"$out" || fail "unreachable: got '$out'"
out=$(ip netns exec diamond-src ping -6 -c 1 -W 1 2001:db8:dead::1 2>&1) &&
	fail "ping -6 through the unreachable route succeeded"
grep -q "No route to host" <<<"$out" || fail "unreachable (IPv6): got '$out'"

say "a remote sender: told by src (unreachable), or not at all (blackhole)"
out=$(ip netns exec diamond-dst ping -c 1 -W 1 198.51.100.1 2>&1) &&
	fail "dst reaches 198.51.100.1"
grep -Eq "From 10\.0\.[12]\.1 .*(Host|Net) Unreachable" <<<"$out" ||
	fail "dst to 198.51.100.1: got '$out'"
out=$(ip netns exec diamond-dst ping -c 1 -W 1 192.0.2.1 2>&1) &&
	fail "dst reaches 192.0.2.1"
grep -q "Unreachable" <<<"$out" && fail "the blackhole answered: '$out'"
grep -q "100% packet loss" <<<"$out" || fail "dst to 192.0.2.1: got '$out'"

say "the unicast routes beside them still work"
ping_ok diamond-src 10.255.0.4
say "ok"
