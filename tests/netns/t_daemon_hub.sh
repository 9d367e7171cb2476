#!/usr/bin/env bash
# A hub of 80 links through vrfd: what it keeps of the hub stays true
# while its links change, and its settled far ends are trusted only while
# the hub holds its side of each pair.
# - a route deleted in the hub comes back, and no leaf's link is made again;
# - a link added to the hub (and a leaf) by a new apply is there, and when
#   it is then deleted by hand, vrfd (which read only that link again
#   after making it) knows it and makes it again;
# - the hub's end of a pair moved to a namespace not the lab's (the leaf
#   hears of it only as its carrier goes): the pair is made again,
#   traffic crosses it;
# - the added link removed by the first topology again, a leaf's route
#   deleted: repaired, and the lab converged.
. "$(dirname "$0")/lib_daemon.sh"

start_vrfd
"$ROOT/bench/gen-lab" star 80 > "$T/star.yaml"
# The same, with a link x1 between the hub and the last leaf.
awk '
	{ print }
	/^  (hub|r79):$/ { me = $1 == "hub:" ? 1 : 2 }
	me && /^    interfaces:$/ {
		print "      x1: {addresses: [192.168.255." me "/30]}"
		me = 0
	}
	END { print "  - [hub:x1, r79:x1]" }' "$T/star.yaml" > "$T/star-x1.yaml"

vctl apply "$T/star.yaml" > "$T/apply.out" || { cat "$T/apply.out"; fail "apply"; }
wait_for 100 converged star || fail "not converged after apply"

# ifindexes LEAVES...: each leaf's end of its link to the hub.
ifindexes() {
	for r in "$@"; do
		ip -j -n "star-$r" link show dev up | jq -r '.[0].ifindex'
	done
}
hub_route() { route_ok star-hub 172.16.0.7/32; }
before=$(ifindexes r1 r7 r40 r79)

say "a route deleted in the hub"
ip -n star-hub route del 172.16.0.7/32
repaired "hub route" hub_route
expect_eq "$(ifindexes r1 r7 r40 r79)" "$before" "leaves' links after the hub's repair"

say "a link added to the hub"
vctl apply "$T/star-x1.yaml" > "$T/apply.out" || { cat "$T/apply.out"; fail "apply x1"; }
x1_ok() {
	ip netns exec star-r79 ping -c 1 -W 1 192.168.255.1 >/dev/null
}
x1_ok || fail "x1 does not carry traffic"
expect_eq "$(ifindexes r1 r7 r40)" "$(echo "$before" | head -3)" \
    "other leaves' links after x1"
wait_for 100 converged star || fail "not converged after x1"
say "... deleted by hand"
ip -n star-hub link del x1
repaired "x1 made again" x1_ok
wait_for 100 converged star || fail "not converged after x1's repair"

say "the hub's end of a pair moved away"
ip netns add elsewhere
ip -n star-hub link set s1 netns elsewhere
pair1_ok() {
	ip netns exec star-r1 ping -c 1 -W 1 10.0.0.5 >/dev/null
}
repaired "pair hub - r1" pair1_ok
wait_for 100 converged star || fail "not converged after the move"
ip netns delete elsewhere

say "the first topology again, a leaf's route deleted"
vctl apply "$T/star.yaml" > "$T/apply.out" || { cat "$T/apply.out"; fail "apply back"; }
ip -n star-hub link show x1 >/dev/null 2>&1 && fail "x1 still in the hub"
ip -n star-r40 route del default
leaf_route() { route_ok star-r40 0.0.0.0/0; }
repaired "leaf route" leaf_route
wait_for 100 converged star || fail "not converged at the end"
expect_eq "$(ifindexes r7 r40)" "$(echo "$before" | sed -n '2,3p')" "leaves' links at the end"
stop_vrfd
echo ok
