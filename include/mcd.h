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
void mcd_add_wrt(mcd_options *o, const char *var);                 /* -wrt, repeatable */
int mcd_set_layout(mcd_options *o, const char *name);  /* numerator|denominator|mixed: 0, else -1 */
void mcd_set_hessian(mcd_options *o, int on);                     /* --hessian */
void mcd_set_check(mcd_options *o, int instances, unsigned long seed); /* --check=N --seed */
/* Every derivative is verified on random instances before it is printed
 * (on by default); a failure prints no result and returns 1.  Off: --no-check. */
void mcd_set_verify(mcd_options *o, int on);
/* The work budget for one expression (--max-nodes): the distinct
 * subexpressions the engine may build before the expression ends with
 * "the result is too large".  The default keeps one expression well under
 * a GiB of memory. */
#define MCD_DEFAULT_MAX_NODES 1000000UL
void mcd_set_max_nodes(mcd_options *o, unsigned long n);
int mcd_declare(mcd_options *o, const char *decl, char *errbuf, size_t n); /* NAME:TYPE */

/* Read one expression src[0..len), numbered `line` in messages.  Writes
 * exactly one line to out (the result, or an empty line when it failed) and
 * any diagnostics to err.  Returns 0 on success and 1 on failure. */
int mcd_run(const mcd_options *o, const char *src, size_t len, long line, FILE *out, FILE *err);

/* Route allocations through mcd's out-of-memory policy; call once first. */
void mcd_init(void);

#endif
