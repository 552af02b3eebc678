/* func.h: the function table.  One row per function of the language holds
 * every fact about it that more than one module needs: its name, its shape
 * rule, its LaTeX and Python spellings, its maps in doubles and in exact
 * rationals, and its differential.  Adding a function means adding an id to
 * FuncId (expr.h), a row in func.c and a test.
 *
 * The structural functions tr, det, logdet, diag and vec are rows too, but
 * what they mean to the simplifier (cyclic traces, vec of products) and to
 * the evaluators (Gaussian elimination, reshaping) is calculus, not a map,
 * so those modules keep their own rules for them and say so. */
#ifndef MCD_FUNC_H
#define MCD_FUNC_H

#include <gmp.h>
#include <stddef.h>

#include "expr.h"
#include "shape.h"

typedef enum {
	FS_SAME,    /* element-wise: the argument's shape */
	FS_COLUMN,  /* the argument's shape, which must be a column vector (softmax) */
	FS_SCALAR,  /* 1 x 1 from any argument (sum, norm, logsumexp) */
	FS_SQUARE,  /* 1 x 1 from a square argument (tr, det, logdet) */
	FS_VEC,     /* mn x 1 from m x n */
	FS_DIAG     /* a vector's diagonal matrix, or a square matrix's diagonal */
} FuncShape;

/* The value of an element-wise function at a; 0 where a is outside its
 * domain. */
typedef int (*FuncDMap)(double *r, double a);
/* A function of all n entries of its argument, column-major, into r: one
 * entry for FS_SCALAR, n for FS_COLUMN; 0 outside the domain. */
typedef int (*FuncDWhole)(double *r, const double *a, size_t n);
/* Exact element-wise value and directional derivative (dual numbers):
 * v = f(a), dv = f'(a) da.  0 where f is not differentiable. */
typedef int (*FuncQMap)(mpq_t v, mpq_t dv, const mpq_t a, const mpq_t da);
/* The differential of e = f(u), given du (not zero) and u's shape; NULL is
 * zero.  Built with the plain constructors; simplification comes later. */
typedef const Expr *(*FuncRule)(Pool *p, const Expr *e, Shape us, const Expr *du);

typedef struct {
	const char *name;
	FuncShape shape;
	const char *latex;       /* \\exp; with latex_close, an opening bracket */
	const char *latex_close; /* NULL: latex is an operator name */
	const char *python;      /* the callable in a module: np.exp, _sigmoid */
	const char *py_helper;   /* the helper's definition, or NULL (numpy's own) */
	FuncDMap dmap;           /* element-wise functions */
	FuncDWhole dwhole;       /* the reductions and softmax */
	FuncQMap qmap;           /* NULL: not rational (or structural, see above) */
	FuncRule rule;
} FuncDef;

/* The Python emitter keeps a bit per function. */
_Static_assert(F_COUNT <= 32, "FuncId must fit a 32-bit mask");

const FuncDef *func_def(FuncId f);
const char *func_name(FuncId f);
int func_lookup(const char *name, size_t n, FuncId *out);   /* 1 if found */
int func_elementwise(FuncId f);

#endif
