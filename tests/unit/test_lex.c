/* test_lex.c: tokens, one case per line: input and the node it reads as (or
 * the error, "error COLUMN: message").  Add a line to add a case. */
#include <check.h>
#include <string.h>

#include "helpers.h"
#include "suites.h"

static const struct {
	const char *in, *want;
} cases[] = {
	/* numbers are exact rationals */
	{ "0.1", "1/10" },
	{ ".5", "1/2" },
	{ "1e-3", "1/1000" },
	{ "2.50E2", "250" },
	{ "007", "7" },
	{ "1/3", "1/3" },
	{ "-2", "-2" },
	{ "123456789012345678901234567890", "123456789012345678901234567890" },
	{ "1e99999", "error 1: the exponent of this number is too large (at most 10000)" },
	{ "2.*x", "(.* 2 x)" },
	/* transpose forms; T alone after ^ */
	{ "x^Tx", "(* (^T x) x)" },
	{ "A^{T}", "(^T A)" },
	{ "A'", "(^T A)" },
	{ "A^ T", "(^T A)" },
	{ "A^-T", "(^T (^-1 A))" },
	{ "A^{-T}", "(^T (^-1 A))" },
	{ "T^T", "(^T T)" },
	/* unicode operators */
	{ "A\xe1\xb5\x80", "(^T A)" },
	{ "A\xe2\x81\xbb\xc2\xb9", "(^-1 A)" },
	{ "A\xe2\x81\xbb\xe1\xb5\x80", "(^T (^-1 A))" },
	{ "A \xe2\x8a\x99 B", "(.* A B)" },
	{ "A \xe2\x88\x98 B", "(.* A B)" },
	{ "A \xe2\x8a\x97 B", "(kron A B)" },
	{ "\xe2\x80\x96x\xe2\x80\x96", "(norm x)" },
	/* norm bars open or close by context */
	{ "||x||", "(norm x)" },
	{ "2 ||x|| ||y||", "(* 2 (norm x) (norm y))" },
	{ "||x||_2", "(norm x)" },
	{ "||A||_F", "(norm A)" },
	{ "||x - ||y|| a||", "(norm (+ x (neg (* (norm y) a))))" },
	/* reserved names and subscripts */
	{ "I", "(I)" },
	{ "I_n", "(I (dim n))" },
	{ "I_3", "(I (dim 3))" },
	{ "I_{m n}", "(I (dim m n))" },
	{ "ones_k", "(ones (dim k))" },
	{ "K_{m,n}", "(K (dim m) (dim n))" },
	{ "K", "K" },
	{ "x_1", "x_1" },
	{ "I_0", "error 3: a dimension must be at least 1" },
	{ "I_", "error 3: unexpected end of input after '_': expected a dimension (a number or a symbol)" },
	/* bytes that are not the language */
	{ "x \xc3\xa9", "error 3: unexpected character '\xc3\xa9'" },
	{ "x\xff", "error 2: invalid UTF-8 byte 0xff" },
	{ "x;", "error 2: unexpected character ';'" },
	{ "x\x01", "error 2: unexpected control character 0x01" },
	{ "||_2x||", "error 1: a bar with a subscript cannot open a norm" },
};

START_TEST(token_cases)
{
	const char *got = parse_show(cases[_i].in, strlen(cases[_i].in));
	ck_assert_msg(strcmp(got, cases[_i].want) == 0, "input %s\n got  %s\n want %s",
		      cases[_i].in, got, cases[_i].want);
}
END_TEST

START_TEST(nul_byte_is_an_error)
{
	const char *got = parse_show("x\0y", 3);
	ck_assert_str_eq(got, "error 2: unexpected NUL byte");
}
END_TEST

Suite *lex_suite(void)
{
	Suite *s = suite_create("lex");
	TCase *tc = tcase_create("tokens");
	tcase_add_loop_test(tc, token_cases, 0, sizeof cases / sizeof cases[0]);
	tcase_add_test(tc, nul_byte_is_an_error);
	suite_add_tcase(s, tc);
	return s;
}
