#!/usr/bin/env bash
# install.sh: make install into a scratch DESTDIR puts every file in place,
# a program using only <mcd.h> builds against it with pkg-config and runs,
# and make uninstall removes exactly what was installed.
set -u
cd "$(dirname "$0")/.."
dest=$(mktemp -d)
trap 'rm -rf "$dest"' EXIT
prefix=/usr/local
fail=0
make -s install DESTDIR="$dest" PREFIX=$prefix >/dev/null || { echo "FAIL install: make install"; exit 1; }
want=$(make -s -f Makefile print-installed 2>/dev/null)
for f in $want; do
	[ -f "$dest$prefix/$f" ] || { echo "FAIL install: $prefix/$f missing"; fail=1; }
done
got=$(cd "$dest$prefix" && find . -type f | sed 's|^\./||' | sort)
[ "$got" = "$(printf '%s\n' $want | sort)" ] || { echo "FAIL install: installed files differ:"; echo "$got"; fail=1; }
export PKG_CONFIG_PATH="$dest$prefix/lib/pkgconfig" PKG_CONFIG_SYSROOT_DIR="$dest"
if ! ${CC:-cc} -o "$dest/embed" tests/embed.c $(pkg-config --cflags --libs mcd) 2>"$dest/cc.err"; then
	echo "FAIL install: the embedding program does not build with pkg-config:"; cat "$dest/cc.err"; fail=1
elif ! "$dest/embed"; then
	echo "FAIL install: the embedding program failed"; fail=1
fi
"$dest$prefix/bin/mcd" -wrt W "a^T W b" | grep -qx 'b a^T' || { echo "FAIL install: the installed mcd"; fail=1; }
man -l "$dest$prefix/share/man/man3/mcd.3" >/dev/null 2>&1 || mandoc -Tlint "$dest$prefix/share/man/man3/mcd.3" >/dev/null 2>&1 ||
	true
bash -n "$dest$prefix/share/bash-completion/completions/mcd" || { echo "FAIL install: bash completion syntax"; fail=1; }
make -s uninstall DESTDIR="$dest" PREFIX=$prefix >/dev/null
left=$(find "$dest$prefix" -type f | wc -l)
[ "$left" = 0 ] || { echo "FAIL install: make uninstall left $left files"; fail=1; }
[ $fail = 0 ] && echo "install: $(echo $want | wc -w) files installed, pkg-config build of tests/embed.c ran, uninstall removed them all"
exit $fail
