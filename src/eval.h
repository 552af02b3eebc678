/* eval.h: numerical evaluation of expressions on concrete random instances,
 * for --check and the tests: exactly (GMP rationals, with dual numbers for
 * directional derivatives) where the expression is rational, and in double
 * precision otherwise.  Nothing here is used by the symbolic engine.
 * The instances and matrices are inst.c, the evaluators eval_exact.c and
 * eval_double.c (what those share: eval_impl.h).
 *
 * Ownership: an Instance and every matrix it returns are heap objects freed
 * with inst_free / qmat_free / dmat_free. */
#ifndef MCD_EVAL_H
#define MCD_EVAL_H

#include <stdint.h>

#include "shape.h"

typedef struct {
	unsigned rows, cols;
	mpq_t *a;          /* column-major: entry (i, j) is a[i + j * rows] */
} QMat;

typedef struct {
	unsigned rows, cols;
	double *a;         /* column-major */
} DMat;

/* A rows x cols matrix of zeros, on the heap. */
void qmat_init(QMat *m, unsigned rows, unsigned cols);
/* Frees the entries and leaves m empty ({ 0 }); m may be NULL or empty. */
void qmat_free(QMat *m);
/* A rows x cols matrix, on the heap, its entries zero. */
void dmat_init(DMat *m, unsigned rows, unsigned cols);
/* Frees the entries and leaves m empty; m may be NULL. */
void dmat_free(DMat *m);

typedef enum {
	EVAL_OK,
	EVAL_NOT_RATIONAL,  /* exp, log, sqrt, norm, a fractional power...: use doubles */
	EVAL_DOMAIN,        /* singular inverse, log of a non-positive number, 0 divisor, ... */
	EVAL_SHAPE          /* operands whose sizes do not fit: the expression is ill-shaped */
} EvalStatus;

/* A matrix of more entries than this is not evaluated (a domain error). */
enum { EVAL_MAX_ENTRIES = 4096 };

typedef struct Instance Instance;
/* The cost budget of a check: every value computed on in adds its entries
 * to *work; past limit, evaluations fail (as EVAL_DOMAIN) and the caller
 * reads *work to tell that from a real domain error. */
void inst_set_budget(Instance *in, unsigned long *work, unsigned long limit);

/* A random instance for the variables and dimension symbols of s (and any
 * dimension symbol in exprs[0..n)): every symbol gets a size from 1 to 4, every
 * variable small rational entries (symmetric ones symmetric, square ones
 * well-conditioned).  Deterministic for a seed. */
Instance *inst_random(Pool *p, Shapes *s, const Expr *const *exprs, int n, uint64_t seed);
void inst_free(Instance *in);                               /* in may be NULL */
/* Gives variable v the value q (exact; its double value follows), or when q
 * is NULL the value d (its exact value is d's, as a rational): the special
 * points of the tests, a residual made zero.  0 if v has no value in or
 * another shape. */
int inst_set_value(Instance *in, const Expr *v, const QMat *q, const DMat *d);
/* The size of an E_DIM on in: 0 when a symbol in it has no size or the
 * product is larger than EVAL_MAX_ENTRIES. */
unsigned inst_dim(const Instance *in, const Expr *dim);

/* Value of e, and its directional derivative along dir for variable x (dir has
 * x's shape; every other variable is held fixed).  x and dir may be NULL. */
EvalStatus eval_exact(Instance *in, const Expr *e, const Expr *x, const QMat *dir,
		      QMat *val, QMat *dval);
/* Value of e in doubles, with x replaced by x + h * dir (x, dir may be NULL). */
EvalStatus eval_double(Instance *in, const Expr *e, const Expr *x, const DMat *dir,
		       double h, DMat *val);

#endif
