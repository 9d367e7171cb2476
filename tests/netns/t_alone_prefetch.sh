#!/usr/bin/env bash
# t_alone_prefetch: vrfctl without vrfd reads a lab's namespaces (those
# named after it) on another core while it parses the file, and the pass
# takes what was read (engine/prefetch.c). What was read ahead is the
# namespace as it is: a route deleted by hand is found, in a namespace
# with sysctls and in one without; net.ipv4.ip_forward is read ahead,
# and taken as read where it is all a namespace declares (c); other
# sysctls are read by the pass and found changed, those netconf carries
# (of either family, of all devices or of one) and one only /proc/sys
# holds;
# a namespace of another lab whose name starts with this one's is read
# ahead but never touched; a namespace of the lab replaced by someone's
# is in the way, whatever was read of the old one. (Router z's 3000
# routes make the file take long enough to load that a and b, first in
# name order, are read ahead before the pass.)
. "$(dirname "$0")/lib.sh"

{
cat <<'EOF'
lab: p
routers:
  a:
    sysctl: {net.ipv4.ip_forward: 1, net.ipv4.icmp_echo_ignore_all: 1}
    interfaces: {eth0: {addresses: [10.0.0.1/24]}}
    routes:
      - {to: 10.9.0.0/16, via: 10.0.0.2}
  b:
    sysctl: {net.ipv4.conf.eth0.rp_filter: 2, net.ipv6.conf.all.forwarding: 1}
    interfaces: {eth0: {addresses: [10.0.0.2/24]}}
    routes:
      - {to: 10.8.0.0/16, via: 10.0.0.1}
  c:
    sysctl: {net.ipv4.ip_forward: 1}
  z:
    routes:
EOF
for i in $(seq 0 2999); do
	echo "      - {to: 10.$((100 + i / 250)).$((i % 250)).0/24, type: blackhole}"
done
cat <<'EOF'
links:
  - [a:eth0, b:eth0]
EOF
} > "$T/p.yaml"
cat > "$T/px.yaml" <<'EOF'
lab: p-x
routers:
  a:
    interfaces: {eth0: {addresses: [10.1.0.1/24]}}
  b:
    interfaces: {eth0: {addresses: [10.1.0.2/24]}}
links:
  - [a:eth0, b:eth0]
EOF

say "two labs, one named with the other's name first"
"$VRFCTL" apply "$T/p.yaml" > "$T/out" || fail "apply p: $(cat "$T/out")"
"$VRFCTL" apply "$T/px.yaml" > "$T/out" || fail "apply p-x: $(cat "$T/out")"
ip -n p-x-a link set eth0 mtu 1400	# someone's change, lab p-x's

say "drift in lab p: a route in each namespace, then sysctls"
ip -n p-a route del 10.9.0.0/16
ip -n p-b route del 10.8.0.0/16
"$VRFCTL" -j apply "$T/p.yaml" > "$T/fix.json" || fail "apply: $(cat "$T/fix.json")"
ip -n p-a route show 10.9.0.0/16 | grep -q via || fail "p-a's route is not back"
ip -n p-b route show 10.8.0.0/16 | grep -q via || fail "p-b's route is not back"
expect_eq "$(jq '[.namespaces[] | select(.state != "unchanged")] | length' \
    "$T/fix.json")" 2 "namespaces changed"
for nkv in a/net.ipv4.ip_forward=1 a/net.ipv4.icmp_echo_ignore_all=1 \
    b/net.ipv4.conf.eth0.rp_filter=2 b/net.ipv6.conf.all.forwarding=1 \
    c/net.ipv4.ip_forward=1; do
	ns=p-${nkv%%/*} kv=${nkv#*/} key=${kv%=*}
	ip netns exec "$ns" sysctl -qw "$key=0"
	"$VRFCTL" -j apply "$T/p.yaml" > "$T/fix.json" ||
		fail "apply: $(cat "$T/fix.json")"
	expect_eq "$(ip netns exec "$ns" sysctl -n "$key")" "${kv#*=}" \
	    "$ns's $key"
	expect_eq "$(jq '.changes' "$T/fix.json")" 1 "changes for $ns's $key"
done
expect_eq "$(ip -n p-x-a -o link show eth0 | grep -o 'mtu [0-9]*')" \
    "mtu 1400" "lab p-x, read ahead with lab p's: untouched"
"$VRFCTL" plan p | grep -q "no changes" || fail "plan p: $("$VRFCTL" plan p)"

say "a namespace of the lab replaced by someone's: in the way"
ip netns delete p-b
ip netns add p-b
rc=0; "$VRFCTL" apply "$T/p.yaml" > "$T/out" 2>&1 || rc=$?
[ "$rc" -ne 0 ] || fail "applied over someone's p-b: $(cat "$T/out")"
grep -q "p-b" "$T/out" || fail "p-b not named: $(cat "$T/out")"
[ -z "$(ip -n p-b -o addr show scope global)" ] ||
	fail "someone's p-b was changed: $(ip -n p-b -o addr)"
ip netns delete p-b

"$VRFCTL" destroy p > /dev/null
"$VRFCTL" destroy p-x > /dev/null
echo ok
