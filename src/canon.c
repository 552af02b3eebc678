/* canon.c: the normal form (a sum of coefficient * scalar powers * matrix
 * chain) and the way back to a short expression (see canon.h).
 * Atoms are canonical Expr nodes: variables, transposed variables, inverses,
 * function calls, Kronecker and Hadamard products... with canonical operands. */
#include "canon.h"
#include "print.h"
#include "map.h"
#include "mem.h"

#include <stdint.h>

#include <stdlib.h>
#include <string.h>

/* A product of sums expands only this far; a bigger one stays a product
 * (an atom of the normal form), so nothing is lost, only not expanded. */
enum { EXPAND_MAX = 64 };
enum { COEF_MAX_BITS = 1 << 16 };   /* a power of a number is folded only this big */

typedef struct {
	const Expr *atom;   /* a 1 x 1 atom */
	const Expr *exp;    /* E_NUM, nonzero */
} SPow;

typedef struct {
	const Expr *coef;   /* E_NUM, nonzero */
	unsigned nsc, nmat;
	const SPow *sc;     /* sorted by atom */
	const Expr **mat;   /* the matrix factors, in order */
} Term;

typedef struct {
	unsigned n;
	Term *t;            /* collected: distinct keys, nonzero coefficients */
} Poly;

typedef struct {
	Pool *p;
	Shapes *s;
	Map memo;           /* node -> Poly * */
	TokenCounter *tokens;   /* lengths in tokens, as printed, remembered per node */
	Map tidied, localised, pushed;   /* node -> tidy's, local's and pushed_transpose's
					  * result: all three walk shared DAGs */
	Map chosen;         /* node -> either_way's result (+ a marker for NULL): an
			     * answer is simplified again until it is a fixed point,
			     * and the last round repeats the one before */
	int no_flip;        /* inside maybe_transposed: do not flip again */
	int symmetry;       /* S^T = S for a declared symmetric S */
	int nested;         /* writing a sum that will stand in brackets */
} Canon;

static const Poly *canon(Canon *c, const Expr *e);
static const Expr *to_expr(Canon *c, const Poly *q);
static int same_chain(const Term *a, const Term *b);
static const Expr *factored(Canon *c, Term *t, unsigned n);
static const Expr *factored_sum(Canon *c, Term *t, unsigned n);
static const Expr *grouped_sum(Canon *c, Term *t, unsigned n);
static const Expr *mul_lead(Canon *c, const Expr *a, const Expr *b);
static int zero_divisor(Pool *p, Shapes *s, const Expr *e, Map *seen);
static const Expr *content(Canon *c, const Term *t, unsigned n);
static const Expr *scaled(Canon *c, const Expr *k, const Expr *e);

/* --- exact numbers as interned nodes --- */

static const Expr *num_op(Canon *c, const Expr *a, const Expr *b, char op)
{
	mpq_t r;
	mpq_init(r);
	switch (op) {
	case '+': mpq_add(r, a->u.num, b->u.num); break;
	case '*': mpq_mul(r, a->u.num, b->u.num); break;
	case '/': mpq_div(r, a->u.num, b->u.num); break;
	default: mpq_neg(r, a->u.num); break;
	}
	const Expr *e = expr_num(c->p, r);
	mpq_clear(r);
	return e;
}

static int num_sign(const Expr *n)
{
	return mpq_sgn(n->u.num);
}

static const Expr *one(Canon *c)
{
	return expr_int(c->p, 1);
}

static void *alloc(Canon *c, size_t n)
{
	return arena_alloc(pool_arena(c->p), n ? n : 1);
}

/* memcpy, but an empty (possibly NULL) source is fine. */
static void *copy(void *dst, const void *src, size_t n)
{
	return n ? memcpy(dst, src, n) : dst;
}

static void sort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
	if (n > 1)
		qsort(base, n, size, cmp);
}

static Shape shape(Canon *c, const Expr *e)
{
	return shape_of(c->s, e);
}

static int is_scalar(Canon *c, const Expr *e)
{
	return shape_is_scalar(shape(c, e));
}

/* --- terms: order, keys, products --- */

static int cmp_spow(const SPow *a, const SPow *b)
{
	int k = expr_cmp(a->atom, b->atom);
	return k ? k : expr_cmp(a->exp, b->exp);
}

/* The order of terms by their non-numeric part (the key). */
static int cmp_key(const Term *a, const Term *b)
{
	if (a->nmat != b->nmat)   /* longer chains first: A x + b */
		return a->nmat > b->nmat ? -1 : 1;
	for (unsigned i = 0; i < a->nmat; i++) {
		int k = expr_cmp(a->mat[i], b->mat[i]);
		if (k)
			return k;
	}
	if (a->nsc != b->nsc)
		return a->nsc < b->nsc ? -1 : 1;
	for (unsigned i = 0; i < a->nsc; i++) {
		int k = cmp_spow(&a->sc[i], &b->sc[i]);
		if (k)
			return k;
	}
	return 0;
}

static int qsort_key(const void *x, const void *y)
{
	return cmp_key(x, y);
}

static const Expr *operand(Canon *c, const Expr *e);
static int qsort_spow(const void *x, const void *y);

/* exp(z) / (1 + exp(z)) = sigmoid(z); and, when writing out (unpaired set),
 * 1 / (1 + exp(z)) = sigmoid(-z).  (Pairs are found while terms are still
 * being multiplied, so the lone form waits for the output.) */
static void logistic(Canon *c, Term *t, int unpaired)
{
	for (unsigned i = 0; i < t->nsc; i++) {
		const Expr *a = t->sc[i].atom;
		if (!expr_is_num(t->sc[i].exp, -1) || a->kind != E_ADD || a->nargs != 2 ||
		    !expr_is_num(a->args[0], 1) || a->args[1]->kind != E_FUNC || a->args[1]->fn != F_EXP)
			continue;
		const Expr *ez = a->args[1], *z = ez->args[0];
		int found = 0;
		for (unsigned j = 0; j < t->nsc; j++)
			found |= t->sc[j].atom == ez && expr_is_num(t->sc[j].exp, 1);
		if (!found && !unpaired)
			continue;
		SPow *sc = alloc(c, t->nsc * sizeof *sc);
		unsigned n = 0;
		int paired = 0;
		for (unsigned j = 0; j < t->nsc; j++) {
			if (j == i)
				continue;
			if (!paired && t->sc[j].atom == ez && expr_is_num(t->sc[j].exp, 1)) {
				paired = 1;
				continue;
			}
			sc[n++] = t->sc[j];
		}
		const Expr *arg = paired ? z : operand(c, expr_unary(c->p, E_NEG, z));
		sc[n++] = (SPow){ expr_func(c->p, F_SIGMOID, arg), one(c) };
		sort(sc, n, sizeof *sc, qsort_spow);
		t->sc = sc;
		t->nsc = n;
		i = (unsigned)-1;   /* look again: there may be more */
	}
}

/* Sort and merge like terms: the O(n log n) collection. */
static Poly collect(Canon *c, Term *t, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		logistic(c, &t[i], 0);
	sort(t, n, sizeof *t, qsort_key);
	unsigned k = 0;
	for (unsigned i = 0; i < n; i++) {
		if (k && cmp_key(&t[k - 1], &t[i]) == 0) {
			t[k - 1].coef = num_op(c, t[k - 1].coef, t[i].coef, '+');
			if (num_sign(t[k - 1].coef) == 0)
				k--;
			continue;
		}
		t[k++] = t[i];
	}
	return (Poly){ k, t };
}

static const Poly *poly_new(Canon *c, Term *t, unsigned n)
{
	Poly *q = alloc(c, sizeof *q);
	*q = collect(c, t, n);
	return q;
}

static const Poly *poly_zero(Canon *c)
{
	return poly_new(c, NULL, 0);
}

static const Poly *poly_num(Canon *c, const Expr *n)
{
	if (num_sign(n) == 0)
		return poly_zero(c);
	Term *t = alloc(c, sizeof *t);
	t->coef = n;
	return poly_new(c, t, 1);
}

/* Merge two sorted lists of scalar powers, adding exponents of equal atoms. */
static unsigned merge_spow(Canon *c, const SPow *a, unsigned na, const SPow *b, unsigned nb, SPow *out)
{
	unsigned i = 0, j = 0, k = 0;
	while (i < na || j < nb) {
		int d = i == na ? 1 : j == nb ? -1 : expr_cmp(a[i].atom, b[j].atom);
		if (d < 0)
			out[k++] = a[i++];
		else if (d > 0)
			out[k++] = b[j++];
		else {
			const Expr *e = num_op(c, a[i].exp, b[j].exp, '+');
			if (num_sign(e))
				out[k++] = (SPow){ a[i].atom, e };
			i++, j++;
		}
	}
	return k;
}

static const Expr *atom_transpose(Canon *c, const Expr *a);
static const Expr *transposed_expr(Canon *c, const Expr *e);

static const Expr *identity(Canon *c, const Expr *dim)
{
	return expr_make(c->p, E_IDENT, &dim, 1);
}

static int is_identity(const Expr *e)
{
	return e->kind == E_IDENT;
}

/* A square factor as base^k: X is X^1, X^-1 is X^-1, X^k is X^k. */
static long power_parts(const Expr *f, const Expr **base)
{
	if (f->kind == E_INV) {
		*base = f->args[0];
		return -1;
	}
	if (f->kind == E_POW && mpz_cmp_ui(mpq_denref(f->args[1]->u.num), 1) == 0 &&
	    mpz_fits_slong_p(mpq_numref(f->args[1]->u.num))) {
		*base = f->args[0];
		return mpz_get_si(mpq_numref(f->args[1]->u.num));
	}
	*base = f;
	return 1;
}

/* Adjacent powers of one square matrix: X X = X^2, X^2 X^-1 = X,
 * X X^-1 = I.  NULL when a and b are not powers of one base. */
static const Expr *merge_powers(Canon *c, const Expr *a, const Expr *b)
{
	const Expr *ba, *bb;
	long ka = power_parts(a, &ba), kb = power_parts(b, &bb);
	if (ba != bb)   /* first: most adjacent factors differ, and shapes cost a look-up */
		return NULL;
	Shape sh = shape(c, ba);
	if (sh.rows != sh.cols || ba->kind == E_IDENT)
		return NULL;
	long k = ka + kb;
	if (k == 0)
		return identity(c, sh.rows);
	if (k == 1)
		return ba;
	return expr_binary(c->p, E_POW, ba, expr_int(c->p, k));
}

/* The canonical product a b, as one factor if it is one. */
static const Expr *product_of(Canon *c, const Expr *a, const Expr *b)
{
	const Expr *pair[2] = { a, b };
	const Expr *r = to_expr(c, canon(c, expr_make(c->p, E_MUL, pair, 2)));
	return r ? r : NULL;
}

/* (A kron B)(C kron D) = (A C) kron (B D) when the products are defined. */
static const Expr *mixed_product(Canon *c, const Expr *a, const Expr *b)
{
	if (a->kind != E_KRON || b->kind != E_KRON || a->nargs != b->nargs)
		return NULL;
	for (unsigned i = 0; i < a->nargs; i++)
		if (shape(c, a->args[i]).cols != shape(c, b->args[i]).rows)
			return NULL;
	const Expr **f = alloc(c, a->nargs * sizeof *f);
	for (unsigned i = 0; i < a->nargs; i++)
		if (!(f[i] = product_of(c, a->args[i], b->args[i])))
			return NULL;
	return to_expr(c, canon(c, expr_make(c->p, E_KRON, f, a->nargs)));
}

/* Two adjacent chain factors as one, or NULL: powers of one matrix,
 * K_{n,m} K_{m,n} = I, K_{m,n} vec(A) = vec(A^T), the mixed product. */
static const Expr *merge_pair(Canon *c, const Expr *a, const Expr *b)
{
	const Expr *r = merge_powers(c, a, b);
	if (r)
		return r;
	if (a->kind == E_COMM && b->kind == E_COMM && a->args[0] == b->args[1] && a->args[1] == b->args[0])
		return identity(c, shape(c, a).rows);
	if (a->kind == E_COMM && b->kind == E_FUNC && b->fn == F_VEC) {
		Shape bs = shape(c, b->args[0]);
		if (bs.rows == a->args[0] && bs.cols == a->args[1])
			return to_expr(c, canon(c, expr_func(c->p, F_VEC, expr_unary(c->p, E_TRANS, b->args[0]))));
	}
	return mixed_product(c, a, b);
}

static unsigned count_transposes(const Expr *e);

/* A 1 x 1 chain equals its transpose: keep the way round with fewer
 * transposes (x^T B^T y is y^T B x), or the smaller one (b^T x, not x^T b). */
static void orient(Canon *c, const Expr **m, unsigned n)
{
	const Expr **t = alloc(c, n * sizeof *t);
	unsigned tm = 0, tt = 0;
	for (unsigned i = 0; i < n; i++) {
		t[i] = atom_transpose(c, m[n - 1 - i]);
		tm += count_transposes(m[i]);
		tt += count_transposes(t[i]);
	}
	int better = tt < tm;
	for (unsigned i = 0; i < n && tt == tm && !better; i++) {
		int k = expr_cmp(t[i], m[i]);
		if (k)
			better = k < 0, i = n;
	}
	if (better)
		copy(m, t, n * sizeof *m);
}

/* The end j > i of the longest 1 x 1 run m[i..j] that is not the whole
 * chain, or i when m[i] starts none. */
static unsigned lift_end(Canon *c, const Expr **m, unsigned n, unsigned i)
{
	if (!dim_is_one(shape(c, m[i]).rows))
		return i;
	for (unsigned j = n - 1; j > i; j--)
		if (dim_is_one(shape(c, m[j]).cols) && !(i == 0 && j == n - 1))
			return j;
	return i;
}

/* Tidy a chain: drop identities next to other factors, cancel inverse
 * pairs, and lift the 1 x 1 runs inside it (b a^T x -> (a^T x) b) into the
 * scalar list *lifted, made (with room for one more) only when there is
 * one: chains of a deep network are hundreds of factors long, and are
 * tidied at every step of their product.  Returns the new chain length. */
static unsigned clean_chain(Canon *c, const Expr **m, unsigned n, SPow **lifted, unsigned *nlifted)
{
	unsigned k = 0;
	for (unsigned i = 0; i < n; i++) {
		const Expr *merged = k ? merge_pair(c, m[k - 1], m[i]) : NULL;
		if (merged)
			m[k - 1] = merged;
		else
			m[k++] = m[i];
	}
	n = k;
	*nlifted = 0;
	unsigned i = 0;
	while (i < n) {
		unsigned j = lift_end(c, m, n, i);
		if (j == i) {
			i++;
			continue;
		}
		orient(c, m + i, j - i + 1);
		if (!*lifted)
			*lifted = alloc(c, (n - i + 1) * sizeof **lifted);
		(*lifted)[(*nlifted)++] = (SPow){ expr_make(c->p, E_MUL, m + i, j - i + 1), one(c) };
		if (n - j - 1)
			memmove(m + i, m + j + 1, (n - j - 1) * sizeof *m);
		n -= j - i + 1;
	}
	/* identities go after the lifting, and a lone one stays, so that the
	 * chain keeps its shape: I_m (y^T z) is (y^T z) I_m, not y^T z */
	k = 0;
	for (i = 0; i < n; i++)
		if (!(is_identity(m[i]) && n > 1))
			m[k++] = m[i];
	if (k == 0 && n > 0)
		m[k++] = m[0];
	return k;
}

static int qsort_spow(const void *x, const void *y)
{
	return cmp_spow(x, y);
}

/* A chain whose product is 1 x 1. */
static int scalar_chain(Canon *c, const Expr *const *m, unsigned n)
{
	return n > 0 && dim_is_one(shape(c, m[0]).rows) && dim_is_one(shape(c, m[n - 1]).cols);
}

/* t with its 1 x 1 chain moved into its scalars: it scales, it does not
 * multiply as a matrix (x v^T times y^T z is (y^T z) x v^T). */
static Term chain_as_scalar(Canon *c, const Term *t)
{
	const Expr **m = alloc(c, t->nmat * sizeof *m);
	copy(m, t->mat, t->nmat * sizeof *m);
	orient(c, m, t->nmat);
	SPow lift = { t->nmat == 1 ? m[0] : expr_make(c->p, E_MUL, m, t->nmat), one(c) };
	SPow *sc = alloc(c, (t->nsc + 1) * sizeof *sc);
	unsigned n = merge_spow(c, t->sc, t->nsc, &lift, 1, sc);
	return (Term){ t->coef, n, 0, sc, NULL };
}

/* The product of two terms. */
static Term term_mul(Canon *c, const Term *a, const Term *b)
{
	Term as, bs;
	if (a->nmat && b->nmat && scalar_chain(c, a->mat, a->nmat)) {
		as = chain_as_scalar(c, a);
		a = &as;
	}
	if (a->nmat && b->nmat && scalar_chain(c, b->mat, b->nmat)) {
		bs = chain_as_scalar(c, b);
		b = &bs;
	}
	Term t = { num_op(c, a->coef, b->coef, '*'), 0, 0, NULL, NULL };
	unsigned n = a->nmat + b->nmat;
	const Expr **m = alloc(c, n * sizeof *m);
	copy(m, a->mat, a->nmat * sizeof *m);
	copy(m + a->nmat, b->mat, b->nmat * sizeof *m);
	SPow *lifted = NULL;
	unsigned nl;
	t.nmat = clean_chain(c, m, n, &lifted, &nl);
	t.mat = m;
	if (t.nmat > 1 && dim_is_one(shape(c, m[0]).rows) && dim_is_one(shape(c, m[t.nmat - 1]).cols)) {
		orient(c, m, t.nmat);   /* a 1 x 1 chain */
		int products = nl > 0;
		for (unsigned i = 0; i < a->nsc; i++)
			products |= a->sc[i].atom->kind == E_MUL;
		for (unsigned i = 0; i < b->nsc; i++)
			products |= b->sc[i].atom->kind == E_MUL;
		if (products) {   /* beside other scalar products it is one of them: (a^T b) (c^T d) */
			if (!lifted)
				lifted = alloc(c, sizeof *lifted);
			lifted[nl++] = (SPow){ expr_make(c->p, E_MUL, m, t.nmat), one(c) };
			t.nmat = 0;
		}
	}
	if (nl > 1)
		sort(lifted, nl, sizeof *lifted, qsort_spow);
	SPow *s1 = alloc(c, (a->nsc + b->nsc) * sizeof *s1);
	unsigned k1 = merge_spow(c, a->sc, a->nsc, b->sc, b->nsc, s1);
	SPow *s2 = alloc(c, (k1 + nl) * sizeof *s2);
	t.nsc = merge_spow(c, s1, k1, lifted, nl, s2);
	t.sc = s2;
	return t;
}

/* An atom as a one-term polynomial: a scalar power or a matrix factor. */
static const Poly *poly_atom(Canon *c, const Expr *a)
{
	Term *t = alloc(c, sizeof *t);
	t->coef = one(c);
	if (is_scalar(c, a)) {
		SPow *s = alloc(c, sizeof *s);
		*s = (SPow){ a, one(c) };
		t->sc = s;
		t->nsc = 1;
	} else {
		const Expr **m = alloc(c, sizeof *m);
		m[0] = a;
		t->mat = m;
		t->nmat = 1;
	}
	return poly_new(c, t, 1);
}

static const Poly *poly_add(Canon *c, const Poly *a, const Poly *b)
{
	Term *t = alloc(c, (a->n + b->n) * sizeof *t);
	copy(t, a->t, a->n * sizeof *t);
	copy(t + a->n, b->t, b->n * sizeof *t);
	return poly_new(c, t, a->n + b->n);
}

static const Poly *poly_scale(Canon *c, const Poly *a, const Expr *k)
{
	if (num_sign(k) == 0)
		return poly_zero(c);
	Term *t = alloc(c, a->n * sizeof *t);
	for (unsigned i = 0; i < a->n; i++) {
		t[i] = a->t[i];
		t[i].coef = num_op(c, t[i].coef, k, '*');
	}
	return poly_new(c, t, a->n);
}

/* A sum too big to multiply out is kept whole, as one atom. */
static const Poly *opaque(Canon *c, const Poly *a)
{
	return a->n > 1 ? poly_atom(c, to_expr(c, a)) : a;
}

static const Poly *settle(Canon *c, const Poly *q);

static const Poly *poly_mul(Canon *c, const Poly *a, const Poly *b)
{
	/* Two sums stay factored: their product multiplied out has n m terms
	 * where the factors have n + m, and a chain of such products (the
	 * layers of a network) would grow exponentially (SPEC 4). */
	if ((a->n > 1 && b->n > 1) || (size_t)a->n * b->n > EXPAND_MAX) {
		a = opaque(c, a);
		b = opaque(c, b);
	}
	Term *t = alloc(c, (size_t)a->n * b->n * sizeof *t);
	unsigned k = 0;
	for (unsigned i = 0; i < a->n; i++)
		for (unsigned j = 0; j < b->n; j++)
			t[k++] = term_mul(c, &a->t[i], &b->t[j]);
	return settle(c, poly_new(c, t, k));
}

/* A polynomial that is one term without matrix factors: its pieces. */
static int single_scalar_term(const Poly *a)
{
	return a->n == 1 && a->t[0].nmat == 0;
}

static int is_whole(const Expr *k)
{
	return mpz_cmp_ui(mpq_denref(k->u.num), 1) == 0;
}

/* Whole and of a sane size: (a/b)^(10^19) stays one power, or its value
 * would be inf / inf in any floating-point use. */
static int small_whole(const Expr *k)
{
	return is_whole(k) && mpz_cmpabs_ui(mpq_numref(k->u.num), 4096) <= 0;
}

/* The scalar powers, to positive whole exponents, that every term of a sum
 * of scalar terms has: g, with a = g r.  Raising g and r to a whole power
 * separately makes alpha (1 + alpha) and alpha + alpha^2 the same divisor,
 * whichever way it was written.  NULL if there are none. */
static const Poly *common_monomial(Canon *c, const Poly *a, const Poly **rest)
{
	for (unsigned j = 0; j < a->n; j++)
		if (a->t[j].nmat)
			return NULL;
	SPow *g = alloc(c, (a->t[0].nsc + 1) * sizeof *g);
	unsigned ng = 0;
	for (unsigned i = 0; i < a->t[0].nsc; i++) {
		const SPow *s = &a->t[0].sc[i];
		const Expr *least = s->exp;
		int everywhere = num_sign(least) > 0 && is_whole(least);
		for (unsigned j = 1; j < a->n && everywhere; j++) {
			everywhere = 0;
			for (unsigned k = 0; k < a->t[j].nsc; k++) {
				const SPow *o = &a->t[j].sc[k];
				if (o->atom == s->atom && num_sign(o->exp) > 0 && is_whole(o->exp)) {
					everywhere = 1;
					if (mpq_cmp(o->exp->u.num, least->u.num) < 0)
						least = o->exp;
				}
			}
		}
		if (everywhere)
			g[ng++] = (SPow){ s->atom, least };
	}
	if (ng == 0)
		return NULL;
	Term *r = alloc(c, a->n * sizeof *r);
	for (unsigned j = 0; j < a->n; j++) {
		SPow *left = alloc(c, (a->t[j].nsc + 1) * sizeof *left);
		unsigned nl = 0;
		for (unsigned k = 0; k < a->t[j].nsc; k++) {
			SPow o = a->t[j].sc[k];
			for (unsigned i = 0; i < ng; i++)
				if (g[i].atom == o.atom)
					o.exp = num_op(c, o.exp, num_op(c, g[i].exp, NULL, '-'), '+');
			if (num_sign(o.exp))
				left[nl++] = o;
		}
		r[j] = a->t[j];
		r[j].sc = left;
		r[j].nsc = nl;
	}
	*rest = poly_new(c, r, a->n);
	Term *gt = alloc(c, sizeof *gt);
	*gt = (Term){ one(c), ng, 0, g, NULL };
	return poly_new(c, gt, 1);
}

/* a^k for a scalar polynomial and a rational k. */
static const Poly *poly_pow_scalar(Canon *c, const Poly *a, const Expr *k)
{
	if (expr_is_num(k, 0))
		return poly_num(c, one(c));   /* s^0 = 1 */
	if (a->n == 1 && a->t[0].nmat && scalar_chain(c, a->t[0].mat, a->t[0].nmat)) {
		Term *t = alloc(c, sizeof *t);   /* (alpha y^T y)^-1: y^T y is a scalar */
		*t = chain_as_scalar(c, &a->t[0]);
		Poly *q = alloc(c, sizeof *q);
		*q = (Poly){ 1, t };
		a = q;
	}
	if (a->n == 0)
		return num_sign(k) > 0 ? a : poly_atom(c, expr_binary(c->p, E_POW, expr_int(c->p, 0), k));
	int whole = small_whole(k);
	if (!whole && !(single_scalar_term(a) && a->t[0].nsc == 1 && expr_is_num(a->t[0].coef, 1) &&
			expr_is_num(a->t[0].sc[0].exp, 1))) {
		/* (a b)^(1/2) is not a^(1/2) b^(1/2) for negative a, b, nor (x^2)^(1/2)
		 * x: a fractional power applies to its base whole */
		Term *r = alloc(c, sizeof *r);
		SPow *sp = alloc(c, sizeof *sp);
		*sp = (SPow){ to_expr(c, a), k };
		*r = (Term){ one(c), 1, 0, sp, NULL };
		return poly_new(c, r, 1);
	}
	if (!single_scalar_term(a)) {   /* (1 + e)^-1: the sum is the atom */
		const Poly *rest, *g = common_monomial(c, a, &rest);
		if (g)   /* (alpha + alpha^2)^-1 = alpha^-1 (1 + alpha)^-1 */
			return poly_mul(c, poly_pow_scalar(c, g, k), poly_pow_scalar(c, rest, k));
		Term *r = alloc(c, sizeof *r);
		SPow *sp = alloc(c, sizeof *sp);
		*sp = (SPow){ to_expr(c, a), k };
		*r = (Term){ one(c), 1, 0, sp, NULL };
		return poly_new(c, r, 1);
	}
	const Term *t = &a->t[0];
	Term *r = alloc(c, sizeof *r);
	r->coef = one(c);
	SPow *s = alloc(c, (t->nsc + 1) * sizeof *s);
	unsigned n = 0;
	for (unsigned i = 0; i < t->nsc; i++)
		s[n++] = (SPow){ t->sc[i].atom, num_op(c, t->sc[i].exp, k, '*') };
	/* the coefficient's power, exactly when k is whole, else as an atom */
	size_t bits = mpz_sizeinbase(mpq_numref(t->coef->u.num), 2) + mpz_sizeinbase(mpq_denref(t->coef->u.num), 2);
	if (mpz_cmp_ui(mpq_denref(k->u.num), 1) == 0 && mpz_cmpabs_ui(mpq_numref(k->u.num), 4096) <= 0 &&
	    (expr_is_num(t->coef, 1) || expr_is_num(t->coef, -1) ||
	     bits * mpz_get_ui(mpq_numref(k->u.num)) <= COEF_MAX_BITS)) {   /* exact, if not huge */
		mpq_t q;
		mpq_init(q);
		long e = mpz_get_si(mpq_numref(k->u.num));
		mpz_pow_ui(mpq_numref(q), mpq_numref(t->coef->u.num), (unsigned long)labs(e));
		mpz_pow_ui(mpq_denref(q), mpq_denref(t->coef->u.num), (unsigned long)labs(e));
		if (e < 0)
			mpq_inv(q, q);
		r->coef = expr_num(c->p, q);
		mpq_clear(q);
	} else if (!expr_is_num(t->coef, 1)) {
		s[n++] = (SPow){ t->coef, k };
		sort(s, n, sizeof *s, qsort_spow);
	}
	r->sc = s;
	r->nsc = n;
	return settle(c, poly_new(c, r, 1));
}

/* The factors of t that are sums (the first power of a scalar sum, or a
 * matrix sum in its chain). */
static unsigned sum_factors(const Term *t)
{
	unsigned k = 0;
	for (unsigned i = 0; i < t->nsc; i++)
		k += t->sc[i].atom->kind == E_ADD && expr_is_num(t->sc[i].exp, 1);
	for (unsigned i = 0; i < t->nmat; i++)
		k += t->mat[i]->kind == E_ADD;
	return k;
}

/* An atom raised to a whole power that canon would have split had the
 * power been whole from the start: ((2/3 beta)^(1/2))^-2 is (2/3 beta)^-1,
 * that is 3/2 beta^-1, and (alpha - 3)^-1 inverted is the sum alpha - 3,
 * multiplied out as any sum times a single term is (poly_mul), unless
 * another sum is a factor of its term: two sums stay factored.  Without
 * this, reading a printed answer back would simplify it further.  *as is
 * what the atom simplifies to. */
static int unsettled(Canon *c, const Term *t, const SPow *s, const Poly **as)
{
	ExprKind k = s->atom->kind;
	if (!small_whole(s->exp) || (k != E_ADD && k != E_MUL && k != E_POW && k != E_DIV && k != E_NEG))
		return 0;
	const Poly *q = canon(c, s->atom);
	*as = q;
	if (single_scalar_term(q))   /* a monomial, unless it is the atom itself */
		return !(q->t[0].nsc == 1 && q->t[0].sc[0].atom == s->atom &&
			 expr_is_num(q->t[0].coef, 1) && expr_is_num(q->t[0].sc[0].exp, 1));
	return q->n > 1 && s->atom->kind == E_ADD && expr_is_num(s->exp, 1) && sum_factors(t) == 1;
}

static const Poly *settle(Canon *c, const Poly *q)
{
	const Poly *as;
	int any = 0;
	for (unsigned i = 0; i < q->n && !any; i++)
		for (unsigned j = 0; j < q->t[i].nsc && !any; j++)
			any = unsettled(c, &q->t[i], &q->t[i].sc[j], &as);
	if (!any)
		return q;
	const Poly *sum = poly_zero(c);
	for (unsigned i = 0; i < q->n; i++) {
		Term *t = alloc(c, sizeof *t);
		*t = q->t[i];
		SPow *kept = alloc(c, (t->nsc + 1) * sizeof *kept);
		unsigned nk = 0;
		const Poly *r = poly_num(c, one(c));
		for (unsigned j = 0; j < q->t[i].nsc; j++)
			if (unsettled(c, &q->t[i], &q->t[i].sc[j], &as))   /* a sum's first power is the sum */
				r = poly_mul(c, r, as->n > 1 ? as : poly_pow_scalar(c, as, q->t[i].sc[j].exp));
			else
				kept[nk++] = q->t[i].sc[j];
		t->sc = kept;
		t->nsc = nk;
		sum = poly_add(c, sum, poly_mul(c, poly_new(c, t, 1), r));
	}
	return sum;
}

/* --- transposes --- */

static const Expr *rebuild_args(Canon *c, const Expr *e, const Expr *(*f)(Canon *, const Expr *))
{
	const Expr **a = alloc(c, e->nargs * sizeof *a);
	for (unsigned i = 0; i < e->nargs; i++)
		a[i] = f(c, e->args[i]);
	if (e->kind == E_FUNC)
		return expr_func(c->p, e->fn, a[0]);
	return expr_make(c->p, e->kind, a, e->nargs);
}

/* A matrix atom transposed, with the transpose pushed to the leaves:
 * (X^T)^T = X, I^T = I, K_{m,n}^T = K_{n,m}, diag(x)^T = diag(x),
 * (A kron B)^T = A^T kron B^T, (A .* B)^T = A^T .* B^T, f(A)^T = f(A^T),
 * (X^-1)^T = X^-T, and S^T = S for a symmetric S. */
static const Expr *atom_transpose(Canon *c, const Expr *a)
{
	switch (a->kind) {
	case E_TRANS:
		return a->args[0];
	case E_IDENT:
		return a;
	case E_COMM: {
		const Expr *args[2] = { a->args[1], a->args[0] };
		return expr_make(c->p, E_COMM, args, 2);
	}
	case E_VAR:
		if ((c->symmetry && shape_symmetric(c->s, a)) || is_scalar(c, a))
			return a;
		break;
	case E_INV: {   /* (M^-1)^T = (M^T)^-1, which is M^-1 for a symmetric M */
		const Expr *m = a->args[0];
		if (m->kind == E_VAR)
			return c->symmetry && shape_symmetric(c->s, m) ? a : expr_unary(c->p, E_TRANS, a);
		const Expr *mt = transposed_expr(c, m);
		if (mt == m)
			return a;
		const Expr *r = to_expr(c, canon(c, expr_unary(c->p, E_INV, mt)));
		return r ? r : expr_unary(c->p, E_INV, mt);
	}
	case E_KRON:
		return rebuild_args(c, a, transposed_expr);
	case E_POW:
		return expr_binary(c->p, E_POW, atom_transpose(c, a->args[0]), a->args[1]);
	case E_EPOW:
		break;
	case E_FUNC:
		if (a->fn == F_DIAG && dim_is_one(shape(c, a->args[0]).cols))
			return a;
		break;
	case E_ADD: case E_NEG: case E_MUL: case E_DIV:
		return transposed_expr(c, a);
	case E_NUM: case E_DSYM: case E_DIM: case E_ONES: case E_HAD: case E_HDIV:
		break;
	}
	if (is_scalar(c, a))
		return a;
	return expr_unary(c->p, E_TRANS, a);
}

/* Any expression transposed, in canonical form. */
static const Expr *transposed_expr(Canon *c, const Expr *e)
{
	if (is_scalar(c, e))
		return e;
	const Expr *t = to_expr(c, canon(c, expr_unary(c->p, E_TRANS, e)));
	return t ? t : e;
}

/* (sum of c S M1 .. Mk)^T = sum of c S Mk^T .. M1^T */
static const Poly *poly_transpose(Canon *c, const Poly *a)
{
	Term *t = alloc(c, a->n * sizeof *t);
	for (unsigned i = 0; i < a->n; i++) {
		const Term *s = &a->t[i];
		const Expr **m = alloc(c, s->nmat * sizeof *m);
		for (unsigned j = 0; j < s->nmat; j++)
			m[j] = atom_transpose(c, s->mat[s->nmat - 1 - j]);
		Term unit = { one(c), s->nsc, 0, s->sc, NULL };
		Term chain = { s->coef, 0, s->nmat, NULL, m };
		t[i] = term_mul(c, &unit, &chain);
	}
	return poly_new(c, t, a->n);
}

/* --- from expressions to the normal form --- */

/* The summands of a sum, nested sums opened (without recursion, so a sum
 * built as ((a + b) + c) + ... of any depth is one flat list). */
static const Expr **summands(Canon *c, const Expr *e, size_t *count)
{
	size_t cap = 64, n = 0, top = 0, stcap = 64;
	const Expr **out = mem_alloc(cap * sizeof *out), **stack = mem_alloc(stcap * sizeof *stack);
	stack[top++] = e;
	while (top) {
		const Expr *x = stack[--top];
		if (x->kind != E_ADD) {
			if (n == cap)
				out = mem_realloc(out, (cap *= 2) * sizeof *out);
			out[n++] = x;
			continue;
		}
		for (unsigned i = x->nargs; i-- > 0;) {   /* pushed in reverse: popped in order */
			if (top == stcap)
				stack = mem_realloc(stack, (stcap *= 2) * sizeof *stack);
			stack[top++] = x->args[i];
		}
	}
	mem_free(stack);
	const Expr **r = alloc(c, n * sizeof *r);
	copy(r, out, n * sizeof *r);
	mem_free(out);
	*count = n;
	return r;
}

/* All the terms of all the summands, collected once: O(n log n). */
/* The sum of (1 - y) in s .* (1 - y): the element-wise factor that a
 * Hadamard product keeps whole, unless its terms cancel against others. */
static int all_ones(const Expr *e);

static const Expr *ones_sum(const Expr *h, unsigned *at)
{
	if (h->kind == E_TRANS)
		h = h->args[0];
	if (h->kind != E_HAD)
		return NULL;
	for (unsigned i = 0; i < h->nargs; i++) {
		const Expr *a = h->args[i];
		if (a->kind != E_ADD)
			continue;
		for (unsigned j = 0; j < a->nargs; j++)
			if (all_ones(a->args[j])) {
				*at = i;
				return a;
			}
	}
	return NULL;
}

/* q with every s .* (1 - y) multiplied out, s .* 1 being s: in a sum
 * where the terms then cancel (y .* s - y + s .* (1 - y) is s - y). */
static const Poly *ones_expanded(Canon *c, const Poly *q)
{
	int any = 0;   /* most sums have none: no work for them */
	for (unsigned i = 0; i < q->n && !any; i++)
		for (unsigned j = 0; j < q->t[i].nmat && !any; j++) {
			unsigned at;
			any = ones_sum(q->t[i].mat[j], &at) != NULL;
		}
	if (!any)
		return q;
	const Poly **expanded = alloc(c, q->n * sizeof *expanded);
	unsigned total = 0;
	int changed = 0;
	for (unsigned i = 0; i < q->n; i++) {
		const Term *t = &q->t[i];
		const Poly *term = poly_new(c, copy(alloc(c, sizeof *t), t, sizeof *t), 1);
		int done = 0;   /* one factor a term: the canon of the rest does the others */
		for (unsigned j = 0; j < t->nmat && !done; j++) {
			unsigned at;
			const Expr *sum = ones_sum(t->mat[j], &at);
			if (!sum)
				continue;
			const Expr *h = t->mat[j]->kind == E_TRANS ? t->mat[j]->args[0] : t->mat[j];
			const Expr **parts = alloc(c, sum->nargs * sizeof *parts);
			for (unsigned k = 0; k < sum->nargs; k++) {
				const Expr **f = alloc(c, h->nargs * sizeof *f);
				copy(f, h->args, h->nargs * sizeof *f);
				f[at] = sum->args[k];
				parts[k] = expr_make(c->p, E_HAD, f, h->nargs);
			}
			const Expr *whole = expr_make(c->p, E_ADD, parts, sum->nargs);
			const Expr **m = alloc(c, t->nmat * sizeof *m);
			copy(m, t->mat, t->nmat * sizeof *m);
			m[j] = t->mat[j]->kind == E_TRANS ? expr_unary(c->p, E_TRANS, whole) : whole;
			Term nt = *t;
			nt.mat = m;
			term = poly_new(c, copy(alloc(c, sizeof nt), &nt, sizeof nt), 1);
			term = canon(c, to_expr(c, term));
			changed = done = 1;
		}
		expanded[i] = term;
		total += term->n;
	}
	if (!changed)
		return q;
	Term *t = alloc(c, (total + 1) * sizeof *t);   /* one collection, not one per term */
	unsigned k = 0;
	for (unsigned i = 0; i < q->n; i++) {
		copy(t + k, expanded[i]->t, expanded[i]->n * sizeof *t);
		k += expanded[i]->n;
	}
	return poly_new(c, t, k);
}

static const Poly *canon_sum(Canon *c, const Expr *e)
{
	size_t m;
	const Expr **kid = summands(c, e, &m);
	const Poly **kids = alloc(c, m * sizeof *kids);
	size_t n = 0;
	for (size_t i = 0; i < m; i++) {
		kids[i] = canon(c, kid[i]);
		n += kids[i]->n;
	}
	Term *t = alloc(c, n * sizeof *t);
	size_t k = 0;
	for (size_t i = 0; i < m; i++) {
		copy(t + k, kids[i]->t, kids[i]->n * sizeof *t);
		k += kids[i]->n;
	}
	const Poly *q = poly_new(c, t, (unsigned)n), *x = q->n > 1 ? ones_expanded(c, q) : q;
	return x->n < q->n ? x : q;
}

/* Products: a 1 x 1 factor scales; the rest multiply in order. */
static const Poly *canon_product(Canon *c, const Expr *e)
{
	const Poly *r = poly_num(c, one(c));
	for (unsigned i = 0; i < e->nargs; i++)
		r = poly_mul(c, r, canon(c, e->args[i]));
	return r;
}

/* 1 / s for a scalar s: exponents negated when s is one term. */
static const Poly *reciprocal(Canon *c, const Poly *s)
{
	return poly_pow_scalar(c, s, expr_int(c->p, -1));
}

/* A matrix inverse: (c S M)^-1 = c^-1 S^-1 M^-1 for one factor M,
 * (X^-1)^-1 = X, (X^T)^-1 = X^-T, I^-1 = I. */
/* A chain with both X and X^-1 among its factors: its determinant splits
 * into determinants that cancel (det(X^-1 A X) = det(A)); otherwise
 * det(A X B) reads better whole. */
static int cancels(const Term *t)
{
	for (unsigned i = 0; i < t->nmat; i++)
		for (unsigned j = 0; j < t->nmat; j++)
			if (t->mat[i]->kind == E_INV && t->mat[i]->args[0] == t->mat[j])
				return 1;
	return 0;
}

static int all_square(Canon *c, const Term *t)
{
	for (unsigned i = 0; i < t->nmat; i++) {
		Shape sh = shape(c, t->mat[i]);
		if (sh.rows != sh.cols)
			return 0;
	}
	return 1;
}

static const Poly *canon_inverse(Canon *c, const Expr *e)
{
	const Poly *a = canon(c, e->args[0]);
	if (is_scalar(c, e))
		return reciprocal(c, a);
	if (a->n == 0)   /* a singular zero: kept as written */
		return poly_atom(c, expr_unary(c->p, E_INV, shape_zero(c->p, shape(c, e))));
	if (a->n == 1 && a->t[0].nmat > 1 && all_square(c, &a->t[0])) {
		/* (A X B)^-1 = B^-1 X^-1 A^-1 when every factor is square, so
		 * that B (A X B)^-1 A cancels to X^-1 */
		const Term *t = &a->t[0];
		Term sc = { t->coef, t->nsc, 0, t->sc, NULL };
		const Poly *r = reciprocal(c, poly_new(c, copy(alloc(c, sizeof sc), &sc, sizeof sc), 1));
		for (unsigned k = t->nmat; k-- > 0;)
			r = poly_mul(c, r, canon(c, expr_unary(c->p, E_INV, t->mat[k])));
		return r;
	}
	if (a->n != 1 || a->t[0].nmat != 1) {
		const Expr *m = to_expr(c, a);   /* (A^T + B^T)^-1 is (A + B)^-T */
		if (m->kind == E_TRANS)
			return poly_atom(c, expr_unary(c->p, E_TRANS, expr_unary(c->p, E_INV, m->args[0])));
		const Expr *mt = transposed_expr(c, m);
		if (count_transposes(mt) < count_transposes(m))
			return poly_atom(c, expr_unary(c->p, E_TRANS, expr_unary(c->p, E_INV, mt)));
		return poly_atom(c, expr_unary(c->p, E_INV, m));
	}
	const Term *t = &a->t[0];
	Term sc = { t->coef, t->nsc, 0, t->sc, NULL };
	const Poly *s = reciprocal(c, poly_new(c, copy(alloc(c, sizeof sc), &sc, sizeof sc), 1));
	const Expr *m = t->mat[0], *inv;
	if (m->kind == E_INV)
		inv = m->args[0];
	else if (m->kind == E_POW)   /* (X^k)^-1 = X^-k */
		inv = expr_binary(c->p, E_POW, m->args[0], num_op(c, m->args[1], NULL, '-'));
	else if (m->kind == E_IDENT)
		inv = m;
	else if (m->kind == E_TRANS && m->args[0]->kind == E_INV)   /* (X^-T)^-1 = X^T */
		inv = expr_unary(c->p, E_TRANS, m->args[0]->args[0]);
	else if (m->kind == E_TRANS)
		inv = expr_unary(c->p, E_TRANS, expr_unary(c->p, E_INV, m->args[0]));
	else
		inv = expr_unary(c->p, E_INV, m);
	return poly_mul(c, s, poly_atom(c, inv));
}

/* The canonical operand of an atom, as an expression (zero as 0). */
static const Expr *lead_minus(Canon *c, const Expr *e);

static const Expr *operand(Canon *c, const Expr *e)
{
	const Expr *r = lead_minus(c, to_expr(c, canon(c, e)));
	return r ? r : shape_zero(c->p, shape(c, e));
}

/* Pull a one-term operand's coefficient and scalars out: f(c S M) -> c S, M. */
static const Poly *pull_scalars(Canon *c, const Poly *a, const Expr **rest)
{
	if (a->n != 1 || a->t[0].nmat == 0) {
		*rest = NULL;
		return NULL;
	}
	const Term *t = &a->t[0];
	Term *sc = alloc(c, sizeof *sc);
	*sc = (Term){ t->coef, t->nsc, 0, t->sc, NULL };
	Term *m = alloc(c, sizeof *m);
	*m = (Term){ one(c), 0, t->nmat, NULL, t->mat };
	*rest = to_expr(c, poly_new(c, m, 1));
	return poly_new(c, sc, 1);
}

/* ones, or ones_m ones_n^T: all ones, the identity of .* */
static int all_ones(const Expr *e)
{
	if (e->kind == E_ONES || (e->kind == E_TRANS && e->args[0]->kind == E_ONES))
		return 1;
	return e->kind == E_MUL && e->nargs == 2 && e->args[0]->kind == E_ONES &&
	       e->args[1]->kind == E_TRANS && e->args[1]->args[0]->kind == E_ONES;
}

static int qsort_expr(const void *x, const void *y)
{
	return expr_cmp(*(const Expr *const *)x, *(const Expr *const *)y);
}

/* (ones ./ (ones + exp(z))) .* exp(z) = sigmoid(z), among the operands of
 * a Hadamard product; returns the new count. */
static unsigned hadamard_logistic(Canon *c, const Expr **a, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		const Expr *q = a[i];
		if (q->kind != E_HDIV || q->args[0]->kind != E_ONES || q->args[1]->kind != E_ADD ||
		    q->args[1]->nargs != 2 || q->args[1]->args[0]->kind != E_ONES)
			continue;
		const Expr *ez = q->args[1]->args[1];
		if (ez->kind != E_FUNC || ez->fn != F_EXP)
			continue;
		for (unsigned j = 0; j < n; j++)
			if (j != i && a[j] == ez) {
				a[i] = expr_func(c->p, F_SIGMOID, ez->args[0]);
				memmove(a + j, a + j + 1, (n - j - 1) * sizeof *a);
				return hadamard_logistic(c, a, n - 1);
			}
	}
	return n;
}

/* --- .* as a product of element-wise powers --- */

/* A factor of a Hadamard product as a power of a base: x .^ 2 is x to 2,
 * x ./ y is x and y to -1.  Whole powers only: (x .^ 2) .^ (1/2) is |x|. */
typedef struct {
	const Expr *base;
	long exp;
} HPow;

typedef struct {
	HPow *v;
	unsigned n, cap;
} HPows;

static void hpow_add(Canon *c, HPows *h, const Expr *f, long k)
{
	if (f->kind == E_EPOW && f->args[1]->kind == E_NUM && small_whole(f->args[1])) {
		hpow_add(c, h, f->args[0], k * mpz_get_si(mpq_numref(f->args[1]->u.num)));
		return;
	}
	if (f->kind == E_HDIV) {
		hpow_add(c, h, f->args[0], k);
		hpow_add(c, h, f->args[1], -k);
		return;
	}
	if (f->kind == E_HAD) {
		for (unsigned i = 0; i < f->nargs; i++)
			hpow_add(c, h, f->args[i], k);
		return;
	}
	if (all_ones(f))
		return;   /* the identity of .* */
	for (unsigned i = 0; i < h->n; i++)
		if (h->v[i].base == f) {
			h->v[i].exp += k;
			return;
		}
	if (h->n == h->cap) {
		unsigned cap = h->cap ? 2 * h->cap : 8;
		h->v = arena_grow(pool_arena(c->p), h->v, h->cap * sizeof *h->v, cap * sizeof *h->v);
		h->cap = cap;
	}
	h->v[h->n++] = (HPow){ f, k };
}

static int qsort_hpow(const void *x, const void *y)
{
	return expr_cmp(((const HPow *)x)->base, ((const HPow *)y)->base);
}

/* The factors of one sign as a .* product; NULL if there are none. */
static const Expr *hpow_side(Canon *c, const HPows *h, int sign)
{
	const Expr **a = alloc(c, (h->n + 1) * sizeof *a);
	unsigned n = 0;
	for (unsigned i = 0; i < h->n; i++) {
		long k = h->v[i].exp * sign;
		if (k > 0)
			a[n++] = k == 1 ? h->v[i].base : expr_binary(c->p, E_EPOW, h->v[i].base, expr_int(c->p, k));
	}
	return n == 0 ? NULL : n == 1 ? a[0] : expr_make(c->p, E_HAD, a, n);
}

static const Expr *ones_of(Canon *c, Shape sh)
{
	if (dim_is_one(sh.rows) && !dim_is_one(sh.cols))   /* a row: ones_n^T */
		return expr_unary(c->p, E_TRANS, expr_make(c->p, E_ONES, &sh.cols, 1));
	const Expr *col = expr_make(c->p, E_ONES, &sh.rows, 1);
	if (dim_is_one(sh.cols))
		return col;
	const Expr *f[2] = { col, expr_unary(c->p, E_TRANS, expr_make(c->p, E_ONES, &sh.cols, 1)) };
	return expr_make(c->p, E_MUL, f, 2);
}

/* The factors a[0..n) of a .* product, equal bases merged: x ./ x is
 * ones, p ./ (p ./ q) is q, x .* x is x .^ 2; what is left is a product
 * over a product (x .* y ./ z). */
static const Expr *hadamard_monomial(Canon *c, const Expr *const *a, unsigned n, Shape sh)
{
	HPows h = { 0 };
	for (unsigned i = 0; i < n; i++)
		hpow_add(c, &h, a[i], 1);
	sort(h.v, h.n, sizeof *h.v, qsort_hpow);
	const Expr *num = hpow_side(c, &h, 1), *den = hpow_side(c, &h, -1);
	if (!num)
		num = ones_of(c, sh);
	return den ? expr_binary(c->p, E_HDIV, num, den) : num;
}

/* kron and .*: operands canonical, scalars pulled out, 1 x 1 operands
 * multiplied in, nested products flattened; .* is also sorted, and
 * I_a kron I_b = I_ab. */
static const Poly *canon_nary_atom(Canon *c, const Expr *e)
{
	const Poly *scale = poly_num(c, one(c));
	const Expr *ones_kid = NULL;
	unsigned n = 0, cap = 2 * e->nargs + 8;   /* grows as nested chains are flattened */
	const Expr **a = alloc(c, cap * sizeof *a);
	for (unsigned i = 0; i < e->nargs; i++) {
		const Poly *q = canon(c, e->args[i]), *s;
		const Expr *rest;
		if (q->n == 0)
			return q;
		if (is_scalar(c, e->args[i]) && e->kind == E_KRON) {
			scale = poly_mul(c, scale, q);
			continue;
		}
		if ((s = pull_scalars(c, q, &rest))) {
			scale = poly_mul(c, scale, s);
		} else {
			rest = to_expr(c, q);
		}
		if (n + rest->nargs + (e->nargs - i) > cap) {   /* room for these and the rest */
			unsigned more = 2 * (n + rest->nargs + e->nargs - i);
			a = arena_grow(pool_arena(c->p), a, cap * sizeof *a, more * sizeof *a);
			cap = more;
		}
		if (rest->kind == e->kind) {
			for (unsigned j = 0; j < rest->nargs; j++)
				a[n++] = rest->args[j];
		} else if (e->kind == E_HAD && all_ones(rest)) {
			ones_kid = rest;   /* the identity of .*, unless nothing else is left */
		} else {
			a[n++] = rest;
		}
	}
	if (e->kind == E_HAD)
		n = hadamard_logistic(c, a, n);
	if (e->kind == E_KRON) {   /* I_a kron I_b = I_ab */
		unsigned k = 0;
		for (unsigned i = 0; i < n; i++) {
			if (k && is_identity(a[k - 1]) && is_identity(a[i])) {
				const Expr *d = dim_mul(c->p, a[k - 1]->args[0], a[i]->args[0]);
				a[k - 1] = expr_make(c->p, E_IDENT, &d, 1);
			} else {
				a[k++] = a[i];
			}
		}
		n = k;
	} else {
		sort(a, n, sizeof *a, qsort_expr);
	}
	if (n == 0 && ones_kid)
		a[n++] = ones_kid;
	if (n == 0)
		return scale;
	if (e->kind == E_HAD && (n > 1 || a[0]->kind == E_EPOW || a[0]->kind == E_HDIV)) {
		const Expr *m = hadamard_monomial(c, a, n, shape(c, e));
		if (m->kind != E_HAD && m->kind != E_HDIV)   /* one base left, or ones */
			return poly_mul(c, scale, canon(c, m));
		return poly_mul(c, scale, poly_atom(c, m));
	}
	if (n == 1)   /* kron(2 I - S, -1/3): one operand left, which may be a sum */
		return poly_mul(c, scale, canon(c, a[0]));
	return poly_mul(c, scale, poly_atom(c, expr_make(c->p, e->kind, a, n)));
}

/* tr: linear; tr of a 1 x 1 is itself; a chain is rotated to its least
 * rotation, or to one that is 1 x 1 (tr(A x x^T) = x^T A x). */
static const Poly *trace_chain(Canon *c, const Term *t)
{
	unsigned n = t->nmat, best = 0;
	int scalar_rotation = -1;
	for (unsigned r = 0; r < n; r++)
		if (dim_is_one(shape(c, t->mat[r]).rows) && scalar_rotation < 0)
			scalar_rotation = (int)r;
	for (unsigned r = 1; r < n && scalar_rotation < 0; r++)
		for (unsigned i = 0; i < n; i++) {
			int k = expr_cmp(t->mat[(r + i) % n], t->mat[(best + i) % n]);
			if (k < 0)
				best = r;
			if (k)
				break;
		}
	if (scalar_rotation >= 0)
		best = (unsigned)scalar_rotation;
	const Expr **m = alloc(c, n * sizeof *m);
	for (unsigned i = 0; i < n; i++)
		m[i] = t->mat[(best + i) % n];
	if (n == 1 && m[0]->kind == E_TRANS)   /* tr(X^T) = tr(X) */
		m[0] = m[0]->args[0];
	const Expr *prod = n == 1 ? m[0] : expr_make(c->p, E_MUL, m, n);
	Term sc = { t->coef, t->nsc, 0, t->sc, NULL };
	const Poly *s = poly_new(c, copy(alloc(c, sizeof sc), &sc, sizeof sc), 1);
	if (scalar_rotation >= 0)   /* the rotated chain is 1 x 1: no trace needed */
		return poly_mul(c, s, canon(c, prod));
	return poly_mul(c, s, poly_atom(c, expr_func(c->p, F_TR, prod)));
}

static const Poly *canon_trace(Canon *c, const Expr *e)
{
	const Poly *a = canon(c, e->args[0]);
	if (is_scalar(c, e->args[0]))
		return a;
	const Poly *r = poly_zero(c);
	for (unsigned i = 0; i < a->n; i++)
		r = poly_add(c, r, a->t[i].nmat ? trace_chain(c, &a->t[i]) : poly_zero(c));
	return r;
}

/* vec: linear; vec of a column is itself, of a row its transpose. */
static const Poly *canon_vec(Canon *c, const Expr *e)
{
	const Expr *a = e->args[0];
	Shape as = shape(c, a);
	if (dim_is_one(as.cols))
		return canon(c, a);
	if (dim_is_one(as.rows))
		return poly_transpose(c, canon(c, a));
	const Poly *q = canon(c, a), *r = poly_zero(c);
	for (unsigned i = 0; i < q->n; i++) {
		Term one_term = q->t[i];
		const Expr *rest;
		const Poly *s = pull_scalars(c, poly_new(c, copy(alloc(c, sizeof one_term), &one_term,
								   sizeof one_term), 1), &rest);
		r = poly_add(c, r, poly_mul(c, s, poly_atom(c, expr_func(c->p, F_VEC, rest))));
	}
	return r;
}

/* 1_m^T A 1_n for m x n A, without a side that is 1. */
static const Expr *ones_sandwich(Canon *c, const Expr *a)
{
	Shape as = shape(c, a);
	const Expr *f[3];
	unsigned n = 0;
	if (!dim_is_one(as.rows))
		f[n++] = expr_unary(c->p, E_TRANS, expr_make(c->p, E_ONES, &as.rows, 1));
	f[n++] = a;
	if (!dim_is_one(as.cols))
		f[n++] = expr_make(c->p, E_ONES, &as.cols, 1);
	return expr_make(c->p, E_MUL, f, n);
}

static const Poly *canon_func(Canon *c, const Expr *e)
{
	const Expr *a = e->args[0];
	switch (e->fn) {
	case F_TR:
		return canon_trace(c, e);
	case F_VEC:
		return canon_vec(c, e);
	case F_SUM:   /* sum(A) = 1^T A 1: one normal form with the products
		       * the engine writes; tidy prints it as sum(A) again */
		if (is_scalar(c, a))
			return canon(c, a);
		return canon(c, ones_sandwich(c, a));
	case F_DIAG: case F_DET:
		if (is_scalar(c, a))
			return canon(c, a);
		break;
	default:   /* every other function is an atom of its simplified argument */
		break;
	}
	if (e->fn == F_NORM && a->kind == E_KRON) {   /* ||A kron B||_F = ||A||_F ||B||_F */
		const Poly *r = poly_num(c, one(c));
		for (unsigned i = 0; i < a->nargs; i++)
			r = poly_mul(c, r, canon(c, expr_func(c->p, F_NORM, a->args[i])));
		return r;
	}
	if (e->fn == F_DIAG && a->kind == E_ONES && dim_is_one(shape(c, a).cols))   /* diag(1_n) = I_n */
		return poly_atom(c, identity(c, shape(c, a).rows));
	if (e->fn == F_DET) {   /* det(A B) = det(A) det(B) for square factors: det(X^-1 A X) = det(A) */
		const Poly *q = canon(c, a);
		/* (a scalar factor would come out to the power of the size, which
		 * the language cannot write for a symbolic size: those stay) */
		if (q->n == 1 && q->t[0].nmat > 1 && q->t[0].nsc == 0 && expr_is_num(q->t[0].coef, 1) &&
		    all_square(c, &q->t[0]) && cancels(&q->t[0])) {
			const Poly *r = poly_num(c, one(c));
			for (unsigned i = 0; i < q->t[0].nmat; i++) {
				const Expr *m = q->t[0].mat[i];
				r = poly_mul(c, r, m->kind == E_INV   /* det(X^-1) = det(X)^-1 */
					     ? poly_pow_scalar(c, canon(c, expr_func(c->p, F_DET, m->args[0])), expr_int(c->p, -1))
					     : canon(c, expr_func(c->p, F_DET, m)));
			}
			return r;
		}
	}
	if (e->fn == F_DET && a->kind == E_TRANS)   /* det(X^T) = det(X) */
		a = a->args[0];
	if (e->fn == F_DET && a->kind == E_POW)     /* det(X^k) = det(X)^k */
		return poly_pow_scalar(c, canon(c, expr_func(c->p, F_DET, a->args[0])), a->args[1]);
	return poly_atom(c, expr_func(c->p, e->fn, operand(c, a)));
}

/* Powers: scalars by exponent arithmetic; matrices stay an atom. */
static const Poly *canon_pow(Canon *c, const Expr *e)
{
	const Expr *k = e->args[1];
	if (is_scalar(c, e->args[0]))
		return poly_pow_scalar(c, canon(c, e->args[0]), k);
	if (expr_is_num(k, 1))
		return canon(c, e->args[0]);
	if (expr_is_num(k, 0))
		return poly_atom(c, identity(c, shape(c, e).rows));
	return poly_atom(c, expr_binary(c->p, E_POW, operand(c, e->args[0]), k));
}

/* Element-wise operations: 1 x 1 ones are ordinary arithmetic. */
static const Poly *canon_elementwise(Canon *c, const Expr *e)
{
	int scalar = is_scalar(c, e);
	switch (e->kind) {
	case E_HAD:
		return scalar ? canon_product(c, e) : canon_nary_atom(c, e);
	case E_HDIV: {
		if (scalar)
			return poly_mul(c, canon(c, e->args[0]), reciprocal(c, canon(c, e->args[1])));
		/* a ./ b is a .* b .^ -1, so that quotients cancel with products */
		const Expr *f[2] = { e->args[0], expr_binary(c->p, E_EPOW, e->args[1], expr_int(c->p, -1)) };
		return canon_nary_atom(c, expr_make(c->p, E_HAD, f, 2));
	}
	default: {   /* E_EPOW: the exponent canonical first, so 2 (1/2) is 1 */
		const Expr *k = operand(c, e->args[1]);
		if (scalar && k->kind == E_NUM)
			return poly_pow_scalar(c, canon(c, e->args[0]), k);
		if (expr_is_num(k, 1))
			return canon(c, e->args[0]);
		return poly_atom(c, expr_binary(c->p, E_EPOW, operand(c, e->args[0]), k));
	}
	}
}

/* I_1, ones_1 and K_{m,1} are identities or 1. */
static const Poly *canon_constant(Canon *c, const Expr *e)
{
	Shape sh = shape(c, e);
	if (shape_is_scalar(sh))
		return poly_num(c, one(c));
	if (e->kind == E_COMM && (dim_is_one(e->args[0]) || dim_is_one(e->args[1])))
		return poly_atom(c, identity(c, sh.rows));
	return poly_atom(c, e);
}

static const Poly *compute(Canon *c, const Expr *e)
{
	switch (e->kind) {
	case E_NUM:
		return poly_num(c, e);
	case E_VAR: case E_DSYM: case E_DIM:
		return poly_atom(c, e);
	case E_IDENT: case E_ONES: case E_COMM:
		return canon_constant(c, e);
	case E_ADD:
		return canon_sum(c, e);
	case E_NEG:
		return poly_scale(c, canon(c, e->args[0]), expr_int(c->p, -1));
	case E_MUL:
		return canon_product(c, e);
	case E_DIV:
		return poly_mul(c, canon(c, e->args[0]), reciprocal(c, canon(c, e->args[1])));
	case E_HAD: case E_HDIV: case E_EPOW:
		return canon_elementwise(c, e);
	case E_KRON:
		return canon_nary_atom(c, e);
	case E_TRANS:
		return poly_transpose(c, canon(c, e->args[0]));
	case E_INV:
		return canon_inverse(c, e);
	case E_POW:
		return canon_pow(c, e);
	case E_FUNC:
		return canon_func(c, e);
	}
	return poly_atom(c, e);
}

static const Poly *canon(Canon *c, const Expr *e)
{
	const void *v;
	if (map_get(&c->memo, e, &v))
		return v;
	pool_check_budget(c->p);   /* a safe point: see expr.h */
	const Poly *q = compute(c, e);
	map_put(&c->memo, e, q);
	return q;
}

/* --- back to an expression, factoring where it shortens --- */

static const Expr *spow_expr(Canon *c, const SPow *s, int negate)
{
	const Expr *k = negate ? num_op(c, s->exp, NULL, '-') : s->exp;
	if (expr_is_num(k, 1))
		return s->atom;
	return expr_binary(c->p, E_POW, s->atom, k);
}

/* c S M with the negative powers of S as a divisor: (x - a)^T / ||x - a||. */
static const Expr *term_expr(Canon *c, const Term *given, int with_coef)
{
	Term copy_t = *given, *t = &copy_t;
	logistic(c, t, 1);
	const Expr **num = alloc(c, (t->nsc + t->nmat + 1) * sizeof *num);
	const Expr **den = alloc(c, (t->nsc + 1) * sizeof *den);
	unsigned nn = 0, nd = 0;
	if (with_coef && !expr_is_num(t->coef, 1))
		num[nn++] = t->coef;
	for (unsigned i = 0; i < t->nsc; i++) {
		if (num_sign(t->sc[i].exp) > 0)
			num[nn++] = spow_expr(c, &t->sc[i], 0);
		else
			den[nd++] = spow_expr(c, &t->sc[i], 1);
	}
	int bracketed = 0;   /* a scalar factor that is itself a product, as (a^T x) */
	for (unsigned i = 0; i < t->nsc; i++)
		bracketed |= t->sc[i].atom->kind == E_MUL;
	if (t->nmat > 1 && bracketed && dim_is_one(shape(c, t->mat[0]).rows) &&
	    dim_is_one(shape(c, t->mat[t->nmat - 1]).cols))   /* a 1 x 1 chain among scalars: bracket it */
		num[nn++] = expr_make(c->p, E_MUL, t->mat, t->nmat);
	else
		for (unsigned i = 0; i < t->nmat; i++)
			num[nn++] = t->mat[i];
	const Expr *top = nn == 0 ? one(c) : nn == 1 ? num[0] : expr_make(c->p, E_MUL, num, nn);
	if (nd == 0)
		return top;
	const Expr *bottom = nd == 1 ? den[0] : expr_make(c->p, E_MUL, den, nd);
	return expr_binary(c->p, E_DIV, top, bottom);
}

/* A term with a positive coefficient written out; a negative one negated. */
static const Expr *signed_term(Canon *c, const Term *t)
{
	if (num_sign(t->coef) > 0)
		return term_expr(c, t, 1);
	Term pos = *t;
	pos.coef = num_op(c, t->coef, NULL, '-');
	return expr_unary(c->p, E_NEG, term_expr(c, &pos, 1));
}

static const Expr *sum_expr(Canon *c, const Expr **terms, unsigned n)
{
	if (n == 0)
		return NULL;
	return n == 1 ? terms[0] : expr_make(c->p, E_ADD, terms, n);
}

/* Terms in output order: sorted by their keys (they may come from a sum
 * whose terms differed in more), starting with a positive one. */
static const Expr *plain_sum(Canon *c, const Term *given, unsigned n)
{
	Term *t = alloc(c, n * sizeof *t);
	copy(t, given, n * sizeof *t);
	sort(t, n, sizeof *t, qsort_key);
	const Expr **out = alloc(c, n * sizeof *out);
	unsigned first = 0;
	while (first < n && num_sign(t[first].coef) < 0)
		first++;
	if (first == n)
		first = 0;
	unsigned k = 0;
	out[k++] = signed_term(c, &t[first]);
	for (unsigned i = 0; i < n; i++)
		if (i != first)
			out[k++] = signed_term(c, &t[i]);
	return sum_expr(c, out, k);
}

/* How many terms end (right) or start with factor f, and whether one of
 * them is longer than f alone. */
/* The number of nodes of e as a tree, counted up to cap: the callers only
 * ask whether a factor is big, and a factor of a deep chain is a DAG whose
 * tree is exponentially large. */
static unsigned count_nodes(const Expr *e, unsigned cap)
{
	unsigned k = 1;
	for (unsigned i = 0; i < e->nargs && k < cap; i++)
		k += e->kind == E_IDENT || e->kind == E_ONES || e->kind == E_COMM ? 0
		     : count_nodes(e->args[i], cap - k);
	return k < cap ? k : cap;
}

/* What most_shared knows of one distinct end factor. */
typedef struct {
	const Expr *f;
	const Term *first;   /* the first term that has it */
	unsigned count;      /* terms that have it */
	int longer;          /* some such term is longer than f alone */
	int varied;          /* two such terms differ in their chains */
} Shared;

/* The end factor (first, or last when *right) that the most terms share,
 * counted in one pass with a hash map from factor to its Shared record.
 * A term that is the factor alone counts only when the factor is big (it
 * leaves an identity behind: A + B A = (I + B) A); some sharing term must
 * be longer than the factor; and pulling it out must save more than the
 * brackets it costs. */
static const Expr *most_shared(Canon *c, const Term *t, unsigned n, int *right)
{
	const Expr *best = NULL;
	long bestk = 1;
	Shared *sh = alloc(c, (n + 1) * sizeof *sh);
	for (int side = 0; side < 2; side++) {
		Map index;   /* factor -> its record, + 1 (0 is absent) */
		map_init(&index, pool_arena(c->p));
		map_reserve(&index, n);
		unsigned nsh = 0;
		for (unsigned i = 0; i < n; i++) {
			if (t[i].nmat == 0)
				continue;
			const Expr *f = t[i].mat[side ? t[i].nmat - 1 : 0];
			if (t[i].nmat == 1 && count_nodes(f, 4) < 4)
				continue;
			const void **slot = map_slot(&index, f, NULL);
			if (!*slot) {
				sh[nsh] = (Shared){ .f = f, .first = &t[i] };
				*slot = (const void *)(uintptr_t)++nsh;
			}
			Shared *r = &sh[(uintptr_t)*slot - 1];
			r->count++;
			r->longer |= t[i].nmat > 1;
			/* terms with one and the same chain are grouped instead */
			r->varied |= !same_chain(r->first, &t[i]);
		}
		for (unsigned j = 0; j < nsh; j++) {
			long k = sh[j].count;
			/* a factor of every term is pulled out (x^T (A + A^T)); a factor of
			 * some terms only when that saves more than its brackets */
			if (k > bestk && sh[j].longer && sh[j].varied &&
			    (k == (long)n || (k - 1) * (long)count_nodes(sh[j].f, 2) >= 2)) {
				best = sh[j].f;
				bestk = k;
				*right = side;
			}
		}
	}
	return best;
}


/* a b, with a number leading either one moved to the front: x (2 y^T) is
 * 2 x y^T. */
static const Expr *mul_lead(Canon *c, const Expr *a, const Expr *b)
{
	const Expr *k = NULL;
	if (a->kind == E_MUL && a->args[0]->kind == E_NUM) {
		k = a->args[0];
		a = a->nargs == 2 ? a->args[1] : expr_make(c->p, E_MUL, a->args + 1, a->nargs - 1);
	} else if (b->kind == E_MUL && b->args[0]->kind == E_NUM) {
		k = b->args[0];
		b = b->nargs == 2 ? b->args[1] : expr_make(c->p, E_MUL, b->args + 1, b->nargs - 1);
	}
	const Expr *f[3] = { k, a, b };
	return k ? expr_make(c->p, E_MUL, f, 3) : expr_make(c->p, E_MUL, f + 1, 2);
}

static int cmp_unsigned(const void *x, const void *y)
{
	const Expr *a = *(const Expr *const *)x, *b = *(const Expr *const *)y;
	return expr_cmp(a->kind == E_NEG ? a->args[0] : a, b->kind == E_NEG ? b->args[0] : b);
}

/* The written terms of a sum in an order that depends only on them (not on
 * how they were found), the first one not negated when possible. */
static const Expr *ordered_sum(Canon *c, const Expr **res, unsigned n)
{
	sort(res, n, sizeof *res, cmp_unsigned);
	unsigned first = 0;
	while (first < n && res[first]->kind == E_NEG)
		first++;
	if (first < n && first > 0) {
		const Expr *f = res[first];
		memmove(res + 1, res, first * sizeof *res);
		res[0] = f;
	}
	return sum_expr(c, res, n);
}

/* Pull the matrix factor shared by the most terms out to the left or right:
 * x^T A + x^T A^T = x^T (A + A^T).  NULL when no factor is shared. */
static const Expr *factor_common_matrix(Canon *c, Term *t, unsigned n)
{
	int right = 0;
	const Expr *best = most_shared(c, t, n, &right);
	if (!best)
		return NULL;
	/* a term that is the factor alone leaves an identity: A + B A = (I + B) A */
	Shape bs = shape(c, best);
	const Expr **id = alloc(c, sizeof *id);
	*id = identity(c, right ? bs.rows : bs.cols);
	Term *in = alloc(c, n * sizeof *in), *out = alloc(c, n * sizeof *out);
	unsigned ni = 0, no = 0;
	unsigned least = count_nodes(best, 4) >= 4 ? 0 : 1;
	for (unsigned i = 0; i < n; i++) {
		if (t[i].nmat > least && t[i].mat[right ? t[i].nmat - 1 : 0] == best) {
			in[ni] = t[i];
			in[ni].nmat--;
			in[ni].mat = t[i].mat + (right ? 0 : 1);
			if (in[ni].nmat == 0) {
				in[ni].mat = id;
				in[ni].nmat = 1;
			}
			ni++;
		} else {
			out[no++] = t[i];
		}
	}
	c->nested++;
	const Expr *inner = factored(c, in, ni);
	c->nested--;
	const Expr *prod = right ? mul_lead(c, inner, best) : mul_lead(c, best, inner);
	if (no == 0)
		return prod;
	const Expr *rest = factored(c, out, no);
	const Expr *both[2] = { prod, rest };
	if (rest->kind == E_ADD) {   /* keep one flat sum */
		const Expr **a = alloc(c, (rest->nargs + 1) * sizeof *a);
		a[0] = prod;
		copy(a + 1, rest->args, rest->nargs * sizeof *a);
		return expr_make(c->p, E_ADD, a, rest->nargs + 1);
	}
	return expr_make(c->p, E_ADD, both, 2);
}

/* Terms with one matrix chain: (sum of scalar parts) chain, with the
 * numeric content in front: 2 (w^T x - y) x^T. */
static const Expr *factor_chain(Canon *c, Term *t, unsigned n)
{
	mpz_t g;
	mpz_init(g);
	for (unsigned i = 0; i < n; i++)
		mpz_gcd(g, g, mpq_numref(t[i].coef->u.num));
	mpq_t content;
	mpq_init(content);
	mpq_set_z(content, g);
	int positive = 0;
	for (unsigned i = 0; i < n; i++)
		positive |= num_sign(t[i].coef) > 0;
	if (!positive)
		mpq_neg(content, content);
	const Expr *k = expr_num(c->p, content);
	mpq_clear(content);
	mpz_clear(g);
	Term *sc = alloc(c, n * sizeof *sc);
	for (unsigned i = 0; i < n; i++)
		sc[i] = (Term){ num_op(c, t[i].coef, k, '/'), t[i].nsc, 0, t[i].sc, NULL };
	const Expr *s = plain_sum(c, sc, n);
	const Expr **f = alloc(c, (t[0].nmat + 2) * sizeof *f);
	unsigned nf = 0;
	if (!expr_is_num(k, 1) && !expr_is_num(k, -1))
		f[nf++] = k;
	f[nf++] = s;
	for (unsigned i = 0; i < t[0].nmat; i++)
		f[nf++] = t[0].mat[i];
	const Expr *r = expr_make(c->p, E_MUL, f, nf);
	return expr_is_num(k, -1) ? expr_unary(c->p, E_NEG, r) : r;
}

static int same_chain(const Term *a, const Term *b)
{
	if (a->nmat != b->nmat)
		return 0;
	for (unsigned i = 0; i < a->nmat; i++)
		if (a->mat[i] != b->mat[i])
			return 0;
	return 1;
}

/* Scalar powers every term has (with the same exponent) are pulled out in
 * front, or below a division: (x^T - a^T) / ||x - a||.  NULL if none. */
static const Expr *factor_common_scalars(Canon *c, Term *t, unsigned n)
{
	SPow *common = alloc(c, t[0].nsc * sizeof *common);
	unsigned nc = 0;
	for (unsigned i = 0; i < t[0].nsc; i++) {
		/* an atom every term has, to powers of one sign: the smallest power
		 * is shared (s - s^2 = s (1 - s)) */
		const Expr *least = t[0].sc[i].exp;
		int everywhere = 1;
		for (unsigned j = 1; j < n && everywhere; j++) {
			int found = 0;
			for (unsigned k = 0; k < t[j].nsc; k++)
				if (t[j].sc[k].atom == t[0].sc[i].atom &&
				    num_sign(t[j].sc[k].exp) == num_sign(least)) {
					found = 1;
					if (mpq_cmp(t[j].sc[k].exp->u.num, least->u.num) * num_sign(least) < 0)
						least = t[j].sc[k].exp;   /* nearer zero */
				}
			everywhere = found;
		}
		/* a shared power smaller than some term's pays only for a big
		 * atom: s - s^2 = s (1 - s), but x^(1/2) + x^2 stays */
		int unequal = 0;
		for (unsigned j = 0; j < n; j++)
			for (unsigned k = 0; k < t[j].nsc; k++)
				unequal |= t[j].sc[k].atom == t[0].sc[i].atom && t[j].sc[k].exp != least;
		if (everywhere && (!unequal || count_nodes(t[0].sc[i].atom, 3) >= 3))
			common[nc++] = (SPow){ t[0].sc[i].atom, least };
	}
	if (nc == 0)
		return NULL;
	Term *in = alloc(c, n * sizeof *in);
	for (unsigned j = 0; j < n; j++) {
		SPow *rest = alloc(c, t[j].nsc * sizeof *rest);
		unsigned nr = 0;
		for (unsigned k = 0; k < t[j].nsc; k++) {
			SPow left = t[j].sc[k];
			for (unsigned i = 0; i < nc; i++)
				if (common[i].atom == left.atom)
					left.exp = num_op(c, left.exp, num_op(c, common[i].exp, NULL, '-'), '+');
			if (num_sign(left.exp))
				rest[nr++] = left;
		}
		in[j] = t[j];
		in[j].sc = rest;
		in[j].nsc = nr;
	}
	c->nested++;
	const Expr *inner = factored(c, in, n);
	c->nested--;
	Term outer = { one(c), nc, 1, common, &inner };
	return term_expr(c, &outer, 0);
}

static unsigned count_transposes(const Expr *e)
{
	unsigned k = e->kind == E_TRANS;
	for (unsigned i = 0; i < e->nargs; i++)
		k += count_transposes(e->args[i]);
	return k;
}

/* What the transposes of e cost in tokens: one each, two more for the
 * brackets of one that applies to more than an atom ((x.^2)^T). */
static unsigned transpose_cost(const Expr *e)
{
	unsigned k = 0;
	if (e->kind == E_TRANS) {
		ExprKind a = e->args[0]->kind;
		k = 1 + 2 * (a == E_EPOW || a == E_POW || a == E_HAD || a == E_HDIV || a == E_MUL ||
			     a == E_ADD || a == E_NEG || a == E_DIV);
	}
	for (unsigned i = 0; i < e->nargs; i++)
		k += transpose_cost(e->args[i]);
	return k;
}

/* (sum)^T when that saves transposes: x^T - a^T = (x - a)^T. */
static const Expr *maybe_transposed(Canon *c, Term *t, unsigned n, const Expr *plain)
{
	if (c->no_flip || n < 2)
		return plain;
	for (unsigned i = 0; i < n; i++)   /* only sums of chains of transposes */
		for (unsigned j = 0; j < t[i].nmat; j++)
			if (t[i].mat[j]->kind != E_TRANS)
				return plain;
	Term *dup = alloc(c, n * sizeof *dup);
	copy(dup, t, n * sizeof *dup);
	const Poly *q = poly_transpose(c, poly_new(c, dup, n));
	c->no_flip = 1;
	const Expr *flipped = to_expr(c, q);
	c->no_flip = 0;
	/* (x - a)^T for x^T - a^T inside a product (bracketed anyway); at the top
	 * the brackets cost two tokens more */
	unsigned cost = 1 + (c->nested ? 0 : 2);
	if (!flipped || cost + transpose_cost(flipped) >= transpose_cost(plain))
		return plain;
	return expr_unary(c->p, E_TRANS, flipped);
}

/* Outer-product sums are factored as rank one only up to RANK_MAX distinct
 * vectors a side; a bigger sum is left as it is (not factored, not lost). */
enum { RANK_MAX = 8 };

static int column_atom(Canon *c, const Expr *v)
{
	Shape sh = shape(c, v);
	return dim_is_one(sh.cols) && !dim_is_one(sh.rows);
}

static unsigned index_of(const Expr **list, unsigned *n, const Expr *e)
{
	for (unsigned i = 0; i < *n; i++)
		if (list[i] == e)
			return i;
	if (*n == RANK_MAX)
		return RANK_MAX;
	list[*n] = e;
	return (*n)++;
}

/* A sum of c_ij u_i v_j^T over column vectors whose coefficient matrix has
 * rank one is an outer product: 1/2 x x^T - 1/2 x mu^T - 1/2 mu x^T +
 * 1/2 mu mu^T = 1/2 (x - mu) (x - mu)^T.  NULL when it is not one. */
static const Expr *rank_one(Canon *c, const Term *t, unsigned n)
{
	const Expr *u[RANK_MAX], *v[RANK_MAX];
	const Expr *k[RANK_MAX][RANK_MAX] = { { 0 } };
	unsigned nu = 0, nv = 0;
	for (unsigned i = 0; i < n; i++) {
		if (t[i].nsc || t[i].nmat != 2 || t[i].mat[1]->kind != E_TRANS ||
		    !column_atom(c, t[i].mat[0]) || !column_atom(c, t[i].mat[1]->args[0]))
			return NULL;
		unsigned a = index_of(u, &nu, t[i].mat[0]), b = index_of(v, &nv, t[i].mat[1]->args[0]);
		if (a == RANK_MAX || b == RANK_MAX)
			return NULL;
		k[a][b] = t[i].coef;
	}
	if (nu < 2 && nv < 2)
		return NULL;
	const Expr *zero = expr_int(c->p, 0);
	for (unsigned a = 0; a < nu; a++)
		for (unsigned b = 0; b < nv; b++)
			if (!k[a][b])
				k[a][b] = zero;
	const Expr *pivot = t[0].coef;   /* at (0, 0): the first term made row and column 0 */
	for (unsigned a = 0; a < nu; a++)
		for (unsigned b = 0; b < nv; b++)
			if (expr_cmp(num_op(c, k[a][b], pivot, '*'), num_op(c, k[a][0], k[0][b], '*')) != 0)   /* not rank one */
				return NULL;
	Term *l = alloc(c, nu * sizeof *l), *r = alloc(c, nv * sizeof *r);
	unsigned nl = 0, nr = 0;
	for (unsigned a = 0; a < nu; a++)
		if (num_sign(k[a][0]))
			l[nl++] = (Term){ k[a][0], 0, 1, NULL, &u[a] };
	for (unsigned b = 0; b < nv; b++)
		if (num_sign(k[0][b]))
			r[nr++] = (Term){ num_op(c, k[0][b], pivot, '/'), 0, 1, NULL, &v[b] };
	c->nested++;
	const Expr *left = factored(c, l, nl), *right = factored(c, r, nr);
	c->nested--;
	if (right->kind == E_NEG && left->kind != E_NEG) {   /* keep the sign on the left */
		right = right->args[0];
		left = expr_unary(c->p, E_NEG, left);
	}
	return mul_lead(c, left, expr_unary(c->p, E_TRANS, right));
}

/* A sum back to an expression: shared scalars and whole chains are pulled
 * out first, then shared end factors. */
static const Expr *factored(Canon *c, Term *t, unsigned n)
{
	if (n == 1)
		return signed_term(c, &t[0]);
	pool_check_budget(c->p);   /* a safe point: see expr.h */
	const Expr *r = factor_common_scalars(c, t, n);
	if (r)
		return r;
	if ((r = rank_one(c, t, n)))
		return r;
	const Expr *k = content(c, t, n);
	if (!expr_is_num(k, 1)) {   /* 2 x^T W^T - 2 y^T = 2 (W x - y)^T */
		Term *in = alloc(c, n * sizeof *in);
		for (unsigned i = 0; i < n; i++) {
			in[i] = t[i];
			in[i].coef = num_op(c, t[i].coef, k, '/');
		}
		c->nested += !expr_is_num(k, -1);
		const Expr *inner = factored(c, in, n);
		c->nested -= !expr_is_num(k, -1);
		if (expr_is_num(k, -1))
			return expr_unary(c->p, E_NEG, inner);
		return scaled(c, k, inner);
	}
	return maybe_transposed(c, t, n, factored_sum(c, t, n));
}

/* k e, with k joining e's own product (2 (a b) is 2 a b) or numerator. */
static const Expr *scaled(Canon *c, const Expr *k, const Expr *e)
{
	if (e->kind == E_DIV) {
		const Expr *top = scaled(c, k, e->args[0]);
		return expr_binary(c->p, E_DIV, top, e->args[1]);
	}
	unsigned n = e->kind == E_MUL ? e->nargs : 1;
	const Expr **a = alloc(c, (n + 1) * sizeof *a);
	a[0] = k;
	if (e->kind == E_MUL)
		copy(a + 1, e->args, n * sizeof *a);
	else
		a[1] = e;
	return expr_make(c->p, E_MUL, a, n + 1);
}

/* The numeric content of a sum: the gcd of the numerators (over their
 * common denominator, when they all have one: 1/2 a - 1/2 b = 1/2 (a - b)),
 * negative when every coefficient is. */
static const Expr *content(Canon *c, const Term *t, unsigned n)
{
	mpz_t g;
	mpz_init(g);
	int positive = 0, same_den = 1;
	for (unsigned i = 0; i < n; i++) {
		mpz_gcd(g, g, mpq_numref(t[i].coef->u.num));
		positive |= num_sign(t[i].coef) > 0;
		same_den &= mpz_cmp(mpq_denref(t[i].coef->u.num), mpq_denref(t[0].coef->u.num)) == 0;
	}
	mpq_t q;
	mpq_init(q);
	mpq_set_z(q, g);
	if (same_den) {
		mpz_set(mpq_denref(q), mpq_denref(t[0].coef->u.num));
		mpq_canonicalize(q);
	}
	if (!positive)
		mpq_neg(q, q);
	const Expr *k = expr_num(c->p, q);
	mpq_clear(q);
	mpz_clear(g);
	return k;
}

static const Expr *factored_sum(Canon *c, Term *t, unsigned n)
{
	int all_same = 1;
	for (unsigned i = 1; i < n; i++)
		all_same &= same_chain(&t[0], &t[i]);
	if (all_same && t[0].nmat > 0)
		return factor_chain(c, t, n);
	/* A common matrix factor is pulled out even where its brackets cost a
	 * token more than the factor saves: the textbook writes (A + A^T) x,
	 * and the layouts then transpose into each other. */
	const Expr *f = factor_common_matrix(c, t, n);
	return f ? f : grouped_sum(c, t, n);
}

/* Runs of equal chains grouped (collect sorted them together), the rest
 * as plain terms. */
static const Expr *grouped_sum(Canon *c, Term *t, unsigned n)
{
	const Expr **out = alloc(c, n * sizeof *out);
	unsigned k = 0, i = 0;
	int grouped = 0;
	while (i < n) {
		unsigned j = i + 1;
		while (j < n && t[i].nmat > 0 && same_chain(&t[i], &t[j]))
			j++;
		if (j - i > 1) {
			out[k++] = factor_chain(c, t + i, j - i);
			grouped = 1;
		} else {
			out[k++] = NULL;
		}
		i = j;
	}
	if (!grouped)
		return plain_sum(c, t, n);
	/* rebuild: grouped chains as products, the rest as plain terms */
	const Expr **res = alloc(c, n * sizeof *res);
	unsigned nr = 0;
	i = 0;
	for (unsigned g = 0; g < k; g++) {
		unsigned j = i + 1;
		while (j < n && t[i].nmat > 0 && same_chain(&t[i], &t[j]))
			j++;
		if (out[g])
			res[nr++] = out[g];
		else
			res[nr++] = signed_term(c, &t[i]);
		i = j;
	}
	return ordered_sum(c, res, nr);
}

static const Expr *to_expr(Canon *c, const Poly *q)
{
	if (q->n == 0)
		return NULL;
	pool_check_budget(c->p);   /* a safe point: see expr.h */
	Term *t = alloc(c, q->n * sizeof *t);
	copy(t, q->t, q->n * sizeof *t);
	return factored(c, t, q->n);
}

/* The terms of a sum written with a minus: -t, a negative number, -2 t. */
static unsigned minuses(const Expr *s)
{
	unsigned k = 0;
	for (unsigned i = 0; i < s->nargs; i++) {
		const Expr *t = s->args[i]->kind == E_MUL ? s->args[i]->args[0] : s->args[i];
		k += t->kind == E_NEG || (t->kind == E_NUM && mpq_sgn(t->u.num) < 0);
	}
	return k;
}

/* e with one of its multiplicative factors, a sum, negated, when the
 * negated sum has no more minuses than it: -x (y - a) is x (a - y), one
 * token shorter.  NULL when there is none. */
static const Expr *flip_factor(Canon *c, const Expr *e)
{
	const Expr *r;
	switch (e->kind) {
	case E_ADD: {   /* -s in its canonical form, so that it reads back the same */
		r = to_expr(c, canon(c, expr_unary(c->p, E_NEG, e)));
		return r->kind == E_ADD && minuses(r) < minuses(e) + 1 ? r : NULL;
	}
	case E_MUL: case E_HAD: case E_KRON:
		for (unsigned i = 0; i < e->nargs; i++)
			if ((r = flip_factor(c, e->args[i]))) {
				const Expr **a = alloc(c, e->nargs * sizeof *a);
				copy(a, e->args, e->nargs * sizeof *a);
				a[i] = r;
				return expr_make(c->p, e->kind, a, e->nargs);
			}
		return NULL;
	case E_TRANS:
		return (r = flip_factor(c, e->args[0])) ? expr_unary(c->p, E_TRANS, r) : NULL;
	case E_DIV:
		return (r = flip_factor(c, e->args[0])) ? expr_binary(c->p, E_DIV, r, e->args[1]) : NULL;
	default:
		return NULL;
	}
}

/* -(A B) reads better as -A B, and is the same node once re-read; better
 * still, a negated factor absorbs the minus (flip_factor). */
static const Expr *lead_minus(Canon *c, const Expr *e)
{
	const Expr *flipped = NULL;
	if (e && e->kind == E_NEG && e->args[0]->kind != E_ADD)
		flipped = flip_factor(c, e->args[0]);
	else if (e && e->kind == E_MUL && e->args[0]->kind == E_NEG) {   /* -x (y - a) */
		const Expr **a = alloc(c, e->nargs * sizeof *a);
		copy(a, e->args, e->nargs * sizeof *a);
		a[0] = a[0]->args[0];
		flipped = flip_factor(c, expr_make(c->p, E_MUL, a, e->nargs));
	}
	if (flipped)
		return flipped;
	if (e && e->kind == E_NEG && e->args[0]->kind == E_HAD) {   /* -(a .* b) = -a .* b */
		const Expr *h = e->args[0];
		const Expr **a = alloc(c, h->nargs * sizeof *a);
		copy(a, h->args, h->nargs * sizeof *a);
		a[0] = lead_minus(c, expr_unary(c->p, E_NEG, a[0]));
		return expr_make(c->p, E_HAD, a, h->nargs);
	}
	if (e && e->kind == E_NEG && e->args[0]->kind == E_DIV) {   /* -(a / b) = (-a) / b */
		const Expr *top = lead_minus(c, expr_unary(c->p, E_NEG, e->args[0]->args[0]));
		/* -x^T / n as well: unary minus binds tighter than /, so it
		 * reads back the same, without the brackets */
		if (top->kind != E_NEG || top->args[0]->kind != E_ADD)
			return expr_binary(c->p, E_DIV, top, e->args[0]->args[1]);
	}
	if (!e || e->kind != E_NEG || e->args[0]->kind != E_MUL)
		return e;
	const Expr *m = e->args[0];
	const Expr **a = alloc(c, m->nargs * sizeof *a);
	copy(a, m->args, m->nargs * sizeof *a);
	if (a[0]->kind == E_NEG || a[0]->kind == E_ADD || a[0]->kind == E_MUL || a[0]->kind == E_DIV)
		return e;
	a[0] = expr_unary(c->p, E_NEG, a[0]);
	return expr_make(c->p, E_MUL, a, m->nargs);
}

/* --- a last tidy on the expression: flat products, shared factors --- */

static const Expr *tidy(Canon *c, const Expr *e);
static const Expr *linear_collected(Canon *c, const Expr *e);

/* Products inside products are one product (unless the inner one is a 1 x 1
 * scalar, which reads better bracketed), with numbers in front. */
static const Expr *flat_product(Canon *c, const Expr *e)
{
	unsigned n = 0;
	for (unsigned i = 0; i < e->nargs; i++) {
		const Expr *f = e->args[i];
		n += f->kind == E_MUL && !is_scalar(c, f) ? f->nargs : 1;
	}
	const Expr **a = alloc(c, (n + 1) * sizeof *a);
	const Expr *k = one(c);
	unsigned m = 1;
	for (unsigned i = 0; i < e->nargs; i++) {
		const Expr *f = e->args[i];
		unsigned nf = f->kind == E_MUL && !is_scalar(c, f) ? f->nargs : 1;
		for (unsigned j = 0; j < nf; j++) {
			const Expr *g = nf > 1 || (f->kind == E_MUL && !is_scalar(c, f)) ? f->args[j] : f;
			if (g->kind == E_NUM)
				k = num_op(c, k, g, '*');
			else
				a[m++] = g;
		}
	}
	if (!expr_is_num(k, 1))
		a[0] = k;
	else
		a++, m--;
	if (m == 1)
		return a[0];
	return expr_make(c->p, E_MUL, a, m);
}

/* The product that a sum term is, and whether it was negated. */
static const Expr *term_product(const Expr *t, int *negated)
{
	*negated = t->kind == E_NEG;
	if (*negated)
		t = t->args[0];
	return t->kind == E_MUL ? t : NULL;
}

/* a B + c B = (a + c) B, and B a + B c = B (a + c), for matrix B. */
static const Expr *shared_factor(Canon *c, const Expr *e)
{
	for (int right = 0; right < 2; right++) {
		const Expr *f = NULL;
		int ok = 1;
		for (unsigned i = 0; i < e->nargs && ok; i++) {
			int neg;
			const Expr *t = term_product(e->args[i], &neg);
			const Expr *g = t ? t->args[right ? t->nargs - 1 : 0] : NULL;
			/* not an identity: pulling one out puts one back in each
			 * scalar term (2 I + S I), which would loop */
			ok = g && !is_scalar(c, g) && g->kind != E_NUM && g->kind != E_IDENT &&
			     (!f || g == f);
			f = g;
		}
		if (!ok)
			continue;
		const Expr **terms = alloc(c, e->nargs * sizeof *terms);
		for (unsigned i = 0; i < e->nargs; i++) {
			int neg;
			const Expr *t = term_product(e->args[i], &neg);
			const Expr *rest = t->nargs == 2 ? t->args[right ? 0 : 1]
				: expr_make(c->p, E_MUL, t->args + (right ? 0 : 1), t->nargs - 1);
			Shape ts = shape(c, t), fs = shape(c, f);
			Shape want = right ? (Shape){ ts.rows, fs.rows } : (Shape){ fs.cols, ts.cols };
			if (is_scalar(c, rest) && !shape_is_scalar(want)) {   /* 2 A + S A = (2 I + S) A */
				const Expr *pair[2] = { rest, identity(c, want.rows) };
				rest = expr_make(c->p, E_MUL, pair, 2);
			}
			terms[i] = neg ? expr_unary(c->p, E_NEG, rest) : rest;
		}
		const Expr *sum = tidy(c, expr_make(c->p, E_ADD, terms, e->nargs));
		const Expr *pair[2] = { right ? sum : f, right ? f : sum };
		return flat_product(c, expr_make(c->p, E_MUL, pair, 2));
	}
	return e;
}

/* In a product, a bracketed sum of transposes reads better transposed:
 * b (b^T X^T + c^T) D = b (X b + c)^T D. */
static const Expr *flipped_sums(Canon *c, const Expr *e)
{
	if (e->kind != E_MUL)
		return e;
	const Expr **a = alloc(c, e->nargs * sizeof *a);
	int changed = 0;
	for (unsigned i = 0; i < e->nargs; i++) {
		a[i] = e->args[i];
		if (a[i]->kind != E_ADD || is_scalar(c, a[i]))
			continue;
		const Expr *t = transposed_expr(c, a[i]);
		if (1 + count_transposes(t) < count_transposes(a[i])) {
			a[i] = expr_unary(c->p, E_TRANS, t);
			changed = 1;
		}
	}
	return changed ? expr_make(c->p, E_MUL, a, e->nargs) : e;
}

static int is_ones_row(const Expr *e)
{
	return e->kind == E_TRANS && e->args[0]->kind == E_ONES;
}

/* The A of a product 1^T A 1, 1^T a or a^T 1 (a sum of entries), or NULL.
 * A is never 1 x 1: 1^T alpha 1 scales, it does not add up alpha. */
static const Expr *summed(Canon *c, const Expr *const *f, unsigned n)
{
	if (n < 2 || n > 3 || is_scalar(c, f[n == 3 ? 1 : 0]) || is_scalar(c, f[1]))
		return NULL;
	if (n == 3 && is_ones_row(f[0]) && f[2]->kind == E_ONES && f[1]->kind != E_ONES)
		return f[1];
	if (n != 2)
		return NULL;
	if (is_ones_row(f[0]) && f[1]->kind != E_ONES && dim_is_one(shape(c, f[1]).cols))
		return f[1];
	if (f[1]->kind == E_ONES && !is_ones_row(f[0]) && dim_is_one(shape(c, f[0]).rows))
		return f[0];
	return NULL;
}

/* A product that adds up entries reads as sum: 2 ones^T y is 2 sum(y). */
static const Expr *as_sum(Canon *c, const Expr *e)
{
	if (e->kind != E_MUL)
		return e;
	unsigned lead = 0;
	while (lead < e->nargs && is_scalar(c, e->args[lead]) && e->args[lead]->kind != E_MUL)
		lead++;
	const Expr *a = lead < e->nargs ? summed(c, e->args + lead, e->nargs - lead) : NULL;
	if (!a)
		return e;
	const Expr *s = expr_func(c->p, F_SUM, a->kind == E_TRANS ? a->args[0] : a);
	if (lead == 0)
		return s;
	const Expr **f = alloc(c, (lead + 1) * sizeof *f);
	copy(f, e->args, lead * sizeof *f);
	f[lead] = s;
	return expr_make(c->p, E_MUL, f, lead + 1);
}

/* The argument of a term f(A) of a linear function f (vec, diag, tr),
 * negated for -f(A); NULL for another term. */
static const Expr *linear_arg(Canon *c, const Expr *t, FuncId f)
{
	int neg = t->kind == E_NEG;
	if (neg)
		t = t->args[0];
	if (t->kind != E_FUNC || t->fn != f)
		return NULL;
	return neg ? expr_unary(c->p, E_NEG, t->args[0]) : t->args[0];
}

/* vec(A) + vec(B) is vec(A + B), as diag and tr: the sum inside is one
 * token shorter for each term (canon splits them to collect terms). */
static const Expr *linear_collected(Canon *c, const Expr *e)
{
	static const FuncId linear[] = { F_VEC, F_DIAG, F_TR };
	for (unsigned k = 0; k < sizeof linear / sizeof linear[0]; k++) {
		const Expr **a = alloc(c, e->nargs * sizeof *a);
		unsigned i = 0;
		while (i < e->nargs && (a[i] = linear_arg(c, e->args[i], linear[k])))
			i++;
		if (i < e->nargs)
			continue;
		Shape s0 = shape(c, a[0]);
		int same = 1;   /* diag of vectors and of matrices do not mix */
		for (unsigned j = 1; j < e->nargs; j++)
			same &= shape(c, a[j]).cols == s0.cols && shape(c, a[j]).rows == s0.rows;
		if (same)
			return expr_func(c->p, linear[k], tidy(c, expr_make(c->p, E_ADD, a, e->nargs)));
	}
	return e;
}

/* A product with negated factors is one negated product:
 * A (-B) C is -(A B C); lead_minus then writes it -A B C. */
static const Expr *outer_minus(Canon *c, const Expr *e)
{
	unsigned neg = 0;
	for (unsigned i = 0; i < e->nargs; i++)
		neg += e->args[i]->kind == E_NEG;
	if (neg == 0)
		return e;
	const Expr **a = alloc(c, e->nargs * sizeof *a);
	for (unsigned i = 0; i < e->nargs; i++)
		a[i] = e->args[i]->kind == E_NEG ? e->args[i]->args[0] : e->args[i];
	const Expr *m = expr_make(c->p, E_MUL, a, e->nargs);
	return neg % 2 ? expr_unary(c->p, E_NEG, m) : m;
}

/* .* commutes: the textbook writes its sums last, s .* (1 - s). */
static const Expr *sums_last(Canon *c, const Expr *e)
{
	const Expr **a = alloc(c, e->nargs * sizeof *a);
	unsigned n = 0;
	for (int sums = 0; sums < 2; sums++)
		for (unsigned i = 0; i < e->nargs; i++)
			if ((e->args[i]->kind == E_ADD) == sums)
				a[n++] = e->args[i];
	return expr_make(c->p, E_HAD, a, n);
}

static const Expr *tidy_node(Canon *c, const Expr *e);

/* Memoised: a result is a DAG (a network's derivative shares each layer),
 * and walking it as a tree would take time exponential in its depth. */
static const Expr *tidy(Canon *c, const Expr *e)
{
	const void *v;
	if (!e)
		return e;
	if (map_get(&c->tidied, e, &v))
		return v;
	const Expr *r = tidy_node(c, e);
	map_put(&c->tidied, e, r);
	return r;
}

/* 2 (x .* y) as 2 x .* y: the number scales the first factor of an
 * element-wise product, which then needs no brackets (the grammar reads
 * 2 x .* y as (2 x) .* y, the same value). */
static const Expr *number_inside(Canon *c, const Expr *e)
{
	if (e->kind != E_MUL || e->nargs != 2 || e->args[0]->kind != E_NUM || e->args[1]->kind != E_HAD)
		return e;
	const Expr *h = e->args[1];
	if (h->args[0]->kind == E_NUM)
		return e;
	const Expr **a = alloc(c, h->nargs * sizeof *a);
	for (unsigned i = 0; i < h->nargs; i++)
		a[i] = h->args[i];
	a[0] = expr_binary(c->p, E_MUL, e->args[0], a[0]);
	return expr_make(c->p, E_HAD, a, h->nargs);
}

static const Expr *tidy_node(Canon *c, const Expr *e)
{
	if (!e || e->nargs == 0 || e->kind == E_DIM || e->kind == E_IDENT || e->kind == E_ONES ||
	    e->kind == E_COMM)
		return e;
	const Expr **a = alloc(c, e->nargs * sizeof *a);
	int changed = 0;
	for (unsigned i = 0; i < e->nargs; i++) {
		a[i] = tidy(c, e->args[i]);
		changed |= a[i] != e->args[i];
	}
	if (changed)
		e = e->kind == E_FUNC ? expr_func(c->p, e->fn, a[0]) : expr_make(c->p, e->kind, a, e->nargs);
	if (e->kind == E_MUL) {
		const Expr *m = outer_minus(c, e);
		if (m->kind == E_NEG)
			return expr_unary(c->p, E_NEG, number_inside(c, as_sum(c, flipped_sums(c, flat_product(c, m->args[0])))));
		return number_inside(c, as_sum(c, flipped_sums(c, flat_product(c, m))));
	}
	if (e->kind == E_HAD)
		return sums_last(c, e);
	if (e->kind == E_ADD) {
		const Expr *l = linear_collected(c, e);
		return l->kind == E_ADD ? shared_factor(c, l) : l;
	}
	return e;
}

/* --- one answer in every layout (SPEC 4) --- */

/* e^T with the transposes pushed to the leaves, structurally: no
 * simplification, so e's factorisation is kept ((A x + b)^T C is
 * C^T (A x + b) transposed: (x^T A^T + b^T) C).  Applications of functions
 * other than the symmetric ones stay transposed whole. */
static const Expr *pushed_transpose_node(Canon *c, const Expr *e);

static const Expr *pushed_transpose(Canon *c, const Expr *e)
{
	const void *v;
	if (map_get(&c->pushed, e, &v))
		return v;
	const Expr *r = pushed_transpose_node(c, e);
	map_put(&c->pushed, e, r);
	return r;
}

static const Expr *pushed_transpose_node(Canon *c, const Expr *e)
{
	if (is_scalar(c, e))
		return e;
	const Expr **a = alloc(c, (e->nargs + 1) * sizeof *a);
	switch (e->kind) {
	case E_TRANS:
		return e->args[0];
	case E_IDENT:
		return e;
	case E_COMM: case E_VAR:
		return atom_transpose(c, e);
	case E_ADD: case E_HAD: case E_KRON:
		for (unsigned i = 0; i < e->nargs; i++)
			a[i] = pushed_transpose(c, e->args[i]);
		return expr_make(c->p, e->kind, a, e->nargs);
	case E_MUL:
		for (unsigned i = 0; i < e->nargs; i++)
			a[e->nargs - 1 - i] = pushed_transpose(c, e->args[i]);
		return expr_make(c->p, E_MUL, a, e->nargs);
	case E_NEG:
		return expr_unary(c->p, E_NEG, pushed_transpose(c, e->args[0]));
	case E_DIV: case E_HDIV:
		return expr_binary(c->p, e->kind, pushed_transpose(c, e->args[0]),
				   e->kind == E_HDIV ? pushed_transpose(c, e->args[1]) : e->args[1]);
	case E_POW:
		return expr_binary(c->p, E_POW, pushed_transpose(c, e->args[0]), e->args[1]);
	case E_INV:
		return e->args[0]->kind == E_VAR ? atom_transpose(c, e)
		       : expr_unary(c->p, E_INV, pushed_transpose(c, e->args[0]));
	case E_FUNC:
		if (e->fn == F_DIAG && dim_is_one(shape(c, e->args[0]).cols))
			return e;   /* a diagonal matrix */
		break;
	default:
		break;
	}
	return expr_unary(c->p, E_TRANS, e);
}

static const Expr *simplified(Canon *c, const Expr *e)
{
	return lead_minus(c, tidy(c, to_expr(c, canon(c, e))));
}

/* print_tokens, counted on the DAG and remembered per node: the
 * candidates of one simplification are measured again and again, and
 * share most of their nodes. */
static unsigned tokens(Canon *c, const Expr *e)
{
	if (!c->tokens)
		c->tokens = print_counter(pool_arena(c->p));
	return print_count(c->tokens, e);
}

/* What an answer and its transpose cost together: the same whichever of
 * the two a layout prints. */
static unsigned pair_cost(Canon *c, const Expr *e, const Expr *et)
{
	return e && et ? tokens(c, e) + tokens(c, et) : 0;
}

static const Expr *either_way(Canon *c, const Expr *e);

/* Choosing between the two forms can leave one that simplifies further (a
 * term order): a second choice from the chosen form is a fixed point, so
 * printing and reading back changes nothing. */
static const Expr *local(Canon *c, const Expr *e);
static const Expr *normal(Canon *c, const Expr *e);

/* The shortest in tokens of x's normal form, that form after the local
 * cleanups, x after them, and x itself (when keep_x); on a tie, the
 * earliest: the normal form whenever it is as short as any. */
static const Expr *pick(Canon *c, const Expr *x, int keep_x)
{
	const Expr *r = normal(c, x);
	if (!r)
		return r;
	const Expr *cand[4] = { r, lead_minus(c, local(c, r)), lead_minus(c, local(c, x)),
				keep_x ? lead_minus(c, x) : NULL };
	const Expr *best = r;
	unsigned best_n = tokens(c, r);
	for (int i = 1; i < 4; i++) {
		unsigned n = cand[i] ? tokens(c, cand[i]) : 0;
		if (cand[i] && n < best_n) {
			best = cand[i];
			best_n = n;
		}
	}
	return best;
}

/* Never longer than what it simplifies (SPEC 4): the normal form, unless
 * it comes out longer than the expression after the local cleanups; then
 * picked again from what was picked until nothing shorter comes (a few
 * rounds at most: lengths only fall), so that the answer printed reads
 * back as itself. */
static const Expr *simplify(Pool *p, Shapes *s, const Expr *e, int symmetry, int answer)
{
	Canon c = { .p = p, .s = s, .symmetry = symmetry };
	map_init(&c.memo, pool_arena(p));
	map_init(&c.tidied, pool_arena(p));
	map_init(&c.localised, pool_arena(p));
	map_init(&c.pushed, pool_arena(p));
	map_init(&c.chosen, pool_arena(p));
	if (!answer)
		return normal(&c, e);
	const Expr *x = pick(&c, e, 0);
	for (int round = 0; x && round < 4; round++) {
		const Expr *y = pick(&c, x, 1);
		if (y == x)
			break;
		x = y;
	}
	return x;
}

static const Expr *normal(Canon *c, const Expr *e)
{
	const Expr *r = either_way(c, e);
	return r && !is_scalar(c, r) ? either_way(c, r) : r;
}

static const Expr *either_way_node(Canon *c0, const Expr *e);

static const char no_choice;   /* either_way's memo of a NULL result */

static const Expr *either_way(Canon *c, const Expr *e)
{
	const void *v;
	if (map_get(&c->chosen, e, &v))
		return v == &no_choice ? NULL : v;
	const Expr *r = either_way_node(c, e);
	map_put(&c->chosen, e, r ? (const void *)r : &no_choice);
	return r;
}

static const Expr *either_way_node(Canon *c0, const Expr *e)
{
	Canon *c = c0;
	Pool *p = c->p;
	const Expr *a = simplified(c, e);
	if (!a || is_scalar(c, e))
		return a;
	/* The transpose simplified and transposed back: of the two
	 * factorisations, the one shorter with its transpose, so that
	 * numerator and denominator answers are one answer transposed. */
	const Expr *bt = simplified(c, expr_unary(p, E_TRANS, e));
	if (!bt)
		return a;
	const Expr *b = lead_minus(c, tidy(c, pushed_transpose(c, bt)));
	const Expr *at = lead_minus(c, tidy(c, pushed_transpose(c, a)));
	return pair_cost(c, b, bt) < pair_cost(c, a, at) ? b : a;
}

/* A divisor, inverse or negative power of something that simplifies to zero
 * somewhere in e (as typed): 0/0 must not become 0. */
int canon_zero_divisor(Pool *p, Shapes *s, const Expr *e)
{
	Map seen;
	map_init(&seen, pool_arena(p));
	return zero_divisor(p, s, e, &seen);
}

static int zero_divisor(Pool *p, Shapes *s, const Expr *e, Map *seen)
{
	const void *v;
	if (map_get(seen, e, &v))
		return 0;
	map_put(seen, e, e);
	const Expr *den = NULL;
	if (e->kind == E_DIV || e->kind == E_HDIV)
		den = e->args[1];
	else if (e->kind == E_INV || (e->kind == E_POW && mpq_sgn(e->args[1]->u.num) < 0))
		den = e->args[0];
	if (den && !canon_unconstrained(p, s, den))
		return 1;
	for (unsigned i = 0; i < e->nargs; i++)
		if (e->kind != E_DIM && e->kind != E_IDENT && e->kind != E_ONES && e->kind != E_COMM &&
		    zero_divisor(p, s, e->args[i], seen))
			return 1;
	return 0;
}

int canon_divides_by_zero(const Expr *e)
{
	if (!e)
		return 0;
	if (e->kind == E_POW && expr_is_num(e->args[0], 0) && mpq_sgn(e->args[1]->u.num) < 0)
		return 1;
	if ((e->kind == E_DIV && expr_is_num(e->args[1], 0)) || (e->kind == E_INV && expr_is_num(e->args[0], 0)))
		return 1;
	for (unsigned i = 0; i < e->nargs; i++)
		if (canon_divides_by_zero(e->args[i]))
			return 1;
	return 0;
}

/* Local cleanups only: transposes pushed to the leaves, recursively. */
static const Expr *local_node(Canon *c, const Expr *e);

static const Expr *local(Canon *c, const Expr *e)
{
	const void *v;
	if (map_get(&c->localised, e, &v))
		return v;
	const Expr *r = local_node(c, e);
	map_put(&c->localised, e, r);
	return r;
}

static const Expr *local_node(Canon *c, const Expr *e)
{
	if (e->nargs == 0 || e->kind == E_DIM || e->kind == E_IDENT || e->kind == E_ONES || e->kind == E_COMM)
		return e;
	if (e->kind == E_TRANS)
		return pushed_transpose(c, local(c, e->args[0]));
	const Expr **a = alloc(c, e->nargs * sizeof *a);
	for (unsigned i = 0; i < e->nargs; i++)
		a[i] = local(c, e->args[i]);
	return expr_rebuild(c->p, e, a);
}

const Expr *canon_local(Pool *p, Shapes *s, const Expr *e)
{
	Canon c = { .p = p, .s = s, .symmetry = 1 };
	map_init(&c.memo, pool_arena(p));
	map_init(&c.tidied, pool_arena(p));
	map_init(&c.localised, pool_arena(p));
	map_init(&c.pushed, pool_arena(p));
	return local(&c, e);
}

const Expr *canon_simplify(Pool *p, Shapes *s, const Expr *e)
{
	return simplify(p, s, e, 1, 0);
}

const Expr *canon_unconstrained(Pool *p, Shapes *s, const Expr *e)
{
	return simplify(p, s, e, 0, 0);
}

const Expr *canon_answer(Pool *p, Shapes *s, const Expr *raw)
{
	return simplify(p, s, raw, 1, 1);
}
