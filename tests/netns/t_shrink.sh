#!/usr/bin/env bash
# t_shrink: applying a file with fewer routers, or fewer links, exits 0
# when the result matches it. A link that goes takes both its ends, and
# what lived on them (addresses, IPv6 ones, static neighbours, routes
# through them) goes with it: nothing fails with "No such device", for
# the routers that go and for those that stay, through vrfctl alone or
# through vrfd.
. "$(dirname "$0")/lib_daemon.sh"

cat >"$T/big.yaml" <<'EOF'
lab: s
routers:
  hub:
    sysctl: {net.ipv4.ip_forward: 1}
    interfaces:
      eth1: {addresses: [10.1.0.1/24, "2001:db8:1::1/64"]}
      eth2: {addresses: [10.2.0.1/24, "2001:db8:2::1/64"], mtu: 1400}
      eth3: {addresses: [10.3.0.1/24]}
    routes:
      - {to: 10.20.0.0/16, via: 10.2.0.2}
      - {to: "2001:db8:20::/48", via: "2001:db8:2::2"}
      - {to: 10.30.0.0/16, nexthops: [{via: 10.2.0.2}, {via: 10.3.0.2}]}
    neighbours:
      - {ip: 10.1.0.2, lladdr: "02:00:00:00:01:02", dev: eth1}
      - {ip: 10.2.0.2, lladdr: "02:00:00:00:02:02", dev: eth2}
      - {ip: "2001:db8:2::2", lladdr: "02:00:00:00:02:02", dev: eth2}
  a:
    interfaces: {eth0: {addresses: [10.1.0.2/24], mac: "02:00:00:00:01:02"}}
    routes: [{to: default, via: 10.1.0.1}]
  b:
    interfaces:
      eth0: {addresses: [10.2.0.2/24, "2001:db8:2::2/64"], mac: "02:00:00:00:02:02"}
    neighbours: [{ip: 10.2.0.1, lladdr: "02:00:00:00:00:01", dev: eth0}]
  c:
    interfaces: {eth0: {addresses: [10.3.0.2/24]}}
links:
  - [hub:eth1, a:eth0]
  - [hub:eth2, b:eth0]
  - [hub:eth3, c:eth0]
EOF
# b and c gone, and with them the hub's eth2 and eth3 and all on them
cat >"$T/small.yaml" <<'EOF'
lab: s
routers:
  hub:
    sysctl: {net.ipv4.ip_forward: 1}
    interfaces:
      eth1: {addresses: [10.1.0.1/24, "2001:db8:1::1/64"]}
    neighbours:
      - {ip: 10.1.0.2, lladdr: "02:00:00:00:01:02", dev: eth1}
  a:
    interfaces: {eth0: {addresses: [10.1.0.2/24], mac: "02:00:00:00:01:02"}}
    routes: [{to: default, via: 10.1.0.1}]
links:
  - [hub:eth1, a:eth0]
EOF
# b and c kept, their links gone: their ends go with the hub's
sed 's/^links:$/  b: {}\n  c: {}\nlinks:/' "$T/small.yaml" >"$T/unlinked.yaml"
"$VRFCTL" validate "$T/big.yaml" "$T/small.yaml" "$T/unlinked.yaml" \
    >"$T/v" 2>&1 || fail "the test's files: $(cat "$T/v")"

# shrink FILE DELETED NAMESPACES VRFCTL...: the big lab, then FILE; exit 0,
# converged, DELETED removed, NAMESPACES left, nothing more to do.
shrink() {
	local file=$1 deleted=$2 names=$3 r
	shift 3
	"$@" apply "$T/big.yaml" >/dev/null || fail "apply the big lab"
	ping_ok s-a 10.1.0.1
	r=$("$@" -j apply "$file") ||
		fail "shrinking failed: $(jq -c '.errors' <<<"$r")"
	expect_eq "$(jq -c '[.failed, .converged, ([.namespaces[] |
	    select(.state == "deleted") | .namespace] | sort)]' <<<"$r")" \
	    "[0,true,$deleted]" "the shrinking apply"
	expect_eq "$("$@" -j plan "$file" | jq .changes)" 0 "changes after"
	expect_eq "$(ip netns list | awk '{print $1}' | sort | xargs)" \
	    "$names" "namespaces after"
	expect_eq "$(ip -n s-hub -o link show | awk -F': ' '{print $2}' |
	    sed 's/@.*//' | sort | xargs)" "eth1 lo" "hub's links"
	ping_ok s-a 10.1.0.1
	"$@" destroy s >/dev/null || fail "destroy"
}

for how in "$VRFCTL" vctl; do
	if [ "$how" = vctl ]; then
		say "through vrfd"
		start_vrfd
	else
		say "vrfctl alone"
	fi
	say "routers removed"
	shrink "$T/small.yaml" '["s-b","s-c"]' "s-a s-hub" $how
	say "links removed, routers kept"
	shrink "$T/unlinked.yaml" '[]' "s-a s-b s-c s-hub" $how
	expect_eq "$(ip netns list | wc -l)" 0 "namespaces after destroy"
done
stop_vrfd
say ok
