#!/usr/bin/env bash
# t_daemon_interest_kept: an apply that keeps every namespace of a lab (a
# route declared more, nothing made or removed: vrfd keeps the lab's
# namespaces in place) gives each its new interest. A foreign route
# standing where the new file declares one is a conflict, left alone;
# once it goes, vrfd's own comes back at once, from the kernel's event
# (resync_interval is 30 s), as t_daemon_recover shows for a lab's first
# apply. With the old interest, the foreign route's end is nobody's
# business and the route stays missing until a resync.
. "$(dirname "$0")/lib_daemon.sh"

grep -qx 'resync_interval 30' "$CONF" || fail "resync_interval is not 30"

start_vrfd
apply_lab demo

say "a foreign route where the next file declares one"
ip -n demo-ce1 route add 10.9.0.0/16 via 10.1.0.1 proto static
lab_yaml demo | sed 's|^      - {to: 10.8.0.0/16, via: 10.1.0.1}$|&\n      - {to: 10.9.0.0/16, via: 10.1.0.1}|' \
    > "$T/more.yaml"
grep -q 10.9.0.0 "$T/more.yaml" || fail "sed: $(cat "$T/more.yaml")"
vctl apply "$T/more.yaml" > "$T/out" 2>&1 || true
grep -q "10.9.0.0/16.*exists and is not vrfd's" "$T/out" ||
	fail "no conflict said: $(cat "$T/out")"
grep -q "namespaces unchanged" "$T/out" || fail "apply: $(cat "$T/out")"
route_ok demo-ce1 10.9.0.0/16 && fail "the foreign route was replaced"
expect_eq "$(ip -n demo-ce1 route show exact 10.9.0.0/16 proto static |
    wc -l)" 1 "foreign routes to 10.9.0.0/16"

say "the foreign route goes: vrfd's comes at once"
ip -n demo-ce1 route del 10.9.0.0/16 proto static
repaired "10.9.0.0/16 of demo-ce1" route_ok demo-ce1 10.9.0.0/16
converged demo || fail "not converged"
stop_vrfd
echo ok
