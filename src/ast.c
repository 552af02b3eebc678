/* ast.c: building the located syntax tree (for the grammar actions) and
 * lowering it to hash-consed nodes. */
#include "parsectx.h"
#include "func.h"

#include <string.h>

static Ast *alloc_node(ParseCtx *pc, ExprKind k, Loc loc, Loc op)
{
	Ast *a = arena_alloc(pool_arena(pc->pool), sizeof *a);
	a->kind = k;
	a->loc = loc;
	a->op = op;
	a->depth = 1;
	return a;
}

/* Adds a kid; fails (after reporting) when the tree gets too deep, so later
 * recursive passes never exhaust the C stack. */
static int add_kid(ParseCtx *pc, Ast *a, Loc op, Ast *kid)
{
	Arena *ar = pool_arena(pc->pool);
	if (a->nkids == a->cap) {
		unsigned cap = a->cap ? 2 * a->cap : 2;
		a->kids = arena_grow(ar, a->kids, a->cap * sizeof *a->kids, cap * sizeof *a->kids);
		a->ops = arena_grow(ar, a->ops, a->cap * sizeof *a->ops, cap * sizeof *a->ops);
		a->cap = cap;
	}
	a->ops[a->nkids] = op;
	a->kids[a->nkids++] = kid;
	if (kid->depth + 1 > a->depth)
		a->depth = kid->depth + 1;
	if (a->depth > AST_MAX_DEPTH) {
		if (!pc->dg->errors)
			diag_error(pc->dg, a->loc, &a->loc, 1,
				   "expression nested more than %d levels deep", AST_MAX_DEPTH);
		return 0;
	}
	return 1;
}

Ast *ast_new(ParseCtx *pc, ExprKind k, Loc loc, Loc op, Ast *a, Ast *b)
{
	Ast *n = alloc_node(pc, k, loc, op);
	if (a && !add_kid(pc, n, op, a))
		return NULL;
	if (b && !add_kid(pc, n, op, b))
		return NULL;
	return n;
}

Ast *ast_leaf(ParseCtx *pc, ExprKind k, Loc loc, const Expr *leaf)
{
	Ast *n = alloc_node(pc, k, loc, loc);
	n->leaf = leaf;
	return n;
}

/* left OP right, merged into left when left is an unbracketed chain of the
 * same operator: a + b + c is one node with three terms. */
Ast *ast_chain(ParseCtx *pc, ExprKind k, Ast *left, Loc op, Ast *right)
{
	if (left->kind == k && !left->paren) {
		left->loc.end = right->loc.end;
		return add_kid(pc, left, op, right) ? left : NULL;
	}
	Loc loc = { left->loc.start, right->loc.end };
	return ast_new(pc, k, loc, op, left, right);
}

Ast *ast_group(Ast *a, Loc loc)
{
	a->paren = 1;
	a->loc = loc;
	return a;
}

/* A constant exponent's value, if the expression is one (numbers combined
 * with + - * /); 0 when it is not constant or divides by zero. */
static int constant_value(const Ast *a, mpq_t out)
{
	if (a->kind == E_NUM) {
		mpq_set(out, a->leaf->u.num);
		return 1;
	}
	if (a->kind != E_NEG && a->kind != E_ADD && a->kind != E_MUL && a->kind != E_DIV)
		return 0;
	mpq_t v;
	mpq_init(v);
	int ok = constant_value(a->kids[0], out);
	if (a->kind == E_NEG)
		mpq_neg(out, out);
	for (unsigned i = 1; ok && i < a->nkids; i++) {
		ok = constant_value(a->kids[i], v);
		if (!ok)
			break;
		if (a->kind == E_ADD)
			mpq_add(out, out, v);
		else if (a->kind == E_MUL)
			mpq_mul(out, out, v);
		else if (mpq_sgn(v) == 0)
			ok = 0;
		else
			mpq_div(out, out, v);
	}
	mpq_clear(v);
	return ok;
}

/* base ^ exponent: the exponent must be a constant; it becomes one number. */
Ast *ast_power(ParseCtx *pc, Loc loc, Loc op, Ast *base, Ast *exponent)
{
	mpq_t q;
	mpq_init(q);
	int ok = constant_value(exponent, q);
	const Expr *num = ok ? expr_num(pc->pool, q) : NULL;
	mpq_clear(q);
	if (!ok) {
		Loc under[2] = { base->loc, exponent->loc };
		diag_error(pc->dg, exponent->loc, under, 2,
			   "the exponent of '^' must be a constant number (use '.^' for an element-wise power)");
		return NULL;
	}
	Ast *e = ast_leaf(pc, E_NUM, exponent->loc, num);
	return ast_new(pc, E_POW, loc, op, base, e);
}

Ast *ast_norm(ParseCtx *pc, Loc loc, Ast *arg, int which)
{
	Ast *n = ast_new(pc, E_FUNC, loc, loc, arg, NULL);
	if (n) {
		n->fn = F_NORM;
		n->norm2 = which == 2;
	}
	return n;
}

/* A comma-separated list being collected (kron's arguments, a subscript). */
Ast *ast_list(ParseCtx *pc, Ast *list, Ast *item)
{
	if (!list)
		list = alloc_node(pc, E_KRON, item->loc, item->loc);
	list->loc.end = item->loc.end;
	return add_kid(pc, list, item->loc, item) ? list : NULL;
}

/* kron(A, B, C): one bracketed Kronecker node, never merged further. */
Ast *ast_kron_call(ParseCtx *pc, Loc loc, Ast *first, Ast *rest)
{
	Ast *k = ast_new(pc, E_KRON, loc, loc, first, NULL);
	for (unsigned i = 0; k && i < rest->nkids; i++)
		if (!add_kid(pc, k, rest->ops[i], rest->kids[i]))
			return NULL;
	if (k)
		k->paren = 1;
	return k;
}

/* The factors of a subscript, as one E_DIM leaf (written order kept). */
Ast *ast_dim(ParseCtx *pc, Ast *factors)
{
	if (!factors)
		return NULL;
	const Expr **f = arena_alloc(pool_arena(pc->pool), factors->nkids * sizeof *f);
	for (unsigned i = 0; i < factors->nkids; i++)
		f[i] = factors->kids[i]->leaf;
	return ast_leaf(pc, E_DIM, factors->loc, expr_make(pc->pool, E_DIM, f, factors->nkids));
}

static unsigned edit_distance(const char *a, const char *b)
{
	size_t n = strlen(b);
	unsigned row[32];   /* names of 32 bytes or more are never "near": no suggestion, nothing lost */
	if (n >= 32 || strlen(a) >= 32)
		return 99;
	for (size_t j = 0; j <= n; j++)
		row[j] = (unsigned)j;
	for (size_t i = 1; a[i - 1]; i++) {
		unsigned diag = row[0];
		row[0] = (unsigned)i;
		for (size_t j = 1; j <= n; j++) {
			unsigned up = row[j];
			unsigned best = diag + (a[i - 1] != b[j - 1]);
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			diag = up;
			row[j] = best;
		}
	}
	return row[n];
}

/* The known function nearest to name, if any is close enough to suggest. */
static const char *nearest_function(const char *name)
{
	static const char *const extra[] = { "inv", "kron" };
	const char *best = NULL;
	unsigned bestd = 3;
	for (int f = 0; f < F_COUNT + 2; f++) {
		const char *cand = f < F_COUNT ? func_name((FuncId)f) : extra[f - F_COUNT];
		unsigned d = edit_distance(name, cand);
		if (strncmp(name, cand, strlen(cand)) == 0 && strlen(cand) >= 2)
			d = 1;   /* trace -> tr, determinant -> det, inverse -> inv */
		if (d < bestd || (d == bestd && best && strcmp(cand, best) < 0)) {
			best = cand;
			bestd = d;
		}
	}
	return bestd <= (strlen(name) > 3 ? 2u : 1u) ? best : NULL;
}

/* Where the name before the '(' at paren is (blanks between allowed). */
static Loc name_before(ParseCtx *pc, const char *callname, Loc paren)
{
	Loc name = { paren.start, paren.start };
	while (name.end > 0 && strchr(" \t\r\f\v", pc->dg->src[name.end - 1]))
		name.end--;   /* foo (x, y) too */
	name.start = name.end - (uint32_t)strlen(callname);
	return name;
}

/* "unknown function 'foo'", with the nearest known name when one is close,
 * and the hint for a product when the call could have been one. */
static void unknown_function(ParseCtx *pc, const char *callname, Loc name, int hint)
{
	const char *near = nearest_function(callname);
	Buf msg;
	buf_init(&msg);
	buf_printf(&msg, "unknown function '%s'", callname);
	if (near)
		buf_printf(&msg, "; did you mean '%s'?", near);
	if (hint)
		buf_printf(&msg, " (for a product, put a space: '%s (...)')", callname);
	diag_error(pc->dg, name, &name, 1, "%s", buf_str(&msg));
	buf_free(&msg);
}

/* foo(x, y): a name with a comma list is a call of an unknown function. */
void ast_tuple_error(ParseCtx *pc, const char *callname, Loc paren, Loc comma)
{
	if (!callname) {
		diag_error(pc->dg, comma, &comma, 1,
			   "unexpected ',' (only kron takes several arguments)");
		return;
	}
	unknown_function(pc, callname, name_before(pc, callname, paren), 0);
}

/* A, W1, x_k, A_{ij}-free forms: one letter, then digits or '_' and anything. */
static int one_letter(const char *s)
{
	if (!s[1])
		return 1;
	if (s[1] == '_')
		return 1;
	return strspn(s + 1, "0123456789") == strlen(s + 1);
}

int ast_call_ok(ParseCtx *pc, const char *name, Loc paren)
{
	Loc at = name_before(pc, name, paren);
	if (at.end != paren.start)   /* "foo (x)": a space makes it a product */
		return 1;
	if (one_letter(name) || expr_greek(name, strcspn(name, "0123456789_")) ||
	    (pc->known && pc->known(pc->known_ctx, name)))
		return 1;
	unknown_function(pc, name, at, 1);
	return 0;
}

void ast_arity_error(ParseCtx *pc, const char *fn, Loc name, Loc comma)
{
	if (strcmp(fn, "kron") == 0)
		diag_error(pc->dg, name, &name, 1, "kron takes two or more arguments");
	else
		diag_error(pc->dg, comma, &comma, 1, "%s takes one argument", fn);
}

/* --- lowering --- */

const Expr *ast_lower(Pool *p, const Ast *a, AstSizer size, void *ctx)
{
	switch (a->kind) {
	case E_DIM:
		return size ? size(ctx, a) : a->leaf;
	case E_NUM: case E_VAR: case E_DSYM:
		return a->leaf;
	case E_IDENT: case E_ONES:
		if (a->nkids == 0) {
			const Expr *d = size ? size(ctx, a) : NULL;
			return expr_make(p, a->kind, &d, d ? 1 : 0);
		}
		break;
	case E_FUNC:
		return expr_func(p, a->fn, ast_lower(p, a->kids[0], size, ctx));
	case E_COMM: case E_ADD: case E_NEG: case E_MUL: case E_DIV: case E_HAD:
	case E_HDIV: case E_KRON: case E_TRANS: case E_INV: case E_POW: case E_EPOW:
		break;
	}
	const Expr *small[2];
	const Expr **args = a->nkids <= 2 ? small
		: arena_alloc(pool_arena(p), a->nkids * sizeof *args);
	for (unsigned i = 0; i < a->nkids; i++)
		args[i] = ast_lower(p, a->kids[i], size, ctx);
	if (a->nkids == 1)
		return expr_unary(p, a->kind, args[0]);
	if (a->nkids == 2 && (a->kind == E_DIV || a->kind == E_POW))
		return expr_binary(p, a->kind, args[0], args[1]);
	return expr_make(p, a->kind, args, a->nkids);
}

int ast_define(ParseCtx *pc, const char *name, Loc at, Ast *value)
{
	for (unsigned i = 0; i < pc->ndefs; i++)
		if (pc->defs[i].name == name) {
			diag_error(pc->dg, at, &at, 1, "'%s' is defined twice", name);
			diag_note(pc->dg, pc->defs[i].at, "first defined here");
			return 0;
		}
	if (pc->ndefs == pc->capdefs) {
		unsigned cap = pc->capdefs ? 2 * pc->capdefs : 8;
		pc->defs = arena_grow(pool_arena(pc->pool), pc->defs, pc->capdefs * sizeof *pc->defs,
				      cap * sizeof *pc->defs);
		pc->capdefs = cap;
	}
	pc->defs[pc->ndefs++] = (Def){ name, at, value, 0 };
	return 1;
}

Ast *ast_pair(Pool *p, Ast *f, Ast *g)
{
	Ast *a = arena_alloc(pool_arena(p), sizeof *a);
	Ast **kids = arena_alloc(pool_arena(p), 2 * sizeof *kids);
	Loc *ops = arena_alloc(pool_arena(p), 2 * sizeof *ops);
	kids[0] = f;
	kids[1] = g;
	ops[0] = ops[1] = f->loc;
	*a = (Ast){ .kind = E_KRON, .loc = f->loc, .op = f->loc, .nkids = 2, .cap = 2, .kids = kids,
		    .ops = ops, .depth = 1 + (f->depth > g->depth ? f->depth : g->depth) };
	return a;
}
