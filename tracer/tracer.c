/* SPDX-License-Identifier: MIT */
/*
 * The tracer's wiring: startup, the event loop's handlers (signals, the
 * interpreter's deadline, the commit tick, session changes), reload and
 * shutdown. See tracer.h.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <systemd/sd-daemon.h>
#include <time.h>
#include <unistd.h>

#include "keymap-xkb.h"
#include "tasktrace/clock.h"
#include "tasktrace/error.h"
#include "tasktrace/log.h"
#include "tasktrace/utf8.h"
#include "tracer.h"

/*
 * CLOCK_REALTIME − CLOCK_MONOTONIC. Two reads of the clocks are not one
 * instant: a preemption between them (a loaded machine) would shift every
 * record's wall time by as much. So the wall clock is read between two
 * monotonic reads, a few times, and the tightest bracket wins.
 */
static int64_t
clock_offset(void)
{
	uint64_t best_gap = UINT64_MAX;
	int64_t best = 0;

	for (int i = 0; i < 5; i++) {
		uint64_t m0 = tt_mono_ns(), rt = tt_now_ns(), m1 = tt_mono_ns();

		if (m1 - m0 < best_gap) {
			best_gap = m1 - m0;
			best = (int64_t)(rt - (m0 + (m1 - m0) / 2));
		}
	}
	return best;
}

uint64_t
tracer_wall_ns(const struct tracer *t, uint64_t mono_usec)
{
	return (uint64_t)((int64_t)(mono_usec * 1000) + t->clock_offset_ns);
}

/*
 * The timer is only ever moved earlier: most events push the deadline
 * later (each motion event extends its gesture), and re-arming on each
 * would cost a syscall per input event. A timer that fires before the
 * current deadline delivers a harmless timeout and is armed again.
 */
void
tracer_feed(struct tracer *t, const struct interp_event *ev, size_t n)
{
	uint64_t d = interp_process(t->interp, ev, n);

	if (d < t->deadline) {
		t->deadline = d;
		evloop_timer_set(t->interp_timer, d, 0);
	}
}

/* --- keymap ---------------------------------------------------------------- */

static void
load_keymap(const struct tracer_options *o, struct interp_keymap *km)
{
	const char *layout = o->keymap.layout[0] ? o->keymap.layout : "us";
	int rc;

	keymap_init_physical(km);
	rc = keymap_xkb_apply(km, &o->keymap);
	if (rc == -ENOENT)
		log_warn("no xkb data (is xkb-data installed?): keys get their US names");
	else if (rc < 0)
		log_warn("no keymap for layout \"%s\": keys get their US names", layout);
	else
		log_debug("key names follow layout \"%s\"", layout);
}

/* Is the user of @v one of [privacy] exclude_users (names or uids)? */
static bool
user_excluded(const struct tracer *t, const struct session_view *v)
{
	char uid[16];

	snprintf(uid, sizeof(uid), "%u", v->uid);
	for (char **u = t->opts.cfg.privacy.exclude_users; *u; u++)
		if (strcmp(*u, uid) == 0 || (v->user[0] && strcmp(*u, v->user) == 0))
			return true;
	return false;
}

/* --- sessions --------------------------------------------------------------- */

static void
session_changed(void *data)
{
	struct tracer *t = data;
	struct session_view v;
	struct interp_event ev = { .type = INTERP_EV_SESSION };

	session_watch_get(t->sessions, &v);
	if (v.state != INTERP_SESSION_NONE && (user_excluded(t, &v) || me_paused(t, v.uid))) {
		/* an excluded or pausing user's session is as good as none */
		log_debug("seat %s: session %s of %s user %u", v.seat, v.id,
			  me_paused(t, v.uid) ? "pausing" : "excluded", v.uid);
		v.id[0] = '\0';
		v.user[0] = '\0';
		v.uid = TT_UID_NONE;
		v.state = INTERP_SESSION_NONE;
	}
	if (strcmp(v.id, t->session.id) == 0 && v.uid == t->session.uid &&
	    v.state == t->session.state)
		return;
	if (strcmp(v.id, t->session.id) != 0 || v.uid != t->session.uid) {
		t->session_id = 0;
		if (v.id[0]) {
			struct tt_session_info si = { .uid = v.uid };
			int rc;

			si.start_ns = tracer_wall_ns(t, evloop_now_usec());
			snprintf(si.logind_id, sizeof(si.logind_id), "%s", v.id);
			snprintf(si.seat, sizeof(si.seat), "%s", v.seat);
			snprintf(si.user, sizeof(si.user), "%s", v.user);
			rc = tt_store_session_add(t->writer.store, &si);
			if (rc != 0)
				log_error("store: cannot register session %s: %s", v.id,
					  tt_strerror(rc));
			else
				t->session_id = si.id;
		}
	}
	log_info("seat %s: %s%s%s", v.seat,
		 v.state == INTERP_SESSION_NONE ? "no user session" : "session ",
		 v.state == INTERP_SESSION_NONE ? "" : v.id,
		 v.state == INTERP_SESSION_LOCKED ? " (locked)" : "");
	t->session = v;
	ev.usec = evloop_now_usec();
	ev.u.session.session = t->session_id;
	ev.u.session.uid = v.uid;
	ev.u.session.state = (uint8_t)v.state;
	tracer_feed(t, &ev, 1);
	/* after the session: a new session starts with no focus */
	focus_session_changed(t);
}

void
tracer_session_update(struct tracer *t)
{
	session_changed(t);
}

#define RETENTION_PERIOD_USEC (24ULL * 3600 * 1000000)

/* --- timers and signals ------------------------------------------------------ */

static void
interp_timer_ready(void *data, uint32_t events)
{
	struct tracer *t = data;
	struct interp_event ev = { .type = INTERP_EV_TIMEOUT };

	(void)events;
	evloop_timer_ack(t->interp_timer);
	ev.usec = evloop_now_usec();
	t->deadline = INTERP_NEVER;	/* the timer is spent */
	tracer_feed(t, &ev, 1);
}

static void
status(struct tracer *t)
{
	unsigned devices = input_device_count(t->input);
	char line[384 + 4 * sizeof(t->app)], app[4 * sizeof(t->app)];

	/* The app id is a window's own word: sd_notify reads a newline as
	 * the next assignment (WATCHDOG=trigger…), a terminal an escape as
	 * a command. It is shown with every control escaped. */
	tt_utf8_escape_controls(app, sizeof(app), t->app, strlen(t->app));
	snprintf(line, sizeof(line), "%u device%s, %llu records written, app %s",
		 devices, devices == 1 ? "" : "s",
		 (unsigned long long)t->writer.records, app[0] ? app : "-");
	sd_notifyf(0, "STATUS=%s", line);
	if (!t->opts.status)
		return;
	if (t->status_tty)
		fprintf(stdout, "\r\033[K%s", line);
	else if (t->status_ticks % 10 == 0)
		fprintf(stdout, "%s\n", line);
	fflush(stdout);
}

static void
commit_timer_ready(void *data, uint32_t events)
{
	struct tracer *t = data;
	int64_t off = clock_offset();

	(void)events;
	evloop_timer_ack(t->commit_timer);
	/* The monotonic clock stops in suspend, the wall clock does not: follow
	 * it, so records after a resume carry the right wall time. */
	if (llabs(off - t->clock_offset_ns) > 1000000) {
		t->clock_offset_ns = off;
		interp_set_clock_offset(t->interp, off);
	}
	writer_commit(&t->writer);
	/* Retention runs at start and then once a day. */
	if (evloop_now_usec() >= t->next_retention_usec) {
		t->next_retention_usec = evloop_now_usec() + RETENTION_PERIOD_USEC;
		writer_apply_retention(&t->writer, t->opts.cfg.store.retention_days,
				       tracer_wall_ns(t, evloop_now_usec()));
	}
	me_tick(t);
	focus_tick(t);
	sd_notify(0, "WATCHDOG=1");
	status(t);
	t->status_ticks++;
}

static void
reload(struct tracer *t)
{
	struct tracer_options o;
	struct interp_keymap *km;

	sd_notify(0, "RELOADING=1");
	if (options_load(&o, t->argc, t->argv) != 0) {
		options_free(&o);
		log_error("reload: the configuration has errors; keeping the old one");
		sd_notify(0, "READY=1");
		return;
	}
	if (strcmp(o.store_dir, t->opts.store_dir) != 0 || strcmp(o.seat, t->opts.seat) != 0 ||
	    strcmp(o.cfg.collector.socket, t->opts.cfg.collector.socket) != 0)
		log_warn("reload: changes of the store, the seat or the collector "
			 "socket need a restart");
	memcpy(o.store_dir, t->opts.store_dir, sizeof(o.store_dir));
	memcpy(o.seat, t->opts.seat, sizeof(o.seat));
	options_free(&t->opts);
	t->opts = o;
	tt_log_set_verbose(o.verbose);
	interp_set_config(t->interp, &o.interp);
	km = malloc(sizeof(*km));
	if (km) {
		load_keymap(&o, km);
		interp_set_keymap(t->interp, km);
		free(km);
	}
	input_set_tapping(t->input, o.tapping);
	session_watch_set_static(t->sessions, o.static_user);
	session_changed(t);
	log_info("configuration reloaded");
	sd_notify(0, "READY=1");
}

static void
signal_ready(void *data, uint32_t events)
{
	struct tracer *t = data;
	struct signalfd_siginfo si;

	(void)events;
	while (read(evloop_source_fd(t->signals), &si, sizeof(si)) == sizeof(si)) {
		switch (si.ssi_signo) {
		case SIGHUP:
			reload(t);
			break;
		case SIGTERM:
		case SIGINT:
			t->quit = true;
			break;
		default:
			break;
		}
	}
}

static int
add_signals(struct tracer *t)
{
	sigset_t mask;
	int fd, rc;

	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGHUP);
	if (sigprocmask(SIG_BLOCK, &mask, NULL) < 0)
		return -errno;
	signal(SIGPIPE, SIG_IGN);
	fd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
	if (fd < 0)
		return -errno;
	rc = evloop_add_fd(t->loop, fd, EPOLLIN, signal_ready, t, &t->signals);
	if (rc < 0)
		close(fd);
	return rc;
}

/* --- lifecycle ---------------------------------------------------------------- */

/* The store's purges keep the strings the interpreter still holds. */
static void
live_strings(void *data, tt_store_mark_fn mark, void *set)
{
	struct tracer *t = data;

	if (t->interp)
		interp_mark_strings(t->interp, mark, set);
}

/* The time the tracer was not running is a gap, from the store's last
 * record to now. */
static void
mark_downtime(struct tracer *t)
{
	uint64_t last = writer_last_time(&t->writer);
	uint64_t now = tracer_wall_ns(t, evloop_now_usec());
	struct tt_record r = { .kind = TT_KIND_GAP, .uid = TT_UID_NONE };

	if (last == 0 || last >= now)
		return;
	/* one ns after the last record, so it can never share its key */
	r.time_ns = last + 1;
	r.dur_ns = now - r.time_ns;
	r.u.gap.reason = TT_GAP_TRACER_STOP;
	writer_emit(&t->writer, &r);
}

int
tracer_init(struct tracer *t, int argc, char **argv)
{
	struct interp_sink sink = {
		.emit = writer_emit,
		.intern = writer_intern,
		.data = &t->writer,
	};
	struct interp_keymap *km;
	int rc;

	memset(t, 0, sizeof(*t));
	t->argc = argc;
	t->argv = argv;
	t->deadline = INTERP_NEVER;
	t->session.uid = TT_UID_NONE;
	rc = options_load(&t->opts, argc, argv);
	if (rc != 0)
		return rc;
	tt_log_init("tasktraced", t->opts.verbose);
	if (t->opts.cfg.input.seats[0] && t->opts.cfg.input.seats[1])
		log_warn("[input] seats names several seats: only %s is traced "
			 "(run one tasktraced per seat)", t->opts.seat);
	t->status_tty = t->opts.status && isatty(STDOUT_FILENO);
	t->clock_offset_ns = clock_offset();

	rc = writer_open(&t->writer, t->opts.store_dir, t->opts.map_size);
	if (rc != 0) {
		log_error("%s: %s", t->opts.store_dir, tt_strerror(rc));
		return -EIO;
	}
	mark_downtime(t);
	writer_apply_retention(&t->writer, t->opts.cfg.store.retention_days,
			       tracer_wall_ns(t, evloop_now_usec()));
	t->next_retention_usec = evloop_now_usec() + RETENTION_PERIOD_USEC;

	km = malloc(sizeof(*km));
	if (!km)
		return -ENOMEM;
	load_keymap(&t->opts, km);
	/* seq 0 is the downtime gap's; the interpreter's records follow */
	rc = interp_new(&t->interp, &t->opts.interp, km, &sink, 1);
	free(km);
	if (rc < 0)
		return rc;
	interp_set_clock_offset(t->interp, t->clock_offset_ns);
	tt_store_set_live_strings(t->writer.store, live_strings, t);

	if ((rc = evloop_new(&t->loop)) < 0 ||
	    (rc = add_signals(t)) < 0 ||
	    (rc = evloop_add_timer(t->loop, interp_timer_ready, t, &t->interp_timer)) < 0 ||
	    (rc = evloop_add_timer(t->loop, commit_timer_ready, t, &t->commit_timer)) < 0) {
		log_error("event loop: %s", strerror(-rc));
		return rc;
	}
	evloop_timer_set(t->commit_timer, evloop_now_usec() + t->opts.commit_usec,
			 t->opts.commit_usec);

	rc = session_watch_new(&t->sessions, t->loop, t->opts.seat,
			       t->opts.static_user, session_changed, t);
	if (rc < 0) {
		log_error("sessions: %s", strerror(-rc));
		return rc;
	}
	session_changed(t);
	if ((rc = focus_socket_init(t)) < 0)
		log_warn("no collector socket: records carry no application");
	if (me_socket_init(t) < 0)
		log_warn("no me socket: users cannot see their records (tasktrace me)");

	rc = input_new(&t->input, t);
	if (rc < 0) {
		log_error("input on %s: %s", t->opts.seat, strerror(-rc));
		return rc;
	}
	writer_commit(&t->writer);
	return 0;
}

int
tracer_run(struct tracer *t)
{
	log_info("tracing seat %s into %s", t->opts.seat, t->opts.store_dir);
	sd_notify(0, "READY=1");
	status(t);
	while (!t->quit) {
		int rc = evloop_dispatch(t->loop, -1);

		if (rc < 0) {
			log_error("event loop: %s", strerror(-rc));
			return rc;
		}
	}
	sd_notify(0, "STOPPING=1");
	if (t->status_tty)
		fputc('\n', stdout);
	return 0;
}

void
tracer_fini(struct tracer *t)
{
	me_socket_fini(t);
	if (t->interp)
		interp_flush(t->interp, evloop_now_usec());
	input_destroy(t->input);
	focus_socket_fini(t);
	session_watch_destroy(t->sessions);
	interp_destroy(t->interp);
	if (t->writer.store) {
		int rc = writer_close(&t->writer);

		if (rc != 0)
			log_error("store: closing: %s", tt_strerror(rc));
		else
			log_info("stopped; %llu records written",
				 (unsigned long long)t->writer.records);
	}
	evloop_destroy(t->loop);
	options_free(&t->opts);
}
