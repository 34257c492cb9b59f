/* SPDX-License-Identifier: MIT */
#include <stdint.h>
#include <stdio.h>
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

/*
 * The length (1–3) of the control character at @p s, 0 when there is none:
 * C0 and DEL, C1 (C2 80 … C2 9F), the bidi marks ALM (D8 9C), LRM and RLM
 * (E2 80 8E, 8F), embeddings and overrides (E2 80 AA … AE) and isolates
 * (E2 81 A6 … A9) — the set lib/me-proto.c refuses too.
 */
static size_t
control_at(const unsigned char *s, size_t avail)
{
	if (s[0] < 0x20 || s[0] == 0x7f)
		return 1;
	if (avail >= 2 && ((s[0] == 0xc2 && s[1] >= 0x80 && s[1] <= 0x9f) ||
			   (s[0] == 0xd8 && s[1] == 0x9c)))
		return 2;
	if (avail >= 3 && s[0] == 0xe2 &&
	    ((s[1] == 0x80 && (s[2] == 0x8e || s[2] == 0x8f)) ||
	     (s[1] == 0x80 && s[2] >= 0xaa && s[2] <= 0xae) ||
	     (s[1] == 0x81 && s[2] >= 0xa6 && s[2] <= 0xa9)))
		return 3;
	return 0;
}

/* The code point of a control of length @p n at @p s. */
static unsigned
control_code(const unsigned char *s, size_t n)
{
	if (n == 1)
		return s[0];
	if (n == 2)
		return (unsigned)(s[0] & 0x1f) << 6 | (s[1] & 0x3f);
	return (unsigned)(s[0] & 0x0f) << 12 | (unsigned)(s[1] & 0x3f) << 6 | (s[2] & 0x3f);
}

size_t
tt_utf8_strip_controls(char *str)
{
	unsigned char *s = (unsigned char *)str;
	size_t len = strlen(str), r = 0, w = 0;

	while (r < len) {
		size_t n = control_at(s + r, len - r);

		if (n == 0) {
			s[w++] = s[r++];
			continue;
		}
		/* whitespace keeps the words apart */
		if (n == 1 && s[r] >= '\t' && s[r] <= '\r')
			s[w++] = ' ';
		r += n;
	}
	/* the bytes given up are zeroed too: a struct holding the string
	 * stays one canonical value (compared, copied, hashed whole) */
	memset(s + w, 0, len - w + 1);
	return w;
}

/* Bytes of the UTF-8 character starting with @p c (1 for a stray byte). */
static size_t
char_len(unsigned char c)
{
	return c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
}

size_t
tt_utf8_escape_controls(char *dst, size_t dst_size, const char *src, size_t src_len)
{
	const unsigned char *s = (const unsigned char *)src;
	size_t r = 0, w = 0;

	while (r < src_len && s[r]) {
		size_t n = control_at(s + r, src_len - r);
		char esc[8];
		size_t m;

		if (n) {
			unsigned cp = control_code(s + r, n);

			if (cp == '\n')
				m = (size_t)snprintf(esc, sizeof(esc), "\\n");
			else if (cp == '\t')
				m = (size_t)snprintf(esc, sizeof(esc), "\\t");
			else if (cp == '\r')
				m = (size_t)snprintf(esc, sizeof(esc), "\\r");
			else if (cp < 0x100)
				m = (size_t)snprintf(esc, sizeof(esc), "\\x%02x", cp);
			else
				m = (size_t)snprintf(esc, sizeof(esc), "\\u%04x", cp);
		} else {
			n = char_len(s[r]);
			if (n > src_len - r)
				n = src_len - r;
			memcpy(esc, s + r, n);
			m = n;
		}
		if (w + m >= dst_size)
			break;
		memcpy(dst + w, esc, m);
		w += m;
		r += n;
	}
	dst[w] = '\0';
	return w;
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

		/* a control (control_at(): the set tt_utf8_strip_controls()
		 * and the me protocol remove) goes, and so does NUL, which is
		 * ill-formed for utf8_sequence */
		if ((n && control_at(s + in, n) == n) || (!n && s[in] == 0)) {
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
