# tests/netns/lib_hosts.sh: several simulated hosts on one machine, for the
# tests of labs spread over hosts (t_hosts_*.sh), on top of lib.sh.
#
# Inside the test's sandbox, each host is a process that holds a mount
# namespace and a network namespace of its own: "the host". Its mount
# namespace has tmpfs over /run/netns, /run/vrfd, /var/lib/vrfd,
# /etc/vrfd, /etc/netns and /run/frr, so each host's named namespaces,
# vrfd socket, kept labs and vrfd.conf are its own, as on separate
# machines. Every host has an underlay interface ul0, a veth whose other
# end is a port of the bridge ulbr in the sandbox's own namespace (the
# underlay network), with 192.0.2.N/24 (IPv4) or 2001:db8::N/64 (IPv6).
#
#   hosts_start v4|v6 a b [c]   start the hosts, named as given
#   on NAME CMD...              run CMD on host NAME (absolute paths: the
#                               working directory is the host's /)
#   hosts_vrfd NAME [ARGS...]   start NAME's vrfd (its vrfd.conf says
#                               `host NAME`), wait until it answers
#   hosts_conf NAME LINE        add LINE to NAME's vrfd.conf
#   underlay NAME               NAME's underlay address
#
# Everything is ended by its PID at exit; the hosts' namespaces die with
# their holders.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

declare -A HOST_PID=() HOST_ADDR=() HOST_VRFD=()
HOSTS=()
UL_FAMILY=v4
UL_MTU=${UL_MTU:-9000}

hosts_cleanup() {
	local rc=$? h
	for h in "${HOSTS[@]}"; do
		if [ -n "${HOST_VRFD[$h]:-}" ]; then
			kill "${HOST_VRFD[$h]}" 2>/dev/null || true
			wait "${HOST_VRFD[$h]}" 2>/dev/null || true
		fi
	done
	if [ "$rc" -ne 0 ]; then
		for h in "${HOSTS[@]}"; do
			[ -f "$T/vrfd-$h.log" ] || continue
			echo "--- vrfd log of host $h (last 40 lines)"
			tail -40 "$T/vrfd-$h.log"
		done
	fi
	for h in "${HOSTS[@]}"; do
		kill -KILL "${HOST_PID[$h]}" 2>/dev/null || true
		wait "${HOST_PID[$h]}" 2>/dev/null || true
	done
	rm -rf "$T"
}
trap hosts_cleanup EXIT

# on NAME CMD...: CMD in NAME's mount and network namespaces.
on() {
	local h=$1
	shift
	nsenter --target "${HOST_PID[$h]}" --mount --net -- "$@"
}

underlay() {
	echo "${HOST_ADDR[$1]}"
}

hosts_conf() {
	on "$1" sh -c "echo '$2' >> /etc/vrfd/vrfd.conf"
}

# One host: its holder, its mounts, its end of the underlay.
host_add() {
	local h=$1 n=$2
	unshare --mount --net --propagation private -- bash -c '
		for d in /run/netns /run/vrfd /var/lib/vrfd /etc/vrfd \
		    /etc/netns /run/frr; do
			mount -t tmpfs -o mode=0755 "vrfd-host-$0" "$d"
		done
		ip link set lo up
		exec sleep infinity' "$h" &
	HOST_PID[$h]=$!
	HOSTS+=("$h")
	# Its namespaces exist once its tmpfs is there.
	wait_for 100 on "$h" sh -c 'mount | grep -q "vrfd-host-.* /etc/vrfd"' ||
		fail "host $h did not start"
	ip link add "ul-$h" mtu "$UL_MTU" type veth peer name ul0 mtu "$UL_MTU" \
	    netns "${HOST_PID[$h]}"
	ip link set "ul-$h" master ulbr up
	if [ "$UL_FAMILY" = v6 ]; then
		HOST_ADDR[$h]=2001:db8::$n
		on "$h" ip address add "2001:db8::$n/64" dev ul0 nodad
	else
		HOST_ADDR[$h]=192.0.2.$n
		on "$h" ip address add "192.0.2.$n/24" dev ul0
	fi
	on "$h" ip link set ul0 up
	# A real host's network configuration puts its address back after
	# a flap; here the kernel keeps it (IPv6 would flush it).
	on "$h" sysctl -qw net.ipv6.conf.ul0.keep_addr_on_down=1
	on "$h" sh -c "printf 'host %s\n' '$h' > /etc/vrfd/vrfd.conf"
}

# hosts_start v4|v6 NAME...
hosts_start() {
	local n=1 h
	UL_FAMILY=$1
	shift
	ip link add ulbr type bridge
	ip link set ulbr up
	for h in "$@"; do
		host_add "$h" "$n"
		n=$((n + 1))
	done
	# The underlay answers end to end before anything uses it.
	for h in "$@"; do
		wait_for 100 on "$1" ping -c 1 -W 1 "${HOST_ADDR[$h]}" ||
			fail "underlay: $1 cannot reach $h"
	done
}

vrfd_answers() {
	on "$1" "$VRFCTL" status >/dev/null 2>&1 || [ $? -ne 4 ]
}

# hosts_vrfd NAME [ARGS...]: NAME's vrfd, on its default socket.
hosts_vrfd() {
	local h=$1
	shift
	nsenter --target "${HOST_PID[$h]}" --mount --net -- \
	    "$VRFD" -v -D watch,repair "$@" >>"$T/vrfd-$h.log" 2>&1 &
	HOST_VRFD[$h]=$!
	wait_for 200 on "$h" test -S /run/vrfd/vrfd.sock ||
		fail "vrfd of host $h did not start"
	wait_for 200 vrfd_answers "$h" || fail "vrfd of host $h does not answer"
}

hosts_vrfd_stop() {
	local h=$1
	kill "${HOST_VRFD[$h]}"
	wait "${HOST_VRFD[$h]}" || true
	HOST_VRFD[$h]=
}

# hosts_lab FILE LAB HOST_OF_H1 HOST_OF_R1 ... HOST_OF_H2: the six-router
# lab of the tests, its routers placed on the hosts given, in the order
# h1 r1 r2 r3 r4 h2:
#
#   h1 - r1 - r2 - r3 - r4 - h2       a chain, IPv4
#         \______________/            r1 - r4, IPv4 and IPv6
#
# r4 answers h1's side through r1 - r4: the way back is another link.
hosts_lab() {
	local file=$1 lab=$2 h
	shift 2
	local -a on_=("$@")
	{
		echo "lab: $lab"
		echo "hosts:"
		for h in "${HOSTS[@]}"; do
			echo "  $h: {underlay: \"${HOST_ADDR[$h]}\", mtu: $UL_MTU}"
		done
		cat <<'YAML'
defaults:
  sysctl: {net.ipv4.ip_forward: 1, net.ipv6.conf.all.forwarding: 1}
routers:
  h1:
    interfaces:
      eth0: {addresses: [10.1.0.2/24, "2001:db8:1::2/64"]}
    routes:
      - {to: default, via: 10.1.0.1}
      - {to: "::/0", via: "2001:db8:1::1"}
  r1:
    interfaces:
      eth0: {addresses: [10.1.0.1/24, "2001:db8:1::1/64"]}
      eth1: {addresses: [10.12.0.1/24]}
      eth2: {addresses: [10.14.0.1/24, "2001:db8:14::1/64"]}
    routes:
      - {to: 10.2.0.0/24, via: 10.12.0.2}
      - {to: 10.23.0.0/24, via: 10.12.0.2}
      - {to: 10.34.0.0/24, via: 10.12.0.2}
      - {to: "2001:db8:2::/64", via: "2001:db8:14::4"}
  r2:
    interfaces:
      eth0: {addresses: [10.12.0.2/24]}
      eth1: {addresses: [10.23.0.2/24]}
    routes:
      - {to: 10.1.0.0/24, via: 10.12.0.1}
      - {to: 10.2.0.0/24, via: 10.23.0.3}
      - {to: 10.34.0.0/24, via: 10.23.0.3}
  r3:
    interfaces:
      eth0: {addresses: [10.23.0.3/24]}
      eth1: {addresses: [10.34.0.3/24]}
    routes:
      - {to: 10.1.0.0/24, via: 10.23.0.2}
      - {to: 10.12.0.0/24, via: 10.23.0.2}
      - {to: 10.2.0.0/24, via: 10.34.0.4}
  r4:
    interfaces:
      eth0: {addresses: [10.34.0.4/24]}
      eth1: {addresses: [10.2.0.1/24, "2001:db8:2::1/64"]}
      eth2: {addresses: [10.14.0.4/24, "2001:db8:14::4/64"]}
    routes:
      - {to: 10.1.0.0/24, via: 10.14.0.1}
      - {to: 10.12.0.0/24, via: 10.34.0.3}
      - {to: 10.23.0.0/24, via: 10.34.0.3}
      - {to: "2001:db8:1::/64", via: "2001:db8:14::1"}
  h2:
    interfaces:
      eth0: {addresses: [10.2.0.2/24, "2001:db8:2::2/64"]}
    routes:
      - {to: default, via: 10.2.0.1}
      - {to: "::/0", via: "2001:db8:2::1"}
links:
  - [h1:eth0, r1:eth0]
  - [r1:eth1, r2:eth0]
  - [r2:eth1, r3:eth0]
  - [r3:eth1, r4:eth0]
  - [r4:eth1, h2:eth0]
  - [r1:eth2, r4:eth2]
expect:
  - {from: h1, to: 10.2.0.2}
  - {from: h2, to: 10.1.0.2}
  - {from: h1, to: "2001:db8:2::2"}
  - {from: h2, to: "2001:db8:1::2"}
  - {from: r1, to: 10.12.0.2}
  - {from: r3, to: 10.34.0.4}
  - {from: h1, to: 10.99.0.1, reach: false}
YAML
	} > "$file"
	# Each router on its host: `host:` after its name.
	local r i=0
	for r in h1 r1 r2 r3 r4 h2; do
		sed -i "s/^  $r:\$/  $r:\n    host: ${on_[$i]}/" "$file"
		i=$((i + 1))
	done
}

# qh HOST NS 'JQ' ARGS...: jq over `ip -j -n NS ARGS...` on HOST.
qh() {
	local h=$1 ns=$2 filter=$3
	shift 3
	on "$h" ip -j -n "$ns" "$@" | jq -r "$filter"
}

# ping_on HOST NS ADDR: one echo, answered within a second.
ping_on() {
	on "$1" ip netns exec "$2" ping -c 1 -W 1 "$3" >/dev/null 2>&1
}

# vni_of HOST NS IFNAME / mac_of HOST NS IFNAME
vni_of() {
	qh "$1" "$2" '.[0].linkinfo.info_data.id' -d link show dev "$3"
}
mac_of() {
	qh "$1" "$2" '.[0].address' link show dev "$3"
}
