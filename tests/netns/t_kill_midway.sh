#!/usr/bin/env bash
# t_kill_midway: an apply killed with SIGKILL in the middle (a 12 x 12 grid
# from bench/gen-grid: 144 namespaces, 264 links, 6048 routes) leaves a lab
# that the next apply completes (converged, plan empty afterwards, traffic
# across the grid), and that destroy removes entirely (no namespace, no
# file left in /run/netns). Four rounds: killed while the namespaces are
# being made, or while the links are; then the next apply completes the
# lab, or destroy alone removes it.
. "$(dirname "$0")/lib.sh"

F=$T/grid.yaml
"$ROOT/bench/gen-grid" 12 >"$F"

n_ns() { local f=(/run/netns/grid-*); [ -e "${f[0]}" ] && echo ${#f[@]} || echo 0; }
# start_and_kill WHEN: apply in the background, wait (bounded, polling
# every 2 ms) until WHEN says it is time, kill -9 it by its PID; the apply
# must still have been running then.
start_and_kill() {
	local when=$1 pid i rc
	"$VRFCTL" apply "$F" >"$T/out" 2>&1 &
	pid=$!
	for ((i = 0; i < 2500; i++)); do
		"$when" && break
		sleep 0.002
	done
	kill -9 "$pid" 2>/dev/null || true
	rc=0
	wait "$pid" 2>/dev/null || rc=$?
	[ "$rc" -eq 137 ] || fail "the apply ended ($rc) before it was killed:
$(cat "$T/out")"
	echo "killed with $(n_ns) namespaces made"
	all_marked
}
# all_marked: whatever the kill left under /run/netns carries the lab's
# mark: a namespace in its loopback's alias, a file whose making was cut
# short in its text. vrfd marks before a name is seen, so that nothing of
# a cut-short apply can be taken for someone else's, or someone else's
# for vrfd's.
all_marked() {
	local f n mark
	for f in /run/netns/grid-*; do
		[ -e "$f" ] || continue
		n=${f##*/}
		if mountpoint -q "$f"; then
			mark=$(ip -o -n "$n" link show lo | sed -n 's/.*alias //p')
		else
			mark=$(cat "$f")
		fi
		case $mark in
		"vrfd lab=grid node=${n#grid-} holds="*" in="*) ;;
		*) fail "$n left unmarked by the kill: '$mark'" ;;
		esac
	done
}
ns_started() { [ "$(n_ns)" -ge 1 ]; }
links_started() {	# a link in some namespace: the link stage has begun
	local f
	for f in /run/netns/grid-r0-0 /run/netns/grid-r0-1; do
		[ -e "$f" ] && [ -n "$(ip -n "${f##*/}" -o link show e 2>/dev/null)" ] &&
			return 0
	done
	return 1
}

converge() {
	local r
	r=$("$VRFCTL" -j apply "$F") || { echo "$r" | head -50; fail "apply after the kill"; }
	expect_eq "$(jq -c '[.failed, .converged]' <<<"$r")" "[0,true]" "apply after the kill"
	expect_eq "$("$VRFCTL" -j plan "$F" | jq .changes)" 0 "changes after"
	expect_eq "$(n_ns)" 144 "namespaces"
	# across the grid (21 hops each way) and over one link. Polled (at
	# most 3 tries of 1 s): whether traffic flows the instant apply returns
	# is t_ipv6_at_once's concern, and it does not always yet.
	while read -r ns to from; do
		wait_for 3 ip netns exec "$ns" ping -c 1 -W 1 -I "$from" "$to" ||
			fail "$ns cannot reach $to"
	done <<-EOF
	grid-r0-0 10.255.1.9 10.255.0.0
	grid-r11-11 10.255.10.2 10.255.11.11
	grid-r0-0 10.0.0.2 10.0.0.1
	EOF
}
all_gone() {
	local f what=
	"$VRFCTL" destroy grid >/dev/null || fail "destroy"
	for f in /run/netns/* /run/netns/.[!.]*; do
		[ -e "$f" ] || continue
		if ! mountpoint -q "$f"; then
			what="$what ${f##*/} (a file, $(stat -c %s "$f") bytes, no namespace on it)"
		else
			what="$what ${f##*/} (a namespace, loopback alias '$(ip -j -n \
			    "${f##*/}" link show lo | jq -r '.[0].ifalias // ""')')"
		fi
	done
	[ -z "$what" ] || fail "left in /run/netns after destroy:$what"
	expect_eq "$("$VRFCTL" -j status | jq -c .labs)" "[]" "labs after destroy"
}

say "killed while making namespaces"
start_and_kill ns_started
converge
all_gone

say "killed while making links"
start_and_kill links_started
converge
all_gone

say "killed while making links, then destroyed without another apply"
start_and_kill links_started
all_gone

# The kill often lands between creating /run/netns/NAME and mounting the
# namespace on it (or marking it): the file or namespace left has no
# mark, and destroy, which knows the lab only by its marks, misses it.
say "killed while making namespaces, then destroyed without another apply"
start_and_kill ns_started
all_gone
say "ok"
