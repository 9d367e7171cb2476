#!/usr/bin/env bash
# t_plan_commands: the iproute2 commands that `plan` prints are the
# changes apply would make, exactly. For every shipped example, run the
# plan's commands as a shell script on an empty host; afterwards vrfctl
# finds nothing left to do.
#
# An address's command says its protocol (`proto 118`, vrfd's mark), which
# `ip address` says from iproute2 6.3 on; with an older one the same
# message is sent by build/tests/addr_proto instead.
. "$(dirname "$0")/lib.sh"

if ! ip address help 2>&1 | grep -q proto; then
	helper=$ROOT/build/tests/addr_proto
	[ -x "$helper" ] || fail "$helper is missing: run make tests"
	ip() {
		if [ "$1" = -n ] && [ "$3" = address ] && [ "$4" = add ]; then
			# ip -n NS address add ADDR dev DEV [nodad] proto N
			local ns=$2 addr=$5 dev=$7 p
			shift 7
			[ "$1" = nodad ] && shift
			p=$2
			"$helper" "$ns" "$addr" "$dev" "$p"
		else
			command ip "$@"
		fi
	}
fi

for f in "$TOPO"/*.yaml; do
	lab=$(sed -n 's/^lab: *\([a-z0-9_-]*\).*/\1/p' "$f")
	say "$(basename "$f") (lab $lab)"
	"$VRFCTL" -j plan "$f" | jq -r '.plan[].command' > "$T/plan.sh"
	[ -s "$T/plan.sh" ] || fail "$f: empty plan on an empty host"
	set -e
	. "$T/plan.sh" || fail "$f: a command of the plan failed"
	set +e
	p=$("$VRFCTL" -j plan "$f")
	expect_eq "$(jq .changes <<<"$p")" 0 "$f: changes after the plan's commands"
	"$VRFCTL" destroy "$lab" >/dev/null || fail "$f: destroy"
	expect_eq "$(ip netns list | wc -l)" 0 "$f: namespaces after destroy"
done
say "ok"
