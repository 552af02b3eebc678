/* diff.c: differentials, and reading the derivative off them (see diff.h).
 * Zero is NULL throughout, so terms that vanish never get built. */
#include "diff.h"
#include "canon.h"
#include "func.h"
#include "arena.h"
#include "map.h"

#include <string.h>

typedef struct {
	Pool *p;
	Shapes *s;
	const Expr *x, *dx;    /* the variable and its differential */
	Shape xs;              /* x's shape: m x n */
	Map memo;              /* node -> its differential (a Zero marker for 0) */
	Map has;               /* node -> whether it contains dx */
	int hadamard_ok;       /* left_factor may take v .* (A dx) as diag(v) A dx */
	const char *error;
} Diff;

static const Expr zero_marker;   /* a distinct address meaning "zero" in memo */

enum { MAX_POWER = 1000 };       /* d(X^k) has k terms */

/* --- building blocks; NULL is zero, and for mul NULL factors are skipped --- */

static const Expr *num(Diff *d, long v)
{
	return expr_int(d->p, v);
}

static const Expr *mk(Diff *d, ExprKind k, const Expr *a, const Expr *b)
{
	const Expr *args[2] = { a, b };
	return expr_make(d->p, k, args, b ? 2 : 1);
}

static const Expr *fn(Diff *d, FuncId f, const Expr *a)
{
	return expr_func(d->p, f, a);
}

static const Expr *add(Diff *d, const Expr *a, const Expr *b)
{
	if (!a)
		return b;
	if (!b)
		return a;
	return mk(d, E_ADD, a, b);
}

/* A sum gathered term by term, made into one flat node at the end (adding
 * one at a time would nest, or copy, n times). */
typedef struct {
	const Expr **t;
	unsigned n, cap;
} SumBuf;

static void sum_add(Diff *d, SumBuf *b, const Expr *e)
{
	if (!e)
		return;
	if (b->n == b->cap) {
		unsigned cap = b->cap ? 2 * b->cap : 8;
		b->t = arena_grow(pool_arena(d->p), b->t, b->n * sizeof *b->t, cap * sizeof *b->t);
		b->cap = cap;
	}
	b->t[b->n++] = e;
}

static const Expr *sum_done(Diff *d, SumBuf *b)
{
	if (b->n == 0)
		return NULL;
	return b->n == 1 ? b->t[0] : expr_make(d->p, E_ADD, b->t, b->n);
}

static const Expr *neg(Diff *d, const Expr *a)
{
	return a ? expr_unary(d->p, E_NEG, a) : NULL;
}

/* The product of n factors; NULL factors mean the identity.  The kept
 * factors go to the arena at full length: a long chain loses none. */
static const Expr *muln(Diff *d, const Expr *const *f, int n)
{
	const Expr **keep = arena_alloc(pool_arena(d->p), (size_t)(n ? n : 1) * sizeof *keep);
	int k = 0;
	for (int i = 0; i < n; i++)
		if (f[i])
			keep[k++] = f[i];
	if (k == 0)
		return NULL;
	if (k == 1)
		return keep[0];
	return expr_make(d->p, E_MUL, keep, (unsigned)k);
}

static const Expr *mul(Diff *d, const Expr *a, const Expr *b)
{
	const Expr *f[2] = { a, b };
	return muln(d, f, 2);
}

static const Expr *mul3(Diff *d, const Expr *a, const Expr *b, const Expr *c)
{
	const Expr *f[3] = { a, b, c };
	return muln(d, f, 3);
}

static const Expr *trans(Diff *d, const Expr *a)
{
	return a ? expr_unary(d->p, E_TRANS, a) : NULL;
}

static const Expr *ident(Diff *d, const Expr *dim)
{
	return expr_make(d->p, E_IDENT, &dim, 1);
}

static const Expr *ones(Diff *d, const Expr *dim)
{
	return expr_make(d->p, E_ONES, &dim, 1);
}

static Shape shape(Diff *d, const Expr *e)
{
	return shape_of(d->s, e);
}

static int scalar(Diff *d, const Expr *e)
{
	return shape_is_scalar(shape(d, e));
}

static int column(Diff *d, const Expr *e)
{
	return dim_is_one(shape(d, e).cols);
}

/* --- the differential --- */

static const Expr *dif(Diff *d, const Expr *e);
static void fail(Diff *d, const char *msg);

/* d(f1 f2 ... fn) = sum over i of f1 .. d fi .. fn, in order */
static const Expr *dif_product(Diff *d, const Expr *e)
{
	SumBuf sum = { 0 };
	for (unsigned i = 0; i < e->nargs; i++) {
		const Expr *di = dif(d, e->args[i]);
		if (!di)
			continue;
		const Expr **f = arena_alloc(pool_arena(d->p), e->nargs * sizeof *f);
		memcpy(f, e->args, e->nargs * sizeof *f);
		f[i] = di;
		sum_add(d, &sum, expr_make(d->p, e->kind, f, e->nargs));
	}
	return sum_done(d, &sum);
}

/* d(A^k) for a whole k: sum of A^j dA A^(k-1-j); a negative k goes through A^-1. */
static const Expr *dif_matrix_power(Diff *d, const Expr *a, long k)
{
	const Expr *base = a, *db = dif(d, a);
	if (!db)
		return NULL;   /* (and mul3 would read NULL as the identity) */
	if (k > MAX_POWER || k < -MAX_POWER) {
		fail(d, "a matrix power above 1000 is not differentiated term by term");
		return NULL;
	}
	if (k < 0) {
		base = expr_unary(d->p, E_INV, a);
		db = neg(d, mul3(d, base, db, base));
		k = -k;
	}
	if (!db)
		return NULL;
	if (canon_commute(d->s, base, db))   /* d(X^k) = k X^(k-1) dX when dX commutes with X */
		return mul3(d, num(d, k), k == 1 ? NULL : k == 2 ? base : expr_binary(d->p, E_POW, base, num(d, k - 1)), db);
	SumBuf sum = { 0 };
	for (long j = 0; j < k; j++) {
		const Expr *left = j == 0 ? NULL : j == 1 ? base : expr_binary(d->p, E_POW, base, num(d, j));
		long r = k - 1 - j;
		const Expr *right = r == 0 ? NULL : r == 1 ? base : expr_binary(d->p, E_POW, base, num(d, r));
		sum_add(d, &sum, mul3(d, left, db, right));
	}
	return sum_done(d, &sum);
}

/* The number k - 1. */
static const Expr *minus_one(Diff *d, mpq_srcptr k)
{
	mpq_t q;
	mpq_init(q);
	mpq_set_si(q, -1, 1);
	mpq_add(q, q, k);
	const Expr *e = expr_num(d->p, q);
	mpq_clear(q);
	return e;
}

static const Expr *power_of(Diff *d, const Expr *a, const Expr *k)
{
	if (expr_is_num(k, 1))
		return a;
	if (expr_is_num(k, 0))
		return NULL;
	return expr_binary(d->p, E_POW, a, k);
}

/* d ||r||^k = k ||r||^(k-2) r^T dr (tr(R^T dR) for a matrix): never through
 * d ||r|| = r^T dr / ||r||, which divides by zero where r = 0, the optimum of
 * a least-squares problem, though ||r||^2 is smooth there (SPEC 4). */
static const Expr *dif_norm_pow(Diff *d, const Expr *e)
{
	const Expr *n = e->args[0], *r = n->args[0], *k = e->args[1];
	const Expr *dr = dif(d, r);
	if (!dr)
		return NULL;
	const Expr *inner = column(d, r) ? mul(d, trans(d, r), dr) : fn(d, F_TR, mul(d, trans(d, r), dr));
	mpq_t km2;
	mpq_init(km2);
	mpq_set_si(km2, -2, 1);
	mpq_add(km2, km2, k->u.num);
	const Expr *p = expr_num(d->p, km2);
	mpq_clear(km2);
	return mul3(d, k, power_of(d, n, p), inner);
}

/* d(a^k) = k a^(k-1) da for a scalar a; the sum of products for a matrix. */
static const Expr *dif_pow(Diff *d, const Expr *e)
{
	const Expr *a = e->args[0];
	mpq_srcptr k = e->args[1]->u.num;
	if (a->kind == E_FUNC && a->fn == F_NORM)
		return dif_norm_pow(d, e);
	if (!scalar(d, a))
		return dif_matrix_power(d, a, mpz_get_si(mpq_numref(k)));
	const Expr *da = dif(d, a);
	if (!da)
		return NULL;
	return mul3(d, e->args[1], power_of(d, a, minus_one(d, k)), da);
}

/* d(a .^ p) = p a.^(p-1) .* da, plus a.^p .* log(a) dp when p varies. */
static const Expr *dif_epow(Diff *d, const Expr *e)
{
	const Expr *a = e->args[0], *p = e->args[1];
	const Expr *da = dif(d, a), *dp = dif(d, p), *r = NULL;
	if (da) {
		const Expr *pm1 = p->kind == E_NUM ? minus_one(d, p->u.num) : mk(d, E_ADD, p, num(d, -1));
		const Expr *pw = expr_is_num(pm1, 0) ? NULL : expr_is_num(pm1, 1) ? a : mk(d, E_EPOW, a, pm1);
		r = mul(d, p, pw ? mk(d, E_HAD, pw, da) : da);
	}
	if (dp)
		r = add(d, r, mul(d, dp, mk(d, E_HAD, e, fn(d, F_LOG, a))));
	return r;
}

/* d(a / s) = da / s - (ds / s^2) a */
static const Expr *dif_div(Diff *d, const Expr *e)
{
	const Expr *a = e->args[0], *s = e->args[1];
	const Expr *da = dif(d, a), *ds = dif(d, s), *r = NULL;
	if (da)
		r = mk(d, E_DIV, da, s);
	if (ds)
		r = add(d, r, neg(d, mk(d, E_DIV, mul(d, ds, a), expr_binary(d->p, E_POW, s, num(d, 2)))));
	return r;
}

/* d(a ./ b) = da ./ b - (a .* db) ./ b.^2 */
static const Expr *dif_hdiv(Diff *d, const Expr *e)
{
	const Expr *a = e->args[0], *b = e->args[1];
	const Expr *da = dif(d, a), *db = dif(d, b), *r = NULL;
	if (da)
		r = mk(d, E_HDIV, da, b);
	if (db)
		r = add(d, r, neg(d, mk(d, E_HDIV, mk(d, E_HAD, a, db), mk(d, E_EPOW, b, num(d, 2)))));
	return r;
}

/* 1 - u or ones - u: the u, else NULL. */
static const Expr *one_minus(const Expr *a)
{
	if (a->kind != E_ADD || a->nargs != 2 || a->args[1]->kind != E_NEG)
		return NULL;
	const Expr *k = a->args[0];
	return expr_is_num(k, 1) || (k->kind == E_ONES) ? a->args[1]->args[0] : NULL;
}

/* d log(a) = da ./ a, with the log-sigmoid and log-softmax identities
 * written out, since the quotient would not cancel:
 * d log(sigmoid(u)) = (1 - sigmoid(u)) du, d log(1 - sigmoid(u)) =
 * -sigmoid(u) du, and d log(softmax(u)) = du - 1 softmax(u)^T du (log
 * softmax(u) = u - logsumexp(u) 1). */
static const Expr *dif_log(Diff *d, const Expr *a, const Expr *da)
{
	const Expr *s = one_minus(a);
	if (a->kind == E_FUNC && a->fn == F_SIGMOID) {
		const Expr *du = dif(d, a->args[0]);
		return add(d, du, neg(d, mk(d, E_HAD, a, du)));
	}
	if (a->kind == E_FUNC && a->fn == F_SOFTMAX) {
		const Expr *du = dif(d, a->args[0]);
		const Expr *lse = mul(d, trans(d, a), du);
		return add(d, du, neg(d, mul(d, ones(d, shape(d, a).rows), lse)));
	}
	if (s && s->kind == E_FUNC && s->fn == F_SIGMOID)
		return neg(d, mk(d, E_HAD, s, dif(d, s->args[0])));
	return func_def(F_LOG)->rule(d->p, fn(d, F_LOG, a), shape(d, a), da);
}

/* f(a): the rule in the function table, except where a composite has a
 * simpler derivative than the chain rule gives (the log-sigmoid forms). */
static const Expr *dif_func(Diff *d, const Expr *e)
{
	const Expr *a = e->args[0], *da = dif(d, a);
	if (!da)
		return NULL;
	if (e->fn == F_LOG)
		return dif_log(d, a, da);
	return func_def(e->fn)->rule(d->p, e, shape(d, a), da);
}

static const Expr *dif_sum(Diff *d, const Expr *e)
{
	SumBuf sum = { 0 };
	for (unsigned i = 0; i < e->nargs; i++)
		sum_add(d, &sum, dif(d, e->args[i]));
	return sum_done(d, &sum);
}

static const Expr *compute(Diff *d, const Expr *e)
{
	switch (e->kind) {
	case E_NUM: case E_DSYM: case E_DIM: case E_IDENT: case E_ONES: case E_COMM:
		return NULL;
	case E_VAR:
		return e == d->x ? d->dx : NULL;
	case E_ADD:
		return dif_sum(d, e);
	case E_NEG:
		return neg(d, dif(d, e->args[0]));
	case E_MUL: case E_HAD: case E_KRON:
		return dif_product(d, e);
	case E_DIV:
		return dif_div(d, e);
	case E_HDIV:
		return dif_hdiv(d, e);
	case E_TRANS:
		return trans(d, dif(d, e->args[0]));
	case E_INV: {   /* d(A^-1) = -A^-1 dA A^-1 */
		const Expr *da = dif(d, e->args[0]);
		return da ? neg(d, mul3(d, e, da, e)) : NULL;
	}
	case E_POW:
		return dif_pow(d, e);
	case E_EPOW:
		return dif_epow(d, e);
	case E_FUNC:
		return dif_func(d, e);
	}
	return NULL;
}

/* The differential of e, memoised: shared subexpressions are done once. */
static const Expr *dif(Diff *d, const Expr *e)
{
	const void *v;
	if (map_get(&d->memo, e, &v))
		return v == &zero_marker ? NULL : v;
	pool_check_budget(d->p);   /* a safe point: see expr.h */
	const Expr *r = compute(d, e);
	map_put(&d->memo, e, r ? (const void *)r : &zero_marker);
	return r;
}

/* --- reading the derivative off the differential --- */

static int has_dx(Diff *d, const Expr *e)
{
	const void *v;
	if (e == d->dx)
		return 1;
	if (map_get(&d->has, e, &v))
		return v != NULL;
	int h = 0;
	for (unsigned i = 0; i < e->nargs && !h; i++)
		h = has_dx(d, e->args[i]);
	map_put(&d->has, e, h ? e : NULL);
	return h;
}

static void fail(Diff *d, const char *msg)
{
	if (!d->error)
		d->error = msg;
}

/* Splits a product around its one factor that holds dx: the 1 x 1 factors
 * without dx (they commute) into c, the others into left and right. */
typedef struct {
	const Expr *c, *left, *w, *right;
} Split;

static Split split_product(Diff *d, const Expr *e)
{
	Split sp = { 0 };
	const Expr **l = arena_alloc(pool_arena(d->p), e->nargs * sizeof *l);
	const Expr **r = arena_alloc(pool_arena(d->p), e->nargs * sizeof *r);
	int nl = 0, nr = 0;
	for (unsigned i = 0; i < e->nargs; i++) {
		const Expr *f = e->args[i];
		if (has_dx(d, f)) {
			if (sp.w)
				fail(d, "internal error: a term is not linear in the differential");
			sp.w = f;
		} else if (scalar(d, f)) {
			sp.c = mul(d, sp.c, f);
		} else if (sp.w) {
			r[nr++] = f;
		} else {
			l[nl++] = f;
		}
	}
	sp.left = muln(d, l, nl);
	sp.right = muln(d, r, nr);
	return sp;
}

/* The one kid of a Hadamard product that holds dx, and the product of the others. */
static const Expr *split_hadamard(Diff *d, const Expr *e, const Expr **rest)
{
	const Expr *w = NULL;
	const Expr **o = arena_alloc(pool_arena(d->p), e->nargs * sizeof *o);
	unsigned n = 0;
	for (unsigned i = 0; i < e->nargs; i++)
		if (has_dx(d, e->args[i]))
			w = e->args[i];
		else
			o[n++] = e->args[i];
	*rest = n == 1 ? o[0] : expr_make(d->p, E_HAD, o, n);
	return w;
}

/* A with T = A dX, when every term of T ends in dX (dv / ||v|| - v (v^T
 * dv) / ||v||^3 is (I / ||v|| - v v^T / ||v||^3) dv); NULL otherwise.  A
 * sum's derivative then stays the chain rule's product P (A_1 + A_2 + ...),
 * the Jacobian of v / ||v|| kept whole, not P A_1 + P A_2. */
static const Expr *left_factor(Diff *d, const Expr *T)
{
	if (T == d->dx)
		return ident(d, d->xs.rows);
	if (!has_dx(d, T))
		return NULL;
	switch (T->kind) {
	case E_NEG: {
		const Expr *a = left_factor(d, T->args[0]);
		return a ? neg(d, a) : NULL;
	}
	case E_DIV: {
		const Expr *a = has_dx(d, T->args[1]) ? NULL : left_factor(d, T->args[0]);
		return a ? mk(d, E_DIV, a, T->args[1]) : NULL;
	}
	case E_TRANS:   /* (a^T dx)^T is a^T dx */
		return scalar(d, T) ? left_factor(d, T->args[0]) : NULL;
	case E_ADD: {
		SumBuf sum = { 0 };
		for (unsigned i = 0; i < T->nargs; i++) {
			const Expr *a = left_factor(d, T->args[i]);
			if (!a)
				return NULL;
			sum_add(d, &sum, a);
		}
		return sum_done(d, &sum);
	}
	case E_MUL: {
		unsigned with = 0;
		for (unsigned i = 0; i < T->nargs; i++)
			with += has_dx(d, T->args[i]);
		if (with != 1)
			return NULL;
		Split sp = split_product(d, T);
		const Expr *a = left_factor(d, sp.w);
		if (!a)
			return NULL;
		if (scalar(d, sp.w))   /* c L R (a^T dx) = c L R a^T dx, for columns only: a
					 * matrix M (a^T dx) is not M' dx */
			return column(d, T) && dim_is_one(d->xs.cols) ? mul3(d, sp.c, mul(d, sp.left, sp.right), a)
								     : NULL;
		return sp.right ? NULL : mul3(d, sp.c, sp.left, a);
	}
	case E_HAD: {   /* v .* (A dx) = diag(v) A dx, for columns */
		const Expr *v, *w = split_hadamard(d, T, &v);
		const Expr *a = d->hadamard_ok && column(d, T) && !scalar(d, T) ? left_factor(d, w) : NULL;
		return a ? mul(d, fn(d, F_DIAG, v), a) : NULL;
	}
	default:
		return NULL;
	}
}

/* Whether T, a sum, has both a term v .* (... dx) and a term u (a^T dx):
 * the differential of a softmax, s .* dz - s (s^T dz), which is (diag(s) -
 * s s^T) dz.  Only then does left_factor take .* as diag: where every term
 * is element-wise, the derivative reads better as it is. */
static int softmax_like(Diff *d, const Expr *T)
{
	int had = 0, outer = 0;
	for (unsigned i = 0; i < T->nargs; i++) {
		const Expr *t = T->args[i];
		while (t->kind == E_NEG || t->kind == E_DIV)
			t = t->args[0];
		if (t->kind == E_HAD && column(d, t) && !scalar(d, t))
			had = 1;
		if (t->kind == E_MUL && column(d, t) && !scalar(d, t))
			for (unsigned k = 0; k < t->nargs; k++)
				outer |= scalar(d, t->args[k]) && has_dx(d, t->args[k]);
	}
	return had && outer;
}

/* left_factor(T), .* as diag where T is softmax_like. */
static const Expr *left_factor_sum(Diff *d, const Expr *T)
{
	const Expr *a = left_factor(d, T);
	if (a || !softmax_like(d, T))
		return a;
	d->hadamard_ok = 1;
	a = left_factor(d, T);
	d->hadamard_ok = 0;
	return a;
}

/* P as a matrix for a kid of shape `of`: a 1 x 1 P stands for P I. */
static const Expr *as_matrix(Diff *d, const Expr *P, Shape of)
{
	if (P && scalar(d, P) && !shape_is_scalar(of))
		return mul(d, P, ident(d, of.cols));
	return P;
}

static const Expr *trace_form(Diff *d, const Expr *T, const Expr *P);

/* Q when the row P is vec(Q)^T: vec(Q)^T itself, or through Magnus and
 * Neudecker's kron(A, B) vec(Q) = vec(B Q A^T): (kron(A, B) vec(Q))^T is
 * vec(B Q A^T)^T, vec(Q)^T kron(A, B) is vec(B^T Q A)^T.  NULL otherwise. */
static const Expr *vec_of(const Expr *e)
{
	return e->kind == E_FUNC && e->fn == F_VEC ? e->args[0] : NULL;
}

static const Expr *vec_row(Diff *d, const Expr *P)
{
	const Expr *q;
	if (P->kind == E_TRANS && (q = vec_of(P->args[0])))
		return q;
	if (P->kind == E_TRANS && P->args[0]->kind == E_MUL && P->args[0]->nargs == 2) {
		const Expr *k = P->args[0]->args[0];
		if (k->kind == E_KRON && k->nargs == 2 && (q = vec_of(P->args[0]->args[1])))
			return mul3(d, k->args[1], q, trans(d, k->args[0]));
	}
	if (P->kind == E_MUL && P->nargs == 2 && P->args[0]->kind == E_TRANS && (q = vec_of(P->args[0]->args[0]))) {
		const Expr *k = P->args[1];
		if (k->kind == E_KRON && k->nargs == 2)
			return mul3(d, trans(d, k->args[1]), q, k->args[0]);
	}
	return NULL;
}

/* tr(A kron W kron B) = tr(A) tr(W) tr(B) for square factors, under a
 * scalar P; other kron products in a scalar are not supported. */
static const Expr *trace_kron(Diff *d, const Expr *T, const Expr *P)
{
	const Expr *w = NULL, *k = P;
	for (unsigned i = 0; i < T->nargs; i++) {
		Shape as = shape(d, T->args[i]);
		if ((P && !scalar(d, P)) || as.rows != as.cols) {
			fail(d, "differentiating a Kronecker product of the variable inside a scalar is "
				"not supported (only the trace of one, of square factors)");
			return NULL;
		}
		if (has_dx(d, T->args[i]))
			w = T->args[i];
		else
			k = mul(d, k, fn(d, F_TR, T->args[i]));
	}
	return trace_form(d, w, as_matrix(d, k, shape(d, w)));
}

/* M with tr(P T) = tr(M dX), for T linear in dX (P NULL: the identity). */
static const Expr *trace_form(Diff *d, const Expr *T, const Expr *P)
{
	if (!has_dx(d, T))
		return NULL;
	if (T == d->dx)
		return P ? P : ident(d, d->xs.rows);
	Shape ts = shape(d, T);
	switch (T->kind) {
	case E_ADD: {   /* tr(P A dX) = tr((P A) dX) */
		const Expr *a = left_factor_sum(d, T);
		if (a)
			return P ? mul(d, P, a) : a;
		SumBuf sum = { 0 };
		for (unsigned i = 0; i < T->nargs; i++)
			sum_add(d, &sum, trace_form(d, T->args[i], P));
		return sum_done(d, &sum);
	}
	case E_NEG:
		return neg(d, trace_form(d, T->args[0], P));
	case E_DIV: {       /* tr(P U / s) = tr(P U) / s */
		const Expr *m = trace_form(d, T->args[0], P);
		return m ? mk(d, E_DIV, m, T->args[1]) : NULL;
	}
	case E_TRANS:       /* tr(P U^T) = tr(P^T U) */
		return trace_form(d, T->args[0], trans(d, P));
	case E_MUL: {
		Split sp = split_product(d, T);
		if (scalar(d, sp.w)) {   /* tr(P c L R w) = tr(c tr(P L R) w) */
			const Expr *lr = mul(d, sp.left, sp.right);
			const Expr *q = lr ? mul(d, P, lr) : P;
			if (q && !scalar(d, q))
				q = fn(d, F_TR, q);
			return trace_form(d, sp.w, mul(d, sp.c, q));
		}                        /* tr(P c L W R) = tr(c R P L W) */
		return trace_form(d, sp.w, muln(d, (const Expr *[]){ sp.c, sp.right, P, sp.left }, 4));
	}
	case E_HAD: {
		const Expr *v, *w = split_hadamard(d, T, &v);
		if (shape_is_scalar(ts))
			return trace_form(d, w, mul(d, P, v));
		/* tr(P (V .* W)) = tr((P^T .* V)^T W) */
		const Expr *pt = P ? trans(d, as_matrix(d, P, ts)) : ident(d, ts.rows);
		return trace_form(d, w, trans(d, mk(d, E_HAD, pt, v)));
	}
	case E_HDIV: {
		const Expr *w = T->args[0], *v = T->args[1];
		if (shape_is_scalar(ts))
			return trace_form(d, w, mk(d, E_DIV, P ? P : num(d, 1), v));
		const Expr *pt = P ? trans(d, as_matrix(d, P, ts)) : ident(d, ts.rows);
		return trace_form(d, w, trans(d, mk(d, E_HDIV, pt, v)));
	}
	case E_FUNC:
		break;
	case E_KRON:
		return trace_kron(d, T, P);
	case E_NUM: case E_VAR: case E_DSYM: case E_DIM: case E_IDENT: case E_ONES:
	case E_COMM: case E_INV: case E_POW: case E_EPOW:
		fail(d, "differentiating through this operation is not supported");
		return NULL;
	}
	const Expr *w = T->args[0];
	Shape ws = shape(d, w);
	switch (T->fn) {
	case F_TR:          /* tr(P tr(W)) = tr(P W), P a scalar */
		return trace_form(d, w, as_matrix(d, P, ws));
	case F_SUM:         /* P sum(W) = tr(P 1_q 1_p^T W) */
		return trace_form(d, w, mul3(d, P, ones(d, ws.cols), trans(d, ones(d, ws.rows))));
	case F_DIAG:
		if (dim_is_one(ws.cols))   /* tr(P diag(w)) = diag(P)^T w */
			return trace_form(d, w, P ? trans(d, fn(d, F_DIAG, P)) : trans(d, ones(d, ws.rows)));
		/* tr(P diag(W)) = tr(diag(P^T) W) */
		return trace_form(d, w, P ? fn(d, F_DIAG, trans(d, P)) : ident(d, ws.rows));
	case F_VEC: {       /* vec(Q)^T vec(W) = tr(Q^T W) */
		const Expr *q = P ? vec_row(d, P) : NULL;
		if (q)
			return trace_form(d, w, trans(d, q));
		break;
	}
	default:            /* the others are not linear */
		break;
	}
	fail(d, "differentiating through vec here is not supported");
	return NULL;
}

static const Expr *comm(Diff *d, const Expr *m, const Expr *n)
{
	const Expr *args[2] = { m, n };
	return expr_make(d->p, E_COMM, args, 2);
}

static const Expr *kron(Diff *d, const Expr *a, const Expr *b)
{
	return mk(d, E_KRON, a, b);
}

static int transposable(Diff *d, const Expr *u)
{
	(void)d;
	switch (u->kind) {
	case E_MUL: case E_ADD: case E_NEG: case E_TRANS: case E_DIV: case E_HAD: case E_HDIV:
		return 1;
	case E_NUM: case E_VAR: case E_DSYM: case E_DIM: case E_IDENT: case E_ONES: case E_COMM:
	case E_KRON: case E_INV: case E_POW: case E_EPOW: case E_FUNC:
		return 0;
	}
	return 0;
}

/* U^T one level down: (A B)^T = B^T A^T (1 x 1 factors stay in front),
 * (A + B)^T = A^T + B^T, (A .* B)^T = A^T .* B^T, (A^T)^T = A. */
static const Expr *push_transpose(Diff *d, const Expr *u)
{
	unsigned n = u->nargs;
	const Expr **a = arena_alloc(pool_arena(d->p), n * sizeof *a);
	switch (u->kind) {
	case E_TRANS:
		return u->args[0];
	case E_MUL: {
		unsigned k = 0;
		for (unsigned i = 0; i < n; i++)
			if (scalar(d, u->args[i]))
				a[k++] = u->args[i];
		for (unsigned i = n; i-- > 0;)
			if (!scalar(d, u->args[i]))
				a[k++] = trans(d, u->args[i]);
		return expr_make(d->p, E_MUL, a, n);
	}
	case E_DIV:
		return mk(d, E_DIV, trans(d, u->args[0]), u->args[1]);
	default:
		for (unsigned i = 0; i < n; i++)
			a[i] = trans(d, u->args[i]);
		return expr_make(d->p, u->kind, a, n);
	}
}

static const Expr *vec_form(Diff *d, const Expr *T, const Expr *G);

/* The Kronecker product of kids [from, to) of a kron node (NULL if none). */
static const Expr *kron_part(Diff *d, const Expr *k, unsigned from, unsigned to)
{
	if (from >= to)
		return NULL;
	if (to - from == 1)
		return k->args[from];
	return expr_make(d->p, E_KRON, k->args + from, to - from);
}

/* The permutation with vec(A kron B) = P (vec(A) kron vec(B)) for A m x n
 * and B p x q: P = I_n kron K_{q,m} kron I_p. */
static const Expr *kron_shuffle(Diff *d, Shape a, Shape b)
{
	const Expr *args[3] = { ident(d, a.cols), comm(d, b.cols, a.rows), ident(d, b.rows) };
	return expr_make(d->p, E_KRON, args, 3);
}

/* vec(L kron W kron R) with dX in W only:
 *   vec(A kron W) = P (vec(A) kron I) vec(W),  vec(W kron B) = P (I kron vec(B)) vec(W). */
static const Expr *vec_kron(Diff *d, const Expr *T, const Expr *G)
{
	unsigned i = 0;
	while (i < T->nargs && !has_dx(d, T->args[i]))
		i++;
	const Expr *l = kron_part(d, T, 0, i), *r = kron_part(d, T, i + 1, T->nargs);
	const Expr *w = T->args[i], *wr = r ? kron(d, w, r) : w;
	if (l) {   /* T = l kron (w kron r) */
		Shape ls = shape(d, l), ws = shape(d, wr);
		const Expr *pick = kron(d, fn(d, F_VEC, l), ident(d, dim_mul(d->p, ws.rows, ws.cols)));
		G = mul3(d, G, kron_shuffle(d, ls, ws), pick);
	}
	if (r) {   /* now w kron r */
		Shape ws = shape(d, w), rs = shape(d, r);
		const Expr *pick = kron(d, ident(d, dim_mul(d->p, ws.rows, ws.cols)), fn(d, F_VEC, r));
		G = mul3(d, G, kron_shuffle(d, ws, rs), pick);
	}
	return vec_form(d, w, G);
}

/* G J with vec(T) = J vec(dX) (G NULL: the identity). */
/* The vector u of a diagonal matrix diag(u), or NULL. */
static const Expr *diagonal_vector(Diff *d, const Expr *e)
{
	return e->kind == E_FUNC && e->fn == F_DIAG && dim_is_one(shape(d, e->args[0]).cols) ? e->args[0] : NULL;
}

/* vec(diag(u) R) = diag(vec(R)) (1_n kron I_m) u and vec(L diag(u)) =
 * diag(vec(L)) (I_n kron 1_m) u for m x n R and L: each column of R scaled
 * by u, each column of L by an entry of u (Magnus and Neudecker).  The
 * general rule, (R^T kron I) diag(vec(I)) (1 kron I) u, says the same with
 * an n^2 x n selection; with matrices on both sides it is what is left.
 * The Jacobian, without c; NULL when the split is not of that form. */
static const Expr *scaled_diagonal(Diff *d, const Split *sp)
{
	if ((sp->left != NULL) == (sp->right != NULL) || !diagonal_vector(d, sp->w))
		return NULL;
	const Expr *m = sp->left ? sp->left : sp->right;
	Shape ms = shape(d, m);
	const Expr *spread = sp->left ? kron(d, ident(d, ms.cols), ones(d, ms.rows))
				      : kron(d, ones(d, ms.cols), ident(d, ms.rows));
	return mul(d, fn(d, F_DIAG, fn(d, F_VEC, m)), spread);
}

/* diag(c L diag(u) R) as c (L .* R^T) u (Horn and Johnson, Topics 5.1),
 * c diag(L) .* u, c u .* diag(R) or c u: the diagonal of a product through
 * a diagonal matrix that holds dx, without the n^2 x n selections of the
 * general rule; NULL for any other W. */
static const Expr *diagonal_through(Diff *d, const Expr *W)
{
	if (W->kind != E_MUL)
		return NULL;
	Split sp = split_product(d, W);
	const Expr *u = diagonal_vector(d, sp.w);
	if (!u)
		return NULL;
	const Expr *t = sp.left && sp.right ? mul(d, mk(d, E_HAD, sp.left, trans(d, sp.right)), u)
			: sp.left ? mk(d, E_HAD, fn(d, F_DIAG, sp.left), u)
			: sp.right ? mk(d, E_HAD, u, fn(d, F_DIAG, sp.right)) : u;
	return mul(d, sp.c, t);
}

static const Expr *vec_form(Diff *d, const Expr *T, const Expr *G)
{
	if (!has_dx(d, T))
		return NULL;
	pool_check_budget(d->p);   /* a safe point: see expr.h */
	Shape ts = shape(d, T);
	if (T == d->dx)
		return G ? G : ident(d, dim_mul(d->p, d->xs.rows, d->xs.cols));
	if (shape_is_scalar(ts)) {   /* T = tr(M dX) = vec(M^T)^T vec(dX) */
		const Expr *m = trace_form(d, T, NULL);
		return m ? mul(d, G, trans(d, fn(d, F_VEC, trans(d, m)))) : NULL;
	}
	switch (T->kind) {
	case E_ADD: {   /* vec(A dx) = A dx for a column dx */
		const Expr *a = dim_is_one(d->xs.cols) ? left_factor_sum(d, T) : NULL;
		if (a)
			return G ? mul(d, G, a) : a;
		SumBuf sum = { 0 };
		for (unsigned i = 0; i < T->nargs; i++)
			sum_add(d, &sum, vec_form(d, T->args[i], G));
		return sum_done(d, &sum);
	}
	case E_NEG:
		return neg(d, vec_form(d, T->args[0], G));
	case E_DIV: {
		const Expr *j = vec_form(d, T->args[0], G);
		return j ? mk(d, E_DIV, j, T->args[1]) : NULL;
	}
	case E_TRANS: {
		const Expr *u = T->args[0];
		Shape us = shape(d, u);
		if (u != d->dx && transposable(d, u))
			return vec_form(d, push_transpose(d, u), G);
		if (dim_is_one(us.rows) || dim_is_one(us.cols))   /* vec(u^T) = vec(u) */
			return vec_form(d, u, G);
		/* vec(U^T) = K_{p,q} vec(U) for U p x q */
		return vec_form(d, u, mul(d, G, comm(d, us.rows, us.cols)));
	}
	case E_MUL: {
		Split sp = split_product(d, T);
		if (scalar(d, sp.w)) {   /* vec(c L R w) = c vec(L R) w */
			const Expr *lr = mul(d, sp.left, sp.right);
			return vec_form(d, sp.w, mul3(d, G, sp.c, lr ? fn(d, F_VEC, lr) : NULL));
		}
		const Expr *j = scaled_diagonal(d, &sp);
		if (j)
			return vec_form(d, sp.w->args[0], mul3(d, G, sp.c, j));
		/* vec(c L W R) = c (R^T kron L) vec(W) */
		Shape ws = shape(d, sp.w);
		const Expr *l = sp.left ? sp.left : ident(d, ws.rows);
		const Expr *r = sp.right ? trans(d, sp.right) : ident(d, ws.cols);
		return vec_form(d, sp.w, mul3(d, G, sp.c, kron(d, r, l)));
	}
	case E_HAD: {      /* vec(V .* W) = diag(vec(V)) vec(W) */
		const Expr *v, *w = split_hadamard(d, T, &v);
		return vec_form(d, w, mul(d, G, fn(d, F_DIAG, fn(d, F_VEC, v))));
	}
	case E_HDIV:       /* vec(W ./ V) = diag(vec(V))^-1 vec(W) */
		return vec_form(d, T->args[0], mul(d, G, expr_unary(d->p, E_INV,
			fn(d, F_DIAG, fn(d, F_VEC, T->args[1])))));
	case E_FUNC:
		if (T->fn == F_VEC)
			return vec_form(d, T->args[0], G);
		if (T->fn == F_DIAG) {
			const Expr *w = T->args[0];
			Shape ws = shape(d, w);
			const Expr *t = dim_is_one(ws.cols) ? NULL : diagonal_through(d, w);
			if (t)
				return vec_form(d, t, G);
			const Expr *n = ws.rows, *sel = fn(d, F_DIAG, fn(d, F_VEC, ident(d, n)));
			if (dim_is_one(ws.cols))   /* vec(diag(w)) = diag(vec(I)) (1 kron I) w */
				return vec_form(d, w, mul3(d, G, sel, kron(d, ones(d, n), ident(d, n))));
			/* diag(W) = (1^T kron I) diag(vec(I)) vec(W) */
			return vec_form(d, w, mul3(d, G, kron(d, trans(d, ones(d, n)), ident(d, n)), sel));
		}
		break;
	case E_KRON:
		return vec_kron(d, T, G);
	case E_NUM: case E_VAR: case E_DSYM: case E_DIM: case E_IDENT: case E_ONES:
	case E_COMM: case E_INV: case E_POW: case E_EPOW:
		break;
	}
	fail(d, "differentiating through this operation is not supported");
	return NULL;
}

/* --- layouts --- */

static void start(Diff *d, Pool *p, Shapes *s, const Expr *x)
{
	memset(d, 0, sizeof *d);
	d->p = p;
	d->s = s;
	d->x = x;
	d->xs = shape_of(s, x);
	Buf name;
	buf_init(&name);
	buf_printf(&name, "d%s'", x->u.name);   /* not an identifier: cannot clash */
	d->dx = expr_var(p, buf_str(&name));
	buf_free(&name);
	shape_add_hidden(s, d->dx, d->xs);
	map_init(&d->memo, pool_arena(p));
	map_init(&d->has, pool_arena(p));
}

static const Expr *coefficient_product(Diff *d, const Expr *e);

/* Replace the 1 x 1 dx by 1: the coefficient of a scalar differential. */
static const Expr *coefficient(Diff *d, const Expr *e)
{
	if (e == d->dx)
		return num(d, 1);
	if (!has_dx(d, e))
		return e;
	if (e->kind == E_MUL)
		return coefficient_product(d, e);
	const Expr **a = arena_alloc(pool_arena(d->p), e->nargs * sizeof *a);
	for (unsigned i = 0; i < e->nargs; i++)
		a[i] = coefficient(d, e->args[i]);
	if (e->kind == E_FUNC)
		return expr_func(d->p, e->fn, a[0]);
	return expr_make(d->p, e->kind, a, e->nargs);
}

/* A product's coefficient with dx gone, not replaced by a factor 1, and
 * what was the product around dx flat in it: d(sigma R X) by sigma is R
 * X, and tr(A^T (dsigma R X)) gives tr(A^T R X). */
static const Expr *coefficient_product(Diff *d, const Expr *e)
{
	unsigned n = 0;
	for (unsigned i = 0; i < e->nargs; i++)
		n += e->args[i]->kind == E_MUL && has_dx(d, e->args[i]) ? e->args[i]->nargs : 1;
	const Expr **a = arena_alloc(pool_arena(d->p), n * sizeof *a);
	unsigned k = 0;
	for (unsigned i = 0; i < e->nargs; i++) {
		const Expr *f = e->args[i];
		if (f == d->dx)
			continue;
		const Expr *g = coefficient(d, f);
		if (f->kind == E_MUL && has_dx(d, f) && g->kind == E_MUL && !scalar(d, g))   /* (a^T b) stays whole */
			for (unsigned j = 0; j < g->nargs; j++)
				a[k++] = g->args[j];
		else
			a[k++] = g;
	}
	return k == 0 ? num(d, 1) : k == 1 ? a[0] : expr_make(d->p, E_MUL, a, k);
}

/* The numerator-layout derivative from df (SPEC section 3's first column). */
static const Expr *numerator(Diff *d, const Expr *df, Shape fs)
{
	if (shape_is_scalar(d->xs))
		return coefficient(d, df);
	if (shape_is_scalar(fs))
		return trace_form(d, df, NULL);
	return vec_form(d, df, NULL);
}

static Shape numerator_shape(Diff *d, Shape fs)
{
	Shape xs = d->xs;
	if (shape_is_scalar(xs))
		return fs;
	if (shape_is_scalar(fs))
		return (Shape){ xs.cols, xs.rows };
	return (Shape){ dim_mul(d->p, fs.rows, fs.cols), dim_mul(d->p, xs.rows, xs.cols) };
}

/* Denominator transposes every row of the table; mixed only the scalar-f rows. */
static int transposed(Layout layout, Shape fs, Shape xs)
{
	if (layout == LAYOUT_DENOMINATOR)
		return 1;
	return layout == LAYOUT_MIXED && shape_is_scalar(fs) && !shape_is_scalar(xs);
}

Shape diff_shape(Pool *p, Shape fs, Shape xs, Layout layout)
{
	Diff d = { .p = p, .xs = xs };
	Shape ds = numerator_shape(&d, fs);
	return transposed(layout, fs, xs) ? (Shape){ ds.cols, ds.rows } : ds;
}

Deriv diff_wrt(Pool *p, Shapes *s, const Expr *f, const Expr *x, Layout layout)
{
	Diff d;
	start(&d, p, s, x);
	Shape fs = shape_of(s, f);
	const Expr *df = dif(&d, f);
	const Expr *D = df ? numerator(&d, df, fs) : NULL;
	Shape ds = numerator_shape(&d, fs);
	if (transposed(layout, fs, d.xs)) {
		D = trans(&d, D);
		ds = (Shape){ ds.cols, ds.rows };
	}
	return (Deriv){ d.error ? NULL : D, ds, d.error };
}

/* The Hessian is the Jacobian of the gradient: of the column g for a vector,
 * of vec(G) over vec(X) for a matrix. */
Deriv diff_hessian(Pool *p, Shapes *s, const Expr *f, const Expr *x)
{
	if (!shape_is_scalar(shape_of(s, f)))
		return (Deriv){ NULL, shape_of(s, f), "--hessian needs a scalar expression" };
	Shape xs = shape_of(s, x);
	Deriv g = diff_wrt(p, s, f, x, LAYOUT_DENOMINATOR);
	const Expr *mn = dim_mul(p, xs.rows, xs.cols);
	Shape hs = { mn, mn };
	if (g.error || !g.d)
		return (Deriv){ NULL, hs, g.error };
	const Expr *gv = dim_is_one(xs.cols) ? g.d : expr_func(p, F_VEC, g.d);
	Deriv h = diff_wrt(p, s, gv, x, LAYOUT_NUMERATOR);
	h.shape = hs;
	return h;
}
