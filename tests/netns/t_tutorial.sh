#!/usr/bin/env bash
# t_tutorial: docs/tutorial.md is what its commands print today.
# docs/tutorial.py --check runs every command block of docs/tutorial.in.md
# again, in one shell session in this sandbox, and compares the output
# with docs/tutorial.md (as shapes: times, pids and neighbour states are
# not compared); a difference is printed as a diff. `make tutorial`
# regenerates the page.
. "$(dirname "$0")/lib.sh"
export ROOT VRFCTL VRFD
# The ECMP section fixes the multipath hash's seed (Linux 6.11 and later):
# without it, which nexthop a flow takes changes from boot to boot.
if [ ! -e /proc/sys/net/ipv4/fib_multipath_hash_seed ]; then
	say "skipped: this kernel has no net.ipv4.fib_multipath_hash_seed (6.11+)"
	exit 0
fi
for tool in jq ping diff sed; do
	command -v "$tool" >/dev/null || fail "the tutorial needs $tool"
done
python3 "$ROOT/docs/tutorial.py" --check ||
	fail "docs/tutorial.md differs from a fresh run (make tutorial regenerates it)"
