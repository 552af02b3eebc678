/* text.c: text helpers the emitters share (see text.h). */
#include "text.h"

/* The length of the UTF-8 sequence at str (see text.h); nothing above
 * U+10FFFF either. */
size_t text_utf8_len(const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	unsigned char c = s[0];
	size_t len;
	unsigned char lo = 0x80, hi = 0xbf;
	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		len = 2;
	else if (c >= 0xe0 && c <= 0xef) {
		len = 3;
		if (c == 0xe0)
			lo = 0xa0;
		if (c == 0xed)
			hi = 0x9f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		len = 4;
		if (c == 0xf0)
			lo = 0x90;
		if (c == 0xf4)
			hi = 0x8f;
	} else
		return 0;
	if (len > n || s[1] < lo || s[1] > hi)
		return 0;
	for (size_t i = 2; i < len; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	return len;
}

void text_json_string(Buf *out, const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	buf_putc(out, '"');
	for (size_t i = 0; i < n;) {
		unsigned char c = s[i];
		size_t len = text_utf8_len(str + i, n - i);
		if (len == 0) {
			buf_puts(out, "\xef\xbf\xbd");   /* U+FFFD for the bad byte */
			i++;
			continue;
		}
		if (c == '"' || c == '\\') {
			buf_putc(out, '\\');
			buf_putc(out, (char)c);
		} else if (c == '\n') {
			buf_puts(out, "\\n");
		} else if (c == '\t') {
			buf_puts(out, "\\t");
		} else if (c == '\r') {
			buf_puts(out, "\\r");
		} else if (c < 0x20 || c == 0x7f) {
			buf_printf(out, "\\u%04x", c);
		} else if (len == 3 && c == 0xe2 && s[i + 1] == 0x80 && (s[i + 2] == 0xa8 || s[i + 2] == 0xa9)) {
			buf_printf(out, "\\u%04x", s[i + 2] == 0xa8 ? 0x2028 : 0x2029);  /* JavaScript line ends */
		} else {
			buf_put(out, (const char *)s + i, len);
		}
		i += len;
	}
	buf_putc(out, '"');
}
