/* eval_exact.c: exact evaluation (eval_exact, see eval.h): every node yields
 * a dual number over mpq, its value and its directional derivative, so the
 * checker compares a derivative with no rounding at all. */
#include "eval_impl.h"
#include "func.h"
#include "mem.h"

/* Larger integer powers are left to doubles: exact entries would grow huge. */
enum { MAX_EXACT_POWER = 256 };
/* Exact entries bigger than this many bits are not computed (q_power_too_big). */
enum { EXACT_MAX_BITS = 1 << 16 };
/* Derivatives of determinants of singular matrices expand by columns (n^4). */
enum { MAX_SINGULAR_DET = 16 };

static size_t qlen(const QMat *m)
{
	return (size_t)m->rows * m->cols;
}

typedef struct {
	QMat v, d;
	int dz;             /* d is known to be zero: lets products skip work */
} QDual;

typedef struct {
	Instance *in;
	const Expr *x;
	const QMat *dir;
	EvalMemo memo;
	mpq_t t;            /* scratch */
} QEval;

static EvalStatus q_init(QDual *r, unsigned rows, unsigned cols)
{
	if (eval_too_big(rows, cols))
		return EVAL_DOMAIN;
	qmat_init(&r->v, rows, cols);
	qmat_init(&r->d, rows, cols);
	r->dz = 1;
	return EVAL_OK;
}

static void q_dual_free(QDual *r)
{
	qmat_free(&r->v);
	qmat_free(&r->d);
}

/* A value of the memo: the QDual and its matrices. */
static void q_val_free(void *v)
{
	q_dual_free(v);
	mem_free(v);
}

static int q_same_shape(const QMat *a, const QMat *b)
{
	return a->rows == b->rows && a->cols == b->cols;
}

static int q_is_zero(const QMat *m)
{
	for (size_t i = 0; i < qlen(m); i++)
		if (mpq_sgn(m->a[i]))
			return 0;
	return 1;
}

static void q_copy(QMat *r, const QMat *a)
{
	for (size_t i = 0; i < qlen(a); i++)
		mpq_set(r->a[i], a->a[i]);
}

/* r += a * b, where a or b may be a 1x1 scale. */
static void q_prod_add(QMat *r, const QMat *a, const QMat *b, mpq_t t)
{
	if (qlen(a) == 1 || qlen(b) == 1) {
		const QMat *s = qlen(a) == 1 ? a : b, *m = qlen(a) == 1 ? b : a;
		for (size_t i = 0; i < qlen(m); i++) {
			mpq_mul(t, s->a[0], m->a[i]);
			mpq_add(r->a[i], r->a[i], t);
		}
		return;
	}
	for (unsigned j = 0; j < b->cols; j++)
		for (unsigned k = 0; k < a->cols; k++) {
			mpq_srcptr bkj = b->a[k + (size_t)j * b->rows];
			if (!mpq_sgn(bkj))
				continue;
			for (unsigned i = 0; i < a->rows; i++) {
				mpq_mul(t, a->a[i + (size_t)k * a->rows], bkj);
				mpq_add(r->a[i + (size_t)j * r->rows], r->a[i + (size_t)j * r->rows], t);
			}
		}
}

static size_t q_bits(const QMat *m);

/* Products of matrices whose entries have more than this many 64-bit words
 * between them are left to doubles: each multiply-add then costs
 * microseconds, and a 60 x 60 product has 216000 of them. */
enum { EXACT_PRODUCT_WORDS = 16 };
/* What one multiply-add of rationals costs against the check's budget
 * (CHECK_MAX_WORK, counted in matrix entries): with its gcds, as much as
 * four entries computed elsewhere.  Four keeps a fuzzer's 60 x 60 powers
 * to 0.2 s and lets all but 2 of the scale test's 240 extreme cases
 * (products of 300 12 x 12 matrices) be verified. */
enum { EXACT_MULADD_COST = 4 };

/* Product rule: (a b)' = a' b + a b'. */
static EvalStatus q_prod(QEval *ev, QDual *r, const QDual *a, const QDual *b)
{
	unsigned rows, cols;
	if (!eval_prod_shape(a->v.rows, a->v.cols, b->v.rows, b->v.cols, &rows, &cols))
		return EVAL_SHAPE;
	q_init(r, rows, cols);   /* r is the caller's to free, whatever happens */
	/* a product costs its multiply-adds, not its entries, and each costs
	 * more as the numbers grow: a power of a 60 x 60 matrix of rationals
	 * is 216000 multiply-adds a step, of numbers of thousands of bits */
	size_t words = 1 + (q_bits(&a->v) + q_bits(&b->v)) / 64;
	if (words > EXACT_PRODUCT_WORDS)
		return EVAL_NOT_RATIONAL;   /* the double evaluator takes over */
	if (inst_over_budget(ev->in, (size_t)rows * cols * a->v.cols * words * EXACT_MULADD_COST))
		return EVAL_DOMAIN;
	q_prod_add(&r->v, &a->v, &b->v, ev->t);
	if (!a->dz)
		q_prod_add(&r->d, &a->d, &b->v, ev->t);
	if (!b->dz)
		q_prod_add(&r->d, &a->v, &b->d, ev->t);
	r->dz = a->dz && b->dz;
	return EVAL_OK;
}

/* r += kron(a, b) */
static void q_kron_add(QMat *r, const QMat *a, const QMat *b, mpq_t t)
{
	for (unsigned ja = 0; ja < a->cols; ja++)
		for (unsigned ia = 0; ia < a->rows; ia++)
			for (unsigned jb = 0; jb < b->cols; jb++)
				for (unsigned ib = 0; ib < b->rows; ib++) {
					size_t i = (size_t)ia * b->rows + ib, j = (size_t)ja * b->cols + jb;
					mpq_mul(t, a->a[ia + (size_t)ja * a->rows], b->a[ib + (size_t)jb * b->rows]);
					mpq_add(r->a[i + j * r->rows], r->a[i + j * r->rows], t);
				}
}

/* kron(a, b)' = kron(a', b) + kron(a, b') */
static EvalStatus q_kron(QEval *ev, QDual *r, const QDual *a, const QDual *b)
{
	EvalStatus st = q_init(r, a->v.rows * b->v.rows, a->v.cols * b->v.cols);
	if (st != EVAL_OK)
		return st;
	q_kron_add(&r->v, &a->v, &b->v, ev->t);
	if (!a->dz)
		q_kron_add(&r->d, &a->d, &b->v, ev->t);
	if (!b->dz)
		q_kron_add(&r->d, &a->v, &b->d, ev->t);
	r->dz = a->dz && b->dz;
	return EVAL_OK;
}

/* (a .* b)' = a' .* b + a .* b' */
static EvalStatus q_had(QEval *ev, QDual *r, const QDual *a, const QDual *b)
{
	if (!q_same_shape(&a->v, &b->v))
		return EVAL_SHAPE;
	q_init(r, a->v.rows, a->v.cols);
	for (size_t i = 0; i < qlen(&a->v); i++) {
		mpq_mul(r->v.a[i], a->v.a[i], b->v.a[i]);
		mpq_mul(ev->t, a->d.a[i], b->v.a[i]);
		mpq_mul(r->d.a[i], a->v.a[i], b->d.a[i]);
		mpq_add(r->d.a[i], r->d.a[i], ev->t);
	}
	r->dz = a->dz && b->dz;
	return EVAL_OK;
}

static void q_swap_rows(QMat *m, unsigned a, unsigned b)
{
	for (unsigned j = 0; a != b && j < m->cols; j++)
		mpq_swap(m->a[a + (size_t)j * m->rows], m->a[b + (size_t)j * m->rows]);
}

/* row i -= f row c, in columns j0 and on */
static void q_sub_row(QMat *m, unsigned i, unsigned c, mpq_srcptr f, unsigned j0, mpq_t t)
{
	for (unsigned j = j0; j < m->cols; j++) {
		mpq_mul(t, f, m->a[c + (size_t)j * m->rows]);
		mpq_sub(m->a[i + (size_t)j * m->rows], m->a[i + (size_t)j * m->rows], t);
	}
}

/* The first row from c down with a nonzero in column c, or n if none. */
static unsigned q_pivot(const QMat *w, unsigned c)
{
	unsigned p = c;
	while (p < w->rows && !mpq_sgn(w->a[p + (size_t)c * w->rows]))
		p++;
	return p;
}

/* Gauss-Jordan on [a | I], r initially zero; returns 0 when a is singular. */
static int q_inverse(QMat *r, const QMat *a, mpq_t t)
{
	unsigned n = a->rows, c;
	QMat w;
	mpq_t f;
	qmat_init(&w, n, n);
	mpq_init(f);
	q_copy(&w, a);
	for (unsigned i = 0; i < n; i++)
		mpq_set_ui(r->a[i + (size_t)i * n], 1, 1);
	for (c = 0; c < n; c++) {
		unsigned p = q_pivot(&w, c);
		if (p == n)
			break;
		q_swap_rows(&w, c, p);
		q_swap_rows(r, c, p);
		mpq_inv(f, w.a[c + (size_t)c * n]);
		for (unsigned j = 0; j < n; j++) {
			mpq_mul(w.a[c + (size_t)j * n], w.a[c + (size_t)j * n], f);
			mpq_mul(r->a[c + (size_t)j * n], r->a[c + (size_t)j * n], f);
		}
		for (unsigned i = 0; i < n; i++) {
			if (i == c || !mpq_sgn(w.a[i + (size_t)c * n]))
				continue;
			mpq_set(f, w.a[i + (size_t)c * n]);
			q_sub_row(&w, i, c, f, c, t);
			q_sub_row(r, i, c, f, 0, t);
		}
	}
	mpq_clear(f);
	qmat_free(&w);
	return c == n;
}

/* Gaussian elimination; a singular matrix has determinant 0. */
static void q_det(mpq_t r, const QMat *a, mpq_t t)
{
	unsigned n = a->rows;
	QMat w;
	mpq_t f;
	qmat_init(&w, n, n);
	mpq_init(f);
	q_copy(&w, a);
	mpq_set_ui(r, 1, 1);
	for (unsigned c = 0; c < n && mpq_sgn(r); c++) {
		unsigned p = q_pivot(&w, c);
		if (p == n) {
			mpq_set_ui(r, 0, 1);
			break;
		}
		if (p != c)
			mpq_neg(r, r);
		q_swap_rows(&w, c, p);
		mpq_mul(r, r, w.a[c + (size_t)c * n]);
		for (unsigned i = c + 1; i < n; i++)
			if (mpq_sgn(w.a[i + (size_t)c * n])) {
				mpq_div(f, w.a[i + (size_t)c * n], w.a[c + (size_t)c * n]);
				q_sub_row(&w, i, c, f, c, t);
			}
	}
	mpq_clear(f);
	qmat_free(&w);
}

/* d(X^-1) = -X^-1 dX X^-1 */
static EvalStatus q_inv_dual(QEval *ev, QDual *r, const QDual *a)
{
	if (a->v.rows != a->v.cols)
		return EVAL_DOMAIN;
	q_init(r, a->v.rows, a->v.cols);
	if (!q_inverse(&r->v, &a->v, ev->t)) {
		q_dual_free(r);
		return EVAL_DOMAIN;
	}
	if (a->dz)
		return EVAL_OK;
	QMat t;
	qmat_init(&t, a->v.rows, a->v.cols);
	q_prod_add(&t, &r->v, &a->d, ev->t);
	q_prod_add(&r->d, &t, &r->v, ev->t);
	qmat_free(&t);
	for (size_t i = 0; i < qlen(&r->d); i++)
		mpq_neg(r->d.a[i], r->d.a[i]);
	r->dz = 0;
	return EVAL_OK;
}

/* --- leaves --- */

static EvalStatus q_num(QDual *r, mpq_srcptr q)
{
	q_init(r, 1, 1);
	mpq_set(r->v.a[0], q);
	return EVAL_OK;
}

static EvalStatus q_var(QEval *ev, const Expr *e, QDual *r)
{
	const QMat *v = inst_qvalue(ev->in, e);
	if (!v)
		return EVAL_DOMAIN;
	q_init(r, v->rows, v->cols);
	q_copy(&r->v, v);
	if (e == ev->x && ev->dir) {
		if (!q_same_shape(v, ev->dir))
			return EVAL_DOMAIN;
		q_copy(&r->d, ev->dir);
		r->dz = 0;
	}
	return EVAL_OK;
}

static EvalStatus q_ident(QEval *ev, const Expr *e, QDual *r, int ones)
{
	unsigned n = inst_arg_dim(ev->in, e, 0);
	EvalStatus st = q_init(r, n, ones ? 1 : n);
	for (unsigned i = 0; st == EVAL_OK && i < n; i++)
		mpq_set_ui(r->v.a[ones ? i : i + (size_t)i * n], 1, 1);
	return st;
}

static void q_put_one(void *ctx, size_t i, size_t j)
{
	QMat *m = ctx;
	mpq_set_ui(m->a[i + j * m->rows], 1, 1);
}

static EvalStatus q_comm(QEval *ev, const Expr *e, QDual *r)
{
	unsigned m = inst_arg_dim(ev->in, e, 0), n = inst_arg_dim(ev->in, e, 1);
	if (!m || !n || q_init(r, m * n, m * n) != EVAL_OK)
		return EVAL_DOMAIN;
	eval_comm_ones(m, n, q_put_one, &r->v);
	return EVAL_OK;
}

static EvalStatus q_dimval(QEval *ev, const Expr *e, QDual *r)
{
	unsigned n = inst_dimval(ev->in, e);
	if (!n)
		return EVAL_DOMAIN;
	q_init(r, 1, 1);
	mpq_set_ui(r->v.a[0], n, 1);
	return EVAL_OK;
}

/* --- operators --- */

static EvalStatus q_node(QEval *ev, const Expr *e, const QDual **out);

static EvalStatus q_add(QEval *ev, const Expr *e, QDual *r)
{
	const QDual *a;
	EvalStatus st = q_node(ev, e->args[0], &a);
	if (st != EVAL_OK)
		return st;
	q_init(r, a->v.rows, a->v.cols);
	for (unsigned k = 0; k < e->nargs; k++) {
		if (k && (st = q_node(ev, e->args[k], &a)) != EVAL_OK)
			return st;
		if (!q_same_shape(&a->v, &r->v))
			return EVAL_SHAPE;
		for (size_t i = 0; i < qlen(&r->v); i++) {
			mpq_add(r->v.a[i], r->v.a[i], a->v.a[i]);
			mpq_add(r->d.a[i], r->d.a[i], a->d.a[i]);
		}
		r->dz = r->dz && a->dz;
	}
	return EVAL_OK;
}

static EvalStatus q_neg(QEval *ev, const Expr *e, QDual *r)
{
	const QDual *a;
	EvalStatus st = q_node(ev, e->args[0], &a);
	if (st != EVAL_OK)
		return st;
	q_init(r, a->v.rows, a->v.cols);
	for (size_t i = 0; i < qlen(&a->v); i++) {
		mpq_neg(r->v.a[i], a->v.a[i]);
		mpq_neg(r->d.a[i], a->d.a[i]);
	}
	r->dz = a->dz;
	return EVAL_OK;
}

typedef EvalStatus (*QBinary)(QEval *, QDual *, const QDual *, const QDual *);

/* Folds an n-ary chain left to right: ((a b) c) d. */
static EvalStatus q_fold(QEval *ev, const Expr *e, QDual *r, QBinary op)
{
	const QDual *a, *b;
	EvalStatus st = q_node(ev, e->args[0], &a);
	if (st != EVAL_OK || (st = q_node(ev, e->args[1], &b)) != EVAL_OK ||
	    (st = op(ev, r, a, b)) != EVAL_OK)
		return st;
	for (unsigned k = 2; k < e->nargs; k++) {
		QDual acc = *r;
		*r = (QDual){ 0 };
		st = q_node(ev, e->args[k], &b);
		if (st == EVAL_OK)
			st = op(ev, r, &acc, b);
		q_dual_free(&acc);
		if (st != EVAL_OK)
			return st;
	}
	return EVAL_OK;
}

/* (a / s)' = a' / s - a s' / s^2 */
static EvalStatus q_div(QEval *ev, const Expr *e, QDual *r)
{
	const QDual *a, *s;
	EvalStatus st = q_node(ev, e->args[0], &a);
	if (st != EVAL_OK || (st = q_node(ev, e->args[1], &s)) != EVAL_OK)
		return st;
	if (qlen(&s->v) != 1 || !mpq_sgn(s->v.a[0]))
		return EVAL_DOMAIN;
	mpq_t inv, ds;
	mpq_inits(inv, ds, NULL);
	mpq_inv(inv, s->v.a[0]);
	mpq_mul(ds, s->d.a[0], inv);
	mpq_mul(ds, ds, inv);      /* s' / s^2 */
	q_init(r, a->v.rows, a->v.cols);
	for (size_t i = 0; i < qlen(&a->v); i++) {
		mpq_mul(r->v.a[i], a->v.a[i], inv);
		mpq_mul(r->d.a[i], a->d.a[i], inv);
		mpq_mul(ev->t, a->v.a[i], ds);
		mpq_sub(r->d.a[i], r->d.a[i], ev->t);
	}
	r->dz = a->dz && s->dz;
	mpq_clears(inv, ds, NULL);
	return EVAL_OK;
}

/* (a ./ b)' = (a' b - a b') / b^2, entrywise */
static EvalStatus q_hdiv(QEval *ev, const Expr *e, QDual *r)
{
	const QDual *a, *b;
	EvalStatus st = q_node(ev, e->args[0], &a);
	if (st != EVAL_OK || (st = q_node(ev, e->args[1], &b)) != EVAL_OK)
		return st;
	if (!q_same_shape(&a->v, &b->v))
		return EVAL_SHAPE;
	for (size_t i = 0; i < qlen(&b->v); i++)
		if (!mpq_sgn(b->v.a[i]))
			return EVAL_DOMAIN;
	q_init(r, a->v.rows, a->v.cols);
	for (size_t i = 0; i < qlen(&a->v); i++) {
		mpq_div(r->v.a[i], a->v.a[i], b->v.a[i]);
		mpq_mul(ev->t, r->v.a[i], b->d.a[i]);     /* a b' / b */
		mpq_sub(r->d.a[i], a->d.a[i], ev->t);
		mpq_div(r->d.a[i], r->d.a[i], b->v.a[i]);
	}
	r->dz = a->dz && b->dz;
	return EVAL_OK;
}

static EvalStatus q_trans(QEval *ev, const Expr *e, QDual *r)
{
	const QDual *a;
	EvalStatus st = q_node(ev, e->args[0], &a);
	if (st != EVAL_OK)
		return st;
	unsigned m = a->v.rows, n = a->v.cols;
	q_init(r, n, m);
	for (unsigned i = 0; i < m; i++)
		for (unsigned j = 0; j < n; j++) {
			mpq_set(r->v.a[j + (size_t)i * n], a->v.a[i + (size_t)j * m]);
			mpq_set(r->d.a[j + (size_t)i * n], a->d.a[i + (size_t)j * m]);
		}
	r->dz = a->dz;
	return EVAL_OK;
}

static EvalStatus q_inv(QEval *ev, const Expr *e, QDual *r)
{
	const QDual *a;
	EvalStatus st = q_node(ev, e->args[0], &a);
	return st != EVAL_OK ? st : q_inv_dual(ev, r, a);
}

/* The integer k of an exponent, if it is one within the exact range. */
static int small_integer(mpq_srcptr q, long *k)
{
	if (mpz_cmp_ui(mpq_denref(q), 1) != 0 || !mpz_fits_slong_p(mpq_numref(q)))
		return 0;
	*k = mpz_get_si(mpq_numref(q));
	return *k >= -MAX_EXACT_POWER && *k <= MAX_EXACT_POWER;
}

/* a^k by repeated squaring; the product rule carries the derivative. */
static EvalStatus q_power(QEval *ev, QDual *r, const QDual *a, unsigned long k)
{
	QDual base, acc;
	unsigned n = a->v.rows;
	q_init(&acc, n, n);
	for (unsigned i = 0; i < n; i++)
		mpq_set_ui(acc.v.a[i + (size_t)i * n], 1, 1);
	q_init(&base, n, n);
	q_copy(&base.v, &a->v);
	q_copy(&base.d, &a->d);
	base.dz = a->dz;
	for (; k; k >>= 1) {
		QDual t;
		if (k & 1) {
			q_prod(ev, &t, &acc, &base);
			q_dual_free(&acc);
			acc = t;
		}
		if (k > 1) {
			q_prod(ev, &t, &base, &base);
			q_dual_free(&base);
			base = t;
		}
	}
	q_dual_free(&base);
	*r = acc;
	return EVAL_OK;
}

/* The largest size, in bits, of an entry of m (numerator and denominator). */
static size_t q_bits(const QMat *m)
{
	size_t most = 0;
	for (size_t i = 0; i < qlen(m); i++) {
		size_t b = mpz_sizeinbase(mpq_numref(m->a[i]), 2) + mpz_sizeinbase(mpq_denref(m->a[i]), 2);
		most = b > most ? b : most;
	}
	return most;
}

/* Whether a^k would have entries too big to compute exactly: each factor
 * adds about bits(a) + log2(n) + 1 bits.  Then the double evaluator takes
 * over (the check's cost budget: ((H^100)^100)^100 is not computed exactly). */
static int q_power_too_big(const QDual *a, unsigned long k)
{
	size_t per = q_bits(&a->v) + q_bits(&a->d) + 2;
	for (unsigned n = a->v.rows; n > 1; n >>= 1)
		per++;
	return k > EXACT_MAX_BITS / per;
}

/* A^k for a square matrix or a scalar; A^-k = (A^-1)^k; A^0 = I. */
static EvalStatus q_pow(QEval *ev, const Expr *e, QDual *r)
{
	const QDual *a;
	long k;
	if (e->args[1]->kind != E_NUM || !small_integer(e->args[1]->u.num, &k))
		return EVAL_NOT_RATIONAL;
	EvalStatus st = q_node(ev, e->args[0], &a);
	if (st != EVAL_OK)
		return st;
	if (a->v.rows != a->v.cols)
		return EVAL_DOMAIN;
	if (q_power_too_big(a, k < 0 ? 0UL - (unsigned long)k : (unsigned long)k))
		return EVAL_NOT_RATIONAL;
	if (k >= 0)
		return q_power(ev, r, a, (unsigned long)k);
	QDual ai;
	if ((st = q_inv_dual(ev, &ai, a)) != EVAL_OK)
		return st;
	st = q_power(ev, r, &ai, (unsigned long)-k);
	q_dual_free(&ai);
	return st;
}

/* r = x^k for an integer k; 0 when x = 0 and k < 0. */
static int q_ipow(mpq_t r, mpq_srcptr x, long k)
{
	if (k < 0 && !mpq_sgn(x))
		return 0;
	unsigned long u = k < 0 ? (unsigned long)-k : (unsigned long)k;
	mpz_pow_ui(mpq_numref(r), mpq_numref(x), u);
	mpz_pow_ui(mpq_denref(r), mpq_denref(x), u);
	if (k < 0)
		mpq_inv(r, r);
	return 1;
}

/* (x .^ p)' = p x^(p-1) x', entrywise, for a constant integer p. */
static EvalStatus q_epow(QEval *ev, const Expr *e, QDual *r)
{
	const QDual *a, *p;
	long k;
	EvalStatus st = q_node(ev, e->args[1], &p);
	if (st != EVAL_OK)
		return st;
	if (qlen(&p->v) != 1 || !q_is_zero(&p->d) || !small_integer(p->v.a[0], &k))
		return EVAL_NOT_RATIONAL;
	if ((st = q_node(ev, e->args[0], &a)) != EVAL_OK)
		return st;
	q_init(r, a->v.rows, a->v.cols);
	for (size_t i = 0; i < qlen(&a->v) && k == 0; i++)
		mpq_set_ui(r->v.a[i], 1, 1);   /* x .^ 0 = 1, even at 0 */
	for (size_t i = 0; i < qlen(&a->v) && k != 0; i++) {
		if (!q_ipow(r->v.a[i], a->v.a[i], k) || !q_ipow(ev->t, a->v.a[i], k - 1))
			return EVAL_DOMAIN;
		mpq_mul(ev->t, ev->t, a->d.a[i]);
		mpq_set_si(r->d.a[i], k, 1);
		mpq_mul(r->d.a[i], r->d.a[i], ev->t);
	}
	r->dz = a->dz || k == 0;
	return EVAL_OK;
}

/* --- functions --- */

static EvalStatus q_trace(const QDual *a, QDual *r)
{
	if (a->v.rows != a->v.cols)
		return EVAL_DOMAIN;
	q_init(r, 1, 1);
	for (unsigned i = 0; i < a->v.rows; i++) {
		mpq_add(r->v.a[0], r->v.a[0], a->v.a[i + (size_t)i * a->v.rows]);
		mpq_add(r->d.a[0], r->d.a[0], a->d.a[i + (size_t)i * a->v.rows]);
	}
	r->dz = a->dz;
	return EVAL_OK;
}

/* d det X = sum over j of det(X with column j replaced by that of dX): the
 * rule that needs no inverse, for singular X. */
static void q_det_by_columns(QEval *ev, mpq_t r, const QDual *a)
{
	unsigned n = a->v.rows;
	QMat w;
	mpq_t dj;
	qmat_init(&w, n, n);
	mpq_init(dj);
	mpq_set_ui(r, 0, 1);
	for (unsigned j = 0; j < n; j++) {
		q_copy(&w, &a->v);
		for (unsigned i = 0; i < n; i++)
			mpq_set(w.a[i + (size_t)j * n], a->d.a[i + (size_t)j * n]);
		q_det(dj, &w, ev->t);
		mpq_add(r, r, dj);
	}
	mpq_clear(dj);
	qmat_free(&w);
}

/* d det X = det X tr(X^-1 dX) */
static EvalStatus q_det_dual(QEval *ev, const QDual *a, QDual *r)
{
	unsigned n = a->v.rows;
	if (n != a->v.cols)
		return EVAL_DOMAIN;
	q_init(r, 1, 1);
	q_det(r->v.a[0], &a->v, ev->t);
	r->dz = a->dz;
	if (a->dz)
		return EVAL_OK;
	if (!mpq_sgn(r->v.a[0])) {
		if (n > MAX_SINGULAR_DET)
			return EVAL_DOMAIN;
		q_det_by_columns(ev, r->d.a[0], a);
		return EVAL_OK;
	}
	QMat xi, p;
	qmat_init(&xi, n, n);
	qmat_init(&p, n, n);
	q_inverse(&xi, &a->v, ev->t);
	q_prod_add(&p, &xi, &a->d, ev->t);
	for (unsigned i = 0; i < n; i++)
		mpq_add(r->d.a[0], r->d.a[0], p.a[i + (size_t)i * n]);
	mpq_mul(r->d.a[0], r->d.a[0], r->v.a[0]);
	qmat_free(&xi);
	qmat_free(&p);
	return EVAL_OK;
}

/* diag of a column is a diagonal matrix; diag of a square matrix its diagonal. */
static EvalStatus q_diag(const QDual *a, QDual *r)
{
	unsigned n = a->v.rows;
	int to_matrix = a->v.cols == 1;
	if (!to_matrix && a->v.cols != n)
		return EVAL_DOMAIN;
	EvalStatus st = q_init(r, n, to_matrix ? n : 1);
	for (unsigned i = 0; st == EVAL_OK && i < n; i++) {
		size_t at = to_matrix ? i + (size_t)i * n : i, from = to_matrix ? i : i + (size_t)i * n;
		mpq_set(r->v.a[at], a->v.a[from]);
		mpq_set(r->d.a[at], a->d.a[from]);
	}
	r->dz = a->dz;
	return st;
}

static EvalStatus q_reshape_sum(const QDual *a, QDual *r, int sum)
{
	q_init(r, sum ? 1 : a->v.rows * a->v.cols, 1);
	for (size_t i = 0; i < qlen(&a->v); i++) {
		mpq_add(r->v.a[sum ? 0 : i], r->v.a[sum ? 0 : i], a->v.a[i]);
		mpq_add(r->d.a[sum ? 0 : i], r->d.a[sum ? 0 : i], a->d.a[i]);
	}
	r->dz = a->dz;
	return EVAL_OK;
}

/* abs and relu are rational away from their kink at 0, where neither has a
 * derivative. */
/* An element-wise function with an exact map (abs, relu, sign, step). */
static EvalStatus q_elementwise(const QDual *a, QDual *r, FuncQMap f)
{
	q_init(r, a->v.rows, a->v.cols);
	for (size_t i = 0; i < qlen(&a->v); i++)
		if (!f(r->v.a[i], r->d.a[i], a->v.a[i], a->d.a[i]))
			return EVAL_DOMAIN;
	r->dz = a->dz;
	return EVAL_OK;
}

static EvalStatus q_func(QEval *ev, const Expr *e, QDual *r)
{
	const QDual *a;
	EvalStatus st = q_node(ev, e->args[0], &a);
	if (st != EVAL_OK)
		return st;
	switch (e->fn) {
	case F_TR:
		return q_trace(a, r);
	case F_DET:
		return q_det_dual(ev, a, r);
	case F_DIAG:
		return q_diag(a, r);
	case F_VEC:
		return q_reshape_sum(a, r, 0);
	case F_SUM:
		return q_reshape_sum(a, r, 1);
	default:   /* the table's exact map, where the function is rational */
		break;
	}
	if (func_def(e->fn)->qmap)
		return q_elementwise(a, r, func_def(e->fn)->qmap);
	return EVAL_NOT_RATIONAL;
}

static EvalStatus q_compute(QEval *ev, const Expr *e, QDual *r)
{
	switch (e->kind) {
	case E_NUM:
		return q_num(r, e->u.num);
	case E_VAR:
		return q_var(ev, e, r);
	case E_DSYM: case E_DIM:
		return q_dimval(ev, e, r);
	case E_IDENT:
		return q_ident(ev, e, r, 0);
	case E_ONES:
		return q_ident(ev, e, r, 1);
	case E_COMM:
		return q_comm(ev, e, r);
	case E_ADD:
		return q_add(ev, e, r);
	case E_NEG:
		return q_neg(ev, e, r);
	case E_MUL:
		return q_fold(ev, e, r, q_prod);
	case E_DIV:
		return q_div(ev, e, r);
	case E_HAD:
		return q_fold(ev, e, r, q_had);
	case E_HDIV:
		return q_hdiv(ev, e, r);
	case E_KRON:
		return q_fold(ev, e, r, q_kron);
	case E_TRANS:
		return q_trans(ev, e, r);
	case E_INV:
		return q_inv(ev, e, r);
	case E_POW:
		return q_pow(ev, e, r);
	case E_EPOW:
		return q_epow(ev, e, r);
	case E_FUNC:
		return q_func(ev, e, r);
	}
	return EVAL_DOMAIN;
}

/* A value is freed when the last parent that needs it has been computed. */
static void q_release(QEval *ev, const Expr *e)
{
	EvalSlot *sl = eval_memo_slot(&ev->memo, e);
	if (sl->uses && --sl->uses == 0 && sl->val) {
		q_val_free(sl->val);
		sl->val = NULL;
	}
}

static EvalStatus q_node(QEval *ev, const Expr *e, const QDual **out)
{
	EvalSlot *sl = eval_memo_slot(&ev->memo, e);
	if (sl->val) {
		*out = sl->val;
		return EVAL_OK;
	}
	QDual *r = mem_alloc(sizeof *r);
	EvalStatus st = q_compute(ev, e, r);
	if (st == EVAL_OK && inst_over_budget(ev->in, 2 * qlen(&r->v)))
		st = EVAL_DOMAIN;
	if (st != EVAL_OK) {
		q_dual_free(r);
		mem_free(r);
		return st;
	}
	sl->val = r;   /* sl is still valid: eval_count_uses made every slot */
	for (unsigned i = 0; i < e->nargs; i++)
		q_release(ev, e->args[i]);
	*out = r;
	return EVAL_OK;
}

static void q_eval_free(QEval *ev)
{
	eval_memo_free(&ev->memo, q_val_free);
	mpq_clear(ev->t);
}

EvalStatus eval_exact(Instance *in, const Expr *e, const Expr *x, const QMat *dir,
		      QMat *val, QMat *dval)
{
	QEval ev = { .in = in, .x = x, .dir = dir };
	const QDual *r;
	mpq_init(ev.t);
	eval_memo_init(&ev.memo);
	eval_count_uses(&ev.memo, e);
	EvalStatus st = q_node(&ev, e, &r);
	if (val)
		*val = (QMat){ 0 };
	if (dval)
		*dval = (QMat){ 0 };
	if (st == EVAL_OK) {
		/* move the root's matrices out instead of copying them */
		QDual *root = eval_memo_slot(&ev.memo, e)->val;
		if (val) {
			*val = root->v;
			root->v = (QMat){ 0 };
		}
		if (dval) {
			*dval = root->d;
			root->d = (QMat){ 0 };
		}
	}
	q_eval_free(&ev);
	return st;
}

