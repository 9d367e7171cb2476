#!/usr/bin/env bash
# On a terminal, an apply that runs longer than VRFCTL_PROGRESS_DELAY
# seconds (default 1; 0 here, so that a small lab shows it) prints its
# progress on stderr: namespaces, links and objects done of total; with
# vrfd too, which sends it to vrfctl as the pass goes. Piped, or with -j,
# there is none.
. "$(dirname "$0")/lib_daemon.sh"

"$ROOT/bench/gen-grid" 4 > "$T/grid.yaml"
export VRFCTL_PROGRESS_DELAY=0

# on_tty OUT CMD...: run CMD with a terminal as its stdout and stderr.
on_tty() {
	local out=$1
	shift
	script -qec "$(printf '%q ' "$@")" /dev/null > "$out" < /dev/null
}

# shown FILE: the last progress line FILE shows has everything done.
shown() {
	tr '\r' '\n' < "$1" | grep '^apply: namespaces' | tail -1 |
	    grep -Eq '^apply: namespaces 16/16, links ([0-9]+)/\1, objects ([0-9]+)/\2 *$'
}

say "in-process, on a terminal"
on_tty "$T/tty" "$VRFCTL" -s "$T/no-daemon.sock" apply "$T/grid.yaml" ||
	fail "apply: $(cat "$T/tty")"
shown "$T/tty" || fail "no progress: $(cat -A "$T/tty")"
grep -q "lab grid: .* changes, 0 failed" "$T/tty" || fail "no summary"
"$VRFCTL" -s "$T/no-daemon.sock" destroy grid > /dev/null

say "in-process, piped and -j"
"$VRFCTL" -s "$T/no-daemon.sock" apply "$T/grid.yaml" > "$T/out" 2> "$T/err"
[ ! -s "$T/err" ] || fail "progress while piped: $(cat "$T/err")"
"$VRFCTL" -s "$T/no-daemon.sock" destroy grid > /dev/null
on_tty "$T/tty" "$VRFCTL" -s "$T/no-daemon.sock" -j apply "$T/grid.yaml"
grep -q "apply: namespaces" "$T/tty" && fail "progress with -j"
"$VRFCTL" -s "$T/no-daemon.sock" destroy grid > /dev/null

say "through vrfd"
start_vrfd
on_tty "$T/tty" "$VRFCTL" -s "$SOCK" apply "$T/grid.yaml" ||
	fail "apply: $(cat "$T/tty")"
grep -q "grid: applied" "$T/vrfd.log" || fail "not applied by vrfd"
shown "$T/tty" || fail "no progress from vrfd: $(cat -A "$T/tty")"
vctl destroy grid > /dev/null
vctl apply "$T/grid.yaml" > "$T/out" 2> "$T/err"
[ ! -s "$T/err" ] || fail "progress from vrfd while piped: $(cat "$T/err")"
stop_vrfd
echo ok
