/* result.h: what run.c hands the emitters for one expression: the input,
 * the shapes, the expression and every derivative step, already derived,
 * verified and simplified.  Emitters read it; they never call the engine. */
#ifndef MCD_RESULT_H
#define MCD_RESULT_H

#include "layout.h"
#include "shape.h"
#include "share.h"

typedef struct {
	const char *input;        /* the source line, and its length */
	size_t len;
	long line;                /* its number (line of input, or EXPR position) */
	Pool *pool;
	Shapes *shapes;
	const Expr *f;            /* the expression, simplified (NULL if zero) */
	Shape fshape;
	const char *const *wrt;   /* the -wrt names, in order (nwrt 0: no derivative) */
	int nwrt;
	int hessian;
	Layout layout;
	const Expr *result;       /* the printed result (NULL when it is zero) */
	Shape shape;              /* its shape */
	const Expr *const *steps; /* the printed derivative of each -wrt step in
	                             order, NULL when zero (with hessian: one step,
	                             the first derivative, for python's derivative()) */
	const Shape *step_shapes; /* and their shapes */
	int nsteps;
	Sharing shown;            /* the result as printed: shared subexpressions
	                             named (shown.n definitions), or the result */
	const Expr *expected;     /* G of F == G (or --expect), else NULL */
	int equal;                /* with expected: whether the result equals it */
	int cookbook;             /* the result is a gradient by a symmetric matrix in the
	                             Cookbook's convention (--symmetric-gradient=cookbook) */
} Result;

#endif
