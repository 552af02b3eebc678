/* buf.h: a growable byte string on the heap, for building output and messages.
 * The owner calls buf_free; buf_str is valid until the next change. */
#ifndef MCD_BUF_H
#define MCD_BUF_H

#include <gmp.h>
#include <stdarg.h>
#include <stddef.h>

typedef struct {
	char *s;
	size_t len, cap;
} Buf;

void buf_init(Buf *b);
void buf_free(Buf *b);
void buf_put(Buf *b, const char *s, size_t n);
void buf_puts(Buf *b, const char *s);
void buf_putc(Buf *b, char c);
void buf_mpz(Buf *b, mpz_srcptr z);   /* an integer in decimal */
void buf_printf(Buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_vprintf(Buf *b, const char *fmt, va_list ap);
const char *buf_str(Buf *b);    /* NUL-terminated; "" when empty */
void buf_clear(Buf *b);         /* length 0, storage kept */

#endif
