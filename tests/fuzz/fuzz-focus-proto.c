/*
 * tasktrace — libFuzzer target for the focus protocol parser.
 *
 * For any input: tt_focus_parse() must not read out of bounds (ASan) nor
 * hit undefined behaviour (UBSan). For an accepted input: its canonical
 * form y = encode(parse(x)) must parse again to the same message and
 * encode to the same bytes, and every string must be valid UTF-8 within
 * its cap, with no control character left (C0, C1, bidi controls); the
 * element parts (ROLE, NAME, URL) must join into an element string that
 * splits back into them (element.h).
 *
 * Copyright © 2026 the tasktrace authors
 * SPDX-License-Identifier: MIT
 */

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tasktrace/element.h"
#include "tasktrace/focus-proto.h"

/* clean ⇔ tt_utf8_clean() leaves it unchanged */
static void
check_clean(const char *s)
{
	char again[TT_FOCUS_STRING_MAX + 1];
	size_t n = strlen(s);

	if (tt_utf8_clean(again, sizeof(again), s, n) != n || memcmp(again, s, n) != 0)
		abort();
}

static void
check_element(const struct tt_focus_msg *m)
{
	char el[TT_ELEMENT_STR_MAX];
	const char *r, *n, *u;
	size_t rl, nl, ul;
	int len = tt_element_format(el, sizeof(el), m->role, m->name, m->url);

	if (!m->role[0]) {
		if (len != -EINVAL)
			abort();
		return;
	}
	if (len <= 0 || tt_element_split(el, &r, &rl, &n, &nl, &u, &ul) <= 0)
		abort();
	if (rl != strlen(m->role) || memcmp(r, m->role, rl) != 0 ||
	    nl != strlen(m->name) || memcmp(n, m->name, nl) != 0 ||
	    ul != strlen(m->url) || memcmp(u, m->url, ul) != 0)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_string(const char *s, size_t cap)
{
	char again[TT_FOCUS_STRING_MAX + 1];
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
	check_string(m.role, TT_FOCUS_ROLE_MAX);
	check_string(m.name, TT_FOCUS_NAME_MAX);
	check_string(m.url, TT_FOCUS_URL_MAX);
	check_clean(m.role);
	check_clean(m.name);
	check_clean(m.url);
	if (m.type == TT_FOCUS_ELEMENT)
		check_element(&m);

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
