/* check.c: a derivative against the directional derivative of f on random
 * instances: exactly by dual numbers, else by extrapolated central differences. */
#include "check.h"
#include "eval.h"
#include "buf.h"
#include "mem.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

/* Draws per instance before giving up on finding one where f and the
 * derivative are defined (one draw in four has positive entries only). */
enum { MAX_DRAWS = 64 };
/* Ridders' tableau: NTAB steps, each CON times shorter than the last. */
enum { NTAB = 10 };
static const double CON = 1.4, SAFE = 2.0;
/* A finite difference whose own error estimate is above SMOOTH (relative)
 * crossed a kink or a pole: the draw is discarded.  Agreement within TOL
 * (relative to max(1, |df|)) passes. */
static const double SMOOTH = 1e-8, TOL = 1e-6;

typedef enum { K_SCALAR, K_VECTOR, K_MATRIX } Kind;

/* How the derivative D contracts with a direction V (SPEC section 3).  Every
 * layout is the numerator form Dn or its transpose; Dn is the Jacobian J
 * (pq x mn, vec(df) = J vec(V)) read column-major, except for a scalar by a
 * matrix, where Dn is n x m and df = tr(Dn V). */
typedef struct {
	Kind fk, xk;
	int t;              /* D = Dn^T */
	int smat;           /* scalar by matrix */
	unsigned p, q, m, n;
	unsigned nr, nc;    /* the shape of Dn */
} Contract;

typedef enum { OUT_PASS, OUT_FAIL, OUT_REDRAW } Outcome;

typedef struct {
	Pool *pool;
	Shapes *s;
	const Expr *f, *x, *d;
	Layout layout;
	Kind fk, xk;
	Instance *in;
	QMat v;             /* the direction */
	DMat vd;
	Contract c;
	int exact;          /* this instance was checked exactly */
	double err;         /* its relative error */
	char why[200];      /* on failure */
} Check;

static const char *const layout_names[] = { "numerator", "denominator", "mixed" };

static uint64_t rng_next(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15u);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
	return z ^ (z >> 31);
}

static Kind kind_of(Shape sh)
{
	if (shape_is_scalar(sh))
		return K_SCALAR;
	return dim_is_one(sh.cols) ? K_VECTOR : K_MATRIX;
}

/* --- the contraction --- */

/* The numerator form's shape, by the table of SPEC section 3. */
static void numerator_shape(Contract *c)
{
	unsigned p = c->p, q = c->q, m = c->m, n = c->n;
	if (c->fk == K_SCALAR && c->xk != K_VECTOR) {
		c->nr = c->xk == K_SCALAR ? 1 : n;
		c->nc = c->xk == K_SCALAR ? 1 : m;
	} else if (c->fk == K_SCALAR) {
		c->nr = 1;
		c->nc = m;
	} else if (c->xk == K_SCALAR) {
		c->nr = p;
		c->nc = q;
	} else if (c->fk == K_VECTOR && c->xk == K_VECTOR) {
		c->nr = p;
		c->nc = m;
	} else {
		c->nr = p * q;
		c->nc = m * n;
	}
}

static void contract_setup(Check *ck, unsigned p, unsigned q, unsigned m, unsigned n)
{
	Contract *c = &ck->c;
	*c = (Contract){ .fk = ck->fk, .xk = ck->xk, .p = p, .q = q, .m = m, .n = n };
	c->smat = c->fk == K_SCALAR && c->xk == K_MATRIX;
	c->t = ck->layout == LAYOUT_DENOMINATOR ||
	       (ck->layout == LAYOUT_MIXED && c->fk == K_SCALAR && c->xk != K_SCALAR);
	numerator_shape(c);
}

/* Where J(k, l) sits in D's entries. */
static size_t jac_at(const Contract *c, size_t k, size_t l)
{
	size_t i, j;
	if (c->smat) {          /* l = a + b m is V_ab, and J(0, l) = Dn(b, a) */
		i = l / c->m;
		j = l % c->m;
	} else {
		size_t flat = k + l * (size_t)c->p * c->q;
		i = flat % c->nr;
		j = flat / c->nr;
	}
	return c->t ? j + i * c->nc : i + j * c->nr;
}

static int shape_ok(Check *ck, unsigned rows, unsigned cols)
{
	const Contract *c = &ck->c;
	unsigned want_r = c->t ? c->nc : c->nr, want_c = c->t ? c->nr : c->nc;
	if (rows == want_r && cols == want_c)
		return 1;
	snprintf(ck->why, sizeof ck->why, "the derivative is %u x %u, but the %s layout needs %u x %u here",
		 rows, cols, layout_names[ck->layout], want_r, want_c);
	return 0;
}

/* f's value must have the shape its expression says it has. */
static int f_shape_ok(Check *ck, unsigned rows, unsigned cols)
{
	if (rows == ck->c.p && cols == ck->c.q)
		return 1;
	snprintf(ck->why, sizeof ck->why, "f evaluates to %u x %u, but its shape is %u x %u here",
		 rows, cols, ck->c.p, ck->c.q);
	return 0;
}

/* vec of D contracted with V: what the derivative says f changes by. */
static void contract_q(const Contract *c, const QMat *d, const QMat *v, QMat *out)
{
	size_t pq = (size_t)c->p * c->q, mn = (size_t)c->m * c->n;
	mpq_t t;
	mpq_init(t);
	qmat_init(out, c->p, c->q);
	for (size_t k = 0; k < pq; k++)
		for (size_t l = 0; l < mn; l++) {
			mpq_mul(t, d->a[jac_at(c, k, l)], v->a[l]);
			mpq_add(out->a[k], out->a[k], t);
		}
	mpq_clear(t);
}

static void contract_d(const Contract *c, const DMat *d, const DMat *v, DMat *out)
{
	size_t pq = (size_t)c->p * c->q, mn = (size_t)c->m * c->n;
	dmat_init(out, c->p, c->q);
	for (size_t k = 0; k < pq; k++)
		for (size_t l = 0; l < mn; l++)
			out->a[k] += d->a[jac_at(c, k, l)] * v->a[l];
}

/* --- comparing --- */

static int compare_exact(Check *ck, const QMat *df, const QMat *dd)
{
	for (size_t k = 0; k < (size_t)df->rows * df->cols; k++)
		if (!mpq_equal(df->a[k], dd->a[k])) {
			gmp_snprintf(ck->why, sizeof ck->why,
				     "along a direction V, entry (%zu, %zu) of f changes by %Qd but the derivative gives %Qd",
				     k % df->rows + 1, k / df->rows + 1, df->a[k], dd->a[k]);
			return 0;
		}
	return 1;
}

static int compare_double(Check *ck, const DMat *df, const DMat *dd)
{
	size_t n = (size_t)df->rows * df->cols, worst = 0;
	double scale = 1, err = 0;
	for (size_t k = 0; k < n; k++)
		scale = fmax(scale, fabs(df->a[k]));
	for (size_t k = 0; k < n; k++)
		if (fabs(df->a[k] - dd->a[k]) / scale > err) {
			err = fabs(df->a[k] - dd->a[k]) / scale;
			worst = k;
		}
	ck->err = err;
	if (err <= TOL)
		return 1;
	snprintf(ck->why, sizeof ck->why,
		 "along a direction V, entry (%zu, %zu) of f changes by %.10g but the derivative gives %.10g (relative error %.3g)",
		 worst % df->rows + 1, worst / df->rows + 1, df->a[worst], dd->a[worst], err);
	return 0;
}

/* --- finite differences --- */

/* f(x + h V) and f(x - h V) for the NTAB steps from h0 down. */
static int sample(Check *ck, double h0, DMat plus[NTAB], DMat minus[NTAB])
{
	double h = h0;
	int i = 0;
	for (; i < NTAB; i++, h /= CON) {
		if (eval_double(ck->in, ck->f, ck->x, &ck->vd, h, &plus[i]) != EVAL_OK)
			break;
		if (eval_double(ck->in, ck->f, ck->x, &ck->vd, -h, &minus[i]) != EVAL_OK) {
			dmat_free(&plus[i]);
			break;
		}
	}
	if (i == NTAB)
		return 1;
	while (i-- > 0) {
		dmat_free(&plus[i]);
		dmat_free(&minus[i]);
	}
	return 0;
}

/* Ridders' method for entry k: central differences extrapolated to h = 0 in a
 * Neville tableau, stopping when higher orders get worse (Numerical Recipes,
 * dfridr).  Returns the estimate; *err is its error estimate. */
static double ridders(double h0, DMat plus[NTAB], DMat minus[NTAB], size_t k, double *err)
{
	double a[NTAB][NTAB], h = h0, best = 0;
	*err = HUGE_VAL;
	for (int i = 0; i < NTAB; i++, h /= CON) {
		a[0][i] = (plus[i].a[k] - minus[i].a[k]) / (2 * h);
		double fac = CON * CON;
		for (int j = 1; j <= i; j++, fac *= CON * CON) {
			a[j][i] = (a[j - 1][i] * fac - a[j - 1][i - 1]) / (fac - 1);
			double e = fmax(fabs(a[j][i] - a[j - 1][i]), fabs(a[j][i] - a[j - 1][i - 1]));
			if (e <= *err) {
				*err = e;
				best = a[j][i];
			}
		}
		if (i && fabs(a[i][i] - a[i - 1][i - 1]) >= SAFE * *err)
			break;
	}
	return best;
}

/* Ridders on every entry of df.  Accepted when the error estimates, and the
 * rounding noise of differencing values as large as f's (eps |f| / h at the
 * shortest step), are far below the tolerance: a step that crossed a kink or
 * a pole, or a small change drowned in a huge f, is not evidence. */
static int extrapolate(double h0, DMat plus[NTAB], DMat minus[NTAB], DMat *df)
{
	size_t n = (size_t)plus[0].rows * plus[0].cols;
	double worst = 0, scale = 1, fmag = 0;
	dmat_init(df, plus[0].rows, plus[0].cols);
	for (size_t k = 0; k < n; k++) {
		double e;
		df->a[k] = ridders(h0, plus, minus, k, &e);
		worst = fmax(worst, e);
		scale = fmax(scale, fabs(df->a[k]));
		for (int i = 0; i < NTAB; i++)
			fmag = fmax(fmag, fmax(fabs(plus[i].a[k]), fabs(minus[i].a[k])));
	}
	worst = fmax(worst, DBL_EPSILON * fmag / (h0 / pow(CON, NTAB - 1)));
	return worst <= SMOOTH * scale;
}

/* The directional derivative of f in doubles, from steps of 0.1 down to
 * 1e-4 (shorter steps pass kinks and fast oscillations); OUT_REDRAW when
 * none gives a clean estimate. */
static Outcome finite_difference(Check *ck, DMat *df)
{
	for (double h0 = 0.1; h0 > 5e-5; h0 /= 10) {
		DMat plus[NTAB], minus[NTAB];
		if (!sample(ck, h0, plus, minus))
			continue;
		int ok = extrapolate(h0, plus, minus, df);
		for (int i = 0; i < NTAB; i++) {
			dmat_free(&plus[i]);
			dmat_free(&minus[i]);
		}
		if (ok)
			return OUT_PASS;
		dmat_free(df);
	}
	return OUT_REDRAW;
}

/* --- one instance --- */

static void q_to_d(const QMat *q, DMat *d)
{
	dmat_init(d, q->rows, q->cols);
	for (size_t i = 0; i < (size_t)q->rows * q->cols; i++)
		d->a[i] = mpq_get_d(q->a[i]);
}

/* A direction with entries k/d, k in [-4, 4], d in {1, 2, 3}, not all zero. */
static void random_direction(Check *ck, unsigned m, unsigned n, uint64_t seed)
{
	uint64_t rng = seed ^ 0x6a09e667f3bcc909u;
	int nonzero = 0;
	qmat_init(&ck->v, m, n);
	for (size_t i = 0; i < (size_t)m * n; i++) {
		uint64_t r = rng_next(&rng);
		mpq_set_si(ck->v.a[i], (long)(r % 9) - 4, 1 + (unsigned long)(r / 9 % 3));
		mpq_canonicalize(ck->v.a[i]);
		nonzero |= mpq_sgn(ck->v.a[i]) != 0;
	}
	if (!nonzero)
		mpq_set_ui(ck->v.a[0], 1, 1);
	q_to_d(&ck->v, &ck->vd);
}

/* Both sides exact: they must be equal. */
static Outcome exact_side(Check *ck, const QMat *df, const QMat *dv)
{
	QMat dd;
	contract_q(&ck->c, dv, &ck->v, &dd);
	int ok = compare_exact(ck, df, &dd);
	qmat_free(&dd);
	ck->exact = 1;
	return ok ? OUT_PASS : OUT_FAIL;
}

/* At least one side in doubles.  df or dv is NULL when not known exactly. */
static Outcome double_side(Check *ck, const QMat *df, const QMat *dv)
{
	DMat dfd = { 0 }, dvd = { 0 }, dd = { 0 };
	Outcome out = OUT_PASS;
	if (df)
		q_to_d(df, &dfd);
	else
		out = finite_difference(ck, &dfd);
	if (dv)
		q_to_d(dv, &dvd);
	else if (out == OUT_PASS && eval_double(ck->in, ck->d, NULL, NULL, 0, &dvd) != EVAL_OK)
		out = OUT_REDRAW;
	if (out == OUT_PASS && !shape_ok(ck, dvd.rows, dvd.cols))
		out = OUT_FAIL;
	if (out == OUT_PASS && !f_shape_ok(ck, dfd.rows, dfd.cols))
		out = OUT_FAIL;
	if (out == OUT_PASS) {
		contract_d(&ck->c, &dvd, &ck->vd, &dd);
		out = compare_double(ck, &dfd, &dd) ? OUT_PASS : OUT_FAIL;
	}
	dmat_free(&dfd);
	dmat_free(&dvd);
	dmat_free(&dd);
	return out;
}

/* The exact attempt: a domain error redraws; anything not rational goes on
 * in doubles with whatever was found exactly. */
static Outcome run_instance(Check *ck)
{
	QMat fv, df, dv, none;
	EvalStatus sf = eval_exact(ck->in, ck->f, ck->x, &ck->v, &fv, &df);
	EvalStatus sd = eval_exact(ck->in, ck->d, NULL, NULL, &dv, &none);
	Outcome out;
	qmat_free(&none);
	if (sf == EVAL_DOMAIN || sd == EVAL_DOMAIN)
		out = OUT_REDRAW;
	else if (sf == EVAL_OK && !f_shape_ok(ck, fv.rows, fv.cols))
		out = OUT_FAIL;
	else if (sd == EVAL_OK && !shape_ok(ck, dv.rows, dv.cols))
		out = OUT_FAIL;
	else if (sf == EVAL_OK && sd == EVAL_OK)
		out = exact_side(ck, &df, &dv);
	else
		out = double_side(ck, sf == EVAL_OK ? &df : NULL, sd == EVAL_OK ? &dv : NULL);
	qmat_free(&fv);
	qmat_free(&df);
	qmat_free(&dv);
	return out;
}

/* One draw: an instance, a direction, and the comparison. */
static Outcome draw(Check *ck, uint64_t seed)
{
	const Expr *exprs[3] = { ck->f, ck->x, ck->d };
	Shape fs = shape_of(ck->s, ck->f), xs = shape_of(ck->s, ck->x);
	ck->in = inst_random(ck->pool, ck->s, exprs, 3, seed);
	unsigned pr = inst_dim(ck->in, fs.rows), pc = inst_dim(ck->in, fs.cols);
	unsigned xr = inst_dim(ck->in, xs.rows), xc = inst_dim(ck->in, xs.cols);
	Outcome out = OUT_REDRAW;
	ck->exact = 0;
	ck->err = 0;
	if (pr && pc && xr && xc && (uint64_t)pr * pc * xr * xc <= 1u << 20) {
		contract_setup(ck, pr, pc, xr, xc);
		random_direction(ck, xr, xc, seed);
		out = run_instance(ck);
		qmat_free(&ck->v);
		dmat_free(&ck->vd);
	}
	return out;
}

/* "m=2, n=3": the sizes of the dimension symbols of the variables. */
static void describe_sizes(Check *ck, char *buf, size_t n)
{
	const char *seen[32];
	int nseen = 0;
	size_t len = 0;
	buf[0] = '\0';
	for (int i = 0; i < shape_var_count(ck->s); i++) {
		Shape sh = shape_var_shape(ck->s, i);
		for (int side = 0; side < 2; side++) {
			const Expr *dim = side ? sh.cols : sh.rows;
			for (unsigned k = 0; k < dim->nargs; k++) {
				const Expr *f = dim->args[k];
				int dup = f->kind != E_DSYM || nseen == 32;
				for (int j = 0; j < nseen && !dup; j++)
					dup = seen[j] == f->u.name;
				if (dup || len >= n)
					continue;
				seen[nseen++] = f->u.name;
				len += (size_t)snprintf(buf + len, n - len, "%s%s=%u", nseen > 1 ? ", " : "",
							f->u.name, inst_dim(ck->in, dim_sym(ck->pool, f->u.name)));
			}
		}
	}
}

static uint64_t draw_seed(uint64_t seed, int k)
{
	uint64_t s = seed ^ ((uint64_t)k * 0xd1b54a32d192ed03u);
	return k ? rng_next(&s) : seed;
}

static void record_failure(CheckResult *r, Check *ck, int i)
{
	char sizes[64];
	Buf b;
	describe_sizes(ck, sizes, sizeof sizes);
	buf_init(&b);
	buf_printf(&b, "instance %d (%s): %s", i + 1, sizes[0] ? sizes : "fixed sizes", ck->why);
	snprintf(r->detail, sizeof r->detail, "%s", buf_str(&b));   /* truncated if need be */
	buf_free(&b);
}

CheckResult check_derivative(Pool *p, Shapes *s, const Expr *f, const Expr *x,
			     const Expr *d, Layout layout, int n, uint64_t seed)
{
	CheckResult r = { .ok = 1, .exact = 1 };
	Check ck = { .pool = p, .s = s, .f = f, .x = x, .d = d, .layout = layout,
		     .fk = kind_of(shape_of(s, f)), .xk = kind_of(shape_of(s, x)) };
	for (int i = 0; i < (n < 1 ? 1 : n) && r.ok; i++) {
		Outcome out = OUT_REDRAW;
		for (int k = 0; k < MAX_DRAWS && out == OUT_REDRAW; k++) {
			out = draw(&ck, draw_seed(seed + (uint64_t)i, k));
			if (out == OUT_FAIL)
				record_failure(&r, &ck, i);
			inst_free(ck.in);
		}
		if (out == OUT_REDRAW)
			snprintf(r.detail, sizeof r.detail,
				 "instance %d: no random instance in %d draws where f and the derivative are both "
				 "defined and evaluate cleanly (singular matrices, logs of nonpositive numbers, kinks, "
				 "zero divisors, overflow, or matrices over 64 x 64)", i + 1, MAX_DRAWS);
		r.ok = out == OUT_PASS;
		r.instances += out == OUT_PASS;
		r.exact &= ck.exact;
		r.max_error = fmax(r.max_error, ck.err);
	}
	return r;
}
