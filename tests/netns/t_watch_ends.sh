#!/usr/bin/env bash
# t_watch_ends: a watched namespace's end heard only once a namespace was
# made again under its name (a lab destroyed and made again at once) is
# not the new one's end; one that really went, or whose name holds
# another namespace now, has ended. build/tests/watch_ends drives
# daemon/watch.c on real namespaces and checks each case.
set -eu
cd "$(dirname "$0")/../.."

bin=build/tests/watch_ends
[ -x "$bin" ] || { echo "FAIL: $bin is missing: run make tests" >&2; exit 1; }
"$bin" || { echo "FAIL: watch_ends" >&2; exit 1; }
[ -z "$(ip netns list)" ] || { echo "FAIL: namespaces left" >&2; exit 1; }
echo "t_watch_ends: all ok"
