#!/usr/bin/env bash
# t_plan_commands: the iproute2 commands that `plan` prints are the
# changes apply would make, exactly. For every shipped example, run the
# plan's commands as a shell script on an empty host; afterwards vrfctl
# finds nothing left to do.
. "$(dirname "$0")/lib.sh"

for f in "$TOPO"/*.yaml; do
	lab=$(sed -n 's/^lab: *\([a-z0-9_-]*\).*/\1/p' "$f")
	say "$(basename "$f") (lab $lab)"
	"$VRFCTL" -j plan "$f" | jq -r '.plan[].command' > "$T/plan.sh"
	[ -s "$T/plan.sh" ] || fail "$f: empty plan on an empty host"
	sh -e "$T/plan.sh" || fail "$f: a command of the plan failed"
	p=$("$VRFCTL" -j plan "$f")
	expect_eq "$(jq .changes <<<"$p")" 0 "$f: changes after the plan's commands"
	"$VRFCTL" destroy "$lab" >/dev/null || fail "$f: destroy"
	expect_eq "$(ip netns list | wc -l)" 0 "$f: namespaces after destroy"
done
say "ok"
