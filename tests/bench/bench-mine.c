/* SPDX-License-Identifier: MIT */
/*
 * tasktrace mine: throughput and peak memory.
 *
 *  1. a team: tasktrace-workload --users 50 --days 20 (weekdays: 14 per
 *     user, ~14 M records);
 *  2. 10 M records: the same team at --records-per-day 12800;
 *  3. 10 M identical actions (one user, Ctrl+C in calc every 100 ms),
 *     the worst case for a repeat finder, written through the store API;
 *  4. one UI log each (tests/data/uilogs), converted with
 *     tasktrace-workload --from-uilog.
 *
 * Each is one run of the real CLI (`tasktrace mine --format json -q`: task
 * types, routines and the rest; the UI logs converted with their elements),
 * output to /dev/null) in a child; the figures are its wall time, its CPU
 * time (user + system, from wait4: the machine may be shared, and the
 * target is one core's throughput) and its peak RSS. Targets: ≥ 1 M
 * records/s of CPU on one core, peak RSS < 256 MiB at 10 M records (the
 * identical actions included).
 *
 * TT_BENCH_MINE_DIR=DIR keeps the stores there (built when missing).
 * The programs are $TT_BUILD/tasktrace and $TT_BUILD/tasktrace-workload.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "tasktrace/store.h"

static char tasktrace[4096], workload[4096];

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

struct run {
	double wall, cpu;
	long rss_kib;
	int status;
};

/* Run argv with stdout to @p out (or /dev/null); the child's figures. */
static int
run(char *const argv[], const char *out, struct run *r)
{
	struct rusage ru;
	double t0 = now();
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (pid == 0) {
		int fd = open(out ? out : "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (fd >= 0)
			dup2(fd, STDOUT_FILENO);
		execv(argv[0], argv);
		_exit(127);
	}
	if (wait4(pid, &status, 0, &ru) < 0)
		return -1;
	r->wall = now() - t0;
	r->cpu = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
		 (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
	r->rss_kib = ru.ru_maxrss;
	r->status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	return 0;
}

/* A number after "key": in the file (the mine's JSON totals). */
static unsigned long long
json_number(const char *path, const char *key)
{
	FILE *f = fopen(path, "r");
	static char buf[1 << 20];
	unsigned long long v = 0;
	size_t n;

	if (!f)
		return 0;
	/* the totals come last: read the tail */
	fseek(f, 0, SEEK_END);
	long size = ftell(f);
	fseek(f, size > (long)sizeof(buf) - 1 ? size - (long)sizeof(buf) + 1 : 0, SEEK_SET);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	const char *p = strstr(buf, key);
	if (p)
		v = strtoull(p + strlen(key), NULL, 10);
	return v;
}

static int
mine(const char *label, const char *store, const char *tmp, double target_rss_mib)
{
	char out[4200];
	struct run r;
	char *argv[] = { tasktrace, "--store", (char *)store, "mine", "--format", "json",
			 "-q", NULL };

	snprintf(out, sizeof(out), "%s/mine.json", tmp);
	if (run(argv, out, &r) < 0 || r.status != 0) {
		fprintf(stderr, "bench-mine: %s: tasktrace mine failed (%d)\n", label, r.status);
		return 1;
	}
	unsigned long long recs = json_number(out, "\"records\":");
	unsigned long long routines = 0;
	struct stat st;
	if (stat(out, &st) == 0)
		routines = (unsigned long long)st.st_size;
	printf("bench-mine: %s: %llu records in %.2f s wall, %.2f s CPU: "
	       "%.2f M records/s of CPU (%.2f M/s wall), peak RSS %.1f MiB%s\n",
	       label, recs, r.wall, r.cpu, r.cpu > 0 ? (double)recs / r.cpu / 1e6 : 0,
	       r.wall > 0 ? (double)recs / r.wall / 1e6 : 0, (double)r.rss_kib / 1024.0,
	       target_rss_mib > 0 ? (r.rss_kib / 1024.0 < target_rss_mib ?
				     " (target < 256 MiB: met)" : " (target < 256 MiB: MISSED)") : "");
	(void)routines;
	return 0;
}

static int
build_workload(const char *dir, const char *per_day)
{
	struct run r;
	char *argv[] = { workload, "--store", (char *)dir, "--users", "50", "--days", "20",
			 "--seed", "1", "--quiet", per_day ? "--records-per-day" : NULL,
			 (char *)per_day, NULL };
	struct stat st;
	char mdb[4200];

	snprintf(mdb, sizeof(mdb), "%s/data.mdb", dir);
	if (stat(mdb, &st) == 0)
		return 0;
	if (run(argv, NULL, &r) < 0 || r.status != 0) {
		fprintf(stderr, "bench-mine: tasktrace-workload failed (%d)\n", r.status);
		return 1;
	}
	printf("bench-mine: workload %s written in %.1f s\n", dir, r.wall);
	return 0;
}

/* One user pressing Ctrl+C in calc @p n times, 100 ms apart. */
static int
build_identical(const char *dir, uint64_t n)
{
	struct tt_store_options o = { .map_size = 4ULL << 30 };
	struct tt_session_info si = { .uid = 1000, .logind_id = "2", .seat = "seat0",
				      .user = "frank" };
	struct tt_store *s;
	struct tt_record r;
	uint32_t app = 0, cc = 0;
	struct stat st;
	char mdb[4300];
	double t0 = now();
	int rc;

	snprintf(mdb, sizeof(mdb), "%s/data.mdb", dir);
	if (stat(mdb, &st) == 0)
		return 0;
	rc = tt_store_open(&s, dir, TT_STORE_CREATE, &o);
	if (rc) {
		fprintf(stderr, "bench-mine: %s: cannot create a store (%d)\n", dir, rc);
		return 1;
	}
	rc = tt_store_session_add(s, &si);
	if (!rc)
		rc = tt_store_intern(s, "calc", 4, &app);
	if (!rc)
		rc = tt_store_intern(s, "Ctrl+C", 6, &cc);
	memset(&r, 0, sizeof(r));
	r.session = si.id;
	r.uid = si.uid;
	r.app = app;
	r.kind = TT_KIND_KEY;
	r.u.key.name = cc;
	r.u.key.mods = TT_MOD_CTRL;
	for (uint64_t i = 0; i < n && !rc; i++) {
		r.time_ns = 1767600000ULL * 1000000000ULL + i * 100000000ULL;
		r.seq = i + 1;
		rc = tt_store_append(s, &r);
	}
	if (tt_store_close(s) && !rc)
		rc = -EIO;
	if (rc) {
		fprintf(stderr, "bench-mine: %s: writing failed (%d)\n", dir, rc);
		return 1;
	}
	printf("bench-mine: %s written in %.1f s\n", dir, now() - t0);
	return 0;
}

int
main(void)
{
	const char *b = getenv("TT_BUILD"), *keep = getenv("TT_BENCH_MINE_DIR");
	const char *top = getenv("TT_TOP");
	char tmpl[] = "/tmp/tasktrace-bench-mine.XXXXXX", dir[4200], log[4200];
	const char *base;
	int failed = 0;

	snprintf(tasktrace, sizeof(tasktrace), "%s/tasktrace", b ? b : "build");
	snprintf(workload, sizeof(workload), "%s/tasktrace-workload", b ? b : "build");
	base = keep ? keep : mkdtemp(tmpl);
	if (!base || (keep && mkdir(keep, 0755) < 0 && errno != EEXIST)) {
		perror("bench-mine: work directory");
		return 1;
	}

	snprintf(dir, sizeof(dir), "%s/team", base);
	failed |= build_workload(dir, NULL);
	if (!failed)
		failed |= mine("50 users × 20 days", dir, base, 0);
	snprintf(dir, sizeof(dir), "%s/ten-million", base);
	failed |= build_workload(dir, "12800");
	if (!failed)
		failed |= mine("10 M records", dir, base, 256);
	snprintf(dir, sizeof(dir), "%s/identical", base);
	if (!build_identical(dir, 10000000))
		failed |= mine("10 M identical actions", dir, base, 256);
	else
		failed = 1;

	static const char *const logs[] = {
		"StudentRecord.csv", "Reimbursement.csv", "log1.xes", "log4.xes",
	};
	for (size_t i = 0; i < sizeof(logs) / sizeof(logs[0]); i++) {
		struct run r;
		snprintf(log, sizeof(log), "%s/tests/data/uilogs/%s", top ? top : ".", logs[i]);
		snprintf(dir, sizeof(dir), "%s/uilog-%zu", base, i);
		char *argv[] = { workload, "--quiet", "--from-uilog", log, "--store", dir, NULL };
		struct stat st;
		char mdb[4300];
		snprintf(mdb, sizeof(mdb), "%s/data.mdb", dir);
		if (stat(mdb, &st) != 0 && (run(argv, NULL, &r) < 0 || r.status != 0)) {
			fprintf(stderr, "bench-mine: converting %s failed\n", logs[i]);
			failed = 1;
			continue;
		}
		char *margv[] = { tasktrace, "--store", dir, "mine", "--format", "json", "-q",
				  NULL };
		if (run(margv, NULL, &r) < 0 || r.status != 0) {
			fprintf(stderr, "bench-mine: mining %s failed\n", logs[i]);
			failed = 1;
			continue;
		}
		printf("bench-mine: UI log %s: mined in %.1f ms wall, %.1f ms CPU, peak RSS "
		       "%.1f MiB\n", logs[i], r.wall * 1e3, r.cpu * 1e3, r.rss_kib / 1024.0);
	}
	if (!keep) {
		char cmd[4300];
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", base);
		if (system(cmd) != 0)
			fprintf(stderr, "bench-mine: could not remove %s\n", base);
	}
	return failed;
}
