#!/usr/bin/env bash
# t_verify_expect: verify on a copy of topology/diamond.yaml with an
# expect: list of its own, applied as shipped:
#   - expectations that cannot hold fail (exit 1, a FAIL line each) and
#     name the trace result and the hop in their reason: a blackhole to
#     reach; a reachable address that must not be;
#   - via: a path through the via nodes in order holds; one that does not
#     pass them, or not in that order, fails;
#   - proto udp/tcp with a port: UDP to a closed port holds (the
#     destination answers port unreachable: probe "refused"), IPv4 and
#     IPv6; TCP to a listening port holds (probe "reply"), TCP to a closed
#     one too (a reset: "refused"); UDP to a blackhole with reach: false
#     holds. The trace follows the probe's own flow (protocol, ports).
# -j: .results[] with .holds, .why, .trace and .probe; .held, .failed.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_trace.sh"

srv=
trap '[ -z "$srv" ] || kill "$srv" 2>/dev/null; rm -rf "$T"' EXIT

"$VRFCTL" apply "$TOPO/diamond.yaml" >/dev/null || fail "apply diamond"
lab_settle diamond

# The file up to its expect: list, and a list of our own.
sed '/^expect:/,$d' "$TOPO/diamond.yaml" > "$T/d.yaml"
cat >> "$T/d.yaml" <<'EOF'
expect:
  - {from: src, to: 10.255.0.4}
  - {from: src, to: 192.0.2.1}
  - {from: src, to: 10.255.0.4, reach: false}
  - {from: src, to: 10.0.3.2, via: [a]}
  - {from: src, to: 10.0.3.2, via: [b]}
  - {from: src, to: 10.0.3.2, via: [a, dst]}
  - {from: src, to: 10.0.3.2, via: [dst, a]}
  - {from: src, to: 10.255.0.4, proto: udp, port: 9}
  - {from: src, to: "2001:db8:ff::4", proto: udp, port: 9}
  - {from: src, to: 10.255.0.4, proto: tcp, port: 8080}
  - {from: src, to: 10.255.0.4, proto: tcp, port: 8081}
  - {from: src, to: 192.0.2.1, proto: udp, port: 53, reach: false}
EOF
"$VRFCTL" validate "$T/d.yaml" >/dev/null || fail "validate the copy"

# A TCP listener on dst's loopback address, port 8080.
ip netns exec diamond-dst python3 -m http.server 8080 --bind 10.255.0.4 \
    >/dev/null 2>&1 &
srv=$!
listening() {
	[ -n "$(ip netns exec diamond-dst ss -Hltn 'sport = :8080')" ]
}
wait_for 200 listening || fail "no listener on dst:8080"

vf v "$T/d.yaml"
say "exit 1, the FAIL lines, the count"
expect_eq "$VF_RC" 1 "exit status"
expect_eq "$VF_JRC" 1 "exit status with -j"
expect_eq "$(grep -E '^(ok  |FAIL) ' "$T/v.txt")" "ok   src -> 10.255.0.4
FAIL src -> 192.0.2.1
FAIL src -/-> 10.255.0.4
ok   src -> 10.0.3.2 via a
FAIL src -> 10.0.3.2 via b
ok   src -> 10.0.3.2 via a,dst
FAIL src -> 10.0.3.2 via dst,a
ok   src -> 10.255.0.4 udp 9
ok   src -> 2001:db8:ff::4 udp 9
ok   src -> 10.255.0.4 tcp 8080
ok   src -> 10.255.0.4 tcp 8081
ok   src -/-> 192.0.2.1 udp 53" "the verdicts"
expect_eq "$(tail -n 1 "$T/v.txt")" "lab diamond: 8 of 12 expectations hold" \
    "the last line"
expect_eq "$(jq -r '"\(.lab) \(.held) \(.failed) \(.rounds)"' "$T/v.json")" \
    "diamond 8 4 1" "-j counts"

# r N JQ: a value of result N in the JSON
r() {
	jq -r ".results[$1] | $2" "$T/v.json"
}
# reason N: the line under FAIL line N's expectation, in the text
reason() {
	awk -v n="$1" '/^(ok  |FAIL) / { i++ } i == n + 1 && /^     / {
	    sub(/^     /, ""); print; exit }' "$T/v.txt"
}

say "cannot hold: a blackhole to reach, a reachable address not to"
expect_eq "$(reason 1)" "blackhole at src (hop 1): src drops it: a blackhole \
route for 192.0.2.1" "blackhole: the reason"
expect_eq "$(r 1 '[.holds, .trace.result, .probe.result, .probe.reached] |
    join(" ")')" "false blackhole unreachable false" "blackhole: -j"
expect_eq "$(r 1 .why)" "$(reason 1)" "blackhole: -j .why"
expect_eq "$(reason 2)" "reachable, and must not be: delivered at dst (hop 3)" \
    "reach false: the reason"
expect_eq "$(r 2 '[.holds, .reach, .trace.result, .reply_trace.result,
    .probe.result] | join(" ")')" "false false delivered delivered reply" \
    "reach false: -j"

say "via"
expect_eq "$(r 3 '[.holds, (.via | join(",")), ([.trace.hops[].node] |
    join(","))] | join(" ")')" "true a src,a,dst" "via a"
expect_eq "$(reason 4)" "arrives, but not through every node of 'via', in \
order" "via b: the reason"
expect_eq "$(r 4 '[.holds, .trace.result, .probe.result] | join(" ")')" \
    "false delivered reply" "via b: -j"
expect_eq "$(r 5 .holds)" true "via a, dst"
expect_eq "$(r 6 '[.holds, (.via | join(","))] | join(" ")')" "false dst,a" \
    "via dst, a"
expect_eq "$(reason 6)" "$(reason 4)" "via dst, a: the reason"

say "udp and tcp: the destination answers, or a listener does"
expect_eq "$(r 7 '[.holds, .proto, .port, .probe.result, .probe.reached,
    .probe.from] | join(" ")')" "true udp 9 refused true 10.255.0.4" "udp 9"
[[ "$(r 7 .probe.why)" == "port unreachable from 10.255.0.4: "* ]] ||
	fail "udp 9: the probe: $(r 7 .probe.why)"
# the trace is of the probe's flow: UDP, its ports
expect_eq "$(r 7 '[.trace.proto, .trace.dport, .trace.result,
    .reply_trace.proto, .reply_trace.sport] | join(" ")')" \
    "udp 9 delivered udp 9" "udp 9: the traces"
sport=$(r 7 .trace.sport)
[ "$sport" -gt 0 ] || fail "udp 9: the trace's source port: $sport"
expect_eq "$(r 7 .reply_trace.dport)" "$sport" "udp 9: the reply's port"
expect_eq "$(r 8 '[.holds, .probe.result, .probe.from, .trace.proto] |
    join(" ")')" "true refused 2001:db8:ff::4 udp" "udp 9, IPv6"
expect_eq "$(r 9 '[.holds, .proto, .port, .probe.result, .trace.proto,
    .trace.dport] | join(" ")')" "true tcp 8080 reply tcp 8080" "tcp 8080"
expect_eq "$(r 9 .probe.why)" "connected to port 8080" "tcp 8080: the probe"
expect_eq "$(r 10 '[.holds, .probe.result] | join(" ")')" "true refused" \
    "tcp 8081"
[[ "$(r 10 .probe.why)" == "connection refused"* ]] ||
	fail "tcp 8081: the probe: $(r 10 .probe.why)"
expect_eq "$(r 11 '[.holds, .reach, .trace.result, .probe.reached] |
    join(" ")')" "true false blackhole false" "udp to the blackhole"

say "the listener gone: tcp 8080 now refused, and still holds"
kill "$srv"
wait "$srv" 2>/dev/null || true
srv=
wait_for 100 eval '! listening' || fail "the listener did not go"
vf v2 "$T/d.yaml"
expect_eq "$(jq -r '.results[9] | [.holds, .probe.result] | join(" ")' \
    "$T/v2.json")" "true refused" "tcp 8080, no listener"
say "ok"
