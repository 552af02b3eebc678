/* emit.h: writing one result in the format --format asks for (SPEC 5):
 * text, unicode, latex (one line each), json (one object per line, also for
 * errors), python (a self-contained module, see pyemit.h).  Output goes to a
 * Buf; the caller adds the final newline. */
#ifndef MCD_EMIT_H
#define MCD_EMIT_H

#include "buf.h"
#include "mcd.h"
#include "result.h"

/* The result in format fmt. */
void emit_result(Buf *out, mcd_format fmt, const Result *r);
/* An expression that failed: JSON gets {"input", "line", "column", "error"}
 * (column null when the error has no position); python gets a comment and
 * the end-of-module line; every other format writes nothing (the caller's
 * empty line). */
void emit_error(Buf *out, mcd_format fmt, const char *input, size_t len, long line,
		long column, const char *message);
/* The formats' names: one table, in emit.c, indexed by mcd_format.  Every
 * list of them (mcd_set_format, mcd_format_name and so the usage text) is
 * read from it. */
enum { EMIT_FORMAT_COUNT = MCD_JSON + 1 };   /* the last mcd_format, plus 1 */
/* The format called name, or -1 for an unknown name. */
int emit_format(const char *name);
/* The name of format i (an mcd_format), or NULL outside 0..EMIT_FORMAT_COUNT-1. */
const char *emit_format_name(int i);

/* The shape of the result r describes, computed from the shapes of f and of
 * the -wrt variables (r->shape can be stale when a step was zero). */
Shape emit_result_shape(const Result *r);

#endif
