/* diff.h: derivatives through differentials (SPEC section 3).
 * d f is computed structurally (product, chain, inverse, determinant and
 * element-wise rules), memoised on node identity; the result, linear in the
 * differential dX, is then read off in the layout asked for: a trace form
 * tr(M dX) for a scalar f, the coefficient of dx for a scalar x, and the
 * Jacobian J with vec(df) = J vec(dX) otherwise.  Results are unsimplified.
 *
 * Ownership: every node built here belongs to the pool. */
#ifndef MCD_DIFF_H
#define MCD_DIFF_H

#include "layout.h"
#include "shape.h"

typedef struct {
	const Expr *d;       /* the derivative; NULL when it is zero */
	Shape shape;         /* its shape, also when it is zero */
	const char *error;   /* set (a static message) when it cannot be taken */
} Deriv;

Deriv diff_wrt(Pool *p, Shapes *s, const Expr *f, const Expr *x, Layout layout);
/* The shape of the derivative of an f of shape fs by an x of shape xs:
 * SPEC section 3's table, the one place it is written down. */
Shape diff_shape(Pool *p, Shape fs, Shape xs, Layout layout);
/* H_ij = d2 f / dx_i dx_j over x (vec(X) for a matrix); f must be scalar. */
Deriv diff_hessian(Pool *p, Shapes *s, const Expr *f, const Expr *x);

#endif
