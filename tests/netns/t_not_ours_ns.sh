#!/usr/bin/env bash
# t_not_ours_ns: a namespace with a node's name that vrfd did not mark is
# never adopted: plan, apply and status name it as a conflict, no veth of
# the lab goes into it, apply exits 1, and destroy leaves it as it was.
# The same when it is empty (`ip netns add` leaves exactly that), when a
# process lives in it, and through vrfd as without it. What the file puts
# on the links left out (addresses, neighbours, routes through them) is
# not tried: the links' conflicts say why, once.
. "$(dirname "$0")/lib_daemon.sh"

lab_yaml t >"$T/t.yaml"

# check_left_alone HOW: t-pe1 holds only its loopback, unmarked, and its
# process (if any) is alive.
check_left_alone() {
	expect_eq "$(ip -n t-pe1 -o link show | awk -F': ' '{print $2}' | xargs)" \
	    lo "links in t-pe1 ($1)"
	expect_eq "$(ip -o -n t-pe1 link show lo | sed -n 's/.*alias //p')" "" \
	    "t-pe1's loopback alias ($1)"
	[ -z "${holder:-}" ] || kill -0 "$holder" || fail "t-pe1's process died ($1)"
}

# round VRFCTL...: plan, apply, status and destroy with that vrfctl.
round() {
	local r

	say "plan"
	"$@" plan "$T/t.yaml" >"$T/plan" || fail "plan: $(cat "$T/plan")"
	grep -qx "  pe1: namespace t-pe1 exists and is not this lab's (no mark); left alone" \
	    "$T/plan" || fail "plan does not name t-pe1: $(cat "$T/plan")"
	grep -q "cannot create link eth0 (veth to t-pe1:eth1): namespace t-pe1 is not this lab's" \
	    "$T/plan" || fail "plan: the link into t-pe1: $(cat "$T/plan")"
	r=$("$@" -j plan "$T/t.yaml")
	expect_eq "$(jq -r '.namespaces[] | select(.namespace == "t-pe1") |
	    .state' <<<"$r")" conflict "plan -j: t-pe1"

	say "apply"
	rc=0; "$@" -j apply "$T/t.yaml" >"$T/apply" || rc=$?
	expect_eq "$rc" 1 "apply's exit status"
	expect_eq "$(jq -c '[.converged, (.namespaces[] |
	    select(.namespace == "t-pe1") | [.state, .changes])]' "$T/apply")" \
	    '[false,["conflict",0]]' "apply -j: t-pe1"
	jq -e '.namespaces[] | select(.namespace == "t-pe1") | .error |
	    test("not this lab.s")' "$T/apply" >/dev/null ||
		fail "apply -j: no reason for t-pe1: $(cat "$T/apply")"
	# what would have lived on the links left out is not tried: the
	# links' conflicts are the errors, and no "No such device" follows
	expect_eq "$(jq -c '[.errors[] | [.op, .object, (.conflict // false)]]' \
	    "$T/apply")" '[["create","link eth0 (veth to t-pe1:eth1)",true],["create","link eth0 (veth to t-pe1:eth2)",true]]' \
	    "apply's errors"
	check_left_alone apply
	# the rest of the lab is made
	case $(ip -o -n t-ce1 link show lo | sed -n 's/.*alias //p') in
	"vrfd lab=t node=ce1 holds="*" in="?*) ;;
	*) fail "t-ce1 is not marked" ;;
	esac

	say "status"
	rc=0; "$@" status t >"$T/status" || rc=$?
	expect_eq "$rc" 1 "status's exit status"
	grep -q "^t  *t-pe1  *pe1  *conflict" "$T/status" ||
		fail "status: $(cat "$T/status")"
	expect_eq "$("$@" -j status t | jq -c '.labs[0].namespaces[] |
	    select(.namespace == "t-pe1") | [.conflict, .error]')" \
	    '[true,"not this lab'"'"'s (no mark)"]' "status -j: t-pe1"

	say "destroy"
	"$@" destroy t >"$T/destroy" || fail "destroy: $(cat "$T/destroy")"
	grep -q "destroy: lab t: 2 namespaces removed" "$T/destroy" ||
		fail "destroy: $(cat "$T/destroy")"
	expect_eq "$(ip netns list | awk '{print $1}' | xargs)" t-pe1 \
	    "namespaces after destroy"
	check_left_alone destroy
}

say "an empty namespace, made by ip netns add; vrfctl alone"
ip netns add t-pe1
holder=
round "$VRFCTL"

say "... and with a process in it"
ip netns exec t-pe1 sleep 1000 &
holder=$!
BG_PIDS+=("$holder")
round "$VRFCTL"

say "... through vrfd"
start_vrfd
round vctl
# vrfd has not put anything into it since, repairs included
ip -n t-ce1 route del 10.8.0.0/16 2>/dev/null || true
check_left_alone "vrfd, after a while"
stop_vrfd
say ok
