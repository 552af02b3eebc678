/* test_parse.c: the grammar: precedence, chains, every form of SPEC section
 * 1, and every syntax diagnostic.  One case per line: input, and the node
 * (as an s-expression) or "error COLUMN: message". */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "mem.h"
#include "gen.h"
#include "helpers.h"
#include "parse.h"
#include "print.h"
#include "suites.h"

static const struct {
	const char *in, *want;
} cases[] = {
	/* precedence: postfix > unary minus > multiplicative > additive */
	{ "a^T W b", "(* (^T a) W b)" },
	{ "-A B", "(* (neg A) B)" },
	{ "-x^T", "(neg (^T x))" },
	{ "A .* B C", "(* (.* A B) C)" },
	{ "A / 2 B", "(* (/ A 2) B)" },
	{ "A - B + C", "(+ A (neg B) C)" },
	{ "A - -B", "(+ A (neg (neg B)))" },
	{ "a * -b", "(* a (neg b))" },
	{ "A B C", "(* A B C)" },
	{ "(A B) C", "(* (* A B) C)" },
	{ "A (B C)", "(* A (* B C))" },
	{ "(A + B) + C", "(+ (+ A B) C)" },
	{ "A(x + y)", "(* A (+ x y))" },
	{ "A(x)^T", "(* A (^T x))" },
	{ "{A + B} C", "(* (+ A B) C)" },
	{ "A ./ B ./ C", "(./ (./ A B) C)" },
	{ "A * B", "(* A B)" },
	/* powers */
	{ "x^2", "(^ x 2)" },
	{ "x^-1", "(^-1 x)" },
	{ "x^(-1)", "(^-1 x)" },
	{ "A^{-1}", "(^-1 A)" },
	{ "x^(1/2)", "(^ x 1/2)" },
	{ "x^-2", "(^ x -2)" },
	{ "x^(1 + 1)", "(^ x 2)" },
	{ "x^2^3", "(^ (^ x 2) 3)" },
	{ "x .^ 2", "(.^ x 2)" },
	{ "x.^p", "(.^ x p)" },
	{ "x.^-1", "(.^ x -1)" },
	{ "inv(A)", "(^-1 A)" },
	/* functions */
	{ "tr(A)", "(tr A)" },
	{ "logdet(X) + det(X)", "(+ (logdet X) (det X))" },
	{ "norm(x)", "(norm x)" },
	{ "sigmoid(x) .* relu(y)", "(.* (sigmoid x) (relu y))" },
	{ "kron(A, B, C)", "(kron A B C)" },
	{ "kron(A, B) \xe2\x8a\x97 C", "(kron (kron A B) C)" },
	{ "A \xe2\x8a\x97 B \xe2\x8a\x97 C", "(kron A B C)" },
	{ "kron(A \xe2\x8a\x97 B, C)", "(kron (kron A B) C)" },
	{ "vec(A)^T vec(B)", "(* (^T (vec A)) (vec B))" },
	/* syntax errors: what was expected, where a bracket opened */
	{ "(a + b", "error 7: unexpected end of input, expected an operator, an operand or ')'" },
	{ "a +", "error 4: unexpected end of input, expected an operand" },
	{ "A))", "error 2: unexpected ')', expected an operator, an operand or end of input" },
	{ "A +* B", "error 4: unexpected '*', expected an operand" },
	{ "", "error 1: empty expression" },
	{ "   ", "error 1: empty expression" },
	{ "x^y", "error 3: the exponent of '^' must be a constant number (use '.^' for an element-wise power)" },
	{ "x^(1/0)", "error 3: the exponent of '^' must be a constant number (use '.^' for an element-wise power)" },
	{ "foo(x, y)", "error 1: unknown function 'foo'" },
	{ "trace(A, B)", "error 1: unknown function 'trace'; did you mean 'tr'?" },
	{ "expp(x, y)", "error 1: unknown function 'expp'; did you mean 'exp'?" },
	{ "krom (A, B)", "error 1: unknown function 'krom'; did you mean 'kron'?" },
	{ "(x, y)", "error 3: unexpected ',' (only kron takes several arguments)" },
	{ "tr(A, B)", "error 5: tr takes one argument" },
	{ "kron(A)", "error 1: kron takes two or more arguments" },
	{ "K_{m n}", "error 7: unexpected '}', expected dimension number or dimension symbol or ','" },
};

START_TEST(grammar_cases)
{
	const char *got = parse_show(cases[_i].in, strlen(cases[_i].in));
	ck_assert_msg(strcmp(got, cases[_i].want) == 0, "input %s\n got  %s\n want %s",
		      cases[_i].in, got, cases[_i].want);
}
END_TEST

static char *repeat(const char *head, const char *unit, int n, const char *tail)
{
	Buf b;
	buf_init(&b);
	buf_puts(&b, head);
	for (int i = 0; i < n; i++)
		buf_puts(&b, unit);
	buf_puts(&b, tail);
	return b.s;
}

START_TEST(deep_nesting_is_an_error_not_a_crash)
{
	char *s = repeat("", "(", 100000, "x");
	const char *got = parse_show(s, strlen(s));
	ck_assert_str_eq(got, "error 1001: brackets nested more than 1000 deep");
	mem_free(s);   /* a Buf's storage: mcd's allocator */
	s = repeat("", "-", 100000, "x");
	ck_assert(strncmp(parse_show(s, strlen(s)), "error ", 6) == 0);
	mem_free(s);   /* a Buf's storage: mcd's allocator */
	s = repeat("x", "'", 5000, "");
	ck_assert(strstr(parse_show(s, strlen(s)), "nested more than 1000 levels deep"));
	mem_free(s);   /* a Buf's storage: mcd's allocator */
}
END_TEST

START_TEST(long_chains_are_wide_not_deep)
{
	char *s = repeat("x", " + x", 100000, "");
	const char *got = parse_show(s, strlen(s));
	ck_assert(strncmp(got, "(+ x x x", 8) == 0);
	mem_free(s);   /* a Buf's storage: mcd's allocator */
	s = repeat("a", " b", 50000, "");
	ck_assert(strncmp(parse_show(s, strlen(s)), "(* a b b", 8) == 0);
	mem_free(s);   /* a Buf's storage: mcd's allocator */
}
END_TEST

enum { ROUND_TRIPS = 2000 };

/* Printing then parsing gives the very same node, for random well-shaped
 * expressions of every operator (the generator's seed is fixed, so a failure
 * names a reproducible expression). */
START_TEST(print_parse_round_trip)
{
	GenRng rng;
	gen_seed(&rng, 20261122);
	for (int i = 0; i < ROUND_TRIPS; i++) {
		Pool *p = pool_new();
		const Expr *e = gen_expr(p, &rng, 1 + i % 5);
		Buf b;
		buf_init(&b);
		print_text(&b, e);
		Diag dg;
		diag_init(&dg, buf_str(&b), b.len, 1);
		Ast *a = parse_expr(p, buf_str(&b), b.len, &dg);
		const Expr *back = a ? ast_lower(p, a, NULL, NULL) : NULL;
		if (back != e) {
			Buf want;
			buf_init(&want);
			sexpr(&want, e);
			ck_abort_msg("case %d: %s\n  printed %s\n  reads as %s", i, buf_str(&want),
				     buf_str(&b), a ? "another node" : buf_str(&dg.text));
		}
		diag_free(&dg);
		buf_free(&b);
		pool_free(p);
	}
}
END_TEST

Suite *parse_suite(void)
{
	Suite *s = suite_create("parse");
	TCase *tc = tcase_create("grammar");
	tcase_add_loop_test(tc, grammar_cases, 0, sizeof cases / sizeof cases[0]);
	tcase_add_test(tc, deep_nesting_is_an_error_not_a_crash);
	tcase_add_test(tc, long_chains_are_wide_not_deep);
	tcase_add_test(tc, print_parse_round_trip);
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);
	return s;
}
