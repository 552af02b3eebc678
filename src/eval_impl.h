/* eval_impl.h: what the two evaluators (eval_exact.c, eval_double.c) share,
 * all of it defined in inst.c: the size limit, the instance's lookups and
 * cost budget, product shapes, and the node memo that lets a walk over a
 * shared DAG free each value once its last parent has used it.  Private to
 * those three files; everyone else uses eval.h. */
#ifndef MCD_EVAL_IMPL_H
#define MCD_EVAL_IMPL_H

#include "eval.h"
#include "map.h"

/* No matrix may have more entries than this (64 x 64), so neither evaluator
 * can eat the machine: products, inverses and determinants then cost at most
 * 4096^1.5 operations each. */
enum { MAX_ENTRIES = EVAL_MAX_ENTRIES };

/* --- sizes --- */

/* 1 when a rows x cols matrix is empty or has more than MAX_ENTRIES. */
int eval_too_big(unsigned rows, unsigned cols);
/* The shape of a product: a 1x1 factor scales, otherwise rows by columns.
 * 0 when the shapes do not fit or the result would be too big. */
int eval_prod_shape(unsigned ar, unsigned ac, unsigned br, unsigned bc,
		    unsigned *r, unsigned *c);
/* K_{m,n} maps vec(A) to vec(A^T) for m x n A: A_ij sits at i + j m in vec(A)
 * and at j + i n in vec(A^T).  Calls put(ctx, row, col) for each 1. */
void eval_comm_ones(unsigned m, unsigned n, void (*put)(void *, size_t, size_t), void *ctx);

/* --- the instance --- */

/* Counts a computed value of so many entries; 1 when the check's budget is
 * spent (the evaluation then stops as if undefined, and the checker sees
 * the budget). */
int inst_over_budget(Instance *in, size_t entries);
/* The size an E_DIM or E_DSYM stands for on in; 0 when it has none. */
unsigned inst_dimval(const Instance *in, const Expr *e);
/* The size in the k-th argument of an I, ones or K node; 1 when the node
 * has no such argument (a scalar I or ones). */
unsigned inst_arg_dim(const Instance *in, const Expr *e, unsigned k);
/* The value of the variable v (an E_VAR node), exact or in doubles; NULL
 * when v has none (not a variable of the instance, or too big). */
const QMat *inst_qvalue(const Instance *in, const Expr *v);
const DMat *inst_dvalue(const Instance *in, const Expr *v);

/* --- the node memo: a slot per node for walks over shared DAGs --- */

typedef struct {
	unsigned uses;      /* parents still to consume the value */
	void *val;          /* QDual * or DMat *: owned by the evaluator */
} EvalSlot;

/* The slots sit in one array in the order their nodes were first met; the
 * map gives a node's place in it.  All on the heap, for the length of one
 * evaluation: eval_memo_free releases it. */
typedef struct {
	Map index;          /* node -> its slot's index (a heap map) */
	EvalSlot *slot;
	size_t n, cap;
} EvalMemo;

void eval_memo_init(EvalMemo *m);
/* Makes the slot of every node under e, counting for each how many parent
 * edges lead to it, so an evaluator can free a value once its last parent
 * has used it. */
void eval_count_uses(EvalMemo *m, const Expr *e);
/* The slot of e.  Once eval_count_uses(m, root) has run, every node under
 * root has one and looking it up adds nothing, so a slot pointer stays valid
 * until eval_memo_free; a node not counted gets a new empty slot, which may
 * move the others. */
EvalSlot *eval_memo_slot(EvalMemo *m, const Expr *e);
/* Frees every value still held, with free_val, then the memo itself. */
void eval_memo_free(EvalMemo *m, void (*free_val)(void *));

#endif
