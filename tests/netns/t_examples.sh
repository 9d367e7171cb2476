#!/usr/bin/env bash
# t_examples: every shipped topology/*.yaml applies cleanly (converged,
# exit 0, plan empty afterwards) and does what its `expect:` list says:
# each {from: NODE, to: ADDRESS, reach: BOOL} is a ping from NODE's
# namespace that must succeed (reach: true, the default) or fail. Then
# destroy leaves nothing.
#
# The expect entries are read with sed: one flow mapping per line, as the
# examples write them.
. "$(dirname "$0")/lib.sh"

n=0
for f in "$TOPO"/*.yaml; do
	lab=$(sed -n 's/^lab: *\([^ #]*\).*/\1/p' "$f")
	say "$(basename "$f") (lab $lab)"
	r=$("$VRFCTL" -j apply "$f") || { echo "$r" | jq -c .errors; fail "apply $f"; }
	expect_eq "$("$VRFCTL" -j plan "$f" | jq .changes)" 0 "$f: changes after apply"
	while read -r from to reach; do
		ns="$lab-${from//\//-}"
		fam=-4
		[[ $to == *:* ]] && fam=-6
		if [ "$reach" = false ]; then
			ip netns exec "$ns" ping "$fam" -c 1 -W 1 "$to" >/dev/null 2>&1 &&
				fail "$f: $from reaches $to, and must not"
		else
			# polled: whether it works the instant apply returns is
			# t_ipv6_at_once's concern
			wait_for 3 ip netns exec "$ns" ping "$fam" -c 1 -W 1 "$to" ||
				fail "$f: $from cannot reach $to"
		fi
		echo "  $from -> $to: ${reach:-true}"
		n=$((n + 1))
	done < <(sed -n '/^expect:/,/^[^ ]/p' "$f" | sed -n \
	    's/^ *- *{ *from: *\([^,]*\), *to: *"\{0,1\}\([^",}]*\)"\{0,1\}\(, *reach: *\([a-z]*\)\)\{0,1\} *}.*/\1 \2 \4/p')
	"$VRFCTL" destroy "$lab" >/dev/null || fail "destroy $lab"
	expect_eq "$(ip netns list | wc -l)" 0 "namespaces after destroying $lab"
done
[ "$n" -ge 10 ] || fail "only $n expectations found in the examples"
say "ok: $n expectations"
