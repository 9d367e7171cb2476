#!/usr/bin/env bash
# A repair touches only what drifted: in a 4 x 4 grid, a route deleted in
# one router is put back there, and no other namespace is changed (its
# links keep their indexes: none was re-created).
. "$(dirname "$0")/lib_daemon.sh"

"$ROOT/bench/gen-grid" 4 > "$T/grid.yaml"
start_vrfd
vctl apply "$T/grid.yaml" > /dev/null || fail "apply grid"
wait_for 100 converged grid || fail "grid not converged"

links() {	# every link of the lab: namespace, name, index
	local ns
	for ns in /run/netns/grid-*; do
		ns=${ns##*/}
		ip -j -n "$ns" link show | jq -r --arg ns "$ns" \
		    '.[] | "\($ns) \(.ifname) \(.ifindex)"'
	done
}
links > "$T/before"
r=$(ip -N -j -n grid-r1-1 route | jq -r \
    '[.[] | select(.protocol == "118")][0].dst')
ip -n grid-r1-1 route del "$r"
repaired "route $r in grid-r1-1" route_ok grid-r1-1 "$r"
wait_for 100 converged grid || fail "grid not converged after the repair"
links > "$T/after"
diff -u "$T/before" "$T/after" || fail "links were re-created"
others=$(vctl -j status grid | jq -c '[.labs[0].namespaces[] |
    select(.repairs > 0) | .namespace]')
expect_eq "$others" '["grid-r1-1"]' "namespaces repaired"
stop_vrfd
echo ok
