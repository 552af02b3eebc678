/* fuzz_mcd.c: the libFuzzer target over mcd_run (make fuzz).  The first
 * four bytes choose the options; the rest is the expression.  The same entry
 * point is replayed over tests/fuzz/regressions/ by replay.c in make check. */
#include "mcd.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
mcd_options *fuzz_options(const uint8_t *b);

enum { FUZZ_MAX_NODES = 50000 };

/* Variables a -wrt may name, and declarations to try. */
static const char *const wrt_names[] = { "x", "X", "W", "A", "a", "b", "y", "S", "W1", "s",
					 "alpha", "B", "z", "w", "Z", "H" };
static const char *const decls[] = { "S:symmetric", "A:matrix(3,3)", "x:vector(2)", "s:scalar",
				     "X:symmetric(2)", "a:vector", "W:matrix(2,3)", "alpha:scalar" };

/* How many names a lister gives (mcd_format_name, mcd_layout_name): the
 * formats and layouts come from the library's tables, so a new one is
 * fuzzed without an edit here. */
static int count_names(const char *(*name)(int))
{
	int n = 0;
	while (name(n))
		n++;
	return n;
}

/* The options of an input (also used by tests/sweep.c).  Option byte b1: bit 0 Hessian, bit 1 check, bits 2-3 how many -wrt, bit 4
 * a declaration, bit 5 --shapes. */
mcd_options *fuzz_options(const uint8_t *b)
{
	mcd_options *o = mcd_options_new();
	char err[128];
	int nformats = count_names(mcd_format_name), nlayouts = count_names(mcd_layout_name);
	mcd_set_format(o, mcd_format_name(b[0] % nformats));
	mcd_set_layout(o, mcd_layout_name(b[0] / nformats % nlayouts));
	int nwrt = (b[1] >> 2) & 3;
	if (nwrt == 3)
		nwrt = 1;
	for (int i = 0; i < nwrt; i++)
		mcd_add_wrt(o, wrt_names[(i ? b[3] : b[2]) % 16]);
	mcd_set_hessian(o, (b[1] & 1) && nwrt == 1);
	mcd_set_check(o, (b[1] & 2) ? 1 + b[3] % 2 : 0, b[2]);
	if (b[1] & 16)
		mcd_declare(o, decls[b[3] / 16 % 8], err, sizeof err);
	mcd_set_shapes(o, (b[1] & 32) != 0);
	/* A tenth of the default budget: under ASan and coverage an input that
	 * runs into it still ends well inside libFuzzer's timeout. */
	mcd_set_max_nodes(o, FUZZ_MAX_NODES);
	return o;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *null;
	static int ready;
	if (!ready) {
		mcd_init();
		null = fopen("/dev/null", "w");
		ready = 1;
	}
	if (size < 4 || !null)
		return 0;
	mcd_options *o = fuzz_options(data);
	mcd_run(o, (const char *)data + 4, size - 4, 1, null, null);
	mcd_options_free(o);
	return 0;
}
