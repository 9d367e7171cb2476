#!/usr/bin/env bash
# read_group must name a group that exists (vrfd.conf(5)):
# - at start, a read_group that does not exist makes vrfd exit 1 at once,
#   with an error that names the group, and no socket is made;
# - on SIGHUP, a file whose read_group does not exist is refused whole,
#   with a log line that names the group: vrfd goes on with the
#   configuration it runs with (the socket's group, who may read, the
#   debounce and the client limits are the old ones) and answers;
# - a good file on the next SIGHUP is taken (so the refusal above was
#   not a SIGHUP that did nothing).
. "$(dirname "$0")/lib_daemon.sh"

BAD=no-such-group-xyz
getent group "$BAD" >/dev/null && fail "group $BAD exists on this host"
# nobody must reach the socket: $T is 0700.
chmod 0755 "$T"
as_nobody() {
	setpriv --reuid=65534 --regid=65534 --clear-groups -- "$@"
}

say "at start: read_group $BAD is an error"
cp "$CONF" "$T/good.conf"
echo "read_group $BAD" >> "$CONF"
rc=0
timeout 10 "$VRFD" -s "$SOCK" -d "$STATE" -c "$CONF" -v \
    > "$T/start.out" 2>&1 || rc=$?
cat "$T/start.out"
expect_eq "$rc" 1 "exit status of vrfd with read_group $BAD"
grep -q "$BAD" "$T/start.out" || fail "the error does not name the group"
grep -qi "group" "$T/start.out" || fail "the error does not say group"
[ ! -e "$SOCK" ] || fail "vrfd made its socket: $(ls -l "$SOCK")"
# It did not get as far as listening or converging anything.
grep -q "listening" "$T/start.out" && fail "vrfd started listening"

say "running with read_group nogroup"
cp "$T/good.conf" "$CONF"
echo "read_group nogroup" >> "$CONF"
start_vrfd
apply_lab demo
expect_eq "$(stat -c '%a %G' "$SOCK")" "660 nogroup" "socket mode and group"
as_nobody "$VRFCTL" -s "$SOCK" -j status demo > "$T/status.json" ||
	fail "nobody (in nogroup) cannot read the status"
jq -e '.labs[0].converged' "$T/status.json" >/dev/null ||
	fail "status as nobody: $(cat "$T/status.json")"

say "SIGHUP with read_group $BAD: refused, the running configuration stays"
# Other keys in the same file that would show if they were taken: a
# debounce of 8 s, one client per user.
cat >> "$CONF" <<EOF
debounce_ms 8000
max_clients_per_user 1
read_group $BAD
EOF
lines0=$(wc -l < "$T/vrfd.log")
kill -HUP "$VRFD_PID"
reload_said() {
	sed -n "$((lines0 + 1)),\$p" "$T/vrfd.log" | grep -q "$1"
}
wait_for 100 reload_said "not reloaded" ||
	fail "no log line refusing the reload"
sed -n "$((lines0 + 1)),\$p" "$T/vrfd.log"
sed -n "$((lines0 + 1)),\$p" "$T/vrfd.log" | grep -q "$BAD" ||
	fail "the refusal does not name the group"
reload_said "configuration reloaded" && fail "the bad configuration was taken"
vrfd_alive || fail "vrfd died on SIGHUP"
ctl_ping || fail "vrfd does not answer after the refused reload"
expect_eq "$(stat -c '%a %G' "$SOCK")" "660 nogroup" \
    "socket mode and group after the refused reload"
as_nobody "$VRFCTL" -s "$SOCK" status demo >/dev/null ||
	fail "nobody (in nogroup) cannot read after the refused reload"
# The debounce is still 20 ms: a drift is repaired well before 8 s.
ip -n demo-ce1 route del 10.8.0.0/16
wait_for 40 route_ok demo-ce1 10.8.0.0/16 ||
	fail "drift not repaired within 2 s: the bad file's debounce_ms was taken"
say "repaired: drift at the old debounce"
# The client limits are the old ones: three root clients at once.
ctl_clients 3 || fail "the bad file's max_clients_per_user was taken"
say "three clients of one uid served at once"

say "SIGHUP with a good file: taken"
cp "$T/good.conf" "$CONF"
echo "read_group" >> "$CONF"	# empty: root only
lines0=$(wc -l < "$T/vrfd.log")
kill -HUP "$VRFD_PID"
wait_for 100 reload_said "configuration reloaded" ||
	fail "the good configuration was not taken: $(tail -5 "$T/vrfd.log")"
expect_eq "$(stat -c '%a %G' "$SOCK")" "660 root" "socket group after a good reload"
rc=0
as_nobody "$VRFCTL" -s "$SOCK" status demo > "$T/out" 2>&1 || rc=$?
[ "$rc" -ne 0 ] || fail "nobody still reads without a read group"
vctl status demo >/dev/null || fail "root's status after the good reload"
converged demo || fail "demo not converged"
stop_vrfd
say ok
