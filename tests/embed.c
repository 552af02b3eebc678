/* embed.c: a program that uses libmcd as an installed package would:
 * only <mcd.h>, built with `pkg-config --cflags --libs mcd` (tests/install.sh). */
#include <mcd.h>

#include <stdio.h>
#include <string.h>

int main(void)
{
	mcd_init();
	mcd_options *o = mcd_options_new();
	if (!o || mcd_add_wrt(o, "W") != 0)
		return 1;
	mcd_result r;
	const char *src = "a^T W b";
	int bad = 0;
	if (mcd_eval(o, src, strlen(src), 1, &r) != 0 || strcmp(r.text, "b a^T") != 0 ||
	    strcmp(r.rows, "n") != 0 || strcmp(r.cols, "m") != 0) {
		fprintf(stderr, "embed: a^T W b by W gave '%s' (%s x %s)\n", r.text ? r.text : "(null)",
			r.rows ? r.rows : "?", r.cols ? r.cols : "?");
		bad = 1;
	}
	mcd_result_free(&r);
	src = "a^T W + b";
	if (mcd_eval(o, src, strlen(src), 7, &r) != 1 || !r.error || r.line != 7 || r.column != 7) {
		fprintf(stderr, "embed: the error of 'a^T W + b' was not at 7:7\n");
		bad = 1;
	}
	mcd_result_free(&r);
	mcd_options_free(o);
	if (!bad)
		printf("embed: mcd_eval works through the installed header and library\n");
	return bad;
}
