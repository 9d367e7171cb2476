#!/usr/bin/env bash
# t_frr_ospf: a lab of three FRR routers running OSPF (topology/routing/frr-ospf.yaml)
# comes up under vrfd with its daemons supervised: it converges and is
# verified; vtysh reaches the daemons both ways; ospfd killed is started
# again; a router's namespace deleted by hand comes back with its daemons
# inside the new one; destroy leaves no daemon behind; a configuration
# error is reported against the file before anything is made.
. "$(dirname "$0")/lib_daemon.sh"
[ -x /usr/lib/frr/zebra ] || fail "FRR is not installed (apt-get install frr)"
export VRFD_STATE_DIR=$STATE

# The pid of SERVICE in NS, as its pid file says.
svc_pid() { cut -d' ' -f1 "/run/vrfd/svc/$1/$2.pid" 2>/dev/null; }
# The network namespace of a process, and of a named namespace.
proc_netns() { stat -L -c %i "/proc/$1/ns/net"; }
named_netns() { stat -L -c %i "/run/netns/$1"; }
all_pids() {
	local f
	for f in /run/vrfd/svc/frr-*/*.pid; do
		[ -e "$f" ] && cut -d' ' -f1 "$f"
	done
	true
}
BEFORE=()
trap 'kill_services "frr-*/*.pid"
    for p in "${BEFORE[@]}"; do kill -KILL "$p" 2>/dev/null || true; done
    daemon_cleanup' EXIT

start_vrfd
say "apply: the namespaces, then FRR in each router"
vctl apply "$TOPO/routing/frr-ospf.yaml" > "$T/apply.txt" ||
	fail "apply: $(cat "$T/apply.txt")"
for r in r1 r2 r3; do
	for d in zebra staticd ospfd; do
		p=$(svc_pid "frr-$r" "$d")
		[ -n "$p" ] && kill -0 "$p" || fail "$r: $d not running"
		expect_runs_as "$p" frr "$r: $d runs as"
		expect_eq "$(proc_netns "$p")" "$(named_netns "frr-$r")" \
		    "$r: $d's namespace"
	done
done
[ ! -e /run/vrfd/svc/frr-h1 ] || fail "h1 runs something: $(ls /run/vrfd/svc/frr-h1)"

say "verify --wait: OSPF converges, the hosts reach each other"
vctl verify --wait 60 "$TOPO/routing/frr-ospf.yaml" > "$T/v.txt" ||
	fail "verify: $(cat "$T/v.txt")"
grep -q "^lab frr: 5 of 5 expectations hold" "$T/v.txt" || fail "$(cat "$T/v.txt")"
vctl trace -l frr h1 192.168.3.10 -j > "$T/tr.json"
expect_eq "$(jq -r '.hops[1].route.protocol' "$T/tr.json")" ospf \
    "r1's route to h3's LAN"

say "vtysh, on the host with -N and inside the node"
vtysh -N frr-r1 -c 'show ip ospf neighbor' > "$T/n1.txt" 2>&1
grep -c "Full" "$T/n1.txt" | grep -qx 2 || fail "vtysh -N: $(cat "$T/n1.txt")"
vctl exec -l frr r2 -- vtysh -c 'show ip ospf neighbor' > "$T/n2.txt" 2>&1
grep -c "Full" "$T/n2.txt" | grep -qx 2 || fail "exec vtysh: $(cat "$T/n2.txt")"

say "status lists each node's services and pids"
vctl -j status frr > "$T/st.json"
expect_eq "$(jq -r '.labs[0].namespaces[] | select(.node == "r1") |
    [.services[] | "\(.name)=\(.running)"] | join(",")' "$T/st.json")" \
    "zebra=true,staticd=true,ospfd=true" "r1's services"
expect_eq "$(jq -r '.labs[0].namespaces[] | select(.node == "r1") |
    .services[] | select(.name == "ospfd") | .pid' "$T/st.json")" \
    "$(svc_pid frr-r1 ospfd)" "r1's ospfd pid"

say "ospfd killed: vrfd starts it again, and says so"
"$VRFCTL" -s "$SOCK" events > "$T/ev.txt" 2>&1 &
BG_PIDS+=($!)
sleep 0.3
old=$(svc_pid frr-r1 ospfd)
kill -KILL "$old"
wait_for 200 bash -c "p=\$(cut -d' ' -f1 /run/vrfd/svc/frr-r1/ospfd.pid); \
    [ \"\$p\" != $old ] && kill -0 \$p" || fail "ospfd not restarted"
wait_for 100 grep -q "frr-r1 (r1) service: ospfd killed by signal 9" \
    "$T/ev.txt" || fail "no event: $(cat "$T/ev.txt")"
vctl verify --wait 60 "$TOPO/routing/frr-ospf.yaml" > "$T/v2.txt" ||
	fail "verify after the restart: $(cat "$T/v2.txt")"

say "r2's namespace deleted: made again, FRR restarted inside the new one"
oldz=$(svc_pid frr-r2 zebra)
BEFORE=("$oldz" "$(svc_pid frr-r2 staticd)" "$(svc_pid frr-r2 ospfd)")
ip netns delete frr-r2
wait_for 400 bash -c "[ -e /run/netns/frr-r2 ] && \
    p=\$(cut -d' ' -f1 /run/vrfd/svc/frr-r2/ospfd.pid) && \
    [ \"\$(stat -L -c %i /proc/\$p/ns/net)\" = \
    \"\$(stat -L -c %i /run/netns/frr-r2)\" ]" ||
	fail "r2's ospfd is not in r2's new namespace"
for d in zebra staticd ospfd; do
	p=$(svc_pid frr-r2 "$d")
	expect_eq "$(proc_netns "$p")" "$(named_netns frr-r2)" "r2: $d's namespace"
done
for p in "${BEFORE[@]}"; do
	! kill -0 "$p" 2>/dev/null || [[ "$(ps -o stat= -p "$p")" == Z* ]] ||
		fail "r2's old daemon $p still runs"
done
vctl verify --wait 60 "$TOPO/routing/frr-ospf.yaml" > "$T/v3.txt" ||
	fail "verify after r2 came back: $(cat "$T/v3.txt")"

say "destroy: every daemon gone, the lab's namespaces too"
pids=$(all_pids)
vctl destroy frr > "$T/d.txt" || fail "destroy: $(cat "$T/d.txt")"
for p in $pids; do
	if kill -0 "$p" 2>/dev/null && [[ "$(ps -o stat= -p "$p")" != Z* ]]; then
		fail "destroy left $(ps -o comm= -p "$p") ($p)"
	fi
done
[ -z "$(ls /run/netns)" ] || fail "namespaces left: $(ls /run/netns)"

say "a configuration error: said against the file, nothing made"
sed 's/ ip ospf hello-interval 1/ ip ospf helo-interval 1/' \
    "$TOPO/routing/frr-ospf.yaml" > "$T/bad.yaml"
rc=0
vctl apply "$T/bad.yaml" > "$T/bad.txt" 2>&1 || rc=$?
[ "$rc" -ne 0 ] || fail "a bad FRR config was applied"
grep -q "bad.yaml:30:7: error: routers.r1.frr: FRR config: .*Unknown command" \
    "$T/bad.txt" || fail "the error: $(cat "$T/bad.txt")"
[ -z "$(ls /run/netns)" ] || fail "made with a bad config: $(ls /run/netns)"
echo ok
