#!/usr/bin/env bash
# robust.sh: hostile inputs end in a clear error or a result: never a crash
# (status >= 128), a hang (60 s), an empty diagnostic, or a sanitizer report.
# Usage: tests/robust.sh MCD
set -u
mcd=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
n=0

rep() { printf "%*s" "$2" "" | tr ' ' "$1"; }   # CHAR COUNT

# check NAME WANT_STATUS PATTERN: runs mcd on $tmp/in as standard input;
# PATTERN is a grep -E for stderr (or stdout when WANT_STATUS is 0).
check() {
	local name=$1 want=$2 pattern=$3 status=0
	n=$((n + 1))
	timeout 60 "$mcd" <"$tmp/in" >"$tmp/out" 2>"$tmp/err" || status=$?
	local where="$tmp/err"
	[ "$want" = 0 ] && where="$tmp/out"
	if [ "$status" != "$want" ] || ! grep -qE -- "$pattern" "$where"; then
		echo "FAIL robust: $name: status $status (want $want)"
		head -c 600 "$tmp/err"
		fail=$((fail + 1))
	fi
}

{ rep '(' 100000; echo x; } >"$tmp/in"
check "100000 nested parentheses" 1 "^mcd: 1:1001: error: brackets nested more than 1000 deep"

{ rep '-' 100000; echo x; } >"$tmp/in"
check "100000 unary minus" 1 "^mcd: 1:[0-9]+: error: "

{ printf x; rep "'" 100000; echo; } >"$tmp/in"
check "100000 transposes" 1 "nested more than 1000 levels deep"

{ printf 'a'; for i in $(seq 1 1000); do printf ' + a'; done; echo; } >"$tmp/in"
line=$(cat "$tmp/in")
{ for i in $(seq 1 250); do printf '%s + ' "$line"; done; echo a; } >"$tmp/in"
check "a 1 MB sum, collected exactly" 0 "^250251 a$"

{ printf 'x'; rep ' ' 1000000; echo '+'; } >"$tmp/in"
check "a 1 MB line with an error at its end" 1 "^mcd: 1:1000003: error: unexpected end of input"

{ rep 7 5000; echo ' x'; } >"$tmp/in"
check "a 5000-digit number" 0 "^7{5000} x$"

printf 'x\0y\n' >"$tmp/in"
check "a NUL byte" 1 "^mcd: 1:2: error: unexpected NUL byte"

printf 'x \xff\xfe\n' >"$tmp/in"
check "invalid UTF-8" 1 "^mcd: 1:3: error: invalid UTF-8 byte 0xff"

head -c 100000 /dev/urandom >"$tmp/in" 2>/dev/null || true
check "random bytes" 1 "^mcd: [0-9]+:[0-9]+: error: "

printf 'A B\n(\nx^T x\n' >"$tmp/in"
check "one bad line loses nothing else" 1 "^mcd: 2:2: error: unexpected end of input"
[ "$(cat "$tmp/out")" = "$(printf 'A B\n\nx^T x')" ] || { echo "FAIL robust: batch output"; fail=$((fail + 1)); }

# The middle line of a batch needs far more than the work budget: it ends with
# its own error, the lines after it are answered.  (H12 is H1 to the power
# 2^11 with B between: its derivative has thousands of terms of thousands of
# factors; a nest of tanh no longer does, since chain-rule products stay
# products.)
e="sum(H12) where H1 = A + x x^T"
for i in $(seq 2 12); do e="$e, H$i = H$((i - 1)) B H$((i - 1))"; done
printf 'a^T x\n%s\nx^T x\n' "$e" >"$tmp/batch"
n=$((n + 1))
status=0
timeout 60 "$mcd" -wrt x <"$tmp/batch" >"$tmp/out" 2>"$tmp/err" || status=$?
if [ $status != 1 ] || [ "$(cat "$tmp/out")" != "$(printf 'a^T\n\n2 x^T')" ] ||
	! grep -q '^mcd: 2: error: the result is too large' "$tmp/err"; then
	echo "FAIL robust: a batch whose middle line is too large: status $status"; head -c 600 "$tmp/err"
	fail=$((fail + 1))
fi

# The same batch under a memory limit (ulimit -v) lower than the budget's
# memory: the middle line runs out of memory, fails alone, frees what it had,
# and the lines after it are answered.  (Not under AddressSanitizer, which
# needs more address space than any such limit.)
if ! grep -q __asan_init "$mcd"; then
	for fmt in text json; do
		n=$((n + 1))
		status=0
		(ulimit -v 300000; timeout 60 "$mcd" -f $fmt --max-nodes=100000000 -wrt x <"$tmp/batch" \
			>"$tmp/out" 2>"$tmp/err") || status=$?
		lines=$(wc -l <"$tmp/out")
		if [ $status != 1 ] || [ "$lines" != 3 ] || ! grep -q '^mcd: 2: error: out of memory' "$tmp/err" ||
			! tail -1 "$tmp/out" | grep -q '2 x^T'; then
			echo "FAIL robust: out of memory in the middle of a batch ($fmt): status $status, $lines lines"
			head -c 600 "$tmp/err"
			fail=$((fail + 1))
		fi
	done
fi

echo "robust: $((n - fail)) passed, $fail failed"
[ $fail = 0 ]
