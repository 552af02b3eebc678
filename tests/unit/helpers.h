/* helpers.h: shared by the unit tests: parse a string and show the node it
 * lowers to as an s-expression, so tests can state structure in one line. */
#ifndef MCD_TEST_HELPERS_H
#define MCD_TEST_HELPERS_H

#include "buf.h"
#include "expr.h"
#include "shape.h"

/* (+ a (neg b)), (* 2 A), (^T x), (tr A), 1/3, x, (I n) ... */
void sexpr(Buf *out, const Expr *e);
/* Parses src; returns its s-expression, or "error C: MESSAGE" with the first
 * error's column.  The result lives until the next call. */
const char *parse_show(const char *src, size_t len);
/* "A:matrix(m,n);x:vector" as a list of declarations (a test fails on a bad
 * one); free with decl_free_all. */
Decl *test_decls(const char *spec);

#endif
