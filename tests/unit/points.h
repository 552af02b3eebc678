/* points.h: the special points of an instance (SPEC 4, issue 9), shared by
 * the table test (test_identities.c) and the random property test
 * (test_diff.c): where a residual ||E - c|| is zero (the optimum of least
 * squares), where the argument of a skew penalty ||X - X^T|| is symmetric,
 * and where the variable is the identity.  An answer must be defined and
 * right there wherever the function is differentiable. */
#ifndef MCD_TEST_POINTS_H
#define MCD_TEST_POINTS_H

#include "eval.h"
#include "expr.h"

typedef enum { AT_ZERO_RESIDUAL, AT_SYMMETRIC, AT_IDENTITY, NPOINTS } Point;

extern const char *const point_names[NPOINTS];

/* Moves in to the point pt of f differentiated by x: 1, or 0 when f has no
 * such point (no residual, no skew penalty, x not square).  What it builds
 * lives in p. */
int special_point(Pool *p, Instance *in, const Expr *f, const Expr *x, Point pt);

#endif
