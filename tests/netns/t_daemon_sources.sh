#!/usr/bin/env bash
# t_daemon_sources: an apply through vrfd compiles and checks again only
# the namespaces whose source in the text changed (topo_ns_sources): one
# link added to a grid of 16 is its two routers and their neighbours (the
# others' bodies not even read again: the last load's); the others keep
# what they had, their interests too: a foreign route that
# takes the place of one of theirs and goes is heard. Removing the link
# again is as small. A namespace the checker warned of is checked again
# even where its source stayed, and the warning is at its new line. After
# `vrfctl link set`, whose interests are not the text's, the next apply
# compiles those namespaces again and the file wins.
. "$(dirname "$0")/lib_daemon.sh"

# One link more between the grid's first and last router (bench/run's).
source <(sed -n '/^with_link() {/,/^}/p' "$ROOT/bench/run")
"$ROOT/bench/gen-lab" grid 16 > "$T/grid.yaml"
with_link "$T/grid.yaml" > "$T/grid-link.yaml"

# compiled FILE: "K of N" from vrfd's last parse of FILE; read_again
# FILE: of the namespaces whose bodies were read again, not taken from
# the last load.
compiled() {
	grep "$(basename "$1"): parsed" "$T/vrfd.log" | tail -1 |
	    sed -n 's/.*, \([0-9]* of [0-9]*\) namespaces compiled$/\1/p'
}
read_again() {
	grep "$(basename "$1"): parsed" "$T/vrfd.log" | tail -1 |
	    sed -n 's/.*, \([0-9]* of [0-9]*\) bodies read again, .*/\1/p'
}

# looked N: vrfd's look at the lab after an apply (a pass, 20 ms on) has
# run: more than N passes logged. Until it has, the namespaces the apply
# made are not known to hold what they should, and an apply compiles
# them all again (seen in CI: the next apply came within the 20 ms).
passes() { grep -c "repair: grid: pass over" "$T/vrfd.log" || true; }
looked() { [ "$(passes)" -gt "$1" ]; }

start_vrfd
n=$(passes)
vctl apply "$T/grid.yaml" > "$T/out" || fail "apply: $(cat "$T/out")"
converged grid || fail "grid not converged"
wait_for 100 looked "$n" || fail "no pass over the lab after its apply"

say "one link added: its ends and their neighbours compiled"
cp "$T/grid-link.yaml" "$T/grid.yaml"
n=$(passes)
vctl apply "$T/grid.yaml" > "$T/out" || fail "apply: $(cat "$T/out")"
expect_eq "$(compiled "$T/grid.yaml")" "6 of 16" "namespaces compiled"
# The two routers whose entries changed; the others' bodies are the last
# load's, their nodes lent (moved a line down, all but the first).
expect_eq "$(read_again "$T/grid.yaml")" "2 of 16" "bodies read again"
ping_ok grid-r0-0 192.168.255.2
converged grid || fail "not converged after the link"
wait_for 100 looked "$n" || fail "no pass over the lab after the link"

say "a namespace not compiled again still hears what its interest says"
# Only the interest (the declared keys) makes a foreign route's events
# matter: one that takes the place of ours, then goes, must bring ours
# back at once, not at the next resync (30 s).
route=10.255.1.3/32		# to r1-3's loopback, as gen-lab declares it
route_ok grid-r1-2 "$route" || fail "no route to $route in grid-r1-2"
ip -n grid-r1-2 route replace "$route" via 10.16.0.26 proto static
expect_drift grid grid-r1-2 "$route"
ip -n grid-r1-2 route del "$route" proto static
repaired "$route in grid-r1-2" route_ok grid-r1-2 "$route"

say "the link removed again: as few"
"$ROOT/bench/gen-lab" grid 16 > "$T/grid.yaml"
vctl apply "$T/grid.yaml" > "$T/out" || fail "apply: $(cat "$T/out")"
expect_eq "$(compiled "$T/grid.yaml")" "6 of 16" "namespaces compiled"
[ -z "$(ip -n grid-r0-0 -br link show x1 2>/dev/null)" ] ||
	fail "x1 is still in grid-r0-0"
converged grid || fail "not converged without the link"

say "a namespace its own rules warned of is checked again, where it is now"
# r1-2 gets a gateway on none of its subnets: a warning (and a route the
# kernel refuses); the link added above it moves it a line down.
sed -i 's|^\(      - {to: 10.255.1.3/32, via: 10.16.0.26}\)$|\1\n      - {to: 10.88.0.0/24, via: 10.77.0.1}|' "$T/grid.yaml"
grep -q 10.88.0.0 "$T/grid.yaml" || fail "sed: no warned route"
vctl apply "$T/grid.yaml" > "$T/out" 2> "$T/err" || true
grep -q "warning: .*gateway 10.77.0.1 is on no connected subnet" "$T/err" ||
	fail "no warning: $(cat "$T/err")"
with_link "$T/grid.yaml" > "$T/grid-warn.yaml"
cp "$T/grid-warn.yaml" "$T/grid.yaml"
vctl apply "$T/grid.yaml" > "$T/out" 2> "$T/err" || true
line=$(grep -n "10.88.0.0/24" "$T/grid.yaml" | cut -d: -f1)
grep -q "grid.yaml:$line:[0-9]*: warning: .*gateway 10.77.0.1" "$T/err" ||
	fail "the warning is not said again at line $line: $(cat "$T/err")"
"$ROOT/bench/gen-lab" grid 16 > "$T/grid.yaml"
vctl apply "$T/grid.yaml" > "$T/out" || fail "apply: $(cat "$T/out")"

say "after vrfctl link set, the next apply: compiled again, as the file says"
vctl link set grid r1-1:e down > "$T/set" || fail "link set: $(cat "$T/set")"
ip -n grid-r1-1 -br link show e | grep -q DOWN || fail "r1-1:e is not down"
echo "# the same lab" >> "$T/grid.yaml"
vctl apply "$T/grid.yaml" > "$T/out" || fail "apply: $(cat "$T/out")"
expect_eq "$(compiled "$T/grid.yaml")" "16 of 16" "namespaces compiled"
wait_for 100 eval 'ip -n grid-r1-1 -br link show e | grep -q UP' ||
	fail "r1-1:e is not up again"
converged grid || fail "not converged after link set and apply"
stop_vrfd
echo ok
