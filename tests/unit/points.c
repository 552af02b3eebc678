/* points.c: the special points of points.h. */
#include "points.h"

#include "shape.h"

const char *const point_names[NPOINTS] = {
	"a residual at zero", "a skew penalty's argument symmetric", "the variable the identity",
};

static int contains(const Expr *e, const Expr *v)
{
	if (e == v)
		return 1;
	for (unsigned i = 0; i < e->nargs; i++)
		if (e->kind != E_DIM && contains(e->args[i], v))
			return 1;
	return 0;
}

/* In f, a norm of a difference E - c or c - E, c a variable that is not x
 * and not in E: *c and *E set, 1.  The residual is then made zero by
 * giving c the value of E. */
static int residual(const Expr *f, const Expr *x, const Expr **c, const Expr **E)
{
	if (f->kind == E_FUNC && f->fn == F_NORM && f->args[0]->kind == E_ADD && f->args[0]->nargs == 2) {
		const Expr *const *t = f->args[0]->args;
		for (int i = 0; i < 2; i++) {
			const Expr *neg = t[i], *other = t[1 - i];
			const Expr *v = neg->kind == E_NEG ? neg->args[0] : other->kind == E_NEG ? other : NULL;
			const Expr *e = neg->kind == E_NEG ? other : other->kind == E_NEG ? neg : NULL;
			if (neg->kind == E_NEG && v && v->kind == E_VAR && v != x && !contains(e, v)) {
				*c = v;
				*E = e;
				return 1;
			}
		}
	}
	for (unsigned i = 0; i < f->nargs; i++)
		if (f->kind != E_DIM && f->kind != E_IDENT && f->kind != E_ONES && f->kind != E_COMM &&
		    residual(f->args[i], x, c, E))
			return 1;
	return 0;
}

/* In f, a norm of X - X^T (or X^T - X), X a variable: X. */
static const Expr *skew_argument(const Expr *f)
{
	if (f->kind == E_FUNC && f->fn == F_NORM && f->args[0]->kind == E_ADD && f->args[0]->nargs == 2) {
		const Expr *const *t = f->args[0]->args;
		for (int i = 0; i < 2; i++)
			if (t[1 - i]->kind == E_NEG) {
				const Expr *a = t[i], *b = t[1 - i]->args[0];
				if (a->kind == E_VAR && b->kind == E_TRANS && b->args[0] == a)
					return a;
				if (b->kind == E_VAR && a->kind == E_TRANS && a->args[0] == b)
					return b;
			}
	}
	for (unsigned i = 0; i < f->nargs; i++) {
		const Expr *x = f->kind == E_DIM ? NULL : skew_argument(f->args[i]);
		if (x)
			return x;
	}
	return NULL;
}

int special_point(Pool *p, Instance *in, const Expr *f, const Expr *x, Point pt)
{
	const Expr *c = NULL, *E = NULL;
	switch (pt) {
	case AT_ZERO_RESIDUAL:
		if (!residual(f, x, &c, &E))
			return 0;
		break;
	case AT_SYMMETRIC:   /* X := (X + X^T) / 2 */
		if (!(c = skew_argument(f)))
			return 0;
		E = expr_binary(p, E_DIV, expr_binary(p, E_ADD, c, expr_unary(p, E_TRANS, c)), expr_int(p, 2));
		break;
	case AT_IDENTITY: {  /* X := I, X square here */
		QMat q = { 0 };
		int square = eval_exact(in, x, NULL, NULL, &q, NULL) == EVAL_OK && q.rows == q.cols && q.rows > 1;
		for (unsigned i = 0; square && i < q.rows * q.cols; i++)
			mpq_set_ui(q.a[i], i % (q.rows + 1) == 0, 1);
		int set = square && inst_set_value(in, x, &q, NULL);
		qmat_free(&q);
		return set;
	}
	default:
		return 0;
	}
	QMat q = { 0 };
	DMat dv = { 0 };
	int set = eval_exact(in, E, NULL, NULL, &q, NULL) == EVAL_OK ? inst_set_value(in, c, &q, NULL)
		  : eval_double(in, E, NULL, NULL, 0, &dv) == EVAL_OK && inst_set_value(in, c, NULL, &dv);
	qmat_free(&q);
	dmat_free(&dv);
	return set;
}

