/* run.c: the library's entry points: options, and one expression through
 * the pipeline parse -> shapes -> elaborate -> simplify -> print. */
#include "mcd.h"
#include "check.h"
#include "canon.h"
#include "diff.h"
#include "emit.h"
#include "mem.h"
#include "parse.h"
#include "print.h"
#include "shape.h"

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
	int check;           /* instances for --check, 0 for none */
	unsigned long seed;
};

API void mcd_init(void)
{
	mem_init();
}

API mcd_options *mcd_options_new(void)
{
	return mem_alloc(sizeof(mcd_options));
}

API void mcd_options_free(mcd_options *o)
{
	if (!o)
		return;
	decl_free_all(o->decls);
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

API void mcd_add_wrt(mcd_options *o, const char *var)
{
	o->wrt = mem_realloc(o->wrt, (size_t)(o->nwrt + 1) * sizeof *o->wrt);
	o->wrt[o->nwrt++] = mem_strndup(var, strlen(var));
}

API int mcd_set_layout(mcd_options *o, const char *name)
{
	static const char *const names[] = { "numerator", "denominator", "mixed" };
	for (int i = 0; i < 3; i++)
		if (strcmp(name, names[i]) == 0) {
			o->layout = (Layout)i;
			return 0;
		}
	return -1;
}

API void mcd_set_hessian(mcd_options *o, int on)
{
	o->hessian = on;
}

API void mcd_set_check(mcd_options *o, int instances, unsigned long seed)
{
	o->check = instances;
	o->seed = seed;
}

/* A later declaration of the same name replaces the earlier one. */
API int mcd_declare(mcd_options *o, const char *text, char *errbuf, size_t n)
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

/* A zero of a shape, as an expression (to check against, to differentiate). */
static const Expr *zero_of(Pool *p, Shape sh)
{
	const Expr *f[3] = { expr_int(p, 0), NULL, NULL };
	unsigned n = 1;
	if (!dim_is_one(sh.rows))
		f[n++] = expr_make(p, E_ONES, &sh.rows, 1);
	if (!dim_is_one(sh.cols))
		f[n++] = expr_unary(p, E_TRANS, expr_make(p, E_ONES, &sh.cols, 1));
	return n == 1 ? f[0] : expr_make(p, E_MUL, f, n);
}

/* Verify d (printed, NULL for zero, of shape sh) as the derivative of truth
 * by x: the expression as typed, never a simplified one, so a simplifier
 * that changed f could not hide a wrong answer.  A Hessian is checked as the
 * Jacobian of the gradient, which is verified first.  Returns 0 when it
 * holds, else reports and returns 1. */
static int verify(const mcd_options *o, Pool *p, Shapes *s, Diag *dg, const Expr *truth,
		  const Expr *x, const char *name, const Expr *d, Shape sh)
{
	Layout l = o->hessian ? LAYOUT_NUMERATOR : o->layout;
	const Expr *g = truth;
	if (o->hessian) {
		Shape xs = shape_of(s, x);
		Deriv gd = diff_wrt(p, s, truth, x, LAYOUT_DENOMINATOR);
		const Expr *grad = gd.d ? canon_unconstrained(p, s, gd.d) : zero_of(p, (Shape){ xs.rows, xs.cols });
		CheckResult cg = check_derivative(p, s, truth, x, grad, LAYOUT_DENOMINATOR, o->check, o->seed);
		if (!cg.ok) {
			diag_plain(dg, "check failed: the gradient by %s, under the Hessian, is wrong: %s", name, cg.detail);
			return 1;
		}
		g = !dim_is_one(xs.cols) ? expr_func(p, F_VEC, grad) : grad;
	}
	CheckResult c = check_derivative(p, s, g, x, d ? d : zero_of(p, sh), l, o->check, o->seed);
	if (!c.ok && c.instances == 0 && strstr(c.detail, "no random instance")) {
		diag_plain(dg, "check: cannot verify the derivative by %s: %s", name, c.detail);
		return 1;
	}
	if (!c.ok) {
		diag_plain(dg, "check failed: the derivative by %s is wrong: %s", name, c.detail);
		return 1;
	}
	buf_printf(&dg->text, "mcd: %ld: check: derivative by %s verified on %d random instance%s, %s\n",
		   dg->line, name, c.instances, c.instances == 1 ? "" : "s",
		   c.exact ? "exactly" : "by finite differences");
	if (!c.exact)
		buf_printf(&dg->text, "mcd: %ld: check: largest relative error %.3g\n", dg->line, c.max_error);
	return 0;
}

/* One derivative step (-wrt, or the Hessian) of f (its unconstrained
 * simplified form; truth is the same function as typed), verified when
 * --check asks.  Sets *out (to differentiate again), *raw (the engine's
 * result, the next step's truth), *printed and *shape; NULL means zero.
 * Returns 0, or reports and returns 1. */
static int derive(const mcd_options *o, Pool *p, Shapes *s, Diag *dg, const Expr *f,
		  const Expr *truth, const char *name, const Expr **out, const Expr **raw,
		  const Expr **printed, Shape *shape)
{
	int i = shape_find_var(s, pool_intern(p, name, strlen(name)));
	if (i < 0) {
		diag_plain(dg, "'%s' does not occur in the expression (declare it with -d to get a zero derivative)", name);
		return 1;
	}
	const Expr *x = shape_var(s, i);
	Deriv d = o->hessian ? diff_hessian(p, s, f, x) : diff_wrt(p, s, f, x, o->layout);
	if (d.error) {
		diag_plain(dg, "%s", d.error);
		return 1;
	}
	*printed = d.d ? canon_simplify(p, s, d.d) : NULL;
	*out = d.d ? canon_unconstrained(p, s, d.d) : NULL;
	*raw = d.d;
	*shape = d.shape;
	return o->check ? verify(o, p, s, dg, truth, x, name, *printed, d.shape) : 0;
}

/* A declared name followed by '(' is a product (parse.h). */
static int declared(const void *ctx, const char *name)
{
	for (const Decl *d = ctx; d; d = d->next)
		if (strcmp(d->name, name) == 0)
			return 1;
	return 0;
}

/* Everything after parsing; returns 0 when it succeeded. */
static int evaluate(const mcd_options *o, Pool *p, Ast *ast, Diag *dg, Buf *out)
{
	Shapes *s = shape_infer(p, ast, o->decls, dg);
	if (!s)
		return 1;
	const Expr *e = shape_elaborate(s, ast);
	Result r = { .input = dg->src, .len = dg->len, .line = dg->line, .pool = p, .shapes = s,
		     .fshape = shape_of(s, e), .wrt = (const char *const *)o->wrt, .nwrt = o->nwrt,
		     .hessian = o->hessian, .layout = o->layout };
	/* e is differentiated, without using symmetry (SPEC 3: entries are
	 * independent); what is printed is simplified with it */
	const Expr *truth = e;   /* as typed: what --check compares with */
	const Expr *printed = r.f = canon_simplify(p, s, e);
	const Expr *f = e = canon_unconstrained(p, s, e);
	Shape sh = r.fshape;
	if (canon_zero_divisor(p, s, truth) || canon_divides_by_zero(printed)) {
		diag_plain(dg, "division by zero");
		return 1;
	}
	for (int i = 0; i < o->nwrt; i++) {
		if (!e)   /* a zero: its derivative is zero too, of the next shape */
			e = truth = zero_of(p, sh);
		if (derive(o, p, s, dg, e, truth, o->wrt[i], &e, &truth, &printed, &sh))
			return 1;
		if (o->hessian && o->format == MCD_PYTHON) {   /* derivative() still returns f' */
			const Expr *d1 = diff_wrt(p, s, f, shape_var(s, shape_find_var(s,
				pool_intern(p, o->wrt[i], strlen(o->wrt[i])))), o->layout).d;
			r.first = d1 ? canon_simplify(p, s, d1) : NULL;   /* NULL: zero */
		}
	}
	r.result = printed;
	r.shape = sh;
	if (o->shapes && o->format != MCD_JSON)
		shape_describe(s, out, sh);
	else
		emit_result(out, o->format, &r);
	return 0;
}

API int mcd_run(const mcd_options *o, const char *src, size_t len, long line, FILE *out, FILE *err)
{
	Pool *p = pool_new();
	Diag dg;
	Buf result;
	diag_init(&dg, src, len, line);
	buf_init(&result);
	int rc = 1;
	if (len > 0x7fffffff)
		diag_plain(&dg, "line %ld is too long (more than 2 GiB)", line);
	else {
		Ast *ast = parse_expr_with(p, src, len, &dg, declared, o->decls);
		rc = ast ? evaluate(o, p, ast, &dg, &result) : 1;
	}
	if (rc) {
		buf_clear(&result);
		emit_error(&result, o->format, src, len, line, dg.first_col, buf_str(&dg.first));
	}
	fprintf(out, "%s\n", buf_str(&result));
	fputs(buf_str(&dg.text), err);
	buf_free(&result);
	diag_free(&dg);
	pool_free(p);
	return rc;
}
