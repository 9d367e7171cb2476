#!/usr/bin/env bash
# t_mark_holds: a namespace's mark says which kinds of object vrfd has
# put in it (holds=ipv4,ipv6,neigh: kernel/own.h). It is made saying what
# the namespace declares, gains a kind before the first object of it is
# made (and plan shows the command that does it), and never loses one. An
# apply without vrfd reads in each namespace only the kinds it declares
# or holds (one IPv6 route dump and one neighbour dump here, of the
# router that has them). vrfd's mark on an object of a kind its
# namespace does not hold is someone's doing: plan and status list it as
# foreign, apply leaves it; a mark made before holds= existed holds every
# kind.
. "$(dirname "$0")/lib.sh"
command -v strace > /dev/null || fail "strace is not installed (apt-get install strace)"

cat > "$T/h.yaml" <<'EOF'
lab: hk
routers:
  a:
    interfaces: {eth0: {addresses: [10.0.0.1/24]}}
    routes:
      - {to: 10.9.0.0/16, via: 10.0.0.2}
  b:
    interfaces:
      eth0: {addresses: [10.0.0.2/24, "2001:db8::2/64"]}
      eth1: {addresses: [10.0.1.1/24]}
    routes:
      - {to: "2001:db8:9::/48", via: "2001:db8::1"}
    neighbours:
      - {ip: 10.0.0.1, lladdr: "02:00:00:00:01:01", dev: eth0}
  c:
    interfaces: {eth0: {addresses: [10.0.1.2/24]}}
links:
  - [a:eth0, b:eth0]
  - [b:eth1, c:eth0]
EOF
# a with IPv6 and a neighbour of its own
sed -e 's|    interfaces: {eth0: {addresses: \[10.0.0.1/24\]}}|    interfaces: {eth0: {addresses: [10.0.0.1/24, "2001:db8::1/64"]}}\n    neighbours:\n      - {ip: 10.0.0.2, lladdr: "02:00:00:00:02:02", dev: eth0}|' \
    "$T/h.yaml" > "$T/h6.yaml"
grep -q 2001:db8::1/64 "$T/h6.yaml" || fail "h6.yaml not made"

mark() { ip -n "$1" -d link show lo | sed -n 's/^ *alias //p'; }
holds() { mark "$1" | sed -n 's/.* holds=\([^ ]*\).*/\1/p'; }

say "made with the kinds each declares"
"$VRFCTL" apply "$T/h.yaml" > "$T/out" || fail "apply: $(cat "$T/out")"
expect_eq "$(holds hk-a)" "ipv4" "a's mark"
expect_eq "$(holds hk-b)" "ipv4,ipv6,neigh" "b's mark"
expect_eq "$(holds hk-c)" "ipv4" "c's mark"
case $(mark hk-a) in
"vrfd lab=hk node=a holds=ipv4 in="?*) ;;
*) fail "a's mark: $(mark hk-a)" ;;
esac

say "a no-op without vrfd dumps IPv6 and neighbours only where held"
# The dumps by their netlink type (strace names them, or gives the
# number) and family, the first byte of the request's payload.
strace -f -e trace=sendto -o "$T/st" "$VRFCTL" apply "$T/h.yaml" > "$T/out" ||
	fail "no-op: $(cat "$T/out")"
grep -q "0 changes" "$T/out" || fail "no-op: $(cat "$T/out")"
dumps() {	# TYPE FAMILY-BYTE
	grep -E "nlmsg_type=($1)[ ,]" "$T/st" | grep -cE "$2" || true
}
expect_eq "$(dumps '0x1e|RTM_GETNEIGH' '.')" 1 "neighbour dumps"
expect_eq "$(dumps '0x1a|RTM_GETROUTE' '"\\x0a|AF_INET6')" 1 "IPv6 route dumps"
expect_eq "$(dumps '0x16|RTM_GETADDR' '"\\x0a|AF_INET6')" 1 "IPv6 address dumps"
expect_eq "$(dumps '0x1a|RTM_GETROUTE' '"\\x02|AF_INET[,}]')" 3 "IPv4 route dumps"

say "a kind declared later: the mark gains it first"
"$VRFCTL" plan "$T/h6.yaml" > "$T/plan" || fail "plan: $(cat "$T/plan")"
grep -q "ip -n hk-a link set lo alias \"vrfd lab=hk node=a holds=ipv4,ipv6 in=[0-9a-f]*\" && ip -n hk-a address add 2001:db8::1/64" "$T/plan" ||
	fail "plan does not raise a's mark: $(cat "$T/plan")"
grep -q "holds=ipv4,ipv6,neigh in=[0-9a-f]*\" && ip -n hk-a neigh replace 10.0.0.2" "$T/plan" ||
	fail "plan does not raise a's mark for its neighbour: $(cat "$T/plan")"
"$VRFCTL" apply "$T/h6.yaml" > "$T/out" || fail "apply h6: $(cat "$T/out")"
expect_eq "$(holds hk-a)" "ipv4,ipv6,neigh" "a's mark, raised"
expect_eq "$(q hk-a '.[0].addr_info[] | select(.family == "inet6" and .scope == "global") | .local' addr show eth0)" \
    "2001:db8::1" "a's IPv6 address"
expect_eq "$(q hk-a '.[] | select(.protocol == "118" or .protocol == "vrfd") | .dst' neigh show dev eth0)" \
    "10.0.0.2" "a's neighbour"
"$VRFCTL" plan "$T/h6.yaml" | grep -q "no changes" || fail "h6 not converged"

say "and keeps it: declared no more, what vrfd made goes"
"$VRFCTL" apply "$T/h.yaml" > "$T/out" || fail "apply h: $(cat "$T/out")"
expect_eq "$(holds hk-a)" "ipv4,ipv6,neigh" "a's mark, kept"
expect_eq "$(q hk-a '[.[0].addr_info[] | select(.family == "inet6" and .scope == "global")] | length' addr show eth0)" \
    0 "a's IPv6 address, removed"
expect_eq "$(q hk-a '[.[] | select(.protocol == "118" or .protocol == "vrfd")] | length' neigh show dev eth0)" \
    0 "a's neighbour, removed"

say "vrfd's mark on a kind c does not hold: someone's, left alone"
ip -n hk-c -6 route add 2001:db8:77::/48 dev eth0 proto 118
ip -n hk-c neigh add 10.0.1.9 lladdr 02:00:00:00:09:09 dev eth0 nud permanent proto 118
"$VRFCTL" plan "$T/h.yaml" > "$T/plan" || fail "plan: $(cat "$T/plan")"
grep -q "^no changes" "$T/plan" || fail "plan would change c: $(cat "$T/plan")"
grep -q "hk-c: route 2001:db8:77::/48" "$T/plan" ||
	fail "plan does not list the route as foreign: $(cat "$T/plan")"
grep -q "hk-c: neighbour 10.0.1.9 dev eth0" "$T/plan" ||
	fail "plan does not list the neighbour as foreign: $(cat "$T/plan")"
"$VRFCTL" -j status hk > "$T/st.json" || fail "status: $(cat "$T/st.json")"
expect_eq "$(jq -r '.labs[0].namespaces[] | select(.namespace == "hk-c") | .foreign' "$T/st.json")" \
    2 "status: c's foreign objects"
"$VRFCTL" apply "$T/h.yaml" > "$T/out" || fail "apply: $(cat "$T/out")"
grep -q "0 changes" "$T/out" || fail "apply changed c: $(cat "$T/out")"
[ -n "$(ip -n hk-c -6 route show 2001:db8:77::/48)" ] || fail "the route went"
[ -n "$(ip -n hk-c neigh show 10.0.1.9)" ] || fail "the neighbour went"

say "a mark made before holds= holds every kind"
ip -n hk-c link set lo alias "$(mark hk-c | sed 's/ holds=[^ ]*//')"
"$VRFCTL" apply "$T/h.yaml" > "$T/out" || fail "apply: $(cat "$T/out")"
grep -q "2 changes" "$T/out" || fail "apply: $(cat "$T/out")"
[ -z "$(ip -n hk-c -6 route show 2001:db8:77::/48)" ] || fail "vrfd's route stayed"
[ -z "$(ip -n hk-c neigh show 10.0.1.9)" ] || fail "vrfd's neighbour stayed"

"$VRFCTL" destroy hk > /dev/null
echo ok
