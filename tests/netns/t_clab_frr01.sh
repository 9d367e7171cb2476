#!/usr/bin/env bash
# t_clab_frr01: containerlab's frr01 lab, with no container engine. The
# shipped topology/clab/frr01.clab.yml (containerlab's current format) is
# applied through vrfd, frr01-old.clab.yml (its older format, the same
# lab) by vrfctl alone; each time FRR runs in the three routers with the
# configurations the file names, `verify --wait 90` proves that PC1
# reaches PC2 and PC3, and destroy leaves no FRR process behind. The BIRD
# lab beside it comes up too, and an error in a router's configuration is
# told against the .clab.yml, with nothing made.
. "$(dirname "$0")/lib_daemon.sh"
[ -x /usr/lib/frr/zebra ] || fail "FRR is not installed (apt-get install frr)"
command -v bird >/dev/null || fail "BIRD is not installed (apt-get install bird2)"
export VRFD_STATE_DIR=$STATE
C=$TOPO/clab

# The pid of SERVICE in NS, as its pid file says.
svc_pid() { cut -d' ' -f1 "/run/vrfd/svc/$1/$2.pid" 2>/dev/null; }
all_pids() {
	local f
	for f in /run/vrfd/svc/*/*.pid; do
		[ -e "$f" ] && cut -d' ' -f1 "$f"
	done
	true
}
trap 'kill_services "*/*.pid"; daemon_cleanup' EXIT

# check_frr01 FILE HOW: the lab FILE made is up, runs FRR with its
# configurations, converges, and PC1 reaches the two other PCs.
check_frr01() {
	local file=$1 how=$2 r d p
	for r in router1 router2 router3; do
		for d in zebra staticd ospfd; do
			p=$(svc_pid "frr01-$r" "$d")
			[ -n "$p" ] && kill -0 "$p" ||
				fail "$how: $r: $d not running"
		done
	done
	# The configuration the .clab.yml names, not a default one.
	vtysh -N frr01-router2 -c 'show running-config' > "$T/run.txt" 2>&1
	grep -q "ip ospf dead-interval 4" "$T/run.txt" ||
		fail "$how: router2's configuration: $(cat "$T/run.txt")"
	[ ! -e /run/vrfd/svc/frr01-pc1 ] ||
		fail "$how: pc1 runs something: $(ls /run/vrfd/svc/frr01-pc1)"
	vctl verify --wait 90 "$file" > "$T/v.txt" 2>"$T/v.err" ||
		fail "$how: verify: $(cat "$T/v.txt" "$T/v.err")"
	grep -q "^lab frr01: 4 of 4 expectations hold" "$T/v.txt" ||
		fail "$how: $(cat "$T/v.txt")"
	grep -qx "ok   pc1 -> 192.168.12.2" "$T/v.txt" || fail "$how: PC2"
	grep -qx "ok   pc1 -> 192.168.13.2" "$T/v.txt" || fail "$how: PC3"
	vctl trace -j -l frr01 pc1 192.168.13.2 > "$T/tr.json"
	expect_eq "$(jq -r '.hops[1].route.protocol' "$T/tr.json")" ospf \
	    "$how: router1's route to PC3's LAN"
	# What exec said is state of vrfd's: converged, PC1's address its own.
	vctl status frr01 > "$T/st.txt"
	[ "$(grep -c ' converged ' "$T/st.txt")" -eq 6 ] ||
		fail "$how: status: $(cat "$T/st.txt")"
	expect_eq "$(q frr01-pc1 '.[] | select(.ifname == "eth1") |
	    .addr_info[] | select(.family == "inet") | .local' addr)" \
	    192.168.11.2 "$how: pc1's address"
}

# destroy_clean ARG HOW: destroy, and no daemon or namespace is left.
destroy_clean() {
	local pids p
	pids=$(all_pids)
	[ -n "$pids" ] || fail "$2: no daemon ran"
	vctl destroy "$1" > "$T/d.txt" 2>&1 || fail "$2: destroy: $(cat "$T/d.txt")"
	for p in $pids; do
		if kill -0 "$p" 2>/dev/null && [[ "$(ps -o stat= -p "$p")" != Z* ]]; then
			fail "$2: destroy left $(ps -o comm= -p "$p") ($p)"
		fi
	done
	[ -z "$(ls /run/netns)" ] || fail "$2: namespaces left: $(ls /run/netns)"
}

say "current format, through vrfd: vrfd gets the converted text"
start_vrfd
vctl apply "$C/frr01.clab.yml" > "$T/apply.txt" 2>"$T/apply.err" ||
	fail "apply: $(cat "$T/apply.txt" "$T/apply.err")"
grep -q "^apply: lab frr01: .*; converged" "$T/apply.txt" || fail "$(cat "$T/apply.txt")"
grep -q "frr01.clab.yml:28:7: warning: topology.groups.routers.image: ignored" \
    "$T/apply.err" || fail "apply's warnings: $(cat "$T/apply.err")"
check_frr01 "$C/frr01.clab.yml" current
# The same file again: vrfd knows the text, and reads the routers'
# config files again from the file's directory, not its own.
(cd / && vctl apply "$C/frr01.clab.yml") > "$T/again.txt" 2>&1 ||
	fail "apply again: $(cat "$T/again.txt")"
grep -q "^apply: lab frr01: 0 changes, .*; converged" "$T/again.txt" ||
	fail "apply again: $(cat "$T/again.txt")"
# The topology vrfd keeps is vrfd's own: plan LAB reads it.
vctl plan frr01 > "$T/plan.txt" || fail "plan frr01: $(cat "$T/plan.txt")"
grep -q "^no changes" "$T/plan.txt" || fail "plan frr01: $(cat "$T/plan.txt")"
destroy_clean "$C/frr01.clab.yml" current
stop_vrfd

say "older format, by vrfctl alone"
vctl apply "$C/frr01-old.clab.yml" > "$T/apply.txt" 2>"$T/apply.err" ||
	fail "apply: $(cat "$T/apply.txt" "$T/apply.err")"
check_frr01 "$C/frr01-old.clab.yml" older
destroy_clean frr01 older

say "the BIRD lab"
# BIRD, as user bird, reads its configuration from the state directory:
# the test's own (under mktemp's 0700 $T) must let it through.
chmod 0755 "$T"
vctl apply "$C/bird01.clab.yml" > "$T/apply.txt" 2>&1 ||
	fail "apply: $(cat "$T/apply.txt")"
p=$(svc_pid bird01-bird1 bird)
[ -n "$p" ] && kill -0 "$p" || fail "bird1: BIRD not running"
vctl verify --wait 90 "$C/bird01.clab.yml" > "$T/v.txt" 2>/dev/null ||
	fail "verify: $(cat "$T/v.txt")"
grep -q "^lab bird01: 3 of 3 expectations hold" "$T/v.txt" || fail "$(cat "$T/v.txt")"
destroy_clean bird01 bird

say "a router's configuration in error: said against the .clab.yml"
cp -r "$C" "$T/clab"
sed -i 's/ ip ospf hello-interval 1/ ip ospf helo-interval 1/' \
    "$T/clab/router2/frr.conf"
rc=0
vctl apply "$T/clab/frr01.clab.yml" > "$T/bad.txt" 2>&1 || rc=$?
[ "$rc" -ne 0 ] || fail "a bad FRR config was applied"
grep -q "frr01.clab.yml:43:23: error: routers.router2.frr: FRR config .*Unknown command" \
    "$T/bad.txt" || fail "the error, alone: $(cat "$T/bad.txt")"
[ -z "$(ls /run/netns)" ] || fail "made with a bad config: $(ls /run/netns)"
start_vrfd
rc=0
vctl apply "$T/clab/frr01.clab.yml" > "$T/bad.txt" 2>&1 || rc=$?
[ "$rc" -ne 0 ] || fail "a bad FRR config was applied by vrfd"
grep -q "frr01.clab.yml:43:23: error: routers.router2.frr: FRR config .*Unknown command" \
    "$T/bad.txt" || fail "the error, through vrfd: $(cat "$T/bad.txt")"
[ -z "$(ls /run/netns)" ] || fail "made with a bad config: $(ls /run/netns)"
echo ok
