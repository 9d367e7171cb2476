#!/usr/bin/env python3
"""tutorial.py: docs/tutorial.md is docs/tutorial.in.md, run.

docs/tutorial.in.md is prose and command blocks. A command block is a line
"<!-- run -->", then a ``` fence holding only "$ COMMAND" lines. This
script runs every block, in order, in ONE shell session (a cd, a variable
or a daemon started in one block is still there in the next), as root in a
fresh tests/netns/sandbox, in a temporary directory holding copies of
topology/*.yaml and docs/tutorial/*.yaml, with the built vrfctl and vrfd
first in PATH. It writes docs/tutorial.md: the source with each command
followed by what it printed (standard output and error, as on a
terminal) and "(exit N)" after a command that exited non-zero.

    docs/tutorial.py --write    regenerate docs/tutorial.md
    docs/tutorial.py --check    run it again and compare with
                                docs/tutorial.md; print a diff and exit 1
                                when they differ

Both need root; run outside a sandbox, the script runs itself again
inside a new one. The comparison is of shapes: times, durations, process
ids, the temporary directory and the state of a neighbour entry (it
depends on timing: REACHABLE, STALE, DELAY, ... or no entry yet) are not
compared. VRFCTL, VRFD and ROOT name the binaries and the tree, as in
tests/netns/lib.sh; by default, this tree's.
"""
import difflib
import os
import re
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.environ.get("ROOT") or os.path.dirname(HERE)
VRFCTL = os.environ.get("VRFCTL") or os.path.join(ROOT, "cli", "vrfctl")
VRFD = os.environ.get("VRFD") or os.path.join(ROOT, "vrfd", "vrfd")
SOURCE = os.path.join(ROOT, "docs", "tutorial.in.md")
TARGET = os.path.join(ROOT, "docs", "tutorial.md")
SANDBOX = os.path.join(ROOT, "tests", "netns", "sandbox")
MARKER_ENV = "VRFD_TUTORIAL_SANDBOX"
TIMEOUT = 120           # seconds, for one command

HEADER = ("<!-- Generated from docs/tutorial.in.md by docs/tutorial.py "
          "(make tutorial). Do not edit: edit tutorial.in.md and "
          "regenerate. -->")
RUN_MARK = "<!-- run -->"

# What differs from run to run and is not compared: tests/netns/
# docs_check.py's shapes, a few more of ping's, and the neighbour column.
NEIGH_STATES = "REACHABLE|STALE|DELAY|PROBE|INCOMPLETE|FAILED|NONE"
SHAPES = [
    # ping's "rtt min/avg/max/mdev = 0.03/0.03/0.03/0.00 ms", before "N ms"
    (re.compile(r"= [\d.]+/[\d.]+/[\d.]+/[\d.]+ ms\b"), "= N/N/N/N ms"),
    (re.compile(r"\b\d\d:\d\d:\d\d\.\d{3}\b"), "HH:MM:SS.mmm"),
    (re.compile(r"\b\d+(\.\d+)? ms\b"), "N ms"),
    (re.compile(r"\b\d+\.\d+ s\b"), "N s"),
    (re.compile(r"\bpid \d+"), "pid N"),
    (re.compile(r"\bpids \d+(, \d+)*"), "pids N"),
    # ping's "time 0ms"
    (re.compile(r"\btime \d+ms\b"), "time Nms"),
    # a neighbour entry: "02:..:6b REACHABLE", "INCOMPLETE", "no entry yet"
    (re.compile(r"\b(?:[0-9a-f]{2}:){5}[0-9a-f]{2} (?:%s)\b" % NEIGH_STATES),
     "NEIGHBOUR"),
    (re.compile(r"\b(?:%s)\b" % NEIGH_STATES), "NEIGHBOUR"),
    (re.compile(r"\bno entry yet\b"), "NEIGHBOUR"),
    # the temporary directory the commands run in
    (re.compile(r"/\S*/vrfd-tutorial\.\w+"), "WORKDIR"),
]


def die(msg, code=1):
    print("tutorial.py: " + msg, file=sys.stderr)
    sys.exit(code)


def shape(line):
    for rx, to in SHAPES:
        line = rx.sub(to, line)
    return line.rstrip()


# --- the source ----------------------------------------------------------

def parse(text):
    """The source as parts: ("text", line) or ("run", fence, [commands])."""
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    parts = []
    i = 0
    while i < len(lines):
        if lines[i] != RUN_MARK:
            parts.append(("text", lines[i]))
            i += 1
            continue
        where = "tutorial.in.md:%d" % (i + 1)
        if i + 1 >= len(lines) or not lines[i + 1].startswith("```"):
            die(where + ": " + RUN_MARK + " is not followed by a ``` fence")
        fence = lines[i + 1]
        cmds = []
        j = i + 2
        while j < len(lines) and lines[j] != "```":
            if not lines[j].startswith("$ "):
                die("tutorial.in.md:%d: a command block holds only "
                    "'$ COMMAND' lines" % (j + 1))
            cmds.append(lines[j][2:])
            j += 1
        if j == len(lines):
            die(where + ": the block is not closed")
        if not cmds:
            die(where + ": an empty command block")
        parts.append(("run", fence, cmds))
        i = j + 1
    return parts


# --- one shell session ---------------------------------------------------

class Session:
    """One bash, fed one command at a time; what it prints, and how it
    exits, read back up to a marker."""

    def __init__(self, work):
        env = dict(os.environ)
        env["PATH"] = os.pathsep.join([os.path.dirname(VRFCTL),
                                       os.path.dirname(VRFD), env["PATH"]])
        env["LC_ALL"] = "C.UTF-8"
        env.pop("VRFD_TUTORIAL_SANDBOX", None)
        self.token = "@@tutorial-%d-%d@@" % (os.getpid(), time.time_ns())
        self.end = re.compile(re.escape("\n" + self.token) + r" (\d+)\n")
        # Line-buffered, like a terminal: stdout and stderr interleave in
        # the order they were written.
        self.p = subprocess.Popen(
            ["stdbuf", "-oL", "-eL", "bash", "--norc", "--noprofile"],
            cwd=work, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, start_new_session=True)
        self.buf = b""

    def run(self, cmd):
        """(output lines, exit status) of CMD."""
        script = "{ %s\n} </dev/null\nprintf '\\n%%s %%d\\n' '%s' $?\n" % (
            cmd, self.token)
        self.p.stdin.write(script.encode())
        self.p.stdin.flush()
        fd = self.p.stdout.fileno()
        deadline = time.monotonic() + TIMEOUT
        while True:
            m = self.end.search(self.buf.decode("utf-8", "replace"))
            if m:
                text = self.buf.decode("utf-8", "replace")
                out, self.buf = text[:m.start()], \
                    text[m.end():].encode("utf-8")
                lines = out.split("\n")
                if lines[-1] == "":
                    lines.pop()
                return lines, int(m.group(1))
            left = deadline - time.monotonic()
            if left <= 0:
                raise RuntimeError("'%s' did not end in %d s" %
                                   (cmd, TIMEOUT))
            if select.select([fd], [], [], left)[0]:
                chunk = os.read(fd, 65536)
                if not chunk:
                    raise RuntimeError("the shell ended during '%s'" % cmd)
                self.buf += chunk

    def close(self):
        try:
            self.p.stdin.close()
        except OSError:
            pass
        try:
            self.p.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pass
        # Whatever the session left running (a daemon it did not stop):
        # its own process group, started here.
        try:
            os.killpg(self.p.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        if self.p.poll() is None:
            self.p.kill()
            self.p.wait()


def stop_daemon():
    """A vrfd a block started and did not stop: the holder the lock names
    (in this sandbox's own /run/vrfd, so one the session started)."""
    try:
        who = open("/run/vrfd/lock").read().split()
    except OSError:
        return
    if len(who) < 2 or who[0] != "vrfd" or not who[1].isdigit():
        return
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


def generate(verbose):
    """The tutorial, run: its lines."""
    parts = parse(open(SOURCE, encoding="utf-8").read())
    work = tempfile.mkdtemp(prefix="vrfd-tutorial.")
    for d in (os.path.join(ROOT, "topology"),
              os.path.join(ROOT, "docs", "tutorial")):
        for f in sorted(os.listdir(d)):
            if f.endswith(".yaml"):
                shutil.copy(os.path.join(d, f), work)
    out = [HEADER]
    failed = []
    s = Session(work)
    try:
        for part in parts:
            if part[0] == "text":
                out.append(part[1])
                continue
            _, fence, cmds = part
            out += [RUN_MARK, fence]
            for cmd in cmds:
                lines, rc = s.run(cmd)
                out.append("$ " + cmd)
                out += lines
                if rc != 0:
                    out.append("(exit %d)" % rc)
                    failed.append((cmd, rc))
            out.append("```")
    finally:
        s.close()
        stop_daemon()
        shutil.rmtree(work, ignore_errors=True)
    for cmd, rc in failed if verbose else []:
        print("tutorial.py: note: exit %d: $ %s" % (rc, cmd),
              file=sys.stderr)
    return out


# --- where it runs ---------------------------------------------------------

def in_sandbox():
    """Is /run/netns the tmpfs tests/netns/sandbox mounts ("vrfd-test")?"""
    found = False
    with open("/proc/self/mountinfo") as f:
        for line in f:
            fields = line.split()
            if len(fields) < 10 or fields[4] != "/run/netns":
                continue
            sep = fields.index("-")
            found = fields[sep + 1] == "tmpfs" and \
                fields[sep + 2] == "vrfd-test"
    return found


def main(argv):
    if len(argv) != 2 or argv[1] not in ("--write", "--check"):
        print("usage: docs/tutorial.py --write | --check", file=sys.stderr)
        return 2
    mode = argv[1]
    if os.geteuid() != 0:
        die("needs root: the tutorial's labs are network namespaces "
            "(it runs them in tests/netns/sandbox)")
    if not in_sandbox():
        if os.environ.get(MARKER_ENV):
            die("started in a sandbox, but /run/netns is not its tmpfs")
        env = dict(os.environ, ROOT=ROOT, VRFCTL=VRFCTL, VRFD=VRFD)
        env[MARKER_ENV] = "1"
        os.execve(SANDBOX, [SANDBOX, sys.executable,
                            os.path.abspath(__file__), mode], env)
    left = sorted(os.listdir("/run/netns"))
    if left or os.path.exists("/run/vrfd/vrfd.sock"):
        die("not a fresh sandbox: /run/netns holds %s%s" % (
            ", ".join(left) or "nothing",
            "; a vrfd listens on /run/vrfd/vrfd.sock"
            if os.path.exists("/run/vrfd/vrfd.sock") else ""))
    for f in (VRFCTL, VRFD):
        if not os.access(f, os.X_OK):
            die("%s is not built (make)" % f)
    try:
        lines = generate(mode == "--write")
    except RuntimeError as e:
        die(str(e))
    if mode == "--write":
        with open(TARGET, "w", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")
        print("tutorial.py: wrote %s" % os.path.relpath(TARGET, ROOT))
        return 0
    try:
        have = open(TARGET, encoding="utf-8").read().split("\n")
        if have and have[-1] == "":
            have.pop()
    except FileNotFoundError:
        have = []
    a = [shape(x) for x in have]
    b = [shape(x) for x in lines]
    if a == b:
        print("tutorial.py: docs/tutorial.md is what the commands print "
              "(%d lines)" % len(lines))
        return 0
    sys.stdout.writelines(difflib.unified_diff(
        [x + "\n" for x in a], [x + "\n" for x in b],
        "docs/tutorial.md (as shapes)", "a fresh run (as shapes)"))
    print("tutorial.py: docs/tutorial.md differs from a fresh run: "
          "regenerate it with 'make tutorial' (docs/tutorial.py --write) "
          "if the new output is right")
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
