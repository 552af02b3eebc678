/* print.c: one walk over a node that brackets an operand only where the
 * grammar would read it otherwise; the tokens come from a per-format style. */
#include "print.h"
#include "mem.h"

#include <string.h>

/* The tokens of one output format.  Only text exists so far; unicode and
 * LaTeX are further rows (an infix Kronecker product would add a field). */
typedef struct {
	const char *plus, *minus, *juxt, *div, *had, *hdiv;
	const char *trans, *invert, *inv_trans, *pow, *epow;
	const char *open, *close;            /* grouping brackets */
	const char *norm_open, *norm_close;
	const char *norm_call;               /* a norm inside a norm: norm(x) */
	const char *kron;                    /* kron(A, B): a call */
	const char *arg_sep;
	const char *ident, *ones, *comm;     /* I, ones, K */
	const char *sub_open, *sub_close;    /* I_{m n} */
	const char *factor_sep, *comm_sep;   /* between dimension factors; in K_{m,n} */
} PrintStyle;

static const PrintStyle text_style = {
	.plus = " + ", .minus = " - ", .juxt = " ", .div = " / ", .had = " .* ", .hdiv = " ./ ",
	.trans = "^T", .invert = "^-1", .inv_trans = "^-T", .pow = "^", .epow = ".^",
	.open = "(", .close = ")", .norm_open = "||", .norm_close = "||", .norm_call = "norm",
	.kron = "kron", .arg_sep = ", ", .ident = "I", .ones = "ones", .comm = "K",
	.sub_open = "_{", .sub_close = "}", .factor_sep = " ", .comm_sep = ",",
};

typedef struct {
	Buf *out;
	const PrintStyle *st;
	int in_norm;      /* inside ||...||, where a `||` after an operand closes */
} Printer;

/* How loosely a node binds as printed, loosest first (the grammar's levels:
 * expr, term, unary, postfix, primary). */
typedef enum { L_SUM, L_TERM, L_UNARY, L_POSTFIX, L_ATOM } Level;

/* Where an operand goes: the loosest level that fits there unbracketed, an
 * n-ary kind that must be bracketed (it would merge into the chain), and
 * whether a leading minus would be misread (as a subtraction). */
typedef struct {
	Level min;
	int merge;        /* an ExprKind, or -1 */
	int no_minus;
} Slot;

static const Slot any_slot = { L_SUM, -1, 0 };

static void node(Printer *pr, const Expr *e);

static void put(Printer *pr, const char *s)
{
	buf_puts(pr->out, s);
}

static int is_integer(const Expr *e)
{
	return mpz_cmp_ui(mpq_denref(e->u.num), 1) == 0;
}

static int is_nary(ExprKind k)
{
	return k == E_ADD || k == E_MUL || k == E_HAD || k == E_KRON;
}

/* 3 is an atom, -2 reads as '-' 2, and 1/3 as a division. */
static Level num_level(const Expr *e)
{
	if (!is_integer(e))
		return L_TERM;
	return mpq_sgn(e->u.num) < 0 ? L_UNARY : L_ATOM;
}

static Level level(const Expr *e)
{
	switch (e->kind) {
	case E_NUM:
		return num_level(e);
	case E_ADD:
		return L_SUM;
	case E_MUL: case E_DIV: case E_HAD: case E_HDIV:
		return L_TERM;
	case E_NEG:
		return L_UNARY;
	case E_TRANS: case E_INV: case E_POW: case E_EPOW:
		return L_POSTFIX;
	case E_VAR: case E_DSYM: case E_DIM: case E_IDENT: case E_ONES: case E_COMM:
	case E_KRON: case E_FUNC:
		return L_ATOM;
	}
	return L_ATOM;
}

/* The first operand of a chain: anything at term level (a b / c is
 * (a b) / c), except the same n-ary operator. */
static Slot first_slot(ExprKind k)
{
	Slot s = { L_TERM, is_nary(k) ? (int)k : -1, 0 };
	return s;
}

static int starts_minus(const Expr *e);

static int needs_brackets(const Expr *e, Slot s)
{
	return level(e) < s.min || (int)e->kind == s.merge || (s.no_minus && starts_minus(e));
}

/* Whether e as printed unbracketed begins with '-'. */
static int starts_minus(const Expr *e)
{
	switch (e->kind) {
	case E_NUM:
		return mpq_sgn(e->u.num) < 0;
	case E_NEG:
		return 1;
	case E_ADD: case E_MUL: case E_DIV: case E_HAD: case E_HDIV:
		return e->nargs > 0 && !needs_brackets(e->args[0], first_slot(e->kind)) &&
		       starts_minus(e->args[0]);
	case E_VAR: case E_DSYM: case E_DIM: case E_IDENT: case E_ONES: case E_COMM:
	case E_KRON: case E_TRANS: case E_INV: case E_POW: case E_EPOW: case E_FUNC:
		return 0;
	}
	return 0;
}

static void in_slot(Printer *pr, const Expr *e, Slot s)
{
	int brackets = needs_brackets(e, s);
	if (brackets)
		put(pr, pr->st->open);
	node(pr, e);
	if (brackets)
		put(pr, pr->st->close);
}

/* --- leaves --- */

static void rational(Printer *pr, mpq_srcptr q)
{
	size_t n = mpz_sizeinbase(mpq_numref(q), 10) + mpz_sizeinbase(mpq_denref(q), 10) + 3;
	char *s = mem_alloc(n);
	mpq_get_str(s, 10, q);
	put(pr, s);
	mem_free(s);
}

/* The factors of an E_DIM, in their order: "m n", "2 n". */
static void dim_factors(Printer *pr, const Expr *d)
{
	for (unsigned i = 0; i < d->nargs; i++) {
		if (i)
			put(pr, pr->st->factor_sep);
		node(pr, d->args[i]);
	}
}

/* _n and _3 bare; _{m n}, _{nn} in braces. */
static void subscript(Printer *pr, const Expr *d)
{
	const Expr *f = d->nargs == 1 ? d->args[0] : NULL;
	if (f && (f->kind == E_NUM || (f->kind == E_DSYM && strlen(f->u.name) == 1))) {
		put(pr, "_");
		node(pr, f);
		return;
	}
	put(pr, pr->st->sub_open);
	dim_factors(pr, d);
	put(pr, pr->st->sub_close);
}

/* I, I_n, ones, ones_n */
static void sized(Printer *pr, const char *name, const Expr *e)
{
	put(pr, name);
	if (e->nargs)
		subscript(pr, e->args[0]);
}

/* K_{m,n} */
static void commutation(Printer *pr, const Expr *e)
{
	put(pr, pr->st->comm);
	put(pr, pr->st->sub_open);
	dim_factors(pr, e->args[0]);
	put(pr, pr->st->comm_sep);
	dim_factors(pr, e->args[1]);
	put(pr, pr->st->sub_close);
}

/* --- operators --- */

/* expr: term | expr '+' term | expr '-' term.  A later term that begins with
 * a minus is bracketed: a + (-2 b) is not a - 2 b. */
static void sum_term(Printer *pr, const Expr *t)
{
	static const Slot later = { L_TERM, E_ADD, 1 };
	if (t->kind == E_NEG) {
		put(pr, pr->st->minus);
		in_slot(pr, t->args[0], later);
	} else if (t->kind == E_NUM && mpq_sgn(t->u.num) < 0) {
		mpq_t a;
		mpq_init(a);
		mpq_abs(a, t->u.num);
		put(pr, pr->st->minus);
		rational(pr, a);
		mpq_clear(a);
	} else {
		put(pr, pr->st->plus);
		in_slot(pr, t, later);
	}
}

static void sum(Printer *pr, const Expr *e)
{
	for (unsigned i = 0; i < e->nargs; i++) {
		if (i)
			sum_term(pr, e->args[i]);
		else
			in_slot(pr, e->args[0], first_slot(E_ADD));
	}
}

/* term: term '*' unary | term postfix | term '/' unary | term '.*' unary | ...
 * The operands after the first need level `later`: postfix for a juxtaposed
 * factor (A (-B), A (1/3)), unary after an operator (a / -b). */
static void chain(Printer *pr, const Expr *e, const char *op, Level later)
{
	Slot rest = { later, -1, 0 };
	for (unsigned i = 0; i < e->nargs; i++) {
		if (i)
			put(pr, op);
		in_slot(pr, e->args[i], i ? rest : first_slot(e->kind));
	}
}

/* unary: '-' unary.  -(-x), -(a b) and -(a / b) need their brackets. */
static void negation(Printer *pr, const Expr *e)
{
	static const Slot operand = { L_POSTFIX, -1, 0 };
	put(pr, "-");
	in_slot(pr, e->args[0], operand);
}

/* The base of ^T, ^-1, ^k, .^p: an atom, else bracketed, (A^T)^-1 included. */
static void postfix(Printer *pr, const Expr *base, const char *op)
{
	static const Slot atom = { L_ATOM, -1, 0 };
	in_slot(pr, base, atom);
	put(pr, op);
}

static void transpose(Printer *pr, const Expr *e)
{
	const Expr *a = e->args[0];
	if (a->kind == E_INV)
		postfix(pr, a->args[0], pr->st->inv_trans);
	else
		postfix(pr, a, pr->st->trans);
}

/* pexp: primary | '-' pexp.  So x^-2 and x.^-alpha, but x^(1/2), x.^(2 a). */
static void exponent(Printer *pr, const Expr *e)
{
	int bare = level(e) == L_ATOM || (e->kind == E_NUM && is_integer(e)) ||
		   (e->kind == E_NEG && level(e->args[0]) == L_ATOM && e->args[0]->kind != E_NUM);
	if (!bare)
		put(pr, pr->st->open);
	node(pr, e);
	if (!bare)
		put(pr, pr->st->close);
}

static void call(Printer *pr, const char *name, const Expr *e)
{
	put(pr, name);
	put(pr, pr->st->open);
	for (unsigned i = 0; i < e->nargs; i++) {
		if (i)
			put(pr, pr->st->arg_sep);
		in_slot(pr, e->args[i], any_slot);
	}
	put(pr, pr->st->close);
}

/* ||x||; inside a norm, norm(x), since there `||` after an operand closes. */
static void norm(Printer *pr, const Expr *e)
{
	if (pr->in_norm) {
		call(pr, pr->st->norm_call, e);
		return;
	}
	pr->in_norm = 1;
	put(pr, pr->st->norm_open);
	in_slot(pr, e->args[0], any_slot);
	put(pr, pr->st->norm_close);
	pr->in_norm = 0;
}

static void function(Printer *pr, const Expr *e)
{
	if (e->fn == F_NORM)
		norm(pr, e);
	else
		call(pr, expr_func_name(e->fn), e);
}

static void node(Printer *pr, const Expr *e)
{
	const PrintStyle *st = pr->st;
	switch (e->kind) {
	case E_NUM: rational(pr, e->u.num); break;
	case E_VAR: case E_DSYM: put(pr, e->u.name); break;
	case E_DIM: dim_factors(pr, e); break;
	case E_IDENT: sized(pr, st->ident, e); break;
	case E_ONES: sized(pr, st->ones, e); break;
	case E_COMM: commutation(pr, e); break;
	case E_ADD: sum(pr, e); break;
	case E_NEG: negation(pr, e); break;
	case E_MUL: chain(pr, e, st->juxt, L_POSTFIX); break;
	case E_DIV: chain(pr, e, st->div, L_UNARY); break;
	case E_HAD: chain(pr, e, st->had, L_UNARY); break;
	case E_HDIV: chain(pr, e, st->hdiv, L_UNARY); break;
	case E_KRON: call(pr, st->kron, e); break;
	case E_TRANS: transpose(pr, e); break;
	case E_INV: postfix(pr, e->args[0], st->invert); break;
	case E_POW:
		postfix(pr, e->args[0], st->pow);
		exponent(pr, e->args[1]);
		break;
	case E_EPOW:
		postfix(pr, e->args[0], st->epow);
		exponent(pr, e->args[1]);
		break;
	case E_FUNC: function(pr, e); break;
	}
}

void print_text(Buf *out, const Expr *e)
{
	Printer pr = { out, &text_style, 0 };
	node(&pr, e);
}
