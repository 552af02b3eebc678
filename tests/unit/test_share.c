/* test_share.c: shared subexpressions (SPEC 4) read back as the same
 * function.  For random expressions and variables, the derivative mcd
 * prints with --share=auto (RESULT where t1 = ...) is fed back to mcd as
 * the expected answer of the same derivative (--expect), which parses the
 * where clause, substitutes and compares on random instances; so do the
 * derivative printed with --share=never and the input written with where. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gen.h"
#include "mcd.h"
#include "print.h"
#include "suites.h"

enum { SHARE_CASES = 600, SHARE_SEED = 20261130 };

static const char *const vars[] = { "x", "A", "alpha", "S", "u" };

typedef struct {
	int cases, shared, agreed, skipped;
	char first_failure[2048];
} Tally;

static mcd_options *options(const char *layout, const char *wrt, const char *share, const char *expect)
{
	mcd_options *o = mcd_options_new();
	char err[128];
	for (int i = 0; gen_names[i]; i++)
		mcd_declare(o, gen_names[i], err, sizeof err);
	mcd_set_layout(o, layout);
	if (wrt)
		mcd_add_wrt(o, wrt);
	mcd_set_share(o, share);
	if (expect)
		mcd_set_expect(o, expect);
	return o;
}

/* The text mcd prints for f, or NULL when it fails (unsupported, too large). */
static char *printed(const char *f, const char *layout, const char *wrt, const char *share)
{
	mcd_options *o = options(layout, wrt, share, NULL);
	mcd_result r;
	char *text = NULL;
	if (mcd_eval(o, f, strlen(f), 1, &r) == 0)
		text = strdup(r.text);
	mcd_result_free(&r);
	mcd_options_free(o);
	return text;
}

/* Whether mcd finds f's derivative equal to answer: 1, 0 (why filled), or
 * -1 when it cannot decide (neither side defined on random data). */
static int agrees(const char *f, const char *layout, const char *wrt, const char *answer, char *why, size_t n)
{
	mcd_options *o = options(layout, wrt, "never", answer);
	mcd_result r;
	int status = mcd_eval(o, f, strlen(f), 1, &r);
	int verdict = status == 0 ? 1 : r.diagnostics && strstr(r.diagnostics, "cannot decide") ? -1 : 0;
	if (verdict == 0)
		snprintf(why, n, "%s", r.diagnostics ? r.diagnostics : "?");
	mcd_result_free(&r);
	mcd_options_free(o);
	return verdict;
}

static void one_case(Tally *t, const char *f, const char *layout, const char *wrt)
{
	char *shared = printed(f, layout, wrt, "auto");
	char *inline_text = printed(f, layout, wrt, "never");
	char why[1024] = "";
	if (!shared || !inline_text) {
		t->skipped++;
	} else if (agrees(f, layout, wrt, inline_text, why, sizeof why) < 0) {
		t->skipped++;   /* undefined on random data: nothing to compare */
	} else {
		t->cases++;
		t->shared += strstr(shared, " where ") != NULL;
		/* names of its own only where they shorten it; the input's always */
		int ok = agrees(f, layout, wrt, shared, why, sizeof why) == 1 &&
			 agrees(f, layout, wrt, inline_text, why, sizeof why) == 1 &&
			 (strstr(f, " where ") || strlen(shared) < strlen(inline_text) || !strstr(shared, " where "));
		t->agreed += ok;
		if (!ok && !t->first_failure[0])
			snprintf(t->first_failure, sizeof t->first_failure,
				 "f = %s, -wrt %s, %s layout:\n  shared: %s\n  inline: %s\n  %s", f, wrt, layout,
				 shared, inline_text, why);
	}
	free(shared);
	free(inline_text);
}

START_TEST(shared_results_read_back)
{
	static const char *const layouts[] = { "numerator", "denominator", "mixed" };
	Tally t = { 0 };
	GenRng rng;
	gen_seed(&rng, SHARE_SEED);
	for (int i = 0; i < SHARE_CASES; i++) {
		Pool *p = pool_new();
		const Expr *e = gen_expr(p, &rng, 3 + i % 4);
		Buf f;
		buf_init(&f);
		print_text(&f, e);
		one_case(&t, buf_str(&f), layouts[i % 3], vars[i % 5]);
		buf_free(&f);
		pool_free(p);
	}
	printf("share: %d derivatives read back (%d with a where clause), %d agreed; %d skipped "
	       "(failed or unsupported)\n", t.cases, t.shared, t.agreed, t.skipped);
	ck_assert_msg(t.agreed == t.cases, "%s", t.first_failure);
	ck_assert_msg(t.shared >= 10, "only %d results had a shared subexpression", t.shared);
}
END_TEST

/* k-layer networks written with where read back too, at every depth. */
START_TEST(networks_with_where_read_back)
{
	Tally t = { 0 };
	for (int k = 1; k <= 12; k++) {
		char f[4096];
		size_t n = (size_t)snprintf(f, sizeof f, "norm(h%d - y)^2 where h1 = tanh(W1 x)", k);
		for (int i = 2; i <= k; i++)
			n += (size_t)snprintf(f + n, sizeof f - n, ", h%d = %s(W%d h%d)", i, i % 2 ? "tanh" : "sigmoid", i, i - 1);
		one_case(&t, f, "numerator", "W1");
		one_case(&t, f, "denominator", "x");
	}
	ck_assert_msg(t.agreed == t.cases && t.cases == 24, "%d of %d: %s", t.agreed, t.cases, t.first_failure);
}
END_TEST

Suite *share_suite(void)
{
	Suite *s = suite_create("share");
	TCase *tc = tcase_create("roundtrip");
	tcase_set_timeout(tc, 600);
	tcase_add_test(tc, shared_results_read_back);
	tcase_add_test(tc, networks_with_where_read_back);
	suite_add_tcase(s, tc);
	return s;
}
