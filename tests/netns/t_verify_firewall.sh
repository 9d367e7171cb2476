#!/usr/bin/env bash
# t_verify_firewall: what the trace cannot see. An nftables rule in the
# transit router r1 drops what is forwarded to h2: the routes still lead
# there (trace: delivered), but no packet arrives (probe: timeout), and
# verify fails the expectation with "trace and probe disagree", showing
# both; reach: false fails for the same reason rather than holding by
# accident. With the rule gone, all hold again. Needs nft(8) (Debian:
# nftables).
#
#   h1 -- r1 -- h2
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_trace.sh"

command -v nft >/dev/null || fail "nft(8) is not installed (apt-get install nftables)"

lab_apply nf <<'EOF'
lab: nf
defaults: {sysctl: {net.ipv4.ip_forward: 1}}
routers:
  h1:
    interfaces: {eth0: {addresses: [10.0.1.2/24]}}
    routes: [{to: default, via: 10.0.1.1}]
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
  - {from: h1, to: 10.0.2.2, proto: udp, port: 9}
  - {from: h1, to: 10.0.1.1}
EOF
# The same lab, expecting h2 out of reach.
sed 's/- {from: h1, to: 10.0.2.2}/- {from: h1, to: 10.0.2.2, reach: false}/' \
    "$T/nf.yaml" > "$T/nf-not.yaml"
grep -q "reach: false" "$T/nf-not.yaml" || fail "nf-not.yaml"

say "no rule: all hold"
vf ok "$T/nf.yaml"
expect_eq "$VF_RC" 0 "exit status ($(cat "$T/ok.txt"))"
expect_eq "$(tail -n 1 "$T/ok.txt")" "lab nf: 3 of 3 expectations hold" \
    "the last line"

say "a drop rule in r1's forward hook"
ip netns exec nf-r1 nft add table inet f
ip netns exec nf-r1 nft add chain inet f transit \
    '{ type filter hook forward priority 0; }'
ip netns exec nf-r1 nft add rule inet f transit ip daddr 10.0.2.2 drop
ping_fails nf-h1 10.0.2.2
# the trace does not see it
trc t -l nf h1 10.0.2.2
tr_result t delivered h2

vf fw "$T/nf.yaml"
expect_eq "$VF_RC" 1 "exit status"
expect_eq "$VF_JRC" 1 "exit status with -j"
expect_eq "$(grep -E '^(ok  |FAIL) ' "$T/fw.txt")" "FAIL h1 -> 10.0.2.2
FAIL h1 -> 10.0.2.2 udp 9
ok   h1 -> 10.0.1.1" "the verdicts"
expect_eq "$(grep -cF "     trace and probe disagree: the trace says it \
arrives and the reply returns, the probe got timeout (no answer in 1000 ms" \
    "$T/fw.txt")" 2 "the reasons"
grep -q "something the trace cannot see, such as a firewall rule, is in \
the way" "$T/fw.txt" || fail "the reason: $(cat "$T/fw.txt")"
# the trace that was contradicted is shown, and the probe
grep -qx "     delivered: 10.0.2.2 is h2's own" "$T/fw.txt" ||
	fail "the trace under it: $(cat "$T/fw.txt")"
grep -q "^     probe: timeout, no answer in 1000 ms" "$T/fw.txt" ||
	fail "the probe under it: $(cat "$T/fw.txt")"
expect_eq "$(jq -r '.results[] | [.holds, .trace.result,
    .reply_trace.result, .probe.result, .probe.reached] | join(" ")' \
    "$T/fw.json")" "false delivered delivered timeout false
false delivered delivered timeout false
true delivered delivered reply true" "-j"
expect_eq "$(jq -r '.results[0].why | startswith("trace and probe disagree")' \
    "$T/fw.json")" true "-j .why"
expect_eq "$(tail -n 1 "$T/fw.txt")" "lab nf: 1 of 3 expectations hold" \
    "the last line"

say "reach: false does not hold by accident"
vf not "$T/nf-not.yaml"
expect_eq "$VF_RC" 1 "reach false: exit status"
grep -qx "FAIL h1 -/-> 10.0.2.2" "$T/not.txt" || fail "$(cat "$T/not.txt")"
grep -q "^     trace and probe disagree" "$T/not.txt" ||
	fail "reach false: the reason: $(cat "$T/not.txt")"

say "the rule gone: all hold again"
ip netns exec nf-r1 nft delete table inet f
vf again "$T/nf.yaml"
expect_eq "$VF_RC" 0 "exit status ($(cat "$T/again.txt"))"
ping_ok nf-h1 10.0.2.2
say "ok"
