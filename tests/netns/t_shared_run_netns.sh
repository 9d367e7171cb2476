#!/usr/bin/env bash
# t_shared_run_netns: the namespace tests pass on a host where /run/netns
# is already a shared mount, as it is on any host that ran `ip netns add`.
# The sandbox's own /run/netns is made such a mount, and t_nl_layer and
# t_destroy run in a sandbox inside it.
source "$(dirname "$0")/lib.sh"

mount --make-shared /run/netns
expect_eq "$(findmnt -n -o PROPAGATION --target /run/netns | tail -n 1)" \
    shared "outer /run/netns"
for t in t_nl_layer t_destroy; do
	say "$t under a shared /run/netns"
	"$ROOT/tests/netns/sandbox" "$ROOT/tests/netns/$t.sh" >"$T/$t.log" 2>&1 ||
		{ tail -20 "$T/$t.log"; fail "$t fails under a shared /run/netns"; }
done
# The inner sandboxes' namespaces never showed here.
expect_eq "$(ls /run/netns)" "" "outer /run/netns after the inner runs"
echo ok
