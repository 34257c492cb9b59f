/*
 * Copyright © 2026 tasktrace contributors
 * SPDX-License-Identifier: MIT
 *
 * A tiny unit-test harness: test files define `static void test_x(void)`
 * functions, register each with HARNESS_REGISTER(test_x), and use CHECK*
 * inside them. harness.c provides main(), runs every registered test and
 * ends with exactly one line "N passed, N failed" (exit 1 on failure).
 */
#pragma once

#include <stdbool.h>

void
harness_register(const char *name, void (*fn)(void));

void
harness_fail(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#define HARNESS_REGISTER(fn_) \
	__attribute__((constructor)) static void \
	harness_register_##fn_(void) { harness_register(#fn_, fn_); }

#define CHECK(cond_) do { \
	if (!(cond_)) \
		harness_fail(__FILE__, __LINE__, "%s", #cond_); \
} while (0)

#define CHECK_INT(a_, b_) do { \
	long long a__ = (a_), b__ = (b_); \
	if (a__ != b__) \
		harness_fail(__FILE__, __LINE__, "%s == %s: got %lld, expected %lld", \
			     #a_, #b_, a__, b__); \
} while (0)

#define CHECK_STR(a_, b_) do { \
	const char *a__ = (a_), *b__ = (b_); \
	if (!a__ || !b__ || strcmp(a__, b__) != 0) \
		harness_fail(__FILE__, __LINE__, "%s == %s: got \"%s\", expected \"%s\"", \
			     #a_, #b_, a__ ? a__ : "(null)", b__ ? b__ : "(null)"); \
} while (0)
