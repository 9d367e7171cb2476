#!/usr/bin/env bash
# t_alone_kept_tree: vrfctl without vrfd keeps the tree of the text it
# applied beside the text (labs/LAB.tree), and loads the lab through it:
# the same text is its tree again, a changed text is parsed by its
# changes from it, a damaged or missing tree is parsed around. Each way,
# what is applied is the file as it is; destroy takes the tree too.
. "$(dirname "$0")/lib.sh"

TREE=/var/lib/vrfd/labs/kt.tree
cat > "$T/kt.yaml" <<'EOF2'
lab: kt
routers:
  a:
    sysctl: {net.ipv4.ip_forward: 1}
    interfaces: {eth0: {addresses: [10.0.0.1/24]}}
    routes:
      - {to: 10.9.0.0/16, via: 10.0.0.2}
  b:
    interfaces: {eth0: {addresses: [10.0.0.2/24]}}
links:
  - [a:eth0, b:eth0]
EOF2
unchanged() {	# the lab's file is what the kernel holds
	"$VRFCTL" -j plan "$T/kt.yaml" > "$T/plan.json" ||
		fail "plan: $(cat "$T/plan.json")"
	expect_eq "$(jq '.changes' "$T/plan.json")" 0 "changes planned"
}

say "an apply keeps the tree of its text"
"$VRFCTL" apply "$T/kt.yaml" > "$T/out" || fail "apply: $(cat "$T/out")"
[ -s "$TREE" ] || fail "no tree kept: $(ls /var/lib/vrfd/labs)"
first=$(md5sum < "$TREE")
unchanged
expect_eq "$(md5sum < "$TREE")" "$first" "the tree of the same text"

say "a changed text: what it says is applied, and its tree kept"
sed -i 's|10.9.0.0/16, via: 10.0.0.2|10.7.0.0/16, via: 10.0.0.2|' \
    "$T/kt.yaml"
"$VRFCTL" apply "$T/kt.yaml" > "$T/out" || fail "apply: $(cat "$T/out")"
ip -n kt-a route show 10.7.0.0/16 | grep -q via || fail "no 10.7.0.0/16"
[ -z "$(ip -n kt-a route show 10.9.0.0/16)" ] || fail "10.9.0.0/16 stays"
[ "$(md5sum < "$TREE")" != "$first" ] || fail "the old text's tree kept"
unchanged

say "drift is found through a kept tree as through a parse"
ip -n kt-a route del 10.7.0.0/16
"$VRFCTL" apply "$T/kt.yaml" > "$T/out" || fail "apply: $(cat "$T/out")"
ip -n kt-a route show 10.7.0.0/16 | grep -q via || fail "not repaired"

say "a damaged tree is parsed around, and kept again"
printf 'vrfdytr1 but not a tree' > "$TREE"
unchanged
"$VRFCTL" apply "$T/kt.yaml" > "$T/out" || fail "apply: $(cat "$T/out")"
[ "$(head -c 8 "$TREE")" = vrfdytr1 ] && [ "$(stat -c %s "$TREE")" -gt 100 ] ||
	fail "the tree not kept again"

say "an error in the file is said where it is, tree or not"
sed 's|10.0.0.2/24|10.0.0.300/24|' "$T/kt.yaml" > "$T/bad.yaml"
rc=0; "$VRFCTL" validate "$T/bad.yaml" > "$T/with" 2>&1 || rc=$?
[ "$rc" -ne 0 ] || fail "validated: $(cat "$T/with")"
grep -q "bad.yaml:9:" "$T/with" || fail "not at line 9: $(cat "$T/with")"
rm -f "$TREE"
"$VRFCTL" validate "$T/bad.yaml" > "$T/without" 2>&1 || true
diff "$T/with" "$T/without" || fail "not the same words"

say "destroy takes the tree"
# (A text changed: the same one is answered from the lab's seal, without
# the topology, and so without its tree: t_alone_seal.)
echo "# changed" >> "$T/kt.yaml"
"$VRFCTL" apply "$T/kt.yaml" > /dev/null
[ -s "$TREE" ] || fail "no tree"
"$VRFCTL" destroy kt > "$T/out" || fail "destroy: $(cat "$T/out")"
[ ! -e "$TREE" ] || fail "the tree stays after destroy"
echo ok
