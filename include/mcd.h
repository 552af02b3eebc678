/* mcd.h: the public API of libmcd, the library behind the mcd command.
 * One call reads, checks and prints one expression; main.c is only the
 * command line around it. */
#ifndef MCD_H
#define MCD_H

#include <stddef.h>
#include <stdio.h>

#define MCD_VERSION "0.1.0"

typedef enum { MCD_TEXT, MCD_UNICODE, MCD_LATEX, MCD_PYTHON, MCD_JSON } mcd_format;

typedef struct mcd_options mcd_options;

/* Options are built once and used for every expression; the strings are
 * copied.  The add functions return 0, or -1 with a message in errbuf. */
mcd_options *mcd_options_new(void);
void mcd_options_free(mcd_options *o);
int mcd_set_format(mcd_options *o, const char *name);  /* text|unicode|latex|python|json: 0, else -1 */
void mcd_set_shapes(mcd_options *o, int on);                      /* --shapes */
int mcd_add_wrt(mcd_options *o, const char *var);   /* -wrt, repeatable: 0, or -1 out of memory */
int mcd_set_layout(mcd_options *o, const char *name);  /* numerator|denominator|mixed: 0, else -1 */
/* The names mcd_set_format and mcd_set_layout take, for listing them: the
 * i-th from 0 (the first is the default), NULL past the last. */
const char *mcd_format_name(int i);
const char *mcd_layout_name(int i);
void mcd_set_hessian(mcd_options *o, int on);                     /* --hessian */
void mcd_set_check(mcd_options *o, int instances, unsigned long seed); /* --check=N --seed */
/* Every derivative is verified on random instances before it is printed
 * (on by default); a failure prints no result and returns 1.  Off: --no-check. */
void mcd_set_verify(mcd_options *o, int on);
/* The work budget for one expression (--max-nodes): the distinct
 * subexpressions the engine may build before the expression ends with
 * "the result is too large".  The default keeps one expression well under
 * a GiB of memory. */
#define MCD_DEFAULT_MAX_NODES 500000UL
void mcd_set_max_nodes(mcd_options *o, unsigned long n);
/* --expect: every expression is read as EXPR == answer: its result (the
 * derivative, or the expression without -wrt) must equal answer on random
 * instances, or the call fails (1).  NULL turns it off.  0, or -1 when out
 * of memory. */
int mcd_set_expect(mcd_options *o, const char *answer);
/* --share: "auto" (the default) names repeated subexpressions of a result
 * when that shortens it, and the input's where names wherever their values
 * occur; "never" prints everything inline.  0, or -1 for another mode. */
int mcd_set_share(mcd_options *o, const char *mode);
/* --symmetric-gradient: "free" (the default: entries independent), "sym"
 * ((G + G^T) / 2) or "cookbook" (G + G^T - G .* I) for the derivative of a
 * scalar by a matrix declared symmetric.  0, or -1 for another policy. */
int mcd_set_symmetric_gradient(mcd_options *o, const char *policy);
int mcd_declare(mcd_options *o, const char *decl, char *errbuf, size_t n); /* NAME:TYPE */

/* Read one expression src[0..len), numbered `line` in messages.  Writes
 * exactly one line to out (the result, or an empty line when it failed) and
 * any diagnostics to err.  Returns 0 on success and 1 on failure.  Running
 * out of memory fails this expression alone ("out of memory" on err), with
 * everything it allocated freed; the library never exits the process. */
int mcd_run(const mcd_options *o, const char *src, size_t len, long line, FILE *out, FILE *err);

/* The same, with the output returned instead of written: every string is
 * NUL-terminated, on the C heap, and freed by mcd_result_free. */
typedef struct {
	int status;          /* 0 success, 1 failure (as mcd_run returns) */
	char *text;          /* the output line, without its newline: the result in
	                        the chosen format, or on failure what mcd_run writes
	                        (empty, or the JSON error object) */
	char *rows, *cols;   /* the result's shape ("m", "3", "mn"); NULL on failure */
	char *error;         /* the first error's message; NULL on success */
	long line, column;   /* where it is (column 0: no position in the line) */
	char *diagnostics;   /* everything mcd_run writes to its err stream */
} mcd_result;
int mcd_eval(const mcd_options *o, const char *src, size_t len, long line, mcd_result *r);
void mcd_result_free(mcd_result *r);

/* Call once, first, before the program makes any GMP object of its own.
 * It routes GMP's allocations through mcd's allocator
 * (mp_set_memory_functions, process-wide): a program that also uses GMP
 * shares that allocator, which behaves like malloc outside mcd's calls
 * (blocks carry a small header, so GMP objects made before mcd_init must not
 * be freed after it).  Running out of memory inside GMP during an mcd call
 * unwinds out of GMP, which its manual leaves undefined: best effort. */
void mcd_init(void);

#endif
