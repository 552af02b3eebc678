/* helpers.c: s-expressions of nodes for structural assertions (helpers.h). */
#include "helpers.h"
#include "func.h"
#include "parse.h"

#include <check.h>
#include <stdio.h>

#include <stdlib.h>
#include <string.h>

static const char *const kind_names[E_KIND_COUNT] = {
	[E_NUM] = "num", [E_VAR] = "var", [E_DSYM] = "dsym", [E_DIM] = "dim",
	[E_IDENT] = "I", [E_ONES] = "ones", [E_COMM] = "K", [E_ADD] = "+",
	[E_NEG] = "neg", [E_MUL] = "*", [E_DIV] = "/", [E_HAD] = ".*",
	[E_HDIV] = "./", [E_KRON] = "kron", [E_TRANS] = "^T", [E_INV] = "^-1",
	[E_POW] = "^", [E_EPOW] = ".^", [E_FUNC] = "f",
};

void sexpr(Buf *out, const Expr *e)
{
	if (e->kind == E_NUM) {
		char *s = mpq_get_str(NULL, 10, e->u.num);
		buf_puts(out, s);
		void (*freefn)(void *, size_t);
		mp_get_memory_functions(NULL, NULL, &freefn);
		freefn(s, strlen(s) + 1);
		return;
	}
	if (e->kind == E_VAR || e->kind == E_DSYM) {
		buf_puts(out, e->u.name);
		return;
	}
	buf_printf(out, "(%s", e->kind == E_FUNC ? func_name(e->fn) : kind_names[e->kind]);
	for (unsigned i = 0; i < e->nargs; i++) {
		buf_putc(out, ' ');
		sexpr(out, e->args[i]);
	}
	buf_putc(out, ')');
}

const char *parse_show(const char *src, size_t len)
{
	static Buf out;
	Pool *p = pool_new();
	Diag dg;
	diag_init(&dg, src, len, 1);
	buf_clear(&out);
	Ast *a = parse_expr(p, src, len, &dg);
	if (a)
		sexpr(&out, ast_lower(p, a, NULL, NULL));
	else
		buf_printf(&out, "error %ld: %s", dg.first_col, buf_str(&dg.first));
	diag_free(&dg);
	pool_free(p);
	return buf_str(&out);
}

Decl *test_decls(const char *spec)
{
	Decl *ds = NULL, **tail = &ds;
	char copy[512];
	snprintf(copy, sizeof copy, "%s", spec);
	for (char *tok = strtok(copy, ";"); tok; tok = strtok(NULL, ";")) {
		Buf err;
		buf_init(&err);
		Decl *d = decl_parse(tok, &err);
		ck_assert_msg(d != NULL, "bad declaration %s: %s", tok, buf_str(&err));
		buf_free(&err);
		*tail = d;
		tail = &d->next;
	}
	return ds;
}

int parse_together(Parsed *ps, const Decl *decls, const char *const *srcs, Buf *err)
{
	Buf src;
	buf_init(&src);
	*ps = (Parsed){ .p = pool_new(), .decls = decls };
	while (ps->n < 4 && srcs[ps->n])
		ps->n++;
	if (ps->n > 1)
		buf_puts(&src, "kron(");
	for (int i = 0; i < ps->n; i++)
		buf_printf(&src, ps->n > 1 ? "%s(%s)" : "%s%s", i ? ", " : "", srcs[i]);
	if (ps->n > 1)
		buf_putc(&src, ')');
	Diag dg;
	diag_init(&dg, buf_str(&src), src.len, 1);
	Ast *a = parse_expr(ps->p, buf_str(&src), src.len, &dg);
	if (a)
		ps->s = shape_infer(ps->p, a, decls, &dg);
	if (a && ps->s) {
		for (int i = 0; i < ps->n; i++)
			ps->e[i] = shape_elaborate(ps->s, ps->n > 1 ? a->kids[i] : a);
	} else {
		buf_printf(err, "%s: %s", buf_str(&src), buf_str(&dg.first));
		pool_free(ps->p);
		ps->p = NULL;
	}
	diag_free(&dg);
	buf_free(&src);
	return ps->p != NULL;
}
