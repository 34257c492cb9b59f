/*
 * tasktrace-collector — X11 backend (EWMH, through xcb).
 *
 * The window manager publishes the focused window as _NET_ACTIVE_WINDOW on
 * the root window; a PropertyNotify on the root tells us when it changes.
 * For the active window we read:
 *   WM_CLASS       "instance\0class\0"; the class is the app id
 *   _NET_WM_NAME   UTF-8 title; fallback WM_NAME (see pick_title())
 *   _NET_WM_PID    the pid the client claims (if WM_CLIENT_MACHINE is us)
 * and, when the window has no _NET_WM_PID (xcalc and other Xt/Xaw clients),
 * ask the X server itself through the XRes extension (QueryClientIds,
 * LOCAL_CLIENT_PID), which knows the pid of local clients from the socket.
 * All requests for one window go out together: one round trip per switch.
 *
 * We also select PropertyChangeMask on the active window so its title
 * changes arrive as PropertyNotify. Titles usually change through both
 * WM_NAME and _NET_WM_NAME; report.c drops the duplicate.
 *
 * openbox (and others) set _NET_ACTIVE_WINDOW to None for a moment while
 * switching. Reporting that would insert a bogus "no focus" between two
 * windows, so None only counts once it has lasted NONE_DEBOUNCE_MS.
 *
 * Copyright © 2026 the tasktrace authors
 * SPDX-License-Identifier: MIT
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xcb/res.h>
#include <xcb/xcb.h>
#include <xcb/xcb_ewmh.h>

#include "collector.h"

#define NONE_DEBOUNCE_MS	150
/* Property reads are bounded: 4 KiB is well past the title cap. */
#define PROPERTY_MAX_LONGS	1024

struct x11 {
	xcb_connection_t *conn;
	xcb_ewmh_connection_t ewmh;
	xcb_window_t root;
	xcb_window_t watched;	/* window whose PropertyChangeMask we hold */
	bool has_res;
	bool warned_no_active;
	char hostname[256];
};

static xcb_get_property_cookie_t
get_property(struct x11 *x, xcb_window_t win, xcb_atom_t prop, xcb_atom_t type)
{
	return xcb_get_property(x->conn, 0, win, prop, type, 0,
				PROPERTY_MAX_LONGS);
}

/* Property value bytes, or NULL; *len set. The reply stays owned by caller. */
static const char *
property_bytes(xcb_get_property_reply_t *reply, xcb_atom_t want_type, size_t *len)
{
	*len = 0;
	if (!reply || reply->type == XCB_ATOM_NONE || reply->format != 8)
		return NULL;
	if (want_type != XCB_ATOM_ANY && reply->type != want_type)
		return NULL;
	*len = (size_t)xcb_get_property_value_length(reply);
	return xcb_get_property_value(reply);
}

/* ISO 8859-1 → UTF-8; dst must hold 2 × len bytes. */
static size_t
latin1_to_utf8(char *dst, const char *src, size_t len)
{
	size_t out = 0;

	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)src[i];

		if (c < 0x80) {
			dst[out++] = (char)c;
		} else {
			dst[out++] = (char)(0xc0 | (c >> 6));
			dst[out++] = (char)(0x80 | (c & 0x3f));
		}
	}
	return out;
}

/* Is s valid UTF-8 (repair would leave it unchanged)? */
static bool
utf8_valid(const char *s, size_t len)
{
	char buf[TT_FOCUS_TITLE_MAX + 1];

	if (len > TT_FOCUS_TITLE_MAX)
		len = TT_FOCUS_TITLE_MAX;
	return tt_utf8_repair(buf, sizeof(buf), s, len) == len &&
	       memcmp(buf, s, len) == 0;
}

/*
 * Choose the title from the _NET_WM_NAME / WM_NAME replies.
 *
 * _NET_WM_NAME is UTF-8 by definition, whatever type the client gave it
 * (xdotool, for one, writes it as STRING). WM_NAME of type STRING is
 * Latin-1 by ICCCM, but many clients put UTF-8 bytes there: text that is
 * valid UTF-8 is taken as UTF-8 (Latin-1 prose almost never is), anything
 * else is converted from Latin-1. COMPOUND_TEXT is taken byte for byte
 * and repaired; its ASCII part, the usual case, survives.
 */
static void
pick_title(xcb_get_property_reply_t *net_name, xcb_get_property_reply_t *wm_name,
	   char *out, size_t out_size)
{
	const char *s;
	size_t len;

	s = property_bytes(net_name, XCB_ATOM_ANY, &len);
	if (s) {
		tt_utf8_repair(out, out_size, s, len);
		return;
	}
	s = property_bytes(wm_name, XCB_ATOM_ANY, &len);
	if (s && wm_name->type == XCB_ATOM_STRING && !utf8_valid(s, len)) {
		char buf[2 * TT_FOCUS_TITLE_MAX];

		if (len > TT_FOCUS_TITLE_MAX)
			len = TT_FOCUS_TITLE_MAX;
		len = latin1_to_utf8(buf, s, len);
		tt_utf8_repair(out, out_size, buf, len);
		return;
	}
	tt_utf8_repair(out, out_size, s, s ? len : 0);
}

static uint32_t
res_pid(struct x11 *x, xcb_res_query_client_ids_cookie_t cookie)
{
	xcb_res_query_client_ids_reply_t *reply;
	xcb_res_client_id_value_iterator_t it;
	uint32_t pid = 0;

	reply = xcb_res_query_client_ids_reply(x->conn, cookie, NULL);
	if (!reply)
		return 0;
	for (it = xcb_res_query_client_ids_ids_iterator(reply); it.rem;
	     xcb_res_client_id_value_next(&it)) {
		if ((it.data->spec.mask & XCB_RES_CLIENT_ID_MASK_LOCAL_CLIENT_PID) &&
		    it.data->length >= 4) {
			pid = *xcb_res_client_id_value_value(it.data);
			break;
		}
	}
	free(reply);
	return pid;
}

/* WM_CLIENT_MACHINE names this host, or is not set (EWMH: then assume so). */
static bool
client_is_local(struct x11 *x, xcb_get_property_reply_t *machine)
{
	const char *s;
	size_t len;

	s = property_bytes(machine, XCB_ATOM_STRING, &len);
	if (!s || len == 0)
		return true;
	len = strnlen(s, len);
	return len == strlen(x->hostname) && memcmp(s, x->hostname, len) == 0;
}

static void
watch_window(struct x11 *x, xcb_window_t win)
{
	uint32_t mask;

	if (x->watched == win)
		return;
	/* Errors (the old window is already gone) come back as events with
	 * response_type 0 and are ignored in dispatch. */
	if (x->watched) {
		mask = XCB_EVENT_MASK_NO_EVENT;
		xcb_change_window_attributes(x->conn, x->watched,
					     XCB_CW_EVENT_MASK, &mask);
	}
	if (win) {
		mask = XCB_EVENT_MASK_PROPERTY_CHANGE;
		xcb_change_window_attributes(x->conn, win, XCB_CW_EVENT_MASK,
					     &mask);
	}
	x->watched = win;
}

/* Read everything about win and report it as the focus. */
static void
report_window(struct backend *b, xcb_window_t win, uint64_t t)
{
	struct x11 *x = b->data;
	xcb_get_property_cookie_t c_class, c_net_name, c_name, c_pid;
	xcb_res_query_client_ids_cookie_t c_res = { 0 };
	xcb_get_property_cookie_t c_machine;
	xcb_get_property_reply_t *r_class, *r_net_name, *r_name, *r_pid, *r_machine;
	xcb_res_client_id_spec_t spec = {
		.client = win,
		.mask = XCB_RES_CLIENT_ID_MASK_LOCAL_CLIENT_PID,
	};
	struct focus_info f;
	const char *cls;
	size_t len, inst_len;
	uint32_t pid = 0;

	watch_window(x, win);

	c_class = get_property(x, win, XCB_ATOM_WM_CLASS, XCB_ATOM_STRING);
	c_net_name = get_property(x, win, x->ewmh._NET_WM_NAME, XCB_ATOM_ANY);
	c_name = get_property(x, win, XCB_ATOM_WM_NAME, XCB_ATOM_ANY);
	c_pid = get_property(x, win, x->ewmh._NET_WM_PID, XCB_ATOM_CARDINAL);
	c_machine = get_property(x, win, XCB_ATOM_WM_CLIENT_MACHINE, XCB_ATOM_STRING);
	if (x->has_res)
		c_res = xcb_res_query_client_ids(x->conn, 1, &spec);

	r_class = xcb_get_property_reply(x->conn, c_class, NULL);
	r_net_name = xcb_get_property_reply(x->conn, c_net_name, NULL);
	r_name = xcb_get_property_reply(x->conn, c_name, NULL);
	r_pid = xcb_get_property_reply(x->conn, c_pid, NULL);
	r_machine = xcb_get_property_reply(x->conn, c_machine, NULL);

	/* _NET_WM_PID of a client on another host (ssh -X) is a pid there. */
	if (r_pid && r_pid->type == XCB_ATOM_CARDINAL && r_pid->format == 32 &&
	    xcb_get_property_value_length(r_pid) >= 4 && client_is_local(x, r_machine))
		pid = *(uint32_t *)xcb_get_property_value(r_pid);
	if (x->has_res) {
		uint32_t server_pid = res_pid(x, c_res);

		/* The server's answer comes from the socket peer and cannot
		 * be faked by the client; prefer it when both exist. */
		if (server_pid)
			pid = server_pid;
	}

	memset(&f, 0, sizeof(f));
	f.window_id = win;
	f.pid = pid;
	pick_title(r_net_name, r_name, f.title, sizeof(f.title));

	/* WM_CLASS: "instance\0class\0"; use the class, else the instance. */
	cls = property_bytes(r_class, XCB_ATOM_STRING, &len);
	if (cls) {
		inst_len = strnlen(cls, len);
		if (inst_len + 1 < len)
			tt_utf8_repair(f.app_id, sizeof(f.app_id),
				       cls + inst_len + 1,
				       strnlen(cls + inst_len + 1,
					       len - inst_len - 1));
		else
			tt_utf8_repair(f.app_id, sizeof(f.app_id), cls, inst_len);
	}

	free(r_class);
	free(r_net_name);
	free(r_name);
	free(r_pid);
	free(r_machine);

	report_focus(b->report, &f, t);
}

static void
report_title_of(struct backend *b, xcb_window_t win, uint64_t t)
{
	struct x11 *x = b->data;
	xcb_get_property_cookie_t c_net_name, c_name;
	xcb_get_property_reply_t *r_net_name, *r_name;
	char title[TT_FOCUS_TITLE_MAX + 1];

	c_net_name = get_property(x, win, x->ewmh._NET_WM_NAME, XCB_ATOM_ANY);
	c_name = get_property(x, win, XCB_ATOM_WM_NAME, XCB_ATOM_ANY);
	r_net_name = xcb_get_property_reply(x->conn, c_net_name, NULL);
	r_name = xcb_get_property_reply(x->conn, c_name, NULL);
	pick_title(r_net_name, r_name, title, sizeof(title));
	free(r_net_name);
	free(r_name);

	report_title(b->report, win, title, strlen(title), t);
}

/* Re-read _NET_ACTIVE_WINDOW and act on it. */
static void
active_changed(struct backend *b, uint64_t t)
{
	struct x11 *x = b->data;
	xcb_window_t win = XCB_WINDOW_NONE;

	if (!xcb_ewmh_get_active_window_reply(&x->ewmh,
			xcb_ewmh_get_active_window(&x->ewmh, 0), &win, NULL)) {
		if (!x->warned_no_active) {
			log_info("the window manager does not publish "
				 "_NET_ACTIVE_WINDOW (yet); waiting for it");
			x->warned_no_active = true;
		}
		win = XCB_WINDOW_NONE;
	}

	if (win == XCB_WINDOW_NONE) {
		if (!b->deadline_ms)
			b->deadline_ms = now_ms() + NONE_DEBOUNCE_MS;
		return;
	}
	b->deadline_ms = 0;
	report_window(b, win, t);
}

static int
x11_open(struct backend *b)
{
	const xcb_query_extension_reply_t *ext;
	struct x11 *x;
	uint32_t mask = XCB_EVENT_MASK_PROPERTY_CHANGE;
	int screen = 0;
	const char *display = getenv("DISPLAY");

	x = calloc(1, sizeof(*x));
	if (!x)
		return -ENOMEM;
	b->data = x;

	if (gethostname(x->hostname, sizeof(x->hostname) - 1) < 0)
		x->hostname[0] = '\0';

	x->conn = xcb_connect(NULL, &screen);
	if (xcb_connection_has_error(x->conn)) {
		log_error("cannot connect to X display '%s'",
			  display ? display : "(DISPLAY unset)");
		goto fail_conn;
	}
	if (!xcb_ewmh_init_atoms_replies(&x->ewmh,
			xcb_ewmh_init_atoms(x->conn, &x->ewmh), NULL)) {
		log_error("cannot intern the EWMH atoms on '%s'", display);
		goto fail_conn;
	}
	if (screen < 0 || screen >= x->ewmh.nb_screens)
		screen = 0;
	x->root = x->ewmh.screens[screen]->root;

	ext = xcb_get_extension_data(x->conn, &xcb_res_id);
	if (ext && ext->present) {
		xcb_res_query_version_reply_t *v;

		v = xcb_res_query_version_reply(x->conn,
				xcb_res_query_version(x->conn, 1, 2), NULL);
		x->has_res = v && (v->server_major > 1 ||
				   (v->server_major == 1 && v->server_minor >= 2));
		free(v);
	}
	if (!x->has_res)
		log_info("X server lacks XRes 1.2: pids only from _NET_WM_PID");

	xcb_change_window_attributes(x->conn, x->root, XCB_CW_EVENT_MASK, &mask);
	b->fd = xcb_get_file_descriptor(x->conn);

	active_changed(b, tt_mono_ns());
	xcb_flush(x->conn);
	return 0;

fail_conn:
	xcb_disconnect(x->conn);
	free(x);
	b->data = NULL;
	return -ENXIO;
}

static int
x11_dispatch(struct backend *b)
{
	struct x11 *x = b->data;
	xcb_generic_event_t *ev;

	while ((ev = xcb_poll_for_event(x->conn))) {
		uint64_t t = tt_mono_ns();

		if ((ev->response_type & 0x7f) == XCB_PROPERTY_NOTIFY) {
			xcb_property_notify_event_t *pn = (void *)ev;

			if (pn->window == x->root &&
			    pn->atom == x->ewmh._NET_ACTIVE_WINDOW)
				active_changed(b, t);
			else if (pn->window != x->root &&
				 pn->window == x->watched &&
				 (pn->atom == x->ewmh._NET_WM_NAME ||
				  pn->atom == XCB_ATOM_WM_NAME))
				report_title_of(b, pn->window, t);
		}
		/* response_type 0: an error for a window that went away. */
		free(ev);
	}
	if (xcb_connection_has_error(x->conn)) {
		log_error("lost the connection to the X server");
		return -EPIPE;
	}
	return 0;
}

static int
x11_prepare(struct backend *b)
{
	struct x11 *x = b->data;

	/* Replies read during a round trip can leave events queued inside
	 * xcb, where epoll cannot see them: handle them first. */
	if (xcb_flush(x->conn) <= 0)
		return -EPIPE;
	return x11_dispatch(b);
}

static int
x11_timeout(struct backend *b)
{
	struct x11 *x = b->data;
	xcb_window_t win = XCB_WINDOW_NONE;
	struct focus_info none = { 0 };

	/* The debounce ran out: is it still None? */
	if (xcb_ewmh_get_active_window_reply(&x->ewmh,
			xcb_ewmh_get_active_window(&x->ewmh, 0), &win, NULL) &&
	    win != XCB_WINDOW_NONE) {
		report_window(b, win, tt_mono_ns());
		return 0;
	}
	watch_window(x, XCB_WINDOW_NONE);
	report_focus(b->report, &none, tt_mono_ns());
	return 0;
}

static void
x11_close(struct backend *b)
{
	struct x11 *x = b->data;

	if (!x)
		return;
	xcb_ewmh_connection_wipe(&x->ewmh);
	xcb_disconnect(x->conn);
	free(x);
	b->data = NULL;
}

const struct backend_interface backend_x11 = {
	.name = "x11",
	.open = x11_open,
	.prepare = x11_prepare,
	.dispatch = x11_dispatch,
	.timeout = x11_timeout,
	.close = x11_close,
};
