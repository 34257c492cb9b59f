/*
 * tasktrace — libFuzzer target for the focus protocol parser.
 *
 * For any input: tt_focus_parse() must not read out of bounds (ASan) nor
 * hit undefined behaviour (UBSan). For an accepted input: its canonical
 * form y = encode(parse(x)) must parse again to the same message and
 * encode to the same bytes, and every string must be valid UTF-8 within
 * its cap, with no control character left (C0, C1, bidi controls).
 *
 * Copyright © 2026 the tasktrace authors
 * SPDX-License-Identifier: MIT
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tasktrace/focus-proto.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_string(const char *s, size_t cap)
{
	char again[TT_FOCUS_TITLE_MAX + 1];
	size_t n = strnlen(s, cap + 1);

	if (n > cap)
		abort();
	/* valid UTF-8 ⇔ repair leaves it unchanged */
	if (tt_utf8_repair(again, sizeof(again), s, n) != n ||
	    memcmp(again, s, n) != 0)
		abort();
	/* no controls ⇔ stripping leaves it unchanged */
	if (tt_utf8_strip_controls(again) != n)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tt_focus_msg m, m2;
	uint8_t y[TT_FOCUS_MSG_MAX], z[TT_FOCUS_MSG_MAX];
	int ylen, zlen;

	if (tt_focus_parse(data, size, &m) != 0)
		return 0;

	check_string(m.collector_version, TT_FOCUS_VERSION_MAX);
	check_string(m.backend, TT_FOCUS_BACKEND_MAX);
	check_string(m.session_id, TT_FOCUS_SESSION_MAX);
	check_string(m.app_id, TT_FOCUS_APP_ID_MAX);
	check_string(m.title, TT_FOCUS_TITLE_MAX);

	ylen = tt_focus_encode(&m, y, sizeof(y));
	if (ylen <= 0)
		abort();
	if (tt_focus_parse(y, (size_t)ylen, &m2) != 0)
		abort();
	if (memcmp(&m, &m2, sizeof(m)) != 0)
		abort();
	zlen = tt_focus_encode(&m2, z, sizeof(z));
	if (zlen != ylen || memcmp(y, z, (size_t)ylen) != 0)
		abort();
	return 0;
}
