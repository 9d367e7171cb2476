#!/usr/bin/env bash
# t_trace_switch: traces across switched LANs. Two switches joined by a
# link make one LAN:
#
#   h1 --p1-[sw1]-p2-- h2          10.0.1.0/24, 2001:db8:1::/64
#            |up
#            |up
#   h3 --p3-[sw2]-p4-- gw -- srv   10.0.2.0/24 behind gw
#
# A trace to a host on the LAN crosses each switch on the way as a hop of
# its own (switch: true, the port it came in by and the one it left by,
# no route) and arrives at the host that owns the address, not at any
# other; the switches' MAC tables, once real packets have crossed, put
# that host behind the same ports. A static neighbour entry sends to its
# MAC whoever owns the address: a MAC nobody has is neighbour-unresolved,
# another host's MAC arrives at that host, which does not forward.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_trace.sh"

lab_apply sw <<'EOF'
lab: sw
routers:
  h1:
    interfaces:
      eth0: {addresses: [10.0.1.11/24, "2001:db8:1::11/64"]}
    routes:
      - {to: default, via: 10.0.1.1}
    neighbours:
      - {ip: 10.0.1.98, lladdr: "02:00:00:00:00:13", dev: eth0}
      - {ip: 10.0.1.99, lladdr: "02:00:00:00:00:99", dev: eth0}
  h2:
    interfaces:
      eth0: {addresses: [10.0.1.12/24, "2001:db8:1::12/64"]}
  h3:
    interfaces:
      eth0: {addresses: [10.0.1.13/24, "2001:db8:1::13/64"],
             mac: "02:00:00:00:00:13"}
  gw:
    sysctl: {net.ipv4.ip_forward: 1}
    interfaces:
      eth0: {addresses: [10.0.1.1/24]}
      eth1: {addresses: [10.0.2.1/24]}
  srv:
    interfaces:
      eth0: {addresses: [10.0.2.10/24]}
    routes:
      - {to: default, via: 10.0.2.1}
switches:
  sw1: {}
  sw2: {}
links:
  - [h1:eth0, sw1:p1]
  - [h2:eth0, sw1:p2]
  - [sw1:up, sw2:up]
  - [h3:eth0, sw2:p3]
  - [gw:eth0, sw2:p4]
  - [gw:eth1, srv:eth0]
EOF

# switches NAME: "node:in>out" of each switch hop of trace NAME.
switches() {
	tj "$1" '[.hops[] | select(.switch) | "\(.node):\(.ingress)>\(.egress)"] |
	    join(" ")'
}

say "h1 to h3: across both switches"
trc h3 -l sw h1 10.0.1.13
tr_result h3 delivered h3 "10.0.1.13 is h3's own"
expect_eq "$(tr_hops h3)" "h1 sw1 sw2 h3" "hops"
expect_eq "$(switches h3)" "sw1:p1>up sw2:up>p3" "switch hops"
expect_eq "$(tj h3 '[.hops[] | .switch] | join(" ")')" \
    "false true true false" "switch flags"
expect_eq "$(tj h3 '[.hops[] | select(.switch) | .route == null and
    .nexthop == null and .neighbour == null] | join(" ")')" "true true" \
    "a switch: no route, nexthop or neighbour"
expect_eq "$(tj h3 '.hops[0] | "\(.route.dst) \(.route.protocol) \(.nexthop.on_link)"')" \
    "10.0.1.0/24 kernel 10.0.1.13" "h1's route"
expect_eq "$(tj h3 '.hops[3].ingress')" eth0 "h3's ingress"
grep -Eq '^ +2 +sw1 +p1 +switched +- +up ' "$T/h3.txt" ||
	fail "sw1 in the text: $(cat "$T/h3.txt")"

say "h1 to h2: sw1 only, out of the right port"
trc h2 -l sw h1 10.0.1.12
tr_result h2 delivered h2
expect_eq "$(tr_hops h2)" "h1 sw1 h2" "hops"
expect_eq "$(switches h2)" "sw1:p1>p2" "switch hops"

say "h1 to srv: across the LAN to gw, then routed"
trc srv -l sw --both h1 10.0.2.10
expect_eq "$(tj srv .result)" delivered "h1 to srv"
expect_eq "$(tr_hops srv)" "h1 sw1 sw2 gw srv" "hops"
expect_eq "$(switches srv)" "sw1:p1>up sw2:up>p4" "switch hops"
expect_eq "$(tj srv '.hops[0].nexthop.via')" 10.0.1.1 "h1's gateway"
# the way back: srv, gw, then the LAN to h1
expect_eq "$(tj srv .reply.result)" delivered "the answer"
expect_eq "$(tj srv '[.reply.hops[].node] | join(" ")')" \
    "srv gw sw2 sw1 h1" "the answer's hops"
expect_eq "$(tj srv '[.reply.hops[] | select(.switch) |
    "\(.node):\(.ingress)>\(.egress)"] | join(" ")')" "sw2:p4>up sw1:up>p1" \
    "the answer's switch hops"
expect_eq "$TR_RC" 0 "--both: exit status"

say "IPv6, by neighbour discovery: h2 to h3"
trc v6 -l sw h2 2001:db8:1::13
tr_result v6 delivered h3
expect_eq "$(switches v6)" "sw1:p2>up sw2:up>p3" "switch hops"

say "the switches learned h3 behind the ports the trace says"
ping_ok sw-h1 10.0.1.13
ping_ok sw-h2 10.0.1.13
mac=$(ip -j -n sw-h3 link show eth0 | jq -r '.[0].address')
expect_eq "$mac" 02:00:00:00:00:13 "h3's MAC"
port() {	# port SWITCH MAC: where SWITCH learned MAC
	bridge -n "sw-$1" -j fdb show br br0 | jq -r --arg m "$2" \
	    '[.[] | select(.mac == $m and (.state // "") != "permanent") |
	    .ifname] | join(" ")'
}
expect_eq "$(port sw1 "$mac")" up "sw1's port for h3"
expect_eq "$(port sw2 "$mac")" p3 "sw2's port for h3"
mac=$(ip -j -n sw-h1 link show eth0 | jq -r '.[0].address')
expect_eq "$(port sw1 "$mac")" p1 "sw1's port for h1"
expect_eq "$(port sw2 "$mac")" up "sw2's port for h1"

say "static neighbours: to their MAC, whoever owns the address"
trc nomac -l sw h1 10.0.1.99
tr_result nomac neighbour-unresolved h1 "the static neighbour entry for \
10.0.1.99 names a MAC nobody on eth0's segment has"
expect_eq "$(tj nomac '.hops[0].neighbour | "\(.state) \(.lladdr)"')" \
    "PERMANENT 02:00:00:00:00:99" "h1's entry"
trc h3mac -l sw h1 10.0.1.98
tr_result h3mac forwarding-disabled h3 "h3 does not forward"
expect_eq "$(tr_hops h3mac)" "h1 sw1 sw2 h3" "to h3's MAC: hops"
say "ok"
