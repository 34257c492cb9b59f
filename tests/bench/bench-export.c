/* SPDX-License-Identifier: MIT */
/*
 * Export throughput and peak memory, per format.
 *
 * Builds a store of N records (default 3 000 000; argv[1] or
 * TT_BENCH_RECORDS) with the store API: two users, a realistic mix of
 * kinds (typing bursts, shortcuts, clicks, scrolls, pointer motion, focus
 * changes, idle) over 40 applications and 2 000 window titles. Then runs
 * the real CLI once per format (`tasktrace export -f FORMAT -o FILE`) and
 * reports records/s and the child's peak RSS (wait4's ru_maxrss), so the
 * numbers include process start, the store walk, formatting and the
 * atomic write with its fsync.
 *
 * TT_BENCH_STORE=DIR keeps the store there (built when missing) for
 * repeated runs and profiling.
 *
 * The CLI is $TT_BUILD/tasktrace (default build/tasktrace).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "tasktrace/error.h"
#include "tasktrace/store.h"

#define SEC 1000000000ULL
#define MS 1000000ULL

static uint64_t rng = 88172645463325252ULL;

static uint64_t
rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int
build_store(const char *dir, uint64_t n)
{
	struct tt_store_options opts = { .map_size = 4ULL << 30 };
	struct tt_session_info s[2] = {
		{ .uid = 1000, .logind_id = "2", .seat = "seat0", .user = "alice" },
		{ .uid = 1001, .logind_id = "3", .seat = "seat1", .user = "bob" },
	};
	uint32_t apps[40], titles[2000], keys[8];
	struct tt_store *st;
	struct tt_record r;
	uint64_t t = 1795680000ULL * SEC;
	char buf[128];
	int rc;

	rc = tt_store_open(&st, dir, TT_STORE_CREATE, &opts);
	if (rc)
		return rc;
	tt_store_session_add(st, &s[0]);
	tt_store_session_add(st, &s[1]);
	for (int i = 0; i < 40; i++) {
		int len = snprintf(buf, sizeof(buf), "org.example.app%d", i);
		tt_store_intern(st, buf, (size_t)len, &apps[i]);
	}
	for (int i = 0; i < 2000; i++) {
		int len = snprintf(buf, sizeof(buf), "Document %d, \"draft\" — Editor", i);
		tt_store_intern(st, buf, (size_t)len, &titles[i]);
	}
	static const char *const names[8] = {
		"Ctrl+C", "Ctrl+V", "Ctrl+S", "Alt+Tab", "F5", "Escape", "PageDown", "Ctrl+Z",
	};
	for (int i = 0; i < 8; i++)
		tt_store_intern(st, names[i], strlen(names[i]), &keys[i]);

	uint32_t app = apps[0], title = titles[0];
	for (uint64_t i = 0; i < n; i++) {
		uint64_t x = rnd();
		unsigned who = (unsigned)(x >> 60) & 1;

		memset(&r, 0, sizeof(r));
		t += 50 * MS + (x % 700) * MS;
		r.time_ns = t;
		r.seq = i + 1;
		r.session = s[who].id;
		r.uid = s[who].uid;
		r.device = 0;
		switch (x % 20) {
		case 0:
			app = apps[(x >> 8) % 40];
			title = titles[(x >> 16) % 2000];
			r.kind = TT_KIND_FOCUS;
			break;
		case 1: case 2: case 3: case 4: case 5:
			r.kind = TT_KIND_TYPING;
			r.dur_ns = (x >> 8) % 5000 * MS;
			r.u.typing.count[TT_CLASS_LETTER] = (uint32_t)(x >> 20) % 60;
			break;
		case 6: case 7:
			r.kind = TT_KIND_KEY;
			r.u.key.name = keys[(x >> 8) % 8];
			r.u.key.mods = (x >> 8) % 8 < 4 ? TT_MOD_CTRL : 0;
			break;
		case 8: case 9: case 10: case 11:
			r.kind = TT_KIND_BUTTON;
			r.dur_ns = 80 * MS;
			r.u.button.button = 0x110;
			r.u.button.clicks = (uint8_t)(1 + (x >> 8) % 2);
			break;
		case 12: case 13:
			r.kind = TT_KIND_SCROLL;
			r.u.scroll.v120 = -120;
			r.u.scroll.events = 1;
			break;
		case 19:
			r.kind = (x >> 8) % 4 ? TT_KIND_MOTION : TT_KIND_IDLE;
			r.dur_ns = 300 * MS;
			break;
		default:
			r.kind = TT_KIND_MOTION;
			r.dur_ns = 200 * MS;
			r.u.motion.distance = 500;
			r.u.motion.events = 25;
			break;
		}
		r.app = app;
		r.title = title;
		if ((rc = tt_store_append(st, &r)))
			break;
	}
	int rc2 = tt_store_close(st);
	return rc ? rc : rc2;
}

static const char *
cli(void)
{
	static char path[4096];
	const char *b = getenv("TT_BUILD");

	snprintf(path, sizeof(path), "%s/tasktrace", b ? b : "build");
	return path;
}

int
main(int argc, char **argv)
{
	static const char *const formats[] = { "csv", "jsonl", "ocel", "xes" };
	const char *env = getenv("TT_BENCH_RECORDS");
	uint64_t n = argc > 1 ? strtoull(argv[1], NULL, 10) :
		     env ? strtoull(env, NULL, 10) : 3000000;
	char tmpl[] = "/tmp/tasktrace-bench.XXXXXX", store[4200], out[4200];
	const char *base = mkdtemp(tmpl);
	double t0;
	int rc, failed = 0;

	if (!base) {
		perror("mkdtemp");
		return 1;
	}
	const char *keep = getenv("TT_BENCH_STORE");
	snprintf(store, sizeof(store), "%s/store", base);
	if (keep)
		snprintf(store, sizeof(store), "%s", keep);
	t0 = now();
	rc = keep && access(store, F_OK) == 0 ? 0 : build_store(store, n);
	if (rc) {
		fprintf(stderr, "bench-export: building the store: %s\n", tt_strerror(rc));
		return 1;
	}
	printf("bench-export: %llu records written in %.2f s (%s)\n",
	       (unsigned long long)n, now() - t0, cli());

	for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
		struct rusage ru;
		struct stat st;
		int status;
		pid_t pid;

		snprintf(out, sizeof(out), "%s/out.%s", base, formats[i]);
		t0 = now();
		pid = fork();
		if (pid == 0) {
			execl(cli(), "tasktrace", "export", "-q", "-s", store, "-f",
			      formats[i], "-o", out, (char *)NULL);
			_exit(127);
		}
		if (pid < 0 || wait4(pid, &status, 0, &ru) != pid ||
		    !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
			fprintf(stderr, "bench-export: %s export failed\n", formats[i]);
			failed = 1;
			continue;
		}
		double secs = now() - t0;
		double cpu = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
			     (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
		stat(out, &st);
		/* Wall time includes waiting for the disk (fsync) and for the
		 * CPU on a shared machine; CPU time is the export's own cost. */
		printf("bench-export: %-5s %10.0f records/s (wall %6.2f s)  %10.0f records/s "
		       "(CPU %6.2f s)  peak RSS %6.1f MiB  output %7.1f MiB\n",
		       formats[i], (double)n / secs, secs, cpu > 0 ? (double)n / cpu : 0.0,
		       cpu, (double)ru.ru_maxrss / 1024.0, (double)st.st_size / 1048576.0);
		unlink(out);
	}
	snprintf(out, sizeof(out), "rm -rf %s", base);
	if (system(out) != 0)
		fprintf(stderr, "bench-export: could not remove %s\n", base);
	return failed;
}
