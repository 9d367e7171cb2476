#!/usr/bin/env bash
# While vrfd destroys a big lab it hears no other namespace (the kernel
# would check each event of the teardown against every namespace id vrfd
# gave): drift in another lab meanwhile is still repaired, because vrfd
# reads every kept lab again once it hears again. Meanwhile it is in no
# netlink group at all: while anyone listens, the kernel builds every
# event of the teardown.
. "$(dirname "$0")/lib_daemon.sh"

# A process in the big lab that ignores SIGTERM holds the destroy for the
# grace period: the window in which the other lab drifts.
echo "stop_grace_ms 1500" >> "$CONF"
start_vrfd
apply_lab demo
"$ROOT/bench/gen-lab" chain 100 > "$T/big.yaml"
vctl apply "$T/big.yaml" >/dev/null || fail "apply of the chain of 100"
ip netns exec chain-r1 sh -c 'trap "" TERM; while :; do sleep 0.1; done' &
HOLDER=$!

# The groups vrfd's netlink sockets are in (/proc/net/netlink, the
# sockets found by their inodes), or'ed, in hex.
nl_groups() {
	local inodes g=0 inode hex
	inodes=" $(ls -l "/proc/$VRFD_PID/fd" |
	    sed -n 's/.*socket:\[\([0-9]*\)\]$/\1/p' | tr '\n' ' ')"
	while read -r hex inode; do
		case $inodes in *" $inode "*) g=$((g | 16#$hex)) ;; esac
	done < <(awk 'NR > 1 { print $4, $10 }' /proc/net/netlink)
	printf '%x\n' "$g"
}
heard() { grep -c "other namespaces $1" "$T/vrfd.log" || true; }
deaf() { [ "$(heard "not heard")" -ge 1 ]; }
fds() { ls "/proc/$VRFD_PID/fd" | wc -l; }
fds_before=$(fds)
vctl destroy chain >/dev/null &
DESTROY=$!
wait_for 100 deaf ||
	fail "vrfd went on hearing other namespaces while destroying 100"
[ "$(nl_groups)" = 0 ] ||
	fail "vrfd stays in netlink groups $(nl_groups) while destroying"
ip -n demo-ce1 route del 10.8.0.0/16
# Deleted while not heard: no event for it ever comes.
[ "$(heard "heard again")" -eq 0 ] ||
	fail "the destroy ended before the route was deleted"
wait "$DESTROY" || fail "destroy failed"
wait "$HOLDER" 2>/dev/null || true
[ "$(heard "heard again")" -eq 1 ] || fail "vrfd does not hear again"
[ "$(nl_groups)" != 0 ] || fail "vrfd joins no netlink group again"
[ -z "$(ls /run/netns | grep '^chain-')" ] || fail "chain namespaces left"
repaired "demo-ce1 route deleted during the destroy" route_ok demo-ce1 10.8.0.0/16
# And events are heard again, at once.
ip -n demo-ce2 link set eth0 down
link_up() { ip -n demo-ce2 -j link show eth0 | jq -e '.[0].flags | index("UP") != null' >/dev/null; }
repaired "demo-ce2 link set down after the destroy" link_up
# The destroy held each namespace open while it unbound their names, and
# let them all go (a repair holds a few for a moment: waited out).
fds_back() { [ "$(fds)" -le "$fds_before" ]; }
wait_for 100 fds_back ||
	fail "vrfd holds $(fds) descriptors after the destroy, $fds_before before"
stop_vrfd
echo ok
