#!/usr/bin/env bash
# t_alone_seal: vrfctl without vrfd seals a lab that an apply found exactly
# as declared (labs/LAB.seal, engine/seal.h), and answers the next apply
# of the same text by reading the namespaces as that pass read them: the
# topology is not loaded (its tree, labs/LAB.tree, is not even opened),
# and the answer is the pass's, word for word, in text and JSON. Every
# drift, of each kind of object, is still found and repaired, the seal
# then made again; a changed text, runtime overrides, a namespace made
# again or one more named after the lab each take the pass; services or
# warnings keep a lab from being sealed at all. Destroy takes the seal.
. "$(dirname "$0")/lib.sh"

command -v strace > /dev/null || fail "strace is needed"
SEAL=/var/lib/vrfd/labs/sl.seal
cat > "$T/sl.yaml" <<'EOF'
lab: sl
defaults:
  sysctl: {net.ipv4.ip_forward: 1}
routers:
  a:
    sysctl: {net.ipv4.icmp_echo_ignore_all: 1, net.ipv6.conf.all.forwarding: 1}
    interfaces:
      lo: {addresses: [10.255.0.1/32]}
      eth0: {addresses: [10.0.1.1/24, "2001:db8:1::1/64"]}
      eth1: {addresses: [10.0.2.1/24]}
    routes:
      - to: 10.9.0.0/16
        nexthops:
          - {via: 10.0.1.2, weight: 3}
          - {via: 10.0.2.2}
      - {to: "2001:db8:9::/48", via: "2001:db8:1::2"}
      - {to: 192.0.2.0/24, type: blackhole}
    neighbours:
      - {ip: 10.0.1.2, lladdr: "02:00:00:00:01:02", dev: eth0}
  pe:
    vrfs:
      red:
        interfaces: {eth0: {addresses: [10.0.1.2/24, "2001:db8:1::2/64"]}}
  c:
    interfaces:
      eth0: {addresses: [10.0.2.2/24]}
switches:
  lan: {}
links:
  - [a:eth0, pe/red:eth0]
  - endpoints: [a:eth1, lan:p1]
    impair: {rate: 50mbit, burst: 64kb, limit: 256kb}
  - [c:eth0, lan:p2]
EOF

# [try_]apply [ARGS...]: vrfctl apply of the lab, its output in $T/out;
# the files it opened in $T/opened. apply: it must converge.
try_apply() {
	strace -f -qq -e trace=openat -o "$T/opened" \
	    "$VRFCTL" "$@" apply "$T/sl.yaml" > "$T/out" 2>&1
}
apply() {
	try_apply "$@" || fail "apply: $(cat "$T/out")"
}
answered() {	# by the seal: no topology loaded
	! grep -q 'labs/sl\.tree' "$T/opened" ||
		fail "$1: the topology was loaded: $(cat "$T/out")"
	grep -q 'labs/sl\.seal' "$T/opened" || fail "$1: no seal read"
}
passed() {	# by a pass
	grep -q 'labs/sl\.tree' "$T/opened" ||
		fail "$1: answered without a pass: $(cat "$T/out")"
}
unchanged() {
	grep -q "lab sl: 0 changes, 0 failed, 4 of 4 namespaces unchanged; converged" \
	    "$T/out" || fail "$1: $(cat "$T/out")"
}

say "a cold apply seals nothing; the first no-op seals the lab"
apply
[ ! -e "$SEAL" ] || fail "sealed after an apply that made the lab"
apply
passed "the first no-op"
unchanged "the first no-op"
[ -s "$SEAL" ] || fail "no seal: $(ls /var/lib/vrfd/labs)"
cp "$T/out" "$T/by_pass"
apply -j
cp "$T/out" "$T/by_pass.json"

say "the same text again: answered from the seal, the same words"
apply
answered "a no-op"
diff "$T/by_pass" "$T/out" || fail "not the pass's words"
apply -j
answered "a no-op, -j"
diff "$T/by_pass.json" "$T/out" || fail "not the pass's JSON"

# drift WHAT CMD...: someone's change, found and undone by the next apply
# (a pass), the lab sealed again by the one after and answered from then.
drift() {
	local what=$1
	shift
	say "drift: $what"
	"$@"
	apply
	passed "$what"
	grep -Eq "lab sl: [1-9][0-9]* changes?, 0 failed, [0-3] of 4 namespaces unchanged; converged" \
	    "$T/out" || fail "$what: not undone: $(cat "$T/out")"
	apply
	passed "$what, then"
	unchanged "$what, then"
	apply
	answered "$what, then again"
	unchanged "$what, then again"
}
drift "an ECMP route" ip -n sl-a route del 10.9.0.0/16
drift "an IPv6 route" ip -n sl-a -6 route del 2001:db8:9::/48
drift "a blackhole" ip -n sl-a route del blackhole 192.0.2.0/24
drift "an address" ip -n sl-a address del 10.255.0.1/32 dev lo
drift "an IPv6 address" ip -n sl-pe-red address del 2001:db8:1::2/64 dev eth0
drift "a neighbour" ip -n sl-a neigh del 10.0.1.2 dev eth0
drift "a link down" ip -n sl-c link set eth0 down
drift "a bridge port" ip -n sl-lan link set p2 nomaster
drift "a qdisc" tc -n sl-a qdisc del dev eth1 root
drift "a netconf sysctl" ip netns exec sl-a sysctl -qw net.ipv4.ip_forward=0
drift "an IPv6 netconf sysctl" \
    ip netns exec sl-a sysctl -qw net.ipv6.conf.all.forwarding=0
drift "a /proc sysctl" \
    ip netns exec sl-a sysctl -qw net.ipv4.icmp_echo_ignore_all=0
drift "a veth" ip -n sl-c link del eth0

say "a route someone added where the lab has routes: a pass, left alone"
ip -n sl-a route add 203.0.113.0/24 via 10.0.1.2
apply
passed "a route of someone's"
apply
passed "a route of someone's, the seal gone"
ip -n sl-a route show 203.0.113.0/24 | grep -q via || fail "someone's route"
ip -n sl-a route del 203.0.113.0/24
apply
apply
answered "someone's route gone"

say "a changed text takes a pass, and is applied"
cp "$T/sl.yaml" "$T/sl.orig"
sed -i 's|192.0.2.0/24, type: blackhole|192.0.2.0/25, type: blackhole|' \
    "$T/sl.yaml"
apply
passed "a changed text"
[ ! -e "$SEAL" ] || fail "sealed by an apply that changed the lab"
ip -n sl-a route show 192.0.2.0/25 | grep -q blackhole || fail "not applied"
cp "$T/sl.orig" "$T/sl.yaml"
apply
apply
apply
answered "the text back"

say "runtime overrides unseal the lab; the apply ends them"
"$VRFCTL" link set sl a:eth0 down > "$T/link" ||
	fail "link set: $(cat "$T/link")"
[ ! -e "$SEAL" ] || fail "still sealed with overrides"
apply
passed "overrides"
ip -n sl-a link show eth0 | grep -q ',UP' || fail "the link stays down"

say "a namespace made again by someone: a pass"
apply
apply
answered "before"
ip netns delete sl-c
ip netns add sl-c
! try_apply || fail "converged with someone's sl-c"
passed "sl-c made again"
grep -q "sl-c: namespace sl-c exists and is not this lab's" "$T/out" ||
	fail "someone's sl-c not said: $(cat "$T/out")"
ip netns delete sl-c
apply
ip -n sl-c link show eth0 > /dev/null || fail "sl-c not made again"

say "one namespace more named after the lab: a pass each time"
apply
apply
answered "before"
ip netns add sl-zz
apply
passed "sl-zz there"
apply
passed "sl-zz there, again"
ip netns delete sl-zz

say "the seal of another text, or of no text kept, is no answer"
apply
apply
answered "before"
printf '# a comment\n' >> /var/lib/vrfd/labs/sl.yaml
apply
passed "the text kept written by hand"
cmp -s /var/lib/vrfd/labs/sl.yaml "$T/sl.yaml" || fail "the text not kept"

say "a damaged seal is no seal"
apply
printf 'vrfd-seal 1\ntext 1-1\n' > "$SEAL"
apply
passed "a damaged seal"
unchanged "a damaged seal"

say "a topology with warnings is never sealed: they are said each time"
cat > "$T/wn.yaml" <<'EOF'
lab: wn
routers:
  a:
    interfaces: {eth0: {addresses: [10.0.0.1/24]}}
  b:
    interfaces: {eth0: {addresses: [10.0.0.1/24]}}
links:
  - [a:eth0, b:eth0]
EOF
for i in 1 2 3; do
	"$VRFCTL" apply "$T/wn.yaml" > "$T/out" 2>&1 ||
		fail "apply wn: $(cat "$T/out")"
	grep -q "warning: .*address 10.0.0.1 is also on" "$T/out" ||
		fail "apply $i: the warning not said: $(cat "$T/out")"
done
[ ! -e /var/lib/vrfd/labs/wn.seal ] || fail "a lab with warnings sealed"
"$VRFCTL" destroy wn > "$T/out" || fail "destroy wn: $(cat "$T/out")"

say "a lab with services is never sealed"
cat > "$T/svc.yaml" <<'EOF'
lab: sv
routers:
  a:
    services:
      - {name: sleeper, command: "sleep 1000"}
EOF
"$VRFCTL" apply "$T/svc.yaml" > "$T/out" || fail "apply sv: $(cat "$T/out")"
"$VRFCTL" apply "$T/svc.yaml" > "$T/out" || fail "apply sv: $(cat "$T/out")"
[ ! -e /var/lib/vrfd/labs/sv.seal ] || fail "a lab with services sealed"
"$VRFCTL" destroy sv > "$T/out" || fail "destroy sv: $(cat "$T/out")"

say "destroy takes the seal"
apply
apply
[ -e "$SEAL" ] || fail "no seal before destroy"
"$VRFCTL" destroy sl > "$T/out" || fail "destroy: $(cat "$T/out")"
[ ! -e "$SEAL" ] || fail "the seal stays after destroy"
echo ok
