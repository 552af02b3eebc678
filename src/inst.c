/* inst.c: the random instances the evaluators run on (inst_random: a size
 * for every dimension symbol, small rational values for every variable, the
 * cost budget of a check), the matrices they hold (qmat_, dmat_), and what
 * both evaluators share (eval_impl.h): the size limit, product shapes and
 * the node memo with use counts. */
#include "eval_impl.h"
#include "mem.h"
#include "rng.h"

static long rng_below(uint64_t *s, long n)
{
	return (long)(rng_next(s) % (uint64_t)n);
}

/* --- matrices --- */

void qmat_init(QMat *m, unsigned rows, unsigned cols)
{
	size_t n = (size_t)rows * cols;
	m->rows = rows;
	m->cols = cols;
	m->a = mem_alloc((n ? n : 1) * sizeof *m->a);
	for (size_t i = 0; i < n; i++)
		mpq_init(m->a[i]);
}

void qmat_free(QMat *m)
{
	if (!m || !m->a) {
		if (m)
			*m = (QMat){ 0 };
		return;
	}
	for (size_t i = 0; i < (size_t)m->rows * m->cols; i++)
		mpq_clear(m->a[i]);
	mem_free(m->a);
	*m = (QMat){ 0 };
}

void dmat_init(DMat *m, unsigned rows, unsigned cols)
{
	size_t n = (size_t)rows * cols;
	m->rows = rows;
	m->cols = cols;
	m->a = mem_alloc((n ? n : 1) * sizeof *m->a);
}

void dmat_free(DMat *m)
{
	if (!m)
		return;
	mem_free(m->a);
	*m = (DMat){ 0 };
}

/* --- the instance --- */

struct Instance {
	int ndims;
	const char **dname;    /* interned dimension symbol names */
	unsigned *dsize;
	int nvars;
	const Expr **var;      /* E_VAR nodes */
	QMat *q;
	DMat *d;
	unsigned long *work;   /* entries computed, shared by a whole check */
	unsigned long work_limit;
};

void inst_set_budget(Instance *in, unsigned long *work, unsigned long limit)
{
	in->work = work;
	in->work_limit = limit;
}

int inst_over_budget(Instance *in, size_t entries)
{
	if (!in->work)
		return 0;
	*in->work += entries + 1;
	return *in->work > in->work_limit;
}

static unsigned dsym_size(const Instance *in, const char *name)
{
	for (int i = 0; i < in->ndims; i++)
		if (in->dname[i] == name)
			return in->dsize[i];
	return 0;
}

/* 0 when a symbol has no size or the product is absurdly large. */
unsigned inst_dim(const Instance *in, const Expr *dim)
{
	uint64_t n = 1;
	for (unsigned i = 0; i < dim->nargs; i++) {
		const Expr *f = dim->args[i];
		uint64_t k = 0;
		if (f->kind == E_NUM && mpz_fits_ulong_p(mpq_numref(f->u.num)))
			k = mpz_get_ui(mpq_numref(f->u.num));
		else if (f->kind == E_DSYM)
			k = dsym_size(in, f->u.name);
		if (k == 0 || k > MAX_ENTRIES)
			return 0;
		n *= k;
		if (n > MAX_ENTRIES)
			return 0;
	}
	return (unsigned)n;
}

/* Sizes are 2 to 4 mostly, and 1 one time in eight (a degenerate case the
 * engine must handle too). */
static void add_dsym(Instance *in, const Expr *sym, uint64_t *rng)
{
	if (dsym_size(in, sym->u.name))
		return;
	in->dname = mem_realloc(in->dname, (size_t)(in->ndims + 1) * sizeof *in->dname);
	in->dsize = mem_realloc(in->dsize, (size_t)(in->ndims + 1) * sizeof *in->dsize);
	long r = rng_below(rng, 24);
	in->dname[in->ndims] = sym->u.name;
	in->dsize[in->ndims++] = r < 3 ? 1 : 2 + (unsigned)(r % 3);
}

static void add_dim(Instance *in, const Expr *dim, uint64_t *rng)
{
	for (unsigned i = 0; i < dim->nargs; i++)
		if (dim->args[i]->kind == E_DSYM)
			add_dsym(in, dim->args[i], rng);
}

static void find_dsyms(Instance *in, Map *seen, const Expr *e, uint64_t *rng)
{
	int fresh;
	map_slot(seen, e, &fresh);
	if (!fresh)
		return;
	if (e->kind == E_DSYM)
		add_dsym(in, e, rng);
	for (unsigned i = 0; i < e->nargs; i++)
		find_dsyms(in, seen, e->args[i], rng);
}

/* An entry k/d: k in [-4, 4] and d in {1, 2, 3}; in positive mode k in [1, 4]
 * and d in {1, ..., 4}, so that logs and square roots have instances. */
static void random_entry(mpq_t q, uint64_t *rng, int positive)
{
	long k = positive ? 1 + rng_below(rng, 4) : rng_below(rng, 9) - 4;
	unsigned long d = positive ? 1 + (unsigned long)rng_below(rng, 4)
		: 1 + (unsigned long)rng_below(rng, 3);
	mpq_set_si(q, k, d);
	mpq_canonicalize(q);
}

/* Make a square matrix strictly diagonally dominant with a positive diagonal:
 * its eigenvalues then lie in the right half plane, so it is invertible with a
 * positive determinant, and positive definite when symmetric. */
static void dominate(QMat *m)
{
	mpq_t t;
	mpq_init(t);
	for (unsigned i = 0; i < m->rows; i++) {
		mpq_t *dii = &m->a[i + (size_t)i * m->rows];
		mpq_abs(*dii, *dii);
		for (unsigned j = 0; j < m->cols; j++)
			if (j != i) {
				mpq_abs(t, m->a[i + (size_t)j * m->rows]);
				mpq_add(*dii, *dii, t);
			}
		mpq_set_ui(t, 1, 1);
		mpq_add(*dii, *dii, t);
	}
	mpq_clear(t);
}

static void random_value(QMat *m, Shape sh, int symmetric, uint64_t *rng, int positive)
{
	for (unsigned j = 0; j < m->cols; j++)
		for (unsigned i = 0; i < m->rows; i++) {
			if (symmetric && i < j)   /* (j, i) is in column i < j, filled */
				mpq_set(m->a[i + (size_t)j * m->rows], m->a[j + (size_t)i * m->rows]);
			else
				random_entry(m->a[i + (size_t)j * m->rows], rng, positive);
		}
	if (sh.rows == sh.cols && !dim_is_one(sh.rows))
		dominate(m);
}

static void to_double(DMat *d, const QMat *q)
{
	dmat_init(d, q->rows, q->cols);
	for (size_t i = 0; i < (size_t)q->rows * q->cols; i++)
		d->a[i] = mpq_get_d(q->a[i]);
}

static void random_values(Instance *in, Shapes *s, uint64_t *rng, int positive)
{
	in->nvars = shape_var_count(s);
	in->var = mem_alloc((size_t)(in->nvars + 1) * sizeof *in->var);
	in->q = mem_alloc((size_t)(in->nvars + 1) * sizeof *in->q);
	in->d = mem_alloc((size_t)(in->nvars + 1) * sizeof *in->d);
	for (int i = 0; i < in->nvars; i++) {
		Shape sh = shape_var_shape(s, i);
		unsigned r = inst_dim(in, sh.rows), c = inst_dim(in, sh.cols);
		in->var[i] = shape_var(s, i);
		if (eval_too_big(r, c))
			continue;   /* left without a value: evaluating it is a domain error */
		qmat_init(&in->q[i], r, c);
		random_value(&in->q[i], sh, shape_symmetric(s, in->var[i]), rng, positive);
		to_double(&in->d[i], &in->q[i]);
	}
}

Instance *inst_random(Pool *p, Shapes *s, const Expr *const *exprs, int n, uint64_t seed)
{
	(void)p;
	Instance *in = mem_alloc(sizeof *in);
	uint64_t rng = seed;
	/* One instance in four has positive entries only: without it, a function
	 * like sum(log(x)) would rarely find an instance in its domain. */
	int positive = rng_below(&rng, 4) == 0;
	for (int i = 0; i < shape_var_count(s); i++) {
		add_dim(in, shape_var_shape(s, i).rows, &rng);
		add_dim(in, shape_var_shape(s, i).cols, &rng);
	}
	Map seen;
	map_init(&seen, NULL);
	for (int i = 0; i < n; i++)
		if (exprs[i])
			find_dsyms(in, &seen, exprs[i], &rng);
	map_free(&seen);
	random_values(in, s, &rng, positive);
	return in;
}

void inst_free(Instance *in)
{
	if (!in)
		return;
	for (int i = 0; i < in->nvars; i++) {
		qmat_free(&in->q[i]);
		dmat_free(&in->d[i]);
	}
	mem_free(in->q);
	mem_free(in->d);
	mem_free(in->var);
	mem_free(in->dname);
	mem_free(in->dsize);
	mem_free(in);
}

static int var_index(const Instance *in, const Expr *v)
{
	for (int i = 0; i < in->nvars; i++)
		if (in->var[i] == v)
			return in->q[i].a ? i : -1;
	return -1;
}

const QMat *inst_qvalue(const Instance *in, const Expr *v)
{
	int i = var_index(in, v);
	return i < 0 ? NULL : &in->q[i];
}

const DMat *inst_dvalue(const Instance *in, const Expr *v)
{
	int i = var_index(in, v);
	return i < 0 ? NULL : &in->d[i];
}

unsigned inst_dimval(const Instance *in, const Expr *e)
{
	return e->kind == E_DIM ? inst_dim(in, e) : dsym_size(in, e->u.name);
}

unsigned inst_arg_dim(const Instance *in, const Expr *e, unsigned k)
{
	return e->nargs > k ? inst_dim(in, e->args[k]) : 1;
}

/* --- sizes --- */

int eval_too_big(unsigned rows, unsigned cols)
{
	return rows == 0 || cols == 0 || (uint64_t)rows * cols > MAX_ENTRIES;
}

int eval_prod_shape(unsigned ar, unsigned ac, unsigned br, unsigned bc,
		    unsigned *r, unsigned *c)
{
	if (ar == 1 && ac == 1) {
		*r = br;
		*c = bc;
	} else if (br == 1 && bc == 1) {
		*r = ar;
		*c = ac;
	} else if (ac == br) {
		*r = ar;
		*c = bc;
	} else {
		return 0;
	}
	return !eval_too_big(*r, *c);
}

void eval_comm_ones(unsigned m, unsigned n, void (*put)(void *, size_t, size_t), void *ctx)
{
	for (unsigned i = 0; i < m; i++)
		for (unsigned j = 0; j < n; j++)
			put(ctx, j + (size_t)i * n, i + (size_t)j * m);
}

/* --- the node memo --- */

void eval_memo_init(EvalMemo *m)
{
	*m = (EvalMemo){ 0 };
	map_init(&m->index, NULL);
}

/* The index of e's slot, added empty if e has none (*fresh then 1). */
static size_t slot_index(EvalMemo *m, const Expr *e, int *fresh)
{
	const void **at = map_slot(&m->index, e, fresh);
	if (*fresh) {
		if (m->n == m->cap) {
			m->cap = m->cap ? 2 * m->cap : 64;
			m->slot = mem_realloc(m->slot, m->cap * sizeof *m->slot);
		}
		m->slot[m->n] = (EvalSlot){ 0 };
		*at = (const void *)(uintptr_t)m->n++;
	}
	return (uintptr_t)*at;
}

/* A walk that looks each edge up once: the index it returns is counted by
 * the parent without a second lookup. */
static size_t count_from(EvalMemo *m, const Expr *e)
{
	int fresh;
	size_t i = slot_index(m, e, &fresh);
	for (unsigned k = 0; fresh && k < e->nargs; k++) {
		size_t c = count_from(m, e->args[k]);   /* first: it may move m->slot */
		m->slot[c].uses++;
	}
	return i;
}

void eval_count_uses(EvalMemo *m, const Expr *e)
{
	count_from(m, e);
}

/* A read-only probe first: while evaluating, every node is already there. */
EvalSlot *eval_memo_slot(EvalMemo *m, const Expr *e)
{
	const void *at;
	int fresh;
	size_t i = map_get(&m->index, e, &at) ? (uintptr_t)at : slot_index(m, e, &fresh);
	return &m->slot[i];
}

void eval_memo_free(EvalMemo *m, void (*free_val)(void *))
{
	for (size_t i = 0; i < m->n; i++)
		if (m->slot[i].val)
			free_val(m->slot[i].val);
	mem_free(m->slot);
	map_free(&m->index);
	*m = (EvalMemo){ 0 };
}

int inst_set_value(Instance *in, const Expr *v, const QMat *q, const DMat *d)
{
	int i = var_index(in, v);
	if (i < 0 || in->q[i].rows != (q ? q->rows : d->rows) || in->q[i].cols != (q ? q->cols : d->cols))
		return 0;
	size_t n = (size_t)in->q[i].rows * in->q[i].cols;
	for (size_t k = 0; k < n; k++) {
		if (q)
			mpq_set(in->q[i].a[k], q->a[k]);
		else
			mpq_set_d(in->q[i].a[k], d->a[k]);
		in->d[i].a[k] = q ? mpq_get_d(q->a[k]) : d->a[k];
	}
	return 1;
}
