/* SPDX-License-Identifier: MIT */
#include <stdint.h>
#include <string.h>

#include "tasktrace/utf8.h"

static const char replacement[3] = { (char)0xef, (char)0xbf, (char)0xbd };

/*
 * Length of the well-formed sequence at s (1–4), or 0 if the bytes there
 * are not one; *consumed is then the length of the maximal ill-formed
 * subpart, which is replaced by one U+FFFD (Unicode §3.9, "best practice").
 */
static size_t
utf8_sequence(const unsigned char *s, size_t avail, size_t *consumed)
{
	unsigned char c = s[0];
	unsigned char lo = 0x80, hi = 0xbf;
	size_t need, i;

	*consumed = 1;
	if (c == 0)
		return 0;
	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		need = 1;
	else if (c >= 0xe0 && c <= 0xef)
		need = 2;
	else if (c >= 0xf0 && c <= 0xf4)
		need = 3;
	else
		return 0;

	/* The second byte's range excludes overlongs, surrogates and
	 * code points past U+10FFFF. */
	if (c == 0xe0)
		lo = 0xa0;
	else if (c == 0xed)
		hi = 0x9f;
	else if (c == 0xf0)
		lo = 0x90;
	else if (c == 0xf4)
		hi = 0x8f;

	for (i = 1; i <= need; i++) {
		if (i >= avail)
			return 0;
		if (s[i] < lo || s[i] > hi)
			return 0;
		*consumed = i + 1;
		lo = 0x80;
		hi = 0xbf;
	}
	return need + 1;
}

size_t
tt_utf8_repair(char *dst, size_t dst_size, const char *src, size_t src_len)
{
	const unsigned char *s = (const unsigned char *)src;
	size_t in = 0, out = 0;

	if (dst_size == 0)
		return 0;

	while (in < src_len) {
		size_t consumed;
		size_t n = utf8_sequence(s + in, src_len - in, &consumed);
		const char *bytes = n ? src + in : replacement;
		size_t len = n ? n : sizeof(replacement);

		/* Stop at the last whole character that fits. */
		if (out + len > dst_size - 1)
			break;
		memcpy(dst + out, bytes, len);
		out += len;
		in += n ? n : consumed;
	}
	dst[out] = '\0';
	return out;
}

bool
tt_utf8_valid(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t consumed;

	for (size_t i = 0; i < len;) {
		size_t n = utf8_sequence(p + i, len - i, &consumed);
		if (!n)
			return false;
		i += n;
	}
	return true;
}

/* A control character that must not reach a stored name: C0 (TAB, LF,
 * ESC …), DEL, C1 (U+0080–U+009F) and the bidi embedding, override and
 * isolate controls (U+202A–U+202E, U+2066–U+2069), which reorder what a
 * terminal or an export viewer shows. */
static bool
is_control(const unsigned char *s, size_t n)
{
	if (n == 1)
		return s[0] < 0x20 || s[0] == 0x7f;
	if (n == 2)
		return s[0] == 0xc2 && s[1] <= 0x9f;
	if (n == 3 && s[0] == 0xe2 && s[1] == 0x80)
		return s[2] >= 0xaa && s[2] <= 0xae;
	if (n == 3 && s[0] == 0xe2 && s[1] == 0x81)
		return s[2] >= 0xa6 && s[2] <= 0xa9;
	return false;
}

size_t
tt_utf8_clean(char *dst, size_t dst_size, const char *src, size_t src_len)
{
	const unsigned char *s = (const unsigned char *)src;
	size_t in = 0, out = 0;

	if (dst_size == 0)
		return 0;

	while (in < src_len) {
		size_t consumed;
		size_t n = utf8_sequence(s + in, src_len - in, &consumed);
		const char *bytes = n ? src + in : replacement;
		size_t len = n ? n : sizeof(replacement);

		/* NUL is ill-formed for utf8_sequence (it becomes U+FFFD in
		 * tt_utf8_repair); here it is a C0 control and goes. */
		if ((n && is_control(s + in, n)) || (!n && s[in] == 0)) {
			in += n ? n : 1;
			continue;
		}
		if (out + len > dst_size - 1)
			break;
		memcpy(dst + out, bytes, len);
		out += len;
		in += n ? n : consumed;
	}
	dst[out] = '\0';
	return out;
}
