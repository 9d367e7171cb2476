#!/usr/bin/env bash
# t_link_state_daemon: link states with vrfd running.
#   - a link declared down (`state: down`) and brought up by hand is put
#     back down by vrfd, as any declared value; that is a repair;
#   - `vrfctl link set` through vrfd: the end goes down, and vrfd keeps it
#     down when someone brings it up; the override is not drift (status
#     converged, with the override listed); a failover through the other
#     way carries traffic meanwhile; plan LAB has no changes;
#   - vrfd restarted: the override holds (kept in its state directory);
#   - link set up; then an apply of the file forgets the overrides;
#   - refusals through vrfd: an unknown end, a lab vrfd does not keep;
#     a user who is not root may not.
. "$(dirname "$0")/lib_daemon.sh"
# trace reads the lab's kept topology: vrfd's
export VRFD_STATE_DIR=$STATE

cat > "$T/ls.yaml" <<'EOF'
lab: ls
defaults:
  sysctl:
    net.ipv4.ip_forward: 1
    net.ipv4.conf.all.ignore_routes_with_linkdown: 1
routers:
  h1:
    interfaces: {eth0: {addresses: [10.0.1.2/24]}}
    routes: [{to: default, via: 10.0.1.1}]
  r1:
    interfaces:
      eth0: {addresses: [10.0.1.1/24]}
      eth1: {addresses: [10.0.12.1/24, "2001:db8:12::1/64"]}
      eth2: {addresses: [10.0.13.1/24]}
      eth3: {addresses: [10.0.14.1/24]}
    routes:
      - {to: 10.0.2.0/24, via: 10.0.12.2, metric: 10}
      - {to: 10.0.2.0/24, via: 10.0.13.3, metric: 20}
  r2:
    interfaces:
      eth0: {addresses: [10.0.2.1/24]}
      eth1: {addresses: [10.0.12.2/24, "2001:db8:12::2/64"]}
      eth2: {addresses: [10.0.23.2/24]}
    routes:
      - {to: 10.0.1.0/24, via: 10.0.12.1, metric: 10}
      - {to: 10.0.1.0/24, via: 10.0.23.3, metric: 20}
  r3:
    interfaces:
      eth0: {addresses: [10.0.13.3/24]}
      eth1: {addresses: [10.0.23.3/24]}
    routes:
      - {to: 10.0.1.0/24, via: 10.0.13.1}
      - {to: 10.0.2.0/24, via: 10.0.23.2}
  h2:
    interfaces: {eth0: {addresses: [10.0.2.2/24]}}
    routes: [{to: default, via: 10.0.2.1}]
  r4:
    interfaces: {eth0: {addresses: [10.0.14.4/24]}}
links:
  - [h1:eth0, r1:eth0]
  - [r1:eth1, r2:eth1]
  - [r1:eth2, r3:eth0]
  - [r3:eth1, r2:eth2]
  - [r2:eth0, h2:eth0]
  - {endpoints: [r1:eth3, r4:eth0], state: down}
EOF

up() {
	q "$1" '.[0].flags | index("UP") != null' link show dev "$2"
}
is_down() {
	[ "$(up "$1" "$2")" = false ]
}
is_up() {
	[ "$(up "$1" "$2")" = true ]
}
overrides() {
	vctl -j status ls | jq -c --arg n "$1" \
	    '.labs[0].namespaces[] | select(.node == $n) | .overrides'
}
# v6_back NS IF ADDR: the IPv6 address ADDR is on IF of NS (given back
# after the kernel dropped it, with the link going down).
v6_on() {
	q "$1" "[.[0].addr_info[] | select(.local == \"$3\")] | length == 1" \
	    addr show dev "$2" | grep -qx true
}

# nobody, in the read group, may read but not set a link (below)
chmod 0755 "$T"
echo "read_group nogroup" >> "$CONF"
start_vrfd
vctl apply "$T/ls.yaml" > "$T/apply" || { cat "$T/apply"; fail "apply"; }
[ -f "$STATE/labs/ls.yaml" ] || fail "not kept by vrfd"
converged ls || fail "not converged after apply"
expect_eq "$(up ls-r1 eth3) $(up ls-r4 eth0)" "false false" "declared down"

say "declared down, brought up by hand: vrfd puts it down"
ip -n ls-r1 link set eth3 up
repaired "r1's eth3 down" is_down ls-r1 eth3
expect_drift ls ls-r1 "link eth3 set up"
ip -n ls-r4 link set eth0 up
repaired "r4's eth0 down" is_down ls-r4 eth0
wait_for 100 converged ls || fail "not converged after the repairs"

say "link set through vrfd: down, kept down"
vctl link set ls r1:eth1 down > "$T/set" || fail "link set: $(cat "$T/set")"
# the link, and its IPv6 address given back once it is down
grep -Eq '^ls-r1 +r1 +changed, 2 changes$' "$T/set" || fail "link set: $(cat "$T/set")"
expect_eq "$(up ls-r1 eth1) $(up ls-r2 eth1)" "false true" "r1's end down"
[ -f "$STATE/labs/ls.overrides" ] || fail "no override kept in $STATE"
converged ls || fail "an override is drift"
expect_eq "$(overrides r1)" '[{"interface":"eth1","state":"down"}]' "status -j"
vctl status ls | grep -qx 'ls-r1: interface eth1 down by vrfctl link set, until the next apply' ||
	fail "status: $(vctl status ls)"
expect_eq "$(vctl plan ls)" "no changes" "plan LAB"
grep -qx '    ip -n ls-r1 link set dev eth1 up' <(vctl plan "$T/ls.yaml") ||
	fail "plan FILE: $(vctl plan "$T/ls.yaml")"
ping_ok ls-h1 10.0.2.2
expect_eq "$(vctl trace -j -l ls h1 10.0.2.2 | jq -r '[.hops[].node] | join(" ")')" \
    "h1 r1 r3 r2 h2" "the way around"
ip -n ls-r1 link set eth1 up
repaired "r1's eth1 down again" is_down ls-r1 eth1
expect_drift ls ls-r1 "link eth1 set up"
# r1's IPv6 address on eth1, dropped by its going down, is given back
repaired "r1's IPv6 address on eth1" v6_on ls-r1 eth1 2001:db8:12::1
wait_for 100 converged ls || fail "not converged with the override"

say "vrfd restarted: the override holds"
stop_vrfd
ip -n ls-r1 link set eth1 up
start_vrfd
repaired "r1's eth1 down after the restart" is_down ls-r1 eth1
wait_for 100 converged ls || fail "not converged after the restart"
expect_eq "$(overrides r1)" '[{"interface":"eth1","state":"down"}]' \
    "status -j after the restart"

say "link set up, then down again; apply forgets the override"
vctl link set ls r1:eth1 up >/dev/null || fail "link set up"
expect_eq "$(up ls-r1 eth1)" true "r1's eth1 up"
expect_eq "$(overrides r1)" null "no override"
[ -e "$STATE/labs/ls.overrides" ] && fail "override file left"
vctl link set ls r1:eth1 down >/dev/null || fail "link set down"
vctl link set ls r4:eth0 up >/dev/null || fail "link set r4 up"
expect_eq "$(up ls-r1 eth1) $(up ls-r4 eth0)" "false true" "both overrides"
vctl apply "$T/ls.yaml" > "$T/apply2" || fail "apply: $(cat "$T/apply2")"
expect_eq "$(up ls-r1 eth1) $(up ls-r4 eth0)" "true false" "as the file says"
[ -e "$STATE/labs/ls.overrides" ] && fail "overrides kept after apply"
wait_for 100 converged ls || fail "not converged after apply"
expect_eq "$(vctl -j status ls | jq '[.labs[0].namespaces[] |
    select(.overrides)] | length')" 0 "no overrides after apply"
# ... and vrfd keeps the file's state again
ip -n ls-r4 link set eth0 up
repaired "r4's eth0 down, as the file says" is_down ls-r4 eth0

say "the same file applied again, as vrfd has it: overrides forgotten too"
vctl link set ls r1:eth1 down >/dev/null || fail "link set down, again"
expect_eq "$(vctl plan "$T/ls.yaml" | grep -c 'link set dev eth1 up')" 1 \
    "plan FILE, the same text as kept"
vctl apply "$T/ls.yaml" >/dev/null || fail "apply the same text"
expect_eq "$(up ls-r1 eth1)" true "r1's eth1 after the same apply"
[ -e "$STATE/labs/ls.overrides" ] && fail "overrides kept after the same apply"
ip -n ls-r1 link set eth1 down
repaired "r1's eth1 up, as the file says" is_up ls-r1 eth1
wait_for 100 converged ls || fail "not converged after the same apply"

say "refused through vrfd"
rc=0; vctl link set ls r1:eth9 down > /dev/null 2> "$T/err" || rc=$?
expect_eq "$rc" 1 "unknown interface: exit"
expect_eq "$(cat "$T/err")" "vrfctl: link: r1 has no link on 'eth9'" "unknown interface"
rc=0; vctl link set other r1:eth1 down > /dev/null 2> "$T/err" || rc=$?
expect_eq "$rc" 1 "lab not kept: exit"
expect_eq "$(cat "$T/err")" \
    "vrfctl: link: lab other is not kept on this host (apply its file first)" \
    "lab not kept"
reply=$(ctl '{"cmd":"link_set","lab":"ls","node":"r1","interface":"eth1","state":"sideways"}')
expect_eq "$(jq -r .error <<<"$reply")" \
    'malformed request: "state" must be "up" or "down"' "bad state"
rc=0; setpriv --reuid=65534 --regid=65534 --clear-groups -- \
    "$VRFCTL" -s "$SOCK" link set ls r1:eth1 down > /dev/null 2> "$T/err" || rc=$?
expect_eq "$rc" 1 "not root: exit"
expect_eq "$(cat "$T/err")" \
    "vrfctl: link: permission denied: link_set needs root" "not root"
expect_eq "$(up ls-r1 eth1)" true "nothing changed"
vrfd_alive || fail "vrfd died"
stop_vrfd
echo ok
