/* SPDX-License-Identifier: MIT */
/*
 * Focus reports: the collector in each session tells the tracer which
 * application has focus. The socket itself (peer-credential checks,
 * protocol) is being written as a separate part (lib/focus-socket.c); this
 * file is the tracer's side of it: apply the deny-list and hand the focus
 * to the interpreter. Until the socket lands, focus_socket_init() only
 * says so, and focus_report() is what it will call.
 */
#include <stdio.h>
#include <string.h>

#include "log.h"
#include "tracer.h"

/* Is @app in the comma-separated deny-list? */
static bool
denied(const char *list, const char *app)
{
	size_t len = strlen(app);

	for (const char *p = list; p && *p;) {
		const char *end = strchr(p, ',');
		size_t n = end ? (size_t)(end - p) : strlen(p);

		while (n && *p == ' ') {
			p++;
			n--;
		}
		while (n && p[n - 1] == ' ')
			n--;
		if (n == len && n && strncmp(p, app, n) == 0)
			return true;
		p = end ? end + 1 : NULL;
	}
	return false;
}

static uint32_t
intern(struct tracer *t, const char *s)
{
	return s && *s ? writer_intern(&t->writer, s, strlen(s)) : 0;
}

int
focus_report(struct tracer *t, const struct focus_report *rep)
{
	struct interp_event ev = { .type = INTERP_EV_FOCUS };
	bool excluded = denied(t->opts.deny, rep->app);

	ev.usec = evloop_now_usec();
	ev.u.focus.app = intern(t, rep->app);
	/* an excluded application's title is never stored */
	ev.u.focus.title = excluded ? 0 : intern(t, rep->title);
	ev.u.focus.exe = intern(t, rep->exe);
	ev.u.focus.backend = intern(t, rep->backend);
	ev.u.focus.pid = rep->pid;
	ev.u.focus.flags = (excluded ? TT_FOCUS_EXCLUDED : 0) |
			   (rep->title_only ? TT_FOCUS_TITLE_ONLY : 0);
	snprintf(t->app, sizeof(t->app), "%s", rep->app);
	tracer_feed(t, &ev, 1);
	return 0;
}

int
focus_socket_init(struct tracer *t)
{
	(void)t;
	log_debug("the collector socket is not part of this build yet: "
		  "records carry no application");
	return 0;
}
