#!/usr/bin/env bash
# tests/check_layers.sh: the layers of the tree hold (README, "The
# code"). One "ok"/"not ok" line per rule; the last line is
# "N passed, N failed".
#
#   vrfd/util     the index by key every layer uses          (nothing)
#   vrfd/topo     the topology: loader, checks, compiler      util
#   vrfd/kernel   netlink, namespaces, marks                   util
#   vrfd/engine   passes: diff, plan, apply, status, locks    topo, kernel, util
#     = libvrfd.a, the core: no JSON, no daemon, no CLI
#   vrfd/proto    the wire: JSON of the typed results          engine, topo
#   vrfd/daemon   vrfd: loop, control, watch, repair           all but cli
#   cli           vrfctl                                       all but daemon
#
# And: the daemon and the CLI read typed results, never JSON members;
# vrfctl links nothing of the daemon's.
set -u
cd "$(dirname "$0")/.."
B=${B:-build}
pass=0 fail=0

ok() { pass=$((pass + 1)); echo "ok - $1"; }
not_ok() { fail=$((fail + 1)); echo "not ok - $1"; shift; printf '%s\n' "$@" | sed 's/^/    /'; }

# includes DIR ALLOWED...: DIR's quoted includes name only its own files
# or ALLOWED folders.
includes() {
	local dir=$1 bad
	shift
	bad=$(grep -Ho '#include "[^"]*"' "$dir"/*.[ch] | while IFS=: read -r f inc; do
		inc=${inc#\#include \"}
		inc=${inc%\"}
		case $inc in
		*/*) top=${inc%%/*} ;;
		*) continue ;;
		esac
		allowed=no
		for a in "$@"; do [ "$top" = "$a" ] && allowed=yes; done
		[ "$allowed" = yes ] || echo "$f includes $inc"
	done)
	if [ -z "$bad" ]; then ok "$dir includes only ${*:-itself}"
	else not_ok "$dir includes only ${*:-itself}" "$bad"; fi
}
includes vrfd/util
includes vrfd/topo util
includes vrfd/kernel util
includes vrfd/engine topo kernel util
includes vrfd/proto engine topo util
includes vrfd/daemon util topo kernel engine proto
includes cli util topo kernel engine proto

# The core has no JSON: json-c is the wire's.
bad=$(grep -l 'json-c\|json_object' vrfd/util/*.[ch] vrfd/topo/*.[ch] vrfd/kernel/*.[ch] vrfd/engine/*.[ch])
[ -z "$bad" ] && ok "the core's sources use no json-c" ||
	not_ok "the core's sources use no json-c" "$bad"

# The daemon and the CLI read fields, never JSON members.
bad=$(grep -Hn 'json_object_object_get\|json_object_get_\|json_object_array_get\|json_object_iter\|json_object_object_foreach\|jsonget_\|jr_get' \
    vrfd/daemon/*.[ch] cli/*.[ch])
[ -z "$bad" ] && ok "daemon and cli read no JSON members" ||
	not_ok "daemon and cli read no JSON members" "$bad"

# What the binaries are made of.
syms() { nm "$@" 2>/dev/null | awk 'NF == 3 && $2 ~ /[TtDdBbRr]/ {print $3}'; }
daemon_re='^(nscache|watch|control|repair|labs|worker|daemon|request|interest|backoff|log)_'
if [ -f "$B/libvrfd.a" ] && [ -f "$B/bin/vrfctl" ]; then
	bad=$(syms "$B/libvrfd.a" | grep -E "$daemon_re|^(vrfctl|cmd|output|client|ask)_")
	[ -z "$bad" ] && ok "libvrfd.a exports nothing of the daemon's or the CLI's" ||
		not_ok "libvrfd.a exports nothing of the daemon's or the CLI's" "$bad"
	bad=$(nm -u "$B/libvrfd.a" | awk '{print $2}' | grep '^json_' | sort -u)
	[ -z "$bad" ] && ok "libvrfd.a needs no json-c" ||
		not_ok "libvrfd.a needs no json-c" "$bad"
	bad=$(syms "$B/bin/vrfctl" | grep -E "$daemon_re")
	[ -z "$bad" ] && ok "vrfctl links nothing of the daemon's" ||
		not_ok "vrfctl links nothing of the daemon's" "$bad"
else
	not_ok "the binaries are built ($B/libvrfd.a, $B/bin/vrfctl)"
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
