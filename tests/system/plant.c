/* SPDX-License-Identifier: MIT */
/*
 * tasktrace-plant STORE TIME_NS DUR_NS: append one record to a copy of a
 * store — a planted leak for the privacy check (guest only). The record
 * is a `key` record ("Shift+H", uid 1000) starting at TIME_NS that lasts
 * DUR_NS: a tracer that kept one key interval, written the way the
 * tracer writes everything, through the store and its block codec (a µs
 * varint in a µs block, a ns varint otherwise). The privacy scan must
 * find it every time (tests/system/guest/checks/30-privacy.sh).
 *
 * Exit status: 0 written, 1 store error, 2 usage.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tasktrace/error.h"
#include "tasktrace/record.h"
#include "tasktrace/store.h"

int
main(int argc, char **argv)
{
	struct tt_store *store;
	struct tt_record r;
	char *end1, *end2;
	uint32_t name;
	int rc;

	if (argc != 4) {
		fprintf(stderr, "usage: tasktrace-plant STORE TIME_NS DUR_NS\n");
		return 2;
	}
	memset(&r, 0, sizeof(r));
	r.time_ns = strtoull(argv[2], &end1, 10);
	r.dur_ns = strtoull(argv[3], &end2, 10);
	if (*end1 || *end2 || !r.time_ns || !r.dur_ns) {
		fprintf(stderr, "tasktrace-plant: TIME_NS and DUR_NS must be positive integers\n");
		return 2;
	}
	rc = tt_store_open(&store, argv[1], 0, NULL);
	if (rc != 0) {
		fprintf(stderr, "tasktrace-plant: %s: %s\n", argv[1], tt_strerror(rc));
		return 1;
	}
	if ((rc = tt_store_intern(store, "Shift+H", 7, &name)) != 0)
		goto fail;
	r.kind = TT_KIND_KEY;
	r.seq = 1u << 30;
	r.uid = 1000;
	r.u.key.name = name;
	r.u.key.code = 35;
	r.u.key.mods = TT_MOD_SHIFT;
	if ((rc = tt_store_append(store, &r)) != 0 || (rc = tt_store_commit(store)) != 0)
		goto fail;
	if ((rc = tt_store_close(store)) != 0) {
		fprintf(stderr, "tasktrace-plant: close: %s\n", tt_strerror(rc));
		return 1;
	}
	printf("tasktrace-plant: key record at %" PRIu64 " ns, %" PRIu64 " ns long\n",
	       r.time_ns, r.dur_ns);
	return 0;
fail:
	fprintf(stderr, "tasktrace-plant: %s\n", tt_strerror(rc));
	tt_store_close(store);
	return 1;
}
