#!/usr/bin/env bash
# t_daemon_mark_holds: vrfd keeps a namespace's mark as vrfctl alone does
# (t_mark_holds): an apply through vrfd that adds the first IPv6 address
# and neighbour of a router raises its mark first, and vrfd then repairs
# them like any of its objects; one with vrfd's protocol in a namespace
# that does not hold its kind is someone's: vrfd's status lists it as
# foreign and it stays; declared no more, what vrfd made goes, and the
# mark keeps the kinds.
. "$(dirname "$0")/lib_daemon.sh"

cat > "$T/h.yaml" <<'EOF'
lab: dh
routers:
  a:
    interfaces: {eth0: {addresses: [10.0.0.1/24]}}
  b:
    interfaces: {eth0: {addresses: [10.0.0.2/24]}}
links:
  - [a:eth0, b:eth0]
EOF
sed -e 's|    interfaces: {eth0: {addresses: \[10.0.0.1/24\]}}|    interfaces: {eth0: {addresses: [10.0.0.1/24, "2001:db8::1/64"]}}\n    neighbours:\n      - {ip: 10.0.0.2, lladdr: "02:00:00:00:02:02", dev: eth0}|' \
    "$T/h.yaml" > "$T/h6.yaml"
grep -q 2001:db8::1/64 "$T/h6.yaml" || fail "h6.yaml not made"

holds() {
	ip -n "$1" -d link show lo | sed -n 's/.* holds=\([^ ]*\).*/\1/p'
}
v6() {
	ip -n dh-a -6 -o addr show dev eth0 scope global | awk '{ print $4 }'
}
foreign_of_b() { [ "$(ns_status dh dh-b .foreign)" = "$1" ]; }

start_vrfd
vctl apply "$T/h.yaml" > "$T/out" || fail "apply: $(cat "$T/out")"
expect_eq "$(holds dh-a)" "ipv4" "a's mark"

say "through vrfd, the first IPv6 address and neighbour: the mark first"
vctl apply "$T/h6.yaml" > "$T/out" || fail "apply h6: $(cat "$T/out")"
expect_eq "$(holds dh-a)" "ipv4,ipv6,neigh" "a's mark, raised"
expect_eq "$(v6)" "2001:db8::1/64" "a's IPv6 address"
wait_for 100 converged dh || fail "not converged: $(vctl status dh)"

say "and repairs them as its own"
ip -n dh-a addr del 2001:db8::1/64 dev eth0
repaired "a's IPv6 address" sh -c '[ "$(ip -n dh-a -6 -o addr show dev eth0 scope global | wc -l)" = 1 ]'
ip -n dh-a neigh del 10.0.0.2 dev eth0
repaired "a's neighbour" sh -c '[ -n "$(ip -n dh-a neigh show 10.0.0.2 proto 118)" ]'

say "vrfd's protocol where b holds no IPv6: someone's"
ip -n dh-b -6 route add 2001:db8:77::/48 dev eth0 proto 118
wait_for 100 foreign_of_b 1 ||
	fail "b's foreign objects: $(ns_status dh dh-b .foreign)"
vctl apply "$T/h6.yaml" > "$T/out" || fail "apply h6: $(cat "$T/out")"
grep -q "0 changes" "$T/out" || fail "apply changed b: $(cat "$T/out")"
[ -n "$(ip -n dh-b -6 route show 2001:db8:77::/48)" ] || fail "the route went"

say "declared no more: vrfd's go, the mark keeps its kinds"
vctl apply "$T/h.yaml" > "$T/out" || fail "apply h: $(cat "$T/out")"
expect_eq "$(v6)" "" "a's IPv6 address"
[ -z "$(ip -n dh-a neigh show 10.0.0.2 proto 118)" ] || fail "a's neighbour stayed"
expect_eq "$(holds dh-a)" "ipv4,ipv6,neigh" "a's mark, kept"

vctl destroy dh > /dev/null
stop_vrfd
echo ok
