#!/usr/bin/env bash
# t_neighbours: declared neighbours (IPv4 and IPv6) are in the kernel as
# permanent entries with the declared MAC and protocol 118, and are used:
# r1 reaches r2 with no ARP exchange (the entry stays permanent, nothing
# is learned), and an entry that names a wrong MAC on purpose (10.0.0.3,
# also r2's address) makes r2 unreachable at that address.
. "$(dirname "$0")/lib.sh"

cat >"$T/neigh.yaml" <<'EOF'
lab: nb
routers:
  r1:
    interfaces:
      eth0: {addresses: [10.0.0.1/24, "2001:db8::1/64"], mac: "02:00:00:00:01:01"}
    neighbours:
      - {ip: 10.0.0.2, lladdr: "02:00:00:00:02:02", dev: eth0}
      - {ip: "2001:db8::2", lladdr: "02:00:00:00:02:02", dev: eth0}
      - {ip: 10.0.0.3, lladdr: "02:00:00:00:09:09", dev: eth0}
  r2:
    interfaces:
      eth0: {addresses: [10.0.0.2/24, 10.0.0.3/24, "2001:db8::2/64"], mac: "02:00:00:00:02:02"}
    neighbours:
      - {ip: 10.0.0.1, lladdr: "02:00:00:00:01:01", dev: eth0}
      - {ip: "2001:db8::1", lladdr: "02:00:00:00:01:01", dev: eth0}
links:
  - [r1:eth0, r2:eth0]
EOF

"$VRFCTL" apply "$T/neigh.yaml" >/dev/null || fail "apply"

# "ip lladdr state protocol" of the entries of NS on eth0, sorted
entries() {
	ip -N -j -n "$1" neigh show dev eth0 | jq -r '[.[] | [.dst, .lladdr,
	    (.state | join(",")), .protocol // "-"] | join(" ")] | sort |
	    join("; ")'
}

say "permanent, with the declared MAC and our protocol"
expect_eq "$(entries nb-r1)" "10.0.0.2 02:00:00:00:02:02 PERMANENT 118; 10.0.0.3 02:00:00:00:09:09 PERMANENT 118; 2001:db8::2 02:00:00:00:02:02 PERMANENT 118" \
    "r1's neighbours"
expect_eq "$(entries nb-r2)" "10.0.0.1 02:00:00:00:01:01 PERMANENT 118; 2001:db8::1 02:00:00:00:01:01 PERMANENT 118" \
    "r2's neighbours"

say "they are used: traffic with no resolution"
ping_ok nb-r1 10.0.0.2
ping_ok nb-r1 2001:db8::2 -6
expect_eq "$(entries nb-r1)" "10.0.0.2 02:00:00:00:02:02 PERMANENT 118; 10.0.0.3 02:00:00:00:09:09 PERMANENT 118; 2001:db8::2 02:00:00:00:02:02 PERMANENT 118" \
    "r1's neighbours after traffic"
# r2 answered r1 through its own permanent entry: it learned nothing
expect_eq "$(entries nb-r2)" "10.0.0.1 02:00:00:00:01:01 PERMANENT 118; 2001:db8::1 02:00:00:00:01:01 PERMANENT 118" \
    "r2's neighbours after traffic"

say "a wrong MAC is obeyed: r2 is not reached at 10.0.0.3"
ping_fails nb-r1 10.0.0.3

say "re-apply keeps them: no change"
expect_eq "$("$VRFCTL" -j plan "$T/neigh.yaml" | jq .changes)" 0 "plan changes"
say "ok"
