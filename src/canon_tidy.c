/* canon_tidy.c: a last tidy on the expression: flat products, numbers and
 * minus signs where they read best, sums collected linearly, shared factors. */
#include "canon_impl.h"

static const Expr *term_product(const Expr *t, int *negated);
static const Expr *shared_factor(Canon *c, const Expr *e);
static const Expr *flipped_sums(Canon *c, const Expr *e);
static int is_ones_row(const Expr *e);
static const Expr *summed(Canon *c, const Expr *const *f, unsigned n);
static const Expr *as_sum(Canon *c, const Expr *e);
static const Expr *linear_arg(Canon *c, const Expr *t, FuncId f);
static const Expr *linear_collected(Canon *c, const Expr *e);
static const Expr *flat_sum(Canon *c, const Expr *const *t, unsigned n);
static const Expr *outer_minus(Canon *c, const Expr *e);
static const Expr *sums_last(Canon *c, const Expr *e);
static const Expr *number_out(Canon *c, const Expr *e);
static const Expr *number_inside(Canon *c, const Expr *e);
static const Expr *number_in_quotient(Canon *c, const Expr *k, const Expr *h);
static const Expr *vec_inside(Canon *c, const Expr *e);
static const Expr *kron_transposed(Canon *c, const Expr *e);
static const Expr *tidy_node(Canon *c, const Expr *e);

/* --- a last tidy on the expression: flat products, shared factors --- */

/* Products inside products are one product (unless the inner one is a 1 x 1
 * scalar, which reads better bracketed), with numbers in front. */
const Expr *flat_product(Canon *c, const Expr *e)
{
	unsigned n = 0;
	for (unsigned i = 0; i < e->nargs; i++) {
		const Expr *f = e->args[i];
		n += f->kind == E_MUL && !is_scalar(c, f) ? f->nargs : 1;
	}
	const Expr **a = alloc(c, (n + 1) * sizeof *a);
	const Expr *k = one(c);
	unsigned m = 1;
	for (unsigned i = 0; i < e->nargs; i++) {
		const Expr *f = e->args[i];
		unsigned nf = f->kind == E_MUL && !is_scalar(c, f) ? f->nargs : 1;
		for (unsigned j = 0; j < nf; j++) {
			const Expr *g = nf > 1 || (f->kind == E_MUL && !is_scalar(c, f)) ? f->args[j] : f;
			if (g->kind == E_NUM)
				k = num_op(c, k, g, '*');
			else
				a[m++] = g;
		}
	}
	if (!expr_is_num(k, 1) || m == 1)   /* 1 when it is all that is left */
		a[0] = k;
	else
		a++, m--;
	if (m == 1)
		return a[0];
	return expr_make(c->p, E_MUL, a, m);
}

/* A row or column vector: its 1 x 1 chains join its chain, before it (a
 * row) or after it (a column), where they need no brackets: 2 (a^T x) a^T
 * is 2 a^T x a^T, and (b^T x) a is a b^T x.  For printing only (presented):
 * differentiated, a x^T x would be read as (a x^T) x. */
const Expr *chained_scalars(Canon *c, const Expr *e)
{
	Shape sh = shape(c, e);
	int row = dim_is_one(sh.rows), col = dim_is_one(sh.cols);
	if (row == col)
		return e;
	unsigned n = 0, chains = 0;
	for (unsigned i = 0; i < e->nargs; i++) {
		const Expr *f = e->args[i];
		int chain = f->kind == E_MUL && is_scalar(c, f);
		chains += chain;
		n += chain ? f->nargs : 1;
	}
	if (!chains)
		return e;
	const Expr **a = alloc(c, n * sizeof *a);
	unsigned k = 0;
	for (unsigned i = 0; i < e->nargs; i++) {   /* numbers and other scalars lead */
		const Expr *f = e->args[i];
		if (is_scalar(c, f) && f->kind != E_MUL)
			a[k++] = f;
		else if (f->kind == E_MUL && is_scalar(c, f))   /* and those of a 1 x 1 chain: */
			for (unsigned j = 0; j < f->nargs; j++)  /* v 2 a^T x is 2 v a^T x */
				if (is_scalar(c, f->args[j]))
					a[k++] = f->args[j];
	}
	for (int pass = 0; pass < 2; pass++)      /* a row: the 1 x 1 chains, then the rest */
		for (unsigned i = 0; i < e->nargs; i++) {
			const Expr *f = e->args[i];
			if (is_scalar(c, f) && f->kind != E_MUL)
				continue;
			int chain = f->kind == E_MUL && is_scalar(c, f);
			if (chain != (pass == (row ? 0 : 1)))
				continue;
			if (chain) {
				for (unsigned j = 0; j < f->nargs; j++)
					if (!is_scalar(c, f->args[j]))
						a[k++] = f->args[j];
			}
			else
				a[k++] = f;
		}
	return expr_make(c->p, E_MUL, a, k);
}

/* The product that a sum term is, and whether it was negated. */
static const Expr *term_product(const Expr *t, int *negated)
{
	*negated = t->kind == E_NEG;
	if (*negated)
		t = t->args[0];
	return t->kind == E_MUL ? t : NULL;
}

/* a B + c B = (a + c) B, and B a + B c = B (a + c), for matrix B. */
static const Expr *shared_factor(Canon *c, const Expr *e)
{
	for (int right = 0; right < 2; right++) {
		const Expr *f = NULL;
		int ok = 1;
		for (unsigned i = 0; i < e->nargs && ok; i++) {
			int neg;
			const Expr *t = term_product(e->args[i], &neg);
			const Expr *g = t ? t->args[right ? t->nargs - 1 : 0] : NULL;
			/* not an identity: pulling one out puts one back in each
			 * scalar term (2 I + S I), which would loop */
			ok = g && !is_scalar(c, g) && g->kind != E_NUM && g->kind != E_IDENT &&
			     (!f || g == f);
			f = g;
		}
		if (!ok)
			continue;
		const Expr **terms = alloc(c, e->nargs * sizeof *terms);
		for (unsigned i = 0; i < e->nargs; i++) {
			int neg;
			const Expr *t = term_product(e->args[i], &neg);
			const Expr *rest = t->nargs == 2 ? t->args[right ? 0 : 1]
				: expr_make(c->p, E_MUL, t->args + (right ? 0 : 1), t->nargs - 1);
			Shape ts = shape(c, t), fs = shape(c, f);
			Shape want = right ? (Shape){ ts.rows, fs.rows } : (Shape){ fs.cols, ts.cols };
			if (is_scalar(c, rest) && !shape_is_scalar(want)) {   /* 2 A + S A = (2 I + S) A */
				const Expr *pair[2] = { rest, identity(c, want.rows) };
				rest = expr_make(c->p, E_MUL, pair, 2);
			}
			terms[i] = neg ? expr_unary(c->p, E_NEG, rest) : rest;
		}
		const Expr *sum = tidy(c, expr_make(c->p, E_ADD, terms, e->nargs));
		const Expr *pair[2] = { right ? sum : f, right ? f : sum };
		return flat_product(c, expr_make(c->p, E_MUL, pair, 2));
	}
	return e;
}

/* In a product, a bracketed sum of transposes reads better transposed:
 * b (b^T X^T + c^T) D = b (X b + c)^T D. */
static const Expr *flipped_sums(Canon *c, const Expr *e)
{
	if (e->kind != E_MUL)
		return e;
	const Expr **a = alloc(c, e->nargs * sizeof *a);
	int changed = 0;
	for (unsigned i = 0; i < e->nargs; i++) {
		a[i] = e->args[i];
		if (a[i]->kind != E_ADD || is_scalar(c, a[i]))
			continue;
		const Expr *t = transposed_expr(c, a[i]);
		if (1 + count_transposes(t) < count_transposes(a[i])) {
			a[i] = expr_unary(c->p, E_TRANS, t);
			changed = 1;
		}
	}
	return changed ? expr_make(c->p, E_MUL, a, e->nargs) : e;
}

static int is_ones_row(const Expr *e)
{
	return e->kind == E_TRANS && e->args[0]->kind == E_ONES;
}

/* The A of a product 1^T A 1, 1^T a or a^T 1 (a sum of entries), or NULL.
 * A is never 1 x 1: 1^T alpha 1 scales, it does not add up alpha. */
static const Expr *summed(Canon *c, const Expr *const *f, unsigned n)
{
	if (n < 2 || n > 3 || is_scalar(c, f[n == 3 ? 1 : 0]) || is_scalar(c, f[1]))
		return NULL;
	if (n == 3 && is_ones_row(f[0]) && f[2]->kind == E_ONES && f[1]->kind != E_ONES)
		return f[1];
	if (n != 2)
		return NULL;
	if (is_ones_row(f[0]) && f[1]->kind != E_ONES && dim_is_one(shape(c, f[1]).cols))
		return f[1];
	if (f[1]->kind == E_ONES && !is_ones_row(f[0]) && dim_is_one(shape(c, f[0]).rows))
		return f[0];
	return NULL;
}

/* A product that adds up entries reads as sum: 2 ones^T y is 2 sum(y). */
static const Expr *as_sum(Canon *c, const Expr *e)
{
	if (e->kind != E_MUL)
		return e;
	unsigned lead = 0;
	while (lead < e->nargs && is_scalar(c, e->args[lead]) && e->args[lead]->kind != E_MUL)
		lead++;
	const Expr *a = lead < e->nargs ? summed(c, e->args + lead, e->nargs - lead) : NULL;
	if (!a)
		return e;
	const Expr *s = expr_func(c->p, F_SUM, a->kind == E_TRANS ? a->args[0] : a);
	if (lead == 0)
		return s;
	const Expr **f = alloc(c, (lead + 1) * sizeof *f);
	copy(f, e->args, lead * sizeof *f);
	f[lead] = s;
	return expr_make(c->p, E_MUL, f, lead + 1);
}

/* The argument of a term f(A) of a linear function f (vec, diag, tr),
 * negated for -f(A); NULL for another term. */
static const Expr *linear_arg(Canon *c, const Expr *t, FuncId f)
{
	int neg = t->kind == E_NEG;
	if (neg)
		t = t->args[0];
	if (t->kind != E_FUNC || t->fn != f)
		return NULL;
	return neg ? expr_unary(c->p, E_NEG, t->args[0]) : t->args[0];
}

/* t[0] + ... + t[n-1], a term that is a sum (or a negated sum) spliced
 * in: (a + b) - c is a + b - c. */
static const Expr *flat_sum(Canon *c, const Expr *const *t, unsigned n)
{
	unsigned m = 0;
	for (unsigned i = 0; i < n; i++) {
		const Expr *s = t[i]->kind == E_NEG ? t[i]->args[0] : t[i];
		m += s->kind == E_ADD ? s->nargs : 1;
	}
	const Expr **a = alloc(c, m * sizeof *a);
	unsigned k = 0;
	for (unsigned i = 0; i < n; i++) {
		int neg = t[i]->kind == E_NEG;
		const Expr *s = neg ? t[i]->args[0] : t[i];
		if (s->kind != E_ADD) {
			a[k++] = t[i];
			continue;
		}
		for (unsigned j = 0; j < s->nargs; j++) {
			const Expr *u = s->args[j];
			a[k++] = !neg ? u : u->kind == E_NEG ? u->args[0] : expr_unary(c->p, E_NEG, u);
		}
	}
	return expr_make(c->p, E_ADD, a, k);
}

/* vec(A) + vec(B) is vec(A + B), as diag, tr and sum: the sum inside is one
 * token shorter for each term (canon splits them to collect terms). */
static const Expr *linear_collected(Canon *c, const Expr *e)
{
	static const FuncId linear[] = { F_VEC, F_DIAG, F_TR, F_SUM };
	for (unsigned k = 0; k < sizeof linear / sizeof linear[0]; k++) {
		const Expr **a = alloc(c, e->nargs * sizeof *a);
		unsigned i = 0;
		while (i < e->nargs && (a[i] = linear_arg(c, e->args[i], linear[k])))
			i++;
		if (i < e->nargs)
			continue;
		Shape s0 = shape(c, a[0]);
		int same = 1;   /* diag of vectors and of matrices do not mix */
		for (unsigned j = 1; j < e->nargs; j++)
			same &= shape(c, a[j]).cols == s0.cols && shape(c, a[j]).rows == s0.rows;
		if (same)
			return expr_func(c->p, linear[k], tidy(c, flat_sum(c, a, e->nargs)));
	}
	return e;
}

/* A product with negated factors is one negated product:
 * A (-B) C is -(A B C); lead_minus then writes it -A B C. */
static const Expr *outer_minus(Canon *c, const Expr *e)
{
	unsigned neg = 0;
	for (unsigned i = 0; i < e->nargs; i++)
		neg += e->args[i]->kind == E_NEG;
	if (neg == 0)
		return e;
	const Expr **a = alloc(c, e->nargs * sizeof *a);
	for (unsigned i = 0; i < e->nargs; i++)
		a[i] = e->args[i]->kind == E_NEG ? e->args[i]->args[0] : e->args[i];
	const Expr *m = expr_make(c->p, E_MUL, a, e->nargs);
	return neg % 2 ? expr_unary(c->p, E_NEG, m) : m;
}

/* .* commutes: the textbook writes its sums last, s .* (1 - s). */
static const Expr *sums_last(Canon *c, const Expr *e)
{
	const Expr **a = alloc(c, e->nargs * sizeof *a);
	unsigned n = 0;
	for (int sums = 0; sums < 2; sums++)
		for (unsigned i = 0; i < e->nargs; i++)
			if ((e->args[i]->kind == E_ADD) == sums)
				a[n++] = e->args[i];
	return expr_make(c->p, E_HAD, a, n);
}

/* x .* (400 (y - x.^2)) as 400 x .* (y - x.^2): a number scaling a sum
 * operand of an element-wise product goes in front of it (and then into
 * its first factor, number_inside), where the sum needs no number. */
static const Expr *number_out(Canon *c, const Expr *e)
{
	for (unsigned i = 0; i < e->nargs; i++) {
		const Expr *f = e->args[i];
		if (f->kind != E_MUL || f->nargs != 2 || f->args[0]->kind != E_NUM || f->args[1]->kind != E_ADD)
			continue;
		const Expr **a = alloc(c, e->nargs * sizeof *a);
		copy(a, e->args, e->nargs * sizeof *a);
		a[i] = f->args[1];
		const Expr *r = number_inside(c, expr_binary(c->p, E_MUL, f->args[0], expr_make(c->p, E_HAD, a, e->nargs)));
		return tokens(c, r) <= tokens(c, e) ? r : e;
	}
	return e;
}

/* Memoised: a result is a DAG (a network's derivative shares each layer),
 * and walking it as a tree would take time exponential in its depth. */
const Expr *tidy(Canon *c, const Expr *e)
{
	return e ? memoised(c, &c->tidied, e, tidy_node) : e;
}

/* p/q (a ./ b) as p a ./ (q b): 1/2 (ones ./ sqrt(x)) is ones ./ (2
 * sqrt(x)), as the derivative of sum(sqrt(x)) is written. */
static const Expr *number_in_quotient(Canon *c, const Expr *k, const Expr *h)
{
	mpq_t part;
	mpq_init(part);
	mpq_set_z(part, mpq_numref(k->u.num));
	const Expr *p = expr_num(c->p, part);
	mpq_set_z(part, mpq_denref(k->u.num));
	const Expr *q = expr_num(c->p, part);
	mpq_clear(part);
	const Expr *top = h->args[0], *bottom = h->args[1];
	if (!expr_is_num(p, 1))
		top = top->kind == E_NUM ? num_op(c, p, top, '*') : expr_binary(c->p, E_MUL, p, top);
	if (!expr_is_num(q, 1))
		bottom = bottom->kind == E_NUM ? num_op(c, q, bottom, '*') : expr_binary(c->p, E_MUL, q, bottom);
	return expr_binary(c->p, E_HDIV, top, bottom);
}

/* 2 (x .* y) as 2 x .* y: the number scales the first factor of an
 * element-wise product, which then needs no brackets (the grammar reads
 * 2 x .* y as (2 x) .* y, the same value). */
static const Expr *number_inside(Canon *c, const Expr *e)
{
	if (e->kind == E_MUL && e->nargs == 2 && e->args[0]->kind == E_NUM && e->args[1]->kind == E_HDIV)
		return number_in_quotient(c, e->args[0], e->args[1]);
	if (e->kind == E_MUL && e->nargs == 2 && (e->args[1]->kind == E_HDIV || e->args[1]->kind == E_HAD) &&
	    e->args[0]->kind != E_NUM && e->args[0]->nargs == 0 && is_scalar(c, e->args[0])) {
		/* lambda (w ./ s) as lambda w ./ s, a scalar name as a number is */
		const Expr *h = e->args[1];
		const Expr **a = alloc(c, h->nargs * sizeof *a);
		copy(a, h->args, h->nargs * sizeof *a);
		a[0] = expr_binary(c->p, E_MUL, e->args[0], a[0]);
		return expr_make(c->p, h->kind, a, h->nargs);
	}
	if (e->kind != E_MUL || e->nargs != 2 || e->args[0]->kind != E_NUM || e->args[1]->kind != E_HAD)
		return e;
	const Expr *h = e->args[1];
	if (h->args[0]->kind == E_NUM)
		return e;
	const Expr **a = alloc(c, h->nargs * sizeof *a);
	for (unsigned i = 0; i < h->nargs; i++)
		a[i] = h->args[i];
	a[0] = expr_binary(c->p, E_MUL, e->args[0], a[0]);
	return expr_make(c->p, E_HAD, a, h->nargs);
}

/* vec(A) .* vec(B) is vec(A .* B), and so for ./, when A and B are of
 * one shape: the element-wise product inside the vec. */
static const Expr *vec_inside(Canon *c, const Expr *e)
{
	const Expr **a = alloc(c, e->nargs * sizeof *a);
	for (unsigned i = 0; i < e->nargs; i++) {
		const Expr *f = e->args[i];
		if (f->kind != E_FUNC || f->fn != F_VEC)
			return NULL;
		a[i] = f->args[0];
		Shape s0 = shape(c, a[0]), si = shape(c, a[i]);
		if (si.rows != s0.rows || si.cols != s0.cols)
			return NULL;
	}
	return expr_func(c->p, F_VEC, expr_make(c->p, e->kind, a, e->nargs));
}

/* kron(b^T, a^T) as kron(b, a)^T, a token shorter: the transpose of a
 * Kronecker product is the product of the transposes. */
static const Expr *kron_transposed(Canon *c, const Expr *e)
{
	const Expr **a = alloc(c, e->nargs * sizeof *a);
	for (unsigned i = 0; i < e->nargs; i++)
		a[i] = tidy(c, pushed_transpose(c, e->args[i]));
	const Expr *t = expr_unary(c->p, E_TRANS, expr_make(c->p, E_KRON, a, e->nargs));
	return tokens(c, t) < tokens(c, e) ? t : e;
}

static const Expr *tidy_node(Canon *c, const Expr *e)
{
	if (!e || e->nargs == 0 || e->kind == E_DIM || e->kind == E_IDENT || e->kind == E_ONES ||
	    e->kind == E_COMM)
		return e;
	const Expr **a = alloc(c, e->nargs * sizeof *a), *r;
	int changed = 0;
	for (unsigned i = 0; i < e->nargs; i++) {
		a[i] = tidy(c, e->args[i]);
		changed |= a[i] != e->args[i];
	}
	/* an argument stands alone: -(y w^T x) is written -y w^T x there too */
	if (e->kind == E_FUNC && a[0]->kind == E_NEG) {
		a[0] = lead_minus(c, a[0]);
		changed |= a[0] != e->args[0];
	}
	if (changed)
		e = e->kind == E_FUNC ? expr_func(c->p, e->fn, a[0]) : expr_make(c->p, e->kind, a, e->nargs);
	if (e->kind == E_MUL) {
		const Expr *m = outer_minus(c, e);
		if (m->kind == E_NEG)
			return expr_unary(c->p, E_NEG, number_inside(c, as_sum(c, flipped_sums(c, flat_product(c, m->args[0])))));
		return number_inside(c, as_sum(c, flipped_sums(c, flat_product(c, m))));
	}
	if (e->kind == E_KRON)
		return kron_transposed(c, e);
	if ((e->kind == E_HAD || e->kind == E_HDIV) && (r = vec_inside(c, e)))
		return r;
	if (e->kind == E_HAD)
		return number_out(c, sums_last(c, e));
	if (e->kind == E_ADD) {
		const Expr *l = linear_collected(c, e);
		return l->kind == E_ADD ? shared_factor(c, l) : l;
	}
	return e;
}
