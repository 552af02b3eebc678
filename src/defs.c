/* defs.c: checking and substituting definitions (see defs.h). */
#include "defs.h"
#include "map.h"

#include <string.h>

static int find(const Line *in, const char *name)
{
	for (unsigned i = 0; i < in->ndefs; i++)
		if (in->defs[i].name == name)
			return (int)i;
	return -1;
}

/* --- cycles, then use: depth-first walks over the names values refer to --- */

enum { WHITE, GREY, BLACK };

typedef struct {
	const Line *in;
	unsigned char *mark;
	int use;              /* marking use (acyclic by then), not looking for cycles */
	Diag *dg;
	int failed;
} Walk;

static void visit_def(Walk *w, int d);

static void visit_ast(Walk *w, const Ast *a)
{
	if (w->failed)
		return;
	if (a->kind == E_VAR && a->leaf) {
		int d = find(w->in, a->leaf->u.name);
		if (d >= 0)
			visit_def(w, d);
		return;
	}
	for (unsigned i = 0; i < a->nkids; i++)
		visit_ast(w, a->kids[i]);
}

static void visit_def(Walk *w, int d)
{
	Def *def = &w->in->defs[d];
	if (w->use)
		def->used = 1;
	if (w->mark[d] == BLACK)
		return;
	if (w->mark[d] == GREY) {
		diag_error(w->dg, def->at, &def->value->loc, 1,
			   "'%s' is defined in terms of itself (the definitions form a cycle)", def->name);
		w->failed = 1;
		return;
	}
	w->mark[d] = GREY;
	visit_ast(w, def->value);
	w->mark[d] = BLACK;
}

/* A name may not be both defined and declared, nor defined and a -wrt
 * variable: either would give one name two meanings. */
static int conflicts(const Line *in, const Decl *decls, char *const *wrt, int nwrt, Diag *dg)
{
	for (unsigned i = 0; i < in->ndefs; i++) {
		const Def *d = &in->defs[i];
		for (const Decl *dc = decls; dc; dc = dc->next)
			if (strcmp(dc->name, d->name) == 0) {
				diag_error(dg, d->at, NULL, 0, "'%s' is defined here and also declared (-d, -s)", d->name);
				return 1;
			}
		for (int k = 0; k < nwrt; k++)
			if (strcmp(wrt[k], d->name) == 0) {
				diag_error(dg, d->at, NULL, 0, "'%s' is defined here, so it cannot be a -wrt variable "
					   "(differentiate by the variables it is made of)", d->name);
				return 1;
			}
	}
	return 0;
}

int defs_check(Pool *p, const Line *in, const Decl *decls, char *const *wrt, int nwrt, Diag *dg)
{
	if (in->ndefs == 0)
		return 0;
	if (conflicts(in, decls, wrt, nwrt, dg))
		return 1;
	unsigned char *mark = arena_alloc(pool_arena(p), in->ndefs);
	memset(mark, WHITE, in->ndefs);
	Walk w = { in, mark, 0, dg, 0 };
	for (unsigned i = 0; i < in->ndefs && !w.failed; i++)
		if (mark[i] == WHITE)
			visit_def(&w, (int)i);
	if (w.failed)
		return 1;
	memset(mark, WHITE, in->ndefs);
	w.use = 1;
	visit_ast(&w, in->f);
	if (in->expected)
		visit_ast(&w, in->expected);
	for (unsigned i = 0; i < in->ndefs; i++)
		if (!in->defs[i].used)
			diag_warning(dg, in->defs[i].at, "'%s' is defined but not used", in->defs[i].name);
	return 0;
}

/* --- substitution --- */

struct Subst {
	Pool *p;
	Shapes *s;
	const Line *in;
	Map done;             /* node -> node with the values put in */
};

Subst *defs_subst_new(Pool *p, Shapes *s, const Line *in)
{
	Subst *u = arena_alloc(pool_arena(p), sizeof *u);
	*u = (Subst){ p, s, in, { 0 } };
	map_init(&u->done, pool_arena(p));
	return u;
}


const Expr *defs_substitute(Subst *u, const Expr *e)
{
	const void *v;
	if (u->in->ndefs == 0 || e->kind == E_DIM || e->kind == E_IDENT || e->kind == E_ONES ||
	    e->kind == E_COMM)
		return e;
	if (map_get(&u->done, e, &v))
		return v;
	const Expr *r = e;
	if (e->kind == E_VAR) {
		int d = find(u->in, e->u.name);
		if (d >= 0)
			r = defs_value(u, (unsigned)d);
	} else if (e->nargs) {
		const Expr **a = arena_alloc(pool_arena(u->p), e->nargs * sizeof *a);
		int changed = 0;
		for (unsigned i = 0; i < e->nargs; i++) {
			a[i] = defs_substitute(u, e->args[i]);
			changed |= a[i] != e->args[i];
		}
		if (changed)
			r = expr_rebuild(u->p, e, a);
	}
	map_put(&u->done, e, r);
	return r;
}

const Expr *defs_value(Subst *u, unsigned i)
{
	return defs_substitute(u, shape_elaborate(u->s, u->in->defs[i].value));
}
