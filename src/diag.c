/* diag.c: formats diagnostics: position, message, the source line and a
 * caret-and-tilde underline (see diag.h).  Long lines are shown as a window
 * around the caret; bytes that would not print are shown as '?'. */
#include "diag.h"

#include <stdio.h>

enum { WINDOW = 70 };   /* characters of context shown each side of the caret */

void diag_init(Diag *d, const char *src, size_t len, long line)
{
	d->src = src;
	d->len = len;
	d->line = line;
	d->errors = 0;
	d->first_col = 0;
	buf_init(&d->text);
	buf_init(&d->first);
}

void diag_free(Diag *d)
{
	buf_free(&d->text);
	buf_free(&d->first);
}

static int is_continuation(unsigned char c)
{
	return (c & 0xc0) == 0x80;
}

/* Byte offset to column: one column per character, counting from 1. */
long diag_column(const Diag *d, uint32_t offset)
{
	long col = 1;
	for (size_t i = 0; i < offset && i < d->len; i++)
		if (!is_continuation((unsigned char)d->src[i]))
			col++;
	return col;
}

/* The byte offset where character number col (from 1) starts. */
static size_t offset_of_column(const Diag *d, long col)
{
	size_t i = 0;
	for (long c = 1; c < col && i < d->len; c++)
		for (i++; i < d->len && is_continuation((unsigned char)d->src[i]); i++)
			;
	return i;
}

/* One character of the source line as shown: itself if printable UTF-8,
 * else '?'.  Returns the bytes consumed. */
static size_t show_char(Buf *out, const char *s, size_t avail)
{
	unsigned char c = (unsigned char)s[0];
	if (c >= 0x20 && c < 0x7f) {
		buf_putc(out, (char)c);
		return 1;
	}
	if (c == '\t') {
		buf_putc(out, ' ');
		return 1;
	}
	size_t n = c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3
		 : c >= 0xf0 && c <= 0xf4 ? 4 : 0;
	if (n == 0 || n > avail) {
		buf_putc(out, '?');
		return 1;
	}
	for (size_t k = 1; k < n; k++)
		if (!is_continuation((unsigned char)s[k])) {
			buf_putc(out, '?');
			return 1;
		}
	buf_put(out, s, n);
	return n;
}

/* The source line (a window of it) and the marker line below it. */
static void show_source(Diag *d, Loc at, const Loc *under, int n)
{
	long caret = diag_column(d, at.start);
	long total = diag_column(d, (uint32_t)d->len) - 1;
	long from = caret > WINDOW ? caret - WINDOW : 1;
	long to = caret + WINDOW < total ? caret + WINDOW : total;
	Buf *t = &d->text;
	buf_puts(t, "  ");
	if (from > 1)
		buf_puts(t, "...");
	size_t i = offset_of_column(d, from);
	for (long c = from; c <= to && i < d->len; c++)
		i += show_char(t, d->src + i, d->len - i);
	if (to < total)
		buf_puts(t, "...");
	buf_puts(t, "\n  ");
	if (from > 1)
		buf_puts(t, "   ");
	long last = caret, ustart[4], uend[4];   /* at most 4 ranges underlined: display only */
	if (n > 4)
		n = 4;
	for (int k = 0; k < n; k++) {
		ustart[k] = diag_column(d, under[k].start);
		uend[k] = diag_column(d, under[k].end);
		if (uend[k] - 1 > last)
			last = uend[k] - 1;
	}
	if (last > to)
		last = to;
	for (long c = from; c <= last || c == caret; c++) {
		char mark = ' ';
		for (int k = 0; k < n; k++)
			if (c >= ustart[k] && c < uend[k])
				mark = '~';
		buf_putc(t, c == caret ? '^' : mark);
	}
	buf_putc(t, '\n');
}

static void report(Diag *d, const char *level, Loc at, const Loc *under, int n,
		   const char *fmt, va_list ap)
{
	long col = diag_column(d, at.start);
	buf_printf(&d->text, "mcd: %ld:%ld: %s: ", d->line, col, level);
	size_t from = d->text.len;
	buf_vprintf(&d->text, fmt, ap);
	if (level[0] == 'e' && d->errors++ == 0) {
		buf_put(&d->first, d->text.s + from, d->text.len - from);
		d->first_col = col;
	}
	buf_putc(&d->text, '\n');
	show_source(d, at, under, n);
}

void diag_error(Diag *d, Loc at, const Loc *under, int n, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	report(d, "error", at, under, n, fmt, ap);
	va_end(ap);
}

void diag_warning(Diag *d, Loc at, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	report(d, "warning", at, &at, 1, fmt, ap);
	va_end(ap);
}

void diag_note(Diag *d, Loc at, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	report(d, "note", at, &at, 1, fmt, ap);
	va_end(ap);
}

void diag_plain(Diag *d, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	buf_printf(&d->text, "mcd: %ld: error: ", d->line);
	size_t from = d->text.len;
	buf_vprintf(&d->text, fmt, ap);
	if (d->errors++ == 0)
		buf_put(&d->first, d->text.s + from, d->text.len - from);
	buf_putc(&d->text, '\n');
	va_end(ap);
}
