/* gen.c: random well-shaped expressions (see gen.h).  A shape is a pair of
 * dimensions drawn from 1, m, n and mn; each generator builds a node of the
 * shape it is asked for, from operands whose shapes make it well-shaped. */
#include "gen.h"
#include "rng.h"

#include <stddef.h>

/* A dimension as the set of its symbols: 1, m, n, mn. */
enum { D1 = 0, DM = 1, DN = 2, DMN = 3 };

typedef struct {
	Pool *p;
	GenRng *rng;
} Gen;

typedef const Expr *(*GenOp)(Gen *g, unsigned r, unsigned c, int depth);

static const struct {
	unsigned r, c;
	const char *names[2];
} variables[] = {
	{ D1, D1, { "alpha", "beta" } }, { DN, D1, { "x", "y" } }, { DM, D1, { "u", "v" } },
	{ DM, DN, { "A", "B" } }, { DN, DM, { "C", "D" } }, { DN, DN, { "S", "R" } },
	{ DM, DM, { "W", "M" } },
};

const char *const gen_names[] = {
	"alpha:scalar", "beta:scalar", "x:vector(n)", "y:vector(n)", "u:vector(m)",
	"v:vector(m)", "A:matrix(m,n)", "B:matrix(m,n)", "C:matrix(n,m)", "D:matrix(n,m)",
	"S:matrix(n,n)", "R:matrix(n,n)", "W:matrix(m,m)", "M:matrix(m,m)", NULL,
};

static const char *const numbers[] = {
	"0", "1", "2", "3", "-1", "-2", "1/2", "-1/3", "5/2", "12345678901234567890",
};

/* --- the random source: splitmix64 --- */

void gen_seed(GenRng *rng, uint64_t seed)
{
	rng->state = seed;
}

uint64_t gen_next(GenRng *rng)
{
	return rng_next(&rng->state);
}

unsigned gen_below(GenRng *rng, unsigned n)
{
	return (unsigned)(gen_next(rng) % n);
}

/* --- shapes --- */

/* The shapes with a leaf: scalars, column vectors, and matrices whose two
 * sides are both mn or both not. */
static int has_leaf(unsigned r, unsigned c)
{
	return c == D1 || (r != D1 && (r == DMN) == (c == DMN));
}

/* The shapes generated: those with a leaf, and their transposes. */
static int supported(unsigned r, unsigned c)
{
	return has_leaf(r, c) || has_leaf(c, r);
}

static unsigned random_dim(Gen *g)
{
	return gen_below(g->rng, 4);
}

/* --- leaves --- */

static const Expr *number(Gen *g)
{
	mpq_t q;
	mpq_init(q);
	mpq_set_str(q, numbers[gen_below(g->rng, sizeof numbers / sizeof numbers[0])], 10);
	mpq_canonicalize(q);
	const Expr *e = expr_num(g->p, q);
	mpq_clear(q);
	return e;
}

/* The E_DIM of d != 1, its symbols in canonical order (m before n). */
static const Expr *dim(Gen *g, unsigned d)
{
	const Expr *f[2];
	unsigned n = 0;
	if (d & DM)
		f[n++] = expr_dsym(g->p, "m");
	if (d & DN)
		f[n++] = expr_dsym(g->p, "n");
	return expr_make(g->p, E_DIM, f, n);
}

static const Expr *sized(Gen *g, ExprKind k, unsigned d)
{
	const Expr *a = dim(g, d);
	return expr_make(g->p, k, &a, 1);
}

static const Expr *commutation(Gen *g)
{
	const Expr *a[2] = { dim(g, DM), dim(g, DN) };
	if (gen_below(g->rng, 2)) {
		a[0] = a[1];
		a[1] = dim(g, DM);
	}
	return expr_make(g->p, E_COMM, a, 2);
}

static const Expr *variable(Gen *g, unsigned r, unsigned c)
{
	for (size_t i = 0; i < sizeof variables / sizeof variables[0]; i++)
		if (variables[i].r == r && variables[i].c == c)
			return expr_var(g->p, variables[i].names[gen_below(g->rng, 2)]);
	return NULL;
}

/* A leaf of shape r x c: a variable, or now and then a number, ones_n, I_n
 * or K_{m,n}; a transposed one for the row shapes. */
static const Expr *leaf(Gen *g, unsigned r, unsigned c)
{
	if (!has_leaf(r, c))
		return expr_unary(g->p, E_TRANS, leaf(g, c, r));
	const Expr *v = variable(g, r, c);
	int other = !v || gen_below(g->rng, 3) == 0;
	if (!other || (r != c && c != D1))
		return v;
	if (r == D1)
		return number(g);
	if (c == D1)
		return sized(g, E_ONES, r);
	return r == DMN && gen_below(g->rng, 2) ? commutation(g) : sized(g, E_IDENT, r);
}

/* --- operators --- */

static const Expr *gen(Gen *g, unsigned r, unsigned c, int depth);

/* t1 + t2 (- t3) */
static const Expr *op_sum(Gen *g, unsigned r, unsigned c, int depth)
{
	const Expr *t[3];
	unsigned n = 2 + gen_below(g->rng, 2);
	for (unsigned i = 0; i < n; i++) {
		t[i] = gen(g, r, c, depth - 1);
		if (gen_below(g->rng, 3) == 0)
			t[i] = expr_unary(g->p, E_NEG, t[i]);
	}
	return expr_make(g->p, E_ADD, t, n);
}

static const Expr *op_neg(Gen *g, unsigned r, unsigned c, int depth)
{
	return expr_unary(g->p, E_NEG, gen(g, r, c, depth - 1));
}

/* A factor of a product: sometimes an I of inferred size (in a product of
 * two, so the other factor is a matrix that gives it its size). */
static const Expr *factor(Gen *g, unsigned r, unsigned c, int depth, int may_be_i)
{
	if (may_be_i && r == c && r != D1 && gen_below(g->rng, 8) == 0)
		return expr_make(g->p, E_IDENT, NULL, 0);
	return gen(g, r, c, depth);
}

/* f1 f2 (f3): inner dimensions that agree (1 makes an outer product or a
 * scaling). */
static const Expr *op_product(Gen *g, unsigned r, unsigned c, int depth)
{
	unsigned d[4] = { r }, n = 2 + gen_below(g->rng, 2);
	for (unsigned i = 1; i < n; i++) {
		do
			d[i] = random_dim(g);
		while (!supported(d[i - 1], d[i]) || (i == n - 1 && !supported(d[i], c)));
	}
	d[n] = c;
	const Expr *f[3];
	unsigned maybe_i = n == 2 ? gen_below(g->rng, 2) : n;   /* one I at most */
	for (unsigned i = 0; i < n; i++)
		f[i] = factor(g, d[i], d[i + 1], depth - 1, i == maybe_i);
	return expr_make(g->p, E_MUL, f, n);
}

/* e / s, s a scalar that is not the number 0 */
static const Expr *op_div(Gen *g, unsigned r, unsigned c, int depth)
{
	const Expr *s = gen(g, D1, D1, depth - 1);
	if (s->kind == E_NUM && mpq_sgn(s->u.num) == 0)
		s = expr_int(g->p, 2);
	return expr_binary(g->p, E_DIV, gen(g, r, c, depth - 1), s);
}

static const Expr *op_hadamard(Gen *g, unsigned r, unsigned c, int depth)
{
	const Expr *t[3];
	unsigned n = 2 + gen_below(g->rng, 2);
	for (unsigned i = 0; i < n; i++)
		t[i] = gen(g, r, c, depth - 1);
	return expr_make(g->p, E_HAD, t, n);
}

static const Expr *op_hdiv(Gen *g, unsigned r, unsigned c, int depth)
{
	return expr_binary(g->p, E_HDIV, gen(g, r, c, depth - 1), gen(g, r, c, depth - 1));
}

/* kron(P, Q) of shape r x c: the symbols of r and of c shared out between P
 * and Q; sometimes a scalar operand too: kron(P, alpha, Q). */
static const Expr *op_kron(Gen *g, unsigned r, unsigned c, int depth)
{
	for (int tries = 0; tries < 4; tries++) {
		unsigned r1 = r & random_dim(g), c1 = c & random_dim(g);
		if (!supported(r1, c1) || !supported(r ^ r1, c ^ c1))
			continue;
		const Expr *k[3];
		unsigned n = 0;
		k[n++] = gen(g, r1, c1, depth - 1);
		if (gen_below(g->rng, 4) == 0)
			k[n++] = gen(g, D1, D1, depth - 1);
		k[n++] = gen(g, r ^ r1, c ^ c1, depth - 1);
		return expr_make(g->p, E_KRON, k, n);
	}
	return NULL;
}

/* P^T, and X^-T for square X */
static const Expr *op_trans(Gen *g, unsigned r, unsigned c, int depth)
{
	const Expr *a = gen(g, c, r, depth - 1);
	if (r == c && gen_below(g->rng, 3) == 0)
		a = expr_unary(g->p, E_INV, a);
	return expr_unary(g->p, E_TRANS, a);
}

static const Expr *op_inv(Gen *g, unsigned r, unsigned c, int depth)
{
	return r == c ? expr_unary(g->p, E_INV, gen(g, r, c, depth - 1)) : NULL;
}

/* X^k for square X, k an integer; s^q for a scalar s, q rational. */
static const Expr *op_pow(Gen *g, unsigned r, unsigned c, int depth)
{
	static const char *const ks[] = { "2", "3", "-2", "0", "1/2", "-1/2", "3/2", "-1" };
	if (r != c)
		return NULL;
	mpq_t q;
	mpq_init(q);
	mpq_set_str(q, ks[gen_below(g->rng, r == D1 ? 8 : 4)], 10);
	mpq_canonicalize(q);
	const Expr *k = expr_num(g->p, q);
	mpq_clear(q);
	return expr_binary(g->p, E_POW, gen(g, r, c, depth - 1), k);
}

/* P .^ s: the exponent a number or a small scalar expression */
static const Expr *op_epow(Gen *g, unsigned r, unsigned c, int depth)
{
	const Expr *s = gen_below(g->rng, 2) ? number(g) : gen(g, D1, D1, depth > 1 ? 1 : 0);
	return expr_binary(g->p, E_EPOW, gen(g, r, c, depth - 1), s);
}

static const Expr *op_elementwise(Gen *g, unsigned r, unsigned c, int depth)
{
	FuncId fn = (FuncId)(F_FIRST_ELEMENTWISE + gen_below(g->rng, F_COUNT - F_FIRST_ELEMENTWISE));
	return expr_func(g->p, fn, gen(g, r, c, depth - 1));
}

/* tr, det, logdet of a square operand; sum or logsumexp of any; the sum
 * of a softmax; norm of a vector or a matrix (not a scalar); a residual
 * norm ||h - v|| or its square, and a skew penalty ||X - X^T||^2, which
 * have special points (tests/unit/points.h). */
static const Expr *op_scalar_func(Gen *g, unsigned r, unsigned c, int depth)
{
	static const FuncId square[] = { F_TR, F_DET, F_LOGDET };
	if (r != D1 || c != D1)
		return NULL;
	unsigned a = random_dim(g), b = random_dim(g);
	switch (gen_below(g->rng, 6)) {
	case 4: {   /* a residual, ||h - v||^2 or ||h - v||: zero at v = h */
		unsigned k = 1 + gen_below(g->rng, sizeof variables / sizeof variables[0] - 1);   /* not a scalar */
		a = variables[k].r, b = variables[k].c;
		const Expr *v = variable(g, a, b);
		const Expr *r2 = expr_func(g->p, F_NORM, expr_binary(g->p, E_ADD, gen(g, a, b, depth - 1),
								      expr_unary(g->p, E_NEG, v)));
		return gen_below(g->rng, 2) ? expr_binary(g->p, E_POW, r2, expr_int(g->p, 2)) : r2;
	}
	case 5: {   /* a skew penalty ||X - X^T||^2, X square: zero at X symmetric */
		unsigned sq = gen_below(g->rng, 2) ? DN : DM;
		const Expr *x = variable(g, sq, sq);
		const Expr *d = expr_binary(g->p, E_ADD, x, expr_unary(g->p, E_NEG, expr_unary(g->p, E_TRANS, x)));
		return expr_binary(g->p, E_POW, expr_func(g->p, F_NORM, d), expr_int(g->p, 2));
	}
	case 0:
		a = a ? a : DN;
		return expr_func(g->p, square[gen_below(g->rng, 3)], gen(g, a, a, depth - 1));
	case 1:
		b = supported(a, b) ? b : D1;
		return expr_func(g->p, gen_below(g->rng, 2) ? F_SUM : F_LOGSUMEXP, gen(g, a, b, depth - 1));
	case 2:   /* sum(softmax(z)) is 1: a softmax in a scalar context */
		a = a ? a : DM;
		return expr_func(g->p, F_SUM, expr_func(g->p, F_SOFTMAX, gen(g, a, D1, depth - 1)));
	default:
		a = a ? a : DM;
		b = supported(a, b) ? b : D1;
		return expr_func(g->p, F_NORM, gen(g, a, b, depth - 1));
	}
}

/* diag(x) is square, diag(X) a vector. */
static const Expr *op_diag(Gen *g, unsigned r, unsigned c, int depth)
{
	if (r == D1)
		return NULL;
	if (c == D1)
		return expr_func(g->p, F_DIAG, gen(g, r, r, depth - 1));
	if (r == c)
		return expr_func(g->p, F_DIAG, gen(g, r, D1, depth - 1));
	return NULL;
}

/* softmax(z) of a column */
static const Expr *op_softmax(Gen *g, unsigned r, unsigned c, int depth)
{
	if (c != D1 || r == D1)
		return NULL;
	return expr_func(g->p, F_SOFTMAX, gen(g, r, D1, depth - 1));
}

/* vec(P) with P a x b, ab = r */
static const Expr *op_vec(Gen *g, unsigned r, unsigned c, int depth)
{
	if (c != D1)
		return NULL;
	unsigned a = r & random_dim(g);
	if (!supported(a, r ^ a))
		a = r;
	return expr_func(g->p, F_VEC, gen(g, a, r ^ a, depth - 1));
}

static const GenOp ops[] = {
	op_sum, op_neg, op_product, op_product, op_div, op_hadamard, op_hdiv, op_kron,
	op_trans, op_inv, op_pow, op_epow, op_elementwise, op_scalar_func, op_scalar_func,
	op_diag, op_vec, op_softmax,
};

/* An expression of shape r x c: a leaf at depth 0 (and now and then before). */
static const Expr *gen(Gen *g, unsigned r, unsigned c, int depth)
{
	if (depth <= 0 || gen_below(g->rng, 4) == 0)
		return leaf(g, r, c);
	for (;;) {
		const Expr *e = ops[gen_below(g->rng, sizeof ops / sizeof ops[0])](g, r, c, depth);
		if (e)
			return e;
	}
}

const Expr *gen_expr(Pool *p, GenRng *rng, int depth)
{
	static const unsigned targets[][2] = {
		{ D1, D1 }, { DN, D1 }, { DM, DN }, { DN, DN }, { DN, DM },
	};
	Gen g = { p, rng };
	unsigned t = gen_below(rng, sizeof targets / sizeof targets[0]);
	return gen(&g, targets[t][0], targets[t][1], depth);
}

/* --- compositions: deep and narrow, as networks are --- */

/* A square or rectangular variable taking a column of dims d to one of
 * dims *to: S or R (n x n), W or M (m x m), A or B (n -> m), C or D
 * (m -> n). */
static const Expr *layer_matrix(Gen *g, unsigned d, unsigned *to)
{
	*to = gen_below(g->rng, 2) ? d : (d == DN ? DM : DN);
	return variable(g, *to, d);
}

/* One layer around h, a column of dims *d (n or m).  The element-wise
 * functions are the bounded or smooth ones, so that twelve of them in a
 * row stay finite on random instances, and relu: rules about relu and its
 * step (relu_under_step) need relu networks to be tested on. */
static const Expr *layer(Gen *g, const Expr *h, unsigned *d)
{
	static const FuncId smooth[] = { F_TANH, F_SIGMOID, F_SIN, F_COS, F_SOFTPLUS, F_RELU };
	FuncId f = smooth[gen_below(g->rng, sizeof smooth / sizeof smooth[0])];
	unsigned to;
	switch (gen_below(g->rng, 7)) {
	case 0: case 1: {   /* f(M h) */
		const Expr *m = layer_matrix(g, *d, &to);
		*d = to;
		return expr_func(g->p, f, expr_binary(g->p, E_MUL, m, h));
	}
	case 2: {           /* f(M h + b) */
		const Expr *m = layer_matrix(g, *d, &to);
		*d = to;
		return expr_func(g->p, f, expr_binary(g->p, E_ADD, expr_binary(g->p, E_MUL, m, h),
						       variable(g, to, D1)));
	}
	case 3:             /* h .* y */
		return expr_binary(g->p, E_HAD, h, variable(g, *d, D1));
	case 4:             /* alpha h */
		return expr_binary(g->p, E_MUL, variable(g, D1, D1), h);
	case 5:             /* softmax(h) */
		return expr_func(g->p, F_SOFTMAX, h);
	default:            /* f(h) */
		return expr_func(g->p, f, h);
	}
}

const Expr *gen_composition(Pool *p, GenRng *rng, int depth)
{
	Gen g = { p, rng };
	unsigned d = gen_below(rng, 2) ? DN : DM;
	const Expr *h = variable(&g, d, D1);
	for (int i = 0; i < depth; i++)
		h = layer(&g, h, &d);
	switch (gen_below(rng, 5)) {
	case 0:
		return expr_func(p, F_SUM, h);
	case 1:   /* ||h - y||^2 */
		return expr_binary(p, E_POW, expr_func(p, F_NORM, expr_binary(p, E_ADD, h,
							expr_unary(p, E_NEG, variable(&g, d, D1)))),
				   expr_int(p, 2));
	case 2:   /* y^T h */
		return expr_binary(p, E_MUL, expr_unary(p, E_TRANS, variable(&g, d, D1)), h);
	case 3:
		return expr_func(p, F_LOGSUMEXP, h);
	default:  /* the column itself: a Jacobian */
		return h;
	}
}
