/* ast.h: the located syntax tree the parser builds.
 * An Ast node is one occurrence in the source, with its byte range; the Expr
 * it lowers to is the hash-consed value.  Sums, products, Hadamard and
 * Kronecker chains are n-ary here (a + b - c is one E_ADD with kids a, b and
 * an E_NEG of c), so a long sum is a wide node, not a deep one.
 *
 * Ownership: nodes live in the pool's arena and die with it. */
#ifndef MCD_AST_H
#define MCD_AST_H

#include <stdint.h>

#include "expr.h"

typedef struct {
	uint32_t start, end;   /* byte offsets [start, end) in the source line */
} Loc;

typedef struct Ast Ast;
struct Ast {
	ExprKind kind;        /* as in Expr; kids mirror Expr args */
	FuncId fn;            /* E_FUNC */
	Loc loc;              /* the whole occurrence, brackets included */
	Loc op;               /* the operator; for n-ary nodes, see ops */
	unsigned nkids, cap;
	Ast **kids;
	Loc *ops;             /* n-ary nodes: ops[i] is the operator before kids[i] */
	const Expr *leaf;     /* E_NUM, E_VAR, E_DSYM, E_DIM: the node itself */
	unsigned depth;       /* 1 + the deepest kid */
	unsigned char paren;  /* written in brackets: not merged into a chain */
	unsigned char norm2;  /* F_NORM written ||x||_2: x must be a vector */
	int srows, scols;     /* the shape solver's dimension variables (shape.c) */
};

enum { AST_MAX_DEPTH = 1000 };

/* One definition of `F where NAME = VALUE, ...` (SPEC 1). */
typedef struct {
	const char *name;     /* interned */
	Loc at;               /* the name, where it is defined */
	Ast *value;
	int used;             /* referred to by F, G or a used definition */
} Def;  /* deeper input is an error, not a stack overflow */

/* kron(f, g) of two trees that may come from different sources (F and
 * the --expect answer): to infer their shapes together, for kron ties no
 * size of one to one of the other.  Positions are f's. */
Ast *ast_pair(Pool *p, Ast *f, Ast *g);

/* Lower to the hash-consed Expr.  size(ctx, a) is asked for every unsized I
 * and ones (a->kind E_IDENT or E_ONES with no kids), and for every written
 * dimension (a->kind E_DIM), and returns the E_DIM to use (NULL keeps an I
 * unsized); size may be NULL, which keeps everything as written. */
typedef const Expr *(*AstSizer)(void *ctx, const Ast *a);
const Expr *ast_lower(Pool *p, const Ast *a, AstSizer size, void *ctx);

#endif
