#!/usr/bin/env bash
# networks.sh MCD: k-layer networks (make bench, SPEC 4): the gradient of
# the squared error of a tanh and of a sigmoid network by W1, and the
# Jacobian by x, for k = 1, 2, 4, ..., 256.  Prints seconds (whole
# process, best of 3) and bytes of output per k, then the growth exponent
# of each column between k = 64 and k = 256 (bytes ~ k^e): at most 2
# without shared subexpressions, SPEC 4 says; with them (the default) the
# goal is linear, bytes(256) / bytes(128) <= 2.1, and k = 256 in under
# 0.1 s.  The time exponent is taken between k = 64 and k = 256 too.
set -u
mcd=$1
net() {   # net F K: F(W_K ... F(W_1 x))
	local e=x
	for i in $(seq "$2"); do e="$1(W$i $e)"; done
	echo "$e"
}
best_time() {   # best_time ARGS...: the best of three runs, in seconds (to the ms)
	local best=
	for _ in 1 2 3; do
		local t0=$EPOCHREALTIME
		"$mcd" "$@" >/dev/null 2>&1
		local t
		t=$(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.3f", b - a }')
		if [ -z "$best" ] || awk -v a="$t" -v b="$best" 'BEGIN { exit !(a < b) }'; then best=$t; fi
	done
	echo "$best"
}
echo
echo "k-layer networks: seconds and output bytes"
printf '  %-30s' "k"
ks="1 2 4 8 16 32 64 128 256"
for k in $ks; do printf ' %9s' "$k"; done
echo
for f in tanh sigmoid; do
	for case in W1 x; do
		declare -A bytes=() times=()
		secs=
		line_b=
		for k in $ks; do
			if [ "$case" = W1 ]; then
				args=(-wrt W1 "norm($(net "$f" "$k") - y)^2")
			else
				args=(-wrt x "$(net "$f" "$k")")
			fi
			b=$("$mcd" "${args[@]}" 2>/dev/null | wc -c)
			bytes[$k]=$b
			times[$k]=$(best_time "${args[@]}")
			secs+=$(printf ' %9s' "${times[$k]}")
			line_b+=$(printf ' %9s' "$b")
		done
		exponent=$(awk -v a="${bytes[64]}" -v b="${bytes[256]}" 'BEGIN { printf "%.2f", log(b / a) / log(4) }')
		texp=$(awk -v a="${times[64]}" -v b="${times[256]}" 'BEGIN { printf "%.2f", log(b / a) / log(4) }')
		printf '  %-30s%s   (time ~ k^%s)\n' "$f by $case: seconds" "$secs" "$texp"
		printf '  %-30s%s   (bytes ~ k^%s)\n' "$f by $case: bytes" "$line_b" "$exponent"
	done
done
