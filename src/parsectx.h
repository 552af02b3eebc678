/* parsectx.h: what the grammar actions share (one parse), and the located
 * syntax builders they call (src/ast.c).  Private to the parser. */
#ifndef MCD_PARSECTX_H
#define MCD_PARSECTX_H

#include "ast.h"
#include "diag.h"
#include "expr.h"
#include "parse.h"

struct LexState;
typedef struct ParseCtx ParseCtx;

struct ParseCtx {
	Pool *pool;
	Diag *dg;
	struct LexState *ls;
	Ast *result;
	Ast *expected;        /* G of F == G, or NULL */
	Ast *both;            /* kron(F, G) for the shapes (parse.h) */
	Loc eq;               /* where the == is */
	Def *defs;            /* F where NAME = VALUE, ...: in order */
	unsigned ndefs, capdefs;
	ParseKnown known;     /* declared names (see parse.h), or NULL */
	const void *known_ctx;
};

/* Builders return NULL after reporting an error (depth limit, bad exponent). */
Ast *ast_new(ParseCtx *pc, ExprKind k, Loc loc, Loc op, Ast *a, Ast *b);
Ast *ast_leaf(ParseCtx *pc, ExprKind k, Loc loc, const Expr *leaf);
Ast *ast_chain(ParseCtx *pc, ExprKind k, Ast *left, Loc op, Ast *right);
Ast *ast_group(Ast *a, Loc loc);
Ast *ast_power(ParseCtx *pc, Loc loc, Loc op, Ast *base, Ast *exponent);
Ast *ast_norm(ParseCtx *pc, Loc loc, Ast *arg, int which);
Ast *ast_list(ParseCtx *pc, Ast *list, Ast *item);
Ast *ast_kron_call(ParseCtx *pc, Loc loc, Ast *first, Ast *rest);
Ast *ast_dim(ParseCtx *pc, Ast *factors);
void ast_tuple_error(ParseCtx *pc, const char *callname, Loc paren, Loc comma);
/* name(...) with the '(' at paren: 1 when it may be a product, else an
 * unknown-function error and 0. */
int ast_call_ok(ParseCtx *pc, const char *name, Loc paren);
void ast_arity_error(ParseCtx *pc, const char *fn, Loc name, Loc comma);
/* NAME = VALUE after where: 1, or 0 after reporting a second definition. */
int ast_define(ParseCtx *pc, const char *name, Loc at, Ast *value);
/* After a syntax error: point at the bracket that is still open (at the end of
 * input) or that the offending closer tried to close. */
void parse_note_open_bracket(ParseCtx *pc, int at_end);

#endif
