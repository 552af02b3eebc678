/* print.h: writing expressions out, in the formats of SPEC section 5.
 * The text form is re-readable: parsing what print_text wrote gives back the
 * very same hash-consed node (brackets only where the grammar needs them). */
#ifndef MCD_PRINT_H
#define MCD_PRINT_H

#include "buf.h"
#include "expr.h"

/* Appends e in ASCII to out: `x^T (A + A^T)`, `kron(A, B)`, `||x - a||`. */
void print_text(Buf *out, const Expr *e);

#endif
