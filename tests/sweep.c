/* sweep.c: the allocation-failure sweep (SQLite's test_malloc, for mcd).
 * For each input file (fuzz format: four option bytes, then the expression;
 * tests/fuzz/seeds.sh writes them from the golden cases), it runs mcd_run
 * once normally, then again with the 1st, 2nd, ... allocation failing, until
 * a run no longer reaches the failing allocation.  Every failed run must end
 * with exit status 1 and "out of memory" on its error stream, or give the
 * same output as the normal run (a failure the code absorbed); leaks and
 * memory errors are the sanitizers' to find (make check runs it under ASan). */
#include "mcd.h"
#include "mem.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

mcd_options *fuzz_options(const uint8_t *b);

/* Inputs that make more allocations than this (an expression that runs into
 * the work budget makes millions) are swept this far only. */
enum { SWEEP_MAX = 20000 };
/* Every allocation up to SWEEP_EVERY fails in turn; past it, every k-th,
 * k growing with the count (each run repeats all the allocations before:
 * an input of n allocations costs n^2 / k), so the sweep stays minutes. */
enum { SWEEP_EVERY = 2000 };
/* The work budget of every run: ordinary expressions fit; one that would run
 * into the default budget after seconds of arena work fails early instead. */
enum { SWEEP_NODES = 20000 };

typedef struct {
	char *out, *err;
	size_t nout, nerr;
	int rc;
} Outcome;

static Outcome run(const mcd_options *o, const char *src, size_t len)
{
	Outcome r = { 0 };
	FILE *fo = open_memstream(&r.out, &r.nout), *fe = open_memstream(&r.err, &r.nerr);
	r.rc = mcd_run(o, src, len, 1, fo, fe);
	fclose(fo);
	fclose(fe);
	return r;
}

static void outcome_free(Outcome *r)
{
	free(r->out);
	free(r->err);
}

static char *slurp(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char *buf = malloc(1 << 16);
	*n = buf ? fread(buf, 1, (1 << 16) - 1, f) : 0;
	fclose(f);
	return buf;
}

/* Sweeps one input; returns the number of bad runs (and describes them). */
static int sweep(const char *path, unsigned long *runs, int *partial)
{
	size_t n;
	char *data = slurp(path, &n);
	if (!data || n < 4) {
		free(data);
		return 0;
	}
	mcd_options *o = fuzz_options((const uint8_t *)data);
	mcd_set_max_nodes(o, SWEEP_NODES);   /* a heavy input fails fast, the same way every run */
	Outcome good = run(o, data + 4, n - 4);
	int bad = 0;
	for (unsigned long k = 1;; k += k < SWEEP_EVERY ? 1 : k / SWEEP_EVERY) {
		mem_fail_at(k);
		Outcome r = run(o, data + 4, n - 4);
		int hit = mem_fail_hit();
		mem_fail_at(0);
		++*runs;
		int clean = (r.rc == 1 && strstr(r.err, "out of memory")) ||
			    (r.rc == good.rc && strcmp(r.out, good.out) == 0);
		if (!clean && bad++ < 3)
			fprintf(stderr, "sweep: %s: allocation %lu failed: exit %d, stderr: %.200s\n", path, k,
				r.rc, r.err);
		outcome_free(&r);
		if (!hit)
			break;
		if (k >= SWEEP_MAX) {
			++*partial;
			break;
		}
	}
	outcome_free(&good);
	mcd_options_free(o);
	free(data);
	return bad;
}

int main(int argc, char **argv)
{
	mcd_init();
	unsigned long runs = 0;
	int bad = 0, partial = 0;
	for (int i = 1; i < argc; i++)
		bad += sweep(argv[i], &runs, &partial);
	printf("sweep: %d inputs, %lu runs with one allocation failing (every one of the first %d of each "
	       "input, then a growing stride up to %d; %d inputs make more): %d bad\n", argc - 1, runs,
	       SWEEP_EVERY, SWEEP_MAX, partial, bad);
	return bad != 0;
}
