/* check.h: verifying a derivative numerically (--check, and the tests).
 * The derivative d of f with respect to the variable x, in a layout, is
 * compared on random instances with the directional derivative of f: exactly
 * (dual numbers over the rationals) when f is rational, else by central
 * finite differences in doubles. */
#ifndef MCD_CHECK_H
#define MCD_CHECK_H

#include <stdint.h>

#include "layout.h"
#include "shape.h"

typedef struct {
	int ok;               /* every instance agreed */
	int exact;            /* every instance was checked exactly */
	int instances;        /* how many were checked (domain failures are redrawn) */
	int too_costly;       /* stopped: the check's cost budget ran out */
	double max_error;     /* largest relative error (0 when exact) */
	char detail[256];     /* on failure: the instance's sizes and the error */
} CheckResult;

/* The cost budget of one check_derivative: matrix entries computed, over
 * every instance and step (a few million entries is a fraction of a second). */
enum { CHECK_MAX_WORK = 4000000 };

/* "m=2, n=3": the sizes an instance gives the variables' dimension symbols. */
struct Instance;
void check_sizes(Pool *p, Shapes *s, const struct Instance *in, Buf *out);

CheckResult check_derivative(Pool *p, Shapes *s, const Expr *f, const Expr *x,
			     const Expr *d, Layout layout, int n, uint64_t seed);
/* g, shaped like the square matrix x, as the gradient of the scalar f on
 * symmetric matrices: <g, V> = df(x; V) for every symmetric direction V
 * (the --symmetric-gradient policies, SPEC 3). */
CheckResult check_symmetric_gradient(Pool *p, Shapes *s, const Expr *f, const Expr *x, const Expr *g,
				     int n, uint64_t seed);

#endif
