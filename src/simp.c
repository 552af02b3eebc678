/* simp.c: the rewrite engine (see simp.h) and the rules of the light
 * normalisation, each a small function whose comment states its identity. */
#include "simp.h"
#include "mem.h"

#include <string.h>

enum { POW_MAX_BITS = 1 << 16 };   /* a folded power of numbers is at most this big */

/* --- the engine --- */

void simp_init(Rewriter *rw, Pool *p, Shapes *s, const SimpRule *rules, size_t nrules)
{
	memset(rw, 0, sizeof *rw);
	rw->pool = p;
	rw->shapes = s;
	rw->rules = rules;
	rw->nrules = nrules;
}

void simp_clear(Rewriter *rw)
{
	mem_free(rw->memo);
	rw->memo = NULL;
	rw->memocap = 0;
}

static const Expr *memo_get(const Rewriter *rw, const Expr *e)
{
	return e->id < rw->memocap ? rw->memo[e->id] : NULL;
}

static void memo_set(Rewriter *rw, const Expr *e, const Expr *to)
{
	if (e->id >= rw->memocap) {
		size_t cap = rw->memocap ? rw->memocap : 256;
		while (cap <= e->id)
			cap *= 2;
		rw->memo = mem_realloc(rw->memo, cap * sizeof *rw->memo);
		memset(rw->memo + rw->memocap, 0, (cap - rw->memocap) * sizeof *rw->memo);
		rw->memocap = cap;
	}
	rw->memo[e->id] = to;
}

/* Nodes whose operands are not expressions to rewrite (dimensions). */
static int is_leaf(const Expr *e)
{
	switch (e->kind) {
	case E_NUM: case E_VAR: case E_DSYM: case E_DIM: case E_IDENT: case E_ONES: case E_COMM:
		return 1;
	case E_ADD: case E_NEG: case E_MUL: case E_DIV: case E_HAD: case E_HDIV: case E_KRON:
	case E_TRANS: case E_INV: case E_POW: case E_EPOW: case E_FUNC:
		return 0;
	}
	return 1;
}

const Expr *simp_rebuild(Pool *p, const Expr *e, const Expr *const *args)
{
	switch (e->kind) {
	case E_NUM: case E_VAR: case E_DSYM: case E_DIM: case E_IDENT: case E_ONES: case E_COMM:
		return e;
	case E_NEG: case E_TRANS: case E_INV:
		return expr_unary(p, e->kind, args[0]);
	case E_DIV: case E_HDIV: case E_POW: case E_EPOW:
		return expr_binary(p, e->kind, args[0], args[1]);
	case E_FUNC:
		return expr_func(p, e->fn, args[0]);
	case E_ADD: case E_MUL: case E_HAD: case E_KRON:
		return expr_make(p, e->kind, args, e->nargs);
	}
	return e;
}

/* e with every operand rewritten. */
static const Expr *rewrite_args(Rewriter *rw, const Expr *e)
{
	if (is_leaf(e) || e->nargs == 0)
		return e;
	const Expr **args = mem_alloc(e->nargs * sizeof *args);
	int changed = 0;
	for (unsigned i = 0; i < e->nargs; i++) {
		args[i] = simp_rewrite(rw, e->args[i]);
		changed |= args[i] != e->args[i];
	}
	const Expr *r = changed ? simp_rebuild(rw->pool, e, args) : e;
	mem_free(args);
	return r;
}

/* The first rule that changes e, with its result rewritten in turn; or e. */
static const Expr *apply_rules(Rewriter *rw, const Expr *e)
{
	for (size_t i = 0; i < rw->nrules; i++) {
		const Expr *r = rw->rules[i](rw, e);
		if (r && r != e)
			return simp_rewrite(rw, r);
	}
	return e;
}

const Expr *simp_rewrite(Rewriter *rw, const Expr *e)
{
	const Expr *done = memo_get(rw, e);
	if (done)
		return done;
	const Expr *a = rewrite_args(rw, e);
	const Expr *r = memo_get(rw, a);
	if (!r) {
		memo_set(rw, a, a);   /* meanwhile: a chain of rules leading back to a stops */
		r = apply_rules(rw, a);
		memo_set(rw, a, r);
	}
	memo_set(rw, e, r);
	memo_set(rw, r, r);
	return r;
}

int simp_is_scalar(Rewriter *rw, const Expr *e)
{
	return shape_is_scalar(shape_of(rw->shapes, e));
}

/* --- helpers for the rules --- */

static const Expr **scratch(unsigned n)
{
	return mem_alloc((n ? n : 1) * sizeof(const Expr *));
}

static int is_num(const Expr *e)
{
	return e->kind == E_NUM;
}

static int is_zero(const Expr *e)
{
	return e->kind == E_NUM && mpq_sgn(e->u.num) == 0;
}

static int is_integer(mpq_srcptr q)
{
	return mpz_cmp_ui(mpq_denref(q), 1) == 0;
}

/* An n-ary node of n operands: the number `empty` for none, the operand
 * itself for one. */
static const Expr *nary(Pool *p, ExprKind k, const Expr *const *a, unsigned n, long empty)
{
	if (n == 0)
		return expr_int(p, empty);
	if (n == 1)
		return a[0];
	return expr_make(p, k, a, n);
}

static int has_zero_factor(const Expr *e)
{
	for (unsigned i = 0; e->kind == E_MUL && i < e->nargs; i++)
		if (is_zero(e->args[i]))
			return 1;
	return 0;
}

static int same_shape(Shape a, Shape b)
{
	return a.rows == b.rows && a.cols == b.cols;
}

/* --- constant folding, exact --- */

static unsigned count_numbers(const Expr *e)
{
	unsigned n = 0;
	for (unsigned i = 0; i < e->nargs; i++)
		n += is_num(e->args[i]);
	return n;
}

/* 2 + x + 3 = 5 + x: the numbers of a sum added up, in place of the first. */
static const Expr *fold_sum(Rewriter *rw, const Expr *e)
{
	if (e->kind != E_ADD || count_numbers(e) < 2)
		return NULL;
	const Expr **t = scratch(e->nargs);
	unsigned n = 0, at = e->nargs;
	mpq_t q;
	mpq_init(q);
	for (unsigned i = 0; i < e->nargs; i++) {
		if (!is_num(e->args[i])) {
			t[n++] = e->args[i];
			continue;
		}
		if (at == e->nargs)
			at = n++;
		mpq_add(q, q, e->args[i]->u.num);
	}
	t[at] = expr_num(rw->pool, q);
	const Expr *r = nary(rw->pool, E_ADD, t, n, 0);
	mpq_clear(q);
	mem_free(t);
	return r;
}

/* 2 A 3 B = 6 A B: the numbers of a product multiplied and put in front
 * (1x1 factors commute); 1 A = A; a product of one factor is that factor. */
static const Expr *fold_product(Rewriter *rw, const Expr *e)
{
	if (e->kind != E_MUL)
		return NULL;
	const Expr **f = scratch(e->nargs + 1);
	unsigned n = 1;
	mpq_t q;
	mpq_init(q);
	mpq_set_ui(q, 1, 1);
	for (unsigned i = 0; i < e->nargs; i++) {
		if (is_num(e->args[i]))
			mpq_mul(q, q, e->args[i]->u.num);
		else
			f[n++] = e->args[i];
	}
	unsigned from = n > 1 && mpq_cmp_ui(q, 1, 1) == 0;
	f[0] = expr_num(rw->pool, q);
	const Expr *r = nary(rw->pool, E_MUL, f + from, n - from, 1);
	mpq_clear(q);
	mem_free(f);
	return r;
}

/* -(2) = -2 */
static const Expr *fold_neg(Rewriter *rw, const Expr *e)
{
	if (e->kind != E_NEG || !is_num(e->args[0]))
		return NULL;
	return expr_unary(rw->pool, E_NEG, e->args[0]);
}

/* 6 / 4 = 3/2; a division by 0 stays as it is. */
static const Expr *fold_div(Rewriter *rw, const Expr *e)
{
	if (e->kind != E_DIV || !is_num(e->args[0]) || !is_num(e->args[1]))
		return NULL;
	return expr_binary(rw->pool, E_DIV, e->args[0], e->args[1]);
}

/* out = q^k for an integer k; 0 when that divides by zero or is too big. */
static int int_power(mpq_t out, mpq_srcptr q, mpz_srcptr k)
{
	if (mpq_sgn(q) == 0 && mpz_sgn(k) < 0)
		return 0;
	size_t bits = mpz_sizeinbase(mpq_numref(q), 2) - 1 + mpz_sizeinbase(mpq_denref(q), 2) - 1;
	mpz_t a;
	mpz_init(a);
	mpz_abs(a, k);
	int ok = mpz_fits_ulong_p(a) && (bits == 0 || mpz_cmp_ui(a, POW_MAX_BITS / bits) <= 0);
	if (ok) {
		unsigned long u = mpz_get_ui(a);
		mpz_pow_ui(mpq_numref(out), mpq_numref(q), u);
		mpz_pow_ui(mpq_denref(out), mpq_denref(q), u);
		if (mpz_sgn(k) < 0)
			mpq_inv(out, out);
	}
	mpz_clear(a);
	return ok;
}

/* out = q^(a/b) for b > 1: the b-th root of q, if it is rational, to the
 * power a.  Negative q is left alone (no real root for even b). */
static int root_power(mpq_t out, mpq_srcptr q, mpq_srcptr k)
{
	if (mpq_sgn(q) < 0 || mpz_cmp_ui(mpq_denref(k), POW_MAX_BITS) > 0)
		return 0;
	unsigned long b = mpz_get_ui(mpq_denref(k));
	mpq_t r;
	mpq_init(r);
	int ok = mpz_root(mpq_numref(r), mpq_numref(q), b) &&
		 mpz_root(mpq_denref(r), mpq_denref(q), b) &&
		 int_power(out, r, mpq_numref(k));
	mpq_clear(r);
	return ok;
}

/* 2^3 = 8, 2^-2 = 1/4, 4^(1/2) = 2, 2 .^ 3 = 8: powers of numbers, when the
 * result is rational and not huge. */
static const Expr *fold_power(Rewriter *rw, const Expr *e)
{
	if ((e->kind != E_POW && e->kind != E_EPOW) || !is_num(e->args[0]) || !is_num(e->args[1]))
		return NULL;
	mpq_srcptr base = e->args[0]->u.num, k = e->args[1]->u.num;
	mpq_t q;
	mpq_init(q);
	int ok = is_integer(k) ? int_power(q, base, mpq_numref(k)) : root_power(q, base, k);
	const Expr *r = ok ? expr_num(rw->pool, q) : NULL;
	mpq_clear(q);
	return r;
}

/* 2^T = 2 */
static const Expr *fold_trans(Rewriter *rw, const Expr *e)
{
	(void)rw;
	return e->kind == E_TRANS && is_num(e->args[0]) ? e->args[0] : NULL;
}

/* 2^-1 = 1/2; 0^-1 stays as it is. */
static const Expr *fold_inv(Rewriter *rw, const Expr *e)
{
	if (e->kind != E_INV || !is_num(e->args[0]) || is_zero(e->args[0]))
		return NULL;
	mpq_t q;
	mpq_init(q);
	mpq_inv(q, e->args[0]->u.num);
	const Expr *r = expr_num(rw->pool, q);
	mpq_clear(q);
	return r;
}

/* --- structure --- */

/* -(-x) = x */
static const Expr *neg_neg(Rewriter *rw, const Expr *e)
{
	(void)rw;
	return e->kind == E_NEG && e->args[0]->kind == E_NEG ? e->args[0]->args[0] : NULL;
}

/* (A^T)^T = A */
static const Expr *trans_trans(Rewriter *rw, const Expr *e)
{
	(void)rw;
	return e->kind == E_TRANS && e->args[0]->kind == E_TRANS ? e->args[0]->args[0] : NULL;
}

/* s^T = s for a 1x1 s (a scalar variable, x^T y, ...) */
static const Expr *trans_scalar(Rewriter *rw, const Expr *e)
{
	return e->kind == E_TRANS && simp_is_scalar(rw, e->args[0]) ? e->args[0] : NULL;
}

/* S^T = S for S declared symmetric */
static const Expr *trans_symmetric(Rewriter *rw, const Expr *e)
{
	if (e->kind != E_TRANS || e->args[0]->kind != E_VAR)
		return NULL;
	return shape_symmetric(rw->shapes, e->args[0]) ? e->args[0] : NULL;
}

/* (A B)^T = B^T A^T, and (s A)^T = s A^T for 1x1 s.  In a chain, a run of
 * factors whose product is 1x1 (x^T y in x^T y A) scales like a number, so
 * the 1x1 factors and runs stay in front as they are and the rest, one
 * matrix product, is reversed and transposed. */
static const Expr *trans_product(Rewriter *rw, const Expr *e)
{
	if (e->kind != E_TRANS || e->args[0]->kind != E_MUL)
		return NULL;
	const Expr *m = e->args[0];
	const Expr **f = scratch(m->nargs), **run = scratch(m->nargs);
	unsigned n = 0, k = 0;
	for (unsigned i = 0; i < m->nargs; i++) {
		const Expr *g = m->args[i];
		if (simp_is_scalar(rw, g)) {
			f[n++] = g;
			continue;
		}
		run[k++] = g;
		if (dim_is_one(shape_of(rw->shapes, run[0]).rows) &&
		    dim_is_one(shape_of(rw->shapes, g).cols)) {
			memcpy(f + n, run, k * sizeof *run);
			n += k;
			k = 0;
		}
	}
	while (k > 0)
		f[n++] = expr_unary(rw->pool, E_TRANS, run[--k]);
	const Expr *r = nary(rw->pool, E_MUL, f, n, 1);
	mem_free(f);
	mem_free(run);
	return r;
}

/* e without its identity factors, except the one at keep (if any). */
static const Expr *without_identities(Rewriter *rw, const Expr *e, unsigned keep)
{
	const Expr **f = scratch(e->nargs);
	unsigned n = 0;
	for (unsigned i = 0; i < e->nargs; i++)
		if (e->args[i]->kind != E_IDENT || i == keep)
			f[n++] = e->args[i];
	const Expr *r = nary(rw->pool, E_MUL, f, n, 1);
	mem_free(f);
	return r;
}

static int keeps_shape(Rewriter *rw, const Expr *e, const Expr *r)
{
	return r && r != e && same_shape(shape_of(rw->shapes, r), shape_of(rw->shapes, e));
}

/* A I = A, x^T I y = x^T y, I_n I_n = I_n: the identity factors of a product
 * with another factor that is not 1x1 are dropped (all of them, else all but
 * the last), when that leaves the shape as it is: 2 I stays, and so does
 * (x^T y) I, which is not x^T y. */
static const Expr *drop_identity(Rewriter *rw, const Expr *e)
{
	if (e->kind != E_MUL)
		return NULL;
	unsigned last = e->nargs, matrices = 0, others = 0;
	for (unsigned i = 0; i < e->nargs; i++) {
		unsigned matrix = !simp_is_scalar(rw, e->args[i]);
		matrices += matrix;
		if (e->args[i]->kind == E_IDENT)
			last = i;
		else
			others += matrix;
	}
	if (last == e->nargs)
		return NULL;
	const Expr *r = others ? without_identities(rw, e, e->nargs) : NULL;
	if (!keeps_shape(rw, e, r))
		r = matrices >= 2 ? without_identities(rw, e, last) : NULL;
	return keeps_shape(rw, e, r) ? r : NULL;
}

/* 0 x^T y = 0: a 1x1 product with a factor 0 is 0. */
static const Expr *zero_product(Rewriter *rw, const Expr *e)
{
	if (!has_zero_factor(e) || !simp_is_scalar(rw, e))
		return NULL;
	return expr_int(rw->pool, 0);
}

/* x + 0 = x, A + 0 B = A: the zero terms of a sum are dropped (when every
 * term is zero, the first stays). */
static const Expr *drop_zero_terms(Rewriter *rw, const Expr *e)
{
	if (e->kind != E_ADD)
		return NULL;
	const Expr **t = scratch(e->nargs);
	unsigned n = 0;
	for (unsigned i = 0; i < e->nargs; i++)
		if (!is_zero(e->args[i]) && !has_zero_factor(e->args[i]))
			t[n++] = e->args[i];
	const Expr *r = n ? nary(rw->pool, E_ADD, t, n, 0) : e->args[0];
	mem_free(t);
	return r;
}

/* The light normalisation: folding first, so the structural rules see
 * numbers in front of products. */
const SimpRule simp_light_rules[] = {
	fold_sum, fold_product, fold_neg, fold_div, fold_power, fold_trans, fold_inv,
	neg_neg, trans_trans, trans_scalar, trans_symmetric, trans_product,
	drop_identity, zero_product, drop_zero_terms,
};
const size_t simp_light_nrules = sizeof simp_light_rules / sizeof simp_light_rules[0];

const Expr *simp_light(Pool *p, Shapes *s, const Expr *e)
{
	Rewriter rw;
	simp_init(&rw, p, s, simp_light_rules, simp_light_nrules);
	const Expr *r = simp_rewrite(&rw, e);
	simp_clear(&rw);
	return r;
}
