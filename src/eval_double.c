/* eval_double.c: evaluation in doubles (eval_double, see eval.h): values
 * only, with the variable x moved to x + h dir, for the checker's finite
 * differences where an expression is not rational (exp, log, sqrt, ...). */
#include "eval_impl.h"
#include "func.h"
#include "mem.h"

#include <limits.h>
#include <math.h>
#include <string.h>

static size_t dlen(const DMat *m)
{
	return (size_t)m->rows * m->cols;
}

typedef struct {
	Instance *in;
	const Expr *x;
	const DMat *dir;
	double h;
	EvalMemo memo;
} DEval;

static EvalStatus d_init(DMat *r, unsigned rows, unsigned cols)
{
	if (eval_too_big(rows, cols))
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
	if (!eval_prod_shape(a->rows, a->cols, b->rows, b->cols, &rows, &cols))
		return EVAL_SHAPE;
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
		return EVAL_SHAPE;
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
	const DMat *v = inst_dvalue(ev->in, e);
	if (!v)
		return EVAL_DOMAIN;
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
	unsigned n = inst_arg_dim(ev->in, e, 0);
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
	unsigned m = inst_arg_dim(ev->in, e, 0), n = inst_arg_dim(ev->in, e, 1);
	if (!m || !n || d_init(r, m * n, m * n) != EVAL_OK)
		return EVAL_DOMAIN;
	eval_comm_ones(m, n, d_put_one, r);
	return EVAL_OK;
}

static EvalStatus d_dimval(DEval *ev, const Expr *e, DMat *r)
{
	unsigned n = inst_dimval(ev->in, e);
	return n ? d_scalar(r, n) : EVAL_DOMAIN;
}

/* --- operators --- */

static EvalStatus d_node(DEval *ev, const Expr *e, const DMat **out);

/* Entrywise: r = a (op) b for equal shapes, or a unary map when b is NULL. */
typedef int (*DMap)(double *r, double a, double b);

static EvalStatus d_map(DMat *r, const DMat *a, const DMat *b, DMap f)
{
	if (b && !d_same_shape(a, b))
		return EVAL_SHAPE;
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
			return EVAL_SHAPE;
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
	if (mpz_cmp_ui(mpq_denref(p->u.num), 1) != 0) {   /* the domain of .^: 0^(1/2) is 0 */
		double v;
		if (dlen(a) != 1 || !map_pow(&v, a->a[0], mpq_get_d(p->u.num)))
			return EVAL_DOMAIN;
		return d_scalar(r, v);
	}
	if (!mpz_fits_slong_p(mpq_numref(p->u.num))) {   /* a scalar to a huge power, as .^ does */
		double v;
		if (dlen(a) != 1 || !map_pow(&v, a->a[0], mpq_get_d(p->u.num)))
			return EVAL_DOMAIN;
		return d_scalar(r, v);
	}
	long k = mpz_get_si(mpq_numref(p->u.num));
	/* the squarings' multiply-adds, at a sixteenth of a rational one's cost */
	unsigned long steps = 2;
	for (unsigned long u = k < 0 ? (unsigned long)-(k + 1) + 1 : (unsigned long)k; u > 1; u >>= 1)
		steps += 2;
	if (inst_over_budget(ev->in, steps * (size_t)a->rows * a->rows * a->rows / 16))
		return EVAL_DOMAIN;
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

/* A value of the memo: the DMat and its entries. */
static void d_val_free(void *v)
{
	dmat_free(v);
	mem_free(v);
}

static void d_release(DEval *ev, const Expr *e)
{
	EvalSlot *sl = eval_memo_slot(&ev->memo, e);
	if (sl->uses && --sl->uses == 0 && sl->val) {
		d_val_free(sl->val);
		sl->val = NULL;
	}
}

static EvalStatus d_node(DEval *ev, const Expr *e, const DMat **out)
{
	EvalSlot *sl = eval_memo_slot(&ev->memo, e);
	if (sl->val) {
		*out = sl->val;
		return EVAL_OK;
	}
	DMat *r = mem_alloc(sizeof *r);
	EvalStatus st = d_compute(ev, e, r);
	if (st == EVAL_OK && inst_over_budget(ev->in, dlen(r)))
		st = EVAL_DOMAIN;
	if (st != EVAL_OK) {
		dmat_free(r);
		mem_free(r);
		return st;
	}
	sl->val = r;   /* sl is still valid: eval_count_uses made every slot */
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
	eval_memo_init(&ev.memo);
	eval_count_uses(&ev.memo, e);
	EvalStatus st = d_node(&ev, e, &r);
	*val = (DMat){ 0 };
	if (st == EVAL_OK && !all_finite(r))
		st = EVAL_DOMAIN;
	if (st == EVAL_OK) {
		EvalSlot *sl = eval_memo_slot(&ev.memo, e);
		*val = *(DMat *)sl->val;
		mem_free(sl->val);
		sl->val = NULL;
	}
	eval_memo_free(&ev.memo, d_val_free);
	return st;
}
