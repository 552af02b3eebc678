/* test_identities.c: mcd against the reference tables of identities.h and
 * identities2.h: every
 * answer, mcd's and the textbook's, in both layouts, must equal the true
 * derivative numerically, and mcd's must be about as short as the textbook's. */
#include <check.h>
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "canon.h"
#include "check.h"
#include "diff.h"
#include "eval.h"
#include "identities.h"
#include "identities2.h"
#include "identities3.h"
#include "identities4.h"
#include "identities5.h"
#include "identities6.h"
#include "identities7.h"
#include "identities8.h"
#include "parse.h"
#include "print.h"
#include "shape.h"
#include "helpers.h"
#include "points.h"
#include "suites.h"

enum { NROWS = sizeof identities / sizeof identities[0] };
enum { NHELDOUT = sizeof heldout / sizeof heldout[0] };
enum { NMORE = sizeof identities_more / sizeof identities_more[0] };
enum { NHELDOUT_MORE = sizeof heldout_more / sizeof heldout_more[0] };
enum { NFRESH = sizeof heldout_fresh / sizeof heldout_fresh[0] };
enum { NEXTRA = sizeof identities_extra / sizeof identities_extra[0] };
enum { NNEWEST = sizeof identities_newest / sizeof identities_newest[0] };
enum { NSIXTH = sizeof identities_sixth / sizeof identities_sixth[0] };
enum { NSEVENTH = sizeof identities_seventh / sizeof identities_seventh[0] };
enum { NEIGHTH = sizeof identities_eighth / sizeof identities_eighth[0] };
enum { INSTANCES = 8 };

/* The goal of SPEC section 4 (issue 9): at least 95% of mcd's answers no
 * longer (in tokens) than the textbook's, and none more than 1.5 times as
 * long.  Held to on the tuned rows; the held-out rows are measured. */
static const double SHORT_SHARE = 0.95, MAX_RATIO = 1.5;
/* Rows of the six non-held-out tables whose two layouts print one answer (SPEC 4, "one
 * answer in every layout"): measured 393 of 409 on 2026-12-07 (with identities4.h),
 * 398 of 409 after layout ties were broken alike, 487 of 498 with identities5.h,
 * 486 once (X^-1)^2 became X^-2: the skeletons tell kron(A, B)^T from
 * kron(A^T, B^T), one answer in two prints of X^-2 by X; 560 of 573 with
 * identities6.h; 639 of 653 with identities7.h, 638 once element-wise
 * quotients were written over one divisor; 712 of 728 with identities8.h
 * (2026-12-08). */
enum { LAYOUTS_AGREE_MIN = 712 };

static const Layout layouts[2] = { LAYOUT_NUMERATOR, LAYOUT_DENOMINATOR };

/* One row parsed as kron((f), (num), (den)): the three share one Shapes (a
 * Kronecker product puts no constraint between its factors), as in test_eval.c. */
typedef struct {
	Pool *p;
	Shapes *s;
	Decl *decls;
	const Expr *f, *x, *book[2];
} Row;

static void row_parse(Row *r, const Identity *id)
{
	Buf src;
	buf_init(&src);
	buf_printf(&src, "kron((%s), (%s), (%s))", id->f, id->num, id->den);
	*r = (Row){ .p = pool_new(), .decls = test_decls(id->decls) };
	Diag dg;
	diag_init(&dg, buf_str(&src), src.len, 1);
	Ast *a = parse_expr(r->p, buf_str(&src), src.len, &dg);
	ck_assert_msg(a != NULL, "%s: %s", buf_str(&src), buf_str(&dg.first));
	r->s = shape_infer(r->p, a, r->decls, &dg);
	ck_assert_msg(r->s != NULL, "%s: %s", buf_str(&src), buf_str(&dg.first));
	r->f = shape_elaborate(r->s, a->kids[0]);
	r->book[0] = shape_elaborate(r->s, a->kids[1]);
	r->book[1] = shape_elaborate(r->s, a->kids[2]);
	int i = shape_find_var(r->s, id->wrt);
	ck_assert_msg(i >= 0, "%s: no variable %s", id->f, id->wrt);
	r->x = shape_var(r->s, i);
	diag_free(&dg);
	buf_free(&src);
}

static void row_free(Row *r)
{
	pool_free(r->p);
	decl_free_all(r->decls);
}

/* mcd's answer as run.c computes it: simplify f, differentiate, simplify.
 * Returns NULL for a zero derivative; on failure sets *error. */
static const Expr *mcd_answer(Row *r, Layout layout, const char **error)
{
	const Expr *f = canon_unconstrained(r->p, r->s, r->f);
	*error = f ? NULL : "f simplifies to zero";
	if (!f)
		return NULL;
	Deriv d = diff_wrt(r->p, r->s, f, r->x, layout);
	*error = d.error;
	return d.d && !d.error ? canon_answer(r->p, r->s, d.d) : NULL;
}

/* The command line that reproduces a row. */
static void repro(Buf *out, const Identity *id, int l)
{
	char copy[256];
	buf_puts(out, "mcd");
	snprintf(copy, sizeof copy, "%s", id->decls);
	for (char *tok = strtok(copy, ";"); tok; tok = strtok(NULL, ";"))
		buf_printf(out, " -d '%s'", tok);
	buf_printf(out, " --layout=%s --check -wrt %s -- '%s'", layout_name(l), id->wrt, id->f);
}

/* --- tokens: print_count_tokens (print.h) --- */

static int count_tokens(const char *s)
{
	return (int)print_count_tokens(s);
}

START_TEST(tokens_are_counted_sensibly)
{
	static const struct {
		const char *text;
		int n;
	} cases[] = {
		{ "b a^T", 3 },
		{ "x^T (A + A^T)", 8 },
		{ "-kron(X^-T, X^-1)", 9 },
		{ "(x - a)^T / ||x - a||", 12 },
		{ "kron(I_n, X^T) + kron(X^T, I_n) K_{m,n}", 16 },
		{ "alpha I_{m n}", 2 },
		{ "2 (w^T x - y) x^T", 10 },
		{ "diag(x ./ y .^ 2)", 8 },
		{ "X / ||X||_F", 5 },
		{ "A^-12 x'", 6 },
		{ "1/3 x + 1.5e-3", 6 },
		{ "", 0 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		ck_assert_msg(count_tokens(cases[i].text) == cases[i].n, "%s: %d tokens, want %d",
			      cases[i].text, count_tokens(cases[i].text), cases[i].n);
}
END_TEST

/* --- the table --- */

/* A table and its length, with its name for messages. */
typedef struct {
	const Identity *rows;
	int n;
	const char *name;
} Table;

static const Table tuned[] = {
	{ identities, NROWS, "identities" },
	{ identities_more, NMORE, "identities_more" },
	{ identities_extra, NEXTRA, "identities_extra" },
	{ identities_newest, NNEWEST, "identities_newest" },
	{ identities_sixth, NSIXTH, "identities_sixth" },
	{ identities_seventh, NSEVENTH, "identities_seventh" },
	{ identities_eighth, NEIGHTH, "identities_eighth" },
};
enum { NHELD_TO = 2 };   /* tuned[0..2) are held to the goal; identities_extra
			  * identities_newest, identities_sixth (identities4.h
			  * to identities6.h, new on 2026-12-07) and
			  * identities_seventh and identities_eighth
			  * (identities7.h and identities8.h, 2026-12-08)
			  * are measured until they meet it */
/* Held out from 2026-11-30 to 2026-12-07.  Their longer answers were
 * printed by this test, so they are no longer unseen: they are scored apart
 * and may be tuned on; held_fresh[] (identities3.h) took their place. */
static const Table held[] = {
	{ heldout, NHELDOUT, "heldout" },
	{ heldout_more, NHELDOUT_MORE, "heldout_more" },
};
/* Held out since 2026-12-07 (identities3.h): only their score is printed,
 * and only when asked (see fresh_heldout_is_measured). */
static const Table fresh[] = {
	{ heldout_fresh, NFRESH, "heldout_fresh" },
};
enum { NTUNED = sizeof tuned / sizeof tuned[0], NHELD = sizeof held / sizeof held[0] };

/* No identity (f, wrt and declarations) is in two rows of the eight tables. */
START_TEST(rows_are_distinct)
{
	const Table all[] = { tuned[0], tuned[1], tuned[2], tuned[3], tuned[4], tuned[5], tuned[6], held[0], held[1], fresh[0] };
	const int nt = sizeof all / sizeof all[0];
	for (int a = 0; a < nt; a++)
		for (int i = 0; i < all[a].n; i++)
			for (int b = 0; b <= a; b++)
				for (int j = 0; j < (b == a ? i : all[b].n); j++) {
					const Identity *x = &all[a].rows[i], *y = &all[b].rows[j];
					ck_assert_msg(strcmp(x->f, y->f) || strcmp(x->wrt, y->wrt) || strcmp(x->decls, y->decls),
						      "%s row %d and %s row %d are both %s by %s", all[b].name, j,
						      all[a].name, i, x->f, x->wrt);
				}
	ck_assert_int_ge(NROWS, 80);
	ck_assert_int_ge(NMORE, 90);
	ck_assert_int_ge(NHELDOUT_MORE, 40);
	ck_assert_int_ge(NFRESH, 60);
}
END_TEST

/* The textbook answers and mcd's equal the true derivative in both layouts. */
static void holds(const Identity *id, int _i)
{
	Row r;
	row_parse(&r, id);
	for (int l = 0; l < 2; l++) {
		Buf cmd;
		buf_init(&cmd);
		repro(&cmd, id, l);
		CheckResult c = check_derivative(r.p, r.s, r.f, r.x, r.book[l], layouts[l], INSTANCES, 1);
		ck_assert_msg(c.ok, "row %d (%s): the textbook %s answer %s of %s by %s is rejected: %s", _i,
			      id->source, layout_name(l), l ? id->den : id->num, id->f, id->wrt, c.detail);
		const char *error;
		const Expr *d = mcd_answer(&r, layouts[l], &error);
		ck_assert_msg(!error, "row %d: %s: %s", _i, buf_str(&cmd), error);
		ck_assert_msg(d != NULL, "row %d: %s: mcd says zero", _i, buf_str(&cmd));
		c = check_derivative(r.p, r.s, r.f, r.x, d, layouts[l], INSTANCES, 1);
		Buf text;
		buf_init(&text);
		print_text(&text, d);
		ck_assert_msg(c.ok, "row %d: mcd's answer %s is WRONG: %s; reproduce with %s", _i, buf_str(&text),
			      c.detail, buf_str(&cmd));
		buf_free(&text);
		buf_free(&cmd);
	}
	row_free(&r);
}

/* Every row of the six tables, _i counting through them in turn. */
START_TEST(row_holds)
{
	const Table all[] = { tuned[0], tuned[1], tuned[2], tuned[3], tuned[4], tuned[5], tuned[6], held[0], held[1], fresh[0] };
	int i = _i, t = 0;
	while (i >= all[t].n)
		i -= all[t++].n;
	holds(&all[t].rows[i], i);
}
END_TEST

typedef struct {
	int shorter, total, missing;
	double worst;
} Score;

/* mcd's answers against the textbook's in length over the rows of tables[0..
 * ntables); prints the summary line (label first) and, when show is set,
 * every answer of mcd that is longer. */
/* show: 0 prints nothing, 1 the score line, 2 also the longer answers. */
static Score score(const Table *tables, int ntables, const char *label, int show)
{
	Score sc = { 0 };
	Buf longer;
	buf_init(&longer);
	int n = 0;
	for (int t = 0; t < ntables; t++)
	for (int i = 0; i < tables[t].n; i++, n++) {
		const Identity *id = &tables[t].rows[i];
		const char *name = tables[t].name;
		Row r;
		row_parse(&r, id);
		for (int l = 0; l < 2; l++) {
			const char *error;
			const Expr *d = mcd_answer(&r, layouts[l], &error);
			const char *book = l ? id->den : id->num;
			Buf text;
			buf_init(&text);
			sc.total++;
			if (error) {   /* row_holds fails too */
				sc.missing++;
				buf_printf(&longer, "  %s row %d, %s, %s by %s (%s):\n    mcd: error: %s\n"
					   "    textbook (%2d tokens): %s\n", name, i, layout_name(l), id->f, id->wrt,
					   id->source, error, count_tokens(book), book);
				buf_free(&text);
				continue;
			}
			if (d)
				print_text(&text, d);
			else
				buf_putc(&text, '0');
			int nm = count_tokens(buf_str(&text)), nb = count_tokens(book);
			double ratio = (double)nm / nb;
			sc.shorter += nm <= nb;
			if (ratio > sc.worst)
				sc.worst = ratio;
			if (nm > nb)
				buf_printf(&longer, "  %s row %d, %s, %s by %s (%s):\n    mcd      (%2d tokens): %s\n"
					   "    textbook (%2d tokens): %s\n", name, i, layout_name(l), id->f, id->wrt,
					   id->source, nm, buf_str(&text), nb, book);
			buf_free(&text);
		}
		row_free(&r);
	}
	if (longer.len && show > 1)
		printf("%s: mcd's answers longer than the textbook's:\n%s", label, buf_str(&longer));
	if (show) {
		printf("%s: %d rows, %d/%d answers no longer than the textbook, longest ratio %.2f", label, n,
		       sc.shorter, sc.total, sc.worst);
		if (sc.missing)
			printf(" (%d answers missing: mcd cannot differentiate them)", sc.missing);
		printf("\n");
		fflush(stdout);
	}
	buf_free(&longer);
	return sc;
}

START_TEST(answers_are_short)
{
	Score sc = score(tuned, NHELD_TO, "identities", 2);
	ck_assert_msg(sc.shorter >= SHORT_SHARE * sc.total, "only %d/%d answers are no longer than the textbook's",
		      sc.shorter, sc.total);
	ck_assert_msg(sc.worst <= MAX_RATIO, "an answer is %.2f times as long as the textbook's", sc.worst);
}
END_TEST

/* The held-out rows are measured, not held to the goal: their score is the
 * honest figure (identities.h); holds() still demands every answer right. */
START_TEST(heldout_is_measured)
{
	Score sc = score(held, NHELD, "formerly held-out identities", 2);
	ck_assert_int_eq(sc.missing, 0);
}
END_TEST

/* The newer tuned rows, measured: identities4.h to identities8.h. */
START_TEST(extra_is_measured)
{
	Score sc = score(tuned + NHELD_TO, 1, "newer tuned identities", 2);
	ck_assert_int_eq(sc.missing, 0);
	sc = score(tuned + NHELD_TO + 1, 1, "newest tuned identities", 2);
	ck_assert_int_eq(sc.missing, 0);
	sc = score(tuned + NHELD_TO + 2, 1, "sixth tuned identities", getenv("MCD_SIXTH_SCORE") ? 1 : 2);
	ck_assert_int_eq(sc.missing, 0);
	sc = score(tuned + NHELD_TO + 3, 1, "seventh tuned identities", getenv("MCD_SEVENTH_SCORE") ? 1 : 2);
	ck_assert_int_eq(sc.missing, 0);
	sc = score(tuned + NHELD_TO + 4, NTUNED - NHELD_TO - 4, "eighth tuned identities",
		   getenv("MCD_EIGHTH_SCORE") ? 1 : 2);
	ck_assert_int_eq(sc.missing, 0);
}
END_TEST

/* The honest figure: rows nobody tuned on.  Even its score line is printed
 * only when MCD_HELDOUT_SCORE is set, so that whoever works on the
 * simplifier does not watch it move and keep or drop a rule by it: it is
 * read at the end of a piece of work.  MCD_SHOW_HELDOUT lists its longer
 * answers, which spends the rows. */
START_TEST(fresh_heldout_is_measured)
{
	int show = getenv("MCD_SHOW_HELDOUT") ? 2 : getenv("MCD_HELDOUT_SCORE") ? 1 : 0;
	Score sc = score(fresh, 1, "held-out identities", show);
	ck_assert_int_eq(sc.missing, 0);
}
END_TEST

/* One answer in every layout (SPEC 4): the denominator answer is the
 * numerator answer transposed, its transposes pushed to the leaves: the
 * same factorisation, not another expansion of it.  Compared as
 * skeletons, which forget only what a transpose moves or a printer
 * chooses: where numbers and other scalar factors stand in a product, the
 * order of the terms of a sum and of the factors of a Hadamard product, a
 * minus as a factor, a division by a scalar as a factor. */
typedef struct {
	Pool *p;
	Shapes *s;
	mpq_t k;              /* the numbers, multiplied */
	const Expr **sc, **mat;
	unsigned nsc, nmat;
} Parts;

static const Expr *skeleton(Pool *p, Shapes *s, const Expr *e);

static int cmp_nodes(const void *a, const void *b)
{
	return expr_cmp(*(const Expr *const *)a, *(const Expr *const *)b);
}

static int is_product(const Expr *e)
{
	return e->kind == E_MUL || e->kind == E_NEG ||
	       (e->kind == E_DIV && e->args[1]->kind == E_NUM);
}

/* A 1 x 1 product inside a product is one scalar factor, read the same
 * whichever way round it is written (a^T x is x^T a). */
static const Expr *scalar_unit(Parts *q, const Expr *e)
{
	/* the other way round, factor by factor: a transpose of a 1 x 1
	 * whole is dropped by the local cleanups, not pushed in */
	const Expr **t = arena_alloc(pool_arena(q->p), e->nargs * sizeof *t);
	for (unsigned i = 0; i < e->nargs; i++)
		t[e->nargs - 1 - i] = canon_local(q->p, q->s, expr_unary(q->p, E_TRANS, e->args[i]));
	const Expr *a = skeleton(q->p, q->s, canon_local(q->p, q->s, e));
	const Expr *b = skeleton(q->p, q->s, expr_make(q->p, E_MUL, t, e->nargs));
	return expr_cmp(a, b) <= 0 ? a : b;
}

static void product_parts(Parts *q, const Expr *e, int root)
{
	if (!root && e->kind == E_MUL && shape_is_scalar(shape_of(q->s, e))) {
		q->sc[q->nsc++] = scalar_unit(q, e);
	} else if (e->kind == E_NUM) {
		mpq_mul(q->k, q->k, e->u.num);
	} else if (e->kind == E_NEG) {
		mpq_neg(q->k, q->k);
		product_parts(q, e->args[0], root);
	} else if (e->kind == E_DIV && e->args[1]->kind == E_NUM) {
		mpq_div(q->k, q->k, e->args[1]->u.num);
		product_parts(q, e->args[0], root);
	} else if (e->kind == E_MUL) {
		for (unsigned i = 0; i < e->nargs; i++)
			product_parts(q, e->args[i], 0);
	} else if (shape_is_scalar(shape_of(q->s, e))) {
		q->sc[q->nsc++] = skeleton(q->p, q->s, e);
	} else {
		q->mat[q->nmat++] = skeleton(q->p, q->s, e);
	}
}

static unsigned count_factors(const Expr *e)
{
	unsigned n = 1;
	if (is_product(e))
		for (unsigned i = 0; i < e->nargs; i++)
			n += count_factors(e->args[i]);
	return n;
}

static const Expr *skeleton(Pool *p, Shapes *s, const Expr *e)
{
	if (e->nargs == 0 || e->kind == E_DIM || e->kind == E_IDENT || e->kind == E_ONES || e->kind == E_COMM)
		return e;
	if (e->kind == E_DIV) {   /* a / s as a (1 / s) */
		const Expr *f[2] = { e->args[0], expr_binary(p, E_DIV, expr_int(p, 1), e->args[1]) };
		if (e->args[0]->kind != E_NUM || mpq_cmp_ui(e->args[0]->u.num, 1, 1) != 0)
			return skeleton(p, s, expr_make(p, E_MUL, f, 2));
	}
	if (is_product(e)) {
		unsigned n = count_factors(e);
		Parts q = { .p = p, .s = s };
		q.sc = arena_alloc(pool_arena(p), n * sizeof *q.sc);
		q.mat = arena_alloc(pool_arena(p), n * sizeof *q.mat);
		mpq_init(q.k);
		mpq_set_ui(q.k, 1, 1);
		product_parts(&q, e, 1);
		const Expr **f = arena_alloc(pool_arena(p), (2 * n + 1) * sizeof *f);
		qsort(q.sc, q.nsc, sizeof *q.sc, cmp_nodes);
		/* 1 x 1 runs of the chain are scalar factors too, however the
		 * printer joined them (2 a^T x a^T is 2 (a^T x) a^T) */
		unsigned k = 0;
		for (unsigned i = 0; i < q.nmat; i++) {
			unsigned j = q.nmat;
			if (dim_is_one(shape_of(s, q.mat[i]).rows))
				for (j = q.nmat - 1; j > i; j--)
					if (dim_is_one(shape_of(s, q.mat[j]).cols) && !(i == 0 && j == q.nmat - 1))
						break;
			if (j < q.nmat && j > i) {
				q.sc[q.nsc++] = scalar_unit(&q, expr_make(p, E_MUL, q.mat + i, j - i + 1));
				i = j;
			} else {
				q.mat[k++] = q.mat[i];
			}
		}
		q.nmat = k;
		/* a factor's own number (2 x .* y) joins the product's */
		for (unsigned i = 0; i < q.nmat; i++)
			if (q.mat[i]->kind == E_MUL && q.mat[i]->args[0]->kind == E_NUM) {
				mpq_mul(q.k, q.k, q.mat[i]->args[0]->u.num);
				q.mat[i] = q.mat[i]->args[1];
			}
		f[0] = expr_num(p, q.k);
		memcpy(f + 1, q.sc, q.nsc * sizeof *f);
		memcpy(f + 1 + q.nsc, q.mat, q.nmat * sizeof *f);
		mpq_clear(q.k);
		return expr_make(p, E_MUL, f, 1 + q.nsc + q.nmat);
	}
	const Expr **a = arena_alloc(pool_arena(p), e->nargs * sizeof *a);
	mpq_t k;   /* the numbers of an element-wise product's factors: 2 x .* y is 2 (x .* y) */
	mpq_init(k);
	mpq_set_ui(k, 1, 1);
	for (unsigned i = 0; i < e->nargs; i++) {
		a[i] = skeleton(p, s, e->args[i]);
		if (e->kind == E_HAD && a[i]->kind == E_MUL && a[i]->args[0]->kind == E_NUM) {
			mpq_mul(k, k, a[i]->args[0]->u.num);
			a[i] = a[i]->nargs == 2 ? a[i]->args[1] : expr_make(p, E_MUL, a[i]->args + 1, a[i]->nargs - 1);
		}
	}
	if (e->kind == E_ADD || e->kind == E_HAD)
		qsort(a, e->nargs, sizeof *a, cmp_nodes);
	const Expr *r = expr_rebuild(p, e, a);
	if (mpq_cmp_ui(k, 1, 1) != 0) {
		const Expr *f[2] = { expr_num(p, k), r };
		r = expr_make(p, E_MUL, f, 2);
	}
	mpq_clear(k);
	return r;
}

/* Whether row id prints one answer in both layouts; if not, why gets
 * both answers (and, with MCD_SKELETONS=1, the skeletons compared). */
static int layouts_agree(const Identity *id, Buf *why)
{
	Row r;
	row_parse(&r, id);
	const char *e1, *e2;
	const Expr *n = mcd_answer(&r, LAYOUT_NUMERATOR, &e1), *d = mcd_answer(&r, LAYOUT_DENOMINATOR, &e2);
	/* one answer in both, when it is symmetric (both are verified right) */
	int ok = e1 || e2 || !n || !d || n == d;
	if (!ok) {
		/* either way round: one answer may print as the other transposed whole */
		Pool *p = r.p;
		Shapes *s = r.s;
		const Expr *nt = canon_local(p, s, expr_unary(p, E_TRANS, n));
		const Expr *dt = canon_local(p, s, expr_unary(p, E_TRANS, d));
		ok = skeleton(p, s, nt) == skeleton(p, s, canon_local(p, s, d)) ||
		     skeleton(p, s, dt) == skeleton(p, s, canon_local(p, s, n));
	}
	if (!ok) {
		buf_printf(why, "  %s by %s:\n    numerator:   ", id->f, id->wrt);
		print_text(why, n);
		buf_puts(why, "\n    denominator: ");
		print_text(why, d);
		buf_puts(why, "\n");
		if (getenv("MCD_SKELETONS")) {
			buf_puts(why, "    skeletons:   ");
			sexpr(why, skeleton(r.p, r.s, canon_local(r.p, r.s, expr_unary(r.p, E_TRANS, n))));
			buf_puts(why, "\n                 ");
			sexpr(why, skeleton(r.p, r.s, canon_local(r.p, r.s, d)));
			buf_puts(why, "\n");
		}
	}
	row_free(&r);
	return ok;
}

START_TEST(layouts_are_one_answer)
{
	/* not the fresh held-out rows: MCD_LAYOUTS would show their answers */
	const Table all[] = { tuned[0], tuned[1], tuned[2], tuned[3], tuned[4], tuned[5], tuned[6], held[0], held[1] };
	int agree = 0, total = 0;
	Buf why;
	buf_init(&why);
	for (int t = 0; t < (int)(sizeof all / sizeof all[0]); t++)
		for (int i = 0; i < all[t].n; i++, total++)
			agree += layouts_agree(&all[t].rows[i], &why);
	if (getenv("MCD_LAYOUTS"))
		fputs(buf_str(&why), stdout);
	printf("layouts: %d/%d rows print one answer transposed in the two layouts\n", agree, total);
	fflush(stdout);
	buf_free(&why);
	/* Not yet every row: 16 differ (the never-longer rule keeps the
	 * chain rule's A x + A^T x where the other layout factors x^T (A +
	 * A^T), and a few factor differently); the figure may only rise. */
	ck_assert_msg(agree >= LAYOUTS_AGREE_MIN, "only %d/%d rows agree across layouts (was %d)", agree, total,
		      LAYOUTS_AGREE_MIN);
}
END_TEST

/* --- special points: a residual at zero (SPEC 4, "defined wherever f is
 * differentiable") --- */

/* Whether mcd's answer d and the textbook's b agree at in: exactly when the
 * textbook's is rational there, else in doubles, d finite.  -1: the
 * textbook's answer is not defined there (f is not differentiable: ||r||
 * at r = 0), so the row says nothing. */
static int agree_at(Instance *in, const Expr *d, const Expr *b, Buf *why)
{
	QMat qb = { 0 }, qd = { 0 };
	EvalStatus sb = eval_exact(in, b, NULL, NULL, &qb, NULL);
	int ok = -1;
	if (sb == EVAL_OK) {
		EvalStatus sd = eval_exact(in, d, NULL, NULL, &qd, NULL);
		ok = sd == EVAL_OK && qd.rows == qb.rows && qd.cols == qb.cols;
		for (size_t k = 0; ok && k < (size_t)qb.rows * qb.cols; k++)
			ok = mpq_equal(qb.a[k], qd.a[k]);
		if (!ok)
			buf_puts(why, sd == EVAL_DOMAIN ? "undefined there" : sd == EVAL_OK ? "another value" :
				 "not rational where the textbook's is");
	} else if (sb == EVAL_NOT_RATIONAL) {
		DMat db = { 0 }, dd = { 0 };
		if (eval_double(in, b, NULL, NULL, 0, &db) == EVAL_OK) {
			EvalStatus sd = eval_double(in, d, NULL, NULL, 0, &dd);
			ok = sd == EVAL_OK && dd.rows == db.rows && dd.cols == db.cols;
			for (size_t k = 0; ok && k < (size_t)db.rows * db.cols; k++)
				ok = isfinite(dd.a[k]) && fabs(dd.a[k] - db.a[k]) <= 1e-9 * (1 + fabs(db.a[k]));
			if (!ok)
				buf_puts(why, sd == EVAL_OK ? "another value, or not finite" : "undefined there");
		}
		dmat_free(&db);
		dmat_free(&dd);
	}
	qmat_free(&qb);
	qmat_free(&qd);
	return ok;
}

/* in moved to the special point pt of row r; 0 if r has none. */
static int make_point(Row *r, Instance *in, Point pt)
{
	return special_point(r->p, in, r->f, r->x, pt);
}

/* Every row of the five tables at each special point it has, three random
 * instances each: mcd's answers, both layouts, are defined there and equal
 * the textbook's (exactly where rational), wherever the textbook's answer
 * is defined there. */
START_TEST(answers_hold_at_special_points)
{
	const Table all[] = { tuned[0], tuned[1], tuned[2], tuned[3], tuned[4], tuned[5], tuned[6], held[0], held[1], fresh[0] };
	int tested[NPOINTS] = { 0 }, failed = 0;
	Buf why;
	buf_init(&why);
	for (int t = 0; t < (int)(sizeof all / sizeof all[0]); t++)
		for (int i = 0; i < all[t].n; i++) {
			const Identity *id = &all[t].rows[i];
			Row r;
			row_parse(&r, id);
			for (int pt = 0; pt < NPOINTS; pt++)
				for (uint64_t seed = 1; seed <= 3; seed++) {
					const Expr *all_e[] = { r.f, r.book[0], r.book[1] };
					Instance *in = inst_random(r.p, r.s, all_e, 3, seed);
					int set = make_point(&r, in, (Point)pt), row_tested = 0;
					for (int l = 0; set && l < 2; l++) {
						const char *error;
						const Expr *d = mcd_answer(&r, layouts[l], &error);
						if (!d)
							continue;
						size_t before = why.len;
						buf_printf(&why, "  %s by %s, %s, at %s: ", id->f, id->wrt, layout_name(l),
							   point_names[pt]);
						int ok = agree_at(in, d, r.book[l], &why);
						if (ok < 0 || ok) {
							why.len = before;
							why.s[before] = 0;
						} else {
							buf_puts(&why, "\n");
							failed++;
						}
						row_tested |= ok >= 0;
					}
					tested[pt] += row_tested;
					inst_free(in);
				}
			row_free(&r);
		}
	printf("special points: %d row instances with a residual at zero, %d with a skew penalty's argument "
	       "symmetric, %d with the variable the identity; %d answers wrong or undefined there\n%s",
	       tested[AT_ZERO_RESIDUAL], tested[AT_SYMMETRIC], tested[AT_IDENTITY], failed, buf_str(&why));
	fflush(stdout);
	buf_free(&why);
	ck_assert_int_eq(failed, 0);
	ck_assert_int_ge(tested[AT_ZERO_RESIDUAL], 100);
	ck_assert_int_ge(tested[AT_SYMMETRIC], 3);
	ck_assert_int_ge(tested[AT_IDENTITY], 100);
}
END_TEST

Suite *identities_suite(void)
{
	Suite *s = suite_create("identities");
	TCase *tc = tcase_create("table");
	tcase_add_test(tc, tokens_are_counted_sensibly);
	tcase_add_test(tc, rows_are_distinct);
	tcase_add_loop_test(tc, row_holds, 0, NROWS + NMORE + NEXTRA + NNEWEST + NSIXTH + NSEVENTH + NEIGHTH + NHELDOUT + NHELDOUT_MORE + NFRESH);
	suite_add_tcase(s, tc);
	tc = tcase_create("length");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, answers_are_short);
	tcase_add_test(tc, heldout_is_measured);
	tcase_add_test(tc, extra_is_measured);
	tcase_add_test(tc, fresh_heldout_is_measured);
	tcase_add_test(tc, layouts_are_one_answer);
	tcase_add_test(tc, answers_hold_at_special_points);
	suite_add_tcase(s, tc);
	return s;
}
