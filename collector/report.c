/*
 * tasktrace-collector — the current focus, and the messages it becomes.
 *
 * Backends report what they observe, as often as they like: the same
 * window twice (openbox announces some switches twice, X11 titles change
 * through WM_NAME and _NET_WM_NAME) is filtered here, so that the tracer
 * only sees real changes. A changed title of the still-focused window is a
 * TITLE message; anything else that changed is a FOCUS message.
 *
 * Copyright © 2026 the tasktrace authors
 * SPDX-License-Identifier: MIT
 */

#include <stdlib.h>
#include <string.h>

#include "collector.h"

void
report_init(struct report *r, const char *backend, struct connection *conn)
{
	const char *sid = getenv("XDG_SESSION_ID");

	memset(r, 0, sizeof(*r));
	r->backend = backend;
	r->conn = conn;
	if (sid)
		tt_utf8_repair(r->session_id, sizeof(r->session_id), sid, strlen(sid));
}

void
focus_info_set(struct focus_info *f, uint64_t window_id, uint32_t pid,
	       const char *app_id, size_t app_len,
	       const char *title, size_t title_len)
{
	f->window_id = window_id;
	f->pid = pid;
	tt_utf8_repair(f->app_id, sizeof(f->app_id), app_id, app_len);
	tt_utf8_repair(f->title, sizeof(f->title), title, title_len);
}

static void
send_msg(struct report *r, const struct tt_focus_msg *m)
{
	int rc;

	if (r->conn->fd < 0)
		return;
	rc = conn_send(r->conn, m);
	if (rc == 0)
		r->sent++;
}

static void
element_window_changed(struct report *r, const struct focus_info *f,
		       uint64_t time_ns);

static void
send_focus(struct report *r)
{
	struct tt_focus_msg m;
	const struct focus_info *f = &r->current;

	tt_focus_msg_init(&m, TT_FOCUS_FOCUS);
	tt_focus_msg_set_int(&m, TT_FOCUS_TAG_TIME, r->current_time_ns);
	tt_focus_msg_set_string(&m, TT_FOCUS_TAG_BACKEND, r->backend,
				strlen(r->backend));
	tt_focus_msg_set_int(&m, TT_FOCUS_TAG_WINDOW_ID, f->window_id);
	if (f->window_id) {
		tt_focus_msg_set_string(&m, TT_FOCUS_TAG_APP_ID, f->app_id,
					strlen(f->app_id));
		tt_focus_msg_set_string(&m, TT_FOCUS_TAG_TITLE, f->title,
					strlen(f->title));
		if (f->pid)
			tt_focus_msg_set_int(&m, TT_FOCUS_TAG_PID, f->pid);
	}
	send_msg(r, &m);
}

void
report_focus(struct report *r, const struct focus_info *f, uint64_t time_ns)
{
	struct focus_info *cur = &r->current;
	bool same_window = r->known && cur->window_id == f->window_id;

	if (same_window && cur->pid == f->pid &&
	    strcmp(cur->app_id, f->app_id) == 0) {
		if (strcmp(cur->title, f->title) != 0)
			report_title(r, f->window_id, f->title,
				     strlen(f->title), time_ns);
		return;
	}

	*cur = *f;
	r->known = true;
	r->current_time_ns = time_ns;
	if (f->window_id)
		log_debug("focus: window %#llx app '%s' pid %u title '%s'",
			  (unsigned long long)f->window_id, f->app_id, f->pid,
			  f->title);
	else
		log_debug("focus: no window");
	send_focus(r);
	element_window_changed(r, f, time_ns);
}

void
report_title(struct report *r, uint64_t window_id,
	     const char *title, size_t len, uint64_t time_ns)
{
	struct tt_focus_msg m;

	if (!r->known || window_id == 0 || r->current.window_id != window_id)
		return;

	tt_focus_msg_init(&m, TT_FOCUS_TITLE);
	tt_focus_msg_set_string(&m, TT_FOCUS_TAG_TITLE, title, len);
	if (strcmp(m.title, r->current.title) == 0)
		return;

	memcpy(r->current.title, m.title, sizeof(r->current.title));
	tt_focus_msg_set_int(&m, TT_FOCUS_TAG_TIME, time_ns);
	tt_focus_msg_set_int(&m, TT_FOCUS_TAG_WINDOW_ID, window_id);
	log_debug("title: window %#llx '%s'", (unsigned long long)window_id,
		  m.title);
	send_msg(r, &m);
}

/* --- elements --------------------------------------------------------------- */

void
element_info_set(struct element_info *el, const char *role, const char *name,
		 const char *url, const char *app, uint32_t pid)
{
	tt_utf8_clean(el->role, sizeof(el->role), role ? role : "", role ? strlen(role) : 0);
	tt_utf8_clean(el->name, sizeof(el->name), name ? name : "", name ? strlen(name) : 0);
	tt_utf8_clean(el->url, sizeof(el->url), url ? url : "", url ? strlen(url) : 0);
	tt_utf8_repair(el->app, sizeof(el->app), app ? app : "", app ? strlen(app) : 0);
	el->pid = pid;
}

static bool
same_element(const struct element_info *a, const struct element_info *b)
{
	return strcmp(a->role, b->role) == 0 && strcmp(a->name, b->name) == 0 &&
	       strcmp(a->url, b->url) == 0 && strcmp(a->app, b->app) == 0 &&
	       a->pid == b->pid &&
	       (a->flags & ~(uint32_t)TT_ELEMENT_HIT) == (b->flags & ~(uint32_t)TT_ELEMENT_HIT);
}

static void
send_element(struct report *r)
{
	const struct element_info *el = &r->element;
	struct tt_focus_msg m;

	/* an older tracer would drop the connection on an unknown type */
	if (!r->conn->elements_ok)
		return;
	tt_focus_msg_init(&m, TT_FOCUS_ELEMENT);
	tt_focus_msg_set_int(&m, TT_FOCUS_TAG_TIME, r->element_time_ns);
	tt_focus_msg_set_string(&m, TT_FOCUS_TAG_ROLE, el->role, strlen(el->role));
	if (el->role[0]) {
		if (el->name[0])
			tt_focus_msg_set_string(&m, TT_FOCUS_TAG_NAME, el->name,
						strlen(el->name));
		if (el->url[0])
			tt_focus_msg_set_string(&m, TT_FOCUS_TAG_URL, el->url,
						strlen(el->url));
		if (el->flags)
			tt_focus_msg_set_int(&m, TT_FOCUS_TAG_ELEMENT_FLAGS, el->flags);
		if (el->app[0])
			tt_focus_msg_set_string(&m, TT_FOCUS_TAG_APP_ID, el->app,
						strlen(el->app));
		if (el->pid)
			tt_focus_msg_set_int(&m, TT_FOCUS_TAG_PID, el->pid);
	}
	if (r->element_window)
		tt_focus_msg_set_int(&m, TT_FOCUS_TAG_WINDOW_ID, r->element_window);
	send_msg(r, &m);
}

void
report_element(struct report *r, const struct element_info *el,
	       uint64_t time_ns)
{
	uint64_t window = r->known ? r->current.window_id : 0;

	/* a click on the element already in front is no change */
	if (r->element_known && r->element_window == window &&
	    same_element(&r->element, el))
		return;
	r->element = *el;
	r->element_known = true;
	r->element_window = window;
	r->element_time_ns = time_ns;
	log_debug("element: %s '%s'%s%s app '%s' pid %u flags %#x",
		  el->role, el->name, el->url[0] ? " url " : "", el->url,
		  el->app, el->pid, el->flags);
	send_element(r);
}

/* The focused window changed: the element belongs to the old one, unless
 * the accessibility bus was quicker than the backend and it already comes
 * from the new window's application (then it is bound to the new one). */
static void
element_window_changed(struct report *r, const struct focus_info *f,
		       uint64_t time_ns)
{
	if (!r->element_known || r->element_window == f->window_id)
		return;
	if (r->element.role[0] && r->element.pid && r->element.pid == f->pid) {
		r->element_window = f->window_id;
		send_element(r);
		return;
	}
	if (!r->element.role[0])
		return;
	memset(&r->element, 0, sizeof(r->element));
	r->element_window = f->window_id;
	r->element_time_ns = time_ns;
	send_element(r);
}

void
report_resync(struct report *r, bool hello)
{
	struct tt_focus_msg m;

	if (hello) {
		tt_focus_msg_init(&m, TT_FOCUS_HELLO);
		tt_focus_msg_set_int(&m, TT_FOCUS_TAG_TIME, tt_mono_ns());
		tt_focus_msg_set_string(&m, TT_FOCUS_TAG_COLLECTOR_VERSION,
					TT_VERSION, strlen(TT_VERSION));
		tt_focus_msg_set_string(&m, TT_FOCUS_TAG_BACKEND, r->backend,
					strlen(r->backend));
		if (r->session_id[0])
			tt_focus_msg_set_string(&m, TT_FOCUS_TAG_SESSION_ID,
						r->session_id,
						strlen(r->session_id));
		send_msg(r, &m);
	}
	if (r->known)
		send_focus(r);
	if (r->element_known)
		send_element(r);
}

void
report_welcomed(struct report *r)
{
	if (r->element_known)
		send_element(r);
}

void
report_bye(struct report *r)
{
	struct tt_focus_msg m;

	tt_focus_msg_init(&m, TT_FOCUS_BYE);
	tt_focus_msg_set_int(&m, TT_FOCUS_TAG_TIME, tt_mono_ns());
	send_msg(r, &m);
}
