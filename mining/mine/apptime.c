/* SPDX-License-Identifier: MIT */
/* Time in an application; see apptime.h. */
#include "mining/mine/apptime.h"

static struct apptime_user *
user_of(struct apptime *at, uint32_t uid)
{
	for (size_t i = 0; i < at->nusers; i++)
		if (at->users[i].uid == uid)
			return &at->users[i];
	if (at->nusers == APPTIME_MAX_USERS)
		return NULL;
	at->users[at->nusers] = (struct apptime_user){ .uid = uid, .paused = true };
	return &at->users[at->nusers++];
}

static void
stop(struct apptime *at, struct apptime_user *u, uint64_t t)
{
	if (!u->paused && u->app && t > u->since)
		at->span(at->ctx, u->uid, u->app, u->since, t);
	u->paused = true;
}

void
apptime_feed(struct apptime *at, const struct tt_record *r)
{
	struct apptime_user *u;

	if (r->uid == TT_UID_NONE || !(u = user_of(at, r->uid)))
		return;
	switch (r->kind) {
	case TT_KIND_FOCUS:
		stop(at, u, r->time_ns);
		u->app = r->u.focus.flags & TT_FOCUS_EXCLUDED ? 0 : r->app;
		u->since = r->time_ns;
		u->paused = false;
		break;
	case TT_KIND_IDLE:
	case TT_KIND_LOCK:
		stop(at, u, r->time_ns);
		break;
	case TT_KIND_SESSION:
		stop(at, u, r->time_ns);
		if (r->u.session.end)
			u->app = 0;
		break;
	case TT_KIND_ACTIVE:
	case TT_KIND_UNLOCK:
		u->since = r->time_ns;
		u->paused = false;
		break;
	default:
		break;
	}
}
