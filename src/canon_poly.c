/* canon_poly.c: the normal form's algebra: terms (a coefficient, powers of
 * scalar atoms, a chain of matrix factors), their order and keys, sums,
 * products and powers of polynomials, and transposes of terms. */
#include "canon_impl.h"
#include "func.h"

static int cmp_spow(const SPow *a, const SPow *b);
static int cmp_key(const Term *a, const Term *b);
static Poly collect(Canon *c, Term *t, unsigned n);
static unsigned merge_spow(Canon *c, const SPow *a, unsigned na, const SPow *b, unsigned nb, SPow *out);
static const Expr *merge_powers(Canon *c, const Expr *a, const Expr *b);
static const Expr *product_of(Canon *c, const Expr *a, const Expr *b);
static const Expr *mixed_product(Canon *c, const Expr *a, const Expr *b);
static const Expr *merge_pair(Canon *c, const Expr *a, const Expr *b);
static void orient(Canon *c, const Expr **m, unsigned n);
static unsigned lift_end(Canon *c, const Expr **m, unsigned n, unsigned i);
static unsigned clean_chain(Canon *c, const Expr **m, unsigned n, SPow **lifted, unsigned *nlifted,
			    const Expr **coef);
static int qsort_spow(const void *x, const void *y);
static int sums_to_one(const Expr *a, const Expr *b);
static int scalar_chain(Canon *c, const Expr *const *m, unsigned n);
static Term chain_as_scalar(Canon *c, const Term *t);
static Term term_mul(Canon *c, const Term *a, const Term *b);
static unsigned scalar_kinks(unsigned n, SPow *s);
static unsigned norms_met(Canon *c, SPow *s, unsigned n);
static const Poly *opaque(Canon *c, const Poly *a);
static int single_scalar_term(const Poly *a);
static int is_whole(const Expr *k);
static const Poly *common_monomial(Canon *c, const Poly *a, const Poly **rest);
static unsigned sum_factors(const Term *t);
static int unsettled(Canon *c, const Term *t, const SPow *s, const Poly **as);
static const Poly *settle(Canon *c, const Poly *q);
static const Expr *rebuild_args(Canon *c, const Expr *e, const Expr *(*f)(Canon *, const Expr *));
static const Expr *commuting_base(Canon *c, const Expr *e);

/* --- terms: order, keys, products --- */

static int cmp_spow(const SPow *a, const SPow *b)
{
	int k = expr_cmp(a->atom, b->atom);
	return k ? k : expr_cmp(a->exp, b->exp);
}

/* The order of terms by their non-numeric part (the key). */
static int cmp_key(const Term *a, const Term *b)
{
	if (a->nmat != b->nmat)   /* longer chains first: A x + b */
		return a->nmat > b->nmat ? -1 : 1;
	for (unsigned i = 0; i < a->nmat; i++) {
		int k = expr_cmp(a->mat[i], b->mat[i]);
		if (k)
			return k;
	}
	if (a->nsc != b->nsc)
		return a->nsc < b->nsc ? -1 : 1;
	for (unsigned i = 0; i < a->nsc; i++) {
		int k = cmp_spow(&a->sc[i], &b->sc[i]);
		if (k)
			return k;
	}
	return 0;
}

int qsort_key(const void *x, const void *y)
{
	return cmp_key(x, y);
}

/* exp(z) / (1 + exp(z)) = sigmoid(z); and, when writing out (unpaired set),
 * 1 / (1 + exp(z)) = sigmoid(-z).  (Pairs are found while terms are still
 * being multiplied, so the lone form waits for the output.) */
void logistic(Canon *c, Term *t, int unpaired)
{
	for (unsigned i = 0; i < t->nsc; i++) {
		const Expr *a = t->sc[i].atom;
		if (!expr_is_num(t->sc[i].exp, -1) || a->kind != E_ADD || a->nargs != 2 ||
		    !expr_is_num(a->args[0], 1) || a->args[1]->kind != E_FUNC || a->args[1]->fn != F_EXP)
			continue;
		const Expr *ez = a->args[1], *z = ez->args[0];
		int found = 0;
		for (unsigned j = 0; j < t->nsc; j++)
			found |= t->sc[j].atom == ez && expr_is_num(t->sc[j].exp, 1);
		if (!found && !unpaired)
			continue;
		SPow *sc = alloc(c, t->nsc * sizeof *sc);
		unsigned n = 0;
		int paired = 0;
		for (unsigned j = 0; j < t->nsc; j++) {
			if (j == i)
				continue;
			if (!paired && t->sc[j].atom == ez && expr_is_num(t->sc[j].exp, 1)) {
				paired = 1;
				continue;
			}
			sc[n++] = t->sc[j];
		}
		const Expr *arg = paired ? z : operand(c, expr_unary(c->p, E_NEG, z));
		sc[n++] = (SPow){ expr_func(c->p, F_SIGMOID, arg), one(c) };
		sort(sc, n, sizeof *sc, qsort_spow);
		t->sc = sc;
		t->nsc = n;
		i = (unsigned)-1;   /* look again: there may be more */
	}
}

/* z of sum(exp(z)) for a column z, as the normal form writes it (1^T
 * exp(z)) or as typed; NULL otherwise. */
static const Expr *sum_exp_of(Canon *c, const Expr *a)
{
	const Expr *e = NULL;
	if (a->kind == E_FUNC && a->fn == F_SUM)
		e = a->args[0];
	else if (a->kind == E_MUL && a->nargs == 2 && a->args[0]->kind == E_TRANS &&
		 a->args[0]->args[0]->kind == E_ONES)
		e = a->args[1];
	if (!e || e->kind != E_FUNC || e->fn != F_EXP || !dim_is_one(shape(c, e).cols))
		return NULL;
	return e->args[0];
}

/* exp(z) / sum(exp(z)) = softmax(z): each power of 1 / sum(exp(z)) turns
 * one factor exp(z) (or exp(z)^T) of the chain into softmax(z), so the
 * Hessian of logsumexp is diag(softmax(x)) - softmax(x) softmax(x)^T. */
static void softmaxed(Canon *c, Term *t)
{
	for (unsigned i = 0; i < t->nsc; i++) {
		const Expr *k = t->sc[i].exp, *z;
		if (num_sign(k) >= 0 || mpz_cmp_ui(mpq_denref(k->u.num), 1) != 0 || !(z = sum_exp_of(c, t->sc[i].atom)))
			continue;
		const Expr *ez = expr_func(c->p, F_EXP, z), *ezt = atom_transpose(c, ez);
		long left = -mpz_get_si(mpq_numref(k->u.num));
		const Expr **m = NULL;
		for (unsigned j = 0; j < t->nmat && left > 0; j++)
			if (t->mat[j] == ez || t->mat[j] == ezt) {
				if (!m)
					m = copy(alloc(c, t->nmat * sizeof *m), t->mat, t->nmat * sizeof *m);
				const Expr *sm = expr_func(c->p, F_SOFTMAX, z);
				m[j] = t->mat[j] == ez ? sm : atom_transpose(c, sm);
				left--;
			}
		if (!m)
			continue;
		t->mat = m;
		SPow *sc = copy(alloc(c, t->nsc * sizeof *sc), t->sc, t->nsc * sizeof *sc);
		if (left) {
			sc[i].exp = expr_int(c->p, -left);
		} else {
			memmove(sc + i, sc + i + 1, (t->nsc - i - 1) * sizeof *sc);
			t->nsc--;
			i--;
		}
		t->sc = sc;
	}
}

/* Sort and merge like terms: the O(n log n) collection. */
static Poly collect(Canon *c, Term *t, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		logistic(c, &t[i], 0);
		softmaxed(c, &t[i]);
	}
	sort(t, n, sizeof *t, qsort_key);
	unsigned k = 0;
	for (unsigned i = 0; i < n; i++) {
		if (k && cmp_key(&t[k - 1], &t[i]) == 0) {
			t[k - 1].coef = num_op(c, t[k - 1].coef, t[i].coef, '+');
			if (num_sign(t[k - 1].coef) == 0)
				k--;
			continue;
		}
		t[k++] = t[i];
	}
	return (Poly){ k, t };
}

const Poly *poly_new(Canon *c, Term *t, unsigned n)
{
	Poly *q = alloc(c, sizeof *q);
	*q = collect(c, t, n);
	return q;
}

const Poly *poly_zero(Canon *c)
{
	return poly_new(c, NULL, 0);
}

const Poly *poly_num(Canon *c, const Expr *n)
{
	if (num_sign(n) == 0)
		return poly_zero(c);
	Term *t = alloc(c, sizeof *t);
	t->coef = n;
	return poly_new(c, t, 1);
}

/* Merge two sorted lists of scalar powers, adding exponents of equal atoms. */
static unsigned merge_spow(Canon *c, const SPow *a, unsigned na, const SPow *b, unsigned nb, SPow *out)
{
	unsigned i = 0, j = 0, k = 0;
	while (i < na || j < nb) {
		int d = i == na ? 1 : j == nb ? -1 : expr_cmp(a[i].atom, b[j].atom);
		if (d < 0)
			out[k++] = a[i++];
		else if (d > 0)
			out[k++] = b[j++];
		else {
			const Expr *e = num_op(c, a[i].exp, b[j].exp, '+');
			if (num_sign(e))
				out[k++] = (SPow){ a[i].atom, e };
			i++, j++;
		}
	}
	return k;
}

const Expr *identity(Canon *c, const Expr *dim)
{
	return expr_make(c->p, E_IDENT, &dim, 1);
}

int is_identity(const Expr *e)
{
	return e->kind == E_IDENT;
}

/* A square factor as base^k: X is X^1, X^-1 is X^-1, X^k is X^k. */
long power_parts(const Expr *f, const Expr **base)
{
	if (f->kind == E_INV) {
		*base = f->args[0];
		return -1;
	}
	if (f->kind == E_POW && mpz_cmp_ui(mpq_denref(f->args[1]->u.num), 1) == 0 &&
	    mpz_fits_slong_p(mpq_numref(f->args[1]->u.num))) {
		*base = f->args[0];
		return mpz_get_si(mpq_numref(f->args[1]->u.num));
	}
	*base = f;
	return 1;
}

/* Adjacent powers of one square matrix: X X = X^2, X^2 X^-1 = X,
 * X X^-1 = I.  NULL when a and b are not powers of one base. */
static const Expr *merge_powers(Canon *c, const Expr *a, const Expr *b)
{
	const Expr *ba, *bb;
	long ka = power_parts(a, &ba), kb = power_parts(b, &bb);
	if (ba != bb)   /* first: most adjacent factors differ, and shapes cost a look-up */
		return NULL;
	Shape sh = shape(c, ba);
	if (sh.rows != sh.cols || ba->kind == E_IDENT)
		return NULL;
	long k;
	if (__builtin_add_overflow(ka, kb, &k))   /* X^(2^63 - 1) X^(2^63 - 1) stays as written */
		return NULL;
	if (k == 0)
		return identity(c, sh.rows);
	if (k == 1)
		return ba;
	return expr_binary(c->p, E_POW, ba, expr_int(c->p, k));
}

/* The canonical product a b, as one factor if it is one. */
static const Expr *product_of(Canon *c, const Expr *a, const Expr *b)
{
	const Expr *pair[2] = { a, b };
	const Expr *r = to_expr(c, canon(c, expr_make(c->p, E_MUL, pair, 2)));
	return r ? r : NULL;
}

/* (A kron B)(C kron D) = (A C) kron (B D) when the products are defined. */
static const Expr *mixed_product(Canon *c, const Expr *a, const Expr *b)
{
	if (a->kind != E_KRON || b->kind != E_KRON || a->nargs != b->nargs)
		return NULL;
	for (unsigned i = 0; i < a->nargs; i++)
		if (shape(c, a->args[i]).cols != shape(c, b->args[i]).rows)
			return NULL;
	const Expr **f = alloc(c, a->nargs * sizeof *f);
	for (unsigned i = 0; i < a->nargs; i++)
		if (!(f[i] = product_of(c, a->args[i], b->args[i])))
			return NULL;
	return to_expr(c, canon(c, expr_make(c->p, E_KRON, f, a->nargs)));
}

/* Two adjacent chain factors as one, or NULL: powers of one matrix,
 * K_{n,m} K_{m,n} = I, K_{m,n} vec(A) = vec(A^T), the mixed product. */
/* The vector of a diagonal matrix diag(v), v a column; NULL otherwise. */
const Expr *diagonal_of(Canon *c, const Expr *e)
{
	return e->kind == E_FUNC && e->fn == F_DIAG && dim_is_one(shape(c, e->args[0]).cols) ? e->args[0] : NULL;
}

/* Diagonal matrices multiply element-wise: diag(u) diag(v) = diag(u .* v),
 * diag(u)^-1 diag(v) = diag(v ./ u) (either order: they commute). */
static const Expr *merge_diagonals(Canon *c, const Expr *a, const Expr *b)
{
	int ia = a->kind == E_INV, ib = b->kind == E_INV;
	const Expr *da = ia ? a->args[0] : a, *db = ib ? b->args[0] : b;
	/* kinds first: shapes cost a look-up, and most neighbours are not both diag */
	if ((ia && ib) || da->kind != E_FUNC || da->fn != F_DIAG || db->kind != E_FUNC || db->fn != F_DIAG)
		return NULL;
	const Expr *u = diagonal_of(c, da), *v = diagonal_of(c, db);
	if (!u || !v)
		return NULL;
	const Expr *d = ia ? expr_binary(c->p, E_HDIV, v, u) : ib ? expr_binary(c->p, E_HDIV, u, v)
			: expr_binary(c->p, E_HAD, u, v);
	const Expr *r = to_expr(c, canon(c, expr_func(c->p, F_DIAG, d)));
	return r;
}

/* A matrix next to a Kronecker product with a vector operand on the
 * outside is absorbed by the mixed product, (1 kron P)(A kron B) = A kron
 * P B for A a row: diag(s) kron(x^T, I) is kron(x^T, diag(s)).  The four
 * ways: P (A kron B) with A a row or B a row, (A kron B) Q with A a column
 * or B a column; into an identity operand only, unless into_any (1: into
 * B where both could take it, 2: into A).  A commutation matrix next to one swaps its operands
 * (K_{p,m} (A kron B) K_{n,q} = B kron A, A m x n, B p x q) when the K left
 * on the other side is K_{1,k} = I: kron(a^T, I_n) K_{m,n} is kron(I_n, a^T). */
const Expr *absorbed_kron(Canon *c, const Expr *a, const Expr *b, int into_any)
{
	int left = b->kind == E_KRON && b->nargs == 2 && a->kind != E_KRON;   /* P (A kron B) */
	int right = a->kind == E_KRON && a->nargs == 2 && b->kind != E_KRON;  /* (A kron B) Q */
	if (!left && !right)
		return NULL;
	const Expr *k = left ? b : a, *m = left ? a : b, *A = k->args[0], *B = k->args[1];
	Shape sa = shape(c, A), sb = shape(c, B);
	const Expr *f[2] = { A, B };
	if (m->kind == E_COMM) {
		/* K_{n,q} on the right with A m x n, B p x q, m or p one; on the
		 * left K_{p,m}, n or q one */
		int ok = right ? m->args[0] == sa.cols && m->args[1] == sb.cols &&
				 (dim_is_one(sa.rows) || dim_is_one(sb.rows))
			       : m->args[0] == sb.rows && m->args[1] == sa.rows &&
				 (dim_is_one(sa.cols) || dim_is_one(sb.cols));
		if (!ok)
			return NULL;
		f[0] = B, f[1] = A;
	} else if (m->kind == E_IDENT || is_scalar(c, m)) {
		return NULL;
	} else {
		/* which operand takes m: the other one must be a row (left) or a
		 * column (right) */
		int into_b = left ? dim_is_one(sa.rows) : dim_is_one(sa.cols);
		int into_a = left ? dim_is_one(sb.rows) : dim_is_one(sb.cols);
		/* into an identity only, unless asked (factor_common_kron): P
		 * kron(x^T, s^T) stays, and kron(b, a) vec(C)^T */
		if (!into_any) {
			into_b &= B->kind == E_IDENT;
			into_a &= A->kind == E_IDENT;
		}
		if (!into_b && !into_a)
			return NULL;
		unsigned i = into_b && (into_any != 2 || !into_a) ? 1 : 0;   /* 2: A first */
		const Expr *pair[2] = { left ? m : f[i], left ? f[i] : m };
		f[i] = expr_make(c->p, E_MUL, pair, 2);
	}
	/* one factor of the chain, or nothing: a scalar that came out (u^T
	 * kron(y^T, v) is (u^T v) y^T) would sit in the chain unlifted */
	const Expr *r = to_expr(c, canon(c, expr_make(c->p, E_KRON, f, 2)));
	return r && r->kind != E_MUL && r->kind != E_NEG && r->kind != E_ADD && !is_scalar(c, r) ? r : NULL;
}

/* diag(v) ones = v and ones^T diag(v) = v^T, when v is one factor: the
 * Hessian of logsumexp has diag(exp(x)) ones exp(x)^T. */
static const Expr *diagonal_on_ones(Canon *c, const Expr *a, const Expr *b)
{
	const Expr *v = NULL;
	int row = 0;
	if (b->kind == E_ONES && a->kind == E_FUNC && a->fn == F_DIAG)
		v = diagonal_of(c, a);
	else if (a->kind == E_TRANS && a->args[0]->kind == E_ONES && b->kind == E_FUNC && b->fn == F_DIAG)
		v = diagonal_of(c, b), row = 1;
	if (!v)
		return NULL;
	const Expr *r = to_expr(c, canon(c, row ? expr_unary(c->p, E_TRANS, v) : v));
	return r && r->kind != E_MUL && r->kind != E_NEG && r->kind != E_ADD && r->kind != E_DIV ? r : NULL;
}

/* diag(u) b = u .* b for a column b: the element-wise product is the one
 * normal form of both (softmax's Jacobian diag(s) - s s^T times y is s .*
 * y - s (s^T y)).  Rows stay: x^T diag(d) x is (x.^2)^T d.  NULL unless
 * the result is one factor. */
static const Expr *diagonal_on_column(Canon *c, const Expr *a, const Expr *b)
{
	const Expr *v = diagonal_of(c, a);
	Shape bs = shape(c, b);
	if (!v || !dim_is_one(bs.cols) || dim_is_one(bs.rows) || b->kind == E_ONES)
		return NULL;   /* diag(u) ones is diagonal_on_ones' */
	const Expr *r = to_expr(c, canon(c, expr_binary(c->p, E_HAD, v, b)));
	return r && r->kind != E_MUL && r->kind != E_NEG && r->kind != E_ADD && r->kind != E_DIV ? r : NULL;
}

static const Expr *merge_pair(Canon *c, const Expr *a, const Expr *b)
{
	const Expr *r = merge_powers(c, a, b);
	if (r)
		return r;
	if ((r = merge_diagonals(c, a, b)) || (r = diagonal_on_ones(c, a, b)) || (r = diagonal_on_column(c, a, b)))
		return r;
	if (a->kind == E_COMM && b->kind == E_COMM && a->args[0] == b->args[1] && a->args[1] == b->args[0])
		return identity(c, shape(c, a).rows);
	if (a->kind == E_COMM && b->kind == E_FUNC && b->fn == F_VEC) {
		Shape bs = shape(c, b->args[0]);
		if (bs.rows == a->args[0] && bs.cols == a->args[1])
			return to_expr(c, canon(c, expr_func(c->p, F_VEC, expr_unary(c->p, E_TRANS, b->args[0]))));
	}
	if ((r = absorbed_kron(c, a, b, 0)))
		return r;
	return mixed_product(c, a, b);
}

/* A 1 x 1 chain equals its transpose: keep the way round with fewer
 * transposes (x^T B^T y is y^T B x), or the smaller one (b^T x, not x^T b). */
static void orient(Canon *c, const Expr **m, unsigned n)
{
	const Expr **t = alloc(c, n * sizeof *t);
	unsigned tm = 0, tt = 0;
	for (unsigned i = 0; i < n; i++) {
		t[i] = atom_transpose(c, m[n - 1 - i]);
		tm += count_transposes(m[i]);
		tt += count_transposes(t[i]);
	}
	int better = tt < tm;
	for (unsigned i = 0; i < n && tt == tm && !better; i++) {
		int k = expr_cmp(t[i], m[i]);
		if (k)
			better = k < 0, i = n;
	}
	if (better)
		copy(m, t, n * sizeof *m);
}

/* The end j > i of the longest 1 x 1 run m[i..j] that is not the whole
 * chain, or i when m[i] starts none. */
static unsigned lift_end(Canon *c, const Expr **m, unsigned n, unsigned i)
{
	if (!dim_is_one(shape(c, m[i]).rows))
		return i;
	for (unsigned j = n - 1; j > i; j--)
		if (dim_is_one(shape(c, m[j]).cols) && !(i == 0 && j == n - 1))
			return j;
	return i;
}

/* ones^T softmax(z) and softmax(z)^T ones: a softmax sums to 1. */
static int sums_to_one(const Expr *a, const Expr *b)
{
	if (a->kind == E_TRANS && a->args[0]->kind == E_ONES)
		return b->kind == E_FUNC && b->fn == F_SOFTMAX;
	return b->kind == E_ONES && a->kind == E_TRANS && a->args[0]->kind == E_FUNC && a->args[0]->fn == F_SOFTMAX;
}

/* ones_n^T ones_n for a size n that is a number: that number; NULL otherwise. */
static const Expr *ones_count(const Expr *a, const Expr *b)
{
	if (b->kind != E_ONES || a->kind != E_TRANS || a->args[0] != b)
		return NULL;
	const Expr *d = b->args[0];
	return d->nargs == 1 && d->args[0]->kind == E_NUM ? d->args[0] : NULL;
}

/* --- factors that commute: rational functions of one matrix --- */

/* The base of a multiple of I, which commutes with every factor. */
static const Expr any_base;

static const Expr *common_base(const Expr *a, const Expr *b)
{
	if (!a || !b)
		return NULL;
	return a == &any_base ? b : b == &any_base || a == b ? a : NULL;
}

/* The matrix A of which e is a rational function (A, A^2, A^-1, I - alpha
 * A, (I + A)^-1, alpha A^2 - A), &any_base for a multiple of I, or NULL:
 * any two factors with one base commute.  Remembered in memo, if given. */
static const Expr *base_of(Shapes *s, Map *memo, const Expr *e)
{
	Shape sh = shape_of(s, e);
	if (dim_is_one(sh.rows) && dim_is_one(sh.cols))
		return &any_base;
	if (sh.rows != sh.cols)
		return NULL;
	const void *v;
	if (memo && map_get(memo, e, &v))
		return v;
	const Expr *b = NULL;
	switch (e->kind) {
	case E_IDENT:
		b = &any_base;
		break;
	case E_VAR:
		b = e;
		break;
	case E_TRANS:
		b = e->args[0]->kind == E_VAR ? e : NULL;
		break;
	case E_NEG: case E_INV:
		b = base_of(s, memo, e->args[0]);
		break;
	case E_POW:
		b = small_whole(e->args[1]) ? base_of(s, memo, e->args[0]) : NULL;
		break;
	case E_ADD: case E_MUL:
		b = &any_base;
		for (unsigned i = 0; i < e->nargs && b; i++)
			b = common_base(b, base_of(s, memo, e->args[i]));
		break;
	default:
		break;
	}
	if (memo)
		map_put(memo, e, b);
	return b;
}

static const Expr *commuting_base(Canon *c, const Expr *e)
{
	return base_of(c->s, &c->commuting, e);
}

int canon_commute(Shapes *s, const Expr *a, const Expr *b)
{
	return common_base(base_of(s, NULL, a), base_of(s, NULL, b)) != NULL;
}

typedef struct {
	const Expr *f, *base;   /* the factor, as base^k */
	long k;
	int own;                /* 0: a power of the run's matrix itself */
} Commuting;

static int commuting_order(const void *x, const void *y)
{
	const Commuting *a = x, *b = y;
	if (a->own != b->own)
		return a->own - b->own;
	int r = expr_cmp(a->base, b->base);
	return r ? r : (a->k > b->k) - (a->k < b->k);
}

/* Runs of neighbouring factors that are rational functions of one matrix
 * A commute: each run in one order, the powers of A first, so that equal
 * chains meet (A (I + A)^-1 + (I + A)^-1 A is 2 A (A + I)^-1, and A (I -
 * A)^2 + (I - A)^2 A is 2 (I - A)^2 A).  A sum kept whole is not looked
 * into: (I - A) A (I - A) may be multiplied out first.  Returns the new
 * chain length. */
static unsigned commuted(Canon *c, const Expr **m, unsigned n)
{
	unsigned i = 0, k = 0;
	while (i < n) {
		const Expr *b = commuting_base(c, m[i]);
		unsigned j = i + 1;
		while (b && j < n && common_base(b, commuting_base(c, m[j])))
			b = common_base(b, commuting_base(c, m[j])), j++;
		if (j - i < 2 || b == &any_base || !b) {
			m[k++] = m[i++];
			continue;
		}
		Commuting *r = alloc(c, (j - i) * sizeof *r);
		for (unsigned x = i; x < j; x++) {
			r[x - i].f = m[x];
			r[x - i].k = power_parts(m[x], &r[x - i].base);
			r[x - i].own = r[x - i].base != b;
		}
		sort(r, j - i, sizeof *r, commuting_order);
		for (unsigned x = 0; x < j - i; x++) {
			const Expr *merged = x && k ? merge_pair(c, m[k - 1], r[x].f) : NULL;
			if (merged)
				m[k - 1] = merged;
			else
				m[k++] = r[x].f;
		}
		i = j;
	}
	return k;
}

/* Tidy a chain: drop identities next to other factors, cancel inverse
 * pairs, count ones_n^T ones_n into *coef, and lift the 1 x 1 runs inside it (b a^T x -> (a^T x) b) into the
 * scalar list *lifted, made (with room for one more) only when there is
 * one: chains of a deep network are hundreds of factors long, and are
 * tidied at every step of their product.  Returns the new chain length. */
static unsigned clean_chain(Canon *c, const Expr **m, unsigned n, SPow **lifted, unsigned *nlifted,
			    const Expr **coef)
{
	unsigned k = 0;
	for (unsigned i = 0; i < n; i++) {
		if (k && sums_to_one(m[k - 1], m[i])) {   /* a factor 1 */
			k--;
			continue;
		}
		const Expr *count = k ? ones_count(m[k - 1], m[i]) : NULL;
		if (count) {   /* a factor n */
			*coef = num_op(c, *coef, count, '*');
			k--;
			continue;
		}
		if (k && m[k - 1]->kind == E_TRANS && m[k - 1]->args[0]->kind == E_ONES && m[i]->kind == E_HAD &&
		    dim_is_one(shape(c, m[i]).cols)) {   /* 1^T (u .* v) = u^T v */
			const Expr *h = m[i];
			m[k - 1] = atom_transpose(c, h->args[0]);
			m[k++] = h->nargs == 2 ? h->args[1] : expr_make(c->p, E_HAD, h->args + 1, h->nargs - 1);
			continue;
		}
		const Expr *merged = k ? merge_pair(c, m[k - 1], m[i]) : NULL;
		if (merged)
			m[k - 1] = merged;
		else
			m[k++] = m[i];
	}
	n = commuted(c, m, k);
	*nlifted = 0;
	unsigned i = 0;
	while (i < n) {
		unsigned j = lift_end(c, m, n, i);
		if (j == i) {
			i++;
			continue;
		}
		orient(c, m + i, j - i + 1);
		if (!*lifted)
			*lifted = alloc(c, (n - i + 1) * sizeof **lifted);
		(*lifted)[(*nlifted)++] = (SPow){ expr_make(c->p, E_MUL, m + i, j - i + 1), one(c) };
		if (n - j - 1)
			memmove(m + i, m + j + 1, (n - j - 1) * sizeof *m);
		n -= j - i + 1;
	}
	/* identities go after the lifting, and a lone one stays, so that the
	 * chain keeps its shape: I_m (y^T z) is (y^T z) I_m, not y^T z */
	k = 0;
	for (i = 0; i < n; i++)
		if (!(is_identity(m[i]) && n > 1))
			m[k++] = m[i];
	if (k == 0 && n > 0)
		m[k++] = m[0];
	return k;
}

static int qsort_spow(const void *x, const void *y)
{
	return cmp_spow(x, y);
}

/* A chain whose product is 1 x 1. */
static int scalar_chain(Canon *c, const Expr *const *m, unsigned n)
{
	return n > 0 && dim_is_one(shape(c, m[0]).rows) && dim_is_one(shape(c, m[n - 1]).cols);
}

/* t with its 1 x 1 chain moved into its scalars: it scales, it does not
 * multiply as a matrix (x v^T times y^T z is (y^T z) x v^T). */
static Term chain_as_scalar(Canon *c, const Term *t)
{
	const Expr **m = alloc(c, t->nmat * sizeof *m);
	copy(m, t->mat, t->nmat * sizeof *m);
	orient(c, m, t->nmat);
	SPow lift = { t->nmat == 1 ? m[0] : expr_make(c->p, E_MUL, m, t->nmat), one(c) };
	SPow *sc = alloc(c, (t->nsc + 1) * sizeof *sc);
	unsigned n = merge_spow(c, t->sc, t->nsc, &lift, 1, sc);
	return (Term){ t->coef, n, 0, sc, NULL };
}

/* The product of two terms. */
static Term term_mul(Canon *c, const Term *a, const Term *b)
{
	Term as, bs;
	if (a->nmat && b->nmat && scalar_chain(c, a->mat, a->nmat)) {
		as = chain_as_scalar(c, a);
		a = &as;
	}
	if (a->nmat && b->nmat && scalar_chain(c, b->mat, b->nmat)) {
		bs = chain_as_scalar(c, b);
		b = &bs;
	}
	Term t = { num_op(c, a->coef, b->coef, '*'), 0, 0, NULL, NULL };
	unsigned n = a->nmat + b->nmat;
	const Expr **m = alloc(c, n * sizeof *m);
	copy(m, a->mat, a->nmat * sizeof *m);
	copy(m + a->nmat, b->mat, b->nmat * sizeof *m);
	SPow *lifted = NULL;
	unsigned nl;
	t.nmat = clean_chain(c, m, n, &lifted, &nl, &t.coef);
	t.mat = m;
	if (t.nmat > 1 && dim_is_one(shape(c, m[0]).rows) && dim_is_one(shape(c, m[t.nmat - 1]).cols)) {
		orient(c, m, t.nmat);   /* a 1 x 1 chain */
		int products = nl > 0;
		for (unsigned i = 0; i < a->nsc; i++)
			products |= a->sc[i].atom->kind == E_MUL;
		for (unsigned i = 0; i < b->nsc; i++)
			products |= b->sc[i].atom->kind == E_MUL;
		if (products) {   /* beside other scalar products it is one of them: (a^T b) (c^T d) */
			if (!lifted)
				lifted = alloc(c, sizeof *lifted);
			lifted[nl++] = (SPow){ expr_make(c->p, E_MUL, m, t.nmat), one(c) };
			t.nmat = 0;
		}
	}
	if (nl > 1)
		sort(lifted, nl, sizeof *lifted, qsort_spow);
	SPow *s1 = alloc(c, (a->nsc + b->nsc) * sizeof *s1);
	unsigned k1 = merge_spow(c, a->sc, a->nsc, b->sc, b->nsc, s1);
	SPow *s2 = alloc(c, (k1 + nl) * sizeof *s2);
	t.nsc = norms_met(c, s2, scalar_kinks(merge_spow(c, s1, k1, lifted, nl, s2), s2));
	t.sc = s2;
	return t;
}

/* v^T v beside a power of ||v|| is ||v||^2, so that they meet: the
 * Renyi entropy's s (s^T s) / ||s||^2 is s.  Only among a term's scalars
 * (a lifted chain): alone, v^T v stays (it is shorter), and so does a
 * whole 1 x 1 chain, as in v^T v / ||v||^2.  The new count. */
static unsigned norms_met(Canon *c, SPow *s, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		const Expr *a = s[i].atom;
		if (a->kind != E_MUL || a->nargs != 2 || a->args[0]->kind != E_TRANS ||
		    a->args[0]->args[0] != a->args[1])
			continue;
		for (unsigned j = 0; j < n; j++) {
			const Expr *f = s[j].atom;
			if (f->kind != E_FUNC || f->fn != F_NORM || f->nargs != 1 || f->args[0] != a->args[1])
				continue;
			s[j].exp = num_op(c, s[j].exp, num_op(c, s[i].exp, expr_int(c->p, 2), '*'), '+');
			unsigned k = 0;
			for (unsigned x = 0; x < n; x++)
				if (x != i && !(x == j && num_sign(s[j].exp) == 0))
					s[k++] = s[x];
			return norms_met(c, s, k);
		}
	}
	return n;
}

/* relu(u)^a step(u)^b = relu(u)^a for scalars, a and b positive: step is 1
 * wherever relu is not 0 (hadamard_kinks, element-wise).  The new count. */
static unsigned scalar_kinks(unsigned n, SPow *s)
{
	unsigned k = 0;
	for (unsigned i = 0; i < n; i++) {
		const Expr *a = s[i].atom;
		int kink = 0;
		if (a->kind == E_FUNC && a->fn == F_STEP && num_sign(s[i].exp) > 0)
			for (unsigned j = 0; j < n; j++)
				kink |= s[j].atom->kind == E_FUNC && s[j].atom->fn == F_RELU &&
					s[j].atom->args[0] == a->args[0] && num_sign(s[j].exp) > 0;
		if (!kink)
			s[k++] = s[i];
	}
	return k;
}

/* An atom as a one-term polynomial: a scalar power or a matrix factor. */
const Poly *poly_atom(Canon *c, const Expr *a)
{
	Term *t = alloc(c, sizeof *t);
	t->coef = one(c);
	if (is_scalar(c, a)) {
		SPow *s = alloc(c, sizeof *s);
		*s = (SPow){ a, one(c) };
		t->sc = s;
		t->nsc = 1;
	} else {
		const Expr **m = alloc(c, sizeof *m);
		m[0] = a;
		t->mat = m;
		t->nmat = 1;
	}
	return poly_new(c, t, 1);
}

const Poly *poly_add(Canon *c, const Poly *a, const Poly *b)
{
	Term *t = alloc(c, (a->n + b->n) * sizeof *t);
	copy(t, a->t, a->n * sizeof *t);
	copy(t + a->n, b->t, b->n * sizeof *t);
	return poly_new(c, t, a->n + b->n);
}

const Poly *poly_scale(Canon *c, const Poly *a, const Expr *k)
{
	if (num_sign(k) == 0)
		return poly_zero(c);
	Term *t = alloc(c, a->n * sizeof *t);
	for (unsigned i = 0; i < a->n; i++) {
		t[i] = a->t[i];
		t[i].coef = num_op(c, t[i].coef, k, '*');
	}
	return poly_new(c, t, a->n);
}

/* The gcd of the numerators of t[0..n)'s coefficients (over their common
 * denominator, when they all have one: 1/2 a - 1/2 b = 1/2 (a - b)), with
 * the sign of the last term (last_sign) or negative when every term is. */
const Expr *numeric_content(Canon *c, const Term *t, unsigned n, int last_sign)
{
	mpz_t g;
	mpz_init(g);
	int positive = 0, same_den = 1;
	for (unsigned i = 0; i < n; i++) {
		mpz_gcd(g, g, mpq_numref(t[i].coef->u.num));
		positive |= num_sign(t[i].coef) > 0;
		same_den &= mpz_cmp(mpq_denref(t[i].coef->u.num), mpq_denref(t[0].coef->u.num)) == 0;
	}
	mpq_t q;
	mpq_init(q);
	mpq_set_z(q, g);
	if (same_den) {
		mpz_set(mpq_denref(q), mpq_denref(t[0].coef->u.num));
		mpq_canonicalize(q);
	}
	if (last_sign ? num_sign(t[n - 1].coef) < 0 : !positive)
		mpq_neg(q, q);
	const Expr *k = expr_num(c->p, q);
	mpq_clear(q);
	mpz_clear(g);
	return k;
}

/* t's scalar powers with g[0..ng) divided out (those left at power 0
 * dropped); their count in *n. */
SPow *powers_without(Canon *c, const Term *t, const SPow *g, unsigned ng, unsigned *n)
{
	SPow *left = alloc(c, (t->nsc + 1) * sizeof *left);
	unsigned nl = 0;
	for (unsigned k = 0; k < t->nsc; k++) {
		SPow o = t->sc[k];
		for (unsigned i = 0; i < ng; i++)
			if (g[i].atom == o.atom)
				o.exp = num_op(c, o.exp, num_op(c, g[i].exp, NULL, '-'), '+');
		if (num_sign(o.exp))
			left[nl++] = o;
	}
	*n = nl;
	return left;
}

/* A sum too big to multiply out is kept whole, as one atom, its common
 * scalar factor outside: (x^T / r - a^T / r) is r^-1 times the atom x^T -
 * a^T, so that r meets the other powers of r in the product
 * ((x - a) ((x - a)^T / r) / r is (x - a) (x - a)^T / r^2). */
static const Poly *opaque(Canon *c, const Poly *a)
{
	if (a->n <= 1)
		return a;
	/* matrix sums only: a scalar sum's common monomial is handled where
	 * its powers are (common_monomial), and splitting it here would
	 * rebuild every layer of a deep scalar composition */
	for (unsigned i = 0; i < a->n; i++)
		if (!a->t[i].nmat)
			return poly_atom(c, to_expr(c, a));
	/* the numeric content with the sign of the last term (in the terms'
	 * order: x - mu rather than mu - x), so that x - mu and mu - x are one
	 * atom, and (mu - x) (x - mu)^T is -(x - mu) (x - mu)^T, a term that can
	 * meet others of its sign */
	const Expr *k = numeric_content(c, a->t, a->n, 1);
	/* the scalar powers every term has, to one sign: the one nearest zero */
	SPow *common = alloc(c, (a->t[0].nsc + 1) * sizeof *common);
	unsigned nc = 0;
	for (unsigned i = 0; i < a->t[0].nsc; i++) {
		const Expr *least = a->t[0].sc[i].exp;
		int everywhere = 1;
		for (unsigned j = 1; j < a->n && everywhere; j++) {
			int found = 0;
			for (unsigned m = 0; m < a->t[j].nsc; m++)
				if (a->t[j].sc[m].atom == a->t[0].sc[i].atom &&
				    num_sign(a->t[j].sc[m].exp) == num_sign(least)) {
					found = 1;
					if (mpq_cmp(a->t[j].sc[m].exp->u.num, least->u.num) * num_sign(least) < 0)
						least = a->t[j].sc[m].exp;
				}
			everywhere = found;
		}
		if (everywhere)
			common[nc++] = (SPow){ a->t[0].sc[i].atom, least };
	}
	if (expr_is_num(k, 1) && nc == 0)
		return poly_atom(c, to_expr(c, a));
	Term *rest = alloc(c, a->n * sizeof *rest);
	for (unsigned j = 0; j < a->n; j++) {
		rest[j] = a->t[j];
		rest[j].coef = num_op(c, a->t[j].coef, k, '/');
		rest[j].sc = powers_without(c, &a->t[j], common, nc, &rest[j].nsc);
	}
	Term *out = alloc(c, sizeof *out);
	*out = (Term){ k, nc, 0, common, NULL };
	const Expr *inner = to_expr(c, poly_new(c, rest, a->n));
	return poly_mul(c, poly_new(c, out, 1), poly_atom(c, inner));
}

const Poly *poly_mul(Canon *c, const Poly *a, const Poly *b)
{
	/* Two sums stay factored: their product multiplied out has n m terms
	 * where the factors have n + m, and a chain of such products (the
	 * layers of a network) would grow exponentially (SPEC 4). */
	if ((a->n > 1 && b->n > 1) || (size_t)a->n * b->n > EXPAND_MAX) {
		a = opaque(c, a);
		b = opaque(c, b);
	}
	return poly_mul_out(c, a, b);
}

/* a b multiplied out, term by term, sums or not (the caller bounds it). */
const Poly *poly_mul_out(Canon *c, const Poly *a, const Poly *b)
{
	Term *t = alloc(c, (size_t)a->n * b->n * sizeof *t);
	unsigned k = 0;
	for (unsigned i = 0; i < a->n; i++)
		for (unsigned j = 0; j < b->n; j++)
			t[k++] = term_mul(c, &a->t[i], &b->t[j]);
	return settle(c, poly_new(c, t, k));
}

/* A polynomial that is one term without matrix factors: its pieces. */
static int single_scalar_term(const Poly *a)
{
	return a->n == 1 && a->t[0].nmat == 0;
}

static int is_whole(const Expr *k)
{
	return mpz_cmp_ui(mpq_denref(k->u.num), 1) == 0;
}

/* Whole and of a sane size: (a/b)^(10^19) stays one power, or its value
 * would be inf / inf in any floating-point use. */
int small_whole(const Expr *k)
{
	return is_whole(k) && mpz_cmpabs_ui(mpq_numref(k->u.num), 4096) <= 0;
}

/* The scalar powers, to positive whole exponents, that every term of a sum
 * of scalar terms has: g, with a = g r.  Raising g and r to a whole power
 * separately makes alpha (1 + alpha) and alpha + alpha^2 the same divisor,
 * whichever way it was written.  NULL if there are none. */
static const Poly *common_monomial(Canon *c, const Poly *a, const Poly **rest)
{
	for (unsigned j = 0; j < a->n; j++)
		if (a->t[j].nmat)
			return NULL;
	SPow *g = alloc(c, (a->t[0].nsc + 1) * sizeof *g);
	unsigned ng = 0;
	for (unsigned i = 0; i < a->t[0].nsc; i++) {
		const SPow *s = &a->t[0].sc[i];
		const Expr *least = s->exp;
		int everywhere = num_sign(least) > 0 && is_whole(least);
		for (unsigned j = 1; j < a->n && everywhere; j++) {
			everywhere = 0;
			for (unsigned k = 0; k < a->t[j].nsc; k++) {
				const SPow *o = &a->t[j].sc[k];
				if (o->atom == s->atom && num_sign(o->exp) > 0 && is_whole(o->exp)) {
					everywhere = 1;
					if (mpq_cmp(o->exp->u.num, least->u.num) < 0)
						least = o->exp;
				}
			}
		}
		if (everywhere)
			g[ng++] = (SPow){ s->atom, least };
	}
	if (ng == 0)
		return NULL;
	Term *r = alloc(c, a->n * sizeof *r);
	for (unsigned j = 0; j < a->n; j++) {
		r[j] = a->t[j];
		r[j].sc = powers_without(c, &a->t[j], g, ng, &r[j].nsc);
	}
	*rest = poly_new(c, r, a->n);
	Term *gt = alloc(c, sizeof *gt);
	*gt = (Term){ one(c), ng, 0, g, NULL };
	return poly_new(c, gt, 1);
}

/* a^k for a scalar polynomial and a rational k. */
const Poly *poly_pow_scalar(Canon *c, const Poly *a, const Expr *k)
{
	if (expr_is_num(k, 0))
		return poly_num(c, one(c));   /* s^0 = 1 */
	if (a->n == 1 && a->t[0].nmat && scalar_chain(c, a->t[0].mat, a->t[0].nmat)) {
		Term *t = alloc(c, sizeof *t);   /* (alpha y^T y)^-1: y^T y is a scalar */
		*t = chain_as_scalar(c, &a->t[0]);
		Poly *q = alloc(c, sizeof *q);
		*q = (Poly){ 1, t };
		a = q;
	}
	if (a->n == 0)
		return num_sign(k) > 0 ? a : poly_atom(c, expr_binary(c->p, E_POW, expr_int(c->p, 0), k));
	int whole = small_whole(k);
	if (!whole && !(single_scalar_term(a) && a->t[0].nsc == 1 && expr_is_num(a->t[0].coef, 1) &&
			expr_is_num(a->t[0].sc[0].exp, 1))) {
		/* (a b)^(1/2) is not a^(1/2) b^(1/2) for negative a, b, nor (x^2)^(1/2)
		 * x: a fractional power applies to its base whole */
		Term *r = alloc(c, sizeof *r);
		SPow *sp = alloc(c, sizeof *sp);
		*sp = (SPow){ to_expr(c, a), k };
		*r = (Term){ one(c), 1, 0, sp, NULL };
		return poly_new(c, r, 1);
	}
	if (!single_scalar_term(a)) {   /* (1 + e)^-1: the sum is the atom */
		const Poly *rest, *g = common_monomial(c, a, &rest);
		if (g)   /* (alpha + alpha^2)^-1 = alpha^-1 (1 + alpha)^-1 */
			return poly_mul(c, poly_pow_scalar(c, g, k), poly_pow_scalar(c, rest, k));
		Term *r = alloc(c, sizeof *r);
		SPow *sp = alloc(c, sizeof *sp);
		*sp = (SPow){ to_expr(c, a), k };
		*r = (Term){ one(c), 1, 0, sp, NULL };
		return poly_new(c, r, 1);
	}
	const Term *t = &a->t[0];
	Term *r = alloc(c, sizeof *r);
	r->coef = one(c);
	SPow *s = alloc(c, (t->nsc + 1) * sizeof *s);
	unsigned n = 0;
	for (unsigned i = 0; i < t->nsc; i++)
		s[n++] = (SPow){ t->sc[i].atom, num_op(c, t->sc[i].exp, k, '*') };
	/* the coefficient's power, exactly when k is whole, else as an atom */
	size_t bits = mpz_sizeinbase(mpq_numref(t->coef->u.num), 2) + mpz_sizeinbase(mpq_denref(t->coef->u.num), 2);
	if (mpz_cmp_ui(mpq_denref(k->u.num), 1) == 0 && mpz_cmpabs_ui(mpq_numref(k->u.num), 4096) <= 0 &&
	    (expr_is_num(t->coef, 1) || expr_is_num(t->coef, -1) ||
	     bits * mpz_get_ui(mpq_numref(k->u.num)) <= COEF_MAX_BITS)) {   /* exact, if not huge */
		mpq_t q;
		mpq_init(q);
		long e = mpz_get_si(mpq_numref(k->u.num));
		mpz_pow_ui(mpq_numref(q), mpq_numref(t->coef->u.num), (unsigned long)labs(e));
		mpz_pow_ui(mpq_denref(q), mpq_denref(t->coef->u.num), (unsigned long)labs(e));
		if (e < 0)
			mpq_inv(q, q);
		r->coef = expr_num(c->p, q);
		mpq_clear(q);
	} else if (!expr_is_num(t->coef, 1)) {
		s[n++] = (SPow){ t->coef, k };
		sort(s, n, sizeof *s, qsort_spow);
	}
	r->sc = s;
	r->nsc = n;
	return settle(c, poly_new(c, r, 1));
}

/* The factors of t that are sums (the first power of a scalar sum, or a
 * matrix sum in its chain). */
static unsigned sum_factors(const Term *t)
{
	unsigned k = 0;
	for (unsigned i = 0; i < t->nsc; i++)
		k += t->sc[i].atom->kind == E_ADD && expr_is_num(t->sc[i].exp, 1);
	for (unsigned i = 0; i < t->nmat; i++)
		k += t->mat[i]->kind == E_ADD;
	return k;
}

/* An atom raised to a whole power that canon would have split had the
 * power been whole from the start: ((2/3 beta)^(1/2))^-2 is (2/3 beta)^-1,
 * that is 3/2 beta^-1, and (alpha - 3)^-1 inverted is the sum alpha - 3,
 * multiplied out as any sum times a single term is (poly_mul), unless
 * another sum is a factor of its term: two sums stay factored.  Without
 * this, reading a printed answer back would simplify it further.  *as is
 * what the atom simplifies to. */
static int unsettled(Canon *c, const Term *t, const SPow *s, const Poly **as)
{
	ExprKind k = s->atom->kind;
	if (!small_whole(s->exp) || (k != E_ADD && k != E_MUL && k != E_POW && k != E_DIV && k != E_NEG))
		return 0;
	const Poly *q = canon(c, s->atom);
	*as = q;
	if (single_scalar_term(q))   /* a monomial, unless it is the atom itself */
		return !(q->t[0].nsc == 1 && q->t[0].sc[0].atom == s->atom &&
			 expr_is_num(q->t[0].coef, 1) && expr_is_num(q->t[0].sc[0].exp, 1));
	return q->n > 1 && s->atom->kind == E_ADD && expr_is_num(s->exp, 1) && sum_factors(t) == 1;
}

static const Poly *settle(Canon *c, const Poly *q)
{
	const Poly *as;
	int any = 0;
	for (unsigned i = 0; i < q->n && !any; i++)
		for (unsigned j = 0; j < q->t[i].nsc && !any; j++)
			any = unsettled(c, &q->t[i], &q->t[i].sc[j], &as);
	if (!any)
		return q;
	const Poly *sum = poly_zero(c);
	for (unsigned i = 0; i < q->n; i++) {
		Term *t = alloc(c, sizeof *t);
		*t = q->t[i];
		SPow *kept = alloc(c, (t->nsc + 1) * sizeof *kept);
		unsigned nk = 0;
		const Poly *r = poly_num(c, one(c));
		for (unsigned j = 0; j < q->t[i].nsc; j++)
			if (unsettled(c, &q->t[i], &q->t[i].sc[j], &as))   /* a sum's first power is the sum */
				r = poly_mul(c, r, as->n > 1 ? as : poly_pow_scalar(c, as, q->t[i].sc[j].exp));
			else
				kept[nk++] = q->t[i].sc[j];
		t->sc = kept;
		t->nsc = nk;
		sum = poly_add(c, sum, poly_mul(c, poly_new(c, t, 1), r));
	}
	return sum;
}

/* --- transposes --- */

static const Expr *rebuild_args(Canon *c, const Expr *e, const Expr *(*f)(Canon *, const Expr *))
{
	const Expr **a = alloc(c, e->nargs * sizeof *a);
	for (unsigned i = 0; i < e->nargs; i++)
		a[i] = f(c, e->args[i]);
	if (e->kind == E_FUNC)
		return expr_func(c->p, e->fn, a[0]);
	return expr_make(c->p, e->kind, a, e->nargs);
}

/* A matrix atom transposed, with the transpose pushed to the leaves:
 * (X^T)^T = X, I^T = I, K_{m,n}^T = K_{n,m}, diag(x)^T = diag(x),
 * (A kron B)^T = A^T kron B^T, (A .* B)^T = A^T .* B^T, f(A)^T = f(A^T),
 * (X^-1)^T = X^-T, and S^T = S for a symmetric S. */
const Expr *atom_transpose(Canon *c, const Expr *a)
{
	switch (a->kind) {
	case E_TRANS:
		return a->args[0];
	case E_IDENT:
		return a;
	case E_COMM: {
		const Expr *args[2] = { a->args[1], a->args[0] };
		return expr_make(c->p, E_COMM, args, 2);
	}
	case E_VAR:
		if ((c->symmetry && shape_symmetric(c->s, a)) || is_scalar(c, a))
			return a;
		break;
	case E_INV: {   /* (M^-1)^T = (M^T)^-1, which is M^-1 for a symmetric M */
		const Expr *m = a->args[0];
		if (m->kind == E_VAR)
			return c->symmetry && shape_symmetric(c->s, m) ? a : expr_unary(c->p, E_TRANS, a);
		const Expr *mt = transposed_expr(c, m);
		if (mt == m)
			return a;
		const Expr *r = to_expr(c, canon(c, expr_unary(c->p, E_INV, mt)));
		return r ? r : expr_unary(c->p, E_INV, mt);
	}
	case E_KRON:
		return rebuild_args(c, a, transposed_expr);
	case E_POW:
		return expr_binary(c->p, E_POW, atom_transpose(c, a->args[0]), a->args[1]);
	case E_EPOW:
		break;
	case E_FUNC:
		if (a->fn == F_DIAG && dim_is_one(shape(c, a->args[0]).cols))
			return a;
		break;
	case E_ADD: case E_NEG: case E_MUL: case E_DIV:
		return transposed_expr(c, a);
	case E_NUM: case E_DSYM: case E_DIM: case E_ONES: case E_HAD: case E_HDIV:
		break;
	}
	if (is_scalar(c, a))
		return a;
	return expr_unary(c->p, E_TRANS, a);
}

/* Any expression transposed, in canonical form. */
const Expr *transposed_expr(Canon *c, const Expr *e)
{
	if (is_scalar(c, e))
		return e;
	const Expr *t = to_expr(c, canon(c, expr_unary(c->p, E_TRANS, e)));
	return t ? t : e;
}

/* (sum of c S M1 .. Mk)^T = sum of c S Mk^T .. M1^T */
const Poly *poly_transpose(Canon *c, const Poly *a)
{
	Term *t = alloc(c, a->n * sizeof *t);
	for (unsigned i = 0; i < a->n; i++) {
		const Term *s = &a->t[i];
		const Expr **m = alloc(c, s->nmat * sizeof *m);
		for (unsigned j = 0; j < s->nmat; j++)
			m[j] = atom_transpose(c, s->mat[s->nmat - 1 - j]);
		Term unit = { one(c), s->nsc, 0, s->sc, NULL };
		Term chain = { s->coef, 0, s->nmat, NULL, m };
		t[i] = term_mul(c, &unit, &chain);
	}
	return poly_new(c, t, a->n);
}
