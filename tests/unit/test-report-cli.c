/* SPDX-License-Identifier: MIT */
/*
 * `tasktrace report` and the scheduled report end to end, through the
 * program ($TT_BUILD/tasktrace) on a workload store ($TT_BUILD/
 * tasktrace-workload): exit codes and messages, the atomic write (a
 * failed run leaves the old file and no temporary file), pseudonyms as
 * in the exports, --user, and `export-scheduled --report weekly|daily`
 * with its dates, modes and rotation.
 */
#include <dirent.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mining/pseudo.h"
#include "harness.h"

static char prog[4096], store[4096], conf[4096];

/* The program, and what it reads besides its arguments: an empty
 * configuration, TZ=UTC. */
static const char *
tasktrace(void)
{
	const char *b = getenv("TT_BUILD");
	FILE *f;

	if (prog[0])
		return prog;
	snprintf(prog, sizeof(prog), "%s/%s/tasktrace", tt_test_top(), b ? b : "build");
	snprintf(conf, sizeof(conf), "%s/empty.conf", tt_test_tmpdir());
	f = fopen(conf, "w");
	if (f)
		fclose(f);
	setenv("TASKTRACE_CONFIG", conf, 1);
	setenv("TZ", "UTC", 1);
	unsetenv("TASKTRACE_SECRET");
	unsetenv("TASKTRACE_STORE");
	unsetenv("TASKTRACE_EXPORT_DIR");
	return prog;
}

/* Two weeks of three people, from Monday 2026-01-05. */
static const char *
fixture(void)
{
	const char *b = getenv("TT_BUILD");

	if (!store[0]) {
		snprintf(store, sizeof(store), "%s/store", tt_test_tmpdir());
		if (tt_test_run(NULL, "%s/%s/tasktrace-workload --store %s --days 14 "
				"--users 3 --seed 3 --quiet", tt_test_top(), b ? b : "build",
				store) != 0) {
			fprintf(stderr, "    cannot build the workload store\n");
			exit(99);
		}
	}
	return store;
}

static char *
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

static int
count_files(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int n = 0;

	if (!d)
		return -1;
	while ((de = readdir(d)))
		n += strcmp(de->d_name, ".") && strcmp(de->d_name, "..");
	closedir(d);
	return n;
}

#define REPORT(out, ...) \
	tt_test_run(out, "%s --store %s report --quiet " __VA_ARGS__)

TEST(help_and_usage_errors)
{
	char *out = NULL;

	CHECK_EQ(tt_test_run(&out, "%s report --help", tasktrace()), 0);
	CHECK_CONTAINS(out, "Usage: tasktrace report -o FILE.html");
	CHECK_CONTAINS(out, "--pseudonymize");
	free(out);
	CHECK_EQ(REPORT(&out, "2>&1", tasktrace(), fixture()), 2);
	CHECK_CONTAINS(out, "name the file to write with -o FILE.html");
	free(out);
	CHECK_EQ(REPORT(&out, "-o x.html --since 2026-01-09 --until 2026-01-08 2>&1",
			tasktrace(), fixture()), 2);
	CHECK_CONTAINS(out, "--until must be later than --since");
	free(out);
	CHECK_EQ(REPORT(&out, "-o x.html --since 2026-02-30 2>&1", tasktrace(), fixture()), 2);
	CHECK_CONTAINS(out, "cannot read '2026-02-30' as a time");
	free(out);
	CHECK_EQ(REPORT(&out, "-o x.html --bogus 2>&1", tasktrace(), fixture()), 2);
	free(out);
}

TEST(store_and_output_errors)
{
	char *out = NULL, path[4300], dir[4200];

	CHECK_EQ(tt_test_run(&out, "%s --store %s/none report -o %s/x.html 2>&1", tasktrace(),
			     tt_test_tmpdir(), tt_test_tmpdir()), 3);
	CHECK_CONTAINS(out, "no store there");
	free(out);
	CHECK_EQ(REPORT(&out, "-o /nonexistent/dir/x.html 2>&1", tasktrace(), fixture()), 8);
	CHECK_CONTAINS(out, "cannot write /nonexistent/dir/x.html");
	free(out);
	CHECK_EQ(REPORT(&out, "-o %s/x.html --user nosuchuser 2>&1", tasktrace(), fixture(),
			tt_test_tmpdir()), 2);
	CHECK_CONTAINS(out, "no user 'nosuchuser'");
	free(out);
	/* a missing secret: nothing written, the old file kept */
	snprintf(dir, sizeof(dir), "%s/keep", tt_test_tmpdir());
	mkdir(dir, 0755);
	snprintf(path, sizeof(path), "%s/r.html", dir);
	FILE *f = fopen(path, "w");
	CHECK(f);
	fputs("old", f);
	fclose(f);
	CHECK_EQ(REPORT(&out, "-o %s -p --secret %s/nosecret 2>&1", tasktrace(), fixture(),
			path, tt_test_tmpdir()), 1);
	CHECK_CONTAINS(out, "no site secret");
	free(out);
	out = slurp(path);
	CHECK_STR(out, "old");
	free(out);
	CHECK_EQ(count_files(dir), 1);
}

TEST(writes_a_page_atomically)
{
	char *out = NULL, *html, dir[4200], path[4300];

	snprintf(dir, sizeof(dir), "%s/atomic", tt_test_tmpdir());
	mkdir(dir, 0755);
	snprintf(path, sizeof(path), "%s/r.html", dir);
	CHECK_EQ(REPORT(&out, "-o %s --since 2026-01-05 --until 2026-01-10 --title 'Q1 <team>'",
			tasktrace(), fixture(), path), 0);
	free(out);
	html = slurp(path);
	CHECK(html);
	CHECK_CONTAINS(html, "<h1>Q1 &lt;team&gt;</h1>");
	CHECK_CONTAINS(html, "Mon 05 Jan 2026 \xe2\x80\x93 Fri 09 Jan 2026 (UTC)");
	CHECK_CONTAINS(html, ">alice<title>");
	CHECK_CONTAINS(html, "<section id=\"routines\">");
	CHECK_CONTAINS(html, "</html>\n");
	free(html);
	/* only the file: no temporary left beside it */
	CHECK_EQ(count_files(dir), 1);
	/* to standard output, too */
	CHECK_EQ(REPORT(&out, "-o - --since 2026-01-05 --until 2026-01-06", tasktrace(),
			fixture()), 0);
	CHECK_CONTAINS(out, "<!DOCTYPE html>");
	free(out);
}

TEST(one_user)
{
	char *out = NULL;

	CHECK_EQ(REPORT(&out, "-o - --user bob --since 2026-01-05 --until 2026-01-07",
			tasktrace(), fixture()), 0);
	CHECK_CONTAINS(out, ">bob<title>");
	CHECK_CONTAINS(out, "only bob");
	CHECK_CONTAINS(out, "<b>1</b><span>person</span>");
	CHECK(!strstr(out, ">alice<"));
	free(out);
}

TEST(pseudonyms_as_in_the_exports)
{
	char *out = NULL, secret[4200], pseudo_alice[PSEUDO_LEN + 1], err[256];
	struct pseudo p;

	snprintf(secret, sizeof(secret), "%s/secret", tt_test_tmpdir());
	CHECK_EQ(tt_test_run(NULL, "%s secret --create --secret %s", tasktrace(), secret), 0);
	CHECK_EQ(pseudo_load(&p, secret, err, sizeof(err)), 0);
	pseudo_name(&p, "user", "u-", "alice", 5, pseudo_alice);
	CHECK_EQ(REPORT(&out, "-o - -p --secret %s --since 2026-01-05 --until 2026-01-07",
			tasktrace(), fixture(), secret), 0);
	CHECK_CONTAINS(out, pseudo_alice);
	CHECK_CONTAINS(out, "people pseudonymised");
	CHECK_MSG(!strstr(out, "alice") && !strstr(out, "bob") && !strstr(out, "carol"),
		  "a real name in a pseudonymised report");
	free(out);
	/* the exports' pseudonym selects the same person */
	CHECK_EQ(REPORT(&out, "-o - -p --secret %s --user %s --since 2026-01-05 "
			"--until 2026-01-07", tasktrace(), fixture(), secret, pseudo_alice), 0);
	CHECK_CONTAINS(out, "<b>1</b><span>person</span>");
	CHECK_CONTAINS(out, pseudo_alice);
	free(out);
	pseudo_clear(&p);
}

TEST(scheduled_weekly_report)
{
	char *out = NULL, dir[4200], path[4300];
	struct stat st;

	snprintf(dir, sizeof(dir), "%s/exports", tt_test_tmpdir());
	/* a Wednesday: no weekly report */
	CHECK_EQ(tt_test_run(&out, "%s --store %s export-scheduled --dir %s --formats csv "
			     "--group '' --report weekly --since 2026-01-07 2>&1", tasktrace(),
			     fixture(), dir), 0);
	free(out);
	CHECK_EQ(count_files(dir), 1);
	/* the Sunday: the week's report, named after its Monday, 0640 */
	CHECK_EQ(tt_test_run(&out, "%s --store %s export-scheduled --dir %s --formats csv "
			     "--group '' --report weekly --since 2026-01-11 2>&1", tasktrace(),
			     fixture(), dir), 0);
	CHECK_CONTAINS(out, "tasktrace-2026-01-05.html: report of");
	free(out);
	snprintf(path, sizeof(path), "%s/tasktrace-2026-01-05.html", dir);
	CHECK_EQ(stat(path, &st), 0);
	CHECK_EQ(st.st_mode & 0777, 0640);
	out = slurp(path);
	CHECK_CONTAINS(out, "<h1>Weekly work patterns</h1>");
	CHECK_CONTAINS(out, "Mon 05 Jan 2026 \xe2\x80\x93 Sun 11 Jan 2026 (UTC)");
	CHECK_CONTAINS(out, ">Fri 09 Jan</text>");
	free(out);
	/* the next Sunday, keep 1: the older report is rotated away */
	CHECK_EQ(tt_test_run(&out, "%s --store %s export-scheduled --dir %s --formats csv "
			     "--group '' --keep 1 --report weekly --since 2026-01-18 2>&1",
			     tasktrace(), fixture(), dir), 0);
	free(out);
	CHECK(access(path, F_OK) != 0);
	snprintf(path, sizeof(path), "%s/tasktrace-2026-01-12.html", dir);
	CHECK_EQ(access(path, F_OK), 0);
	CHECK_EQ(count_files(dir), 2);	/* one csv, one html */
}

TEST(scheduled_daily_report_from_the_configuration)
{
	char *out = NULL, dir[4200], path[4300], c[4200];
	FILE *f;

	snprintf(dir, sizeof(dir), "%s/daily", tt_test_tmpdir());
	snprintf(c, sizeof(c), "%s/daily.conf", tt_test_tmpdir());
	tasktrace();
	f = fopen(c, "w");
	CHECK(f);
	fprintf(f, "[export]\ndir = %s\nformats = jsonl\nreport = daily\n", dir);
	fclose(f);
	CHECK_EQ(tt_test_run(&out, "%s --config %s check-config %s", tasktrace(), c, c), 0);
	free(out);
	CHECK_EQ(tt_test_run(&out, "%s --config %s --store %s export-scheduled --group '' "
			     "--since 2026-01-08 2>&1", tasktrace(), c, fixture()), 0);
	free(out);
	snprintf(path, sizeof(path), "%s/tasktrace-2026-01-08.html", dir);
	out = slurp(path);
	CHECK(out);
	CHECK_CONTAINS(out, "Thu 08 Jan 2026 (UTC)");
	free(out);
	/* a bad value is caught by check-config and by the command */
	f = fopen(c, "w");
	CHECK(f);
	fprintf(f, "[export]\nreport = hourly\n");
	fclose(f);
	CHECK_EQ(tt_test_run(&out, "%s check-config %s 2>&1", tasktrace(), c), 7);
	CHECK_CONTAINS(out, "invalid value 'hourly' for report (use no|daily|weekly)");
	free(out);
	CHECK_EQ(tt_test_run(&out, "%s --store %s export-scheduled --report hourly 2>&1",
			     tasktrace(), fixture()), 2);
	CHECK_CONTAINS(out, "invalid --report 'hourly'");
	free(out);
}
