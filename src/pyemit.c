/* pyemit.c: --format python (see pyemit.h).  The Python text of each node
 * comes from one walk that computes shared nodes once into temporaries; the
 * module's fixed parts (argument checks, building blocks, the self-check)
 * are the Python texts below, included only where they are used. */
#include "pyemit.h"
#include "func.h"
#include "mcd.h"
#include "map.h"
#include "mem.h"
#include "print.h"
#include "text.h"

#include <stdint.h>
#include <string.h>

/* --- the fixed Python --- */

static const char py_base[] =
	"class _Redraw(Exception):\n"
	"    \"\"\"The self-check drew a point where f is undefined or not smooth.\"\"\"\n"
	"\n"
	"\n"
	"_STRICT = False  # set by the self-check: near-singular matrices are redrawn\n"
	"\n"
	"\n"
	"def _arg(a, name):\n"
	"    a = np.array(a, dtype=np.float64)\n"
	"    if a.ndim == 0:\n"
	"        a = a.reshape(1, 1)\n"
	"    if a.ndim != 2:\n"
	"        raise ValueError(\"%s must be a float or a 2-D array (a vector is (n, 1)), \"\n"
	"                         \"not an array of shape %s\" % (name, a.shape))\n"
	"    return a\n"
	"\n"
	"\n"
	"def _expect(a, name, rows, cols):\n"
	"    if a.shape != (rows, cols):\n"
	"        raise ValueError(\"%s must be %d x %d here, not %d x %d\"\n"
	"                         % (name, rows, cols, a.shape[0], a.shape[1]))\n"
	"\n"
	"\n"
	"def _scalar(r):\n"
	"    r = np.asarray(r, dtype=np.float64)\n"
	"    if r.size != 1:\n"
	"        raise AssertionError(\"mcd: a scalar result has shape %s\" % (r.shape,))\n"
	"    return float(r.reshape(()))\n"
	"\n"
	"\n"
	"def _array(r, rows, cols):\n"
	"    r = np.array(r, dtype=np.float64)\n"
	"    if r.shape != (rows, cols):\n"
	"        raise AssertionError(\"mcd: the result should be %d x %d, not %s\" % (rows, cols, r.shape))\n"
	"    return r\n";

static const char py_check[] =
	"# --- the self-check: python3 FILE [SEED] ---\n"
	"\n"
	"def _pick_size(rng):\n"
	"    return int(rng.integers(2, 5))\n"
	"\n"
	"\n"
	"def _draw(rng, attempt, rows, cols, square=False, symmetric=False, positive=False):\n"
	"    \"\"\"Random entries of magnitude 0.5 to 1.5 (a quarter of that on odd\n"
	"    attempts), of random sign unless positive (every fourth attempt, all\n"
	"    positive); a square matrix is made diagonally dominant.\"\"\"\n"
	"    scale = 0.25 if attempt % 2 else 1.0\n"
	"    a = rng.uniform(0.5, 1.5, (rows, cols)) * scale\n"
	"    if not positive and attempt % 4 != 3:\n"
	"        a *= rng.choice((-1.0, 1.0), (rows, cols))\n"
	"    if symmetric:\n"
	"        a = (a + a.T) / 2\n"
	"    if square:\n"
	"        a += 2 * rows * scale * np.eye(rows)\n"
	"    return a\n"
	"\n"
	"\n"
	"def _kind(shape):\n"
	"    if shape == (1, 1):\n"
	"        return \"scalar\"\n"
	"    return \"vector\" if shape[1] == 1 else \"matrix\"\n"
	"\n"
	"\n"
	"def _in_layout(j, fshape, xshape, layout):\n"
	"    \"\"\"The derivative in a layout, from J = d vec(f) / d vec(X)^T (SPEC section 3).\"\"\"\n"
	"    (p, q), (m, n) = fshape, xshape\n"
	"    fk, xk = _kind(fshape), _kind(xshape)\n"
	"    if fk == \"scalar\" and xk == \"matrix\":\n"
	"        dn = j.reshape((m, n), order=\"F\").T\n"
	"    else:\n"
	"        if fk == \"scalar\":\n"
	"            shape = (1, m) if xk == \"vector\" else (1, 1)\n"
	"        elif xk == \"scalar\":\n"
	"            shape = (p, q)\n"
	"        elif fk == \"vector\" and xk == \"vector\":\n"
	"            shape = (p, m)\n"
	"        else:\n"
	"            shape = (p * q, m * n)\n"
	"        dn = j.reshape(-1, order=\"F\").reshape(shape, order=\"F\")\n"
	"    if layout == \"denominator\" or (layout == \"mixed\" and fk == \"scalar\" and xk != \"scalar\"):\n"
	"        return dn.T\n"
	"    return dn\n"
	"\n"
	"\n"
	"def _as2d(a):\n"
	"    return np.atleast_2d(np.asarray(a, dtype=np.float64))\n"
	"\n"
	"\n"
	"def _jacobian(f, kw, name, h, symmetric):\n"
	"    \"\"\"d vec(f) / d vec(X)^T, X = kw[name], by fourth-order central differences.\n"
	"    For a symmetric X, one column per entry (i, j), i <= j, moving X_ij and\n"
	"    X_ji together (the directions that keep X symmetric).\"\"\"\n"
	"    x0 = _as2d(kw[name])\n"
	"    rows = x0.shape[0]\n"
	"    if symmetric:\n"
	"        entries = [(i, j) for j in range(rows) for i in range(j + 1)]\n"
	"    else:\n"
	"        entries = [(l % rows, l // rows) for l in range(x0.size)]\n"
	"    columns = []\n"
	"    for i, j in entries:\n"
	"        step = h * max(1.0, abs(x0[i, j]))\n"
	"\n"
	"        def at(t):\n"
	"            x = x0.copy()\n"
	"            x[i, j] += t * step\n"
	"            if symmetric and i != j:\n"
	"                x[j, i] += t * step\n"
	"            args = dict(kw)\n"
	"            args[name] = float(x[0, 0]) if np.ndim(kw[name]) == 0 else x\n"
	"            return _as2d(f(**args)).reshape(-1, order=\"F\")\n"
	"\n"
	"        columns.append((8.0 * (at(1) - at(-1)) - (at(2) - at(-2))) / (12.0 * step))\n"
	"    return np.column_stack(columns)\n"
	"\n"
	"\n"
	"def _symmetric_columns(j, rows):\n"
	"    \"\"\"The columns of J along the directions that keep a symmetric X symmetric.\n"
	"    A gradient in the Matrix Cookbook's convention (--symmetric-gradient=cookbook)\n"
	"    already counts the pair X_ij, X_ji once in its entry (i, j).\"\"\"\n"
	"    return np.column_stack([j[:, i + c * rows] + (j[:, c + i * rows] if i != c and not _COOKBOOK else 0.0)\n"
	"                            for c in range(rows) for i in range(c + 1)])\n"
	"\n"
	"\n"
	"def _from_layout(d, fshape, xshape, layout):\n"
	"    \"\"\"J = d vec(f) / d vec(X)^T from a derivative in a layout (undoes _in_layout).\"\"\"\n"
	"    (p, q), (m, n) = fshape, xshape\n"
	"    fk, xk = _kind(fshape), _kind(xshape)\n"
	"    if layout == \"denominator\" or (layout == \"mixed\" and fk == \"scalar\" and xk != \"scalar\"):\n"
	"        d = d.T\n"
	"    if fk == \"scalar\" and xk == \"matrix\":\n"
	"        return d.T.reshape((1, m * n), order=\"F\")\n"
	"    return d.reshape(-1, order=\"F\").reshape((p * q, m * n), order=\"F\")\n"
	"\n"
	"\n"
	"def _compare(f, d, name, layout, kw):\n"
	"    \"\"\"The largest error of d(**kw) against differences of f, relative to\n"
	"    max(1, the largest entry); raises _Redraw where f is not smooth, or too\n"
	"    large for its differences to be accurate.\"\"\"\n"
	"    symmetric = name in _SYMMETRIC\n"
	"    fval = _as2d(f(**kw))\n"
	"    got = _as2d(d(**kw))\n"
	"    xshape = _as2d(kw[name]).shape\n"
	"    coarse = _jacobian(f, kw, name, 1e-3, symmetric)\n"
	"    fine = _jacobian(f, kw, name, 5e-4, symmetric)\n"
	"    scale = max(1.0, float(np.max(np.abs(fine))))\n"
	"    if float(np.max(np.abs(coarse - fine))) > 1e-6 * scale:\n"
	"        raise _Redraw()  # a kink or a pole nearby\n"
	"    if 7e-13 * max(1.0, float(np.max(np.abs(fval)))) > 0.1 * _TOL * scale:\n"
	"        raise _Redraw()  # f too large for its differences to be accurate\n"
	"    want_shape = _in_layout(np.zeros((fval.size, xshape[0] * xshape[1])), fval.shape, xshape, layout).shape\n"
	"    if got.shape != want_shape:\n"
	"        return float(\"inf\"), \"it is %d x %d, but the %s layout needs %d x %d here\" % (\n"
	"            got.shape + (layout,) + want_shape)\n"
	"    if symmetric:   # only the directions that keep X symmetric\n"
	"        want, got = fine, _symmetric_columns(_from_layout(got, fval.shape, xshape, layout), xshape[0])\n"
	"    else:\n"
	"        want = _in_layout(fine, fval.shape, xshape, layout)\n"
	"    return float(np.max(np.abs(got - want))) / scale, \"\"\n"
	"\n"
	"\n"
	"_TOL = 1e-6\n"
	"\n"
	"\n"
	"def _selfcheck(seed=1, points=3):\n"
	"    global _STRICT\n"
	"    _STRICT = True\n"
	"    rng = np.random.default_rng(seed)\n"
	"    worst = [0.0] * len(_STEPS)\n"
	"    done = draws = 0\n"
	"    while done < points:\n"
	"        if draws == 500:\n"
	"            print(\"mcd self-check: FAILED: found no random point where f and its \"\n"
	"                  \"derivatives are defined and smooth enough to check in %d draws\" % draws)\n"
	"            return 1\n"
	"        kw, sizes = _sample(rng, draws)\n"
	"        draws += 1\n"
	"        try:\n"
	"            with np.errstate(divide=\"raise\", over=\"raise\", invalid=\"raise\"):\n"
	"                value(**kw)\n"
	"                errors = [_compare(f, d, name, layout, kw) for _, _, f, d, name, layout in _STEPS]\n"
	"        except (_Redraw, FloatingPointError, ZeroDivisionError, OverflowError,\n"
	"                np.linalg.LinAlgError):\n"
	"            continue\n"
	"        done += 1\n"
	"        for k, (err, why) in enumerate(errors):\n"
	"            worst[k] = max(worst[k], err)\n"
	"            if err > _TOL:\n"
	"                at = \", \".join(\"%s = %d\" % s for s in sizes.items()) or \"no sizes\"\n"
	"                print(\"mcd self-check: FAILED: %s() with respect to %s disagrees with central \"\n"
	"                      \"differences of %s at a random point (%s; seed %d): %s\" % (\n"
	"                          _STEPS[k][0], _STEPS[k][4], _STEPS[k][1], at, seed,\n"
	"                          why or \"relative error %.3g\" % err))\n"
	"                return 1\n"
	"    if not _STEPS:\n"
	"        print(\"mcd self-check: value() evaluated at %d random points \"\n"
	"              \"(there is no derivative to check)\" % points)\n"
	"    for k, step in enumerate(_STEPS):\n"
	"        print(\"mcd self-check: %s() with respect to %s agrees with central differences of \"\n"
	"              \"%s at %d random points (%s layout): largest relative error %.3g\" % (\n"
	"                  step[0], step[4], step[1], points, step[5], worst[k]))\n"
	"    return 0\n";

static const char py_main[] =
	"\n"
	"if __name__ == \"__main__\":\n"
	"    import sys\n"
	"    sys.exit(_selfcheck(int(sys.argv[1]) if len(sys.argv) > 1 else 1))\n";

static const char py_h_size[] =
	"def _size(n, name):\n"
	"    if n != int(n) or n < 1:\n"
	"        raise ValueError(\"%s must be a whole number from 1 up, not %r\" % (name, n))\n"
	"    return int(n)\n";

static const char py_h_inv[] =
	"def _inv(a):\n"
	"    a = np.atleast_2d(a)\n"
	"    if _STRICT and np.linalg.cond(a) > 1e8:\n"
	"        raise _Redraw()\n"
	"    return np.linalg.inv(a)\n";

static const char py_h_power[] =
	"def _power(a, k):\n"
	"    \"\"\"A whole power of a square matrix, negative ones through the inverse.\"\"\"\n"
	"    if k < 0:\n"
	"        a, k = _inv(a), -k\n"
	"    return np.linalg.matrix_power(np.atleast_2d(a), k)\n";

static const char py_h_kron[] =
	"def _kron(*factors):\n"
	"    r = np.atleast_2d(factors[0])\n"
	"    for b in factors[1:]:\n"
	"        r = np.kron(r, np.atleast_2d(b))\n"
	"    return r\n";

static const char py_h_comm[] =
	"def _commutation(m, n):\n"
	"    \"\"\"K_{m,n}: K vec(A) = vec(A^T) for an m x n matrix A (vec is column-major).\"\"\"\n"
	"    k = np.zeros((m * n, m * n))\n"
	"    for i in range(m):\n"
	"        for j in range(n):\n"
	"            k[j + i * n, i + j * m] = 1.0\n"
	"    return k\n";

static const char py_h_vec[] =
	"def _vec(a):\n"
	"    \"\"\"The columns of a stacked: column-major, as in mcd.\"\"\"\n"
	"    return np.reshape(a, (-1, 1), order=\"F\")\n";

/* --- the generator --- */

enum {
	H_SIZE, H_INV, H_POWER, H_KRON, H_COMM, H_VEC, H_COUNT
};

/* One row per helper, in the order above. */
static const char *const helper_text[H_COUNT] = {
	py_h_size, py_h_inv, py_h_power, py_h_kron, py_h_comm, py_h_vec,
};

/* A node of one function's body: how often it is used, how tall it is, and
 * the temporary (_1, _2, ...) that holds it, if any. */
typedef struct {
	int uses, height, temp, seen;
} Info;

/* A dimension symbol.  Inside the functions its value is the local _NAME,
 * read from an argument's shape or, when no argument has it, from a keyword
 * parameter size_NAME. */
typedef struct {
	const char *name;       /* interned */
	int known;
	const char *param;      /* the keyword parameter, or NULL */
} Sym;

/* One function of the module. */
typedef struct {
	const char *name;
	Buf doc, body;
} Fn;

typedef struct {
	const Result *r;
	Pool *p;
	Shapes *s;
	Arena *a;
	int nvars;
	const char **py;        /* the keyword name of each variable */
	int *positive;          /* whether it is drawn positive in the self-check */
	Sym *syms;
	int nsyms;
	Buf setup;              /* the lines that set the size locals, in order */
	unsigned need;          /* helpers used: bit 1 << H_... */
	unsigned need_fn;       /* functions whose table helper is used: bit 1 << FuncId */
	Map info;               /* the current function's nodes: Info */
	int ntemps;
} Py;

/* Nesting deeper than this in one Python expression goes through a
 * temporary (CPython's parser refuses about 200 nested brackets). */
enum { PY_NEST = 32 };

static void use(Py *py, int helper)
{
	py->need |= 1u << helper;
}

/* --- names --- */

static const char *const keywords[] = {
	"False", "None", "True", "and", "as", "assert", "async", "await", "break", "class",
	"continue", "def", "del", "elif", "else", "except", "finally", "for", "from", "global",
	"if", "import", "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise",
	"return", "try", "while", "with", "yield", "np", NULL,
};

static int is_keyword(const char *s)
{
	for (const char *const *k = keywords; *k; k++)
		if (strcmp(*k, s) == 0)
			return 1;
	return 0;
}

static int name_taken(const Py *py, const char *s)
{
	for (int i = 0; i < py->nvars; i++)
		if (py->py[i] && strcmp(py->py[i], s) == 0)
			return 1;
	for (int i = 0; i < py->nsyms; i++)
		if (py->syms[i].param && strcmp(py->syms[i].param, s) == 0)
			return 1;
	return 0;
}

/* name, or name_ for a keyword or np, with more _ until it is unused. */
static const char *fresh_name(Py *py, const char *name)
{
	Buf b;
	buf_init(&b);
	buf_puts(&b, name);
	if (is_keyword(name))
		buf_putc(&b, '_');
	while (name_taken(py, buf_str(&b)))
		buf_putc(&b, '_');
	const char *s = arena_strndup(py->a, buf_str(&b), b.len);
	buf_free(&b);
	return s;
}

static int var_index(const Py *py, const Expr *v)
{
	return shape_find_var(py->s, v->u.name);
}

static Sym *sym(Py *py, const char *name)
{
	for (int i = 0; i < py->nsyms; i++)
		if (py->syms[i].name == name)
			return &py->syms[i];
	py->syms = mem_realloc(py->syms, (size_t)(py->nsyms + 1) * sizeof *py->syms);
	Sym *s = &py->syms[py->nsyms++];
	*s = (Sym){ name, 0, NULL };
	return s;
}

/* --- expressions --- */

static void pyx(Py *py, Buf *o, const Expr *e);

/* 3, (-2), (1 / 3), (-1 / 3) */
static void number(Buf *o, mpq_srcptr q)
{
	int neg = mpq_sgn(q) < 0, whole = mpz_cmp_ui(mpq_denref(q), 1) == 0;
	mpz_t a;
	mpz_init(a);
	mpz_abs(a, mpq_numref(q));
	if (neg || !whole)
		buf_putc(o, '(');
	if (neg)
		buf_putc(o, '-');
	buf_mpz(o, a);
	if (!whole) {
		buf_puts(o, " / ");
		buf_mpz(o, mpq_denref(q));
	}
	if (neg || !whole)
		buf_putc(o, ')');
	mpz_clear(a);
}

/* A dimension: 3, _n, (2 * _m * _n). */
static void dim(Py *py, Buf *o, const Expr *d)
{
	if (d->nargs > 1)
		buf_putc(o, '(');
	for (unsigned i = 0; i < d->nargs; i++) {
		const Expr *f = d->args[i];
		if (i)
			buf_puts(o, " * ");
		if (f->kind == E_NUM)
			buf_mpz(o, mpq_numref(f->u.num));
		else
			buf_printf(o, "_%s", sym(py, f->u.name)->name);
	}
	if (d->nargs > 1)
		buf_putc(o, ')');
	if (d->nargs == 0)
		buf_putc(o, '1');
}

static void operands(Py *py, Buf *o, const Expr *e, const char *open, const char *sep,
		     const char *close)
{
	buf_puts(o, open);
	for (unsigned i = 0; i < e->nargs; i++) {
		if (i)
			buf_puts(o, sep);
		pyx(py, o, e->args[i]);
	}
	buf_puts(o, close);
}

static int scalar(Py *py, const Expr *e)
{
	return shape_is_scalar(shape_of(py->s, e));
}

/* A product: @ between matrices, * where a factor (or the product so far)
 * is 1 x 1, so that scalars scale. */
static void product(Py *py, Buf *o, const Expr *e)
{
	Shape acc = shape_of(py->s, e->args[0]);
	buf_putc(o, '(');
	pyx(py, o, e->args[0]);
	for (unsigned i = 1; i < e->nargs; i++) {
		Shape f = shape_of(py->s, e->args[i]);
		if (shape_is_scalar(acc) || shape_is_scalar(f)) {
			buf_puts(o, " * ");
			if (shape_is_scalar(acc))
				acc = f;
		} else {
			buf_puts(o, " @ ");
			acc.cols = f.cols;
		}
		pyx(py, o, e->args[i]);
	}
	buf_putc(o, ')');
}

static void sum(Py *py, Buf *o, const Expr *e)
{
	buf_putc(o, '(');
	for (unsigned i = 0; i < e->nargs; i++) {
		const Expr *t = e->args[i];
		if (i)
			buf_puts(o, t->kind == E_NEG ? " - " : " + ");
		pyx(py, o, i && t->kind == E_NEG ? t->args[0] : t);
	}
	buf_putc(o, ')');
}

static void call1(Py *py, Buf *o, const char *fname, int helper, const Expr *arg)
{
	if (helper >= 0)
		use(py, helper);
	buf_puts(o, fname);
	buf_putc(o, '(');
	pyx(py, o, arg);
	buf_putc(o, ')');
}

/* The table's Python: numpy's own function, or a helper of the module
 * (vec shares its helper with the vec the engine builds). */
static void function(Py *py, Buf *o, const Expr *e)
{
	const FuncDef *f = func_def(e->fn);
	if (e->fn == F_VEC)
		use(py, H_VEC);
	else if (f->py_helper)
		py->need_fn |= 1u << e->fn;
	call1(py, o, f->python, -1, e->args[0]);
}

/* x ** k for a scalar; a whole power of a matrix through _power. */
static void power(Py *py, Buf *o, const Expr *e)
{
	if (scalar(py, e->args[0])) {
		buf_putc(o, '(');
		pyx(py, o, e->args[0]);
		buf_puts(o, " ** ");
		number(o, e->args[1]->u.num);
		buf_putc(o, ')');
		return;
	}
	use(py, H_POWER);
	use(py, H_INV);
	buf_puts(o, "_power(");
	pyx(py, o, e->args[0]);
	buf_puts(o, ", ");
	number(o, e->args[1]->u.num);
	buf_putc(o, ')');
}

/* The Python for e: a name, a literal, a call or a bracketed expression, so
 * it can take .T or be an operand anywhere. */
static void pyx(Py *py, Buf *o, const Expr *e)
{
	const void *v;
	if (map_get(&py->info, e, &v) && ((const Info *)v)->temp) {
		buf_printf(o, "_%d", ((const Info *)v)->temp);
		return;
	}
	switch (e->kind) {
	case E_NUM: number(o, e->u.num); break;
	case E_VAR: {
		int i = var_index(py, e);
		buf_puts(o, i >= 0 ? py->py[i] : e->u.name);
		break;
	}
	case E_DSYM: buf_printf(o, "_%s", sym(py, e->u.name)->name); break;
	case E_DIM: dim(py, o, e); break;
	case E_IDENT:
		buf_puts(o, "np.eye(");
		dim(py, o, shape_of(py->s, e).rows);
		buf_putc(o, ')');
		break;
	case E_ONES:
		buf_puts(o, "np.ones((");
		dim(py, o, shape_of(py->s, e).rows);
		buf_puts(o, ", 1))");
		break;
	case E_COMM:
		use(py, H_COMM);
		buf_puts(o, "_commutation(");
		dim(py, o, e->args[0]);
		buf_puts(o, ", ");
		dim(py, o, e->args[1]);
		buf_putc(o, ')');
		break;
	case E_ADD: sum(py, o, e); break;
	case E_NEG: operands(py, o, e, "(-", "", ")"); break;
	case E_MUL: product(py, o, e); break;
	case E_DIV: case E_HDIV: operands(py, o, e, "(", " / ", ")"); break;
	case E_HAD: operands(py, o, e, "(", " * ", ")"); break;
	case E_KRON:
		use(py, H_KRON);
		operands(py, o, e, "_kron(", ", ", ")");
		break;
	case E_TRANS:   /* a 1 x 1 value may be a float, which has no .T */
		pyx(py, o, e->args[0]);
		if (!scalar(py, e))
			buf_puts(o, ".T");
		break;
	case E_INV:
		if (scalar(py, e)) {
			operands(py, o, e, "(1.0 / ", "", ")");
		} else {
			use(py, H_INV);
			operands(py, o, e, "_inv(", "", ")");
		}
		break;
	case E_POW: power(py, o, e); break;
	case E_EPOW: operands(py, o, e, "(", " ** ", ")"); break;
	case E_FUNC: function(py, o, e); break;
	}
}

static int is_leaf(const Expr *e)
{
	return e->kind == E_NUM || e->kind == E_VAR || e->kind == E_DSYM || e->kind == E_DIM;
}

static Info *info(Py *py, const Expr *e)
{
	const void *v;
	if (map_get(&py->info, e, &v))
		return (Info *)v;
	Info *in = arena_alloc(py->a, sizeof *in);
	map_put(&py->info, e, in);
	return in;
}

/* How often each node is used (the nodes are hash-consed: a subexpression
 * used twice is one node) and its height.  Returns the height. */
static int count(Py *py, const Expr *e)
{
	Info *in = info(py, e);
	if (in->uses++)
		return in->height;
	int h = 0;
	for (unsigned i = 0; !is_leaf(e) && i < e->nargs; i++) {
		int k = count(py, e->args[i]);
		if (k > h)
			h = k;
	}
	in->height = h + 1;
	return in->height;
}

/* The temporaries, dependencies first: every node used twice, and every
 * PY_NEST-th level of a deep one. */
static void temps(Py *py, Buf *body, const Expr *e)
{
	Info *in = info(py, e);
	if (in->seen || is_leaf(e))
		return;
	in->seen = 1;
	for (unsigned i = 0; i < e->nargs; i++)
		temps(py, body, e->args[i]);
	if (in->uses > 1 || in->height % PY_NEST == 0) {
		buf_printf(body, "    _%d = ", py->ntemps + 1);
		pyx(py, body, e);
		buf_putc(body, '\n');
		in->temp = ++py->ntemps;
	}
}

static void shape_text(Buf *o, Shape s)
{
	dim_print(o, s.rows);
	buf_puts(o, " x ");
	dim_print(o, s.cols);
}

/* The body of a function returning e (NULL: the zero) of shape sh. */
static void body(Py *py, Fn *fn, const Expr *e, Shape sh)
{
	Buf *b = &fn->body;
	py->ntemps = 0;
	map_init(&py->info, py->a);
	Buf ret;
	buf_init(&ret);
	if (e) {
		count(py, e);
		temps(py, b, e);
		pyx(py, &ret, e);
	} else {
		buf_puts(&ret, shape_is_scalar(sh) ? "0.0" : "0");
	}
	if (shape_is_scalar(sh)) {
		buf_printf(b, "    return _scalar(%s)\n", buf_str(&ret));
	} else {
		buf_puts(b, e ? "    return _array(" : "    return np.zeros((");
		if (e)
			buf_printf(b, "%s, ", buf_str(&ret));
		dim(py, b, sh.rows);
		buf_puts(b, ", ");
		dim(py, b, sh.cols);
		buf_puts(b, e ? ")\n" : "))\n");
	}
	buf_free(&ret);
}

/* --- sizes --- */

/* The factors of d that are symbols not yet known: how many, and one. */
static int unknowns(Py *py, const Expr *d, const char **which)
{
	int n = 0;
	for (unsigned i = 0; i < d->nargs; i++)
		if (d->args[i]->kind == E_DSYM && !sym(py, d->args[i]->u.name)->known) {
			if (n && *which == d->args[i]->u.name)
				return 2;   /* n n: a square root is not worth it */
			*which = d->args[i]->u.name;
			n++;
		}
	return n;
}

/* _u = x.shape[k], or x.shape[k] // (the other factors). */
static void read_size(Py *py, int var, int k, const Expr *d, const char *u)
{
	buf_printf(&py->setup, "    _%s = %s.shape[%d]", u, py->py[var], k);
	int first = 1;
	for (unsigned i = 0; i < d->nargs; i++) {
		const Expr *f = d->args[i];
		if (f->kind == E_DSYM && f->u.name == u)
			continue;
		buf_puts(&py->setup, first ? " // (" : " * ");
		first = 0;
		if (f->kind == E_NUM)
			buf_mpz(&py->setup, mpq_numref(f->u.num));
		else
			buf_printf(&py->setup, "_%s", f->u.name);
	}
	buf_puts(&py->setup, first ? "\n" : ")\n");
	sym(py, u)->known = 1;
}

/* One pass over the arguments' dimensions: direct ones (a single symbol)
 * only, or products with one unknown symbol.  Returns whether it learnt any. */
static int size_pass(Py *py, int products)
{
	int learnt = 0;
	for (int i = 0; i < py->nvars; i++) {
		Shape sh = shape_var_shape(py->s, i);
		const Expr *d[2] = { sh.rows, sh.cols };
		for (int k = 0; k < 2; k++) {
			const char *u = NULL;
			if (unknowns(py, d[k], &u) == 1 && (products || d[k]->nargs == 1)) {
				read_size(py, i, k, d[k], u);
				learnt = 1;
			}
		}
	}
	return learnt;
}

static void size_param(Py *py, Sym *s)
{
	Buf b;
	buf_init(&b);
	buf_printf(&b, "size_%s", s->name);
	const char *name = fresh_name(py, buf_str(&b));
	buf_free(&b);
	s->param = name;
	s->known = 1;
	buf_printf(&py->setup, "    _%s = _size(%s, \"%s\")\n", s->name, name, name);
	use(py, H_SIZE);
}

/* Every symbol's value: from the arguments' shapes where it can be read,
 * else from a size_ keyword parameter. */
static void resolve_sizes(Py *py)
{
	for (int i = 0; i < py->nvars; i++) {
		Shape sh = shape_var_shape(py->s, i);
		for (unsigned k = 0; k < sh.rows->nargs; k++)
			if (sh.rows->args[k]->kind == E_DSYM)
				sym(py, sh.rows->args[k]->u.name);
		for (unsigned k = 0; k < sh.cols->nargs; k++)
			if (sh.cols->args[k]->kind == E_DSYM)
				sym(py, sh.cols->args[k]->u.name);
	}
	for (;;) {
		while (size_pass(py, 0) || size_pass(py, 1))
			;
		int i = 0;
		while (i < py->nsyms && py->syms[i].known)
			i++;
		if (i == py->nsyms)
			break;
		size_param(py, &py->syms[i]);
	}
}

/* --- the self-check's random arguments --- */

/* Which variables occur under log, sqrt, logdet or a fractional power: they
 * are drawn positive.  seen maps a node to the bits (1 << under) visited. */
static void scan_positive(Py *py, Map *seen, const Expr *e, int under)
{
	const void *v = NULL;
	uintptr_t bits = map_get(seen, e, &v) ? (uintptr_t)v : 0;
	if (bits & (1u << under))
		return;
	map_put(seen, e, (const void *)(bits | (1u << under)));
	if (e->kind == E_VAR && under) {
		int i = var_index(py, e);
		if (i >= 0)
			py->positive[i] = 1;
	}
	int base = under;
	if (e->kind == E_FUNC && (e->fn == F_LOG || e->fn == F_SQRT || e->fn == F_LOGDET))
		base = 1;
	if ((e->kind == E_POW || e->kind == E_EPOW) &&
	    (e->args[1]->kind != E_NUM || mpz_cmp_ui(mpq_denref(e->args[1]->u.num), 1) != 0))
		base = 1;
	for (unsigned i = 0; !is_leaf(e) && i < e->nargs; i++)
		scan_positive(py, seen, e->args[i], i == 0 ? base : under);
}

static void sample(Py *py, Buf *o)
{
	buf_puts(o, "\n\ndef _sample(rng, attempt):\n"
		    "    \"\"\"Random arguments: every size from 2 to 4, entries as _draw makes them.\"\"\"\n");
	for (int i = 0; i < py->nsyms; i++)
		buf_printf(o, "    _%s = _pick_size(rng)\n", py->syms[i].name);
	buf_puts(o, "    sizes = {");
	for (int i = 0; i < py->nsyms; i++)
		buf_printf(o, "%s\"%s\": _%s", i ? ", " : "", py->syms[i].name, py->syms[i].name);
	buf_puts(o, "}\n    kw = {\n");
	for (int i = 0; i < py->nvars; i++) {
		Shape sh = shape_var_shape(py->s, i);
		int sc = shape_is_scalar(sh);
		buf_printf(o, "        \"%s\": %s_draw(rng, attempt, ", py->py[i], sc ? "float(" : "");
		dim(py, o, sh.rows);
		buf_puts(o, ", ");
		dim(py, o, sh.cols);
		if (sh.rows == sh.cols && !sc)
			buf_puts(o, ", square=True");
		if (shape_symmetric(py->s, shape_var(py->s, i)))
			buf_puts(o, ", symmetric=True");
		if (py->positive[i])
			buf_puts(o, ", positive=True");
		buf_puts(o, sc ? ")[0, 0]),\n" : "),\n");
	}
	for (int i = 0; i < py->nsyms; i++)
		if (py->syms[i].param)
			buf_printf(o, "        \"%s\": _%s,\n", py->syms[i].param, py->syms[i].name);
	buf_puts(o, "    }\n    return kw, sizes\n");
}

/* --- the module --- */

/* s in a comment: control characters as spaces, bytes that are not valid
 * UTF-8 as U+FFFD. */
static void comment_text(Buf *o, const char *s, size_t n)
{
	for (size_t i = 0; i < n;) {
		unsigned char c = (unsigned char)s[i];
		size_t len = text_utf8_len(s + i, n - i);
		if (len == 0)
			buf_puts(o, "\xef\xbf\xbd");
		else if (c < 0x20 || c == 0x7f)
			buf_putc(o, ' ');
		else
			buf_put(o, s + i, len);
		i += len ? len : 1;
	}
}

static void expr_text(Buf *o, const Expr *e)
{
	if (e)
		print_text(o, e);
	else
		buf_putc(o, '0');
}

/* The parameters: the variables, then any size_ parameters. */
static void params(const Py *py, Buf *o)
{
	int n = 0;
	for (int i = 0; i < py->nvars; i++)
		buf_printf(o, "%s%s", n++ ? ", " : "", py->py[i]);
	for (int i = 0; i < py->nsyms; i++)
		if (py->syms[i].param)
			buf_printf(o, "%s%s", n++ ? ", " : "", py->syms[i].param);
}

/* What _prepare returns: the checked arguments, then the sizes. */
static void prepared(const Py *py, Buf *o)
{
	int n = 0;
	for (int i = 0; i < py->nvars; i++)
		buf_printf(o, "%s%s", n++ ? ", " : "", py->py[i]);
	for (int i = 0; i < py->nsyms; i++)
		buf_printf(o, "%s_%s", n++ ? ", " : "", py->syms[i].name);
	if (n == 1)
		buf_putc(o, ',');
}

static int has_params(const Py *py)
{
	return py->nvars + py->nsyms > 0;
}

static void define(const Py *py, Buf *o, Fn *fn)
{
	Buf p;
	buf_init(&p);
	params(py, &p);
	buf_printf(o, "\n\ndef %s(%s%s):\n    \"\"\"%s\"\"\"\n", fn->name, p.len ? "*, " : "",
		   buf_str(&p), buf_str(&fn->doc));
	if (has_params(py)) {
		Buf r;
		buf_init(&r);
		prepared(py, &r);
		buf_printf(o, "    %s = _prepare(%s)\n", buf_str(&r), buf_str(&p));
		buf_free(&r);
	}
	buf_puts(o, buf_str(&fn->body));
	buf_free(&p);
}

static void prepare(Py *py, Buf *o)
{
	if (!has_params(py))
		return;
	Buf p;
	buf_init(&p);
	params(py, &p);
	buf_printf(o, "\n\ndef _prepare(%s):\n"
		   "    \"\"\"The arguments as float arrays, their sizes read and checked.\"\"\"\n",
		   buf_str(&p));
	buf_free(&p);
	for (int i = 0; i < py->nvars; i++)
		buf_printf(o, "    %s = _arg(%s, \"%s\")\n", py->py[i], py->py[i], py->py[i]);
	buf_puts(o, buf_str(&py->setup));
	for (int i = 0; i < py->nvars; i++) {
		Shape sh = shape_var_shape(py->s, i);
		buf_printf(o, "    _expect(%s, \"%s\", ", py->py[i], py->py[i]);
		dim(py, o, sh.rows);
		buf_puts(o, ", ");
		dim(py, o, sh.cols);
		buf_puts(o, ")\n");
	}
	Buf r;
	buf_init(&r);
	prepared(py, &r);
	buf_printf(o, "    return %s\n", buf_str(&r));
	buf_free(&r);
}

static void header(const Py *py, Buf *o, Fn *fns, int nfns)
{
	const Result *r = py->r;
	buf_puts(o, "# Generated by mcd " MCD_VERSION " --format python: a self-contained module that\n"
		    "# needs only Python 3 and numpy.\n#\n#   input:      ");
	comment_text(o, r->input, r->len);
	buf_puts(o, "\n#   variables:  ");
	for (int i = 0; i < py->nvars; i++) {
		buf_printf(o, "%s%s: ", i ? ", " : "", py->py[i]);
		shape_text(o, shape_var_shape(py->s, i));
	}
	if (!py->nvars)
		buf_puts(o, "none");
	buf_putc(o, '\n');
	for (int i = 0; i < nfns; i++)
		buf_printf(o, "#   %s(): %s\n", fns[i].name, buf_str(&fns[i].doc));
	buf_puts(o, "#\n"
		    "# Every function takes the variables as keyword arguments: a scalar as a\n"
		    "# float, a vector as an (n, 1) array, a matrix as a 2-D array.  The sizes are\n"
		    "# read from the arguments and their shapes are checked.  A 1 x 1 result is\n"
		    "# returned as a float, any other as a 2-D array.  vec is column-major.\n"
		    "# Run as a script, `python3 FILE [SEED]` checks each derivative against\n"
		    "# central finite differences at random points and exits with status 1\n"
		    "# if they disagree.\n"
		    "\nimport numpy as np\n\n");
	buf_puts(o, "INPUT = ");
	text_json_string(o, r->input, r->len);   /* a JSON string is a Python literal */
	buf_printf(o, "\nLAYOUT = \"%s\"\nWRT = (", layout_name(r->layout));
	for (int i = 0; i < r->nwrt; i++) {
		int v = shape_find_var(py->s, r->wrt[i]);
		buf_printf(o, "\"%s\"%s", v >= 0 ? py->py[v] : r->wrt[i], r->nwrt == 1 ? "," : i + 1 < r->nwrt ? ", " : "");
	}
	buf_puts(o, ")\nVARIABLES = {");
	for (int i = 0; i < py->nvars; i++) {
		Shape sh = shape_var_shape(py->s, i);
		buf_printf(o, "%s\"%s\": (\"", i ? ", " : "", py->py[i]);
		dim_print(o, sh.rows);
		buf_puts(o, "\", \"");
		dim_print(o, sh.cols);
		buf_puts(o, "\")");
	}
	buf_puts(o, "}\n");
}

/* --- the functions --- */

static Fn *add_fn(Fn *fns, int *n, const char *name)
{
	Fn *f = &fns[(*n)++];
	f->name = name;
	buf_init(&f->doc);
	buf_init(&f->body);
	return f;
}

/* Longer texts are cut in the docstrings and comments (the code has it all). */
enum { DOC_TEXT = 300 };

/* doc: "TEXT: ROWS x COLS, MEANING." */
static void describe(Buf *doc, const Expr *e, Shape sh, const char *meaning)
{
	Buf t;
	buf_init(&t);
	expr_text(&t, e);
	if (t.len > DOC_TEXT) {
		buf_put(doc, t.s, DOC_TEXT);
		buf_puts(doc, " ...");
	} else {
		buf_puts(doc, buf_str(&t));
	}
	buf_free(&t);
	buf_puts(doc, ": ");
	shape_text(doc, sh);
	buf_printf(doc, ", %s.", meaning);
}

static void step_name(Buf *b, int i, int n)
{
	if (i == n - 1)
		buf_puts(b, "derivative");
	else
		buf_printf(b, "derivative_%d", i + 1);
}

/* value(), the derivatives and the Hessian; the _STEPS the self-check runs
 * go to steps. */
static int functions(Py *py, Fn *fns, Buf *steps)
{
	const Result *r = py->r;
	int n = 0;
	Fn *f = add_fn(fns, &n, "value");
	describe(&f->doc, r->f, r->fshape, "the expression f");
	body(py, f, r->f, r->fshape);
	buf_puts(steps, "_STEPS = (\n");
	const char *pname = "value()";
	int steps_n = r->hessian ? 1 : r->nwrt;
	for (int i = 0; i < steps_n; i++) {
		int v = shape_find_var(py->s, r->wrt[i]);
		Shape sh = r->step_shapes[i];
		const Expr *d = r->steps[i];   /* run.c derived every step once */
		Buf nm;
		buf_init(&nm);
		step_name(&nm, i, steps_n);
		f = add_fn(fns, &n, arena_strndup(py->a, buf_str(&nm), nm.len));
		buf_free(&nm);
		Buf m;
		buf_init(&m);
		buf_printf(&m, "d %s / d %s in the %s layout", i ? pname : "f", py->py[v], layout_name(r->layout));
		describe(&f->doc, d, sh, buf_str(&m));
		buf_free(&m);
		body(py, f, d, sh);
		buf_printf(steps, "    (\"%s\", \"%s\", %s, %s, \"%s\", LAYOUT),\n", f->name, pname,
			   i ? fns[n - 2].name : "value", f->name, py->py[v]);
		Buf pn;
		buf_init(&pn);
		buf_printf(&pn, "%s()", f->name);
		pname = arena_strndup(py->a, buf_str(&pn), pn.len);
		buf_free(&pn);
	}
	if (r->hessian) {
		int v = shape_find_var(py->s, r->wrt[0]);
		Shape xs = shape_var_shape(py->s, v);
		const Expr *mn = dim_mul(py->p, xs.rows, xs.cols);
		Shape sh = { mn, mn };
		f = add_fn(fns, &n, "hessian");
		Buf m;
		buf_init(&m);
		buf_printf(&m, "the Hessian of f over vec(%s), H_ij = d2 f / dx_i dx_j (the same in every layout)", py->py[v]);
		describe(&f->doc, r->result, sh, buf_str(&m));
		buf_free(&m);
		body(py, f, r->result, sh);
		buf_printf(steps, "    (\"hessian\", \"the gradient from derivative()\", _gradient, hessian, "
			   "\"%s\", \"numerator\"),\n", py->py[v]);
	}
	buf_puts(steps, ")\n");
	return n;
}

static const char py_gradient[] =
	"\n\ndef _gradient(**kw):\n"
	"    \"\"\"The gradient (df/dX_ij at (i, j)) from derivative(), as the column vec of it:\n"
	"    hessian() is its Jacobian.\"\"\"\n"
	"    d = _as2d(derivative(**kw))\n"
	"    return (d.T if LAYOUT == \"numerator\" else d).reshape(-1, 1, order=\"F\")\n";

void pyemit_module(Buf *out, const Result *r)
{
	Py py = { .r = r, .p = r->pool, .s = r->shapes, .a = pool_arena(r->pool) };
	py.nvars = shape_var_count(r->shapes);
	py.py = arena_alloc(py.a, (size_t)(py.nvars + 1) * sizeof *py.py);
	py.positive = arena_alloc(py.a, (size_t)(py.nvars + 1) * sizeof *py.positive);
	for (int i = 0; i < py.nvars; i++)
		py.py[i] = fresh_name(&py, shape_var(r->shapes, i)->u.name);
	buf_init(&py.setup);
	Fn *fns = mem_alloc((size_t)(r->nwrt + 3) * sizeof *fns);
	Buf steps;
	buf_init(&steps);
	int nfns = functions(&py, fns, &steps);
	resolve_sizes(&py);
	if (r->f) {
		Map seen;
		map_init(&seen, py.a);
		scan_positive(&py, &seen, r->f, 0);
	}
	header(&py, out, fns, nfns);
	for (int i = 0; i < nfns; i++)
		define(&py, out, &fns[i]);
	buf_puts(out, "\n\n# --- arguments and building blocks ---\n");
	prepare(&py, out);
	buf_puts(out, "\n\n");
	buf_puts(out, py_base);
	for (int h = 0; h < H_COUNT; h++)
		if (py.need & (1u << h)) {
			buf_puts(out, "\n\n");
			buf_puts(out, helper_text[h]);
		}
	for (int f = 0; f < F_COUNT; f++)
		if (py.need_fn & (1u << f)) {
			buf_puts(out, "\n\n");
			buf_puts(out, func_def((FuncId)f)->py_helper);
		}
	buf_puts(out, "\n\n");
	buf_puts(out, py_check);
	if (r->hessian)
		buf_puts(out, py_gradient);
	sample(&py, out);
	buf_puts(out, "\n\n");
	buf_puts(out, buf_str(&steps));
	buf_printf(out, "_COOKBOOK = %s\n", r->cookbook ? "True" : "False");
	buf_puts(out, "_SYMMETRIC = (");   /* declared symmetric: checked along symmetric directions */
	for (int i = 0; i < py.nvars; i++)
		if (shape_symmetric(r->shapes, shape_var(r->shapes, i)))
			buf_printf(out, "\"%s\", ", py.py[i]);
	buf_puts(out, ")\n");
	buf_puts(out, py_main);
	buf_puts(out, "# ---");
	for (int i = 0; i < nfns; i++) {
		buf_free(&fns[i].doc);
		buf_free(&fns[i].body);
	}
	mem_free(fns);
	buf_free(&steps);
	buf_free(&py.setup);
	mem_free(py.syms);
}

void pyemit_error(Buf *out, long line, const char *message)
{
	buf_printf(out, "# mcd: %ld: error: ", line);
	comment_text(out, message, strlen(message));
	buf_puts(out, "\n# ---");
}
