/* suites.h: every Check suite of the unit tests; main.c runs them all.
 * To add a suite: write tests/unit/test_NAME.c defining NAME_suite, declare it
 * here and list it in main.c. */
#ifndef MCD_TEST_SUITES_H
#define MCD_TEST_SUITES_H

#include <check.h>

Suite *expr_suite(void);
Suite *lex_suite(void);
Suite *parse_suite(void);
Suite *shape_suite(void);
Suite *print_suite(void);
Suite *eval_suite(void);
Suite *diff_suite(void);
Suite *identities_suite(void);
Suite *scale_suite(void);
Suite *share_suite(void);

#endif
