/* emit.c: one result in the chosen output format (see emit.h). */
#include "emit.h"
#include "print.h"

#include <string.h>

static const char *const names[] = { "text", "unicode", "latex", "python", "json" };

int emit_format(const char *name)
{
	for (int i = 0; i < 5; i++)
		if (strcmp(name, names[i]) == 0)
			return i;
	return -1;
}

void emit_result(Buf *out, mcd_format fmt, const Result *r)
{
	(void)fmt;
	if (!r->result)
		buf_putc(out, '0');   /* a zero of shape r->shape */
	else
		print_text(out, r->result);
}

void emit_error(Buf *out, mcd_format fmt, const char *input, size_t len, long line,
		long column, const char *message)
{
	(void)out;
	(void)fmt;
	(void)input;
	(void)len;
	(void)line;
	(void)column;
	(void)message;
}
