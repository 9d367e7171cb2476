#!/usr/bin/env bash
# t_bird_ospf: the BIRD lab (topology/routing/bird-ospf.yaml) without a
# daemon: BIRD runs in each router as user bird, learns the other side by
# OSPF and puts it in the kernel ("proto bird", which trace names), its
# control socket answers, verify --wait proves the lab; destroy stops it.
. "$(dirname "$0")/lib.sh"
[ -x /usr/sbin/bird ] || fail "BIRD is not installed (apt-get install bird2)"
# Under set -e a kill that fails must not end the trap before the rest.
trap 'rc=$?; for f in /run/vrfd/svc/birds-*/*.pid; do [ ! -e "$f" ] ||
    kill -KILL "$(cut -d" " -f1 "$f")" 2>/dev/null || true; done
    rm -rf "$T"; exit $rc' EXIT

"$VRFCTL" apply "$TOPO/routing/bird-ospf.yaml" > "$T/a.txt" ||
	fail "apply: $(cat "$T/a.txt")"
for r in r1 r2; do
	p=$(cut -d' ' -f1 "/run/vrfd/svc/birds-$r/bird.pid")
	kill -0 "$p" || fail "$r: bird not running"
	expect_runs_as "$p" bird "$r: bird runs as"
	expect_eq "$(stat -L -c %i /proc/$p/ns/net)" \
	    "$(stat -L -c %i /run/netns/birds-$r)" "$r: bird's namespace"
done
"$VRFCTL" verify --wait 60 "$TOPO/routing/bird-ospf.yaml" > "$T/v.txt" ||
	fail "verify: $(cat "$T/v.txt")"
expect_eq "$(tail -1 "$T/v.txt" | cut -d'(' -f1)" \
    "lab birds: 3 of 3 expectations hold " "verify"
expect_eq "$(ip -n birds-r1 -j route show 192.168.2.0/24 | jq -r '.[0].protocol')" \
    bird "r1's route to h2's LAN"
"$VRFCTL" trace -l birds h1 192.168.2.10 -j > "$T/t.json"
expect_eq "$(jq -r '.hops[1].route.protocol' "$T/t.json")" bird "trace: r1's hop"
birdc -s /run/vrfd/svc/birds-r1/bird.ctl show ospf neighbors > "$T/n.txt"
grep -q "Full" "$T/n.txt" || fail "birdc: $(cat "$T/n.txt")"
p=$(cut -d' ' -f1 /run/vrfd/svc/birds-r1/bird.pid)
"$VRFCTL" destroy birds > /dev/null
! kill -0 "$p" 2>/dev/null || [[ "$(ps -o stat= -p "$p")" == Z* ]] ||
	fail "destroy left bird running"
echo ok
