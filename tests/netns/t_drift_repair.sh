#!/usr/bin/env bash
# t_drift_repair: what someone changes by hand in a lab (a route deleted, a
# link set down, an MTU changed, an address deleted, a veth deleted) shows
# up in `vrfctl plan` as the change that undoes it, and `vrfctl apply`
# undoes it: plan is empty again and traffic is back.
#
# The lab: a chain r1 - r2 - r3, r1 and r3 reaching each other's loopback
# through r2.
. "$(dirname "$0")/lib.sh"

cat >"$T/chain.yaml" <<'EOF'
lab: dr
defaults:
  sysctl: {net.ipv4.ip_forward: 1}
routers:
  r1:
    interfaces:
      lo:   {addresses: [10.255.0.1/32]}
      eth0: {addresses: [10.0.12.1/24]}
    routes:
      - {to: 10.255.0.3/32, via: 10.0.12.2}
  r2:
    interfaces:
      eth0: {addresses: [10.0.12.2/24]}
      eth1: {addresses: [10.0.23.1/24]}
    routes:
      - {to: 10.255.0.1/32, via: 10.0.12.1}
      - {to: 10.255.0.3/32, via: 10.0.23.2}
  r3:
    interfaces:
      lo:   {addresses: [10.255.0.3/32]}
      eth0: {addresses: [10.0.23.2/24]}
    routes:
      - {to: 10.255.0.1/32, via: 10.0.23.1}
links:
  - [r1:eth0, r2:eth0]
  - [r2:eth1, r3:eth0]
EOF
F=$T/chain.yaml

"$VRFCTL" apply "$F" >/dev/null || fail "apply"
traffic() { ping_ok dr-r1 10.255.0.3 -I 10.255.0.1; }
traffic

# drifted WHAT "NS OP OBJECT"...: plan lists exactly these changes (in any
# order), apply makes them, then plan is empty and traffic flows.
drifted() {
	local what=$1 p got want
	shift
	say "$what"
	p=$("$VRFCTL" -j plan "$F") || fail "$what: plan failed"
	got=$(jq -r '.plan[] | "\(.namespace) \(.op) \(.object)"' <<<"$p" | sort)
	want=$(printf '%s\n' "$@" | sort)
	expect_eq "$got" "$want" "$what: plan"
	jq -e '.plan | all(.command | startswith("ip "))' <<<"$p" >/dev/null ||
		fail "$what: a change without its iproute2 command"
	"$VRFCTL" apply "$F" >"$T/out" || { cat "$T/out"; fail "$what: apply"; }
	expect_eq "$("$VRFCTL" -j plan "$F" | jq .changes)" 0 \
	    "$what: changes after apply"
	traffic
}

ip -n dr-r2 route del 10.255.0.3/32
ping_fails dr-r1 10.255.0.3 -I 10.255.0.1
drifted "a route deleted" "dr-r2 add route 10.255.0.3/32 metric 0"

# a link down: the kernel also drops the IPv4 routes through it
ip -n dr-r2 link set eth1 down
ping_fails dr-r1 10.255.0.3 -I 10.255.0.1
drifted "a link set down" "dr-r2 set link eth1" \
    "dr-r2 add route 10.255.0.3/32 metric 0"
expect_eq "$(ip -j -n dr-r2 link show eth1 | jq -r '.[0].flags | index("UP") != null')" \
    true "r2 eth1 up"

ip -n dr-r1 link set eth0 mtu 1400
drifted "an MTU changed" "dr-r1 set link eth0"
expect_eq "$(ip -j -n dr-r1 link show eth0 | jq .[0].mtu)" 1500 "r1 eth0 mtu"
ip netns exec dr-r1 ping -c 1 -W 1 -M do -s 1472 10.0.12.2 >/dev/null ||
	fail "1500-byte frames do not pass"

# an address deleted: its connected route and the route through it go too
ip -n dr-r3 address del 10.0.23.2/24 dev eth0
ping_fails dr-r1 10.255.0.3 -I 10.255.0.1
drifted "an address deleted" "dr-r3 add address 10.0.23.2/24 dev eth0" \
    "dr-r3 add route 10.255.0.1/32 metric 0"

# a veth deleted (both ends go): made again, with everything on it
ip -n dr-r2 link del eth1
drifted "a veth deleted" "dr-r2 create link eth1 (veth to dr-r3:eth0)" \
    "dr-r2 set link eth1" "dr-r3 set link eth0" \
    "dr-r2 add address 10.0.23.1/24 dev eth1" \
    "dr-r3 add address 10.0.23.2/24 dev eth0" \
    "dr-r2 add route 10.255.0.3/32 metric 0" \
    "dr-r3 add route 10.255.0.1/32 metric 0"
for e in dr-r2/eth1 dr-r3/eth0; do
	expect_eq "$(ip -j -n "${e%/*}" link show "${e#*/}" | jq -r '.[0].ifalias')" \
	    "vrfd lab=dr" "$e alias"
done
say "ok"
