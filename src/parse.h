/* parse.h: the Flex lexer and Bison parser for SPEC section 1.
 * parse_expr reads one expression (one line) and builds its located syntax
 * tree in the pool's arena; on a syntax error it reports to dg and returns
 * NULL.  Reentrant: no global state. */
#ifndef MCD_PARSE_H
#define MCD_PARSE_H

#include <stddef.h>

#include "ast.h"
#include "diag.h"
#include "expr.h"

/* A name followed at once by '(' is a call.  When it is not a function it
 * is a product only if it is one letter with an optional digit or '_' suffix
 * (W1(x), A_k(x)), a Greek name (mu(x - a)), or a name known(ctx, name) says
 * is declared; any other is an unknown-function error (SPEC 1). */
typedef int (*ParseKnown)(const void *ctx, const char *name);

Ast *parse_expr(Pool *p, const char *src, size_t len, Diag *dg);   /* nothing declared */
Ast *parse_expr_with(Pool *p, const char *src, size_t len, Diag *dg, ParseKnown known,
		     const void *ctx);

/* A whole input line: F, and the G of `F == G` (SPEC 6).  parse_expr and
 * parse_expr_with refuse ==. */
typedef struct {
	Ast *f;
	Ast *expected;   /* G, or NULL */
	Ast *both;       /* with G: kron(F, G), to infer the shapes of both at
	                  * once (kron ties no size of F to one of G) */
	Loc eq;          /* where the == is */
	Def *defs;       /* F where NAME = VALUE, ...: in the order written */
	unsigned ndefs;
} Line;

int parse_line(Pool *p, const char *src, size_t len, Diag *dg, ParseKnown known,
	       const void *ctx, Line *out);   /* 1, or 0 after reporting */

#endif
