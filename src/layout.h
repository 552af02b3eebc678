/* layout.h: the derivative layout conventions of SPEC section 3. */
#ifndef MCD_LAYOUT_H
#define MCD_LAYOUT_H

typedef enum { LAYOUT_NUMERATOR, LAYOUT_DENOMINATOR, LAYOUT_MIXED } Layout;

#endif
