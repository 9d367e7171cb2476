#!/usr/bin/env bash
# vrfd stops on SIGTERM leaving the labs running; started again, it
# repairs what drifted meanwhile. A socket file left by a killed vrfd is
# taken over; one that answers is not.
. "$(dirname "$0")/lib_daemon.sh"

start_vrfd
apply_lab demo
stop_vrfd
[ -e /run/netns/demo-pe1 ] || fail "SIGTERM took the lab down"
[ -e "$SOCK" ] && fail "the socket file stayed after SIGTERM"

say "drift while vrfd is down"
ip -n demo-ce1 route del 10.8.0.0/16
ip -n demo-ce1 link set eth0 mtu 1500
ip netns exec demo-pe1 sysctl -qw net.ipv4.ip_forward=0
ip -n demo-ce2 addr flush dev eth0
converged demo && fail "status sees no drift"

say "start again: it converges at once"
start_vrfd
converged demo || fail "not converged after restart"
route_ok demo-ce1 10.8.0.0/16 || fail "route not repaired at start"
ping_ok demo-ce1 10.2.0.2

say "a second vrfd on the same socket refuses to start"
rc=0
"$VRFD" -s "$SOCK" -d "$T/state2" -c "$CONF" 2>"$T/second.err" || rc=$?
[ "$rc" -ne 0 ] || fail "a second vrfd started"
grep -q "another vrfd" "$T/second.err" || fail "$(cat "$T/second.err")"
ctl_ping || fail "the first vrfd stopped answering"

say "killed with SIGKILL: the stale socket is taken over"
kill -KILL "$VRFD_PID"
wait "$VRFD_PID" 2>/dev/null || true
VRFD_PID=
[ -S "$SOCK" ] || fail "expected a stale socket file"
ip -n demo-ce1 route del 10.8.0.0/16
start_vrfd
repaired "route after SIGKILL and restart" route_ok demo-ce1 10.8.0.0/16
ip -n demo-ce1 route del default
repaired "watched again after restart" route_ok demo-ce1 0.0.0.0/0
stop_vrfd
echo ok
