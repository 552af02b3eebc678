/* canon.h: the canonical, textbook-short form of an expression (SPEC 4).
 *
 * An expression is converted to a normal form -- a sum of terms, each an
 * exact rational coefficient times powers of scalar atoms times a chain of
 * matrix factors -- in which transposes sit on the leaves, like terms are
 * collected, identities are gone and 1 x 1 sub-products are scalars; then it
 * is converted back, pulling out common factors where that shortens it
 * (x^T A + x^T A^T becomes x^T (A + A^T)).  Equal inputs give one output,
 * and simplifying twice changes nothing.
 *
 * Ownership: nodes built belong to the pool. */
#ifndef MCD_CANON_H
#define MCD_CANON_H

#include "shape.h"

/* The canonical form of e, or NULL when e is zero (a zero of e's shape). */
const Expr *canon_simplify(Pool *p, Shapes *s, const Expr *e);
/* The same without using symmetry (S^T stays S^T): a form safe to
 * differentiate again, since a symmetric variable is differentiated as if
 * its entries were independent (SPEC 3), and x^T S y = y^T S^T x only then. */
const Expr *canon_unconstrained(Pool *p, Shapes *s, const Expr *e);
/* A derivative as printed: canon_simplify's normal form, unless the
 * engine's raw answer after the local cleanups is shorter (SPEC 4: never
 * longer than the chain rule's), then what is shortest from there. */
const Expr *canon_answer(Pool *p, Shapes *s, const Expr *raw);
/* e after the local cleanups only (transposes pushed to the leaves): what
 * the printed answer is measured against (SPEC 4, never longer). */
const Expr *canon_local(Pool *p, Shapes *s, const Expr *e);
/* Whether a b = b a because both are rational functions of one square
 * matrix (A, A^-1, I - alpha A, (I + A)^-1) or multiples of I. */
int canon_commute(Shapes *s, const Expr *a, const Expr *b);
/* Whether a simplified result divides by a zero (1/0, (x - x)^-1): then it
 * has no value and the caller reports an error. */
int canon_divides_by_zero(const Expr *e);
/* Whether e, as typed, divides by something that is zero (0/0, (x - x)^-1). */
int canon_zero_divisor(Pool *p, Shapes *s, const Expr *e);

#endif
