/*
 * tasktrace — libFuzzer target for the tracer's element policy
 * (tracer/element-policy.c) on what a collector sends.
 *
 * The input is an ELEMENT packet (the seed corpus: fuzz-focus-proto's)
 * whose first byte, when it is not 'T', picks the configuration instead.
 * For any accepted report, under every [elements] setting: the element
 * string splits into a role and at most a name and a URL, each free of
 * control characters and valid UTF-8; the name is at most 128 bytes and
 * only a control's (or a link's with links = names); a password field
 * keeps only "password text" and is secret; the URL holds no '?', '#'
 * or user info and, without url_paths, no path.
 *
 * Copyright © 2026 the tasktrace authors
 * SPDX-License-Identifier: MIT
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "element-policy.h"
#include "tasktrace/element.h"
#include "tasktrace/utf8.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_part(const char *p, size_t n)
{
	char again[TT_ELEMENT_STR_MAX];

	if (tt_utf8_clean(again, sizeof(again), p, n) != n || memcmp(again, p, n) != 0)
		abort();
}

static void
check(const struct tt_config *cfg, const struct tt_focus_msg *m)
{
	char out[TT_ELEMENT_STR_MAX], role[TT_ELEMENT_ROLE_MAX + 1];
	const char *r, *n, *u;
	size_t rl, nl, ul, len;
	bool secret;
	int parts;

	len = element_policy(cfg, m, out, sizeof(out), &secret);
	if ((m->element_flags & TT_ELEMENT_PASSWORD) && !secret)
		abort();
	if (len == 0) {
		if (out[0])
			abort();
		return;
	}
	if (len != strlen(out) || cfg->elements.capture == TT_ELEMENTS_OFF)
		abort();
	parts = tt_element_split(out, &r, &rl, &n, &nl, &u, &ul);
	if (parts < 1)
		abort();
	check_part(r, rl);
	check_part(n, nl);
	check_part(u, ul);
	if (nl > TT_ELEMENT_NAME_STORED)
		abort();
	memcpy(role, r, rl < sizeof(role) ? rl : sizeof(role) - 1);
	role[rl < sizeof(role) ? rl : sizeof(role) - 1] = '\0';
	if (secret && (m->element_flags & TT_ELEMENT_PASSWORD) &&
	    (strcmp(role, TT_ELEMENT_ROLE_PASSWORD) != 0 || nl || ul))
		abort();
	if (nl && (cfg->elements.capture != TT_ELEMENTS_NAMES ||
		   !(tt_element_role_is_control(role) ||
		     (strcmp(role, "link") == 0 && cfg->elements.links == TT_LINKS_NAMES))))
		abort();
	if (ul) {
		const char *auth = memchr(u, '/', ul);

		if (memchr(u, '?', ul) || memchr(u, '#', ul) || memchr(u, '@', ul))
			abort();
		/* no url_paths: "scheme://host" or "scheme:", no path */
		if (auth && ul > (size_t)(auth - u) + 2 &&
		    memchr(auth + 2, '/', ul - (size_t)(auth + 2 - u)))
			abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct tt_config cfg[4];
	static bool init;
	struct tt_focus_msg m;
	static const char *const confs[4] = {
		"",
		"[elements]\ncapture = roles\n",
		"[elements]\nlinks = names\nunknown_text = hidden\n",
		"[privacy]\ncapture_titles = no\nredact = [0-9]+\n",
	};

	if (!init) {
		for (int i = 0; i < 4; i++)
			if (tt_config_load_buffer(&cfg[i], "fuzz", confs[i], strlen(confs[i]),
						  NULL, NULL) != 0)
				abort();
		init = true;
	}
	if (tt_focus_parse(data, size, &m) != 0 || m.type != TT_FOCUS_ELEMENT)
		return 0;
	for (int i = 0; i < 4; i++)
		check(&cfg[i], &m);
	return 0;
}
