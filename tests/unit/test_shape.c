/* test_shape.c: shape inference, one case per line: declarations (separated
 * by ';'), the expression, and the --shapes line or "error COLUMN: message". */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "parse.h"
#include "shape.h"
#include "helpers.h"
#include "suites.h"

static const struct {
	const char *decls, *in, *want;
} cases[] = {
	/* SPEC section 2 and the reference examples */
	{ "", "a^T W b", "a: m x 1, W: m x n, b: n x 1, result: 1 x 1" },
	{ "", "(y - w^T x)^2", "y: 1 x 1, w: m x 1, x: m x 1, result: 1 x 1" },
	{ "", "t B", "t: 1 x 1, B: m x n, result: m x n" },
	{ "", "exp(t) a", "t: 1 x 1, a: m x 1, result: m x 1" },
	{ "", "(a^T x) b", "a: m x 1, x: m x 1, b: n x 1, result: n x 1" },
	{ "", "alpha A + beta B", "alpha: 1 x 1, A: m x n, beta: 1 x 1, B: m x n, result: m x n" },
	{ "", "lambda_1 x", "lambda_1: 1 x 1, x: m x 1, result: m x 1" },
	{ "", "Sigma^-1 x", "Sigma: m x m, x: m x 1, result: m x 1" },
	/* a later use settles an earlier name */
	{ "", "a b + W a", "a: m x 1, b: 1 x 1, W: m x m, result: m x 1" },
	{ "", "x y^T + A", "x: m x 1, y: n x 1, A: m x n, result: m x n" },
	{ "", "A B C^T", "A: m x n, B: n x p, C: q x p, result: m x q" },
	{ "", "x^T A x", "x: m x 1, A: m x m, result: 1 x 1" },
	/* structured constants */
	{ "", "A + I", "A: m x m, result: m x m" },
	{ "", "I_n + A", "A: n x n, result: n x n" },
	{ "", "x^T ones", "x: m x 1, result: 1 x 1" },
	{ "A:matrix(m,n)", "K_{m,n} vec(A)", "A: m x n, result: mn x 1" },
	{ "", "kron(A, B) + C", "A: m x n, B: p x q, C: mp x nq, result: mp x nq" },
	{ "", "vec(A)^T vec(A)", "A: m x n, result: 1 x 1" },
	{ "", "diag(x) A", "x: m x 1, A: m x n, result: m x n" },
	{ "", "diag(A) + x", "A: m x m, x: m x 1, result: m x 1" },
	{ "", "tr(A) + det(B) + logdet(C) + sum(D) + norm(E)",
	  "A: m x m, B: n x n, C: p x p, D: q x r, E: s x k, result: 1 x 1" },
	{ "", "x^(1/2)", "x: 1 x 1, result: 1 x 1" },
	{ "", "A^3", "A: m x m, result: m x m" },
	{ "", "A .^ 2 ./ B", "A: m x n, B: m x n, result: m x n" },
	/* declarations override names */
	{ "x:vector", "x^T x", "x: m x 1, result: 1 x 1" },
	{ "A:matrix(3,4)", "A x", "A: 3 x 4, x: 4 x 1, result: 3 x 1" },
	{ "s:vector(n);A:symmetric", "s^T A s", "s: n x 1, A: n x n, result: 1 x 1" },
	{ "Q:scalar", "Q x", "Q: 1 x 1, x: m x 1, result: m x 1" },
	{ "x:matrix", "x y", "x: m x n, y: n x 1, result: m x 1" },
	/* variable names and dimension symbols are separate namespaces */
	{ "m:vector", "A m", "A: m x n, m: n x 1, result: m x 1" },
	/* conflicts name the operation, both shapes and the reason */
	{ "", "a^T W + b", "error 7: cannot add 1 x n and p x 1 (W would need one column)" },
	{ "", "A - x^T", "error 3: cannot subtract m x n and 1 x p (A would need one row)" },
	{ "x:vector", "tr(x)", "error 1: cannot take the trace of x (m x 1): it is not square (x is declared a vector)" },
	{ "", "A B + B A", "A: m x m, B: m x m, result: m x m" },
	{ "A:matrix(2,3)", "A + A^T", "error 3: cannot add 2 x 3 and 3 x 2" },
	{ "", "inv(A)", "A: m x m, result: m x m" },
	{ "A:matrix(2,3)", "inv(A)", "error 1: cannot invert A (2 x 3): it is not square" },
	{ "", "A / B", "error 3: cannot divide by B (p x q): the divisor must be a scalar (B would need one row)" },
	{ "", "A .* x^T", "error 3: cannot multiply element-wise m x n and 1 x p (A would need one row)" },
	{ "", "||A||_2", "error 1: the 2-norm of a matrix is not supported (use ||A||_F): A (m x n) is not a vector (A would need one column)" },
	{ "", "A^(1/2)", "error 2: a power that is not a whole number needs a scalar, and A (m x n) is not one (A would need one row)" },
	{ "", "vec(A) + vec(B)", "error 8: cannot add mn x 1 and pq x 1 (the sizes cannot be settled; declare them with -d NAME:TYPE)" },
	{ "A:matrix(2,3);B:matrix(4,5)", "A B", "error 3: cannot multiply 2 x 3 by 4 x 5" },
};

static void run_case(const char *decls, const char *in, Buf *got)
{
	Decl *ds = test_decls(decls);
	Pool *p = pool_new();
	Diag dg;
	diag_init(&dg, in, strlen(in), 1);
	Ast *a = parse_expr(p, in, strlen(in), &dg);
	ck_assert_msg(a != NULL, "%s does not parse", in);
	Shapes *s = shape_infer(p, a, ds, &dg);
	if (s)
		shape_describe(s, got, shape_of(s, shape_elaborate(s, a)));
	else
		buf_printf(got, "error %ld: %s", dg.first_col, buf_str(&dg.first));
	diag_free(&dg);
	pool_free(p);
	decl_free_all(ds);
}

START_TEST(shape_cases)
{
	if (!cases[_i].want[0])
		return;   /* a placeholder row */
	Buf got;
	buf_init(&got);
	run_case(cases[_i].decls, cases[_i].in, &got);
	ck_assert_msg(strcmp(buf_str(&got), cases[_i].want) == 0, "input %s [%s]\n got  %s\n want %s",
		      cases[_i].in, cases[_i].decls, buf_str(&got), cases[_i].want);
	buf_free(&got);
}
END_TEST

/* The result does not depend on the order the terms are written in. */
START_TEST(order_independent)
{
	static const char *const pairs[][2] = {
		{ "a b + W a", "W a + a b" },
		{ "x y^T + A", "A + x y^T" },
		{ "A x + b", "b + A x" },
	};
	for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
		Buf g1, g2;
		buf_init(&g1);
		buf_init(&g2);
		run_case("", pairs[i][0], &g1);
		run_case("", pairs[i][1], &g2);
		const char *r1 = strstr(buf_str(&g1), "result:"), *r2 = strstr(buf_str(&g2), "result:");
		ck_assert_ptr_nonnull(r1);
		ck_assert_ptr_nonnull(r2);
		ck_assert_str_eq(r1, r2);
		buf_free(&g1);
		buf_free(&g2);
	}
}
END_TEST

START_TEST(declaration_syntax)
{
	static const struct {
		const char *text, *err;
	} d[] = {
		{ "A:matrix(3,4)", "" },
		{ "x : vector ( n )", "" },
		{ "S:symmetric(3)", "" },
		{ "A", "'A': expected ':' and a type after the name" },
		{ "A:tensor", "the type must be scalar, vector, vector(n), matrix, matrix(m,n), symmetric or symmetric(n)" },
		{ "A:matrix(0,2)", "a dimension must be a positive number or a symbol" },
		{ "A:matrix(3)", "matrix takes 2 dimensions" },
		{ "tr:scalar", "'tr' is a reserved name" },
		{ "I:matrix", "'I' is a reserved name" },
		{ "A:matrix(2,2) x", "'A:matrix(2,2) x': unexpected text after the type" },
	};
	for (size_t i = 0; i < sizeof d / sizeof d[0]; i++) {
		Buf err;
		buf_init(&err);
		Decl *x = decl_parse(d[i].text, &err);
		ck_assert_msg(strcmp(buf_str(&err), d[i].err) == 0, "%s: got '%s' want '%s'",
			      d[i].text, buf_str(&err), d[i].err);
		ck_assert(!x == !!d[i].err[0]);
		decl_free_all(x);
		buf_free(&err);
	}
}
END_TEST

Suite *shape_suite(void)
{
	Suite *s = suite_create("shape");
	TCase *tc = tcase_create("inference");
	tcase_add_loop_test(tc, shape_cases, 0, sizeof cases / sizeof cases[0]);
	tcase_add_test(tc, order_independent);
	tcase_add_test(tc, declaration_syntax);
	suite_add_tcase(s, tc);
	return s;
}
