/* bench.c: how the pipeline's cost grows with the input (`make bench`):
 * simplifying long sums, differentiating into many terms, reading a long line.
 * Wall-clock times at several sizes; "growth" is the exponent k of t ~ n^k
 * between two sizes (1 is linear, 2 quadratic); "sum width", the widest sum in
 * the result; "peak MB", the peak resident memory (each size is measured in
 * a process of its own).  Not part of `make check`.
 *
 * Usage: bench [LIMIT [WORD]]: skip a size predicted to take more than LIMIT
 * seconds in one stage (default 30); run only the cases whose title contains
 * WORD (for a profiler: bench 60 distinct). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "canon.h"
#include "diff.h"
#include "mem.h"
#include "parse.h"
#include "shape.h"

static double limit = 30;

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* --- inputs --- */

/* The i-th word of length len over the square matrices A B C D. */
static void put_word(Buf *b, unsigned long i, int len)
{
	for (int k = 0; k < len; k++, i /= 4)
		buf_printf(b, "%s%c", k ? " " : "", "ABCD"[i % 4]);
}

/* n terms, 16 distinct ones: (i mod 9 + 1) W x, W one of 16 words of length 2. */
static void gen_like(Buf *b, unsigned long n)
{
	for (unsigned long i = 0; i < n; i++) {
		buf_printf(b, "%s%lu ", i ? " + " : "", i % 9 + 1);
		put_word(b, i % 16, 2);
		buf_puts(b, " x");
	}
}

/* n distinct terms: W_i x, W_i the i-th word of length 9 (4^9 > 10^5). */
static void gen_distinct(Buf *b, unsigned long n)
{
	for (unsigned long i = 0; i < n; i++) {
		buf_puts(b, i ? " + " : "");
		put_word(b, i, 9);
		buf_puts(b, " x");
	}
}

/* sum of a_i^T X b_i: its derivative by X has n terms, b_i a_i^T. */
static void gen_bilinear(Buf *b, unsigned long n)
{
	for (unsigned long i = 0; i < n; i++)
		buf_printf(b, "%sa%lu^T X b%lu", i ? " + " : "", i, i);
}

/* sum of x^T A_i x: its derivative by x has 2n terms before collection. */
static void gen_quadratic(Buf *b, unsigned long n)
{
	for (unsigned long i = 0; i < n; i++)
		buf_printf(b, "%sx^T A%lu x", i ? " + " : "", i);
}

/* A line of about n bytes: x^T A x + x^T A x + ... (few names). */
static void gen_line_same(Buf *b, unsigned long n)
{
	buf_puts(b, "x^T A x");
	while (b->len < n)
		buf_puts(b, " + x^T A x");
}

/* A line of about n bytes: a0^T X b0 + a1^T X b1 + ... (many names). */
static void gen_line_names(Buf *b, unsigned long n)
{
	for (unsigned long i = 0; b->len < n; i++)
		buf_printf(b, "%sa%lu^T X b%lu", i ? " + " : "", i, i);
}

/* --- one measurement --- */

enum { PARSE, SHAPE, SIMPLIFY, DIFF, DSIMPLIFY, NSTAGES };
static const char *const stage_names[NSTAGES] = { "parse", "shape", "simplify f", "diff", "simplify df" };

typedef struct {
	const char *name;
	void (*gen)(Buf *, unsigned long);
	const char *wrt;      /* NULL: no derivative */
	int stages;           /* bit set of the stages to run */
	int main;             /* the stage whose growth is reported */
	unsigned long sizes[6];
} Case;

typedef struct {
	double t[NSTAGES];
	size_t bytes;
	unsigned long terms;  /* terms of the last result */
	double peak_mb;       /* peak resident memory of the measurement */
	int ran;
} Result;

/* The widest sum near the top of e (x^T (A0 + A0^T + ...) has one term, but
 * the sum inside is what the simplifier collected), 0 for a zero. */
static unsigned long terms_of(const Expr *e, int depth)
{
	if (!e)
		return 0;
	unsigned long w = e->kind == E_ADD ? e->nargs : 1;
	for (unsigned i = 0; depth > 0 && i < e->nargs; i++) {
		unsigned long k = terms_of(e->args[i], depth - 1);
		if (k > w)
			w = k;
	}
	return w;
}

/* The peak resident memory of this process, in MB. */
static double peak_mb(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_maxrss / 1024;
}

static int measure(const Case *c, unsigned long n, Result *r)
{
	Buf src;
	buf_init(&src);
	c->gen(&src, n);
	*r = (Result){ .bytes = src.len, .ran = 1 };
	Pool *p = pool_new();
	Diag dg;
	diag_init(&dg, buf_str(&src), src.len, 1);
	double t0 = now();
	Ast *ast = parse_expr(p, buf_str(&src), src.len, &dg);
	r->t[PARSE] = now() - t0;
	int ok = ast != NULL;
	Shapes *s = NULL;
	const Expr *e = NULL;
	if (ok && (c->stages & ~(1 << PARSE))) {
		t0 = now();
		s = shape_infer(p, ast, NULL, &dg);
		e = s ? shape_elaborate(s, ast) : NULL;
		r->t[SHAPE] = now() - t0;
		ok = s != NULL;
	}
	if (ok && (c->stages & 1 << SIMPLIFY)) {
		t0 = now();
		e = canon_simplify(p, s, e);
		r->t[SIMPLIFY] = now() - t0;
		r->terms = terms_of(e, 3);
	}
	if (ok && c->wrt) {
		int i = shape_find_var(s, c->wrt);
		t0 = now();
		Deriv d = diff_wrt(p, s, e, shape_var(s, i), LAYOUT_NUMERATOR);
		r->t[DIFF] = now() - t0;
		ok = !d.error;
		if (ok) {
			t0 = now();
			const Expr *df = d.d ? canon_simplify(p, s, d.d) : NULL;
			r->t[DSIMPLIFY] = now() - t0;
			r->terms = terms_of(df, 3);
		}
	}
	if (!ok)
		fprintf(stderr, "bench: %s, n = %lu: %s\n", c->name, n, buf_str(&dg.first));
	diag_free(&dg);
	pool_free(p);
	buf_free(&src);
	return ok;
}

/* measure in a child process, so each size's peak memory is its own and a
 * crash costs one line. */
static int measure_apart(const Case *c, unsigned long n, Result *r)
{
	int fd[2];
	if (pipe(fd) != 0)
		return 0;
	fflush(stdout);
	pid_t pid = fork();
	if (pid < 0)
		return 0;
	if (pid == 0) {
		close(fd[0]);
		int ok = measure(c, n, r);
		r->peak_mb = peak_mb();
		ssize_t w = write(fd[1], r, sizeof *r);
		_exit(ok && w == (ssize_t)sizeof *r ? 0 : 1);
	}
	close(fd[1]);
	ssize_t got = read(fd[0], r, sizeof *r);
	close(fd[0]);
	int status;
	waitpid(pid, &status, 0);
	if (got != (ssize_t)sizeof *r || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		if (!WIFEXITED(status))
			fprintf(stderr, "bench: %s, n = %lu: killed by signal %d\n", c->name, n, WTERMSIG(status));
		return 0;
	}
	return 1;
}

static void print_header(const Case *c)
{
	printf("\n%s\n  %8s %9s", c->name, "n", "bytes");
	for (int k = 0; k < NSTAGES; k++)
		if (c->stages & 1 << k)
			printf(" %12s", stage_names[k]);
	printf(" %9s %8s  growth of %s\n", "sum width", "peak MB", stage_names[c->main]);
}

/* t at size n predicted from the last size and this stage's growth so far
 * (at least linear). */
static double predict(const Result *prev, const double *k, unsigned long prevn, unsigned long n)
{
	double worst = 0;
	for (int s = 0; s < NSTAGES; s++) {
		double t = prev->t[s] * pow((double)n / prevn, k[s] > 1 ? k[s] : 1);
		if (t > worst)
			worst = t;
	}
	return worst;
}

static void run_case(const Case *c)
{
	print_header(c);
	Result prev = { 0 };
	unsigned long prevn = 0;
	double k[NSTAGES] = { 0 };
	for (int j = 0; j < 6 && c->sizes[j]; j++) {
		unsigned long n = c->sizes[j];
		double predicted = prev.ran ? predict(&prev, k, prevn, n) : 0;
		if (predicted > limit) {
			printf("  %8lu   skipped: one stage would take about %.0f s (limit %.0f s)\n", n, predicted, limit);
			break;
		}
		Result r;
		if (!measure_apart(c, n, &r))
			break;
		printf("  %8lu %9zu", n, r.bytes);
		for (int s = 0; s < NSTAGES; s++)
			if (c->stages & 1 << s)
				printf(" %10.4f s", r.t[s]);
		if (c->stages & 1 << SIMPLIFY)
			printf(" %9lu", r.terms);
		else
			printf(" %9s", "-");
		printf(" %8.0f", r.peak_mb);
		for (int s = 0; s < NSTAGES && prev.ran; s++)
			if (prev.t[s] > 1e-3 && r.t[s] > 1e-3)
				k[s] = log(r.t[s] / prev.t[s]) / log((double)n / prevn);
		if (prev.ran && prev.t[c->main] > 1e-3 && r.t[c->main] > 1e-3)
			printf("  %.2f", k[c->main]);
		printf("\n");
		fflush(stdout);
		prev = r;
		prevn = n;
	}
}

#define ALL_BUT_DIFF (1 << PARSE | 1 << SHAPE | 1 << SIMPLIFY)
#define ALL (ALL_BUT_DIFF | 1 << DIFF | 1 << DSIMPLIFY)

static const Case cases[] = {
	{ "(a) simplify a sum of n terms, 16 distinct (c W x, W in {A,B,C,D}^2)", gen_like, NULL, ALL_BUT_DIFF,
	  SIMPLIFY, { 1000, 3000, 10000, 30000, 100000 } },
	{ "(a) simplify a sum of n distinct terms (W x, W a word of length 9)", gen_distinct, NULL, ALL_BUT_DIFF,
	  SIMPLIFY, { 1000, 3000, 10000, 30000, 100000 } },
	{ "(b) d/dX of sum a_i^T X b_i (n terms in the derivative)", gen_bilinear, "X", ALL, DSIMPLIFY,
	  { 1000, 3000, 10000, 30000 } },
	{ "(b) d/dx of sum x^T A_i x (2n terms in the derivative before collection)", gen_quadratic, "x", ALL, DSIMPLIFY,
	  { 1000, 3000, 10000, 30000 } },
	{ "(c) parse and shape a line of n bytes: x^T A x + x^T A x + ...", gen_line_same, NULL, 1 << PARSE | 1 << SHAPE,
	  SHAPE, { 10000, 100000, 1000000 } },
	{ "(c) parse and shape a line of n bytes: a0^T X b0 + a1^T X b1 + ...", gen_line_names, NULL,
	  1 << PARSE | 1 << SHAPE, SHAPE, { 10000, 100000, 1000000 } },
};

int main(int argc, char **argv)
{
	if (argc > 1)
		limit = atof(argv[1]);
	mem_init();
	printf("mcd bench: wall-clock seconds per stage; growth k in t ~ n^k from the previous size\n");
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		if (argc < 3 || strstr(cases[i].name, argv[2]))
			run_case(&cases[i]);
	return 0;
}
