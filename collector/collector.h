/*
 * tasktrace-collector — internal interfaces between the collector's files.
 *
 *   main.c        options, signals, the one epoll loop
 *   detect.c      which desktop are we in, which backends fit it
 *   connection.c  the socket to the tracer: connect, backoff, send
 *   report.c      the current focus; turns backend observations into messages
 *   notice.c      the first-session notice (desktop notification)
 *   atspi.c       the UI element in front of the person (AT-SPI2)
 *   bus-peer.c    is a bus name's owner the session's compositor?
 *   backend-*.c   one file per desktop family
 *
 * Copyright © 2026 the tasktrace authors
 * SPDX-License-Identifier: MIT
 */

#ifndef TT_COLLECTOR_H
#define TT_COLLECTOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "tasktrace/clock.h"
#include "tasktrace/element.h"
#include "tasktrace/focus-proto.h"
#include "tasktrace/log.h"

/* Exit codes, documented in docs/tasktrace-collector.1.scd. */
#define COLLECTOR_EXIT_OK		0
#define COLLECTOR_EXIT_FAILURE		1	/* display connection lost or broken */
#define COLLECTOR_EXIT_USAGE		2
#define COLLECTOR_EXIT_NO_DESKTOP	3	/* no usable backend for this session */

static inline uint64_t
now_ms(void)
{
	return tt_mono_ns() / 1000000ULL;
}

/* --- notice.c ------------------------------------------------------------- */

/* Show the notice unless this text was shown to this user before:
 * 0 shown, 1 shown before, -errno not shown (logged; tried next time). */
int
notice_show_if_new(void);

/* --- connection.c --------------------------------------------------------- */

/* Reconnect backoff: first retry after BACKOFF_MIN, doubling up to MAX. */
#define CONN_BACKOFF_MIN_MS	100
#define CONN_BACKOFF_MAX_MS	5000

struct connection {
	const char *path;
	int fd;			/* -1 while disconnected */
	uint64_t retry_at_ms;	/* next connect attempt, while disconnected */
	unsigned int backoff_ms;
	bool stalled;		/* a send hit EAGAIN: resync when writable */
	int last_error;		/* last connect error, to log changes once */
	bool elements_ok;	/* the tracer's WELCOME accepts ELEMENT */
	bool welcomed;		/* ... and it just arrived: re-send the element */
};

void
conn_init(struct connection *c, const char *path);

/* Try to connect now. 0 on success (caller then sends HELLO and the
 * current focus), -errno otherwise; the next attempt is scheduled. */
int
conn_connect(struct connection *c, uint64_t now);

/* Send one message. 0 if sent; -EAGAIN if the tracer is not reading (the
 * message is dropped, c->stalled set); -EPIPE if the connection is gone
 * (closed, reconnect scheduled); -ENOTCONN if not connected. */
int
conn_send(struct connection *c, const struct tt_focus_msg *msg);

/* The socket reported readable/hangup: drain (noting a WELCOME that
 * accepts ELEMENT), and close on EOF/error. Returns true if still
 * connected. */
bool
conn_handle_input(struct connection *c, uint64_t now);

void
conn_close(struct connection *c, uint64_t now, bool schedule_retry);

/* --- report.c ------------------------------------------------------------- */

/* The UI element in front of the person, as the accessibility bus told
 * it. Strings repaired (UTF-8, control characters) and capped as on the
 * wire; role "" = no element. */
struct element_info {
	char role[TT_ELEMENT_ROLE_MAX + 1];
	char name[TT_ELEMENT_NAME_MAX + 1];
	char url[TT_ELEMENT_URL_MAX + 1];
	char app[TT_FOCUS_APP_ID_MAX + 1];
	uint32_t pid;
	uint32_t flags;		/* enum tt_element_flag */
};

/* What a backend knows about the focused window. window_id 0 = none. */
struct focus_info {
	uint64_t window_id;
	uint32_t pid;
	char app_id[TT_FOCUS_APP_ID_MAX + 1];
	char title[TT_FOCUS_TITLE_MAX + 1];
};

struct report {
	const char *backend;
	char session_id[TT_FOCUS_SESSION_MAX + 1];
	struct connection *conn;
	struct focus_info current;
	bool known;		/* current holds a real observation */
	uint64_t current_time_ns;
	unsigned long sent;	/* messages sent, for the exit log line */
	struct element_info element;	/* last element sent; role "" = none */
	uint64_t element_window;	/* the window it was bound to */
	uint64_t element_time_ns;
	bool element_known;
};

void
report_init(struct report *r, const char *backend, struct connection *conn);

/* Fill a focus_info's strings, repairing them (any bytes in, UTF-8 out). */
void
focus_info_set(struct focus_info *f, uint64_t window_id, uint32_t pid,
	       const char *app_id, size_t app_len,
	       const char *title, size_t title_len);

/* A backend saw the focus move (or the focused window's data change). */
void
report_focus(struct report *r, const struct focus_info *f, uint64_t time_ns);

/* A backend saw a title change of window_id; ignored unless it is the
 * focused window. */
void
report_title(struct report *r, uint64_t window_id,
	     const char *title, size_t len, uint64_t time_ns);

/* Just connected: send HELLO and, if known, the current focus. */
void
report_resync(struct report *r, bool hello);

void
report_bye(struct report *r);

/* The tracer's WELCOME arrived: it accepts ELEMENT; send the current one. */
void
report_welcomed(struct report *r);

/* Fill an element_info; NULL strings are "". */
void
element_info_set(struct element_info *el, const char *role, const char *name,
		 const char *url, const char *app, uint32_t pid);

/* The element changed (or was clicked: ELEMENT_HIT). Sent as ELEMENT,
 * bound to the window the backend reports focused; the same element
 * again is not re-sent. */
void
report_element(struct report *r, const struct element_info *el,
	       uint64_t time_ns);

/* --- atspi.c ------------------------------------------------------------- */

/* [elements] capture */
enum elements_capture {
	ELEMENTS_OFF,
	ELEMENTS_ROLES,
	ELEMENTS_NAMES,
};

struct elements;

/* The capture mode: @opt (--elements) if given, else the configuration's
 * [elements] capture. -EINVAL for a bad @opt. */
int
elements_capture_mode(const char *opt, enum elements_capture *out);

/* Listen to the accessibility bus; NULL (one log line said why) when
 * capture is off or there is no accessibility bus: the collector then
 * works as without it. hit_test: X11, where clicks have coordinates. */
struct elements *
elements_open(struct report *r, enum elements_capture capture, bool hit_test);

/* An fd that is readable when GLib has work (one more epoll source). */
int
elements_fd(const struct elements *e);

/* Before the loop waits: GLib's prepare and query. *timeout_ms is GLib's
 * timeout (-1 none, 0 work is ready). 0, or -errno. */
int
elements_prepare(struct elements *e, int *timeout_ms);

/* After the loop waited, whatever woke it: GLib's check and dispatch. */
void
elements_dispatch(struct elements *e);

void
elements_close(struct elements *e);

/* --- backends ------------------------------------------------------------- */

struct backend {
	const struct backend_interface *iface;
	struct report *report;
	int fd;			/* readable => dispatch() */
	uint64_t deadline_ms;	/* 0 = none; reached => timeout() */
	/* Set before open() when another backend would be tried after this
	 * one: open() then fails unless the desktop answers at once, rather
	 * than wait for it (e.g. GNOME on X11 without the extension enabled,
	 * where EWMH still works). */
	bool probe;
	void *data;
};

struct backend_interface {
	const char *name;
	/* Connect to the desktop, fill b->fd, send the initial focus. */
	int (*open)(struct backend *b);
	/* Before the loop waits: flush output, drain queued events. */
	int (*prepare)(struct backend *b);
	/* b->fd is readable. -errno when the desktop connection is gone. */
	int (*dispatch)(struct backend *b);
	/* b->deadline_ms passed. */
	int (*timeout)(struct backend *b);
	void (*close)(struct backend *b);
};

extern const struct backend_interface backend_x11;
extern const struct backend_interface backend_sway;
extern const struct backend_interface backend_wlroots;
extern const struct backend_interface backend_gnome;
extern const struct backend_interface backend_kde;

/* --- bus-peer.c ----------------------------------------------------------- */

struct sd_bus;

/* What makes a bus name's owner the session's compositor. */
struct compositor_rule {
	const char *what;			/* "GNOME Shell", for messages */
	const char *const *exe_names;		/* its executable's names */
	/* NULL, or the names of a parent that may serve the Wayland display
	 * for it (kwin_wayland_wrapper). */
	const char *const *parent_names;
};

/* Is the connection `name` (a unique name) the session's compositor, by
 * its uid, pid and executable (bus-peer.c says how)? 1 yes; 0 no, why
 * says why; -errno when the bus could not tell (why says so too). */
int
bus_peer_is_compositor(struct sd_bus *bus, const char *name,
		       const struct compositor_rule *rule, char *why, size_t n);

/* --- detect.c ------------------------------------------------------------- */

#define DETECT_MAX	4

/* The backends to try, best first, for "auto" or a name: fills out[] and
 * returns how many (0 after logging why there is none: no display,
 * unsupported desktop), or -EINVAL for an unknown name (logged). */
int
detect_backends(const char *requested,
		const struct backend_interface *out[DETECT_MAX]);

/* After every candidate's open() failed: say once why nothing fits. */
void
detect_none_usable(const char *requested,
		   const struct backend_interface *const tried[], int n);

#endif /* TT_COLLECTOR_H */
