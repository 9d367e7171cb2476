#!/usr/bin/env bash
# t_switched_lan: topology/switched-lan.yaml: the switch is a namespace with
# one bridge, br0, whose ports are the switch ends of the links, all
# forwarding, with no address of their own; right after apply (no wait),
# the three hosts and the gateway reach each other through it (IPv4 and
# IPv6, by ARP and neighbour discovery, no routes), reach the server
# behind the gateway, and the switch learned their MACs on the right
# ports.
#
# Like t_ipv6_at_once, this fails now and then while the engine gives both
# ends of a veth the same ifindex (the bridge port stays "disabled" until
# the kernel's linkwatch gets to it, up to a second later).
. "$(dirname "$0")/lib.sh"

"$VRFCTL" apply "$TOPO/switched-lan.yaml" >/dev/null || fail "apply"

say "hosts, gateway and server reach each other at once"
bad=
for h in h1 h2 h3; do
	for a in 10.0.1.11 10.0.1.12 10.0.1.13 10.0.1.1 10.0.2.10 \
	    2001:db8:1::11 2001:db8:1::12 2001:db8:1::13 2001:db8:1::1 \
	    2001:db8:2::10; do
		ip netns exec "lan-$h" ping -c 1 -W 1 "$a" >/dev/null 2>&1 ||
			bad="$bad $h->$a"
	done
done
ip netns exec lan-server ping -c 1 -W 1 10.0.1.13 >/dev/null 2>&1 ||
	bad="$bad server->10.0.1.13"
state=$(bridge -n lan-lan -j link | jq -r '[.[] | "\(.ifname):\(.state)"] |
    join(" ")')
[ -z "$bad" ] || fail "unreachable:$bad (ports: $state)"

say "the switch: br0 with four ports, all forwarding, no addresses"
expect_eq "$(ip -j -d -n lan-lan link show br0 | jq -r '.[0].linkinfo.info_kind')" \
    bridge "br0 kind"
expect_eq "$(ip -j -n lan-lan link show master br0 | jq -r '[.[].ifname] |
    sort | join(" ")')" "p1 p2 p3 p4" "ports of br0"
expect_eq "$state" "p1:forwarding p2:forwarding p3:forwarding p4:forwarding" \
    "port states"
expect_eq "$(q lan-lan '[.[].addr_info[] | select(.scope == "global")] |
    length' addr)" 0 "global addresses on the switch"
expect_eq "$(ip -N -j -n lan-h1 route show | jq -r '[.[] |
    select(.protocol == "118") | .dst] | join(" ")')" "default" \
    "h1's own routes (the LAN needs none)"

say "the switch learned each host's MAC on its port"
for i in 1 2 3; do
	mac=$(ip -j -n "lan-h$i" link show eth0 | jq -r '.[0].address')
	port=$(bridge -n lan-lan -j fdb show br br0 | jq -r --arg m "$mac" \
	    '[.[] | select(.mac == $m and (.state // "") != "permanent") |
	    .ifname] | join(" ")')
	expect_eq "$port" "p$i" "port of h$i ($mac)"
done
mac=$(ip -j -n lan-gw link show eth0 | jq -r '.[0].address')
expect_eq "$(ip -j -n lan-h1 neigh show 10.0.1.1 | jq -r '.[0].lladdr')" \
    "$mac" "h1's ARP entry for gw"
say "ok"
