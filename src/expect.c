/* expect.c: equality on random instances (see expect.h). */
#include "expect.h"
#include "check.h"
#include "eval.h"
#include "rng.h"

#include <math.h>
#include <string.h>

/* Draws per instance before it counts as undefined (singular matrices,
 * logs of negative numbers, kinks). */
enum { MAX_DRAWS = 20 };

/* Two doubles agree to rounding: relative to the larger entry of either side
 * (an entry of 1e-17 beside entries of 1 is a zero). */
static const double REL = 1e-9;

/* A variable's value, for a counterexample: [1 2; 3 4], or its shape when
 * it is too big to read. */
enum { SHOW_MAX = 16 };

static void put_q(Buf *out, const mpq_t q)
{
	void (*gmp_free)(void *, size_t);
	char *t = mpq_get_str(NULL, 10, q);
	buf_puts(out, t);
	mp_get_memory_functions(NULL, NULL, &gmp_free);   /* GMP allocated it */
	gmp_free(t, strlen(t) + 1);
}

static void show_value(Buf *out, const QMat *m)
{
	if ((size_t)m->rows * m->cols > SHOW_MAX) {
		buf_printf(out, "(%u x %u, not shown)", m->rows, m->cols);
		return;
	}
	if (m->rows == 1 && m->cols == 1) {
		put_q(out, m->a[0]);
		return;
	}
	buf_putc(out, '[');
	for (unsigned i = 0; i < m->rows; i++)
		for (unsigned j = 0; j < m->cols; j++) {
			if (j)
				buf_putc(out, ' ');
			else if (i)
				buf_puts(out, "; ");
			put_q(out, m->a[i + (size_t)j * m->rows]);
		}
	buf_putc(out, ']');
}

static void show_instance(Pool *p, Shapes *s, Instance *in, Buf *out)
{
	Buf sizes;
	buf_init(&sizes);
	check_sizes(p, s, in, &sizes);
	buf_printf(out, "sizes %s; ", sizes.len ? buf_str(&sizes) : "fixed");
	buf_free(&sizes);
	for (int i = 0; i < shape_var_count(s); i++) {
		QMat v, dv;
		if (eval_exact(in, shape_var(s, i), NULL, NULL, &v, &dv) == EVAL_OK) {
			buf_printf(out, "%s%s = ", i ? ", " : "", shape_var(s, i)->u.name);
			show_value(out, &v);
		}
		qmat_free(&v);
		qmat_free(&dv);
	}
}

/* The result is entry (i, j): 1-based, as a reader counts. */
static void show_entry(Buf *out, size_t k, unsigned rows)
{
	buf_printf(out, "; entry (%zu, %zu): ", k % rows + 1, k / rows + 1);
}

/* 1 equal, 0 different (why filled), -1 not both rational. */
static int compare_exact(Pool *p, Shapes *s, Instance *in, const Expr *a, const Expr *b, Buf *why,
			 int *domain)
{
	QMat va, vb, da, db;
	EvalStatus sa = eval_exact(in, a, NULL, NULL, &va, &da);
	EvalStatus sb = eval_exact(in, b, NULL, NULL, &vb, &db);
	int r = -1;
	*domain = sa == EVAL_DOMAIN || sb == EVAL_DOMAIN;
	if (sa == EVAL_OK && sb == EVAL_OK) {
		r = 1;
		for (size_t k = 0; r && k < (size_t)va.rows * va.cols; k++)
			if (!mpq_equal(va.a[k], vb.a[k])) {
				show_instance(p, s, in, why);
				show_entry(why, k, va.rows);
				buf_puts(why, "the result is ");
				put_q(why, va.a[k]);
				buf_puts(why, ", the expected answer ");
				put_q(why, vb.a[k]);
				r = 0;
			}
	}
	qmat_free(&va);
	qmat_free(&vb);
	qmat_free(&da);
	qmat_free(&db);
	return r;
}

/* In doubles: 1 equal, 0 different (why filled), -1 undefined here. */
static int compare_double(Pool *p, Shapes *s, Instance *in, const Expr *a, const Expr *b, Buf *why,
			  double *diff)
{
	DMat va = { 0 }, vb = { 0 };
	int r = -1;
	if (eval_double(in, a, NULL, NULL, 0, &va) == EVAL_OK && eval_double(in, b, NULL, NULL, 0, &vb) == EVAL_OK) {
		size_t n = (size_t)va.rows * va.cols;
		double scale = 0;
		r = 1;
		for (size_t k = 0; k < n; k++) {
			scale = fmax(scale, fmax(fabs(va.a[k]), fabs(vb.a[k])));
			if (!isfinite(va.a[k]) || !isfinite(vb.a[k]))
				r = -1;
		}
		for (size_t k = 0; r == 1 && k < n; k++) {
			double d = fabs(va.a[k] - vb.a[k]) / (scale > 0 ? scale : 1);
			*diff = fmax(*diff, d);
			if (d > REL) {
				show_instance(p, s, in, why);
				show_entry(why, k, va.rows);
				buf_printf(why, "the result is %.17g, the expected answer %.17g", va.a[k], vb.a[k]);
				r = 0;
			}
		}
	}
	dmat_free(&va);
	dmat_free(&vb);
	return r;
}

/* One instance: a fresh draw until both sides are defined. */
static int one_instance(Pool *p, Shapes *s, const Expr *a, const Expr *b, uint64_t seed, Buf *why,
			ExpectResult *r)
{
	const Expr *both[2] = { a, b };
	for (int k = 0; k < MAX_DRAWS; k++) {
		uint64_t draw = seed ^ ((uint64_t)k * 0x9e3779b97f4a7c15u);
		Instance *in = inst_random(p, s, both, 2, k ? rng_next(&draw) : seed);
		int domain, eq = compare_exact(p, s, in, a, b, why, &domain);
		int exact = eq >= 0;
		if (eq < 0 && !domain)
			eq = compare_double(p, s, in, a, b, why, &r->max_diff);
		inst_free(in);
		if (eq >= 0) {
			r->exact &= exact;
			return eq;
		}
	}
	return -1;
}

ExpectResult expect_equal(Pool *p, Shapes *s, const Expr *a, const Expr *b, int n, uint64_t seed,
			  Buf *why)
{
	ExpectResult r = { EXPECT_EQUAL, 0, 1, 0 };
	for (int i = 0; i < (n < 1 ? 1 : n); i++) {
		int eq = one_instance(p, s, a, b, seed + (uint64_t)i, why, &r);
		if (eq == 0) {
			r.verdict = EXPECT_DIFFERENT;
			return r;
		}
		if (eq < 0 && r.instances == 0) {
			r.verdict = EXPECT_UNDECIDED;
			buf_printf(why, "no random instance in %d draws where both sides are defined", MAX_DRAWS);
			return r;
		}
		if (eq < 0)
			break;   /* equal on the instances before; this one found no point */
		r.instances++;
	}
	return r;
}
