# tests/netns/lib.sh: sourced by every namespace test (tests/netns/t_*.sh).
#
# Tests run inside tests/netns/sandbox: a private mount and network
# namespace with tmpfs over /run/netns, /run/vrfd, /var/lib/vrfd,
# /etc/netns and /etc/vrfd. What they create dies with the sandbox; they
# still clean up what they start (daemons, by their PID).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
VRFCTL=${VRFCTL:-$ROOT/cli/vrfctl}
VRFD=${VRFD:-$ROOT/vrfd/vrfd}
TOPO=$ROOT/topology
T=$(mktemp -d /tmp/vrfd-test.XXXXXX)
trap 'rm -rf "$T"' EXIT

# The reason is kept: a cleanup that prints a log after it says it again
# last, where a runner that shows the end of the output finds it.
FAILED_WITH=
fail() { FAILED_WITH="$*"; echo "FAIL: $*" >&2; exit 1; }
say() { echo "--- $*"; }

# expect_eq GOT WANT WHAT
expect_eq() {
	[ "$1" = "$2" ] || fail "$3: expected '$2', got '$1'"
}

# wait_for TRIES CMD...: run CMD until it succeeds, at most TRIES times,
# 50 ms apart. A bounded poll, never a bare sleep.
wait_for() {
	local n=$1 i
	shift
	for ((i = 0; i < n; i++)); do
		if "$@" >/dev/null 2>&1; then return 0; fi
		sleep 0.05
	done
	return 1
}

# expect_runs_as PID USER WHAT: PID runs as USER within 5 s. A routing
# daemon drops to its user once it has read its config, and an apply may
# return before (BIRD was seen as root once in CI).
expect_runs_as() {
	wait_for 100 sh -c '[ "$(ps -o user= -p "$1")" = "$2" ]' sh "$1" "$2" ||
	    expect_eq "$(ps -o user= -p "$1")" "$2" "$3"
}

# ping_ok NS ADDR [ARGS...] / ping_fails NS ADDR [ARGS...]
ping_ok() {
	local ns=$1 addr=$2
	shift 2
	ip netns exec "$ns" ping -c 1 -W 1 "$@" "$addr" >/dev/null ||
		fail "$ns cannot reach $addr"
}
# A namespace that does not exist fails every ping: ping_fails says so
# instead of passing.
ping_fails() {
	local ns=$1 addr=$2
	shift 2
	[ -e "/run/netns/$ns" ] || fail "ping_fails: no namespace $ns"
	if ip netns exec "$ns" ping -c 1 -W 1 "$@" "$addr" >/dev/null 2>&1; then
		fail "$ns reaches $addr, and must not"
	fi
}

# jq over `ip -j -n NS ARGS...`: q NS 'JQ' ARGS...
q() {
	local ns=$1 filter=$2
	shift 2
	ip -j -n "$ns" "$@" | jq -r "$filter"
}
