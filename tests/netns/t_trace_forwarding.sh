#!/usr/bin/env bash
# t_trace_forwarding: a transit router that does not forward stops a trace
# there with forwarding-disabled, as the kernel checks it:
#   - net.ipv4.ip_forward 0 (the whole namespace);
#   - net.ipv4.conf.IF.forwarding 0 on the ingress interface only: one
#     direction stops, the other is delivered, and --both shows the
#     answer's way back stopping there;
#   - IPv6: net.ipv6.conf.all.forwarding 0, while IPv4 goes on.
# The sysctl named in the reason is the one that says 0; the kernel drops
# the real packets (ping) exactly when the trace says so. A router that
# does not forward still answers for its own addresses: delivered.
#
#   h1 -- r1 -- h2        10.0.1.0/24 + 2001:db8:1::/64, 10.0.2.0/24 + ...:2::/64
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_trace.sh"

lab_apply fw <<'EOF'
lab: fw
defaults:
  sysctl:
    net.ipv4.ip_forward: 1
    net.ipv6.conf.all.forwarding: 1
    net.ipv4.icmp_ratelimit: 0
routers:
  h1:
    interfaces:
      eth0: {addresses: [10.0.1.2/24, "2001:db8:1::2/64"]}
    routes:
      - {to: default, via: 10.0.1.1}
      - {to: "::/0", via: "2001:db8:1::1"}
  r1:
    interfaces:
      eth0: {addresses: [10.0.1.1/24, "2001:db8:1::1/64"]}
      eth1: {addresses: [10.0.2.1/24, "2001:db8:2::1/64"]}
  h2:
    interfaces:
      eth0: {addresses: [10.0.2.2/24, "2001:db8:2::2/64"]}
    routes:
      - {to: default, via: 10.0.2.1}
      - {to: "::/0", via: "2001:db8:2::1"}
links:
  - [h1:eth0, r1:eth0]
  - [r1:eth1, h2:eth0]
EOF

fwd() {	# fwd KEY VALUE: a sysctl of r1
	ip netns exec fw-r1 sysctl -qw "$1=$2"
}

say "forwarding on: delivered both ways, both families"
trc v4 -l fw --both h1 10.0.2.2
tr_result v4 delivered h2
expect_eq "$(tj v4 .reply.result)" delivered "IPv4 reply"
trc v6 -l fw h1 2001:db8:2::2
tr_result v6 delivered h2
expect_eq "$(tr_hops v6)" "h1 r1 h2" "IPv6 hops"
ping_ok fw-h1 10.0.2.2
ping_ok fw-h1 2001:db8:2::2 -6

say "net.ipv4.ip_forward 0: r1 stops IPv4, in either direction"
fwd net.ipv4.ip_forward 0
trc off -l fw h1 10.0.2.2
tr_result off forwarding-disabled r1 \
    "r1 does not forward: net.ipv4.conf.eth0.forwarding is 0"
expect_eq "$(tr_hops off)" "h1 r1" "hops"
# the route r1 would have used is shown
expect_eq "$(tj off '.hops[1].route | "\(.dst) \(.protocol)"')" \
    "10.0.2.0/24 kernel" "r1's route"
trc off2 -l fw h2 10.0.1.2
tr_result off2 forwarding-disabled r1 \
    "r1 does not forward: net.ipv4.conf.eth1.forwarding is 0"
ping_fails fw-h1 10.0.2.2
# r1's own address is still r1's: no forwarding needed.
trc self -l fw h1 10.0.2.1
tr_result self delivered r1
ping_ok fw-h1 10.0.2.1
# IPv6 does not care.
trc v6on -l fw h1 2001:db8:2::2
tr_result v6on delivered h2
ping_ok fw-h1 2001:db8:2::2 -6

say "forwarding off on r1's eth0 only: h1's packets stop, h2's go"
fwd net.ipv4.ip_forward 1
fwd net.ipv4.conf.eth0.forwarding 0
expect_eq "$(ip netns exec fw-r1 sysctl -n net.ipv4.conf.eth1.forwarding)" 1 \
    "eth1's forwarding"
trc in0 -l fw h1 10.0.2.2
tr_result in0 forwarding-disabled r1 \
    "r1 does not forward: net.ipv4.conf.eth0.forwarding is 0"
trc in1 -l fw --both h2 10.0.1.2
# h2's request arrives (it comes in on eth1); h1's answer comes in on eth0.
expect_eq "$(tj in1 .result)" delivered "--both: the request"
expect_eq "$(tr_hops in1)" "h2 r1 h1" "--both: the request's hops"
expect_eq "$(tj in1 .reply.result)" forwarding-disabled "--both: the reply"
expect_eq "$(tj in1 '[.reply.hops[].node] | join(" ")')" "h1 r1" \
    "--both: the reply's hops"
grep -qx "delivered: 10.0.1.2 is h1's own" "$T/in1.txt" ||
	fail "the request in the text: $(cat "$T/in1.txt")"
grep -qx "forwarding-disabled: r1 does not forward: \
net.ipv4.conf.eth0.forwarding is 0" "$T/in1.txt" ||
	fail "the reply in the text: $(cat "$T/in1.txt")"
expect_eq "$(tr_last in1)" \
    "one way only: the request arrives, the reply does not return" \
    "--both: the last line"
expect_eq "$TR_RC" 1 "--both: exit status"
expect_eq "$TR_JRC" 1 "--both: exit status with -j"
ping_fails fw-h1 10.0.2.2
ping_fails fw-h2 10.0.1.2

say "net.ipv6.conf.all.forwarding 0: IPv6 stops at r1, IPv4 goes on"
fwd net.ipv4.conf.eth0.forwarding 1
fwd net.ipv6.conf.all.forwarding 0
trc v6off -l fw h1 2001:db8:2::2
tr_result v6off forwarding-disabled r1 \
    "r1 does not forward: net.ipv6.conf.all.forwarding is 0"
expect_eq "$(tj v6off '.hops[1].ingress')" eth0 "IPv6: r1's ingress"
trc v4on -l fw h1 10.0.2.2
tr_result v4on delivered h2
ping_ok fw-h1 10.0.2.2
ping_fails fw-h1 2001:db8:2::2 -6
trc v6self -l fw h1 2001:db8:1::1
tr_result v6self delivered r1
say "ok"
