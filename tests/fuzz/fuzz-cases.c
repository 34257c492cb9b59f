/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for the case-rule matcher (lib/cases.c): fixed rules,
 * among them a catastrophic one and ones that capture up to the end, and
 * the fuzzer's bytes as title, element name and URL (split at the first
 * two NUL bytes). It must never crash, leak, read out of bounds or take
 * long (PCRE2's limits), and every id must be non-empty, well-formed
 * UTF-8 of at most TT_CASES_ID_MAX bytes, found in its field (as given,
 * or as its repaired copy) after normalisation. The rule set is made twice,
 * with JIT and without, and both must find the same ids.
 *
 *   make build/fuzz/fuzz-cases
 *   build/fuzz/fuzz-cases -max_len=8192 -timeout=5 tests/fuzz/corpus/fuzz-cases
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tasktrace/cases.h"
#include "tasktrace/utf8.h"

static const struct {
	const char *type;
	enum tt_case_field field;
	const char *pattern;
	unsigned norm;
} rules[] = {
	{ "invoice", TT_CASE_TITLE, "^Invoice (?<id>[0-9]{4,10}) ", TT_CASE_NORM_STRIP_ZEROS },
	{ "invoice", TT_CASE_ELEMENT, "^Invoice no\\.? (?<id>[0-9]+)$", 0 },
	{ "ticket", TT_CASE_TITLE, "(?i)\\b(?<id>inc-[0-9]+)\\b", TT_CASE_NORM_UPPER },
	{ "ticket", TT_CASE_URL, "[?&]ticket=(?<id>[^&#]+)", TT_CASE_NORM_LOWER },
	{ "order", TT_CASE_TITLE, "Sales Order (?<id>[0-9]{10})", TT_CASE_NORM_STRIP_ZEROS },
	{ "evil", TT_CASE_TITLE, "^(?<id>(a+)+)$", 0 },
	{ "evil2", TT_CASE_ELEMENT, "(?<id>(x|xx)+y)", 0 },
	{ "rest", TT_CASE_TITLE, "(?<id>\\S.{0,200})$", TT_CASE_NORM_UPPER },
	{ "word", TT_CASE_URL, "(?<id>\\w+)", 0 },
};
#define NRULES (sizeof(rules) / sizeof(rules[0]))

static struct tt_cases *jit, *interp;

static struct tt_cases *
make(unsigned flags)
{
	struct tt_cases *c = tt_cases_new(flags);
	char err[256];
	size_t off;

	if (!c)
		abort();
	for (size_t i = 0; i < NRULES; i++) {
		unsigned t;

		if (tt_cases_type(c, rules[i].type, &t) < 0 ||
		    tt_cases_add(c, t, rules[i].field, rules[i].pattern, err, sizeof(err), &off) < 0)
			abort();
		tt_cases_set_norm(c, t, rules[i].norm);
	}
	return c;
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	jit = make(0);
	interp = make(TT_CASES_NO_JIT);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tt_case_match a[NRULES], b[NRULES];
	char *buf = malloc(size + 3);
	const char *f[3];
	size_t na, nb, k = 0;

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	buf[size] = buf[size + 1] = buf[size + 2] = '\0';
	f[0] = buf;
	for (size_t i = 0; i < size && k < 2; i++) {
		if (buf[i] == '\0')
			f[++k] = buf + i + 1;
	}
	while (k < 2)
		f[++k] = NULL;
	na = tt_cases_match(jit, f[0], f[1], f[2], a, NRULES);
	nb = tt_cases_match(interp, f[0], f[1], f[2], b, NRULES);
	for (size_t i = 0; i < na; i++) {
		size_t len = strlen(a[i].id);

		if (len == 0 || len > TT_CASES_ID_MAX || !tt_utf8_valid(a[i].id, len) ||
		    strstr(a[i].id, "\xef\xbf\xbd") || a[i].type >= tt_cases_count(jit) ||
		    (i > 0 && a[i].type <= a[i - 1].type))
			abort();
	}
	/* JIT and interpreter agree, except where one of them gave up at a
	 * limit (they count steps differently). */
	{
		struct tt_cases_stats sa, sb;

		tt_cases_stats(jit, &sa);
		tt_cases_stats(interp, &sb);
		if (sa.errors || sb.errors)
			abort();
		if (!sa.limit_hits && !sb.limit_hits) {
			if (na != nb)
				abort();
			for (size_t i = 0; i < na; i++) {
				if (a[i].type != b[i].type || strcmp(a[i].id, b[i].id) != 0)
					abort();
			}
		}
	}
	free(buf);
	return 0;
}
