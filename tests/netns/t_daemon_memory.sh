#!/usr/bin/env bash
# vrfd answers apply and plan from what it last read in a namespace when
# no event has come from it since, and that answer is exactly the one a
# fresh read of the kernel gives: foreign objects added or removed behind
# its back are listed, a learned neighbour does not cost a read, a sysctl
# that changes without an event is still found, a namespace made again is
# read again, and events the kernel could not deliver make vrfd forget
# everything. (The lab's pe1 declares accept_redirects, which changes
# without an event: pe1 is always read.)
. "$(dirname "$0")/lib_daemon.sh"

start_vrfd
apply_lab demo

# memory N: vrfd's last plan read N of the 3 namespaces from memory.
memory() {
	vctl -j plan "$T/demo.yaml" > /dev/null
	grep "demo: plan: " "$T/vrfd.log" | tail -1 |
	    grep -q ": $1 of 3 namespaces read from memory"
}

# same_plan: vrfd's plan (from memory where it can) is the plan vrfctl
# makes by itself, reading the kernel.
same_plan() {
	vctl -j plan "$T/demo.yaml" | jq -S . > "$T/plan.vrfd"
	alone -j plan "$T/demo.yaml" |
	    jq -S . > "$T/plan.kernel"
	diff -u "$T/plan.kernel" "$T/plan.vrfd" ||
		fail "vrfd's plan differs from the kernel's"
}

# foreign NS JQ: NS's foreign objects in vrfd's plan match JQ.
foreign() {
	vctl -j plan "$T/demo.yaml" | jq -e --arg ns "$1" \
	    ".namespaces[] | select(.namespace == \$ns) | .foreign | $2" \
	    > /dev/null
}

say "a converged lab is answered from memory"
# The namespaces an apply made are read once more as soon as they are
# watched; from then on only pe1 is read.
wait_for 100 memory 2 || fail "vrfd does not answer from memory"
same_plan
vctl apply "$T/demo.yaml" > "$T/out" || fail "re-apply"
grep -q "0 changes" "$T/out" || fail "re-apply made changes: $(cat "$T/out")"
grep "demo: apply: " "$T/vrfd.log" | tail -1 |
    grep -q ": 2 of 3 namespaces read from memory" ||
	fail "the re-apply read the kernel"

say "foreign route, address and neighbour added"
ip -n demo-ce2 route add 10.99.0.0/24 via 10.2.0.1 proto 42
ip -n demo-ce2 addr add 10.98.0.1/32 dev lo
ip -n demo-ce2 neigh add 10.2.0.77 lladdr 02:00:00:00:07:07 dev eth0 \
	nud permanent
foreign demo-ce2 'map(.what) | (any(test("10.99.0.0/24")) and
    any(test("10.98.0.1/32")) and any(test("10.2.0.77")))' ||
	fail "foreign objects not listed"
same_plan

say "foreign objects removed"
ip -n demo-ce2 route del 10.99.0.0/24 proto 42
ip -n demo-ce2 addr del 10.98.0.1/32 dev lo
ip -n demo-ce2 neigh del 10.2.0.77 dev eth0
foreign demo-ce2 'length == 0' || fail "removed foreign objects still listed"
same_plan
wait_for 100 memory 2 || fail "memory not filled again"

say "a learned neighbour costs no read"
ping_ok demo-ce2 10.2.0.1
q demo-ce2 '.[] | select(.dst == "10.2.0.1") | .state[0]' neigh show |
    grep -qv PERMANENT || fail "no learned neighbour"
memory 2 || fail "a learned neighbour made vrfd read the kernel"
same_plan

say "a sysctl changed without an event"
ip netns exec demo-pe1 sysctl -qw net.ipv4.conf.all.accept_redirects=1
vctl -j plan "$T/demo.yaml" | jq -e '.changes == 1 and
    .plan[0].namespace == "demo-pe1"' > /dev/null ||
	fail "vrfd's plan misses the sysctl"
same_plan
vctl apply "$T/demo.yaml" > /dev/null || fail "apply"
expect_eq "$(ip netns exec demo-pe1 sysctl -n \
    net.ipv4.conf.all.accept_redirects)" 0 "accept_redirects"

say "a namespace made again is read again"
ip netns del demo-ce2
repaired "namespace deleted" route_ok demo-ce2 default
wait_for 100 converged demo || fail "not converged"
same_plan
wait_for 100 memory 2 || fail "memory not filled again"

say "events lost: everything is read again"
# vrfd stopped, a flood of events overruns its event socket (16 MB);
# the change made after it reaches no one.
for op in add del; do
	for ((i = 0; i < 20000; i++)); do
		echo "route $op 10.200.$((i / 250)).$((i % 250))/32" \
		    "via 10.2.0.1 proto 42"
	done
done > "$T/flood"
kill -STOP "$VRFD_PID"
ip -n demo-ce2 -batch "$T/flood"
ip -n demo-ce1 route add 10.97.0.0/24 via 10.1.0.1 proto 42
kill -CONT "$VRFD_PID"
wait_for 100 grep -q "event socket overrun" "$T/vrfd.log" ||
	fail "no overrun"
foreign demo-ce1 'map(.what) | any(test("10.97.0.0/24"))' ||
	fail "a change whose event was lost is not seen"
same_plan
stop_vrfd
echo ok
