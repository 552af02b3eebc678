/* canon.c: the entry points (canon.h) and the choice of an answer:
 * either orientation of the normal form, the local cleanups (transposes
 * pushed to the leaves), the never-longer pick (SPEC 4), and the zero
 * divisors of an expression as typed. */
#include "canon_impl.h"

static const Expr *pushed_transpose_node(Canon *c, const Expr *e);
static const Expr *simplified(Canon *c, const Expr *e);
static unsigned pair_cost(Canon *c, const Expr *e, const Expr *et);
static const Expr *pick(Canon *c, const Expr *x, int keep_x);
static const Expr *simplify(Pool *p, Shapes *s, const Expr *e, int symmetry, int answer);
static const Expr *normal(Canon *c, const Expr *e);
static const Expr *either_way(Canon *c, const Expr *e);
static const Expr *either_way_node(Canon *c0, const Expr *e);
static int zero_divisor(Pool *p, Shapes *s, const Expr *e, Map *seen);
static const Expr *local(Canon *c, const Expr *e);
static const Expr *local_node(Canon *c, const Expr *e);
static const Expr *numbers_first(Canon *c, const Expr *e);
static const Expr *minus_out(Canon *c, const Expr *e);
static const Expr *scalar_powers(Canon *c, const Expr *e);
static const Expr *identities_dropped(Canon *c, const Expr *e);
static int later_pair(Canon *c, const Expr *a, const Expr *at, const Expr *b, const Expr *bt);
static int text_order(const void *x, const void *y);

/* Ties between factorisations are broken by their text up to this length:
 * longer answers (deep networks) keep the first, unprinted. */
enum { TIE_TOKENS = 400 };

/* --- one answer in every layout (SPEC 4) --- */

/* e^T with the transposes pushed to the leaves, structurally: no
 * simplification, so e's factorisation is kept ((A x + b)^T C is
 * C^T (A x + b) transposed: (x^T A^T + b^T) C).  Applications of functions
 * other than the symmetric ones stay transposed whole. */

const Expr *pushed_transpose(Canon *c, const Expr *e)
{
	return memoised(c, &c->pushed, e, pushed_transpose_node);
}

static const Expr *pushed_transpose_node(Canon *c, const Expr *e)
{
	if (is_scalar(c, e))
		return e;
	const Expr **a = alloc(c, (e->nargs + 1) * sizeof *a);
	switch (e->kind) {
	case E_TRANS:
		return e->args[0];
	case E_IDENT:
		return e;
	case E_COMM: case E_VAR:
		return atom_transpose(c, e);
	case E_ADD: case E_HAD: case E_KRON:
		for (unsigned i = 0; i < e->nargs; i++)
			a[i] = pushed_transpose(c, e->args[i]);
		return expr_make(c->p, e->kind, a, e->nargs);
	case E_MUL: {   /* scalars stay in front: (2 alpha A B)^T is 2 alpha B^T A^T */
		unsigned k = 0, end = e->nargs;
		for (unsigned i = 0; i < e->nargs; i++)
			if (is_scalar(c, e->args[i]))
				a[k++] = e->args[i];
			else
				a[--end] = pushed_transpose(c, e->args[i]);
		return expr_make(c->p, E_MUL, a, e->nargs);
	}
	case E_NEG:
		return expr_unary(c->p, E_NEG, pushed_transpose(c, e->args[0]));
	case E_DIV: case E_HDIV:
		return expr_binary(c->p, e->kind, pushed_transpose(c, e->args[0]),
				   e->kind == E_HDIV ? pushed_transpose(c, e->args[1]) : e->args[1]);
	case E_POW:
		return expr_binary(c->p, E_POW, pushed_transpose(c, e->args[0]), e->args[1]);
	case E_INV:
		return e->args[0]->kind == E_VAR ? atom_transpose(c, e)
		       : expr_unary(c->p, E_INV, pushed_transpose(c, e->args[0]));
	case E_FUNC:
		if (e->fn == F_DIAG && dim_is_one(shape(c, e->args[0]).cols))
			return e;   /* a diagonal matrix */
		break;
	default:
		break;
	}
	return expr_unary(c->p, E_TRANS, e);
}

static const Expr *simplified(Canon *c, const Expr *e)
{
	return lead_minus(c, tidy(c, to_expr(c, canon(c, e))));
}

/* print_tokens, counted on the DAG and remembered per node: the
 * candidates of one simplification are measured again and again, and
 * share most of their nodes. */
unsigned tokens(Canon *c, const Expr *e)
{
	if (!c->tokens)
		c->tokens = print_counter(pool_arena(c->p));
	return print_count(c->tokens, e);
}

/* What an answer and its transpose cost together: the same whichever of
 * the two a layout prints. */
static unsigned pair_cost(Canon *c, const Expr *e, const Expr *et)
{
	return e && et ? tokens(c, e) + tokens(c, et) : 0;
}

/* Choosing between the two forms can leave one that simplifies further (a
 * term order): a second choice from the chosen form is a fixed point, so
 * printing and reading back changes nothing. */

/* The shortest in tokens of x's normal form, that form after the local
 * cleanups, x after them, and x itself (when keep_x); on a tie, the
 * earliest: the normal form whenever it is as short as any. */
static const Expr *pick(Canon *c, const Expr *x, int keep_x)
{
	const Expr *r = normal(c, x);
	if (!r)
		return r;
	const Expr *cand[4] = { r, lead_minus(c, local(c, r)), lead_minus(c, local(c, x)),
				keep_x ? lead_minus(c, x) : NULL };
	const Expr *best = r;
	unsigned best_n = tokens(c, r);
	for (int i = 1; i < 4; i++) {
		unsigned n = cand[i] ? tokens(c, cand[i]) : 0;
		if (cand[i] && n < best_n) {
			best = cand[i];
			best_n = n;
		}
	}
	return best;
}

/* Never longer than what it simplifies (SPEC 4): the normal form, unless
 * it comes out longer than the expression after the local cleanups; then
 * picked again from what was picked until nothing shorter comes (a few
 * rounds at most: lengths only fall), so that the answer printed reads
 * back as itself. */
static const Expr *simplify(Pool *p, Shapes *s, const Expr *e, int symmetry, int answer)
{
	Canon c = { .p = p, .s = s, .symmetry = symmetry };
	map_init(&c.memo, pool_arena(p));
	map_init(&c.tidied, pool_arena(p));
	map_init(&c.localised, pool_arena(p));
	map_init(&c.pushed, pool_arena(p));
	map_init(&c.chosen, pool_arena(p));
	map_init(&c.shown, pool_arena(p));
	map_init(&c.commuting, pool_arena(p));
	if (!answer)   /* unconstrained: what is differentiated next, not printed */
		return symmetry ? presented(&c, normal(&c, e)) : normal(&c, e);
	const Expr *x = pick(&c, e, 0);
	for (int round = 0; x && round < 4; round++) {
		const Expr *y = pick(&c, x, 1);
		if (y == x)
			break;
		x = y;
	}
	/* presented forms are chosen on both layouts' lengths together, and
	 * may come out longer in one; never longer than what was picked */
	const Expr *shown = presented(&c, x);
	return !x || tokens(&c, shown) <= tokens(&c, x) ? shown : x;
}

static const Expr *normal(Canon *c, const Expr *e)
{
	const Expr *r = either_way(c, e);
	return r && !is_scalar(c, r) ? either_way(c, r) : r;
}

static const Expr *either_way(Canon *c, const Expr *e)
{
	return memoised(c, &c->chosen, e, either_way_node);
}

static const Expr *either_way_node(Canon *c0, const Expr *e)
{
	Canon *c = c0;
	Pool *p = c->p;
	const Expr *a = simplified(c, e);
	if (!a || is_scalar(c, e))
		return a;
	/* The transpose simplified and transposed back: of the two
	 * factorisations, the one shorter with its transpose, so that
	 * numerator and denominator answers are one answer transposed. */
	const Expr *bt = simplified(c, expr_unary(p, E_TRANS, e));
	if (!bt)
		return a;
	const Expr *b = lead_minus(c, tidy(c, pushed_transpose(c, bt)));
	const Expr *at = lead_minus(c, tidy(c, pushed_transpose(c, a)));
	unsigned cb = pair_cost(c, b, bt), ca = pair_cost(c, a, at);
	return cb < ca || (cb == ca && a != b && later_pair(c, a, at, b, bt)) ? b : a;
}

/* A text of e that forgets the order of the terms of its sums and of the
 * factors of its element-wise products, the order the two layouts write
 * differently: x^T (A + A^T) and x^T (A^T + A) are one.  Written as a
 * tree: only for short answers (pair_key). */
static void skeleton(Canon *c, Buf *out, const Expr *e)
{
	if (e->nargs == 0 || e->kind == E_DIM || e->kind == E_IDENT || e->kind == E_ONES || e->kind == E_COMM) {
		print_text(out, e);
		return;
	}
	char **part = alloc(c, e->nargs * sizeof *part);
	for (unsigned i = 0; i < e->nargs; i++) {
		Buf b;
		buf_init(&b);
		skeleton(c, &b, e->args[i]);
		part[i] = alloc(c, b.len + 1);
		memcpy(part[i], buf_str(&b), b.len + 1);
		buf_free(&b);
	}
	if (e->kind == E_ADD || e->kind == E_HAD)
		sort(part, e->nargs, sizeof *part, text_order);
	buf_printf(out, "%d.%d(", (int)e->kind, e->kind == E_FUNC ? (int)e->fn : 0);
	for (unsigned i = 0; i < e->nargs; i++)
		buf_printf(out, "%s%s", i ? "," : "", part[i]);
	buf_putc(out, ')');
}

static int text_order(const void *x, const void *y)
{
	return strcmp(*(char *const *)x, *(char *const *)y);
}

/* The first skeleton of an answer and its transpose, or NULL when the
 * answer is long: its tie is then left as it is. */
static const char *pair_key(Canon *c, const Expr *e, const Expr *et)
{
	if (!e || !et || tokens(c, e) > TIE_TOKENS)
		return NULL;
	char *s[2];
	for (int i = 0; i < 2; i++) {
		Buf b;
		buf_init(&b);
		skeleton(c, &b, i ? et : e);
		s[i] = alloc(c, b.len + 1);
		memcpy(s[i], buf_str(&b), b.len + 1);
		buf_free(&b);
	}
	return strcmp(s[0], s[1]) <= 0 ? s[0] : s[1];
}

/* Of two factorisations as short with their transposes, {a, a^T} and {b,
 * b^T}, whether b is the one: the shorter in this layout; of two as
 * short, the pair with fewer transposes (sigmoid(x) .* (1 - sigmoid(x))
 * transposed whole), then the pair first by skeleton.  The layouts see the same two pairs
 * (the numerator's a is the denominator's b transposed), so such a tie is
 * broken alike in both: they print one answer transposed, not each its own
 * first try. */
static int later_pair(Canon *c, const Expr *a, const Expr *at, const Expr *b, const Expr *bt)
{
	if (tokens(c, a) != tokens(c, b))
		return tokens(c, b) < tokens(c, a);
	const char *ka = pair_key(c, a, at), *kb = pair_key(c, b, bt);
	if (!ka || !kb)
		return 0;
	unsigned ta = count_transposes(a) + count_transposes(at), tb = count_transposes(b) + count_transposes(bt);
	return ta != tb ? tb < ta : strcmp(ka, kb) > 0;
}

/* A divisor, inverse or negative power of something that simplifies to zero
 * somewhere in e (as typed): 0/0 must not become 0. */
int canon_zero_divisor(Pool *p, Shapes *s, const Expr *e)
{
	Map seen;
	map_init(&seen, pool_arena(p));
	return zero_divisor(p, s, e, &seen);
}

static int zero_divisor(Pool *p, Shapes *s, const Expr *e, Map *seen)
{
	const void *v;
	if (map_get(seen, e, &v))
		return 0;
	map_put(seen, e, e);
	const Expr *den = NULL;
	if (e->kind == E_DIV || e->kind == E_HDIV)
		den = e->args[1];
	else if (e->kind == E_INV || (e->kind == E_POW && mpq_sgn(e->args[1]->u.num) < 0))
		den = e->args[0];
	if (den && !canon_unconstrained(p, s, den))
		return 1;
	for (unsigned i = 0; i < e->nargs; i++)
		if (e->kind != E_DIM && e->kind != E_IDENT && e->kind != E_ONES && e->kind != E_COMM &&
		    zero_divisor(p, s, e->args[i], seen))
			return 1;
	return 0;
}

int canon_divides_by_zero(const Expr *e)
{
	if (!e)
		return 0;
	if (e->kind == E_POW && expr_is_num(e->args[0], 0) && mpq_sgn(e->args[1]->u.num) < 0)
		return 1;
	if ((e->kind == E_DIV && expr_is_num(e->args[1], 0)) || (e->kind == E_INV && expr_is_num(e->args[0], 0)))
		return 1;
	for (unsigned i = 0; i < e->nargs; i++)
		if (canon_divides_by_zero(e->args[i]))
			return 1;
	return 0;
}

/* Local cleanups only: transposes pushed to the leaves, recursively. */

static const Expr *local(Canon *c, const Expr *e)
{
	return memoised(c, &c->localised, e, local_node);
}

static const Expr *local_node(Canon *c, const Expr *e)
{
	if (e->nargs == 0 || e->kind == E_DIM || e->kind == E_IDENT || e->kind == E_ONES || e->kind == E_COMM)
		return e;
	if (e->kind == E_TRANS)
		return pushed_transpose(c, local(c, e->args[0]));
	const Expr **a = alloc(c, e->nargs * sizeof *a);
	for (unsigned i = 0; i < e->nargs; i++)
		a[i] = local(c, e->args[i]);
	const Expr *r = expr_rebuild(c->p, e, a);
	/* the quotient rule's (||r||^2)^2 is ||r||^4 (a whole outer power) */
	if (r->kind == E_POW && r->args[0]->kind == E_POW && r->args[1]->kind == E_NUM &&
	    r->args[0]->args[1]->kind == E_NUM && mpz_cmp_ui(mpq_denref(r->args[1]->u.num), 1) == 0)
		return expr_binary(c->p, E_POW, r->args[0]->args[0], num_op(c, r->args[0]->args[1], r->args[1], '*'));
	if (r->kind == E_HAD && is_scalar(c, r))   /* s .* (1 - s) .* 1 of 1 x 1 is a product */
		r = expr_make(c->p, E_MUL, r->args, r->nargs);
	if (r->kind == E_MUL)
		r = identities_dropped(c, r);
	return minus_out(c, numbers_first(c, scalar_powers(c, r)));
}

/* A product without its identity factors, where another matrix factor
 * keeps its shape: I_m s ones_m^T is s ones_m^T (the chain rule reads dv
 * off as I dv). */
static const Expr *identities_dropped(Canon *c, const Expr *e)
{
	unsigned matrices = 0, ids = 0;
	for (unsigned i = 0; i < e->nargs; i++) {
		int id = is_identity(e->args[i]);
		ids += id;
		matrices += !id && !is_scalar(c, e->args[i]);
	}
	if (!ids || !matrices)
		return e;
	const Expr **a = alloc(c, e->nargs * sizeof *a);
	unsigned n = 0;
	for (unsigned i = 0; i < e->nargs; i++)
		if (!is_identity(e->args[i]))
			a[n++] = e->args[i];
	return n == 1 ? a[0] : expr_make(c->p, E_MUL, a, n);
}

/* A scalar base and its exponent: t^k is (t, k), t is (t, 1). */
static const Expr *base_of(Canon *c, const Expr *f, const Expr **k)
{
	if (f->kind == E_POW && f->args[1]->kind == E_NUM) {
		*k = f->args[1];
		return f->args[0];
	}
	*k = one(c);
	return f;
}

/* A product of scalars as the chain rule writes it, 2 t (s t) with t = 1 -
 * s, flat and with equal factors as one power: 2 t^2 s.  Sums stay whole,
 * as units (SPEC 4): the normal form would expand them. */
static const Expr *scalar_powers(Canon *c, const Expr *e)
{
	if (e->kind != E_MUL || !is_scalar(c, e))
		return e;
	unsigned n = 0;
	for (unsigned i = 0; i < e->nargs; i++)
		n += e->args[i]->kind == E_MUL && is_scalar(c, e->args[i]) ? e->args[i]->nargs : 1;
	const Expr **f = alloc(c, n * sizeof *f), **k = alloc(c, n * sizeof *k);
	unsigned m = 0;
	int merged = 0;
	for (unsigned i = 0; i < e->nargs; i++) {
		const Expr *a = e->args[i];
		unsigned na = a->kind == E_MUL && is_scalar(c, a) ? a->nargs : 1;
		merged |= na > 1;
		for (unsigned j = 0; j < na; j++) {
			const Expr *g = na > 1 ? a->args[j] : a, *kg, *b;
			if (!is_scalar(c, g) || g->kind == E_NUM) {   /* chains and numbers stay */
				f[m] = g, k[m++] = NULL;
				continue;
			}
			b = base_of(c, g, &kg);
			unsigned h = 0;
			while (h < m && !(k[h] && f[h] == b))
				h++;
			if (h < m) {
				k[h] = num_op(c, k[h], kg, '+');
				merged = 1;
			} else {
				f[m] = b, k[m++] = kg;
			}
		}
	}
	if (!merged)
		return e;
	unsigned w = 0;
	for (unsigned h = 0; h < m; h++) {
		if (k[h] && num_sign(k[h]) == 0)
			continue;
		f[w++] = !k[h] || expr_is_num(k[h], 1) ? f[h] : expr_binary(c->p, E_POW, f[h], k[h]);
	}
	return w == 0 ? one(c) : w == 1 ? f[0] : expr_make(c->p, E_MUL, f, w);
}

/* The minus signs of a product's factors in front of it, two of them
 * none: -(2 t (-(s t))) is 2 t s t. */
static const Expr *minus_out(Canon *c, const Expr *e)
{
	if (e->kind == E_NEG && e->args[0]->kind == E_NEG)
		return e->args[0]->args[0];
	if (e->kind != E_MUL)
		return e;
	unsigned neg = 0;
	for (unsigned i = 0; i < e->nargs; i++)
		neg += e->args[i]->kind == E_NEG;
	if (!neg)
		return e;
	const Expr **a = alloc(c, e->nargs * sizeof *a);
	for (unsigned i = 0; i < e->nargs; i++)
		a[i] = e->args[i]->kind == E_NEG ? e->args[i]->args[0] : e->args[i];
	const Expr *r = expr_make(c->p, E_MUL, a, e->nargs);
	return neg % 2 ? expr_unary(c->p, E_NEG, r) : r;
}

/* A product's numbers in front, multiplied, as the chain rule's dx 2 is
 * 2 dx, and a factor 1 gone; nothing else moves. */
static const Expr *numbers_first(Canon *c, const Expr *e)
{
	if (e->kind != E_MUL)
		return e;
	unsigned late = 0;
	for (unsigned i = 1; i < e->nargs; i++)
		late += e->args[i]->kind == E_NUM;
	if (!late && !expr_is_num(e->args[0], 1))   /* d(sigma R X) by sigma is 1 R X: R X */
		return e;
	const Expr **a = alloc(c, e->nargs * sizeof *a), *k = one(c);
	unsigned n = 1;
	for (unsigned i = 0; i < e->nargs; i++)
		if (e->args[i]->kind == E_NUM)
			k = num_op(c, k, e->args[i], '*');
		else
			a[n++] = e->args[i];
	a[0] = k;
	if (n == 1)
		return k;
	if (expr_is_num(k, 1))
		return n == 2 ? a[1] : expr_make(c->p, E_MUL, a + 1, n - 1);
	return expr_make(c->p, E_MUL, a, n);
}

const Expr *canon_local(Pool *p, Shapes *s, const Expr *e)
{
	Canon c = { .p = p, .s = s, .symmetry = 1 };
	map_init(&c.memo, pool_arena(p));
	map_init(&c.tidied, pool_arena(p));
	map_init(&c.localised, pool_arena(p));
	map_init(&c.pushed, pool_arena(p));
	map_init(&c.commuting, pool_arena(p));
	return local(&c, e);
}

const Expr *canon_simplify(Pool *p, Shapes *s, const Expr *e)
{
	return simplify(p, s, e, 1, 0);
}

const Expr *canon_unconstrained(Pool *p, Shapes *s, const Expr *e)
{
	return simplify(p, s, e, 0, 0);
}

const Expr *canon_answer(Pool *p, Shapes *s, const Expr *raw)
{
	return simplify(p, s, raw, 1, 1);
}
