#!/usr/bin/env bash
# verify.sh MCD: what verification by default costs (make bench).
#  - the median single-call time over the identity table (man/identities.list),
#    verified (the default) and with --no-check;
#  - batch throughput: the table's "-wrt x" rows repeated to 10000 lines.
set -eu
mcd=$1
here=$(cd "$(dirname "$0")/.." && pwd)
rows=$(mktemp)
batch=$(mktemp)
trap 'rm -f "$rows" "$batch"' EXIT
grep -v '^[#@]' "$here/man/identities.list" | grep '|' >"$rows"

now() { date +%s%N; }

# median_call FLAGS: the median over rows of the best of 5 calls, in ms
median_call() {
	local t=()
	while IFS='|' read -r opts expr; do
		local best=
		for _ in 1 2 3 4 5; do
			local a b
			a=$(now)
			eval "\"$mcd\" $1 $opts -- \"\$expr\"" >/dev/null 2>&1 || true
			b=$(now)
			[ -z "$best" ] || [ $((b - a)) -lt "$best" ] && best=$((b - a))
		done
		t+=("$best")
	done <"$rows"
	printf '%s\n' "${t[@]}" | sort -n | awk '{a[NR]=$1} END {printf "%.3f", a[int((NR+1)/2)]/1e6}'
}

grep '^-wrt x |' "$rows" | sed 's/^[^|]*| *//' >"$batch.one"
n=$(wc -l <"$batch.one")
: >"$batch"
while [ "$(wc -l <"$batch")" -lt 10000 ]; do cat "$batch.one" >>"$batch"; done
head -10000 "$batch" >"$batch.one" && mv "$batch.one" "$batch"

# rate FLAGS: expressions per second over the batch, best of 5
rate() {
	local best=
	for _ in 1 2 3 4 5; do
		local a b
		a=$(now)
		"$mcd" $1 -wrt x <"$batch" >/dev/null 2>&1 || true
		b=$(now)
		[ -z "$best" ] || [ $((b - a)) -lt "$best" ] && best=$((b - a))
	done
	awk -v ns="$best" 'BEGIN {printf "%.0f", 10000 / (ns / 1e9)}'
}

on=$(median_call "")
off=$(median_call --no-check)
echo
echo "verification (every derivative checked before it is printed)"
echo "  identity table, $(wc -l <"$rows") rows: median single call ${on} ms verified, ${off} ms with --no-check" \
	"($(awk -v a="$on" -v b="$off" 'BEGIN {printf "%+.0f%%", 100 * (a - b) / b}'))"
r_on=$(rate "")
r_off=$(rate --no-check)
echo "  batch of 10000 lines (the table's $n '-wrt x' rows repeated): $r_on expressions/s verified," \
	"$r_off with --no-check"
