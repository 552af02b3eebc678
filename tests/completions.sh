#!/usr/bin/env bash
# completions.sh MCD: the shell completions (completions/mcd.bash and
# completions/_mcd) offer exactly the layouts and formats that `MCD --help`
# lists, which come from the library's tables: the shell files keep literal
# lists, and this is what stops them drifting when a name is added.
# Every word list in a completion file that holds one layout (or format)
# must hold all of them and nothing else, and each file must have one.
set -u
mcd=$1
dir=$(cd "$(dirname "$0")/../completions" && pwd)
fail=0

# The names on the --help line of option -$1, "a (the default), b, c or d",
# sorted, one line.
help_names() {
	"$mcd" --help | sed -n "s/^  -$1, --[a-z]* [A-Z]*  *//p" |
		sed -e 's/ (the default)//' -e 's/, / /g' -e 's/ or / /g' |
		tr ' ' '\n' | sed '/^$/d' | sort | paste -sd ' ' -
}

# The word lists of a completion file, one a line, each sorted: compgen -W
# "..." in bash, :tag:(...) in zsh.
word_lists() {
	case $1 in
	*.bash) grep -o -- '-W "[^"]*"' "$1" | sed -e 's/^-W "//' -e 's/"$//' ;;
	*) grep -o ':[a-z]*:([^)]*)' "$1" | sed -e 's/^:[a-z]*:(//' -e 's/)$//' ;;
	esac | while read -r list; do
		printf '%s\n' $list | sort | paste -sd ' ' -
	done
}

# check KIND NAMES FILE: the lists of FILE that share a word with NAMES.
check() {
	local kind=$1 names=$2 file=$3 found=0 list w
	while IFS= read -r list; do
		for w in $names; do
			case " $list " in *" $w "*)
				found=$((found + 1))
				if [ "$list" != "$names" ]; then
					echo "FAIL completions: $(basename "$file") offers the ${kind}s '$list'; mcd --help lists '$names'"
					fail=1
				fi
				break ;;
			esac
		done
	done < <(word_lists "$file")
	if [ $found = 0 ]; then
		echo "FAIL completions: $(basename "$file") offers no ${kind}s (mcd --help lists '$names')"
		fail=1
	fi
}

layouts=$(help_names L)
formats=$(help_names f)
if [ -z "$layouts" ] || [ -z "$formats" ]; then
	echo "FAIL completions: no layouts or formats found in $mcd --help"
	exit 1
fi
for f in "$dir/mcd.bash" "$dir/_mcd"; do
	check layout "$layouts" "$f"
	check format "$formats" "$f"
done
[ $fail = 0 ] && echo "completions: bash and zsh offer the layouts ($layouts) and formats ($formats) of --help"
exit $fail
