/* share.h: shared subexpressions of a printed result (SPEC 4, --share).
 * A subexpression that occurs at least twice is named when that makes the
 * printed result shorter, counting its definition; a value the input
 * defined (F where h = E) is printed by its name wherever it occurs.  New
 * names are t1, t2, ... (skipping names in use), numbered in dependency
 * order, so `RESULT where t1 = ..., t2 = ...` reads back as the same
 * function. */
#ifndef MCD_SHARE_H
#define MCD_SHARE_H

#include "parse.h"
#include "shape.h"

typedef struct {
	const char *name;     /* interned */
	const Expr *value;    /* in terms of the names before it */
	Shape shape;
} Shared;

typedef struct {
	const Expr *result;   /* with the shared subexpressions as names */
	Shared *defs;         /* in dependency order; n may be 0 */
	unsigned n;
} Sharing;

/* e (not NULL) as printed with sharing.  inputs: the input's definitions
 * (names and their substituted values, n_inputs of them), reused by name;
 * automatic: also name repeated subexpressions. */
Sharing share_result(Pool *p, Shapes *s, const Expr *e, const char *const *input_names,
		     const Expr *const *input_values, unsigned n_inputs, int automatic);

#endif
