/* emit.c: one result in the chosen output format (see emit.h): the one-line
 * formats through the printers, JSON here, python through pyemit.c; and the
 * one table of the formats' names. */
#include "emit.h"
#include "print.h"
#include "pyemit.h"
#include "text.h"

#include <string.h>

static const char *const names[EMIT_FORMAT_COUNT] = {
	[MCD_TEXT] = "text", [MCD_UNICODE] = "unicode", [MCD_LATEX] = "latex",
	[MCD_PYTHON] = "python", [MCD_JSON] = "json",
};

int emit_format(const char *name)
{
	for (int i = 0; i < EMIT_FORMAT_COUNT; i++)
		if (strcmp(name, names[i]) == 0)
			return i;
	return -1;
}

const char *emit_format_name(int i)
{
	return i >= 0 && i < EMIT_FORMAT_COUNT ? names[i] : NULL;
}

/* The shape of the result (run.c keeps it, zero results included). */
Shape emit_result_shape(const Result *r)
{
	return r->shape;
}

/* --- JSON --- */


static void json_key(Buf *out, const char *key, int first)
{
	if (!first)
		buf_putc(out, ',');
	buf_printf(out, "\"%s\":", key);
}

/* A string built by a printer (pr NULL: the JSON null). */
static void json_expr(Buf *out, const char *key, const Expr *e, int have, void (*pr)(Buf *, const Expr *))
{
	json_key(out, key, 0);
	if (!have) {
		buf_puts(out, "null");
		return;
	}
	Buf t;
	buf_init(&t);
	if (e)
		pr(&t, e);
	else
		buf_putc(&t, '0');
	text_json_string(out, t.s, t.len);
	buf_free(&t);
}

static void json_dim(Buf *out, const Expr *d)
{
	Buf t;
	buf_init(&t);
	dim_print(&t, d);
	text_json_string(out, t.s, t.len);
	buf_free(&t);
}

static void json_shape(Buf *out, Shape s)
{
	buf_putc(out, '[');
	json_dim(out, s.rows);
	buf_putc(out, ',');
	json_dim(out, s.cols);
	buf_putc(out, ']');
}

static void latex_zero(Buf *out, Shape s)
{
	buf_puts(out, shape_is_scalar(s) ? "0" : "\\mathbf{0}");
}

static void latex_line(Buf *out, const Result *r);

static void json_latex(Buf *out, const Result *r, Shape sh)
{
	Buf t;
	buf_init(&t);
	(void)sh;
	latex_line(&t, r);
	json_key(out, "latex", 0);
	text_json_string(out, t.s, t.len);
	buf_free(&t);
}

/* {"input", "wrt", "layout", "hessian", "expression", "derivative",
 * "result", "shape", "variables", "latex"} on one line. */
static void emit_json(Buf *out, const Result *r)
{
	Shape sh = emit_result_shape(r);
	buf_putc(out, '{');
	json_key(out, "input", 1);
	text_json_string(out, r->input, r->len);
	json_key(out, "wrt", 0);
	buf_putc(out, '[');
	for (int i = 0; i < r->nwrt; i++) {
		if (i)
			buf_putc(out, ',');
		text_json_string(out, r->wrt[i], strlen(r->wrt[i]));
	}
	buf_putc(out, ']');
	json_key(out, "layout", 0);
	buf_printf(out, "\"%s\"", layout_name(r->layout));
	json_key(out, "hessian", 0);
	buf_puts(out, r->hessian ? "true" : "false");
	json_expr(out, "expression", r->f, 1, print_text);
	json_expr(out, "derivative", r->result ? r->shown.result : NULL, r->nwrt > 0, print_text);
	json_expr(out, "result", r->result ? r->shown.result : NULL, 1, print_text);
	if (r->expected) {
		json_expr(out, "expected", r->expected, 1, print_text);
		json_key(out, "equal", 0);
		buf_puts(out, r->equal ? "true" : "false");
	}
	json_key(out, "shape", 0);
	json_shape(out, sh);
	json_key(out, "variables", 0);
	buf_putc(out, '{');
	for (int i = 0; i < shape_var_count(r->shapes); i++) {
		const char *v = shape_var(r->shapes, i)->u.name;
		if (i)
			buf_putc(out, ',');
		text_json_string(out, v, strlen(v));
		buf_putc(out, ':');
		json_shape(out, shape_var_shape(r->shapes, i));
	}
	buf_putc(out, '}');
	json_latex(out, r, sh);
	json_key(out, "where", 0);
	buf_putc(out, '[');
	for (unsigned i = 0; i < r->shown.n; i++) {
		const Shared *d = &r->shown.defs[i];
		buf_puts(out, i ? ",{" : "{");
		json_key(out, "name", 1);
		text_json_string(out, d->name, strlen(d->name));
		json_expr(out, "value", d->value, 1, print_text);
		json_key(out, "shape", 0);
		json_shape(out, d->shape);
		buf_putc(out, '}');
	}
	buf_putc(out, ']');
	buf_putc(out, '}');
}

/* --- the one-line formats --- */

/* RESULT where t1 = V1, t2 = V2 (SPEC 4): one line that reads back. */
static void one_line(Buf *out, const Result *r, void (*pr)(Buf *, const Expr *))
{
	if (!r->result) {
		buf_putc(out, '0');   /* a zero of shape r->shape */
		return;
	}
	pr(out, r->shown.result);
	for (unsigned i = 0; i < r->shown.n; i++) {
		buf_puts(out, i ? ", " : " where ");
		buf_printf(out, "%s = ", r->shown.defs[i].name);
		pr(out, r->shown.defs[i].value);
	}
}

/* ... \quad\text{where } t_{1} = ...,\; t_{2} = ... */
static void latex_line(Buf *out, const Result *r)
{
	if (!r->result) {
		latex_zero(out, emit_result_shape(r));
		return;
	}
	print_latex(out, r->shown.result, r->shapes);
	for (unsigned i = 0; i < r->shown.n; i++) {
		buf_puts(out, i ? ",\\; " : " \\quad\\text{where } ");
		print_latex(out, expr_var(r->pool, r->shown.defs[i].name), r->shapes);
		buf_puts(out, " = ");
		print_latex(out, r->shown.defs[i].value, r->shapes);
	}
}

/* --- dispatch --- */

void emit_result(Buf *out, mcd_format fmt, const Result *r)
{
	switch (fmt) {
	case MCD_TEXT:
		one_line(out, r, print_text);
		break;
	case MCD_UNICODE:
		one_line(out, r, print_unicode);
		break;
	case MCD_LATEX:
		latex_line(out, r);
		break;
	case MCD_JSON:
		emit_json(out, r);
		break;
	case MCD_PYTHON:
		pyemit_module(out, r);
		break;
	}
}

void emit_error(Buf *out, mcd_format fmt, const char *input, size_t len, long line,
		long column, const char *message)
{
	switch (fmt) {
	case MCD_TEXT: case MCD_UNICODE: case MCD_LATEX:
		break;
	case MCD_PYTHON:
		pyemit_error(out, line, message);
		break;
	case MCD_JSON:
		buf_puts(out, "{\"input\":");
		text_json_string(out, input, len);
		buf_printf(out, ",\"line\":%ld,\"column\":", line);
		if (column > 0)
			buf_printf(out, "%ld", column);
		else
			buf_puts(out, "null");
		buf_puts(out, ",\"error\":");
		text_json_string(out, message, strlen(message));
		buf_putc(out, '}');
		break;
	}
}
