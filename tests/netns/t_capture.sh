#!/usr/bin/env bash
# t_capture: `vrfctl capture` runs tcpdump on a node's interface, in the
# node's namespace: a pcap file (-w FILE) that holds a ping (read back
# with tcpdump -r), the pcap on stdout (-w -), tcpdump's text without
# -w, a filter; and clear words for a node or an interface that is not
# there.
. "$(dirname "$0")/lib.sh"

CAP_PID=
cleanup() {
	[ -z "$CAP_PID" ] || { kill "$CAP_PID" 2>/dev/null; wait "$CAP_PID" 2>/dev/null; } || true
	rm -rf "$T"
}
trap cleanup EXIT

command -v tcpdump >/dev/null || fail "tcpdump is not installed (Debian package tcpdump)"

cat >"$T/cap.yaml" <<'EOF'
lab: cap
routers:
  a:
    interfaces:
      eth0: {addresses: [10.0.0.1/24]}
  b:
    interfaces:
      eth0: {addresses: [10.0.0.2/24]}
links:
  - [a:eth0, b:eth0]
EOF
"$VRFCTL" apply "$T/cap.yaml" >/dev/null || fail "apply"

# capture OUT ARGS...: vrfctl capture ARGS in the background, its stdout
# into OUT, its stderr into OUT.err; back once tcpdump listens.
capture() {
	local out=$1
	shift
	"$VRFCTL" capture "$@" >"$out" 2>"$out.err" &
	CAP_PID=$!
	wait_for 100 grep -q "listening on" "$out.err" ||
		fail "tcpdump did not start: $(cat "$out.err")"
}
# finish: the capture ends by itself (-c), in time.
finish() {
	local i
	for ((i = 0; i < 100; i++)); do
		kill -0 "$CAP_PID" 2>/dev/null || break
		sleep 0.05
	done
	kill -0 "$CAP_PID" 2>/dev/null && fail "the capture did not end"
	wait "$CAP_PID" || fail "vrfctl capture failed: $(cat "$1.err")"
	CAP_PID=
}

say "a pcap file, with a ping in it"
capture "$T/o1" -w "$T/ping.pcap" -c 2 cap b:eth0 icmp
ip netns exec cap-a ping -c 1 -W 1 10.0.0.2 >/dev/null || fail "ping"
finish "$T/o1"
tcpdump -n -r "$T/ping.pcap" >"$T/read" 2>/dev/null || fail "tcpdump -r"
grep -q "10.0.0.1 > 10.0.0.2: ICMP echo request" "$T/read" ||
	fail "no echo request in the pcap: $(cat "$T/read")"
grep -q "10.0.0.2 > 10.0.0.1: ICMP echo reply" "$T/read" ||
	fail "no echo reply in the pcap: $(cat "$T/read")"

say "the pcap on stdout (-w -), the lab by -l"
capture "$T/o2" -l cap -w - -c 2 a:eth0 icmp
ip netns exec cap-a ping -c 1 -W 1 10.0.0.2 >/dev/null || fail "ping"
finish "$T/o2"
# A pcap file starts with its magic number (either byte order).
magic=$(od -An -tx4 -N4 "$T/o2" | tr -d ' ')
case $magic in
a1b2c3d4|d4c3b2a1|a1b23c4d|4d3cb2a1) ;;
*) fail "stdout is not a pcap: magic '$magic'" ;;
esac
tcpdump -n -r "$T/o2" 2>/dev/null | grep -q "ICMP echo request" ||
	fail "no echo request in the pcap on stdout"

say "text, and the only lab of the host"
capture "$T/o3" -c 1 a:eth0 icmp
ip netns exec cap-a ping -c 1 -W 1 10.0.0.2 >/dev/null || fail "ping"
finish "$T/o3"
grep -q "IP 10.0.0.1 > 10.0.0.2: ICMP echo request" "$T/o3" ||
	fail "text: $(cat "$T/o3")"

say "clear words for what is not there"
rc=0
"$VRFCTL" capture cap x:eth0 >"$T/o4" 2>&1 || rc=$?
expect_eq "$rc" 1 "exit status, no such node"
grep -q "no node x in lab cap" "$T/o4" || fail "no node: $(cat "$T/o4")"
rc=0
"$VRFCTL" capture cap a:eth9 >"$T/o5" 2>&1 || rc=$?
expect_eq "$rc" 1 "exit status, no such interface"
expect_eq "$(cat "$T/o5")" "vrfctl: capture: node a of lab cap has no interface eth9" \
    "no interface"
rc=0
"$VRFCTL" capture cap a >"$T/o6" 2>&1 || rc=$?
expect_eq "$rc" 2 "exit status, no NODE:IF"
"$VRFCTL" destroy cap >/dev/null || fail "destroy"
say "ok"
