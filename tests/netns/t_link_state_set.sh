#!/usr/bin/env bash
# t_link_state_set: `vrfctl link set LAB NODE:IFNAME down|up`, without vrfd.
#   r1 - r2 twice: directly (eth1, metric 10) and through r3 (metric 20),
#   and a switch with r1 and h3 on it.
#   - link set r1:eth1 down: that end goes down (the peer keeps no
#     carrier), its routes with it, the traffic goes through r3;
#     status shows the override (text and -j) and the lab converged;
#     the override is kept in the state directory; plan LAB has no
#     changes, plan FILE would bring it up (apply forgets overrides);
#   - brought up by hand: status and plan LAB say so; apply of the kept
#     lab's own pass (link set again) puts it down;
#   - link set up: back as declared, no override left;
#   - a switch's port, and a VRF's end, by name;
#   - an override the file already says is none; the next apply of
#     the file forgets every override;
#   - an unknown node or interface, a lab not applied, bad words.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_trace.sh"

lab_apply ls <<'EOF'
lab: ls
defaults:
  sysctl:
    net.ipv4.ip_forward: 1
    net.ipv4.conf.all.ignore_routes_with_linkdown: 1
routers:
  h1:
    interfaces: {eth0: {addresses: [10.0.1.2/24]}}
    routes: [{to: default, via: 10.0.1.1}]
  r1:
    interfaces:
      eth0: {addresses: [10.0.1.1/24]}
      eth1: {addresses: [10.0.12.1/24]}
      eth2: {addresses: [10.0.13.1/24]}
      eth3: {addresses: [10.0.4.1/24]}
    routes:
      - {to: 10.0.2.0/24, via: 10.0.12.2, metric: 10}
      - {to: 10.0.2.0/24, via: 10.0.13.3, metric: 20}
  r2:
    interfaces:
      eth0: {addresses: [10.0.2.1/24]}
      eth1: {addresses: [10.0.12.2/24]}
      eth2: {addresses: [10.0.23.2/24]}
    routes:
      - {to: 10.0.1.0/24, via: 10.0.12.1, metric: 10}
      - {to: 10.0.1.0/24, via: 10.0.23.3, metric: 20}
  r3:
    interfaces:
      eth0: {addresses: [10.0.13.3/24]}
      eth1: {addresses: [10.0.23.3/24]}
    routes:
      - {to: 10.0.1.0/24, via: 10.0.13.1}
      - {to: 10.0.2.0/24, via: 10.0.23.2}
  h2:
    interfaces: {eth0: {addresses: [10.0.2.2/24]}}
    routes: [{to: default, via: 10.0.2.1}]
  pe:
    vrfs:
      red: {interfaces: {eth0: {addresses: [10.0.4.3/24]}}}
  h3:
    interfaces: {eth0: {addresses: [10.0.4.2/24]}}
switches:
  lan: {}
links:
  - [h1:eth0, r1:eth0]
  - [r1:eth1, r2:eth1]
  - [r1:eth2, r3:eth0]
  - [r3:eth1, r2:eth2]
  - [r2:eth0, h2:eth0]
  - [r1:eth3, lan:p1]
  - [h3:eth0, lan:p2]
  - [pe/red:eth0, lan:p3]
EOF
OVR=/var/lib/vrfd/labs/ls.overrides

up() {
	q "$1" '.[0].flags | index("UP") != null' link show dev "$2"
}
carrier() {
	q "$1" '.[0].flags | index("NO-CARRIER") == null' link show dev "$2"
}
converged() {
	"$VRFCTL" -j status ls | jq -e '.labs[0].converged' >/dev/null
}
# overrides NODE: the JSON status's overrides of NODE, compact ("null":
# none).
overrides() {
	"$VRFCTL" -j status ls | jq -c --arg n "$1" \
	    '.labs[0].namespaces[] | select(.node == $n) | .overrides'
}

say "link set down: that end, its routes, the traffic around"
"$VRFCTL" link set ls r1:eth1 down > "$T/set" || fail "link set: $(cat "$T/set")"
grep -Eq '^ls-r1 +r1 +changed, 1 change$' "$T/set" || fail "link set: $(cat "$T/set")"
grep -q '; converged$' "$T/set" || fail "link set: $(cat "$T/set")"
expect_eq "$(up ls-r1 eth1) $(up ls-r2 eth1) $(carrier ls-r2 eth1)" \
    "false true false" "r1's end down, r2's without carrier"
expect_eq "$(q ls-r1 '[.[] | .metric // 0] | join(" ")' route show 10.0.2.0/24)" \
    "20" "r1's routes to h2"
trc around -l ls h1 10.0.2.2
tr_result around delivered h2
expect_eq "$(tr_hops around)" "h1 r1 r3 r2 h2" "hops"
trc back -l ls h2 10.0.1.2
tr_result back delivered h1
expect_eq "$(tr_hops back)" "h2 r2 r3 r1 h1" "hops back"
ping_ok ls-h1 10.0.2.2
trc across -l ls h1 10.0.12.2
tr_result across no-route r1

say "status: the override, converged"
"$VRFCTL" status ls > "$T/status" || fail "status: exit $?: $(cat "$T/status")"
grep -qx 'ls-r1: interface eth1 down by vrfctl link set, until the next apply' \
    "$T/status" || fail "status: $(cat "$T/status")"
expect_eq "$(overrides r1)" '[{"interface":"eth1","state":"down"}]' "-j r1"
expect_eq "$(overrides r2)" null "-j r2"
expect_eq "$(grep -v '^#' "$OVR")" "r1 eth1 down" "the kept override"
expect_eq "$("$VRFCTL" plan ls)" "no changes" "plan LAB"
"$VRFCTL" plan "$T/ls.yaml" > "$T/plan"
grep -qx '    ip -n ls-r1 link set dev eth1 up' "$T/plan" || fail "plan FILE: $(cat "$T/plan")"

say "brought up by hand: status and plan say so, link set puts it down"
ip -n ls-r1 link set eth1 up
rc=0; "$VRFCTL" status ls > "$T/status" || rc=$?
expect_eq "$rc" 1 "status exit"
grep -qx 'ls-r1: link eth1 up, set down by vrfctl link set' "$T/status" ||
	fail "status: $(cat "$T/status")"
grep -qx '    ip -n ls-r1 link set dev eth1 down' <("$VRFCTL" plan ls) ||
	fail "plan LAB: $("$VRFCTL" plan ls)"
"$VRFCTL" link set ls r1:eth1 down >/dev/null || fail "link set again"
expect_eq "$(up ls-r1 eth1)" false "r1's eth1 down again"
converged || fail "not converged"

say "link set up: as declared, no override left"
"$VRFCTL" link set ls r1:eth1 up >/dev/null || fail "link set up"
expect_eq "$(up ls-r1 eth1) $(carrier ls-r1 eth1)" "true true" "r1's eth1 up"
expect_eq "$(q ls-r1 '[.[] | .metric // 0] | join(" ")' route show 10.0.2.0/24)" \
    "10 20" "r1's routes to h2, up"
[ -e "$OVR" ] && fail "an override file with no override: $(cat "$OVR")"
expect_eq "$(overrides r1)" null "-j r1, up"
wait_for 100 converged || fail "not converged, up"
"$VRFCTL" link set ls r1:eth1 up > "$T/set" || fail "link set up again"
grep -q '^apply: lab ls: 0 changes, ' "$T/set" || fail "up again: $(cat "$T/set")"

say "a switch's port, a VRF's end"
"$VRFCTL" link set ls lan:p2 down >/dev/null || fail "link set lan:p2"
expect_eq "$(up ls-lan p2) $(carrier ls-h3 eth0)" "false false" "lan's p2"
"$VRFCTL" link set ls pe/red:eth0 down >/dev/null || fail "link set pe/red:eth0"
expect_eq "$(up ls-pe-red eth0)" false "pe/red's eth0"
expect_eq "$(overrides lan)" '[{"interface":"p2","state":"down"}]' "-j lan"
expect_eq "$(overrides pe/red)" '[{"interface":"eth0","state":"down"}]' "-j pe/red"
converged || fail "not converged with three overrides"

say "apply of the file forgets them"
"$VRFCTL" link set ls r1:eth2 down >/dev/null || fail "link set r1:eth2"
"$VRFCTL" apply "$T/ls.yaml" > "$T/apply" || fail "apply: $(cat "$T/apply")"
expect_eq "$(up ls-r1 eth2) $(up ls-lan p2) $(up ls-pe-red eth0)" \
    "true true true" "after apply"
[ -e "$OVR" ] && fail "overrides kept after apply: $(cat "$OVR")"
expect_eq "$("$VRFCTL" -j status ls | jq -c '[.labs[0].namespaces[] |
    select(.overrides)] | length')" 0 "no overrides in status"
wait_for 100 converged || fail "not converged after apply"

say "refused: unknown ends, a lab not applied, bad words"
err() {	# err WANT-RC WANT-STDERR ARGS...
	local want_rc=$1 want=$2 rc=0
	shift 2
	"$VRFCTL" link "$@" > "$T/out" 2> "$T/err" || rc=$?
	expect_eq "$rc" "$want_rc" "link $*: exit"
	expect_eq "$(cat "$T/err" | head -1)" "$want" "link $*: stderr"
	[ -s "$T/out" ] && fail "link $*: stdout: $(cat "$T/out")"
	return 0
}
err 1 "vrfctl: link: r1 has no link on 'eth9'" set ls r1:eth9 down
err 1 "vrfctl: link: r1 has no link on 'lo'" set ls r1:lo down
err 1 "vrfctl: link: no node 'r9' in lab ls" set ls r9:eth1 down
err 1 "vrfctl: link: router 'pe' has vrfs; name one, such as 'pe/red'" \
    set ls pe:eth0 down
err 1 "vrfctl: link: lab nolab is not kept on this host (apply its file first)" \
    set nolab r1:eth1 down
err 2 "vrfctl: link: 'sideways' is neither up nor down" set ls r1:eth1 sideways
err 2 "vrfctl: link: 'r1' is not NODE:IFNAME, such as r1:eth0 or pe1/red:eth1" \
    set ls r1 down
err 2 "vrfctl: link: unknown subcommand 'show'; the one there is: set" show ls
err 2 "vrfctl: link: set needs LAB, NODE:IFNAME and up or down" set ls r1:eth1
expect_eq "$(up ls-r1 eth1)" true "nothing changed"
echo ok
