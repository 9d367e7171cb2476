#!/usr/bin/env bash
# t_same_rule: one rule for every kind of object. An unmarked address or
# route where the file declares one is not vrfd's: plan, apply and status
# all call it a conflict, in the same words, and leave it; apply exits 1.
# When the foreign one goes, the next apply makes vrfd's own. A changed
# namespace mark (someone edits lo's alias) is a namespace that is no
# longer the lab's, for plan, apply and status alike.

. "$(dirname "$0")/lib_daemon.sh"
lab_yaml t >"$T/t.yaml"
"$VRFCTL" apply "$T/t.yaml" >/dev/null || fail "apply"

say "an unmarked address and route where vrfd's were"
ip -n t-ce2 address del 10.2.0.2/24 dev eth0
ip -n t-ce2 address add 10.2.0.2/24 dev eth0		# no proto: not vrfd's
ip -n t-ce1 route replace 10.8.0.0/16 via 10.1.0.1 proto static
addr_why="address 10.2.0.2/24 on eth0 exists and is not vrfd's; left alone"
route_why="route 10.8.0.0/16 proto static metric 0 exists and is not vrfd's; left alone"

"$VRFCTL" plan "$T/t.yaml" >"$T/plan" || fail "plan"
head -1 "$T/plan" | grep -q "blocked; it cannot converge" ||
	fail "plan's first line: $(head -1 "$T/plan")"
grep -qxF "  ce2: cannot add address 10.2.0.2/24 dev eth0: $addr_why" "$T/plan" ||
	fail "plan, the address: $(cat "$T/plan")"
grep -qxF "  ce1: cannot add route 10.8.0.0/16 metric 0: $route_why" "$T/plan" ||
	fail "plan, the route: $(cat "$T/plan")"

rc=0; "$VRFCTL" -j apply "$T/t.yaml" >"$T/apply" || rc=$?
expect_eq "$rc" 1 "apply's exit status"
expect_eq "$(jq -c '[.errors[] | select(.conflict) | .error] | sort' "$T/apply")" \
    "$(jq -nc --arg a "$addr_why" --arg r "$route_why" '[$a, $r] | sort')" \
    "apply's conflicts"

rc=0; "$VRFCTL" -j status t >"$T/status" || rc=$?
expect_eq "$rc" 1 "status's exit status"
expect_eq "$(jq -c '[.labs[0].namespaces[] | select(.conflicts) |
    [.namespace, .differences, .conflicts]]' "$T/status")" \
    "$(jq -nc --arg a "$addr_why" --arg r "$route_why" \
    '[["t-ce1", 1, [$r]], ["t-ce2", 1, [$a]]]')" "status's conflicts"
"$VRFCTL" status t >"$T/status.txt" || true
grep -q "^t  *t-ce2  *ce2  *1 conflict " "$T/status.txt" ||
	fail "status text: $(cat "$T/status.txt")"
grep -qxF "t-ce2: $addr_why" "$T/status.txt" ||
	fail "status text: $(cat "$T/status.txt")"

# Left alone by all three: still unmarked, still there.
expect_eq "$(ip -j -n t-ce1 route show exact 10.8.0.0/16 | jq -r '.[0].protocol')" \
    static "the foreign route"
expect_eq "$("$ROOT/build/tests/addr_proto" t-ce2 10.2.0.2)" 0 \
    "the foreign address's protocol"

say "the foreign ones go: the next apply makes vrfd's"
ip -n t-ce2 address del 10.2.0.2/24 dev eth0
ip -n t-ce1 route del 10.8.0.0/16
"$VRFCTL" apply "$T/t.yaml" >/dev/null || fail "apply after"
expect_eq "$("$ROOT/build/tests/addr_proto" t-ce2 10.2.0.2)" 118 "vrfd's address"
"$VRFCTL" status t >/dev/null || fail "status after"

say "lo's alias edited: t-ce1 is no longer the lab's, for everyone"
ip -n t-ce1 link set lo alias "my own"
ns_why="namespace t-ce1 exists and is not this lab's (loopback alias \"my own\"); left alone"
"$VRFCTL" plan "$T/t.yaml" >"$T/plan" || fail "plan"
expect_eq "$(cat "$T/plan")" "plan for lab t: 0 changes, 1 namespace left alone; it cannot converge
  ce1: $ns_why" "plan"
rc=0; "$VRFCTL" -j apply "$T/t.yaml" >"$T/apply" || rc=$?
expect_eq "$rc" 1 "apply's exit status"
expect_eq "$(jq -c '[.converged, .changes, (.namespaces[] |
    select(.namespace == "t-ce1") | [.state, .error])]' "$T/apply")" \
    "$(jq -nc --arg w "$ns_why" '[false, 0, ["conflict", $w]]')" "apply"
rc=0; "$VRFCTL" -j status t >"$T/status" || rc=$?
expect_eq "$rc" 1 "status's exit status"
expect_eq "$(jq -c '.labs[0].namespaces[] | select(.namespace == "t-ce1") |
    [.conflict, .error]' "$T/status")" \
    '[true,"not this lab'"'"'s (loopback alias \"my own\")"]' "status"
# and nothing was changed in it
expect_eq "$(ip -o -n t-ce1 link show lo | sed -n 's/.*alias //p')" "my own" \
    "t-ce1's alias"
say ok
