#!/usr/bin/env bash
# networks.sh MCD: k-layer networks (make bench, SPEC 4): the gradient of
# the squared error of a tanh and of a sigmoid network by W1, and the
# Jacobian by x, for k = 1, 2, 4, ..., 256.  Prints seconds (whole
# process, best of 3) and bytes of output per k, then the growth exponent
# of each column between k = 64 and k = 256 (bytes ~ k^e): at most 2
# without shared subexpressions, SPEC 4 says.
set -u
mcd=$1
net() {   # net F K: F(W_K ... F(W_1 x))
	local e=x
	for i in $(seq "$2"); do e="$1(W$i $e)"; done
	echo "$e"
}
best_time() {   # best_time ARGS...: the best of three runs, in seconds
	local best=
	for _ in 1 2 3; do
		/usr/bin/time -o /tmp/mcd-net.time -f '%e' "$mcd" "$@" >/dev/null 2>&1
		local t
		t=$(tail -1 /tmp/mcd-net.time)
		if [ -z "$best" ] || awk -v a="$t" -v b="$best" 'BEGIN { exit !(a < b) }'; then best=$t; fi
	done
	rm -f /tmp/mcd-net.time
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
		declare -A bytes=()
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
			secs+=$(printf ' %9s' "$(best_time "${args[@]}")")
			line_b+=$(printf ' %9s' "$b")
		done
		exponent=$(awk -v a="${bytes[64]}" -v b="${bytes[256]}" 'BEGIN { printf "%.2f", log(b / a) / log(4) }')
		printf '  %-30s%s\n' "$f by $case: seconds" "$secs"
		printf '  %-30s%s   (bytes ~ k^%s)\n' "$f by $case: bytes" "$line_b" "$exponent"
	done
done
