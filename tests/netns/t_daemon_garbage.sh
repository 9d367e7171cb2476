#!/usr/bin/env bash
# Garbage on the control socket gets an error reply, changes nothing, and
# vrfd goes on serving (this client and the next).
. "$(dirname "$0")/lib_daemon.sh"

start_vrfd
apply_lab demo

python3 - "$SOCK" <<'PY' || fail "garbage checks failed"
import json, socket, sys, time
P = 65536
path = sys.argv[1]

def conn():
    s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    s.connect(path)
    s.settimeout(10)
    return s

def send_doc(s, data):
    for i in range(len(data) // P + 1):
        s.send(data[i * P:(i + 1) * P])

def recv_doc(s):
    buf = b""
    while True:
        p = s.recv(P)
        buf += p
        if len(p) < P:
            return json.loads(buf)

def expect_error(s, data, words, what):
    send_doc(s, data)
    r = recv_doc(s)
    assert r.get("ok") is False, f"{what}: {r}"
    assert words in r.get("error", ""), f"{what}: {r}"
    print(f"ok - {what}: {r['error']}")
    return r

s = conn()
expect_error(s, b"hello", "malformed", "not JSON")
expect_error(s, b"[1, 2]", "malformed", "a JSON array")
expect_error(s, b'{"cmd": "ping"', "malformed", "cut JSON")
expect_error(s, b'{"cmd": 42}', "cmd", "cmd not a string")
expect_error(s, b"{}", "cmd", "no cmd")
expect_error(s, b'{"cmd": "rm -rf /"}', "unknown command", "unknown command")
expect_error(s, b'{"cmd": "apply"}', "topology", "apply without topology")
expect_error(s, b'{"cmd": "apply", "topology": 5}', "topology",
             "topology not a string")
r = expect_error(s, json.dumps({"cmd": "apply", "file": "x.yaml",
                 "topology": "lab: demo\nrouters: {r1: {bogus: 1}}\n"}).encode(),
                 "invalid topology", "invalid topology")
assert isinstance(r.get("diagnostics"), list) and r["diagnostics"], r
expect_error(s, json.dumps({"cmd": "apply", "topology": "\0\1\2"}).encode(),
             "invalid topology", "binary topology")
expect_error(s, b'{"cmd": "destroy", "lab": "../../etc"}', "lab",
             "destroy with a path as lab")
expect_error(s, b'{"cmd": "destroy"}', "lab", "destroy without lab")
expect_error(s, b'{"cmd": "status", "lab": 5}', "lab", "status lab not a string")
# A document over 16 MiB: skipped to its end, refused.
big = b'{"cmd": "ping", "pad": "' + b"x" * (17 * 1024 * 1024) + b'"}'
expect_error(s, big, "too large", "17 MiB request")
# One packet longer than the protocol's 64 KiB.
s.send(b"x" * (P + 100))
r = recv_doc(s)
assert r.get("ok") is False and "too large" in r["error"], r
print("ok - oversized packet:", r["error"])
# An empty document.
s.send(b"")
r = recv_doc(s)
assert r.get("ok") is False, r
print("ok - empty packet:", r["error"])
# The text in a descriptor (vrfctl's memfd): it must come, be a sealed
# memfd and be as long as the document says; read, it is checked as any.
import os
def fd_doc(s, doc, fd, words, what):
    socket.send_fds(s, [doc], [fd])
    r = recv_doc(s)
    assert r.get("ok") is False and words in r.get("error", ""), f"{what}: {r}"
    print(f"ok - {what}: {r['error']}")
# A digest alone, of no text vrfd keeps: it asks for the text.
r = expect_error(s, b'{"cmd": "apply", "file": "x.yaml", "digest": "7-0"}',
                 "send it", "a digest of no kept text")
assert r.get("need_topology") is True, r
fd_req = b'{"cmd": "apply", "file": "x.yaml", "topology_fd": 10}'
expect_error(s, fd_req, "without a descriptor", "topology_fd without one")
rp, wp = os.pipe()
os.write(wp, b"lab: demo\n")
fd_doc(s, fd_req, rp, "not a file of 10 bytes", "topology_fd a pipe")
os.close(rp); os.close(wp)
m = os.memfd_create("t")
os.write(m, b"lab: x\n")
fd_doc(s, fd_req, m, "not a file of 10 bytes", "topology_fd shorter")
os.close(m)
import fcntl
m = os.memfd_create("t", os.MFD_CLOEXEC | os.MFD_ALLOW_SEALING)
bad = b"lab: demo\nrouters: {r1: {bogus: 1}}\n"
os.write(m, bad)
bad_req = b'{"cmd": "apply", "file": "x.yaml", "topology_fd": %d}' % len(bad)
# Not sealed: it could change while vrfd reads it.
fd_doc(s, bad_req, m, "not a sealed memfd", "topology_fd not sealed")
fcntl.fcntl(m, fcntl.F_ADD_SEALS, fcntl.F_SEAL_SHRINK | fcntl.F_SEAL_GROW |
            fcntl.F_SEAL_WRITE | fcntl.F_SEAL_SEAL)
fd_doc(s, bad_req, m, "invalid topology", "topology_fd of an invalid topology")
os.close(m)
# The same connection still works.
send_doc(s, b'{"cmd": "ping"}')
r = recv_doc(s)
assert r.get("ok") is True and "demo" in r["report"]["labs"], r
print("ok - ping on the same connection")

# A client that sends half a document and waits does not hold others.
stuck = conn()
stuck.send(b"{" * P)
# One that asks and goes away before the answer.
gone = conn()
send_doc(gone, b'{"cmd": "status", "lab": null}')
gone.close()
# One that follows events and never reads them.
lazy = conn()
send_doc(lazy, b'{"cmd": "events"}')
t = time.time()
other = conn()
send_doc(other, b'{"cmd": "ping"}')
r = recv_doc(other)
assert r.get("ok") is True, r
print("ok - served another client in %.0f ms" % ((time.time() - t) * 1000))
# A request exactly 64 KiB long (ends with an empty packet).
pad = P - len(b'{"cmd":"ping","pad":""}')
doc = b'{"cmd":"ping","pad":"' + b"y" * pad + b'"}'
assert len(doc) == P
send_doc(other, doc)
r = recv_doc(other)
assert r.get("ok") is True, r
print("ok - a request of exactly 64 KiB")
PY
vrfd_alive || fail "vrfd died"
converged demo || fail "the lab changed"
[ "$(ls "$STATE/labs")" = demo.yaml ] || fail "kept labs: $(ls "$STATE/labs")"
ip -n demo-ce1 route del 10.8.0.0/16
repaired "still repairing" route_ok demo-ce1 10.8.0.0/16
stop_vrfd
echo ok
