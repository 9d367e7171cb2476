#!/usr/bin/env bash
# t_many_sysctls: a namespace may declare as many sysctls as it likes:
# with more than 256 (every numeric net.ipv4/ipv6 conf and neigh key of
# lo, all and default, at the values a new namespace has), apply
# converges, plan has nothing to do afterwards, and a change to any of
# them, the last included, is a difference.
. "$(dirname "$0")/lib.sh"

# The keys and the values a fresh namespace has.
ip netns add probe
ip netns exec probe sh -c '
	cd /proc/sys
	for f in net/ipv4/conf/lo/* net/ipv4/conf/all/* net/ipv4/conf/default/* \
	    net/ipv6/conf/lo/* net/ipv6/conf/all/* net/ipv6/conf/default/* \
	    net/ipv4/neigh/lo/* net/ipv6/neigh/lo/* net/ipv4/neigh/default/* \
	    net/ipv6/neigh/default/*; do
		[ -w "$f" ] || continue
		v=$(cat "$f" 2>/dev/null) || continue
		case $v in ""|*[!0-9]*) continue ;; esac
		echo "$f $v"
	done' | sed 's|/|.|g' | grep -v 'accept_dad\|disable_ipv6\|forwarding\|stable_secret' >"$T/keys"
ip netns delete probe
n=$(wc -l <"$T/keys")
[ "$n" -gt 256 ] || fail "only $n keys found"
{
	echo "lab: sc"
	echo "routers:"
	echo "  r1:"
	echo "    sysctl:"
	while read -r k v; do echo "      $k: $v"; done <"$T/keys"
} >"$T/sc.yaml"
"$VRFCTL" validate "$T/sc.yaml" >/dev/null || fail "validate: $("$VRFCTL" validate "$T/sc.yaml" 2>&1 | head)"

r=$("$VRFCTL" -j apply "$T/sc.yaml") || fail "apply: $(jq -c '.errors[:3]' <<<"$r")"
expect_eq "$(jq -c '[.failed, .converged]' <<<"$r")" '[0,true]' "apply of $n sysctls"
expect_eq "$("$VRFCTL" -j plan "$T/sc.yaml" | jq .changes)" 0 "changes after"

# The last key, changed by hand: a difference, and apply puts it back.
read -r key val < <(tail -1 "$T/keys")
ip netns exec sc-r1 sysctl -qw "$key=$((val + 1))"
expect_eq "$("$VRFCTL" -j plan "$T/sc.yaml" | jq -c '[.plan[].object]')" \
    "[\"sysctl $key=$val\"]" "plan after $key changed"
"$VRFCTL" apply "$T/sc.yaml" >/dev/null || fail "apply after the change"
expect_eq "$(ip netns exec sc-r1 sysctl -n "$key")" "$val" "$key after apply"
"$VRFCTL" destroy sc >/dev/null
say ok
