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

Ast *parse_expr(Pool *p, const char *src, size_t len, Diag *dg);

#endif
