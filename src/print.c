/* print.c: one walk over a node that brackets an operand only where the
 * grammar would read it otherwise; the tokens come from a per-format style. */
#include "print.h"
#include "func.h"
#include "map.h"
#include "mem.h"

#include <ctype.h>
#include <string.h>

typedef struct Printer Printer;

/* The tokens of one output format: text, unicode and LaTeX are its rows. */
typedef struct {
	const char *plus, *minus, *juxt, *div, *had, *hdiv;
	const char *trans, *invert, *inv_trans, *pow, *epow;
	const char *exp_close;               /* after an exponent: "}" in x^{2} */
	const char *open, *close;            /* grouping brackets */
	const char *norm_open, *norm_close;
	const char *norm_call;               /* a norm inside a norm: norm(x); NULL: bars nest */
	const char *kron;                    /* kron(A, B): a call, or NULL ... */
	const char *kron_op;                 /* ... an infix operator: A ⊗ B */
	const char *arg_sep;
	const char *ident, *ones, *comm;     /* I, ones, K */
	const char *sub_open, *sub_close;    /* I_{m n} */
	const char *factor_sep, *comm_sep;   /* between dimension factors; in K_{m,n} */
	int frac;                            /* a / b and 1/3 as \frac{a}{b} */
	int brace_sub;                       /* I_{n} even for one factor */
	int clarify;                         /* bracket mixed products: (x ⊙ y) z */
	/* Optional hooks (NULL: the text behaviour): a variable or dimension
	 * symbol, and a function application. */
	void (*name)(Printer *pr, const Expr *e);
	void (*func)(Printer *pr, const Expr *e);
	const char *num_juxt;                /* juxtaposition before a number: 2 \cdot 3 */
} PrintStyle;

static const PrintStyle text_style = {
	.plus = " + ", .minus = " - ", .juxt = " ", .div = " / ", .had = " .* ", .hdiv = " ./ ",
	.trans = "^T", .invert = "^-1", .inv_trans = "^-T", .pow = "^", .epow = ".^", .exp_close = "",
	.open = "(", .close = ")", .norm_open = "||", .norm_close = "||", .norm_call = "norm",
	.kron = "kron", .arg_sep = ", ", .ident = "I", .ones = "ones", .comm = "K",
	.sub_open = "_{", .sub_close = "}", .factor_sep = " ", .comm_sep = ",",
};

/* Only what the lexer reads back: no superscript digits, no unicode minus. */
static const PrintStyle unicode_style = {
	.plus = " + ", .minus = " - ", .juxt = " ", .div = " / ",
	.had = " \xe2\x8a\x99 ", .hdiv = " ./ ",                            /* ⊙ */
	.trans = "\xe1\xb5\x80", .invert = "\xe2\x81\xbb\xc2\xb9",          /* ᵀ ⁻¹ */
	.inv_trans = "\xe2\x81\xbb\xe1\xb5\x80", .pow = "^", .epow = ".^",  /* ⁻ᵀ */
	.exp_close = "", .open = "(", .close = ")",
	.norm_open = "\xe2\x80\x96", .norm_close = "\xe2\x80\x96", .norm_call = "norm", /* ‖ */
	.kron_op = " \xe2\x8a\x97 ", .arg_sep = ", ", .ident = "I", .ones = "ones", .comm = "K", /* ⊗ */
	.sub_open = "_{", .sub_close = "}", .factor_sep = " ", .comm_sep = ",", .clarify = 1,
};

static void latex_name(Printer *pr, const Expr *e);
static void latex_func(Printer *pr, const Expr *e);

static const PrintStyle latex_style = {
	.plus = " + ", .minus = " - ", .juxt = " ", .div = " / ", .had = " \\odot ",
	.hdiv = " \\oslash ", .trans = "^{\\top}", .invert = "^{-1}", .inv_trans = "^{-\\top}",
	.pow = "^{", .epow = "^{\\circ ", .exp_close = "}", .open = "\\left(", .close = "\\right)",
	.norm_open = "\\left\\lVert ", .norm_close = " \\right\\rVert", .norm_call = NULL,
	.kron_op = " \\otimes ", .arg_sep = ", ", .ident = "\\mathbf{I}", .ones = "\\mathbf{1}",
	.comm = "\\mathbf{K}", .sub_open = "_{", .sub_close = "}", .factor_sep = " ",
	.comm_sep = ",", .frac = 1, .brace_sub = 1, .clarify = 1, .name = latex_name, .func = latex_func,
	.num_juxt = " \\cdot ",
};

struct Printer {
	Buf *out;
	const PrintStyle *st;
	Shapes *shapes;   /* LaTeX: how names are typeset (may be NULL) */
	int in_norm;      /* inside ||...||, where a `||` after an operand closes */
	TokenCounter *tc; /* counting tokens instead of writing (text style) */
	unsigned count;   /* the tokens counted so far */
};

/* Counting the tokens of the text form on the DAG: each node's count,
 * once per context (inside a norm or not: norm(x) against ||x||).  Pieces
 * are counted one by one, which is exact because every operator, bracket
 * and separator ends a token; the pieces that can join a neighbour (a
 * leaf's subscript I_n, an exponent ^-1) are counted as printed. */
struct TokenCounter {
	Map memo[2];      /* node -> tokens + 1, by in_norm */
};

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
	int in;           /* the kind of the chain it is an operand of, or -1 */
} Slot;

static const Slot any_slot = { L_SUM, -1, 0, -1 };

static void node(Printer *pr, const Expr *e);

static void put(Printer *pr, const char *s)
{
	if (pr->tc)
		pr->count += print_count_tokens(s);
	else
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

enum { DECIMAL_DIGITS_MAX = 40 };

/* q as a terminating decimal (0.044715) into out, when its denominator is
 * 2^a 5^b and that is shorter than p/q (8943/200000); 0 otherwise: 1/2,
 * 1/3 and 3/8 stay fractions.  The reader takes 0.044715 as exactly
 * 8943/200000 again. */
static int decimal(mpq_srcptr q, Buf *out)
{
	if (mpz_cmp_ui(mpq_denref(q), 1) == 0)
		return 0;
	mpz_t den, p10, n;
	mpz_init_set(den, mpq_denref(q));
	mpz_init_set_ui(p10, 5);
	mpz_init(n);
	mp_bitcnt_t a = mpz_scan1(den, 0);
	mpz_tdiv_q_2exp(den, den, a);
	mp_bitcnt_t b = mpz_remove(den, den, p10);
	int shorter = 0;
	if (mpz_cmp_ui(den, 1) == 0 && a <= DECIMAL_DIGITS_MAX && b <= DECIMAL_DIGITS_MAX) {
		unsigned long k = a > b ? a : b;   /* the least k with 10^k a multiple of the denominator */
		mpz_ui_pow_ui(p10, 10, k);
		mpz_abs(n, mpq_numref(q));
		mpz_mul(n, n, p10);
		mpz_divexact(n, n, mpq_denref(q));   /* |q| 10^k, a whole number */
		Buf d, f;
		buf_init(&d);
		buf_init(&f);
		buf_mpz(&d, n);
		buf_mpz(&f, mpq_numref(q));
		buf_putc(&f, '/');
		buf_mpz(&f, mpq_denref(q));
		size_t len = d.len;
		Buf dec;
		buf_init(&dec);
		if (mpq_sgn(q) < 0)
			buf_putc(&dec, '-');
		if (len <= k) {
			buf_puts(&dec, "0.");
			for (size_t i = len; i < k; i++)
				buf_putc(&dec, '0');
			buf_puts(&dec, buf_str(&d));
		} else {
			buf_put(&dec, buf_str(&d), len - k);
			buf_putc(&dec, '.');
			buf_puts(&dec, buf_str(&d) + len - k);
		}
		shorter = dec.len < f.len;
		if (shorter && out)
			buf_puts(out, buf_str(&dec));
		buf_free(&d);
		buf_free(&f);
		buf_free(&dec);
	}
	mpz_clear(den);
	mpz_clear(p10);
	mpz_clear(n);
	return shorter;
}

/* 3 is an atom, -2 reads as '-' 2, and 1/3 as a division (\frac{1}{3} is
 * one piece, but a postfix after it would bind to the 3); 0.05 is as 3. */
static Level num_level(const Printer *pr, const Expr *e)
{
	int whole = is_integer(e) || (!pr->st->frac && decimal(e->u.num, NULL));
	if (mpq_sgn(e->u.num) < 0)
		return whole || pr->st->frac ? L_UNARY : L_TERM;
	if (whole)
		return L_ATOM;
	return pr->st->frac ? L_POSTFIX : L_TERM;
}

static Level level(const Printer *pr, const Expr *e)
{
	switch (e->kind) {
	case E_NUM:
		return num_level(pr, e);
	case E_ADD:
		return L_SUM;
	case E_MUL: case E_HAD: case E_HDIV:
		return L_TERM;
	case E_DIV:
		return pr->st->frac ? L_POSTFIX : L_TERM;
	case E_KRON:
		return pr->st->kron ? L_ATOM : L_TERM;
	case E_NEG:
		return L_UNARY;
	case E_TRANS: case E_INV: case E_POW: case E_EPOW:
		return L_POSTFIX;
	case E_VAR: case E_DSYM: case E_DIM: case E_IDENT: case E_ONES: case E_COMM:
	case E_FUNC:
		return L_ATOM;
	}
	return L_ATOM;
}

/* The first operand of a chain: anything at term level (a b / c is
 * (a b) / c), except the same n-ary operator. */
static Slot first_slot(ExprKind k)
{
	Slot s = { L_TERM, is_nary(k) ? (int)k : -1, 0, (int)k };
	return s;
}

static int is_product(int k)
{
	return k == E_MUL || k == E_HAD || k == E_HDIV || k == E_KRON;
}

/* For human readers (unicode, LaTeX), two different products as each
 * other's operands are bracketed, though the grammar (one level, left to
 * right) would not need it: (A ⊗ B) C, (x ⊙ y) zᵀ, (A B) ⊗ C. */
static int clash(const Printer *pr, int in, const Expr *e)
{
	return pr->st->clarify && is_product(in) && is_product(e->kind) && in != (int)e->kind;
}

static int starts_minus(const Printer *pr, const Expr *e);

static int needs_brackets(const Printer *pr, const Expr *e, Slot s)
{
	return level(pr, e) < s.min || (int)e->kind == s.merge ||
	       (s.no_minus && starts_minus(pr, e)) || clash(pr, s.in, e);
}

/* Whether e as printed unbracketed begins with '-'. */
static int starts_minus(const Printer *pr, const Expr *e)
{
	switch (e->kind) {
	case E_NUM:
		return mpq_sgn(e->u.num) < 0;
	case E_NEG:
		return 1;
	case E_DIV:
		if (pr->st->frac)
			return 0;
		/* fall through */
	case E_ADD: case E_MUL: case E_HAD: case E_HDIV:
		return e->nargs > 0 && !needs_brackets(pr, e->args[0], first_slot(e->kind)) &&
		       starts_minus(pr, e->args[0]);
	case E_KRON:
		return !pr->st->kron && !needs_brackets(pr, e->args[0], first_slot(e->kind)) &&
		       starts_minus(pr, e->args[0]);
	case E_VAR: case E_DSYM: case E_DIM: case E_IDENT: case E_ONES: case E_COMM:
	case E_TRANS: case E_INV: case E_POW: case E_EPOW: case E_FUNC:
		return 0;
	}
	return 0;
}

static void in_slot(Printer *pr, const Expr *e, Slot s)
{
	int brackets = needs_brackets(pr, e, s);
	if (brackets)
		put(pr, pr->st->open);
	node(pr, e);
	if (brackets)
		put(pr, pr->st->close);
}

/* --- leaves --- */

static void integer(Printer *pr, mpz_srcptr z)
{
	buf_mpz(pr->out, z);
}

/* 3, -2, 1/3; in LaTeX -\frac{1}{3}. */
static void rational(Printer *pr, mpq_srcptr q)
{
	if (!pr->st->frac) {
		Buf b;
		buf_init(&b);
		if (decimal(q, &b)) {
			put(pr, buf_str(&b));
			buf_free(&b);
			return;
		}
		buf_free(&b);
	}
	if (!pr->st->frac || mpz_cmp_ui(mpq_denref(q), 1) == 0) {
		size_t n = mpz_sizeinbase(mpq_numref(q), 10) + mpz_sizeinbase(mpq_denref(q), 10) + 3;
		char *s = mem_alloc(n);
		mpq_get_str(s, 10, q);
		put(pr, s);
		mem_free(s);
		return;
	}
	mpz_t num;
	mpz_init(num);
	mpz_abs(num, mpq_numref(q));
	put(pr, mpq_sgn(q) < 0 ? "-\\frac{" : "\\frac{");
	integer(pr, num);
	put(pr, "}{");
	integer(pr, mpq_denref(q));
	put(pr, "}");
	mpz_clear(num);
}

static void name(Printer *pr, const Expr *e)
{
	if (pr->st->name)
		pr->st->name(pr, e);
	else
		put(pr, e->u.name);
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

/* _n and _3 bare; _{m n}, _{nn} in braces (LaTeX: always braces). */
static void subscript(Printer *pr, const Expr *d)
{
	const Expr *f = d->nargs == 1 ? d->args[0] : NULL;
	if (!pr->st->brace_sub && f &&
	    (f->kind == E_NUM || (f->kind == E_DSYM && strlen(f->u.name) == 1))) {
		put(pr, "_");
		node(pr, f);
		return;
	}
	put(pr, pr->st->sub_open);
	dim_factors(pr, d);
	put(pr, pr->st->sub_close);
}

/* I, I_n, ones, ones_n */
static void sized(Printer *pr, const char *what, const Expr *e)
{
	put(pr, what);
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
	static const Slot later = { L_TERM, E_ADD, 1, E_ADD };
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

/* Whether e as printed begins with a digit or a numeric \frac (LaTeX: 2 3
 * would read 23, and 2 \frac{1}{3} two and a third). */
static int starts_digit(const Printer *pr, const Expr *e)
{
	switch (e->kind) {
	case E_NUM:
		return mpq_sgn(e->u.num) >= 0;
	case E_TRANS: case E_INV: case E_POW: case E_EPOW:
		return level(pr, e->args[0]) == L_ATOM && starts_digit(pr, e->args[0]);
	case E_MUL: case E_HAD: case E_HDIV: case E_KRON:
		return level(pr, e) >= L_TERM && !needs_brackets(pr, e->args[0], first_slot(e->kind)) &&
		       starts_digit(pr, e->args[0]);
	case E_DIM:
		return e->nargs > 0 && e->args[0]->kind == E_NUM;
	case E_DIV: case E_ADD: case E_NEG: case E_VAR: case E_DSYM: case E_IDENT: case E_ONES:
	case E_COMM: case E_FUNC:
		return 0;
	}
	return 0;
}

/* term: term '*' unary | term postfix | term '/' unary | term '.*' unary | ...
 * The operands after the first need level `later`: postfix for a juxtaposed
 * factor (A (-B), A (1/3)), unary after an operator (a / -b). */
static void chain(Printer *pr, const Expr *e, const char *op, Level later)
{
	Slot rest = { later, -1, 0, (int)e->kind };
	for (unsigned i = 0; i < e->nargs; i++) {
		if (i) {
			int digit = pr->st->num_juxt && e->kind == E_MUL && e->args[i - 1]->kind == E_NUM &&
				    !needs_brackets(pr, e->args[i], rest) && starts_digit(pr, e->args[i]);
			put(pr, digit ? pr->st->num_juxt : op);
		}
		in_slot(pr, e->args[i], i ? rest : first_slot(e->kind));
	}
}

/* \frac{a}{b}: the LaTeX division. */
static void fraction(Printer *pr, const Expr *e)
{
	put(pr, "\\frac{");
	in_slot(pr, e->args[0], any_slot);
	put(pr, "}{");
	in_slot(pr, e->args[1], any_slot);
	put(pr, "}");
}

/* unary: '-' unary.  -(-x), -(a b) and -(a / b) need their brackets. */
static void negation(Printer *pr, const Expr *e)
{
	static const Slot operand = { L_POSTFIX, -1, 0, -1 };
	put(pr, "-");
	in_slot(pr, e->args[0], operand);
}

/* The base of ^T, ^-1, ^k, .^p: an atom, else bracketed, (A^T)^-1 included. */
static void postfix(Printer *pr, const Expr *base, const char *op)
{
	static const Slot atom = { L_ATOM, -1, 0, -1 };
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

/* pexp: primary | '-' pexp.  So x^-2 and x.^-alpha, but x^(1/2), x.^(2 a).
 * In braces (x^{1/2}), any expression. */
static void exponent(Printer *pr, const Expr *e)
{
	int bare = pr->st->exp_close[0] || level(pr, e) == L_ATOM ||
		   (e->kind == E_NUM && (is_integer(e) || (!pr->st->frac && decimal(e->u.num, NULL)))) ||
		   (e->kind == E_NEG && level(pr, e->args[0]) == L_ATOM && e->args[0]->kind != E_NUM);
	if (!bare)
		put(pr, pr->st->open);
	node(pr, e);
	if (!bare)
		put(pr, pr->st->close);
	put(pr, pr->st->exp_close);
}

static void call(Printer *pr, const char *fname, const Expr *e)
{
	put(pr, fname);
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
	if (pr->in_norm && pr->st->norm_call) {
		call(pr, pr->st->norm_call, e);
		return;
	}
	int outer = pr->in_norm;
	pr->in_norm = 1;
	put(pr, pr->st->norm_open);
	in_slot(pr, e->args[0], any_slot);
	put(pr, pr->st->norm_close);
	pr->in_norm = outer;
}

static void function(Printer *pr, const Expr *e)
{
	if (pr->st->func)
		pr->st->func(pr, e);
	else if (e->fn == F_NORM)
		norm(pr, e);
	else
		call(pr, func_name(e->fn), e);
}

static void node_body(Printer *pr, const Expr *e)
{
	const PrintStyle *st = pr->st;
	switch (e->kind) {
	case E_NUM: rational(pr, e->u.num); break;
	case E_VAR: case E_DSYM: name(pr, e); break;
	case E_DIM: dim_factors(pr, e); break;
	case E_IDENT: sized(pr, st->ident, e); break;
	case E_ONES: sized(pr, st->ones, e); break;
	case E_COMM: commutation(pr, e); break;
	case E_ADD: sum(pr, e); break;
	case E_NEG: negation(pr, e); break;
	case E_MUL: chain(pr, e, st->juxt, L_POSTFIX); break;
	case E_DIV:
		if (st->frac)
			fraction(pr, e);
		else
			chain(pr, e, st->div, L_UNARY);
		break;
	case E_HAD: chain(pr, e, st->had, L_UNARY); break;
	case E_HDIV: chain(pr, e, st->hdiv, L_UNARY); break;
	case E_KRON:
		if (st->kron)
			call(pr, st->kron, e);
		else
			chain(pr, e, st->kron_op, L_UNARY);
		break;
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

/* Written out and counted as text: a leaf, whose pieces join (I_n), and
 * the operator and exponent of a power (^-1 is one token). */
static void count_as_printed(Printer *pr, const Expr *e, const char *op)
{
	Buf b;
	buf_init(&b);
	Printer w = { &b, pr->st, pr->shapes, pr->in_norm, NULL, 0 };
	if (op)
		put(&w, op);
	(op ? exponent : node_body)(&w, e);
	pr->count += print_count_tokens(buf_str(&b));
	buf_free(&b);
}

static void count_node(Printer *pr, const Expr *e)
{
	Map *memo = &pr->tc->memo[pr->in_norm != 0];
	const void *v;
	if (map_get(memo, e, &v)) {
		pr->count += (unsigned)((uintptr_t)v - 1);
		return;
	}
	unsigned start = pr->count;
	if (e->nargs == 0 || e->kind == E_DIM || e->kind == E_IDENT || e->kind == E_ONES ||
	    e->kind == E_COMM) {
		count_as_printed(pr, e, NULL);
	} else if (e->kind == E_POW || e->kind == E_EPOW) {
		static const Slot atom = { L_ATOM, -1, 0, -1 };
		in_slot(pr, e->args[0], atom);
		count_as_printed(pr, e->args[1], e->kind == E_POW ? pr->st->pow : pr->st->epow);
	} else {
		node_body(pr, e);
	}
	map_put(memo, e, (const void *)((uintptr_t)(pr->count - start) + 1));
}

static void node(Printer *pr, const Expr *e)
{
	if (pr->tc)
		count_node(pr, e);
	else
		node_body(pr, e);
}

/* --- LaTeX: names and functions --- */

static int is_greek(const char *s, size_t n)
{
	return expr_greek(s, n) != 0;
}

static void put_n(Printer *pr, const char *s, size_t n)
{
	buf_put(pr->out, s, n);
}

/* Whether a variable is set bold: vectors and matrices are, scalars not. */
static int latex_bold(const Printer *pr, const Expr *v)
{
	int i = pr->shapes ? shape_find_var(pr->shapes, v->u.name) : -1;
	if (i >= 0)
		return !shape_is_scalar(shape_var_shape(pr->shapes, i));
	const char *s = v->u.name;
	size_t n = strcspn(s, "0123456789_");
	return isupper((unsigned char)s[0]) || !is_greek(s, n);
}

/* One piece of a subscript: 1, i, or \mathrm{max}. */
static void latex_sub_piece(Printer *pr, const char *s, size_t n)
{
	size_t digits = strspn(s, "0123456789");
	int plain = digits >= n || n == 1;
	if (!plain)
		put(pr, "\\mathrm{");
	put_n(pr, s, n);
	if (!plain)
		put(pr, "}");
}

/* The subscript of a name: the digits after its letters, then the pieces
 * after each `_`, separated by commas: x1 -> _{1}, lambda_max -> _{\mathrm{max}}. */
static void latex_subscript(Printer *pr, const char *digits, size_t nd, const char *rest)
{
	int any = 0;
	if (nd) {
		put(pr, "_{");
		put_n(pr, digits, nd);
		any = 1;
	}
	while (rest && *rest) {
		size_t n = strcspn(rest, "_");
		if (n) {
			put(pr, any ? "," : "_{");
			latex_sub_piece(pr, rest, n);
			any = 1;
		}
		rest += n + (rest[n] == '_');
	}
	if (any)
		put(pr, "}");
}

/* A variable: \mathbf{x}, \mathbf{A}, \boldsymbol{\Sigma}, \alpha, y,
 * \mathit{loss}; x1 is \mathbf{x}_{1}.  A dimension symbol: n, m_{2}. */
static void latex_name(Printer *pr, const Expr *e)
{
	const char *s = e->u.name;
	size_t letters = 0, digits;
	while (isalpha((unsigned char)s[letters]))
		letters++;
	digits = strspn(s + letters, "0123456789");
	const char *after = s + letters + digits;
	if (*after && *after != '_') {   /* x1y: no subscript reading */
		letters = strlen(s);
		digits = 0;
		after = s + letters;
	}
	if (e->kind == E_DSYM) {
		put_n(pr, s, letters);
		latex_subscript(pr, s + letters, digits, NULL);
		return;
	}
	int bold = latex_bold(pr, e), greek = is_greek(s, letters);
	if (greek)
		put(pr, bold ? "\\boldsymbol{\\" : "\\");
	else if (bold)
		put(pr, "\\mathbf{");
	else if (letters > 1)
		put(pr, "\\mathit{");
	put_n(pr, s, letters);
	if (bold || (!greek && letters > 1))
		put(pr, "}");
	latex_subscript(pr, s + letters, digits, *after == '_' ? after + 1 : NULL);
}

static void wrapped(Printer *pr, const char *open, const Expr *arg, const char *close)
{
	put(pr, open);
	in_slot(pr, arg, any_slot);
	put(pr, close);
}

/* \lVert x \rVert, and \lVert A \rVert_F for a matrix (the Frobenius norm). */
static void latex_norm(Printer *pr, const Expr *e)
{
	norm(pr, e);
	if (pr->shapes && !dim_is_one(shape_of(pr->shapes, e->args[0]).cols))
		put(pr, "_F");
}

/* The table's LaTeX: an operator applied like a function, or a bracket of
 * its own (sqrt, abs); the norm's subscript depends on its argument. */
static void latex_func(Printer *pr, const Expr *e)
{
	const FuncDef *f = func_def(e->fn);
	if (e->fn == F_NORM)
		latex_norm(pr, e);
	else if (f->latex_close)
		wrapped(pr, f->latex, e->args[0], f->latex_close);
	else
		call(pr, f->latex, e);
}

/* --- entry points --- */

void print_text(Buf *out, const Expr *e)
{
	Printer pr = { out, &text_style, NULL, 0, NULL, 0 };
	node(&pr, e);
}

void print_unicode(Buf *out, const Expr *e)
{
	Printer pr = { out, &unicode_style, NULL, 0, NULL, 0 };
	node(&pr, e);
}

void print_latex(Buf *out, const Expr *e, Shapes *s)
{
	Printer pr = { out, &latex_style, s, 0, NULL, 0 };
	node(&pr, e);
}

/* --- tokens: how long an answer is, as a reader counts --- */

/* The end of the token that starts at s (not a space).  A token is a name
 * (with a subscript: I_n, K_{m,n}, I_{m n}), a number, ^T, ^-T, ^-1 or ' as
 * one token, .* ./ .^, a norm bar || (||_F, ||_2 with their subscript), one
 * UTF-8 character, or any other single character: an operator or bracket. */
static const char *token_end(const char *s)
{
	if (isalpha((unsigned char)*s)) {
		while (isalnum((unsigned char)*s) || *s == '_') {
			if (s[0] == '_' && s[1] == '{') {
				const char *close = strchr(s, '}');
				return close ? close + 1 : s + strlen(s);
			}
			s++;
		}
		return s;
	}
	if (isdigit((unsigned char)*s) || (*s == '.' && isdigit((unsigned char)s[1]))) {
		while (isdigit((unsigned char)*s) || *s == '.')
			s++;
		if ((*s == 'e' || *s == 'E') && (isdigit((unsigned char)s[1]) ||
						 ((s[1] == '-' || s[1] == '+') && isdigit((unsigned char)s[2])))) {
			s += 2;
			while (isdigit((unsigned char)*s))
				s++;
		}
		return s;
	}
	static const char *const multi[] = { "^{-1}", "^{-T}", "^{T}", "^-1", "^-T", "^T", ".*", "./", ".^",
					     "||_F", "||_2", "||" };
	for (size_t i = 0; (*s == '^' || *s == '.' || *s == '|') && i < sizeof multi / sizeof multi[0]; i++) {
		size_t n = strlen(multi[i]);
		if (strncmp(s, multi[i], n) == 0 && !(multi[i][1] == '-' && isdigit((unsigned char)s[n])))
			return s + n;
	}
	if ((unsigned char)*s >= 0x80) {
		s++;
		while (((unsigned char)*s & 0xc0) == 0x80)
			s++;
		return s;
	}
	return s + 1;
}

unsigned print_count_tokens(const char *s)
{
	unsigned n = 0;
	while (*s) {
		if (isspace((unsigned char)*s)) {
			s++;
			continue;
		}
		s = token_end(s);
		n++;
	}
	return n;
}


unsigned print_tokens(const Expr *e)
{
	Buf b;
	buf_init(&b);
	print_text(&b, e);
	unsigned n = print_count_tokens(buf_str(&b));
	buf_free(&b);
	return n;
}

TokenCounter *print_counter(Arena *a)
{
	TokenCounter *tc = arena_alloc(a, sizeof *tc);
	map_init(&tc->memo[0], a);
	map_init(&tc->memo[1], a);
	return tc;
}

unsigned print_count(TokenCounter *tc, const Expr *e)
{
	Printer pr = { NULL, &text_style, NULL, 0, tc, 0 };
	node(&pr, e);
	return pr.count;
}
