/* SPDX-License-Identifier: MIT */
/*
 * A store that the map holds only by purging: 64 MiB, records of which
 * one in four names a new 100-byte title (a window that retitles itself,
 * the shape of issue 23's finding 2). The purge for space then deletes
 * the oldest blocks *and* the strings nothing names any more; this prints
 * how long the longest append waited (that commit, its purge and string
 * collection: the tracer's loop waits as long), and what the store kept.
 * No target: the figure is the stall's size (docs/design.md, section 16).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

int
main(void)
{
	const struct tt_store_options o = { .map_size = 64ULL << 20 };
	const unsigned n = 2000000;
	char dir[] = "/tmp/tt-bench-full.XXXXXX", path[64], cmd[96], title[101];
	double worst = 0, t0;
	unsigned long slow = 0;
	unsigned done = 0;
	struct tt_store_stat st;
	struct tt_reader *rd;
	struct tt_store *s;
	int rc;

	if (!mkdtemp(dir))
		return 1;
	snprintf(path, sizeof(path), "%s/store", dir);
	if ((rc = tt_store_open(&s, path, TT_STORE_CREATE, &o))) {
		fprintf(stderr, "bench-store-full: %s\n", tt_strerror(rc));
		return 1;
	}
	t0 = now();
	for (unsigned i = 0; i < n; i++) {
		struct tt_record r;
		double a, d;

		memset(&r, 0, sizeof(r));
		r.kind = TT_KIND_SCROLL;
		r.uid = 1000;
		r.time_ns = 1700000000000000000ULL + (uint64_t)i * 1000000;
		r.seq = i + 1;
		r.u.scroll.events = i;
		if (i % 4 == 0) {
			uint32_t id;

			memset(title, 'a' + (int)(i % 26), 100);
			snprintf(title, 12, "%010u", i);
			title[10] = ':';
			if ((rc = tt_store_intern(s, title, 100, &id)))
				break;
			r.title = id;
		}
		a = now();
		rc = tt_store_append(s, &r);
		d = now() - a;
		if (d > worst)
			worst = d;
		slow += d > 0.1;
		if (rc)
			break;
		done++;
	}
	if (rc)
		printf("FAILED after %u appends: %s\n", done, tt_strerror(rc));
	tt_store_commit(s);
	tt_reader_open(s, &rd);
	tt_reader_stat(rd, &st);
	tt_reader_close(rd);
	tt_store_close(s);
	printf("appends                        %u of %u into a 64 MiB map in %.1f s\n", done, n,
	       now() - t0);
	printf("longest append (commit+purge)  %.0f ms; %lu appends over 100 ms\n",
	       worst * 1e3, slow);
	printf("kept                           %llu records, %u strings\n",
	       (unsigned long long)st.records, st.strings);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd) != 0)
		return 1;
	return rc ? 1 : 0;
}
