#!/usr/bin/env bash
# t_vrf_isolation: two VRFs of one router with the same addresses are two
# worlds. Each customer has the shared plan (10.1.0.0/24, 192.168.1.1) and
# a loopback of its own (172.16.1.1 red, 172.16.2.1 blue): each VRF
# reaches its own customer's and never the other's, and the shared
# address 192.168.1.1 is answered by the VRF's own customer (counted on
# the customers' interfaces).
. "$(dirname "$0")/lib.sh"

cat >"$T/vrfs.yaml" <<'EOF'
lab: iso
routers:
  ce-red:
    interfaces:
      lo:   {addresses: [192.168.1.1/32, 172.16.1.1/32]}
      eth0: {addresses: [10.1.0.2/24, "2001:db8:1::2/64"]}
    routes:
      - {to: default, via: 10.1.0.1}
      - {to: "::/0", via: "2001:db8:1::1"}
  ce-blue:
    interfaces:
      lo:   {addresses: [192.168.1.1/32, 172.16.2.1/32]}
      eth0: {addresses: [10.1.0.2/24, "2001:db8:1::2/64"]}
    routes:
      - {to: default, via: 10.1.0.1}
      - {to: "::/0", via: "2001:db8:1::1"}
  pe1:
    vrfs:
      red:
        interfaces: {eth1: {addresses: [10.1.0.1/24, "2001:db8:1::1/64"]}}
        routes:
          - {to: 192.168.1.0/24, via: 10.1.0.2}
          - {to: 172.16.1.0/24, via: 10.1.0.2}
      blue:
        interfaces: {eth2: {addresses: [10.1.0.1/24, "2001:db8:1::1/64"]}}
        routes:
          - {to: 192.168.1.0/24, via: 10.1.0.2}
          - {to: 172.16.2.0/24, via: 10.1.0.2}
links:
  - [ce-red:eth0, pe1/red:eth1]
  - [ce-blue:eth0, pe1/blue:eth2]
EOF

"$VRFCTL" apply "$T/vrfs.yaml" >/dev/null || fail "apply"

say "one namespace per VRF, the same addresses in both"
expect_eq "$(ip netns list | awk '{print $1}' | sort | xargs)" \
    "iso-ce-blue iso-ce-red iso-pe1-blue iso-pe1-red" "namespaces"
for v in red blue; do
	expect_eq "$(q "iso-pe1-$v" '[.[].addr_info[] | select(.scope ==
	    "global") | "\(.local)/\(.prefixlen)"] | sort | join(" ")' addr)" \
	    "10.1.0.1/24 2001:db8:1::1/64" "pe1/$v addresses"
done
expect_eq "$(q iso-pe1-red '[.[].dst] | sort | join(" ")' route show proto 118)" \
    "172.16.1.0/24 192.168.1.0/24" "pe1/red routes"
expect_eq "$(q iso-pe1-blue '[.[].dst] | sort | join(" ")' route show proto 118)" \
    "172.16.2.0/24 192.168.1.0/24" "pe1/blue routes"

say "each VRF reaches its own customer's loopback, not the other's"
ping_ok iso-pe1-red 172.16.1.1
ping_ok iso-pe1-blue 172.16.2.1
ping_fails iso-pe1-red 172.16.2.1
ping_fails iso-pe1-blue 172.16.1.1
ping_ok iso-pe1-red 2001:db8:1::2 -6
ping_ok iso-pe1-blue 2001:db8:1::2 -6

say "the shared address is answered by the VRF's own customer"
# rx_packets of each customer's eth0: 5 pings from red land on ce-red only
rx() { ip -j -s -n "$1" link show eth0 | jq '.[0].stats64.rx.packets'; }
r0=$(rx iso-ce-red) b0=$(rx iso-ce-blue)
ip netns exec iso-pe1-red ping -q -c 5 -i 0.01 -W 1 192.168.1.1 >/dev/null ||
	fail "pe1/red cannot reach 192.168.1.1"
r1=$(rx iso-ce-red) b1=$(rx iso-ce-blue)
[ $((r1 - r0)) -ge 5 ] || fail "ce-red received $((r1 - r0)) packets, want >= 5"
[ $((b1 - b0)) -lt 5 ] || fail "ce-blue received $((b1 - b0)) packets from red's pings"
b0=$b1 r0=$r1
ip netns exec iso-pe1-blue ping -q -c 5 -i 0.01 -W 1 192.168.1.1 >/dev/null ||
	fail "pe1/blue cannot reach 192.168.1.1"
r1=$(rx iso-ce-red) b1=$(rx iso-ce-blue)
[ $((b1 - b0)) -ge 5 ] || fail "ce-blue received $((b1 - b0)) packets, want >= 5"
[ $((r1 - r0)) -lt 5 ] || fail "ce-red received $((r1 - r0)) packets from blue's pings"
say "ok"
