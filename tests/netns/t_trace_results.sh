#!/usr/bin/env bash
# t_trace_results: `vrfctl trace` on a chain of four routers,
#
#   h1 -- r1 -- r2 -- r3 -- r4 -- h2
#      .0    .1    .2    .3    .9        10.0.N.0/24, routers .1 / .2
#
# ends with each result the routes make: delivered (every hop, its route's
# protocol: vrfd's routes and the kernel's connected and local ones),
# blackhole, unreachable, prohibit, no-route, neighbour-unresolved (a
# gateway nobody on the link owns), loop (r2 and r3 point a prefix at each
# other), ttl-exceeded (--ttl against the four routers), rp-filter (strict
# on r1, whose route back to h1's loopback leaves by another interface).
# Each is said in the text's last line, in -j's .result and in the exit
# status (0 only for delivered), stops at the right node, and agrees with
# what the kernel does to a real packet (ping) or says (ip route get).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_trace.sh"

lab_apply tr <<'EOF'
lab: tr
defaults:
  sysctl:
    net.ipv4.ip_forward: 1
    # every ICMP error the pings below look for is sent, none held back
    # by the per-peer rate limit
    net.ipv4.icmp_ratelimit: 0
    net.ipv4.conf.all.rp_filter: 0
    net.ipv4.conf.default.rp_filter: 0
routers:
  h1:
    interfaces:
      lo:   {addresses: [10.255.0.1/32]}
      eth0: {addresses: [10.0.0.2/24]}
    routes: [{to: default, via: 10.0.0.1}]
  r1:
    sysctl:
      net.ipv4.conf.all.rp_filter: 1
      net.ipv4.conf.default.rp_filter: 1
    interfaces:
      eth0: {addresses: [10.0.0.1/24]}
      eth1: {addresses: [10.0.1.1/24]}
    routes:
      - {to: 10.0.9.0/24, via: 10.0.1.2}
      - {to: 10.0.2.0/23, via: 10.0.1.2}
      - {to: 10.0.60.0/24, via: 10.0.1.2}
      - {to: 192.0.2.0/24, type: blackhole}
      - {to: 198.51.100.0/24, type: unreachable}
      - {to: 203.0.113.0/24, type: prohibit}
      # nobody on eth1's link has 10.0.1.99
      - {to: 10.0.50.0/24, via: 10.0.1.99}
      # asymmetric: h1's loopback is said to be behind r2
      - {to: 10.255.0.1/32, via: 10.0.1.2}
  r2:
    interfaces:
      eth0: {addresses: [10.0.1.2/24]}
      eth1: {addresses: [10.0.2.1/24]}
    routes:
      - {to: 10.0.0.0/24, via: 10.0.1.1}
      - {to: 10.0.9.0/24, via: 10.0.2.2}
      - {to: 10.0.3.0/24, via: 10.0.2.2}
      - {to: 10.0.60.0/24, via: 10.0.2.2}
  r3:
    interfaces:
      eth0: {addresses: [10.0.2.2/24]}
      eth1: {addresses: [10.0.3.1/24]}
    routes:
      - {to: 10.0.0.0/23, via: 10.0.2.1}
      - {to: 10.0.9.0/24, via: 10.0.3.2}
      # back to r2, which sends it here: a loop
      - {to: 10.0.60.0/24, via: 10.0.2.1}
  r4:
    interfaces:
      eth0: {addresses: [10.0.3.2/24]}
      eth1: {addresses: [10.0.9.1/24]}
    routes: [{to: default, via: 10.0.3.1}]
  h2:
    interfaces:
      eth0: {addresses: [10.0.9.2/24]}
    routes: [{to: default, via: 10.0.9.1}]
links:
  - [h1:eth0, r1:eth0]
  - [r1:eth1, r2:eth0]
  - [r2:eth1, r3:eth0]
  - [r3:eth1, r4:eth0]
  - [r4:eth1, h2:eth0]
EOF

# ping_says NS DST WANT [ARGS...]: one ping from NS to DST fails, and its
# output holds WANT (a regular expression).
ping_says() {
	local ns=$1 dst=$2 want=$3 out
	shift 3
	if out=$(ip netns exec "$ns" ping -c 1 -W 1 "$@" "$dst" 2>&1); then
		fail "ping $dst from $ns got through: $out"
	fi
	grep -Eq "$want" <<<"$out" || fail "ping $dst from $ns: want /$want/, \
got: $out"
}

say "delivered: every hop, its route and that route's protocol"
trc ok -l tr h1 10.0.9.2
tr_result ok delivered h2 "10.0.9.2 is h2's own"
expect_eq "$(tr_hops ok)" "h1 r1 r2 r3 r4 h2" "hops"
expect_eq "$(tr_protos ok)" "vrfd vrfd vrfd vrfd kernel kernel" \
    "route protocols"
expect_eq "$(tj ok '[.hops[] | .route.dst] | join(" ")')" \
    "default 10.0.9.0/24 10.0.9.0/24 10.0.9.0/24 10.0.9.0/24 10.0.9.2" \
    "matched prefixes"
expect_eq "$(tj ok '[.hops[] | .ingress // "-"] | join(" ")')" \
    "- eth0 eth0 eth0 eth0 eth0" "ingress interfaces"
expect_eq "$(tj ok '[.hops[] | .egress // "-"] | join(" ")')" \
    "eth0 eth1 eth1 eth1 eth1 -" "egress interfaces"
expect_eq "$(tj ok '[.hops[] | .nexthop | if . == null then "-" else
    (.via // "on-link \(.on_link)") end] | join(" ")')" \
    "10.0.0.1 10.0.1.2 10.0.2.2 10.0.3.2 on-link 10.0.9.2 -" "nexthops"
expect_eq "$(tj ok '.hops[-1].route.type')" local "the last route's type"
expect_eq "$(tj ok .src)" 10.0.0.2 "the source the kernel picked"
# The text's hop lines say the same.
grep -Eq '^ +3 +r2 +eth0 +10\.0\.9\.0/24 proto vrfd +via 10\.0\.2\.2 +eth1' \
    "$T/ok.txt" || fail "hop 3 in the text: $(cat "$T/ok.txt")"
ping_ok tr-h1 10.0.9.2

say "blackhole, unreachable, prohibit at r1 (hop 2), with their routes"
trc bh -l tr h1 192.0.2.1
tr_result bh blackhole r1 "r1 drops it: a blackhole route for 192.0.2.1"
expect_eq "$(tj bh '.hops[1].route | "\(.type) \(.dst) \(.protocol)"')" \
    "blackhole 192.0.2.0/24 vrfd" "blackhole route"
trc un -l tr h1 198.51.100.7
tr_result un unreachable r1 "r1 has an unreachable route for 198.51.100.7"
expect_eq "$(tj un '.hops[1].route | "\(.type) \(.dst) \(.protocol)"')" \
    "unreachable 198.51.100.0/24 vrfd" "unreachable route"
trc pr -l tr h1 203.0.113.5
tr_result pr prohibit r1 "r1 has a prohibit route for 203.0.113.5"
expect_eq "$(tj pr '.hops[1].route | "\(.type) \(.dst) \(.protocol)"')" \
    "prohibit 203.0.113.0/24 vrfd" "prohibit route"
for n in bh un pr; do
	expect_eq "$(tr_hops $n)" "h1 r1" "$n: hops"
	expect_eq "$(tj $n '.hops[1].nexthop')" null "$n: a nexthop"
done
# What the kernel does with real packets from h1: nothing back for the
# blackhole; r1 (10.0.0.1) answers for the other two.
ping_says tr-h1 192.0.2.1 '100% packet loss'
grep -q Unreachable <<<"$(ip netns exec tr-h1 ping -c 1 -W 1 192.0.2.1 \
    2>&1)" && fail "the blackhole answered"
ping_says tr-h1 198.51.100.7 'From 10\.0\.0\.1 .*Host Unreachable'
ping_says tr-h1 203.0.113.5 'From 10\.0\.0\.1 .*Packet filtered'

say "no-route at r1, which has no default"
trc nr -l tr h1 100.64.0.1
tr_result nr no-route r1 "r1 has no route to 100.64.0.1"
expect_eq "$(tr_hops nr)" "h1 r1" "no-route: hops"
expect_eq "$(tj nr '.hops[0].route.dst')" default "h1's route"
ping_says tr-h1 100.64.0.1 'From 10\.0\.0\.1 .*Net Unreachable'
# At the source itself: hop 1, and no route to show.
trc nr1 -l tr r2 100.64.0.1
tr_result nr1 no-route r2 "r2 has no route to 100.64.0.1"
expect_eq "$(tr_hops nr1)" r2 "no-route at the source: hops"
expect_eq "$(tj nr1 '.hops[0].route')" null "no-route at the source: route"

say "neighbour-unresolved: r1's gateway 10.0.1.99 is nobody's"
trc nu -l tr h1 10.0.50.1
tr_result nu neighbour-unresolved r1 \
    "r1: nobody on eth1's segment owns the nexthop 10.0.1.99"
expect_eq "$(tj nu '.hops[1].nexthop | "\(.via) \(.dev)"')" "10.0.1.99 eth1" \
    "the unresolved nexthop"
expect_eq "$(tj nu '.hops[1].route.protocol')" vrfd "its route's protocol"
expect_eq "$(ip -j -n tr-r2 addr show | jq -r '[.[].addr_info[].local] |
    index("10.0.1.99")')" null "r2 owns 10.0.1.99"

say "loop: r2 and r3 send 10.0.60.0/24 to each other"
trc lp -l tr h1 10.0.60.1
tr_result lp loop r3 "back at r3, as at hop 4: a routing loop"
expect_eq "$(tr_hops lp)" "h1 r1 r2 r3 r2 r3" "loop: hops"
expect_eq "$(tj lp '[.hops[] | .ingress // "-"] | join(" ")')" \
    "- eth0 eth0 eth0 eth1 eth0" "loop: ingress interfaces"
ping_says tr-h1 10.0.60.1 'Time to live exceeded'

say "ttl-exceeded: four routers need a TTL of 5"
for ttl in 1 2 3 4; do
	# TTL N: the Nth router gets it with TTL 1, and answers.
	trc ttl$ttl -l tr --ttl $ttl h1 10.0.9.2
	tr_result ttl$ttl ttl-exceeded "r$ttl"
	expect_eq "$(tj ttl$ttl '.hops | length')" $((ttl + 1)) \
	    "--ttl $ttl: hops"
	expect_eq "$(tj ttl$ttl '.hops[-1].nexthop')" null \
	    "--ttl $ttl: a nexthop at the last hop"
done
trc ttl5 -l tr --ttl 5 h1 10.0.9.2
tr_result ttl5 delivered h2
# The kernel agrees: TTL 2 is answered by r2 (10.0.1.2, where it came in),
# TTL 4 by r4, TTL 5 arrives.
ping_says tr-h1 10.0.9.2 'From 10\.0\.1\.2 .*Time to live exceeded' -t 2
ping_says tr-h1 10.0.9.2 'From 10\.0\.3\.2 .*Time to live exceeded' -t 4
ping_ok tr-h1 10.0.9.2 -t 5

say "rp-filter: from h1's loopback, whose way back r1 sees through eth1"
trc rp -l tr --from 10.255.0.1 h1 10.0.9.2
tr_result rp rp-filter r1 \
    "r1 drops it: rp_filter finds no route back to 10.255.0.1 through eth0"
expect_eq "$(tj rp .src)" 10.255.0.1 "rp: the source"
expect_eq "$(tr_hops rp)" "h1 r1" "rp: hops"
# r1's kernel refuses that packet (EXDEV before Linux 6.13, EINVAL since)
# and routes it in loose mode (2), where the trace lets it through too.
out=$(ip -n tr-r1 route get 10.0.9.2 from 10.255.0.1 iif eth0 2>&1) &&
	fail "r1's kernel routes it: $out"
grep -Eq "Invalid (cross-device link|argument)" <<<"$out" || fail "r1: $out"
ip netns exec tr-r1 sysctl -qw net.ipv4.conf.all.rp_filter=2
ip -n tr-r1 route get 10.0.9.2 from 10.255.0.1 iif eth0 >/dev/null ||
	fail "r1's kernel refuses it in loose mode"
trc rp2 -l tr --from 10.255.0.1 h1 10.0.9.2
tr_result rp2 delivered h2
# Loose mode wants a route back, whatever its interface: none is none.
ip -n tr-r1 route del 10.255.0.1/32
out=$(ip -n tr-r1 route get 10.0.9.2 from 10.255.0.1 iif eth0 2>&1) &&
	fail "r1's kernel routes it with no way back: $out"
trc rp3 -l tr --from 10.255.0.1 h1 10.0.9.2
tr_result rp3 rp-filter r1
# The larger of conf/all and conf/eth0 is in force: eth0 still says 1.
ip netns exec tr-r1 sysctl -qw net.ipv4.conf.all.rp_filter=0
ip -n tr-r1 route get 10.0.9.2 from 10.255.0.1 iif eth0 >/dev/null 2>&1 &&
	fail "r1's kernel routes it with eth0's rp_filter 1"
trc rp4 -l tr --from 10.255.0.1 h1 10.0.9.2
tr_result rp4 rp-filter r1
ip netns exec tr-r1 sysctl -qw net.ipv4.conf.eth0.rp_filter=0
ip -n tr-r1 route get 10.0.9.2 from 10.255.0.1 iif eth0 >/dev/null ||
	fail "r1's kernel refuses it with rp_filter 0"
trc rp5 -l tr --from 10.255.0.1 h1 10.0.9.2
tr_result rp5 delivered h2

say "the node's own address: delivered at once; no -l with one lab"
trc self -l tr h1 10.0.0.2
tr_result self delivered h1 "10.0.0.2 is h1's own"
expect_eq "$(tr_hops self)" h1 "own address: hops"
"$VRFCTL" trace h1 10.0.9.2 > "$T/nol.txt" || fail "no -l: $(cat "$T/nol.txt")"
expect_eq "$(tail -n 1 "$T/nol.txt")" "$(tr_last ok)" "no -l: the last line"

say "usage errors: exit 2"
for args in "h1" "h1 10.0.9.2 --proto udp" "h1 10.0.9.2 --sport 5" \
    "h1 10.0.9.2 --proto sctp --dport 5" "h1 10.0.9.2 --ttl 0" \
    "h1 10.0.9.2 --from 2001:db8::1" "h1 10.0.9.300"; do
	rc=0
	# shellcheck disable=SC2086
	"$VRFCTL" trace -l tr $args > "$T/u.txt" 2>&1 || rc=$?
	expect_eq "$rc" 2 "trace $args: exit status ($(cat "$T/u.txt"))"
	grep -q "^usage: vrfctl trace" "$T/u.txt" || fail "trace $args: $(cat \
	    "$T/u.txt")"
done

say "a source that is not the node's, an unknown node: errors, not results"
rc=0
"$VRFCTL" trace -l tr --from 10.0.9.2 h1 10.0.9.2 > "$T/e1" 2>&1 || rc=$?
expect_eq "$rc" 1 "a foreign source: exit status"
grep -q "10.0.9.2 is not an address of h1" "$T/e1" || fail "$(cat "$T/e1")"
rc=0
"$VRFCTL" trace -l tr h9 10.0.9.2 > "$T/e2" 2>&1 || rc=$?
expect_eq "$rc" 1 "an unknown node: exit status"
grep -q "no node 'h9' in lab tr" "$T/e2" || fail "$(cat "$T/e2")"
say "ok"
