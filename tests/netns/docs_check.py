#!/usr/bin/env python3
"""docs_check: the example outputs of the documentation are real.

Run by t_docs.sh inside the namespace sandbox. An example that is checked
is marked in its file, just before its block:

    README.md          <!-- doc: SCENARIO -->, then a ``` block
    man pages (mdoc)   .\\" doc: SCENARIO, then .Bd -literal ... .Ed

In the block, a line that starts with "$ " or "# " is a command (vrfctl
and vrfd name the built ones; it runs in a directory holding a copy of
topology/*.yaml, and what the scenario adds), the lines after it
until the next command are what it prints (its standard output and
error, as on a terminal), and a line "..." stands for any lines. Times,
durations and process ids are compared as shapes, not values.

SCENARIO names the state a block starts from (SCENARIOS below); before
each block every lab is destroyed and any vrfd the last one started is
stopped. One "ok"/"not ok" line per block; exit 1 if any differs.
"""
import os
import re
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time

ROOT = os.environ["ROOT"]
VRFCTL = os.environ["VRFCTL"]
VRFD = os.environ["VRFD"]
TOPO = os.path.join(ROOT, "topology")
WORK = tempfile.mkdtemp(prefix="vrfd-docs.")
DOCS = ["README.md", "cli/vrfctl.8", "vrfd/daemon/vrfd.8",
        "conf/vrfd.conf.5", "topology/vrf-topology.5"]

VRFS = "vrfctl apply two-customers.yaml >/dev/null"
SCENARIOS = {
    # nothing on the host
    "none": "",
    # lab.yaml, with three mistakes (vrf-topology(5))
    "typos": "cat >lab.yaml <<'EOF'\n"
        "# A lab with three mistakes, as vrf-topology(5) shows them.\n"
        "lab: demo\n"
        "routers:\n"
        "  pe1:\n"
        "    interfaces:\n"
        "      eth1: {addresses: [10.1.0.1/24]}\n"
        "  ce1:\n"
        "    interfaces:\n"
        "      eth0: {adresses: [10.1.0.2/24]}\n"
        "    routes:\n"
        "      - {to: default, via: 10.1.0.1}\n"
        "      - {to: 10.1.0.1/24, via: 10.1.0.1}\n"
        "links:\n"
        "  - [ce1:eth0, pe1:eth1]\n"
        "  - [ce2:eth1, pe1:eth2]\n"
        "EOF",
    # the two-customers lab, applied without a daemon
    "vrfs": VRFS,
    # the route-leak lab, applied without a daemon, no packet sent yet
    "leak": "vrfctl apply route-leak.yaml >/dev/null",
    # ... and a route of it deleted by hand
    "vrfs-drift": VRFS + "; ip -n vrfs-pe1-red route del 192.168.1.0/24",
    # ... and a link downed by hand too
    "vrfs-down": VRFS + "; ip -n vrfs-pe1-red route del 192.168.1.0/24; "
        "ip -n vrfs-ce-blue link set eth0 down",
    # ... and a route of someone else's where one of vrfd's should be,
    # and one more beside
    "vrfs-foreign": VRFS + "; ip -n vrfs-pe1-red route replace "
        "192.168.1.0/24 via 10.1.0.2 proto static; ip -n vrfs-pe1-red "
        "route add 172.16.0.0/12 via 10.1.0.2 proto 42",
    # ... and blue-down.yaml: the same with blue's link declared down
    "vrfs-state": VRFS + "; sed 's|^  - \\[ce-blue:eth0, pe1/blue:eth2\\]$|"
        "  - {endpoints: [ce-blue:eth0, pe1/blue:eth2], state: down}|' "
        "two-customers.yaml >blue-down.yaml",
    # a namespace named as one of the lab's, made by someone else
    "vrfs-unmarked": "ip netns add vrfs-pe1-blue",
    # a process in one of the lab's namespaces
    "vrfs-process": VRFS + "; ip netns exec vrfs-pe1-red sleep 1000 "
        "</dev/null >/dev/null 2>&1 & sleep 0.2",
    # the WAN lab, applied without a daemon, the branch's tbf deleted
    "wan-drift": "vrfctl apply wan-link.yaml >/dev/null; "
        "tc -n wan-branch qdisc del dev wan0 root",
    # the WAN lab, and a ping from ws1 to srv1 in a second (the block
    # captures it)
    "wan-ping": "vrfctl apply wan-link.yaml >/dev/null; (sleep 1; "
        "ip netns exec wan-ws1 ping -c 1 192.168.20.10) >/dev/null 2>&1 &",
    # vrfd running, the lab applied through it
    "vrfd": "vrfd -c /dev/null >/tmp/vrfd-docs.log 2>&1 & "
        "for i in $(seq 100); do [ -S /run/vrfd/vrfd.sock ] && break; "
        "sleep 0.05; done; " + VRFS,
    # vrfd running; the block's one command (vrfctl events) runs while a
    # route is deleted
    "events": "vrfd -c /dev/null >/tmp/vrfd-docs.log 2>&1 & "
        "for i in $(seq 100); do [ -S /run/vrfd/vrfd.sock ] && break; "
        "sleep 0.05; done; " + VRFS,
    # the containerlab labs of topology/clab, in clab/
    "clab": "cp -r " + os.path.join(TOPO, "clab") + " .",
    # lab.clab.yml, a containerlab topology with four mistakes (vrfctl(8))
    "clab-typos": "cat >lab.clab.yml <<'EOF'\n"
        "name: bad\n"
        "topology:\n"
        "  nodes:\n"
        "    srl1: {kind: nokia_srlinux, image: ghcr.io/nokia/srlinux}\n"
        "    pc1:\n"
        "      kind: linux\n"
        "      imgae: alpine\n"
        "      exec:\n"
        "        - ip addr add 10.0.0.1/24 dev eth1\n"
        "        - ip route add 10.9.0.1/24 via 10.0.0.2\n"
        "    pc2: {kind: linux}\n"
        "  links:\n"
        "    - endpoints: [\"pc1:eth1\", \"pc2:eth1\"]\n"
        "    - endpoints: [\"pc1:eth2\", \"host:pc1-eth2\"]\n"
        "EOF",
}
# What a scenario made that destroy does not remove (not the lab's).
CLEANUP = {
    "vrfs-unmarked": "ip netns delete vrfs-pe1-blue",
}
EVENTS_TRIGGER = "ip -n vrfs-pe1-red route del 192.168.1.0/24"

SHAPES = [
    (re.compile(r"\b\d\d:\d\d:\d\d\.\d{3}\b"), "HH:MM:SS.mmm"),
    (re.compile(r"\b\d\d:\d\d:\d\d\.\d{6}\b"), "HH:MM:SS.uuuuuu"),
    (re.compile(r"\bid \d+, seq\b"), "id N, seq"),
    (re.compile(r"\b\d+(\.\d+)? ms\b"), "N ms"),
    (re.compile(r"\b\d+\.\d+ s\b"), "N s"),
    (re.compile(r"\bpid \d+"), "pid N"),
    (re.compile(r"\bpids \d+(, \d+)*"), "pids N"),
    (re.compile(r"\(after \d+ rounds?\)"), "(after N rounds)"),
    # tcpdump's count of what the kernel's filter passed: libpcap counts
    # packets not yet read too, so with -c 2 it may say 3
    (re.compile(r"^\d+ packets received by filter$"),
     "N packets received by filter"),
]

MDOC = [("\\e", "\\"), ("\\&", ""), ("\\(em", "\u2014"), ("\\-", "-")]


def shape(line):
    line = line.rstrip()
    for rx, to in SHAPES:
        line = rx.sub(to, line)
    return line


def blocks(path):
    """(line, scenario, [text lines]) of each marked example."""
    out = []
    lines = open(os.path.join(ROOT, path)).read().split("\n")
    md = path.endswith(".md")
    i = 0
    while i < len(lines):
        m = re.match(r"^<!-- doc: (\S+) -->$" if md else
                     r'^\.\\" doc: (\S+)$', lines[i])
        if not m:
            i += 1
            continue
        start = i + 1
        fence = r"^```" if md else r"^\.Bd -literal"
        end_fence = r"^```$" if md else r"^\.Ed$"
        if start >= len(lines) or not re.match(fence, lines[start]):
            out.append((i + 1, m.group(1), None))
            i += 1
            continue
        j = start + 1
        body = []
        while j < len(lines) and not re.match(end_fence, lines[j]):
            text = lines[j]
            if not md:
                for a, b in MDOC:
                    text = text.replace(a, b)
            body.append(text)
            j += 1
        out.append((i + 1, m.group(1), body))
        i = j + 1
    return out


def commands(body):
    """[(command, [expected lines])]"""
    cmds = []
    for line in body:
        if line.startswith("$ ") or line.startswith("# "):
            cmds.append((line[2:], []))
        elif cmds:
            cmds[-1][1].append(line)
    return cmds


def sh(cmd, **kw):
    """CMD with vrfctl and vrfd the built ones, as on a terminal."""
    env = dict(os.environ)
    env["PATH"] = os.path.dirname(VRFCTL) + ":" + os.path.dirname(VRFD) + \
        ":" + env["PATH"]
    return subprocess.Popen(["stdbuf", "-oL", "-eL", "bash", "-c", cmd],
                            cwd=WORK, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, **kw)


def run(cmd, timeout=60):
    p = sh(cmd)
    out, _ = p.communicate(timeout=timeout)
    return out.split("\n")[:-1] if out.endswith("\n") else out.split("\n")


def matches(want, got):
    """WANT (with "..." lines) against GOT, line by line, as shapes."""
    want = [shape(w) for w in want]
    got = [shape(g) for g in got]

    def m(i, j):
        if i == len(want):
            return j == len(got)
        if want[i] == "...":
            return any(m(i + 1, k) for k in range(j, len(got) + 1))
        return j < len(got) and want[i] == got[j] and m(i + 1, j + 1)
    return m(0, 0)


def reset():
    run("for lab in $(vrfctl -j status 2>/dev/null | jq -r '.labs[].lab');"
        " do vrfctl destroy $lab >/dev/null; done; true")


class Daemon:
    """The vrfd a scenario started, found by the lock it holds."""

    @staticmethod
    def stop():
        try:
            who = open("/run/vrfd/lock").read().split()
        except OSError:
            return
        if len(who) >= 2 and who[0] == "vrfd":
            pid = int(who[1])
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                return
            for _ in range(100):
                try:
                    os.kill(pid, 0)
                except ProcessLookupError:
                    return
                time.sleep(0.05)


def check_events(cmd, want):
    """`vrfctl events` while a route is deleted: its first lines."""
    p = sh(cmd, start_new_session=True)
    fd = p.stdout.fileno()
    time.sleep(0.5)
    run(EVENTS_TRIGGER)
    buf = b""
    end = time.time() + 5
    while time.time() < end and buf.count(b"\n") < len(want):
        if select.select([fd], [], [], 0.1)[0]:
            chunk = os.read(fd, 4096)
            if not chunk:
                break
            buf += chunk
    os.killpg(p.pid, signal.SIGTERM)
    p.wait()
    return buf.decode().split("\n")[:len(want)]


def main():
    bad = 0
    n = 0
    for f in os.listdir(TOPO):
        if f.endswith(".yaml"):
            shutil.copy(os.path.join(TOPO, f), WORK)
    for path in DOCS:
        for line, scen, body in blocks(path):
            n += 1
            where = "%s:%d" % (path, line)
            if body is None or scen not in SCENARIOS:
                print("not ok - %s: no block after the mark, or no "
                      "scenario '%s'" % (where, scen))
                bad += 1
                continue
            reset()
            Daemon.stop()
            run(SCENARIOS[scen])
            problems = []
            for cmd, want in commands(body):
                if scen == "events":
                    got = check_events(cmd, want)
                else:
                    got = run(cmd)
                if not matches(want, got):
                    problems.append((cmd, want, got))
            Daemon.stop()
            reset()
            run(CLEANUP.get(scen, ""))
            if os.path.exists(os.path.join(WORK, "lab.yaml")):
                os.unlink(os.path.join(WORK, "lab.yaml"))
            if problems:
                bad += 1
                print("not ok - %s (%s)" % (where, scen))
                for cmd, want, got in problems:
                    print("    $ " + cmd)
                    print("    the documentation says:")
                    for w in want:
                        print("      | " + w)
                    print("    it prints:")
                    for g in got:
                        print("      | " + g)
            else:
                print("ok - %s (%s)" % (where, scen))
    reset()
    Daemon.stop()
    if n < 14:
        print("not ok - only %d checked examples in the documentation" % n)
        bad += 1
    shutil.rmtree(WORK)
    print("%d examples, %d differ" % (n, bad))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
