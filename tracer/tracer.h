/* SPDX-License-Identifier: MIT */
/*
 * The tracer: one struct ties the sources (input, sessions, focus,
 * signals, timers) to the interpreter and the writer. Every source turns
 * what it sees into interpreter events and hands them to tracer_feed();
 * only the interpreter decides what becomes a record.
 */
#ifndef TT_TRACER_TRACER_H
#define TT_TRACER_TRACER_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "evloop.h"
#include "interp.h"
#include "options.h"
#include "session.h"
#include "writer.h"

struct input;

struct tracer {
	struct tracer_options opts;
	int argc;
	char **argv;

	struct evloop *loop;
	struct evsource *signals;
	struct evsource *interp_timer;
	struct evsource *commit_timer;

	struct writer writer;
	struct interp *interp;
	struct input *input;
	struct session_watch *sessions;
	struct focus_server *focus;
	struct me_server *me;

	struct session_view session;	/* the one the interpreter knows */
	uint32_t session_id;		/* its store id */

	uint64_t deadline;		/* the armed timer, monotonic usec */
	int64_t clock_offset_ns;	/* CLOCK_REALTIME − CLOCK_MONOTONIC */
	bool quit;
	bool status_tty;
	unsigned status_ticks;
	uint64_t next_retention_usec;	/* monotonic: when retention runs next */
	char app[256];			/* the focused application, for --status */
};

/** Set everything up, from the options; logs what fails. */
int
tracer_init(struct tracer *t, int argc, char **argv);

/** Run until SIGTERM/SIGINT. */
int
tracer_run(struct tracer *t);

/** Flush, commit and tear down. */
void
tracer_fini(struct tracer *t);

/** Hand events to the interpreter and re-arm its deadline. */
void
tracer_feed(struct tracer *t, const struct interp_event *ev, size_t n);

/** Convert a CLOCK_MONOTONIC usec time into wall-clock ns. */
uint64_t
tracer_wall_ns(const struct tracer *t, uint64_t mono_usec);

/* input.c */
int
input_new(struct input **out, struct tracer *t);
void
input_destroy(struct input *in);
unsigned
input_device_count(const struct input *in);
void
input_set_tapping(struct input *in, bool enabled);

/* focus.c: the collector socket */
struct focus_server;

/** Listen on [collector] socket; -errno when it cannot (logged). */
int
focus_socket_init(struct tracer *t);

void
focus_socket_fini(struct tracer *t);

/** Once a second: close connections that never said HELLO. */
void
focus_tick(struct tracer *t);

/** The seat's session changed: apply the focus its collector last sent. */
void
focus_session_changed(struct tracer *t);

/** Look at the seat's session again (a pause began or ended). */
void
tracer_session_update(struct tracer *t);

struct ucred;

/**
 * A connection accepted on the collector or the me socket: read its peer's
 * credentials into @p cred and find it a slot among @p nslots, the first
 * free one (@p slot_uid gives (uid_t)-1 for a free slot, else its uid).
 * False (refuse it) when none is free, the credentials cannot be read, or
 * the uid holds @p per_uid slots already.
 */
bool
peer_admit(int fd, size_t nslots, unsigned per_uid,
	   uid_t (*slot_uid)(const void *data, size_t i), const void *data,
	   struct ucred *cred, size_t *slot);

/* me.c: the "me" socket (me-proto.h) and users' pauses */
struct me_server;

/** Listen beside the collector socket; -errno when it cannot (logged). */
int
me_socket_init(struct tracer *t);

/** Close it; a pause in progress is written as a gap up to now. */
void
me_socket_fini(struct tracer *t);

/** Once a second: drop clients that do not read, or ask nothing. */
void
me_tick(struct tracer *t);

/** Has @p uid paused their recording? */
bool
me_paused(const struct tracer *t, uint32_t uid);

#endif
