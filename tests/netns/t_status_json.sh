#!/usr/bin/env bash
# t_status_json: the shape of `vrfctl status -j` and what its fields say.
#   {"labs": [{"lab": str, "topology": str|null, "converged": bool,
#     "namespaces": [{"namespace": str, "node": str, "exists": bool,
#       "declared": bool, "differences": int|null,
#       "difference_list": [str] (when differences is known), "foreign": int,
#       "foreign_objects": [{"kind": str, "what": str}]}]}]}
# No lab: an empty list. Converged: every namespace with 0 differences,
# exit 0. Drift, a missing namespace, an undeclared one, no stored
# topology: each shows, and the exit status is 1. An unknown lab: exit 1.
. "$(dirname "$0")/lib.sh"

st() { "$VRFCTL" -j status "$@"; }

say "no lab"
expect_eq "$(st | jq -c .)" '{"labs":[]}' "status -j with no lab"

"$VRFCTL" apply "$TOPO/two-customers.yaml" >/dev/null || fail "apply"

say "the shape, converged"
s=$(st) || fail "status of a converged lab: exit $?"
jq -e '
    (keys == ["labs"]) and (.labs | length == 1) and
    (.labs[0] | (keys | sort) == ["converged", "lab", "namespaces", "topology"]
	and (.lab | type) == "string" and (.topology | type) == "string"
	and (.converged | type) == "boolean"
	and (.namespaces | type) == "array" and (.namespaces | length) == 4
	and all(.namespaces[];
	    (keys | sort) == ["declared", "difference_list", "differences",
		"exists", "foreign", "foreign_objects", "namespace", "node"]
	    and (.namespace | type) == "string" and (.node | type) == "string"
	    and (.exists | type) == "boolean" and (.declared | type) == "boolean"
	    and (.differences | type) == "number" and (.foreign | type) == "number"
	    and .difference_list == []
	    and (.foreign_objects | type) == "array"))' <<<"$s" >/dev/null ||
	fail "unexpected shape: $s"
expect_eq "$(jq -c '.labs[0] | [.lab, .converged, [.namespaces[] |
    [.namespace, .node, .exists, .declared, .differences, .foreign]]]' <<<"$s")" \
    '["vrfs",true,[["vrfs-ce-red","ce-red",true,true,0,0],["vrfs-ce-blue","ce-blue",true,true,0,0],["vrfs-pe1-red","pe1/red",true,true,0,0],["vrfs-pe1-blue","pe1/blue",true,true,0,0]]]' \
    "converged lab"
expect_eq "$(st vrfs | jq -c .)" "$(jq -c . <<<"$s")" "status vrfs = status"

say "drift: differences counted, not converged, exit 1"
ip -n vrfs-ce-red route del default
ip -n vrfs-pe1-blue address del 10.1.0.1/24 dev eth2
rc=0; s=$(st vrfs) || rc=$?
expect_eq "$rc" 1 "exit status with drift"
# pe1/blue: the address, and the routes through it that the kernel dropped
expect_eq "$(jq -c '.labs[0] | [.converged, [.namespaces[] | .differences]]' <<<"$s")" \
    '[false,[1,0,0,3]]' "differences"
# ... each listed, in words (t_status_diffs has more)
expect_eq "$(jq -c '[.labs[0].namespaces[] | .difference_list]' <<<"$s")" \
    '[["route default metric 0 via 10.1.0.1 missing"],[],[],["address 10.1.0.1/24 dev eth2 missing","route 192.168.1.0/24 metric 0 via 10.1.0.2 missing","route 192.168.2.0/24 metric 0 via 10.1.0.2 missing"]]' \
    "difference lists"
text=$("$VRFCTL" status vrfs) && fail "text status: exit 0 with drift"
grep -Eq '^vrfs +vrfs-ce-red +ce-red +1 difference ' <<<"$text" ||
	fail "text status: $text"
"$VRFCTL" apply "$TOPO/two-customers.yaml" >/dev/null || fail "repair"
st >/dev/null || fail "status after repair: exit $?"

say "foreign objects"
ip -n vrfs-pe1-red route add 10.42.0.0/16 via 10.1.0.2 proto 42
s=$(st) || fail "a foreign route makes the lab not converged"
expect_eq "$(jq -c '.labs[0].namespaces[] | select(.node == "pe1/red") |
    [.foreign, .foreign_objects]' <<<"$s")" \
    '[1,[{"kind":"route","what":"10.42.0.0/16 proto babel metric 0"}]]' \
    "pe1/red's foreign objects"

say "a namespace missing, one not declared"
ip netns del vrfs-ce-blue
ip netns add vrfs-old
ip -n vrfs-old link set lo alias "vrfd lab=vrfs node=old" up
rc=0; s=$(st) || rc=$?
expect_eq "$rc" 1 "exit status"
expect_eq "$(jq -c '.labs[0] | [.converged, [.namespaces[] | [.namespace,
    .exists, .declared]]]' <<<"$s")" \
    '[false,[["vrfs-ce-red",true,true],["vrfs-ce-blue",false,true],["vrfs-pe1-red",true,true],["vrfs-pe1-blue",true,true],["vrfs-old",true,false]]]' \
    "missing and undeclared"
text=$("$VRFCTL" status) && fail "text status: exit 0"
grep -Eq '^vrfs +vrfs-ce-blue +ce-blue +missing ' <<<"$text" ||
	fail "text: missing: $text"
grep -Eq '^vrfs +vrfs-old +old +undeclared ' <<<"$text" ||
	fail "text: undeclared: $text"

say "no stored topology: differences unknown"
rm -f /var/lib/vrfd/labs/vrfs.yaml
rc=0; s=$(st) || rc=$?
expect_eq "$rc" 1 "exit status"
expect_eq "$(jq -c '.labs[0] | [.topology, .converged, ([.namespaces[].differences] | unique)]' <<<"$s")" \
    '[null,false,[null]]' "without topology"
expect_eq "$(jq -c '[.labs[0].namespaces[] | has("difference_list")] | unique' <<<"$s")" \
    '[false]' "no difference list without topology"

say "an unknown lab"
rc=0; "$VRFCTL" -j status nolab >"$T/out" 2>"$T/err" || rc=$?
expect_eq "$rc" 1 "exit status"
grep -q "no lab 'nolab'" "$T/err" || fail "stderr: $(cat "$T/err")"
say "ok"
