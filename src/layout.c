/* layout.c: the names of the layouts (see layout.h), the one table of them. */
#include "layout.h"

#include <string.h>

static const char *const names[LAYOUT_COUNT] = { "numerator", "denominator", "mixed" };

const char *layout_name(Layout l)
{
	return names[l];
}

int layout_lookup(const char *name, Layout *out)
{
	for (int i = 0; i < LAYOUT_COUNT; i++)
		if (strcmp(name, names[i]) == 0) {
			*out = (Layout)i;
			return 1;
		}
	return 0;
}
