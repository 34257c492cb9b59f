/* SPDX-License-Identifier: MIT */
/*
 * tasktrace-fleet-fixture: what the fleet tests and benchmark need to write
 * into a store besides the workload generator's office days.
 *
 *   refuse STORE      two records the server must refuse: a duration past
 *                     PostgreSQL's bigint, a title with a NUL byte
 *   late STORE N      N records behind the store's end (a clock step back)
 *   ingest STORE RATE SECONDS
 *                     append RATE records/s in 10 ms steps, commit every
 *                     100 ms, as the tracer does; print the writer's CPU
 *                     time per 1000 records and its commit latencies
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "tasktrace/error.h"
#include "tasktrace/store.h"

static uint64_t
now_ns(clockid_t c)
{
	struct timespec ts;

	clock_gettime(c, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static void
base(struct tt_record *r, uint64_t t, uint64_t seq)
{
	memset(r, 0, sizeof(*r));
	r->time_ns = t;
	r->seq = seq;
	r->uid = TT_UID_NONE;
	r->kind = TT_KIND_MOTION;
	r->u.motion.distance = 80;
	r->u.motion.events = 10;
}

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static int
last_key(struct tt_store *s, uint64_t *t, uint64_t *seq)
{
	struct tt_reader *rd;
	struct tt_store_stat st;
	int rc;

	if ((rc = tt_reader_open(s, &rd)))
		return rc;
	rc = tt_reader_stat(rd, &st);
	tt_reader_close(rd);
	*t = st.last_ns;
	*seq = 1u << 30;	/* above the workload's seqs */
	return rc;
}

int
main(int argc, char **argv)
{
	struct tt_store *s;
	struct tt_record r;
	uint64_t t, seq;
	int rc;

	if (argc < 3) {
		fprintf(stderr, "usage: tasktrace-fleet-fixture refuse|late|ingest STORE …\n");
		return 2;
	}
	if ((rc = tt_store_open(&s, argv[2], TT_STORE_CREATE, NULL))) {
		fprintf(stderr, "%s: %s\n", argv[2], tt_strerror(rc));
		return 1;
	}
	if ((rc = last_key(s, &t, &seq)))
		goto fail;

	if (strcmp(argv[1], "refuse") == 0) {
		uint32_t id;

		base(&r, t + 1000, seq);
		r.dur_ns = UINT64_MAX - 7;	/* > INT64_MAX */
		if ((rc = tt_store_append(s, &r)))
			goto fail;
		if ((rc = tt_store_intern(s, "bad\0title", 9, &id)))
			goto fail;
		base(&r, t + 2000, seq + 1);
		r.kind = TT_KIND_FOCUS;
		memset(&r.u, 0, sizeof(r.u));
		r.title = id;
		if ((rc = tt_store_append(s, &r)))
			goto fail;
		base(&r, t + 3000, seq + 2);	/* and a good one after them */
		if ((rc = tt_store_append(s, &r)))
			goto fail;
	} else if (strcmp(argv[1], "late") == 0 && argc == 4) {
		unsigned n = (unsigned)strtoul(argv[3], NULL, 10);

		/* Behind the end: an hour before the last record. */
		for (unsigned i = 0; i < n; i++) {
			base(&r, t - 3600000000000ULL + i * 1000000ULL, seq + 100 + i);
			if ((rc = tt_store_append(s, &r)))
				goto fail;
		}
	} else if (strcmp(argv[1], "ingest") == 0 && argc == 5) {
		unsigned rate = (unsigned)strtoul(argv[3], NULL, 10);
		double secs = strtod(argv[4], NULL);
		uint64_t start = now_ns(CLOCK_MONOTONIC), end = start + (uint64_t)(secs * 1e9);
		uint64_t next_commit = start + 100000000ULL, n = 0, *lat = NULL;
		size_t nlat = 0, caplat = 0;
		struct rusage ru0, ru1;
		struct timespec step = { 0, 10000000 };

		if (t < now_ns(CLOCK_REALTIME))
			t = now_ns(CLOCK_REALTIME);
		getrusage(RUSAGE_SELF, &ru0);
		for (uint64_t tick = start; tick < end; tick += 10000000ULL) {
			for (unsigned i = 0; i < rate / 100; i++) {
				base(&r, ++t, ++seq);
				if ((rc = tt_store_append(s, &r)))
					goto fail;
				n++;
			}
			if (now_ns(CLOCK_MONOTONIC) >= next_commit) {
				uint64_t c0 = now_ns(CLOCK_MONOTONIC);

				if ((rc = tt_store_commit(s)))
					goto fail;
				if (nlat == caplat) {
					caplat = caplat ? caplat * 2 : 256;
					lat = realloc(lat, caplat * sizeof(*lat));
				}
				lat[nlat++] = now_ns(CLOCK_MONOTONIC) - c0;
				next_commit += 100000000ULL;
			}
			clock_nanosleep(CLOCK_MONOTONIC, 0, &step, NULL);
		}
		getrusage(RUSAGE_SELF, &ru1);
		double cpu = (double)(ru1.ru_utime.tv_sec - ru0.ru_utime.tv_sec +
				      ru1.ru_stime.tv_sec - ru0.ru_stime.tv_sec) * 1e3 +
			     (double)(ru1.ru_utime.tv_usec - ru0.ru_utime.tv_usec +
				      ru1.ru_stime.tv_usec - ru0.ru_stime.tv_usec) / 1e3;
		qsort(lat, nlat, sizeof(*lat), cmp_u64);
		printf("records %" PRIu64 " cpu_ms_per_1000 %.3f commit_p50_ms %.3f "
		       "commit_max_ms %.3f\n", n, n ? cpu * 1000 / (double)n : 0,
		       nlat ? (double)lat[nlat / 2] / 1e6 : 0,
		       nlat ? (double)lat[nlat - 1] / 1e6 : 0);
		free(lat);
	} else {
		fprintf(stderr, "tasktrace-fleet-fixture: unknown command\n");
		tt_store_close(s);
		return 2;
	}
	if ((rc = tt_store_close(s))) {
		fprintf(stderr, "commit: %s\n", tt_strerror(rc));
		return 1;
	}
	return 0;
fail:
	fprintf(stderr, "%s: %s\n", argv[2], tt_strerror(rc));
	tt_store_close(s);
	return 1;
}
