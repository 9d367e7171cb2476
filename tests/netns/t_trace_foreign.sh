#!/usr/bin/env bash
# t_trace_foreign: the trace follows the kernel, not the file. Routes added
# by hand, as a routing daemon adds them (`ip route add ... proto ospf`),
# are followed like vrfd's own, and each hop names its route's protocol:
# "ospf" for the daemon's, "boot" for a plain `ip route add`, "vrfd" for
# vrfd's, "kernel" for connected and local routes; a number iproute2 has
# no name for is shown as the number.
#
#   h1 -- r1 -- r2 -- h2: r1's file says 10.0.2.0/24 is a blackhole; a
#   foreign /32 inside it takes h2's address round it.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_trace.sh"

lab_apply fo <<'EOF'
lab: fo
defaults: {sysctl: {net.ipv4.ip_forward: 1}}
routers:
  h1:
    interfaces: {eth0: {addresses: [10.0.1.2/24]}}
    routes: [{to: default, via: 10.0.1.1}]
  r1:
    interfaces:
      eth0: {addresses: [10.0.1.1/24]}
      eth1: {addresses: [10.0.12.1/24]}
    routes: [{to: 10.0.2.0/24, type: blackhole}]
  r2:
    interfaces:
      eth0: {addresses: [10.0.12.2/24]}
      eth1: {addresses: [10.0.2.1/24]}
  h2:
    interfaces: {eth0: {addresses: [10.0.2.2/24]}}
    routes: [{to: default, via: 10.0.2.1}]
links:
  - [h1:eth0, r1:eth0]
  - [r1:eth1, r2:eth0]
  - [r2:eth1, h2:eth0]
EOF

say "the file's route: a blackhole at r1"
trc bh -l fo h1 10.0.2.2
tr_result bh blackhole r1
expect_eq "$(tj bh '.hops[1].route | "\(.dst) \(.protocol)"')" \
    "10.0.2.0/24 vrfd" "r1's route"

say "a daemon's more specific route at r1 (proto ospf) is followed"
ip -n fo-r1 route add 10.0.2.2/32 via 10.0.12.2 proto ospf
trc os -l fo h1 10.0.2.2
tr_result os delivered h2
expect_eq "$(tr_hops os)" "h1 r1 r2 h2" "hops"
expect_eq "$(tr_protos os)" "vrfd ospf kernel kernel" "route protocols"
expect_eq "$(tj os '.hops[1].route | "\(.dst) \(.type)"')" "10.0.2.2 unicast" \
    "r1's route"
expect_eq "$(tj os '.hops[1].nexthop | "\(.via) \(.dev)"')" "10.0.12.2 eth1" \
    "r1's nexthop"
grep -Eq '^ +2 +r1 +eth0 +10\.0\.2\.2 proto ospf +via 10\.0\.12\.2 +eth1' \
    "$T/os.txt" || fail "r1's hop in the text: $(cat "$T/os.txt")"
# h2's answer has no way back yet (r2 knows nothing of 10.0.1.0/24).
trc osb -l fo --both h1 10.0.2.2
expect_eq "$(tj osb .reply.result)" no-route "the answer's way back"
expect_eq "$(tj osb '.reply.hops[-1].node')" r2 "where the answer stops"
ping_fails fo-h1 10.0.2.2

say "a plain ip route add (proto boot) on r2, and a number with no name"
ip -n fo-r2 route add 10.0.1.0/24 via 10.0.12.1
trc bt -l fo --both h1 10.0.2.2
expect_eq "$(tj bt .result)" delivered "the request"
expect_eq "$(tj bt .reply.result)" delivered "the answer"
expect_eq "$(tj bt '[.reply.hops[] | .route.protocol] | join(" ")')" \
    "vrfd boot kernel kernel" "the answer's route protocols"
expect_eq "$TR_RC" 0 "--both, both ways: exit status"
ping_ok fo-h1 10.0.2.2
ip -n fo-r2 route replace 10.0.1.0/24 via 10.0.12.1 proto 200
trc num -l fo h2 10.0.1.2
tr_result num delivered h1
expect_eq "$(tj num '.hops[1].route.protocol')" 200 "an unnamed protocol"

say "the daemon's route withdrawn: the blackhole again"
ip -n fo-r1 route del 10.0.2.2/32 proto ospf
trc gone -l fo h1 10.0.2.2
tr_result gone blackhole r1
say "ok"
