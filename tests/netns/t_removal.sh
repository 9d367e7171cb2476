#!/usr/bin/env bash
# t_removal: applying a second version of a file removes what it no longer
# declares, and only that: a router (its namespace, and its link's far end
# with that end's address and the route through it) and a route; what
# the new version keeps stays, traffic included, and the new version is
# converged at once (apply succeeds, plan is empty).
. "$(dirname "$0")/lib.sh"

cat >"$T/v1.yaml" <<'EOF'
lab: rm
routers:
  r1:
    interfaces:
      lo:   {addresses: [10.255.0.1/32]}
      eth0: {addresses: [10.0.12.1/24]}
    routes:
      - {to: 10.255.0.2/32, via: 10.0.12.2}
      - {to: 10.99.0.0/16, via: 10.0.12.2}
  r2:
    sysctl: {net.ipv4.ip_forward: 1}
    interfaces:
      lo:   {addresses: [10.255.0.2/32]}
      eth0: {addresses: [10.0.12.2/24]}
      eth1: {addresses: [10.0.23.1/24]}
    routes:
      - {to: 10.255.0.1/32, via: 10.0.12.1}
      - {to: 10.255.0.3/32, via: 10.0.23.2}
  r3:
    interfaces:
      lo:   {addresses: [10.255.0.3/32]}
      eth0: {addresses: [10.0.23.2/24]}
    routes:
      - {to: default, via: 10.0.23.1}
links:
  - [r1:eth0, r2:eth0]
  - [r2:eth1, r3:eth0]
EOF
# v2: no r3 (nor r2's side of that link, nor its route), no 10.99.0.0/16
sed -e '/^  r3:/,/^links:/{/^links:/!d}' -e '/10\.99\.0\.0/d' \
    -e '/eth1: {addresses: \[10.0.23.1/d' -e '/10\.255\.0\.3\/32/d' \
    -e '/r2:eth1, r3:eth0/d' "$T/v1.yaml" >"$T/v2.yaml"
"$VRFCTL" validate "$T/v2.yaml" >/dev/null || fail "v2 does not validate"
grep -q r3 "$T/v2.yaml" && fail "v2 still names r3"

"$VRFCTL" apply "$T/v1.yaml" >/dev/null || fail "apply v1"
expect_eq "$(ip netns list | awk '{print $1}' | sort | xargs)" "rm-r1 rm-r2 rm-r3" \
    "namespaces of v1"
ping_ok rm-r1 10.255.0.2 -I 10.255.0.1
ping_ok rm-r2 10.255.0.3 -I 10.255.0.2

say "plan v2: what goes"
# r2's end of the link to r3 goes, and with it what lives on it (its
# address, the route through it): the kernel drops those with the link,
# nothing deletes them one by one. r3's namespace goes with its links.
p=$("$VRFCTL" -j plan "$T/v2.yaml")
expect_eq "$(jq -r '[.plan[] | "\(.namespace) \(.op) \(.object)"] | sort | .[]' <<<"$p")" \
"rm-r1 delete route 10.99.0.0/16 metric 0
rm-r2 delete link eth1
rm-r3 delete namespace rm-r3" "plan v2"

say "apply v2"
r=$("$VRFCTL" -j apply "$T/v2.yaml") || { echo "$r"; fail "apply v2"; }
expect_eq "$(jq -r '.namespaces[] | select(.namespace == "rm-r3") | .state' <<<"$r")" \
    deleted "state of rm-r3"
expect_eq "$(ip netns list | awk '{print $1}' | sort | xargs)" "rm-r1 rm-r2" \
    "namespaces of v2"
[ ! -e /run/netns/rm-r3 ] || fail "/run/netns/rm-r3 is left"
expect_eq "$(ip -j -n rm-r2 link | jq -r '[.[].ifname] | sort | join(" ")')" \
    "eth0 lo" "r2's links"
expect_eq "$(ip -N -j -n rm-r1 route show proto 118 | jq -r '[.[].dst] | join(" ")')" \
    "10.255.0.2" "r1's routes"
expect_eq "$(ip -N -j -n rm-r2 route show proto 118 | jq -r '[.[].dst] | join(" ")')" \
    "10.255.0.1" "r2's routes"

say "what v2 keeps is intact"
expect_eq "$(q rm-r2 '[.[].addr_info[] | select(.scope == "global") |
    "\(.local)/\(.prefixlen)"] | sort | join(" ")' -4 addr)" \
    "10.0.12.2/24 10.255.0.2/32" "r2's addresses"
ping_ok rm-r1 10.255.0.2 -I 10.255.0.1
expect_eq "$("$VRFCTL" -j plan "$T/v2.yaml" | jq .changes)" 0 "plan v2 after"
say "ok"
