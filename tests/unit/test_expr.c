/* test_expr.c: hash-consing: equal structure is one node, and the smart
 * constructors keep their invariants. */
#include <check.h>

#include "expr.h"
#include "suites.h"

START_TEST(equal_structure_is_one_node)
{
	Pool *p = pool_new();
	const Expr *a = expr_var(p, "A"), *b = expr_var(p, "B");
	const Expr *ab[2] = { a, b }, *ab2[2] = { expr_var(p, "A"), expr_var(p, "B") };
	ck_assert_ptr_eq(expr_make(p, E_MUL, ab, 2), expr_make(p, E_MUL, ab2, 2));
	ck_assert_ptr_ne(expr_make(p, E_MUL, ab, 2), expr_make(p, E_ADD, ab, 2));
	const Expr *ba[2] = { b, a };
	ck_assert_ptr_ne(expr_make(p, E_MUL, ab, 2), expr_make(p, E_MUL, ba, 2));
	ck_assert_ptr_eq(expr_func(p, F_TR, a), expr_func(p, F_TR, a));
	ck_assert_ptr_ne(expr_func(p, F_TR, a), expr_func(p, F_DET, a));
	ck_assert_ptr_eq(expr_int(p, 7), expr_int(p, 7));
	ck_assert_ptr_ne(expr_var(p, "n"), expr_dsym(p, "n"));
	pool_free(p);
}
END_TEST

START_TEST(numbers_are_exact_and_interned)
{
	Pool *p = pool_new();
	mpq_t q;
	mpq_init(q);
	mpq_set_str(q, "2/6", 10);
	mpq_canonicalize(q);
	const Expr *third = expr_num(p, q);
	ck_assert_ptr_eq(third, expr_binary(p, E_DIV, expr_int(p, 1), expr_int(p, 3)));
	mpq_set_str(q, "-1/3", 10);
	ck_assert_ptr_eq(expr_num(p, q), expr_unary(p, E_NEG, third));
	/* a number too big for any machine word hashes and interns */
	mpz_ui_pow_ui(mpq_numref(q), 10, 5000);
	mpz_set_ui(mpq_denref(q), 1);
	ck_assert_ptr_eq(expr_num(p, q), expr_num(p, q));
	mpq_clear(q);
	pool_free(p);
}
END_TEST

START_TEST(smart_constructor_invariants)
{
	Pool *p = pool_new();
	const Expr *x = expr_var(p, "x");
	ck_assert_int_eq(expr_binary(p, E_POW, x, expr_int(p, -1))->kind, E_INV);
	ck_assert_int_eq(expr_binary(p, E_POW, x, expr_int(p, 2))->kind, E_POW);
	/* division by zero is not folded: it must stay visible */
	ck_assert_int_eq(expr_binary(p, E_DIV, expr_int(p, 1), expr_int(p, 0))->kind, E_DIV);
	ck_assert_int_eq(expr_unary(p, E_NEG, x)->kind, E_NEG);
	pool_free(p);
}
END_TEST

START_TEST(many_nodes_grow_the_table)
{
	Pool *p = pool_new();
	const Expr *e = expr_var(p, "x");
	for (int i = 0; i < 20000; i++)
		e = expr_unary(p, E_TRANS, e);
	size_t n = pool_size(p);
	const Expr *f = expr_var(p, "x");
	for (int i = 0; i < 20000; i++)
		f = expr_unary(p, E_TRANS, f);
	ck_assert_ptr_eq(e, f);
	ck_assert_uint_eq(pool_size(p), n);
	pool_free(p);
}
END_TEST

START_TEST(order_is_structural)
{
	Pool *p = pool_new();
	const Expr *b = expr_var(p, "b"), *a = expr_var(p, "a");  /* b made first */
	ck_assert_int_lt(expr_cmp(a, b), 0);
	ck_assert_int_gt(expr_cmp(b, a), 0);
	ck_assert_int_eq(expr_cmp(a, a), 0);
	ck_assert_int_lt(expr_cmp(expr_int(p, -2), expr_int(p, 1)), 0);
	pool_free(p);
}
END_TEST

Suite *expr_suite(void)
{
	Suite *s = suite_create("expr");
	TCase *tc = tcase_create("hashcons");
	tcase_add_test(tc, equal_structure_is_one_node);
	tcase_add_test(tc, numbers_are_exact_and_interned);
	tcase_add_test(tc, smart_constructor_invariants);
	tcase_add_test(tc, many_nodes_grow_the_table);
	tcase_add_test(tc, order_is_structural);
	suite_add_tcase(s, tc);
	return s;
}
