/* canon_impl.h: what the simplifier's files share (canon.h is its public
 * face).  The simplifier runs in phases, a file each:
 *   canon_normal.c  an expression to the normal form (canon), using
 *   canon_poly.c    the algebra of that form: terms, sums, products, powers;
 *   canon_expr.c    the normal form back to an expression (to_expr),
 *                   factoring where that shortens it;
 *   canon_tidy.c    a last tidy of that expression (tidy);
 *   canon.c         the entry points, the choice between the orientations
 *                   and forms of an answer (SPEC 4), the local cleanups.
 * Here: the normal form's types, the state of one simplification (Canon),
 * small helpers, and the functions one phase calls in another.
 *
 * Ownership: everything built lives in the pool's arena (alloc). */
#ifndef MCD_CANON_IMPL_H
#define MCD_CANON_IMPL_H

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
	Map shown;          /* node -> presented_node's result */
	Map commuting;      /* node -> commuting_base's result */
	Map chosen;         /* node -> either_way's result (+ a marker for NULL): an
			     * answer is simplified again until it is a fixed point,
			     * and the last round repeats the one before */
	int no_flip;        /* inside maybe_transposed: do not flip again */
	int symmetry;       /* S^T = S for a declared symmetric S */
	int nested;         /* writing a sum that will stand in brackets */
	int unlifting;      /* inside unlifted(): its chains are not lifted again */
	int unmixing;       /* inside kron_unmixed(): its products are not split again */
	int grouping;       /* inside end_groups(): its groups are not grouped again */
	int expanding;      /* inside ones_expanded(): only sums with ones are multiplied out */
} Canon;


/* --- exact numbers as interned nodes --- */

static inline const Expr *num_op(Canon *c, const Expr *a, const Expr *b, char op)
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

static inline int num_sign(const Expr *n)
{
	return mpq_sgn(n->u.num);
}

static inline const Expr *one(Canon *c)
{
	return expr_int(c->p, 1);
}

static inline void *alloc(Canon *c, size_t n)
{
	return arena_alloc(pool_arena(c->p), n ? n : 1);
}

/* memcpy, but an empty (possibly NULL) source is fine. */
static inline void *copy(void *dst, const void *src, size_t n)
{
	return n ? memcpy(dst, src, n) : dst;
}

static inline void sort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
	if (n > 1)
		qsort(base, n, size, cmp);
}

static inline Shape shape(Canon *c, const Expr *e)
{
	return shape_of(c->s, e);
}

/* f(c, e) computed once per node and kept in m, a NULL result too: the
 * passes over an answer walk shared DAGs, which as trees are exponential. */
static inline const Expr *memoised(Canon *c, Map *m, const Expr *e,
				   const Expr *(*f)(Canon *, const Expr *))
{
	static const char none;
	const void *v;
	if (map_get(m, e, &v))
		return v == &none ? NULL : v;
	const Expr *r = f(c, e);
	map_put(m, e, r ? (const void *)r : &none);
	return r;
}

static inline int is_scalar(Canon *c, const Expr *e)
{
	return shape_is_scalar(shape(c, e));
}


/* canon_poly.c: terms, polynomials and their algebra */
/* a b as one Kronecker product, when a or b is one and the other is
 * absorbed by the mixed product (into an identity operand, unless into_any:
 * 1 into the second operand where both could take it, 2 the first) */
const Expr *absorbed_kron(Canon *c, const Expr *a, const Expr *b, int into_any);
const Expr *atom_transpose(Canon *c, const Expr *a);
const Expr *diagonal_of(Canon *c, const Expr *e);   /* v of diag(v), or NULL */
long power_parts(const Expr *f, const Expr **base);  /* f as base^k: k */
const Expr *numeric_content(Canon *c, const Term *t, unsigned n, int last_sign);
SPow *powers_without(Canon *c, const Term *t, const SPow *g, unsigned ng, unsigned *n);
const Expr *identity(Canon *c, const Expr *dim);
int is_identity(const Expr *e);
void logistic(Canon *c, Term *t, int unpaired);
const Poly *poly_add(Canon *c, const Poly *a, const Poly *b);
const Poly *poly_atom(Canon *c, const Expr *a);
const Poly *poly_mul(Canon *c, const Poly *a, const Poly *b);
const Poly *poly_mul_out(Canon *c, const Poly *a, const Poly *b);
const Poly *poly_new(Canon *c, Term *t, unsigned n);
const Poly *poly_num(Canon *c, const Expr *n);
const Poly *poly_pow_scalar(Canon *c, const Poly *a, const Expr *k);
const Poly *poly_scale(Canon *c, const Poly *a, const Expr *k);
const Poly *poly_transpose(Canon *c, const Poly *a);
const Poly *poly_zero(Canon *c);
int qsort_key(const void *x, const void *y);
int small_whole(const Expr *k);
const Expr *transposed_expr(Canon *c, const Expr *e);

/* canon_normal.c: from an expression to the normal form */
const Poly *canon(Canon *c, const Expr *e);
const Expr *operand(Canon *c, const Expr *e);

/* canon_expr.c: from the normal form back to an expression */
unsigned count_transposes(const Expr *e);
const Expr *lead_minus(Canon *c, const Expr *e);
const Expr *presented(Canon *c, const Expr *e);
const Expr *to_expr(Canon *c, const Poly *q);

/* canon.c: the choice of an answer */
unsigned tokens(Canon *c, const Expr *e);   /* as printed, counted on the DAG */
/* e^T with the transposes pushed to the leaves, structurally */
const Expr *pushed_transpose(Canon *c, const Expr *e);

/* canon_tidy.c: the last tidy */
const Expr *tidy(Canon *c, const Expr *e);
const Expr *flat_product(Canon *c, const Expr *e);   /* products in products, numbers in front */
const Expr *chained_scalars(Canon *c, const Expr *e);

#endif
