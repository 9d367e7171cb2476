#!/usr/bin/env bash
# t_family_empty: the pass reads addresses and routes a family at a time,
# and a family with nothing is read as nothing:
#   - someone else's namespace, made by `ip netns add` with a router's
#     name, has nothing in it, not even IPv4's main routing table (the
#     kernel makes it with a first route); a dump of that table there
#     fails (ENOENT) where the dump of all families said nothing. Apply
#     and status must call the namespace a conflict, not "unreadable";
#   - a lab of IPv6 only (no IPv4 address but the loopback's) is
#     converged once applied, unchanged when applied again, alone and
#     through vrfd, and vrfd repairs its IPv6 route.
. "$(dirname "$0")/lib_daemon.sh"

cat > "$T/v6.yaml" <<'EOF'
lab: six
routers:
  r1:
    interfaces:
      eth0: {addresses: ["2001:db8:1::1/64"]}
    routes:
      - {to: "2001:db8:9::/48", via: "2001:db8:1::2"}
  r2:
    interfaces:
      eth0: {addresses: ["2001:db8:1::2/64"]}
links:
  - [r1:eth0, r2:eth0]
EOF

v6_route_ok() {	# NS PREFIX: our IPv6 route to PREFIX is there
	[ -n "$(ip -6 -n "$1" route show exact "$2" proto 118)" ]
}

say "IPv6 only, alone: applied, then applied again"
out=$("$VRFCTL" apply "$T/v6.yaml") || fail "apply: $out"
out=$("$VRFCTL" apply "$T/v6.yaml") || fail "apply again: $out"
echo "$out" | tail -1
echo "$out" | grep -q "2 of 2 namespaces unchanged; converged" ||
    fail "applied again, not unchanged: $out"
out=$("$VRFCTL" status six) || fail "status: $out"
echo "$out" | grep -q unreadable && fail "status: $out"
expect_eq "$(echo "$out" | grep -c ' converged ')" 2 "namespaces converged"
"$VRFCTL" destroy six >/dev/null || fail "destroy"

say "IPv6 only, through vrfd: applied, then applied again"
start_vrfd
out=$(vctl apply "$T/v6.yaml") || fail "apply: $out"
out=$(vctl apply "$T/v6.yaml") || fail "apply again: $out"
echo "$out" | tail -1
echo "$out" | grep -q "2 of 2 namespaces unchanged; converged" ||
    fail "applied again through vrfd, not unchanged: $out"
converged six || fail "vrfd's status: six not converged"
say "a route of it deleted: repaired"
ip -n six-r1 -6 route del 2001:db8:9::/48
repaired "2001:db8:9::/48" v6_route_ok six-r1 2001:db8:9::/48
vctl destroy six >/dev/null || fail "destroy through vrfd"
stop_vrfd

say "an empty namespace of someone else's with a router's name"
ip netns add six-r2
out=$("$VRFCTL" apply "$T/v6.yaml" 2>&1) && fail "apply exit 0: $out"
echo "$out" | grep -q "six-r2 .*conflict" || fail "apply: $out"
out=$("$VRFCTL" status six) || true
echo "$out"
echo "$out" | grep -q "six-r2 .* conflict " || fail "status: $out"
echo "$out" | grep -q unreadable && fail "status: $out"
"$VRFCTL" destroy six >/dev/null
ip netns delete six-r2
echo "ok"
