#!/usr/bin/env bash
# golden.sh: data-driven tests of the mcd command line.
# Usage: tests/golden.sh MCD FILE...   (VALGRIND=1 runs every case under valgrind)
#
# A case is a block of lines; blank lines separate cases, '#' lines are comments.
#   $ mcd ARGS...   the command (shell words; $'...' for odd bytes)
#   < TEXT          a line of standard input (printf %b escapes: \0, \xff; '<' alone: empty)
#   | TEXT          a line expected on standard output ('|' alone: an empty line)
#   ! TEXT          a line expected on standard error
#   !~ REGEX        a line of standard error matching REGEX (grep -E), for a
#                   figure that may differ in the last digits between machines
#   ? N             the expected exit status (0 when absent)
# To add a case, add a block.  Output must match exactly.
set -u
mcd=$1
shift
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0

# same_lines GOT WANT: equal, but a WANT line "~REGEX" only has to match.
same_lines() {
	[ "$(wc -l <"$1")" = "$(wc -l <"$2")" ] || return 1
	local got want
	while IFS= read -r want <&3 && IFS= read -r got <&4; do
		case $want in
		'~'*) printf '%s\n' "$got" | grep -qE -- "${want#\~}" || return 1 ;;
		*) [ "$got" = "$want" ] || return 1 ;;
		esac
	done 3<"$2" 4<"$1"
	return 0
}

run_case() {   # file, line of the case
	local file=$1 at=$2 cmd
	cmd=$(cat "$tmp/cmd")
	[ -n "$cmd" ] || { echo "$file:$at: case without a '\$ mcd' line"; fail=$((fail + 1)); return; }
	if ! eval "set -- $cmd" 2>"$tmp/evalerr" || [ "${1:-}" != mcd ]; then
		echo "FAIL $file:$at: cannot read the command: $cmd"; cat "$tmp/evalerr"
		fail=$((fail + 1))
		return
	fi
	shift   # the word "mcd"
	local runner=()
	if [ "${VALGRIND:-0}" = 1 ]; then
		runner=(valgrind -q --leak-check=full --show-leak-kinds=all --errors-for-leak-kinds=all --error-exitcode=99)
	fi
	local status=0
	timeout 60 "${runner[@]}" "$mcd" "$@" <"$tmp/in" >"$tmp/out" 2>"$tmp/err" || status=$?
	local want_status
	want_status=$(cat "$tmp/status")
	local ok=1
	if [ "${VALGRIND:-0}" = 1 ]; then
		grep -v '^==' "$tmp/err" >"$tmp/err2"; mv "$tmp/err2" "$tmp/err"
	fi
	cmp -s "$tmp/out" "$tmp/want_out" || ok=0
	same_lines "$tmp/err" "$tmp/want_err" || ok=0
	[ "$status" = "$want_status" ] || ok=0
	if [ $ok = 1 ]; then
		pass=$((pass + 1))
		return
	fi
	fail=$((fail + 1))
	echo "FAIL $file:$at: mcd $cmd"
	echo "  status: got $status, want $want_status"
	diff -u --label want --label got "$tmp/want_out" "$tmp/out" | sed 's/^/  stdout /'
	diff -u --label want --label got "$tmp/want_err" "$tmp/err" | sed 's/^/  stderr /'
}

reset_case() {
	: >"$tmp/cmd"; : >"$tmp/in"; : >"$tmp/want_out"; : >"$tmp/want_err"
	echo 0 >"$tmp/status"
	open=0
}

for file in "$@"; do
	reset_case
	n=0
	start=0
	while IFS= read -r line || [ -n "$line" ]; do
		n=$((n + 1))
		case "$line" in
		'')   [ $open = 1 ] && run_case "$file" "$start"; reset_case; continue ;;
		'#'*) continue ;;
		esac
		[ $open = 0 ] && start=$n
		open=1
		case "$line" in
		'$ '*) printf '%s' "${line#\$ }" >"$tmp/cmd" ;;
		'<')   printf '\n' >>"$tmp/in" ;;
		'< '*) printf '%b\n' "${line#< }" >>"$tmp/in" ;;
		'|')   printf '\n' >>"$tmp/want_out" ;;
		'| '*) printf '%s\n' "${line#| }" >>"$tmp/want_out" ;;
		'!')   printf '\n' >>"$tmp/want_err" ;;
		'!~ '*) printf '~%s\n' "${line#!~ }" >>"$tmp/want_err" ;;
		'! '*) printf '%s\n' "${line#! }" >>"$tmp/want_err" ;;
		'? '*) echo "${line#? }" >"$tmp/status" ;;
		*)     echo "$file:$n: unknown line: $line"; fail=$((fail + 1)) ;;
		esac
	done <"$file"
	[ $open = 1 ] && run_case "$file" "$start"
done
echo "golden: $pass passed, $fail failed"
[ $fail = 0 ]
