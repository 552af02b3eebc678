/* func.c: the function table (see func.h).  Each function's maps and rule
 * come first, in table order; the table itself is at the end. */
#include "func.h"

#include <math.h>
#include <string.h>

/* --- building blocks for the rules --- */

static const Expr *op2(Pool *p, ExprKind k, const Expr *a, const Expr *b)
{
	const Expr *args[2] = { a, b };
	return expr_make(p, k, args, 2);
}

static const Expr *op1(Pool *p, ExprKind k, const Expr *a)
{
	return expr_unary(p, k, a);
}

static const Expr *call(Pool *p, FuncId f, const Expr *a)
{
	return expr_func(p, f, a);
}

/* f'(u) .* du */
static const Expr *times(Pool *p, const Expr *fprime, const Expr *du)
{
	return op2(p, E_HAD, fprime, du);
}

/* t .^ 2 */
static const Expr *squared(Pool *p, const Expr *t)
{
	return op2(p, E_EPOW, t, expr_int(p, 2));
}

/* --- the linear functions: d f(u) = f(du) --- */

static const Expr *rule_linear(Pool *p, const Expr *e, Shape us, const Expr *du)
{
	(void)us;
	return call(p, e->fn, du);
}

/* --- determinants: d det U = det U tr(U^-1 dU); d logdet U = tr(U^-1 dU) --- */

static const Expr *rule_det(Pool *p, const Expr *e, Shape us, const Expr *du)
{
	(void)us;
	const Expr *tr = call(p, F_TR, op2(p, E_MUL, op1(p, E_INV, e->args[0]), du));
	return e->fn == F_DET ? op2(p, E_MUL, e, tr) : tr;
}

/* --- the norm: d ||u|| = u^T du / ||u||, and tr(U^T dU) / ||U||_F --- */

static const Expr *rule_norm(Pool *p, const Expr *e, Shape us, const Expr *du)
{
	const Expr *inner = op2(p, E_MUL, op1(p, E_TRANS, e->args[0]), du);
	if (!dim_is_one(us.cols))
		inner = call(p, F_TR, inner);
	return op2(p, E_DIV, inner, e);
}

/* sum of all entries, and the 2-norm (Frobenius for a matrix), scaled so
 * that squaring cannot overflow. */
static int d_sum(double *r, const double *a, size_t n)
{
	double s = 0;
	for (size_t i = 0; i < n; i++)
		s += a[i];
	*r = s;
	return 1;
}

static int d_norm(double *r, const double *a, size_t n)
{
	double big = 0, s = 0;
	for (size_t i = 0; i < n; i++)
		big = fmax(big, fabs(a[i]));
	for (size_t i = 0; big > 0 && i < n; i++)
		s += (a[i] / big) * (a[i] / big);
	*r = big * sqrt(s);
	return 1;
}

/* --- softmax and logsumexp, both shifted by the largest entry so that exp
 * cannot overflow --- */

static double largest(const double *a, size_t n)
{
	double m = -INFINITY;
	for (size_t i = 0; i < n; i++)
		m = fmax(m, a[i]);
	return m;
}

static int d_softmax(double *r, const double *a, size_t n)
{
	double m = largest(a, n), s = 0;
	for (size_t i = 0; i < n; i++)
		s += r[i] = exp(a[i] - m);
	for (size_t i = 0; i < n; i++)
		r[i] /= s;
	return isfinite(m);
}

static int d_logsumexp(double *r, const double *a, size_t n)
{
	double m = largest(a, n), s = 0;
	for (size_t i = 0; i < n; i++)
		s += exp(a[i] - m);
	*r = m + log(s);
	return isfinite(m);
}

/* d softmax(u) = (diag(s) - s s^T) du = s .* du - s (s^T du) */
static const Expr *rule_softmax(Pool *p, const Expr *e, Shape us, const Expr *du)
{
	(void)us;
	const Expr *proj = op2(p, E_MUL, e, op2(p, E_MUL, op1(p, E_TRANS, e), du));
	return op2(p, E_ADD, times(p, e, du), op1(p, E_NEG, proj));
}

/* d logsumexp(u) = softmax(u)^T du; for a matrix U, whose softmax the
 * language does not have, tr(exp(U)^T dU) / sum(exp(U)). */
static const Expr *rule_logsumexp(Pool *p, const Expr *e, Shape us, const Expr *du)
{
	const Expr *u = e->args[0];
	if (dim_is_one(us.cols))
		return op2(p, E_MUL, op1(p, E_TRANS, call(p, F_SOFTMAX, u)), du);
	const Expr *w = call(p, F_EXP, u);
	return op2(p, E_DIV, call(p, F_TR, op2(p, E_MUL, op1(p, E_TRANS, w), du)), call(p, F_SUM, w));
}

/* --- the element-wise functions --- */

static int d_exp(double *r, double a) { *r = exp(a); return 1; }
static int d_log(double *r, double a) { *r = log(a); return a > 0; }
static int d_sin(double *r, double a) { *r = sin(a); return 1; }
static int d_cos(double *r, double a) { *r = cos(a); return 1; }
static int d_tanh(double *r, double a) { *r = tanh(a); return 1; }
static int d_sigmoid(double *r, double a) { *r = 1 / (1 + exp(-a)); return 1; }
static int d_sqrt(double *r, double a) { *r = sqrt(a); return a >= 0; }
static int d_abs(double *r, double a) { *r = fabs(a); return 1; }
static int d_relu(double *r, double a) { *r = a > 0 ? a : 0; return 1; }
static int d_sign(double *r, double a) { *r = (a > 0) - (a < 0); return 1; }
static int d_step(double *r, double a) { *r = a > 0; return 1; }

/* log(1 + exp(a)) = max(a, 0) + log1p(exp(-|a|)), which cannot overflow */
static int d_softplus(double *r, double a)
{
	*r = fmax(a, 0) + log1p(exp(-fabs(a)));
	return 1;
}

static const Expr *rule_exp(Pool *p, const Expr *e, Shape us, const Expr *du)
{
	(void)us;
	return times(p, e, du);
}

static const Expr *rule_log(Pool *p, const Expr *e, Shape us, const Expr *du)
{
	(void)us;
	return op2(p, E_HDIV, du, e->args[0]);
}

static const Expr *rule_sin(Pool *p, const Expr *e, Shape us, const Expr *du)
{
	(void)us;
	return times(p, call(p, F_COS, e->args[0]), du);
}

static const Expr *rule_cos(Pool *p, const Expr *e, Shape us, const Expr *du)
{
	(void)us;
	return op1(p, E_NEG, times(p, call(p, F_SIN, e->args[0]), du));
}

/* The all-ones matrix of a shape: 1, ones_m, or ones_m ones_n^T. */
static const Expr *ones_like(Pool *p, Shape s)
{
	const Expr *col = dim_is_one(s.rows) ? NULL : expr_make(p, E_ONES, &s.rows, 1);
	const Expr *row = dim_is_one(s.cols) ? NULL : op1(p, E_TRANS, expr_make(p, E_ONES, &s.cols, 1));
	if (col && row)
		return op2(p, E_MUL, col, row);
	return col ? col : row ? row : expr_int(p, 1);
}

/* 1 - t with t of shape s */
static const Expr *one_minus(Pool *p, const Expr *t, Shape s)
{
	return op2(p, E_ADD, ones_like(p, s), op1(p, E_NEG, t));
}

/* (1 - tanh(u).^2) .* du: the factor stays one unit, so a chain of layers
 * is a chain of diag(1 - t.^2) W factors, not a sum that doubles with
 * each layer. */
static const Expr *rule_tanh(Pool *p, const Expr *e, Shape us, const Expr *du)
{
	return times(p, one_minus(p, squared(p, e), us), du);
}

/* s .* (1 - s) .* du with s = sigmoid(u), one unit as for tanh */
static const Expr *rule_sigmoid(Pool *p, const Expr *e, Shape us, const Expr *du)
{
	const Expr *f[3] = { e, one_minus(p, e, us), du };
	return expr_make(p, E_HAD, f, 3);
}

static const Expr *rule_sqrt(Pool *p, const Expr *e, Shape us, const Expr *du)
{
	(void)us;
	return op2(p, E_HDIV, du, op2(p, E_MUL, expr_int(p, 2), e));
}

/* abs and relu differentiate to sign and step, which are defined at 0
 * (x ./ abs(x) would not be). */
static const Expr *rule_abs(Pool *p, const Expr *e, Shape us, const Expr *du)
{
	(void)us;
	return times(p, call(p, F_SIGN, e->args[0]), du);
}

static const Expr *rule_relu(Pool *p, const Expr *e, Shape us, const Expr *du)
{
	(void)us;
	return times(p, call(p, F_STEP, e->args[0]), du);
}

static const Expr *rule_softplus(Pool *p, const Expr *e, Shape us, const Expr *du)
{
	(void)us;
	return times(p, call(p, F_SIGMOID, e->args[0]), du);
}

/* sign and step are flat wherever they are differentiable */
static const Expr *rule_flat(Pool *p, const Expr *e, Shape us, const Expr *du)
{
	(void)p, (void)e, (void)us, (void)du;
	return NULL;
}

/* Exact: abs, relu, sign and step are rational; at 0 none is differentiable. */
static int q_kink(mpq_t v, mpq_t dv, const mpq_t a, const mpq_t da, FuncId f)
{
	int sg = mpq_sgn(a);
	if (!sg)
		return 0;
	switch (f) {
	case F_ABS: mpq_abs(v, a); break;
	case F_RELU: mpq_set_si(v, 0, 1); if (sg > 0) mpq_set(v, a); break;
	case F_SIGN: mpq_set_si(v, sg, 1); break;
	default: mpq_set_si(v, sg > 0, 1); break;
	}
	mpq_set_si(dv, 0, 1);
	if (f == F_ABS || (f == F_RELU && sg > 0))
		mpq_set(dv, da);
	if (f == F_ABS && sg < 0)
		mpq_neg(dv, dv);
	return 1;
}

static int q_abs(mpq_t v, mpq_t dv, const mpq_t a, const mpq_t da) { return q_kink(v, dv, a, da, F_ABS); }
static int q_relu(mpq_t v, mpq_t dv, const mpq_t a, const mpq_t da) { return q_kink(v, dv, a, da, F_RELU); }
static int q_sign(mpq_t v, mpq_t dv, const mpq_t a, const mpq_t da) { return q_kink(v, dv, a, da, F_SIGN); }
static int q_step(mpq_t v, mpq_t dv, const mpq_t a, const mpq_t da) { return q_kink(v, dv, a, da, F_STEP); }

/* --- the Python helpers: each defines the callable its row names --- */

static const char py_trace[] =
	"def _trace(a):\n"
	"    return np.trace(np.atleast_2d(a))\n";

static const char py_det[] =
	"def _det(a):\n"
	"    return np.linalg.det(np.atleast_2d(a))\n";

static const char py_logdet[] =
	"def _logdet(a):\n"
	"    \"\"\"log det(a); nan where det(a) <= 0.\"\"\"\n"
	"    sign, logabs = np.linalg.slogdet(np.atleast_2d(a))\n"
	"    if sign <= 0:\n"
	"        if _STRICT:\n"
	"            raise _Redraw()\n"
	"        return np.nan\n"
	"    return logabs\n";

static const char py_diag[] =
	"def _diag(a):\n"
	"    \"\"\"diag(x) of a column is a diagonal matrix; diag(A) of a square matrix,\n"
	"    its diagonal as a column.\"\"\"\n"
	"    a = np.atleast_2d(a)\n"
	"    if a.shape[1] == 1:\n"
	"        return np.diagflat(a)\n"
	"    return np.diag(a).reshape(-1, 1)\n";

static const char py_vec[] =
	"def _vec(a):\n"
	"    \"\"\"The columns of a stacked: column-major, as in mcd.\"\"\"\n"
	"    return np.reshape(a, (-1, 1), order=\"F\")\n";

static const char py_norm[] =
	"def _norm(a):\n"
	"    \"\"\"The 2-norm of a vector, the Frobenius norm of a matrix.\"\"\"\n"
	"    return np.sqrt(np.sum(np.square(a)))\n";

static const char py_softmax[] =
	"def _softmax(z):\n"
	"    \"\"\"exp(z) / sum(exp(z)) of a column, shifted so that exp cannot overflow.\"\"\"\n"
	"    w = np.exp(z - np.max(z))\n"
	"    return w / np.sum(w)\n";

static const char py_logsumexp[] =
	"def _logsumexp(a):\n"
	"    \"\"\"log(sum(exp(a))) over all entries, shifted so that exp cannot overflow.\"\"\"\n"
	"    m = np.max(a)\n"
	"    return m + np.log(np.sum(np.exp(a - m)))\n";

static const char py_sigmoid[] =
	"def _sigmoid(a):\n"
	"    \"\"\"1 / (1 + exp(-a)), written so that it cannot overflow.\"\"\"\n"
	"    return 0.5 * (1.0 + np.tanh(0.5 * a))\n";

static const char py_relu[] =
	"def _relu(a):\n"
	"    return np.maximum(a, 0.0)\n";

static const char py_softplus[] =
	"def _softplus(a):\n"
	"    \"\"\"log(1 + exp(a)), written so that it cannot overflow.\"\"\"\n"
	"    return np.logaddexp(0.0, a)\n";

static const char py_step[] =
	"def _step(a):\n"
	"    \"\"\"The Heaviside step, 0 at 0.\"\"\"\n"
	"    return np.heaviside(a, 0.0)\n";

/* --- the table, in FuncId order --- */

#define OP(s) "\\operatorname{" s "}"

static const FuncDef table[F_COUNT] = {
	[F_TR] = { "tr", FS_SQUARE, OP("tr"), NULL, "_trace", py_trace,
		   NULL, NULL, NULL, rule_linear },
	[F_DET] = { "det", FS_SQUARE, "\\det", NULL, "_det", py_det,
		    NULL, NULL, NULL, rule_det },
	[F_LOGDET] = { "logdet", FS_SQUARE, "\\log\\det", NULL, "_logdet",
		       py_logdet, NULL, NULL, NULL, rule_det },
	[F_DIAG] = { "diag", FS_DIAG, OP("diag"), NULL, "_diag", py_diag,
		     NULL, NULL, NULL, rule_linear },
	[F_VEC] = { "vec", FS_VEC, OP("vec"), NULL, "_vec", py_vec,
		    NULL, NULL, NULL, rule_linear },
	[F_SUM] = { "sum", FS_SCALAR, OP("sum"), NULL, "np.sum", NULL,
		    NULL, d_sum, NULL, rule_linear },
	[F_NORM] = { "norm", FS_SCALAR, NULL, NULL, "_norm", py_norm,
		     NULL, d_norm, NULL, rule_norm },
	[F_SOFTMAX] = { "softmax", FS_COLUMN, OP("softmax"), NULL, "_softmax",
			py_softmax, NULL, d_softmax, NULL, rule_softmax },
	[F_LOGSUMEXP] = { "logsumexp", FS_SCALAR, OP("logsumexp"), NULL,
			  "_logsumexp", py_logsumexp, NULL, d_logsumexp, NULL, rule_logsumexp },
	[F_EXP] = { "exp", FS_SAME, "\\exp", NULL, "np.exp", NULL,
		    d_exp, NULL, NULL, rule_exp },
	[F_LOG] = { "log", FS_SAME, "\\log", NULL, "np.log", NULL,
		    d_log, NULL, NULL, rule_log },
	[F_SIN] = { "sin", FS_SAME, "\\sin", NULL, "np.sin", NULL,
		    d_sin, NULL, NULL, rule_sin },
	[F_COS] = { "cos", FS_SAME, "\\cos", NULL, "np.cos", NULL,
		    d_cos, NULL, NULL, rule_cos },
	[F_TANH] = { "tanh", FS_SAME, "\\tanh", NULL, "np.tanh", NULL,
		     d_tanh, NULL, NULL, rule_tanh },
	[F_SIGMOID] = { "sigmoid", FS_SAME, OP("sigmoid"), NULL, "_sigmoid",
			py_sigmoid, d_sigmoid, NULL, NULL, rule_sigmoid },
	[F_SQRT] = { "sqrt", FS_SAME, "\\sqrt{", "}", "np.sqrt", NULL,
		     d_sqrt, NULL, NULL, rule_sqrt },
	[F_ABS] = { "abs", FS_SAME, "\\left\\lvert ", " \\right\\rvert", "np.abs", NULL,
		    d_abs, NULL, q_abs, rule_abs },
	[F_RELU] = { "relu", FS_SAME, OP("relu"), NULL, "_relu", py_relu,
		     d_relu, NULL, q_relu, rule_relu },
	[F_SOFTPLUS] = { "softplus", FS_SAME, OP("softplus"), NULL, "_softplus",
			 py_softplus, d_softplus, NULL, NULL, rule_softplus },
	[F_SIGN] = { "sign", FS_SAME, OP("sign"), NULL, "np.sign", NULL,
		     d_sign, NULL, q_sign, rule_flat },
	[F_STEP] = { "step", FS_SAME, OP("step"), NULL, "_step", py_step,
		     d_step, NULL, q_step, rule_flat },
};

const FuncDef *func_def(FuncId f)
{
	return &table[f];
}

const char *func_name(FuncId f)
{
	return table[f].name;
}

int func_lookup(const char *name, size_t n, FuncId *out)
{
	for (int i = 0; i < F_COUNT; i++)
		if (strncmp(table[i].name, name, n) == 0 && table[i].name[n] == '\0') {
			*out = (FuncId)i;
			return 1;
		}
	return 0;
}

int func_elementwise(FuncId f)
{
	return table[f].shape == FS_SAME;
}
