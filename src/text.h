/* text.h: text helpers the emitters share: UTF-8 and JSON strings.  Kept
 * apart from emit.c so that emit.c and pyemit.c depend on it, not on each
 * other. */
#ifndef MCD_TEXT_H
#define MCD_TEXT_H

#include <stddef.h>

#include "buf.h"

/* The length of the valid UTF-8 sequence at s (n bytes left), or 0 when the
 * byte there does not start one (no overlong forms, no surrogates). */
size_t text_utf8_len(const char *s, size_t n);
/* s as a JSON string: quotes, backslashes and control characters escaped,
 * each byte that is not part of valid UTF-8 replaced by U+FFFD. */
void text_json_string(Buf *out, const char *s, size_t n);

#endif
