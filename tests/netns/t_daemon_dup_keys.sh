#!/usr/bin/env bash
# A request with a member name twice in an object is refused, whatever
# the spelling: json-c keeps the last of two members, so
# {"cmd":"ping","cmd":"destroy","lab":"demo"} would be a destroy to vrfd
# and a ping to whoever read the first. Root sends them raw on the
# control socket: each gets an error reply that says why (a name twice;
# "malformed" for what is not strict JSON, which json-c reads and the
# duplicate scan would not), nothing is destroyed, and the lab stays
# converged. Documents without a repeated name still work.
. "$(dirname "$0")/lib_daemon.sh"

start_vrfd
apply_lab demo
NS="demo-ce1 demo-pe1 demo-ce2"

lab_intact() {
	local ns
	for ns in $NS; do
		[ -e "/run/netns/$ns" ] || return 1
	done
	[ -f "$STATE/labs/demo.yaml" ]
}

# refused WHAT REGEX JSON: JSON gets ok:false with an error matching
# REGEX, and the lab is still there.
refused() {
	local what=$1 re=$2 doc=$3 r
	r=$(ctl "$doc") || fail "$what: no reply"
	echo "$r" | jq -e --arg re "$re" \
	    '.ok == false and (.error | test($re))' >/dev/null ||
		fail "$what: $doc -> $r"
	lab_intact || fail "$what: the lab was destroyed by $doc"
	vrfd_alive || fail "$what: vrfd died"
	say "refused: $what: $(echo "$r" | jq -r .error)"
}

say "the headline case, through ctl"
refused "cmd twice" 'twice|duplicate' '{"cmd":"ping","cmd":"destroy","lab":"demo"}'

# The variants, on one connection after another in one process (a python
# start per request would be slow): each must be refused (or served) as
# said, and leave the lab's namespaces there.
python3 - "$SOCK" $NS <<'PY' || fail "variants"
import json, os, re, socket, sys
path, nss = sys.argv[1], sys.argv[2:]
TWICE = "twice|duplicate"
MALFORMED = TWICE + "|malformed"

def ask(doc):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    s.settimeout(10)
    s.connect(path)
    s.send(doc.encode() if isinstance(doc, str) else doc)
    r = json.loads(s.recv(1 << 20))
    s.close()
    return r

def intact(what, doc):
    gone = [n for n in nss if not os.path.exists("/run/netns/" + n)]
    assert not gone, f"{what}: {doc!r} destroyed {gone}"

def refused(what, regex, doc):
    r = ask(doc)
    assert r.get("ok") is False and re.search(regex, r.get("error", "")), \
        f"{what}: {doc!r} -> {r}"
    intact(what, doc)
    print(f"--- refused: {what}: {r['error']}")

def accepted(what, doc):
    r = ask(doc)
    assert r.get("ok") is True and "demo" in r["report"]["labs"], \
        f"{what}: {doc!r} -> {r}"
    intact(what, doc)
    print(f"--- accepted: {what}")

print("--- strict JSON with a name twice: refused as such")
refused("cmd twice, destroy first", TWICE,
        '{"cmd":"destroy","lab":"demo","cmd":"ping"}')
refused("lab twice", TWICE,
        '{"cmd":"destroy","lab":"no-such-lab","lab":"demo"}')
refused("cmd twice, blanks around", TWICE,
        '{ "cmd" : "ping" ,\n\t"cmd"\r\n:\t"destroy" , "lab" : "demo" }\n')
refused("cmd twice, one escaped (\\u0063md)", TWICE,
        r'{"cmd":"ping","\u0063md":"destroy","lab":"demo"}')
refused("cmd twice, upper-case hex (c\\u006Dd)", TWICE,
        r'{"cmd":"ping","c\u006Dd":"destroy","lab":"demo"}')
refused("cmd twice, all escaped", TWICE,
        r'{"\u0063\u006d\u0064":"ping","cmd":"destroy","lab":"demo"}')
refused("cmd and cmd\\u0000 (json-c cuts a name at a NUL)", TWICE,
        r'{"cmd":"ping","cmd\u0000":"destroy","lab":"demo"}')
refused("cmd and cmd\\u0000junk", TWICE,
        r'{"cmd":"ping","cmd\u0000junk":"destroy","lab":"demo"}')
refused("a name twice in a nested object", TWICE,
        '{"cmd":"ping","x":{"a":1,"a":2}}')
refused("a name twice deep in arrays and objects", TWICE,
        '{"cmd":"ping","x":[1,{"k":{"a":1,"b":[{"z":0},{"z":0,"y":2,"z":1}]}}]}')
refused("a name twice, once as a surrogate pair", TWICE,
        r'{"cmd":"ping","\ud83d\ude00":1,' + '"\U0001F600":2}')
refused("a name twice, once with an escaped solidus", TWICE,
        r'{"cmd":"ping","a/b":1,"a\/b":2}')
refused("two lone surrogates (both U+FFFD to json-c)", TWICE,
        r'{"cmd":"ping","\ud800":1,"\udfff":2}')
refused("a name twice among 2000", TWICE,
        '{"cmd": "ping", ' +
        ", ".join('"k%d": %d' % (i, i) for i in range(2000)) + ', "k1234": 0}')

print("--- not strict JSON (json-c would read it): refused")
refused("a comment between two cmd", MALFORMED,
        '{"cmd":"ping",/* x */"cmd":"destroy","lab":"demo"}')
refused("a line comment between two cmd", MALFORMED,
        '{"cmd":"ping",// x\n"cmd":"destroy","lab":"demo"}')
refused("cmd twice, once in single quotes", MALFORMED,
        '{"cmd":"ping",\'cmd\':"destroy","lab":"demo"}')
refused("cmd twice and a trailing comma", MALFORMED,
        '{"cmd":"ping","cmd":"destroy","lab":"demo",}')
refused("a comment alone", "malformed", '{"cmd":"ping"/* x */}')
refused("a raw NUL in a name", MALFORMED,
        b'{"cmd":"ping","cmd\x00":"destroy","lab":"demo"}')
refused("a raw tab in a name", MALFORMED,
        b'{"cmd":"ping","cmd\t":"destroy","lab":"demo"}')

print("--- the same documents without a repeated name are served")
accepted("plain ping", '{"cmd":"ping"}')
accepted("names that differ in case", '{"cmd":"ping","Cmd":"destroy","CMD":1}')
accepted("a name that only starts like another",
         '{"cmd":"ping","cmd2":"destroy","cm":"x","lab":"demo"}')
accepted("the same name in two objects",
         '{"cmd":"ping","x":{"a":1},"y":{"a":1},"z":[{"a":1},{"a":2}]}')
accepted("a NUL that cuts a name to one that differs",
         r'{"cmd":"ping","c\u0000md":"destroy"}')
PY

say "the lab is intact"
vrfd_alive || fail "vrfd died"
lab_intact || fail "the lab's namespaces or kept topology are gone"
[ "$(ls "$STATE/labs")" = demo.yaml ] || fail "kept labs: $(ls "$STATE/labs")"
converged demo || fail "demo is not converged"
grep -q "destroy" "$T/vrfd.log" && fail "vrfd's log speaks of a destroy"
ip -n demo-ce1 route del 10.8.0.0/16
repaired "still watched" route_ok demo-ce1 10.8.0.0/16
stop_vrfd
say ok
