#!/usr/bin/env bash
# The control socket's limits hold (vrfd.conf(5): max_clients,
# max_clients_per_user, client_timeout; control.h):
# - a read-group member that opens ~1100 connections and holds them gets
#   max_clients_per_user of them; every other one gets an error reply
#   that says "too many clients" and is closed by vrfd. While the flood
#   is held vrfd stays responsive (root's status answers at once), idle
#   (its CPU time barely moves), its log stays short (the refusals are
#   rate-limited, also when they come from 300 processes), its
#   descriptors stay bounded, and it still repairs drift; vrfctl, refused,
#   says "too many clients";
# - several uids that fill max_clients between them do not lock root out;
# - a client that sends nothing is closed after client_timeout seconds,
#   one that talks is not;
# - a client that sends requests and never reads the replies makes vrfd
#   stop reading from it (one reply at most is held for it), so vrfd's
#   memory stays bounded; it is closed after client_timeout seconds
#   without progress, and root is served meanwhile.
. "$(dirname "$0")/lib_daemon.sh"

MAX=40
PER_USER=30
TIMEOUT=2
FLOOD=1100

# uid 65534 (nobody) and 65533 must reach the socket: $T is 0700.
chmod 0755 "$T"
# The flood phases need the held connections not to time out under
# them; the timeout phase restarts vrfd with client_timeout $TIMEOUT.
cat >> "$CONF" <<EOF
read_group nogroup
max_clients $MAX
max_clients_per_user $PER_USER
client_timeout 30
EOF
# Debug messages of the control subsystem say one line per client (by
# design); the rate limit of repeated lines is what is tested here.
start_vrfd -D watch,repair
apply_lab demo

# flood.py PATH N: connect N times and hold every socket; print one JSON
# line: how many were refused (each reply checked, then EOF), how many are
# still open and answer a ping; then hold everything until killed.
cat > "$T/flood.py" <<'PY'
import json, resource, select, socket, sys, time
path, n = sys.argv[1], int(sys.argv[2])
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
socks, connect_errors = [], []
t0 = time.monotonic()
for i in range(n):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    # Blocking: a connect waits while vrfd's backlog is full.
    try:
        s.connect(path)
    except OSError as e:
        connect_errors.append(repr(e))
        s.close()
        continue
    s.settimeout(5)
    socks.append(s)
t_connect = time.monotonic() - t0
# The refused get their reply at once; the accepted get nothing. Wait
# until nothing new comes for 0.4 s (at most 5 s).
by_fd = {s.fileno(): s for s in socks}
p = select.poll()
for s in socks:
    p.register(s, select.POLLIN)
refused, bad, errors = set(), [], set()
quiet_since = time.monotonic()
while time.monotonic() - quiet_since < 0.4 and time.monotonic() - t0 < 5:
    ev = p.poll(100)
    if ev:
        quiet_since = time.monotonic()
    for fd, _ in ev:
        s = by_fd[fd]
        p.unregister(fd)
        refused.add(fd)
        try:
            r = json.loads(s.recv(65536))
            eof = s.recv(65536) == b""
        except (OSError, ValueError) as e:
            bad.append(repr(e))
            continue
        if r.get("ok") is not False or "too many clients" not in r.get("error", "") or not eof:
            bad.append(f"{r} eof={eof}")
        errors.add(r.get("error", ""))
open_ = [s for s in socks if s.fileno() not in refused]
# The accepted are real clients: each answers a ping.
served = 0
for s in open_:
    try:
        s.send(b'{"cmd":"ping"}')
        if json.loads(s.recv(65536)).get("ok") is True:
            served += 1
    except (OSError, ValueError) as e:
        bad.append("open but not served: " + repr(e))
print(json.dumps({"connected": len(socks), "connect_errors": connect_errors[:5],
                  "n_connect_errors": len(connect_errors),
                  "refused": len(refused), "open": len(open_), "served": served,
                  "bad": bad[:5], "n_bad": len(bad), "errors": sorted(errors),
                  "connect_s": round(t_connect, 3)}), flush=True)
while True:
    time.sleep(3600)
PY
chmod 0644 "$T/flood.py"

# A python3 that others may run (root's may be a private install).
NOBODY_PY=/usr/bin/python3
[ -x "$NOBODY_PY" ] || NOBODY_PY=$(command -v python3)

# flood UID N OUT: flood.py as UID (in the read group) in the background;
# wait for its summary line in OUT.
flood() {
	local uid=$1 n=$2 out=$3
	setpriv --reuid="$uid" --regid="$uid" --groups=65534 -- \
	    "$NOBODY_PY" "$T/flood.py" "$SOCK" "$n" > "$out" 2>&1 &
	BG_PIDS+=($!)
	wait_for 300 grep -q '^{' "$out" || fail "flood of $uid: $(cat "$out")"
}

fds() { ls "/proc/$VRFD_PID/fd" | wc -l; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$VRFD_PID/stat"; }
rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$VRFD_PID/status"; }

# Failures that must not stop the checks after them: said at once,
# failed at the end.
DEFERRED=()
soft_fail() {
	say "FAILED (the test fails at its end): $*"
	DEFERRED+=("$*")
}

# vrfctl_refused UID WHAT: vrfctl as UID (in the read group) is refused
# and says why: vrfd's "too many clients", not a broken connection.
vrfctl_refused() {
	local uid=$1 what=$2 i rc bad=0
	for i in 1 2 3 4 5 6; do
		rc=0
		setpriv --reuid="$uid" --regid="$uid" --groups=65534 -- \
		    "$VRFCTL" -s "$SOCK" status demo > "$T/vrfctl.out" 2>&1 ||
			rc=$?
		if [ "$rc" -eq 0 ] || ! grep -q "too many clients" "$T/vrfctl.out"
		then
			say "vrfctl as $uid, $what, try $i: exit $rc: $(cat "$T/vrfctl.out")"
			bad=$((bad + 1))
		fi
	done
	[ "$bad" -eq 0 ] || soft_fail "vrfctl as uid $uid $what: $bad of 6" \
	    "runs did not say 'too many clients'"
}

# ---------------------------------------------------------------------------
say "one read-group member opens $FLOOD connections"
fds0=$(fds)
log0=$(wc -l < "$T/vrfd.log")
flood 65534 "$FLOOD" "$T/flood1.out"
FLOOD_PID=${BG_PIDS[-1]}
cat "$T/flood1.out"
s=$T/flood1.out
expect_eq "$(jq '.n_connect_errors' "$s")" 0 "connects that failed"
expect_eq "$(jq '.open' "$s")" "$PER_USER" "connections kept (max_clients_per_user)"
expect_eq "$(jq '.served' "$s")" "$PER_USER" "kept connections that answer a ping"
expect_eq "$(jq '.refused' "$s")" $((FLOOD - PER_USER)) "connections refused"
expect_eq "$(jq '.n_bad' "$s")" 0 "refusals without a 'too many clients' reply and EOF"
jq -e '.errors | length > 0 and all(test("too many clients of uid 65534"))' "$s" \
    >/dev/null || fail "refusal errors: $(jq -c .errors "$s")"

say "while the flood is held, vrfd stays responsive"
vrfd_alive || fail "vrfd died under the flood"
fds1=$(fds)
[ "$fds1" -le $((fds0 + PER_USER + 2)) ] ||
	fail "vrfd holds $fds1 descriptors under the flood, $fds0 before"
t0=$(date +%s%N)
timeout 5 "$VRFCTL" -s "$SOCK" -j status demo > "$T/status.json" ||
	fail "root's status did not answer under the flood"
ms=$((($(date +%s%N) - t0) / 1000000))
say "root's status answered in $ms ms"
[ "$ms" -lt 2000 ] || fail "root's status took $ms ms under the flood"
jq -e '.labs[0].converged' "$T/status.json" >/dev/null ||
	fail "status under the flood: $(cat "$T/status.json")"

say "while the flood is held, vrfd is idle"
c0=$(cpu_ticks)
t0=$(date +%s%N)
sleep 1		# the interval measured, not a wait for something
c1=$(cpu_ticks)
t1=$(date +%s%N)
hz=$(getconf CLK_TCK)
pct=$(((c1 - c0) * 100 * 1000000000 / hz / (t1 - t0)))
say "vrfd used $pct% of a core while the flood was held"
[ "$pct" -lt 25 ] || fail "vrfd used $pct% of a core while idle under the flood"

say "while the flood is held, drift is repaired"
ip -n demo-ce1 route del 10.8.0.0/16
repaired "route under the flood" route_ok demo-ce1 10.8.0.0/16

lines=$(($(wc -l < "$T/vrfd.log") - log0))
say "the flood wrote $lines log lines"
[ "$lines" -lt 200 ] || {
	sed -n "$((log0 + 1)),\$p" "$T/vrfd.log" | sort | uniq -c | sort -rn | head
	fail "the flood of $FLOOD connections wrote $lines log lines"
}
grep -q "repeated .* more times" "$T/vrfd.log" ||
	fail "no repeated refusal was held back in the log"

say "refused clients of many processes do not flood the log either"
log1=$(wc -l < "$T/vrfd.log")
setpriv --reuid=65534 --regid=65534 --groups=65534 -- \
    "$NOBODY_PY" - "$SOCK" 300 <<'PY' || fail "refusals of many processes"
import json, os, socket, sys
path, n = sys.argv[1], int(sys.argv[2])
bad = 0
for i in range(n):
    pid = os.fork()
    if pid == 0:
        s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        s.settimeout(5)
        s.connect(path)
        r = json.loads(s.recv(65536))
        os._exit(0 if "too many clients" in r.get("error", "") else 1)
    bad += os.waitpid(pid, 0)[1] != 0
assert bad == 0, f"{bad} of {n} processes were not refused"
print(f"--- {n} processes, one connection each: all refused")
PY
lines=$(($(wc -l < "$T/vrfd.log") - log1))
say "300 refused processes wrote $lines log lines"
[ "$lines" -lt 100 ] ||
	soft_fail "300 refused clients of 300 processes wrote $lines log lines" \
	    "(one per pid: the rate limit is per identical message)"

say "vrfctl over max_clients_per_user says so"
vrfctl_refused 65534 "over max_clients_per_user"

kill "$FLOOD_PID"
wait "$FLOOD_PID" 2>/dev/null || true
# Its connections end; vrfd lets their descriptors go.
# (2 spare: a repair may leave vrfd a descriptor more than before.)
fds_back() { [ "$(fds)" -le $((fds0 + 2)) ]; }
wait_for 100 fds_back || fail "vrfd holds $(fds) descriptors after the flood, $fds0 before"

# ---------------------------------------------------------------------------
say "several uids fill max_clients: root is still served"
flood 65534 "$PER_USER" "$T/flood2.out"
cat "$T/flood2.out"
expect_eq "$(jq '.open' "$T/flood2.out")" "$PER_USER" "uid 65534's connections kept"
flood 65533 "$PER_USER" "$T/flood3.out"
cat "$T/flood3.out"
s=$T/flood3.out
expect_eq "$(jq '.open' "$s")" $((MAX - PER_USER)) "uid 65533's connections kept (max_clients in all)"
expect_eq "$(jq '.served' "$s")" $((MAX - PER_USER)) "uid 65533's kept connections that answer"
expect_eq "$(jq '.refused' "$s")" $((2 * PER_USER - MAX)) "uid 65533's connections refused"
expect_eq "$(jq '.n_bad' "$s")" 0 "refusals without a 'too many clients' reply and EOF"
jq -e ".errors == [\"too many clients (at most $MAX): try again later\"]" "$s" \
    >/dev/null || fail "refusal errors: $(jq -c .errors "$s")"
# A third uid gets nothing: max_clients is full.
flood 65532 3 "$T/flood4.out"
expect_eq "$(jq '.refused' "$T/flood4.out")" 3 "uid 65532's connections refused"
vrfctl_refused 65532 "over max_clients"
# Root gets in, several times at once, and is served.
ctl_clients 5 || fail "root locked out by the read group's clients"
say "root served on 5 connections beside max_clients others"
timeout 5 "$VRFCTL" -s "$SOCK" status demo >/dev/null ||
	fail "root's status with max_clients others connected"
vctl apply "$T/demo.yaml" >/dev/null || fail "root's apply with max_clients others connected"
for p in "${BG_PIDS[@]}"; do
	kill "$p" 2>/dev/null || true
	wait "$p" 2>/dev/null || true
done
BG_PIDS=()
wait_for 100 fds_back || fail "vrfd holds $(fds) descriptors after the clients left, $fds0 before"

# ---------------------------------------------------------------------------
say "client_timeout $TIMEOUT: the idle and the non-reading are closed"
stop_vrfd
echo "client_timeout $TIMEOUT" >> "$CONF"
start_vrfd -D watch,repair
converged demo || fail "demo not converged after the restart"
python3 - "$SOCK" "$VRFD_PID" "$TIMEOUT" <<'PY' || fail "timeout checks failed"
import json, select, socket, sys, time
path, pid, timeout = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])

def conn():
    s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    s.connect(path)
    s.settimeout(5)
    return s

def rss_kb():
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])

def ping(s):
    s.send(b'{"cmd":"ping"}')
    r = json.loads(s.recv(65536))
    assert r.get("ok") is True, r

def closed_by_peer(s, wait):
    p = select.poll()
    p.register(s, select.POLLRDHUP)
    return bool(p.poll(wait * 1000))

rss0 = rss_kb()
idle = conn()
talker = conn()
t_idle = time.monotonic()

# Non-readers: requests as fast as the socket takes them, for a second,
# never a reply read. Pings are answered at once: a vrfd that went on
# reading them would take them as fast as they come and pile up replies.
# Status requests each cost a look at the kernel.
REQS = [b'{"cmd":"status","lab":null}'] * 2 + [b'{"cmd":"ping"}'] * 4
lazy, sent = [], []
for req in REQS:
    s = conn()
    s.setblocking(False)
    lazy.append(s)
    sent.append(0)
t_end = time.monotonic() + 1.0
while time.monotonic() < t_end:
    progress = False
    for i, s in enumerate(lazy):
        for _ in range(500):
            try:
                s.send(REQS[i])
            except BlockingIOError:
                break
            sent[i] += 1
            progress = True
    if not progress:
        time.sleep(0.02)
    ping(talker)
t_stuck = time.monotonic()
print("requests sent per non-reader (2 status, 4 ping):", sent)
# vrfd stopped reading them: what went in is what the socket buffers hold.
assert max(sent) < 5000, f"vrfd went on reading clients that never read: {sent}"
rss1 = rss_kb()
print(f"vrfd RSS {rss0} kB before, {rss1} kB with {len(lazy)} non-readers")
assert rss1 - rss0 < 20 * 1024, f"vrfd's RSS grew from {rss0} to {rss1} kB"

# Root is served meanwhile, on a new connection and on the talker.
t = time.monotonic()
other = conn()
other.send(b'{"cmd":"status","lab":null}')
r = json.loads(other.recv(1 << 20))
assert r.get("ok") is True, r
print("ok - status for another client in %.0f ms" % ((time.monotonic() - t) * 1000))
other.close()

# The idle one goes after about client_timeout; the talker stays.
deadline = t_idle + timeout + 2
while time.monotonic() < deadline:
    ping(talker)
    if closed_by_peer(idle, 0.25):
        break
assert closed_by_peer(idle, 0), "an idle client was not closed"
idle.settimeout(1)
assert idle.recv(65536) == b"", "an idle client got data"
took = time.monotonic() - t_idle
print("ok - idle client closed after %.1f s" % took)
assert took >= timeout - 0.5, f"idle client closed after {took:.1f} s only"
ping(talker)
print("ok - the talking client still served")

# The non-readers go too: no progress for client_timeout seconds.
# vrfd answers what its socket buffer to each takes first (a status
# costs a few ms of CPU, some 160 of them): a bound of a few seconds
# more.
# The talker talks meanwhile, and stays.
GRACE = timeout + 8
left = set(range(len(lazy)))
while left and time.monotonic() < t_stuck + GRACE:
    ping(talker)
    for i in sorted(left):
        if closed_by_peer(lazy[i], 0.1):
            left.discard(i)
            print("ok - non-reader %d (%s) closed %.1f s after it stopped" %
                  (i, REQS[i].decode(), time.monotonic() - t_stuck))
assert not left, f"non-readers {sorted(left)} not closed {GRACE} s after they stopped"
rss2 = rss_kb()
print(f"vrfd RSS {rss2} kB after they went")
ping(talker)
PY
vrfd_alive || fail "vrfd died"
timeout 5 "$VRFCTL" -s "$SOCK" status demo >/dev/null || fail "root's status at the end"
stop_vrfd
[ ${#DEFERRED[@]} -eq 0 ] || fail "$(printf '%s; ' "${DEFERRED[@]}")"
say ok
