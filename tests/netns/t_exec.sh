#!/usr/bin/env bash
# t_exec: `vrfctl exec NODE -- CMD` runs CMD in NODE's namespace (a router,
# a VRF as router/vrf, a switch), like `ip netns exec`: ip and
# /sys/class/net show that namespace's interfaces only, /etc/netns/NAME/
# files are seen over /etc, the exit status is CMD's, and the host's /sys
# is left as it was. Errors: an unknown node, a missing command, no "--".
. "$(dirname "$0")/lib.sh"

"$VRFCTL" apply "$TOPO/two-customers.yaml" >/dev/null || fail "apply vrfs"

say "the right namespace: ip netns identify, ip link, /sys/class/net"
expect_eq "$("$VRFCTL" exec ce-red -- ip netns identify)" vrfs-ce-red "identify ce-red"
expect_eq "$("$VRFCTL" exec pe1/blue -- ip netns identify)" vrfs-pe1-blue \
    "identify pe1/blue"
expect_eq "$("$VRFCTL" exec pe1/blue -- ip -j link | jq -r '[.[].ifname] |
    sort | join(" ")')" "eth2 lo" "pe1/blue links"
expect_eq "$("$VRFCTL" exec pe1/red -- ls /sys/class/net | sort | xargs)" \
    "eth1 lo" "/sys/class/net in pe1/red"
expect_eq "$("$VRFCTL" exec pe1/red -- cat /sys/class/net/eth1/address)" \
    "$(ip -j -n vrfs-pe1-red link show eth1 | jq -r '.[0].address')" \
    "eth1's MAC through /sys"
host_sys=$(ls /sys/class/net | sort | xargs)
"$VRFCTL" exec ce-blue -- ping -c 1 -W 1 10.1.0.1 >/dev/null ||
	fail "ce-blue cannot reach its PE through exec"
expect_eq "$(ls /sys/class/net | sort | xargs)" "$host_sys" \
    "/sys/class/net here after exec"

say "/etc/netns/NAME over /etc"
mkdir -p /etc/netns/vrfs-ce-red
echo "192.168.1.1 red-loopback" >/etc/netns/vrfs-ce-red/hosts
expect_eq "$("$VRFCTL" exec ce-red -- cat /etc/hosts)" "192.168.1.1 red-loopback" \
    "ce-red's /etc/hosts"
[ "$(cat /etc/hosts)" != "192.168.1.1 red-loopback" ] ||
	fail "the bind leaked to /etc/hosts here"
expect_eq "$("$VRFCTL" exec ce-blue -- cat /etc/hosts)" "$(cat /etc/hosts)" \
    "ce-blue's /etc/hosts (none of its own)"

say "the exit status is the command's"
rc=0; "$VRFCTL" exec ce-red -- sh -c 'exit 7' || rc=$?
expect_eq "$rc" 7 "exit status"
rc=0; "$VRFCTL" exec ce-red -- /no/such/command 2>/dev/null || rc=$?
expect_eq "$rc" 127 "a missing command"

say "errors"
rc=0; "$VRFCTL" exec nosuch -- true 2>"$T/err" || rc=$?
[ "$rc" -ne 0 ] || fail "exec in an unknown node succeeded"
grep -q "vrfs-nosuch" "$T/err" || fail "unknown node: $(cat "$T/err")"
rc=0; "$VRFCTL" exec ce-red true 2>/dev/null || rc=$?
expect_eq "$rc" 2 "no '--' (usage)"
rc=0; "$VRFCTL" exec -l nolab ce-red -- true 2>/dev/null || rc=$?
[ "$rc" -ne 0 ] || fail "exec in an unknown lab succeeded"
say "ok"
