/* canon_normal.c: from an expression to the normal form: canon() and the
 * rules it applies on the way (inverses, determinants, traces, functions,
 * element-wise products as products of element-wise powers). */
#include "canon_impl.h"
#include "func.h"

/* A factor of a Hadamard product as a power of a base: x .^ 2 is x to 2,
 * x ./ y is x and y to -1.  Whole powers only: (x .^ 2) .^ (1/2) is |x|. */
typedef struct {
	const Expr *base;
	long exp;
} HPow;

typedef struct {
	HPow *v;
	unsigned n, cap;
} HPows;

static const Expr **summands(Canon *c, const Expr *e, size_t *count);
static const Expr *ones_sum(const Expr *h, unsigned *at, unsigned skip, int any);
static const Poly *ones_expanded(Canon *c, const Poly *q, unsigned skip);
static const Poly *sums_expanded(Canon *c, const Poly *q);
static const Poly *canon_sum(Canon *c, const Expr *e);
static const Poly *canon_product(Canon *c, const Expr *e);
static const Expr *powers_joined(Canon *c, const Expr *e);
static unsigned best_rotation(Canon *c, const Expr *p);
static const Poly *reciprocal(Canon *c, const Poly *s);
static int cancels(const Term *t);
static int all_square(Canon *c, const Term *t);
static const Poly *canon_inverse(Canon *c, const Expr *e);
static const Poly *pull_scalars(Canon *c, const Poly *a, const Expr **rest);
static int all_ones(const Expr *e);
static int qsort_expr(const void *x, const void *y);
static unsigned hadamard_logistic(Canon *c, const Expr **a, unsigned n);
static unsigned hadamard_kinks(const Expr **a, unsigned n);
static const Poly *outer_vec(Canon *c, const Expr *a);
static const Expr *outer_kron(Canon *c, const Expr *const *a, unsigned n);
static const Expr *scaled_by(Canon *c, const Term *t, const Expr *d);
static void hpow_add(Canon *c, HPows *h, const Expr *f, long k);
static int hpow_sane(long k);
static void logistic_powers(Canon *c, HPows *h);
static int qsort_hpow(const void *x, const void *y);
static const Expr *hpow_side(Canon *c, const HPows *h, int sign);
static const Expr *ones_of(Canon *c, Shape sh);
static const Expr *hadamard_monomial(Canon *c, const Expr *const *a, unsigned n, Shape sh);
static const Poly *canon_nary_atom(Canon *c, const Expr *e);
static const Poly *trace_chain(Canon *c, const Term *t);
static const Poly *canon_trace(Canon *c, const Expr *e);
static const Poly *canon_vec(Canon *c, const Expr *e);
static const Expr *ones_sandwich(Canon *c, const Expr *a);
static const Poly *canon_func(Canon *c, const Expr *e);
static const Poly *canon_pow(Canon *c, const Expr *e);
static const Poly *canon_elementwise(Canon *c, const Expr *e);
static const Poly *canon_constant(Canon *c, const Expr *e);
static const Poly *compute(Canon *c, const Expr *e);

/* --- from expressions to the normal form --- */

/* The summands of a sum, nested sums opened (without recursion, so a sum
 * built as ((a + b) + c) + ... of any depth is one flat list). */
static const Expr **summands(Canon *c, const Expr *e, size_t *count)
{
	size_t cap = 64, n = 0, top = 0, stcap = 64;
	const Expr **out = mem_alloc(cap * sizeof *out), **stack = mem_alloc(stcap * sizeof *stack);
	stack[top++] = e;
	while (top) {
		const Expr *x = stack[--top];
		if (x->kind != E_ADD) {
			if (n == cap)
				out = mem_realloc(out, (cap *= 2) * sizeof *out);
			out[n++] = x;
			continue;
		}
		for (unsigned i = x->nargs; i-- > 0;) {   /* pushed in reverse: popped in order */
			if (top == stcap)
				stack = mem_realloc(stack, (stcap *= 2) * sizeof *stack);
			stack[top++] = x->args[i];
		}
	}
	mem_free(stack);
	const Expr **r = alloc(c, n * sizeof *r);
	copy(r, out, n * sizeof *r);
	mem_free(out);
	*count = n;
	return r;
}

/* The sum of (1 - y) in s .* (1 - y), or of (c ones + r.^2) in r .* (c
 * ones + r.^2) (any sum, unless only sums with ones are asked for): the
 * element-wise factor that a Hadamard product keeps whole, unless its
 * terms cancel against others (r .* (c ones + r.^2) - r.^3 is c r, the
 * Geman-McClure loss's gradient over one denominator).  The skip-th. */
static const Expr *ones_sum(const Expr *h, unsigned *at, unsigned skip, int any)
{
	if (h->kind == E_TRANS)
		h = h->args[0];
	if (h->kind != E_HAD)
		return NULL;
	for (unsigned i = 0; i < h->nargs; i++) {
		const Expr *a = h->args[i];
		int ones = 0;
		for (unsigned j = 0; a->kind == E_ADD && j < a->nargs; j++)   /* 1 - y, or y - 1 */
			ones |= all_ones(a->args[j]) || (a->args[j]->kind == E_NEG && all_ones(a->args[j]->args[0]));
		if (a->kind == E_ADD && (any || ones) && skip-- == 0) {
			*at = i;
			return a;
		}
	}
	return NULL;
}

/* q with every s .* (1 - y) multiplied out, s .* 1 being s: in a sum
 * where the terms then cancel (y .* s - y + s .* (1 - y) is s - y).  The
 * sum multiplied out is a Hadamard product's skip-th (from 0). */
static const Poly *ones_expanded(Canon *c, const Poly *q, unsigned skip)
{
	int any = 0;   /* most sums have none: no work for them */
	for (unsigned i = 0; i < q->n && !any; i++)
		for (unsigned j = 0; j < q->t[i].nmat && !any; j++) {
			unsigned at;
			any = ones_sum(q->t[i].mat[j], &at, skip, !c->expanding) != NULL;
		}
	if (!any)
		return q;
	const Poly **expanded = alloc(c, q->n * sizeof *expanded);
	unsigned total = 0;
	int changed = 0;
	for (unsigned i = 0; i < q->n; i++) {
		const Term *t = &q->t[i];
		const Poly *term = poly_new(c, copy(alloc(c, sizeof *t), t, sizeof *t), 1);
		int done = 0;   /* one factor a term: the canon of the rest does the others */
		for (unsigned j = 0; j < t->nmat && !done; j++) {
			unsigned at;
			const Expr *sum = ones_sum(t->mat[j], &at, skip, !c->expanding);
			if (!sum)
				continue;
			const Expr *h = t->mat[j]->kind == E_TRANS ? t->mat[j]->args[0] : t->mat[j];
			const Expr **parts = alloc(c, sum->nargs * sizeof *parts);
			for (unsigned k = 0; k < sum->nargs; k++) {
				const Expr **f = alloc(c, h->nargs * sizeof *f);
				copy(f, h->args, h->nargs * sizeof *f);
				f[at] = sum->args[k];
				parts[k] = expr_make(c->p, E_HAD, f, h->nargs);
			}
			const Expr *whole = expr_make(c->p, E_ADD, parts, sum->nargs);
			const Expr **m = alloc(c, t->nmat * sizeof *m);
			copy(m, t->mat, t->nmat * sizeof *m);
			m[j] = t->mat[j]->kind == E_TRANS ? expr_unary(c->p, E_TRANS, whole) : whole;
			Term nt = *t;
			nt.mat = m;
			term = poly_new(c, copy(alloc(c, sizeof nt), &nt, sizeof nt), 1);
			/* one level for sums without ones: (a1 + b1) .* ... .* (a10
			 * + b10) would otherwise be multiplied out 2^10 times over */
			c->expanding++;
			term = canon(c, to_expr(c, term));
			c->expanding--;
			changed = done = 1;
		}
		expanded[i] = term;
		total += term->n;
	}
	if (!changed)
		return q;
	Term *t = alloc(c, (total + 1) * sizeof *t);   /* one collection, not one per term */
	unsigned k = 0;
	for (unsigned i = 0; i < q->n; i++) {
		copy(t + k, expanded[i]->t, expanded[i]->n * sizeof *t);
		k += expanded[i]->n;
	}
	const Poly *r = poly_new(c, t, k);
	/* only where terms cancelled, and the sum is no longer in terms */
	return r->n < total && r->n <= q->n ? r : q;
}

static const Poly *canon_sum(Canon *c, const Expr *e)
{
	size_t m;
	const Expr **kid = summands(c, e, &m);
	const Poly **kids = alloc(c, m * sizeof *kids);
	size_t n = 0;
	for (size_t i = 0; i < m; i++) {
		kids[i] = canon(c, kid[i]);
		n += kids[i]->n;
	}
	Term *t = alloc(c, n * sizeof *t);
	size_t k = 0;
	for (size_t i = 0; i < m; i++) {
		copy(t + k, kids[i]->t, kids[i]->n * sizeof *t);
		k += kids[i]->n;
	}
	const Poly *q = poly_new(c, t, (unsigned)n);
	for (unsigned skip = 0; skip < 2 && q->n > 1; skip++) {   /* the first sum of a .*, or the second */
		const Poly *x = ones_expanded(c, q, skip);
		if (x != q) {
			q = x;
			break;
		}
	}
	return q->n > 1 ? sums_expanded(c, q) : q;
}

/* A factor of a term that is a sum kept whole (poly_mul's opaque), as its
 * polynomial, or NULL: a sum, a transposed one, or a scalar sum to a
 * small whole power. */
static const Poly *sum_factor(Canon *c, const Expr *m, const Expr *k)
{
	const Expr *s = m->kind == E_TRANS ? m->args[0] : m;
	if ((s->kind != E_ADD && s->kind != E_MUL) ||
	    (k && (!small_whole(k) || num_sign(k) < 0 || mpz_cmp_ui(mpq_numref(k->u.num), 3) > 0)))
		return NULL;
	const Poly *q = canon(c, m);   /* t2 (sqrt(3) + r) is a sum too */
	if (q->n < 2)
		return NULL;
	const Poly *base = q;
	for (long i = 1; k && i < mpz_get_si(mpq_numref(k->u.num)); i++) {
		if ((size_t)q->n * base->n > EXPAND_MAX)
			return NULL;
		q = poly_mul_out(c, q, base);
	}
	return q;
}

/* One term with its sums multiplied out, or NULL when it has none or
 * would have more than EXPAND_MAX terms. */
static const Poly *term_multiplied_out(Canon *c, const Term *t)
{
	const Poly *r = poly_num(c, t->coef);
	int any = 0;
	for (unsigned i = 0; i < t->nsc; i++) {
		const Poly *f = sum_factor(c, t->sc[i].atom, t->sc[i].exp);
		if (f)
			any = 1;
		else {
			Term *u = alloc(c, sizeof *u);
			*u = (Term){ one(c), 1, 0, &t->sc[i], NULL };
			f = poly_new(c, u, 1);
		}
		if ((size_t)r->n * f->n > EXPAND_MAX)
			return NULL;
		r = poly_mul_out(c, r, f);
	}
	for (unsigned i = 0; i < t->nmat; i++) {
		const Poly *f = sum_factor(c, t->mat[i], NULL);
		any |= f != NULL;
		if (!f)
			f = poly_atom(c, t->mat[i]);
		if ((size_t)r->n * f->n > EXPAND_MAX)
			return NULL;
		r = poly_mul_out(c, r, f);
	}
	return any ? r : NULL;
}

/* q with the sums its terms keep whole multiplied out, one level: where
 * terms then cancel, e (sqrt(3) + 3 r / rho) (y - x) + sqrt(3) e (x - y) is
 * 3 e r (y - x) / rho, and a kernel's gradient is defined where r = 0.
 * q itself unless terms met and the sum is no longer in terms. */
static const Poly *sums_expanded(Canon *c, const Poly *q)
{
	const Poly *r = poly_zero(c);
	int any = 0;
	size_t parts = 0;
	for (unsigned i = 0; i < q->n; i++) {
		const Poly *x = term_multiplied_out(c, &q->t[i]);
		if (x)
			any = 1;
		else
			x = poly_new(c, copy(alloc(c, sizeof q->t[i]), &q->t[i], sizeof q->t[i]), 1);
		parts += x->n;
		r = poly_add(c, r, x);
		if (r->n > 4 * EXPAND_MAX)
			return q;
	}
	/* only where terms met: as many terms as q, but fewer than the parts */
	return any && r->n <= q->n && r->n < parts ? r : q;
}

/* Products: a 1 x 1 factor scales; the rest multiply in order. */
static const Poly *canon_product(Canon *c, const Expr *e)
{
	const Poly *r = poly_num(c, one(c));
	e = powers_joined(c, e);
	for (unsigned i = 0; i < e->nargs; i++)
		r = poly_mul(c, r, canon(c, e->args[i]));
	return r;
}

enum { JOIN_MAX = 4096 };   /* powers joined up to this exponent */
static const long HPOW_MAX = 1L << 40;   /* element-wise exponents are combined up to this */

/* A square matrix factor as base^k (power_parts: X is X^1, X^-1 is
 * X^-1); NULL for any other factor. */
static const Expr *power_base(Canon *c, const Expr *f, long *k)
{
	const Expr *b;
	*k = power_parts(f, &b);
	if (b->kind == E_IDENT || b->kind == E_COMM)   /* I I is I: merge_powers' business */
		return NULL;
	if (*k > JOIN_MAX || *k < -JOIN_MAX)   /* their sum stays a sane long */
		return NULL;
	Shape sh = shape(c, b);
	return sh.rows == sh.cols && !dim_is_one(sh.rows) ? b : NULL;
}

/* Neighbouring factors that are powers of one square matrix as one power,
 * before anything is multiplied out: X X B is X^2 B, with X = A + theta B
 * a sum that X B would otherwise expand (and tr(X X B) would not meet
 * tr(B X^2)).  e itself when there are none. */
static const Expr *powers_joined(Canon *c, const Expr *e)
{
	const Expr **f = alloc(c, e->nargs * sizeof *f);
	unsigned n = 0;
	int joined = 0;
	long kp = 0, k;
	const Expr *bp = NULL;
	for (unsigned i = 0; i < e->nargs; i++) {
		const Expr *b = power_base(c, e->args[i], &k);
		if (b && b == bp && n) {
			kp += k;
			f[n - 1] = kp == 0 ? identity(c, shape(c, b).rows) : kp == 1 ? b
				   : expr_binary(c->p, E_POW, b, expr_int(c->p, kp));
			joined = 1;
			if (kp == 0)
				bp = NULL;
			continue;
		}
		f[n++] = e->args[i];
		bp = b, kp = k;
	}
	if (!joined)
		return e;
	return n == 1 ? expr_make(c->p, E_MUL, f, 1) : expr_make(c->p, E_MUL, f, n);
}

/* The rotation of a traced product whose neighbours share most bases (tr(X
 * B X) is tr(X X B)): cyclic, so equal, and its powers join; 0 on a tie. */
static unsigned best_rotation(Canon *c, const Expr *p)
{
	unsigned n = p->nargs, best = 0;
	long k;
	const Expr **b = alloc(c, n * sizeof *b);
	for (unsigned i = 0; i < n; i++)
		b[i] = power_base(c, p->args[i], &k);
	int best_score = -1;
	for (unsigned r = 0; r < n; r++) {
		int score = 0;
		for (unsigned i = 0; i + 1 < n; i++) {
			const Expr *x = b[(r + i) % n], *y = b[(r + i + 1) % n];
			score += x && x == y;
		}
		if (score > best_score)
			best_score = score, best = r;
	}
	return best;
}

/* 1 / s for a scalar s: exponents negated when s is one term. */
static const Poly *reciprocal(Canon *c, const Poly *s)
{
	return poly_pow_scalar(c, s, expr_int(c->p, -1));
}

/* A matrix inverse: (c S M)^-1 = c^-1 S^-1 M^-1 for one factor M,
 * (X^-1)^-1 = X, (X^T)^-1 = X^-T, I^-1 = I. */
/* A chain with both X and X^-1 among its factors: its determinant splits
 * into determinants that cancel (det(X^-1 A X) = det(A)); otherwise
 * det(A X B) reads better whole. */
static int cancels(const Term *t)
{
	for (unsigned i = 0; i < t->nmat; i++)
		for (unsigned j = 0; j < t->nmat; j++)
			if (t->mat[i]->kind == E_INV && t->mat[i]->args[0] == t->mat[j])
				return 1;
	return 0;
}

static int all_square(Canon *c, const Term *t)
{
	for (unsigned i = 0; i < t->nmat; i++) {
		Shape sh = shape(c, t->mat[i]);
		if (sh.rows != sh.cols)
			return 0;
	}
	return 1;
}

static const Poly *canon_inverse(Canon *c, const Expr *e)
{
	const Poly *a = canon(c, e->args[0]);
	if (is_scalar(c, e))
		return reciprocal(c, a);
	if (a->n == 0)   /* a singular zero: kept as written */
		return poly_atom(c, expr_unary(c->p, E_INV, shape_zero(c->p, shape(c, e))));
	if (a->n == 1 && a->t[0].nmat > 1 && all_square(c, &a->t[0])) {
		/* (A X B)^-1 = B^-1 X^-1 A^-1 when every factor is square, so
		 * that B (A X B)^-1 A cancels to X^-1 */
		const Term *t = &a->t[0];
		Term sc = { t->coef, t->nsc, 0, t->sc, NULL };
		const Poly *r = reciprocal(c, poly_new(c, copy(alloc(c, sizeof sc), &sc, sizeof sc), 1));
		for (unsigned k = t->nmat; k-- > 0;)
			r = poly_mul(c, r, canon(c, expr_unary(c->p, E_INV, t->mat[k])));
		return r;
	}
	if (a->n != 1 || a->t[0].nmat != 1) {
		const Expr *m = to_expr(c, a);   /* (A^T + B^T)^-1 is (A + B)^-T */
		if (m->kind == E_TRANS)
			return poly_atom(c, expr_unary(c->p, E_TRANS, expr_unary(c->p, E_INV, m->args[0])));
		const Expr *mt = transposed_expr(c, m);
		if (count_transposes(mt) < count_transposes(m))
			return poly_atom(c, expr_unary(c->p, E_TRANS, expr_unary(c->p, E_INV, mt)));
		return poly_atom(c, expr_unary(c->p, E_INV, m));
	}
	const Term *t = &a->t[0];
	Term sc = { t->coef, t->nsc, 0, t->sc, NULL };
	const Poly *s = reciprocal(c, poly_new(c, copy(alloc(c, sizeof sc), &sc, sizeof sc), 1));
	const Expr *m = t->mat[0], *inv;
	if (m->kind == E_INV)
		inv = m->args[0];
	else if (m->kind == E_POW)   /* (X^k)^-1 = X^-k */
		inv = expr_binary(c->p, E_POW, m->args[0], num_op(c, m->args[1], NULL, '-'));
	else if (m->kind == E_IDENT)
		inv = m;
	else if (m->kind == E_TRANS && m->args[0]->kind == E_INV)   /* (X^-T)^-1 = X^T */
		inv = expr_unary(c->p, E_TRANS, m->args[0]->args[0]);
	else if (m->kind == E_TRANS)
		inv = expr_unary(c->p, E_TRANS, expr_unary(c->p, E_INV, m->args[0]));
	else
		inv = expr_unary(c->p, E_INV, m);
	return poly_mul(c, s, poly_atom(c, inv));
}

/* The canonical operand of an atom, as an expression (zero as 0). */

const Expr *operand(Canon *c, const Expr *e)
{
	const Expr *r = lead_minus(c, to_expr(c, canon(c, e)));
	return r ? r : shape_zero(c->p, shape(c, e));
}

/* Pull an operand's scalar part out when all its terms have one chain M:
 * f(c S M) -> c S, M, and ((1 - tau) ones) .* u is (1 - tau) u. */
static const Poly *pull_scalars(Canon *c, const Poly *a, const Expr **rest)
{
	*rest = NULL;
	if (a->n == 0 || a->t[0].nmat == 0)
		return NULL;
	const Term *t = &a->t[0];
	for (unsigned i = 1; i < a->n; i++) {
		if (a->t[i].nmat != t->nmat)
			return NULL;
		for (unsigned j = 0; j < t->nmat; j++)
			if (a->t[i].mat[j] != t->mat[j])
				return NULL;
	}
	Term *sc = alloc(c, a->n * sizeof *sc);
	for (unsigned i = 0; i < a->n; i++)
		sc[i] = (Term){ a->t[i].coef, a->t[i].nsc, 0, a->t[i].sc, NULL };
	Term *m = alloc(c, sizeof *m);
	*m = (Term){ one(c), 0, t->nmat, NULL, t->mat };
	*rest = to_expr(c, poly_new(c, m, 1));
	return poly_new(c, sc, a->n);
}

/* ones, or ones_m ones_n^T: all ones, the identity of .* */
static int all_ones(const Expr *e)
{
	if (e->kind == E_ONES || (e->kind == E_TRANS && e->args[0]->kind == E_ONES))
		return 1;
	return e->kind == E_MUL && e->nargs == 2 && e->args[0]->kind == E_ONES &&
	       e->args[1]->kind == E_TRANS && e->args[1]->args[0]->kind == E_ONES;
}

static int qsort_expr(const void *x, const void *y)
{
	return expr_cmp(*(const Expr *const *)x, *(const Expr *const *)y);
}

/* relu(z) .* step(z) = relu(z) (relu' is step, and the two meet in
 * every chain rule through relu), a positive power of relu(z) alike;
 * returns the new count. */
static unsigned hadamard_kinks(const Expr **a, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		if (a[i]->kind != E_FUNC || a[i]->fn != F_STEP)
			continue;
		for (unsigned j = 0; j < n; j++) {
			const Expr *r = a[j];
			if (r->kind == E_EPOW && r->args[1]->kind == E_NUM && mpq_sgn(r->args[1]->u.num) > 0)
				r = r->args[0];
			if (r->kind == E_FUNC && r->fn == F_RELU && r->args[0] == a[i]->args[0]) {
				memmove(a + i, a + i + 1, (n - i - 1) * sizeof *a);
				return hadamard_kinks(a, n - 1);
			}
		}
	}
	return n;
}

/* e with every relu(u) in it replaced by u where e's entry i depends on
 * relu(u) only through its entry i: through element-wise operations, not
 * into a matrix product (W relu(u) mixes the entries) or a scalar factor
 * (sum(relu(u)) holds them all). */
static const Expr *relu_opened(Canon *c, const Expr *e, const Expr *u)
{
	if (e->kind == E_FUNC && e->fn == F_RELU && e->args[0] == u)
		return u;
	int elementwise = e->kind == E_ADD || e->kind == E_NEG || e->kind == E_HAD || e->kind == E_HDIV ||
			  e->kind == E_EPOW || e->kind == E_MUL || e->kind == E_DIV ||
			  (e->kind == E_FUNC && func_elementwise(e->fn));
	if (!elementwise || is_scalar(c, e))
		return e;
	const Expr **a = alloc(c, e->nargs * sizeof *a);
	int changed = 0;
	unsigned matrices = 0;
	for (unsigned i = 0; i < e->nargs; i++)
		matrices += !is_scalar(c, e->args[i]);
	for (unsigned i = 0; i < e->nargs; i++) {
		const Expr *x = e->args[i];
		/* a scalar factor, exponent or divisor stays; so does a product of matrices */
		int open = !is_scalar(c, x) && !(e->kind == E_MUL && matrices > 1) && !(e->kind == E_EPOW && i == 1);
		a[i] = open ? relu_opened(c, x, u) : x;
		changed |= a[i] != x;
	}
	return changed ? expr_rebuild(c->p, e, a) : e;
}

/* Beside step(u) in a .* product, relu(u) is u: where step(u) is 0 the
 * product is 0 whatever the rest, and where it is 1, u >= 0.  So ELU's
 * derivative alpha exp(-relu(-x)) .* step(-x) is alpha exp(x) .* step(-x).
 * The operands a[0..n) are rewritten in place, canonical again. */
static void relu_under_step(Canon *c, const Expr **a, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		if (a[i]->kind != E_FUNC || a[i]->fn != F_STEP)
			continue;
		for (unsigned j = 0; j < n; j++) {
			const Expr *r = j == i ? a[j] : relu_opened(c, a[j], a[i]->args[0]);
			if (r != a[j])
				a[j] = operand(c, r);
		}
	}
}

/* (ones ./ (ones + exp(z))) .* exp(z) = sigmoid(z), among the operands of
 * a Hadamard product; returns the new count. */
static unsigned hadamard_logistic(Canon *c, const Expr **a, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		const Expr *q = a[i];
		if (q->kind != E_HDIV || q->args[0]->kind != E_ONES || q->args[1]->kind != E_ADD ||
		    q->args[1]->nargs != 2 || q->args[1]->args[0]->kind != E_ONES)
			continue;
		const Expr *ez = q->args[1]->args[1];
		if (ez->kind != E_FUNC || ez->fn != F_EXP)
			continue;
		for (unsigned j = 0; j < n; j++)
			if (j != i && a[j] == ez) {
				a[i] = expr_func(c->p, F_SIGMOID, ez->args[0]);
				memmove(a + j, a + j + 1, (n - j - 1) * sizeof *a);
				return hadamard_logistic(c, a, n - 1);
			}
	}
	return n;
}

/* --- .* as a product of element-wise powers --- */


/* Whether k is a sane exponent: sums and products of such fit a long, so
 * (((x.^4096).^4096) ...).^4096 cannot wrap around to x.^0. */
static int hpow_sane(long k)
{
	return k <= HPOW_MAX && k >= -HPOW_MAX;
}

static void hpow_add(Canon *c, HPows *h, const Expr *f, long k)
{
	long kk;
	if (f->kind == E_EPOW && f->args[1]->kind == E_NUM && small_whole(f->args[1]) &&
	    !__builtin_mul_overflow(k, mpz_get_si(mpq_numref(f->args[1]->u.num)), &kk) && hpow_sane(kk)) {
		hpow_add(c, h, f->args[0], kk);
		return;
	}
	if (f->kind == E_HDIV) {
		hpow_add(c, h, f->args[0], k);
		hpow_add(c, h, f->args[1], -k);
		return;
	}
	if (f->kind == E_HAD) {
		for (unsigned i = 0; i < f->nargs; i++)
			hpow_add(c, h, f->args[i], k);
		return;
	}
	if (all_ones(f))
		return;   /* the identity of .* */
	for (unsigned i = 0; i < h->n; i++)
		if (h->v[i].base == f && hpow_sane(h->v[i].exp + k)) {   /* else a factor of its own */
			h->v[i].exp += k;
			return;
		}
	if (h->n == h->cap) {
		unsigned cap = h->cap ? 2 * h->cap : 8;
		h->v = arena_grow(pool_arena(c->p), h->v, h->cap * sizeof *h->v, cap * sizeof *h->v);
		h->cap = cap;
	}
	h->v[h->n++] = (HPow){ f, k };
}

static int qsort_hpow(const void *x, const void *y)
{
	return expr_cmp(((const HPow *)x)->base, ((const HPow *)y)->base);
}

/* The factors of one sign as a .* product; NULL if there are none. */
static const Expr *hpow_side(Canon *c, const HPows *h, int sign)
{
	const Expr **a = alloc(c, (h->n + 1) * sizeof *a);
	unsigned n = 0;
	for (unsigned i = 0; i < h->n; i++) {
		long k = h->v[i].exp * sign;
		if (k > 0)
			a[n++] = k == 1 ? h->v[i].base : expr_binary(c->p, E_EPOW, h->v[i].base, expr_int(c->p, k));
	}
	return n == 0 ? NULL : n == 1 ? a[0] : expr_make(c->p, E_HAD, a, n);
}

static const Expr *ones_of(Canon *c, Shape sh)
{
	if (dim_is_one(sh.rows) && !dim_is_one(sh.cols))   /* a row: ones_n^T */
		return expr_unary(c->p, E_TRANS, expr_make(c->p, E_ONES, &sh.cols, 1));
	const Expr *col = expr_make(c->p, E_ONES, &sh.rows, 1);
	if (dim_is_one(sh.cols))
		return col;
	const Expr *f[2] = { col, expr_unary(c->p, E_TRANS, expr_make(c->p, E_ONES, &sh.cols, 1)) };
	return expr_make(c->p, E_MUL, f, 2);
}

/* exp(z).^k ./ (ones + exp(z)).^k = sigmoid(z).^k, the powers paired as
 * far as they go: the quotient rule writes the logistic Hessian with
 * exp(z).^2 ./ (ones + exp(z)).^2. */
static void logistic_powers(Canon *c, HPows *h)
{
	for (unsigned i = 0; i < h->n; i++) {
		const Expr *ez = h->v[i].base;
		if (ez->kind != E_FUNC || ez->fn != F_EXP || h->v[i].exp <= 0)
			continue;
		for (unsigned j = 0; j < h->n; j++) {
			const Expr *d = h->v[j].base;
			if (h->v[j].exp >= 0 || d->kind != E_ADD || d->nargs != 2 || !all_ones(d->args[0]) ||
			    d->args[1] != ez)
				continue;
			long m = h->v[i].exp < -h->v[j].exp ? h->v[i].exp : -h->v[j].exp;
			h->v[i].exp -= m;
			h->v[j].exp += m;
			hpow_add(c, h, expr_func(c->p, F_SIGMOID, ez->args[0]), m);
			break;
		}
	}
}

/* x .* sign(x) = abs(x), element by element (0 at 0 too), paired as far
 * as the positive powers go: the softsign's derivative has x .* sign(x)
 * beside ones + abs(x). */
static void sign_pairs(Canon *c, HPows *h)
{
	for (unsigned i = 0; i < h->n; i++) {
		const Expr *sg = h->v[i].base;
		if (sg->kind != E_FUNC || sg->fn != F_SIGN || h->v[i].exp <= 0)
			continue;
		for (unsigned j = 0; j < h->n; j++) {
			if (h->v[j].base != sg->args[0] || h->v[j].exp <= 0)
				continue;
			long m = h->v[i].exp < h->v[j].exp ? h->v[i].exp : h->v[j].exp;
			h->v[i].exp -= m;
			h->v[j].exp -= m;
			hpow_add(c, h, expr_func(c->p, F_ABS, sg->args[0]), m);
			break;
		}
	}
}

/* The exponential of an E_FUNC exp's argument, or NULL. */
static const Expr *exp_arg(const Expr *e)
{
	return e->kind == E_FUNC && e->fn == F_EXP ? e->args[0] : NULL;
}

/* (exp(z) - exp(-z)) ./ (exp(z) + exp(-z)) = tanh(z), the definition, to
 * a power k on both sides: log-cosh's derivative is tanh.  The bases are
 * the two sums; z and -z are told apart by their canonical forms. */
static void tanh_pairs(Canon *c, HPows *h)
{
	for (unsigned i = 0; i < h->n; i++) {
		const Expr *nu = h->v[i].base, *a, *b;
		if (h->v[i].exp <= 0 || nu->kind != E_ADD || nu->nargs != 2 || nu->args[1]->kind != E_NEG ||
		    !(a = exp_arg(nu->args[0])) || !(b = exp_arg(nu->args[1]->args[0])))
			continue;
		if (operand(c, expr_unary(c->p, E_NEG, a)) != b)
			continue;
		for (unsigned j = 0; j < h->n; j++) {
			const Expr *de = h->v[j].base;
			if (h->v[j].exp != -h->v[i].exp || de->kind != E_ADD || de->nargs != 2 ||
			    !((de->args[0] == nu->args[0] && de->args[1] == nu->args[1]->args[0]) ||
			      (de->args[1] == nu->args[0] && de->args[0] == nu->args[1]->args[0])))
				continue;
			long k = h->v[i].exp;
			h->v[i].exp = h->v[j].exp = 0;
			hpow_add(c, h, expr_func(c->p, F_TANH, a), k);
			break;
		}
	}
}

/* u.^q .* sqrt(u).^k as one power: of u where 2 q + k is even, else of
 * sqrt(u) (exact wherever sqrt(u) is defined).  The smoothed l1 penalty's
 * Hessian has ones ./ s - w.^2 ./ s.^3 with s = sqrt(e ones + w.^2), which
 * over one divisor is (s.^2 - w.^2) ./ s.^3 = e ones ./ s.^3. */
static void sqrt_powers(HPows *h)
{
	for (unsigned i = 0; i < h->n; i++) {
		const Expr *b = h->v[i].base;
		if (b->kind != E_FUNC || b->fn != F_SQRT || h->v[i].exp == 0)
			continue;
		unsigned j = 0;
		while (j < h->n && h->v[j].base != b->args[0])
			j++;
		long q = j < h->n ? h->v[j].exp : 0, half = h->v[i].exp + 2 * q;
		if (!hpow_sane(half) || (j == h->n && half % 2))
			continue;   /* nothing to join */
		if (half % 2 == 0) {
			h->v[i].exp = 0;
			if (j < h->n)
				h->v[j].exp = half / 2;
			else
				h->v[i] = (HPow){ b->args[0], half / 2 };
		} else {
			h->v[i].exp = half;
			h->v[j].exp = 0;
		}
	}
}

/* The factors a[0..n) of a .* product, equal bases merged: x ./ x is
 * ones, p ./ (p ./ q) is q, x .* x is x .^ 2; what is left is a product
 * over a product (x .* y ./ z). */
static const Expr *hadamard_monomial(Canon *c, const Expr *const *a, unsigned n, Shape sh)
{
	HPows h = { 0 };
	for (unsigned i = 0; i < n; i++)
		hpow_add(c, &h, a[i], 1);
	logistic_powers(c, &h);
	sign_pairs(c, &h);
	tanh_pairs(c, &h);
	sqrt_powers(&h);
	sort(h.v, h.n, sizeof *h.v, qsort_hpow);
	const Expr *num = hpow_side(c, &h, 1), *den = hpow_side(c, &h, -1);
	if (!num)
		num = ones_of(c, sh);
	return den ? expr_binary(c->p, E_HDIV, num, den) : num;
}

/* kron and .*: operands canonical, scalars pulled out, 1 x 1 operands
 * multiplied in, nested products flattened; .* is also sorted, and
 * I_a kron I_b = I_ab. */
static const Poly *canon_nary_atom(Canon *c, const Expr *e)
{
	const Poly *scale = poly_num(c, one(c));
	const Expr *ones_kid = NULL;
	unsigned n = 0, cap = 2 * e->nargs + 8;   /* grows as nested chains are flattened */
	const Expr **a = alloc(c, cap * sizeof *a);
	for (unsigned i = 0; i < e->nargs; i++) {
		const Poly *q = canon(c, e->args[i]), *s;
		const Expr *rest;
		if (q->n == 0)
			return q;
		if (is_scalar(c, e->args[i]) && e->kind == E_KRON) {
			scale = poly_mul(c, scale, q);
			continue;
		}
		if ((s = pull_scalars(c, q, &rest))) {
			scale = poly_mul(c, scale, s);
		} else {
			rest = to_expr(c, q);
		}
		if (n + rest->nargs + (e->nargs - i) > cap) {   /* room for these and the rest */
			unsigned more = 2 * (n + rest->nargs + e->nargs - i);
			a = arena_grow(pool_arena(c->p), a, cap * sizeof *a, more * sizeof *a);
			cap = more;
		}
		if (rest->kind == e->kind) {
			for (unsigned j = 0; j < rest->nargs; j++)
				a[n++] = rest->args[j];
		} else if (e->kind == E_HAD && all_ones(rest)) {
			ones_kid = rest;   /* the identity of .*, unless nothing else is left */
		} else {
			a[n++] = rest;
		}
	}
	if (e->kind == E_HAD) {
		n = hadamard_kinks(a, hadamard_logistic(c, a, n));
		relu_under_step(c, a, n);
	}
	if (e->kind == E_KRON) {   /* I_a kron I_b = I_ab */
		unsigned k = 0;
		for (unsigned i = 0; i < n; i++) {
			if (k && is_identity(a[k - 1]) && is_identity(a[i])) {
				const Expr *d = dim_mul(c->p, a[k - 1]->args[0], a[i]->args[0]);
				a[k - 1] = expr_make(c->p, E_IDENT, &d, 1);
			} else {
				a[k++] = a[i];
			}
		}
		n = k;
	} else {
		sort(a, n, sizeof *a, qsort_expr);
	}
	if (n == 0 && ones_kid)
		a[n++] = ones_kid;
	if (n == 0)
		return scale;
	if (e->kind == E_HAD && (n > 1 || a[0]->kind == E_EPOW || a[0]->kind == E_HDIV)) {
		const Expr *m = hadamard_monomial(c, a, n, shape(c, e));
		if (m->kind != E_HAD && m->kind != E_HDIV)   /* one base left, or ones */
			return poly_mul(c, scale, canon(c, m));
		return poly_mul(c, scale, poly_atom(c, m));
	}
	if (n == 1)   /* kron(2 I - S, -1/3): one operand left, which may be a sum */
		return poly_mul(c, scale, canon(c, a[0]));
	const Expr *o = e->kind == E_KRON ? outer_kron(c, a, n) : NULL;
	if (o)
		return poly_mul(c, scale, canon(c, o));
	return poly_mul(c, scale, poly_atom(c, expr_make(c->p, e->kind, a, n)));
}

/* kron(v, u^T) and kron(u^T, v) are both the outer product v u^T, for a
 * column v and a row u^T: a chain, which meets the chains around it; NULL
 * for any other Kronecker product. */
static const Expr *outer_kron(Canon *c, const Expr *const *a, unsigned n)
{
	if (n != 2)
		return NULL;
	Shape s0 = shape(c, a[0]), s1 = shape(c, a[1]);
	int col0 = dim_is_one(s0.cols) && !dim_is_one(s0.rows), row0 = dim_is_one(s0.rows) && !dim_is_one(s0.cols);
	int col1 = dim_is_one(s1.cols) && !dim_is_one(s1.rows), row1 = dim_is_one(s1.rows) && !dim_is_one(s1.cols);
	if (col0 && row1)
		return expr_binary(c->p, E_MUL, a[0], a[1]);
	if (row0 && col1)
		return expr_binary(c->p, E_MUL, a[1], a[0]);
	return NULL;
}

/* tr: linear; tr of a 1 x 1 is itself; a chain is rotated to its least
 * rotation, or to one that is 1 x 1 (tr(A x x^T) = x^T A x). */
static const Poly *trace_chain(Canon *c, const Term *t)
{
	unsigned n = t->nmat, best = 0;
	int scalar_rotation = -1;
	for (unsigned r = 0; r < n; r++)
		if (dim_is_one(shape(c, t->mat[r]).rows) && scalar_rotation < 0)
			scalar_rotation = (int)r;
	for (unsigned r = 1; r < n && scalar_rotation < 0; r++)
		for (unsigned i = 0; i < n; i++) {
			int k = expr_cmp(t->mat[(r + i) % n], t->mat[(best + i) % n]);
			if (k < 0)
				best = r;
			if (k)
				break;
		}
	if (scalar_rotation >= 0)
		best = (unsigned)scalar_rotation;
	const Expr **m = alloc(c, n * sizeof *m);
	for (unsigned i = 0; i < n; i++)
		m[i] = t->mat[(best + i) % n];
	if (n == 1 && m[0]->kind == E_TRANS)   /* tr(X^T) = tr(X) */
		m[0] = m[0]->args[0];
	const Expr *prod = n == 1 ? m[0] : expr_make(c->p, E_MUL, m, n);
	Term sc = { t->coef, t->nsc, 0, t->sc, NULL };
	const Poly *s = poly_new(c, copy(alloc(c, sizeof sc), &sc, sizeof sc), 1);
	if (scalar_rotation >= 0)   /* the rotated chain is 1 x 1: no trace needed */
		return poly_mul(c, s, canon(c, prod));
	return poly_mul(c, s, poly_atom(c, expr_func(c->p, F_TR, prod)));
}

static const Poly *canon_trace(Canon *c, const Expr *e)
{
	const Expr *p = e->args[0];
	unsigned rot;
	if (p->kind == E_ADD && !is_scalar(c, p)) {   /* linear: each term rotated on its own */
		const Expr **f = alloc(c, p->nargs * sizeof *f);
		for (unsigned i = 0; i < p->nargs; i++)
			f[i] = expr_func(c->p, F_TR, p->args[i]);
		return canon(c, expr_make(c->p, E_ADD, f, p->nargs));
	}
	if (p->kind == E_MUL && p->nargs > 2 && (rot = best_rotation(c, p)) != 0) {
		const Expr **f = alloc(c, p->nargs * sizeof *f);
		for (unsigned i = 0; i < p->nargs; i++)
			f[i] = p->args[(rot + i) % p->nargs];
		return canon(c, expr_func(c->p, F_TR, expr_make(c->p, E_MUL, f, p->nargs)));
	}
	const Poly *a = canon(c, e->args[0]);
	if (is_scalar(c, e->args[0]))
		return a;
	const Poly *r = poly_zero(c);
	for (unsigned i = 0; i < a->n; i++) {
		const Term *t = &a->t[i];
		const Expr *d = t->nmat == 1 && is_identity(t->mat[0]) ? t->mat[0]->args[0] : NULL;
		if (d && d->nargs == 1 && d->args[0]->kind == E_NUM) {   /* tr(I_4) = 4 */
			Term *s = alloc(c, sizeof *s);
			*s = (Term){ num_op(c, t->coef, d->args[0], '*'), t->nsc, 0, t->sc, NULL };
			r = poly_add(c, r, poly_new(c, s, 1));
			continue;
		}
		r = poly_add(c, r, t->nmat ? trace_chain(c, t) : poly_zero(c));
	}
	return r;
}

/* vec: linear; vec of a column is itself, of a row its transpose. */
static const Poly *canon_vec(Canon *c, const Expr *e)
{
	const Expr *a = e->args[0];
	Shape as = shape(c, a);
	if (dim_is_one(as.cols))
		return canon(c, a);
	if (dim_is_one(as.rows))
		return poly_transpose(c, canon(c, a));
	const Poly *q = canon(c, a), *r = poly_zero(c);
	for (unsigned i = 0; i < q->n; i++) {
		Term one_term = q->t[i];
		const Expr *rest;
		const Poly *s = pull_scalars(c, poly_new(c, copy(alloc(c, sizeof one_term), &one_term,
								   sizeof one_term), 1), &rest);
		r = poly_add(c, r, poly_mul(c, s, outer_vec(c, rest)));
	}
	return r;
}

/* vec(u v^T) = v kron u (Magnus and Neudecker): for a chain that is a
 * column times a row, which the mixed product can then meet; vec(A) an
 * atom otherwise. */
static const Poly *outer_vec(Canon *c, const Expr *a)
{
	for (unsigned i = 1; a->kind == E_MUL && i < a->nargs; i++)
		if (dim_is_one(shape(c, a->args[i - 1]).cols)) {
			const Expr *u = i == 1 ? a->args[0] : expr_make(c->p, E_MUL, a->args, i);
			const Expr *v = i == a->nargs - 1 ? a->args[i] : expr_make(c->p, E_MUL, a->args + i, a->nargs - i);
			const Expr *f[2] = { expr_unary(c->p, E_TRANS, v), u };
			return canon(c, expr_make(c->p, E_KRON, f, 2));
		}
	return poly_atom(c, expr_func(c->p, F_VEC, a));
}

/* 1_m^T A 1_n for m x n A, without a side that is 1. */
static const Expr *ones_sandwich(Canon *c, const Expr *a)
{
	Shape as = shape(c, a);
	const Expr *f[3];
	unsigned n = 0;
	if (!dim_is_one(as.rows))
		f[n++] = expr_unary(c->p, E_TRANS, expr_make(c->p, E_ONES, &as.rows, 1));
	f[n++] = a;
	if (!dim_is_one(as.cols))
		f[n++] = expr_make(c->p, E_ONES, &as.cols, 1);
	return expr_make(c->p, E_MUL, f, n);
}

/* The vector of a diagonal factor: v for diag(v), v.^-1 for diag(v)^-1,
 * v.^k for diag(v)^k; NULL for any other factor. */
static const Expr *diagonal_vector(Canon *c, const Expr *m)
{
	const Expr *v;
	if ((v = diagonal_of(c, m)))
		return v;
	if (m->kind == E_INV && (v = diagonal_of(c, m->args[0])))
		return expr_binary(c->p, E_EPOW, v, expr_int(c->p, -1));
	if (m->kind == E_POW && (v = diagonal_of(c, m->args[0])))
		return expr_binary(c->p, E_EPOW, v, m->args[1]);
	return NULL;
}

static const Expr *chain_of(Canon *c, const Expr *const *m, unsigned n)
{
	return n == 0 ? NULL : n == 1 ? m[0] : expr_make(c->p, E_MUL, m, n);
}

/* The diagonal of one term's product through its first diagonal factor,
 * P diag(v) Q: (P .* Q^T) v (Horn and Johnson, Topics 5.1), diag(P) .* v,
 * v .* diag(Q) or v; else of an outer product u v^T, u .* v; times the
 * term's scalars.  NULL for any other term. */
static const Expr *diagonal_through(Canon *c, const Term *t)
{
	for (unsigned k = 0; k < t->nmat; k++) {
		const Expr *v = diagonal_vector(c, t->mat[k]);
		if (!v)
			continue;
		const Expr *p = chain_of(c, t->mat, k), *q = chain_of(c, t->mat + k + 1, t->nmat - k - 1);
		const Expr *d = p && q ? expr_binary(c->p, E_MUL, expr_binary(c->p, E_HAD, p, expr_unary(c->p, E_TRANS, q)), v)
				: p ? expr_binary(c->p, E_HAD, expr_func(c->p, F_DIAG, p), v)
				: q ? expr_binary(c->p, E_HAD, v, expr_func(c->p, F_DIAG, q)) : v;
		return scaled_by(c, t, d);
	}
	for (unsigned k = 1; k < t->nmat; k++)   /* diag(u v^T) = u .* v */
		if (dim_is_one(shape(c, t->mat[k - 1]).cols)) {
			const Expr *u = chain_of(c, t->mat, k), *v = chain_of(c, t->mat + k, t->nmat - k);
			return scaled_by(c, t, expr_binary(c->p, E_HAD, u, expr_unary(c->p, E_TRANS, v)));
		}
	return NULL;
}

/* d times the coefficient and scalars of t. */
static const Expr *scaled_by(Canon *c, const Term *t, const Expr *d)
{
	Term *s = alloc(c, sizeof *s);
	*s = (Term){ t->coef, t->nsc, 0, t->sc, NULL };
	return expr_binary(c->p, E_MUL, to_expr(c, poly_new(c, s, 1)), d);
}

/* The diagonal of a square matrix, diag(A), is linear: a term with a
 * diagonal factor leaves it (diagonal_through), and the others stay
 * together in one diag(...).  NULL when no term has a diagonal factor. */
static const Poly *canon_diagonal(Canon *c, const Expr *a)
{
	const Poly *q = canon(c, a), *r = poly_zero(c);
	Term *rest = alloc(c, q->n * sizeof *rest);
	unsigned nrest = 0;
	for (unsigned i = 0; i < q->n; i++) {
		const Expr *d = diagonal_through(c, &q->t[i]);
		if (d)
			r = poly_add(c, r, canon(c, d));
		else
			rest[nrest++] = q->t[i];
	}
	if (nrest == q->n)
		return NULL;
	if (nrest)
		r = poly_add(c, r, poly_atom(c, expr_func(c->p, F_DIAG,
						    lead_minus(c, to_expr(c, poly_new(c, rest, nrest))))));
	return r;
}

static const Poly *canon_func(Canon *c, const Expr *e)
{
	const Expr *a = e->args[0];
	switch (e->fn) {
	case F_TR:
		return canon_trace(c, e);
	case F_VEC:
		return canon_vec(c, e);
	case F_SUM:   /* sum(A) = 1^T A 1: one normal form with the products
		       * the engine writes; tidy prints it as sum(A) again */
		if (is_scalar(c, a))
			return canon(c, a);
		return canon(c, ones_sandwich(c, a));
	case F_DIAG: case F_DET:
		if (is_scalar(c, a))
			return canon(c, a);
		if (e->fn == F_DIAG && !dim_is_one(shape(c, a).cols)) {
			const Poly *r = canon_diagonal(c, a);
			if (r)
				return r;
		}
		break;
	default:   /* every other function is an atom of its simplified argument */
		break;
	}
	if (e->fn == F_SQRT && is_scalar(c, a))   /* sqrt(s) is s^(1/2): its powers meet s's */
		return canon(c, expr_binary(c->p, E_POW, a, num_op(c, one(c), expr_int(c->p, 2), '/')));
	if (e->fn == F_NORM && a->kind == E_KRON) {   /* ||A kron B||_F = ||A||_F ||B||_F */
		const Poly *r = poly_num(c, one(c));
		for (unsigned i = 0; i < a->nargs; i++)
			r = poly_mul(c, r, canon(c, expr_func(c->p, F_NORM, a->args[i])));
		return r;
	}
	if (e->fn == F_DIAG && a->kind == E_ONES && dim_is_one(shape(c, a).cols))   /* diag(1_n) = I_n */
		return poly_atom(c, identity(c, shape(c, a).rows));
	if (e->fn == F_DET) {   /* det(A B) = det(A) det(B) for square factors: det(X^-1 A X) = det(A) */
		const Poly *q = canon(c, a);
		/* (a scalar factor would come out to the power of the size, which
		 * the language cannot write for a symbolic size: those stay) */
		if (q->n == 1 && q->t[0].nmat > 1 && q->t[0].nsc == 0 && expr_is_num(q->t[0].coef, 1) &&
		    all_square(c, &q->t[0]) && cancels(&q->t[0])) {
			const Poly *r = poly_num(c, one(c));
			for (unsigned i = 0; i < q->t[0].nmat; i++) {
				const Expr *m = q->t[0].mat[i];
				r = poly_mul(c, r, m->kind == E_INV   /* det(X^-1) = det(X)^-1 */
					     ? poly_pow_scalar(c, canon(c, expr_func(c->p, F_DET, m->args[0])), expr_int(c->p, -1))
					     : canon(c, expr_func(c->p, F_DET, m)));
			}
			return r;
		}
	}
	if (func_elementwise(e->fn) && canon(c, a)->n == 0) {   /* f(0), where a number: tanh(x - x) is 0 */
		switch (e->fn) {
		case F_TANH: case F_SIN: case F_SQRT: case F_ABS: case F_RELU: case F_SIGN:
			return poly_zero(c);
		case F_EXP: case F_COS:
			return canon(c, is_scalar(c, a) ? one(c) : ones_of(c, shape(c, a)));
		case F_SIGMOID:
			return poly_scale(c, canon(c, is_scalar(c, a) ? one(c) : ones_of(c, shape(c, a))),
					  num_op(c, one(c), expr_int(c->p, 2), '/'));
		default:
			break;
		}
	}
	if (e->fn == F_DET && a->kind == E_TRANS)   /* det(X^T) = det(X) */
		a = a->args[0];
	if (e->fn == F_DET && a->kind == E_POW)     /* det(X^k) = det(X)^k */
		return poly_pow_scalar(c, canon(c, expr_func(c->p, F_DET, a->args[0])), a->args[1]);
	return poly_atom(c, expr_func(c->p, e->fn, operand(c, a)));
}

/* Powers: scalars by exponent arithmetic; matrices stay an atom. */
static const Poly *canon_pow(Canon *c, const Expr *e)
{
	const Expr *k = e->args[1];
	if (is_scalar(c, e->args[0]))
		return poly_pow_scalar(c, canon(c, e->args[0]), k);
	if (expr_is_num(k, 1))
		return canon(c, e->args[0]);
	if (expr_is_num(k, 0))
		return poly_atom(c, identity(c, shape(c, e).rows));
	const Expr *b = operand(c, e->args[0]);
	/* (X^-1)^k = X^-k and (X^j)^k = X^(j k) for a whole k: one power of X */
	int whole = k->kind == E_NUM && mpz_cmp_ui(mpq_denref(k->u.num), 1) == 0;
	if (whole && is_identity(b))   /* I^k = I (review: I^2 x stayed) */
		return poly_atom(c, b);
	if (whole && b->kind == E_INV)
		return canon(c, expr_binary(c->p, E_POW, b->args[0], num_op(c, k, NULL, '-')));
	if (whole && b->kind == E_POW)
		return canon(c, expr_binary(c->p, E_POW, b->args[0], num_op(c, k, b->args[1], '*')));
	return poly_atom(c, expr_binary(c->p, E_POW, b, k));
}

/* Element-wise operations: 1 x 1 ones are ordinary arithmetic. */
static const Poly *canon_elementwise(Canon *c, const Expr *e)
{
	int scalar = is_scalar(c, e);
	switch (e->kind) {
	case E_HAD:
		return scalar ? canon_product(c, e) : canon_nary_atom(c, e);
	case E_HDIV: {
		if (scalar)
			return poly_mul(c, canon(c, e->args[0]), reciprocal(c, canon(c, e->args[1])));
		/* a ./ b is a .* b .^ -1, so that quotients cancel with products */
		const Expr *f[2] = { e->args[0], expr_binary(c->p, E_EPOW, e->args[1], expr_int(c->p, -1)) };
		return canon_nary_atom(c, expr_make(c->p, E_HAD, f, 2));
	}
	default: {   /* E_EPOW: the exponent canonical first, so 2 (1/2) is 1 */
		const Expr *k = operand(c, e->args[1]);
		if (scalar && k->kind == E_NUM)
			return poly_pow_scalar(c, canon(c, e->args[0]), k);
		if (expr_is_num(k, 1))
			return canon(c, e->args[0]);
		/* (c B).^k = c^k B.^k for a scalar c and a whole k: x ./ (2 y)
		 * is 1/2 x ./ y, and meets the 2 of its derivative */
		const Poly *q = canon(c, e->args[0]), *sc;
		const Expr *rest;
		if (k->kind == E_NUM && small_whole(k) && (sc = pull_scalars(c, q, &rest)))
			return poly_mul(c, poly_pow_scalar(c, sc, k),
					poly_atom(c, expr_binary(c->p, E_EPOW, rest, k)));
		return poly_atom(c, expr_binary(c->p, E_EPOW, operand(c, e->args[0]), k));
	}
	}
}

/* I_1, ones_1 and K_{m,1} are identities or 1. */
static const Poly *canon_constant(Canon *c, const Expr *e)
{
	Shape sh = shape(c, e);
	if (shape_is_scalar(sh))
		return poly_num(c, one(c));
	if (e->kind == E_COMM && (dim_is_one(e->args[0]) || dim_is_one(e->args[1])))
		return poly_atom(c, identity(c, sh.rows));
	return poly_atom(c, e);
}

static const Poly *compute(Canon *c, const Expr *e)
{
	switch (e->kind) {
	case E_NUM:
		return poly_num(c, e);
	case E_VAR: case E_DSYM: case E_DIM:
		return poly_atom(c, e);
	case E_IDENT: case E_ONES: case E_COMM:
		return canon_constant(c, e);
	case E_ADD:
		return canon_sum(c, e);
	case E_NEG:
		return poly_scale(c, canon(c, e->args[0]), expr_int(c->p, -1));
	case E_MUL:
		return canon_product(c, e);
	case E_DIV:
		return poly_mul(c, canon(c, e->args[0]), reciprocal(c, canon(c, e->args[1])));
	case E_HAD: case E_HDIV: case E_EPOW:
		return canon_elementwise(c, e);
	case E_KRON:
		return canon_nary_atom(c, e);
	case E_TRANS:
		return poly_transpose(c, canon(c, e->args[0]));
	case E_INV:
		return canon_inverse(c, e);
	case E_POW:
		return canon_pow(c, e);
	case E_FUNC:
		return canon_func(c, e);
	}
	return poly_atom(c, e);
}

const Poly *canon(Canon *c, const Expr *e)
{
	const void *v;
	if (map_get(&c->memo, e, &v))
		return v;
	pool_check_budget(c->p);   /* a safe point: see expr.h */
	const Poly *q = compute(c, e);
	map_put(&c->memo, e, q);
	return q;
}
