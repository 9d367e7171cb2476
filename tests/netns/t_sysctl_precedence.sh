#!/usr/bin/env bash
# t_sysctl_precedence: sysctls are merged defaults < router < VRF, each
# namespace gets its own values (read back from inside it with sysctl -n),
# a per-interface key is set on its interface, duplicate address detection
# is off in every namespace, and a sysctl changed by hand is found by plan
# and put back by apply.
. "$(dirname "$0")/lib.sh"

cat >"$T/sc.yaml" <<'EOF'
lab: sc
defaults:
  sysctl:
    net.ipv4.ip_forward: 0
    net.ipv4.conf.all.rp_filter: 2
    net.ipv6.conf.all.forwarding: 1
routers:
  plain:
    interfaces: {eth0: {addresses: [10.0.0.1/24]}}
  r1:
    sysctl: {net.ipv4.ip_forward: 1}
    interfaces: {eth0: {addresses: [10.0.0.2/24]}}
  pe:
    sysctl: {net.ipv4.ip_forward: 1, net.ipv4.conf.all.rp_filter: 1}
    vrfs:
      a:
        sysctl:
          net.ipv4.ip_forward: 0
          net.ipv6.conf.all.forwarding: 0
          net.ipv4.conf.eth0.arp_ignore: 2
        interfaces: {eth0: {addresses: [10.0.1.1/24]}}
      b:
        interfaces: {eth0: {addresses: [10.0.1.2/24]}}
links:
  - [plain:eth0, r1:eth0]
  - [pe/a:eth0, pe/b:eth0]
EOF

"$VRFCTL" apply "$T/sc.yaml" >/dev/null || fail "apply"

get() { ip netns exec "$1" sysctl -n "$2"; }
# want NS "ip_forward rp_filter v6-forwarding"
want() {
	expect_eq "$(get "$1" net.ipv4.ip_forward) $(get "$1" \
	    net.ipv4.conf.all.rp_filter) $(get "$1" \
	    net.ipv6.conf.all.forwarding)" "$2" "$1 (ip_forward rp_filter v6fwd)"
}

say "defaults < router < VRF"
want sc-plain "0 2 1"		# defaults only
want sc-r1 "1 2 1"		# router over defaults
want sc-pe-a "0 1 0"		# VRF over router over defaults
want sc-pe-b "1 1 1"		# router over defaults

say "a per-interface key, on its interface only"
expect_eq "$(get sc-pe-a net.ipv4.conf.eth0.arp_ignore)" 2 "pe/a eth0 arp_ignore"
expect_eq "$(get sc-pe-b net.ipv4.conf.eth0.arp_ignore)" 0 "pe/b eth0 arp_ignore"

say "duplicate address detection off in every namespace"
for ns in sc-plain sc-r1 sc-pe-a sc-pe-b; do
	expect_eq "$(get "$ns" net.ipv6.conf.all.accept_dad) $(get "$ns" \
	    net.ipv6.conf.default.accept_dad) $(get "$ns" \
	    net.ipv6.conf.eth0.accept_dad)" "0 0 0" "$ns accept_dad"
done

say "the kernel took them: eth0 forwards in r1, not in plain (netconf)"
ip -n sc-r1 -4 netconf show dev eth0 | grep -q "forwarding on" ||
	fail "r1 eth0 does not forward"
ip -n sc-plain -4 netconf show dev eth0 | grep -q "forwarding off" ||
	fail "plain eth0 forwards"

say "changed by hand: found by plan, put back by apply"
ip netns exec sc-pe-b sysctl -qw net.ipv4.ip_forward=0
p=$("$VRFCTL" -j plan "$T/sc.yaml")
expect_eq "$(jq -r '[.plan[] | "\(.namespace) \(.object)"] | join(", ")' \
    <<<"$p")" "sc-pe-b sysctl net.ipv4.ip_forward=1" "plan"
"$VRFCTL" apply "$T/sc.yaml" >/dev/null || fail "apply after drift"
want sc-pe-b "1 1 1"
expect_eq "$("$VRFCTL" -j plan "$T/sc.yaml" | jq .changes)" 0 "changes after"
say "ok"
