/* SPDX-License-Identifier: MIT */
/*
 * Store benchmark: the same realistic records (from tasktrace-workload)
 * into the tasktrace store and into SQLite (WAL, batched transactions,
 * one table indexed by time: the store ActivityWatch and selfspy use).
 * Then a one-day query and a full scan on a 10 M record store.
 *
 * Prints one figure per line; timings are wall-clock, best of a few runs.
 */
#include <inttypes.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "tasktrace/error.h"
#include "tasktrace/store.h"

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
die(const char *what, int rc)
{
	fprintf(stderr, "bench-store: %s: %s\n", what, tt_strerror(rc));
	exit(1);
}

static struct tt_record *
load_records(const char *dir, size_t *n)
{
	struct tt_store *s;
	struct tt_reader *rd;
	struct tt_cursor *c;
	struct tt_query q;
	struct tt_store_stat st;
	struct tt_record *arr;
	int rc;

	if ((rc = tt_store_open(&s, dir, TT_STORE_RDONLY, NULL)))
		die(dir, rc);
	tt_reader_open(s, &rd);
	tt_reader_stat(rd, &st);
	arr = malloc((st.records + 1) * sizeof(*arr));
	tt_query_init(&q);
	tt_cursor_open(rd, &q, &c);
	*n = 0;
	while (tt_cursor_next(c, &arr[*n]) == 1)
		(*n)++;
	tt_cursor_close(c);
	tt_reader_close(rd);
	tt_store_close(s);
	return arr;
}

static uint64_t
dir_bytes_used(const char *dir, uint64_t *records)
{
	struct tt_store *s;
	struct tt_reader *rd;
	struct tt_store_stat st;

	if (tt_store_open(&s, dir, TT_STORE_RDONLY, NULL))
		return 0;
	tt_reader_open(s, &rd);
	tt_reader_stat(rd, &st);
	tt_reader_close(rd);
	tt_store_close(s);
	*records = st.records;
	return st.used_bytes;
}

/* Payload fields as four generic integers, for the SQLite table. */
static void
payload(const struct tt_record *r, int64_t f[4])
{
	memset(f, 0, 4 * sizeof(f[0]));
	switch (r->kind) {
	case TT_KIND_TYPING:
		f[0] = r->u.typing.count[0];
		f[1] = r->u.typing.count[1] | (int64_t)r->u.typing.count[2] << 16;
		f[2] = r->u.typing.count[3] | (int64_t)r->u.typing.count[6] << 16;
		f[3] = r->u.typing.end;
		break;
	case TT_KIND_KEY:
		f[0] = r->u.key.name;
		f[1] = r->u.key.code;
		f[2] = r->u.key.mods;
		break;
	case TT_KIND_BUTTON:
		f[0] = r->u.button.button;
		f[1] = r->u.button.clicks;
		break;
	case TT_KIND_SCROLL:
		f[0] = r->u.scroll.v120;
		f[1] = r->u.scroll.events;
		f[2] = r->u.scroll.source;
		break;
	case TT_KIND_MOTION:
		f[0] = r->u.motion.distance;
		f[1] = r->u.motion.events;
		break;
	case TT_KIND_FOCUS:
		f[0] = r->u.focus.exe;
		f[1] = r->u.focus.pid;
		f[2] = r->u.focus.backend;
		break;
	default:
		break;
	}
}

static double
bench_sqlite(const char *path, const struct tt_record *recs, size_t n, uint64_t *bytes)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	double t0, t1;
	int64_t f[4];
	char *err = NULL;

	unlink(path);
	if (sqlite3_open(path, &db) != SQLITE_OK)
		return 0;
	sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
		     "CREATE TABLE records (time INTEGER, seq INTEGER, kind INTEGER,"
		     " dur INTEGER, session INTEGER, uid INTEGER, device INTEGER,"
		     " app INTEGER, title INTEGER, a INTEGER, b INTEGER, c INTEGER,"
		     " d INTEGER);"
		     "CREATE INDEX records_time ON records (time, seq);", NULL, NULL, &err);
	if (err) {
		fprintf(stderr, "sqlite: %s\n", err);
		sqlite3_free(err);
	}
	sqlite3_prepare_v2(db, "INSERT INTO records VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
			   -1, &st, NULL);
	t0 = now();
	sqlite3_exec(db, "BEGIN", NULL, NULL, NULL);
	for (size_t i = 0; i < n; i++) {
		const struct tt_record *r = &recs[i];

		payload(r, f);
		sqlite3_bind_int64(st, 1, (int64_t)r->time_ns);
		sqlite3_bind_int64(st, 2, (int64_t)r->seq);
		sqlite3_bind_int(st, 3, r->kind);
		sqlite3_bind_int64(st, 4, (int64_t)r->dur_ns);
		sqlite3_bind_int64(st, 5, r->session);
		sqlite3_bind_int64(st, 6, r->uid);
		sqlite3_bind_int64(st, 7, r->device);
		sqlite3_bind_int64(st, 8, r->app);
		sqlite3_bind_int64(st, 9, r->title);
		for (int j = 0; j < 4; j++)
			sqlite3_bind_int64(st, 10 + j, f[j]);
		sqlite3_step(st);
		sqlite3_reset(st);
		if (i % 65536 == 65535) {
			sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
			sqlite3_exec(db, "BEGIN", NULL, NULL, NULL);
		}
	}
	sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
	t1 = now();
	sqlite3_finalize(st);
	sqlite3_exec(db, "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL);
	{
		sqlite3_stmt *q;
		int64_t pages = 0, psize = 0;

		sqlite3_prepare_v2(db, "PRAGMA page_count", -1, &q, NULL);
		if (sqlite3_step(q) == SQLITE_ROW)
			pages = sqlite3_column_int64(q, 0);
		sqlite3_finalize(q);
		sqlite3_prepare_v2(db, "PRAGMA page_size", -1, &q, NULL);
		if (sqlite3_step(q) == SQLITE_ROW)
			psize = sqlite3_column_int64(q, 0);
		sqlite3_finalize(q);
		*bytes = (uint64_t)(pages * psize);
	}
	sqlite3_close(db);
	return (double)n / (t1 - t0);
}

static double
bench_ingest(const char *dir, const struct tt_record *recs, size_t n)
{
	struct tt_store *s;
	double t0, t1;
	int rc;

	if ((rc = tt_store_open(&s, dir, TT_STORE_CREATE, NULL)))
		die(dir, rc);
	t0 = now();
	for (size_t i = 0; i < n; i++)
		if ((rc = tt_store_append(s, &recs[i])))
			die("append", rc);
	if ((rc = tt_store_close(s)))
		die("close", rc);
	t1 = now();
	return (double)n / (t1 - t0);
}

static uint64_t
count(struct tt_store *s, uint64_t since, uint64_t until, double *secs)
{
	struct tt_reader *rd;
	struct tt_cursor *c;
	struct tt_query q;
	struct tt_record r;
	uint64_t n = 0;
	double t0 = now();

	tt_reader_open(s, &rd);
	tt_query_init(&q);
	q.since_ns = since;
	q.until_ns = until;
	tt_cursor_open(rd, &q, &c);
	while (tt_cursor_next(c, &r) == 1)
		n++;
	tt_cursor_close(c);
	tt_reader_close(rd);
	*secs = now() - t0;
	return n;
}

static int
run(const char *fmt, const char *a, const char *b)
{
	char cmd[8192];

	snprintf(cmd, sizeof(cmd), fmt, a, b);
	return system(cmd);
}

int
main(int argc, char **argv)
{
	const char *build = getenv("TT_BUILD") ? getenv("TT_BUILD") : "build";
	char tmp[] = "/tmp/tasktrace-bench.XXXXXX";
	char src[4200], dst[4200], big[4200], sql[4200];
	struct tt_record *recs;
	size_t n;
	uint64_t tt_bytes = 0, sql_bytes = 0, nrec = 1;
	double tt_rate = 0, sql_rate;
	size_t big_records = argc > 1 ? strtoull(argv[1], NULL, 10) : 10000000;

	if (!mkdtemp(tmp))
		return 1;
	snprintf(src, sizeof(src), "%s/src", tmp);
	snprintf(dst, sizeof(dst), "%s/ingest", tmp);
	snprintf(big, sizeof(big), "%s/big", tmp);
	snprintf(sql, sizeof(sql), "%s/sqlite.db", tmp);

	/* 2 M realistic records: 5 users, 20 working days. */
	if (run("%s/tasktrace-workload --store %s --days 28 --users 5 --seed 1 --quiet",
		build, src))
		return 1;
	recs = load_records(src, &n);
	printf("records                        %zu (tasktrace-workload, 5 users, 20 working days)\n", n);

	for (int i = 0; i < 3; i++) {
		char d[4300];
		double r;

		snprintf(d, sizeof(d), "%s.%d", dst, i);
		r = bench_ingest(d, recs, n);
		if (r > tt_rate)
			tt_rate = r;
		tt_bytes = dir_bytes_used(d, &nrec);
	}
	sql_rate = bench_sqlite(sql, recs, n, &sql_bytes);
	printf("ingest tasktrace               %.2f M records/s (batched writer, durable commits)\n",
	       tt_rate / 1e6);
	printf("ingest sqlite (WAL, indexed)   %.2f M records/s\n", sql_rate / 1e6);
	printf("ingest ratio                   %.1fx sqlite (target >= 5x)\n", tt_rate / sql_rate);
	printf("bytes/record tasktrace         %.1f (LMDB pages in use, strings included)\n",
	       (double)tt_bytes / (double)nrec);
	printf("bytes/record sqlite            %.1f\n", (double)sql_bytes / (double)n);
	printf("size ratio                     %.2fx sqlite (target <= 0.5x)\n",
	       ((double)tt_bytes / (double)nrec) / ((double)sql_bytes / (double)n));
	free(recs);

	/* A 10 M record store: one-day query and full scan. */
	{
		char cmd[8192];
		struct tt_store *s;
		struct tt_store_stat st;
		struct tt_reader *rd;
		unsigned days = (unsigned)(big_records / (10 * 18500)) + 1;
		double best = 1e9, secs, scan = 1e9;
		uint64_t day_n = 0, all = 0;
		uint64_t day0;
		char arg[64];

		snprintf(arg, sizeof(arg), "%u", days * 7 / 5 + 1);
		snprintf(cmd, sizeof(cmd),
			 "%s/tasktrace-workload --store %s --days %s --users 10 --seed 2 --quiet",
			 build, big, arg);
		if (system(cmd))
			return 1;
		tt_store_open(&s, big, TT_STORE_RDONLY, NULL);
		tt_reader_open(s, &rd);
		tt_reader_stat(rd, &st);
		tt_reader_close(rd);
		/* the middle day of the store */
		day0 = (st.first_ns + (st.last_ns - st.first_ns) / 2) / 86400000000000ULL * 86400000000000ULL;
		for (int i = 0; i < 7; i++) {
			day_n = count(s, day0, day0 + 86400000000000ULL, &secs);
			if (secs < best)
				best = secs;
		}
		for (int i = 0; i < 3; i++) {
			all = count(s, 0, 0, &secs);
			if (secs < scan)
				scan = secs;
		}
		printf("store for queries              %" PRIu64 " records, %.1f MiB\n",
		       st.records, (double)st.used_bytes / 1048576.0);
		printf("one-day query                  %.2f ms for %" PRIu64 " records (target < 50 ms)\n",
		       best * 1e3, day_n);
		printf("full scan                      %.1f M records/s (%" PRIu64 " records)\n",
		       (double)all / scan / 1e6, all);
		tt_store_close(s);
	}
	run("rm -rf %s%s", tmp, "");
	return 0;
}
