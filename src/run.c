/* run.c: the library's entry points: options, and one expression through
 * the pipeline parse -> shapes -> elaborate -> simplify -> print. */
#include "mcd.h"
#include "mem.h"
#include "parse.h"
#include "print.h"
#include "shape.h"
#include "simp.h"

#include <string.h>

#define API __attribute__((visibility("default")))

struct mcd_options {
	mcd_format format;
	int shapes;
	Decl *decls;
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
	mem_free(o);
}

API void mcd_set_format(mcd_options *o, mcd_format f)
{
	o->format = f;
}

API void mcd_set_shapes(mcd_options *o, int on)
{
	o->shapes = on;
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
	for (Decl **p = &o->decls; *p; p = &(*p)->next)
		if (strcmp((*p)->name, d->name) == 0) {
			Decl *old = *p;
			*p = old->next;
			old->next = NULL;
			decl_free_all(old);
			break;
		}
	d->next = o->decls;
	o->decls = d;
	return 0;
}

/* Everything after parsing; returns 0 when it succeeded. */
static int evaluate(const mcd_options *o, Pool *p, Ast *ast, Diag *dg, Buf *out)
{
	Shapes *s = shape_infer(p, ast, o->decls, dg);
	if (!s)
		return 1;
	const Expr *e = shape_elaborate(s, ast);
	e = simp_light(p, s, e);
	if (o->shapes)
		shape_describe(s, out, shape_of(s, e));
	else
		print_text(out, e);
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
		Ast *ast = parse_expr(p, src, len, &dg);
		rc = ast ? evaluate(o, p, ast, &dg, &result) : 1;
	}
	if (rc)
		buf_clear(&result);
	fprintf(out, "%s\n", buf_str(&result));
	fputs(buf_str(&dg.text), err);
	buf_free(&result);
	diag_free(&dg);
	pool_free(p);
	return rc;
}
