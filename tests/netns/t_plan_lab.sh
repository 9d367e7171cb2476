#!/usr/bin/env bash
# t_plan_lab: `vrfctl plan LAB` plans against the topology kept for LAB
# when it was applied, as `vrfctl plan FILE` does against FILE: the same
# output, text and -j, alone and through vrfd (which reads the topology
# it keeps itself). A file of that name wins; a name with no kept
# topology, a kept file of another lab or an invalid one are said.
. "$(dirname "$0")/lib_daemon.sh"

cd "$T"
cp "$TOPO/two-customers.yaml" .

say "vrfctl alone: converged, then drift"
"$VRFCTL" apply two-customers.yaml >/dev/null || fail "apply"
expect_eq "$("$VRFCTL" plan vrfs)" "no changes" "plan of a converged lab"
ip -n vrfs-pe1-red route del 192.168.1.0/24
ip -n vrfs-pe1-red route add 10.9.0.0/24 dev eth1 proto ospf
"$VRFCTL" plan two-customers.yaml >file.txt || fail "plan FILE"
"$VRFCTL" plan vrfs >lab.txt || fail "plan LAB"
expect_eq "$(cat lab.txt)" "$(cat file.txt)" "plan LAB = plan FILE"
grep -qxF "    ip -n vrfs-pe1-red route add 192.168.1.0/24 proto vrfd via 10.1.0.2" \
    lab.txt || fail "plan LAB: $(cat lab.txt)"
expect_eq "$("$VRFCTL" -j plan vrfs)" "$("$VRFCTL" -j plan two-customers.yaml)" \
    "plan -j LAB = plan -j FILE"
# Nothing was changed by the plans.
"$VRFCTL" plan vrfs | grep -q "^plan for lab vrfs: 1 change$" ||
	fail "the drift is no longer there"

say "a file of the lab's name wins"
sed '/to: 192.168.1.0\/24/d' two-customers.yaml >vrfs
"$VRFCTL" plan vrfs >lab.txt || fail "plan of the file vrfs"
expect_eq "$(cat lab.txt)" "$("$VRFCTL" plan ./vrfs)" "plan vrfs (a file)"
# It declares no route to 192.168.1.0/24: pe1/blue's goes.
grep -qxF "  pe1/blue: delete route 192.168.1.0/24 metric 0" lab.txt ||
	fail "planned the kept topology: $(cat lab.txt)"
rm vrfs

say "no kept topology, another lab's, an invalid one"
rc=0; "$VRFCTL" plan nolab >out.txt 2>err.txt || rc=$?
expect_eq "$rc" 1 "exit status, no such lab"
expect_eq "$(cat err.txt)" "vrfctl: plan: no file 'nolab', and no topology of lab nolab is kept (no /var/lib/vrfd/labs/nolab.yaml)" \
    "no such lab"
expect_eq "$(cat out.txt)" "" "stdout, no such lab"
cp /var/lib/vrfd/labs/vrfs.yaml /var/lib/vrfd/labs/other.yaml
rc=0; "$VRFCTL" plan other 2>err.txt || rc=$?
expect_eq "$rc" 1 "exit status, another lab's"
expect_eq "$(cat err.txt)" \
    "vrfctl: plan: /var/lib/vrfd/labs/other.yaml declares lab vrfs, not other" \
    "another lab's topology"
echo "lab: [" >/var/lib/vrfd/labs/other.yaml
rc=0; "$VRFCTL" plan other 2>err.txt || rc=$?
expect_eq "$rc" 3 "exit status, invalid"
grep -q "^/var/lib/vrfd/labs/other.yaml:2:1: error: " err.txt ||
	fail "invalid: $(cat err.txt)"
rm /var/lib/vrfd/labs/other.yaml
"$VRFCTL" destroy vrfs >/dev/null || fail "destroy"

say "through vrfd: the topology vrfd keeps"
start_vrfd
apply_lab demo
ip -n demo-ce1 route add 10.9.0.0/24 via 10.1.0.1 proto ospf
# vrfctl's own state directory has no lab demo: vrfd's is asked.
[ -e /var/lib/vrfd/labs/demo.yaml ] && fail "demo kept where vrfctl looks"
vctl plan demo >lab.txt || fail "plan LAB through vrfd"
vctl plan "$T/demo.yaml" >file.txt || fail "plan FILE through vrfd"
expect_eq "$(cat lab.txt)" "$(cat file.txt)" "through vrfd, plan LAB = plan FILE"
grep -qxF "  demo-ce1: route 10.9.0.0/24 proto ospf metric 0" lab.txt ||
	fail "plan LAB through vrfd: $(cat lab.txt)"
expect_eq "$(vctl -j plan demo)" "$(vctl -j plan "$T/demo.yaml")" \
    "through vrfd, plan -j LAB = plan -j FILE"
rc=0; vctl plan nolab 2>err.txt || rc=$?
expect_eq "$rc" 1 "exit status through vrfd, no such lab"
expect_eq "$(cat err.txt)" \
    "vrfctl: plan: vrfd: no topology of lab nolab is kept (no $STATE/labs/nolab.yaml)" \
    "no such lab, through vrfd"
cp "$STATE/labs/demo.yaml" "$STATE/labs/other.yaml"
rc=0; vctl plan other 2>err.txt || rc=$?
expect_eq "$rc" 1 "exit status through vrfd, another lab's"
expect_eq "$(cat err.txt)" \
    "vrfctl: plan: vrfd: $STATE/labs/other.yaml declares lab demo, not other" \
    "another lab's topology, through vrfd"
rm "$STATE/labs/other.yaml"
stop_vrfd
say ok
