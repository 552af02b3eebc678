#!/usr/bin/env bash
# seeds.sh DIR: write the fuzzer's seed corpus into DIR: every expression of
# the identities list, the golden cases' command lines and inputs, and the
# README's examples, each behind a few option prefixes (fuzz_mcd.c reads the
# first four bytes as options).
set -eu
out=$1
mkdir -p "$out"
here=$(cd "$(dirname "$0")/../.." && pwd)
{
	grep -v '^[#@]' "$here/man/identities.list" | sed -n 's/^[^|]*| *//p'
	grep -h '^< ' "$here"/tests/golden/*.t | cut -c3-
	grep -hoE '"[^"]+"' "$here"/tests/golden/*.t "$here/README.md" | tr -d '"'
} | sort -u | grep -v '^$' >"$out.list"
i=0
# prefixes: text and no -wrt; one -wrt x; python with check; json Hessian by x;
# latex, denominator, two -wrt (X then x)
while IFS= read -r e; do
	for p in '\x00\x00\x00\x00' '\x00\x04\x00\x00' '\x03\x06\x00\x00' '\x04\x05\x00\x00' '\x07\x08\x01\x00'; do
		printf "$p%s" "$e" >"$out/seed$i"
		i=$((i + 1))
	done
done <"$out.list"
rm -f "$out.list"
echo "seeds: $i inputs in $out"
