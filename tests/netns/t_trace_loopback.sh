#!/usr/bin/env bash
# t_trace_loopback: the loopback as an egress. Its operstate is UNKNOWN,
# never UP, and it is not down for that:
#   - r1's own loopback addresses are delivered;
#   - a route for other addresses into lo (dev: lo): IPv4 sends the packet
#     out and takes it back in on lo, again and again, until the TTL runs
#     out: the trace says loop, and a real ping is told "Time to live
#     exceeded"; IPv6 keeps such a route as a reject route: the trace says
#     unreachable, and a real ping is told "No route" by r1.
#
#   h1 -- r1      10.0.1.0/24, 2001:db8:1::/64
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_trace.sh"

lab_apply lb <<'EOF'
lab: lb
defaults:
  sysctl:
    net.ipv4.ip_forward: 1
    net.ipv6.conf.all.forwarding: 1
    net.ipv4.icmp_ratelimit: 0
    net.ipv6.icmp.ratelimit: 0
routers:
  h1:
    interfaces:
      eth0: {addresses: [10.0.1.2/24, "2001:db8:1::2/64"]}
    routes:
      - {to: default, via: 10.0.1.1}
      - {to: "::/0", via: "2001:db8:1::1"}
  r1:
    interfaces:
      lo:   {addresses: [10.255.0.1/32, "2001:db8:ff::1/128"]}
      eth0: {addresses: [10.0.1.1/24, "2001:db8:1::1/64"]}
    routes:
      - {to: 10.0.70.0/24, dev: lo}
      - {to: "2001:db8:70::/64", dev: lo}
links:
  - [h1:eth0, r1:eth0]
EOF

say "r1's loopback addresses: delivered"
for d in 10.255.0.1 2001:db8:ff::1; do
	trc own -l lb h1 $d
	tr_result own delivered r1 "$d is r1's own"
	expect_eq "$(tj own '.hops[1] | "\(.route.type) \(.ingress)"')" \
	    "local eth0" "$d: r1's route"
done
ping_ok lb-h1 10.255.0.1
ping_ok lb-h1 2001:db8:ff::1 -6

say "IPv4 into lo: back in on lo, a loop"
trc v4 -l lb h1 10.0.70.1
tr_result v4 loop r1 "back at r1, as at hop 3: a routing loop"
expect_eq "$(tj v4 '[.hops[] | "\(.node)/\(.ingress // "-")/\(.egress // "-")"] |
    join(" ")')" "h1/-/eth0 r1/eth0/lo r1/lo/lo r1/lo/-" "hops"
expect_eq "$(tj v4 '.hops[1].route | "\(.dst) \(.protocol)"')" \
    "10.0.70.0/24 vrfd" "r1's route"
fwd0=$(ip netns exec lb-r1 nstat -az IpForwDatagrams | awk '$1 == "IpForwDatagrams" { print $2 }')
out=$(ip netns exec lb-h1 ping -c 1 -W 1 10.0.70.1 2>&1) &&
	fail "10.0.70.1 answered: $out"
grep -q "From 10.0.1.1 .*Time to live exceeded" <<<"$out" ||
	fail "ping 10.0.70.1: $out"
fwd=$(ip netns exec lb-r1 nstat -az IpForwDatagrams | awk '$1 == "IpForwDatagrams" { print $2 }')
# h1's 64 hops, less the one to r1, less the last, all in r1: 62 or more
[ $((fwd - fwd0)) -ge 62 ] || fail "r1 forwarded it $((fwd - fwd0)) times"

say "IPv6 into lo: rejected at r1"
trc v6 -l lb h1 2001:db8:70::1
tr_result v6 unreachable r1 "r1: its route for 2001:db8:70::1 leads into \
lo, and 2001:db8:70::1 is not its own: the kernel rejects it"
expect_eq "$(tj v6 '.hops[1] | "\(.route.dst) \(.route.type) \(.egress)"')" \
    "2001:db8:70::/64 unicast lo" "r1's route"
out=$(ip netns exec lb-h1 ping -6 -c 1 -W 1 2001:db8:70::1 2>&1) &&
	fail "2001:db8:70::1 answered: $out"
grep -q "From 2001:db8:1::1 .*Destination unreachable: No route" <<<"$out" ||
	fail "ping 2001:db8:70::1: $out"
say "ok"
