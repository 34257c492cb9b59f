/*
 * tasktrace — libFuzzer target for the me protocol parser (me-proto.h):
 * the tracer parses what any local user sends, `tasktrace me` parses what
 * the tracer answers.
 *
 * For any input: tt_me_parse() and the NAMES walk must not read out of
 * bounds (ASan) nor hit undefined behaviour (UBSan). For an accepted
 * input: encode(parse(x)) must give x back (every field has one encoding;
 * an ERROR's text is the exception, its control characters are replaced)
 * and an accepted BLOCK's records go through the codec's decoder.
 *
 * Copyright © 2026 the tasktrace authors
 * SPDX-License-Identifier: MIT
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tasktrace/codec.h"
#include "tasktrace/me-proto.h"

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
		while ((n = tt_me_names_next(&m, &off, &nm)) == 1)
			if (nm.id == 0 || nm.str + nm.len > (const char *)data + size)
				abort();
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
	n = tt_me_encode(&m, y, sizeof(y));
	if (n < 0)
		abort();
	if (m.type != TT_ME_ERROR && ((size_t)n != size || memcmp(y, data, size) != 0))
		abort();
	return 0;
}
