#!/usr/bin/env bash
# examples.sh: runs every documented example and compares what it prints
# with what the documentation says, so the manual cannot drift.
# An example is a line "$ COMMAND" followed by its output (standard output
# and standard error, as a terminal shows them), up to the next "$ " line
# or the end of the block.  Blocks are .EX/.EE in man pages and indented
# code blocks in Markdown.
# Usage: tests/examples.sh BUILD_DIR FILE...
set -u
bindir=$(cd "$1" && pwd)
shift
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0

# Prints the blocks of FILE, one line each, a line "@@" between blocks.
blocks() {
	case $1 in
	*.md) awk '/^    / || /^$/ { if ($0 ~ /^    /) { print substr($0, 5); inb = 1 } else if (inb) print ""; next }
		   { if (inb) print "@@"; inb = 0 } END { if (inb) print "@@" }' "$1" ;;
	*) awk '/^\.EX/ { inb = 1; next } /^\.EE/ { inb = 0; print "@@"; next } inb' "$1" |
		sed -e 's/\\-/-/g' -e "s/\\\\(aq/'/g" -e 's/\\e/\\/g' -e 's/\\&//g' ;;
	esac
}

run_example() {   # file, command, expected-output file
	local got="$tmp/got"
	(cd "$tmp" && PATH="$bindir:$PATH" stdbuf -oL bash -c "$2" >"$got" 2>&1) || true
	# trailing blank lines of a block are layout, not output
	sed -e :a -e '/^\n*$/{$d;N;ba' -e '}' "$3" >"$3.trim"
	sed -e :a -e '/^\n*$/{$d;N;ba' -e '}' "$got" >"$got.trim"
	if cmp -s "$3.trim" "$got.trim"; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL $1: \$ $2"
		diff -u --label documented --label actual "$3.trim" "$got.trim" | sed 's/^/  /'
	fi
}

for file in "$@"; do
	cmd=""
	: >"$tmp/want"
	while IFS= read -r line; do
		case $line in
		'$ '*|'@@')
			[ -n "$cmd" ] && run_example "$file" "$cmd" "$tmp/want"
			cmd=""
			: >"$tmp/want"
			[ "$line" != "@@" ] && cmd=${line#\$ }
			;;
		*) [ -n "$cmd" ] && printf '%s\n' "$line" >>"$tmp/want" ;;
		esac
	done < <(blocks "$file")
done
echo "examples: $pass passed, $fail failed"
[ $fail = 0 ]
