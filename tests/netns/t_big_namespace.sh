#!/usr/bin/env bash
# t_big_namespace: one namespace with more changes than one netlink chunk
# (64 KiB, about 1260 route adds) is applied whole: every route is there,
# apply exits 0 and says converged, and a plan afterwards has nothing to
# do. Sizes that cross the chunk once, and several times.
. "$(dirname "$0")/lib.sh"

# big N: lab bigN, router r1 with N routes via r2.
big() {
	local n=$1 i
	{
		echo "lab: big$n"
		echo "routers:"
		echo "  r1:"
		echo "    interfaces: {eth0: {addresses: [10.0.0.1/24]}}"
		echo "    routes:"
		for ((i = 0; i < n; i++)); do
			echo "      - {to: 10.$((100 + i / 250)).$((i % 250)).0/24, via: 10.0.0.2}"
		done
		echo "  r2:"
		echo "    interfaces: {eth0: {addresses: [10.0.0.2/24]}}"
		echo "links:"
		echo "  - [r1:eth0, r2:eth0]"
	} > "$T/big$n.yaml"
}

for n in 1300 1500 2500; do
	say "$n routes in one namespace"
	big "$n"
	rc=0
	"$VRFCTL" -j apply "$T/big$n.yaml" > "$T/apply.json" 2> "$T/apply.err" || rc=$?
	have=$(ip -n "big$n-r1" route show proto 118 | wc -l)
	[ "$rc" -eq 0 ] || fail "apply of $n routes: exit $rc ($(head -c 300 "$T/apply.err"); \
$(jq -c '{changes, failed, converged}' "$T/apply.json" 2>/dev/null)); $have of $n routes in the kernel"
	jq -e '.failed == 0 and .converged' "$T/apply.json" >/dev/null ||
		fail "apply of $n routes: $(jq -c '{changes, failed, converged}' "$T/apply.json")"
	expect_eq "$have" "$n" "routes of proto 118 in big$n-r1"
	p=$("$VRFCTL" -j plan "$T/big$n.yaml") || true
	expect_eq "$(jq .changes <<<"$p")" 0 "plan after the apply of $n routes"
	"$VRFCTL" destroy "big$n" > /dev/null || fail "destroy big$n"
done
say ok
