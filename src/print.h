/* print.h: writing expressions out, in the formats of SPEC section 5.
 * The text form is re-readable: parsing what print_text wrote gives back the
 * very same hash-consed node (brackets only where the grammar needs them).
 * So is the unicode form (the lexer reads ᵀ ⁻¹ ⁻ᵀ ⊙ ⊗ ‖ as it prints them).
 * The LaTeX form is for documents: a math-mode fragment, never read back. */
#ifndef MCD_PRINT_H
#define MCD_PRINT_H

#include "buf.h"
#include "expr.h"
#include "shape.h"

/* Appends e in ASCII to out: `x^T (A + A^T)`, `kron(A, B)`, `||x - a||`. */
void print_text(Buf *out, const Expr *e);
/* Appends e in UTF-8: `xᵀ (A + Aᵀ)`, `A ⊗ B`, `‖x - a‖`, `X⁻¹`, `a ⊙ b`.
 * Powers, `./`, `.^`, subscripts and function names stay ASCII. */
void print_unicode(Buf *out, const Expr *e);
/* Appends e as a LaTeX math-mode fragment (KaTeX renders it):
 * `\mathbf{x}^{\top} \left(\mathbf{A} + \mathbf{A}^{\top}\right)`.
 * Names are typeset by their shape in s (NULL: by their spelling, SPEC 2):
 * scalars italic (`y`, `\alpha`), vectors and matrices upright bold
 * (`\mathbf{x}`, `\mathbf{A}`, `\boldsymbol{\Sigma}`); trailing digits and
 * what follows `_` become a subscript (`W1` is `\mathbf{W}_{1}`). */
void print_latex(Buf *out, const Expr *e, Shapes *s);

/* The length of a text form in tokens, as a reader counts them: a name
 * with its subscript (I_n, K_{m,n}), a number, ^T, ^-1, ^-T, .*, ./, .^,
 * a norm bar (||, ||_F), or one other character.  SPEC 4's "no longer". */
unsigned print_count_tokens(const char *s);
unsigned print_tokens(const Expr *e);   /* of print_text(e) */

/* print_tokens without printing: the count is taken on the DAG, each node
 * once, and remembered, so that the many candidate answers of one
 * simplification, which share most of their nodes, are measured in time
 * linear in their new nodes.  The counter's memory is a's. */
typedef struct TokenCounter TokenCounter;
TokenCounter *print_counter(Arena *a);
unsigned print_count(TokenCounter *tc, const Expr *e);   /* == print_tokens(e) */

#endif
