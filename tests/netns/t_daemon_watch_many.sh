#!/usr/bin/env bash
# t_daemon_watch_many: the namespaces a pass made are watched all at once
# before the answer: ids given to all first, then their links read, on
# two threads where there are 16 or more (watch_ns_add). In a grid of 24
# made through vrfd, every namespace is watched, the last as the first: a
# link set down in any of them is heard as what it is ("link e set down",
# which only a link known before can say) and put back up. (By then the
# first look has read every namespace again: the links the watch read
# before the answer name only what happens before it.)
. "$(dirname "$0")/lib_daemon.sh"

"$ROOT/bench/gen-lab" grid 24 > "$T/grid.yaml"
start_vrfd
vctl apply "$T/grid.yaml" > "$T/out" || fail "apply: $(cat "$T/out")"
wait_for 100 converged grid || fail "grid not converged"

# link_up NS IF: IF is up in NS.
link_up() {
	ip -n "$1" -br link show dev "$2" | grep -q ' UP '
}

say "a link set down in each of the 24 namespaces is heard as such"
n=0
for ns in $(ip netns list | awk '$1 ~ /^grid-/ { print $1 }' | sort); do
	dev=$(ip -n "$ns" -br link show type veth | sed -n '1s/@.*//p')
	[ -n "$dev" ] || fail "$ns has no veth"
	ip -n "$ns" link set dev "$dev" down
	expect_drift grid "$ns" "link $dev set down"
	wait_for 100 link_up "$ns" "$dev" || fail "$dev in $ns not set up again"
	n=$((n + 1))
done
expect_eq "$n" 24 "namespaces tried"
converged grid || fail "not converged at the end"
echo "ok"
