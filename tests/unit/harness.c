/*
 * tasktrace — a tiny unit-test harness (see harness.h).
 *
 * Copyright © 2026 the tasktrace authors
 * SPDX-License-Identifier: MIT
 */

#include <stdio.h>
#include <stdlib.h>

#include "harness.h"

#define MAX_TESTS 512

struct test {
	const char *name;
	void (*fn)(void);
};

static struct test tests[MAX_TESTS];
static int ntests;
static int current_failures;

void
harness_register(const char *name, void (*fn)(void))
{
	if (ntests == MAX_TESTS) {
		fprintf(stderr, "harness: too many tests, %s dropped\n", name);
		abort();
	}
	tests[ntests].name = name;
	tests[ntests].fn = fn;
	ntests++;
}

bool
harness_check(bool ok, const char *expr, const char *file, int line)
{
	if (!ok) {
		fprintf(stderr, "%s:%d: CHECK(%s) failed\n", file, line, expr);
		current_failures++;
	}
	return ok;
}

int
main(void)
{
	int passed = 0, failed = 0;

	for (int i = 0; i < ntests; i++) {
		current_failures = 0;
		tests[i].fn();
		if (current_failures) {
			fprintf(stderr, "FAIL %s\n", tests[i].name);
			failed++;
		} else {
			passed++;
		}
	}
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
