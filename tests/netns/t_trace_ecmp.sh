#!/usr/bin/env bash
# t_trace_ecmp: a diamond, src -- a -- {b1, b2} -- c -- dst, where a has one
# route to dst's network with two weighted nexthops (b1 weight 1, b2
# weight 3) and hashes on ports (fib_multipath_hash_policy 1). For UDP
# flows with many source ports, a's hop in the trace lists both nexthops
# (ecmp, with their weights) and marks exactly one as this flow's; that
# one is the hop's nexthop, the next hop is the router behind it, and it
# is the one the kernel itself picks for the same flow (ip route get ...
# iif ... ipproto udp sport S dport D). Across 64 source ports both are
# picked. IPv4 and IPv6.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_trace.sh"

lab_apply ec <<'EOF'
lab: ec
defaults:
  sysctl:
    net.ipv4.ip_forward: 1
    net.ipv6.conf.all.forwarding: 1
    net.ipv4.conf.all.rp_filter: 0
    net.ipv4.conf.default.rp_filter: 0
routers:
  src:
    interfaces:
      eth0: {addresses: [10.0.1.2/24, "2001:db8:1::2/64"]}
    routes:
      - {to: default, via: 10.0.1.1}
      - {to: "::/0", via: "2001:db8:1::1"}
  a:
    sysctl:
      net.ipv4.fib_multipath_hash_policy: 1
      net.ipv6.fib_multipath_hash_policy: 1
    interfaces:
      eth0: {addresses: [10.0.1.1/24, "2001:db8:1::1/64"]}
      eth1: {addresses: [10.0.11.1/24, "2001:db8:11::1/64"]}
      eth2: {addresses: [10.0.12.1/24, "2001:db8:12::1/64"]}
    routes:
      - to: 10.0.9.0/24
        nexthops: [{via: 10.0.11.2, weight: 1}, {via: 10.0.12.2, weight: 3}]
      - to: "2001:db8:9::/64"
        nexthops: [{via: "2001:db8:11::2", weight: 1},
                   {via: "2001:db8:12::2", weight: 3}]
  b1:
    interfaces:
      eth0: {addresses: [10.0.11.2/24, "2001:db8:11::2/64"]}
      eth1: {addresses: [10.0.21.1/24, "2001:db8:21::1/64"]}
    routes:
      - {to: 10.0.9.0/24, via: 10.0.21.2}
      - {to: 10.0.1.0/24, via: 10.0.11.1}
      - {to: "2001:db8:9::/64", via: "2001:db8:21::2"}
      - {to: "2001:db8:1::/64", via: "2001:db8:11::1"}
  b2:
    interfaces:
      eth0: {addresses: [10.0.12.2/24, "2001:db8:12::2/64"]}
      eth1: {addresses: [10.0.22.1/24, "2001:db8:22::1/64"]}
    routes:
      - {to: 10.0.9.0/24, via: 10.0.22.2}
      - {to: 10.0.1.0/24, via: 10.0.12.1}
      - {to: "2001:db8:9::/64", via: "2001:db8:22::2"}
      - {to: "2001:db8:1::/64", via: "2001:db8:12::1"}
  c:
    interfaces:
      eth0: {addresses: [10.0.21.2/24, "2001:db8:21::2/64"]}
      eth1: {addresses: [10.0.22.2/24, "2001:db8:22::2/64"]}
      eth2: {addresses: [10.0.9.1/24, "2001:db8:9::1/64"]}
    routes:
      - to: 10.0.1.0/24
        nexthops: [{via: 10.0.21.1}, {via: 10.0.22.1}]
      - to: "2001:db8:1::/64"
        nexthops: [{via: "2001:db8:21::1"}, {via: "2001:db8:22::1"}]
  dst:
    interfaces:
      eth0: {addresses: [10.0.9.2/24, "2001:db8:9::2/64"]}
    routes:
      - {to: default, via: 10.0.9.1}
      - {to: "::/0", via: "2001:db8:9::1"}
links:
  - [src:eth0, a:eth0]
  - [a:eth1, b1:eth0]
  - [a:eth2, b2:eth0]
  - [b1:eth1, c:eth0]
  - [b2:eth1, c:eth1]
  - [c:eth2, dst:eth0]
EOF

# flows FAMILY DST SRC NH1 NH2: trace 64 UDP flows from src to DST and
# check a's hop of each against the kernel's choice for the same flow.
flows() {
	local fam=$1 dst=$2 srcip=$3 nh1=$4 nh2=$5 s got kern n1=0 n2=0 rc
	local -A behind=([$nh1]=b1 [$nh2]=b2) kernel
	# The kernel's own choice for each flow, arriving at a: one batch.
	while read -r s kern; do
		kernel[$s]=$kern
	done < <(for s in $(seq 40000 40063); do
		echo "route get $dst from $srcip iif eth0 ipproto udp" \
		    "sport $s dport 53"
	done | ip -$fam -n ec-a -batch - | sed -n 's/.* via \([^ ]*\) .*/\1/p' |
	    paste - <(seq 40000 40063) | awk '{ print $2, $1 }')
	expect_eq "${#kernel[@]}" 64 "IPv$fam: the kernel's answers"
	for s in $(seq 40000 40063); do
		rc=0
		"$VRFCTL" trace -j -l ec --proto udp --dport 53 --sport "$s" \
		    src "$dst" > "$T/f.json" || rc=$?
		expect_eq "$rc" 0 "sport $s: exit status"
		# The result, where, the flow traced; a's hop: both nexthops
		# with their weights (in the kernel's order, which for IPv6 is
		# not the file's), how many are chosen, the chosen one, the
		# hop's own nexthop, and the next hop's node.
		read -r res flow nhs n_chosen got hop_nh next < <(tj f '
		    "\(.result)@\(.hops[-1].node)",
		    "\(.sport)/\(.dport)/\(.src)",
		    ([.hops[1].ecmp[] | "\(.via)/\(.dev)/\(.weight)"] | sort |
		    join(",")),
		    ([.hops[1].ecmp[] | select(.chosen)] | length),
		    ([.hops[1].ecmp[] | select(.chosen) | .via] | join(",")),
		    .hops[1].nexthop.via, .hops[2].node' | paste -sd ' ')
		expect_eq "$res" delivered@dst "sport $s: the result"
		expect_eq "$flow" "$s/53/$srcip" "sport $s: the flow traced"
		expect_eq "$nhs" "$nh1/eth1/1,$nh2/eth2/3" "sport $s: a's nexthops"
		expect_eq "$n_chosen" 1 "sport $s: chosen nexthops"
		expect_eq "$hop_nh" "$got" "sport $s: the hop's nexthop"
		expect_eq "$next" "${behind[$got]}" "sport $s: the router behind it"
		expect_eq "$got" "${kernel[$s]}" "sport $s: the kernel's nexthop"
		if [ "$got" = "$nh1" ]; then n1=$((n1 + 1)); else n2=$((n2 + 1)); fi
	done
	echo "IPv$fam: $n1 flows via b1, $n2 via b2"
	[ $n1 -gt 0 ] && [ $n2 -gt 0 ] || fail "IPv$fam: one nexthop never chosen"
	# The text: the ecmp lines, one of them this flow's, as the JSON says.
	trc t -l ec --proto udp --dport 53 --sport 40063 src "$dst"
	tr_result t delivered dst
	expect_eq "$(grep -c '<- this flow' "$T/t.txt")" 1 "IPv$fam: text"
	# One "ecmp:" line, then the other nexthops under it, in the
	# kernel's order (for IPv6 it has changed between kernels).
	expect_eq "$(grep -c ' ecmp: via ' "$T/t.txt")" 1 "IPv$fam: ecmp lines"
	grep -Eq " (ecmp: )?via $nh1 dev eth1 weight 1" "$T/t.txt" ||
		fail "IPv$fam: ecmp line: $(cat "$T/t.txt")"
	grep -Eq " (ecmp: )?via $nh2 dev eth2 weight 3" "$T/t.txt" ||
		fail "IPv$fam: ecmp line of $nh2: $(cat "$T/t.txt")"
	grep -Eq "via $got dev eth[12] weight [13]  <- this flow" "$T/t.txt" ||
		fail "IPv$fam: this flow's line: $(cat "$T/t.txt")"
}

say "IPv4: 64 UDP flows through a's weighted ECMP route"
flows 4 10.0.9.2 10.0.1.2 10.0.11.2 10.0.12.2

say "IPv6: the same"
flows 6 2001:db8:9::2 2001:db8:1::2 2001:db8:11::2 2001:db8:12::2

say "hops without ECMP list none"
trc one -l ec --proto udp --dport 53 --sport 40000 src 10.0.9.2
expect_eq "$(tj one '[.hops[] | .ecmp | length] | join(" ")')" "0 2 0 0 0" \
    "ecmp nexthops per hop"
expect_eq "$(tj one '.hops[0].nexthop.chosen')" true "src's nexthop"

say "and the packets go where the trace says (a's counters)"
# 20 datagrams of one flow: all leave a through the trace's interface.
s=40001
trc pkt -l ec --proto udp --dport 53 --sport $s src 10.0.9.2
dev=$(tj pkt '.hops[1].nexthop.dev')
other=eth1
[ "$dev" = eth1 ] && other=eth2
tx() { ip -j -s -n ec-a link show "$1" | jq -r '.[0].stats64.tx.packets'; }
before=$(tx "$dev")
obefore=$(tx $other)
ip netns exec ec-src python3 - "$s" <<'PY'
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("10.0.1.2", int(sys.argv[1])))
for _ in range(20):
    s.sendto(b"x", ("10.0.9.2", 53))
PY
wait_for 40 test "$(tx "$dev")" -ge $((before + 20)) ||
	fail "a sent $(($(tx "$dev") - before)) of 20 through $dev"
[ $(($(tx $other) - obefore)) -lt 20 ] ||
	fail "the datagrams went through $other, not $dev"
say "ok"
