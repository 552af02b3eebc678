/* shape.h: dimensions, declarations and shape inference by unification.
 *
 * A dimension is an interned E_DIM node: a product of a positive integer and
 * dimension symbols, kept canonical (the number first and only if it is not 1,
 * then the symbols sorted by name), so two dimensions are equal exactly when
 * they are the same pointer.  The dimension 1 is E_DIM(1).
 *
 * shape_infer solves the shapes of a parsed expression (SPEC section 2) and
 * returns a Shapes table, allocated in the pool's arena, that names every
 * dimension.  After it, shape_elaborate turns the syntax tree into the Expr
 * whose every I and ones has an explicit size, so each node has exactly one
 * shape and shape_of can memoise on node identity. */
#ifndef MCD_SHAPE_H
#define MCD_SHAPE_H

#include "ast.h"
#include "diag.h"
#include "expr.h"

typedef struct {
	const Expr *rows, *cols;    /* E_DIM nodes */
} Shape;

/* --- dimensions --- */
const Expr *dim_num(Pool *p, unsigned long n);       /* n >= 1 */
const Expr *dim_sym(Pool *p, const char *name);
const Expr *dim_mul(Pool *p, const Expr *a, const Expr *b);
int dim_is_one(const Expr *d);
int shape_is_scalar(Shape s);
/* The zero of a shape, as an expression that evaluates and prints:
 * 0, 0 ones_m, 0 ones_n^T or 0 ones_m ones_n^T.  The one place it is built. */
const Expr *shape_zero(Pool *p, Shape sh);                        /* 1 x 1 */
void dim_print(Buf *b, const Expr *d);               /* "m", "3", "mn", "2n", "m*nn" */

/* --- declarations (-d NAME:TYPE, -s NAME) --- */
typedef enum { DECL_SCALAR, DECL_VECTOR, DECL_MATRIX, DECL_SYMMETRIC } DeclKind;

typedef struct Decl {
	char *name;
	DeclKind kind;
	char *dims[2];      /* NULL, or a dimension: a number or a symbol */
	struct Decl *next;
} Decl;

/* Parse "NAME:TYPE" into a heap Decl (free with decl_free_all); on error
 * return NULL and put the reason in err. */
Decl *decl_parse(const char *text, Buf *err);
void decl_free_all(Decl *d);

/* --- inference --- */
typedef struct Shapes Shapes;

/* Infer the shapes of ast.  On a conflict, report it to dg and return NULL. */
Shapes *shape_infer(Pool *p, const Ast *ast, const Decl *decls, Diag *dg);
/* The same where ast may use the names defs define (F where h = E, SPEC 1):
 * a defined name has the shape of its value and is not a variable. */
Shapes *shape_infer_defs(Pool *p, const Ast *ast, const Decl *decls, const Def *defs, unsigned ndefs,
			 Diag *dg);
/* The Expr of ast with every inferred I and ones sized explicitly. */
const Expr *shape_elaborate(Shapes *s, const Ast *ast);
/* The shape of an elaborated expression (memoised). */
Shape shape_of(Shapes *s, const Expr *e);
int shape_symmetric(const Shapes *s, const Expr *var);   /* declared symmetric */
/* "a: m x 1, W: m x n, b: n x 1, result: 1 x 1" for the --shapes option,
 * variables in order of first appearance. */
void shape_describe(Shapes *s, Buf *out, Shape result);
/* The same with n more names (defined ones) before the result. */
void shape_describe_with(Shapes *s, Buf *out, const char *const *names, const Shape *shapes, int n,
			 Shape result);

/* The variables: those of the expression in order of first appearance, then
 * declared ones that do not occur.  i runs from 0 to shape_var_count - 1. */
int shape_var_count(const Shapes *s);
const Expr *shape_var(Shapes *s, int i);               /* an E_VAR node */
Shape shape_var_shape(const Shapes *s, int i);
int shape_find_var(const Shapes *s, const char *name); /* index, or -1 */
/* A variable the engine makes up (the differential dX): it has a shape but is
 * not one of the variables listed above. */
void shape_add_hidden(Shapes *s, const Expr *var, Shape shape);

#endif
