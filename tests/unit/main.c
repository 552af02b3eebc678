/* main.c: runs every Check suite of the unit tests (see suites.h). */
#include <stdlib.h>

#include "mem.h"
#include "suites.h"

int main(void)
{
	mem_init();
	SRunner *sr = srunner_create(expr_suite());
	srunner_add_suite(sr, lex_suite());
	srunner_add_suite(sr, parse_suite());
	srunner_add_suite(sr, shape_suite());
	srunner_add_suite(sr, print_suite());
	srunner_add_suite(sr, eval_suite());
	srunner_add_suite(sr, diff_suite());
	srunner_add_suite(sr, identities_suite());
	srunner_add_suite(sr, scale_suite());
	srunner_add_suite(sr, share_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
