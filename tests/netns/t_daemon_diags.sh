#!/usr/bin/env bash
# With vrfd running, vrfctl apply and plan send the file's text to vrfd,
# which parses it: what is wrong with a topology (errors, and warnings)
# must still be printed exactly as vrfctl prints it alone, with the same
# exit status, in text and in JSON, and nothing applied.
. "$(dirname "$0")/lib_daemon.sh"

start_vrfd
DATA=$ROOT/tests/data

# through OUT-PREFIX ARGS... / alone OUT-PREFIX ARGS...: vrfctl ARGS
# through vrfd, and without one (which vrfctl refuses while a vrfd runs);
# same OUT-PREFIX: stdout, stderr and exit status must be the same.
run_as() {
	local how=$1 out=$2 rc
	shift 2
	rc=0
	if [ "$how" = vrfd ]; then
		vctl "$@" > "$T/$out.vrfd.1" 2> "$T/$out.vrfd.2" || rc=$?
	else
		"$VRFCTL" -s "$T/no-daemon.sock" "$@" > "$T/$out.self.1" \
		    2> "$T/$out.self.2" || rc=$?
	fi
	echo "$rc" > "$T/$out.$how.rc"
}
same() {
	for k in 1 2 rc; do
		diff -u "$T/$1.self.$k" "$T/$1.vrfd.$k" ||
			fail "vrfctl $1: through vrfd, $k differs"
	done
}
# An invalid file is refused before anything needs the daemon or the
# lock: both ways while vrfd runs.
both() {
	local out=$1
	shift
	run_as vrfd "$out" "$@"
	run_as self "$out" "$@"
	same "$out"
}

for f in bad-address bad-indent bad-empty bad-links; do
	say "$f"
	both "$f" apply "$DATA/$f.yaml"
	expect_eq "$(cat "$T/$f.vrfd.rc")" 3 "exit status of apply $f"
	[ -s "$T/$f.vrfd.2" ] || fail "no diagnostics for $f"
	both "$f-j" -j plan "$DATA/$f.yaml"
	jq -e '.files[0].valid == false' "$T/$f-j.vrfd.1" > /dev/null ||
		fail "no JSON diagnostics for $f"
done
expect_eq "$(ls "$STATE/labs" 2>/dev/null | wc -l)" 0 "labs kept"
expect_eq "$(ls /run/netns | wc -l)" 0 "namespaces made"

say "warnings"
run_as vrfd warn plan "$DATA/good-warn-gateway.yaml"
stop_vrfd
run_as self warn plan "$DATA/good-warn-gateway.yaml"
same warn
start_vrfd
grep -q "warning: " "$T/warn.vrfd.2" || fail "no warning printed"
# An apply of the same file and text again uses vrfd's parsed topology:
# its warnings too.
for i in 1 2; do
	vctl apply "$DATA/good-warn-gateway.yaml" > /dev/null 2> "$T/apply.$i" ||
		true
	grep -F -f "$T/warn.vrfd.2" "$T/apply.$i" > /dev/null ||
		fail "apply $i did not print the warnings"
done
stop_vrfd
echo ok
