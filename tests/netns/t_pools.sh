#!/usr/bin/env bash
# t_pools: a lab whose every address comes from `addressing:` pools, three
# routers in a chain: apply makes exactly the addresses show-addresses -j
# lists (each end of a link a /31 and a /64, each loopback a /32 and a
# /128), the lab converges (status and plan by the lab's name, which read
# the kept file, agree), each router reaches its neighbours at their pool
# addresses (IPv4 and IPv6), and none reaches a router that is not its
# neighbour (pools add no routes). Applied again: no change. With a link
# added, the addresses of the others are the same.
. "$(dirname "$0")/lib.sh"

cat >"$T/pools.yaml" <<'EOF'
lab: pl
addressing:
  p2p: 10.0.0.0/16
  loopback: 10.255.0.0/24
  p2p6: "2001:db8::/48"
  loopback6: "2001:db8:ff::/64"
routers:
  r1: {}
  r2: {}
  r3: {}
links:
  - [r1:eth0, r2:eth0]
  - [r2:eth1, r3:eth0]
EOF

"$VRFCTL" -j show-addresses "$T/pools.yaml" >"$T/addrs.json" ||
	fail "show-addresses"
# addr NODE IFNAME FAMILY(4|6): the address show-addresses gives, no /len.
addr() {
	jq -r --arg n "$1" --arg i "$2" --arg f "$3" '.interfaces[] |
	    select(.node == $n and .interface == $i) | .addresses[] |
	    select((.address | contains(":")) == ($f == "6")) |
	    .address | sub("/.*"; "")' "$T/addrs.json"
}

say "every address is a pool's"
expect_eq "$(jq '[.interfaces[].addresses[] | select(.source != "pool")] |
    length' "$T/addrs.json")" 0 "addresses not from a pool"
expect_eq "$(jq '[.interfaces[] | select(.addresses | length != 2)] |
    length' "$T/addrs.json")" 0 "interfaces without two addresses"
expect_eq "$(jq -r '[.interfaces[] | select(.interface == "lo") |
    .addresses[].pool] | unique | join(" ")' "$T/addrs.json")" \
    "loopback loopback6" "pools of the loopbacks"

say "apply: converged, and the kernel has exactly those addresses"
"$VRFCTL" apply "$T/pools.yaml" >/dev/null || fail "apply"
for n in r1 r2 r3; do
	want=$(jq -r --arg n "$n" '[.interfaces[] | select(.node == $n) |
	    "\(.interface) \(.addresses[].address)"] | sort | join(",")' \
	    "$T/addrs.json")
	got=$(ip -j -n "pl-$n" addr show | jq -r '[.[] | .ifname as $i |
	    .addr_info[] | select(.scope != "link" and .scope != "host" or
	    ($i == "lo" and .local != "127.0.0.1" and .local != "::1")) |
	    "\($i) \(.local)/\(.prefixlen)"] | sort | join(",")')
	expect_eq "$got" "$want" "addresses of $n"
done
expect_eq "$("$VRFCTL" -j plan "$T/pools.yaml" | jq .changes)" 0 \
    "changes after apply"
# status and plan by the lab's name load the kept file: the same addresses.
expect_eq "$("$VRFCTL" -j status pl | jq .labs[0].converged)" true \
    "status pl converged"
expect_eq "$("$VRFCTL" -j plan pl | jq .changes)" 0 "changes by plan pl"
expect_eq "$("$VRFCTL" -j show-addresses pl | jq -c .interfaces)" \
    "$(jq -c .interfaces "$T/addrs.json")" "show-addresses pl"

say "neighbours reach each other at their pool addresses"
for f in 4 6; do
	ping_ok pl-r1 "$(addr r2 eth0 $f)"
	ping_ok pl-r2 "$(addr r1 eth0 $f)"
	ping_ok pl-r2 "$(addr r3 eth0 $f)"
	ping_ok pl-r3 "$(addr r2 eth1 $f)"
	ping_fails pl-r1 "$(addr r3 eth0 $f)"
done

say "applied again: nothing to do"
out=$("$VRFCTL" apply "$T/pools.yaml") || fail "second apply"
echo "$out" | grep -q "0 changes, 0 failed, 3 of 3 namespaces unchanged" ||
	fail "second apply changed something: $out"

say "a link more: the others keep their addresses"
cp "$T/pools.yaml" "$T/more.yaml"
echo "  - [r1:eth1, r3:eth1]" >>"$T/more.yaml"
"$VRFCTL" -j show-addresses "$T/more.yaml" >"$T/more.json" ||
	fail "show-addresses with a link more"
old=$(jq -c '[.interfaces[] | select(.interface != "eth1" or
    .node == "r2")]' "$T/addrs.json")
new=$(jq -c '[.interfaces[] | select(.interface != "eth1" or
    .node == "r2")]' "$T/more.json")
expect_eq "$new" "$old" "the addresses of the other interfaces"
"$VRFCTL" apply "$T/more.yaml" >/dev/null || fail "apply with a link more"
jq -r '.interfaces[] | select(.node == "r3" and .interface == "eth1") |
    .addresses[].address | sub("/.*"; "")' "$T/more.json" >"$T/r3eth1"
while read -r a; do
	ping_ok pl-r1 "$a"
done <"$T/r3eth1"

"$VRFCTL" destroy pl >/dev/null || fail "destroy"
say "ok"
