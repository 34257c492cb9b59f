/* SPDX-License-Identifier: MIT */
/*
 * tasktrace-hostile STORE DAY TEXT: append to a store a working hour of
 * user "mallory" (uid 4242) on DAY (YYYY-MM-DD, 10:00 UTC), in an
 * application whose id and window title are both TEXT — what any X11
 * client can claim for its WM_CLASS and title. Mallory copies in it and
 * pastes in "firefox" twenty times, so that TEXT reaches every part of the
 * report: time per application, transitions, copy-paste flows, routines.
 *
 * For the report's browser test (tests/report/run-report-tests).
 */
#include <stdio.h>
#include <time.h>
#include <stdlib.h>
#include <string.h>

#include "tasktrace/error.h"
#include "tasktrace/record.h"
#include "tasktrace/store.h"

#define S 1000000000ULL

static struct tt_store *store;
static uint64_t seq = 1u << 30;

static void
put(struct tt_record *r)
{
	int rc;

	r->seq = seq++;
	if ((rc = tt_store_append(store, r)) != 0) {
		fprintf(stderr, "tasktrace-hostile: append: %s\n", tt_strerror(rc));
		exit(1);
	}
}

static uint32_t
intern(const char *s)
{
	uint32_t id;
	int rc = tt_store_intern(store, s, strlen(s), &id);

	if (rc != 0) {
		fprintf(stderr, "tasktrace-hostile: intern: %s\n", tt_strerror(rc));
		exit(1);
	}
	return id;
}

int
main(int argc, char **argv)
{
	struct tt_session_info sess = { .uid = 4242 };
	unsigned y, m, d;
	uint64_t t;
	struct tm tm = { 0 };
	uint32_t evil, firefox, ctrl_c, ctrl_v, title_ff;
	int rc;

	if (argc != 4 || sscanf(argv[2], "%4u-%2u-%2u", &y, &m, &d) != 3) {
		fprintf(stderr, "usage: tasktrace-hostile STORE YYYY-MM-DD TEXT\n");
		return 2;
	}
	tm.tm_year = (int)y - 1900;
	tm.tm_mon = (int)m - 1;
	tm.tm_mday = (int)d;
	tm.tm_hour = 10;
	t = (uint64_t)timegm(&tm) * S;
	rc = tt_store_open(&store, argv[1], 0, NULL);
	if (rc != 0) {
		fprintf(stderr, "tasktrace-hostile: %s: %s\n", argv[1], tt_strerror(rc));
		return 1;
	}
	snprintf(sess.logind_id, sizeof(sess.logind_id), "c42");
	snprintf(sess.seat, sizeof(sess.seat), "seat0");
	snprintf(sess.user, sizeof(sess.user), "mallory");
	sess.start_ns = t;
	if ((rc = tt_store_session_add(store, &sess)) != 0) {
		fprintf(stderr, "tasktrace-hostile: session: %s\n", tt_strerror(rc));
		return 1;
	}
	evil = intern(argv[3]);
	firefox = intern("firefox");
	title_ff = intern("CRM \xe2\x80\x94 Mozilla Firefox");
	ctrl_c = intern("Ctrl+C");
	ctrl_v = intern("Ctrl+V");

	struct tt_record base = { .session = sess.id, .uid = sess.uid };
	struct tt_record r = base;

	r.time_ns = t;
	r.kind = TT_KIND_SESSION;
	put(&r);
	for (int i = 0; i < 20; i++) {
		t += 20 * S;
		r = base;
		r.time_ns = t;
		r.kind = TT_KIND_FOCUS;
		r.app = evil;
		r.title = evil;
		put(&r);
		r.kind = TT_KIND_TYPING;
		r.time_ns = t += 2 * S;
		r.dur_ns = 6 * S;
		r.u.typing.count[TT_CLASS_LETTER] = 30;
		r.u.typing.end = TT_BURST_SHORTCUT;
		put(&r);
		memset(&r.u, 0, sizeof(r.u));
		r.kind = TT_KIND_KEY;
		r.time_ns = t += 7 * S;
		r.dur_ns = 200000000ULL;
		r.u.key.name = ctrl_c;
		r.u.key.code = 46;
		r.u.key.mods = TT_MOD_CTRL;
		put(&r);
		r = base;
		r.time_ns = t += 3 * S;
		r.kind = TT_KIND_FOCUS;
		r.app = firefox;
		r.title = title_ff;
		put(&r);
		r.kind = TT_KIND_KEY;
		r.time_ns = t += 2 * S;
		r.dur_ns = 200000000ULL;
		r.u.key.name = ctrl_v;
		r.u.key.code = 47;
		r.u.key.mods = TT_MOD_CTRL;
		put(&r);
	}
	r = base;
	r.time_ns = t + S;
	r.kind = TT_KIND_SESSION;
	r.u.session.end = 1;
	put(&r);
	rc = tt_store_commit(store);
	if (rc == 0)
		rc = tt_store_close(store);
	if (rc != 0) {
		fprintf(stderr, "tasktrace-hostile: commit: %s\n", tt_strerror(rc));
		return 1;
	}
	return 0;
}
