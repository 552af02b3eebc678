/* identities_list.c: the reference table of the unit tests
 * (tests/unit/identities.h, identities2.h, identities4.h to identities8.h; not the held-out
 * identities3.h, whose answers nobody is to tune on) as entries of
 * man/identities.list,
 * for mcd-identities(7): `make man` appends them to the hand-written list.
 * Each entry is preceded by a "% SOURCE" line, its textbook source. */
#include <stdio.h>
#include <string.h>

#include "unit/identities.h"
#include "unit/identities2.h"
#include "unit/identities4.h"
#include "unit/identities5.h"
#include "unit/identities6.h"
#include "unit/identities7.h"
#include "unit/identities8.h"

/* "A:matrix(m,n);S:symmetric" as "-d 'A:matrix(m,n)' -s S". */
static void options(const char *decls)
{
	char copy[512];
	snprintf(copy, sizeof copy, "%s", decls);
	for (char *tok = strtok(copy, ";"); tok; tok = strtok(NULL, ";")) {
		const char *colon = strchr(tok, ':');
		if (colon && strcmp(colon + 1, "symmetric") == 0)
			printf("-s %.*s ", (int)(colon - tok), tok);
		else
			printf("-d '%s' ", tok);
	}
}

static void table(const char *title, const Identity *rows, size_t n)
{
	printf("@ %s\n", title);
	for (size_t i = 0; i < n; i++) {
		printf("%% %s\n", rows[i].source);
		options(rows[i].decls);
		printf("-wrt %s | %s\n", rows[i].wrt, rows[i].f);
	}
}

#define TABLE(title, rows) table(title, rows, sizeof rows / sizeof rows[0])

int main(void)
{
	TABLE("The reference table: determinants, inverses, traces, forms, norms", identities);
	TABLE("The reference table: the literature of 2026-11-30", identities_more);
	TABLE("The reference table: held-out rows", heldout);
	TABLE("The reference table: more held-out rows", heldout_more);
	TABLE("The reference table: the literature of 2026-12-07", identities_extra);
	TABLE("The reference table: more literature of 2026-12-07", identities_newest);
	TABLE("The reference table: yet more literature of 2026-12-07", identities_sixth);
	TABLE("The reference table: literature of 2026-12-08", identities_seventh);
	TABLE("The reference table: more literature of 2026-12-08", identities_eighth);
	return 0;
}
