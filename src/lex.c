/* lex.c: the lexer's helpers: exact numbers, names, brackets and norm bars,
 * and the messages for bytes that are not part of the language. */
#include "lexstate.h"
#include "func.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { MAX_EXPONENT = 10000 };  /* 1e10000 is fine, 1e99999999 is a typo */

void lex_advance(struct LexState *ls, YYLTYPE *loc, const char *text, size_t len)
{
	loc->start = ls->offset;
	ls->offset += (uint32_t)len;
	loc->end = ls->offset;
	if (len && !strchr(" \t\r\f\v", text[0])) {
		ls->prev_name = ls->cur_name;
		ls->cur_name = NULL;
	}
}

Loc lex_here(const struct LexState *ls)
{
	return (Loc){ ls->offset, ls->offset };
}

static void error_at(struct LexState *ls, Loc at, const char *msg, const char *arg)
{
	if (!ls->failed)
		diag_error(ls->dg, at, &at, 1, msg, arg);
	ls->failed = 1;
}

/* A decimal literal, exactly: 0.1 is 1/10.  Digits, an optional fraction and
 * an optional exponent; the value is mantissa * 10^scale. */
const Expr *lex_number(struct LexState *ls, Loc at, const char *text, size_t len)
{
	char *digits = mem_alloc(len + 1);
	size_t nd = 0, i = 0;
	long scale = 0;
	int fraction = 0;
	for (; i < len && text[i] != 'e' && text[i] != 'E'; i++) {
		if (text[i] == '.') {
			fraction = 1;
			continue;
		}
		scale -= fraction;
		digits[nd++] = text[i];
	}
	if (i < len) {
		long e = strtol(text + i + 1, NULL, 10);  /* clamps on overflow */
		if (e > MAX_EXPONENT || e < -MAX_EXPONENT) {
			mem_free(digits);
			error_at(ls, at, "the exponent of %s is too large (at most 10000)", "this number");
			return NULL;
		}
		scale += e;
	}
	mpq_t q;
	mpz_t p10;
	mpq_init(q);
	mpz_init(p10);
	mpz_set_str(mpq_numref(q), digits, 10);
	mpz_ui_pow_ui(p10, 10, (unsigned long)labs(scale));
	if (scale >= 0)
		mpz_mul(mpq_numref(q), mpq_numref(q), p10);
	else
		mpz_set(mpq_denref(q), p10);
	mpq_canonicalize(q);
	const Expr *e = expr_num(ls->pool, q);
	mpq_clear(q);
	mpz_clear(p10);
	mem_free(digits);
	return e;
}

/* A number in a subscript (I_3): a positive integer that fits a size. */
const Expr *lex_dimnum(struct LexState *ls, Loc at, const char *text, size_t len)
{
	char buf[24];   /* holds the at most 12 digits let through below */
	if (len > 12) {
		error_at(ls, at, "%s is too large", "this dimension");
		return NULL;
	}
	memcpy(buf, text, len);
	buf[len] = '\0';
	long v = strtol(buf, NULL, 10);
	if (v < 1) {
		error_at(ls, at, "%s must be at least 1", "a dimension");
		return NULL;
	}
	return expr_int(ls->pool, v);
}

const char *lex_intern(struct LexState *ls, const char *text, size_t len)
{
	return pool_intern(ls->pool, text, len);
}

static int has_prefix(const char *text, size_t len, const char *prefix)
{
	size_t n = strlen(prefix);
	return len >= n && memcmp(text, prefix, n) == 0;
}

/* Names: reserved words, the subscripted forms I_, ones_, K_, or a variable. */
int lex_name(struct LexState *ls, const char *text, size_t len, YYSTYPE *val)
{
	if (has_prefix(text, len, "I_"))
		return ISUB;
	if (has_prefix(text, len, "ones_"))
		return ONESSUB;
	if (has_prefix(text, len, "K_"))
		return KSUB;
	if (len == 1 && text[0] == 'I')
		return IDENTITY;
	if (len == 4 && memcmp(text, "ones", 4) == 0)
		return ONES;
	if (len == 3 && memcmp(text, "inv", 3) == 0)
		return INVF;
	if (len == 4 && memcmp(text, "kron", 4) == 0)
		return KRONF;
	if (len == 5 && memcmp(text, "where", 5) == 0)
		return WHERE;
	if (func_lookup(text, len, &val->fn))
		return FUNC;
	val->name = ls->cur_name = pool_intern(ls->pool, text, len);
	return NAME;
}

static int push(struct LexState *ls, char kind, Loc at)
{
	if (ls->nopen >= AST_MAX_DEPTH) {
		error_at(ls, at, "brackets nested more than %s deep", "1000");
		return 1;
	}
	if (ls->nopen == ls->capopen) {
		ls->capopen = ls->capopen ? 2 * ls->capopen : 16;
		ls->open = mem_realloc(ls->open, ls->capopen * sizeof *ls->open);
	}
	ls->open[ls->nopen++] = (Bracket){ kind, at };
	return 0;
}

/* An opening bracket.  callname gets the name just before a '(', so that
 * foo(x, y) can be reported as an unknown function. */
int lex_open(struct LexState *ls, char kind, Loc at, const char **callname)
{
	if (callname)
		*callname = ls->prev_name;
	return push(ls, kind, at);
}

void lex_close(struct LexState *ls)
{
	if (ls->nopen) {
		if (ls->open[ls->nopen - 1].kind == '|')
			ls->norms--;
		ls->nopen--;
	}
}

/* `||` closes a norm when it follows an operand inside a norm; otherwise it
 * opens one (so `2 ||x||` and `||x|| ||y||` read as products). */
int lex_norm_bar(struct LexState *ls, const char *text, size_t len, Loc at)
{
	size_t bar = text[0] == '|' ? 2 : 3;
	if (ls->after_operand && ls->norms > 0) {
		lex_close(ls);
		if (len == bar)
			return NORM_CLOSE;
		return strchr(text + bar, '2') ? NORM_CLOSE2 : NORM_CLOSEF;
	}
	if (len != bar) {
		error_at(ls, at, "%s cannot open a norm", "a bar with a subscript");
		return LEXERR;
	}
	if (push(ls, '|', at))
		return LEXERR;
	ls->norms++;
	return NORM_OPEN;
}

/* Length of the UTF-8 sequence starting at s, or 0 if it is not one. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	size_t len = s[0] < 0x80 ? 1 : s[0] >= 0xc2 && s[0] <= 0xdf ? 2
		   : s[0] >= 0xe0 && s[0] <= 0xef ? 3 : s[0] >= 0xf0 && s[0] <= 0xf4 ? 4 : 0;
	if (len == 0 || len > n)
		return 0;
	for (size_t i = 1; i < len; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	return len;
}

/* A character that is not part of the language: say which, readably. */
int lex_bad(struct LexState *ls, Loc at, const char *where)
{
	const unsigned char *s = (const unsigned char *)ls->dg->src + at.start;
	size_t avail = at.start < ls->dg->len ? ls->dg->len - at.start : 0;
	char what[64];   /* a message, built with snprintf: truncated at worst */
	if (avail == 0)
		snprintf(what, sizeof what, "unexpected end of input");
	else if (s[0] == '\0')
		snprintf(what, sizeof what, "unexpected NUL byte");
	else if (s[0] == '\n')
		snprintf(what, sizeof what, "unexpected newline");
	else if (s[0] < 0x20 || s[0] == 0x7f)
		snprintf(what, sizeof what, "unexpected control character 0x%02x", s[0]);
	else if (s[0] < 0x80)
		snprintf(what, sizeof what, "unexpected character '%c'", s[0]);
	else if (utf8_len(s, avail) == 0)
		snprintf(what, sizeof what, "invalid UTF-8 byte 0x%02x", s[0]);
	else
		snprintf(what, sizeof what, "unexpected character '%.*s'", (int)utf8_len(s, avail), s);
	if (!ls->failed) {
		if (where)
			diag_error(ls->dg, at, &at, 1, "%s %s", what, where);
		else
			diag_error(ls->dg, at, &at, 1, "%s", what);
	}
	ls->failed = 1;
	return LEXERR;
}

/* Flex's fatal errors (YY_FATAL_ERROR) are out of memory or an internal
 * error: either way the expression is abandoned through the region's bail
 * point, like any allocation failure.  Flex is only run inside mcd_run's
 * region, so the abort is never reached. */
void lex_fatal(const char *msg)
{
	(void)msg;
	mem_oom();
	abort();
}
