#!/usr/bin/env bash
# t_destroy: `vrfctl destroy LAB` and `vrfctl destroy FILE` remove every
# namespace of the lab (routers, VRFs, switches) and nothing else: `ip
# netns list` shows only the foreign namespaces afterwards, /run/netns
# holds no file of the lab, status knows no lab, and a second destroy is
# harmless. A namespace the topology no longer declares but that carries
# the lab's mark goes too.
. "$(dirname "$0")/lib.sh"

ip netns add other
ip netns add before-vrfs	# sorts around the lab's names
ip netns add vrfsx
ip netns add vrfs-unmarked	# the lab's prefix, not its mark

only_foreign() {
	expect_eq "$(ip netns list | awk '{print $1}' | sort | xargs)" \
	    "before-vrfs other vrfs-unmarked vrfsx" "namespaces after $1"
	expect_eq "$(ls /run/netns | sort | xargs)" \
	    "before-vrfs other vrfs-unmarked vrfsx" "/run/netns after $1"
}

say "destroy LAB"
"$VRFCTL" apply "$TOPO/two-customers.yaml" >/dev/null || fail "apply"
expect_eq "$(ip netns list | grep -c '^vrfs-')" 5 "namespaces of the lab + 1"
# a namespace of the lab that the file does not declare (an older version
# had it): marked by hand as vrfd marks its own
ip netns add vrfs-old
ip -n vrfs-old link set lo alias "vrfd lab=vrfs node=old" up
r=$("$VRFCTL" -j destroy vrfs) || { echo "$r"; fail "destroy vrfs"; }
expect_eq "$(jq -c '[.action, .changes, .failed, .converged]' <<<"$r")" \
    '["destroy",5,0,true]' "destroy report"
only_foreign "destroy LAB"
expect_eq "$("$VRFCTL" -j status | jq -c .labs)" "[]" "labs after destroy"
"$VRFCTL" status | grep -qx "no labs" || fail "status text after destroy"

say "destroy FILE, with a switch"
"$VRFCTL" apply "$TOPO/switched-lan.yaml" >/dev/null || fail "apply lan"
expect_eq "$(ip netns list | grep -c '^lan-')" 6 "namespaces of lan"
"$VRFCTL" destroy "$TOPO/switched-lan.yaml" >"$T/out" || fail "destroy FILE"
grep -q "destroy: lab lan: 6 namespaces removed" "$T/out" ||
	fail "destroy text: $(cat "$T/out")"
only_foreign "destroy FILE"

say "destroy again: nothing to do, no error"
"$VRFCTL" destroy lan >"$T/out" || fail "second destroy failed"
grep -q "0 namespaces removed" "$T/out" || fail "second destroy: $(cat "$T/out")"
only_foreign "the second destroy"

say "the lab can be made again at once"
"$VRFCTL" apply "$TOPO/two-customers.yaml" >/dev/null || fail "apply again"
ping_ok vrfs-pe1-red 192.168.1.1
say "ok"
