/* test_eval.c: the evaluators on known matrices and identities, and the
 * derivative check: it must accept right derivatives and reject wrong ones. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "eval.h"
#include "parse.h"
#include "shape.h"
#include "helpers.h"
#include "suites.h"

/* srcs: up to 4 expressions, NULL-terminated, sharing one Shapes (see
 * parse_together); a test fails when they do not parse. */
static void parse_all(Parsed *ps, const char *decls, const char *const *srcs)
{
	Buf err;
	buf_init(&err);
	ck_assert_msg(parse_together(ps, test_decls(decls), srcs, &err), "%s", buf_str(&err));
	buf_free(&err);
}

static void parsed_free(Parsed *ps)
{
	pool_free(ps->p);
	decl_free_all((Decl *)ps->decls);
}

static const Expr *var(Parsed *ps, const char *name)
{
	int i = shape_find_var(ps->s, name);
	ck_assert_msg(i >= 0, "no variable %s", name);
	return shape_var(ps->s, i);
}

static Instance *instance(Parsed *ps, uint64_t seed)
{
	return inst_random(ps->p, ps->s, ps->e, ps->n, seed);
}

/* Asserts m is rows x cols with the given entries, column-major. */
static void assert_qmat(const QMat *m, unsigned rows, unsigned cols, const char *const *want)
{
	mpq_t q;
	mpq_init(q);
	ck_assert_uint_eq(m->rows, rows);
	ck_assert_uint_eq(m->cols, cols);
	for (size_t i = 0; i < (size_t)rows * cols; i++) {
		mpq_set_str(q, want[i], 10);
		mpq_canonicalize(q);
		ck_assert_msg(mpq_equal(q, m->a[i]), "entry %zu: want %s", i, want[i]);
	}
	mpq_clear(q);
}

static int qmat_equal(const QMat *a, const QMat *b)
{
	if (a->rows != b->rows || a->cols != b->cols)
		return 0;
	for (size_t i = 0; i < (size_t)a->rows * a->cols; i++)
		if (!mpq_equal(a->a[i], b->a[i]))
			return 0;
	return 1;
}

static EvalStatus value_of(Instance *in, const Expr *e, QMat *val)
{
	return eval_exact(in, e, NULL, NULL, val, NULL);
}

/* --- the exact evaluator on known values --- */

START_TEST(det_and_inverse_of_known_matrices)
{
	/* M = 2 I + 1 1^T: det = 2^2 (2 + 3), M^-1 = (I - 1 1^T / 5) / 2;
	 * P = I + 2 K_{2,2}, K swapping entries 2 and 3 (K^2 = I): det = 3^3 (1 - 4),
	 * P^-1 = (2 K - I) / 3 */
	const char *srcs[] = { "det(2 I_3 + ones_3 ones_3^T)", "inv(2 I_3 + ones_3 ones_3^T)",
			       "det(I_4 + 2 K_{2,2})", "inv(I_4 + 2 K_{2,2})", NULL };
	Parsed ps;
	parse_all(&ps, "", srcs);
	Instance *in = instance(&ps, 1);
	QMat v;
	ck_assert_int_eq(value_of(in, ps.e[0], &v), EVAL_OK);
	assert_qmat(&v, 1, 1, (const char *[]){ "20" });
	qmat_free(&v);
	ck_assert_int_eq(value_of(in, ps.e[1], &v), EVAL_OK);
	assert_qmat(&v, 3, 3, (const char *[]){ "2/5", "-1/10", "-1/10", "-1/10", "2/5", "-1/10",
						 "-1/10", "-1/10", "2/5" });
	qmat_free(&v);
	ck_assert_int_eq(value_of(in, ps.e[2], &v), EVAL_OK);
	assert_qmat(&v, 1, 1, (const char *[]){ "-27" });
	qmat_free(&v);
	ck_assert_int_eq(value_of(in, ps.e[3], &v), EVAL_OK);
	assert_qmat(&v, 4, 4, (const char *[]){ "1/3", "0", "0", "0", "0", "-1/3", "2/3", "0",
						 "0", "2/3", "-1/3", "0", "0", "0", "0", "1/3" });
	qmat_free(&v);
	inst_free(in);
	parsed_free(&ps);
}
END_TEST

/* det of a random 3 x 3 against the rule of Sarrus, and A^-1 A = I. */
START_TEST(det_and_inverse_of_random_matrices)
{
	const char *srcs[] = { "det(A)", "inv(A) A", "A", "det(A) det(A^-1)", NULL };
	Parsed ps;
	parse_all(&ps, "A:matrix(3,3)", srcs);
	for (uint64_t seed = 1; seed <= 20; seed++) {
		Instance *in = instance(&ps, seed);
		QMat det, id, a, one;
		ck_assert_int_eq(value_of(in, ps.e[0], &det), EVAL_OK);
		ck_assert_int_eq(value_of(in, ps.e[1], &id), EVAL_OK);
		ck_assert_int_eq(value_of(in, ps.e[2], &a), EVAL_OK);
		ck_assert_int_eq(value_of(in, ps.e[3], &one), EVAL_OK);
		assert_qmat(&id, 3, 3, (const char *[]){ "1", "0", "0", "0", "1", "0", "0", "0", "1" });
		assert_qmat(&one, 1, 1, (const char *[]){ "1" });
		mpq_t s, t;
		mpq_inits(s, t, NULL);
		for (int k = 0; k < 6; k++) {   /* the 3 even and 3 odd permutations */
			static const int perm[6][3] = { { 0, 1, 2 }, { 1, 2, 0 }, { 2, 0, 1 },
							{ 0, 2, 1 }, { 1, 0, 2 }, { 2, 1, 0 } };
			mpq_set_ui(t, 1, 1);
			for (int i = 0; i < 3; i++)
				mpq_mul(t, t, a.a[i + 3 * perm[k][i]]);
			if (k < 3)
				mpq_add(s, s, t);
			else
				mpq_sub(s, s, t);
		}
		ck_assert(mpq_equal(s, det.a[0]));
		ck_assert_int_gt(mpq_sgn(s), 0);   /* square variables are dominant */
		mpq_clears(s, t, NULL);
		qmat_free(&det);
		qmat_free(&id);
		qmat_free(&a);
		qmat_free(&one);
		inst_free(in);
	}
	parsed_free(&ps);
}
END_TEST

START_TEST(commutation_matrix_transposes_vec)
{
	const char *srcs[] = { "K_{m,n} vec(A) - vec(A^T)", "K_{m,n}", NULL };
	Parsed ps;
	parse_all(&ps, "A:matrix(m,n)", srcs);
	for (uint64_t seed = 1; seed <= 20; seed++) {
		Instance *in = instance(&ps, seed);
		unsigned m = inst_dim(in, dim_sym(ps.p, "m")), n = inst_dim(in, dim_sym(ps.p, "n"));
		QMat z, k;
		ck_assert_int_eq(value_of(in, ps.e[0], &z), EVAL_OK);
		ck_assert_int_eq(value_of(in, ps.e[1], &k), EVAL_OK);
		ck_assert_uint_eq(z.rows, m * n);
		ck_assert_uint_eq(k.rows, m * n);
		for (unsigned i = 0; i < z.rows; i++)
			ck_assert_int_eq(mpq_sgn(z.a[i]), 0);
		qmat_free(&z);
		qmat_free(&k);
		inst_free(in);
	}
	parsed_free(&ps);
}
END_TEST

START_TEST(kronecker_product_sizes_and_entries)
{
	const char *srcs[] = { "kron(A, B)", "A", "B", NULL };
	Parsed ps;
	parse_all(&ps, "A:matrix(2,3);B:matrix(4,5)", srcs);
	Instance *in = instance(&ps, 7);
	QMat k, a, b;
	mpq_t t;
	mpq_init(t);
	ck_assert_int_eq(value_of(in, ps.e[0], &k), EVAL_OK);
	ck_assert_int_eq(value_of(in, ps.e[1], &a), EVAL_OK);
	ck_assert_int_eq(value_of(in, ps.e[2], &b), EVAL_OK);
	ck_assert_uint_eq(k.rows, 8);
	ck_assert_uint_eq(k.cols, 15);
	for (unsigned i = 0; i < 2; i++)
		for (unsigned j = 0; j < 3; j++)
			for (unsigned r = 0; r < 4; r++)
				for (unsigned c = 0; c < 5; c++) {
					mpq_mul(t, a.a[i + 2 * j], b.a[r + 4 * c]);
					ck_assert(mpq_equal(t, k.a[(4 * i + r) + 8 * (5 * j + c)]));
				}
	mpq_clear(t);
	qmat_free(&k);
	qmat_free(&a);
	qmat_free(&b);
	inst_free(in);
	parsed_free(&ps);
}
END_TEST

/* The dual numbers: d(x^T A x)[V] = V^T A x + x^T A V, with V the value of
 * another variable v of x's shape. */
START_TEST(directional_derivative_of_a_quadratic_form)
{
	const char *srcs[] = { "x^T A x", "v^T A x + x^T A v", "v", NULL };
	Parsed ps;
	parse_all(&ps, "v:vector(m);x:vector(m)", srcs);
	for (uint64_t seed = 1; seed <= 20; seed++) {
		Instance *in = instance(&ps, seed);
		QMat dir, f, df, want;
		ck_assert_int_eq(value_of(in, ps.e[2], &dir), EVAL_OK);
		ck_assert_int_eq(eval_exact(in, ps.e[0], var(&ps, "x"), &dir, &f, &df), EVAL_OK);
		ck_assert_int_eq(value_of(in, ps.e[1], &want), EVAL_OK);
		ck_assert(qmat_equal(&df, &want));
		qmat_free(&dir);
		qmat_free(&f);
		qmat_free(&df);
		qmat_free(&want);
		inst_free(in);
	}
	parsed_free(&ps);
}
END_TEST

/* d det X at a singular X, where the rule det X tr(X^-1 dX) cannot be used:
 * det(diag(x)) = x1 x2 changes by v1 x2 + x1 v2 along v, also when x1 = 0. */
START_TEST(derivative_of_a_singular_determinant)
{
	const char *srcs[] = { "det(diag(x))", "v^T (ones_2 ones_2^T - I_2) x", "v", NULL };
	Parsed ps;
	int singular = 0;
	parse_all(&ps, "x:vector(2);v:vector(2)", srcs);
	for (uint64_t seed = 1; seed <= 100; seed++) {
		Instance *in = instance(&ps, seed);
		QMat dir, f, df, want;
		ck_assert_int_eq(value_of(in, ps.e[2], &dir), EVAL_OK);
		ck_assert_int_eq(eval_exact(in, ps.e[0], var(&ps, "x"), &dir, &f, &df), EVAL_OK);
		ck_assert_int_eq(value_of(in, ps.e[1], &want), EVAL_OK);
		ck_assert(qmat_equal(&df, &want));
		singular += mpq_sgn(f.a[0]) == 0 && mpq_sgn(df.a[0]) != 0;
		qmat_free(&dir);
		qmat_free(&f);
		qmat_free(&df);
		qmat_free(&want);
		inst_free(in);
	}
	ck_assert_int_gt(singular, 0);
	parsed_free(&ps);
}
END_TEST

/* Exact results equal the double ones; what is not rational says so. */
START_TEST(exact_and_double_agree)
{
	const char *srcs[] = { "tr(A^-2 B) + det(A) - sum(diag(A) .^ 3 ./ diag(B))", "logdet(A)",
			       "exp(tr(A))", "x .^ (1/2)", NULL };
	Parsed ps;
	parse_all(&ps, "x:scalar", srcs);
	for (uint64_t seed = 1; seed <= 20; seed++) {
		Instance *in = instance(&ps, seed);
		QMat q;
		DMat d;
		EvalStatus st = value_of(in, ps.e[0], &q);
		if (st == EVAL_OK) {   /* diag(B) may have a zero */
			ck_assert_int_eq(eval_double(in, ps.e[0], NULL, NULL, 0, &d), EVAL_OK);
			ck_assert_double_eq_tol(d.a[0], mpq_get_d(q.a[0]), 1e-9 * (1 + fabs(d.a[0])));
			dmat_free(&d);
		} else {
			ck_assert_int_eq(st, EVAL_DOMAIN);
		}
		qmat_free(&q);
		ck_assert_int_eq(value_of(in, ps.e[1], &q), EVAL_NOT_RATIONAL);
		ck_assert_int_eq(value_of(in, ps.e[2], &q), EVAL_NOT_RATIONAL);
		ck_assert_int_eq(value_of(in, ps.e[3], &q), EVAL_NOT_RATIONAL);
		ck_assert_int_eq(eval_double(in, ps.e[1], NULL, NULL, 0, &d), EVAL_OK);
		dmat_free(&d);
		inst_free(in);
	}
	parsed_free(&ps);
}
END_TEST

START_TEST(domain_errors)
{
	const char *srcs[] = { "abs(x - x)", "inv(x x^T)", "log(-(x^T x))", "kron(A, B, C)", NULL };
	Parsed ps;
	parse_all(&ps, "x:vector(3);A:matrix(16,16);B:matrix(16,16);C:matrix(2,2)", srcs);
	Instance *in = instance(&ps, 3);
	QMat q;
	DMat d;
	ck_assert_int_eq(value_of(in, ps.e[0], &q), EVAL_DOMAIN);   /* the kink of abs */
	ck_assert_int_eq(value_of(in, ps.e[1], &q), EVAL_DOMAIN);   /* rank one */
	ck_assert_int_eq(eval_double(in, ps.e[1], NULL, NULL, 0, &d), EVAL_DOMAIN);
	ck_assert_int_eq(eval_double(in, ps.e[2], NULL, NULL, 0, &d), EVAL_DOMAIN);
	ck_assert_int_eq(value_of(in, ps.e[3], &q), EVAL_DOMAIN);   /* 256 x 256 already: too big */
	ck_assert_int_eq(eval_double(in, ps.e[3], NULL, NULL, 0, &d), EVAL_DOMAIN);
	inst_free(in);
	parsed_free(&ps);
}
END_TEST

/* Operands whose sizes do not fit are EVAL_SHAPE, not a domain error: the
 * check must not redraw an ill-shaped derivative until a size happens to
 * make it fit (an engine bug printed (a^T x) U's derivative as U a^T, and
 * the check passed it on instances with n = 1). */
START_TEST(misfits_are_shape_errors)
{
	const char *srcs[] = { "A", "B", "a", NULL };
	Parsed ps;
	parse_all(&ps, "A:matrix(2,3);B:matrix(2,2);a:vector(3)", srcs);
	Instance *in = instance(&ps, 1);
	QMat q;
	DMat d;
	const Expr *ab = expr_binary(ps.p, E_MUL, ps.e[0], ps.e[1]);   /* 2 x 3 times 2 x 2 */
	const Expr *sum = expr_binary(ps.p, E_ADD, ps.e[1], ps.e[0]);  /* 2 x 2 plus 2 x 3 */
	const Expr *had = expr_binary(ps.p, E_HAD, ps.e[2], ps.e[0]);  /* 3 x 1 .* 2 x 3 */
	ck_assert_int_eq(value_of(in, ab, &q), EVAL_SHAPE);
	ck_assert_int_eq(eval_double(in, ab, NULL, NULL, 0, &d), EVAL_SHAPE);
	ck_assert_int_eq(value_of(in, sum, &q), EVAL_SHAPE);
	ck_assert_int_eq(eval_double(in, sum, NULL, NULL, 0, &d), EVAL_SHAPE);
	ck_assert_int_eq(value_of(in, had, &q), EVAL_SHAPE);
	ck_assert_int_eq(eval_double(in, had, NULL, NULL, 0, &d), EVAL_SHAPE);
	inst_free(in);
	parsed_free(&ps);
}
END_TEST

START_TEST(instances_are_deterministic)
{
	const char *srcs[] = { "S + A x y^T", NULL };
	Parsed ps;
	parse_all(&ps, "S:symmetric", srcs);
	for (uint64_t seed = 1; seed <= 50; seed++) {
		Instance *i1 = instance(&ps, seed), *i2 = instance(&ps, seed);
		QMat a, b, s;
		ck_assert_int_eq(value_of(i1, ps.e[0], &a), EVAL_OK);
		ck_assert_int_eq(value_of(i2, ps.e[0], &b), EVAL_OK);
		ck_assert(qmat_equal(&a, &b));
		ck_assert_int_eq(value_of(i1, var(&ps, "S"), &s), EVAL_OK);
		ck_assert_uint_ge(s.rows, 1);
		ck_assert_uint_le(s.rows, 4);
		for (unsigned r = 0; r < s.rows; r++)
			for (unsigned c = 0; c < s.cols; c++)
				ck_assert(mpq_equal(s.a[r + c * s.rows], s.a[c + r * s.rows]));
		qmat_free(&a);
		qmat_free(&b);
		qmat_free(&s);
		inst_free(i1);
		inst_free(i2);
	}
	parsed_free(&ps);
}
END_TEST

/* --- the derivative check --- */

typedef struct {
	const char *decls, *f, *wrt, *d;
	Layout layout;
	int exact;          /* expected to be checked exactly */
} Case;

static CheckResult check_case(const Case *c, int n)
{
	const char *srcs[] = { c->f, c->d, NULL };
	Parsed ps;
	parse_all(&ps, c->decls, srcs);
	CheckResult r = check_derivative(ps.p, ps.s, ps.e[0], var(&ps, c->wrt), ps.e[1], c->layout, n, 1);
	parsed_free(&ps);
	return r;
}

static const Case right[] = {
	{ "", "a^T W b", "W", "b a^T", LAYOUT_NUMERATOR, 1 },
	{ "", "a^T W b", "W", "a b^T", LAYOUT_DENOMINATOR, 1 },
	{ "", "a^T W b", "W", "a b^T", LAYOUT_MIXED, 1 },
	{ "", "x^T A x", "x", "x^T (A + A^T)", LAYOUT_NUMERATOR, 1 },
	{ "", "x^T A x", "x", "(A + A^T) x", LAYOUT_DENOMINATOR, 1 },
	{ "A:symmetric", "x^T A x", "x", "2 x^T A", LAYOUT_NUMERATOR, 1 },
	{ "", "(a^T x) b", "x", "b a^T", LAYOUT_NUMERATOR, 1 },
	{ "", "(y - w^T x)^2", "w", "2 (w^T x - y) x^T", LAYOUT_NUMERATOR, 1 },
	{ "", "||x - a||", "x", "(x - a)^T / ||x - a||", LAYOUT_NUMERATOR, 0 },
	{ "", "det(X)", "X", "det(X) X^-1", LAYOUT_NUMERATOR, 1 },
	{ "", "logdet(X)", "X", "X^-1", LAYOUT_NUMERATOR, 0 },
	{ "", "logdet(X)", "X", "X^-T", LAYOUT_MIXED, 0 },
	{ "", "exp(alpha) x", "alpha", "exp(alpha) x", LAYOUT_NUMERATOR, 0 },
	{ "", "exp(alpha) x", "alpha", "exp(alpha) x^T", LAYOUT_DENOMINATOR, 0 },
	{ "A:matrix(m,n)", "A x", "A", "kron(x^T, I_m)", LAYOUT_NUMERATOR, 1 },
	{ "R:matrix(m,n)", "R^T R", "R", "kron(I_n, R^T) + kron(R^T, I_n) K_{m,n}", LAYOUT_NUMERATOR, 1 },
	{ "", "X^-1", "X", "-kron(X^-T, X^-1)", LAYOUT_NUMERATOR, 1 },
	{ "", "A x", "x", "A", LAYOUT_NUMERATOR, 1 },
	{ "", "A x", "x", "A^T", LAYOUT_DENOMINATOR, 1 },
	{ "", "alpha A", "alpha", "A", LAYOUT_NUMERATOR, 1 },
	{ "", "alpha A", "alpha", "A^T", LAYOUT_DENOMINATOR, 1 },
	{ "", "x^T x", "x", "2 x", LAYOUT_MIXED, 1 },
	{ "", "sum(log(x))", "x", "(ones ./ x)^T", LAYOUT_NUMERATOR, 0 },
	{ "", "sum(relu(x))", "x", "(relu(x) ./ x)^T", LAYOUT_NUMERATOR, 1 },
	{ "", "tr(X^3)", "X", "3 X^2", LAYOUT_NUMERATOR, 1 },
	{ "", "sigmoid(w^T x)", "w", "sigmoid(w^T x) (1 - sigmoid(w^T x)) x^T", LAYOUT_NUMERATOR, 0 },
	{ "", "x .^ 3", "x", "3 diag(x .^ 2)", LAYOUT_NUMERATOR, 1 },
	{ "", "sqrt(alpha)", "alpha", "1 / (2 sqrt(alpha))", LAYOUT_NUMERATOR, 0 },
	{ "", "x / (x^T x)", "x", "I / (x^T x) - 2 x x^T / (x^T x)^2", LAYOUT_NUMERATOR, 1 },
	{ "", "x ./ y", "y", "-diag(x ./ (y .* y))", LAYOUT_NUMERATOR, 1 },
	{ "", "A^-2", "A", "-kron(A^-T, A^-2) - kron(A^-2 ^T, A^-1)", LAYOUT_NUMERATOR, 1 },
	{ "", "kron(A, alpha B)", "alpha", "kron(A, B)", LAYOUT_NUMERATOR, 1 },
};

static const Case wrong[] = {
	{ "", "a^T W b", "W", "a b^T", LAYOUT_NUMERATOR, 1 },      /* the other layout */
	{ "", "a^T W b", "W", "b a^T", LAYOUT_DENOMINATOR, 1 },
	{ "", "a^T W b", "W", "2 b a^T", LAYOUT_NUMERATOR, 1 },    /* a factor 2 */
	{ "", "a^T W b", "W", "-(b a^T)", LAYOUT_NUMERATOR, 1 },   /* the sign */
	{ "", "x^T A x", "x", "2 x^T A", LAYOUT_NUMERATOR, 1 },    /* A is not symmetric */
	{ "", "x^T A x", "x", "x^T (A + A^T)", LAYOUT_DENOMINATOR, 1 },
	{ "", "det(X)", "X", "det(X) X^-T", LAYOUT_NUMERATOR, 1 },
	{ "", "logdet(X)", "X", "X^-T", LAYOUT_NUMERATOR, 0 },
	{ "", "logdet(X)", "X", "2 X^-1", LAYOUT_NUMERATOR, 0 },
	{ "", "exp(alpha) x", "alpha", "-exp(alpha) x", LAYOUT_NUMERATOR, 0 },
	{ "", "exp(alpha) x", "alpha", "exp(alpha) x^T", LAYOUT_NUMERATOR, 0 },
	{ "A:matrix(m,n)", "A x", "A", "kron(I_m, x^T)", LAYOUT_NUMERATOR, 1 },
	{ "R:matrix(m,n)", "R^T R", "R", "kron(I_n, R^T) + kron(R^T, I_n)", LAYOUT_NUMERATOR, 1 },
	{ "", "X^-1", "X", "-kron(X^-1, X^-T)", LAYOUT_NUMERATOR, 1 },
	{ "x:vector(m)", "sum(relu(x))", "x", "ones_m^T", LAYOUT_NUMERATOR, 1 },
	{ "", "||x - a||", "x", "(x - a)^T", LAYOUT_NUMERATOR, 0 },
	{ "", "sigmoid(w^T x)", "w", "sigmoid(w^T x) x^T", LAYOUT_NUMERATOR, 0 },
	{ "", "x^T x", "x", "x^T", LAYOUT_NUMERATOR, 1 },
	/* the finite-difference check's tolerance: off by 1e-5 relative */
	{ "", "exp(alpha) x", "alpha", "100001/100000 exp(alpha) x", LAYOUT_NUMERATOR, 0 },
	{ "", "sin(alpha) + 1", "alpha", "cos(alpha) + 1/100000", LAYOUT_NUMERATOR, 0 },
	/* agreeing only where both sides vanish or underflow is no evidence
	 * (found by review: these used to pass) */
	{ "", "cos(20000 alpha)", "alpha", "-19000 sin(20000 alpha)", LAYOUT_NUMERATOR, 0 },
	{ "", "exp(2000 alpha)", "alpha", "1900 exp(2000 alpha)", LAYOUT_NUMERATOR, 0 },
	{ "", "cos(300 alpha)", "alpha", "-290 sin(300 alpha)", LAYOUT_NUMERATOR, 0 },
	/* wrong on part of the domain only */
	{ "", "sum(exp(x) .* x)", "x", "(exp(x) .* (x + ones))^T + 1/1000 (x .* x)^T", LAYOUT_NUMERATOR, 0 },
};

START_TEST(check_accepts_right_derivatives)
{
	const Case *c = &right[_i];
	CheckResult r = check_case(c, 30);
	ck_assert_msg(r.ok, "%s wrt %s = %s rejected: %s", c->f, c->wrt, c->d, r.detail);
	ck_assert_int_eq(r.instances, 30);
	ck_assert_int_eq(r.exact, c->exact);
	if (r.exact)
		ck_assert(r.max_error == 0);
	else
		ck_assert(r.max_error < 1e-6);
}
END_TEST

START_TEST(check_rejects_wrong_derivatives)
{
	const Case *c = &wrong[_i];
	CheckResult r = check_case(c, 30);
	ck_assert_msg(!r.ok, "%s wrt %s = %s accepted", c->f, c->wrt, c->d);
	ck_assert_msg(strncmp(r.detail, "instance ", 9) == 0, "detail: %s", r.detail);
}
END_TEST

START_TEST(check_names_the_instance)
{
	Case c = { "", "a^T W b", "W", "b a^T", LAYOUT_DENOMINATOR, 1 };
	CheckResult r = check_case(&c, 10);
	ck_assert(!r.ok);
	ck_assert_msg(strstr(r.detail, "m=") && strstr(r.detail, "n="), "%s", r.detail);
	Case wrong_sign = { "", "a^T W b", "W", "-(b a^T)", LAYOUT_NUMERATOR, 1 };
	r = check_case(&wrong_sign, 10);
	ck_assert_msg(strstr(r.detail, "changes by"), "%s", r.detail);
}
END_TEST

/* An f that is nowhere defined cannot be checked, and must not pass. */
START_TEST(check_fails_without_instances)
{
	Case c = { "", "log(-(x^T x))", "x", "2 x^T / (x^T x)", LAYOUT_NUMERATOR, 0 };
	CheckResult r = check_case(&c, 3);
	ck_assert(!r.ok);
	ck_assert_msg(strstr(r.detail, "no random instance"), "%s", r.detail);
}
END_TEST

Suite *eval_suite(void)
{
	Suite *s = suite_create("eval");
	TCase *tc = tcase_create("evaluate");
	tcase_add_test(tc, det_and_inverse_of_known_matrices);
	tcase_add_test(tc, det_and_inverse_of_random_matrices);
	tcase_add_test(tc, commutation_matrix_transposes_vec);
	tcase_add_test(tc, kronecker_product_sizes_and_entries);
	tcase_add_test(tc, directional_derivative_of_a_quadratic_form);
	tcase_add_test(tc, derivative_of_a_singular_determinant);
	tcase_add_test(tc, exact_and_double_agree);
	tcase_add_test(tc, domain_errors);
	tcase_add_test(tc, misfits_are_shape_errors);
	tcase_add_test(tc, instances_are_deterministic);
	suite_add_tcase(s, tc);
	tc = tcase_create("check");
	tcase_add_loop_test(tc, check_accepts_right_derivatives, 0, sizeof right / sizeof right[0]);
	tcase_add_loop_test(tc, check_rejects_wrong_derivatives, 0, sizeof wrong / sizeof wrong[0]);
	tcase_add_test(tc, check_names_the_instance);
	tcase_add_test(tc, check_fails_without_instances);
	suite_add_tcase(s, tc);
	return s;
}
