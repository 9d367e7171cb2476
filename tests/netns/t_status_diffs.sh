#!/usr/bin/env bash
# t_status_diffs: `vrfctl status` names the differences it counts, per
# namespace, in text and in -j ("difference_list"), each once: a route
# deleted, a link downed (and what the kernel dropped with it), an MTU
# and a sysctl changed, a link deleted (both ends, each with what lived
# on it). At most 50 are listed per namespace, then "and N more"
# ("differences_unlisted"). The same through vrfd, as its status says
# what it has not repaired yet (held back by its backoff).
. "$(dirname "$0")/lib_daemon.sh"

cd "$T"
cp "$TOPO/two-customers.yaml" .

# lines NS: the lines under the status table of namespace NS.
lines() { grep "^$1: " || true; }

say "converged: nothing listed, empty lists"
"$VRFCTL" apply two-customers.yaml >/dev/null || fail "apply"
"$VRFCTL" status vrfs >status.txt || fail "status of a converged lab"
expect_eq "$(wc -l <status.txt)" 5 "status lines of a converged lab"
"$VRFCTL" -j status vrfs >status.json || fail "status -j"
expect_eq "$(jq -c '[.labs[0].namespaces[] | .difference_list]' status.json)" \
    '[[],[],[],[]]' "lists of a converged lab"

say "drift: a route, a link, an MTU, a sysctl"
ip -n vrfs-pe1-red route del 192.168.1.0/24
ip -n vrfs-ce-blue link set eth0 down
ip -n vrfs-ce-red link set eth0 mtu 1400
ip netns exec vrfs-pe1-blue sysctl -qw net.ipv4.ip_forward=0
rc=0; "$VRFCTL" status vrfs >status.txt || rc=$?
expect_eq "$rc" 1 "exit status with drift"
expect_eq "$(cat status.txt)" \
"LAB          NAMESPACE                NODE             STATE            FOREIGN
vrfs         vrfs-ce-red              ce-red           1 difference           0
vrfs         vrfs-ce-blue             ce-blue          3 differences          0
vrfs         vrfs-pe1-red             pe1/red          1 difference           0
vrfs         vrfs-pe1-blue            pe1/blue         1 difference           0
vrfs-ce-red: link eth0 mtu 1400, declared 1500
vrfs-ce-blue: link eth0 down, declared up
vrfs-ce-blue: address 2001:db8:1::2/64 dev eth0 missing
vrfs-ce-blue: route default metric 0 via 10.1.0.1 missing
vrfs-pe1-red: route 192.168.1.0/24 metric 0 via 10.1.0.2 missing
vrfs-pe1-blue: sysctl net.ipv4.ip_forward is 0, declared 1" "status"
rc=0; "$VRFCTL" -j status vrfs >status.json || rc=$?
expect_eq "$rc" 1 "exit status of status -j with drift"
# The JSON says what the text says, and its count is the list's length.
expect_eq "$(jq -r '.labs[0].namespaces[] | .namespace as $n |
    .difference_list[] | "\($n): \(.)"' status.json)" \
    "$(tail -n +6 status.txt)" "status -j's lists"
jq -e 'all(.labs[0].namespaces[]; .differences == (.difference_list |
    length) and (has("differences_unlisted") | not))' status.json \
    >/dev/null || fail "counts: $(cat status.json)"
"$VRFCTL" apply two-customers.yaml >/dev/null || fail "repair"
"$VRFCTL" status vrfs >/dev/null || fail "status after the repair"

say "a link deleted: both ends missing, each counted once"
ip -n vrfs-ce-red link del eth0
rc=0; "$VRFCTL" status vrfs >status.txt || rc=$?
expect_eq "$rc" 1 "exit status"
expect_eq "$(lines vrfs-ce-red <status.txt)" \
"vrfs-ce-red: link eth0 (veth to vrfs-pe1-red:eth1) missing
vrfs-ce-red: address 10.1.0.2/24 dev eth0 missing
vrfs-ce-red: address 2001:db8:1::2/64 dev eth0 missing
vrfs-ce-red: route default metric 0 via 10.1.0.1 missing" "ce-red's end"
expect_eq "$(lines vrfs-pe1-red <status.txt)" \
"vrfs-pe1-red: link eth1 (veth to vrfs-ce-red:eth0) missing
vrfs-pe1-red: address 10.1.0.1/24 dev eth1 missing
vrfs-pe1-red: address 2001:db8:1::1/64 dev eth1 missing
vrfs-pe1-red: route 192.168.1.0/24 metric 0 via 10.1.0.2 missing" "pe1/red's end"
grep -Eq '^vrfs +vrfs-ce-red +ce-red +4 differences ' status.txt ||
	fail "ce-red's count: $(cat status.txt)"
grep -Eq '^vrfs +vrfs-pe1-red +pe1/red +4 differences ' status.txt ||
	fail "pe1/red's count: $(cat status.txt)"
"$VRFCTL" apply two-customers.yaml >/dev/null || fail "repair"
"$VRFCTL" destroy vrfs >/dev/null || fail "destroy"

say "60 differences: 50 listed, the others counted"
{
	echo "lab: cap"
	echo "routers:"
	echo "  r1:"
	echo "    routes:"
	for i in $(seq 1 60); do
		echo "      - {to: 10.100.$i.0/24, type: blackhole}"
	done
} >cap.yaml
"$VRFCTL" apply cap.yaml >/dev/null || fail "apply cap"
ip -n cap-r1 route flush proto 118
rc=0; "$VRFCTL" status cap >status.txt || rc=$?
expect_eq "$rc" 1 "exit status"
grep -Eq '^cap +cap-r1 +r1 +60 differences ' status.txt ||
	fail "cap-r1's count: $(cat status.txt)"
expect_eq "$(lines cap-r1 <status.txt | wc -l)" 51 "lines of cap-r1"
expect_eq "$(lines cap-r1 <status.txt | head -1)" \
    "cap-r1: route blackhole 10.100.1.0/24 metric 0 missing" "the first"
expect_eq "$(lines cap-r1 <status.txt | tail -1)" \
    "cap-r1: and 10 more differences" "the last line"
"$VRFCTL" -j status cap >status.json || true
expect_eq "$(jq -c '.labs[0].namespaces[0] | [.differences,
    (.difference_list | length), .differences_unlisted]' status.json)" \
    '[60,50,10]' "status -j of cap-r1"
"$VRFCTL" destroy cap >/dev/null || fail "destroy cap"

say "through vrfd: what it has not repaired yet"
# One repair of an object, then each next one waits a minute.
cat >>"$CONF" <<'EOF'
backoff_repairs 1
backoff_window 60
backoff_initial_ms 60000
backoff_max_ms 60000
EOF
start_vrfd
vctl apply two-customers.yaml >/dev/null || fail "apply through vrfd"
ip -n vrfs-pe1-red route del 192.168.1.0/24
repaired "the first deletion" route_ok vrfs-pe1-red 192.168.1.0/24
ip -n vrfs-pe1-red route del 192.168.1.0/24
held() { [ "$(ns_status vrfs vrfs-pe1-red .backoff_ms)" -gt 0 ]; }
wait_for 100 held || fail "no backoff: $(vctl -j status vrfs)"
route_ok vrfs-pe1-red 192.168.1.0/24 && fail "repaired despite the backoff"
rc=0; vctl status vrfs >status.txt || rc=$?
expect_eq "$rc" 1 "exit status through vrfd"
expect_eq "$(lines vrfs-pe1-red <status.txt)" \
    "vrfs-pe1-red: route 192.168.1.0/24 metric 0 via 10.1.0.2 missing" \
    "status through vrfd"
expect_eq "$(ns_status vrfs vrfs-pe1-red '[.differences, .difference_list] |
    tostring')" '[1,["route 192.168.1.0/24 metric 0 via 10.1.0.2 missing"]]' \
    "status -j through vrfd"
# vrfctl alone (with vrfd's state directory) says the same.
expect_eq "$(VRFD_STATE_DIR=$STATE alone -j status vrfs | jq -c \
    '[.labs[0].namespaces[] | .difference_list]')" \
    "$(vctl -j status vrfs | jq -c '[.labs[0].namespaces[] | .difference_list]')" \
    "status alone and through vrfd"
stop_vrfd
say ok
