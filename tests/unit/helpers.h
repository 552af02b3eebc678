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

/* Expressions written as strings that share one Shapes: they are parsed as
 * the single expression kron((e1), (e2), ...).  A Kronecker product puts no
 * constraint between its factors' shapes, so each keeps the shape it would
 * have alone, while a name used in several of them gets one shape, inferred
 * from all its uses (a W in f and a W in its derivative are the same m x n). */
typedef struct {
	Pool *p;
	Shapes *s;
	const Decl *decls;
	const Expr *e[4];   /* each elaborated */
	int n;
} Parsed;

/* srcs: up to 4 expressions, NULL-terminated.  Returns 0 and the reason in
 * err when they do not parse or are not well-shaped (ps->p is then freed). */
int parse_together(Parsed *ps, const Decl *decls, const char *const *srcs, Buf *err);

#endif
