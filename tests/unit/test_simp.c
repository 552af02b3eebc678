/* test_simp.c: the light normalisation, rule by rule (the text after
 * simp_light), and each identity checked exactly on random rational matrices. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "../gen.h"
#include "parse.h"
#include "print.h"
#include "shape.h"
#include "simp.h"
#include "suites.h"

enum { TRIALS = 3, MAX_POWER = 64 };

/* --- an exact evaluator, independent of the library's ---
 * Every dimension symbol has a size from 2 to 4 (so 1x1 means a scalar), and
 * every variable small integer entries drawn from its name and the seed. */

typedef struct {
	unsigned r, c;
	mpq_t *a;            /* row-major */
} Mat;

typedef struct {
	Shapes *s;
	uint64_t seed;
} Env;

typedef int (*Combine)(const Mat *a, const Mat *b, Mat *out);

static int eval(Env *env, const Expr *e, Mat *out);

static void mat_init(Mat *m, unsigned r, unsigned c)
{
	m->r = r;
	m->c = c;
	m->a = malloc((r * c > 0 ? r * c : 1) * sizeof *m->a);
	for (unsigned i = 0; i < r * c; i++)
		mpq_init(m->a[i]);
}

static void mat_free(Mat *m)
{
	for (unsigned i = 0; i < m->r * m->c; i++)
		mpq_clear(m->a[i]);
	free(m->a);
}

static mpq_ptr at(const Mat *m, unsigned i, unsigned j)
{
	return m->a[i * m->c + j];
}

static int mat_equal(const Mat *a, const Mat *b)
{
	if (a->r != b->r || a->c != b->c)
		return 0;
	for (unsigned i = 0; i < a->r * a->c; i++)
		if (!mpq_equal(a->a[i], b->a[i]))
			return 0;
	return 1;
}

static uint64_t mix(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
	return z ^ (z >> 31);
}

static uint64_t hash_name(const char *s)
{
	uint64_t h = 1469598103934665603u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211u;
	return h;
}

static unsigned dim_value(const Expr *d)
{
	unsigned v = 1;
	for (unsigned i = 0; i < d->nargs; i++) {
		const Expr *f = d->args[i];
		v *= f->kind == E_NUM ? (unsigned)mpz_get_ui(mpq_numref(f->u.num))
				      : 2 + (unsigned)(hash_name(f->u.name) % 3);
	}
	return v;
}

static void variable(Env *env, const Expr *e, Mat *out)
{
	Shape sh = shape_of(env->s, e);
	int sym = shape_symmetric(env->s, e);
	mat_init(out, dim_value(sh.rows), dim_value(sh.cols));
	for (unsigned i = 0; i < out->r; i++)
		for (unsigned j = 0; j < out->c; j++) {
			unsigned a = sym && i > j ? j : i, b = sym && i > j ? i : j;
			uint64_t h = mix(env->seed ^ hash_name(e->u.name) ^ (a * 1000003u + b));
			mpq_set_si(at(out, i, j), (long)(h % 7) - 3, 1);
		}
}

static void identity(Mat *out, unsigned n)
{
	mat_init(out, n, n);
	for (unsigned i = 0; i < n; i++)
		mpq_set_ui(at(out, i, i), 1, 1);
}

/* K_{m,n} vec(A) = vec(A^T) for m x n A, vec column-major. */
static void commutation(Mat *out, unsigned m, unsigned n)
{
	mat_init(out, m * n, m * n);
	for (unsigned i = 0; i < m; i++)
		for (unsigned j = 0; j < n; j++)
			mpq_set_ui(at(out, j + i * n, i + j * m), 1, 1);
}

static void scale(const Mat *m, mpq_srcptr s, Mat *out)
{
	mat_init(out, m->r, m->c);
	for (unsigned i = 0; i < m->r * m->c; i++)
		mpq_mul(out->a[i], m->a[i], s);
}

static int add(const Mat *a, const Mat *b, Mat *out)
{
	if (a->r != b->r || a->c != b->c)
		return 0;
	mat_init(out, a->r, a->c);
	for (unsigned i = 0; i < a->r * a->c; i++)
		mpq_add(out->a[i], a->a[i], b->a[i]);
	return 1;
}

/* A product; a 1x1 factor scales. */
static int mul(const Mat *a, const Mat *b, Mat *out)
{
	mpq_t t;
	if (a->r == 1 && a->c == 1)
		scale(b, a->a[0], out);
	else if (b->r == 1 && b->c == 1)
		scale(a, b->a[0], out);
	else if (a->c != b->r)
		return 0;
	else {
		mat_init(out, a->r, b->c);
		mpq_init(t);
		for (unsigned i = 0; i < a->r; i++)
			for (unsigned j = 0; j < b->c; j++)
				for (unsigned k = 0; k < a->c; k++) {
					mpq_mul(t, at(a, i, k), at(b, k, j));
					mpq_add(at(out, i, j), at(out, i, j), t);
				}
		mpq_clear(t);
	}
	return 1;
}

static int divide(const Mat *a, const Mat *b, Mat *out)
{
	if (b->r != 1 || b->c != 1 || mpq_sgn(b->a[0]) == 0)
		return 0;
	mpq_t q;
	mpq_init(q);
	mpq_inv(q, b->a[0]);
	scale(a, q, out);
	mpq_clear(q);
	return 1;
}

static int hadamard(const Mat *a, const Mat *b, Mat *out)
{
	if (a->r != b->r || a->c != b->c)
		return 0;
	mat_init(out, a->r, a->c);
	for (unsigned i = 0; i < a->r * a->c; i++)
		mpq_mul(out->a[i], a->a[i], b->a[i]);
	return 1;
}

static int hdivide(const Mat *a, const Mat *b, Mat *out)
{
	if (a->r != b->r || a->c != b->c)
		return 0;
	for (unsigned i = 0; i < a->r * a->c; i++)
		if (mpq_sgn(b->a[i]) == 0)
			return 0;
	mat_init(out, a->r, a->c);
	for (unsigned i = 0; i < a->r * a->c; i++)
		mpq_div(out->a[i], a->a[i], b->a[i]);
	return 1;
}

static int kronecker(const Mat *a, const Mat *b, Mat *out)
{
	mat_init(out, a->r * b->r, a->c * b->c);
	for (unsigned i = 0; i < a->r * b->r; i++)
		for (unsigned j = 0; j < a->c * b->c; j++)
			mpq_mul(at(out, i, j), at(a, i / b->r, j / b->c), at(b, i % b->r, j % b->c));
	return 1;
}

static void transpose(const Mat *a, Mat *out)
{
	mat_init(out, a->c, a->r);
	for (unsigned i = 0; i < a->r; i++)
		for (unsigned j = 0; j < a->c; j++)
			mpq_set(at(out, j, i), at(a, i, j));
}

static void swap_rows(Mat *m, unsigned a, unsigned b)
{
	for (unsigned j = 0; m && a != b && j < m->c; j++)
		mpq_swap(at(m, a, j), at(m, b, j));
}

static void scale_row(Mat *m, unsigned k, mpq_srcptr f)
{
	for (unsigned j = 0; m && j < m->c; j++)
		mpq_mul(at(m, k, j), at(m, k, j), f);
}

/* row i -= f * row k */
static void subtract_row(Mat *m, unsigned i, unsigned k, mpq_srcptr f)
{
	mpq_t t;
	mpq_init(t);
	for (unsigned j = 0; m && j < m->c; j++) {
		mpq_mul(t, f, at(m, k, j));
		mpq_sub(at(m, i, j), at(m, i, j), t);
	}
	mpq_clear(t);
}

/* Gauss-Jordan on the square w (destroyed), applying the same row operations
 * to aug if given; det gets the determinant.  0 if w is singular. */
static int gauss(Mat *w, Mat *aug, mpq_t det)
{
	mpq_t f;
	mpq_init(f);
	mpq_set_ui(det, 1, 1);
	for (unsigned k = 0; k < w->r; k++) {
		unsigned p = k;
		while (p < w->r && mpq_sgn(at(w, p, k)) == 0)
			p++;
		if (p == w->r) {
			mpq_set_ui(det, 0, 1);
			mpq_clear(f);
			return 0;
		}
		swap_rows(w, p, k);
		swap_rows(aug, p, k);
		if (p != k)
			mpq_neg(det, det);
		mpq_mul(det, det, at(w, k, k));
		mpq_inv(f, at(w, k, k));
		scale_row(w, k, f);
		scale_row(aug, k, f);
		for (unsigned i = 0; i < w->r; i++) {
			if (i == k)
				continue;
			mpq_set(f, at(w, i, k));
			subtract_row(w, i, k, f);
			subtract_row(aug, i, k, f);
		}
	}
	mpq_clear(f);
	return 1;
}

static void copy(const Mat *a, Mat *out)
{
	mat_init(out, a->r, a->c);
	for (unsigned i = 0; i < a->r * a->c; i++)
		mpq_set(out->a[i], a->a[i]);
}

static int inverse(const Mat *a, Mat *out)
{
	if (a->r != a->c)
		return 0;
	Mat w;
	mpq_t det;
	mpq_init(det);
	copy(a, &w);
	identity(out, a->r);
	int ok = gauss(&w, out, det);
	if (!ok)
		mat_free(out);
	mat_free(&w);
	mpq_clear(det);
	return ok;
}

static int determinant(const Mat *a, Mat *out)
{
	if (a->r != a->c)
		return 0;
	Mat w;
	copy(a, &w);
	mat_init(out, 1, 1);
	gauss(&w, NULL, out->a[0]);
	mat_free(&w);
	return 1;
}

/* The integer k of a 1x1 value, if it is one of at most MAX_POWER. */
static int small_integer(const Mat *k, long *out)
{
	if (k->r != 1 || k->c != 1 || mpz_cmp_ui(mpq_denref(k->a[0]), 1) != 0 ||
	    mpz_cmpabs_ui(mpq_numref(k->a[0]), MAX_POWER) > 0)
		return 0;
	*out = mpz_get_si(mpq_numref(k->a[0]));
	return 1;
}

static int elementwise_power(const Mat *a, long n, Mat *out)
{
	for (unsigned i = 0; i < a->r * a->c; i++)
		if (n < 0 && mpq_sgn(a->a[i]) == 0)
			return 0;
	mat_init(out, a->r, a->c);
	for (unsigned i = 0; i < a->r * a->c; i++) {
		mpz_pow_ui(mpq_numref(out->a[i]), mpq_numref(a->a[i]), (unsigned long)labs(n));
		mpz_pow_ui(mpq_denref(out->a[i]), mpq_denref(a->a[i]), (unsigned long)labs(n));
		if (n < 0)
			mpq_inv(out->a[i], out->a[i]);
	}
	return 1;
}

static int matrix_power(const Mat *a, long n, Mat *out)
{
	Mat base, t;
	if (a->r != a->c)
		return 0;
	if (n >= 0)
		copy(a, &base);
	else if (!inverse(a, &base))
		return 0;
	identity(out, a->r);
	for (long i = 0; i < labs(n); i++) {
		mul(out, &base, &t);
		mat_free(out);
		*out = t;
	}
	mat_free(&base);
	return 1;
}

static int function(FuncId fn, const Mat *a, Mat *out)
{
	unsigned n = a->r * a->c;
	switch (fn) {
	case F_TR:
		if (a->r != a->c)
			return 0;
		mat_init(out, 1, 1);
		for (unsigned i = 0; i < a->r; i++)
			mpq_add(out->a[0], out->a[0], at(a, i, i));
		return 1;
	case F_SUM:
		mat_init(out, 1, 1);
		for (unsigned i = 0; i < n; i++)
			mpq_add(out->a[0], out->a[0], a->a[i]);
		return 1;
	case F_VEC:
		mat_init(out, n, 1);
		for (unsigned i = 0; i < a->r; i++)
			for (unsigned j = 0; j < a->c; j++)
				mpq_set(out->a[i + j * a->r], at(a, i, j));
		return 1;
	case F_DIAG:
		if (a->c == 1) {
			mat_init(out, a->r, a->r);
			for (unsigned i = 0; i < a->r; i++)
				mpq_set(at(out, i, i), a->a[i]);
			return 1;
		}
		if (a->r != a->c)
			return 0;
		mat_init(out, a->r, 1);
		for (unsigned i = 0; i < a->r; i++)
			mpq_set(out->a[i], at(a, i, i));
		return 1;
	case F_DET:
		return determinant(a, out);
	case F_LOGDET: case F_NORM: case F_EXP: case F_LOG: case F_SIN: case F_COS:
	case F_TANH: case F_SIGMOID: case F_SQRT: case F_ABS: case F_RELU:
		return 0;
	}
	return 0;
}

/* The operands of e combined from the left with f. */
static int fold(Env *env, const Expr *e, Combine f, Mat *out)
{
	if (!eval(env, e->args[0], out))
		return 0;
	for (unsigned i = 1; i < e->nargs; i++) {
		Mat b, r;
		if (!eval(env, e->args[i], &b)) {
			mat_free(out);
			return 0;
		}
		int ok = f(out, &b, &r);
		mat_free(&b);
		mat_free(out);
		if (!ok)
			return 0;
		*out = r;
	}
	return 1;
}

/* A unary operator or a function of the value of e's operand. */
static int unary(Env *env, const Expr *e, Mat *out)
{
	Mat a;
	mpq_t minus_one;
	if (!eval(env, e->args[0], &a))
		return 0;
	int ok = 1;
	if (e->kind == E_NEG) {
		mpq_init(minus_one);
		mpq_set_si(minus_one, -1, 1);
		scale(&a, minus_one, out);
		mpq_clear(minus_one);
	} else if (e->kind == E_TRANS)
		transpose(&a, out);
	else if (e->kind == E_INV)
		ok = inverse(&a, out);
	else
		ok = function(e->fn, &a, out);
	mat_free(&a);
	return ok;
}

static int powers(Env *env, const Expr *e, Mat *out)
{
	Mat a, k;
	if (!eval(env, e->args[0], &a))
		return 0;
	if (!eval(env, e->args[1], &k)) {
		mat_free(&a);
		return 0;
	}
	long n;
	int ok = small_integer(&k, &n) &&
		 (e->kind == E_EPOW ? elementwise_power(&a, n, out) : matrix_power(&a, n, out));
	mat_free(&a);
	mat_free(&k);
	return ok;
}

/* 1 when e has a value (written to out), 0 when it is not rational (exp,
 * fractional powers), not defined (a singular inverse), or not sized. */
static int eval(Env *env, const Expr *e, Mat *out)
{
	switch (e->kind) {
	case E_NUM:
		mat_init(out, 1, 1);
		mpq_set(out->a[0], e->u.num);
		return 1;
	case E_VAR:
		variable(env, e, out);
		return 1;
	case E_IDENT:
		if (e->nargs)
			identity(out, dim_value(e->args[0]));
		return e->nargs > 0;
	case E_ONES:
		if (!e->nargs)
			return 0;
		mat_init(out, dim_value(e->args[0]), 1);
		for (unsigned i = 0; i < out->r; i++)
			mpq_set_ui(out->a[i], 1, 1);
		return 1;
	case E_COMM:
		commutation(out, dim_value(e->args[0]), dim_value(e->args[1]));
		return 1;
	case E_DSYM: case E_DIM:
		return 0;
	case E_ADD: return fold(env, e, add, out);
	case E_MUL: return fold(env, e, mul, out);
	case E_DIV: return fold(env, e, divide, out);
	case E_HAD: return fold(env, e, hadamard, out);
	case E_HDIV: return fold(env, e, hdivide, out);
	case E_KRON: return fold(env, e, kronecker, out);
	case E_NEG: case E_TRANS: case E_INV: case E_FUNC:
		return unary(env, e, out);
	case E_POW: case E_EPOW:
		return powers(env, e, out);
	}
	return 0;
}

/* --- running a case: parse, infer shapes, elaborate, normalise --- */

typedef struct {
	Pool *p;
	Shapes *s;
	const Expr *in, *out;
	Buf text;            /* the normalised expression, printed */
	Buf err;
} Run;

static Decl *declare(const char *const *names)
{
	Decl *all = NULL, **tail = &all;
	for (; names && *names; names++) {
		Buf err;
		buf_init(&err);
		*tail = decl_parse(*names, &err);
		ck_assert_msg(*tail != NULL, "declaration %s: %s", *names, buf_str(&err));
		tail = &(*tail)->next;
		buf_free(&err);
	}
	return all;
}

/* 1 if src went through; else r->err says why. */
static int run(Run *r, const char *src, const Decl *decls)
{
	Diag dg;
	r->p = pool_new();
	r->s = NULL;
	buf_init(&r->text);
	buf_init(&r->err);
	diag_init(&dg, src, strlen(src), 1);
	Ast *a = parse_expr(r->p, src, strlen(src), &dg);
	if (a)
		r->s = shape_infer(r->p, a, decls, &dg);
	if (r->s) {
		r->in = shape_elaborate(r->s, a);
		r->out = simp_light(r->p, r->s, r->in);
		print_text(&r->text, r->out);
	}
	buf_puts(&r->err, buf_str(&dg.text));
	diag_free(&dg);
	return r->s != NULL;
}

static void run_free(Run *r)
{
	buf_free(&r->text);
	buf_free(&r->err);
	pool_free(r->p);
}

/* Evaluates both sides on TRIALS seeds: -1 if they differ on one, else the
 * number of seeds on which both have a value. */
static int compare(Run *r)
{
	int both = 0;
	for (uint64_t seed = 1; seed <= TRIALS; seed++) {
		Env env = { r->s, seed * 0x9e3779b97f4a7c15u };
		Mat a, b;
		int oka = eval(&env, r->in, &a), okb = eval(&env, r->out, &b);
		int differ = oka && okb && !mat_equal(&a, &b);
		if (oka)
			mat_free(&a);
		if (okb)
			mat_free(&b);
		if (differ || (oka && !okb))
			return -1;
		both += oka && okb;
	}
	return both;
}

/* --- the cases --- */

static const char *const symmetric_s[] = { "S:symmetric", NULL };

static const struct {
	const char *in, *out;
	int numeric;                     /* check the identity on values too */
	const char *const *decls;
} cases[] = {
	/* numbers, exactly */
	{ "2 + 3", "5", 1, NULL },
	{ "2 + x^T y + 3", "5 + x^T y", 1, NULL },
	{ "1 + 2 - 3 + alpha", "alpha", 1, NULL },
	{ "1 - 1", "0", 1, NULL },
	{ "2 A 3", "6 A", 1, NULL },
	{ "A 2 B (1/2)", "A B", 1, NULL },
	{ "1 A", "A", 1, NULL },
	{ "x^T (1 y)", "x^T y", 1, NULL },
	{ "2 3", "6", 1, NULL },
	{ "alpha 2 beta", "2 alpha beta", 1, NULL },
	{ "-(2)", "-2", 1, NULL },
	{ "(2 + 4) / (1 + 3)", "3/2", 1, NULL },
	{ "alpha / (1 - 1)", "alpha / 0", 0, NULL },
	{ "2^10", "1024", 1, NULL },
	{ "2^-2", "1/4", 1, NULL },
	{ "(2/3)^3", "8/27", 1, NULL },
	{ "4^(1/2)", "2", 0, NULL },
	{ "(4/9)^(3/2)", "8/27", 0, NULL },
	{ "8^(-2/3)", "1/4", 0, NULL },
	{ "0^(1/2)", "0", 0, NULL },
	{ "2^(1/2)", "2^(1/2)", 0, NULL },
	{ "(-8)^(1/3)", "(-8)^(1/3)", 0, NULL },
	{ "0^-1", "0^-1", 0, NULL },
	{ "0^-2", "0^-2", 0, NULL },
	{ "(2 - 2)^-1", "0^-1", 0, NULL },
	{ "2^100000000", "2^100000000", 0, NULL },
	{ "1^100000000000", "1", 0, NULL },
	{ "(-1)^100000000001", "-1", 0, NULL },
	{ "2 .^ 3", "8", 1, NULL },
	{ "(2 + 1)^T", "3", 1, NULL },
	{ "(1/2)^-1", "2", 1, NULL },
	{ "inv(1 + 3)", "1/4", 1, NULL },
	/* transposes */
	{ "(A B)^T", "B^T A^T", 1, NULL },
	{ "(A B C)^T", "C^T B^T A^T", 1, NULL },
	{ "(A^T)^T", "A", 1, NULL },
	{ "((A B)^T)^T", "A B", 1, NULL },
	{ "(2 A)^T", "2 A^T", 1, NULL },
	{ "(alpha A x)^T", "alpha x^T A^T", 1, NULL },
	{ "(A alpha B)^T", "alpha B^T A^T", 1, NULL },
	{ "(x^T A)^T", "A^T x", 1, NULL },
	{ "(A x y^T)^T", "y x^T A^T", 1, NULL },
	{ "(x^T y A)^T", "x^T y A^T", 1, NULL },
	{ "(x^T y A B)^T", "x^T y B^T A^T", 1, NULL },
	{ "((A B)^T C)^T", "C^T (A B)", 1, NULL },
	{ "alpha^T", "alpha", 1, NULL },
	{ "(x^T y)^T", "x^T y", 1, NULL },
	{ "(x^T A y)^T", "x^T A y", 1, NULL },
	{ "S^T", "S", 1, symmetric_s },
	{ "(S A)^T", "A^T S", 1, symmetric_s },
	{ "S^T", "S^T", 1, NULL },
	{ "X^-T", "X^-T", 1, NULL },
	{ "(A B)^T + B^T A^T", "B^T A^T + B^T A^T", 1, NULL },
	/* identities */
	{ "A I", "A", 1, NULL },
	{ "I A", "A", 1, NULL },
	{ "x^T I y", "x^T y", 1, NULL },
	{ "I_n x", "x", 1, NULL },
	{ "A I_n", "A", 1, NULL },
	{ "I_3 A", "A", 1, NULL },
	{ "2 I_n", "2 I_n", 1, NULL },
	{ "alpha I_n A", "alpha A", 1, NULL },
	{ "x^T y I_n", "x^T y I_n", 1, NULL },
	{ "(A B I_n)^T", "B^T A^T", 1, NULL },
	{ "I_m A I_n I_n", "A", 1, NULL },
	{ "I_n I_n", "I_n", 1, NULL },
	{ "x^T y I_n I_n", "x^T y I_n", 1, NULL },
	{ "x^T I_n y I_m", "x^T y I_m", 1, NULL },
	/* zeros */
	{ "alpha + 0", "alpha", 1, NULL },
	{ "0 + alpha", "alpha", 1, NULL },
	{ "A + 0 B", "A", 1, NULL },
	{ "0 A + B", "B", 1, NULL },
	{ "0 A + 0 B", "0 A", 1, NULL },
	{ "alpha + 0 x^T y", "alpha", 1, NULL },
	{ "x^T y 0", "0", 1, NULL },
	{ "0 A", "0 A", 1, NULL },
	{ "A + B 0", "A", 1, NULL },
	/* negations */
	{ "-(-x)", "x", 1, NULL },
	{ "-(-(-x))", "-x", 1, NULL },
	{ "A - (-B)", "A + B", 1, NULL },
	/* what the light pass leaves alone */
	{ "alpha - alpha", "alpha - alpha", 1, NULL },
	{ "(A + B)^T", "(A + B)^T", 1, NULL },
	{ "exp(x)", "exp(x)", 0, NULL },
};

START_TEST(test_case)
{
	Decl *decls = declare(cases[_i].decls);
	Run r;
	ck_assert_msg(run(&r, cases[_i].in, decls), "%s: %s", cases[_i].in, buf_str(&r.err));
	ck_assert_msg(strcmp(buf_str(&r.text), cases[_i].out) == 0, "%s became \"%s\", expected \"%s\"",
		      cases[_i].in, buf_str(&r.text), cases[_i].out);
	ck_assert_msg(simp_light(r.p, r.s, r.out) == r.out, "%s: not a fixpoint", cases[_i].in);
	if (cases[_i].numeric) {
		int both = compare(&r);
		ck_assert_msg(both != -1, "%s and %s differ in value", cases[_i].in, cases[_i].out);
		ck_assert_msg(both > 0, "%s: no value to compare", cases[_i].in);
	}
	run_free(&r);
	decl_free_all(decls);
}
END_TEST

/* On random well-shaped expressions, simp_light keeps the value and is a
 * fixpoint. */
START_TEST(random_expressions_keep_their_value)
{
	Decl *decls = declare(gen_names);
	GenRng rng;
	int compared = 0;
	gen_seed(&rng, 7);
	for (int i = 0; i < 400; i++) {
		Pool *p = pool_new();
		Buf src;
		buf_init(&src);
		print_text(&src, gen_expr(p, &rng, 3));
		pool_free(p);
		Run r;
		ck_assert_msg(run(&r, buf_str(&src), decls), "%s: %s", buf_str(&src), buf_str(&r.err));
		ck_assert_msg(simp_light(r.p, r.s, r.out) == r.out, "%s: not a fixpoint", buf_str(&src));
		int both = compare(&r);
		ck_assert_msg(both != -1, "%s and %s differ in value", buf_str(&src), buf_str(&r.text));
		compared += both > 0;
		run_free(&r);
		buf_free(&src);
	}
	ck_assert_int_gt(compared, 100);
	decl_free_all(decls);
}
END_TEST

Suite *simp_suite(void)
{
	Suite *s = suite_create("simp");
	TCase *tc = tcase_create("light");
	tcase_add_loop_test(tc, test_case, 0, (int)(sizeof cases / sizeof cases[0]));
	tcase_add_test(tc, random_expressions_keep_their_value);
	suite_add_tcase(s, tc);
	return s;
}
