/* defs.h: the definitions of `F where h1 = E1, h2 = E2` (SPEC 1).  They
 * may come in any order and refer to each other; defs_check refuses a
 * cycle and a name that is also declared or differentiated by, and warns of
 * a definition nothing uses; defs_substitute puts the values in, so the
 * engine never sees a defined name ("differentiation goes through the
 * definitions"). */
#ifndef MCD_DEFS_H
#define MCD_DEFS_H

#include "parse.h"
#include "shape.h"

/* 0 when the definitions of in are usable (warnings reported), else 1
 * after reporting.  Marks each used one (Def.used). */
int defs_check(Pool *p, const Line *in, const Decl *decls, char *const *wrt, int nwrt, Diag *dg);

/* e (elaborated with s) with every defined name replaced by its value,
 * itself substituted.  Shared nodes are substituted once. */
typedef struct Subst Subst;
Subst *defs_subst_new(Pool *p, Shapes *s, const Line *in);
const Expr *defs_substitute(Subst *u, const Expr *e);
/* The value of definition i, substituted (for --shapes). */
const Expr *defs_value(Subst *u, unsigned i);

#endif
