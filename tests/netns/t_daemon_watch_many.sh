#!/usr/bin/env bash
# t_daemon_watch_many: the namespaces a pass made are watched all at once:
# ids given to all first, the answer sent, then their links read, on two
# threads where there are 16 or more (watch_ns_add). In a grid of 24
# made through vrfd, every namespace is watched, the last as the first: a
# link set down in any of them is heard as what it is ("link e set down",
# which only a link known before can say) and put back up. (By then the
# first look has read every namespace again: the links the watch read
# after the answer name only what happens before that look.)
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

say "a link set down as soon as the apply answers is heard as such"
# The answer comes once every namespace has its id here (its events reach
# vrfd from then on), before their links are read; the events are read
# after those, so a link set down at once is named. (Were the answer sent
# before the ids, a change made in the moment before the last namespace
# had one would be found by the first look instead; with 24 namespaces
# that moment is under a millisecond, and this does not catch it.)
vctl destroy grid > "$T/out" || fail "destroy: $(cat "$T/out")"
# Made again at once: the old namespaces' ends (names removed, ids ended)
# may be read only once the new ones are watched, under the same names
# and ids; they are not the new ones' (t_watch_ends: that case alone).
vctl apply "$T/grid.yaml" > "$T/out" || fail "apply: $(cat "$T/out")"
ns=grid-r3-5
dev=$(ip -n "$ns" -br link show type veth | sed -n '1s/@.*//p')
ip -n "$ns" link set dev "$dev" down
expect_drift grid "$ns" "link $dev set down"
wait_for 100 link_up "$ns" "$dev" || fail "$dev in $ns not set up again"
converged grid || fail "not converged after it"
echo "ok"
