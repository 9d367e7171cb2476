#!/usr/bin/env bash
# t_mac_mtu: declared MACs and MTUs are applied to the right end: an
# interface's own mtu/mac (on its end only); a link's mtu (both ends);
# 1500 and a stable, locally administered unicast MAC otherwise (the same
# after destroy and apply). A 9000-byte link carries
# 8972-byte unfragmented pings; the 1500-byte one refuses them.
. "$(dirname "$0")/lib.sh"

cat >"$T/mm.yaml" <<'EOF'
lab: mm
routers:
  r1:
    interfaces:
      eth0: {addresses: [10.0.0.1/24], mac: "02:aa:00:00:00:01", mtu: 9000}
      eth1: {addresses: [10.0.1.1/24]}
      eth2: {addresses: [10.0.2.1/24]}
  r2:
    interfaces:
      eth0: {addresses: [10.0.0.2/24], mtu: 9000}
      eth1: {addresses: [10.0.1.2/24], mac: "02:aa:00:00:00:02", mtu: 1400}
      eth2: {addresses: [10.0.2.2/24]}
links:
  - [r1:eth0, r2:eth0]
  - [r1:eth1, r2:eth1]
  - {endpoints: [r1:eth2, r2:eth2], mtu: 4000}
EOF

"$VRFCTL" apply "$T/mm.yaml" >/dev/null || fail "apply"

# "mtu address" of NS's DEV
link() { ip -j -n "$1" link show "$2" | jq -r '.[0] | "\(.mtu) \(.address)"'; }

say "declared MACs and MTUs"
expect_eq "$(link mm-r1 eth0)" "9000 02:aa:00:00:00:01" "r1 eth0"
expect_eq "$(link mm-r2 eth1)" "1400 02:aa:00:00:00:02" "r2 eth1"
expect_eq "$(link mm-r2 eth0 | cut -d' ' -f1)" 9000 "r2 eth0 mtu"
say "a link's mtu on both ends"
expect_eq "$(link mm-r1 eth2 | cut -d' ' -f1)" 4000 "r1 eth2 mtu"
expect_eq "$(link mm-r2 eth2 | cut -d' ' -f1)" 4000 "r2 eth2 mtu"
say "defaults: 1500, a locally administered unicast MAC"
expect_eq "$(link mm-r1 eth1 | cut -d' ' -f1)" 1500 "r1 eth1 mtu (its peer has 1400)"
declare -A mac
for e in mm-r1/eth1 mm-r1/eth2 mm-r2/eth0 mm-r2/eth2; do
	m=$(link "${e%/*}" "${e#*/}" | cut -d' ' -f2)
	# first octet: bit 1 set (local), bit 0 clear (unicast)
	(( (0x${m%%:*} & 3) == 2 )) || fail "$e: MAC $m is not local unicast"
	mac[$e]=$m
done
[ "$(printf '%s\n' "${mac[@]}" | sort -u | wc -l)" = 4 ] ||
	fail "generated MACs are not distinct: ${mac[*]}"

say "jumbo frames pass where both ends say 9000, not elsewhere"
ip netns exec mm-r1 ping -c 1 -W 1 -M do -s 8972 10.0.0.2 >/dev/null ||
	fail "no 9000-byte frames on eth0"
ip netns exec mm-r1 ping -c 1 -W 1 -M do -s 8972 10.0.1.2 >/dev/null 2>&1 &&
	fail "9000-byte frames on a 1500-byte link"
ping_ok mm-r1 10.0.2.2 -M do -s 3972
ping_ok mm-r2 10.0.1.1 -M do -s 1372

say "the same MACs after destroy and apply"
"$VRFCTL" destroy mm >/dev/null || fail "destroy"
"$VRFCTL" apply "$T/mm.yaml" >/dev/null || fail "apply again"
for e in "${!mac[@]}"; do
	expect_eq "$(link "${e%/*}" "${e#*/}" | cut -d' ' -f2)" "${mac[$e]}" \
	    "$e MAC after rebuild"
done
say "ok"
