/*
 * tasktrace — libFuzzer target for the me protocol parser (me-proto.h):
 * the tracer parses what any local user sends, `tasktrace me` parses what
 * the tracer answers.
 *
 * For any input: tt_me_parse() and the NAMES walk must not read out of
 * bounds (ASan) nor hit undefined behaviour (UBSan). For an accepted
 * input: encode(parse(x)) must give x back (every field has one encoding;
 * an ERROR's text is the exception, its control characters are replaced)
 * and an accepted BLOCK's records go through the codec's decoder. Every
 * string the parser hands out (a NAMES entry, an ERROR's text) is valid
 * UTF-8 with no C0, DEL, C1 or bidi control (a NAMES entry may keep TAB,
 * the separator of element strings), and no longer than the peer's bytes
 * (issue 23: a window title must not drive a terminal).
 *
 * Copyright © 2026 the tasktrace authors
 * SPDX-License-Identifier: MIT
 */

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tasktrace/codec.h"
#include "tasktrace/me-proto.h"
#include "tasktrace/utf8.h"

/* Valid UTF-8 (the library's check) and no control: decoded here again. */
static void
check_clean(const char *s, size_t len, bool tab_ok)
{
	const unsigned char *p = (const unsigned char *)s;

	if (!tt_utf8_valid(s, len))
		abort();
	for (size_t i = 0; i < len;) {
		uint32_t c;
		size_t n = p[i] < 0x80 ? 1 : p[i] < 0xe0 ? 2 : p[i] < 0xf0 ? 3 : 4;

		c = n == 1 ? p[i] : (uint32_t)(p[i] & (0x7f >> n));
		for (size_t k = 1; k < n; k++)
			c = c << 6 | (p[i + k] & 0x3f);
		if ((c < 0x20 && !(tab_ok && c == '\t')) || (c >= 0x7f && c <= 0x9f) || c == 0x061c || c == 0x200e ||
		    c == 0x200f || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069))
			abort();
		i += n;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t y[TT_ME_MSG_MAX];
	struct tt_me_msg m;
	struct tt_me_name nm;
	size_t off = 0;
	int n;

	if (tt_me_parse(data, size, &m) != 0)
		return 0;
	if (m.type == TT_ME_NAMES) {
		size_t before = off;

		while ((n = tt_me_names_next(&m, &off, &nm)) == 1) {
			/* the entry's own bytes: off moved past them */
			if (nm.id == 0 || nm.str != nm.clean || nm.len > off - before - 7)
				abort();
			check_clean(nm.str, nm.len, true);
			before = off;
		}
		if (n != 0 || off != m.len)
			abort();
	}
	if (m.type == TT_ME_BLOCK) {
		struct tt_block_dec dec;
		struct tt_record r;

		if (tt_block_dec_init(&dec, m.body, m.len) == 0)
			while (tt_block_dec_next(&dec, &r) == 1)
				;
	}
	if (m.type == TT_ME_ERROR)
		check_clean(m.u.error.text, strlen(m.u.error.text), false);
	n = tt_me_encode(&m, y, sizeof(y));
	if (n < 0)
		abort();
	if (m.type != TT_ME_ERROR && ((size_t)n != size || memcmp(y, data, size) != 0))
		abort();
	return 0;
}
