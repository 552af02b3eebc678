/* expr.c: the node pool: hash-consing of nodes and interning of names.
 * Both tables use open addressing with linear probing and double when half full. */
#include "expr.h"
#include "mem.h"

#include <string.h>

struct Pool {
	Arena *arena;
	const Expr **nodes;      /* hash table of nodes */
	size_t ncap, ncount;
	const char **strs;       /* hash table of interned strings */
	size_t scap, scount;
	Expr **nums;             /* every E_NUM, to mpq_clear at the end */
	size_t numcount, numcap;
	size_t max_nodes;        /* the work budget, and where to go past it */
	size_t steps;            /* safe points passed: the work done */
	jmp_buf *bail;
};

static uint32_t mix(uint32_t h, uint32_t v)
{
	h ^= v + 0x9e3779b9u + (h << 6) + (h >> 2);
	return h;
}

static uint32_t hash_bytes(const void *s, size_t n)
{
	const unsigned char *c = s;
	uint32_t h = 2166136261u; /* FNV-1a */
	for (size_t i = 0; i < n; i++)
		h = (h ^ c[i]) * 16777619u;
	return h;
}

static uint32_t hash_mpz(mpz_srcptr z)
{
	size_t n = mpz_size(z);
	const mp_limb_t *l = mpz_limbs_read(z);
	return mix(hash_bytes(l, n * sizeof *l), (uint32_t)mpz_sgn(z));
}

Pool *pool_new(void)
{
	Pool *p = mem_alloc(sizeof *p);
	p->arena = arena_new();
	p->ncap = 256;
	p->nodes = mem_alloc(p->ncap * sizeof *p->nodes);
	p->scap = 64;
	p->strs = mem_alloc(p->scap * sizeof *p->strs);
	return p;
}

void pool_set_budget(Pool *p, size_t max_nodes, jmp_buf *bail)
{
	p->max_nodes = max_nodes;
	p->bail = bail;
}

void pool_check_budget(Pool *p)
{
	if (p->bail && (p->ncount > p->max_nodes || ++p->steps / POOL_STEPS_PER_NODE > p->max_nodes ||
			arena_bytes(p->arena) / POOL_MAX_BYTES_PER_NODE > p->max_nodes))
		longjmp(*p->bail, 1);
}

void pool_free(Pool *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->numcount; i++)
		mpq_clear(p->nums[i]->u.num);
	mem_free(p->nums);
	mem_free(p->nodes);
	mem_free(p->strs);
	arena_free(p->arena);
	mem_free(p);
}

Arena *pool_arena(Pool *p)
{
	return p->arena;
}

size_t pool_size(const Pool *p)
{
	return p->ncount;
}

/* --- interned strings --- */

static void grow_strs(Pool *p)
{
	size_t cap = p->scap * 2;
	const char **t = mem_alloc(cap * sizeof *t);
	for (size_t i = 0; i < p->scap; i++) {
		const char *s = p->strs[i];
		if (!s)
			continue;
		size_t j = hash_bytes(s, strlen(s)) & (cap - 1);
		while (t[j])
			j = (j + 1) & (cap - 1);
		t[j] = s;
	}
	mem_free(p->strs);
	p->strs = t;
	p->scap = cap;
}

const char *pool_intern(Pool *p, const char *s, size_t n)
{
	if (2 * (p->scount + 1) > p->scap)
		grow_strs(p);
	size_t j = hash_bytes(s, n) & (p->scap - 1);
	for (; p->strs[j]; j = (j + 1) & (p->scap - 1))
		if (strncmp(p->strs[j], s, n) == 0 && p->strs[j][n] == '\0')
			return p->strs[j];
	p->scount++;
	return p->strs[j] = arena_strndup(p->arena, s, n);
}

/* --- nodes --- */

static uint32_t node_hash(ExprKind k, FuncId fn, const Expr *const *args,
			  unsigned nargs, const char *name, mpq_srcptr num)
{
	uint32_t h = mix((uint32_t)k * 31u + 7u, (uint32_t)fn);
	h = mix(h, nargs);
	for (unsigned i = 0; i < nargs; i++)
		h = mix(h, args[i]->hash);
	if (name)
		h = mix(h, hash_bytes(name, strlen(name)));
	if (num)
		h = mix(mix(h, hash_mpz(mpq_numref(num))), hash_mpz(mpq_denref(num)));
	return h;
}

static int node_equal(const Expr *e, ExprKind k, FuncId fn, const Expr *const *args,
		      unsigned nargs, const char *name, mpq_srcptr num)
{
	if (e->kind != k || e->fn != fn || e->nargs != nargs)
		return 0;
	for (unsigned i = 0; i < nargs; i++)
		if (e->args[i] != args[i])
			return 0;
	if (name && e->u.name != name)
		return 0;
	if (num && !mpq_equal(e->u.num, num))
		return 0;
	return 1;
}

static void grow_nodes(Pool *p)
{
	size_t cap = p->ncap * 2;
	const Expr **t = mem_alloc(cap * sizeof *t);
	for (size_t i = 0; i < p->ncap; i++) {
		const Expr *e = p->nodes[i];
		if (!e)
			continue;
		size_t j = e->hash & (cap - 1);
		while (t[j])
			j = (j + 1) & (cap - 1);
		t[j] = e;
	}
	mem_free(p->nodes);
	p->nodes = t;
	p->ncap = cap;
}

static void remember_num(Pool *p, Expr *e)
{
	if (p->numcount == p->numcap) {
		p->numcap = p->numcap ? 2 * p->numcap : 16;
		p->nums = mem_realloc(p->nums, p->numcap * sizeof *p->nums);
	}
	p->nums[p->numcount++] = e;
}

/* The one place a node is looked up or created.  name must be interned. */
static const Expr *intern(Pool *p, ExprKind k, FuncId fn, const Expr *const *args,
			  unsigned nargs, const char *name, mpq_srcptr num)
{
	if (2 * (p->ncount + 1) > p->ncap)
		grow_nodes(p);
	uint32_t h = node_hash(k, fn, args, nargs, name, num);
	size_t j = h & (p->ncap - 1);
	for (; p->nodes[j]; j = (j + 1) & (p->ncap - 1))
		if (p->nodes[j]->hash == h && node_equal(p->nodes[j], k, fn, args, nargs, name, num))
			return p->nodes[j];
	Expr *e = arena_alloc(p->arena, sizeof *e + nargs * sizeof e->args[0]);
	e->kind = k;
	e->fn = fn;
	e->hash = h;
	e->id = (uint32_t)p->ncount;
	e->nargs = nargs;
	for (unsigned i = 0; i < nargs; i++)
		e->args[i] = args[i];
	if (name)
		e->u.name = name;
	if (num) {
		mpq_init(e->u.num);
		mpq_set(e->u.num, num);
		remember_num(p, e);
	}
	p->ncount++;
	return p->nodes[j] = e;
}

const Expr *expr_num(Pool *p, const mpq_t q)
{
	return intern(p, E_NUM, 0, NULL, 0, NULL, q);
}

const Expr *expr_int(Pool *p, long n)
{
	mpq_t q;
	mpq_init(q);
	mpq_set_si(q, n, 1);
	const Expr *e = expr_num(p, q);
	mpq_clear(q);
	return e;
}

const Expr *expr_var(Pool *p, const char *name)
{
	return intern(p, E_VAR, 0, NULL, 0, pool_intern(p, name, strlen(name)), NULL);
}

const Expr *expr_dsym(Pool *p, const char *name)
{
	return intern(p, E_DSYM, 0, NULL, 0, pool_intern(p, name, strlen(name)), NULL);
}

const Expr *expr_make(Pool *p, ExprKind k, const Expr *const *args, unsigned nargs)
{
	return intern(p, k, 0, args, nargs, NULL, NULL);
}

const Expr *expr_func(Pool *p, FuncId fn, const Expr *arg)
{
	return intern(p, E_FUNC, fn, &arg, 1, NULL, NULL);
}

const Expr *expr_unary(Pool *p, ExprKind k, const Expr *a)
{
	if (k == E_NEG && a->kind == E_NUM) {
		mpq_t q;
		mpq_init(q);
		mpq_neg(q, a->u.num);
		const Expr *e = expr_num(p, q);
		mpq_clear(q);
		return e;
	}
	return expr_make(p, k, &a, 1);
}

const Expr *expr_binary(Pool *p, ExprKind k, const Expr *a, const Expr *b)
{
	if (k == E_DIV && a->kind == E_NUM && b->kind == E_NUM && mpq_sgn(b->u.num) != 0) {
		mpq_t q;
		mpq_init(q);
		mpq_div(q, a->u.num, b->u.num);
		const Expr *e = expr_num(p, q);
		mpq_clear(q);
		return e;
	}
	if (k == E_POW && expr_is_num(b, -1))
		return expr_make(p, E_INV, &a, 1);
	const Expr *args[2] = { a, b };
	return expr_make(p, k, args, 2);
}

static const struct {
	const char *name;
	unsigned char scalar;   /* a scalar by its name (SPEC 2) */
} greek[] = {
	{ "alpha", 1 }, { "beta", 1 }, { "gamma", 1 }, { "delta", 1 }, { "epsilon", 1 },
	{ "zeta", 0 }, { "eta", 1 }, { "theta", 1 }, { "iota", 0 }, { "kappa", 1 },
	{ "lambda", 1 }, { "mu", 1 }, { "nu", 1 }, { "xi", 0 }, { "pi", 0 }, { "rho", 1 },
	{ "sigma", 1 }, { "tau", 1 }, { "upsilon", 0 }, { "phi", 1 }, { "chi", 0 },
	{ "psi", 1 }, { "omega", 1 },
	{ "Gamma", 0 }, { "Delta", 0 }, { "Theta", 0 }, { "Lambda", 0 }, { "Xi", 0 },
	{ "Pi", 0 }, { "Sigma", 0 }, { "Upsilon", 0 }, { "Phi", 0 }, { "Psi", 0 }, { "Omega", 0 },
};

int expr_greek(const char *s, size_t n)
{
	for (size_t i = 0; i < sizeof greek / sizeof greek[0]; i++)
		if (strlen(greek[i].name) == n && strncmp(greek[i].name, s, n) == 0)
			return 1 + greek[i].scalar;
	return 0;
}

int expr_is_num(const Expr *e, long v)
{
	return e->kind == E_NUM && mpz_cmp_ui(mpq_denref(e->u.num), 1) == 0 &&
	       mpz_cmp_si(mpq_numref(e->u.num), v) == 0;
}

int expr_cmp(const Expr *a, const Expr *b)
{
	if (a == b)
		return 0;
	if (a->kind != b->kind)
		return a->kind < b->kind ? -1 : 1;
	if (a->kind == E_NUM)
		return mpq_cmp(a->u.num, b->u.num);
	if (a->kind == E_VAR || a->kind == E_DSYM)
		return strcmp(a->u.name, b->u.name);
	if (a->fn != b->fn)
		return a->fn < b->fn ? -1 : 1;
	if (a->nargs != b->nargs)
		return a->nargs < b->nargs ? -1 : 1;
	for (unsigned i = 0; i < a->nargs; i++) {
		int c = expr_cmp(a->args[i], b->args[i]);
		if (c)
			return c;
	}
	return 0;
}

const Expr *expr_rebuild(Pool *p, const Expr *e, const Expr *const *args)
{
	switch (e->kind) {
	case E_NEG: case E_TRANS: case E_INV:
		return expr_unary(p, e->kind, args[0]);
	case E_DIV: case E_HDIV: case E_POW: case E_EPOW:
		return expr_binary(p, e->kind, args[0], args[1]);
	case E_FUNC:
		return expr_func(p, e->fn, args[0]);
	default:
		return expr_make(p, e->kind, args, e->nargs);
	}
}
