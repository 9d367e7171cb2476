#!/usr/bin/env bash
# t_verify_wait: verify --wait, the gate for a lab whose routing daemons
# must converge first. h1's way to h2's network is not in the file: a
# "daemon" adds it (ip route add ... proto ospf) about 2 s after verify
# starts. verify --wait 10 keeps trying, passes once it is there, after
# more than one round (said in the text, and in -j's .rounds), and does
# not wait the whole 10 s. Without the route ever coming, verify --wait 1
# fails after about a second, having tried more than once; without
# --wait it fails at once, after one round.
#
#   h1 -- r1 -- h2
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_trace.sh"

bg=
trap '[ -z "$bg" ] || kill "$bg" 2>/dev/null; rm -rf "$T"' EXIT

lab_apply wt <<'EOF'
lab: wt
defaults: {sysctl: {net.ipv4.ip_forward: 1}}
routers:
  h1:
    interfaces: {eth0: {addresses: [10.0.1.2/24]}}
  r1:
    interfaces:
      eth0: {addresses: [10.0.1.1/24]}
      eth1: {addresses: [10.0.2.1/24]}
  h2:
    interfaces: {eth0: {addresses: [10.0.2.2/24]}}
    routes: [{to: default, via: 10.0.2.1}]
links:
  - [h1:eth0, r1:eth0]
  - [r1:eth1, h2:eth0]
expect:
  - {from: h1, to: 10.0.2.2}
  - {from: h1, to: 10.0.1.1}
EOF

now() { date +%s.%N; }
# within LOW HIGH SECONDS WHAT
within() {
	if [ "$(echo "$3 >= $1 && $3 <= $2" | bc)" != 1 ]; then
		fail "$4: took $3 s, want $1 to $2"
	fi
}
# daemon_later: h1's route appears in about 2 s, from the background.
daemon_later() {
	ip -n wt-h1 route del 10.0.2.0/24 2>/dev/null || true
	(sleep 2; ip -n wt-h1 route add 10.0.2.0/24 via 10.0.1.1 proto ospf) &
	bg=$!
}
daemon_done() {
	wait "$bg" || fail "the background route add failed"
	bg=
}

say "not converged, no --wait: fails at once, one round"
t0=$(now)
vf once "$T/wt.yaml"
expect_eq "$VF_RC" 1 "exit status"
grep -qx "FAIL h1 -> 10.0.2.2" "$T/once.txt" || fail "$(cat "$T/once.txt")"
expect_eq "$(tail -n 1 "$T/once.txt")" "lab wt: 1 of 2 expectations hold" \
    "the last line (no rounds said)"
expect_eq "$(jq -r .rounds "$T/once.json")" 1 "-j rounds"
within 0 1.5 "$(echo "$(now) - $t0" | bc)" "two runs of verify"

say "--wait 10, the route added 2 s later: passes, after several rounds"
daemon_later
t0=$(now)
rc=0
"$VRFCTL" verify --wait 10 "$T/wt.yaml" > "$T/w.txt" 2>&1 || rc=$?
dt=$(echo "$(now) - $t0" | bc)
daemon_done
expect_eq "$rc" 0 "exit status ($(cat "$T/w.txt"))"
last=$(tail -n 1 "$T/w.txt")
[[ $last =~ ^"lab wt: 2 of 2 expectations hold (after "([0-9]+)" rounds)"$ ]] ||
	fail "the last line: '$last'"
[ "${BASH_REMATCH[1]}" -gt 1 ] || fail "rounds: ${BASH_REMATCH[1]}"
expect_eq "$(grep -c '^ok   ' "$T/w.txt")" 2 "ok lines"
within 1.9 6 "$dt" "verify --wait 10"

say "the same with -j: .rounds"
daemon_later
rc=0
"$VRFCTL" verify -j --wait 10 "$T/wt.yaml" > "$T/wj.json" || rc=$?
daemon_done
expect_eq "$rc" 0 "-j: exit status"
expect_eq "$(jq -r '"\(.held) \(.failed) \(.rounds > 1)"' "$T/wj.json")" \
    "2 0 true" "-j: held, failed, more than one round"
expect_eq "$(jq -r '.results[0] | [.holds, .trace.hops[0].route.protocol] |
    join(" ")' "$T/wj.json")" "true ospf" "-j: the daemon's route followed"

say "--wait 1, never converging: fails after about a second"
ip -n wt-h1 route del 10.0.2.0/24
t0=$(now)
rc=0
"$VRFCTL" verify --wait 1 "$T/wt.yaml" > "$T/n.txt" 2>&1 || rc=$?
dt=$(echo "$(now) - $t0" | bc)
expect_eq "$rc" 1 "exit status"
within 0.9 2.5 "$dt" "verify --wait 1"
grep -qx "FAIL h1 -> 10.0.2.2" "$T/n.txt" || fail "$(cat "$T/n.txt")"
grep -qx "     no-route at h1 (hop 1): h1 has no route to 10.0.2.2" \
    "$T/n.txt" || fail "the reason: $(cat "$T/n.txt")"
last=$(tail -n 1 "$T/n.txt")
[[ $last =~ ^"lab wt: 1 of 2 expectations hold (after "([0-9]+)" rounds)"$ ]] ||
	fail "the last line: '$last'"

say "--wait: a bad value is a usage error"
rc=0
"$VRFCTL" verify --wait soon "$T/wt.yaml" > "$T/u.txt" 2>&1 || rc=$?
expect_eq "$rc" 2 "--wait soon: exit status"
grep -q "wait: expected seconds" "$T/u.txt" || fail "$(cat "$T/u.txt")"
say "ok"
