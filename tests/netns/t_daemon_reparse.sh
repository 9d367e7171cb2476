#!/usr/bin/env bash
# t_daemon_reparse: vrfd parses only what changed in a file applied again
# (ytree_reparse), and the result is the whole file's, errors included:
# an edit that moves the routers below it down and breaks one of them is
# refused with the line and column the whole file's parse gives
# (`vrfctl validate`, which reads it whole), a switch named as a router
# above it (lent by the kept parse) the same, a duplicate router the same;
# the lab applied from another file of the same lab is reparsed too, and
# what it makes is what the file says, and what is kept is the file (its
# text written while parsed, and dropped if refused, or left by a vrfd
# that ended); the same text again is not parsed.
. "$(dirname "$0")/lib_daemon.sh"

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
rc=0; vctl apply "$T/t.yaml" > "$T/out" 2>&1 || rc=$?
expect_eq "$rc" 3 "apply of a bad edit"
rc=0; "$VRFCTL" validate "$T/t.yaml" > "$T/whole" 2>&1 || rc=$?
expect_eq "$rc" 3 "validate of the bad edit"
grep -q "t.yaml:[0-9]*:[0-9]*: error: routers.ce2.interfaces.eth0" "$T/whole" ||
	fail "validate: $(cat "$T/whole")"
grep -F -q "$(grep error: "$T/whole")" "$T/out" ||
	fail "vrfd's error is not the whole parse's: $(cat "$T/out") / $(cat "$T/whole")"
converged t || fail "a refused apply changed the lab"
grep -q "t.yaml: parsed by the parts that changed" "$T/vrfd.log" ||
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
rc=0; vctl apply "$T/t.yaml" > "$T/out" 2>&1 || rc=$?
expect_eq "$rc" 3 "apply of a switch named as a router"
rc=0; "$VRFCTL" validate "$T/t.yaml" > "$T/whole" 2>&1 || rc=$?
expect_eq "$rc" 3 "validate of a switch named as a router"
grep -q "switches.ce1: .* taken by ce1 ([0-9]*:3)" "$T/whole" ||
	fail "validate: $(cat "$T/whole")"
grep -F -q "$(grep error: "$T/whole")" "$T/out" ||
	fail "vrfd's error is not the whole parse's: $(cat "$T/out") / $(cat "$T/whole")"
expect_eq "$(grep -c "t.yaml: parsed by the parts that changed" "$T/vrfd.log")" \
    "$((n + 1))" "parses by parts after a switch added"
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
grep -q "other.yaml: parsed by the parts that changed" "$T/vrfd.log" ||
	fail "other.yaml was parsed whole: $(grep parsed "$T/vrfd.log")"
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
stop_vrfd
echo ok
