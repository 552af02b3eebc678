/* pyemit.h: --format python (SPEC 5): one result as a self-contained Python 3
 * module that needs only numpy.  It defines value() (f), derivative() (the
 * result in the chosen layout; with --hessian the first derivative, and
 * hessian() the second; with several -wrt, derivative_1() ... for the
 * intermediate steps), each taking the variables as keyword arguments, and a
 * self-check run as `python3 FILE [SEED]` that compares every derivative with
 * central finite differences at random points.  Every module ends with the
 * line `# ---`, so the modules of a batch can be told apart. */
#ifndef MCD_PYEMIT_H
#define MCD_PYEMIT_H

#include "buf.h"
#include "result.h"

/* The module for r (the caller adds the final newline). */
void pyemit_module(Buf *out, const Result *r);
/* For an expression that failed: a comment naming it, then `# ---`. */
void pyemit_error(Buf *out, long line, const char *message);

#endif
