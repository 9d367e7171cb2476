#!/usr/bin/env bash
# tests/cli_test.sh: vrfctl's frame, validate, graph, show-addresses and
# import, run on the fixtures in tests/data/ and the containerlab labs of
# topology/clab (no root, no daemon). Needs a built
# cli/vrfctl, dot(1) and jq(1). One "ok"/"not ok" line per test; the last
# line is "N passed, N failed", and the exit status is 1 if any test
# failed.
set -u
cd "$(dirname "$0")/.."
VRFCTL=${VRFCTL:-cli/vrfctl}
D=tests/data
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0 name= why=()

begin() { name=$1; why=(); }
end() {
	if [ ${#why[@]} -eq 0 ]; then
		pass=$((pass + 1)); echo "ok - $name"
	else
		fail=$((fail + 1)); echo "not ok - $name"
		printf '    %s\n' "${why[@]}"
	fi
}
# vrfctl ARGS...: run it; $out, $err and $rc are what the checks look at.
vrfctl() {
	"$VRFCTL" "$@" >"$tmp/out" 2>"$tmp/err"; rc=$?
	out=$(cat "$tmp/out"); err=$(cat "$tmp/err")
}
want_rc() {
	[ "$rc" -eq "$1" ] || why+=("exit $rc, want $1; stderr: ${err:0:300}")
}
want_out() {
	grep -qF -- "$1" "$tmp/out" || why+=("stdout lacks '$1'")
}
want_err() {
	grep -qF -- "$1" "$tmp/err" || why+=("stderr lacks '$1'")
}
no_out() { [ -z "$out" ] || why+=("stdout not empty: ${out:0:200}"); }
no_err() { [ -z "$err" ] || why+=("stderr not empty: ${err:0:200}"); }
# want_jq FILTER: the JSON on stdout makes FILTER true.
want_jq() {
	jq -e "$1" "$tmp/out" >/dev/null 2>&1 || why+=("JSON fails: $1")
}
# want_dot: stdout is a graph that dot(1) renders without a word.
want_dot() {
	local e
	if ! e=$(dot -Tsvg "$tmp/out" 2>&1 >"$tmp/svg"); then
		why+=("dot fails: ${e:0:300}")
	elif [ -n "$e" ]; then
		why+=("dot warns: ${e:0:300}")
	elif ! grep -q '</svg>' "$tmp/svg"; then
		why+=("dot made no SVG")
	fi
}

if [ ! -x "$VRFCTL" ]; then
	echo "not ok - $VRFCTL is not built"
	echo "0 passed, 1 failed"
	exit 1
fi

# The frame.
begin "--help lists the commands and options"
vrfctl --help; want_rc 0; no_err
want_out "usage: vrfctl [-j] [-s SOCKET] [--host NAME] COMMAND [ARG...]"
grep -Eq '^  validate +check topology files' "$tmp/out" || why+=("no validate")
grep -Eq '^  graph +draw a topology' "$tmp/out" || why+=("no graph")
grep -Eq '^  help +show the usage of a command' "$tmp/out" || why+=("no help")
want_out "-s SOCKET"
end

begin "-h is --help"
vrfctl -h; want_rc 0; want_out "commands:"
end

begin "--version"
vrfctl --version; want_rc 0; no_err
[[ $out =~ ^vrfctl\ [0-9]+\.[0-9]+ ]] || why+=("got '$out'")
end

begin "no command is a usage error"
vrfctl; want_rc 2; no_out; want_err "usage: vrfctl"
end

begin "help COMMAND prints its usage and summary"
vrfctl help validate; want_rc 0; no_err
want_out "usage: vrfctl validate [-j] FILE..."
want_out "check topology files and summarize them"
end

begin "COMMAND --help is help COMMAND"
vrfctl graph --help; want_rc 0
want_out "usage: vrfctl graph [--format dot|mermaid] [--trace NODE DEST] FILE|LAB"
end

begin "help without a command is --help"
vrfctl help; want_rc 0; want_out "commands:"
end

begin "help of an unknown command"
vrfctl help grahp; want_rc 2; no_out
want_err "vrfctl: unknown command 'grahp'; did you mean 'graph'?"
end

begin "a misspelt command is suggested, not run"
vrfctl valdate "$D/graph-invalid.yaml"; want_rc 2; no_out
want_err "vrfctl: unknown command 'valdate'; did you mean 'validate'?"
[ "$(wc -l <"$tmp/err")" -eq 1 ] || why+=("more than one line on stderr")
end

begin "an abbreviated command is suggested, not run"
vrfctl val "$D/graph-basic.yaml"; want_rc 2; no_out
want_err "did you mean 'validate'?"
end

begin "an unknown command without a near one"
vrfctl xyzzy; want_rc 2; no_out
want_err "vrfctl: unknown command 'xyzzy'; see 'vrfctl --help'"
end

begin "an unknown global option"
vrfctl -x validate "$D/graph-basic.yaml"; want_rc 2; no_out
want_err "vrfctl: unknown option '-x'"
end

begin "long options must be spelled out"
vrfctl --vers; want_rc 2; no_out
want_err "vrfctl: unknown option '--vers'; did you mean '--version'?"
end

begin "-s needs an argument"
vrfctl -s; want_rc 2; want_err "vrfctl: option '-s' needs an argument"
end

begin "output that cannot be written is a failure"
"$VRFCTL" validate "$D/graph-basic.yaml" >/dev/full 2>"$tmp/err"; rc=$?
err=$(cat "$tmp/err")
want_rc 1; want_err "vrfctl: stdout: "
"$VRFCTL" graph "$D/graph-basic.yaml" >/dev/full 2>"$tmp/err"; rc=$?
err=$(cat "$tmp/err")
want_rc 1; want_err "vrfctl: stdout: No space left on device"
end

# validate
begin "validate: a valid file"
vrfctl validate "$D/graph-basic.yaml"; want_rc 0
want_out "$D/graph-basic.yaml: ok: lab demo, 5 routers, 7 namespaces, 5 links, 4 routes"
end

begin "validate: an invalid file shows every diagnostic"
vrfctl validate "$D/graph-invalid.yaml"; want_rc 3; no_out
n=$(grep -c ': error: ' "$tmp/err")
[ "$n" -ge 3 ] || why+=("$n errors shown, want at least 3")
tail -1 "$tmp/err" | grep -qx "$D/graph-invalid.yaml: $n errors, [0-9]* warnings\?" ||
    why+=("last line: $(tail -1 "$tmp/err")")
grep -q "^$D/graph-invalid.yaml:[0-9]*:[0-9]*: error: " "$tmp/err" ||
    why+=("no FILE:LINE:COL: error:")
end

begin "validate: expect: entries (via, proto, port), each error at its place"
vrfctl validate "$D/bad-expect-flow.yaml"; want_rc 3; no_out
f=$D/bad-expect-flow.yaml
want_err "$f:14:46: error: expect[0].via[1]: unknown node 'ce9'; did you mean 'ce1'?"
want_err "$f:19:21: error: expect[5].to: invalid IP address '2001:db8::g'"
want_err "$f:21:37: error: expect[7].port: a port needs 'proto: udp' or 'proto: tcp'"
want_err "$f:23:5: error: expect[9]: 'proto: udp' needs a 'port'"
want_err "$f:25:38: error: expect[11].proto: unknown protocol 'sctp'; expected icmp, udp or tcp"
grep -q "expect\[11\].port" "$tmp/err" && why+=("expect[11]: its port blamed too")
tail -1 "$tmp/err" | grep -qx "$f: 19 errors, 0 warnings" ||
    why+=("last line: $(tail -1 "$tmp/err")")
vrfctl -j validate "$D/bad-expect-flow.yaml"; want_rc 3; no_err
want_jq '.files[0].diagnostics | length == 19 and
    (map(select(.path == "expect[9]")) | .[0].line == 23 and .[0].col == 5)'
vrfctl validate "$D/good-expect-flow.yaml"; want_rc 0; no_err
want_out "$D/good-expect-flow.yaml: ok: lab ef"
end

begin "validate: state: up or down, on a link or an interface"
vrfctl validate "$D/bad-state.yaml"; want_rc 3; no_out
f=$D/bad-state.yaml
want_err "$f:7:47: error: routers.r1.interfaces.eth0.state: expected 'up' or 'down', got 'Down'"
want_err "$f:16:44: error: links[0].state: expected 'up' or 'down', got 'off'"
want_err "$f:6:47: error: routers.r1.interfaces.lo.state: 'lo' is always up; 'state' is for the interface of a link"
vrfctl validate "$D/good-state.yaml"; want_rc 0; no_err
end

begin "link set: its words, before any daemon or root"
vrfctl link; want_rc 2; no_out
want_err "vrfctl: link: a subcommand is needed: set"
vrfctl link set demo r1 down; want_rc 2; no_out
want_err "vrfctl: link: 'r1' is not NODE:IFNAME, such as r1:eth0 or pe1/red:eth1"
vrfctl link set demo r1:eth0 off; want_rc 2; no_out
want_err "vrfctl: link: 'off' is neither up nor down"
vrfctl link set ../x r1:eth0 down; want_rc 2; no_out
want_err "vrfctl: link: '../x' is not a lab name"
vrfctl help link; want_rc 0
want_out "usage: vrfctl link set [-j] LAB NODE:IFNAME up|down"
end

begin "validate: warnings are shown, the file is valid"
vrfctl validate "$D/graph-warning.yaml"; want_rc 0
want_out "$D/graph-warning.yaml: ok: lab warn, 2 routers, 2 namespaces, 1 link, 1 route; 1 warning"
grep -q "^$D/graph-warning.yaml:7:[0-9]*: warning: " "$tmp/err" ||
    why+=("no FILE:LINE:COL: warning:")
vrfctl -j validate "$D/graph-warning.yaml"; want_rc 0; no_err
want_jq '.files[0] | .valid and (.diagnostics | length == 1)
    and .diagnostics[0].level == "warning" and .diagnostics[0].line == 7'
vrfctl graph "$D/graph-warning.yaml"; want_rc 0; want_dot
want_err ": warning: "
end

begin "validate: all files, exit 3 if one is invalid"
vrfctl validate "$D/graph-invalid.yaml" "$D/graph-basic.yaml" \
    "$D/graph-names.yaml"
want_rc 3
want_out "$D/graph-basic.yaml: ok: lab demo"
want_out "$D/graph-names.yaml: ok: lab my-lab_2"
want_err "$D/graph-invalid.yaml: "
end

begin "validate: a missing file is a failure (exit 1)"
vrfctl validate "$D/graph-basic.yaml" "$tmp/nonexistent.yaml"
want_rc 1
want_out "graph-basic.yaml: ok"
want_err "nonexistent.yaml: error: No such file or directory"
end

begin "validate: a directory is a failure (exit 1)"
vrfctl validate "$D"; want_rc 1; want_err "Is a directory"
end

begin "validate: not YAML is an invalid topology"
printf 'lab: [demo\n' >"$tmp/broken.yaml"
vrfctl validate "$tmp/broken.yaml"; want_rc 3; want_err "broken.yaml:"
end

begin "validate: no file is a usage error"
vrfctl validate; want_rc 2; no_out
want_err "vrfctl: validate: no topology file given"
want_err "usage: vrfctl validate [-j] FILE..."
end

begin "validate: an unknown option"
vrfctl validate -k "$D/graph-basic.yaml"; want_rc 2; no_out
want_err "vrfctl: validate: unknown option '-k'"
end

begin "validate -j: one JSON document"
vrfctl validate -j "$D/graph-basic.yaml" "$D/graph-invalid.yaml"
want_rc 3; no_err
want_jq '.files | length == 2'
want_jq '.files[0] | .valid == true and .lab == "demo" and .routers == 5
    and .namespaces == 7 and .links == 5 and .routes == 4
    and .diagnostics == []'
want_jq '.files[1] | .valid == false and (.diagnostics | length >= 3)'
want_jq '.files[1].diagnostics[0] | has("file") and has("line")
    and has("col") and has("level") and has("path") and has("message")'
want_jq '.files[0].file == "tests/data/graph-basic.yaml"'
end

begin "-j before the command is the same"
vrfctl -j validate "$D/graph-basic.yaml"; want_rc 0; no_err
want_jq '.files[0].valid'
end

begin "validate -j: an unreadable file"
vrfctl -j validate "$tmp/nonexistent.yaml"; want_rc 1
want_jq '.files[0] | .valid == false and .lab == null'
end

# graph
begin "graph: DOT that dot renders"
vrfctl graph "$D/graph-basic.yaml"; want_rc 0; want_dot
want_out 'graph "demo" {'
want_out 'subgraph "cluster_pe1" {'
want_out '"pe1/red" [label="pe1/red\ndemo-pe1-red"];'
want_out '"ce1" [label="ce1\ndemo-ce1"];'
want_out '"lan1" [label="lan1\ndemo-lan1", shape=ellipse'
want_out '"ce1" -- "pe1/red" [taillabel="eth0\n10.1.0.2/24", headlabel="eth1\n10.1.0.1/24"];'
want_out 'label="mtu 9000"'
end

begin "graph: names with '-', '_', '/' and IPv6"
vrfctl graph "$D/graph-names.yaml"; want_rc 0; want_dot
want_out 'subgraph "cluster_core_a" {'
want_out '"core_a/cust-a" [label="core_a/cust-a\nmy-lab_2-core_a-cust-a"];'
want_out 'headlabel="ve-1\n192.0.2.0/31\n2001:db8:0:1::2/64"'
want_out '"end" [label="end\nmy-lab_2-end"];'
# Every namespace of the topology is one node.
n=$(grep -cE '^\s*"[^"]+" \[label=' "$tmp/out")
[ "$n" -eq 6 ] || why+=("$n nodes, want 6")
end

begin "graph --format dot is the default"
vrfctl graph "$D/graph-basic.yaml"; cp "$tmp/out" "$tmp/default"
vrfctl graph --format dot "$D/graph-basic.yaml"; want_rc 0
cmp -s "$tmp/out" "$tmp/default" || why+=("differs from the default")
vrfctl graph --format=dot "$D/graph-basic.yaml"; want_rc 0
cmp -s "$tmp/out" "$tmp/default" || why+=("--format=dot differs")
end

begin "graph --format mermaid"
vrfctl graph --format mermaid "$D/graph-basic.yaml"; want_rc 0; no_err
[ "$(sed -n 4p "$tmp/out")" = "flowchart LR" ] || why+=("no flowchart LR")
want_out 'title: "lab demo"'
want_out '    subgraph r1 ["pe1"]'
want_out '        n1["pe1/red<br/>demo-pe1-red"]'
want_out '    n0["ce1<br/>demo-ce1"]'
want_out '    n6{{"lan1<br/>demo-lan1"}}'
want_out '    n0 ---|"eth0 10.1.0.2/24 — eth1 10.1.0.1/24"| n1'
want_out '    n3 ---|"eth0 10.1.0.2/24 — eth2 10.1.0.1/24<br/>mtu 9000"| n2'
# Quoted labels hold no quote; every subgraph ends.
grep -v '^title:' "$tmp/out" | grep -q '"[^"|]*"[^"]*"[^]}|]*[]}|]' &&
    why+=("a label holds a quote")
[ "$(grep -c 'subgraph' "$tmp/out")" -eq "$(grep -c '^ *end$' "$tmp/out")" ] ||
    why+=("subgraph and end do not pair")
end

begin "graph --format mermaid: ids are ours, not the names"
vrfctl graph --format mermaid "$D/graph-names.yaml"; want_rc 0
want_out '["end<br/>my-lab_2-end"]'
want_out '["subgraph<br/>my-lab_2-subgraph"]'
grep -Eq '^ *(end|subgraph|edge-1|core_a)[[{]' "$tmp/out" &&
    why+=("a name is used as an id")
end

begin "graph: an unknown format"
vrfctl graph --format svg "$D/graph-basic.yaml"; want_rc 2; no_out
want_err "vrfctl: graph: unknown format 'svg': use dot or mermaid"
end

begin "graph: an abbreviated option"
vrfctl graph --form mermaid "$D/graph-basic.yaml"; want_rc 2; no_out
want_err "vrfctl: graph: unknown option '--form'; did you mean '--format'?"
end

begin "graph: --format needs an argument"
vrfctl graph "$D/graph-basic.yaml" --format; want_rc 2; no_out
want_err "vrfctl: graph: option '--format' needs an argument"
end

begin "graph: one file only"
vrfctl graph "$D/graph-basic.yaml" "$D/graph-names.yaml"; want_rc 2; no_out
want_err "vrfctl: graph: unexpected argument '$D/graph-names.yaml'"
want_err "usage: vrfctl graph [--format dot|mermaid] [--trace NODE DEST] FILE|LAB"
end

begin "graph: an invalid topology draws nothing"
vrfctl graph "$D/graph-invalid.yaml"; want_rc 3; no_out
want_err ": error: "; want_err "$D/graph-invalid.yaml: "
vrfctl graph --format mermaid "$D/graph-invalid.yaml"; want_rc 3; no_out
end

begin "graph: -j is refused"
vrfctl -j graph "$D/graph-basic.yaml"; want_rc 2; no_out
want_err "vrfctl: graph: -j is not supported"
end

# The shipped examples draw too.
for y in topology/*.yaml; do
	[ -f "$y" ] || continue
	begin "graph $y"
	vrfctl graph "$y"; want_rc 0; want_dot
	vrfctl graph --format mermaid "$y"; want_rc 0
	end
done

# show-addresses: what the pools of `addressing:` chose (vrf-topology(5)).
begin "show-addresses: one line per interface, with where each came from"
vrfctl show-addresses "$D/good-addressing.yaml"; want_rc 0; no_err
want_out "r1:eth0  10.0.138.150/31 (pool p2p), 2001:db8:0:454b::1/64 (pool p2p6)"
want_out "r2:eth0  10.0.138.151/31 (pool p2p), 2001:db8:0:454b::2/64 (pool p2p6)"
want_out "r1:lo    10.255.0.24/32 (pool loopback), 2001:db8:ff::ab18/128 (pool loopback6)"
want_out "gw:eth1  192.168.7.1/24 (declared), 2001:db8:1:8d4a::bfed/64 (pool lan6)"
want_out "h1:eth0  192.168.7.124/24 (subnet of gw:eth1), "
[ "$(wc -l <"$tmp/out")" -eq 12 ] || why+=("$(wc -l <"$tmp/out") lines, want 12")
grep -q '^lan:' "$tmp/out" && why+=("a switch port is listed")
# The same file, the same addresses.
cp "$tmp/out" "$tmp/first"
vrfctl show-addresses "$D/good-addressing.yaml"
cmp -s "$tmp/out" "$tmp/first" || why+=("a second run differs")
end

begin "show-addresses -j: one JSON document"
vrfctl -j show-addresses "$D/good-addressing.yaml"; want_rc 0; no_err
want_jq '.lab == "pools" and .file == "tests/data/good-addressing.yaml"'
want_jq '.interfaces | length == 12'
want_jq '.interfaces[0] | .node == "r1" and .namespace == "pools-r1"
    and .interface == "eth0"'
want_jq '.interfaces[0].addresses[0] | .address == "10.0.138.150/31"
    and .source == "pool" and .pool == "p2p" and .subnet_of == null'
want_jq '[.interfaces[] | select(.node == "gw" and .interface == "eth1")
    | .addresses[0]] == [{"address": "192.168.7.1/24",
    "source": "declared", "pool": null, "subnet_of": null}]'
want_jq '[.interfaces[] | select(.node == "h2") | .addresses[0]][0]
    | .source == "subnet" and .subnet_of == "gw:eth1"'
# The text shows the same addresses.
cp "$tmp/out" "$tmp/json"
vrfctl show-addresses "$D/good-addressing.yaml"
for a in $(jq -r '.interfaces[].addresses[].address' "$tmp/json"); do
	grep -qF -- "$a (" "$tmp/out" || why+=("the text lacks $a")
done
end

begin "show-addresses: a file with no pools shows what it declares"
vrfctl show-addresses "$D/graph-basic.yaml"; want_rc 0; no_err
want_out "ce1:eth0"; want_out "(declared)"
grep -q "(pool " "$tmp/out" && why+=("a pool address without pools")
end

begin "show-addresses: an invalid file shows its errors, exit 3"
vrfctl show-addresses "$D/bad-addressing.yaml"; want_rc 3; no_out
want_err "bad-addressing.yaml:4:3: error: addressing.p2p: pool p2p: 10.0.0.2/31 for link r1:eth0 - r2:eth0 clashes with 10.0.0.1/24 declared on r3:eth0 (16:26)"
want_err "bad-addressing.yaml: 7 errors, 0 warnings"
vrfctl -j show-addresses "$D/bad-addressing.yaml"; want_rc 3
want_jq '.files[0].valid == false'
end

begin "show-addresses: usage"
vrfctl show-addresses; want_rc 2; no_out
want_err "vrfctl: show-addresses: no topology file given"
want_err "usage: vrfctl show-addresses [-j] FILE|LAB"
vrfctl show-addresses "$D/good-addressing.yaml" "$D/graph-basic.yaml"
want_rc 2; want_err "unexpected argument"
vrfctl help show-addresses; want_rc 0
want_out "usage: vrfctl show-addresses [-j] FILE|LAB"
end

# Containerlab topologies: vrfctl import, and every command reading one
# (vrfctl(8) import). C is the shipped lab, in both formats.
C=topology/clab
begin "import: a containerlab lab in vrfd's format, on stdout"
vrfctl import "$C/frr01.clab.yml"; want_rc 0
want_out "lab: frr01"
want_out "  pc1:                 # PC1"
want_out "          - 192.168.11.2/24"
want_out "      - {to: 192.168.0.0/16, via: 192.168.11.1, dev: eth1}"
want_out "      config: router1/frr.conf"
want_out "      daemons: [zebra, staticd, ospfd]"
want_out "  - [router1:eth1, router2:eth1]"
want_out "  - {from: pc1, to: 198.51.100.1, reach: false}"
want_err "$C/frr01.clab.yml:28:7: warning: topology.groups.routers.image: ignored: 'image' sets up a container, and vrfd makes none"
[ "$(grep -c warning "$tmp/err")" -eq 2 ] || why+=("not 2 warnings: $err")
cp "$tmp/out" "$tmp/frr01.yaml"
vrfctl validate "$tmp/frr01.yaml"; want_rc 0; no_err
want_out "frr01.yaml: ok: lab frr01, 6 routers, 6 namespaces, 6 links, 6 routes"
end

begin "import: the older format is the same lab"
vrfctl import "$C/frr01.clab.yml"; tail -n +2 "$tmp/out" >"$tmp/cur"
vrfctl import "$C/frr01-old.clab.yml"; want_rc 0
tail -n +2 "$tmp/out" | cmp -s - "$tmp/cur" ||
	why+=("differs: $(tail -n +2 "$tmp/out" | diff - "$tmp/cur" | head -5)")
want_err "$C/frr01-old.clab.yml:15:7: warning: topology.nodes.router1.image: ignored"
vrfctl import "$C/bird01.clab.yml"; want_rc 0
want_out "      config: bird1/bird.conf"
end

begin "validate, graph and show-addresses take a .clab.yml"
vrfctl validate "$C/frr01.clab.yml" "$C/frr01-old.clab.yml" "$C/bird01.clab.yml"
want_rc 0
want_out "$C/frr01.clab.yml: ok: lab frr01, 6 routers, 6 namespaces, 6 links, 6 routes; 2 warnings"
want_out "$C/frr01-old.clab.yml: ok: lab frr01, 6 routers, 6 namespaces, 6 links, 6 routes; 6 warnings"
want_out "$C/bird01.clab.yml: ok: lab bird01, 4 routers, 4 namespaces, 3 links, 2 routes; 3 warnings"
vrfctl graph "$C/frr01.clab.yml"; want_rc 0; want_dot
vrfctl show-addresses "$C/frr01.clab.yml"; want_rc 0
want_out "pc1:eth1"
want_out "192.168.11.2/24"
end

# A lab of plain nodes without addresses: pools give them; a name that
# is not vrfd's becomes one; a file named otherwise is recognised by its
# keys.
printf '%s\n' 'name: Plain.Lab' 'topology:' '  defaults: {kind: linux}' \
    '  nodes:' '    Host_A:' '    host-b:' '    sw1: {kind: bridge}' \
    '  links:' '    - endpoints: ["Host_A:eth1", "host-b:eth1"]' \
    '    - endpoints: ["Host_A:eth2", "sw1:p1"]' \
    '    - endpoints: ["host-b:eth2", "sw1:p2"]' >"$tmp/plain.yml"
begin "import: pools for the addresses left out; names made vrfd's"
vrfctl import "$tmp/plain.yml"; want_rc 0; no_err
want_out "lab: plain-lab"
want_out "  host_a:              # Host_A"
want_out "  sw1: {}"
want_out "  p2p: 100.64.0.0/16"
want_out "  lan: 100.65.0.0/16"
vrfctl show-addresses "$tmp/plain.yml"; want_rc 0
want_out "host_a:eth1  100.64."
want_out "(pool p2p)"
want_out "(pool lan)"
end

# Everything wrong with a file, each at its place in it, in one run: what
# the conversion finds, and what the loader finds in the converted text.
printf '%s\n' 'name: bad' 'topology:' '  nodes:' \
    '    srl1: {kind: nokia_srlinux, image: ghcr.io/nokia/srlinux}' \
    '    pc1:' '      kind: linux' '      imgae: alpine' '      exec:' \
    '        - ip addr add 10.0.0.1/24 dev eth1' \
    '        - ip route add 10.9.0.1/24 via 10.0.0.2' \
    '    pc2: {kind: linux}' '  links:' \
    '    - endpoints: ["pc1:eth1", "pc2:eth1"]' \
    '    - endpoints: ["pc1:eth2", "host:pc1-eth2"]' >"$tmp/bad.clab.yml"
begin "validate: a bad .clab.yml, every error at FILE:LINE:COL"
vrfctl validate "$tmp/bad.clab.yml"; want_rc 3; no_out
want_err "$tmp/bad.clab.yml:4:18: error: topology.nodes.srl1.kind: node 'srl1': kind 'nokia_srlinux' needs a network OS of its own"
want_err "$tmp/bad.clab.yml:7:7: error: topology.nodes.pc1: unknown key 'imgae'; did you mean 'image'? (containerlab refuses it too)"
want_err "$tmp/bad.clab.yml:14:31: error: topology.links[1].endpoints[1]: endpoint 'host:pc1-eth2' makes a link of type host"
# ... and with them, what the loader finds in what could be converted.
want_err "$tmp/bad.clab.yml:10:11: error: routers.pc1.routes[0].to: 10.9.0.1/24 has host bits set; did you mean 10.9.0.0/24?"
want_err "$tmp/bad.clab.yml: 4 errors, 0 warnings"
vrfctl -j validate "$tmp/bad.clab.yml"; want_rc 3
want_jq '.files[0].valid == false and ([.files[0].diagnostics[] | select(.level == "error")] | length) == 4'
# Without the conversion's, the loader's alone.
sed -i -e '/srl1/d' -e '/imgae/d' -e '/host:pc1-eth2/d' "$tmp/bad.clab.yml"
vrfctl validate "$tmp/bad.clab.yml"; want_rc 3; no_out
want_err "$tmp/bad.clab.yml:8:11: error: routers.pc1.routes[0].to: 10.9.0.1/24 has host bits set; did you mean 10.9.0.0/24?"
vrfctl import "$tmp/bad.clab.yml"; want_rc 3; no_out
want_err "$tmp/bad.clab.yml:8:11: error: routers.pc1.routes[0].to"
end

begin "import: usage, and a file that is not containerlab's"
vrfctl import; want_rc 2; no_out
want_err "vrfctl: import: a containerlab topology FILE is needed"
want_err "usage: vrfctl import FILE"
vrfctl import "$D/good-minimal.yaml"; want_rc 3; no_out
want_err "is not a containerlab topology"
vrfctl import "$tmp/nonexistent.clab.yml"; want_rc 1; no_out
want_err "No such file or directory"
vrfctl help import; want_rc 0
want_out "usage: vrfctl import FILE"
end

# tests/run itself: without root it cannot run the namespace tests, and
# says so where it is seen, not in a quiet line among the "ok"s. A copy of
# it runs on a tree of two stand-in tests, with an id(1) that says uid 1000.
begin "tests/run: namespace tests skipped without root, loudly"
mkdir -p "$tmp/tree/tests/netns" "$tmp/bin"
cp tests/run "$tmp/tree/tests/run"
printf '#!/bin/sh\nexit 1\n' >"$tmp/tree/tests/netns/t_a.sh"
cp "$tmp/tree/tests/netns/t_a.sh" "$tmp/tree/tests/netns/t_b.sh"
printf '#!/bin/sh\necho 1000\n' >"$tmp/bin/id"
chmod +x "$tmp/bin/id"
PATH="$tmp/bin:$PATH" env -u CI "$tmp/tree/tests/run" netns \
    >"$tmp/out" 2>"$tmp/err"; rc=$?
out=$(cat "$tmp/out"); err=$(cat "$tmp/err")
want_rc 0
want_err "WARNING: 2 namespace tests SKIPPED: they need root."
[ "$(tail -n 1 "$tmp/out")" = "0 passed, 0 failed" ] ||
	why+=("last line: $(tail -n 1 "$tmp/out")")
# Under CI, where the tests run as root, no root is a failure.
PATH="$tmp/bin:$PATH" CI=true "$tmp/tree/tests/run" netns \
    >"$tmp/out" 2>"$tmp/err"; rc=$?
want_rc 1
want_out "not ok - namespace tests need root"
end

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
