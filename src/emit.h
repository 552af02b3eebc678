/* emit.h: writing one result in the format --format asks for (SPEC 5):
 * text, unicode, latex (one line each), json (one object per line, also for
 * errors), python (a self-contained module, see pyemit.h).  Output goes to a
 * Buf; the caller adds the final newline. */
#ifndef MCD_EMIT_H
#define MCD_EMIT_H

#include "buf.h"
#include "layout.h"
#include "mcd.h"
#include "shape.h"

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
} Result;

/* The result in format fmt. */
void emit_result(Buf *out, mcd_format fmt, const Result *r);
/* An expression that failed: JSON gets {"input", "line", "column", "error"}
 * (column null when the error has no position); python gets a comment and
 * the end-of-module line; every other format writes nothing (the caller's
 * empty line). */
void emit_error(Buf *out, mcd_format fmt, const char *input, size_t len, long line,
		long column, const char *message);
/* The name of a format, or -1 from emit_format for an unknown name. */
int emit_format(const char *name);

/* The shape of the result r describes, computed from the shapes of f and of
 * the -wrt variables (r->shape can be stale when a step was zero). */
Shape emit_result_shape(const Result *r);
/* The length of the valid UTF-8 sequence at s (n bytes left), or 0 when the
 * byte there does not start one (no overlong forms, no surrogates). */
size_t emit_utf8_len(const char *s, size_t n);
/* s as a JSON string: quotes, backslashes and control characters escaped,
 * each byte that is not part of valid UTF-8 replaced by U+FFFD. */
void emit_json_string(Buf *out, const char *s, size_t n);

#endif
