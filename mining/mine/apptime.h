/* SPDX-License-Identifier: MIT */
/*
 * Time in an application, the one rule `stats` and `me --summary` share:
 * a span runs from a user's focus record to their next focus change, and
 * stops at idle, lock and the end of a session (and so at a pause, which
 * ends the session); activity or an unlock starts it again.
 */
#ifndef TT_MINING_APPTIME_H
#define TT_MINING_APPTIME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tasktrace/record.h"

#define APPTIME_MAX_USERS 256

struct apptime {
	/* called for each finished span of @app (a string id, never 0) */
	void (*span)(void *ctx, uint32_t uid, uint32_t app, uint64_t from, uint64_t to);
	void *ctx;
	struct apptime_user {
		uint32_t uid;
		uint32_t app;		/* focused application, 0: none */
		uint64_t since;		/* when the current span began */
		bool paused;
	} users[APPTIME_MAX_USERS];
	size_t nusers;
};

/* Feed records in time order. */
void
apptime_feed(struct apptime *at, const struct tt_record *r);

#endif
