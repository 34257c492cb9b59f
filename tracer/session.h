/* SPDX-License-Identifier: MIT */
/*
 * Which session owns the seat's input, and whether it is locked.
 *
 * With logind: the seat's active session (sd_seat_get_active), its user,
 * its class (a greeter is "no user session", a lock-screen session is
 * "locked") and its lock state. sd-login reads the files under
 * /run/systemd/ but has no lock state: that comes from the session's
 * LockedHint property over D-Bus, and, where there is no D-Bus (system
 * tests that write the files themselves), from a LOCKED_HINT=yes line in
 * the session file.
 *
 * Without logind (no /run/systemd/seats/SEAT): a static attribution to the
 * configured user, or no session at all when none is configured. Either
 * is logged once.
 */
#ifndef TT_TRACER_SESSION_H
#define TT_TRACER_SESSION_H

#include <stdbool.h>
#include <stdint.h>

#include "evloop.h"
#include "interp.h"

struct session_view {
	bool logind;		/* from logind, not static */
	char id[32];		/* logind session id, "static", "" for none */
	char seat[32];
	uint32_t uid;		/* TT_UID_NONE with no session */
	char user[64];
	enum interp_session_state state;
};

struct session_watch;

/**
 * Watch @p seat. @p changed runs (from the loop) whenever something may
 * have changed; the caller then reads session_watch_get().
 *
 * @return 0 or -errno; never fails for want of logind or D-Bus.
 */
int
session_watch_new(struct session_watch **out, struct evloop *loop,
		  const char *seat, const char *static_user,
		  void (*changed)(void *data), void *data);

void
session_watch_destroy(struct session_watch *sw);

/** Change the static attribution (reload). */
void
session_watch_set_static(struct session_watch *sw, const char *static_user);

/** The seat's current session. */
void
session_watch_get(struct session_watch *sw, struct session_view *view);

#endif
