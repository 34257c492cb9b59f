/* SPDX-License-Identifier: MIT */
/*
 * A small test harness: each test file defines its tests with TEST(name)
 * and checks with CHECK()/CHECK_EQ()/CHECK_STR(). The harness runs them all
 * (or those named on the command line), prints "ok"/"FAIL"/"skip" per test
 * and a last line "N passed, N failed" (", N skipped" when any was), and
 * exits 1 when any failed. A test that cannot run here says why with
 * SKIP(): counted and named, never a silent pass.
 *
 * Helpers for tests that need files: tt_test_tmpdir() makes a fresh
 * directory under $TMPDIR, removed at exit unless TT_KEEP_TMP is set.
 */
#ifndef TT_TEST_HARNESS_H
#define TT_TEST_HARNESS_H

#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

struct tt_test {
	const char *name;
	void (*fn)(void);
	struct tt_test *next;
};

void tt_test_register(struct tt_test *t);
void tt_test_fail(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* The current test cannot run here, for the reason given. */
void tt_test_skip(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Has the current test failed so far? */
bool tt_test_failed(void);
/* A new empty directory, removed (recursively) at exit. */
const char *tt_test_tmpdir(void);
/* Path of the repository's top directory (the tests run from there). */
const char *tt_test_top(void);
/* Run a shell command; returns its exit status (or -1), output in *out
 * (malloc'd, may be NULL) when out is not NULL. */
int tt_test_run(char **out, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#define TEST(name)                                                         \
	static void test_##name(void);                                     \
	static struct tt_test reg_##name = { #name, test_##name, NULL };   \
	__attribute__((constructor)) static void reg_fn_##name(void)       \
	{                                                                  \
		tt_test_register(&reg_##name);                             \
	}                                                                  \
	static void test_##name(void)

/* Register an existing `static void fn(void)` as a test named fn. */
#define TEST_REGISTER(fn)                                                  \
	static struct tt_test reg_##fn = { #fn, fn, NULL };                \
	__attribute__((constructor)) static void reg_fn_##fn(void)         \
	{                                                                  \
		tt_test_register(&reg_##fn);                               \
	}

#define SKIP(...)                                                          \
	do {                                                               \
		tt_test_skip(__VA_ARGS__);                                 \
		return;                                                    \
	} while (0)

#define CHECK(cond)                                                        \
	do {                                                               \
		if (!(cond)) {                                             \
			tt_test_fail(__FILE__, __LINE__, "%s", #cond);     \
			return;                                            \
		}                                                          \
	} while (0)

#define CHECK_MSG(cond, ...)                                               \
	do {                                                               \
		if (!(cond)) {                                             \
			tt_test_fail(__FILE__, __LINE__, __VA_ARGS__);     \
			return;                                            \
		}                                                          \
	} while (0)

#define CHECK_EQ(a, b)                                                     \
	do {                                                               \
		long long _a = (long long)(a), _b = (long long)(b);        \
		if (_a != _b) {                                            \
			tt_test_fail(__FILE__, __LINE__,                   \
				     "%s == %s: %lld != %lld", #a, #b, _a, _b); \
			return;                                            \
		}                                                          \
	} while (0)

#define CHECK_STR(a, b)                                                    \
	do {                                                               \
		const char *_a = (a), *_b = (b);                           \
		if (!_a || !_b || strcmp(_a, _b) != 0) {                   \
			tt_test_fail(__FILE__, __LINE__,                   \
				     "%s == %s: \"%s\" != \"%s\"", #a, #b,  \
				     _a ? _a : "(null)", _b ? _b : "(null)"); \
			return;                                            \
		}                                                          \
	} while (0)

#define CHECK_CONTAINS(hay, needle)                                        \
	do {                                                               \
		const char *_h = (hay), *_n = (needle);                    \
		if (!_h || !strstr(_h, _n)) {                              \
			tt_test_fail(__FILE__, __LINE__,                   \
				     "\"%s\" not in: %s", _n, _h ? _h : "(null)"); \
			return;                                            \
		}                                                          \
	} while (0)

#endif
