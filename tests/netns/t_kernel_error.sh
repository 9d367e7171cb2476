#!/usr/bin/env bash
# t_kernel_error: a file that passes validation but asks for something the
# kernel refuses. r1 has a route through a gateway on no connected subnet
# (validation only warns; the kernel says "Nexthop has invalid gateway"),
# r3 a sysctl value out of its range (a TTL is 1 to 255: the kernel
# refuses 300). apply exits 1 and names, for each failure,
# the namespace, the object and the kernel's message, in text and in
# JSON; everything else is made: the other namespaces converge, r1 and r3
# have the rest of their objects, traffic flows, and plan afterwards holds
# exactly the two refused changes.
. "$(dirname "$0")/lib.sh"

cat >"$T/ke.yaml" <<'EOF'
lab: ke
routers:
  r1:
    interfaces:
      eth0: {addresses: [10.0.12.1/24]}
    routes:
      - {to: 10.9.0.0/16, via: 10.7.7.7}
      - {to: 10.0.23.0/24, via: 10.0.12.2}
  r2:
    sysctl: {net.ipv4.ip_forward: 1}
    interfaces:
      eth0: {addresses: [10.0.12.2/24]}
      eth1: {addresses: [10.0.23.1/24]}
  r3:
    sysctl: {net.ipv4.ip_default_ttl: 300}
    interfaces:
      eth0: {addresses: [10.0.23.2/24], mtu: 1000}
    routes:
      - {to: 10.0.12.0/24, via: 10.0.23.1}
links:
  - [r1:eth0, r2:eth0]
  - [r2:eth1, r3:eth0]
EOF
F=$T/ke.yaml

"$VRFCTL" validate "$F" >"$T/out" 2>&1 || fail "does not validate: $(cat "$T/out")"

say "apply: exit 1, each failure named"
rc=0; "$VRFCTL" apply "$F" >"$T/out" 2>"$T/err" || rc=$?
expect_eq "$rc" 1 "exit status"
grep -qx "error: ke-r1: add route 10.9.0.0/16 metric 0: Network is unreachable: Nexthop has invalid gateway" \
    "$T/err" || fail "the route's error: $(cat "$T/err")"
grep -qx "error: ke-r3: set sysctl net.ipv4.ip_default_ttl=300: Invalid argument" \
    "$T/err" || fail "the sysctl's error: $(cat "$T/err")"
expect_eq "$(grep -c '^error:' "$T/err")" 2 "error lines"
grep -q "NOT converged" "$T/out" || fail "apply says converged: $(cat "$T/out")"

say "everything else was made"
for n in r1 r2 r3; do
	expect_eq "$(ip -j -n "ke-$n" link | jq -r '[.[] | select(.ifname != "lo") |
	    select(.flags | index("UP"))] | length')" "$([ $n = r2 ] && echo 2 || echo 1)" \
	    "$n: links up"
done
expect_eq "$(ip -N -j -n ke-r1 route show proto 118 | jq -r '[.[].dst] | join(" ")')" \
    "10.0.23.0/24" "r1's routes"
expect_eq "$(q ke-r3 '[.[].addr_info[] | select(.scope == "global") | .local] |
    join(" ")' addr show dev eth0)" "10.0.23.2" "r3's addresses"
expect_eq "$(ip -j -n ke-r3 link show eth0 | jq .[0].mtu)" 1000 "r3 eth0 mtu"
ping_ok ke-r1 10.0.23.2

say "again, in JSON: the same two failures, nothing else"
r=$("$VRFCTL" -j apply "$F") && fail "second apply: exit 0"
expect_eq "$(jq -c '[.changes, .failed, .converged]' <<<"$r")" "[2,2,false]" \
    "apply -j"
# in the order apply makes them: sysctls before routes
expect_eq "$(jq -r '.errors[] | [.namespace, .node, .op, .object, .error] | join(" | ")' <<<"$r")" \
"ke-r3 | r3 | set | sysctl net.ipv4.ip_default_ttl=300 | Invalid argument
ke-r1 | r1 | add | route 10.9.0.0/16 metric 0 | Network is unreachable: Nexthop has invalid gateway" "errors"
expect_eq "$(jq -c '[.namespaces[] | [.namespace, .changes, .failed]]' <<<"$r")" \
    '[["ke-r1",1,1],["ke-r2",0,0],["ke-r3",1,1]]' "per namespace"

say "plan: exactly the two refused changes"
p=$("$VRFCTL" -j plan "$F") || fail "plan failed"
expect_eq "$(jq -r '.plan[] | "\(.namespace) \(.op) \(.object)"' <<<"$p")" \
"ke-r3 set sysctl net.ipv4.ip_default_ttl=300
ke-r1 add route 10.9.0.0/16 metric 0" "plan"
say "ok"
