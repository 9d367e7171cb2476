#!/usr/bin/env bash
# t_verify_examples: every shipped example (topology/*.yaml), applied, has
# all its expectations hold: verify exits 0, prints an "ok" line for each
# and "lab LAB: N of N expectations hold" (N: the file's expect: entries),
# and -j agrees: each result holds, with a trace and a probe that say the
# same as reach (a reachable one delivered both ways and answered: a
# reply, or a refusal from the destination itself; an unreachable one
# not). By lab name as by file.
#
# Then one is broken by hand (a route deleted with ip -n): verify exits 1,
# names the expectation that fails ("FAIL" line) and the trace result and
# hop in its reason, and the other still holds; apply repairs it, and
# verify passes again.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_trace.sh"

# n_expects FILE: the entries of FILE's expect: list (one per "  - ").
n_expects() {
	awk '/^[a-z]/ { in_e = ($0 ~ /^expect:/) } in_e && /^  - / { n++ }
	    END { print n + 0 }' "$1"
}

n_files=0
for y in "$TOPO"/*.yaml; do
	n_files=$((n_files + 1))
	name=$(basename "$y" .yaml)
	lab=$(sed -n 's/^lab: *\([a-z0-9_-]*\).*/\1/p' "$y")
	n=$(n_expects "$y")
	say "$name (lab $lab): $n expectations"
	[ "$n" -gt 0 ] || fail "$name: no expect: entries found"
	"$VRFCTL" apply "$y" >/dev/null || fail "apply $name"
	lab_settle "$lab"
	vf "$name" "$y"
	expect_eq "$VF_RC" 0 "$name: exit status ($(cat "$T/$name.txt"))"
	expect_eq "$VF_JRC" 0 "$name: exit status with -j"
	expect_eq "$(tail -n 1 "$T/$name.txt")" \
	    "lab $lab: $n of $n expectations hold" "$name: the last line"
	expect_eq "$(grep -c '^ok   ' "$T/$name.txt")" "$n" "$name: ok lines"
	grep -q '^FAIL' "$T/$name.txt" && fail "$name: $(cat "$T/$name.txt")"
	expect_eq "$(jq -r '"\(.lab) \(.held) \(.failed) \(.results | length)"' \
	    "$T/$name.json")" "$lab $n 0 $n" "$name: -j counts"
	# Each result: trace and probe as reach says.
	bad=$(jq -r '.results[] | select(
	    (.holds | not) or .why != null or
	    (if .reach then
		.trace.result != "delivered" or
		.reply_trace.result != "delivered" or
		(.probe.reached | not) or
		([.probe.result] | inside(["reply", "refused"]) | not)
	    else
		(.trace.result == "delivered" and
		 .reply_trace.result == "delivered") or .probe.reached
	    end)) | "\(.from) -> \(.to)"' "$T/$name.json")
	[ -z "$bad" ] || fail "$name: results that do not add up: $bad"
	# by the lab's name: its kept topology
	"$VRFCTL" verify "$lab" > "$T/$name-bylab.txt" ||
		fail "$name: verify $lab: $(cat "$T/$name-bylab.txt")"
	expect_eq "$(tail -n 1 "$T/$name-bylab.txt")" \
	    "lab $lab: $n of $n expectations hold" "$name: verify $lab"
done
[ "$n_files" -ge 4 ] || fail "only $n_files examples"

say "several labs: trace wants -l; verify of a lab that is not applied"
rc=0
"$VRFCTL" trace src 10.255.0.4 > "$T/nol.txt" 2>&1 || rc=$?
expect_eq "$rc" 1 "trace without -l: exit status"
grep -q "^vrfctl: trace: $n_files labs on this host: name one with -l LAB$" \
    "$T/nol.txt" || fail "trace without -l: $(cat "$T/nol.txt")"
sed 's/^lab: .*/lab: notapplied/' "$TOPO/diamond.yaml" > "$T/na.yaml"
rc=0
"$VRFCTL" verify "$T/na.yaml" > "$T/na.txt" 2> "$T/na.err" || rc=$?
expect_eq "$rc" 1 "not applied: exit status"
grep -qx "vrfctl: verify: lab notapplied is not applied on this host: \
none of its namespaces exists" "$T/na.err" ||
	fail "not applied: $(cat "$T/na.err")"
[ ! -s "$T/na.txt" ] || fail "not applied: printed $(cat "$T/na.txt")"
rc=0
"$VRFCTL" verify -j "$T/na.yaml" > "$T/na.json" 2>/dev/null || rc=$?
expect_eq "$rc" 1 "not applied: -j exit status"

say "two-customers, with pe1/red's route to ce-red deleted by hand"
# (The other expectations of the file may change; these two are its
# first purpose: each VRF reaches its own customer.)
y=$TOPO/two-customers.yaml
n=$(n_expects "$y")
ip -n vrfs-pe1-red route del 192.168.1.0/24
vf broken "$y"
expect_eq "$VF_RC" 1 "broken: exit status"
expect_eq "$VF_JRC" 1 "broken: exit status with -j"
grep -qx "FAIL pe1/red -> 192.168.1.1" "$T/broken.txt" ||
	fail "broken: $(cat "$T/broken.txt")"
# the reason, the trace that stopped, the probe
sed -n '/^FAIL pe1\/red -> 192.168.1.1$/,/^     probe:/p' "$T/broken.txt" \
    > "$T/broken.item"
grep -qx "     no-route at pe1/red (hop 1): pe1/red has no route to \
192.168.1.1" "$T/broken.item" || fail "broken: the reason: $(cat "$T/broken.txt")"
grep -qx "     no-route: pe1/red has no route to 192.168.1.1" \
    "$T/broken.item" || fail "broken: the trace: $(cat "$T/broken.txt")"
grep -q "^     probe: unreachable, " "$T/broken.item" ||
	fail "broken: the probe: $(cat "$T/broken.txt")"
grep -qx "ok   pe1/blue -> 192.168.1.1" "$T/broken.txt" ||
	fail "broken: blue: $(cat "$T/broken.txt")"
held=$(jq -r .held "$T/broken.json")
[ "$held" -lt "$n" ] || fail "broken: $held of $n hold"
expect_eq "$(tail -n 1 "$T/broken.txt")" \
    "lab vrfs: $held of $n expectations hold" "broken: the last line"
expect_eq "$(jq -r '"\(.held + .failed) \([.results[] | select(.holds)] |
    length)"' "$T/broken.json")" "$n $held" "broken: -j counts"
expect_eq "$(jq -r '.results[] | select(.from == "pe1/red" and
    .to == "192.168.1.1") | [.holds, .trace.result, .trace.hops[-1].node,
    .probe.result, .why] | join("|")' "$T/broken.json")" \
    "false|no-route|pe1/red|unreachable|no-route at pe1/red (hop 1): \
pe1/red has no route to 192.168.1.1" "broken: -j, red"
expect_eq "$(jq -r '.results[] | select(.from == "pe1/blue" and
    .to == "192.168.1.1") | [.holds, .trace.result, .probe.result] |
    join("|")' "$T/broken.json")" "true|delivered|reply" "broken: -j, blue"

say "apply repairs it"
"$VRFCTL" apply "$y" >/dev/null || fail "apply again"
vf fixed "$y"
expect_eq "$VF_RC" 0 "fixed: exit status"
expect_eq "$(tail -n 1 "$T/fixed.txt")" "lab vrfs: $n of $n expectations hold" \
    "fixed: the last line"
say "ok"
