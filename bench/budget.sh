#!/usr/bin/env bash
# budget.sh MCD: the hostile rows of the work budget (make bench): each must
# answer or fail cleanly within 2 s and 1 GiB.  Prints time, peak memory
# and how it ended.
set -u
mcd=$1
nest() {   # nest F DEPTH: F(F(...F(x)...))
	local e=x
	for _ in $(seq "$2"); do e="$1($e)"; done
	echo "$e"
}
net() {    # net DEPTH: tanh(W_k ... tanh(W_1 x))
	local e=x
	for i in $(seq "$1"); do e="tanh(W$i $e)"; done
	echo "$e"
}
echo
echo "work budget (each row must end within 2 s and 1 GiB)"
printf '  %-44s %8s %9s  %s\n' row seconds "peak MB" outcome
row() {   # row NAME ARGS...
	local name=$1
	shift
	local out
	/usr/bin/time -o /tmp/mcd-budget.time -f '%e %M' "$mcd" "$@" >/dev/null 2>/tmp/mcd-budget.err
	out=$(tail -1 /tmp/mcd-budget.time)
	local verdict=answered
	grep -q 'too large' /tmp/mcd-budget.err && verdict="the result is too large"
	grep -q 'out of memory' /tmp/mcd-budget.err && verdict="out of memory"
	read -r s kb <<<"$out"
	printf '  %-44s %8s %9.0f  %s\n' "$name" "$s" "$(awk -v k="$kb" 'BEGIN {print k / 1024}')" "$verdict"
	rm -f /tmp/mcd-budget.err /tmp/mcd-budget.time
}
row "tanh nested 100 deep, by x" -wrt x "$(nest tanh 100)"
row "sigmoid nested 200 deep, by x" -wrt x "$(nest sigmoid 200)"
row "Hessian of a 7-layer network" -H -wrt x "sum($(net 7))"
row "X^300 by X twice" -wrt X -wrt X "X^300"
row "tr(X^1000) with -H" -H -wrt X "tr(X^1000)"
row "--check=1 -wrt b b ((H^100)^100)^100" --check=1 -wrt b "b ((H^100)^100)^100"
row "a 16-layer tanh network, by x" -wrt x "$(net 16)"
