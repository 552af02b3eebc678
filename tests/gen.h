/* gen.h: random well-shaped expressions from a seeded generator, for property
 * tests (printing then parsing gives the same node; rewriting keeps the value).
 *
 * Every node is one the parser can produce (built with the smart
 * constructors; n-ary nodes have two or more operands), and the expression is
 * well-shaped by construction under the default naming rules of SPEC section
 * 2, with each name of one fixed shape (gen_names):
 *   alpha, beta: scalars      x, y: n x 1      u, v: m x 1
 *   A, B: m x n    C, D: n x m    S, R: n x n    W, M: m x m
 * and the dimension symbols m and n in I_n, ones_m, I_{m n}, K_{m,n}.
 * (Shape inference may name the symbols differently; the sizes agree.)
 *
 * Round trip, say in tests/unit/test_parse.c:
 *	GenRng rng;
 *	gen_seed(&rng, 42);
 *	for (int i = 0; i < 1000; i++) {
 *		Pool *p = pool_new();
 *		const Expr *e = gen_expr(p, &rng, 4);
 *		Buf b;  buf_init(&b);  print_text(&b, e);
 *		Diag dg;  diag_init(&dg, b.s, b.len, 1);
 *		Ast *a = parse_expr(p, b.s, b.len, &dg);
 *		ck_assert_msg(a && ast_lower(p, a, NULL, NULL) == e, "%s", buf_str(&b));
 *		diag_free(&dg);  buf_free(&b);  pool_free(p);
 *	}
 * The same seed gives the same expressions on every machine. */
#ifndef MCD_TEST_GEN_H
#define MCD_TEST_GEN_H

#include <stdint.h>

#include "expr.h"

typedef struct {
	uint64_t state;
} GenRng;

void gen_seed(GenRng *rng, uint64_t seed);
uint64_t gen_next(GenRng *rng);                 /* splitmix64 */
unsigned gen_below(GenRng *rng, unsigned n);    /* uniform in [0, n), n >= 1 */

/* A random expression with operators nested at most depth deep, of one of
 * the shapes 1 x 1, n x 1, m x n, n x n, n x m. */
const Expr *gen_expr(Pool *p, GenRng *rng, int depth);

/* A composition depth layers deep, as a network is: from a column x or u,
 * each layer one of f(M h), f(M h + b), h .* y, alpha h, softmax(h), f(h),
 * with f a smooth bounded function (tanh, sigmoid, sin, cos, softplus) and
 * M, b, y the variables of the right shapes; then a scalar loss of it
 * (sum, ||h - y||^2, y^T h, logsumexp) or the column itself. */
const Expr *gen_composition(Pool *p, GenRng *rng, int depth);

/* "alpha:scalar", "x:vector(n)", "A:matrix(m,n)", ...: declarations that pin
 * every name to the shape gen_expr gives it; NULL-terminated. */
extern const char *const gen_names[];

#endif
