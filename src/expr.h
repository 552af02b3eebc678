/* expr.h: immutable, hash-consed expression nodes.
 * Structurally equal nodes are one node, so equality is pointer equality and
 * later passes (shapes, derivatives, simplification) can memoise on identity.
 *
 * Ownership: every node and every interned string belongs to one Pool and
 * lives until pool_free.  Nodes are never modified after construction.  A run
 * (one expression of a batch) uses one Pool. */
#ifndef MCD_EXPR_H
#define MCD_EXPR_H

#include <gmp.h>
#include <stdint.h>

#include "arena.h"

#include <setjmp.h>

typedef enum {
	/* leaves */
	E_NUM,   /* u.num: an exact rational, possibly negative */
	E_VAR,   /* u.name: a variable (matrix, vector or scalar) */
	E_DSYM,  /* u.name: a dimension symbol, own namespace (the n of I_n) */
	/* dimensions and structured constants */
	E_DIM,   /* args: factors, each E_NUM (positive integer) or E_DSYM; product */
	E_IDENT, /* nargs 0: identity of inferred size; nargs 1: args[0] an E_DIM */
	E_ONES,  /* nargs 0 or 1, as E_IDENT: column vector of ones */
	E_COMM,  /* args[0], args[1]: E_DIM m, n; the commutation matrix K_{m,n} */
	/* operators */
	E_ADD,   /* args: n >= 2 terms; subtraction is a term E_NEG */
	E_NEG,   /* args[0]; never of an E_NUM (the constructor folds it) */
	E_MUL,   /* args: n >= 2 factors, juxtaposition or '*' */
	E_DIV,   /* args[0] / args[1], the divisor a scalar */
	E_HAD,   /* args: n >= 2, Hadamard product */
	E_HDIV,  /* args[0] ./ args[1] */
	E_KRON,  /* args: n >= 2, Kronecker product */
	E_TRANS, /* args[0]^T */
	E_INV,   /* args[0]^-1; A^-T is E_TRANS of E_INV */
	E_POW,   /* args[0] ^ args[1], args[1] an E_NUM other than -1 */
	E_EPOW,  /* args[0] .^ args[1], args[1] a scalar expression */
	E_FUNC   /* fn applied to args[0] */
} ExprKind;

enum { E_KIND_COUNT = E_FUNC + 1 };

typedef enum {
	F_TR, F_DET, F_LOGDET, F_DIAG, F_VEC, F_SUM, F_NORM, F_SOFTMAX, F_LOGSUMEXP,
	/* element-wise from here on */
	F_EXP, F_LOG, F_SIN, F_COS, F_TANH, F_SIGMOID, F_SQRT, F_ABS, F_RELU,
	F_SOFTPLUS, F_SIGN, F_STEP
} FuncId;

/* Everything else about a function is its row in func.h's table. */
enum { F_COUNT = F_STEP + 1, F_FIRST_ELEMENTWISE = F_EXP };

typedef struct Expr Expr;
struct Expr {
	ExprKind kind;
	FuncId fn;      /* E_FUNC only */
	uint32_t hash;
	uint32_t id;    /* creation order within the pool: a deterministic tie-break */
	unsigned nargs;
	union {
		mpq_t num;          /* E_NUM */
		const char *name;   /* E_VAR, E_DSYM: interned, compare by pointer */
	} u;
	const Expr *args[];
};

typedef struct Pool Pool;

Pool *pool_new(void);
void pool_free(Pool *p);
Arena *pool_arena(Pool *p);
size_t pool_size(const Pool *p);             /* number of distinct nodes */
/* The work budget (SPEC 7): once more than max_nodes distinct nodes exist,
 * or the pool's arena holds more than POOL_MAX_BYTES_PER_NODE bytes a node of
 * the budget, or pool_check_budget has been passed POOL_STEPS_PER_NODE times
 * a node of it (work that builds nothing new), the next pool_check_budget
 * longjmps to *bail (with 1).  The engine calls
 * pool_check_budget only at the entry of its recursions (diff's dif and
 * vec_form, canon's canon, to_expr and factored), where no heap memory or GMP temporary is held
 * by any frame in between, so the jump loses nothing the pool does not own.
 * bail NULL turns it off. */
enum { POOL_MAX_BYTES_PER_NODE = 512, POOL_STEPS_PER_NODE = 16 };
void pool_set_budget(Pool *p, size_t max_nodes, jmp_buf *bail);
void pool_check_budget(Pool *p);
const char *pool_intern(Pool *p, const char *s, size_t n);

/* Constructors.  They return the existing node when an equal one exists. */
const Expr *expr_num(Pool *p, const mpq_t q);
const Expr *expr_int(Pool *p, long n);
const Expr *expr_var(Pool *p, const char *name);   /* name need not be interned */
const Expr *expr_dsym(Pool *p, const char *name);
const Expr *expr_make(Pool *p, ExprKind k, const Expr *const *args, unsigned nargs);
const Expr *expr_func(Pool *p, FuncId fn, const Expr *arg);
/* Smart constructors, the ones the parser uses.  They keep three invariants
 * that make printing re-readable: no E_NEG of a number (-2 is a number), no
 * E_DIV of two numbers with a nonzero divisor (1/3 is a number), and no E_POW
 * with exponent -1 (that is E_INV). */
const Expr *expr_unary(Pool *p, ExprKind k, const Expr *a);
const Expr *expr_binary(Pool *p, ExprKind k, const Expr *a, const Expr *b);
/* e's kind (and function) over new operands, through the smart
 * constructors, so the invariants hold (-h with h = 2 is the number -2). */
const Expr *expr_rebuild(Pool *p, const Expr *e, const Expr *const *args);

/* Whether s[0..n) is a Greek letter's name (alpha, Sigma): 0 not, 1 a letter
 * LaTeX spells (\\xi), 2 one of the lowercase names that SPEC section 2 makes a
 * scalar.  The one list of Greek names (shapes, printing, the call rule). */
int expr_greek(const char *s, size_t n);

int expr_is_num(const Expr *e, long v);   /* e is the number v */
int expr_cmp(const Expr *a, const Expr *b); /* a total order, stable across runs */

#endif
