/* test_print.c: the text printer, case by case: a node built with the
 * constructors (written as a small s-expression) and the exact text expected. */
#include <check.h>

#include "func.h"
#include <stdlib.h>
#include <string.h>

#include "print.h"
#include "suites.h"

/* --- building nodes from s-expressions ---
 * atoms: numbers (3, -2, 1/3), I and ones (unsized), names (variables);
 * lists: (+ a b ...) (* ...) (.* ...) (kron ...) (neg a) (^T a) (^-1 a)
 * (/ a b) (./ a b) (^ a k) (.^ a p) (FUNC a) (I d) (ones d) (K d d), where a
 * dimension d is a factor (n, 3) or a list of them ((m n)).  The operator
 * names are those of sexpr in helpers.h.  Unary and binary nodes go through
 * the smart constructors, as the parser's do. */

typedef struct {
	Pool *p;
	const char *s;
} Reader;

static const Expr *read_expr(Reader *r);

static void skip_space(Reader *r)
{
	while (*r->s == ' ')
		r->s++;
}

static size_t token(Reader *r, char *out, size_t cap)
{
	size_t n = 0;
	skip_space(r);
	while (r->s[n] && !strchr(" ()", r->s[n]) && n + 1 < cap) {
		out[n] = r->s[n];
		n++;
	}
	out[n] = '\0';
	r->s += n;
	return n;
}

static void expect(Reader *r, char c)
{
	skip_space(r);
	ck_assert_msg(*r->s == c, "s-expression: expected '%c' at \"%s\"", c, r->s);
	r->s++;
}

static const Expr *atom(Reader *r)
{
	char t[64];
	token(r, t, sizeof t);
	if ((t[0] >= '0' && t[0] <= '9') || (t[0] == '-' && t[1] >= '0' && t[1] <= '9')) {
		mpq_t q;
		mpq_init(q);
		mpq_set_str(q, t, 10);
		mpq_canonicalize(q);
		const Expr *e = expr_num(r->p, q);
		mpq_clear(q);
		return e;
	}
	if (strcmp(t, "I") == 0)
		return expr_make(r->p, E_IDENT, NULL, 0);
	if (strcmp(t, "ones") == 0)
		return expr_make(r->p, E_ONES, NULL, 0);
	return expr_var(r->p, t);
}

static const Expr *dim_factor(Reader *r)
{
	char t[64];
	token(r, t, sizeof t);
	if (t[0] >= '0' && t[0] <= '9')
		return expr_int(r->p, atol(t));
	return expr_dsym(r->p, t);
}

/* n, 3 or (m n) */
static const Expr *dim(Reader *r)
{
	const Expr *f[8];
	unsigned n = 0;
	skip_space(r);
	if (*r->s != '(') {
		f[n++] = dim_factor(r);
		return expr_make(r->p, E_DIM, f, n);
	}
	expect(r, '(');
	for (skip_space(r); *r->s != ')' && n < 8; skip_space(r))
		f[n++] = dim_factor(r);
	expect(r, ')');
	return expr_make(r->p, E_DIM, f, n);
}

static const struct {
	const char *op;
	ExprKind kind;
	int arity;          /* 0: n-ary */
} ops[] = {
	{ "+", E_ADD, 0 }, { "*", E_MUL, 0 }, { ".*", E_HAD, 0 }, { "kron", E_KRON, 0 },
	{ "neg", E_NEG, 1 }, { "^T", E_TRANS, 1 }, { "^-1", E_INV, 1 },
	{ "/", E_DIV, 2 }, { "./", E_HDIV, 2 }, { "^", E_POW, 2 }, { ".^", E_EPOW, 2 },
};

static const Expr *operator(Reader *r, ExprKind kind, int arity)
{
	const Expr *a[8];
	unsigned n = 0;
	for (skip_space(r); *r->s != ')' && n < 8; skip_space(r))
		a[n++] = read_expr(r);
	ck_assert(arity == 0 || (unsigned)arity == n);
	if (arity == 1)
		return expr_unary(r->p, kind, a[0]);
	if (arity == 2)
		return expr_binary(r->p, kind, a[0], a[1]);
	return expr_make(r->p, kind, a, n);
}

static const Expr *structured(Reader *r, const char *op)
{
	const Expr *d[2];
	d[0] = dim(r);
	if (strcmp(op, "K") != 0)
		return expr_make(r->p, strcmp(op, "I") == 0 ? E_IDENT : E_ONES, d, 1);
	d[1] = dim(r);
	return expr_make(r->p, E_COMM, d, 2);
}

static const Expr *list(Reader *r)
{
	char op[16];
	const Expr *e = NULL;
	FuncId fn;
	expect(r, '(');
	token(r, op, sizeof op);
	for (size_t i = 0; !e && i < sizeof ops / sizeof ops[0]; i++)
		if (strcmp(op, ops[i].op) == 0)
			e = operator(r, ops[i].kind, ops[i].arity);
	if (!e && (strcmp(op, "I") == 0 || strcmp(op, "ones") == 0 || strcmp(op, "K") == 0))
		e = structured(r, op);
	if (!e && func_lookup(op, strlen(op), &fn))
		e = expr_func(r->p, fn, read_expr(r));
	ck_assert_msg(e != NULL, "s-expression: unknown operator %s", op);
	expect(r, ')');
	return e;
}

static const Expr *read_expr(Reader *r)
{
	skip_space(r);
	return *r->s == '(' ? list(r) : atom(r);
}

static const Expr *build(Pool *p, const char *text)
{
	Reader r = { p, text };
	const Expr *e = read_expr(&r);
	skip_space(&r);
	ck_assert_msg(*r.s == '\0', "s-expression: junk at \"%s\"", r.s);
	return e;
}

/* --- the cases --- */

static const struct {
	const char *sexp, *text;
} cases[] = {
	/* leaves */
	{ "x", "x" }, { "alpha", "alpha" }, { "3", "3" }, { "0", "0" }, { "-2", "-2" },
	{ "1/3", "1/3" }, { "-1/3", "-1/3" }, { "6/4", "3/2" },
	{ "123456789012345678901234567890", "123456789012345678901234567890" },
	{ "I", "I" }, { "(I n)", "I_n" }, { "(I 3)", "I_3" }, { "(I 12)", "I_12" },
	{ "(I (m n))", "I_{m n}" }, { "(I (2 n))", "I_{2 n}" }, { "(I nn)", "I_{nn}" },
	{ "ones", "ones" }, { "(ones n)", "ones_n" }, { "(ones (m n))", "ones_{m n}" },
	{ "(K m n)", "K_{m,n}" }, { "(K (m n) p)", "K_{m n,p}" }, { "(K 2 nn)", "K_{2,nn}" },
	/* sums: a n-ary chain, so a sum inside a sum is bracketed */
	{ "(+ a b c)", "a + b + c" }, { "(+ (+ a b) c)", "(a + b) + c" },
	{ "(+ a (+ b c))", "a + (b + c)" },
	{ "(+ a (neg b))", "a - b" }, { "(+ (neg a) b)", "-a + b" },
	{ "(+ a -2)", "a - 2" }, { "(+ a -1/3)", "a - 1/3" }, { "(+ a 1/3)", "a + 1/3" },
	{ "(+ -2 a)", "-2 + a" }, { "(+ -1/3 a)", "-1/3 + a" },
	{ "(+ a (neg (* b c)))", "a - b c" }, { "(+ (neg (* a b)) c)", "-(a b) + c" },
	{ "(+ a (neg (/ b c)))", "a - b / c" }, { "(+ a (neg (+ b c)))", "a - (b + c)" },
	{ "(+ a (neg (neg b)))", "a - (-b)" }, { "(+ a (* -2 b))", "a + (-2 b)" },
	{ "(+ a (* (neg b) c))", "a + (-b c)" }, { "(+ a (neg (* -2 b)))", "a - (-2 b)" },
	{ "(+ a (* 1/3 b))", "a + 1/3 b" }, { "(+ a (/ (neg b) c))", "a + (-b / c)" },
	{ "(+ a (* (* -2 b) c))", "a + (-2 b) c" },
	/* negation */
	{ "(neg x)", "-x" }, { "(neg (neg x))", "-(-x)" }, { "(neg (* a b))", "-(a b)" },
	{ "(neg (/ a b))", "-(a / b)" }, { "(neg (+ a b))", "-(a + b)" },
	{ "(neg (^T x))", "-x^T" }, { "(neg (tr A))", "-tr(A)" }, { "(neg 2)", "-2" },
	{ "(neg (^ 2 2))", "-2^2" }, { "(neg (kron A B))", "-kron(A, B)" },
	/* products: juxtaposition, and a juxtaposed factor cannot begin with '-' */
	{ "(* A B C)", "A B C" }, { "(* (* A B) C)", "(A B) C" }, { "(* A (* B C))", "A (B C)" },
	{ "(* A (neg B))", "A (-B)" }, { "(* (neg A) B)", "-A B" }, { "(* -2 A)", "-2 A" },
	{ "(* A -2)", "A (-2)" }, { "(* 1/3 A)", "1/3 A" }, { "(* A 1/3)", "A (1/3)" },
	{ "(* -1/3 A)", "-1/3 A" }, { "(* 2 3)", "2 3" }, { "(* A 2)", "A 2" },
	{ "(* 1/2 1/3)", "1/2 (1/3)" }, { "(* (neg (* a b)) c)", "-(a b) c" },
	{ "(* A (+ x y))", "A (x + y)" }, { "(* (+ A B) x)", "(A + B) x" },
	{ "(* A (^T B))", "A B^T" }, { "(* (^T x) A x)", "x^T A x" },
	{ "(* A (kron B C))", "A kron(B, C)" }, { "(* a (norm x))", "a ||x||" },
	{ "(* (norm x) (norm y))", "||x|| ||y||" }, { "(* (^ x 2) 3)", "x^2 3" },
	{ "(* (tr A) (+ x y))", "tr(A) (x + y)" }, { "(* A I)", "A I" },
	{ "(* (I n) x)", "I_n x" }, { "(* (K m n) (vec A))", "K_{m,n} vec(A)" },
	/* division: binary, left-associative, at the same level as products */
	{ "(* (/ a b) c)", "a / b c" }, { "(/ (* a b) c)", "a b / c" },
	{ "(/ a (* b c))", "a / (b c)" }, { "(/ (/ a b) c)", "a / b / c" },
	{ "(/ a (/ b c))", "a / (b / c)" }, { "(/ a (neg b))", "a / -b" },
	{ "(/ a -2)", "a / -2" }, { "(/ a 1/3)", "a / (1/3)" }, { "(/ a -1/3)", "a / (-1/3)" },
	{ "(/ 1 0)", "1 / 0" }, { "(/ -2 0)", "-2 / 0" }, { "(/ 6 4)", "3/2" },
	{ "(/ 1/3 x)", "1/3 / x" }, { "(/ (neg a) b)", "-a / b" },
	{ "(/ (+ a b) c)", "(a + b) / c" }, { "(/ a (^T x))", "a / x^T" },
	/* Hadamard products and quotients */
	{ "(.* a b c)", "a .* b .* c" }, { "(.* (.* a b) c)", "(a .* b) .* c" },
	{ "(.* a (.* b c))", "a .* (b .* c)" }, { "(* (.* a b) c)", "a .* b c" },
	{ "(.* (* a b) c)", "a b .* c" }, { "(.* a (* b c))", "a .* (b c)" },
	{ "(.* a (neg b))", "a .* -b" }, { "(.* a 1/2)", "a .* (1/2)" },
	{ "(.* (neg a) b)", "-a .* b" }, { "(.* (/ a b) c)", "a / b .* c" },
	{ "(./ a b)", "a ./ b" }, { "(./ (./ a b) c)", "a ./ b ./ c" },
	{ "(./ a (./ b c))", "a ./ (b ./ c)" }, { "(./ a (* b c))", "a ./ (b c)" },
	{ "(./ a -2)", "a ./ -2" }, { "(./ (.* a b) c)", "a .* b ./ c" },
	/* Kronecker products: always a call, nested calls stay nested */
	{ "(kron A B)", "kron(A, B)" }, { "(kron A B C)", "kron(A, B, C)" },
	{ "(kron (kron A B) C)", "kron(kron(A, B), C)" },
	{ "(kron (+ A B) (neg C))", "kron(A + B, -C)" }, { "(^T (kron A B))", "kron(A, B)^T" },
	/* postfix operators; a postfix base is bracketed, except for ^-T */
	{ "(^T A)", "A^T" }, { "(^T (^T A))", "(A^T)^T" }, { "(^T (^-1 X))", "X^-T" },
	{ "(^-1 X)", "X^-1" }, { "(^-1 (^T X))", "(X^T)^-1" }, { "(^-1 (^-1 X))", "(X^-1)^-1" },
	{ "(^T (^-1 (* A B)))", "(A B)^-T" }, { "(^T (^T (^-1 X)))", "(X^-T)^T" },
	{ "(^-1 (^T (^-1 X)))", "(X^-T)^-1" }, { "(^T (* A B))", "(A B)^T" },
	{ "(^T (neg A))", "(-A)^T" }, { "(^T -2)", "(-2)^T" }, { "(^T 2)", "2^T" },
	{ "(^T 1/2)", "(1/2)^T" }, { "(^T (tr A))", "tr(A)^T" }, { "(^T (I n))", "I_n^T" },
	{ "(^T (/ a b))", "(a / b)^T" }, { "(^-1 2)", "2^-1" },
	{ "(^ X 2)", "X^2" }, { "(^ X 0)", "X^0" }, { "(^ X -2)", "X^-2" },
	{ "(^ X -12)", "X^-12" }, { "(^ X -1)", "X^-1" },
	{ "(^ x 1/2)", "x^(1/2)" }, { "(^ x -1/2)", "x^(-1/2)" },
	{ "(^ (^ x 2) 3)", "(x^2)^3" }, { "(^ (^T A) 2)", "(A^T)^2" }, { "(^T (^ A 2))", "(A^2)^T" },
	{ "(^ (norm x) 2)", "||x||^2" }, { "(^ 2 3)", "2^3" }, { "(^ -2 3)", "(-2)^3" },
	{ "(^ 1/2 2)", "(1/2)^2" }, { "(^ (* a b) 2)", "(a b)^2" }, { "(^ (I n) 2)", "I_n^2" },
	{ "(^ (kron A B) 2)", "kron(A, B)^2" },
	{ "(.^ x 2)", "x.^2" }, { "(.^ x -2)", "x.^-2" }, { "(.^ x 1/2)", "x.^(1/2)" },
	{ "(.^ x -1/2)", "x.^(-1/2)" }, { "(.^ x alpha)", "x.^alpha" },
	{ "(.^ x (neg alpha))", "x.^-alpha" }, { "(.^ x (* 2 alpha))", "x.^(2 alpha)" },
	{ "(.^ x (tr A))", "x.^tr(A)" }, { "(.^ x (^ alpha 2))", "x.^(alpha^2)" },
	{ "(.^ x (neg (neg alpha)))", "x.^(-(-alpha))" }, { "(.^ x (neg (* 2 a)))", "x.^(-(2 a))" },
	{ "(.^ 2 x)", "2.^x" }, { "(.^ (.^ x 2) 3)", "(x.^2).^3" }, { "(.^ (+ x y) 2)", "(x + y).^2" },
	{ "(.^ x (norm y))", "x.^||y||" }, { "(norm (.^ x (norm y)))", "||x.^norm(y)||" },
	/* functions */
	{ "(tr A)", "tr(A)" }, { "(det X)", "det(X)" }, { "(logdet X)", "logdet(X)" },
	{ "(diag x)", "diag(x)" }, { "(vec A)", "vec(A)" }, { "(sum A)", "sum(A)" },
	{ "(exp x)", "exp(x)" }, { "(log x)", "log(x)" }, { "(sin x)", "sin(x)" },
	{ "(cos x)", "cos(x)" }, { "(tanh x)", "tanh(x)" }, { "(sigmoid x)", "sigmoid(x)" },
	{ "(sqrt x)", "sqrt(x)" }, { "(abs x)", "abs(x)" }, { "(relu x)", "relu(x)" },
	{ "(tr (+ A B))", "tr(A + B)" }, { "(exp (neg x))", "exp(-x)" },
	{ "(^ (tr A) 2)", "tr(A)^2" },
	/* norms: inside a norm, a norm is written as a call */
	{ "(norm x)", "||x||" }, { "(norm (+ x (neg a)))", "||x - a||" },
	{ "(norm (neg x))", "||-x||" }, { "(norm (* a (norm x)))", "||a norm(x)||" },
	{ "(norm (exp (norm x)))", "||exp(norm(x))||" },
	{ "(norm (norm (norm x)))", "||norm(norm(x))||" },
	{ "(+ (norm x) (neg (norm y)))", "||x|| - ||y||" },
	{ "(* (norm (+ x y)) (norm x))", "||x + y|| ||x||" },
	{ "(/ (^T (+ x (neg a))) (norm (+ x (neg a))))", "(x - a)^T / ||x - a||" },
	/* SPEC examples */
	{ "(* (^T x) (+ A (^T A)))", "x^T (A + A^T)" }, { "(* 2 (^T x) A)", "2 x^T A" },
	{ "(* (det X) (^-1 X))", "det(X) X^-1" }, { "(kron (^T x) (I m))", "kron(x^T, I_m)" },
	{ "(+ (kron (I n) (^T R)) (* (kron (^T R) (I n)) (K m n)))",
	  "kron(I_n, R^T) + kron(R^T, I_n) K_{m,n}" },
	{ "(* 2 (+ (* (^T w) x) (neg y)) (^T x))", "2 (w^T x - y) x^T" },
};

START_TEST(test_case)
{
	Pool *p = pool_new();
	Buf b;
	buf_init(&b);
	const Expr *e = build(p, cases[_i].sexp);
	print_text(&b, e);
	ck_assert_msg(strcmp(buf_str(&b), cases[_i].text) == 0, "%s printed as \"%s\", expected \"%s\"",
		      cases[_i].sexp, buf_str(&b), cases[_i].text);
	buf_free(&b);
	pool_free(p);
}
END_TEST

START_TEST(test_appends)
{
	Pool *p = pool_new();
	Buf b;
	buf_init(&b);
	buf_puts(&b, "f = ");
	print_text(&b, build(p, "(+ a (neg b))"));
	ck_assert_str_eq(buf_str(&b), "f = a - b");
	buf_free(&b);
	pool_free(p);
}
END_TEST

Suite *print_suite(void)
{
	Suite *s = suite_create("print");
	TCase *tc = tcase_create("text");
	tcase_add_loop_test(tc, test_case, 0, (int)(sizeof cases / sizeof cases[0]));
	tcase_add_test(tc, test_appends);
	suite_add_tcase(s, tc);
	return s;
}
