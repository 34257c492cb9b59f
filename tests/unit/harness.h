/*
 * tasktrace — a tiny unit-test harness.
 *
 * A test is a `static void test_x(void)` declared with TEST(test_x); the
 * harness's main() runs every registered test in order and prints exactly
 * one final line "N passed, N failed", exiting non-zero on any failure.
 * CHECK() records a failed expectation with file:line and carries on.
 *
 * Copyright © 2026 the tasktrace authors
 * SPDX-License-Identifier: MIT
 */

#ifndef TT_TEST_HARNESS_H
#define TT_TEST_HARNESS_H

#include <stdbool.h>

void
harness_register(const char *name, void (*fn)(void));

bool
harness_check(bool ok, const char *expr, const char *file, int line);

#define TEST(fn) \
	static void fn(void); \
	__attribute__((constructor)) static void \
	register_##fn(void) \
	{ \
		harness_register(#fn, fn); \
	} \
	static void fn(void)

#define CHECK(expr) harness_check(!!(expr), #expr, __FILE__, __LINE__)

#endif /* TT_TEST_HARNESS_H */
