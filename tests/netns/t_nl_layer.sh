#!/usr/bin/env bash
# t_nl_layer: the kernel layer (netns, nl, codecs, observe, sysctl) on a
# real kernel: build/tests/nl_smoke does the work and its own checks, then
# iproute2 and ping check the result from the outside. Runs in the sandbox
# (tests/run netns t_nl_layer).
set -eu
cd "$(dirname "$0")/../.."

fail() { echo "FAIL: $*" >&2; exit 1; }
expect() {	# expect WHAT GOT WANT
	[ "$2" = "$3" ] || fail "$1: got '$2', want '$3'"
	echo "ok: $1"
}

# built by `make tests`
bin=build/tests/nl_smoke
[ -x "$bin" ] || fail "$bin is missing: run make tests"

"$bin"

# namespaces as iproute2 sees them; /run/netns shared, no stray files.
# On a host that ran `ip netns add`, /run/netns is a mount already, and
# the sandbox's tmpfs lies over it: findmnt lists both, the top one last.
expect "netns list" "$(ip netns list | awk '{print $1}' | sort | xargs)" "r1 r2"
expect "/run/netns propagation" \
    "$(findmnt -n -o PROPAGATION --target /run/netns | tail -n 1)" "shared"

# the veth pair: both ends placed, indexed, named, aliased, one queue
l1=$(ip -n r1 -j -d link show eth0)
l2=$(ip -n r2 -j -d link show eth0)
expect "r1 eth0" "$(jq -c '.[0] | [.ifindex, .mtu, .address, .operstate,
    .ifalias, .num_tx_queues, .num_rx_queues, .link_index]' <<<"$l1")" \
    '[10,1400,"02:00:00:00:0a:01","UP","vrfd lab=smoke end=eth0",1,1,20]'
expect "r2 eth0" "$(jq -c '.[0] | [.ifindex, .mtu, .address, .operstate,
    .num_tx_queues, .num_rx_queues, .link_index]' <<<"$l2")" \
    '[20,1400,"02:00:00:00:14:02","UP",1,1,10]'
expect "r1 lo alias" "$(ip -n r1 -j link show lo | jq -r '.[0].ifalias')" \
    "vrfd lab=smoke router=r1"

# routes: ours carry protocol 118; ECMP weights; IPv6 ECMP
expect "r1 proto 118 IPv4 routes" \
    "$(ip -n r1 -j route show proto 118 | jq length)" 5002
expect "10.0.3.0/24 nexthops" "$(ip -n r1 -j route show 10.0.3.0/24 |
    jq -c '[.[0].nexthops[] | [.gateway, .dev, .weight]]')" \
    '[["10.0.12.2","eth0",1],["10.0.21.2","eth1",3]]'
expect "2001:db8:3::/48 nexthops" "$(ip -n r1 -6 -j route show \
    2001:db8:3::/48 | jq -c '[.[0].nexthops[] | [.gateway, .weight]]')" \
    '[["2001:db8:12::2",2],["2001:db8:12::3",2]]'
expect "removed routes" "$(ip -n r1 -j route show 192.0.2.0/24 | jq length)" 0
# addresses: IPv6 without DAD; the removed one gone
expect "2001:db8:12::1 nodad" "$(ip -n r1 -6 -j addr show dev eth0 scope \
    global | jq -c '[.[0].addr_info[] | select(.local) | [.local, .nodad]]')" \
    '[["2001:db8:12::1",true]]'
expect "10.0.99.1 removed" "$(ip -n r1 -j addr show to 10.0.99.1 |
    jq '[.[].addr_info[]] | length')" 0
expect "r1 forwarding" "$(ip netns exec r1 sysctl -n net.ipv4.ip_forward)" 1

# traffic: direct, IPv6 at once (no DAD wait), and routed to r2's lo
ip netns exec r1 ping -c1 -W2 10.0.12.2 >/dev/null || fail "ping 10.0.12.2"
ip netns exec r1 ping -6 -c1 -W2 2001:db8:12::2 >/dev/null ||
    fail "ping 2001:db8:12::2"
ip netns exec r1 ping -c1 -W2 10.0.2.1 >/dev/null || fail "ping 10.0.2.1"
echo "ok: pings"

"$bin" teardown || fail "teardown"
expect "netns after teardown" "$(ip netns list | wc -l)" 0

# a chain of 200 routers, timed, and a ping across 30 hops
"$bin" chain 200
ip netns exec c0 ping -c1 -W2 10.0.29.2 >/dev/null || fail "ping 30 hops"
echo "ok: ping across 30 hops"
"$bin" teardown || fail "teardown chain"
echo "t_nl_layer: all ok"
