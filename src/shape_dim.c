/* shape_dim.c: canonical dimensions (interned E_DIM products) and the
 * -d NAME:TYPE declarations (see shape.h). */
#include "shape.h"
#include "func.h"
#include "mem.h"

#include <ctype.h>
#include "arena.h"

#include <stdlib.h>
#include <string.h>

static int factor_cmp(const void *x, const void *y)
{
	const Expr *a = *(const Expr *const *)x, *b = *(const Expr *const *)y;
	return expr_cmp(a, b);
}

/* The canonical E_DIM of c times the symbols syms[0..n).  The factor list
 * comes from the pool's arena at its full length: no symbol is dropped. */
static const Expr *dim_make(Pool *p, unsigned long c, const Expr **syms, unsigned n)
{
	const Expr **f = arena_alloc(pool_arena(p), (n + 1) * sizeof *f);
	unsigned k = 0;
	if (c != 1 || n == 0)
		f[k++] = expr_int(p, (long)c);
	if (n > 1)
		qsort(syms, n, sizeof *syms, factor_cmp);
	for (unsigned i = 0; i < n; i++)
		f[k++] = syms[i];
	return expr_make(p, E_DIM, f, k);
}

const Expr *dim_num(Pool *p, unsigned long n)
{
	return dim_make(p, n, NULL, 0);
}

const Expr *dim_sym(Pool *p, const char *name)
{
	const Expr *s = expr_dsym(p, name);
	return dim_make(p, 1, &s, 1);
}

static unsigned long dim_const(const Expr *d)
{
	return d->args[0]->kind == E_NUM ? mpz_get_ui(mpq_numref(d->args[0]->u.num)) : 1;
}

const Expr *dim_mul(Pool *p, const Expr *a, const Expr *b)
{
	const Expr **syms = arena_alloc(pool_arena(p), (a->nargs + b->nargs) * sizeof *syms);
	unsigned n = 0;   /* room for every symbol of both: none is dropped */
	for (unsigned i = 0; i < a->nargs; i++)
		if (a->args[i]->kind == E_DSYM)
			syms[n++] = a->args[i];
	for (unsigned i = 0; i < b->nargs; i++)
		if (b->args[i]->kind == E_DSYM)
			syms[n++] = b->args[i];
	return dim_make(p, dim_const(a) * dim_const(b), syms, n);
}

int dim_is_one(const Expr *d)
{
	return d->nargs == 1 && expr_is_num(d->args[0], 1);
}

const Expr *shape_zero(Pool *p, Shape sh)
{
	const Expr *f[3] = { expr_int(p, 0), NULL, NULL };
	unsigned n = 1;
	if (!dim_is_one(sh.rows))
		f[n++] = expr_make(p, E_ONES, &sh.rows, 1);
	if (!dim_is_one(sh.cols))
		f[n++] = expr_unary(p, E_TRANS, expr_make(p, E_ONES, &sh.cols, 1));
	return n == 1 ? f[0] : expr_make(p, E_MUL, f, n);
}

int shape_is_scalar(Shape s)
{
	return dim_is_one(s.rows) && dim_is_one(s.cols);
}

/* "3", "n", "mn", "2n"; symbols longer than a letter are joined by '*'. */
void dim_print(Buf *b, const Expr *d)
{
	int short_names = 1;
	for (unsigned i = 0; i < d->nargs; i++)
		if (d->args[i]->kind == E_DSYM && d->args[i]->u.name[1])
			short_names = 0;
	for (unsigned i = 0; i < d->nargs; i++) {
		if (i && !short_names)
			buf_putc(b, '*');
		if (d->args[i]->kind == E_NUM)
			buf_printf(b, "%lu", mpz_get_ui(mpq_numref(d->args[i]->u.num)));
		else
			buf_puts(b, d->args[i]->u.name);
	}
}

/* --- declarations --- */

static const char *skip_blanks(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

/* An identifier at s: its length, or 0. */
static size_t ident_len(const char *s, int underscores)
{
	if (!isalpha((unsigned char)s[0]))
		return 0;
	size_t n = 1;
	while (isalnum((unsigned char)s[n]) || (underscores && s[n] == '_'))
		n++;
	return n;
}

/* A dimension in a declaration: a positive number or a symbol. */
static const char *parse_decl_dim(const char *s, char **out, Buf *err)
{
	s = skip_blanks(s);
	size_t n = ident_len(s, 0);
	if (!n) {
		while (isdigit((unsigned char)s[n]))
			n++;
		if (!n || n > 9 || strtol(s, NULL, 10) < 1) {
			buf_puts(err, "a dimension must be a positive number or a symbol");
			return NULL;
		}
	}
	*out = mem_strndup(s, n);
	return skip_blanks(s + n);
}

static const struct {
	const char *word;
	DeclKind kind;
	int ndims;
} decl_types[] = {
	{ "scalar", DECL_SCALAR, 0 },
	{ "vector", DECL_VECTOR, 1 },
	{ "matrix", DECL_MATRIX, 2 },
	{ "symmetric", DECL_SYMMETRIC, 1 },
};

static const char *parse_decl_type(const char *s, Decl *d, Buf *err)
{
	size_t n = ident_len(s, 0);
	int t = -1;
	for (int i = 0; i < 4; i++)
		if (n == strlen(decl_types[i].word) && strncmp(s, decl_types[i].word, n) == 0)
			t = i;
	if (t < 0) {
		buf_puts(err, "the type must be scalar, vector, vector(n), matrix, matrix(m,n), "
			      "symmetric or symmetric(n)");
		return NULL;
	}
	d->kind = decl_types[t].kind;
	s = skip_blanks(s + n);
	if (*s != '(' || decl_types[t].ndims == 0)
		return s;
	for (int i = 0; i < decl_types[t].ndims; i++) {
		if (i && *s++ != ',') {
			buf_printf(err, "%s takes %d dimensions", decl_types[t].word, decl_types[t].ndims);
			return NULL;
		}
		s = parse_decl_dim(s + (i == 0), &d->dims[i], err);
		if (!s)
			return NULL;
	}
	if (*s != ')') {
		buf_printf(err, "expected ')' after the dimensions of %s", decl_types[t].word);
		return NULL;
	}
	return skip_blanks(s + 1);
}

Decl *decl_parse(const char *text, Buf *err)
{
	Decl *d = mem_alloc(sizeof *d);
	const char *s = skip_blanks(text);
	size_t n = ident_len(s, 1);
	FuncId fn;
	if (!n) {
		buf_printf(err, "'%s': expected NAME:TYPE", text);
	} else if ((n == 1 && s[0] == 'I') || (n == 4 && !strncmp(s, "ones", 4)) ||
		   func_lookup(s, n, &fn) || (n == 3 && !strncmp(s, "inv", 3)) ||
		   (n == 4 && !strncmp(s, "kron", 4))) {
		buf_printf(err, "'%.*s' is a reserved name", (int)n, s);
	} else {
		d->name = mem_strndup(s, n);
		s = skip_blanks(s + n);
		if (*s != ':')
			buf_printf(err, "'%s': expected ':' and a type after the name", text);
		else if ((s = parse_decl_type(skip_blanks(s + 1), d, err)) && *s)
			buf_printf(err, "'%s': unexpected text after the type", text);
	}
	if (err->len) {
		decl_free_all(d);
		return NULL;
	}
	return d;
}

void decl_free_all(Decl *d)
{
	while (d) {
		Decl *next = d->next;
		mem_free(d->name);
		mem_free(d->dims[0]);
		mem_free(d->dims[1]);
		mem_free(d);
		d = next;
	}
}
