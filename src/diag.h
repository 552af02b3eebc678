/* diag.h: compiler-style diagnostics for one line of input.
 *   mcd: 1:7: error: cannot add 1 x n and p x 1 (W would need one column)
 *     a^T W + b
 *     ~~~~~ ^ ~
 * Columns count characters (UTF-8 code points), from 1.  Messages are built
 * in a Buf, so the caller decides where they go (stderr, or JSON). */
#ifndef MCD_DIAG_H
#define MCD_DIAG_H

#include "ast.h"
#include "buf.h"

typedef struct {
	const char *src;      /* the line being read (not NUL-terminated) */
	size_t len;
	long line;            /* the number to report */
	int errors;           /* errors reported so far */
	Buf text;             /* everything reported, ready for stderr */
	Buf first;            /* the first error's message alone */
	long first_col;       /* and its column */
} Diag;

void diag_init(Diag *d, const char *src, size_t len, long line);
void diag_free(Diag *d);
long diag_column(const Diag *d, uint32_t offset);
/* An error with a caret at `at` and `~` under each of the n ranges in under. */
void diag_error(Diag *d, Loc at, const Loc *under, int n, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
/* A warning: reported like an error, but the line still succeeds. */
void diag_warning(Diag *d, Loc at, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* A note (after an error), with a caret. */
void diag_note(Diag *d, Loc at, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* An error that has no position in the line (a -wrt name, say). */
void diag_plain(Diag *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
