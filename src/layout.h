/* layout.h: the derivative layout conventions of SPEC section 3, and their
 * names (one table, in layout.c). */
#ifndef MCD_LAYOUT_H
#define MCD_LAYOUT_H

typedef enum { LAYOUT_NUMERATOR, LAYOUT_DENOMINATOR, LAYOUT_MIXED, LAYOUT_COUNT } Layout;

const char *layout_name(Layout l);                 /* "numerator", ... */
int layout_lookup(const char *name, Layout *out);  /* 1 if name is a layout */

#endif
