#!/usr/bin/env bash
# t_link_state: `state: down` in the file, without vrfd.
#   h1 - r1 = r2 - h2, r1 and r2 joined twice: directly (eth1, the
#   primary way, metric 10) and through r3 (metric 20). The direct link
#   is declared down, on the link (both ends); h3's end of its link to
#   r2 is declared down on the interface (that end only).
#   - apply makes both ends of the link admin-down, and only h3's end of
#     the other; the IPv6 addresses of a down end are there; the routes
#     through a down end are held down (none in the kernel, none
#     missing), the traffic goes through r3 (trace, ping);
#   - plan of a new lab makes the down ends without `up`; status is
#     converged; plan and apply again change nothing;
#   - a down end brought up by hand: status names it, plan LAB prints
#     `ip link set dev eth1 down`, apply puts it back down, converged;
#   - a trace across the down link ends with no-route (the kernel drops
#     the routes of a link that goes down);
#   - the file saying up (by default) again: apply brings the link and
#     its routes back, the traffic takes it again.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_trace.sh"

# lab STATE: the lab, its direct r1-r2 link in STATE (up: no key).
lab() {
	local st=
	[ "$1" = down ] && st=", state: down"
	cat <<EOF
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
    # keeps its IPv6 addresses on a link going down: given back all
    # the same, they are there already
    sysctl: {net.ipv6.conf.all.keep_addr_on_down: 1}
    interfaces:
      eth0: {addresses: [10.0.1.1/24]}
      eth1: {addresses: [10.0.12.1/24, "2001:db8:12::1/64"]}
      eth2: {addresses: [10.0.13.1/24]}
    routes:
      - {to: 10.0.2.0/24, via: 10.0.12.2, metric: 10}
      - {to: 10.0.2.0/24, via: 10.0.13.3, metric: 20}
      - {to: "2001:db8:9::/48", via: "2001:db8:12::2"}
    neighbours:
      - {ip: 10.0.12.9, lladdr: "02:00:00:00:00:09", dev: eth1}
  r2:
    interfaces:
      eth0: {addresses: [10.0.2.1/24]}
      eth1: {addresses: [10.0.12.2/24, "2001:db8:12::2/64"]}
      eth2: {addresses: [10.0.23.2/24]}
      eth3: {addresses: [10.0.3.1/24]}
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
  h3:
    interfaces: {eth0: {addresses: [10.0.3.2/24], state: down}}
links:
  - [h1:eth0, r1:eth0]
  - {endpoints: [r1:eth1, r2:eth1]$st}
  - [r1:eth2, r3:eth0]
  - [r3:eth1, r2:eth2]
  - [r2:eth0, h2:eth0]
  - [r2:eth3, h3:eth0]
EOF
}

# up NS IF: "true" when IF of NS is administratively up.
up() {
	q "$1" '.[0].flags | index("UP") != null' link show dev "$2"
}
# carrier NS IF: "true" when IF of NS has a carrier.
carrier() {
	q "$1" '.[0].flags | index("NO-CARRIER") == null' link show dev "$2"
}
converged() {
	"$VRFCTL" -j status ls | jq -e '.labs[0].converged' >/dev/null
}

lab down > "$T/ls.yaml"
"$VRFCTL" validate "$T/ls.yaml" >/dev/null || fail "validate"

say "plan of a new lab: the down ends are made without up"
"$VRFCTL" plan "$T/ls.yaml" > "$T/plan"
grep -q '^    ip link add eth1 netns ls-r1 .* group [0-9]* type veth peer name eth1 netns ls-r2 ' "$T/plan" ||
	fail "r1's eth1 is made up: $(grep 'link add eth1 netns ls-r1' "$T/plan")"
grep -q '^    ip link add eth0 netns ls-h1 .* group [0-9]* up type veth ' "$T/plan" ||
	fail "h1's eth0 is not made up"
# r2's end of the down link gets its mark, and no up
grep -q '^    ip -n ls-r2 link set dev eth1 alias "vrfd lab=ls" group 0$' "$T/plan" ||
	fail "r2's eth1: $(grep 'ls-r2 link set dev eth1' "$T/plan")"
# h3's end is made down (the peer end, on r2, is the primary one)
grep -q '^    ip -n ls-h3 link set dev eth0 alias "vrfd lab=ls" group 0$' "$T/plan" ||
	fail "h3's eth0: $(grep 'ls-h3 link set dev eth0' "$T/plan")"
grep -q 'route add 10.0.2.0/24 .* metric 10' "$T/plan" &&
	fail "the plan adds a route through the down link"

say "apply: the link down at both ends, h3's end only"
"$VRFCTL" apply "$T/ls.yaml" > "$T/apply" || { cat "$T/apply"; fail "apply"; }
lab_settle ls
expect_eq "$(up ls-r1 eth1) $(up ls-r2 eth1)" "false false" "the link's ends"
expect_eq "$(up ls-h3 eth0) $(up ls-r2 eth3) $(carrier ls-r2 eth3)" \
    "false true false" "h3's end down, r2's up without carrier"
expect_eq "$(up ls-r1 eth2) $(carrier ls-r1 eth2)" "true true" "r1's eth2"
# a down end keeps its addresses, IPv6 too, and its neighbours
expect_eq "$(q ls-r1 '[.[0].addr_info[] | select(.scope == "global") |
    .local] | join(" ")' addr show dev eth1)" "10.0.12.1 2001:db8:12::1" \
    "r1's eth1 addresses"
expect_eq "$(q ls-r1 '.[0].lladdr' neigh show 10.0.12.9 dev eth1)" \
    "02:00:00:00:00:09" "r1's neighbour on eth1"
# the routes through it are held down; the others carry the traffic
expect_eq "$(q ls-r1 '[.[] | .metric // 0] | join(" ")' route show 10.0.2.0/24)" \
    "20" "r1's routes to h2"
expect_eq "$(ip -n ls-r1 -6 route show 2001:db8:9::/48)" "" "r1's IPv6 route"
converged || fail "not converged after apply"
expect_eq "$("$VRFCTL" plan "$T/ls.yaml")" "no changes" "plan after apply"
"$VRFCTL" apply "$T/ls.yaml" > "$T/apply2" || fail "apply again"
grep -q '^apply: lab ls: 0 changes,' "$T/apply2" || fail "apply again: $(cat "$T/apply2")"

say "the traffic goes around the down link"
trc around -l ls h1 10.0.2.2
tr_result around delivered h2
expect_eq "$(tr_hops around)" "h1 r1 r3 r2 h2" "hops"
trc back -l ls h2 10.0.1.2
tr_result back delivered h1
expect_eq "$(tr_hops back)" "h2 r2 r3 r1 h1" "hops back"
ping_ok ls-h1 10.0.2.2

say "across the down link: no route"
trc across -l ls h1 10.0.12.2
tr_result across no-route r1 "r1 has no route to 10.0.12.2"
trc h3 -l ls h2 10.0.3.2
tr_result h3 no-route r2
ping_fails ls-h1 10.0.12.2

say "brought up by hand: a difference, plan and apply put it down again"
ip -n ls-r1 link set eth1 up
ip -n ls-r2 link set eth1 up
rc=0; "$VRFCTL" status ls > "$T/status" || rc=$?
expect_eq "$rc" 1 "status exit with the link up"
grep -Eq '^ls +ls-r1 +r1 +1 difference ' "$T/status" || fail "status: $(cat "$T/status")"
grep -qx 'ls-r1: link eth1 up, declared down' "$T/status" ||
	fail "status: $(cat "$T/status")"
grep -qx 'ls-r2: link eth1 up, declared down' "$T/status" ||
	fail "status: $(cat "$T/status")"
"$VRFCTL" plan ls > "$T/plan2"
grep -qx '    ip -n ls-r1 link set dev eth1 down' "$T/plan2" ||
	fail "plan: $(cat "$T/plan2")"
"$VRFCTL" apply "$T/ls.yaml" > "$T/apply3" || fail "apply: $(cat "$T/apply3")"
expect_eq "$(up ls-r1 eth1) $(up ls-r2 eth1)" "false false" "after apply"
# r1 kept its IPv6 address (keep_addr_on_down); r2's is given back
expect_eq "$(q ls-r1 '[.[0].addr_info[] | select(.scope == "global") |
    .local] | join(" ")' addr show dev eth1)" "10.0.12.1 2001:db8:12::1" \
    "r1's eth1 addresses, after"
expect_eq "$(q ls-r2 '[.[0].addr_info[] | select(.scope == "global") |
    .local] | join(" ")' addr show dev eth1)" "10.0.12.2 2001:db8:12::2" \
    "r2's eth1 addresses, after"
converged || fail "not converged after the second apply"

say "the file says up again: the link and its routes come back"
lab up > "$T/ls.yaml"
"$VRFCTL" plan "$T/ls.yaml" > "$T/plan3"
grep -qx '    ip -n ls-r1 link set dev eth1 up' "$T/plan3" || fail "plan: $(cat "$T/plan3")"
grep -qx '    ip -n ls-r2 link set dev eth1 up' "$T/plan3" || fail "plan: $(cat "$T/plan3")"
"$VRFCTL" apply "$T/ls.yaml" >/dev/null || fail "apply up"
expect_eq "$(up ls-r1 eth1) $(up ls-r2 eth1)" "true true" "the link's ends, up"
expect_eq "$(q ls-r1 '[.[] | .metric // 0] | join(" ")' route show 10.0.2.0/24)" \
    "10 20" "r1's routes to h2, up"
wait_for 100 converged || fail "not converged with the link up"
trc direct -l ls h1 10.0.2.2
tr_result direct delivered h2
expect_eq "$(tr_hops direct)" "h1 r1 r2 h2" "hops, up"
echo ok
