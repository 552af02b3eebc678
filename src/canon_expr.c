/* canon_expr.c: from the normal form back to an expression, factoring where
 * it shortens: common scalars, shared end factors, grouped chains, rank-one
 * sums, sums kept whole. */
#include "canon_impl.h"

static const Expr *spow_expr(Canon *c, const SPow *s, int negate);
static const Expr *term_expr(Canon *c, const Term *given, int with_coef);
static const Expr *signed_term(Canon *c, const Term *t);
static const Expr *sum_expr(Canon *c, const Expr **terms, unsigned n);
static const Expr *plain_sum(Canon *c, const Term *given, unsigned n);
static unsigned count_nodes(const Expr *e, unsigned cap);
static const Expr *most_shared(Canon *c, const Term *t, unsigned n, int *right);
static const Expr *mul_lead(Canon *c, const Expr *a, const Expr *b);
static int cmp_unsigned(const void *x, const void *y);
static const Expr *ordered_sum(Canon *c, const Expr **res, unsigned n);
static const Expr *factor_common_matrix(Canon *c, Term *t, unsigned n);
static const Expr *factor_chain(Canon *c, Term *t, unsigned n);
static int same_chain(const Term *a, const Term *b);
static const Expr *factor_common_scalars(Canon *c, Term *t, unsigned n);
static unsigned transpose_cost(const Expr *e);
static const Expr *maybe_transposed(Canon *c, Term *t, unsigned n, const Expr *plain);
static int column_atom(Canon *c, const Expr *v);
static unsigned index_of(const Expr **list, unsigned *n, const Expr *e);
static const Expr *rank_one(Canon *c, const Term *t, unsigned n);
static const Expr *factored(Canon *c, Term *t, unsigned n);
static const Expr *scaled(Canon *c, const Expr *k, const Expr *e);
static const Expr *content(Canon *c, const Term *t, unsigned n);
static const Expr *factored_sum(Canon *c, Term *t, unsigned n);
static const Expr *grouped_sum(Canon *c, Term *t, unsigned n);
static const Expr *unlifted(Canon *c, Term *t, unsigned n);
static const Expr *oriented_scalars(Canon *c, Term *t, unsigned n);
static const Expr *powers_split(Canon *c, Term *t, unsigned n);
static const Expr *identity_absorbed(Canon *c, Term *t, unsigned n);
static const Expr *chain_transposed(Canon *c, const Expr *a);
static const Expr *factor_common_hadamard(Canon *c, Term *t, unsigned n);
static const Expr *factor_common_kron(Canon *c, Term *t, unsigned n);
static const Expr *end_groups(Canon *c, Term *t, unsigned n);
static const Expr *scalar_groups(Canon *c, Term *t, unsigned n);
static const Expr *common_denominator(Canon *c, Term *t, unsigned n);
static const Expr *diagonal_sum(Canon *c, Term *t, unsigned n);
static const Expr *proportional_chains(Canon *c, Term *t, unsigned n);
static const Expr *kron_unmixed(Canon *c, Term *t, unsigned n, int head);
static const Expr *inner_sum(Canon *c, Term *t, unsigned n, const Expr *const *rest);
static unsigned minuses(const Expr *s);
static const Expr *flip_factor(Canon *c, const Expr *e);

/* --- back to an expression, factoring where it shortens --- */

enum { END_GROUPS_MAX = 12 };   /* terms of a sum that end_groups splits */
enum { END_GROUPS_TRIED = 6 };  /* up to this many, each shared end is tried first */

static const Expr *spow_expr(Canon *c, const SPow *s, int negate)
{
	const Expr *k = negate ? num_op(c, s->exp, NULL, '-') : s->exp, *a = s->atom;
	if (expr_is_num(k, 1))
		return a;
	if (mpz_cmp_ui(mpq_numref(k->u.num), 1) == 0 && mpz_cmp_ui(mpq_denref(k->u.num), 2) == 0)
		return expr_func(c->p, F_SQRT, a);   /* s^(1/2) as sqrt(s), as written */
	/* (a^p)^k is a^(p k) for a whole k: (||r||^2)^2 is ||r||^4 */
	if (a->kind == E_POW && a->args[1]->kind == E_NUM && mpz_cmp_ui(mpq_denref(k->u.num), 1) == 0)
		return expr_binary(c->p, E_POW, a->args[0], num_op(c, a->args[1], k, '*'));
	return expr_binary(c->p, E_POW, a, k);
}

/* c S M with the negative powers of S as a divisor: (x - a)^T / ||x - a||. */
static const Expr *term_expr(Canon *c, const Term *given, int with_coef)
{
	Term copy_t = *given, *t = &copy_t;
	logistic(c, t, 1);
	const Expr **num = alloc(c, (t->nsc + t->nmat + 1) * sizeof *num);
	const Expr **den = alloc(c, (t->nsc + 1) * sizeof *den);
	unsigned nn = 0, nd = 0;
	if (with_coef && !expr_is_num(t->coef, 1))
		num[nn++] = t->coef;
	for (unsigned i = 0; i < t->nsc; i++) {
		if (num_sign(t->sc[i].exp) > 0)
			num[nn++] = spow_expr(c, &t->sc[i], 0);
		else
			den[nd++] = spow_expr(c, &t->sc[i], 1);
	}
	int bracketed = 0;   /* a scalar factor that is itself a product, as (a^T x) */
	for (unsigned i = 0; i < t->nsc; i++)
		bracketed |= t->sc[i].atom->kind == E_MUL;
	if (t->nmat > 1 && bracketed && dim_is_one(shape(c, t->mat[0]).rows) &&
	    dim_is_one(shape(c, t->mat[t->nmat - 1]).cols))   /* a 1 x 1 chain among scalars: bracket it */
		num[nn++] = expr_make(c->p, E_MUL, t->mat, t->nmat);
	else
		for (unsigned i = 0; i < t->nmat; i++)
			num[nn++] = t->mat[i];
	const Expr *top = nn == 0 ? one(c) : nn == 1 ? num[0] : expr_make(c->p, E_MUL, num, nn);
	if (nd == 0)
		return top;
	const Expr *bottom = nd == 1 ? den[0] : expr_make(c->p, E_MUL, den, nd);
	return expr_binary(c->p, E_DIV, top, bottom);
}

/* A term with a positive coefficient written out; a negative one negated. */
static const Expr *signed_term(Canon *c, const Term *t)
{
	if (num_sign(t->coef) > 0)
		return term_expr(c, t, 1);
	Term pos = *t;
	pos.coef = num_op(c, t->coef, NULL, '-');
	return expr_unary(c->p, E_NEG, term_expr(c, &pos, 1));
}

static const Expr *sum_expr(Canon *c, const Expr **terms, unsigned n)
{
	if (n == 0)
		return NULL;
	return n == 1 ? terms[0] : expr_make(c->p, E_ADD, terms, n);
}

/* Terms in output order: sorted by their keys (they may come from a sum
 * whose terms differed in more), starting with a positive one. */
static const Expr *plain_sum(Canon *c, const Term *given, unsigned n)
{
	Term *t = alloc(c, n * sizeof *t);
	copy(t, given, n * sizeof *t);
	sort(t, n, sizeof *t, qsort_key);
	const Expr **out = alloc(c, n * sizeof *out);
	unsigned first = 0;
	while (first < n && num_sign(t[first].coef) < 0)
		first++;
	if (first == n)
		first = 0;
	unsigned k = 0;
	out[k++] = signed_term(c, &t[first]);
	for (unsigned i = 0; i < n; i++)
		if (i != first)
			out[k++] = signed_term(c, &t[i]);
	return sum_expr(c, out, k);
}

/* How many terms end (right) or start with factor f, and whether one of
 * them is longer than f alone. */
/* The number of nodes of e as a tree, counted up to cap: the callers only
 * ask whether a factor is big, and a factor of a deep chain is a DAG whose
 * tree is exponentially large. */
static unsigned count_nodes(const Expr *e, unsigned cap)
{
	unsigned k = 1;
	for (unsigned i = 0; i < e->nargs && k < cap; i++)
		k += e->kind == E_IDENT || e->kind == E_ONES || e->kind == E_COMM ? 0
		     : count_nodes(e->args[i], cap - k);
	return k < cap ? k : cap;
}

/* What most_shared knows of one distinct end factor. */
typedef struct {
	const Expr *f;
	const Term *first;   /* the first term that has it */
	unsigned count;      /* terms that have it */
	int longer;          /* some such term is longer than f alone */
	int varied;          /* two such terms differ in their chains */
} Shared;

/* The end factor (first, or last when *right) that the most terms share,
 * counted in one pass with a hash map from factor to its Shared record.
 * A term that is the factor alone counts only when the factor is big (it
 * leaves an identity behind: A + B A = (I + B) A); some sharing term must
 * be longer than the factor; and pulling it out must save more than the
 * brackets it costs. */
static const Expr *most_shared(Canon *c, const Term *t, unsigned n, int *right)
{
	const Expr *best = NULL;
	long bestk = 1;
	Shared *sh = alloc(c, (n + 1) * sizeof *sh);
	for (int side = 0; side < 2; side++) {
		Map index;   /* factor -> its record, + 1 (0 is absent) */
		map_init(&index, pool_arena(c->p));
		map_reserve(&index, n);
		unsigned nsh = 0;
		for (unsigned i = 0; i < n; i++) {
			if (t[i].nmat == 0)
				continue;
			const Expr *f = t[i].mat[side ? t[i].nmat - 1 : 0];
			if (t[i].nmat == 1 && count_nodes(f, 4) < 4)
				continue;
			const void **slot = map_slot(&index, f, NULL);
			if (!*slot) {
				sh[nsh] = (Shared){ .f = f, .first = &t[i] };
				*slot = (const void *)(uintptr_t)++nsh;
			}
			Shared *r = &sh[(uintptr_t)*slot - 1];
			r->count++;
			r->longer |= t[i].nmat > 1;
			/* terms with one and the same chain are grouped instead */
			r->varied |= !same_chain(r->first, &t[i]);
		}
		for (unsigned j = 0; j < nsh; j++) {
			long k = sh[j].count;
			/* a factor of every term is pulled out (x^T (A + A^T)); a factor of
			 * some terms only when that saves more than its brackets */
			if (k > bestk && sh[j].longer && sh[j].varied &&
			    (k == (long)n || (k - 1) * (long)count_nodes(sh[j].f, 2) >= 2)) {
				best = sh[j].f;
				bestk = k;
				*right = side;
			}
		}
	}
	return best;
}

/* a b, with a number leading either one moved to the front: x (2 y^T) is
 * 2 x y^T. */
static const Expr *mul_lead(Canon *c, const Expr *a, const Expr *b)
{
	const Expr *k = NULL;
	if (a->kind == E_MUL && a->args[0]->kind == E_NUM) {
		k = a->args[0];
		a = a->nargs == 2 ? a->args[1] : expr_make(c->p, E_MUL, a->args + 1, a->nargs - 1);
	} else if (b->kind == E_MUL && b->args[0]->kind == E_NUM) {
		k = b->args[0];
		b = b->nargs == 2 ? b->args[1] : expr_make(c->p, E_MUL, b->args + 1, b->nargs - 1);
	}
	const Expr *f[3] = { k, a, b };
	return k ? expr_make(c->p, E_MUL, f, 3) : expr_make(c->p, E_MUL, f + 1, 2);
}

static int cmp_unsigned(const void *x, const void *y)
{
	const Expr *a = *(const Expr *const *)x, *b = *(const Expr *const *)y;
	return expr_cmp(a->kind == E_NEG ? a->args[0] : a, b->kind == E_NEG ? b->args[0] : b);
}

/* The written terms of a sum in an order that depends only on them (not on
 * how they were found), the first one not negated when possible. */
static const Expr *ordered_sum(Canon *c, const Expr **res, unsigned n)
{
	sort(res, n, sizeof *res, cmp_unsigned);
	unsigned first = 0;
	while (first < n && res[first]->kind == E_NEG)
		first++;
	if (first < n && first > 0) {
		const Expr *f = res[first];
		memmove(res + 1, res, first * sizeof *res);
		res[0] = f;
	}
	return sum_expr(c, res, n);
}

/* Pull the matrix factor shared by the most terms out to the left or right:
 * x^T A + x^T A^T = x^T (A + A^T).  NULL when no factor is shared. */
static const Expr *factor_common_matrix(Canon *c, Term *t, unsigned n)
{
	int right = 0;
	const Expr *best = most_shared(c, t, n, &right);
	if (!best)
		return NULL;
	/* a term that is the factor alone leaves an identity: A + B A = (I + B) A */
	Shape bs = shape(c, best);
	const Expr **id = alloc(c, sizeof *id);
	*id = identity(c, right ? bs.rows : bs.cols);
	Term *in = alloc(c, n * sizeof *in), *out = alloc(c, n * sizeof *out);
	unsigned ni = 0, no = 0;
	unsigned least = count_nodes(best, 4) >= 4 ? 0 : 1;
	for (unsigned i = 0; i < n; i++) {
		if (t[i].nmat > least && t[i].mat[right ? t[i].nmat - 1 : 0] == best) {
			in[ni] = t[i];
			in[ni].nmat--;
			in[ni].mat = t[i].mat + (right ? 0 : 1);
			if (in[ni].nmat == 0) {
				in[ni].mat = id;
				in[ni].nmat = 1;
			}
			ni++;
		} else {
			out[no++] = t[i];
		}
	}
	c->nested++;
	const Expr *inner = factored(c, in, ni);
	c->nested--;
	const Expr *prod = right ? mul_lead(c, inner, best) : mul_lead(c, best, inner);
	if (no == 0)
		return prod;
	const Expr *rest = factored(c, out, no);
	const Expr *both[2] = { prod, rest };
	if (rest->kind == E_ADD) {   /* keep one flat sum */
		const Expr **a = alloc(c, (rest->nargs + 1) * sizeof *a);
		a[0] = prod;
		copy(a + 1, rest->args, rest->nargs * sizeof *a);
		return expr_make(c->p, E_ADD, a, rest->nargs + 1);
	}
	return expr_make(c->p, E_ADD, both, 2);
}

/* Terms with one matrix chain: (sum of scalar parts) chain, with the
 * numeric content in front: 2 (w^T x - y) x^T. */
static const Expr *factor_chain(Canon *c, Term *t, unsigned n)
{
	mpz_t g;
	mpz_init(g);
	for (unsigned i = 0; i < n; i++)
		mpz_gcd(g, g, mpq_numref(t[i].coef->u.num));
	mpq_t content;
	mpq_init(content);
	mpq_set_z(content, g);
	int positive = 0;
	for (unsigned i = 0; i < n; i++)
		positive |= num_sign(t[i].coef) > 0;
	if (!positive)
		mpq_neg(content, content);
	const Expr *k = expr_num(c->p, content);
	mpq_clear(content);
	mpz_clear(g);
	Term *sc = alloc(c, n * sizeof *sc);
	for (unsigned i = 0; i < n; i++)
		sc[i] = (Term){ num_op(c, t[i].coef, k, '/'), t[i].nsc, 0, t[i].sc, NULL };
	const Expr *s = plain_sum(c, sc, n);
	if (n > 2) {   /* the scalar sum factored where that is shorter: (epsilon + (1 - epsilon) sum(y)) s^T */
		c->nested++;
		const Expr *fs = factored(c, sc, n);
		c->nested--;
		if (tokens(c, fs) < tokens(c, s))
			s = fs;
	}
	const Expr **f = alloc(c, (t[0].nmat + 2) * sizeof *f);
	unsigned nf = 0;
	if (!expr_is_num(k, 1) && !expr_is_num(k, -1))
		f[nf++] = k;
	f[nf++] = s;
	for (unsigned i = 0; i < t[0].nmat; i++)
		f[nf++] = t[0].mat[i];
	const Expr *r = expr_make(c->p, E_MUL, f, nf);
	return expr_is_num(k, -1) ? expr_unary(c->p, E_NEG, r) : r;
}

static int same_chain(const Term *a, const Term *b)
{
	if (a->nmat != b->nmat)
		return 0;
	for (unsigned i = 0; i < a->nmat; i++)
		if (a->mat[i] != b->mat[i])
			return 0;
	return 1;
}

/* Scalar powers every term has (with the same exponent) are pulled out in
 * front, or below a division: (x^T - a^T) / ||x - a||.  NULL if none. */
static const Expr *factor_common_scalars(Canon *c, Term *t, unsigned n)
{
	SPow *common = alloc(c, t[0].nsc * sizeof *common);
	unsigned nc = 0;
	for (unsigned i = 0; i < t[0].nsc; i++) {
		/* an atom every term has, to powers of one sign: the smallest power
		 * is shared (s - s^2 = s (1 - s)) */
		const Expr *least = t[0].sc[i].exp;
		int everywhere = 1;
		for (unsigned j = 1; j < n && everywhere; j++) {
			int found = 0;
			for (unsigned k = 0; k < t[j].nsc; k++)
				if (t[j].sc[k].atom == t[0].sc[i].atom &&
				    num_sign(t[j].sc[k].exp) == num_sign(least)) {
					found = 1;
					if (mpq_cmp(t[j].sc[k].exp->u.num, least->u.num) * num_sign(least) < 0)
						least = t[j].sc[k].exp;   /* nearer zero */
				}
			everywhere = found;
		}
		/* a shared power smaller than some term's pays only for a big
		 * atom: s - s^2 = s (1 - s), but x^(1/2) + x^2 stays */
		int unequal = 0;
		for (unsigned j = 0; j < n; j++)
			for (unsigned k = 0; k < t[j].nsc; k++)
				unequal |= t[j].sc[k].atom == t[0].sc[i].atom && t[j].sc[k].exp != least;
		if (everywhere && (!unequal || count_nodes(t[0].sc[i].atom, 3) >= 3))
			common[nc++] = (SPow){ t[0].sc[i].atom, least };
	}
	if (nc == 0)
		return NULL;
	Term *in = alloc(c, n * sizeof *in);
	for (unsigned j = 0; j < n; j++) {
		in[j] = t[j];
		in[j].sc = powers_without(c, &t[j], common, nc, &in[j].nsc);
	}
	c->nested++;
	const Expr *inner = factored(c, in, n);
	c->nested--;
	Term outer = { one(c), nc, 1, common, &inner };
	const Expr *r = term_expr(c, &outer, 0);
	unsigned ci = nc, chains = 0;
	for (unsigned i = 0; i < nc; i++)
		if (common[i].atom->kind == E_MUL && expr_is_num(common[i].exp, 1))
			ci = i, chains++;
	if (chains != 1 || !is_scalar(c, inner))
		return r;
	/* a 1 x 1 chain last, where it needs no brackets: (1 - epsilon) y^T
	 * ones_m, not (y^T ones_m) (1 - epsilon) */
	const Expr *chain = common[ci].atom;
	SPow *rest = alloc(c, nc * sizeof *rest);
	copy(rest, common, ci * sizeof *rest);
	copy(rest + ci, common + ci + 1, (nc - ci - 1) * sizeof *rest);
	const Expr **m = alloc(c, (chain->nargs + 1) * sizeof *m);
	m[0] = inner;
	copy(m + 1, chain->args, chain->nargs * sizeof *m);
	Term last = { one(c), nc - 1, chain->nargs + 1, rest, m };
	const Expr *alt = term_expr(c, &last, 0);
	return tokens(c, alt) < tokens(c, r) ? alt : r;
}

unsigned count_transposes(const Expr *e)
{
	unsigned k = e->kind == E_TRANS;
	for (unsigned i = 0; i < e->nargs; i++)
		k += count_transposes(e->args[i]);
	return k;
}

/* What the transposes of e cost in tokens: one each, two more for the
 * brackets of one that applies to more than an atom ((x.^2)^T). */
static unsigned transpose_cost(const Expr *e)
{
	unsigned k = 0;
	if (e->kind == E_TRANS) {
		ExprKind a = e->args[0]->kind;
		k = 1 + 2 * (a == E_EPOW || a == E_POW || a == E_HAD || a == E_HDIV || a == E_MUL ||
			     a == E_ADD || a == E_NEG || a == E_DIV);
	}
	for (unsigned i = 0; i < e->nargs; i++)
		k += transpose_cost(e->args[i]);
	return k;
}

/* (sum)^T when that saves transposes: x^T - a^T = (x - a)^T. */
static const Expr *maybe_transposed(Canon *c, Term *t, unsigned n, const Expr *plain)
{
	if (c->no_flip || n < 2)
		return plain;
	for (unsigned i = 0; i < n; i++)   /* only sums of chains of transposes */
		for (unsigned j = 0; j < t[i].nmat; j++)
			if (t[i].mat[j]->kind != E_TRANS)
				return plain;
	Term *dup = alloc(c, n * sizeof *dup);
	copy(dup, t, n * sizeof *dup);
	const Poly *q = poly_transpose(c, poly_new(c, dup, n));
	c->no_flip = 1;
	const Expr *flipped = to_expr(c, q);
	c->no_flip = 0;
	/* (x - a)^T for x^T - a^T inside a product (bracketed anyway); at the top
	 * the brackets cost two tokens more */
	unsigned cost = 1 + (c->nested ? 0 : 2);
	if (!flipped || cost + transpose_cost(flipped) >= transpose_cost(plain))
		return plain;
	return expr_unary(c->p, E_TRANS, flipped);
}

/* Outer-product sums are factored as rank one only up to RANK_MAX distinct
 * vectors a side; a bigger sum is left as it is (not factored, not lost). */
enum { RANK_MAX = 8 };

static int column_atom(Canon *c, const Expr *v)
{
	Shape sh = shape(c, v);
	return dim_is_one(sh.cols) && !dim_is_one(sh.rows);
}

static unsigned index_of(const Expr **list, unsigned *n, const Expr *e)
{
	for (unsigned i = 0; i < *n; i++)
		if (list[i] == e)
			return i;
	if (*n == RANK_MAX)
		return RANK_MAX;
	list[*n] = e;
	return (*n)++;
}

/* A sum of c_ij u_i v_j^T over column vectors whose coefficient matrix has
 * rank one is an outer product: 1/2 x x^T - 1/2 x mu^T - 1/2 mu x^T +
 * 1/2 mu mu^T = 1/2 (x - mu) (x - mu)^T.  NULL when it is not one. */
static const Expr *rank_one(Canon *c, const Term *t, unsigned n)
{
	const Expr *u[RANK_MAX], *v[RANK_MAX];
	const Expr *k[RANK_MAX][RANK_MAX] = { { 0 } };
	unsigned nu = 0, nv = 0;
	for (unsigned i = 0; i < n; i++) {
		if (t[i].nsc || t[i].nmat != 2 || t[i].mat[1]->kind != E_TRANS ||
		    !column_atom(c, t[i].mat[0]) || !column_atom(c, t[i].mat[1]->args[0]))
			return NULL;
		unsigned a = index_of(u, &nu, t[i].mat[0]), b = index_of(v, &nv, t[i].mat[1]->args[0]);
		if (a == RANK_MAX || b == RANK_MAX)
			return NULL;
		k[a][b] = t[i].coef;
	}
	if (nu < 2 && nv < 2)
		return NULL;
	const Expr *zero = expr_int(c->p, 0);
	for (unsigned a = 0; a < nu; a++)
		for (unsigned b = 0; b < nv; b++)
			if (!k[a][b])
				k[a][b] = zero;
	const Expr *pivot = t[0].coef;   /* at (0, 0): the first term made row and column 0 */
	for (unsigned a = 0; a < nu; a++)
		for (unsigned b = 0; b < nv; b++)
			if (expr_cmp(num_op(c, k[a][b], pivot, '*'), num_op(c, k[a][0], k[0][b], '*')) != 0)   /* not rank one */
				return NULL;
	Term *l = alloc(c, nu * sizeof *l), *r = alloc(c, nv * sizeof *r);
	unsigned nl = 0, nr = 0;
	for (unsigned a = 0; a < nu; a++)
		if (num_sign(k[a][0]))
			l[nl++] = (Term){ k[a][0], 0, 1, NULL, &u[a] };
	for (unsigned b = 0; b < nv; b++)
		if (num_sign(k[0][b]))
			r[nr++] = (Term){ num_op(c, k[0][b], pivot, '/'), 0, 1, NULL, &v[b] };
	c->nested++;
	const Expr *left = factored(c, l, nl), *right = factored(c, r, nr);
	/* (mu - x) (x - mu)^T is -(x - mu) (x - mu)^T: one vector, as the
	 * textbooks write a symmetric outer product */
	Term *neg = alloc(c, nl * sizeof *neg);
	for (unsigned a = 0; a < nl; a++) {
		neg[a] = l[a];
		neg[a].coef = num_op(c, l[a].coef, NULL, '-');
	}
	const Expr *flipped = nl == nr ? factored(c, neg, nl) : NULL;
	c->nested--;
	if (flipped && flipped == right && left != right)
		return expr_unary(c->p, E_NEG, mul_lead(c, right, expr_unary(c->p, E_TRANS, right)));
	if (right->kind == E_NEG && left->kind != E_NEG) {   /* keep the sign on the left */
		right = right->args[0];
		left = expr_unary(c->p, E_NEG, left);
	}
	return mul_lead(c, left, expr_unary(c->p, E_TRANS, right));
}

/* A sum back to an expression: shared scalars and whole chains are pulled
 * out first, then shared end factors. */
static const Expr *factored(Canon *c, Term *t, unsigned n)
{
	if (n == 1)
		return signed_term(c, &t[0]);
	pool_check_budget(c->p);   /* a safe point: see expr.h */
	const Expr *r = factor_common_scalars(c, t, n);
	if (r)
		return r;
	if ((r = rank_one(c, t, n)))
		return r;
	const Expr *k = content(c, t, n);
	if (!expr_is_num(k, 1)) {   /* 2 x^T W^T - 2 y^T = 2 (W x - y)^T */
		Term *in = alloc(c, n * sizeof *in);
		for (unsigned i = 0; i < n; i++) {
			in[i] = t[i];
			in[i].coef = num_op(c, t[i].coef, k, '/');
		}
		c->nested += !expr_is_num(k, -1);
		const Expr *inner = factored(c, in, n);
		c->nested -= !expr_is_num(k, -1);
		if (expr_is_num(k, -1))
			return expr_unary(c->p, E_NEG, inner);
		return scaled(c, k, inner);
	}
	const Expr *plain = maybe_transposed(c, t, n, factored_sum(c, t, n)), *alt = unlifted(c, t, n);
	const Expr *split = powers_split(c, t, n);
	if (split && (!alt || tokens(c, split) < tokens(c, alt)))
		alt = split;
	const Expr *absorbed = identity_absorbed(c, t, n);
	if (absorbed && (!alt || tokens(c, absorbed) < tokens(c, alt)))
		alt = absorbed;
	const Expr *prop = proportional_chains(c, t, n);
	if (prop && (!alt || tokens(c, prop) < tokens(c, alt)))
		alt = prop;
	const Expr *g = end_groups(c, t, n);
	if (g && (!alt || tokens(c, g) < tokens(c, alt)))
		alt = g;
	if ((g = scalar_groups(c, t, n)) && (!alt || tokens(c, g) < tokens(c, alt)))
		alt = g;
	if ((g = common_denominator(c, t, n)) && (!alt || tokens(c, g) < tokens(c, alt)))
		alt = g;
	if ((g = diagonal_sum(c, t, n)) && (!alt || tokens(c, g) < tokens(c, alt)))
		alt = g;
	for (int head = 0; head < 2; head++)
		if ((g = kron_unmixed(c, t, n, head)) && (!alt || tokens(c, g) < tokens(c, alt)))
			alt = g;
	if (!alt)
		return plain;
	/* a sum that will stand in brackets costs them too */
	unsigned np = tokens(c, plain) + (c->nested && plain->kind == E_ADD ? 2 : 0);
	unsigned na = tokens(c, alt) + (c->nested && alt->kind == E_ADD ? 2 : 0);
	return na < np ? alt : plain;
}

/* The scalar part of a term: its coefficient and scalars, no chain. */
static Term scalar_part(const Term *t)
{
	return (Term){ t->coef, t->nsc, 0, t->sc, NULL };
}

/* Terms that group by chain into S k_1 c_1 + S k_2 c_2 + ...: one scalar
 * sum S and numbers k_g, written S (k_1 c_1 + k_2 c_2 + ...): with s = y -
 * r / N + y r / N, s a - s b is s (a - b), the contrastive loss's gradient.
 * NULL unless there are two chains or more and each chain's scalar sum is
 * the first one's times a number. */
static const Expr *proportional_chains(Canon *c, Term *t, unsigned n)
{
	if (n < 4 || n > 4 * END_GROUPS_MAX)
		return NULL;
	Term *u = copy(alloc(c, n * sizeof *u), t, n * sizeof *u);
	sort(u, n, sizeof *u, qsort_key);   /* by chain, then by scalars */
	unsigned size = 1;
	while (size < n && same_chain(&u[0], &u[size]))
		size++;
	if (size < 2 || n % size || !u[0].nmat)
		return NULL;
	Term *ch = alloc(c, (n / size) * sizeof *ch), *sc = alloc(c, size * sizeof *sc);
	for (unsigned j = 0; j < size; j++)
		sc[j] = scalar_part(&u[j]);
	for (unsigned g = 0; g < n / size; g++) {
		const Term *first = &u[g * size];
		const Expr *k = num_op(c, first->coef, u[0].coef, '/');
		for (unsigned j = 0; j < size; j++) {
			const Term *x = &u[g * size + j];
			Term a = scalar_part(x), b = scalar_part(&u[j]);
			if (!same_chain(x, first) || qsort_key(&a, &b) ||
			    !mpq_equal(x->coef->u.num, num_op(c, u[j].coef, k, '*')->u.num))
				return NULL;
		}
		ch[g] = (Term){ k, 0, first->nmat, NULL, first->mat };
	}
	const Expr *f[2] = { to_expr(c, poly_new(c, sc, size)), to_expr(c, poly_new(c, ch, n / size)) };
	return f[0] && f[1] ? expr_make(c->p, E_MUL, f, 2) : NULL;
}

/* P without its last factor (head: its first), or NULL when P is not a
 * product ending (beginning) with f. */
static const Expr *without_end(Canon *c, const Expr *p, const Expr *f, int head)
{
	if (p->kind != E_MUL || p->args[head ? 0 : p->nargs - 1] != f)
		return NULL;
	if (p->nargs == 2)
		return p->args[head ? 1 : 0];
	return expr_make(c->p, E_MUL, p->args + (head ? 1 : 0), p->nargs - 1);
}

/* The mixed product undone where it hides a common factor: with one term
 * ending in kron(C, B), another's kron(C^T C, B^T B) is kron(C^T, B^T)
 * kron(C, B), and kron(C, B) comes out: the Tucker gradient A^T (A G
 * kron(C, B)^T - Y) kron(C, B).  (head: at the beginning of the terms.)
 * NULL when no term splits so. */
static const Expr *kron_unmixed(Canon *c, Term *t, unsigned n, int head)
{
	if (c->unmixing || n < 2 || n > 4 * END_GROUPS_MAX)
		return NULL;
	Term *u = NULL;
	for (unsigned j = 0; j < n; j++) {
		const Expr *end = t[j].nmat ? t[j].mat[head ? 0 : t[j].nmat - 1] : NULL;
		if (!end || end->kind != E_KRON || end->nargs != 2)
			continue;
		if (!u)   /* one copy for all the tries: most sums have no Kronecker end */
			u = alloc(c, n * sizeof *u);
		int split = 0;
		for (unsigned i = 0; i < n; i++) {
			u[i] = t[i];
			const Expr *m = t[i].nmat ? t[i].mat[head ? 0 : t[i].nmat - 1] : NULL, *p, *q;
			if (!m || m == end || m->kind != E_KRON || m->nargs != 2 ||
			    !(p = without_end(c, m->args[0], end->args[0], head)) ||
			    !(q = without_end(c, m->args[1], end->args[1], head)))
				continue;
			const Expr **f = alloc(c, (t[i].nmat + 1) * sizeof *f);
			const Expr *rest = expr_binary(c->p, E_KRON, p, q);
			if (head) {
				f[0] = end, f[1] = rest;
				copy(f + 2, t[i].mat + 1, (t[i].nmat - 1) * sizeof *f);
			} else {
				copy(f, t[i].mat, (t[i].nmat - 1) * sizeof *f);
				f[t[i].nmat - 1] = rest, f[t[i].nmat] = end;
			}
			u[i].mat = f;
			u[i].nmat = t[i].nmat + 1;
			split = 1;
		}
		if (!split)
			continue;
		c->unmixing++;
		const Expr *r = factored(c, u, n);
		c->unmixing--;
		return r;
	}
	return NULL;
}

/* The end of a term that groups: head 1 its first factor, 0 its last;
 * NULL for a term of one factor (the group without an end). */
static const Expr *end_of(const Term *t, int head)
{
	return t->nmat < 2 ? NULL : t->mat[head ? 0 : t->nmat - 1];
}

/* t[0..n) in the groups that key[] (with side[]) gives, each factored on its
 * own; NULL when no group has two terms or one has them all. */
static const Expr *groups_by(Canon *c, Term *t, unsigned n, const Expr *const *key, const int *side)
{
	Term *g = alloc(c, n * sizeof *g);
	const Expr **out = alloc(c, n * sizeof *out);
	unsigned char *done = alloc(c, n);
	memset(done, 0, n);
	unsigned nout = 0;
	int shared = 0;
	for (unsigned i = 0; i < n; i++) {
		if (done[i])
			continue;
		unsigned k = 0;
		for (unsigned j = i; j < n; j++)
			if (!done[j] && key[j] == key[i] && side[j] == side[i]) {
				g[k++] = t[j];
				done[j] = 1;
			}
		shared |= k > 1;
		if (k == n)
			return NULL;
		c->grouping++;
		const Expr *e = factored(c, copy(alloc(c, k * sizeof *g), g, k * sizeof *g), k);
		c->grouping--;
		if (e->kind == E_MUL)   /* lambda (W^T S) is lambda W^T S */
			e = flat_product(c, e);
		for (unsigned j = 0; j < (e->kind == E_ADD ? e->nargs : 1u); j++)
			out[nout++] = e->kind == E_ADD ? e->args[j] : e;
	}
	return shared ? ordered_sum(c, out, nout) : NULL;
}

/* How many of the terms not yet placed end (side 0) or begin (side 1) with f. */
static unsigned end_count(const Term *t, unsigned n, const unsigned char *placed, const Expr *f, int head)
{
	unsigned k = 0;
	for (unsigned i = 0; i < n; i++)
		k += !placed[i] && f && end_of(&t[i], head) == f;
	return k;
}

/* Groups where the first is the terms with end f on side head, and each
 * other term joins the end it shares with the most terms left. */
static const Expr *groups_from(Canon *c, Term *t, unsigned n, const Expr *f, int head)
{
	const Expr **key = alloc(c, n * sizeof *key);
	int *side = alloc(c, n * sizeof *side);
	unsigned char *placed = alloc(c, n);
	memset(placed, 0, n);
	for (unsigned i = 0; i < n; i++)
		if (end_of(&t[i], head) == f)
			key[i] = f, side[i] = head, placed[i] = 1;
	for (unsigned i = 0; i < n; i++) {
		if (placed[i])
			continue;
		const Expr *tail = end_of(&t[i], 0), *lead = end_of(&t[i], 1);
		int h = end_count(t, n, placed, lead, 1) > end_count(t, n, placed, tail, 0);
		key[i] = h ? lead : tail, side[i] = h;
	}
	return groups_by(c, t, n, key, side);
}

/* A sum in groups that each end or begin alike, each factored on its own:
 * the derivative of a projector, kron(Q, I_m) - kron(Q, P) + kron(I_m, Q)
 * K - kron(P, Q) K, is kron(Q, I_m - P) + kron(I_m - P, Q) K, where no
 * factor is common to all four terms; 2 W^T X^T X - 2 Y^T X + lambda W^T L
 * + lambda W^T L^T is 2 (X W - Y)^T X + lambda W^T (L + L^T), one group
 * by its end and one by its beginning; and 1 s^T a - 1 s^T b + b - a is 1
 * s^T (a - b) + b - a.  Each end that two terms share is tried as the first
 * group; the shortest wins.  NULL for too long sums, or when no end is
 * shared (or one is by all: factored_sum's case). */
static const Expr *end_groups(Canon *c, Term *t, unsigned n)
{
	if (c->grouping || n < 3 || n > END_GROUPS_MAX)   /* one level: no groups in groups */
		return NULL;
	const Expr *best = NULL;
	if (n > END_GROUPS_TRIED) {   /* long sums: all by their ends, or all by their beginnings */
		const Expr **key = alloc(c, n * sizeof *key);
		int *side = alloc(c, n * sizeof *side);
		for (int head = 0; head < 2; head++) {
			for (unsigned i = 0; i < n; i++)
				key[i] = end_of(&t[i], head), side[i] = head;
			const Expr *g = groups_by(c, t, n, key, side);
			if (g && (!best || tokens(c, g) < tokens(c, best)))
				best = g;
		}
		return best;
	}
	unsigned char *none = alloc(c, n);
	memset(none, 0, n);
	for (int head = 0; head < 2; head++)
		for (unsigned i = 0; i < n; i++) {
			const Expr *f = end_of(&t[i], head);
			unsigned j = 0;
			while (j < i && end_of(&t[j], head) != f)   /* each end once */
				j++;
			if (j < i || !f || end_count(t, n, none, f, head) < 2)
				continue;
			const Expr *g = groups_from(c, t, n, f, head);
			if (g && (!best || tokens(c, g) < tokens(c, best)))
				best = g;
		}
	return best;
}

/* Whether term t has the scalar atom a to a power of sign sign. */
static int has_scalar(const Term *t, const Expr *a, int sign)
{
	for (unsigned k = 0; k < t->nsc; k++)
		if (t->sc[k].atom == a && num_sign(t->sc[k].exp) == sign)
			return 1;
	return 0;
}

/* A sum with the terms that share a scalar atom in one group, factored on
 * its own, the rest as they are: epsilon + sum(y) - epsilon sum(y) is
 * epsilon + (1 - epsilon) sum(y), and y - r / n + y r / n is y + (y - 1)
 * r / n.  Each atom that some terms share, but not all (factor_common_
 * scalars' case), is tried; the shortest wins.  NULL when none is shared. */
static const Expr *scalar_groups(Canon *c, Term *t, unsigned n)
{
	if (c->grouping || n < 3 || n > END_GROUPS_MAX)   /* one level, as end_groups */
		return NULL;
	const Expr **key = alloc(c, n * sizeof *key);
	int *side = alloc(c, n * sizeof *side);
	const Expr *best = NULL;
	for (unsigned i = 0; i < n; i++)
		for (unsigned k = 0; k < t[i].nsc; k++) {
			const Expr *a = t[i].sc[k].atom;
			int sign = num_sign(t[i].sc[k].exp);
			unsigned first = 0, count = 0;
			while (first < i && !has_scalar(&t[first], a, sign))   /* each atom once */
				first++;
			for (unsigned j = 0; j < n; j++)
				count += has_scalar(&t[j], a, sign);
			if (first < i || count < 2 || count == n)
				continue;
			for (unsigned j = 0; j < n; j++) {
				int in = has_scalar(&t[j], a, sign);
				key[j] = in ? a : NULL, side[j] = in ? sign : 2 + (int)j;
			}
			const Expr *g = groups_by(c, t, n, key, side);
			if (g && (!best || tokens(c, g) < tokens(c, best)))
				best = g;
		}
	/* terms with one number, but not all: ones / 2 + t / 2 + k u is
	 * (ones + t) / 2 + k u (numbers are interned: equal ones are one node) */
	const Expr **mag = alloc(c, n * sizeof *mag);   /* each term's |coefficient| */
	for (unsigned j = 0; j < n; j++)
		mag[j] = num_sign(t[j].coef) < 0 ? num_op(c, t[j].coef, NULL, '-') : t[j].coef;
	for (unsigned i = 0; i < n; i++) {
		unsigned first = 0, count = 0;
		if (expr_is_num(mag[i], 1))
			continue;
		for (unsigned j = 0; j < n; j++) {
			count += mag[j] == mag[i];
			first += j < i && mag[j] == mag[i];
		}
		if (first || count < 2 || count == n)
			continue;
		for (unsigned j = 0; j < n; j++)
			key[j] = mag[j] == mag[i] ? mag[i] : NULL, side[j] = mag[j] == mag[i] ? 0 : 2 + (int)j;
		const Expr *g = groups_by(c, t, n, key, side);
		if (g && (!best || tokens(c, g) < tokens(c, best)))
			best = g;
	}
	return best;
}

/* The power k of base d in the divisor of an element-wise quotient f (a
 * ./ d.^k, a ./ (d .* e)), or 0. */
static long divisor_power(const Expr *f, const Expr *d)
{
	if (f->kind != E_HDIV)
		return 0;
	const Expr *den = f->args[1];
	unsigned n = den->kind == E_HAD ? den->nargs : 1;
	for (unsigned i = 0; i < n; i++) {
		const Expr *g = den->kind == E_HAD ? den->args[i] : den;
		if (g == d)
			return 1;
		if (g->kind == E_EPOW && g->args[0] == d && small_whole(g->args[1]) && num_sign(g->args[1]) > 0)
			return mpz_get_si(mpq_numref(g->args[1]->u.num));
	}
	return 0;
}

/* The bases of f's divisor (f an element-wise quotient) into list. */
static void divisor_bases(const Expr *f, const Expr **list, unsigned *n, unsigned cap)
{
	if (f->kind != E_HDIV)
		return;
	const Expr *den = f->args[1];
	unsigned k = den->kind == E_HAD ? den->nargs : 1;
	for (unsigned i = 0; i < k && *n < cap; i++) {
		const Expr *g = den->kind == E_HAD ? den->args[i] : den;
		if (g->kind == E_EPOW)
			g = g->args[0];
		unsigned j = 0;
		while (j < *n && list[j] != g)
			j++;
		if (j == *n)
			list[(*n)++] = g;
	}
}

/* Term t's one factor f, untransposed (*trans set when it was), as the
 * term: the part of t that common_denominator and diagonal_sum rewrite. */
static const Expr *plain_factor(const Term *t, int *trans)
{
	if (t->nmat != 1)
		return NULL;
	const Expr *f = t->mat[0];
	*trans = f->kind == E_TRANS;
	return *trans ? f->args[0] : f;
}

/* Term t with its one factor replaced by f, written out with its sign. */
static const Expr *term_with(Canon *c, const Term *t, const Expr *f)
{
	Term u = *t;
	u.mat = &f;
	return signed_term(c, &u);
}

/* Element-wise quotients over one divisor: a ./ d - b ./ d.^2 is (a .* d
 * - b) ./ d.^2, and a - b ./ d is (a .* d - b) ./ d, the numerator simplified (the Geman-McClure loss's r ./ (c
 * ones + r.^2) - r.^3 ./ (c ones + r.^2).^2 is c r ./ (c ones +
 * r.^2).^2; Itakura-Saito's ones ./ (W H) - X ./ (W H).^2 is (W H - X) ./
 * (W H).^2).  Each divisor that two terms or more share (all transposed,
 * or none) is tried; the shortest wins.  NULL when none is shared. */
static const Expr *common_denominator(Canon *c, Term *t, unsigned n)
{
	enum { BASES_MAX = 8 };
	if (n < 2 || n > END_GROUPS_MAX)
		return NULL;
	const Expr *base[BASES_MAX];
	unsigned nb = 0;
	int tr;
	for (unsigned i = 0; i < n; i++) {
		const Expr *f = plain_factor(&t[i], &tr);
		if (f)
			divisor_bases(f, base, &nb, BASES_MAX);
	}
	const Expr *best = NULL;
	for (unsigned b = 0; b < nb; b++)
		for (int trans = 0; trans < 2; trans++) {
			long most = 0;
			unsigned in = 0, with = 0;
			for (unsigned i = 0; i < n; i++) {
				const Expr *f = plain_factor(&t[i], &tr);
				long k = f && tr == trans ? divisor_power(f, base[b]) : 0;
				in += k > 0, most = k > most ? k : most;
				with += f && tr == trans;
			}
			if (in < 1 || with < 2)   /* ones - w.^2 ./ d is (d - w.^2) ./ d too */
				continue;
			const Expr *dk = most == 1 ? base[b] : expr_binary(c->p, E_EPOW, base[b], expr_int(c->p, most));
			const Expr **part = alloc(c, n * sizeof *part), **out = alloc(c, (n + 1) * sizeof *out);
			unsigned np = 0, no = 0;
			for (unsigned i = 0; i < n; i++) {
				const Expr *f = plain_factor(&t[i], &tr);
				if (f && tr == trans)
					part[np++] = expr_binary(c->p, E_HAD, term_with(c, &t[i], f), dk);
				else
					out[no++] = signed_term(c, &t[i]);
			}
			c->nested++;
			const Expr *num = to_expr(c, canon(c, expr_make(c->p, E_ADD, part, np)));
			c->nested--;
			if (num) {
				const Expr *q = expr_binary(c->p, E_HDIV, num, dk);
				out[no++] = trans ? expr_unary(c->p, E_TRANS, q) : q;
			}
			if (no == 0)
				continue;
			const Expr *r = no == 1 ? out[0] : ordered_sum(c, out, no);
			if (!best || tokens(c, r) < tokens(c, best))
				best = r;
		}
	return best;
}

/* The vector v of a diagonal matrix diag(v), or ones ./ v for diag(v)^-1;
 * NULL for any other factor. */
static const Expr *diagonal_vector(Canon *c, const Expr *f)
{
	const Expr *v = diagonal_of(c, f);
	if (v)
		return v;
	if (f->kind == E_IDENT && f->nargs == 1)   /* I_n is diag(ones_n) */
		return expr_make(c->p, E_ONES, f->args, 1);
	if (f->kind == E_INV && (v = diagonal_of(c, f->args[0]))) {
		const Expr *rows = shape(c, v).rows;
		return expr_binary(c->p, E_HDIV, expr_make(c->p, E_ONES, &rows, 1), v);
	}
	return NULL;
}

/* Diagonal matrices as one: alpha diag(u) + diag(v) is diag(alpha u + v),
 * and diag(d)^-1 - diag(a ./ d.^2) is diag((d - a) ./ d.^2), its vector a
 * sum of its own (the derivatives of element-wise activations: softsign,
 * ELU, GELU).  NULL when fewer than two terms are diagonal. */
static const Expr *diagonal_sum(Canon *c, Term *t, unsigned n)
{
	if (n < 2 || n > 4 * END_GROUPS_MAX)
		return NULL;
	const Expr **part = alloc(c, n * sizeof *part), **out = alloc(c, (n + 1) * sizeof *out);
	unsigned np = 0, no = 0;
	for (unsigned i = 0; i < n; i++) {
		const Expr *v = t[i].nmat == 1 ? diagonal_vector(c, t[i].mat[0]) : NULL;
		if (v)
			part[np++] = term_with(c, &t[i], v);
		else
			out[no++] = signed_term(c, &t[i]);
	}
	if (np < 2)
		return NULL;
	const Expr *v = to_expr(c, canon(c, expr_make(c->p, E_ADD, part, np)));
	if (v)
		out[no++] = expr_func(c->p, F_DIAG, lead_minus(c, v));
	if (no == 0)
		return NULL;
	return no == 1 ? out[0] : ordered_sum(c, out, no);
}

/* A sum of vectors with its 1 x 1 chains put back into the vectors'
 * chains, after a column and before a row (transposed), where they may
 * share a factor: (a^T x) a + (b^T x) b is (a a^T + b b^T) x, and (b^T x)
 * a^T + (a^T x) b^T is x^T (b a^T + a b^T).  NULL when there are none. */
static const Expr *unlifted(Canon *c, Term *t, unsigned n)
{
	if (c->unlifting || n < 2)
		return NULL;
	if (!t[0].nmat)
		return NULL;
	int row = dim_is_one(shape(c, t[0].mat[0]).rows), col = dim_is_one(shape(c, t[0].mat[t[0].nmat - 1]).cols);
	if (row && col)
		return oriented_scalars(c, t, n);
	if (row == col)
		return NULL;
	int any = 0;
	for (unsigned i = 0; i < n; i++) {
		if (!t[i].nmat)
			return NULL;
		for (unsigned j = 0; j < t[i].nsc; j++)
			any |= t[i].sc[j].atom->kind == E_MUL && expr_is_num(t[i].sc[j].exp, 1);
	}
	if (!any)
		return NULL;
	Term *u = alloc(c, n * sizeof *u);
	for (unsigned i = 0; i < n; i++) {
		unsigned extra = 0;
		for (unsigned j = 0; j < t[i].nsc; j++)
			if (t[i].sc[j].atom->kind == E_MUL && expr_is_num(t[i].sc[j].exp, 1))
				extra += t[i].sc[j].atom->nargs;
		const Expr **m = alloc(c, (t[i].nmat + extra) * sizeof *m);
		SPow *sc = alloc(c, (t[i].nsc + 1) * sizeof *sc);
		unsigned nm = 0, ns = 0;
		if (col)
			for (unsigned k = 0; k < t[i].nmat; k++)
				m[nm++] = t[i].mat[k];
		for (unsigned j = 0; j < t[i].nsc; j++) {
			const Expr *a = t[i].sc[j].atom;
			if (a->kind != E_MUL || !expr_is_num(t[i].sc[j].exp, 1)) {
				sc[ns++] = t[i].sc[j];
				continue;
			}
			if (row)
				a = chain_transposed(c, a);
			for (unsigned k = 0; k < a->nargs; k++)
				m[nm++] = a->args[k];
		}
		if (row)
			for (unsigned k = 0; k < t[i].nmat; k++)
				m[nm++] = t[i].mat[k];
		u[i] = t[i];
		u[i].mat = m;
		u[i].nmat = nm;
		u[i].sc = sc;
		u[i].nsc = ns;
	}
	c->unlifting = 1;
	const Expr *r = factored(c, u, n);
	c->unlifting = 0;
	return r;
}

/* The terms with an end factor B^k (k > 1, whole) split as B B^(k-1)
 * where another term ends in B, the same side, and factored: lambda K a -
 * K y + K^2 a is K (K a + lambda a - y).  NULL when nothing splits. */
static const Expr *powers_split(Canon *c, Term *t, unsigned n)
{
	if (c->unlifting || n < 2)
		return NULL;
	Term *u = NULL;
	for (int side = 0; side < 2; side++)
		for (unsigned i = 0; i < n; i++) {
			const Term *ti = u ? &u[i] : &t[i];
			if (!ti->nmat)
				continue;
			const Expr *f = ti->mat[side ? ti->nmat - 1 : 0];
			if (f->kind != E_POW || !small_whole(f->args[1]) || mpz_cmp_ui(mpq_numref(f->args[1]->u.num), 2) < 0)
				continue;
			unsigned j = 0;
			while (j < n && !(t[j].nmat && t[j].mat[side ? t[j].nmat - 1 : 0] == f->args[0]))
				j++;
			if (j == n)
				continue;
			if (!u)
				u = copy(alloc(c, n * sizeof *u), t, n * sizeof *u);
			const Expr **m = alloc(c, (ti->nmat + 1) * sizeof *m);
			long k = mpz_get_si(mpq_numref(f->args[1]->u.num)) - 1;
			const Expr *rest = k == 1 ? f->args[0] : expr_binary(c->p, E_POW, f->args[0], expr_int(c->p, k));
			if (side) {
				copy(m, ti->mat, (ti->nmat - 1) * sizeof *m);
				m[ti->nmat - 1] = rest;
				m[ti->nmat] = f->args[0];
			} else {
				m[0] = f->args[0];
				m[1] = rest;
				copy(m + 2, ti->mat + 1, (ti->nmat - 1) * sizeof *m);
			}
			u[i].mat = m;
			u[i].nmat = ti->nmat + 1;
		}
	if (!u)
		return NULL;
	c->unlifting = 1;
	const Expr *r = maybe_transposed(c, u, n, factored_sum(c, u, n));
	c->unlifting = 0;
	return r;
}

/* A sum with a term k I whose other terms all end in one inverse M^-1
 * (the same side), with k I written k M M^-1 and M^-1 pulled out: P M^-1
 * + I is (P + M) M^-1, and P + M simplified (the Cayley transform's
 * (I - X) (I + X)^-1 + I is 2 (I + X)^-1).  NULL when there is none. */
static const Expr *identity_absorbed(Canon *c, Term *t, unsigned n)
{
	if (c->unlifting || n < 2)
		return NULL;
	unsigned z = n;
	for (unsigned i = 0; i < n && z == n; i++)
		if (t[i].nmat == 1 && t[i].nsc == 0 && t[i].mat[0]->kind == E_IDENT)
			z = i;
	if (z == n)
		return NULL;
	for (int right = 1; right >= 0; right--) {
		const Expr *f = NULL;
		unsigned i = 0;
		for (; i < n; i++) {
			if (i == z)
				continue;
			const Expr *g = t[i].nmat ? t[i].mat[right ? t[i].nmat - 1 : 0] : NULL;
			if (!g || g->kind != E_INV || (f && g != f))
				break;
			f = g;
		}
		if (i < n || !f)
			continue;
		const Expr **terms = alloc(c, n * sizeof *terms);
		for (i = 0; i < n; i++) {
			Term u = t[i];
			if (i == z) {
				u.mat = (const Expr **)&f->args[0];
			} else if (u.nmat == 1) {
				u.mat = (const Expr **)&t[z].mat[0];   /* k M^-1 leaves k I */
			} else {
				u.nmat--;
				u.mat = t[i].mat + (right ? 0 : 1);
			}
			terms[i] = signed_term(c, &u);
		}
		c->nested++;
		const Expr *inner = to_expr(c, canon(c, expr_make(c->p, E_ADD, terms, n)));
		c->nested--;
		if (!inner)
			return NULL;
		return right ? mul_lead(c, inner, f) : mul_lead(c, f, inner);
	}
	return NULL;
}

/* A 1 x 1 chain the other way round: y^T z is z^T y. */
static const Expr *chain_transposed(Canon *c, const Expr *a)
{
	const Expr **f = alloc(c, a->nargs * sizeof *f);
	for (unsigned i = 0; i < a->nargs; i++)
		f[a->nargs - 1 - i] = pushed_transpose(c, a->args[i]);
	return expr_make(c->p, E_MUL, f, a->nargs);
}

/* A sum of scalars that are 1 x 1 chains, each turned the way round that
 * ends it with a factor they share, which then comes out: y^T z - z^T s
 * is (y - s)^T z, and p^T A^T A x + alpha p^T A^T A p - b^T A p is (A (x +
 * alpha p) - b)^T A p.  NULL when they share no end. */
static const Expr *oriented_scalars(Canon *c, Term *t, unsigned n)
{
	const Expr **chain = alloc(c, n * sizeof *chain);
	for (unsigned i = 0; i < n; i++) {
		if (t[i].nmat < 2)
			return NULL;
		chain[i] = expr_make(c->p, E_MUL, t[i].mat, t[i].nmat);
	}
	for (int way = 0; way < 2; way++) {
		const Expr *c0 = way ? chain_transposed(c, chain[0]) : chain[0];
		const Expr *f = c0->args[c0->nargs - 1];
		Term *u = alloc(c, n * sizeof *u);
		unsigned i = 0, turned = 0;
		for (; i < n; i++) {
			const Expr *o = chain[i];
			if (o->args[o->nargs - 1] != f) {
				o = chain_transposed(c, o);
				turned++;
				if (o->args[o->nargs - 1] != f)
					break;
			}
			u[i] = t[i];
			u[i].mat = (const Expr **)o->args;
			u[i].nmat = o->nargs;
		}
		if (i < n || !turned)   /* unturned, the plain factoring saw it */
			continue;
		c->unlifting = 1;
		const Expr *r = factored(c, u, n);
		c->unlifting = 0;
		return r;
	}
	return NULL;
}

/* k e, with k joining e's own product (2 (a b) is 2 a b) or numerator. */
static const Expr *scaled(Canon *c, const Expr *k, const Expr *e)
{
	if (e->kind == E_DIV) {
		const Expr *top = scaled(c, k, e->args[0]);
		return expr_binary(c->p, E_DIV, top, e->args[1]);
	}
	unsigned n = e->kind == E_MUL ? e->nargs : 1;
	const Expr **a = alloc(c, (n + 1) * sizeof *a);
	a[0] = k;
	if (e->kind == E_MUL)
		copy(a + 1, e->args, n * sizeof *a);
	else
		a[1] = e;
	return expr_make(c->p, E_MUL, a, n + 1);
}

/* The numeric content of a sum: the gcd of the numerators (over their
 * common denominator, when they all have one: 1/2 a - 1/2 b = 1/2 (a - b)),
 * negative when every coefficient is. */
static const Expr *content(Canon *c, const Term *t, unsigned n)
{
	return numeric_content(c, t, n, 0);
}

static const Expr *factored_sum(Canon *c, Term *t, unsigned n)
{
	const Expr *h = factor_common_hadamard(c, t, n);
	if (h || (h = factor_common_kron(c, t, n)))
		return h;
	int all_same = 1;
	for (unsigned i = 1; i < n; i++)
		all_same &= same_chain(&t[0], &t[i]);
	if (all_same && t[0].nmat > 0)
		return factor_chain(c, t, n);
	/* A common matrix factor is pulled out even where its brackets cost a
	 * token more than the factor saves: the textbook writes (A + A^T) x,
	 * and the layouts then transpose into each other. */
	const Expr *f = factor_common_matrix(c, t, n);
	return f ? f : grouped_sum(c, t, n);
}

/* A factor of a Hadamard product that every term is: h .* a - h .* b is
 * h .* (a - b), and a - b simplified as a sum of its own (W^T p - W^T y is
 * W^T (p - y)).  NULL when there is none, or it would not be shorter. */
static const Expr *factor_common_hadamard(Canon *c, Term *t, unsigned n)
{
	if (n < 2)
		return NULL;
	/* a term that is the factor alone leaves ones: s .* a + s = s .* (a +
	 * ones), for a column */
	const Expr *h0 = NULL, *h = NULL;
	for (unsigned i = 0; i < n; i++) {
		if (t[i].nmat != 1)
			return NULL;
		if (!h0 && t[i].mat[0]->kind == E_HAD)
			h0 = t[i].mat[0];
	}
	if (!h0)
		return NULL;
	Shape sh = shape(c, h0);
	int column = dim_is_one(sh.cols);
	for (unsigned k = 0; k < h0->nargs && !h; k++) {
		h = h0->args[k];
		for (unsigned i = 0; i < n && h; i++) {
			const Expr *g = t[i].mat[0];
			if (g->kind != E_HAD) {
				if (g != h || !column)
					h = NULL;
				continue;
			}
			unsigned j = 0;
			while (j < g->nargs && g->args[j] != h)
				j++;
			if (j == g->nargs)
				h = NULL;
		}
	}
	if (!h)
		return NULL;
	const Expr **others = alloc(c, n * sizeof *others);
	for (unsigned i = 0; i < n; i++) {
		const Expr *g = t[i].mat[0];
		if (g->kind != E_HAD) {
			others[i] = expr_make(c->p, E_ONES, &sh.rows, 1);
			continue;
		}
		const Expr **rest = alloc(c, g->nargs * sizeof *rest);
		unsigned nr = 0, dropped = 0;
		for (unsigned j = 0; j < g->nargs; j++)
			if (g->args[j] != h || dropped++)
				rest[nr++] = g->args[j];
		others[i] = nr == 1 ? rest[0] : expr_make(c->p, E_HAD, rest, nr);
	}
	const Expr *inner = inner_sum(c, t, n, others);
	if (!inner)
		return NULL;
	const Expr *pair[2] = { h, inner };
	const Expr *r = expr_make(c->p, E_HAD, pair, 2);
	/* as long as the sum too: the textbook's c .* (sigmoid(X w) - y) */
	return tokens(c, r) <= tokens(c, plain_sum(c, t, n)) ? r : NULL;
}

/* The terms t[0..n) with their one matrix factor replaced by rest[i], as
 * one sum simplified on its own: what a common factor leaves. */
static const Expr *inner_sum(Canon *c, Term *t, unsigned n, const Expr *const *rest)
{
	const Expr **terms = alloc(c, n * sizeof *terms);
	for (unsigned i = 0; i < n; i++) {
		Term u = t[i];
		u.mat = alloc(c, sizeof *u.mat);
		u.nmat = 1;
		u.mat[0] = rest[i];
		terms[i] = signed_term(c, &u);
	}
	c->nested++;
	const Expr *inner = to_expr(c, canon(c, expr_make(c->p, E_ADD, terms, n)));
	c->nested--;
	return inner;
}

/* kron is linear in each operand: kron(x^T, D) - kron(x^T, s s^T) is
 * kron(x^T, D - s s^T).  NULL when the terms share no operand in one place
 * or that is not shorter. */
static const Expr *factor_common_kron(Canon *c, Term *t, unsigned n)
{
	if (n < 2)
		return NULL;
	/* each term's chain as one kron, a neighbour absorbed: s kron(x^T, s^T)
	 * is kron(x^T, s s^T) here, to meet kron(x^T, diag(s)) */
	const Expr **k = alloc(c, n * sizeof *k);
	for (int way = 1; way <= 2; way++)
	for (unsigned side = 0; side < 2; side++) {
		unsigned i = 0;
		for (; i < n; i++) {
			k[i] = t[i].nmat == 1 ? t[i].mat[0]
			       : t[i].nmat == 2 ? absorbed_kron(c, t[i].mat[0], t[i].mat[1], way) : NULL;
			if (!k[i] || k[i]->kind != E_KRON || k[i]->nargs != 2)
				return NULL;
		}
		const Expr *common = k[0]->args[side];
		i = 1;
		while (i < n && k[i]->args[side] == common)
			i++;
		if (i < n)
			continue;
		const Expr **others = alloc(c, n * sizeof *others);
		for (i = 0; i < n; i++)
			others[i] = k[i]->args[1 - side];
		const Expr *inner = inner_sum(c, t, n, others);
		if (!inner)
			return NULL;
		const Expr *f[2] = { side ? inner : common, side ? common : inner };
		const Expr *r = expr_make(c->p, E_KRON, f, 2);
		return tokens(c, r) < tokens(c, plain_sum(c, t, n)) ? r : NULL;
	}
	return NULL;
}

/* Runs of equal chains grouped (collect sorted them together), the rest
 * as plain terms. */
static const Expr *grouped_sum(Canon *c, Term *t, unsigned n)
{
	const Expr **out = alloc(c, n * sizeof *out);
	unsigned k = 0, i = 0;
	int grouped = 0;
	while (i < n) {
		unsigned j = i + 1;
		while (j < n && t[i].nmat > 0 && same_chain(&t[i], &t[j]))
			j++;
		if (j - i > 1) {
			out[k++] = factor_chain(c, t + i, j - i);
			grouped = 1;
		} else {
			out[k++] = NULL;
		}
		i = j;
	}
	if (!grouped)
		return plain_sum(c, t, n);
	/* rebuild: grouped chains as products, the rest as plain terms */
	const Expr **res = alloc(c, n * sizeof *res);
	unsigned nr = 0;
	i = 0;
	for (unsigned g = 0; g < k; g++) {
		unsigned j = i + 1;
		while (j < n && t[i].nmat > 0 && same_chain(&t[i], &t[j]))
			j++;
		if (out[g])
			res[nr++] = out[g];
		else
			res[nr++] = signed_term(c, &t[i]);
		i = j;
	}
	return ordered_sum(c, res, nr);
}

const Expr *to_expr(Canon *c, const Poly *q)
{
	if (q->n == 0)
		return NULL;
	pool_check_budget(c->p);   /* a safe point: see expr.h */
	Term *t = alloc(c, q->n * sizeof *t);
	copy(t, q->t, q->n * sizeof *t);
	return factored(c, t, q->n);
}

/* The terms of a sum written with a minus: -t, a negative number, -2 t. */
static unsigned minuses(const Expr *s)
{
	unsigned k = 0;
	for (unsigned i = 0; i < s->nargs; i++) {
		const Expr *t = s->args[i]->kind == E_MUL ? s->args[i]->args[0] : s->args[i];
		k += t->kind == E_NEG || (t->kind == E_NUM && mpq_sgn(t->u.num) < 0);
	}
	return k;
}

/* e with one of its multiplicative factors, a sum, negated, when the
 * negated sum has no more minuses than it: -x (y - a) is x (a - y), one
 * token shorter.  NULL when there is none. */
static const Expr *flip_factor(Canon *c, const Expr *e)
{
	const Expr *r;
	switch (e->kind) {
	case E_ADD: {   /* -s in its canonical form, so that it reads back the same */
		r = to_expr(c, canon(c, expr_unary(c->p, E_NEG, e)));
		/* and no longer: the normal form of a big sum can be (a deep
		 * composition's chain-rule answer grew 607 to 772 tokens) */
		return r->kind == E_ADD && minuses(r) < minuses(e) + 1 && tokens(c, r) <= tokens(c, e) ? r : NULL;
	}
	case E_MUL: case E_HAD: case E_KRON:
		for (unsigned i = 0; i < e->nargs; i++)
			if ((r = flip_factor(c, e->args[i]))) {
				const Expr **a = alloc(c, e->nargs * sizeof *a);
				copy(a, e->args, e->nargs * sizeof *a);
				a[i] = r;
				return expr_make(c->p, e->kind, a, e->nargs);
			}
		return NULL;
	case E_TRANS:
		return (r = flip_factor(c, e->args[0])) ? expr_unary(c->p, E_TRANS, r) : NULL;
	case E_DIV:
		return (r = flip_factor(c, e->args[0])) ? expr_binary(c->p, E_DIV, r, e->args[1]) : NULL;
	default:
		return NULL;
	}
}

static const Expr *minus_inside(Canon *c, const Expr *e);
static const Expr *distributed(Canon *c, const Expr *e);
static unsigned pair_tokens(Canon *c, const Expr *e);
static const Expr *hadamard_as_diag(Canon *c, const Expr *e);
static const Expr *diag_terms(Canon *c, const Expr *e);
static const Expr *divided_terms(Canon *c, const Expr *e);
static const Expr *transposed_sum(Canon *c, const Expr *s);
static const Expr *expanded_identity(Canon *c, const Expr *e);
static const Expr *multiplied_out(Canon *c, const Expr *e);
static const Expr *positive_first(Canon *c, const Expr *e);
static const Expr *over_n_terms(Canon *c, const Expr *e);
static const Expr *argument_alone(Canon *c, const Expr *f);
static const Expr *over_n(Canon *c, const Expr *t, int first);

/* A term k / n as printed: 1/2 A B is A B / 2 (a token shorter), -1/2 A B
 * is -A B / 2; other coefficients stay in front. */
static const Expr *over_n(Canon *c, const Expr *t, int first)
{
	int neg = t->kind == E_NEG;
	const Expr *m = neg ? t->args[0] : t, *below = NULL;
	if (m->kind == E_DIV && m->args[0]->kind == E_MUL) {   /* (1/2 a) / b is a / (2 b) */
		below = m->args[1];
		m = m->args[0];
	}
	if (m->kind != E_MUL || m->args[0]->kind != E_NUM)
		return t;
	mpq_srcptr k = m->args[0]->u.num;
	if (mpz_cmpabs_ui(mpq_numref(k), 1) != 0 || mpz_cmp_ui(mpq_denref(k), 1) == 0)
		return t;
	neg ^= mpq_sgn(k) < 0;
	const Expr *rest = m->nargs == 2 ? m->args[1] : expr_make(c->p, E_MUL, m->args + 1, m->nargs - 1);
	mpq_t d;
	mpq_init(d);
	mpq_set_z(d, mpq_denref(k));
	const Expr *n = expr_num(c->p, d);
	const Expr *r = expr_binary(c->p, E_DIV, rest, below ? expr_binary(c->p, E_MUL, n, below) : n);
	mpq_clear(d);
	if (neg) {
		r = expr_unary(c->p, E_NEG, r);
		if (first)
			r = minus_inside(c, r);
	}
	/* not when brackets come with it: -1/2 (a^T b) C, not -((a^T b) C) / 2 */
	return tokens(c, r) <= tokens(c, t) ? r : t;
}

/* -(A B) as -A B and the like (minus_inside, below). */
const Expr *lead_minus(Canon *c, const Expr *e)
{
	return minus_inside(c, e);
}

/* A minus before a sum spread over its terms: -(a + b) is -a - b, two
 * tokens fewer. */
static const Expr *spread_minus(Canon *c, const Expr *e)
{
	if (e->kind != E_NEG || e->args[0]->kind != E_ADD)
		return e;
	const Expr *s = e->args[0];
	const Expr **t = alloc(c, s->nargs * sizeof *t);
	for (unsigned i = 0; i < s->nargs; i++) {
		const Expr *a = s->args[i];
		t[i] = a->kind == E_NEG ? a->args[0] : a->kind == E_NUM ? num_op(c, a, a, '-')
		       : expr_unary(c->p, E_NEG, a);
	}
	if (t[0]->kind == E_NEG)
		t[0] = minus_inside(c, t[0]);
	return expr_make(c->p, E_ADD, t, s->nargs);
}

/* The length of e and of e^T (transposes pushed in), as the two layouts
 * print them. */
static unsigned pair_tokens(Canon *c, const Expr *e)
{
	return tokens(c, e) + (is_scalar(c, e) ? 0 : tokens(c, tidy(c, pushed_transpose(c, e))));
}

/* A product with a matrix factor in it: W^T r, not 2 (t - y). */
static int carries_back(Canon *c, const Expr *e)
{
	if (e->kind != E_MUL)
		return 0;
	for (unsigned i = 0; i < e->nargs; i++) {
		Shape s = shape(c, e->args[i]);
		if (!dim_is_one(s.rows) && !dim_is_one(s.cols))
			return 1;
	}
	return 0;
}

/* u^T for a product u, its factors reversed and transposed, but a
 * Hadamard product kept whole, (a .* b)^T, to be written with diag in
 * turn. */
static const Expr *transposed_chain(Canon *c, const Expr *u)
{
	const Expr **a = alloc(c, u->nargs * sizeof *a);
	for (unsigned i = 0; i < u->nargs; i++) {
		const Expr *f = u->args[i];
		a[u->nargs - 1 - i] = f->kind == E_HAD && !is_scalar(c, f) ? expr_unary(c->p, E_TRANS, f)
				      : pushed_transpose(c, f);
	}
	return expr_make(c->p, E_MUL, a, u->nargs);
}

/* The factors of h, a column, as u .* v: u the first that is a product (the
 * vector a chain carries back, W^T r), v the others; 0 if none is one. */
static int split_hadamard(Canon *c, const Expr *h, const Expr **u, const Expr **v)
{
	if (h->kind != E_HAD || !dim_is_one(shape(c, h).cols))
		return 0;
	unsigned k = h->nargs;
	for (unsigned i = 0; i < h->nargs && k == h->nargs; i++)
		if (carries_back(c, h->args[i]))
			k = i;
	if (k == h->nargs)
		return 0;
	const Expr **rest = alloc(c, h->nargs * sizeof *rest);
	unsigned n = 0;
	for (unsigned i = 0; i < h->nargs; i++)
		if (i != k)
			rest[n++] = h->args[i];
	*u = h->args[k];
	*v = n == 1 ? rest[0] : expr_make(c->p, E_HAD, rest, n);
	return 1;
}

/* The factors of a chain being rewritten, in an array: a deep network's
 * chain is rewritten a layer at a time, and a node per step would make
 * that quadratic. */
typedef struct {
	const Expr **f;
	unsigned n, cap;
} Chain;

/* f[i] replaced by the factors of each of with[0..nw) (a product is
 * spliced in). */
static void chain_replace(Canon *c, Chain *ch, unsigned i, const Expr *const *with, unsigned nw)
{
	unsigned add = 0;
	for (unsigned k = 0; k < nw; k++)
		add += with[k]->kind == E_MUL ? with[k]->nargs : 1;
	if (ch->n - 1 + add > ch->cap) {
		unsigned cap = 2 * (ch->n + add);
		const Expr **f = alloc(c, cap * sizeof *f);
		copy(f, ch->f, ch->n * sizeof *f);
		ch->f = f;
		ch->cap = cap;
	}
	memmove(ch->f + i + add, ch->f + i + 1, (ch->n - i - 1) * sizeof *ch->f);
	unsigned at = i;
	for (unsigned k = 0; k < nw; k++)
		if (with[k]->kind == E_MUL)
			for (unsigned m = 0; m < with[k]->nargs; m++)
				ch->f[at++] = with[k]->args[m];
		else
			ch->f[at++] = with[k];
	ch->n += add - 1;
}

/* The length of a few factors of a chain, as they print inside it. */
static unsigned piece_tokens(Canon *c, const Expr *const *f, unsigned n)
{
	return tokens(c, flat_product(c, expr_make(c->p, E_MUL, f, n)));
}

/* One layer of hadamard_as_diag: 1 if ch changed.  The choice is made on
 * the length counted with the other layout's form, so that both layouts
 * choose alike (r^T W2 .* s^T W1 stays, as W1^T (W2^T r .* s) does).
 * Lengths add up over the factors of a chain, so only the changed factors
 * are measured, beside one neighbour (which decides their brackets), and
 * their transposes are built from the parts. */
static int diag_step(Canon *c, Chain *ch)
{
	unsigned n = ch->n, j = 0;
	const Expr **f = ch->f;
	while (j < n && is_scalar(c, f[j]))   /* numbers and scalars lead */
		j++;
	if (j + 1 >= n)
		return 0;
	const Expr *first = f[j], *last = f[n - 1], *u, *v, *h = NULL;
	int at_start = 1;
	if (first->kind == E_HAD && dim_is_one(shape(c, first).rows))
		h = tidy(c, pushed_transpose(c, first));   /* a row: r^T W .* s^T, transposes pushed in */
	else if (first->kind == E_TRANS)
		h = first->args[0];
	if (!h || !split_hadamard(c, h, &u, &v)) {
		h = last;
		at_start = 0;
		if (!split_hadamard(c, h, &u, &v))
			return 0;
	}
	const Expr *d = expr_func(c->p, F_DIAG, v), *ut = transposed_chain(c, u);
	const Expr *nb = at_start ? f[j + 1] : f[n - 2], *nbt = pushed_transpose(c, nb);
	/* h as a row, the shorter way: (u .* v)^T, or u^T .* v^T */
	const Expr *pair[2] = { ut, pushed_transpose(c, v) };
	const Expr *rows[2] = { expr_unary(c->p, E_TRANS, h), expr_make(c->p, E_HAD, pair, 2) };
	unsigned before, after;
	if (at_start) {   /* h^T nb, and nb^T h */
		const Expr *o1[2] = { rows[0], nb }, *o2[2] = { rows[1], nb }, *ot[2] = { nbt, h };
		const Expr *w[3] = { ut, d, nb }, *wt[3] = { nbt, d, u };
		unsigned r1 = piece_tokens(c, o1, 2), r2 = piece_tokens(c, o2, 2);
		before = (r1 < r2 ? r1 : r2) + piece_tokens(c, ot, 2);
		after = piece_tokens(c, w, 3) + piece_tokens(c, wt, 3);
	} else {          /* nb h, and h^T nb^T */
		const Expr *o[2] = { nb, h }, *ot1[2] = { rows[0], nbt }, *ot2[2] = { rows[1], nbt };
		const Expr *w[3] = { nb, d, u }, *wt[3] = { ut, d, nbt };
		unsigned r1 = piece_tokens(c, ot1, 2), r2 = piece_tokens(c, ot2, 2);
		before = piece_tokens(c, o, 2) + (r1 < r2 ? r1 : r2);
		after = piece_tokens(c, w, 3) + piece_tokens(c, wt, 3);
	}
	if (after > before)   /* on a tie, diag: the textbooks' form */
		return 0;
	const Expr *start[2] = { ut, d }, *end[2] = { d, u };
	chain_replace(c, ch, at_start ? j : n - 1, at_start ? start : end, 2);
	return 1;
}

/* A chain that starts with (u .* v)^T or ends with u .* v, written with
 * diag(v), as backpropagation is in the textbooks, where that is shorter:
 * (W2^T r .* (ones - t.^2))^T W1 is r^T W2 diag(ones - t.^2) W1, and
 * W1^T (W2^T r .* (ones - t.^2)) is W1^T diag(ones - t.^2) W2^T r.  Layer
 * after layer, each step shortening it (so it ends). */
static const Expr *hadamard_as_diag(Canon *c, const Expr *e)
{
	if (e->kind != E_MUL)
		return e;
	Chain ch = { alloc(c, e->nargs * sizeof *ch.f), e->nargs, e->nargs };
	copy(ch.f, e->args, e->nargs * sizeof *ch.f);
	int changed = 0;
	while (diag_step(c, &ch))
		changed = 1;
	return changed ? tidy(c, expr_make(c->p, E_MUL, ch.f, ch.n)) : e;
}

/* A sum that a product brackets, (x^T - a^T), as one transposed sum,
 * (x - a)^T, when that is shorter. */
static const Expr *transposed_sum(Canon *c, const Expr *s)
{
	if (s->kind != E_ADD || is_scalar(c, s))
		return s;
	const Expr *t = expr_unary(c->p, E_TRANS, lead_minus(c, tidy(c, pushed_transpose(c, s))));
	return tokens(c, t) < tokens(c, s) + 2 ? t : s;   /* s needs its brackets too */
}

/* A function's argument stands alone, as a term at the top does: its
 * coefficient 1/n as a division (exp(-||x - y||^2 / 2), not exp(-1/2 ||x
 * - y||^2)) and a minus on its first factor (exp(-sqrt(3) r / rho)). */
static const Expr *argument_alone(Canon *c, const Expr *f)
{
	const Expr *a = over_n(c, f->args[0], 1);
	if (a->kind == E_DIV && a->args[0]->kind == E_NEG) {
		const Expr *top = minus_inside(c, a->args[0]);
		if (top != a->args[0])
			a = expr_binary(c->p, E_DIV, top, a->args[1]);
	}
	return a == f->args[0] ? f : expr_func(c->p, f->fn, a);
}

/* Products as printed, everywhere in e: 1 x 1 chains joined to vector
 * chains (chained_scalars). */
static const Expr *presented_node(Canon *c, const Expr *e)
{
	const void *v;
	if (e->nargs == 0 || e->kind == E_DIM || e->kind == E_IDENT || e->kind == E_ONES || e->kind == E_COMM)
		return e;
	if (map_get(&c->shown, e, &v))
		return v;
	const Expr **a = alloc(c, e->nargs * sizeof *a);
	int changed = 0;
	for (unsigned i = 0; i < e->nargs; i++) {
		a[i] = presented_node(c, e->args[i]);
		changed |= a[i] != e->args[i];
	}
	if (e->kind == E_MUL || e->kind == E_DIV)   /* a bracketed sum of transposes */
		for (unsigned i = 0; i < (e->kind == E_DIV ? 1u : e->nargs); i++) {
			const Expr *t = transposed_sum(c, a[i]);
			changed |= t != a[i];
			a[i] = t;
		}
	const Expr *r = changed ? expr_rebuild(c->p, e, a) : e;
	if (r->kind == E_FUNC)
		r = argument_alone(c, r);
	if (r->kind == E_MUL)
		r = chained_scalars(c, r);
	if (r->kind == E_ADD)
		r = over_n_terms(c, positive_first(c, r));
	map_put(&c->shown, e, r);
	return r;
}

/* k (a + b) as k a + k b, and k (a + b)^T through the transposed sum,
 * when that is shorter: the ridge gradient 2 X^T (X w - y) + 2 lambda w. */
static const Expr *distributed(Canon *c, const Expr *e)
{
	const Expr *r = multiplied_out(c, e);
	/* Counted with its transpose, so that the other layout makes the same
	 * choice; and only for two tokens or more, so that a residual stays
	 * whole: 2 (x - a), not 2 x - 2 a. */
	return r && pair_tokens(c, r) + 2 <= pair_tokens(c, e) ? r : e;
}

/* k (a + b) as k a + k b (distributed), or NULL when e is not one. */
static const Expr *multiplied_out(Canon *c, const Expr *e)
{
	if (e->kind != E_MUL || e->nargs != 2 || e->args[0]->kind != E_NUM)
		return NULL;
	const Expr *k = e->args[0], *s = e->args[1];
	if (s->kind == E_TRANS && s->args[0]->kind == E_ADD)
		s = tidy(c, pushed_transpose(c, s->args[0]));
	if (s->kind != E_ADD)
		return NULL;
	const Expr **t = alloc(c, s->nargs * sizeof *t);
	for (unsigned i = 0; i < s->nargs; i++) {
		const Expr *u = s->args[i];
		int neg = u->kind == E_NEG;
		if (neg)
			u = u->args[0];
		unsigned n = u->kind == E_MUL ? u->nargs : 1;
		const Expr **f = alloc(c, (n + 1) * sizeof *f);
		unsigned nf = 0;
		f[nf++] = k;
		for (int pass = 0; pass < 2; pass++)   /* scalars in front: 2 lambda w^T */
			for (unsigned j = 0; j < n; j++) {
				const Expr *g = n > 1 || u->kind == E_MUL ? u->args[j] : u;
				if (g->kind == E_NUM && pass == 0)   /* 4 (2 x x^T) is 8 x x^T */
					f[0] = num_op(c, f[0], g, '*');
				else if ((is_scalar(c, g) && g->kind != E_MUL) == (pass == 0))
					f[nf++] = g;
			}
		const Expr *m = u->kind == E_NUM ? num_op(c, k, u, '*')
				: expr_is_num(f[0], 1) ? (nf == 2 ? f[1] : expr_make(c->p, E_MUL, f + 1, nf - 1))
				: expr_make(c->p, E_MUL, f, nf);
		t[i] = neg ? expr_unary(c->p, E_NEG, m) : m;
		if (i == 0)
			t[i] = minus_inside(c, t[i]);
	}
	return expr_make(c->p, E_ADD, t, s->nargs);
}

/* (a + b) / s as a / s + b / s when that is shorter, each term simplified
 * (its powers of s meet): (I - r r^T / ||r||^2) / ||r|| is I / ||r|| -
 * r r^T / ||r||^3, as the Cookbook writes it. */
static const Expr *divided_terms(Canon *c, const Expr *e)
{
	if (e->kind != E_DIV || e->args[0]->kind != E_ADD)
		return e;
	const Expr *s = e->args[0];
	const Expr **t = alloc(c, s->nargs * sizeof *t);
	for (unsigned i = 0; i < s->nargs; i++) {
		t[i] = tidy(c, to_expr(c, canon(c, expr_binary(c->p, E_DIV, s->args[i], e->args[1]))));
		if (!t[i])
			return e;
		if (i == 0)   /* later minuses read as subtractions */
			t[i] = lead_minus(c, t[i]);
	}
	const Expr *r = expr_make(c->p, E_ADD, t, s->nargs);
	return pair_tokens(c, r) < pair_tokens(c, e) ? r : e;
}

/* A term k I of a sum that is a factor of a product, k a scalar or 1. */
static int identity_term(Canon *c, const Expr *t)
{
	if (t->kind == E_NEG)
		t = t->args[0];
	if (t->kind == E_IDENT)
		return 1;
	if (t->kind != E_MUL)
		return 0;
	for (unsigned i = 0; i + 1 < t->nargs; i++)
		if (!is_scalar(c, t->args[i]))
			return 0;
	return t->args[t->nargs - 1]->kind == E_IDENT;
}

/* A product with a factor (A - k I) multiplied out, the identity dropped,
 * when that is shorter in both layouts together, and numbers then
 * distributed: 2 (S - lambda I_m) u is 2 S u - 2 lambda u. */
static const Expr *expanded_identity(Canon *c, const Expr *e)
{
	if (e->kind != E_MUL)
		return e;
	unsigned at = e->nargs;
	for (unsigned i = 0; i < e->nargs && at == e->nargs; i++)
		if (e->args[i]->kind == E_ADD && !is_scalar(c, e->args[i]))
			for (unsigned j = 0; j < e->args[i]->nargs; j++)
				if (identity_term(c, e->args[i]->args[j]))
					at = i;
	if (at == e->nargs)
		return e;
	unsigned lead = 0;   /* numbers stay outside, for distributed() */
	while (lead < at && e->args[lead]->kind == E_NUM)
		lead++;
	const Expr *s = e->args[at];
	const Expr **terms = alloc(c, s->nargs * sizeof *terms);
	for (unsigned j = 0; j < s->nargs; j++) {
		const Expr **f = alloc(c, e->nargs * sizeof *f);
		unsigned n = 0;
		for (unsigned i = lead; i < e->nargs; i++)
			f[n++] = i == at ? s->args[j] : e->args[i];
		terms[j] = tidy(c, to_expr(c, canon(c, expr_make(c->p, E_MUL, f, n))));
		if (!terms[j])
			return e;
	}
	terms[0] = lead_minus(c, terms[0]);
	const Expr *sum = expr_make(c->p, E_ADD, terms, s->nargs);
	const Expr *r = sum;
	if (lead) {
		const Expr *k = e->args[0];
		for (unsigned i = 1; i < lead; i++)
			k = num_op(c, k, e->args[i], '*');
		const Expr *pair[2] = { k, sum };
		r = expr_make(c->p, E_MUL, pair, 2);
		const Expr *out = multiplied_out(c, r);   /* 2 S u - 2 lambda u */
		if (out && pair_tokens(c, out) < pair_tokens(c, r))
			r = out;
	}
	return pair_tokens(c, r) < pair_tokens(c, e) ? r : e;
}

/* hadamard_as_diag on the answer's chains: the whole, or each term of a
 * sum.  Only there: a chain inside is peeled from the top down, a layer a
 * step, and rewriting every inner chain first would make a deep network's
 * answer quadratic. */
static const Expr *diag_terms(Canon *c, const Expr *e)
{
	if (e->kind == E_NEG)
		return expr_unary(c->p, E_NEG, diag_terms(c, e->args[0]));
	if (e->kind != E_ADD)
		return hadamard_as_diag(c, e);
	const Expr **t = alloc(c, e->nargs * sizeof *t);
	int changed = 0;
	for (unsigned i = 0; i < e->nargs; i++) {
		t[i] = diag_terms(c, e->args[i]);
		changed |= t[i] != e->args[i];
	}
	return changed ? expr_make(c->p, E_ADD, t, e->nargs) : e;
}

/* An answer as printed, last of all: products as presented_node writes
 * them, a minus spread over a sum, and the coefficients 1/n of its terms
 * as divisions (over_n).  Only here, after every choice: inside, the 1/2
 * of 1/2 (2 a .* b) must still meet the 2 and cancel, a x^T x is not a
 * chain to differentiate, and the choice between forms is made on the
 * forms the normal form gives. */
static const Expr *presented_form(Canon *c, const Expr *e);

/* A sum that starts with a minus while another term has none starts with
 * that one: S2^-1 - S2^-1 M S2^-1, not -(S2^-1 M S2^-1) + S2^-1. */
static const Expr *positive_first(Canon *c, const Expr *e)
{
	if (e->kind != E_ADD || e->args[0]->kind != E_NEG)
		return e;
	unsigned k = 1;
	while (k < e->nargs && e->args[k]->kind == E_NEG)
		k++;
	if (k == e->nargs)
		return e;
	const Expr **a = alloc(c, e->nargs * sizeof *a);
	a[0] = e->args[k];
	for (unsigned i = 0, n = 1; i < e->nargs; i++)
		if (i != k)
			a[n++] = e->args[i];
	return expr_make(c->p, E_ADD, a, e->nargs);
}

const Expr *presented(Canon *c, const Expr *e)
{
	if (!e)
		return e;
	const Expr *a = presented_form(c, e);
	if (e->kind != E_ADD || is_scalar(c, e))
		return a;
	/* A sum of transposed terms, (X^T)^2 A^T + X^T A^T X^T + ..., reads
	 * shorter as one transposed sum, (A X^2 + X A X + ...)^T, the other
	 * layout's answer transposed whole. */
	const Expr *t = presented_form(c, lead_minus(c, tidy(c, pushed_transpose(c, e))));
	const Expr *b = t->kind == E_NEG ? expr_unary(c->p, E_NEG, expr_unary(c->p, E_TRANS, t->args[0]))
				: expr_unary(c->p, E_TRANS, t);
	return tokens(c, b) < tokens(c, a) ? b : a;
}

/* presented() of one orientation. */
static const Expr *presented_form(Canon *c, const Expr *e)
{
	e = positive_first(c, divided_terms(c, distributed(c, expanded_identity(c, spread_minus(c,
		minus_inside(c, diag_terms(c, presented_node(c, e))))))));
	return e->kind == E_ADD ? over_n_terms(c, e) : over_n(c, e, 1);
}

/* over_n on each term of a sum, at the top or inside: sqrt(||x||^2 / 4 +
 * epsilon), (I - ones ones^T / 4) L. */
static const Expr *over_n_terms(Canon *c, const Expr *e)
{
	const Expr **t = alloc(c, e->nargs * sizeof *t);
	int changed = 0;
	for (unsigned i = 0; i < e->nargs; i++) {
		t[i] = over_n(c, e->args[i], i == 0);
		changed |= t[i] != e->args[i];
	}
	return changed ? expr_make(c->p, E_ADD, t, e->nargs) : e;
}

/* -(A B) reads better as -A B, and is the same node once re-read; better
 * still, a negated factor absorbs the minus (flip_factor). */
static const Expr *minus_inside(Canon *c, const Expr *e)
{
	const Expr *flipped = NULL;
	if (e && e->kind == E_NEG && e->args[0]->kind != E_ADD)
		flipped = flip_factor(c, e->args[0]);
	else if (e && e->kind == E_MUL && e->args[0]->kind == E_NEG) {   /* -x (y - a) */
		const Expr **a = alloc(c, e->nargs * sizeof *a);
		copy(a, e->args, e->nargs * sizeof *a);
		a[0] = a[0]->args[0];
		flipped = flip_factor(c, expr_make(c->p, E_MUL, a, e->nargs));
	}
	if (flipped)
		return flipped;
	if (e && e->kind == E_NEG && (e->args[0]->kind == E_HAD || e->args[0]->kind == E_HDIV)) {
		/* -(a .* b) = -a .* b, -(a ./ b) = -a ./ b */
		const Expr *h = e->args[0];
		const Expr **a = alloc(c, h->nargs * sizeof *a);
		copy(a, h->args, h->nargs * sizeof *a);
		a[0] = minus_inside(c, expr_unary(c->p, E_NEG, a[0]));
		return expr_make(c->p, h->kind, a, h->nargs);
	}
	if (e && e->kind == E_NEG && e->args[0]->kind == E_DIV) {   /* -(a / b) = (-a) / b */
		const Expr *top = minus_inside(c, expr_unary(c->p, E_NEG, e->args[0]->args[0]));
		/* -x^T / n as well: unary minus binds tighter than /, so it
		 * reads back the same, without the brackets */
		if (top->kind != E_NEG || top->args[0]->kind != E_ADD)
			return expr_binary(c->p, E_DIV, top, e->args[0]->args[1]);
	}
	if (!e || e->kind != E_NEG || e->args[0]->kind != E_MUL)
		return e;
	const Expr *m = e->args[0];
	const Expr **a = alloc(c, m->nargs * sizeof *a);
	copy(a, m->args, m->nargs * sizeof *a);
	if (a[0]->kind == E_NEG || a[0]->kind == E_MUL || a[0]->kind == E_DIV)
		return e;
	a[0] = expr_unary(c->p, E_NEG, a[0]);
	return expr_make(c->p, E_MUL, a, m->nargs);
}
