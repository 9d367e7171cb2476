#!/usr/bin/env bash
# vrfd works with only the capabilities conf/vrfd.service gives it: apply,
# repairs (a route, a sysctl, a deleted namespace), the socket's group,
# destroy.
. "$(dirname "$0")/lib_daemon.sh"

# CapabilityBoundingSet=CAP_A CAP_B -> setpriv's -all,+a,+b
caps=$(sed -n 's/^CapabilityBoundingSet=//p' "$ROOT/conf/vrfd.service" |
	tr 'A-Z' 'a-z' | sed 's/cap_//g; s/ \+/,+/g; s/^/-all,+/')
[ "$caps" != "-all,+" ] || fail "no CapabilityBoundingSet in vrfd.service"
say "capabilities: $caps"
echo "read_group nogroup" >> "$CONF"
setpriv --bounding-set="$caps" --inh-caps=-all -- "$VRFD" -s "$SOCK" \
	-d "$STATE" -c "$CONF" -v >>"$T/vrfd.log" 2>&1 &
VRFD_PID=$!
wait_for 200 ctl_ping || fail "vrfd did not answer on $SOCK"
expect_eq "$(stat -c '%a %G' "$SOCK")" "660 nogroup" "socket mode and group"

apply_lab demo
ip -n demo-ce1 route del 10.8.0.0/16
repaired "route" route_ok demo-ce1 10.8.0.0/16
ip netns exec demo-pe1 sysctl -qw net.ipv4.ip_forward=0
repaired "sysctl" converged demo
ip netns del demo-pe1
repaired "deleted namespace" converged demo
ping_ok demo-ce1 10.2.0.2
vctl destroy demo >/dev/null
[ -e /run/netns/demo-pe1 ] && fail "destroy left demo-pe1"
stop_vrfd
echo ok
