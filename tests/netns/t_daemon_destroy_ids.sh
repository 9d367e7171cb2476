#!/usr/bin/env bash
# t_daemon_destroy_ids: vrfd's destroy reaches the namespaces it watched
# by the ids it gave them, and still only what is the lab's: a namespace
# held open from outside loses its links; a namespace of someone else's
# under one of the lab's names, watched (in the lab's way) under an id of
# its own, is found without the mark and left alone.
. "$(dirname "$0")/lib_daemon.sh"

start_vrfd
apply_lab t
ids=$(ip netns list-id | grep -c nsid) || true
[ "$ids" -ge 3 ] || fail "vrfd gave the lab's namespaces no ids ($ids)"

say "destroy with one namespace held open from outside"
sleep 1000 7</run/netns/t-ce2 &
p_hold=$!
BG_PIDS+=("$p_hold")
vctl destroy t >"$T/out" || fail "destroy: $(cat "$T/out")"
cat "$T/out"
grep -qx "destroy: lab t: 3 namespaces removed" "$T/out" || fail "destroy's line"
grep -qx "  t-ce2: still held by something after its processes ended: its links were deleted" \
    "$T/out" || fail "ce2 held"
expect_eq "$(nsenter --net="/proc/$p_hold/fd/7" ip -o link show |
    awk -F': ' '{print $2}' | xargs)" lo "ce2's links after destroy"
kill "$p_hold"
expect_eq "$(ip netns list | wc -l)" 0 "namespaces after destroy"

say "someone else's namespace under a lab's name is left alone"
apply_lab t
# vrfd stops, the name is taken over; vrfd starts again and keeps the
# lab from its state, watching what is under the names now.
stop_vrfd
ip netns del t-ce1
ip netns add t-ce1
start_vrfd
rc=0; vctl destroy t >"$T/out2" || rc=$?
cat "$T/out2"
[ -e /run/netns/t-ce1 ] || fail "someone else's t-ce1 was deleted"
[ ! -e /run/netns/t-pe1 ] || fail "t-pe1 is still there"
ip netns exec t-ce1 ip -o link show lo >/dev/null || fail "t-ce1 is not whole"
ip netns del t-ce1

# Marks of a lab of 32 namespaces or more are read by two threads, each
# with its own socket reaching the namespaces by id: the same rule holds
# for what either reads.
say "the same in a lab read by two threads"
"$ROOT/bench/gen-lab" chain 40 > "$T/chain.yaml"
vctl apply "$T/chain.yaml" >/dev/null || fail "apply of the chain of 40"
stop_vrfd
for n in chain-r3 chain-r37; do
	ip netns del "$n"
	ip netns add "$n"
done
start_vrfd
vctl destroy chain >"$T/out3" || true
for n in chain-r3 chain-r37; do
	[ -e "/run/netns/$n" ] || fail "someone else's $n was deleted"
	ip netns exec "$n" ip -o link show lo >/dev/null || fail "$n is not whole"
	ip netns del "$n"
done
expect_eq "$(ip netns list | wc -l)" 0 "namespaces after the chain's destroy"
cat "$T/out3"
grep -q "^destroy: lab chain: 38 namespaces removed" "$T/out3" || fail "chain destroy: $(cat "$T/out3")"
stop_vrfd
echo ok
