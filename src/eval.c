/* eval.c: evaluation of elaborated expressions on random instances, exactly
 * over mpq with dual numbers (value, directional derivative), or in doubles. */
#include "eval.h"
#include "func.h"
#include "mem.h"
#include "rng.h"

#include <limits.h>
#include <math.h>
#include <string.h>

/* No matrix may have more entries than this (64 x 64), so neither evaluator
 * can eat the machine: products, inverses and determinants then cost at most
 * 4096^1.5 operations each. */
enum { MAX_ENTRIES = EVAL_MAX_ENTRIES };
/* Larger integer powers are left to doubles: exact entries would grow huge. */
enum { MAX_EXACT_POWER = 256 };
/* Exact entries bigger than this many bits are not computed (q_power_too_big). */
enum { EXACT_MAX_BITS = 1 << 16 };
/* Derivatives of determinants of singular matrices expand by columns (n^4). */
enum { MAX_SINGULAR_DET = 16 };

static long rng_below(uint64_t *s, long n)
{
	return (long)(rng_next(s) % (uint64_t)n);
}

/* --- a table from nodes to per-node data, for walks over shared DAGs --- */

typedef struct {
	const Expr *key;
	unsigned uses;      /* parents still to consume the value */
	int seen;
	void *val;          /* QDual * or DMat *, owned */
} Slot;

typedef struct {
	Slot *s;
	size_t cap, n;
} Memo;

static void memo_free(Memo *m)
{
	mem_free(m->s);
	*m = (Memo){ 0 };
}

static void memo_grow(Memo *m)
{
	size_t cap = m->cap ? 2 * m->cap : 64;
	Slot *t = mem_alloc(cap * sizeof *t);
	for (size_t i = 0; i < m->cap; i++) {
		if (!m->s[i].key)
			continue;
		size_t j = m->s[i].key->hash & (cap - 1);
		while (t[j].key)
			j = (j + 1) & (cap - 1);
		t[j] = m->s[i];
	}
	mem_free(m->s);
	m->s = t;
	m->cap = cap;
}

/* The slot of e, created empty if need be.  Valid until the next call. */
static Slot *memo_slot(Memo *m, const Expr *e)
{
	if (2 * (m->n + 1) > m->cap)
		memo_grow(m);
	size_t j = e->hash & (m->cap - 1);
	for (; m->s[j].key; j = (j + 1) & (m->cap - 1))
		if (m->s[j].key == e)
			return &m->s[j];
	m->n++;
	m->s[j].key = e;
	return &m->s[j];
}

/* Count, for every node under e, how many parent edges lead to it, so an
 * evaluator can free a value once its last parent has used it. */
static void count_uses(Memo *m, const Expr *e)
{
	Slot *sl = memo_slot(m, e);
	if (sl->seen)
		return;
	sl->seen = 1;
	for (unsigned i = 0; i < e->nargs; i++) {
		count_uses(m, e->args[i]);
		memo_slot(m, e->args[i])->uses++;
	}
}

/* --- matrices --- */

void qmat_init(QMat *m, unsigned rows, unsigned cols)
{
	size_t n = (size_t)rows * cols;
	m->rows = rows;
	m->cols = cols;
	m->a = mem_alloc((n ? n : 1) * sizeof *m->a);
	for (size_t i = 0; i < n; i++)
		mpq_init(m->a[i]);
}

void qmat_free(QMat *m)
{
	if (!m || !m->a) {
		if (m)
			*m = (QMat){ 0 };
		return;
	}
	for (size_t i = 0; i < (size_t)m->rows * m->cols; i++)
		mpq_clear(m->a[i]);
	mem_free(m->a);
	*m = (QMat){ 0 };
}

void dmat_init(DMat *m, unsigned rows, unsigned cols)
{
	size_t n = (size_t)rows * cols;
	m->rows = rows;
	m->cols = cols;
	m->a = mem_alloc((n ? n : 1) * sizeof *m->a);
}

void dmat_free(DMat *m)
{
	if (!m)
		return;
	mem_free(m->a);
	*m = (DMat){ 0 };
}

static int too_big(unsigned rows, unsigned cols)
{
	return rows == 0 || cols == 0 || (uint64_t)rows * cols > MAX_ENTRIES;
}

static size_t qlen(const QMat *m)
{
	return (size_t)m->rows * m->cols;
}

static size_t dlen(const DMat *m)
{
	return (size_t)m->rows * m->cols;
}

/* The shape of a product: a 1x1 factor scales, otherwise rows by columns. */
static int prod_shape(unsigned ar, unsigned ac, unsigned br, unsigned bc,
		      unsigned *r, unsigned *c)
{
	if (ar == 1 && ac == 1) {
		*r = br;
		*c = bc;
	} else if (br == 1 && bc == 1) {
		*r = ar;
		*c = ac;
	} else if (ac == br) {
		*r = ar;
		*c = bc;
	} else {
		return 0;
	}
	return !too_big(*r, *c);
}

/* K_{m,n} maps vec(A) to vec(A^T) for m x n A: A_ij sits at i + j m in vec(A)
 * and at j + i n in vec(A^T).  Calls put(ctx, row, col) for each 1. */
static void comm_ones(unsigned m, unsigned n, void (*put)(void *, size_t, size_t), void *ctx)
{
	for (unsigned i = 0; i < m; i++)
		for (unsigned j = 0; j < n; j++)
			put(ctx, j + (size_t)i * n, i + (size_t)j * m);
}

/* --- the instance --- */

struct Instance {
	int ndims;
	const char **dname;    /* interned dimension symbol names */
	unsigned *dsize;
	int nvars;
	const Expr **var;      /* E_VAR nodes */
	QMat *q;
	DMat *d;
	unsigned long *work;   /* entries computed, shared by a whole check */
	unsigned long work_limit;
};

void inst_set_budget(Instance *in, unsigned long *work, unsigned long limit)
{
	in->work = work;
	in->work_limit = limit;
}

/* Counts a computed value; 1 when the check's budget is spent (the
 * evaluation then stops as if undefined, and the checker sees the budget). */
static int over_budget(Instance *in, size_t entries)
{
	if (!in->work)
		return 0;
	*in->work += entries + 1;
	return *in->work > in->work_limit;
}

static unsigned dsym_size(const Instance *in, const char *name)
{
	for (int i = 0; i < in->ndims; i++)
		if (in->dname[i] == name)
			return in->dsize[i];
	return 0;
}

/* 0 when a symbol has no size or the product is absurdly large. */
unsigned inst_dim(const Instance *in, const Expr *dim)
{
	uint64_t n = 1;
	for (unsigned i = 0; i < dim->nargs; i++) {
		const Expr *f = dim->args[i];
		uint64_t k = 0;
		if (f->kind == E_NUM && mpz_fits_ulong_p(mpq_numref(f->u.num)))
			k = mpz_get_ui(mpq_numref(f->u.num));
		else if (f->kind == E_DSYM)
			k = dsym_size(in, f->u.name);
		if (k == 0 || k > MAX_ENTRIES)
			return 0;
		n *= k;
		if (n > MAX_ENTRIES)
			return 0;
	}
	return (unsigned)n;
}

/* Sizes are 2 to 4 mostly, and 1 one time in eight (a degenerate case the
 * engine must handle too). */
static void add_dsym(Instance *in, const Expr *sym, uint64_t *rng)
{
	if (dsym_size(in, sym->u.name))
		return;
	in->dname = mem_realloc(in->dname, (size_t)(in->ndims + 1) * sizeof *in->dname);
	in->dsize = mem_realloc(in->dsize, (size_t)(in->ndims + 1) * sizeof *in->dsize);
	long r = rng_below(rng, 24);
	in->dname[in->ndims] = sym->u.name;
	in->dsize[in->ndims++] = r < 3 ? 1 : 2 + (unsigned)(r % 3);
}

static void add_dim(Instance *in, const Expr *dim, uint64_t *rng)
{
	for (unsigned i = 0; i < dim->nargs; i++)
		if (dim->args[i]->kind == E_DSYM)
			add_dsym(in, dim->args[i], rng);
}

static void find_dsyms(Instance *in, Memo *seen, const Expr *e, uint64_t *rng)
{
	Slot *sl = memo_slot(seen, e);
	if (sl->seen)
		return;
	sl->seen = 1;
	if (e->kind == E_DSYM)
		add_dsym(in, e, rng);
	for (unsigned i = 0; i < e->nargs; i++)
		find_dsyms(in, seen, e->args[i], rng);
}

/* An entry k/d: k in [-4, 4] and d in {1, 2, 3}; in positive mode k in [1, 4]
 * and d in {1, ..., 4}, so that logs and square roots have instances. */
static void random_entry(mpq_t q, uint64_t *rng, int positive)
{
	long k = positive ? 1 + rng_below(rng, 4) : rng_below(rng, 9) - 4;
	unsigned long d = positive ? 1 + (unsigned long)rng_below(rng, 4)
		: 1 + (unsigned long)rng_below(rng, 3);
	mpq_set_si(q, k, d);
	mpq_canonicalize(q);
}

/* Make a square matrix strictly diagonally dominant with a positive diagonal:
 * its eigenvalues then lie in the right half plane, so it is invertible with a
 * positive determinant, and positive definite when symmetric. */
static void dominate(QMat *m)
{
	mpq_t t;
	mpq_init(t);
	for (unsigned i = 0; i < m->rows; i++) {
		mpq_t *dii = &m->a[i + (size_t)i * m->rows];
		mpq_abs(*dii, *dii);
		for (unsigned j = 0; j < m->cols; j++)
			if (j != i) {
				mpq_abs(t, m->a[i + (size_t)j * m->rows]);
				mpq_add(*dii, *dii, t);
			}
		mpq_set_ui(t, 1, 1);
		mpq_add(*dii, *dii, t);
	}
	mpq_clear(t);
}

static void random_value(QMat *m, Shape sh, int symmetric, uint64_t *rng, int positive)
{
	for (unsigned j = 0; j < m->cols; j++)
		for (unsigned i = 0; i < m->rows; i++) {
			if (symmetric && i < j)   /* (j, i) is in column i < j, filled */
				mpq_set(m->a[i + (size_t)j * m->rows], m->a[j + (size_t)i * m->rows]);
			else
				random_entry(m->a[i + (size_t)j * m->rows], rng, positive);
		}
	if (sh.rows == sh.cols && !dim_is_one(sh.rows))
		dominate(m);
}

static void to_double(DMat *d, const QMat *q)
{
	dmat_init(d, q->rows, q->cols);
	for (size_t i = 0; i < qlen(q); i++)
		d->a[i] = mpq_get_d(q->a[i]);
}

static void random_values(Instance *in, Shapes *s, uint64_t *rng, int positive)
{
	in->nvars = shape_var_count(s);
	in->var = mem_alloc((size_t)(in->nvars + 1) * sizeof *in->var);
	in->q = mem_alloc((size_t)(in->nvars + 1) * sizeof *in->q);
	in->d = mem_alloc((size_t)(in->nvars + 1) * sizeof *in->d);
	for (int i = 0; i < in->nvars; i++) {
		Shape sh = shape_var_shape(s, i);
		unsigned r = inst_dim(in, sh.rows), c = inst_dim(in, sh.cols);
		in->var[i] = shape_var(s, i);
		if (too_big(r, c))
			continue;   /* left without a value: evaluating it is a domain error */
		qmat_init(&in->q[i], r, c);
		random_value(&in->q[i], sh, shape_symmetric(s, in->var[i]), rng, positive);
		to_double(&in->d[i], &in->q[i]);
	}
}

Instance *inst_random(Pool *p, Shapes *s, const Expr *const *exprs, int n, uint64_t seed)
{
	(void)p;
	Instance *in = mem_alloc(sizeof *in);
	uint64_t rng = seed;
	/* One instance in four has positive entries only: without it, a function
	 * like sum(log(x)) would rarely find an instance in its domain. */
	int positive = rng_below(&rng, 4) == 0;
	for (int i = 0; i < shape_var_count(s); i++) {
		add_dim(in, shape_var_shape(s, i).rows, &rng);
		add_dim(in, shape_var_shape(s, i).cols, &rng);
	}
	Memo seen = { 0 };
	for (int i = 0; i < n; i++)
		if (exprs[i])
			find_dsyms(in, &seen, exprs[i], &rng);
	memo_free(&seen);
	random_values(in, s, &rng, positive);
	return in;
}

void inst_free(Instance *in)
{
	if (!in)
		return;
	for (int i = 0; i < in->nvars; i++) {
		qmat_free(&in->q[i]);
		dmat_free(&in->d[i]);
	}
	mem_free(in->q);
	mem_free(in->d);
	mem_free(in->var);
	mem_free(in->dname);
	mem_free(in->dsize);
	mem_free(in);
}

static int var_index(const Instance *in, const Expr *v)
{
	for (int i = 0; i < in->nvars; i++)
		if (in->var[i] == v)
			return in->q[i].a ? i : -1;
	return -1;
}

/* ====================================================================
 * Exact evaluation: every node yields a dual number (value, derivative)
 * ==================================================================== */

typedef struct {
	QMat v, d;
	int dz;             /* d is known to be zero: lets products skip work */
} QDual;

typedef struct {
	Instance *in;
	const Expr *x;
	const QMat *dir;
	Memo memo;
	mpq_t t;            /* scratch */
} QEval;

static EvalStatus q_init(QDual *r, unsigned rows, unsigned cols)
{
	if (too_big(rows, cols))
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

/* Product rule: (a b)' = a' b + a b'. */
static EvalStatus q_prod(QEval *ev, QDual *r, const QDual *a, const QDual *b)
{
	unsigned rows, cols;
	if (!prod_shape(a->v.rows, a->v.cols, b->v.rows, b->v.cols, &rows, &cols))
		return EVAL_DOMAIN;
	q_init(r, rows, cols);
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
		return EVAL_DOMAIN;
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
	int i = var_index(ev->in, e);
	if (i < 0)
		return EVAL_DOMAIN;
	const QMat *v = &ev->in->q[i];
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

static unsigned const_dim(const Instance *in, const Expr *e, unsigned k)
{
	return e->nargs > k ? inst_dim(in, e->args[k]) : 1;
}

static EvalStatus q_ident(QEval *ev, const Expr *e, QDual *r, int ones)
{
	unsigned n = const_dim(ev->in, e, 0);
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
	unsigned m = const_dim(ev->in, e, 0), n = const_dim(ev->in, e, 1);
	if (!m || !n || q_init(r, m * n, m * n) != EVAL_OK)
		return EVAL_DOMAIN;
	comm_ones(m, n, q_put_one, &r->v);
	return EVAL_OK;
}

static EvalStatus q_dimval(QEval *ev, const Expr *e, QDual *r)
{
	unsigned n = e->kind == E_DIM ? inst_dim(ev->in, e) : dsym_size(ev->in, e->u.name);
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
			return EVAL_DOMAIN;
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
		return EVAL_DOMAIN;
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
	Slot *sl = memo_slot(&ev->memo, e);
	if (sl->uses && --sl->uses == 0 && sl->val) {
		q_dual_free(sl->val);
		mem_free(sl->val);
		sl->val = NULL;
	}
}

static EvalStatus q_node(QEval *ev, const Expr *e, const QDual **out)
{
	Slot *sl = memo_slot(&ev->memo, e);
	if (sl->val) {
		*out = sl->val;
		return EVAL_OK;
	}
	QDual *r = mem_alloc(sizeof *r);
	EvalStatus st = q_compute(ev, e, r);
	if (st == EVAL_OK && over_budget(ev->in, 2 * qlen(&r->v)))
		st = EVAL_DOMAIN;
	if (st != EVAL_OK) {
		q_dual_free(r);
		mem_free(r);
		return st;
	}
	memo_slot(&ev->memo, e)->val = r;
	for (unsigned i = 0; i < e->nargs; i++)
		q_release(ev, e->args[i]);
	*out = r;
	return EVAL_OK;
}

static void q_eval_free(QEval *ev)
{
	for (size_t i = 0; i < ev->memo.cap; i++)
		if (ev->memo.s[i].val) {
			q_dual_free(ev->memo.s[i].val);
			mem_free(ev->memo.s[i].val);
		}
	memo_free(&ev->memo);
	mpq_clear(ev->t);
}

EvalStatus eval_exact(Instance *in, const Expr *e, const Expr *x, const QMat *dir,
		      QMat *val, QMat *dval)
{
	QEval ev = { .in = in, .x = x, .dir = dir };
	const QDual *r;
	mpq_init(ev.t);
	count_uses(&ev.memo, e);
	EvalStatus st = q_node(&ev, e, &r);
	if (val)
		*val = (QMat){ 0 };
	if (dval)
		*dval = (QMat){ 0 };
	if (st == EVAL_OK) {
		/* move the root's matrices out instead of copying them */
		QDual *root = memo_slot(&ev.memo, e)->val;
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

/* ====================================================================
 * Double evaluation: values only, with x moved to x + h dir
 * ==================================================================== */

typedef struct {
	Instance *in;
	const Expr *x;
	const DMat *dir;
	double h;
	Memo memo;
} DEval;

static EvalStatus d_init(DMat *r, unsigned rows, unsigned cols)
{
	if (too_big(rows, cols))
		return EVAL_DOMAIN;
	dmat_init(r, rows, cols);
	return EVAL_OK;
}

static int d_same_shape(const DMat *a, const DMat *b)
{
	return a->rows == b->rows && a->cols == b->cols;
}

static void d_prod_add(DMat *r, const DMat *a, const DMat *b)
{
	if (dlen(a) == 1 || dlen(b) == 1) {
		const DMat *s = dlen(a) == 1 ? a : b, *m = dlen(a) == 1 ? b : a;
		for (size_t i = 0; i < dlen(m); i++)
			r->a[i] += s->a[0] * m->a[i];
		return;
	}
	for (unsigned j = 0; j < b->cols; j++)
		for (unsigned k = 0; k < a->cols; k++)
			for (unsigned i = 0; i < a->rows; i++)
				r->a[i + (size_t)j * r->rows] +=
					a->a[i + (size_t)k * a->rows] * b->a[k + (size_t)j * b->rows];
}

static EvalStatus d_prod(DMat *r, const DMat *a, const DMat *b)
{
	unsigned rows, cols;
	if (!prod_shape(a->rows, a->cols, b->rows, b->cols, &rows, &cols))
		return EVAL_DOMAIN;
	dmat_init(r, rows, cols);
	d_prod_add(r, a, b);
	return EVAL_OK;
}

static EvalStatus d_kron(DMat *r, const DMat *a, const DMat *b)
{
	if (d_init(r, a->rows * b->rows, a->cols * b->cols) != EVAL_OK)
		return EVAL_DOMAIN;
	for (unsigned ja = 0; ja < a->cols; ja++)
		for (unsigned ia = 0; ia < a->rows; ia++)
			for (unsigned jb = 0; jb < b->cols; jb++)
				for (unsigned ib = 0; ib < b->rows; ib++) {
					size_t i = (size_t)ia * b->rows + ib, j = (size_t)ja * b->cols + jb;
					r->a[i + j * r->rows] = a->a[ia + (size_t)ja * a->rows] *
						b->a[ib + (size_t)jb * b->rows];
				}
	return EVAL_OK;
}

static EvalStatus d_had(DMat *r, const DMat *a, const DMat *b)
{
	if (!d_same_shape(a, b))
		return EVAL_DOMAIN;
	dmat_init(r, a->rows, a->cols);
	for (size_t i = 0; i < dlen(a); i++)
		r->a[i] = a->a[i] * b->a[i];
	return EVAL_OK;
}

static void d_swap_rows(DMat *m, unsigned a, unsigned b)
{
	for (unsigned j = 0; a != b && j < m->cols; j++) {
		double t = m->a[a + (size_t)j * m->rows];
		m->a[a + (size_t)j * m->rows] = m->a[b + (size_t)j * m->rows];
		m->a[b + (size_t)j * m->rows] = t;
	}
}

/* row i -= f row c */
static void d_sub_row(DMat *m, unsigned i, unsigned c, double f)
{
	for (unsigned j = 0; j < m->cols; j++)
		m->a[i + (size_t)j * m->rows] -= f * m->a[c + (size_t)j * m->rows];
}

static void d_scale_row(DMat *m, unsigned c, double f)
{
	for (unsigned j = 0; j < m->cols; j++)
		m->a[c + (size_t)j * m->rows] *= f;
}

/* The row from c down with the largest entry in column c. */
static unsigned d_pivot(const DMat *w, unsigned c)
{
	unsigned p = c;
	for (unsigned i = c + 1; i < w->rows; i++)
		if (fabs(w->a[i + (size_t)c * w->rows]) > fabs(w->a[p + (size_t)c * w->rows]))
			p = i;
	return p;
}

/* Gauss-Jordan with partial pivoting on a copy, also on inv (initially zero)
 * unless it is NULL.  A pivot that vanishes next to the matrix's scale counts
 * as singular: returns 0 with *det = 0. */
static int d_gauss(const DMat *a, DMat *inv, double *det)
{
	unsigned n = a->rows, c;
	DMat w;
	double scale = 0;
	dmat_init(&w, n, n);
	memcpy(w.a, a->a, dlen(a) * sizeof *w.a);
	for (size_t i = 0; i < dlen(a); i++)
		scale = fmax(scale, fabs(a->a[i]));
	for (unsigned i = 0; inv && i < n; i++)
		inv->a[i + (size_t)i * n] = 1;
	*det = 1;
	for (c = 0; c < n; c++) {
		unsigned p = d_pivot(&w, c);
		double piv = w.a[p + (size_t)c * n];
		if (piv == 0 || fabs(piv) <= 1e-13 * scale)
			break;
		*det *= p != c ? -piv : piv;
		d_swap_rows(&w, c, p);
		d_scale_row(&w, c, 1 / piv);
		if (inv) {
			d_swap_rows(inv, c, p);
			d_scale_row(inv, c, 1 / piv);
		}
		for (unsigned i = 0; i < n; i++) {
			double f = w.a[i + (size_t)c * n];
			if (i == c || f == 0)
				continue;
			d_sub_row(&w, i, c, f);
			if (inv)
				d_sub_row(inv, i, c, f);
		}
	}
	dmat_free(&w);
	if (c < n)
		*det = 0;
	return c == n;
}

static EvalStatus d_inverse(DMat *r, const DMat *a)
{
	double det;
	if (a->rows != a->cols)
		return EVAL_DOMAIN;
	dmat_init(r, a->rows, a->cols);
	if (d_gauss(a, r, &det))
		return EVAL_OK;
	dmat_free(r);
	return EVAL_DOMAIN;
}

/* --- leaves --- */

static EvalStatus d_var(DEval *ev, const Expr *e, DMat *r)
{
	int i = var_index(ev->in, e);
	if (i < 0)
		return EVAL_DOMAIN;
	const DMat *v = &ev->in->d[i];
	dmat_init(r, v->rows, v->cols);
	memcpy(r->a, v->a, dlen(v) * sizeof *r->a);
	if (e == ev->x && ev->dir) {
		if (!d_same_shape(v, ev->dir))
			return EVAL_DOMAIN;
		for (size_t k = 0; k < dlen(v); k++)
			r->a[k] += ev->h * ev->dir->a[k];
	}
	return EVAL_OK;
}

static EvalStatus d_scalar(DMat *r, double v)
{
	dmat_init(r, 1, 1);
	r->a[0] = v;
	return EVAL_OK;
}

static EvalStatus d_ident(DEval *ev, const Expr *e, DMat *r, int ones)
{
	unsigned n = const_dim(ev->in, e, 0);
	EvalStatus st = d_init(r, n, ones ? 1 : n);
	for (unsigned i = 0; st == EVAL_OK && i < n; i++)
		r->a[ones ? i : i + (size_t)i * n] = 1;
	return st;
}

static void d_put_one(void *ctx, size_t i, size_t j)
{
	DMat *m = ctx;
	m->a[i + j * m->rows] = 1;
}

static EvalStatus d_comm(DEval *ev, const Expr *e, DMat *r)
{
	unsigned m = const_dim(ev->in, e, 0), n = const_dim(ev->in, e, 1);
	if (!m || !n || d_init(r, m * n, m * n) != EVAL_OK)
		return EVAL_DOMAIN;
	comm_ones(m, n, d_put_one, r);
	return EVAL_OK;
}

static EvalStatus d_dimval(DEval *ev, const Expr *e, DMat *r)
{
	unsigned n = e->kind == E_DIM ? inst_dim(ev->in, e) : dsym_size(ev->in, e->u.name);
	return n ? d_scalar(r, n) : EVAL_DOMAIN;
}

/* --- operators --- */

static EvalStatus d_node(DEval *ev, const Expr *e, const DMat **out);

/* Entrywise: r = a (op) b for equal shapes, or a unary map when b is NULL. */
typedef int (*DMap)(double *r, double a, double b);

static EvalStatus d_map(DMat *r, const DMat *a, const DMat *b, DMap f)
{
	if (b && !d_same_shape(a, b))
		return EVAL_DOMAIN;
	dmat_init(r, a->rows, a->cols);
	for (size_t i = 0; i < dlen(a); i++)
		if (!f(&r->a[i], a->a[i], b ? b->a[i] : 0))
			return EVAL_DOMAIN;
	return EVAL_OK;
}

static int map_neg(double *r, double a, double b)
{
	(void)b;
	*r = -a;
	return 1;
}

static int map_div(double *r, double a, double b)
{
	*r = a / b;
	return b != 0;
}

static EvalStatus d_add(DEval *ev, const Expr *e, DMat *r)
{
	const DMat *a;
	EvalStatus st = d_node(ev, e->args[0], &a);
	if (st != EVAL_OK)
		return st;
	dmat_init(r, a->rows, a->cols);
	for (unsigned k = 0; k < e->nargs; k++) {
		if (k && (st = d_node(ev, e->args[k], &a)) != EVAL_OK)
			return st;
		if (!d_same_shape(a, r))
			return EVAL_DOMAIN;
		for (size_t i = 0; i < dlen(r); i++)
			r->a[i] += a->a[i];
	}
	return EVAL_OK;
}

typedef EvalStatus (*DBinary)(DMat *, const DMat *, const DMat *);

static EvalStatus d_fold(DEval *ev, const Expr *e, DMat *r, DBinary op)
{
	const DMat *a, *b;
	EvalStatus st = d_node(ev, e->args[0], &a);
	if (st != EVAL_OK || (st = d_node(ev, e->args[1], &b)) != EVAL_OK ||
	    (st = op(r, a, b)) != EVAL_OK)
		return st;
	for (unsigned k = 2; k < e->nargs; k++) {
		DMat acc = *r;
		*r = (DMat){ 0 };
		st = d_node(ev, e->args[k], &b);
		if (st == EVAL_OK)
			st = op(r, &acc, b);
		dmat_free(&acc);
		if (st != EVAL_OK)
			return st;
	}
	return EVAL_OK;
}

/* Both operands of a binary node, then f on them. */
static EvalStatus d_binary(DEval *ev, const Expr *e, DMat *r,
			   EvalStatus (*f)(DMat *, const DMat *, const DMat *))
{
	const DMat *a, *b;
	EvalStatus st = d_node(ev, e->args[0], &a);
	if (st != EVAL_OK || (st = d_node(ev, e->args[1], &b)) != EVAL_OK)
		return st;
	return f(r, a, b);
}

static EvalStatus d_div(DMat *r, const DMat *a, const DMat *s)
{
	if (dlen(s) != 1 || s->a[0] == 0)
		return EVAL_DOMAIN;
	dmat_init(r, a->rows, a->cols);
	for (size_t i = 0; i < dlen(a); i++)
		r->a[i] = a->a[i] / s->a[0];
	return EVAL_OK;
}

static EvalStatus d_hdiv(DMat *r, const DMat *a, const DMat *b)
{
	return d_map(r, a, b, map_div);
}

static EvalStatus d_trans(const DMat *a, DMat *r)
{
	dmat_init(r, a->cols, a->rows);
	for (unsigned i = 0; i < a->rows; i++)
		for (unsigned j = 0; j < a->cols; j++)
			r->a[j + (size_t)i * a->cols] = a->a[i + (size_t)j * a->rows];
	return EVAL_OK;
}

/* a^k by repeated squaring, for any integer k that fits a long. */
static EvalStatus d_power(DMat *r, const DMat *a, unsigned long k)
{
	DMat base, acc;
	unsigned n = a->rows;
	dmat_init(&acc, n, n);
	for (unsigned i = 0; i < n; i++)
		acc.a[i + (size_t)i * n] = 1;
	dmat_init(&base, n, n);
	memcpy(base.a, a->a, dlen(a) * sizeof *base.a);
	for (; k; k >>= 1) {
		DMat t;
		if (k & 1) {
			d_prod(&t, &acc, &base);
			dmat_free(&acc);
			acc = t;
		}
		if (k > 1) {
			d_prod(&t, &base, &base);
			dmat_free(&base);
			base = t;
		}
	}
	dmat_free(&base);
	*r = acc;
	return EVAL_OK;
}

static int map_pow(double *r, double x, double p);

/* Integer powers of square matrices; other powers of positive scalars. */
static EvalStatus d_pow(DEval *ev, const Expr *e, DMat *r)
{
	const DMat *a;
	const Expr *p = e->args[1];
	EvalStatus st = d_node(ev, e->args[0], &a);
	if (st != EVAL_OK || p->kind != E_NUM)
		return st != EVAL_OK ? st : EVAL_DOMAIN;
	if (a->rows != a->cols)
		return EVAL_DOMAIN;
	if (mpz_cmp_ui(mpq_denref(p->u.num), 1) != 0) {
		if (dlen(a) != 1 || !(a->a[0] > 0))
			return EVAL_DOMAIN;
		return d_scalar(r, pow(a->a[0], mpq_get_d(p->u.num)));
	}
	if (!mpz_fits_slong_p(mpq_numref(p->u.num))) {   /* a scalar to a huge power, as .^ does */
		double v;
		if (dlen(a) != 1 || !map_pow(&v, a->a[0], mpq_get_d(p->u.num)))
			return EVAL_DOMAIN;
		return d_scalar(r, v);
	}
	long k = mpz_get_si(mpq_numref(p->u.num));
	if (k >= 0)
		return d_power(r, a, (unsigned long)k);
	DMat ai;
	if ((st = d_inverse(&ai, a)) != EVAL_OK)
		return st;
	st = d_power(r, &ai, k == LONG_MIN ? (unsigned long)LONG_MAX + 1 : (unsigned long)-k);
	dmat_free(&ai);
	return st;
}

/* x^p with the domain of the reals: a negative base needs a whole exponent,
 * and zero a nonnegative one. */
static int map_pow(double *r, double x, double p)
{
	if ((x < 0 && p != floor(p)) || (x == 0 && p < 0))
		return 0;
	*r = pow(x, p);
	return 1;
}

static EvalStatus d_epow(DEval *ev, const Expr *e, DMat *r)
{
	const DMat *a, *p;
	EvalStatus st = d_node(ev, e->args[0], &a);
	if (st != EVAL_OK || (st = d_node(ev, e->args[1], &p)) != EVAL_OK)
		return st;
	if (dlen(p) != 1)
		return EVAL_DOMAIN;
	dmat_init(r, a->rows, a->cols);
	for (size_t i = 0; i < dlen(a); i++)
		if (!map_pow(&r->a[i], a->a[i], p->a[0]))
			return EVAL_DOMAIN;
	return EVAL_OK;
}

/* --- functions --- */

static EvalStatus d_det(const DMat *a, DMat *r, int log_of)
{
	double det;
	if (a->rows != a->cols)
		return EVAL_DOMAIN;
	d_gauss(a, NULL, &det);
	if (log_of)
		return det > 0 ? d_scalar(r, log(det)) : EVAL_DOMAIN;
	return d_scalar(r, det);
}

static EvalStatus d_diag(const DMat *a, DMat *r)
{
	unsigned n = a->rows;
	int to_matrix = a->cols == 1;
	if (!to_matrix && a->cols != n)
		return EVAL_DOMAIN;
	EvalStatus st = d_init(r, n, to_matrix ? n : 1);
	for (unsigned i = 0; st == EVAL_OK && i < n; i++)
		r->a[to_matrix ? i + (size_t)i * n : i] = a->a[to_matrix ? i : i + (size_t)i * n];
	return st;
}

static EvalStatus d_trace(const DMat *a, DMat *r)
{
	double s = 0;
	if (a->rows != a->cols)
		return EVAL_DOMAIN;
	for (unsigned i = 0; i < a->rows; i++)
		s += a->a[i + (size_t)i * a->rows];
	return d_scalar(r, s);
}

/* A function from the table: entry by entry, or of all entries at once. */
static EvalStatus d_table(const DMat *a, DMat *r, const FuncDef *f)
{
	if (f->dmap) {
		dmat_init(r, a->rows, a->cols);
		for (size_t i = 0; i < dlen(a); i++)
			if (!f->dmap(&r->a[i], a->a[i]))
				return EVAL_DOMAIN;
		return EVAL_OK;
	}
	if (!f->dwhole)
		return EVAL_DOMAIN;
	if (f->shape == FS_COLUMN)
		dmat_init(r, a->rows, a->cols);
	else
		dmat_init(r, 1, 1);
	return f->dwhole(r->a, a->a, dlen(a)) ? EVAL_OK : EVAL_DOMAIN;
}

static EvalStatus d_func(DEval *ev, const Expr *e, DMat *r)
{
	const DMat *a;
	EvalStatus st = d_node(ev, e->args[0], &a);
	if (st != EVAL_OK)
		return st;
	switch (e->fn) {
	case F_TR:
		return d_trace(a, r);
	case F_DET: case F_LOGDET:
		return d_det(a, r, e->fn == F_LOGDET);
	case F_DIAG:
		return d_diag(a, r);
	case F_VEC:
		dmat_init(r, a->rows * a->cols, 1);
		memcpy(r->a, a->a, dlen(a) * sizeof *r->a);
		return EVAL_OK;
	default:   /* the table's maps */
		return d_table(a, r, func_def(e->fn));
	}
}

static EvalStatus d_unary(DEval *ev, const Expr *e, DMat *r)
{
	const DMat *a;
	EvalStatus st = d_node(ev, e->args[0], &a);
	if (st != EVAL_OK)
		return st;
	if (e->kind == E_NEG)
		return d_map(r, a, NULL, map_neg);
	if (e->kind == E_TRANS)
		return d_trans(a, r);
	return d_inverse(r, a);
}

static EvalStatus d_compute(DEval *ev, const Expr *e, DMat *r)
{
	switch (e->kind) {
	case E_NUM:
		return d_scalar(r, mpq_get_d(e->u.num));
	case E_VAR:
		return d_var(ev, e, r);
	case E_DSYM: case E_DIM:
		return d_dimval(ev, e, r);
	case E_IDENT:
		return d_ident(ev, e, r, 0);
	case E_ONES:
		return d_ident(ev, e, r, 1);
	case E_COMM:
		return d_comm(ev, e, r);
	case E_ADD:
		return d_add(ev, e, r);
	case E_NEG: case E_TRANS: case E_INV:
		return d_unary(ev, e, r);
	case E_MUL:
		return d_fold(ev, e, r, d_prod);
	case E_DIV:
		return d_binary(ev, e, r, d_div);
	case E_HAD:
		return d_fold(ev, e, r, d_had);
	case E_HDIV:
		return d_binary(ev, e, r, d_hdiv);
	case E_KRON:
		return d_fold(ev, e, r, d_kron);
	case E_POW:
		return d_pow(ev, e, r);
	case E_EPOW:
		return d_epow(ev, e, r);
	case E_FUNC:
		return d_func(ev, e, r);
	}
	return EVAL_DOMAIN;
}

static void d_release(DEval *ev, const Expr *e)
{
	Slot *sl = memo_slot(&ev->memo, e);
	if (sl->uses && --sl->uses == 0 && sl->val) {
		dmat_free(sl->val);
		mem_free(sl->val);
		sl->val = NULL;
	}
}

static EvalStatus d_node(DEval *ev, const Expr *e, const DMat **out)
{
	Slot *sl = memo_slot(&ev->memo, e);
	if (sl->val) {
		*out = sl->val;
		return EVAL_OK;
	}
	DMat *r = mem_alloc(sizeof *r);
	EvalStatus st = d_compute(ev, e, r);
	if (st == EVAL_OK && over_budget(ev->in, dlen(r)))
		st = EVAL_DOMAIN;
	if (st != EVAL_OK) {
		dmat_free(r);
		mem_free(r);
		return st;
	}
	memo_slot(&ev->memo, e)->val = r;
	for (unsigned i = 0; i < e->nargs; i++)
		d_release(ev, e->args[i]);
	*out = r;
	return EVAL_OK;
}

static int all_finite(const DMat *m)
{
	for (size_t i = 0; i < dlen(m); i++)
		if (!isfinite(m->a[i]))
			return 0;
	return 1;
}

/* An overflow or a NaN is a domain error: no comparison can use it. */
EvalStatus eval_double(Instance *in, const Expr *e, const Expr *x, const DMat *dir,
		       double h, DMat *val)
{
	DEval ev = { .in = in, .x = x, .dir = dir, .h = h };
	const DMat *r;
	count_uses(&ev.memo, e);
	EvalStatus st = d_node(&ev, e, &r);
	*val = (DMat){ 0 };
	if (st == EVAL_OK && !all_finite(r))
		st = EVAL_DOMAIN;
	if (st == EVAL_OK) {
		Slot *sl = memo_slot(&ev.memo, e);
		*val = *(DMat *)sl->val;
		mem_free(sl->val);
		sl->val = NULL;
	}
	for (size_t i = 0; i < ev.memo.cap; i++)
		if (ev.memo.s[i].val) {
			dmat_free(ev.memo.s[i].val);
			mem_free(ev.memo.s[i].val);
		}
	memo_free(&ev.memo);
	return st;
}
