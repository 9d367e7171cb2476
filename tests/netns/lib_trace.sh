# tests/netns/lib_trace.sh: sourced after lib.sh by the trace and verify
# tests (t_trace_*.sh, t_verify_*.sh).
#
# Each test writes its small lab inline (lab_apply NAME <<EOF) and runs
# `vrfctl trace` twice, as text and as JSON, through trc; the checks then
# look at the text's last line, the JSON and the exit status together.

# lab_apply NAME: the topology on standard input, kept as $T/NAME.yaml,
# validated and applied (lab NAME); apply must converge. Then lab_settle.
lab_apply() {
	cat > "$T/$1.yaml"
	"$VRFCTL" validate "$T/$1.yaml" >/dev/null || fail "validate $1.yaml"
	"$VRFCTL" apply "$T/$1.yaml" > "$T/$1.apply" 2>&1 || {
		cat "$T/$1.apply"
		fail "apply $1.yaml"
	}
	lab_settle "$1"
}

# ns_settled NS: every global IPv6 address of NS has its local route.
ns_settled() {
	local a
	for a in $(ip -j -n "$1" -6 addr show scope global |
	    jq -r '.[].addr_info[] | select(.local != null) | .local'); do
		ip -n "$1" -6 route get "$a" | grep -q '^local ' || return 1
	done
}

# lab_settle LAB: wait, a bounded while, until each namespace of LAB has
# the local routes of its IPv6 addresses. The kernel adds an IPv6
# address's local route in its DAD work, later, even for a nodad address,
# and apply returns without waiting for it: until then the address is
# not the namespace's own (the lookup finds only its prefix route), and
# a trace or a packet to it is rightly not delivered.
lab_settle() {
	local ns
	for ns in /run/netns/"$1"-*; do
		ns=${ns##*/}
		wait_for 100 ns_settled "$ns" ||
			fail "$ns: IPv6 addresses without their local route"
	done
}

# trc NAME ARGS...: `vrfctl trace ARGS` as text ($T/NAME.txt, exit status
# in TR_RC) and as JSON ($T/NAME.json, exit status in TR_JRC). Both must
# say something: a trace that prints nothing fails here.
trc() {
	local name=$1
	shift
	TR_RC=0
	TR_JRC=0
	"$VRFCTL" trace "$@" > "$T/$name.txt" 2> "$T/$name.err" || TR_RC=$?
	"$VRFCTL" trace -j "$@" > "$T/$name.json" 2>> "$T/$name.err" ||
		TR_JRC=$?
	[ -s "$T/$name.txt" ] || fail "trace $*: no text (stderr: $(cat \
	    "$T/$name.err"))"
	jq -e . "$T/$name.json" >/dev/null 2>&1 || fail "trace -j $*: not \
	    JSON: $(head -c 300 "$T/$name.json") $(cat "$T/$name.err")"
}

# tj NAME JQ: a value from trace NAME's JSON.
tj() {
	jq -r "$2" "$T/$1.json"
}

# tr_last NAME: the text's last line, "RESULT: why".
tr_last() {
	tail -n 1 "$T/$1.txt"
}

# tr_result NAME RESULT LASTNODE [WHY]: trace NAME ended with RESULT at
# LASTNODE, in the text's last line ("RESULT: ...", holding WHY if given)
# and in the JSON (.result, the last of .hops); the exit status is 0 for
# delivered and 1 for anything else, as text and as JSON.
tr_result() {
	local name=$1 want=$2 node=$3 why=${4:-} rc=1 last
	last=$(tr_last "$name")
	case $last in
	"$want: "*) ;;
	*) fail "$name: last line '$last', want '$want: ...'" ;;
	esac
	if [ -n "$why" ] && [[ $last != *"$why"* ]]; then
		fail "$name: last line '$last' does not say '$why'"
	fi
	expect_eq "$(tj "$name" .result)" "$want" "$name: .result"
	expect_eq "$(tj "$name" '.hops[-1].node')" "$node" \
	    "$name: the last hop"
	[ "$want" = delivered ] && rc=0
	expect_eq "$TR_RC" "$rc" "$name: exit status"
	expect_eq "$TR_JRC" "$rc" "$name: exit status with -j"
}

# tr_hops NAME: "node node ..." of the JSON's hops.
tr_hops() {
	tj "$1" '[.hops[].node] | join(" ")'
}

# tr_protos NAME: each hop's route protocol ("-" for none: a switch).
tr_protos() {
	tj "$1" '[.hops[] | .route.protocol // "-"] | join(" ")'
}

# vf NAME ARGS...: `vrfctl verify ARGS` as text ($T/NAME.txt, VF_RC) and
# as JSON ($T/NAME.json, VF_JRC).
vf() {
	local name=$1
	shift
	VF_RC=0
	VF_JRC=0
	"$VRFCTL" verify "$@" > "$T/$name.txt" 2> "$T/$name.err" || VF_RC=$?
	"$VRFCTL" verify -j "$@" > "$T/$name.json" 2>> "$T/$name.err" ||
		VF_JRC=$?
	jq -e . "$T/$name.json" >/dev/null 2>&1 || fail "verify -j $*: not \
	    JSON: $(head -c 300 "$T/$name.json") $(cat "$T/$name.err")"
}
