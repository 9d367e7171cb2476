#!/usr/bin/env bash
# t_one_writer: one writer of a host's labs at a time. Two vrfctl runs
# without a daemon take turns (the second waits, and says so on a
# terminal) and both end as they would have alone. vrfctl never runs the
# engine beside a running vrfd, on whatever socket it listens; without
# root and without vrfd it says so and exits 4; and a state directory it
# cannot write stops an apply before it changes anything.
. "$(dirname "$0")/lib_daemon.sh"

"$ROOT/bench/gen-grid" 10 >"$T/grid.yaml"	# 100 namespaces: long enough
lab_yaml t >"$T/t.yaml"

converged_alone() {	# LAB FILE: plan has nothing to do
	expect_eq "$("$VRFCTL" -j plan "$2" | jq .changes)" 0 "$1's changes"
}

say "two applies of two labs at once"
"$VRFCTL" apply "$T/grid.yaml" >"$T/a1" 2>&1 &
a1=$!
"$VRFCTL" apply "$T/t.yaml" >"$T/a2" 2>&1 &
a2=$!
rc1=0; wait "$a1" || rc1=$?
rc2=0; wait "$a2" || rc2=$?
expect_eq "$rc1 $rc2" "0 0" "exit statuses ($(cat "$T/a1" "$T/a2"))"
converged_alone grid "$T/grid.yaml"
converged_alone t "$T/t.yaml"

say "the second waits, and says so on a terminal"
# A stand-in for a vrfctl that holds the lock for a second, as one does
# (flock(2) on the file, its name in it).
mkdir -p /run/vrfd
flock /run/vrfd/lock sh -c 'echo "vrfctl $PPID" >/run/vrfd/lock; sleep 1' &
holder=$!
BG_PIDS+=("$holder")
wait_for 100 grep -qx "vrfctl $holder" /run/vrfd/lock || fail "no stand-in"
start=$(date +%s.%N)
script -qfec "$VRFCTL status t" /dev/null >"$T/out" 2>&1 ||
	fail "status after the wait: $(cat "$T/out")"
took=$(echo "$(date +%s.%N) - $start" | bc)
grep -q "vrfctl: status: waiting for vrfctl (pid $holder) to finish" \
    "$T/out" || fail "it did not say it waits: $(cat "$T/out")"
[ "$(echo "$took > 0.5" | bc)" = 1 ] || fail "it did not wait ($took s)"
# not on a terminal: it waits without a word
flock /run/vrfd/lock sh -c 'echo "vrfctl $PPID" >/run/vrfd/lock; sleep 0.5' &
holder=$!
BG_PIDS+=("$holder")
wait_for 100 grep -qx "vrfctl $holder" /run/vrfd/lock || fail "no stand-in"
"$VRFCTL" status t >"$T/out" 2>"$T/err" || fail "status: $(cat "$T/err")"
[ ! -s "$T/err" ] || fail "a word off a terminal: $(cat "$T/err")"

say "the same lab twice at once, then destroyed twice at once"
"$VRFCTL" destroy grid >/dev/null
"$VRFCTL" apply "$T/grid.yaml" >"$T/a1" 2>&1 &
a1=$!
"$VRFCTL" apply "$T/grid.yaml" >"$T/a2" 2>&1 &
a2=$!
rc1=0; wait "$a1" || rc1=$?
rc2=0; wait "$a2" || rc2=$?
expect_eq "$rc1 $rc2" "0 0" "exit statuses ($(cat "$T/a1" "$T/a2"))"
! grep -q "File exists" "$T/a1" "$T/a2" || fail "File exists"
converged_alone grid "$T/grid.yaml"
"$VRFCTL" destroy grid >"$T/d1" 2>&1 &
d1=$!
"$VRFCTL" destroy t >"$T/d2" 2>&1 &
d2=$!
rc1=0; wait "$d1" || rc1=$?
rc2=0; wait "$d2" || rc2=$?
expect_eq "$rc1 $rc2" "0 0" "destroys ($(cat "$T/d1" "$T/d2"))"
expect_eq "$(ip netns list | wc -l)" 0 "namespaces after both destroys"

say "a vrfd on another socket: vrfctl does not run the engine beside it"
"$VRFCTL" apply "$T/t.yaml" >/dev/null || fail "apply t"
start_vrfd
for cmd in "destroy t" "apply $T/t.yaml" "status"; do
	rc=0; "$VRFCTL" $cmd >"$T/out" 2>&1 || rc=$?
	expect_eq "$rc" 4 "vrfctl $cmd beside vrfd"
	grep -qF "vrfd (pid $VRFD_PID) runs and listens on $SOCK, not /run/vrfd/vrfd.sock: use -s $SOCK" \
	    "$T/out" || fail "vrfctl $cmd: $(cat "$T/out")"
done
expect_eq "$(ip netns list | grep -c '^t-')" 3 "t's namespaces kept"
# vrfd.conf's socket is vrfctl's too (the sandbox's /etc/vrfd)
echo "socket $SOCK" >/etc/vrfd/vrfd.conf
# (t is not kept by this vrfd, whose state directory is another: status
# exits 1, and says so as vrfd sees it)
"$VRFCTL" -j status t >"$T/out" 2>"$T/err" || true
[ ! -s "$T/err" ] || fail "vrfctl with vrfd.conf's socket: $(cat "$T/err")"
expect_eq "$(jq -c '.labs[0] | [.lab, .kept]' "$T/out")" '["t",false]' \
    "vrfd's status of t"
rm /etc/vrfd/vrfd.conf
stop_vrfd
"$VRFCTL" destroy t >/dev/null || fail "destroy t"

say "without root and without vrfd: a clear error, exit 4"
chmod 0755 "$T"
chmod 0644 "$T/t.yaml"
for cmd in "status" "apply $T/t.yaml" "destroy t" "plan $T/t.yaml"; do
	rc=0
	setpriv --reuid=65534 --regid=65534 --clear-groups -- \
	    "$VRFCTL" $cmd >"$T/out" 2>"$T/err" || rc=$?
	expect_eq "$rc" 4 "vrfctl $cmd as nobody"
	grep -q "vrfd does not answer on /run/vrfd/vrfd.sock, and without it ${cmd%% *} needs root" \
	    "$T/err" || fail "vrfctl $cmd as nobody: $(cat "$T/err")"
	[ ! -s "$T/out" ] || fail "vrfctl $cmd as nobody printed: $(cat "$T/out")"
done

say "a full state directory: apply changes nothing"
mkdir "$T/full"
mount -t tmpfs -o size=16k vrfd-full "$T/full"
dd if=/dev/zero of="$T/full/filler" bs=4k count=8 2>/dev/null || true
rc=0; VRFD_STATE_DIR=$T/full "$VRFCTL" apply "$T/t.yaml" >"$T/out" 2>&1 || rc=$?
umount "$T/full"
expect_eq "$rc" 1 "apply's exit status on a full state directory"
grep -q "cannot keep the topology in $T/full: No space left on device; nothing changed" \
    "$T/out" || fail "apply on a full disk: $(cat "$T/out")"
expect_eq "$(ip netns list | wc -l)" 0 "namespaces after it"
say ok
