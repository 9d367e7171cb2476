#!/usr/bin/env bash
# t_impair_daemon: vrfd keeps the impairments as declared. It hears qdisc
# events (RTNLGRP_TC): a tbf of its own deleted or changed by hand is put
# back; a root qdisc of someone else's on a link that declares none is
# left alone through repairs; one that takes the place of vrfd's is a
# conflict, left alone, and vrfd's comes back the moment it goes.
. "$(dirname "$0")/lib_daemon.sh"

cat >"$T/imp.yaml" <<'EOF'
lab: imp
routers:
  a:
    interfaces:
      eth0: {addresses: [10.0.0.1/24]}
      eth1: {addresses: [10.0.1.1/24]}
  b:
    interfaces:
      eth0: {addresses: [10.0.0.2/24]}
  c:
    interfaces:
      eth0: {addresses: [10.0.1.2/24]}
links:
  - endpoints: [a:eth0, b:eth0]
    impair: {rate: 20mbit, burst: 32kb, limit: 64kb}
  - [a:eth1, c:eth0]
EOF

# root NS DEV: "KIND HANDLE RATE" of the root qdisc
root() {
	tc -j -n "$1" qdisc show dev "$2" root |
	    jq -r '.[0] | "\(.kind) \(.handle) \(.options.rate // "-")"'
}
ours() { [ "$(root imp-a eth0)" = "tbf 7672: 2500000" ]; }

start_vrfd
vctl apply "$T/imp.yaml" >"$T/out" || { cat "$T/out"; fail "apply"; }
ours || fail "imp-a eth0 after apply: $(root imp-a eth0)"
converged imp || fail "not converged after apply"

say "qdisc deleted"
tc -n imp-a qdisc del dev eth0 root
repaired "qdisc deleted" ours
expect_drift imp imp-a "qdisc tbf 7672: on eth0 deleted"

say "qdisc changed"
tc -n imp-a qdisc change dev eth0 root handle 7672: tbf rate 1mbit burst 10kb limit 20kb
repaired "qdisc changed" ours
expect_drift imp imp-a "qdisc tbf 7672: on eth0 changed"

say "the veth deleted: made again, impaired at both ends"
ip -n imp-a link del eth0
both() { ours && [ "$(root imp-b eth0)" = "tbf 7672: 2500000" ]; }
repaired "veth deleted" both

say "someone's qdisc on a link that declares none: left alone"
tc -n imp-a qdisc add dev eth1 root handle 8123: tbf rate 1mbit burst 10kb limit 10kb
# A repair of the same namespace must leave it.
tc -n imp-a qdisc del dev eth0 root
repaired "qdisc deleted again" ours
expect_eq "$(root imp-a eth1)" "tbf 8123: 125000" "the foreign qdisc on eth1"
converged imp || fail "not converged with a foreign qdisc beside"
expect_eq "$(ns_status imp imp-a '.foreign_objects | map(.what) | join(",")')" \
    "tbf 8123: dev eth1 root" "foreign objects of imp-a"
tc -n imp-a qdisc del dev eth1 root

say "someone's qdisc in the place of vrfd's: a conflict, left alone"
tc -n imp-a qdisc replace dev eth0 root handle 8124: tbf rate 1mbit burst 10kb limit 10kb
# The kernel says the old one went, then the new one came: the first
# names the drift.
conflicted() {
	[ "$(ns_status imp imp-a '(.conflicts // []) | join(",")')" = \
	    "qdisc tbf 8124: dev eth0 root exists and is not vrfd's; left alone" ]
}
wait_for 100 conflicted || fail "no conflict: $(vctl -j status imp)"
converged imp && fail "status says converged with a foreign qdisc in the way"
expect_eq "$(root imp-a eth0)" "tbf 8124: 125000" "the foreign qdisc on eth0"
# Once it goes, vrfd's comes back without waiting for a resync.
tc -n imp-a qdisc del dev eth0 root
repaired "ours after the foreign one went" ours
converged imp || fail "not converged at the end"
vrfd_alive || fail "vrfd died"
stop_vrfd
say "ok"
