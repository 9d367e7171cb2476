#!/usr/bin/env bash
# t_two_labs: two labs live side by side, even when one's name is a prefix
# of the other's ("duo" and "duo-x": namespaces duo-r1 and duo-x-r1). Each
# is converged and carries traffic, status shows both, plan and destroy of
# one never touch the other, and exec needs -l to choose between them.
. "$(dirname "$0")/lib.sh"

cat >"$T/duo.yaml" <<'EOF'
lab: duo
routers:
  r1:
    interfaces: {eth0: {addresses: [10.0.0.1/24]}}
  x-r1:
    interfaces: {eth0: {addresses: [10.0.0.2/24]}}
links:
  - [r1:eth0, x-r1:eth0]
EOF
cat >"$T/duo-x.yaml" <<'EOF'
lab: duo-x
routers:
  r1:
    interfaces: {eth0: {addresses: [10.0.0.1/24]}}
  r2:
    interfaces: {eth0: {addresses: [10.0.0.2/24]}}
links:
  - [r1:eth0, r2:eth0]
EOF

# duo's router x-r1 and duo-x's router r1 would both be "duo-x-r1": the
# second lab must refuse to take the first one's namespace.
"$VRFCTL" apply "$T/duo.yaml" >/dev/null || fail "apply duo"
"$VRFCTL" apply "$T/duo-x.yaml" >"$T/out" 2>&1 &&
	fail "duo-x took duo's namespace duo-x-r1"
grep -q "duo-x-r1" "$T/out" || fail "the refusal does not name duo-x-r1: $(cat "$T/out")"
# The mark names the lab and node, the kinds of object it holds, and where
# the name was made (in=).
expect_eq "$(ip -j -n duo-x-r1 link show lo | jq -r '.[0].ifalias' |
    sed 's/ in=[0-9a-f]*$//')" "vrfd lab=duo node=x-r1 holds=ipv4" "owner of duo-x-r1"
ping_ok duo-r1 10.0.0.2
cat "$T/out"
"$VRFCTL" destroy duo-x >/dev/null || fail "destroy duo-x"
expect_eq "$(ip netns list | awk '{print $1}' | sort | xargs)" \
    "duo-r1 duo-x-r1" "namespaces after destroying duo-x"
"$VRFCTL" destroy duo >/dev/null || fail "destroy duo"
expect_eq "$(ip netns list | wc -l)" 0 "namespaces after destroying both"

say "duo and duo-x, without the clash"
sed -i 's/x-r1/r2/' "$T/duo.yaml"
"$VRFCTL" apply "$T/duo.yaml" >/dev/null || fail "apply duo"
"$VRFCTL" apply "$T/duo-x.yaml" >/dev/null || fail "apply duo-x"
expect_eq "$(ip netns list | awk '{print $1}' | sort | xargs)" \
    "duo-r1 duo-r2 duo-x-r1 duo-x-r2" "namespaces"
ping_ok duo-r1 10.0.0.2
ping_ok duo-x-r1 10.0.0.2
for f in duo duo-x; do
	expect_eq "$("$VRFCTL" -j plan "$T/$f.yaml" | jq -c '[.changes,
	    [.namespaces[].namespace]]')" "[0,[\"$f-r1\",\"$f-r2\"]]" "plan $f"
done
s=$("$VRFCTL" -j status) || fail "status: not converged"
expect_eq "$(jq -c '[.labs[] | [.lab, .converged, ([.namespaces[].namespace] |
    sort)]]' <<<"$s")" \
    '[["duo",true,["duo-r1","duo-r2"]],["duo-x",true,["duo-x-r1","duo-x-r2"]]]' \
    "status"

say "exec: -l chooses the lab"
"$VRFCTL" exec r1 -- true 2>"$T/err" && fail "exec without -l among two labs"
grep -q "2 labs" "$T/err" || fail "exec without -l: $(cat "$T/err")"
expect_eq "$("$VRFCTL" exec -l duo-x r1 -- ip netns identify)" duo-x-r1 \
    "exec -l duo-x r1"
expect_eq "$("$VRFCTL" exec -l duo r1 -- ip netns identify)" duo-r1 \
    "exec -l duo r1"

say "destroy duo leaves duo-x whole"
before=$(ip -j -n duo-x-r1 addr; ip -j -n duo-x-r2 addr)
"$VRFCTL" destroy duo >/dev/null || fail "destroy duo"
expect_eq "$(ip netns list | awk '{print $1}' | sort | xargs)" \
    "duo-x-r1 duo-x-r2" "namespaces"
expect_eq "$(ip -j -n duo-x-r1 addr; ip -j -n duo-x-r2 addr)" "$before" \
    "duo-x's addresses"
ping_ok duo-x-r1 10.0.0.2
expect_eq "$("$VRFCTL" -j plan "$T/duo-x.yaml" | jq .changes)" 0 "plan duo-x"
expect_eq "$("$VRFCTL" -j status | jq -c '[.labs[].lab]')" '["duo-x"]' "labs"
say "ok"
