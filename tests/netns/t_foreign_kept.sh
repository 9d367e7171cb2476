#!/usr/bin/env bash
# t_foreign_kept: objects vrfd did not make are never changed or removed.
# Inside our namespaces: a route of protocol 42, a route added by plain
# `ip route add` (protocol boot), an address added by hand, a permanent
# neighbour, a veth pair. Outside: a namespace `other` with a link and an
# address of its own, and a namespace named like one of the lab's but not
# marked as ours. After apply, all of them are still there and untouched,
# apply is converged, and plan and status list the foreign objects inside
# our namespaces (kind and text); after destroy, what is outside our
# namespaces is still there.
. "$(dirname "$0")/lib.sh"

cat >"$T/lab.yaml" <<'EOF'
lab: fk
routers:
  r1:
    interfaces:
      eth0: {addresses: [10.0.0.1/24]}
    routes:
      - {to: 10.9.0.0/16, via: 10.0.0.2}
  r2:
    interfaces:
      eth0: {addresses: [10.0.0.2/24]}
links:
  - [r1:eth0, r2:eth0]
EOF
F=$T/lab.yaml

"$VRFCTL" apply "$F" >/dev/null || fail "first apply"

say "someone adds their own things"
ip -n fk-r1 route add 10.42.0.0/16 via 10.0.0.2 proto 42
ip -n fk-r1 route add 10.43.0.0/16 via 10.0.0.2
ip -n fk-r1 address add 10.0.0.100/24 dev eth0
ip -n fk-r1 neigh add 10.0.0.77 lladdr 02:00:00:00:00:77 dev eth0 nud permanent
ip -n fk-r1 link add fv0 type veth peer name fv1
ip netns add other
ip -n other link add ov0 type veth peer name ov1
ip -n other address add 192.0.2.7/24 dev ov0
ip -n other link set ov0 up
ip netns add fk-r9		# the lab's prefix, no mark
ip -n fk-r9 link set lo up

# snapshot NS: what a foreign owner would look at
snapshot() {
	{
		ip -N -j -n "$1" route show | jq -c 'sort_by(.dst) | .[]'
		ip -j -n "$1" addr | jq -c '[.[] | {ifname, a: [.addr_info[] |
		    "\(.local)/\(.prefixlen)"]}]'
		ip -j -n "$1" link | jq -c '[.[] | {ifname, mtu, address,
		    flags, ifalias}]'
		ip -N -j -n "$1" neigh show nud permanent | jq -c .
	}
}
foreign_r1() {	# the foreign objects of fk-r1, as they are now
	{
		# iproute2 leaves out "proto boot", the default
		ip -N -j -n fk-r1 route show | jq -c '.[] | select((.protocol //
		    "3") as $p | $p == "42" or $p == "3")'
		ip -j -n fk-r1 addr show dev eth0 | jq -c '.[0].addr_info[] |
		    select(.local == "10.0.0.100")'
		ip -N -j -n fk-r1 neigh show 10.0.0.77 | jq -c .
		ip -j -n fk-r1 link | jq -c '.[] | select(.ifname == "fv0" or
		    .ifname == "fv1") | {ifname, address, mtu, flags}'
	}
}
before_r1=$(foreign_r1)
before_other=$(snapshot other)
before_r9=$(snapshot fk-r9)
expect_eq "$(wc -l <<<"$before_r1")" 6 "foreign objects made in fk-r1"

say "apply: converged, foreign objects untouched"
r=$("$VRFCTL" -j apply "$F") || { echo "$r"; fail "apply with foreign objects"; }
expect_eq "$(jq -c '[.changes, .failed, .converged]' <<<"$r")" "[0,0,true]" \
    "apply report"
expect_eq "$(foreign_r1)" "$before_r1" "foreign objects in fk-r1"
expect_eq "$(snapshot other)" "$before_other" "namespace other"
expect_eq "$(snapshot fk-r9)" "$before_r9" "namespace fk-r9"
ping_ok fk-r1 10.0.0.2

want_foreign="address 10.0.0.100/24 dev eth0
link fv0
link fv1
neighbour 10.0.0.77 dev eth0
route 10.42.0.0/16 proto babel metric 0
route 10.43.0.0/16 proto boot metric 0"

say "plan lists them, and changes nothing"
p=$("$VRFCTL" -j plan "$F")
expect_eq "$(jq .changes <<<"$p")" 0 "plan changes"
expect_eq "$(jq -r '.namespaces[] | select(.namespace == "fk-r1") |
    .foreign[] | "\(.kind) \(.what)"' <<<"$p" | sort)" "$want_foreign" \
    "plan: foreign objects of fk-r1"
expect_eq "$(jq -r '.namespaces[] | select(.namespace == "fk-r2") |
    .foreign | length' <<<"$p")" 0 "plan: foreign objects of fk-r2"
"$VRFCTL" plan "$F" | grep -q "fk-r1: route 10.42.0.0/16 proto babel" ||
	fail "plan (text) does not show the foreign route"

say "status lists them"
s=$("$VRFCTL" -j status fk) || true
expect_eq "$(jq -r '.labs[0].namespaces[] | select(.namespace == "fk-r1") |
    .foreign_objects[] | "\(.kind) \(.what)"' <<<"$s" | sort)" "$want_foreign" \
    "status: foreign objects of fk-r1"
expect_eq "$(jq -r '.labs[0].namespaces[] | select(.namespace == "fk-r1") |
    .foreign' <<<"$s")" 6 "status: foreign count of fk-r1"
expect_eq "$(jq -r '[.labs[].lab] | join(" ")' <<<"$s")" fk "labs"
expect_eq "$(jq -r '[.labs[0].namespaces[].namespace] | sort | join(" ")' <<<"$s")" \
    "fk-r1 fk-r2" "status: the lab's namespaces (not fk-r9)"

say "destroy: what is outside our namespaces stays"
"$VRFCTL" destroy fk >/dev/null || fail "destroy"
expect_eq "$(ip netns list | awk '{print $1}' | sort | xargs)" "fk-r9 other" \
    "namespaces left"
expect_eq "$(snapshot other)" "$before_other" "namespace other after destroy"
expect_eq "$(snapshot fk-r9)" "$before_r9" "namespace fk-r9 after destroy"
say "ok"
