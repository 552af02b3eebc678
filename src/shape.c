/* shape.c: shape inference by unification (SPEC section 2).
 *
 * Every dimension is a variable in a union-find forest; a root may be bound
 * to a product (a constant times other variables), which is how vec and kron
 * sizes are expressed.  Variables come in three kinds: rigid (a matrix side,
 * a declared vector: never 1), flexible (an undeclared vector's length: may
 * become 1, making the vector a scalar) and free (everything else).
 *
 * Most operators give plain equations.  A product of two operands that are
 * not known to be 1 x 1 has three readings: the left scales, the right
 * scales, or a matrix product.  A clean matrix product (one that turns no
 * vector into a scalar) is taken at once; otherwise the product waits, and
 * is settled after the whole expression is seen, so a later use can decide
 * (SPEC: "a later use can settle an earlier name").  Every trial binding is
 * logged on a trail and undone if the trial fails. */
#include "shape.h"
#include "func.h"
#include "map.h"
#include "mem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { DV_FREE, DV_FLEX, DV_RIGID };
/* Factors in one dimension product.  Prod is a value type (cancel and unify
 * copy it), so the bound is fixed; shape_infer checks every dimension
 * against it at the end and makes an error of one that needs more, so no
 * later expand() can fail (and dim_of never reads a failure as 1). */
enum { MAXF = 16 };

typedef struct {
	unsigned long c;       /* constant factor */
	unsigned n;
	int v[MAXF];           /* variable ids, sorted */
} Prod;

typedef struct {
	int parent;
	unsigned char kind;
	int bound;             /* -1, or index into prods */
	const char *owner;     /* provenance of a rigid variable */
	char side;             /* 'r', 'c': matrix row/col; 'v' declared vector; 's' symbol */
	const char *name;      /* the dimension's name, once named */
	int size;              /* of the class, at a root */
} DVar;

typedef struct {
	int var;
	DVar old;
} Undo;

typedef struct {
	const char *name;      /* interned */
	int rows, cols;
	int symmetric;
	Shape shape;           /* after naming */
} VarInfo;

/* A product or diag waiting for its reading. */
typedef struct {
	Ast *ast;              /* the node, for the error position */
	int kind;              /* 'm' product, 'd' diag */
	int ar, ac, br, bc;    /* operand shapes (diag: ar, ac only) */
	int r, c;              /* the result's variables */
	Loc left, right, op;
	int done;
} Choice;

struct Shapes {
	Pool *pool;
	Diag *dg;
	DVar *dv;
	int ndv, capdv;
	Prod *prods;
	int nprods, capprods;
	Undo *trail;
	int ntrail, captrail;
	VarInfo *vars;
	int nvars, capvars;
	int *varindex;         /* open addressing on interned name pointer */
	int capindex;
	const Decl *decls;
	Choice *choices;
	int nchoices, capchoices;
	int why;               /* the rigid variable that made it fail, or -1 */
	int ambiguous;         /* it failed for want of a declaration */
	int force;             /* trials may make a flexible variable 1 */
	const char **symnames; /* user dimension symbols, and their variables */
	int *symvars;
	int nsyms, capsyms;
	int next_auto;
	Map memo;              /* node -> its Shape (in the arena): shape_of */
	VarInfo *hidden;
	int nhidden, caphidden;
	const Def *defs;       /* F where NAME = VALUE: a defined name has its value's shape */
	unsigned ndefs;
	unsigned char *def_state;   /* 0 not inferred yet, 1 inferring, 2 done */
};

#define GROW(arr, n, cap) do {                                               \
	if ((n) == (cap)) {                                                  \
		(cap) = (cap) ? 2 * (cap) : 16;                              \
		(arr) = arena_grow(pool_arena(s->pool), (arr),               \
				   (size_t)(n) * sizeof *(arr),              \
				   (size_t)(cap) * sizeof *(arr));           \
	}                                                                    \
} while (0)

/* --- the union-find forest with a trail --- */

static int new_var(Shapes *s, int kind, const char *owner, char side)
{
	GROW(s->dv, s->ndv, s->capdv);
	s->dv[s->ndv] = (DVar){ s->ndv, (unsigned char)kind, -1, owner, side, NULL, 1 };
	return s->ndv++;
}

static int find(Shapes *s, int v)
{
	while (s->dv[v].parent != v)
		v = s->dv[v].parent;   /* no path compression: the trail stays small */
	return v;
}

static void save(Shapes *s, int v)
{
	GROW(s->trail, s->ntrail, s->captrail);
	s->trail[s->ntrail++] = (Undo){ v, s->dv[v] };
}

static void undo_to(Shapes *s, int mark)
{
	while (s->ntrail > mark) {
		Undo u = s->trail[--s->ntrail];
		s->dv[u.var] = u.old;
	}
}

static int const_var(Shapes *s, unsigned long c);

/* --- products --- */

static int cmp_int(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

/* Multiply p by the current value of variable v (recursively expanded).
 * Returns 0 when the product has too many factors or overflows. */
static int expand_into(Shapes *s, Prod *p, int v)
{
	v = find(s, v);
	if (s->dv[v].bound < 0) {
		if (p->n == MAXF)
			return 0;
		p->v[p->n++] = v;
		return 1;
	}
	const Prod *b = &s->prods[s->dv[v].bound];
	if (b->c && p->c > (unsigned long)-1 / b->c)
		return 0;
	p->c *= b->c;
	for (unsigned i = 0; i < b->n; i++)
		if (!expand_into(s, p, b->v[i]))
			return 0;
	return 1;
}

static int expand(Shapes *s, int v, Prod *out)
{
	*out = (Prod){ .c = 1 };
	if (!expand_into(s, out, v))
		return 0;
	if (out->n > 1)
		qsort(out->v, out->n, sizeof out->v[0], cmp_int);
	return 1;
}

/* Remove the variables a and b share (both sorted). */
static void cancel(Prod *a, Prod *b)
{
	Prod x = { .c = a->c }, y = { .c = b->c };
	unsigned i = 0, j = 0;
	while (i < a->n || j < b->n) {
		if (j == b->n || (i < a->n && a->v[i] < b->v[j]))
			x.v[x.n++] = a->v[i++];
		else if (i == a->n || b->v[j] < a->v[i])
			y.v[y.n++] = b->v[j++];
		else
			i++, j++;
	}
	*a = x;
	*b = y;
}

static unsigned long gcd(unsigned long a, unsigned long b)
{
	while (b) {
		unsigned long t = a % b;
		a = b;
		b = t;
	}
	return a;
}

static int occurs(Shapes *s, int v, const Prod *p)
{
	for (unsigned i = 0; i < p->n; i++)
		if (find(s, p->v[i]) == v)
			return 1;
	return 0;
}

/* Bind root v to the product p (already expanded, v not in it). */
static int bind(Shapes *s, int v, const Prod *p)
{
	DVar *d = &s->dv[v];
	int is_one = p->n == 0 && p->c == 1;
	if (is_one && d->kind == DV_RIGID) {
		s->why = v;
		return 0;
	}
	if (is_one && d->kind == DV_FLEX && !s->force)
		return 0;
	if (p->n == 1 && p->c == 1) {   /* v = w: merge the classes */
		int w = find(s, p->v[0]);
		if (s->dv[v].size > s->dv[w].size) {
			int t = v;   /* union by size keeps the trees shallow */
			v = w;
			w = t;
		}
		save(s, v);
		save(s, w);
		DVar *child = &s->dv[v], *root = &s->dv[w];
		child->parent = w;
		root->size += child->size;
		if (!root->name)
			root->name = child->name;   /* a user's dimension symbol names the class */
		if (child->kind > root->kind) {
			root->kind = child->kind;
			root->owner = child->owner;
			root->side = child->side;
		}
		return 1;
	}
	GROW(s->prods, s->nprods, s->capprods);
	s->prods[s->nprods] = *p;
	save(s, v);
	s->dv[v].bound = s->nprods++;
	return 1;
}

/* Every factor of p is one variable (n n n). */
static int all_same(const Prod *p)
{
	for (unsigned i = 1; i < p->n; i++)
		if (p->v[i] != p->v[0])
			return 0;
	return p->n > 0;
}

/* a = b over positive integers; fails without side effects. */
static int unify(Shapes *s, int va, int vb)
{
	Prod a, b;
	int mark = s->ntrail;
	s->why = -1;
	s->ambiguous = 0;
	if (find(s, va) == find(s, vb))
		return 1;
	if (!expand(s, va, &a) || !expand(s, vb, &b)) {
		s->ambiguous = 1;
		return 0;
	}
	cancel(&a, &b);
	unsigned long g = gcd(a.c, b.c);
	a.c /= g;
	b.c /= g;
	int ok;
	if (a.n == 0 && b.n == 0)
		ok = a.c == b.c;
	else if (a.n == 1 && a.c == 1)
		ok = !occurs(s, a.v[0], &b) && bind(s, a.v[0], &b);
	else if (b.n == 1 && b.c == 1)
		ok = !occurs(s, b.v[0], &a) && bind(s, b.v[0], &a);
	else if ((a.n == 0 && b.c == 1 && a.c == 1) || (b.n == 0 && a.c == 1 && b.c == 1)) {
		Prod one = { .c = 1 };   /* a product of sizes is 1: each is 1 */
		Prod *vs = a.n ? &a : &b;
		ok = 1;
		for (unsigned i = 0; ok && i < vs->n; i++)
			ok = bind(s, find(s, vs->v[i]), &one);
	} else if (a.n == b.n && a.c == b.c && all_same(&a) && all_same(&b)) {
		Prod w = { .c = 1, .n = 1, .v = { b.v[0] } };   /* n n = m m: n = m, sizes being positive */
		ok = bind(s, find(s, a.v[0]), &w);
	} else if (a.n == 0 || b.n == 0) {
		ok = 0;   /* 2 = 3 n, or 3 = m n: no size, or no single one */
		s->ambiguous = (a.n ? a.c : b.c) == 1 && (a.n ? b.c : a.c) > 1 && (a.n + b.n) > 1;
	} else {
		ok = 0;
		s->ambiguous = 1;
	}
	if (!ok)
		undo_to(s, mark);
	return ok;
}

static int const_var(Shapes *s, unsigned long c)
{
	int v = new_var(s, DV_FREE, NULL, 0);
	Prod p = { .c = c };
	bind(s, v, &p);
	return v;
}

static int product_var(Shapes *s, int a, int b)
{
	int v = new_var(s, DV_FREE, NULL, 0);
	Prod p = { .c = 1, .n = 2, .v = { a, b } };
	GROW(s->prods, s->nprods, s->capprods);
	s->prods[s->nprods] = p;
	s->dv[v].bound = s->nprods++;
	return v;
}

/* The constant value of v, or 0 if it is not known. */
static unsigned long const_of(Shapes *s, int v)
{
	Prod p;
	return expand(s, v, &p) && p.n == 0 ? p.c : 0;
}

static int is_rigid(Shapes *s, int v)
{
	Prod p;
	if (!expand(s, v, &p))
		return 0;
	if (p.n == 0)
		return p.c != 1;
	for (unsigned i = 0; i < p.n; i++)
		if (s->dv[p.v[i]].kind == DV_RIGID)
			return 1;
	return p.c != 1;
}

/* --- naming (m n p q r s k l, then m2 n2 ...) --- */

static int name_taken(Shapes *s, const char *name)
{
	for (int i = 0; i < s->nsyms; i++)
		if (strcmp(s->symnames[i], name) == 0)
			return 1;
	for (int i = 0; i < s->ndv; i++)
		if (s->dv[i].name && strcmp(s->dv[i].name, name) == 0)
			return 1;
	return 0;
}

static const char *fresh_name(Shapes *s)
{
	static const char letters[] = "mnpqrskl";
	char buf[32];
	for (;;) {
		int k = s->next_auto++;
		if (k < 8)
			snprintf(buf, sizeof buf, "%c", letters[k]);
		else
			snprintf(buf, sizeof buf, "%c%d", letters[k % 8], k / 8 + 1);
		if (!name_taken(s, buf))
			return pool_intern(s->pool, buf, strlen(buf));
	}
}

static void name_roots(Shapes *s, int v)
{
	Prod p;
	if (!expand(s, v, &p))
		return;
	for (unsigned i = 0; i < p.n; i++)
		if (!s->dv[p.v[i]].name)
			s->dv[p.v[i]].name = fresh_name(s);
}

/* Name every unnamed dimension, variables in order of first appearance. */
static void name_all(Shapes *s)
{
	for (int i = 0; i < s->nvars; i++) {
		name_roots(s, s->vars[i].rows);
		name_roots(s, s->vars[i].cols);
	}
}

static const Expr *dim_of(Shapes *s, int v)
{
	Prod p;
	name_roots(s, v);
	if (!expand(s, v, &p))
		return dim_num(s->pool, 1);
	const Expr *d = dim_num(s->pool, p.c);
	for (unsigned i = 0; i < p.n; i++)
		d = dim_mul(s->pool, d, dim_sym(s->pool, s->dv[p.v[i]].name));
	return d;
}

static void print_shape(Shapes *s, Buf *b, int r, int c)
{
	dim_print(b, dim_of(s, r));
	buf_puts(b, " x ");
	dim_print(b, dim_of(s, c));
}

/* --- variables and declarations --- */

static const Decl *find_decl(Shapes *s, const char *name)
{
	for (const Decl *d = s->decls; d; d = d->next)
		if (strcmp(d->name, name) == 0)
			return d;
	return NULL;
}

static int symbol_var(Shapes *s, const char *name)
{
	name = pool_intern(s->pool, name, strlen(name));
	for (int i = 0; i < s->nsyms; i++)
		if (s->symnames[i] == name)
			return s->symvars[i];
	int v = new_var(s, DV_RIGID, name, 's');
	s->dv[v].name = name;
	GROW(s->symnames, s->nsyms, s->capsyms);
	s->symvars = arena_grow(pool_arena(s->pool), s->symvars, (size_t)s->nsyms * sizeof(int),
				(size_t)s->capsyms * sizeof(int));
	s->symnames[s->nsyms] = name;
	s->symvars[s->nsyms] = v;
	s->nsyms++;
	return v;
}

/* A declared dimension: a number, a symbol, or (when absent) a new one. */
static int decl_dim(Shapes *s, const char *text, int kind, const char *owner, char side)
{
	if (!text)
		return new_var(s, kind, owner, side);
	if (text[0] >= '0' && text[0] <= '9')
		return const_var(s, strtoul(text, NULL, 10));
	return symbol_var(s, text);
}

/* alpha, mu_1, theta2: a spelled-out Greek scalar name with an optional suffix. */
static int is_greek(const char *name)
{
	return expr_greek(name, strcspn(name, "0123456789_")) == 2;
}

/* The shape of a variable on first sight: declared, or from its name. */
static void new_variable(Shapes *s, VarInfo *vi)
{
	const Decl *d = find_decl(s, vi->name);
	const char *n = vi->name;
	if (d && d->kind == DECL_SCALAR) {
		vi->rows = vi->cols = const_var(s, 1);
	} else if (d && d->kind == DECL_VECTOR) {
		vi->rows = decl_dim(s, d->dims[0], DV_RIGID, n, 'v');
		vi->cols = const_var(s, 1);
	} else if (d && d->kind == DECL_MATRIX) {
		vi->rows = decl_dim(s, d->dims[0], DV_RIGID, n, 'r');
		vi->cols = decl_dim(s, d->dims[1], DV_RIGID, n, 'c');
	} else if (d && d->kind == DECL_SYMMETRIC) {
		vi->rows = vi->cols = decl_dim(s, d->dims[0], DV_RIGID, n, 'q');
		vi->symmetric = 1;
	} else if (n[0] >= 'A' && n[0] <= 'Z') {
		vi->rows = new_var(s, DV_RIGID, n, 'r');
		vi->cols = new_var(s, DV_RIGID, n, 'c');
	} else if (is_greek(n)) {
		vi->rows = vi->cols = const_var(s, 1);
	} else {
		vi->rows = new_var(s, DV_FLEX, n, 'v');
		vi->cols = const_var(s, 1);
	}
}

/* The variable named name (interned), or NULL: no new entry is made. */
static VarInfo *lookup(const Shapes *s, const char *name)
{
	if (!s->capindex)
		return NULL;
	size_t j = ((uintptr_t)name >> 4) & (size_t)(s->capindex - 1);
	for (; s->varindex[j] >= 0; j = (j + 1) & (size_t)(s->capindex - 1))
		if (s->vars[s->varindex[j]].name == name)
			return &s->vars[s->varindex[j]];
	return NULL;
}

static VarInfo *variable(Shapes *s, const char *name)
{
	if (2 * (s->nvars + 1) > s->capindex) {
		int cap = s->capindex ? 2 * s->capindex : 64;
		int *t = arena_alloc(pool_arena(s->pool), (size_t)cap * sizeof *t);
		memset(t, -1, (size_t)cap * sizeof *t);
		for (int i = 0; i < s->nvars; i++) {
			size_t j = ((uintptr_t)s->vars[i].name >> 4) & (size_t)(cap - 1);
			while (t[j] >= 0)
				j = (j + 1) & (size_t)(cap - 1);
			t[j] = i;
		}
		s->varindex = t;
		s->capindex = cap;
	}
	size_t j = ((uintptr_t)name >> 4) & (size_t)(s->capindex - 1);
	for (; s->varindex[j] >= 0; j = (j + 1) & (size_t)(s->capindex - 1))
		if (s->vars[s->varindex[j]].name == name)
			return &s->vars[s->varindex[j]];
	GROW(s->vars, s->nvars, s->capvars);
	VarInfo *vi = &s->vars[s->nvars];
	memset(vi, 0, sizeof *vi);
	vi->name = name;
	new_variable(s, vi);
	s->varindex[j] = s->nvars++;
	return vi;
}

/* Both sides' dimensions at once; no side effects when it fails. */
static int unify_shapes(Shapes *s, int r1, int c1, int r2, int c2)
{
	int mark = s->ntrail;
	s->force = 1;
	if (unify(s, r1, r2) && unify(s, c1, c2))
		return 1;
	int why = s->why, ambiguous = s->ambiguous;
	undo_to(s, mark);
	s->why = why;
	s->ambiguous = ambiguous;
	return 0;
}

/* --- errors --- */

/* Why a unification failed: a rigid dimension that would have to be 1. */
static void why_text(Shapes *s, Buf *b)
{
	if (s->ambiguous) {
		buf_puts(b, " (the sizes cannot be settled; declare them with -d NAME:TYPE)");
		return;
	}
	if (s->why < 0)
		return;
	DVar *d = &s->dv[s->why];
	switch (d->side) {
	case 'r': buf_printf(b, " (%s would need one row)", d->owner); break;
	case 'c': buf_printf(b, " (%s would need one column)", d->owner); break;
	case 'q': buf_printf(b, " (%s would be 1 x 1)", d->owner); break;
	case 'v': buf_printf(b, " (%s is declared a vector)", d->owner); break;
	case 's': buf_printf(b, " (the dimension %s would be 1)", d->owner); break;
	default: break;
	}
}

/* "cannot add 1 x n and p x 1 (W would need one column)" */
static void binary_error(Shapes *s, Loc op, Loc l, Loc r, const char *verb,
			 int ar, int ac, int br, int bc, const char *joiner)
{
	Buf m;
	buf_init(&m);
	name_all(s);
	buf_printf(&m, "cannot %s ", verb);
	print_shape(s, &m, ar, ac);
	buf_printf(&m, " %s ", joiner);
	print_shape(s, &m, br, bc);
	why_text(s, &m);
	Loc under[2] = { l, r };
	diag_error(s->dg, op, under, 2, "%s", buf_str(&m));
	buf_free(&m);
}

/* "x (n x 1)" for a short operand, "this n x 1 expression" for a long one. */
static void describe_operand(Shapes *s, Buf *b, const Ast *k)
{
	size_t n = k->loc.end - k->loc.start;
	const char *src = s->dg->src + k->loc.start;
	int plain = n <= 24 && !memchr(src, '\n', n) && !memchr(src, '\0', n);
	if (plain)
		buf_printf(b, "%.*s (", (int)n, src);
	else
		buf_puts(b, "this ");
	print_shape(s, b, k->srows, k->scols);
	buf_puts(b, plain ? ")" : " expression");
}

/* An error about operand k of a: msg has one %s, the operand. */
static void unary_error(Shapes *s, const Ast *a, const Ast *k, const char *msg)
{
	Buf m, what;
	buf_init(&m);
	buf_init(&what);
	name_all(s);
	describe_operand(s, &what, k);
	const char *at = strstr(msg, "%s");
	buf_put(&m, msg, (size_t)(at - msg));
	buf_puts(&m, buf_str(&what));
	buf_puts(&m, at + 2);
	why_text(s, &m);
	diag_error(s->dg, a->op, &k->loc, 1, "%s", buf_str(&m));
	buf_free(&m);
	buf_free(&what);
}

/* --- the readings of a product and of diag --- */

enum { R_SCALE_LEFT, R_MATMUL, R_SCALE_RIGHT, R_DIAG_OF_VECTOR, R_DIAG_OF_MATRIX };

static int one(Shapes *s, int v)
{
	return unify(s, v, const_var(s, 1));
}

/* Try reading k of choice c; keeps the bindings when it works. */
static int apply(Shapes *s, const Choice *c, int k)
{
	int mark = s->ntrail, ok = 0;
	switch (k) {
	case R_SCALE_LEFT:
		ok = one(s, c->ar) && one(s, c->ac) && unify(s, c->r, c->br) && unify(s, c->c, c->bc);
		break;
	case R_SCALE_RIGHT:
		ok = one(s, c->br) && one(s, c->bc) && unify(s, c->r, c->ar) && unify(s, c->c, c->ac);
		break;
	case R_MATMUL:
		ok = unify(s, c->ac, c->br) && unify(s, c->r, c->ar) && unify(s, c->c, c->bc);
		break;
	case R_DIAG_OF_VECTOR:
		ok = one(s, c->ac) && unify(s, c->r, c->ar) && unify(s, c->c, c->ar);
		break;
	case R_DIAG_OF_MATRIX:
		ok = unify(s, c->ar, c->ac) && unify(s, c->r, c->ar) && one(s, c->c);
		break;
	}
	if (!ok)
		undo_to(s, mark);
	return ok;
}

static int feasible(Shapes *s, const Choice *c, int k, int force)
{
	int mark = s->ntrail, saved = s->force;
	s->force = force;
	int ok = apply(s, c, k);
	s->force = saved;
	undo_to(s, mark);
	return ok;
}

/* The readings of c in order of preference. */
static int readings(const Choice *c, int *ks)
{
	if (c->kind == 'd') {
		ks[0] = R_DIAG_OF_VECTOR;
		ks[1] = R_DIAG_OF_MATRIX;
		return 2;
	}
	ks[0] = R_SCALE_LEFT;
	ks[1] = R_MATMUL;
	ks[2] = R_SCALE_RIGHT;
	return 3;
}

static int commit(Shapes *s, Choice *c, int k)
{
	s->force = 1;
	int ok = apply(s, c, k);
	c->done = ok;
	return ok;
}

/* Settle c now if its reading is clear: an operand known to be 1 x 1, a
 * clean matrix product, or only one reading left.  Returns 0 if undecided. */
static int settle_if_clear(Shapes *s, Choice *c)
{
	if (c->kind == 'm') {
		if (const_of(s, c->ar) == 1 && const_of(s, c->ac) == 1)
			return commit(s, c, R_SCALE_LEFT);
		if (const_of(s, c->br) == 1 && const_of(s, c->bc) == 1)
			return commit(s, c, R_SCALE_RIGHT);
		if (feasible(s, c, R_MATMUL, 0))
			return commit(s, c, R_MATMUL);
	} else if (const_of(s, c->ac) == 1 || is_rigid(s, c->ac)) {
		return commit(s, c, const_of(s, c->ac) == 1 ? R_DIAG_OF_VECTOR : R_DIAG_OF_MATRIX);
	}
	int ks[3], n = readings(c, ks), ok = -1, count = 0;
	for (int i = 0; i < n; i++)
		if (feasible(s, c, ks[i], 1)) {
			count++;
			if (ok < 0)
				ok = ks[i];
		}
	if (count == 1)
		return commit(s, c, ok);
	return 0;
}

static void choice_error(Shapes *s, const Choice *c)
{
	if (c->kind == 'd') {
		unary_error(s, c->ast, c->ast->kids[0], "diag needs a vector or a square matrix, and %s is neither");
		return;
	}
	s->force = 1;
	unify(s, c->ac, c->br);   /* fails; sets why */
	binary_error(s, c->op, c->left, c->right, "multiply", c->ar, c->ac, c->br, c->bc, "by");
}

/* Settle the waiting choices: propagate the clear ones, then prefer clean
 * matrix products, then take each one's first feasible reading in order. */
static int settle_all(Shapes *s)
{
	for (int pass = 0, changed = 1; changed && pass < 4; pass++) {
		changed = 0;
		for (int i = 0; i < s->nchoices; i++)
			if (!s->choices[i].done && settle_if_clear(s, &s->choices[i]))
				changed = 1;
	}
	for (int i = 0; i < s->nchoices; i++) {
		Choice *c = &s->choices[i];
		if (c->done)
			continue;
		int ks[3], n = readings(c, ks);
		for (int k = 0; k < n && !c->done; k++)
			if (feasible(s, c, ks[k], 1))
				commit(s, c, ks[k]);
		if (!c->done) {
			choice_error(s, c);
			return 0;
		}
	}
	return 1;
}

static Choice *new_choice(Shapes *s, Ast *a, int kind)
{
	GROW(s->choices, s->nchoices, s->capchoices);
	Choice *c = &s->choices[s->nchoices++];
	memset(c, 0, sizeof *c);
	c->ast = a;
	c->kind = kind;
	c->r = new_var(s, DV_FREE, NULL, 0);
	c->c = new_var(s, DV_FREE, NULL, 0);
	return c;
}

/* --- the walk --- */

static int infer(Shapes *s, Ast *a);

static void set(Ast *a, int r, int c)
{
	a->srows = r;
	a->scols = c;
}

static int infer_kids(Shapes *s, Ast *a)
{
	for (unsigned i = 0; i < a->nkids; i++)
		if (!infer(s, a->kids[i]))
			return 0;
	return 1;
}

static Loc span(const Ast *a, unsigned from, unsigned to)
{
	return (Loc){ a->kids[from]->loc.start, a->kids[to]->loc.end };
}

/* Kids of an n-ary node that must all have one shape (+, .*). */
static int same_shapes(Shapes *s, Ast *a, const char *verb, const char *verb_neg)
{
	Ast *k0 = a->kids[0];
	for (unsigned i = 1; i < a->nkids; i++) {
		Ast *k = a->kids[i];
		if (unify_shapes(s, k0->srows, k0->scols, k->srows, k->scols))
			continue;
		int sub = verb_neg && k->kind == E_NEG && k->op.start == a->ops[i].start;
		Loc right = sub ? k->kids[0]->loc : k->loc;
		binary_error(s, a->ops[i], span(a, 0, i - 1), right, sub ? verb_neg : verb,
			     k0->srows, k0->scols, k->srows, k->scols, "and");
		return 0;
	}
	set(a, k0->srows, k0->scols);
	return 1;
}

/* Juxtaposition and '*': a chain of products, each a choice. */
static int infer_product(Shapes *s, Ast *a)
{
	int r = a->kids[0]->srows, c = a->kids[0]->scols;
	for (unsigned i = 1; i < a->nkids; i++) {
		Ast *k = a->kids[i];
		Choice *ch = new_choice(s, a, 'm');
		ch->ar = r;
		ch->ac = c;
		ch->br = k->srows;
		ch->bc = k->scols;
		ch->left = span(a, 0, i - 1);
		ch->right = k->loc;
		ch->op = a->ops[i];
		if (!settle_if_clear(s, ch) && !feasible(s, ch, R_SCALE_LEFT, 1) &&
		    !feasible(s, ch, R_MATMUL, 1) && !feasible(s, ch, R_SCALE_RIGHT, 1)) {
			choice_error(s, ch);
			return 0;
		}
		r = ch->r;
		c = ch->c;
	}
	set(a, r, c);
	return 1;
}

static int must_be_square(Shapes *s, Ast *a, Ast *k, const char *msg)
{
	s->force = 1;
	if (unify(s, k->srows, k->scols))
		return 1;
	unary_error(s, a, k, msg);
	return 0;
}

static int must_be_scalar(Shapes *s, Ast *a, Ast *k, const char *msg)
{
	int one_v = const_var(s, 1);
	if (unify_shapes(s, k->srows, k->scols, one_v, one_v))
		return 1;
	unary_error(s, a, k, msg);
	return 0;
}

static int infer_pow(Shapes *s, Ast *a)
{
	Ast *base = a->kids[0];
	const Expr *e = a->kids[1]->leaf;
	set(a, base->srows, base->scols);
	if (mpz_cmp_ui(mpq_denref(e->u.num), 1) != 0)
		return must_be_scalar(s, a, base, "a power that is not a whole number needs a scalar, and %s is not one");
	return must_be_square(s, a, base, "cannot raise %s to a power: it is not square");
}

/* The shape rule of the function's row in the table. */
static int infer_func(Shapes *s, Ast *a)
{
	Ast *k = a->kids[0];
	const FuncDef *f = func_def(a->fn);
	int one_v = const_var(s, 1);
	switch (f->shape) {
	case FS_SQUARE:
		set(a, one_v, one_v);
		return must_be_square(s, a, k, a->fn == F_TR ? "cannot take the trace of %s: it is not square"
				      : "cannot take the determinant of %s: it is not square");
	case FS_SCALAR:
		set(a, one_v, one_v);
		if (a->fn != F_NORM)
			return 1;
		s->force = 1;
		if (!a->norm2 || one(s, k->scols))
			return 1;
		unary_error(s, a, k, "the 2-norm of a matrix is not supported (use ||A||_F): %s is not a vector");
		return 0;
	case FS_COLUMN:
		set(a, k->srows, k->scols);
		if (one(s, k->scols))
			return 1;
		unary_error(s, a, k, a->fn == F_SOFTMAX ? "softmax needs a column vector: %s is not one"
			    : "this function needs a column vector: %s is not one");
		return 0;
	case FS_VEC:
		set(a, product_var(s, k->srows, k->scols), one_v);
		return 1;
	case FS_DIAG: {
		Choice *c = new_choice(s, a, 'd');
		c->ar = k->srows;
		c->ac = k->scols;
		set(a, c->r, c->c);
		if (!settle_if_clear(s, c) && !feasible(s, c, R_DIAG_OF_VECTOR, 1) &&
		    !feasible(s, c, R_DIAG_OF_MATRIX, 1)) {
			choice_error(s, c);
			return 0;
		}
		return 1;
	}
	case FS_SAME:
		set(a, k->srows, k->scols);
		return 1;
	}
	return 1;
}

/* The variable for an E_DIM written in the source (I_{m n}, K_{m,n}). */
static int written_dim(Shapes *s, const Expr *d)
{
	int v = const_var(s, 1);
	for (unsigned i = 0; i < d->nargs; i++) {
		const Expr *f = d->args[i];
		int w = f->kind == E_NUM ? const_var(s, mpz_get_ui(mpq_numref(f->u.num)))
			: symbol_var(s, f->u.name);
		v = product_var(s, v, w);
	}
	return v;
}

static int infer_kron(Shapes *s, Ast *a)
{
	int r = a->kids[0]->srows, c = a->kids[0]->scols;
	for (unsigned i = 1; i < a->nkids; i++) {
		r = product_var(s, r, a->kids[i]->srows);
		c = product_var(s, c, a->kids[i]->scols);
	}
	set(a, r, c);
	return 1;
}

static int infer(Shapes *s, Ast *a);

static int find_def(const Shapes *s, const char *name)
{
	for (unsigned i = 0; i < s->ndefs; i++)
		if (s->defs[i].name == name)
			return (int)i;
	return -1;
}

/* A definition's value is inferred once, where it is first used; a cycle
 * (which defs_check reports first) is refused here too. */
static int infer_def(Shapes *s, int d)
{
	if (s->def_state[d] == 2)
		return 1;
	if (s->def_state[d] == 1) {
		diag_error(s->dg, s->defs[d].at, NULL, 0, "'%s' is defined in terms of itself", s->defs[d].name);
		return 0;
	}
	s->def_state[d] = 1;
	if (!infer(s, s->defs[d].value))
		return 0;
	s->def_state[d] = 2;
	return 1;
}

static int infer(Shapes *s, Ast *a)
{
	if (!infer_kids(s, a))
		return 0;
	Ast *k = a->nkids ? a->kids[0] : NULL;
	switch (a->kind) {
	case E_NUM:
		set(a, const_var(s, 1), const_var(s, 1));
		return 1;
	case E_VAR: {
		int d = find_def(s, a->leaf->u.name);
		if (d >= 0) {
			if (!infer_def(s, d))
				return 0;
			set(a, s->defs[d].value->srows, s->defs[d].value->scols);
			return 1;
		}
		VarInfo *vi = variable(s, a->leaf->u.name);
		set(a, vi->rows, vi->cols);
		return 1;
	}
	case E_DSYM: case E_DIM:
		return 1;
	case E_IDENT: {
		int d = k ? written_dim(s, k->leaf) : new_var(s, DV_FREE, NULL, 0);
		set(a, d, d);
		return 1;
	}
	case E_ONES:
		set(a, k ? written_dim(s, k->leaf) : new_var(s, DV_FREE, NULL, 0), const_var(s, 1));
		return 1;
	case E_COMM: {
		int d = product_var(s, written_dim(s, k->leaf), written_dim(s, a->kids[1]->leaf));
		set(a, d, d);
		return 1;
	}
	case E_ADD:
		return same_shapes(s, a, "add", "subtract");
	case E_HAD:
		return same_shapes(s, a, "multiply element-wise", NULL);
	case E_HDIV:
		return same_shapes(s, a, "divide element-wise", NULL);
	case E_NEG: case E_EPOW:
		set(a, k->srows, k->scols);
		return a->kind == E_NEG ||
		       must_be_scalar(s, a, a->kids[1], "the exponent of '.^' must be a scalar, and %s is not one");
	case E_MUL:
		return infer_product(s, a);
	case E_DIV:
		set(a, k->srows, k->scols);
		return must_be_scalar(s, a, a->kids[1], "cannot divide by %s: the divisor must be a scalar");
	case E_KRON:
		return infer_kron(s, a);
	case E_TRANS:
		set(a, k->scols, k->srows);
		return 1;
	case E_INV:
		set(a, k->srows, k->scols);
		return must_be_square(s, a, k, "cannot invert %s: it is not square");
	case E_POW:
		return infer_pow(s, a);
	case E_FUNC:
		return infer_func(s, a);
	}
	return 1;
}

/* --- the public face --- */

static void finish_variables(Shapes *s)
{
	name_all(s);
	for (int i = 0; i < s->nvars; i++) {
		VarInfo *vi = &s->vars[i];
		vi->shape.rows = dim_of(s, vi->rows);
		vi->shape.cols = dim_of(s, vi->cols);
	}
}

/* Every dimension expands within MAXF factors and an unsigned long (see
 * MAXF); else an error over the whole expression. */
static int dims_fit(Shapes *s, const Ast *ast)
{
	for (int v = 0; v < s->ndv; v++) {
		Prod q;
		if (!expand(s, v, &q)) {
			diag_error(s->dg, ast->loc, &ast->loc, 1,
				   "a dimension of this expression is too large (a product of more than %d sizes, "
				   "or more than %lu)", MAXF, (unsigned long)-1);
			return 0;
		}
	}
	return 1;
}

Shapes *shape_infer(Pool *p, const Ast *ast, const Decl *decls, Diag *dg)
{
	return shape_infer_defs(p, ast, decls, NULL, 0, dg);
}

Shapes *shape_infer_defs(Pool *p, const Ast *ast, const Decl *decls, const Def *defs, unsigned ndefs,
			 Diag *dg)
{
	Shapes *s = arena_alloc(pool_arena(p), sizeof *s);
	s->pool = p;
	map_init(&s->memo, pool_arena(p));
	s->dg = dg;
	s->why = -1;
	s->decls = decls;
	s->defs = defs;
	s->ndefs = ndefs;
	s->def_state = arena_alloc(pool_arena(p), ndefs + 1);
	memset(s->def_state, 0, ndefs + 1);
	for (const Decl *d = decls; d; d = d->next)
		for (int i = 0; i < 2; i++)
			if (d->dims[i] && !(d->dims[i][0] >= '0' && d->dims[i][0] <= '9'))
				symbol_var(s, d->dims[i]);
	if (!infer(s, (Ast *)ast))
		return NULL;
	for (unsigned d = 0; d < ndefs; d++)   /* the unused ones too: their shapes are shown */
		if (!infer_def(s, (int)d))
			return NULL;
	if (!settle_all(s) || !dims_fit(s, ast))
		return NULL;
	for (const Decl *d = decls; d; d = d->next)
		variable(s, pool_intern(p, d->name, strlen(d->name)));
	finish_variables(s);
	return s;
}

/* The size of an unwritten I or ones, or a written dimension made canonical
 * (I_{n m} is I_{m n}, I_{2 3} is I_6). */
static const Expr *sizer(void *ctx, const Ast *a)
{
	Shapes *s = ctx;
	if (a->kind != E_DIM)
		return dim_of(s, a->srows);
	const Expr *d = dim_num(s->pool, 1);
	for (unsigned i = 0; i < a->leaf->nargs; i++) {
		const Expr *f = a->leaf->args[i];
		d = dim_mul(s->pool, d, f->kind == E_NUM ? dim_num(s->pool, mpz_get_ui(mpq_numref(f->u.num)))
						 : dim_sym(s->pool, f->u.name));
	}
	return d;
}

const Expr *shape_elaborate(Shapes *s, const Ast *ast)
{
	return ast_lower(s->pool, ast, sizer, s);
}

int shape_var_count(const Shapes *s)
{
	return s->nvars;
}

const Expr *shape_var(Shapes *s, int i)
{
	return expr_var(s->pool, s->vars[i].name);
}

Shape shape_var_shape(const Shapes *s, int i)
{
	return s->vars[i].shape;
}

int shape_find_var(const Shapes *s, const char *name)
{
	for (int i = 0; i < s->nvars; i++)
		if (strcmp(s->vars[i].name, name) == 0)
			return i;
	return -1;
}

int shape_symmetric(const Shapes *s, const Expr *var)
{
	const VarInfo *vi = lookup(s, var->u.name);
	return vi && vi->symmetric;
}

static void describe_one(Buf *out, const char *name, Shape sh)
{
	buf_printf(out, "%s: ", name);
	dim_print(out, sh.rows);
	buf_puts(out, " x ");
	dim_print(out, sh.cols);
}

void shape_describe(Shapes *s, Buf *out, Shape result)
{
	shape_describe_with(s, out, NULL, NULL, 0, result);
}

void shape_describe_with(Shapes *s, Buf *out, const char *const *names, const Shape *shapes, int n,
			 Shape result)
{
	for (int i = 0; i < s->nvars; i++) {
		describe_one(out, s->vars[i].name, s->vars[i].shape);
		buf_puts(out, ", ");
	}
	for (int i = 0; i < n; i++) {
		describe_one(out, names[i], shapes[i]);
		buf_puts(out, ", ");
	}
	describe_one(out, "result", result);
}

/* --- shapes of elaborated expressions --- */

static Shape compute(Shapes *s, const Expr *e);

void shape_add_hidden(Shapes *s, const Expr *var, Shape shape)
{
	GROW(s->hidden, s->nhidden, s->caphidden);
	s->hidden[s->nhidden++] = (VarInfo){ .name = var->u.name, .shape = shape };
}

static Shape var_shape(Shapes *s, const Expr *e)
{
	const VarInfo *vi = lookup(s, e->u.name);
	if (vi)
		return vi->shape;
	for (int i = 0; i < s->nhidden; i++)
		if (s->hidden[i].name == e->u.name)
			return s->hidden[i].shape;
	return (Shape){ dim_num(s->pool, 1), dim_num(s->pool, 1) };
}

static Shape product_shape(Shapes *s, const Expr *e)
{
	Shape acc = shape_of(s, e->args[0]);
	for (unsigned i = 1; i < e->nargs; i++) {
		Shape k = shape_of(s, e->args[i]);
		if (shape_is_scalar(acc))
			acc = k;
		else if (!shape_is_scalar(k))
			acc.cols = k.cols;
	}
	return acc;
}

static Shape func_shape(Shapes *s, const Expr *e)
{
	Shape k = shape_of(s, e->args[0]);
	const Expr *one_d = dim_num(s->pool, 1);
	switch (func_def(e->fn)->shape) {
	case FS_SQUARE: case FS_SCALAR:
		return (Shape){ one_d, one_d };
	case FS_VEC:
		return (Shape){ dim_mul(s->pool, k.rows, k.cols), one_d };
	case FS_DIAG:
		return dim_is_one(k.cols) ? (Shape){ k.rows, k.rows } : (Shape){ k.rows, one_d };
	case FS_SAME: case FS_COLUMN:
		return k;
	}
	return k;
}

static Shape compute(Shapes *s, const Expr *e)
{
	const Expr *one_d = dim_num(s->pool, 1);
	switch (e->kind) {
	case E_NUM: case E_DSYM: case E_DIM:
		return (Shape){ one_d, one_d };
	case E_VAR:
		return var_shape(s, e);
	case E_IDENT:
		return e->nargs ? (Shape){ e->args[0], e->args[0] } : (Shape){ one_d, one_d };
	case E_ONES:
		return (Shape){ e->nargs ? e->args[0] : one_d, one_d };
	case E_COMM: {
		const Expr *d = dim_mul(s->pool, e->args[0], e->args[1]);
		return (Shape){ d, d };
	}
	case E_ADD: case E_NEG: case E_HAD: case E_HDIV: case E_DIV:
	case E_INV: case E_POW: case E_EPOW:
		return shape_of(s, e->args[0]);
	case E_MUL:
		return product_shape(s, e);
	case E_KRON: {
		Shape acc = shape_of(s, e->args[0]);
		for (unsigned i = 1; i < e->nargs; i++) {
			Shape k = shape_of(s, e->args[i]);
			acc = (Shape){ dim_mul(s->pool, acc.rows, k.rows), dim_mul(s->pool, acc.cols, k.cols) };
		}
		return acc;
	}
	case E_TRANS: {
		Shape k = shape_of(s, e->args[0]);
		return (Shape){ k.cols, k.rows };
	}
	case E_FUNC:
		return func_shape(s, e);
	}
	return (Shape){ one_d, one_d };
}

Shape shape_of(Shapes *s, const Expr *e)
{
	const void *v;
	if (map_get(&s->memo, e, &v))
		return *(const Shape *)v;
	Shape *sh = arena_alloc(pool_arena(s->pool), sizeof *sh);
	*sh = compute(s, e);
	map_put(&s->memo, e, sh);   /* not a cell taken before: compute may grow the map */
	return *sh;
}
