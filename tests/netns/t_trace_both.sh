#!/usr/bin/env bash
# t_trace_both: --both on a route leak that goes one way. pe1's red VRF
# sends ce-blue's prefix across to blue, but blue has no route back:
#
#   ce-red -- [pe1/red] leak0 ---- leak0 [pe1/blue] -- ce-blue
#   10.1.0.2                                           10.2.0.2
#
# The request is delivered (exit 0 without --both); with --both the answer
# is traced back from where the request arrived and stops at pe1/blue:
# the text says "one way only", the exit status is 1, and -j has the
# answer under .reply. The kernel agrees: ce-blue gets the echo request
# and answers, and ce-red never hears it. verify fails the expectation for
# the same reason. With blue's route back added, both ways arrive. A
# request that does not arrive has no answer to trace.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_trace.sh"

lab_apply ow <<'EOF'
lab: ow
defaults: {sysctl: {net.ipv4.ip_forward: 1}}
routers:
  ce-red:
    interfaces: {eth0: {addresses: [10.1.0.2/24]}}
    routes: [{to: default, via: 10.1.0.1}]
  ce-blue:
    interfaces: {eth0: {addresses: [10.2.0.2/24]}}
    routes: [{to: default, via: 10.2.0.1}]
  pe1:
    vrfs:
      red:
        interfaces:
          eth0:  {addresses: [10.1.0.1/24]}
          leak0: {addresses: [10.255.0.1/30]}
        routes: [{to: 10.2.0.0/24, via: 10.255.0.2}]
      blue:
        interfaces:
          eth0:  {addresses: [10.2.0.1/24]}
          leak0: {addresses: [10.255.0.2/30]}
links:
  - [ce-red:eth0, pe1/red:eth0]
  - [ce-blue:eth0, pe1/blue:eth0]
  - [pe1/red:leak0, pe1/blue:leak0]
expect:
  - {from: ce-red, to: 10.2.0.2}
EOF

say "the request alone: delivered"
trc req -l ow ce-red 10.2.0.2
tr_result req delivered ce-blue
expect_eq "$(tr_hops req)" "ce-red pe1/red pe1/blue ce-blue" "hops"
expect_eq "$(tj req '[.hops[] | .namespace] | join(" ")')" \
    "ow-ce-red ow-pe1-red ow-pe1-blue ow-ce-blue" "namespaces"
expect_eq "$(tj req .reply)" null "no .reply without --both"

say "--both: one way only"
trc both -l ow --both ce-red 10.2.0.2
expect_eq "$TR_RC" 1 "exit status"
expect_eq "$TR_JRC" 1 "exit status with -j"
expect_eq "$(tr_last both)" \
    "one way only: the request arrives, the reply does not return" \
    "the last line"
grep -qx "delivered: 10.2.0.2 is ce-blue's own" "$T/both.txt" ||
	fail "the request in the text: $(cat "$T/both.txt")"
grep -qx "reply from ce-blue to 10.1.0.2, icmp, source 10.2.0.2" \
    "$T/both.txt" || fail "the reply's head: $(cat "$T/both.txt")"
grep -qx "no-route: pe1/blue has no route to 10.1.0.2" "$T/both.txt" ||
	fail "the reply's result: $(cat "$T/both.txt")"
expect_eq "$(tj both .result)" delivered ".result (the request)"
expect_eq "$(tj both .reply.result)" no-route ".reply.result"
expect_eq "$(tj both '[.reply.hops[].node] | join(" ")')" "ce-blue pe1/blue" \
    ".reply's hops"
expect_eq "$(tj both '.reply | "\(.src) \(.dst)"')" "10.2.0.2 10.1.0.2" \
    ".reply's addresses"

say "the kernel: ce-blue gets the request and answers; ce-red hears nothing"
icmp() {	# icmp NS COUNTER
	ip netns exec "$1" nstat -az "$2" | awk -v c="$2" '$1 == c { print $2 }'
}
in0=$(icmp ow-ce-blue IcmpInEchos)
out0=$(icmp ow-ce-blue IcmpOutEchoReps)
ping_fails ow-ce-red 10.2.0.2
[ "$(icmp ow-ce-blue IcmpInEchos)" -gt "$in0" ] ||
	fail "the request did not reach ce-blue"
[ "$(icmp ow-ce-blue IcmpOutEchoReps)" -gt "$out0" ] ||
	fail "ce-blue did not answer"

say "verify fails it, for that reason"
vf v "$T/ow.yaml"
expect_eq "$VF_RC" 1 "verify: exit status"
grep -q "^FAIL ce-red -> 10.2.0.2$" "$T/v.txt" || fail "$(cat "$T/v.txt")"
grep -q "the request arrives but the reply does not return: no-route at \
pe1/blue (hop 2)" "$T/v.txt" || fail "the reason: $(cat "$T/v.txt")"
expect_eq "$(jq -r '.results[0] | [.holds, .trace.result,
    .reply_trace.result, .probe.result] | join(" ")' "$T/v.json")" \
    "false delivered no-route timeout" "verify -j"

say "blue's way back added by hand: both ways"
ip -n ow-pe1-blue route add 10.1.0.0/24 via 10.255.0.1 proto static
trc ok -l ow --both ce-red 10.2.0.2
expect_eq "$TR_RC" 0 "both ways: exit status"
expect_eq "$(tj ok .reply.result)" delivered "both ways: .reply.result"
expect_eq "$(tj ok '.reply.hops[1].route.protocol')" static \
    "blue's route back"
grep -q "one way only" "$T/ok.txt" && fail "both ways: 'one way only'"
expect_eq "$(tr_last ok)" "delivered: 10.1.0.2 is ce-red's own" \
    "both ways: the last line"
ping_ok ow-ce-red 10.2.0.2

say "a request that does not arrive: no answer to trace"
trc none -l ow --both ce-red 10.3.0.1
expect_eq "$TR_RC" 1 "no route: exit status"
expect_eq "$(tr_last none)" \
    "no reply to trace: the request does not arrive" "no route: last line"
expect_eq "$(tj none '"\(.result) \(.reply)"')" "no-route null" \
    "no route: -j"
say "ok"
