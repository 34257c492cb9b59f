/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"

static struct tt_test *tests, **tail = &tests;
static bool current_failed;
static char current_skip[256];
static char *tmpdirs[64];
static int ntmpdirs;

void
tt_test_register(struct tt_test *t)
{
	*tail = t;
	tail = &t->next;
}

void
tt_test_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	current_failed = true;
	fprintf(stderr, "    %s:%d: ", file, line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void
tt_test_skip(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(current_skip, sizeof(current_skip), fmt, ap);
	va_end(ap);
	if (!current_skip[0])
		snprintf(current_skip, sizeof(current_skip), "(no reason given)");
}

bool
tt_test_failed(void)
{
	return current_failed;
}

static int
rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st; (void)flag; (void)ftw;
	return remove(path);
}

static void
cleanup(void)
{
	if (getenv("TT_KEEP_TMP"))
		return;
	for (int i = 0; i < ntmpdirs; i++)
		nftw(tmpdirs[i], rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

const char *
tt_test_tmpdir(void)
{
	const char *base = getenv("TMPDIR");
	char tmpl[PATH_MAX];

	snprintf(tmpl, sizeof(tmpl), "%s/tasktrace-test.XXXXXX", base ? base : "/tmp");
	if (!mkdtemp(tmpl) || ntmpdirs == 64) {
		perror("mkdtemp");
		exit(99);
	}
	if (ntmpdirs == 0)
		atexit(cleanup);
	tmpdirs[ntmpdirs] = strdup(tmpl);
	return tmpdirs[ntmpdirs++];
}

const char *
tt_test_top(void)
{
	const char *top = getenv("TT_TOP");
	return top ? top : ".";
}

int
tt_test_run(char **out, const char *fmt, ...)
{
	char *cmd = NULL;
	va_list ap;
	FILE *f;
	size_t cap = 0, len = 0;
	char *buf = NULL;
	int st;

	va_start(ap, fmt);
	if (vasprintf(&cmd, fmt, ap) < 0)
		cmd = NULL;
	va_end(ap);
	if (!cmd)
		return -1;
	fflush(NULL);
	f = popen(cmd, "r");
	free(cmd);
	if (!f)
		return -1;
	for (;;) {
		if (len + 4096 + 1 > cap) {
			cap = cap ? cap * 2 : 8192;
			buf = realloc(buf, cap);
		}
		size_t n = fread(buf + len, 1, cap - len - 1, f);
		if (n == 0)
			break;
		len += n;
	}
	if (buf)
		buf[len] = '\0';
	st = pclose(f);
	if (out)
		*out = buf ? buf : strdup("");
	else
		free(buf);
	if (st == -1 || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

int
main(int argc, char **argv)
{
	int passed = 0, failed = 0, skipped = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	for (struct tt_test *t = tests; t; t = t->next) {
		if (argc > 1) {
			bool want = false;
			for (int i = 1; i < argc; i++)
				want |= strcmp(argv[i], t->name) == 0;
			if (!want)
				continue;
		}
		current_failed = false;
		current_skip[0] = '\0';
		t->fn();
		if (current_failed) {
			printf("FAIL %s\n", t->name);
			failed++;
		} else if (current_skip[0]) {
			printf("skip %s: %s\n", t->name, current_skip);
			skipped++;
		} else {
			printf("ok   %s\n", t->name);
			passed++;
		}
	}
	if (skipped)
		printf("%d passed, %d failed, %d skipped\n", passed, failed, skipped);
	else
		printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
