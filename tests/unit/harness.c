/*
 * Copyright © 2026 tasktrace contributors
 * SPDX-License-Identifier: MIT
 */
#include "harness.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#define MAX_TESTS 512

struct harness_test {
	const char *name;
	void (*fn)(void);
};

static struct harness_test tests[MAX_TESTS];
static size_t ntests;
static const char *current;
static unsigned int current_failures;

void
harness_register(const char *name, void (*fn)(void))
{
	if (ntests == MAX_TESTS) {
		fprintf(stderr, "harness: more than %d tests\n", MAX_TESTS);
		abort();
	}
	tests[ntests++] = (struct harness_test) { .name = name, .fn = fn };
}

void
harness_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	current_failures++;
	printf("FAIL %s: %s:%d: ", current ? current : "?", file, line);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

int
main(void)
{
	unsigned int passed = 0, failed = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);

	for (size_t i = 0; i < ntests; i++) {
		current = tests[i].name;
		current_failures = 0;
		tests[i].fn();
		if (current_failures == 0) {
			printf("ok %s\n", current);
			passed++;
		} else {
			failed++;
		}
	}

	printf("%u passed, %u failed\n", passed, failed);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
