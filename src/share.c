/* share.c: naming shared subexpressions (see share.h).
 *
 * The result is a DAG (nodes are hash-consed), but it prints as a tree: a
 * node prints once for every path to it.  One walk lists the nodes with
 * parents before children; going down that list, a node's count of printed
 * occurrences is final when it is reached, and a named node passes one
 * occurrence (its definition), not all of its own, to its children. */
#include "share.h"
#include "map.h"
#include "print.h"

#include <stdio.h>
#include <string.h>

typedef struct {
	double occ;           /* printed occurrences (a double: they can be 2^k) */
	double size;          /* tokens as a tree, with no names (saturating) */
	const char *name;     /* when named */
	int order;            /* the node's place in the list */
} Info;

typedef struct {
	Pool *p;
	Shapes *s;
	Map info;             /* node -> Info */
	const Expr **list;    /* every node once, children before parents */
	unsigned n, cap;
	Map done;             /* node -> its printed form with names */
} Share;

static Info *info(Share *sh, const Expr *e)
{
	const void *v;
	return map_get(&sh->info, e, &v) ? (Info *)v : NULL;
}

/* Leaves and structural constants are never worth a name. */
static int leaf(const Expr *e)
{
	if (e->kind == E_TRANS)
		e = e->args[0];
	return e->nargs == 0 || e->kind == E_DIM || e->kind == E_IDENT || e->kind == E_ONES ||
	       e->kind == E_COMM;
}

/* Post-order, iteratively would need a stack; depth is bounded by the
 * engine's own recursion limits, which are far deeper than results get. */
static void collect(Share *sh, const Expr *e)
{
	if (info(sh, e))
		return;
	Info *in = arena_alloc(pool_arena(sh->p), sizeof *in);
	*in = (Info){ 0 };
	map_put(&sh->info, e, in);
	double size = 1;
	for (unsigned i = 0; i < e->nargs; i++) {
		collect(sh, e->args[i]);
		size += info(sh, e->args[i])->size;
	}
	in->size = size > 1e300 ? 1e300 : size;
	if (sh->n == sh->cap) {
		unsigned cap = sh->cap ? 2 * sh->cap : 64;
		sh->list = arena_grow(pool_arena(sh->p), sh->list, sh->cap * sizeof *sh->list, cap * sizeof *sh->list);
		sh->cap = cap;
	}
	in->order = (int)sh->n;
	sh->list[sh->n++] = e;
}

/* Worth a name: the (occ - 1) copies it saves outweigh the occ names and
 * the definition's "t1 = " and ", " (about three tokens). */
static int worth(const Info *in)
{
	return in->occ >= 2 && (in->occ - 1) * in->size > in->occ + 3;
}

static int name_taken(Shapes *s, const char *const *inputs, unsigned n, const char *name)
{
	for (int i = 0; i < shape_var_count(s); i++)
		if (strcmp(shape_var(s, i)->u.name, name) == 0)
			return 1;
	for (unsigned i = 0; i < n; i++)
		if (strcmp(inputs[i], name) == 0)
			return 1;
	return 0;
}


/* e's printed form: its name, or itself over its children's forms. */
static const Expr *form(Share *sh, const Expr *e, int self)
{
	const void *v;
	Info *in = info(sh, e);
	if (self && in->name)
		return expr_var(sh->p, in->name);
	if (!self && map_get(&sh->done, e, &v))
		return v;
	const Expr *r = e;
	if (!leaf(e)) {
		const Expr **a = arena_alloc(pool_arena(sh->p), e->nargs * sizeof *a);
		int changed = 0;
		for (unsigned i = 0; i < e->nargs; i++) {
			a[i] = form(sh, e->args[i], 1);
			changed |= a[i] != e->args[i];
		}
		if (changed)
			r = expr_rebuild(sh->p, e, a);
	}
	map_put(&sh->done, e, r);
	return r;
}

static size_t printed_length(const Expr *e)
{
	Buf b;
	buf_init(&b);
	print_text(&b, e);
	size_t n = b.len;
	buf_free(&b);
	return n;
}

Sharing share_result(Pool *p, Shapes *s, const Expr *e, const char *const *input_names,
		     const Expr *const *input_values, unsigned n_inputs, int automatic)
{
	Sharing none = { e, NULL, 0 };
	Share sh = { p, s, { 0 }, NULL, 0, 0, { 0 } };
	map_init(&sh.info, pool_arena(p));
	map_init(&sh.done, pool_arena(p));
	collect(&sh, e);
	for (unsigned i = 0; i < n_inputs; i++) {   /* the input's names, wherever their values are */
		Info *in = info(&sh, input_values[i]);
		if (in && input_values[i] != e && !leaf(input_values[i]) && !in->name)
			in->name = input_names[i];
	}
	info(&sh, e)->occ = 1;
	unsigned named = 0, next = 1;
	for (unsigned k = sh.n; k-- > 0;) {   /* parents first */
		const Expr *v = sh.list[k];
		Info *in = info(&sh, v);
		if (!in->name && automatic && v != e && !leaf(v) && worth(in))
			in->name = "";   /* numbered below, in dependency order */
		named += in->name != NULL;
		for (unsigned i = 0; i < v->nargs; i++)
			info(&sh, v->args[i])->occ += in->name ? 1 : in->occ;
	}
	if (named == 0)
		return none;
	Sharing r = { NULL, arena_alloc(pool_arena(p), named * sizeof *r.defs), 0 };
	for (unsigned k = 0; k < sh.n; k++) {   /* children first: dependency order */
		const Expr *v = sh.list[k];
		Info *in = info(&sh, v);
		if (!in->name || in->occ == 0)
			continue;
		if (in->name[0] == '\0') {
			char buf[32];
			do
				snprintf(buf, sizeof buf, "t%u", next++);
			while (name_taken(s, input_names, n_inputs, buf));
			in->name = pool_intern(p, buf, strlen(buf));
		}
		r.defs[r.n++] = (Shared){ in->name, form(&sh, v, 0), shape_of(s, v) };
	}
	r.result = form(&sh, e, 1);
	/* Automatic names must pay for themselves in the printed text. */
	size_t shared = printed_length(r.result);
	int inputs_used = 0;
	for (unsigned i = 0; i < r.n; i++) {   /* " where t1 = V" and ", t2 = V" */
		shared += (i ? 2 : 7) + strlen(r.defs[i].name) + 3 + printed_length(r.defs[i].value);
		for (unsigned j = 0; j < n_inputs; j++)
			inputs_used |= r.defs[i].name == input_names[j];
	}
	/* The inline text has at least a byte a node of its tree: when that
	 * alone is longer, it need not be printed to know (a deep network's
	 * would be megabytes). */
	if (inputs_used || (double)shared < info(&sh, e)->size)
		return r;
	return shared >= printed_length(e) ? none : r;
}
