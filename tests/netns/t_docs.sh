#!/usr/bin/env bash
# t_docs: every example output the documentation marks as checked (README,
# man pages) is what the commands print: tests/netns/docs_check.py runs
# each from the state its mark names and compares.
. "$(dirname "$0")/lib.sh"
export ROOT VRFCTL VRFD
python3 "$ROOT/tests/netns/docs_check.py" || fail "the documentation differs"
