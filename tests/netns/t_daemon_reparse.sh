#!/usr/bin/env bash
# t_daemon_reparse: vrfd parses only what changed in a file applied again
# (ytree_reparse), and the result is the whole file's, errors included:
# an edit that moves the routers below it down and breaks one of them is
# refused with the line and column the whole file's parse gives
# (`vrfctl validate`, which reads it whole; the routers that moved, lent
# by the kept parse at their old lines, loaded again at their own), a
# switch named as a router above it (lent) the same, one named as a
# router lent where it moved from the same, a duplicate router the same;
# the lab applied from another file of the same lab is reparsed too, and
# what it makes is what the file says, and what is kept is the file (its
# text written while parsed, and dropped if refused, or left by a vrfd
# that ended); the same text again is not parsed.
. "$(dirname "$0")/lib_daemon.sh"

# refused_as_whole FILE WHAT PATTERN: vrfd refuses FILE (exit 3) with the
# errors `vrfctl validate` gives, reading it whole, which match PATTERN.
refused_as_whole() {
	local rc=0
	vctl apply "$1" > "$T/out" 2>&1 || rc=$?
	expect_eq "$rc" 3 "apply of $2"
	rc=0; "$VRFCTL" validate "$1" > "$T/whole" 2>&1 || rc=$?
	expect_eq "$rc" 3 "validate of $2"
	grep -q "$3" "$T/whole" || fail "validate: $(cat "$T/whole")"
	grep -F -q "$(grep error: "$T/whole")" "$T/out" ||
		fail "vrfd's error is not the whole parse's: $(cat "$T/out") / $(cat "$T/whole")"
}

start_vrfd
apply_lab t

say "an edit that breaks a router below lines added: the whole parse's error"
# Lines added to ce1 move pe1 and ce2 down; ce2 gets a bad address.
lab_yaml t | awk '
	{ print }
	/^      - \{to: 10.8.0.0\/16, via: 10.1.0.1\}/ {
		print "      - {to: 10.9.0.0/16, via: 10.1.0.1}"
		print "      - {to: 10.10.0.0/16, via: 10.1.0.1}"
	}' | sed 's|eth0: {addresses: \[10.2.0.2/24\]}|eth0: {addresses: [10.2.0.300/24]}|' \
    > "$T/t.yaml"
refused_as_whole "$T/t.yaml" "a bad edit" \
    "t.yaml:[0-9]*:[0-9]*: error: routers.ce2.interfaces.eth0"
converged t || fail "a refused apply changed the lab"
# pe1 moved down and was lent at its old lines: what is said of the
# text is said of it loaded again, every part at its line.
grep -q "t.yaml: parsed by the parts that changed, again with their lines" "$T/vrfd.log" ||
	fail "the bad edit was parsed whole: $(grep parsed "$T/vrfd.log")"
# Its text, written while it was parsed, is not kept.
cmp -s "$STATE/labs/t.yaml" "$T/t.yaml" && fail "the bad edit was kept"
expect_eq "$(ls -A "$STATE/labs" | grep -c staged)" 0 \
    "texts left staged after a refused apply"

say "a switch named as a router above it: the whole parse's error"
# The routers stay where they were: the kept parse lends them, and the
# error names one of them where the whole parse does.
{ lab_yaml t; printf 'switches:\n  ce1: {}\n'; } > "$T/t.yaml"
n=$(grep -c "t.yaml: parsed by the parts that changed" "$T/vrfd.log")
refused_as_whole "$T/t.yaml" "a switch named as a router" \
    "switches.ce1: .* taken by ce1 ([0-9]*:3)"
expect_eq "$(grep -c "t.yaml: parsed by the parts that changed" "$T/vrfd.log")" \
    "$((n + 1))" "parses by parts after a switch added"
converged t || fail "a refused apply changed the lab"

say "a switch named as a router that moved: the error where the whole parse says"
# A route more in ce1 moves pe1 down a line: the kept parse lends it at
# the line it had, and the error naming it is said of the text loaded
# again, every part at its line.
{ lab_yaml t | awk '
	{ print }
	/^      - \{to: 10.8.0.0\/16, via: 10.1.0.1\}/ {
		print "      - {to: 10.9.0.0/16, via: 10.1.0.1}"
	}'; printf 'switches:\n  pe1: {}\n'; } > "$T/t.yaml"
refused_as_whole "$T/t.yaml" "a switch named as a moved router" \
    "switches.pe1: .* taken by pe1 (13:3)"
expect_eq "$(grep -c "t.yaml: parsed by the parts that changed, again with their lines" "$T/vrfd.log")" \
    2 "loads again with their lines"
converged t || fail "a refused apply changed the lab"

say "a duplicate router: the whole parse's error"
lab_yaml t | sed 's|^  ce2:|  ce1:|' > "$T/dup.yaml"
cp "$T/dup.yaml" "$T/t.yaml"
rc=0; vctl apply "$T/t.yaml" > "$T/out" 2>&1 || rc=$?
expect_eq "$rc" 3 "apply of a duplicate router"
grep -q "duplicate key 'ce1'" "$T/out" || fail "duplicate: $(cat "$T/out")"
expect_eq "$(grep -c "t.yaml: parsed whole" "$T/vrfd.log")" 1 \
    "the duplicate, parsed whole"

say "the edit made good, applied from another file: what it says is made"
lab_yaml t | awk '
	{ print }
	/^      - \{to: 10.8.0.0\/16, via: 10.1.0.1\}/ {
		print "      - {to: 10.9.0.0/16, via: 10.1.0.1}"
	}' > "$T/other.yaml"
vctl apply "$T/other.yaml" > "$T/out" || fail "apply: $(cat "$T/out")"
route_ok t-ce1 10.9.0.0/16 || fail "the added route is not there"
cmp "$STATE/labs/t.yaml" "$T/other.yaml" || fail "other.yaml is not kept"
expect_eq "$(ls -A "$STATE/labs" | grep -c staged)" 0 \
    "texts left staged after an apply"
grep -q "other.yaml: parsed by the parts that changed, [0-9]" "$T/vrfd.log" ||
	fail "other.yaml was parsed whole or twice: $(grep parsed "$T/vrfd.log")"
route_ok t-ce1 10.8.0.0/16 || fail "the route before it is gone"
converged t || fail "not converged"
grep -q "ce1" <(vctl -j apply "$T/other.yaml" | jq -r '.namespaces[] | select(.state != "unchanged") | .namespace') &&
	fail "a second apply of the same file changed something"

say "an edit of a lab made by parts: parsed by parts again (no text kept)"
sed 's|^\(      - {to: 10.9.0.0/16, via: 10.1.0.1}\)$|\1\n      - {to: 10.11.0.0/16, via: 10.1.0.1}|' \
    "$T/other.yaml" > "$T/third.yaml"
grep -q 10.11.0.0 "$T/third.yaml" || fail "sed: $(cat "$T/third.yaml")"
vctl apply "$T/third.yaml" > "$T/out" || fail "apply: $(cat "$T/out")"
grep -q "third.yaml: parsed by the parts that changed" "$T/vrfd.log" ||
	fail "third.yaml was parsed whole: $(grep parsed "$T/vrfd.log")"
route_ok t-ce1 10.11.0.0/16 || fail "the third file's route is not there"
route_ok t-ce1 10.9.0.0/16 || fail "the second file's route is gone"
converged t || fail "not converged"

say "the same text again, sent with its digest: the kept one serves, unparsed"
n=$(grep -c ": parsed " "$T/vrfd.log")
vctl apply "$T/third.yaml" > "$T/out" || fail "apply: $(cat "$T/out")"
expect_eq "$(grep -c ": parsed " "$T/vrfd.log")" "$n" \
    "parses after applying the same text again"

say "a text staged by a vrfd that ended before keeping it: gone at start"
stop_vrfd
printf 'lab: t\n' > "$STATE/labs/.staged.1.1.tmp"
start_vrfd
expect_eq "$(ls -A "$STATE/labs" | grep -c staged)" 0 \
    "texts left staged after a start"
converged t || fail "not converged after the start"

say "a warning of a router lent where it moved from: where the whole parse says"
# Started again, vrfd parses the next text whole; the one after it is
# taken from that by parts, pe1 and ce2 lent at the lines they had
# before a route more in ce1 moved them. What vrfd says of it (warnings
# are said by vrfd, errors again by vrfctl) is what the text loaded
# again says: an address twice on a link, warned of at ce2's, which
# names pe1's.
lab_yaml t | sed 's|eth2: {addresses: \[10.2.0.1/24\]}|eth2: {addresses: [10.2.0.1/24, 10.2.0.2/24]}|' \
    > "$T/w1.yaml"
grep -q "10.2.0.1/24, 10.2.0.2/24" "$T/w1.yaml" || fail "sed: $(cat "$T/w1.yaml")"
vctl apply "$T/w1.yaml" > "$T/out" 2>&1 || fail "apply: $(cat "$T/out")"
awk '
	{ print }
	/^      - \{to: 10.8.0.0\/16, via: 10.1.0.1\}/ {
		print "      - {to: 10.9.0.0/16, via: 10.1.0.1}"
	}' "$T/w1.yaml" > "$T/w2.yaml"
vctl apply "$T/w2.yaml" > "$T/out" 2>&1 || fail "apply: $(cat "$T/out")"
"$VRFCTL" validate "$T/w2.yaml" > "$T/whole" 2>&1 || fail "validate: $(cat "$T/whole")"
grep -q "w2.yaml:[0-9]*:[0-9]*: warning: routers.ce2.*10.2.0.2 is also on pe1:eth2, on the same link" "$T/whole" ||
	fail "validate: $(cat "$T/whole")"
grep -F -q "$(grep warning: "$T/whole")" "$T/out" ||
	fail "vrfd's warning is not the whole parse's: $(cat "$T/out") / $(cat "$T/whole")"
grep -q "w2.yaml: parsed by the parts that changed, again with their lines" "$T/vrfd.log" ||
	fail "w2.yaml: $(grep parsed "$T/vrfd.log")"
converged t || fail "not converged"
stop_vrfd
echo ok
