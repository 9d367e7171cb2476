#!/usr/bin/env bash
# t_reapply_noop: applying a converged lab again changes nothing. `plan -j`
# says 0 changes, and a second `apply` makes no kernel write at all: an
# `ip monitor` on every namespace of the lab sees no event between two
# markers of ours (a route in table 99 added before and after the apply),
# and the apply's report says 0 changes. The lab has a bit of everything:
# VRFs, a switch, ECMP, a blackhole, IPv6, neighbours, sysctls, MAC, MTU.
. "$(dirname "$0")/lib.sh"

cat >"$T/all.yaml" <<'EOF'
lab: noop
defaults:
  sysctl: {net.ipv4.ip_forward: 1, net.ipv6.conf.all.forwarding: 1}
routers:
  ce:
    sysctl: {net.ipv4.conf.all.rp_filter: 0}
    interfaces:
      lo:   {addresses: [10.255.0.1/32]}
      eth0: {addresses: [10.0.0.2/24, "2001:db8::2/64"], mac: "02:00:00:00:00:02", mtu: 9000}
      eth1: {addresses: [10.0.1.2/24]}
    routes:
      - to: 10.9.0.0/16
        nexthops: [{via: 10.0.0.1, weight: 3}, {via: 10.0.1.1}]
      - {to: "::/0", via: "2001:db8::1"}
      - {to: 192.0.2.0/24, type: blackhole}
      - {to: 198.51.100.0/24, type: unreachable, metric: 10}
    neighbours:
      - {ip: 10.0.0.1, lladdr: "02:00:00:00:00:01", dev: eth0}
  pe:
    vrfs:
      red:
        sysctl: {net.ipv4.conf.eth0.arp_ignore: 1}
        interfaces:
          eth0: {addresses: [10.0.0.1/24, "2001:db8::1/64"], mac: "02:00:00:00:00:01", mtu: 9000}
          eth1: {addresses: [10.0.1.1/24]}
        routes:
          - {to: 10.255.0.1/32, via: 10.0.0.2}
      blue:
        interfaces:
          eth0: {addresses: [10.0.2.1/24]}
  host:
    interfaces:
      eth0: {addresses: [10.0.2.10/24]}
    routes:
      - {to: default, via: 10.0.2.1}
switches:
  sw: {}
links:
  - [ce:eth0, pe/red:eth0]
  - [ce:eth1, pe/red:eth1]
  - [pe/blue:eth0, sw:p1]
  - [host:eth0, sw:p2]
EOF

"$VRFCTL" apply "$T/all.yaml" >/dev/null || fail "first apply"
nss=$(ip netns list | awk '{print $1}' | grep '^noop-' | sort)
expect_eq "$(xargs <<<"$nss")" "noop-ce noop-host noop-pe-blue noop-pe-red noop-sw" \
    "namespaces"
ping_ok noop-ce 10.255.0.1
ping_ok noop-host 10.0.2.1

say "plan: nothing to do"
p=$("$VRFCTL" -j plan "$T/all.yaml")
expect_eq "$(jq -c '[.changes, .converged, (.plan | length)]' <<<"$p")" \
    "[0,true,0]" "plan -j"
"$VRFCTL" plan "$T/all.yaml" | grep -qx "no changes" || fail "plan text"

say "the kernel done with the first apply"
# The kernel reports some carrier and operstate changes of new links
# later (its linkwatch defers them up to a second): those events belong
# to the first apply. Wait (bounded) until every link says UP.
settled() {
	local ns
	for ns in $nss; do
		[ "$(ip -j -n "$ns" link | jq '[.[] | select(.ifname != "lo" and
		    .operstate != "UP")] | length')" = 0 ] || return 1
	done
}
for ns in $nss; do
	ip -j -n "$ns" link | jq -r --arg ns "$ns" '.[] | select(.ifname != "lo"
	    and .operstate != "UP") | [" not yet UP:", $ns, .ifname, "ifindex",
	    .ifindex, "peer ifindex", .link_index, .operstate] | join(" ")'
done
t0=$(date +%s%N)
wait_for 60 settled || fail "links not up 3 s after apply"
echo "every link UP $(( ($(date +%s%N) - t0) / 1000000 )) ms after the check began"

say "monitors on every namespace, each seen to listen"
pids=()
stop_monitors() {
	local pid
	for pid in "${pids[@]}"; do
		kill "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	done
	pids=()
}
trap 'stop_monitors; rm -rf "$T"' EXIT
for ns in $nss; do
	ip -n "$ns" monitor >"$T/mon.$ns" 2>&1 &
	pids+=($!)
done
# A marker is a route in table 99 (vrfd only looks at the main table) on
# lo. listening NS: add and remove it until the monitor of NS shows both
# (it may not have subscribed yet when the first one goes by); then note
# how many lines its file has.
declare -A seen
listening() {
	local ns=$1 try
	for ((try = 0; try < 20; try++)); do
		ip -n "$ns" route add 198.18.0.1/32 dev lo table 99
		if wait_for 4 grep -q "^198.18.0.1 dev lo table 99" "$T/mon.$ns"; then
			ip -n "$ns" route del 198.18.0.1/32 dev lo table 99
			wait_for 100 grep -q "^Deleted 198.18.0.1 dev lo table 99" \
			    "$T/mon.$ns" || fail "$ns: the monitor stopped"
			seen[$ns]=$(wc -l <"$T/mon.$ns")
			return 0
		fi
		ip -n "$ns" route del 198.18.0.1/32 dev lo table 99
	done
	fail "the monitor of $ns does not listen"
}
for ns in $nss; do
	listening "$ns"
done

say "apply again: 0 changes reported, no event in any namespace"
r=$("$VRFCTL" -j apply "$T/all.yaml") || fail "second apply failed"
expect_eq "$(jq -c '[.changes, .failed, .converged]' <<<"$r")" \
    "[0,0,true]" "apply -j"
expect_eq "$(jq -r '[.namespaces[].state] | unique | join(" ")' <<<"$r")" \
    unchanged "namespace states"
# the closing marker: once each monitor shows it, it has shown all before
for ns in $nss; do
	ip -n "$ns" route add 198.18.0.2/32 dev lo table 99
	wait_for 100 grep -q "^198.18.0.2 dev lo table 99" "$T/mon.$ns" ||
		fail "$ns: the monitor stopped"
done
stop_monitors
for ns in $nss; do
	between=$(tail -n +"$((seen[$ns] + 1))" "$T/mon.$ns" |
	    sed '/^198\.18\.0\.2 dev lo table 99/,$d')
	[ -z "$between" ] || fail "$ns: the second apply wrote to the kernel:
$between"
done
say "ok"
