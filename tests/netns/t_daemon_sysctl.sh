#!/usr/bin/env bash
# vrfd repairs the sysctls the kernel announces (netconf: forwarding,
# rp_filter) at once, and the silent ones at its periodic resync.
. "$(dirname "$0")/lib_daemon.sh"

echo "resync_interval 1" >> "$CONF"
start_vrfd
apply_lab demo

sysctl_is() {	# NS KEY VALUE
	[ "$(ip netns exec "$1" sysctl -n "$2")" = "$3" ]
}
sysctl_is demo-pe1 net.ipv4.ip_forward 1 || fail "forwarding off after apply"

say "forwarding changed (netconf)"
ip netns exec demo-pe1 sysctl -qw net.ipv4.ip_forward=0
repaired "ip_forward" sysctl_is demo-pe1 net.ipv4.ip_forward 1
expect_drift demo demo-pe1 "forwarding 0"
ping_ok demo-ce1 10.2.0.2

say "rp_filter changed (netconf)"
ip netns exec demo-pe1 sysctl -qw net.ipv4.conf.all.rp_filter=0
repaired "rp_filter" sysctl_is demo-pe1 net.ipv4.conf.all.rp_filter 1
expect_drift demo demo-pe1 "rp_filter 0"

say "a silent sysctl: the resync finds it"
# accept_redirects raises no event (no netconf for it).
ip netns exec demo-pe1 sysctl -qw net.ipv4.conf.all.accept_redirects=1
repaired "accept_redirects (resync)" sysctl_is demo-pe1 \
	net.ipv4.conf.all.accept_redirects 0
expect_drift demo demo-pe1 "periodic resync"
stop_vrfd
echo ok
