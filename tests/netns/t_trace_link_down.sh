#!/usr/bin/env bash
# t_trace_link_down: h1 -- r1 -- r2 -- h2, and r1's link to r2 goes down.
#   - r2's end down: r1's eth1 loses its carrier; the kernel keeps the
#     route through it and still picks it (ip route get says so), and the
#     trace stops at r1 with link-down, for IPv4 and IPv6. Up again:
#     IPv4 is delivered again; IPv6 is not until apply puts back r2's
#     address, which the kernel removed when the link went down.
#   - r1's own eth1 down: the kernel removes every route through it, so
#     the trace finds no route at r1 (what is true, not link-down).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_trace.sh"

lab_apply lk <<'EOF'
lab: lk
defaults:
  sysctl:
    net.ipv4.ip_forward: 1
    net.ipv6.conf.all.forwarding: 1
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
      eth1: {addresses: [10.0.12.1/24, "2001:db8:12::1/64"]}
    routes:
      - {to: 10.0.2.0/24, via: 10.0.12.2}
      - {to: "2001:db8:2::/64", via: "2001:db8:12::2"}
  r2:
    interfaces:
      eth0: {addresses: [10.0.12.2/24, "2001:db8:12::2/64"]}
      eth1: {addresses: [10.0.2.1/24, "2001:db8:2::1/64"]}
    routes:
      - {to: 10.0.1.0/24, via: 10.0.12.1}
      - {to: "2001:db8:1::/64", via: "2001:db8:12::1"}
  h2:
    interfaces:
      eth0: {addresses: [10.0.2.2/24, "2001:db8:2::2/64"]}
    routes:
      - {to: default, via: 10.0.2.1}
      - {to: "::/0", via: "2001:db8:2::1"}
links:
  - [h1:eth0, r1:eth0]
  - [r1:eth1, r2:eth0]
  - [r2:eth1, h2:eth0]
EOF

say "all up: delivered"
trc up4 -l lk h1 10.0.2.2
tr_result up4 delivered h2
expect_eq "$(tr_hops up4)" "h1 r1 r2 h2" "hops"
trc up6 -l lk h1 2001:db8:2::2
tr_result up6 delivered h2

say "r2's end down: r1's eth1 has no carrier, its route is still picked"
ip -n lk-r2 link set eth0 down
expect_eq "$(ip -j -n lk-r1 link show eth1 | jq -r '.[0] |
    "\(.operstate) \(.flags | index("NO-CARRIER") != null)"')" "DOWN true" \
    "r1's eth1"
# The kernel keeps the route and picks it.
expect_eq "$(ip -j -n lk-r1 route get 10.0.2.2 | jq -r '.[0] |
    "\(.gateway) \(.dev)"')" "10.0.12.2 eth1" "r1's kernel, IPv4"
expect_eq "$(ip -j -n lk-r1 -6 route get 2001:db8:2::2 | jq -r '.[0] |
    "\(.gateway) \(.dev)"')" "2001:db8:12::2 eth1" "r1's kernel, IPv6"
for d in 10.0.2.2 2001:db8:2::2; do
	trc down -l lk h1 $d
	tr_result down link-down r1 "r1: eth1 is down (no carrier: its peer is down)"
	expect_eq "$(tr_hops down)" "h1 r1" "$d: hops"
	expect_eq "$(tj down '.hops[1] | "\(.route.protocol) \(.nexthop.dev) \(.egress)"')" \
	    "vrfd eth1 eth1" "$d: r1's route and egress"
done
ping_fails lk-h1 10.0.2.2
# r1 itself, at the source: the same.
trc src -l lk r1 10.0.2.2
tr_result src link-down r1
expect_eq "$(tj src '.hops | length')" 1 "from r1: hops"

say "up again: IPv4 delivered; IPv6 lost r2's address on the way down"
ip -n lk-r2 link set eth0 up
wait_for 100 "$VRFCTL" trace -l lk h1 10.0.2.2 ||
	fail "not delivered again after r2's eth0 came up"
# keep_addr_on_down 0: the kernel removed r2's IPv6 address when eth0
# went down, and nothing (no vrfd here) put it back: nobody owns r1's
# gateway now.
expect_eq "$(ip -j -n lk-r2 -6 addr show eth0 scope global | jq -r \
    '[.[].addr_info[].local] | join(" ")')" "" "r2's IPv6 address after"
trc again6 -l lk h1 2001:db8:2::2
tr_result again6 neighbour-unresolved r1 \
    "r1: nobody on eth1's segment owns the nexthop 2001:db8:12::2"
"$VRFCTL" apply "$T/lk.yaml" >/dev/null || fail "apply again"
trc again -l lk h1 2001:db8:2::2
tr_result again delivered h2
ping_ok lk-h1 2001:db8:2::2 -6

say "r1's own eth1 down: the kernel drops its routes, no route at r1"
ip -n lk-r1 link set eth1 down
expect_eq "$(ip -n lk-r1 route show 10.0.2.0/24)" "" "r1's route, after"
trc own -l lk h1 10.0.2.2
tr_result own no-route r1 "r1 has no route to 10.0.2.2"
trc own6 -l lk h1 2001:db8:2::2
tr_result own6 no-route r1
say "ok"
