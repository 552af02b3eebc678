/* buf.c: growable strings (see buf.h). */
#include "buf.h"
#include "mem.h"

#include <stdio.h>
#include <string.h>

void buf_init(Buf *b)
{
	b->s = NULL;
	b->len = b->cap = 0;
}

void buf_free(Buf *b)
{
	mem_free(b->s);
	buf_init(b);
}

static void reserve(Buf *b, size_t extra)
{
	if (b->len + extra + 1 <= b->cap)
		return;
	size_t cap = b->cap ? b->cap : 64;
	while (cap < b->len + extra + 1)
		cap *= 2;
	b->s = mem_realloc(b->s, cap);
	b->cap = cap;
}

void buf_put(Buf *b, const char *s, size_t n)
{
	reserve(b, n);
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

void buf_puts(Buf *b, const char *s)
{
	buf_put(b, s, strlen(s));
}

void buf_putc(Buf *b, char c)
{
	buf_put(b, &c, 1);
}

void buf_vprintf(Buf *b, const char *fmt, va_list ap)
{
	va_list ap2;
	va_copy(ap2, ap);
	int n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		return;
	reserve(b, (size_t)n);
	vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
}

void buf_printf(Buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	buf_vprintf(b, fmt, ap);
	va_end(ap);
}

const char *buf_str(Buf *b)
{
	return b->s ? b->s : "";
}

void buf_clear(Buf *b)
{
	b->len = 0;
	if (b->s)
		b->s[0] = '\0';
}

void buf_mpz(Buf *b, mpz_srcptr z)
{
	size_t n = mpz_sizeinbase(z, 10) + 2;   /* a sign and the NUL */
	reserve(b, n);
	mpz_get_str(b->s + b->len, 10, z);
	b->len += strlen(b->s + b->len);
}
