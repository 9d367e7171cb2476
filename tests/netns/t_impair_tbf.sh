#!/usr/bin/env bash
# t_impair_tbf: a link's `impair: {rate, burst, limit}` is a tbf qdisc at
# the root of each end, vrfd's by its handle (7672:): `vrfctl plan` says it
# as the tc command that makes it (and that command, run by hand, makes
# exactly it), apply makes it, iperf3 measures the rate it declares
# (within 10%), a changed rate is replaced in place, a removed one goes.
# A root qdisc of someone else's is left alone: listed as foreign where
# the file declares none, a conflict where it declares one.
. "$(dirname "$0")/lib.sh"

IPERF_PID=
cleanup() {
	[ -z "$IPERF_PID" ] || { kill "$IPERF_PID" 2>/dev/null; wait "$IPERF_PID" 2>/dev/null; } || true
	rm -rf "$T"
}
trap cleanup EXIT

command -v iperf3 >/dev/null || fail "iperf3 is not installed (Debian package iperf3)"

# lab RATE [IMPAIR-LINE]: a - b, the link impaired as said
lab() {
	cat <<EOF
lab: imp
routers:
  a:
    interfaces:
      eth0: {addresses: [10.0.0.1/24]}
      eth1: {addresses: [10.0.1.1/24]}
  b:
    interfaces:
      eth0: {addresses: [10.0.0.2/24]}
  c:
    interfaces:
      eth0: {addresses: [10.0.1.2/24]}
links:
  - endpoints: [a:eth0, b:eth0]
$1
  - [a:eth1, c:eth0]
EOF
}
F=$T/imp.yaml

# qdisc NS DEV: the root qdisc, as "KIND HANDLE RATE" (tc's JSON)
qdisc() {
	tc -j -n "$1" qdisc show dev "$2" root |
	    jq -r '.[0] | "\(.kind) \(.handle) \(.options.rate // "-")"'
}
changes() { "$VRFCTL" -j plan "$F" | jq .changes; }

say "plan: the tc command of each end"
lab "    impair: {rate: 50mbit, burst: 64kb, limit: 256kb}" >"$F"
p=$("$VRFCTL" -j plan "$F") || fail "plan"
got=$(jq -r '.plan[] | select(.command | startswith("tc ")) | .command' <<<"$p")
want="tc -n imp-a qdisc replace dev eth0 root handle 7672: tbf rate 50mbit burst 64kb limit 256kb
tc -n imp-b qdisc replace dev eth0 root handle 7672: tbf rate 50mbit burst 64kb limit 256kb"
expect_eq "$got" "$want" "plan's tc commands"
expect_eq "$(jq -r '[.plan[] | select(.command | startswith("tc ")) | .object] | unique | .[]' <<<"$p")" \
    "qdisc tbf 7672: dev eth0 root" "plan's object"

say "apply: tbf at the root of both ends"
"$VRFCTL" apply "$F" >"$T/out" || { cat "$T/out"; fail "apply"; }
expect_eq "$(qdisc imp-a eth0)" "tbf 7672: 6250000" "imp-a eth0"
expect_eq "$(qdisc imp-b eth0)" "tbf 7672: 6250000" "imp-b eth0"
expect_eq "$(qdisc imp-a eth1)" "noqueue 0: -" "imp-a eth1, not impaired"
expect_eq "$(changes)" 0 "changes after apply"

say "iperf3: 50mbit, within 10%"
ip netns exec imp-b iperf3 -s -1 -B 10.0.0.2 >/dev/null 2>&1 &
IPERF_PID=$!
listening() { ip netns exec imp-b ss -Hltn 'sport = :5201' | grep -q .; }
wait_for 100 listening || fail "iperf3 server not listening"
ip netns exec imp-a iperf3 -c 10.0.0.2 -t 3 -O 1 -J >"$T/iperf.json" ||
	fail "iperf3 client: $(cat "$T/iperf.json")"
wait "$IPERF_PID" 2>/dev/null || true
IPERF_PID=
bps=$(jq '.end.sum_received.bits_per_second' "$T/iperf.json")
say "received $bps bit/s"
awk -v b="$bps" 'BEGIN { exit !(b >= 45e6 && b <= 55e6) }' ||
	fail "iperf3 measured $bps bit/s, declared 50mbit (+-10%)"

say "the plan's commands make exactly what apply makes"
tc -n imp-a qdisc del dev eth0 root
tc -n imp-b qdisc del dev eth0 root
expect_eq "$(changes)" 2 "changes with both qdiscs gone"
"$VRFCTL" -j plan "$F" | jq -r '.plan[].command' >"$T/plan.sh"
bash -e "$T/plan.sh" || fail "the plan's tc commands failed"
expect_eq "$(changes)" 0 "changes after the plan's commands"

say "a rate changed in the file: replaced in place"
lab "    impair: {rate: 20mbit, burst: 64kb, limit: 128kb}" >"$F"
expect_eq "$("$VRFCTL" -j plan "$F" | jq -r '[.plan[].op] | unique | .[]')" \
    replace "op of a changed rate"
"$VRFCTL" apply "$F" >/dev/null || fail "apply 20mbit"
expect_eq "$(qdisc imp-a eth0)" "tbf 7672: 2500000" "imp-a eth0 at 20mbit"

say "a rate changed by hand: plan names the difference"
tc -n imp-a qdisc change dev eth0 root handle 7672: tbf rate 1mbit burst 10kb limit 20kb
"$VRFCTL" status imp >"$T/status" || true
grep -q "imp-a: qdisc tbf 7672: dev eth0 root rate 1mbit burst 10kb limit 20kb, declared rate 20mbit burst 64kb limit 128kb" "$T/status" ||
	fail "status: $(cat "$T/status")"
"$VRFCTL" apply "$F" >/dev/null || fail "apply after the change"
expect_eq "$(qdisc imp-a eth0)" "tbf 7672: 2500000" "imp-a eth0 repaired"

say "one end's own rate, and an interface's"
lab "    impair: {rate: 20mbit, b:eth0: {rate: 10mbit}}" >"$F"
"$VRFCTL" apply "$F" >/dev/null || fail "apply per end"
expect_eq "$(qdisc imp-a eth0)" "tbf 7672: 2500000" "imp-a eth0, both ends' rate"
expect_eq "$(qdisc imp-b eth0)" "tbf 7672: 1250000" "imp-b eth0, its own rate"
sed -i 's|eth0: {addresses: \[10.0.0.1/24\]}|eth0: {addresses: [10.0.0.1/24], impair: {rate: 5mbit}}|' "$F"
"$VRFCTL" apply "$F" >/dev/null || fail "apply interface's"
expect_eq "$(qdisc imp-a eth0)" "tbf 7672: 625000" "imp-a eth0, its interface's rate"

say "impairment removed: the qdisc goes"
lab "" >"$F"
p=$("$VRFCTL" -j plan "$F")
expect_eq "$(jq -r '.plan[] | "\(.op) \(.command)"' <<<"$p" | sort)" \
    "delete tc -n imp-a qdisc del dev eth0 root handle 7672: tbf
delete tc -n imp-b qdisc del dev eth0 root handle 7672: tbf" "plan of a removal"
"$VRFCTL" apply "$F" >/dev/null || fail "apply without impairment"
expect_eq "$(qdisc imp-a eth0)" "noqueue 0: -" "imp-a eth0 after removal"
expect_eq "$(qdisc imp-b eth0)" "noqueue 0: -" "imp-b eth0 after removal"

say "someone else's root qdisc where none is declared: left alone"
tc -n imp-a qdisc add dev eth1 root handle 8123: tbf rate 1mbit burst 10kb limit 10kb
expect_eq "$(changes)" 0 "changes with a foreign qdisc"
"$VRFCTL" -j status imp | jq -e '.labs[0].namespaces[] | select(.namespace == "imp-a") |
    .foreign_objects | any(.kind == "qdisc" and .what == "tbf 8123: dev eth1 root")' >/dev/null ||
	fail "the foreign qdisc is not listed: $("$VRFCTL" -j status imp)"
"$VRFCTL" apply "$F" >/dev/null || fail "apply with a foreign qdisc"
expect_eq "$(qdisc imp-a eth1)" "tbf 8123: 125000" "the foreign qdisc after apply"

say "someone else's root qdisc where one is declared: a conflict, left alone"
lab "    impair: {rate: 20mbit}" >"$F"
tc -n imp-b qdisc add dev eth0 root handle 8124: tbf rate 1mbit burst 10kb limit 10kb
p=$("$VRFCTL" -j plan "$F")
jq -e '.errors[] | select(.namespace == "imp-b" and .conflict) |
    .error | contains("qdisc tbf 8124: dev eth0 root exists and is not vrfd'"'"'s")' \
    <<<"$p" >/dev/null || fail "no conflict in the plan: $p"
"$VRFCTL" apply "$F" >/dev/null && fail "apply converged over a foreign qdisc"
expect_eq "$(qdisc imp-b eth0)" "tbf 8124: 125000" "the foreign qdisc, kept"
expect_eq "$(qdisc imp-a eth0)" "tbf 7672: 2500000" "the other end, made"
tc -n imp-b qdisc del dev eth0 root
"$VRFCTL" apply "$F" >/dev/null || fail "apply once it is gone"
expect_eq "$(qdisc imp-b eth0)" "tbf 7672: 2500000" "imp-b eth0, ours at last"

say "destroy"
"$VRFCTL" destroy imp >/dev/null || fail "destroy"
expect_eq "$(ip netns list | wc -l)" 0 "namespaces after destroy"
say "ok"
