#!/usr/bin/env bash
# t_daemon_recover_midpass: an event that comes while a repair pass runs
# over its namespace is not lost. The pass read the namespace before the
# change, so only another pass can see it: vrfd's route must come back
# within about a second of the foreign one's deletion, as it does when no
# pass runs (t_daemon_recover), not at the next periodic resync (30 s).
#
# How: lab grid (bench/gen-grid 12, 144 namespaces) with a foreign route
# (proto 42) in the place of one of grid-r0-0's routes: a conflict, left
# alone. One process turns IPv4 forwarding off in every namespace (a
# netconf event each, within a few ms: one repair pass over all 144 after
# the 300 ms debounce), waits until grid-r0-0's forwarding is back (the
# pass has read every namespace and is writing), deletes the foreign route
# there at once, and checks that the pass still runs (some namespaces
# still have forwarding off). vrfd's route must then come back.
. "$(dirname "$0")/lib_daemon.sh"

cat >> "$CONF" <<'EOF2'
debounce_ms 300
EOF2
grep -qx 'resync_interval 30' "$CONF" || fail "resync_interval is not 30"

# midpass.py TARGET DST NS...: the drift, the wait and the deletion, in
# one process so that nothing forks between them but the `ip route del`.
cat > "$T/midpass.py" <<'PY'
import ctypes, os, subprocess, sys, time
CLONE_NEWNET = 0x40000000
libc = ctypes.CDLL(None, use_errno=True)
target, dst, names = sys.argv[1], sys.argv[2], sys.argv[3:]
fds = {n: os.open("/run/netns/" + n, os.O_RDONLY) for n in names}
def enter(n):
    if libc.setns(fds[n], CLONE_NEWNET) != 0:
        raise OSError(ctypes.get_errno(), "setns " + n)
def fwd():	# /proc/sys/net is the opener's namespace's
    with open("/proc/sys/net/ipv4/ip_forward") as f:
        return f.read().strip()
t0 = time.monotonic()
for n in names:
    enter(n)
    with open("/proc/sys/net/ipv4/ip_forward", "w") as f:
        f.write("0")
t1 = time.monotonic()
enter(target)
while fwd() != "1":
    if time.monotonic() - t1 > 5:
        sys.exit("midpass: forwarding of %s not back within 5 s" % target)
t2 = time.monotonic()
subprocess.run(["ip", "route", "del", dst, "proto", "42"], check=True)
t3 = time.monotonic()
left = 0
for n in names:
    enter(n)
    left += fwd() != "1"
print(left)
print("drift made in %.0f ms; %s repaired %.0f ms later; foreign route "
      "deleted %.1f ms after that; then %d namespaces not yet repaired"
      % ((t1 - t0) * 1000, target, (t2 - t1) * 1000, (t3 - t2) * 1000,
         left), file=sys.stderr)
PY

start_vrfd
"$ROOT/bench/gen-grid" 12 > "$T/grid.yaml"
vctl apply "$T/grid.yaml" > /dev/null || fail "apply grid"
converged grid || fail "grid not converged after apply"
names=$(ls /run/netns | grep '^grid-')
expect_eq "$(wc -w <<<"$names")" 144 "grid namespaces"
# One of grid-r0-0's routes through a gateway.
r=$(ip -N -j -n grid-r0-0 route show proto 118 |
    jq -c 'map(select(.gateway)) | first')
dst=$(jq -r .dst <<<"$r")
gw=$(jq -r .gateway <<<"$r")
[ -n "$dst" ] && [ "$dst" != null ] || fail "no route in grid-r0-0"
fwd_all_ok() {
	local n
	for n in $names; do
		[ "$(ip netns exec "$n" sysctl -n net.ipv4.ip_forward)" = 1 ] || return 1
	done
}

hit=0
for attempt in 1 2 3; do
	say "attempt $attempt: $dst of grid-r0-0 replaced by a foreign route"
	ip -n grid-r0-0 route replace "$dst" via "$gw" proto 42
	r0_conflict() { [ "$(ns_status grid grid-r0-0 .differences)" = 1 ]; }
	wait_for 100 r0_conflict || fail "grid-r0-0: conflict not seen"
	ip -N -j -n grid-r0-0 route show exact "$dst" |
		jq -e '.[0].protocol == "42"' >/dev/null || fail "the foreign route was touched"

	say "forwarding off everywhere; the foreign route deleted mid-pass"
	left=$(python3 "$T/midpass.py" grid-r0-0 "$dst" $names) || fail "midpass.py"
	start=$(date +%s%N)
	if wait_for 30 route_ok grid-r0-0 "$dst"; then
		say "vrfd's route back in $(( ($(date +%s%N) - start) / 1000000 )) ms"
	else
		ip -N -j -n grid-r0-0 route show exact "$dst" >&2
		grep -E "grid-r0-0: route|pass over" "$T/vrfd.log" | tail -4 >&2
		fail "grid-r0-0: route $dst not back within 1.5 s of the foreign one's deletion, which came while a repair pass over grid-r0-0 ran ($left namespaces not yet repaired then): the event was lost"
	fi
	wait_for 100 fwd_all_ok || fail "forwarding not back everywhere"
	if [ "$left" -gt 0 ]; then
		hit=1
		break
	fi
	say "the pass was over before the deletion: again"
done
[ "$hit" = 1 ] || fail "the deletion never came while the pass ran (3 attempts)"
wait_for 100 converged grid || fail "grid not converged at the end"
[ "$(ns_status grid grid-r0-0 .differences)" = 0 ] || fail "grid-r0-0 not converged"
vctl destroy grid > /dev/null || fail "destroy grid"
vrfd_alive || fail "vrfd died"
stop_vrfd
say ok
