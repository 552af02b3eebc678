#!/usr/bin/env bash
# symbols.sh LIB: every global symbol libmcd defines starts with "mcd" (the
# generated parser and lexer included), and the library calls no exit.
set -u
lib=$1
bad=$(nm -g --defined-only "$lib" | awk 'NF == 3 {print $3}' | grep -v '^mcd' || true)
n=$(nm -g --defined-only "$lib" | awk 'NF == 3' | wc -l)
fail=0
if [ -n "$bad" ]; then
	echo "FAIL symbols: globals without the mcd prefix:" $bad
	fail=1
fi
if nm -u "$lib" | grep -qwE 'exit|_exit|quick_exit'; then
	echo "FAIL symbols: the library calls exit"
	fail=1
fi
[ "$n" -gt 0 ] || { echo "FAIL symbols: no global symbols in $lib"; fail=1; }
[ $fail = 0 ] && echo "symbols: $n globals, all mcd_*; no exit"
exit $fail
