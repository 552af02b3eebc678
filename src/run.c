/* run.c: the library's entry points: options, and one expression through
 * the one pipeline: parse -> shapes -> elaborate -> for each -wrt step (or
 * the Hessian): differentiate, simplify, verify -> emit.  The steps are built
 * here once and handed to the emitters in a Result (result.h); every
 * allocation of a call lives in a memory region (mem.h). */
#include "mcd.h"
#include "check.h"
#include "canon.h"
#include "diff.h"
#include "arena.h"
#include "defs.h"
#include "emit.h"
#include "expect.h"
#include "mem.h"
#include "parse.h"
#include "print.h"
#include "shape.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#define API __attribute__((visibility("default")))

struct mcd_options {
	mcd_format format;
	int shapes;
	Decl *decls;
	char **wrt;          /* the -wrt variables, in order */
	int nwrt;
	Layout layout;
	int hessian;
	int check;           /* instances for --check (reported), 0 for none */
	int verify;          /* verify every derivative before printing (default) */
	unsigned long max_nodes; /* the work budget: distinct nodes per expression */
	unsigned long seed;
	char *expect;        /* --expect: each line is read as LINE == EXPECT */
	int share_never;     /* --share=never: no names in the output */
	int symgrad;         /* --symmetric-gradient: SYMGRAD_FREE, _SYM or _COOKBOOK */
};

API void mcd_init(void)
{
	mem_init();
}

API mcd_options *mcd_options_new(void)
{
	mcd_options *o = mem_alloc(sizeof(mcd_options));   /* outside a region: NULL if out of memory */
	if (!o)
		return NULL;
	o->verify = 1;
	o->seed = 1;
	o->max_nodes = MCD_DEFAULT_MAX_NODES;
	return o;
}

API void mcd_options_free(mcd_options *o)
{
	if (!o)
		return;
	decl_free_all(o->decls);
	mem_free(o->expect);
	for (int i = 0; i < o->nwrt; i++)
		mem_free(o->wrt[i]);
	mem_free(o->wrt);
	mem_free(o);
}

API int mcd_set_format(mcd_options *o, const char *name)
{
	int f = emit_format(name);
	if (f < 0)
		return -1;
	o->format = (mcd_format)f;
	return 0;
}

API void mcd_set_shapes(mcd_options *o, int on)
{
	o->shapes = on;
}

API int mcd_add_wrt(mcd_options *o, const char *var)
{
	char *v = mem_strndup(var, strlen(var));
	char **w = v ? mem_realloc(o->wrt, (size_t)(o->nwrt + 1) * sizeof *o->wrt) : NULL;
	if (!w) {
		mem_free(v);
		return -1;
	}
	o->wrt = w;
	o->wrt[o->nwrt++] = v;
	return 0;
}

API int mcd_set_layout(mcd_options *o, const char *name)
{
	return layout_lookup(name, &o->layout) ? 0 : -1;
}

API const char *mcd_format_name(int i)
{
	return emit_format_name(i);
}

API const char *mcd_layout_name(int i)
{
	return i >= 0 && i < LAYOUT_COUNT ? layout_name((Layout)i) : NULL;
}

API void mcd_set_hessian(mcd_options *o, int on)
{
	o->hessian = on;
}

API void mcd_set_check(mcd_options *o, int instances, unsigned long seed)
{
	o->check = instances;
	o->seed = seed;
	if (instances)
		o->verify = 1;
}

API int mcd_set_expect(mcd_options *o, const char *answer)
{
	char *a = answer ? mem_strndup(answer, strlen(answer)) : NULL;
	if (answer && !a)
		return -1;
	mem_free(o->expect);
	o->expect = a;
	return 0;
}

enum { SYMGRAD_FREE, SYMGRAD_SYM, SYMGRAD_COOKBOOK };
static const char *const symgrad_names[] = { "free", "sym", "cookbook" };

API int mcd_set_symmetric_gradient(mcd_options *o, const char *policy)
{
	for (int i = 0; i < 3; i++)
		if (strcmp(policy, symgrad_names[i]) == 0) {
			o->symgrad = i;
			return 0;
		}
	return -1;
}

API int mcd_set_share(mcd_options *o, const char *mode)
{
	if (strcmp(mode, "auto") != 0 && strcmp(mode, "never") != 0)
		return -1;
	o->share_never = mode[0] == 'n';
	return 0;
}

API void mcd_set_max_nodes(mcd_options *o, unsigned long n)
{
	o->max_nodes = n;
}

API void mcd_set_verify(mcd_options *o, int on)
{
	o->verify = on;
	if (!on)
		o->check = 0;
}

static int declare(mcd_options *o, const char *text, char *errbuf, size_t n);

/* Runs work(ctx) with its allocations in the region r (mem.h): 0 when it
 * returned, 1 when memory ran out in it, all it allocated then freed.  keep:
 * what is still allocated at the end stays (it belongs to the caller).  The
 * one setjmp of the library's memory policy; r is the caller's, so nothing
 * the longjmp could leave indeterminate is read after it. */
static int in_region(MemRegion *r, void (*work)(void *ctx), void *ctx, int keep)
{
	jmp_buf oom;
	if (setjmp(oom)) {
		mem_region_end(r, 0);
		return 1;
	}
	mem_region_begin(r, &oom);
	work(ctx);
	mem_region_end(r, keep);
	return 0;
}

typedef struct {
	mcd_options *o;
	const char *text;
	char *errbuf;
	size_t n;
	int rc;
} DeclareCall;

static void declare_work(void *ctx)
{
	DeclareCall *c = ctx;
	c->rc = declare(c->o, c->text, c->errbuf, c->n);
}

/* A later declaration of the same name replaces the earlier one.  It is
 * parsed in a region, so running out of memory is a -1, not an exit. */
API int mcd_declare(mcd_options *o, const char *text, char *errbuf, size_t n)
{
	MemRegion r;
	DeclareCall c = { o, text, errbuf, n, -1 };
	if (in_region(&r, declare_work, &c, 1)) {   /* the declaration stays with the options */
		snprintf(errbuf, n, "out of memory");
		return -1;
	}
	return c.rc;
}

static int declare(mcd_options *o, const char *text, char *errbuf, size_t n)
{
	Buf err;
	buf_init(&err);
	Decl *d = decl_parse(text, &err);
	if (!d) {
		snprintf(errbuf, n, "%s", buf_str(&err));
		buf_free(&err);
		return -1;
	}
	buf_free(&err);
	Decl **p = &o->decls;
	while (*p) {
		if (strcmp((*p)->name, d->name) == 0) {
			Decl *old = *p;
			*p = old->next;
			old->next = NULL;
			decl_free_all(old);
			continue;
		}
		p = &(*p)->next;
	}
	*p = d;   /* kept in command-line order */
	return 0;
}

/* e, or for NULL the zero of its shape (to check against, to differentiate):
 * the engine's NULL-for-zero never goes further than this file. */
static const Expr *or_zero(Pool *p, const Expr *e, Shape sh)
{
	return e ? e : shape_zero(p, sh);
}

/* evaluate's status when the line failed but its result is printed (an
 * expected answer that differs), besides 0 and 1. */
enum { RUN_FAILED_PRINTED = 2 };

/* What one expression's steps share. */
typedef struct {
	const mcd_options *o;
	Pool *p;
	Shapes *s;
	Diag *dg;
	Subst *u;               /* the where definitions, put into what is elaborated */
} Run;

/* One derivative (a -wrt step, or the Hessian), built once and handed to
 * the emitters: nothing after this file calls the engine. */
typedef struct {
	const char *name;
	const Expr *x;          /* the variable */
	const Expr *raw;        /* the engine's result: the next step's truth */
	const Expr *printed;    /* simplified with symmetry; NULL when zero */
	Shape shape;
} Step;

/* Instances drawn to verify every derivative when --check does not ask for
 * a number: two, so one unlucky instance (a size of 1, a coincidence of
 * small entries) cannot hide a transposed or mis-laid-out answer. */
enum { VERIFY_INSTANCES = 2 };

/* A derivative failed: the engine is wrong, and the user is told so. */
static int failed(Run *r, const char *what, const char *name, const CheckResult *c)
{
	diag_plain(r->dg, "internal error: the %s by %s failed verification; please report this "
		   "expression (%s)", what, name, c->detail);
	return 1;
}

/* d claims to be the derivative of truth by x in layout l.  truth is the
 * function as typed (or the previous step as the engine gave it), never a
 * simplified form, so a simplifier that changed f cannot hide a wrong
 * answer.  Returns 0 when it holds or cannot be decided (no instance where
 * f is defined) without --check; else reports and returns 1. */
static int verify(Run *r, const char *what, const Expr *truth, const Step *st, const Expr *d,
		  Layout l)
{
	const mcd_options *o = r->o;
	int n = o->check ? o->check : VERIFY_INSTANCES;
	CheckResult c = check_derivative(r->p, r->s, truth, st->x, or_zero(r->p, d, st->shape), l, n, o->seed);
	if (c.too_costly) {
		diag_plain(r->dg, "the result is too large: %s (--no-check skips verification)", c.detail);
		return 1;
	}
	int undecided = !c.ok && c.instances == 0 && strstr(c.detail, "no random instance");
	if (undecided && !o->check)
		return 0;   /* SPEC 3: printed, for want of an instance */
	if (undecided) {
		diag_plain(r->dg, "check: cannot verify the %s by %s: %s", what, st->name, c.detail);
		return 1;
	}
	if (!c.ok)
		return failed(r, what, st->name, &c);
	if (o->check) {
		buf_printf(&r->dg->text, "mcd: %ld: check: %s by %s verified on %d random instance%s, %s\n",
			   r->dg->line, what, st->name, c.instances, c.instances == 1 ? "" : "s",
			   c.exact ? "exactly" : "by finite differences");
		if (!c.exact)
			buf_printf(&r->dg->text, "mcd: %ld: check: largest relative error %.3g\n",
				   r->dg->line, c.max_error);
	}
	return 0;
}

/* Differentiate f (simplified, unconstrained) by st->x: the Hessian, or a
 * first derivative in layout l.  Fills in the rest of st; 0, or 1 reported. */
static int take(Run *r, Step *st, const Expr *f, int hessian, Layout l)
{
	Deriv d = hessian ? diff_hessian(r->p, r->s, f, st->x) : diff_wrt(r->p, r->s, f, st->x, l);
	if (d.error) {
		diag_plain(r->dg, "%s", d.error);
		return 1;
	}
	st->shape = d.shape;
	st->raw = or_zero(r->p, d.d, d.shape);
	st->printed = canon_answer(r->p, r->s, st->raw);
	return 0;
}

/* What st's result is differentiated as by a next step (simplified without
 * symmetry), made only when there is one: a deep network's derivative
 * takes a sizeable part of a run to simplify. */
static const Expr *next_of(Run *r, const Step *st)
{
	return or_zero(r->p, canon_unconstrained(r->p, r->s, st->raw), st->shape);
}

/* The variable a -wrt names, or an error naming it. */
static int variable(Run *r, Step *st, const char *name)
{
	int i = shape_find_var(r->s, pool_intern(r->p, name, strlen(name)));
	if (i < 0) {
		diag_plain(r->dg, "'%s' does not occur in the expression (declare it with -d to get a zero derivative)", name);
		return 1;
	}
	*st = (Step){ .name = name, .x = shape_var(r->s, i) };
	return 0;
}

/* The Hessian of f by the one -wrt variable, and the first derivative in
 * the chosen layout (python's derivative() returns it).  The Hessian is
 * verified as the Jacobian of vec of the gradient, which is verified first. */
static int hessian(Run *r, const Expr *f, const Expr *truth, Step *first, Step *h)
{
	const mcd_options *o = r->o;
	Step grad;
	if (variable(r, first, o->wrt[0]) || take(r, first, f, 0, o->layout))
		return 1;
	*h = grad = *first;
	if (take(r, &grad, f, 0, LAYOUT_DENOMINATOR) || take(r, h, f, 1, LAYOUT_NUMERATOR))
		return 1;
	if (!o->verify)
		return 0;
	const Expr *gnext = next_of(r, &grad);
	if (verify(r, "derivative", truth, first, first->printed, o->layout) ||
	    verify(r, "gradient", truth, &grad, gnext, LAYOUT_DENOMINATOR))
		return 1;
	Shape xs = shape_of(r->s, h->x);
	const Expr *g = dim_is_one(xs.cols) ? gnext : expr_func(r->p, F_VEC, gnext);
	return verify(r, "Hessian", g, h, h->printed, LAYOUT_NUMERATOR);
}

/* The gradient of a scalar by a symmetric S under a policy (SPEC 3): G the
 * gradient with independent entries (denominator layout), then
 * sym: (G + G^T) / 2, the gradient on symmetric matrices under the
 * Frobenius inner product; cookbook: G + G^T - G .* I, the Matrix
 * Cookbook's.  Both are symmetric, so every layout prints the same.  G is
 * verified as the free gradient, the result along symmetric directions
 * (the cookbook one through (C + C .* I) / 2, which pairs with a symmetric
 * direction as C pairs with its upper triangle). */
static int symmetric_step(Run *r, Step *st, const Expr *f, const Expr *truth)
{
	const mcd_options *o = r->o;
	Pool *p = r->p;
	Step g;
	if (o->nwrt == 1 && variable(r, &g, o->wrt[0]))
		return 1;
	Shape fs = shape_of(r->s, truth);
	if (o->nwrt != 1 || o->hessian || !shape_is_scalar(fs) || !shape_symmetric(r->s, g.x)) {
		diag_plain(r->dg, "--symmetric-gradient=%s applies to the derivative of a scalar by one matrix "
			   "declared symmetric (-s NAME)", symgrad_names[o->symgrad]);
		return 1;
	}
	if (take(r, &g, f, 0, LAYOUT_DENOMINATOR) ||
	    (o->verify && verify(r, "derivative", truth, &g, g.printed, LAYOUT_DENOMINATOR)))
		return 1;
	const Expr *G = g.raw, *I = expr_make(p, E_IDENT, &g.shape.rows, 1);
	const Expr *both = expr_binary(p, E_ADD, G, expr_unary(p, E_TRANS, G));
	const Expr *res = o->symgrad == SYMGRAD_SYM ? expr_binary(p, E_DIV, both, expr_int(p, 2))
			  : expr_binary(p, E_ADD, both, expr_unary(p, E_NEG, expr_binary(p, E_HAD, G, I)));
	*st = g;
	st->raw = res;
	st->printed = canon_answer(p, r->s, res);
	if (!o->verify)
		return 0;
	const Expr *pairing = o->symgrad == SYMGRAD_SYM ? res
		: expr_binary(p, E_DIV, expr_binary(p, E_ADD, res, expr_binary(p, E_HAD, res, I)), expr_int(p, 2));
	int n = o->check ? o->check : VERIFY_INSTANCES;
	CheckResult c = check_symmetric_gradient(p, r->s, truth, st->x, pairing, n, o->seed);
	Buf why;   /* and it is symmetric: of the gradients on symmetric matrices, the symmetric one */
	buf_init(&why);
	if (c.ok && expect_equal(p, r->s, res, expr_unary(p, E_TRANS, res), n, o->seed, &why).verdict ==
			    EXPECT_DIFFERENT) {
		c.ok = 0;
		snprintf(c.detail, sizeof c.detail, "it is not symmetric: %s", buf_str(&why));
	}
	buf_free(&why);
	if (!c.ok && !(c.instances == 0 && strstr(c.detail, "no random instance") && !o->check))
		return failed(r, "symmetric gradient", st->name, &c);
	if (o->check && c.ok)
		buf_printf(&r->dg->text, "mcd: %ld: check: the %s gradient by %s verified on %d random "
			   "instance%s along symmetric directions, %s\n", r->dg->line, symgrad_names[o->symgrad],
			   st->name, c.instances, c.instances == 1 ? "" : "s", c.exact ? "exactly" : "by finite differences");
	return 0;
}

/* The -wrt steps in order, each differentiating the last one's result. */
static int steps(Run *r, const Expr *f, const Expr *truth, Step *st)
{
	const mcd_options *o = r->o;
	if (o->symgrad != SYMGRAD_FREE)
		return symmetric_step(r, st, f, truth);
	for (int i = 0; i < o->nwrt; i++) {
		if (variable(r, &st[i], o->wrt[i]) || take(r, &st[i], f, 0, o->layout))
			return 1;
		if (o->verify && verify(r, "derivative", truth, &st[i], st[i].printed, o->layout))
			return 1;
		if (i + 1 < o->nwrt)
			f = next_of(r, &st[i]);
		truth = st[i].raw;
	}
	return 0;
}

/* The Expr of a's syntax, with the where definitions put in. */
static const Expr *elaborate(Run *r, const Ast *a)
{
	return defs_substitute(r->u, shape_elaborate(r->s, a));
}

/* The first division by zero in the syntax tree, innermost first: its
 * divisor elaborates to something that simplifies to zero. */
static const Ast *zero_division(Run *r, const Ast *a)
{
	for (unsigned i = 0; i < a->nkids; i++) {
		const Ast *k = zero_division(r, a->kids[i]);
		if (k)
			return k;
	}
	const Ast *den = NULL;
	if ((a->kind == E_DIV || a->kind == E_HDIV) && a->nkids == 2)
		den = a->kids[1];
	else if (a->kind == E_INV && a->nkids == 1)
		den = a->kids[0];
	else if (a->kind == E_POW && a->nkids == 2 && a->kids[1]->leaf &&
		 a->kids[1]->leaf->kind == E_NUM && mpq_sgn(a->kids[1]->leaf->u.num) < 0)
		den = a->kids[0];
	if (den && !canon_unconstrained(r->p, r->s, elaborate(r, den)))
		return a;
	return NULL;
}

/* 0/0 must not become 0: an error at the division when there is one to
 * point at. */
static int divides_by_zero(Run *r, const Ast *ast, const Expr *truth, const Expr *printed)
{
	if (!canon_zero_divisor(r->p, r->s, truth) && !canon_divides_by_zero(printed))
		return 0;
	const Ast *at = zero_division(r, ast);
	if (at)
		diag_error(r->dg, at->op, &at->loc, 1, "division by zero");
	else
		diag_plain(r->dg, "division by zero");
	return 1;
}

/* F == G: the result (res->result, or F itself) against G, on random
 * instances.  The result is printed either way; a difference, a shape
 * mismatch or an undecidable comparison fails the line.  0 when equal. */
static int expect(Run *r, Result *res, const Ast *g_ast)
{
	const mcd_options *o = r->o;
	const Expr *g = elaborate(r, g_ast);
	Shape gs = shape_of(r->s, g);
	if (expr_is_num(g, 0)) {   /* == 0: the zero of the result's shape */
		g = shape_zero(r->p, res->shape);
		gs = res->shape;
	}
	res->expected = g;
	res->equal = 0;
	if (gs.rows != res->shape.rows || gs.cols != res->shape.cols) {
		Buf a, b;
		buf_init(&a);
		buf_init(&b);
		dim_print(&a, res->shape.rows);
		buf_puts(&a, " x ");
		dim_print(&a, res->shape.cols);
		dim_print(&b, gs.rows);
		buf_puts(&b, " x ");
		dim_print(&b, gs.cols);
		diag_plain(r->dg, "expect: shape mismatch: the result is %s, the expected answer %s",
			   buf_str(&a), buf_str(&b));
		buf_free(&a);
		buf_free(&b);
		return 1;
	}
	Buf why;
	buf_init(&why);
	int n = o->check ? o->check : EXPECT_INSTANCES;
	ExpectResult e = expect_equal(r->p, r->s, or_zero(r->p, res->result, res->shape), g, n, o->seed, &why);
	int rc = e.verdict != EXPECT_EQUAL;
	if (e.verdict == EXPECT_DIFFERENT)
		diag_plain(r->dg, "expect: different: %s", buf_str(&why));
	else if (e.verdict == EXPECT_UNDECIDED)
		diag_plain(r->dg, "expect: cannot decide: %s", buf_str(&why));
	else if (e.exact)
		buf_printf(&r->dg->text, "mcd: %ld: expect: equal (exactly, on %d random instance%s)\n",
			   r->dg->line, e.instances, e.instances == 1 ? "" : "s");
	else
		buf_printf(&r->dg->text, "mcd: %ld: expect: equal (in double precision on %d random "
			   "instance%s, largest relative difference %.2g)\n", r->dg->line, e.instances,
			   e.instances == 1 ? "" : "s", e.max_diff);
	res->equal = !rc;
	buf_free(&why);
	return rc;
}

/* --shapes: the variables, the defined names, the result. */
static void describe(Run *r, const Line *in, Buf *out, Shape result)
{
	const char **names = arena_alloc(pool_arena(r->p), (in->ndefs + 1) * sizeof *names);
	Shape *shapes = arena_alloc(pool_arena(r->p), (in->ndefs + 1) * sizeof *shapes);
	for (unsigned i = 0; i < in->ndefs; i++) {
		names[i] = in->defs[i].name;
		shapes[i] = shape_of(r->s, defs_value(r->u, i));
	}
	shape_describe_with(r->s, out, names, shapes, (int)in->ndefs, result);
}

/* The result as printed (SPEC 4): the input's names wherever their values
 * occur (as typed or simplified), and with --share=auto names for repeated
 * subexpressions. */
static Sharing shown(Run *r, const Line *in, const Expr *result)
{
	Sharing none = { result, NULL, 0 };
	if (!result || r->o->share_never)
		return none;
	unsigned n = 0;
	const char **names = arena_alloc(pool_arena(r->p), (2 * in->ndefs + 1) * sizeof *names);
	const Expr **values = arena_alloc(pool_arena(r->p), (2 * in->ndefs + 1) * sizeof *values);
	for (unsigned i = 0; i < in->ndefs; i++) {
		const Expr *v = defs_value(r->u, i), *w = canon_simplify(r->p, r->s, v);
		names[n] = in->defs[i].name;
		values[n++] = v;
		if (w && w != v) {   /* the simplified form too, if the typed one is not there */
			names[n] = in->defs[i].name;
			values[n++] = w;
		}
	}
	return share_result(r->p, r->s, result, names, values, n, 1);
}

/* A declared name followed by '(' is a product (parse.h). */
static int declared(const void *ctx, const char *name)
{
	for (const Decl *d = ctx; d; d = d->next)
		if (strcmp(d->name, name) == 0)
			return 1;
	return 0;
}

/* Everything after parsing: shapes, the steps, the emitter.  Returns 0 when
 * it succeeded.  f is differentiated without using symmetry (SPEC 3: the
 * entries are independent); what is printed is simplified with it. */
static int evaluate(const mcd_options *o, Pool *p, const Line *in, Diag *dg, Buf *out, Buf *shape)
{
	Ast *ast = in->f;
	if (defs_check(p, in, o->decls, o->wrt, o->nwrt, dg))
		return 1;
	Shapes *s = shape_infer_defs(p, in->both ? in->both : ast, o->decls, in->defs, in->ndefs, dg);
	if (!s)
		return 1;
	Run r = { o, p, s, dg, defs_subst_new(p, s, in) };
	const Expr *truth = elaborate(&r, ast);   /* as typed, definitions put in */
	Shape fs = shape_of(s, truth);
	Result res = { .input = dg->src, .len = dg->len, .line = dg->line, .pool = p, .shapes = s,
		       .fshape = fs, .wrt = (const char *const *)o->wrt, .nwrt = o->nwrt,
		       .hessian = o->hessian, .layout = o->layout, .shape = fs };
	res.f = res.result = canon_simplify(p, s, truth);
	if (divides_by_zero(&r, ast, truth, res.f))
		return 1;
	const Expr *f = or_zero(p, canon_unconstrained(p, s, truth), fs);
	int n = o->hessian ? 2 : o->nwrt;
	Step *st = arena_alloc(pool_arena(p), (size_t)(n ? n : 1) * sizeof *st);
	if (o->symgrad != SYMGRAD_FREE && o->hessian) {
		diag_plain(dg, "--symmetric-gradient=%s applies to first derivatives, not to --hessian",
			   symgrad_names[o->symgrad]);
		return 1;
	}
	if (o->hessian ? hessian(&r, f, truth, &st[0], &st[1]) : steps(&r, f, truth, st))
		return 1;
	const Expr **printed = arena_alloc(pool_arena(p), (size_t)(n ? n : 1) * sizeof *printed);
	Shape *shapes = arena_alloc(pool_arena(p), (size_t)(n ? n : 1) * sizeof *shapes);
	for (int i = 0; i < n; i++) {
		printed[i] = st[i].printed;
		shapes[i] = st[i].shape;
	}
	res.steps = printed;
	res.step_shapes = shapes;
	res.nsteps = o->hessian ? 1 : n;
	if (n) {
		res.result = st[n - 1].printed;
		res.shape = st[n - 1].shape;
	}
	pool_set_budget(p, 0, NULL);   /* the emitters build a little; they never bail */
	res.cookbook = o->symgrad == SYMGRAD_COOKBOOK;
	int rc = in->expected && expect(&r, &res, in->expected) ? RUN_FAILED_PRINTED : 0;
	res.shown = shown(&r, in, res.result);
	dim_print(shape, res.shape.rows);
	buf_putc(shape, '\0');        /* rows, then cols, NUL-separated */
	dim_print(shape, res.shape.cols);
	if (o->shapes && o->format != MCD_JSON)
		describe(&r, in, out, res.shape);
	else
		emit_result(out, o->format, &res);
	return rc;
}

/* --expect G: G is read on its own (its errors quote it), with its own
 * where definitions, and becomes the line's F == G.  A definition both
 * make must be the same.  0, or 1 after reporting. */
static int with_expect(const mcd_options *o, Pool *p, Line *in, Diag *dg)
{
	if (!o->expect)
		return 0;
	if (in->expected) {
		diag_error(dg, in->eq, NULL, 0, "this line has its own '== EXPECTED', and --expect gives another");
		return 1;
	}
	Diag gd;
	Line g;
	diag_init(&gd, o->expect, strlen(o->expect), dg->line);
	int ok = parse_line(p, o->expect, strlen(o->expect), &gd, declared, o->decls, &g);
	if (ok && g.expected) {
		diag_error(&gd, g.eq, NULL, 0, "'==' is not allowed in the --expect answer");
		ok = 0;
	}
	if (!ok) {
		diag_plain(dg, "cannot read the --expect answer: %s", buf_str(&gd.first));
		buf_put(&dg->text, gd.text.s, gd.text.len);
		diag_free(&gd);
		return 1;
	}
	diag_free(&gd);
	Def *defs = arena_alloc(pool_arena(p), (in->ndefs + g.ndefs + 1) * sizeof *defs);
	if (in->ndefs)   /* memcpy from NULL is undefined even for 0 bytes */
		memcpy(defs, in->defs, in->ndefs * sizeof *defs);
	unsigned n = in->ndefs;
	for (unsigned i = 0; i < g.ndefs; i++) {
		unsigned j = 0;
		while (j < n && defs[j].name != g.defs[i].name)
			j++;
		if (j == n)
			defs[n++] = g.defs[i];
		else if (ast_lower(p, defs[j].value, NULL, NULL) != ast_lower(p, g.defs[i].value, NULL, NULL)) {
			diag_plain(dg, "the --expect answer defines '%s' differently from the expression", g.defs[i].name);
			return 1;
		}
	}
	in->expected = g.f;
	in->both = ast_pair(p, in->f, g.f);
	in->defs = defs;
	in->ndefs = n;
	return 0;
}

/* Parse and evaluate under the work budget: past it, the engine longjmps
 * here from one of its safe points (expr.h), the pool still owning all it
 * built, and the expression ends with an error of its own. */
static int guarded(const mcd_options *o, Pool *p, const char *src, size_t len, Diag *dg, Buf *result,
		   Buf *shape)
{
	jmp_buf bail;
	if (setjmp(bail)) {
		pool_set_budget(p, 0, NULL);
		unsigned long mib = o->max_nodes > ULONG_MAX / POOL_MAX_BYTES_PER_NODE
					    ? ULONG_MAX >> 20 : o->max_nodes * POOL_MAX_BYTES_PER_NODE >> 20;
		diag_plain(dg, "the result is too large: more than %lu subexpressions, or %lu MiB, were built "
			   "(--max-nodes raises the limit)", o->max_nodes, mib);
		return 1;
	}
	pool_set_budget(p, o->max_nodes, &bail);
	Line in;
	int rc = !parse_line(p, src, len, dg, declared, o->decls, &in) || with_expect(o, p, &in, dg)
		 ? 1 : evaluate(o, p, &in, dg, result, shape);
	pool_set_budget(p, 0, NULL);
	return rc;
}

/* One expression's output: the line, the shape ("rows\0cols"), the
 * diagnostics; all in the caller's region. */
typedef struct {
	Buf line, shape;
	Diag dg;
} Output;

/* One expression from source to output (mcd_run and mcd_eval). */
static int run(const mcd_options *o, const char *src, size_t len, long line, Output *w)
{
	Pool *p = pool_new();
	diag_init(&w->dg, src, len, line);
	buf_init(&w->line);
	buf_init(&w->shape);
	int rc = 1;
	if (len > 0x7fffffff)
		diag_plain(&w->dg, "line %ld is too long (more than 2 GiB)", line);
	else
		rc = guarded(o, p, src, len, &w->dg, &w->line, &w->shape);
	if (rc == RUN_FAILED_PRINTED)
		rc = 1;   /* an expected answer that differs: the result stays */
	else if (rc) {
		buf_clear(&w->line);
		emit_error(&w->line, o->format, src, len, line, w->dg.first_col, buf_str(&w->dg.first));
	}
	pool_free(p);
	return rc;
}

static void output_free(Output *w)
{
	buf_free(&w->line);
	buf_free(&w->shape);
	diag_free(&w->dg);
}

/* Memory ran out in the middle of an expression: everything it had is freed
 * already; the line gets its error (in JSON too, if memory allows now). */
/* One call of mcd_run or mcd_eval, for in_region. */
typedef struct {
	const mcd_options *o;
	const char *src;
	size_t len;
	long line;
	FILE *out, *err;      /* mcd_run */
	mcd_result *r;        /* mcd_eval */
	int rc;
} RunCall;

static const char oom_message[] = "out of memory (this expression needed more than there is)";

/* The failed line's output (the empty line, or JSON's error object). */
static void oom_line_work(void *ctx)
{
	RunCall *c = ctx;
	Buf b;
	buf_init(&b);
	emit_error(&b, c->o->format, c->src, c->len, c->line, 0, oom_message);
	fprintf(c->out, "%s\n", buf_str(&b));
	buf_free(&b);
}

/* Memory ran out in the middle of an expression: everything it had is freed
 * already; the line gets its error (in JSON too, if memory allows now). */
static int out_of_memory(RunCall *c)
{
	MemRegion r;
	fprintf(c->err, "mcd: %ld: error: %s\n", c->line, oom_message);
	if (in_region(&r, oom_line_work, c, 0))
		fputs("\n", c->out);
	return 1;
}

static void run_work(void *ctx)
{
	RunCall *c = ctx;
	Output w;
	c->rc = run(c->o, c->src, c->len, c->line, &w);
	fprintf(c->out, "%s\n", buf_str(&w.line));
	fputs(buf_str(&w.dg.text), c->err);
	output_free(&w);
}

/* Every allocation of the expression is in one region: when memory runs
 * out anywhere, the region frees all the expression had, and only this
 * line fails (SPEC 7). */
API int mcd_run(const mcd_options *o, const char *src, size_t len, long line, FILE *out, FILE *err)
{
	MemRegion region;
	RunCall c = { .o = o, .src = src, .len = len, .line = line, .out = out, .err = err, .rc = 1 };
	if (in_region(&region, run_work, &c, 0))
		return out_of_memory(&c);
	return c.rc;
}

/* A copy on the C heap (it outlives the region); NULL for NULL. */
static char *heap_copy(const char *s, size_t n)
{
	char *d = s ? malloc(n + 1) : NULL;
	if (d) {
		memcpy(d, s, n);
		d[n] = '\0';
	}
	return d;
}

static void eval_work(void *ctx)
{
	RunCall *c = ctx;
	mcd_result *r = c->r;
	Output w;
	r->status = run(c->o, c->src, c->len, c->line, &w);
	r->text = heap_copy(buf_str(&w.line), w.line.len);
	r->diagnostics = heap_copy(buf_str(&w.dg.text), w.dg.text.len);
	if (r->status) {
		r->error = heap_copy(buf_str(&w.dg.first), w.dg.first.len);
		r->column = w.dg.first_col;
	} else {
		const char *rows = buf_str(&w.shape);
		size_t nrows = strlen(rows);
		r->rows = heap_copy(rows, nrows);
		r->cols = heap_copy(rows + nrows + 1, w.shape.len - nrows - 1);
	}
	output_free(&w);
}

API int mcd_eval(const mcd_options *o, const char *src, size_t len, long line, mcd_result *r)
{
	MemRegion region;
	RunCall c = { .o = o, .src = src, .len = len, .line = line, .r = r };
	*r = (mcd_result){ .status = 1, .line = line };
	if (in_region(&region, eval_work, &c, 0)) {
		mcd_result_free(r);
		*r = (mcd_result){ .status = 1, .line = line };
		r->error = heap_copy("out of memory", 13);
		r->text = heap_copy("", 0);
		r->diagnostics = heap_copy("mcd: error: out of memory\n", 26);
		return 1;
	}
	if (!r->text || !r->diagnostics || (r->status ? !r->error : !r->rows || !r->cols))
		r->status = 1;   /* a copy failed: the struct is not whole */
	return r->status;
}

API void mcd_result_free(mcd_result *r)
{
	free(r->text);
	free(r->rows);
	free(r->cols);
	free(r->error);
	free(r->diagnostics);
	*r = (mcd_result){ 0 };
}
