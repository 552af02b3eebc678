#!/usr/bin/env bash
# consumers.sh: mcd's output formats read by the programs they are for.
# Every python module runs its own finite-difference self-check (python3 with
# numpy), every LaTeX line renders in KaTeX (node), every JSON line parses in
# jq, and unicode output read back by mcd is the same expression as the text.
# Usage: tests/consumers.sh MCD GOLDEN_FILE...
#   Each golden case (see tests/golden.sh) is run again in every format; then
#   the textbook results of SPEC section 3 in every layout, and the examples
#   below.  Needs python3 with numpy, node with the katex package, and jq:
#   .ci/run installs them (README, "Set-up").  A missing one is a failure,
#   never a silent skip.  PYTHON=... and KATEX_DIR=... override the search.
set -u
mcd=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
shift
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0

bad() {
	fail=$((fail + 1))
	printf 'FAIL %s\n' "$*"
}

missing() {
	echo "consumers: $*"
	echo "consumers: 0 passed, 1 failed"
	exit 1
}

# --- the consumers ---

# python3 on PATH may be one without numpy (a pyenv, say); Debian's has it
# with python3-numpy.
find_python() {
	local p
	for p in ${PYTHON:-} /usr/bin/python3 python3; do
		if command -v "$p" >/dev/null 2>&1 && "$p" -c 'import numpy' 2>/dev/null; then
			echo "$p"
			return 0
		fi
	done
	return 1
}
python=$(find_python) ||
	missing "no python3 with numpy (apt-get install python3-numpy)"
command -v jq >/dev/null 2>&1 || missing "jq not found (apt-get install jq)"
command -v node >/dev/null 2>&1 || missing "node not found (apt-get install nodejs npm)"
katex=
for d in ${KATEX_DIR:-} "$here/node_modules/katex" "$(npm root -g 2>/dev/null)/katex"; do
	if [ -z "$katex" ] && [ -f "$d/package.json" ]; then
		katex=$d
	fi
done
[ -n "$katex" ] ||
	missing "the katex package is not installed (npm install --no-save --prefix tests katex, as .ci/run does)"

# Renders each line "WHERE<TAB>LATEX" of stdin; prints the ones that fail.
cat >"$tmp/render.js" <<'EOF'
const katex = require(process.argv[2]);
const lines = require("fs").readFileSync(0, "utf8").split("\n").filter(l => l.length);
let bad = 0;
for (const line of lines) {
	const tab = line.indexOf("\t");
	const tex = line.slice(tab + 1);
	try {
		katex.renderToString(tex, { throwOnError: true, strict: "error", displayMode: true });
	} catch (e) {
		bad++;
		console.log("FAIL " + line.slice(0, tab) + ": KaTeX cannot render " + tex + "\n  " + e.message);
	}
}
console.log(lines.length - bad + " " + bad);
EOF

# --- one case in every format ---

nmod=0

# Keeps every python module of the file $1 (split at the `# ---` lines) in
# $tmp/mods to run at the end; failed expressions (no `def value`) are not
# modules.
mkdir -p "$tmp/mods" "$tmp/json.d"
keep_modules() {   # output file, where
	nmod=$(awk -v dir="$tmp/mods" -v n="$nmod" -v where="$2" '
		{ text = text $0 "\n" }
		/^def value/ { module = 1 }
		/^# ---$/ {
			k++
			if (module) {
				n++
				printf "%s", text > (dir "/" n ".py"); close(dir "/" n ".py")
				print where " (module " k ")" > (dir "/" n ".where"); close(dir "/" n ".where")
			}
			text = ""; module = 0
		}
		END { print n }' "$1")
}

# The declarations among mcd's arguments (-d, -s and their long forms).
declarations() {
	decls=()
	while [ $# -gt 0 ]; do
		case $1 in
		--) break ;;
		-d|-s|--declare|--symmetric|-declare|-symmetric) decls+=("$1" "${2:-}"); shift ;;
		-d?*|-s?*|--declare=*|--symmetric=*|-declare=*|-symmetric=*) decls+=("$1") ;;
		esac
		shift
	done
}

# Reads the lines of $1 back through mcd with the declarations.
read_back() {
	grep -v '^$' "$1" | "$mcd" "${decls[@]}" 2>/dev/null
}

ncase=0
one_case() {   # where; then mcd's arguments (standard input in $tmp/in)
	local where=$1 f rc
	shift
	ncase=$((ncase + 1))
	for f in text unicode latex json python; do
		rc=0
		"$mcd" -f "$f" "$@" <"$tmp/in" >"$tmp/$f" 2>/dev/null || rc=$?
		[ $rc -le 2 ] || bad "$where: mcd -f $f crashed (exit status $rc)"
	done
	# LaTeX: every line to KaTeX, and JSON to jq, all at the end
	awk -v w="$where" 'length { print w "\t" $0 }' "$tmp/latex" >>"$tmp/latex.all"
	mv "$tmp/json" "$tmp/json.d/$ncase"
	printf '%s\n' "$where" >"$tmp/json.d/$ncase.where"
	# unicode: read back, the same as the text read back
	declarations "$@"
	if [ -s "$tmp/text" ] && ! cmp -s "$tmp/text" "$tmp/unicode"; then
		if cmp -s <(read_back "$tmp/unicode") <(read_back "$tmp/text"); then
			pass=$((pass + 1))
		else
			bad "$where: the unicode output reads back differently from the text"
			diff <(read_back "$tmp/unicode") <(read_back "$tmp/text") | head -6 | sed 's/^/  /'
		fi
	fi
	keep_modules "$tmp/python" "$where"
}

# --- the golden cases ---

skip_case() {   # options that print something other than a result
	local a
	for a in "$@"; do
		case $a in
		--) return 1 ;;
		--shapes|-shapes|--help|-h|-help|--version|-version|-f*|--format*|-format*) return 0 ;;
		esac
	done
	return 1
}

: >"$tmp/latex.all"
for file in "$@"; do
	n=0
	start=0
	: >"$tmp/cmd"
	: >"$tmp/in"
	while IFS= read -r line || [ -n "$line" ]; do
		n=$((n + 1))
		case $line in
		'')
			if [ -s "$tmp/cmd" ]; then
				cmd=$(cat "$tmp/cmd")
				eval "set -- $cmd" 2>/dev/null && [ "${1:-}" = mcd ] && shift &&
					! skip_case "$@" && one_case "$file:$start" "$@"
			fi
			: >"$tmp/cmd"
			: >"$tmp/in"
			continue ;;
		'#'*) continue ;;
		esac
		[ -s "$tmp/cmd" ] || start=$n
		case $line in
		'$ '*) printf '%s' "${line#\$ }" >"$tmp/cmd" ;;
		'<') printf '\n' >>"$tmp/in" ;;
		'< '*) printf '%b\n' "${line#< }" >>"$tmp/in" ;;
		esac
	done <"$file"
	if [ -s "$tmp/cmd" ]; then
		cmd=$(cat "$tmp/cmd")
		eval "set -- $cmd" 2>/dev/null && [ "${1:-}" = mcd ] && shift &&
			! skip_case "$@" && one_case "$file:$start" "$@"
	fi
done

# --- the textbook results of SPEC section 3, in every layout ---

: >"$tmp/in"
while IFS='|' read -r opts expr; do
	[ -n "$expr" ] || continue
	for layout in numerator denominator mixed; do
		# shellcheck disable=SC2086
		one_case "textbook: mcd -L $layout $opts \"$expr\"" -L "$layout" $opts "$expr"
	done
done <<'EOF'
-wrt W|a^T W b
-wrt x|x^T A x
-s A -wrt x|x^T A x
-wrt x|(a^T x) b
-wrt w|(y - w^T x)^2
-wrt x|norm(x - a)
-wrt X|det(X)
-d A:matrix(m,n) -wrt A|A x
-d R:matrix(m,n) -wrt R|R^T R
-wrt x -wrt y|x^T A y
-H -wrt x|x^T A x
-wrt X|logdet(X) + tr(A X^-1)
-wrt X|a^T X^-1 b
-H -wrt X|logdet(X)
-wrt x|log(sum(exp(x)))
-wrt x|sigmoid(a^T x) + relu(x)^T relu(x)
-wrt x|tanh(W x + b)
-wrt X|tr(X^3) + norm(X)
-wrt X|diag(X) .* x
-wrt x|diag(x) A x
-wrt alpha|alpha^3 x x^T
-wrt x|x .^ (1/2) ./ abs(x)
-wrt X|kron(X, A)
-d X:matrix(m,n) -wrt X|K_{m,n} vec(X) .* vec(X^T)
-wrt lambda|lambda np^T np + lambda^2
-s S -wrt S|x^T S^T y + logdet(S)
-s S -H -wrt S|tr(S^-1 A)
EOF

# --- round trips and pipes the documentation promises ---

# mcd -f unicode E | mcd  is  mcd E
while IFS='|' read -r opts expr; do
	# shellcheck disable=SC2086
	want=$("$mcd" $opts -- "$expr" 2>&1)
	# shellcheck disable=SC2086
	got=$("$mcd" $opts -f unicode -- "$expr" 2>&1 | "$mcd" $opts 2>&1)
	if [ "$got" = "$want" ] && [ -n "$want" ]; then
		pass=$((pass + 1))
	else
		bad "mcd $opts -f unicode \"$expr\" | mcd $opts: got '$got', want '$want'"
	fi
done <<'EOF'
|x^T (A + A^T)
|(x - a)^T / norm(x - a)
|A^-1 B^-T (C D)^-1 ((A B)^T)^-1
|x .* y ./ z + exp(x) .* (x .^ 3)
|||x|| ||y|| + norm(x - norm(y) a)
|(-(-A) - (B - C) + 1/3 A^2 - alpha^-2 A) (A .* B)^T
|tr(A B)^2 sqrt(alpha) + det(X)^(1/2) + logdet(X)
|sigmoid(W x + b) .* relu(x) - abs(x)
|softmax(z) + softplus(z) .* sign(z) - step(z) logsumexp(A)
-d A:matrix(m,n)|x^T K_{m,n} vec(A) + vec(A)^T I_{m n} vec(A)
-d A:matrix(m,n) -d B:matrix(p,q)|kron(A, B) - kron(A, B) .* kron(A, B) + kron(A .* A, B) kron(I_n, B^T B)
EOF

# the JSON pipe of the README, and a failed line's position
got=$(printf 'a^T W b\ntr(W)\n' | "$mcd" -wrt W --format=json | jq -r .derivative)
if [ "$got" = "$(printf 'b a^T\nI_m')" ]; then
	pass=$((pass + 1))
else
	bad "printf 'a^T W b\\ntr(W)\\n' | mcd -wrt W --format=json | jq -r .derivative gave: $got"
fi
got=$(printf 'a^T W b\na^T W + b\n' | "$mcd" --format=json 2>/dev/null | jq -r 'select(.error) | "\(.line):\(.column)"')
if [ "$got" = "2:7" ]; then
	pass=$((pass + 1))
else
	bad "the JSON of a bad line gives its position as '$got', not 2:7"
fi

# the python module computes softmax, logsumexp and softplus stably: at
# logits of 1000 (exp overflows a double) value and derivative are finite
# and right: logsumexp = 1000 + log 2, its gradient (1/2, 1/2)
"$mcd" -f python -wrt z "logsumexp(z) + sum(softplus(z))" >"$tmp/stable.py"
got=$(cd "$tmp" && "$python" -c '
import numpy as np, stable
z = np.array([[1000.0], [1000.0]])
v = stable.value(z=z)
d = np.asarray(stable.derivative(z=z))
ok = abs(v - (1000 + np.log(2) + 2000)) < 1e-9 and np.allclose(d, [[1.5, 1.5]])
print("ok" if ok and np.all(np.isfinite(d)) else "value %r derivative %r" % (v, d))' 2>&1)
if [ "$got" = ok ]; then
	pass=$((pass + 1))
else
	bad "the python module of logsumexp(z) + sum(softplus(z)) at z = (1000, 1000): $got"
fi

# a deep network's module imports and passes its self-check (SPEC 5: no
# recursion limits): the gradient of a 64-layer sigmoid network by W1
e=x
for i in $(seq 64); do e="sigmoid(W$i $e)"; done
"$mcd" -f python -wrt W1 "norm($e - y)^2" >"$tmp/deep.py"
if got=$(cd "$tmp" && timeout 600 "$python" deep.py 2>&1) && printf '%s' "$got" | grep -q 'agrees with central differences'; then
	pass=$((pass + 1))
else
	bad "the python module of a 64-layer sigmoid network's gradient: $(printf '%s' "$got" | tail -3)"
fi

# --- JSON: every line of every case one object, read by jq ---

# jq prints the file of each object it reads; each case's file must have
# given one object per line.
(cd "$tmp/json.d" && for c in $(seq "$ncase"); do printf '%s\n' "$c"; done) >"$tmp/cases"
if ! (cd "$tmp/json.d" && jq -r 'if type == "object" and (has("result") or has("error"))
		then input_filename else error("not a result: \(.)") end' $(cat "$tmp/cases")) \
		>"$tmp/jqfiles" 2>"$tmp/jqerr"; then
	bad "jq cannot read the JSON:"
	sed 's/^/  /' "$tmp/jqerr" | head -5
fi
while read -r c; do
	lines=$(wc -l <"$tmp/json.d/$c")
	objects=$(grep -cx "$c" "$tmp/jqfiles")
	if [ "$lines" = "$objects" ]; then
		pass=$((pass + 1))
	else
		bad "$(cat "$tmp/json.d/$c.where"): jq reads $objects objects from $lines lines of JSON"
		sed 's/^/  /' "$tmp/json.d/$c" | head -4
	fi
done <"$tmp/cases"

# --- the python modules ---

# Each module runs as a script (runpy, __name__ == "__main__"), many in one
# interpreter to save numpy's start-up; two interpreters share them out.
cat >"$tmp/run.py" <<'EOF'
import contextlib, io, runpy, sys
for path in sys.argv[1:]:
    sys.argv = [path]
    out = io.StringIO()
    status = 0
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
            runpy.run_path(path, run_name="__main__")
    except SystemExit as e:
        status = e.code if isinstance(e.code, int) else 1
    except BaseException as e:
        import traceback
        out.write(traceback.format_exc())
        status = 1
    base = path[:-3]
    with open(base + ".out", "w") as f:
        f.write(out.getvalue())
    if status == 0:
        open(base + ".ok", "w").close()
EOF
find "$tmp/mods" -name '*.py' -print0 | xargs -0 -r -P 2 -n $(((nmod + 1) / 2 + 1)) \
	timeout 600 "$python" "$tmp/run.py"
for m in "$tmp"/mods/*.py; do
	[ -e "$m" ] || continue
	if [ -e "${m%.py}.ok" ]; then
		pass=$((pass + 1))
	else
		bad "$(cat "${m%.py}.where"): python3 says:"
		tail -5 "${m%.py}.out" 2>/dev/null | sed 's/^/  /'
	fi
done

# --- KaTeX, all at once ---

read -r rendered failed < <(node "$tmp/render.js" "$katex" <"$tmp/latex.all" | tee "$tmp/render" | tail -1)
grep -v '^[0-9]* [0-9]*$' "$tmp/render"
if [ "${failed:-1}" = 0 ] && [ "${rendered:-0}" -gt 0 ]; then
	pass=$((pass + 1))
else
	fail=$((fail + 1))
fi
echo "consumers: KaTeX rendered ${rendered:-0} LaTeX lines (${failed:-?} failed); $nmod python modules ran their self-check"
echo "consumers: $pass passed, $fail failed"
[ $fail = 0 ]
