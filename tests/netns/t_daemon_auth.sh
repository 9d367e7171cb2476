#!/usr/bin/env bash
# Who may do what on the control socket: root changes labs; the read
# group may only read; anyone else cannot even connect.
. "$(dirname "$0")/lib_daemon.sh"

# nobody must reach the socket and the topology file: $T is 0700.
chmod 0755 "$T"
echo "read_group nogroup" >> "$CONF"
start_vrfd
apply_lab demo
chmod 0644 "$T/demo.yaml"

as_nobody() {
	setpriv --reuid=65534 --regid=65534 --clear-groups -- "$@"
}

expect_eq "$(stat -c '%a %G' "$SOCK")" "660 nogroup" "socket mode and group"

say "the read group reads"
as_nobody "$VRFCTL" -s "$SOCK" -j status demo > "$T/status.json" ||
	fail "nobody (in nogroup) cannot read the status"
jq -e '.labs[0].converged and .labs[0].kept' "$T/status.json" >/dev/null ||
	fail "status as nobody: $(cat "$T/status.json")"

say "the read group may not change a lab"
lab_yaml demo | sed 's|10.8.0.0/16|10.9.0.0/16|' > "$T/changed.yaml"
chmod 0644 "$T/changed.yaml"
rc=0
as_nobody "$VRFCTL" -s "$SOCK" apply "$T/changed.yaml" > "$T/out" 2>&1 ||
	rc=$?
[ "$rc" -ne 0 ] || fail "apply as nobody succeeded"
grep -q "permission denied" "$T/out" || fail "apply as nobody: $(cat "$T/out")"
route_ok demo-ce1 10.8.0.0/16 || fail "the lab changed"
cmp -s "$T/demo.yaml" "$STATE/labs/demo.yaml" || fail "the kept topology changed"
rc=0
as_nobody "$VRFCTL" -s "$SOCK" destroy demo > "$T/out" 2>&1 || rc=$?
[ "$rc" -ne 0 ] || fail "destroy as nobody succeeded"
grep -q "permission denied" "$T/out" || fail "destroy as nobody: $(cat "$T/out")"
[ -e /run/netns/demo-pe1 ] || fail "the lab was destroyed"

say "without a read group, others cannot connect"
stop_vrfd
sed -i '/^read_group/d' "$CONF"
start_vrfd
expect_eq "$(stat -c '%a %G' "$SOCK")" "660 root" "socket mode and group"
rc=0
as_nobody "$VRFCTL" -s "$SOCK" status demo > "$T/out" 2>&1 || rc=$?
expect_eq "$rc" 4 "status as nobody without a read group (exit)"
# Root still does everything.
vctl apply "$T/changed.yaml" >/dev/null || fail "apply as root"
repaired "the change applied" route_ok demo-ce1 10.9.0.0/16
stop_vrfd
echo ok
