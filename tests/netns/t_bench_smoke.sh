#!/usr/bin/env bash
# t_bench_smoke: `make bench`'s machinery, on labs of 16 namespaces
# (bench/run --smoke): the floor builds each lab (and reads it as a
# no-op does) and vrfctl then finds nothing to do, every measure of the
# record is there and sane (each repair, vrfd's and the floor's, seen by
# ip -ts monitor, one link added touches its two namespaces, vrfd's
# descriptors few), and
# bench/report reads it. The full run, with its targets, is `make
# bench`, not a test.
. "$(dirname "$0")/lib.sh"

[ -x "$ROOT/bench/floor" ] || fail "bench/floor is not built (make tests)"

say "the floor makes what vrfctl would"
"$ROOT/bench/gen-lab" chain 16 > "$T/chain.yaml"
"$VRFCTL" -j plan "$T/chain.yaml" | jq -r '.plan[].command' |
    sed 's/ proto vrfd/ proto 118/g' > "$T/commands"
"$ROOT/bench/floor" "$T/commands" | grep -q '^floor: 201 operations in ' ||
	fail "floor: not 201 operations"
"$VRFCTL" plan "$T/chain.yaml" | grep -q 'no changes' ||
	fail "vrfctl finds changes to make after the floor: $("$VRFCTL" plan "$T/chain.yaml")"
ls /run/netns | "$ROOT/bench/floor" --read /dev/stdin |
    grep -q '^floor: 16 namespaces read in ' || fail "floor --read: not 16 read"
ls /run/netns | "$ROOT/bench/floor" -q --teardown /dev/stdin > /dev/null
[ -z "$(ls /run/netns)" ] || fail "the floor's teardown left $(ls /run/netns)"

say "a smoke run of the record"
VRFD_BENCH_INNER=1 "$ROOT/bench/run" --smoke --out "$T/bench" > "$T/run.out" 2>&1 ||
	{ cat "$T/run.out"; fail "bench/run --smoke"; }
"$ROOT/bench/report" --check "$T/bench" > "$T/report" ||
	{ cat "$T/report"; fail "bench/report: a measure is missing"; }
for shape in chain star grid; do
	v() { awk -F'\t' -v s="$shape" -v w="$1" -v x="$2" \
	    '$1 == s && $3 == w && $4 == x { print $5 }' "$T/bench/results.tsv"; }
	for m in "floor apply" "ip-batch apply" "alone apply" "vrfd apply" \
	    "alone noop" "floor noop" "vrfd noop" "vrfd link" "floor destroy" \
	    "floor destroy-ended" \
	    "alone destroy" "vrfd destroy"; do
		# shellcheck disable=SC2086
		x=$(v $m)
		echo "$x" | grep -Eq '^[0-9]*\.?[0-9]+$' ||
			fail "$shape: $m is '$x', not seconds"
	done
	expect_eq "$(v vrfd repairs)" 10 "$shape: repairs seen"
	expect_eq "$(v floor repairs)" 10 "$shape: the floor's repairs seen"
	expect_eq "$(v alone link-ns)" 2 "$shape: namespaces one link more changes, alone"
	expect_eq "$(v vrfd link-ns)" 2 "$shape: namespaces one link more changes, vrfd"
	[ "$(v vrfd fds)" -le 32 ] || fail "$shape: vrfd holds $(v vrfd fds) descriptors"
	[ "$(v vrfd rss-kb)" -gt 0 ] || fail "$shape: no RSS"
	[ "$(v vrfd hwm-kb)" -ge "$(v vrfd rss-kb)" ] || fail "$shape: peak RSS under RSS"
	for who in vrfd floor; do
		echo "$(v $who repair-p99) < 1000" | bc | grep -q 1 ||
			fail "$shape: $who's repair p99 $(v $who repair-p99) ms"
	done
done
grep -q '^| chain 16 | 185 |' "$T/report" || fail "report: no chain 16 row"
grep -q '^Targets:' "$T/report" || fail "report: no targets"
echo "ok"
