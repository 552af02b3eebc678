/* check.c: a derivative against the directional derivative of f on random
 * instances: exactly by dual numbers, else by extrapolated central differences. */
#include "check.h"
#include "eval.h"
#include "buf.h"
#include "mem.h"
#include "rng.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

/* Draws per instance before giving up on finding one where f and the
 * derivative are defined (one draw in four has positive entries only). */
enum { MAX_DRAWS = 64 };
/* Draws that agree only because both sides are about zero are no evidence,
 * unless the first WEAK_ENOUGH draws where f is defined are all like that (a
 * zero derivative): cos(20000 a) against a wrong derivative agrees at a = 0
 * only, and is unclean everywhere else. */
enum { WEAK_ENOUGH = 4 };
/* Ridders' tableau: at most NTAB steps, each CON times shorter than the
 * last; an entry stops when a higher order gets worse by SAFE. */
enum { NTAB = 10 };
static const double CON = 1.4, SAFE = 2.0;
/* A finite difference whose own error estimate is above SMOOTH (relative)
 * crossed a kink or a pole: that step size is no evidence.  The derivative
 * agrees when every entry is within TOL of the estimate (relative to the
 * larger of the two vectors' norms, floored at 1e-8 of f's own size so a
 * change that is zero up to rounding compares absolutely) plus GUARD times
 * the estimate's own error. */
static const double SMOOTH = 1e-7, TOL = 1e-6, GUARD = 16;
/* The norm below which changes compare absolutely: random instances have
 * entries of order one, so a change under TOL * FLOOR = 1e-10 is rounding
 * (a derivative that is exactly 0 against a difference quotient of 3e-15). */
static const double FLOOR = 1e-4;
/* A failure is believed only where the derivative is well conditioned: its
 * value moves by less than WOBBLE (relative) when x moves by NUDGE along V.
 * At a removable 0/0 of the derivative's formula (a point of measure zero
 * that a random instance can still hit exactly) it does not, and the
 * instance is redrawn instead. */
static const double NUDGE = 1e-6, WOBBLE = 1e-3;
/* An entry whose error estimate is this small (relative) needs no more steps. */
static const double SETTLED = 1e-11;
/* The first step of each try, from long (rounding-safe) to short (a kink
 * nearby is passed); the derivative is wrong only when every clean try says so. */
static const double STEPS[] = { 0.1, 0.01, 1e-3, 1e-4 };

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

/* OUT_WEAK: agreed, but both sides are about zero there (no evidence on its
 * own); OUT_EXCUSED: disagreed where the derivative is ill conditioned;
 * OUT_UNCLEAN: f is defined there but no finite difference was clean.
 * Both draw again; check_derivative remembers them (see there). */
typedef enum { OUT_PASS, OUT_FAIL, OUT_REDRAW, OUT_WEAK, OUT_EXCUSED, OUT_UNCLEAN } Outcome;

typedef struct {
	Pool *pool;
	Shapes *s;
	const Expr *f, *x, *d;
	Layout layout;
	int symmetric_dirs; /* directions V = V^T: a gradient on symmetric matrices */
	Kind fk, xk;
	Instance *in;
	QMat v;             /* the direction */
	DMat vd;
	Contract c;
	int exact;          /* this instance was checked exactly */
	unsigned long work; /* entries computed so far (CHECK_MAX_WORK) */
	double err;         /* its relative error */
	char why[200];      /* on failure: a message, truncated by snprintf at worst */
} Check;


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
		 rows, cols, layout_name(ck->layout), want_r, want_c);
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

/* The directional derivative of f in doubles, one Ridders extrapolation
 * for all entries at once, built step by step only as far as it improves. */
typedef struct {
	size_t n;
	double *prev, *cur;    /* the tableau's last two columns, NTAB per entry */
	double *best, *err;    /* per entry: the estimate and its error */
	unsigned char *done;
	double fmag;           /* the largest |f| seen: its rounding noise */
	double h;              /* the shortest step taken */
	int moved;             /* f(x + hV) != f(x - hV) somewhere: f is not flat in doubles */
} Ridders;

static void ridders_free(Ridders *r)
{
	mem_free(r->prev);
	mem_free(r->cur);
	mem_free(r->best);
	mem_free(r->err);
	mem_free(r->done);
}

/* One more step h for entry k from the central difference c. */
static void ridders_entry(Ridders *r, int i, size_t k, double c)
{
	double *prev = r->prev + k * NTAB, *cur = r->cur + k * NTAB, fac = CON * CON;
	cur[0] = c;
	for (int j = 1; j <= i; j++, fac *= CON * CON) {
		cur[j] = (cur[j - 1] * fac - prev[j - 1]) / (fac - 1);
		double e = fmax(fabs(cur[j] - cur[j - 1]), fabs(cur[j] - prev[j - 1]));
		if (e <= r->err[k]) {
			r->err[k] = e;
			r->best[k] = cur[j];
		}
	}
	if (i && (fabs(cur[i] - prev[i - 1]) >= SAFE * r->err[k] ||
		  r->err[k] <= SETTLED * fmax(1, fabs(r->best[k]))))
		r->done[k] = 1;   /* worse from here on, or as good as it needs to be */
	memcpy(prev, cur, NTAB * sizeof *cur);
}

/* Steps from h0 down until every entry has settled; 0 when f is not
 * defined that close. */
static int ridders_run(Check *ck, Ridders *r, double h0, unsigned rows, unsigned cols)
{
	r->n = (size_t)rows * cols;
	for (size_t k = 0; k < r->n; k++)
		r->err[k] = HUGE_VAL, r->done[k] = 0, r->best[k] = 0;
	r->fmag = 0;
	r->moved = 0;
	double h = h0;
	for (int i = 0; i < NTAB; i++, h /= CON) {
		DMat plus, minus;
		if (eval_double(ck->in, ck->f, ck->x, &ck->vd, h, &plus) != EVAL_OK)
			return 0;
		if (eval_double(ck->in, ck->f, ck->x, &ck->vd, -h, &minus) != EVAL_OK) {
			dmat_free(&plus);
			return 0;
		}
		int ok = (size_t)plus.rows * plus.cols == r->n && (size_t)minus.rows * minus.cols == r->n;
		int settled = 1;
		for (size_t k = 0; ok && k < r->n; k++) {
			r->fmag = fmax(r->fmag, fmax(fabs(plus.a[k]), fabs(minus.a[k])));
			r->moved |= plus.a[k] != minus.a[k];
			if (!r->done[k])
				ridders_entry(r, i, k, (plus.a[k] - minus.a[k]) / (2 * h));
			settled &= r->done[k];
		}
		dmat_free(&plus);
		dmat_free(&minus);
		r->h = h;
		if (!ok)
			return 0;
		if (settled)
			break;
	}
	return 1;
}

static double norm2(const double *a, size_t n)
{
	double s = 0;
	for (size_t k = 0; k < n; k++)
		s = hypot(s, a[k]);
	return s;
}

/* The estimate's own error: Ridders' worst, and the rounding noise of
 * differencing values as large as f's at the shortest step. */
static double ridders_error(const Ridders *r)
{
	double worst = 0;
	for (size_t k = 0; k < r->n; k++)
		worst = fmax(worst, r->err[k]);
	return fmax(worst, 4 * DBL_EPSILON * r->fmag / r->h);
}

/* Compare the estimate with dd (what the derivative says).  OUT_REDRAW when
 * the estimate is not clean enough to judge. */
static Outcome ridders_judge(Check *ck, const Ridders *r, const DMat *dd)
{
	double scale = fmax(fmax(norm2(r->best, r->n), norm2(dd->a, r->n)), FLOOR);
	double est = ridders_error(r);
	if (!(est <= SMOOTH * fmax(scale, 1)))
		return OUT_REDRAW;
	/* f did not move at all in doubles (saturated: tanh of a huge argument
	 * is 1.0) while the derivative says it should: no evidence either way */
	if (!r->moved && norm2(dd->a, r->n) > TOL * FLOOR)
		return OUT_REDRAW;
	size_t worst = 0;
	double err = 0;
	for (size_t k = 0; k < r->n; k++) {
		double e = fabs(r->best[k] - dd->a[k]);
		if (e > err || isnan(e)) {
			err = e;
			worst = k;
		}
	}
	ck->err = err / scale;
	if (err <= TOL * scale + GUARD * est)
		return scale <= FLOOR ? OUT_WEAK : OUT_PASS;
	snprintf(ck->why, sizeof ck->why,
		 "along a direction V, entry (%zu, %zu) of f changes by %.10g but the derivative gives %.10g "
		 "(relative error %.3g)",
		 worst % dd->rows + 1, worst / dd->rows + 1, r->best[worst], dd->a[worst], ck->err);
	return OUT_FAIL;
}

/* f's directional derivative against dd by finite differences from several
 * step sizes: a pass from any clean one passes; it fails only when a clean
 * one disagrees and none agrees; no clean one at all redraws. */
static Outcome finite_difference(Check *ck, const DMat *dd)
{
	size_t n = (size_t)ck->c.p * ck->c.q;
	Ridders r = { .prev = mem_alloc(n * NTAB * sizeof(double)), .cur = mem_alloc(n * NTAB * sizeof(double)),
		      .best = mem_alloc(n * sizeof(double)), .err = mem_alloc(n * sizeof(double)),
		      .done = mem_alloc(n) };
	Outcome out = OUT_REDRAW;
	int defined = 0;
	char why[sizeof ck->why] = "";
	for (size_t i = 0; i < sizeof STEPS / sizeof STEPS[0] && out != OUT_PASS && out != OUT_WEAK; i++) {
		if (!ridders_run(ck, &r, STEPS[i], ck->c.p, ck->c.q))
			continue;
		defined = 1;
		Outcome o = ridders_judge(ck, &r, dd);
		if (o == OUT_FAIL && why[0] == '\0')
			memcpy(why, ck->why, sizeof why);   /* the first clean disagreement */
		if (o != OUT_REDRAW)
			out = o;
	}
	if (out == OUT_FAIL)
		memcpy(ck->why, why, sizeof why);
	ridders_free(&r);
	return out == OUT_REDRAW && defined ? OUT_UNCLEAN : out;
}

static size_t dlen_of(const DMat *m)
{
	return (size_t)m->rows * m->cols;
}

static int compare_double(Check *ck, const DMat *df, const DMat *dd)
{
	size_t n = (size_t)df->rows * df->cols, worst = 0;
	double scale = fmax(fmax(norm2(df->a, n), norm2(dd->a, n)), FLOOR), err = 0;
	for (size_t k = 0; k < n; k++)
		if (fabs(df->a[k] - dd->a[k]) > err) {
			err = fabs(df->a[k] - dd->a[k]);
			worst = k;
		}
	ck->err = err / scale;
	if (ck->err <= TOL)
		return 1;
	snprintf(ck->why, sizeof ck->why,
		 "along a direction V, entry (%zu, %zu) of f changes by %.10g but the derivative gives %.10g (relative error %.3g)",
		 worst % df->rows + 1, worst / df->rows + 1, df->a[worst], dd->a[worst], ck->err);
	return 0;
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
	if (ck->symmetric_dirs && m == n)   /* the lower triangle mirrors the upper */
		for (unsigned j = 0; j < n; j++)
			for (unsigned i = j + 1; i < m; i++)
				mpq_set(ck->v.a[i + (size_t)j * m], ck->v.a[j + (size_t)i * m]);
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

/* Whether the contracted derivative dd stays put when x moves by +-NUDGE V. */
static int well_conditioned(Check *ck, const DMat *dd)
{
	size_t n = (size_t)dd->rows * dd->cols;
	double scale = fmax(norm2(dd->a, n), FLOOR);
	for (int side = -1; side <= 1; side += 2) {
		DMat dv = { 0 }, moved = { 0 };
		int ok = eval_double(ck->in, ck->d, ck->x, &ck->vd, side * NUDGE, &dv) == EVAL_OK &&
			 shape_ok(ck, dv.rows, dv.cols);
		if (ok) {
			contract_d(&ck->c, &dv, &ck->vd, &moved);
			for (size_t k = 0; k < n && ok; k++)
				ok = fabs(moved.a[k] - dd->a[k]) <= WOBBLE * scale;
		}
		dmat_free(&dv);
		dmat_free(&moved);
		if (!ok)
			return 0;
	}
	return 1;
}

/* The derivative's operands do not fit at this instance's sizes: it is
 * ill-shaped, which no instance excuses (a domain error is redrawn). */
static Outcome shape_misfit(Check *ck)
{
	snprintf(ck->why, sizeof ck->why, "the derivative's operands do not fit together at these sizes");
	return OUT_FAIL;
}

/* At least one side in doubles.  df or dv is NULL when not known exactly:
 * then df comes from finite differences, dv from the double evaluator. */
static Outcome double_side(Check *ck, const QMat *df, const QMat *dv)
{
	DMat dfd = { 0 }, dvd = { 0 }, dd = { 0 };
	Outcome out = OUT_PASS;
	EvalStatus sd = EVAL_OK;
	if (dv)
		q_to_d(dv, &dvd);
	else if ((sd = eval_double(ck->in, ck->d, NULL, NULL, 0, &dvd)) != EVAL_OK)
		out = sd == EVAL_SHAPE ? shape_misfit(ck) : OUT_REDRAW;
	if (out == OUT_PASS && !shape_ok(ck, dvd.rows, dvd.cols))
		out = OUT_FAIL;
	if (out == OUT_PASS) {
		contract_d(&ck->c, &dvd, &ck->vd, &dd);
		if (df) {
			q_to_d(df, &dfd);
			out = !f_shape_ok(ck, dfd.rows, dfd.cols) ? OUT_FAIL
			      : !compare_double(ck, &dfd, &dd) ? OUT_FAIL
			      : fmax(norm2(dfd.a, dlen_of(&dfd)), norm2(dd.a, dlen_of(&dd))) <= FLOOR ? OUT_WEAK : OUT_PASS;
		} else
			out = finite_difference(ck, &dd);
		if (out == OUT_FAIL && !well_conditioned(ck, &dd))
			out = OUT_EXCUSED;
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
	if (sd == EVAL_SHAPE)   /* not undefined here: wrong (a U a^T with U n x n) */
		out = shape_misfit(ck);
	else if (sf == EVAL_DOMAIN || sd == EVAL_DOMAIN || sf == EVAL_SHAPE)
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
	inst_set_budget(ck->in, &ck->work, CHECK_MAX_WORK);
	unsigned pr = inst_dim(ck->in, fs.rows), pc = inst_dim(ck->in, fs.cols);
	unsigned xr = inst_dim(ck->in, xs.rows), xc = inst_dim(ck->in, xs.cols);
	Outcome out = OUT_REDRAW;
	ck->exact = 0;
	ck->err = 0;
	/* a variable too big to have a value (eval.h) gets no direction either;
	 * the direction's entries count against the check's budget */
	if (pr && pc && xr && xc && (uint64_t)pr * pc * xr * xc <= 1u << 20 &&
	    (uint64_t)xr * xc <= EVAL_MAX_ENTRIES && (ck->work += (uint64_t)xr * xc) <= CHECK_MAX_WORK) {
		contract_setup(ck, pr, pc, xr, xc);
		random_direction(ck, xr, xc, seed);
		out = run_instance(ck);
		qmat_free(&ck->v);
		dmat_free(&ck->vd);
	}
	return out;
}

/* "m=2, n=3": the sizes of the dimension symbols of the variables. */
void check_sizes(Pool *p, Shapes *s, const Instance *in, Buf *out)
{
	const char *seen[32];   /* a message: past 32 symbols, the rest are not named (the check is unaffected) */
	int nseen = 0;
	for (int i = 0; i < shape_var_count(s); i++) {
		Shape sh = shape_var_shape(s, i);
		for (int side = 0; side < 2; side++) {
			const Expr *dim = side ? sh.cols : sh.rows;
			for (unsigned k = 0; k < dim->nargs; k++) {
				const Expr *f = dim->args[k];
				int dup = f->kind != E_DSYM || nseen == 32;
				for (int j = 0; j < nseen && !dup; j++)
					dup = seen[j] == f->u.name;
				if (dup)
					continue;
				seen[nseen++] = f->u.name;
				buf_printf(out, "%s%s=%u", nseen > 1 ? ", " : "", f->u.name,
					   inst_dim(in, dim_sym(p, f->u.name)));
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
	Buf sizes, b;
	buf_init(&sizes);
	check_sizes(ck->pool, ck->s, ck->in, &sizes);
	buf_init(&b);
	buf_printf(&b, "instance %d (%s): %s", i + 1, sizes.len ? buf_str(&sizes) : "fixed sizes", ck->why);
	buf_free(&sizes);
	snprintf(r->detail, sizeof r->detail, "%s", buf_str(&b));   /* truncated if need be */
	buf_free(&b);
}

static CheckResult check(Pool *p, Shapes *s, const Expr *f, const Expr *x, const Expr *d, Layout layout,
			 int symmetric_dirs, int n, uint64_t seed);

CheckResult check_derivative(Pool *p, Shapes *s, const Expr *f, const Expr *x,
			     const Expr *d, Layout layout, int n, uint64_t seed)
{
	return check(p, s, f, x, d, layout, 0, n, seed);
}

CheckResult check_symmetric_gradient(Pool *p, Shapes *s, const Expr *f, const Expr *x, const Expr *g,
				     int n, uint64_t seed)
{
	return check(p, s, f, x, g, LAYOUT_DENOMINATOR, 1, n, seed);
}

static CheckResult check(Pool *p, Shapes *s, const Expr *f, const Expr *x, const Expr *d, Layout layout,
			 int symmetric_dirs, int n, uint64_t seed)
{
	CheckResult r = { .ok = 1, .exact = 1 };
	Check ck = { .pool = p, .s = s, .f = f, .x = x, .d = d, .layout = layout,
		     .symmetric_dirs = symmetric_dirs,
		     .fk = kind_of(shape_of(s, f)), .xk = kind_of(shape_of(s, x)) };
	for (int i = 0; i < (n < 1 ? 1 : n) && r.ok; i++) {
		Outcome out = OUT_REDRAW;
		int weak = 0, excused = 0, defined = 0;
		for (int k = 0; k < MAX_DRAWS && out == OUT_REDRAW; k++) {
			out = draw(&ck, draw_seed(seed + (uint64_t)i, k));
			if (out == OUT_FAIL)
				record_failure(&r, &ck, i);
			excused |= out == OUT_EXCUSED;
			weak += out == OUT_WEAK;
			defined += out != OUT_REDRAW;   /* f had a value there */
			if (out == OUT_WEAK && weak == defined && weak >= WEAK_ENOUGH)
				out = OUT_PASS;   /* zero on both sides wherever f is defined: a zero derivative */
			else if (out == OUT_WEAK || out == OUT_EXCUSED || out == OUT_UNCLEAN)
				out = OUT_REDRAW;
			inst_free(ck.in);
			if (ck.work > CHECK_MAX_WORK) {
				r.too_costly = 1;
				r.ok = 0;
				snprintf(r.detail, sizeof r.detail, "checking it would compute more than %d matrix entries",
					 CHECK_MAX_WORK);
				return r;
			}
		}
		/* A disagreement excused as ill conditioned (or where doubles
		 * saturate) leaves the instance undecided, never passed. */
		if (out == OUT_REDRAW && r.instances > 0 && !excused)
			break;   /* verified on the instances before; this one found no point */
		else if (out == OUT_REDRAW)
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
