#!/usr/bin/env bash
# t_many_namespaces: a lab of more namespaces than 1024 descriptors hold
# (a pass keeps two per namespace) applies, with the usual soft limit of
# 1024, through vrfctl alone and through vrfd: each raises its soft limit
# to the hard one.
. "$(dirname "$0")/lib_daemon.sh"

[ "$(ulimit -Hn)" -ge 4096 ] || fail "the hard limit ($(ulimit -Hn)) is too low for this test"
"$ROOT/bench/gen-grid" 24 >"$T/grid.yaml"	# 576 namespaces
ulimit -Sn 1024

say "vrfctl alone, soft limit 1024"
r=$("$VRFCTL" -j apply "$T/grid.yaml") || fail "apply: $(jq -c '.errors[:3]' <<<"$r")"
expect_eq "$(jq -c '[.failed, .converged]' <<<"$r")" '[0,true]' "apply"
expect_eq "$("$VRFCTL" -j plan "$T/grid.yaml" | jq .changes)" 0 "changes after"
"$VRFCTL" destroy grid >/dev/null || fail "destroy"

say "through vrfd, soft limit 1024"
start_vrfd
r=$(vctl -j apply "$T/grid.yaml") || fail "apply: $(jq -c '.errors[:3]' <<<"$r")"
expect_eq "$(jq -c '[.failed, .converged]' <<<"$r")" '[0,true]' "apply through vrfd"
dst=$(ip -n grid-r23-23 -j route show proto 118 | jq -r '.[0].dst')
ip -n grid-r23-23 route del "$dst"
repaired "route $dst of the last router" route_ok grid-r23-23 "$dst"
vctl destroy grid >/dev/null || fail "destroy through vrfd"
expect_eq "$(ip netns list | wc -l)" 0 "namespaces after destroy"
stop_vrfd
say ok
