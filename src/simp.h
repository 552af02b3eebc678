/* simp.h: rewriting expressions by rules: the engine, and the light
 * normalisation `mcd EXPR` applies before printing (SPEC section 4).
 *
 * A Rewriter walks a node bottom-up: it rewrites the operands first, then
 * tries its rules in order at the node until none applies (a rule's result is
 * rewritten in turn).  Results are memoised on node identity, so a shared
 * subexpression is rewritten once.  A rule returns the rewritten node, or
 * NULL (or e itself) when it does not apply; it builds nodes in rw->pool and
 * may ask rw->shapes about shapes (of new nodes too).
 *
 * Ownership: the nodes returned belong to the pool; the Rewriter's memo table
 * (indexed by node id, so a Rewriter serves one pool) is on the heap until
 * simp_clear. */
#ifndef MCD_SIMP_H
#define MCD_SIMP_H

#include <stddef.h>

#include "expr.h"
#include "shape.h"

typedef struct Rewriter Rewriter;
typedef const Expr *(*SimpRule)(Rewriter *rw, const Expr *e);

struct Rewriter {
	Pool *pool;
	Shapes *shapes;
	const SimpRule *rules;
	size_t nrules;
	const Expr **memo;      /* by node id: the node it rewrites to, or NULL */
	size_t memocap;
};

void simp_init(Rewriter *rw, Pool *p, Shapes *s, const SimpRule *rules, size_t nrules);
void simp_clear(Rewriter *rw);
const Expr *simp_rewrite(Rewriter *rw, const Expr *e);

/* For rules: e with its operands replaced by args[0..e->nargs), built with the
 * smart constructors so the invariants of expr.h hold. */
const Expr *simp_rebuild(Pool *p, const Expr *e, const Expr *const *args);
int simp_is_scalar(Rewriter *rw, const Expr *e);     /* e is 1 x 1 */

/* The rules of the light normalisation, in the order they are tried. */
extern const SimpRule simp_light_rules[];
extern const size_t simp_light_nrules;

/* Constant folding over exact rationals, numbers to the front of products,
 * (A B)^T = B^T A^T, (A^T)^T = A, symmetric and 1x1 transposes dropped,
 * identity factors, zero terms and double negations removed.  s gives the
 * shapes of e (from shape_infer). */
const Expr *simp_light(Pool *p, Shapes *s, const Expr *e);

#endif
