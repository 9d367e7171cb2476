#!/usr/bin/env bash
# t_impair_netem: netem's keys (delay, jitter, loss, ...) on a kernel
# without sch_netem: `validate`, `plan` and `apply` refuse the topology
# with an error at each key that names the module, and nothing is built,
# through vrfd or without it. On a kernel that has netem, the same file is
# applied: netem at the root, tbf under it for the rate.
. "$(dirname "$0")/lib_daemon.sh"

cat >"$T/nem.yaml" <<'EOF'
lab: nem
routers:
  a:
    interfaces:
      eth0: {addresses: [10.0.0.1/24]}
  b:
    interfaces:
      eth0: {addresses: [10.0.0.2/24], impair: {loss: 1%}}
links:
  - endpoints: [a:eth0, b:eth0]
    impair: {delay: 10ms, jitter: 2ms, rate: 10mbit}
EOF
F=$T/nem.yaml

# Does this kernel make a netem qdisc? Asked in a namespace of its own.
if unshare --net tc qdisc add dev lo root netem delay 1ms 2>/dev/null; then
	say "this kernel has netem: the file is applied"
	"$VRFCTL" apply "$F" >"$T/out" || { cat "$T/out"; fail "apply"; }
	tc -j -n nem-a qdisc show dev eth0 | jq -e '
	    any(.[]; .kind == "netem" and .handle == "7672:" and .root) and
	    any(.[]; .kind == "tbf" and .handle == "7673:" and
	        .parent == "7672:1")' >/dev/null ||
		fail "nem-a eth0: $(tc -n nem-a qdisc show dev eth0)"
	expect_eq "$("$VRFCTL" -j plan "$F" | jq .changes)" 0 "changes after apply"
	"$VRFCTL" destroy nem >/dev/null || fail "destroy"
	say "ok"
	exit 0
fi

# expect_refused OUT: the errors, one at each netem key, naming sch_netem.
expect_refused() {
	local want
	want="$F:8:55: error: routers.b.interfaces.eth0.impair.loss: 'loss' needs the netem qdisc, which this kernel lacks (module sch_netem)
$F:11:21: error: links[0].impair.delay: 'delay' needs the netem qdisc, which this kernel lacks (module sch_netem)
$F:11:35: error: links[0].impair.jitter: 'jitter' needs the netem qdisc, which this kernel lacks (module sch_netem)"
	expect_eq "$(grep ': error: ' "$1")" "$want" "$2"
	expect_eq "$(ip netns list | wc -l)" 0 "$2: namespaces"
}

say "validate"
rc=0
"$VRFCTL" validate "$F" >"$T/out" 2>&1 || rc=$?
expect_eq "$rc" 3 "validate's exit status"
expect_refused "$T/out" validate

say "plan and apply, without vrfd"
for cmd in plan apply; do
	rc=0
	"$VRFCTL" "$cmd" "$F" >"$T/out" 2>&1 || rc=$?
	expect_eq "$rc" 3 "$cmd's exit status"
	expect_refused "$T/out" "$cmd"
done
"$VRFCTL" -j apply "$F" >"$T/out.json" 2>/dev/null && fail "apply -j succeeded"
jq -e '.files[0] | .valid == false and (.diagnostics | length == 3)' "$T/out.json" >/dev/null ||
	fail "apply -j: $(cat "$T/out.json")"

say "apply through vrfd"
start_vrfd
rc=0
vctl apply "$F" >"$T/out" 2>&1 || rc=$?
expect_eq "$rc" 3 "apply through vrfd: exit status"
expect_refused "$T/out" "apply through vrfd"
[ -e "$STATE/labs/nem.yaml" ] && fail "vrfd kept the refused lab"

say "a rate alone (tbf) is applied"
sed -i 's/impair: {delay: 10ms, jitter: 2ms, rate: 10mbit}/impair: {rate: 10mbit}/; s/, impair: {loss: 1%}//' "$F"
vctl apply "$F" >"$T/out" || { cat "$T/out"; fail "apply of the rate"; }
expect_eq "$(tc -j -n nem-b qdisc show dev eth0 root | jq -r '.[0].kind')" tbf "nem-b eth0"
vctl destroy nem >/dev/null || fail "destroy"
stop_vrfd
say "ok"
