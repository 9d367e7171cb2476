#!/usr/bin/env bash
# t_destroy_ghost: destroy leaves no ghost. The processes in a lab's
# namespaces are ended (SIGTERM; SIGKILL after the grace period for one
# that ignores it) and named; a namespace that a process outside only
# holds open loses its links (nothing of the lab forwards on) and the
# holder is named and left running. Applied again beside that old
# namespace, status flags it with the holder's pid. A namespace whose
# name was deleted under a running process is such a ghost too: destroy
# ends the process, and with it the ghost.
. "$(dirname "$0")/lib_daemon.sh"

lab_yaml t >"$T/t.yaml"
"$VRFCTL" apply "$T/t.yaml" >/dev/null || fail "apply"

# A routing daemon stand-in in pe1; one in ce1 that ignores SIGTERM (it
# says when it does); a process of the host holding ce2's handle open.
ip netns exec t-pe1 sleep 1000 &
p_pe1=$!
ip netns exec t-ce1 python3 -c 'import signal, time
signal.signal(signal.SIGTERM, signal.SIG_IGN)
print("ready", flush=True)
time.sleep(1000)' >"$T/stubborn" &
p_ce1=$!
sleep 1000 7</run/netns/t-ce2 &
p_hold=$!
BG_PIDS+=("$p_pe1" "$p_ce1" "$p_hold")
wait_for 100 grep -q ready "$T/stubborn" || fail "python3 did not start"
# ce2's link, seen through the holder's handle
in_old_ce2() { nsenter --net="/proc/$p_hold/fd/7" "$@"; }
expect_eq "$(in_old_ce2 ip -o link show | wc -l)" 2 "ce2's links before"

say "destroy ends and names the processes"
start=$(date +%s.%N)
"$VRFCTL" destroy t >"$T/out" || fail "destroy: $(cat "$T/out")"
took=$(echo "$(date +%s.%N) - $start" | bc)
cat "$T/out"
grep -qx "destroy: lab t: 3 namespaces removed" "$T/out" || fail "destroy's line"
grep -qx "  t-pe1: ended pid $p_pe1 (sleep)" "$T/out" || fail "pe1's process"
grep -qx "  t-ce1: ended pid $p_ce1 (python3) with SIGKILL" "$T/out" ||
	fail "ce1's process"
grep -qx "  t-ce2: pid $p_hold (sleep) holds it open; left alone" "$T/out" ||
	fail "ce2's holder"
grep -qx "  t-ce2: still held by something after its processes ended: its links were deleted" \
    "$T/out" || fail "ce2 held"
# the grace period (2 s) was kept, and not much more
[ "$(echo "$took >= 1.9 && $took < 6" | bc)" = 1 ] || fail "destroy took $took s"
! kill -0 "$p_pe1" 2>/dev/null || fail "pe1's process lives"
! kill -0 "$p_ce1" 2>/dev/null || fail "ce1's process lives"
kill -0 "$p_hold" || fail "the holder was ended, and is not the lab's"
expect_eq "$(in_old_ce2 ip -o link show | awk -F': ' '{print $2}' | xargs)" lo \
    "ce2's links after destroy"
expect_eq "$(ip netns list | wc -l)" 0 "namespaces after destroy"

say "applied again: status flags the old ce2, held by $p_hold"
"$VRFCTL" apply "$T/t.yaml" >/dev/null || fail "apply again"
rc=0; "$VRFCTL" status t >"$T/status" || rc=$?
expect_eq "$rc" 1 "status's exit status beside a ghost"
grep -qx "t-ce2: an older namespace of ce2, no longer under /run/netns, is held by pid $p_hold (destroy ends the processes inside it)" \
    "$T/status" || fail "status: $(cat "$T/status")"
expect_eq "$("$VRFCTL" -j status t | jq -c '[.labs[0].namespaces[] |
    select(.ghost_pids) | [.namespace, .ghost_pids]]')" \
    "[[\"t-ce2\",[$p_hold]]]" "status -j"

say "a name deleted under a running process: a ghost destroy ends"
ip netns exec t-pe1 sh -c "echo ready >$T/ghost; exec sleep 1000" &
p_ghost=$!
BG_PIDS+=("$p_ghost")
wait_for 100 grep -q ready "$T/ghost" || fail "the process did not start"
ip netns delete t-pe1
# (status exits 1 beside a ghost: its output is read apart)
"$VRFCTL" -j status t >"$T/status" || true
jq -e --argjson p "$p_ghost" '.labs[0].namespaces[] |
    select(.namespace == "t-pe1") | .ghost_pids == [$p]' "$T/status" \
    >/dev/null || fail "status does not flag pe1's ghost: $(cat "$T/status")"
kill "$p_hold"
wait "$p_hold" 2>/dev/null || true
"$VRFCTL" -j destroy t >"$T/out" || fail "destroy: $(cat "$T/out")"
expect_eq "$(jq -c --argjson p "$p_ghost" '[.namespaces[] |
    select(.state == "ghost") | [.namespace, (.held // false), (.processes[] |
    [.pid == $p, .ended])]]' "$T/out")" '[["t-pe1",false,[true,true]]]' \
    "destroy's ghost"
! kill -0 "$p_ghost" 2>/dev/null || fail "the ghost's process lives"

say "through vrfd: the same"
start_vrfd
apply_lab t
ip netns exec t-ce2 sh -c "echo ready >$T/d; exec sleep 1000" &
p_d=$!
BG_PIDS+=("$p_d")
wait_for 100 grep -q ready "$T/d" || fail "the process did not start"
vctl destroy t >"$T/out" || fail "destroy through vrfd: $(cat "$T/out")"
grep -qx "  t-ce2: ended pid $p_d (sleep)" "$T/out" || fail "vrfd's destroy: $(cat "$T/out")"
! kill -0 "$p_d" 2>/dev/null || fail "t-ce2's process lives"
expect_eq "$(ip netns list | wc -l)" 0 "namespaces after vrfd's destroy"
stop_vrfd
say ok
