/* SPDX-License-Identifier: MIT */
#include <stdint.h>
#include <string.h>

#include "tasktrace/utf8.h"

/* Length of the well-formed sequence at @p (at most @left bytes), 0 when
 * it is not one. Follows the table of well-formed byte sequences in the
 * Unicode standard (§3.9, table 3-7). */
static size_t
seq_len(const uint8_t *p, size_t left)
{
	uint8_t b = p[0];
	uint8_t lo = 0x80, hi = 0xbf;
	size_t n;

	if (b < 0x80)
		return 1;
	if (b >= 0xc2 && b <= 0xdf)
		n = 2;
	else if (b >= 0xe0 && b <= 0xef)
		n = 3;
	else if (b >= 0xf0 && b <= 0xf4)
		n = 4;
	else
		return 0;
	if (left < n)
		return 0;
	if (b == 0xe0)
		lo = 0xa0;
	else if (b == 0xed)
		hi = 0x9f;	/* no surrogates */
	else if (b == 0xf0)
		lo = 0x90;
	else if (b == 0xf4)
		hi = 0x8f;	/* nothing above U+10FFFF */
	if (p[1] < lo || p[1] > hi)
		return 0;
	for (size_t i = 2; i < n; i++)
		if (p[i] < 0x80 || p[i] > 0xbf)
			return 0;
	return n;
}

bool
tt_utf8_valid(const char *s, size_t len)
{
	const uint8_t *p = (const uint8_t *)s;

	for (size_t i = 0; i < len;) {
		size_t n = seq_len(p + i, len - i);
		if (!n)
			return false;
		i += n;
	}
	return true;
}

size_t
tt_utf8_repair(const char *s, size_t len, char *out, size_t cap)
{
	static const char fffd[] = "\xef\xbf\xbd";
	const uint8_t *p = (const uint8_t *)s;
	size_t o = 0;

	if (cap == 0)
		return 0;
	for (size_t i = 0; i < len;) {
		size_t n = seq_len(p + i, len - i);
		const char *src = (const char *)p + i;
		size_t outn = n;

		if (!n || (n == 1 && p[i] == 0)) {
			src = fffd;
			outn = 3;
			n = 1;
		}
		if (o + outn > cap - 1)
			break;
		memcpy(out + o, src, outn);
		o += outn;
		i += n;
	}
	out[o] = '\0';
	return o;
}
