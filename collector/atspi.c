/*
 * tasktrace-collector — the UI element in front of the person, from the
 * accessibility bus (AT-SPI2, libatspi).
 *
 * The same code runs under every backend: the backend says which window has
 * the focus, this file says which control inside it. It listens to four
 * events only —
 *
 *   object:state-changed:focused     a control took the keyboard focus
 *   object:state-changed:selected    menus, menu items, page tabs (GTK3's
 *                                    menu items are selected, never focused)
 *   window:activate                  a window took the focus
 *   object:active-descendant-changed the current row of a tree or table
 *
 * and, on X11 only, mouse:button (not "mouse:", which starts registryd's
 * pointer polling): each press is hit-tested to the element under it.
 * Never text events (object:text-changed carries every typed character; in
 * GTK4 and Qt5 password fields the real ones), never the Text or
 * EditableText interfaces. For each element it asks the application the
 * least it can (every query runs in the application): role; name, for
 * roles whose names are kept; the LABELLED_BY relation only when that name
 * is empty; the state set; the text-input-type attribute only for text
 * roles; the Document's URI only for documents. Application name and pid
 * are asked once per application.
 *
 * libatspi needs a GLib main context. The collector has one epoll loop:
 * GLib's file descriptors go into an epoll set of their own, whose fd is
 * one more source of the collector's loop, and GLib's next timeout is one
 * more deadline. elements_prepare() runs GLib's prepare/query before the
 * loop waits, elements_dispatch() its check/dispatch after — every pass, as
 * GLib requires — so nothing spins and nothing is polled.
 *
 * A hostile or broken application must not cost the collector more than a
 * bounded share of a core: events of the same object within DEDUP_MS are
 * folded (GTK3 sends every focus change twice, ~1 ms apart), and at most
 * RATE_BURST elements are described per RATE_WINDOW_MS — beyond that only
 * the latest event is kept and described when the window allows, so that
 * the element reported last is always the current one. What was folded is
 * counted and said in one log line per minute at most.
 *
 * Copyright © 2026 the tasktrace authors
 * SPDX-License-Identifier: MIT
 */

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

/* libatspi's headers declare some functions without prototypes */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wstrict-prototypes"
#include <atspi/atspi.h>
#include <dbus/dbus.h>
#include <xcb/xcb.h>
#pragma GCC diagnostic pop

#include "collector.h"
#include "tasktrace/config.h"

#define DEDUP_MS	50	/* same object again within this: a duplicate */
#define RATE_WINDOW_MS	1000
#define RATE_BURST	100	/* elements described per window, at most */
#define FOLD_LOG_MS	60000	/* a line about folded events, at most this often */
#define HIT_MAX_DEPTH	32
#define HIT_MAX_CHILDREN 256	/* children looked at per level of a hit-test */
#define APPS_CACHED	32
#define METHOD_TIMEOUT_MS 500	/* an application that does not answer */
#define RETRY_MS	200	/* ... is asked once more after this */

static const char *const listened[] = {
	"object:state-changed:focused",
	"object:state-changed:selected",
	"window:activate",
	"object:active-descendant-changed",
};

struct app_cache {
	char *bus_name;		/* NULL = free slot */
	char *name;
	uint32_t pid;
	uint64_t used;
};

struct elements {
	struct report *report;
	enum elements_capture capture;
	bool hit_test;			/* X11: element under each click */
	xcb_connection_t *x;		/* to ask where the pointer is */
	xcb_window_t root;
	AtspiEventListener *listener;
	GMainContext *ctx;

	/* GLib's fds, mirrored into an epoll set */
	int epfd;
	GPollFD *fds, *watched;
	int nfds, nwatched, nalloc;
	gint max_prio;
	bool prepared;

	/* duplicates and rate */
	char *last_bus, *last_path;
	uint64_t last_ms;
	uint64_t window_start_ms;
	unsigned int in_window;
	AtspiAccessible *pending;	/* latest event beyond the rate, ref held */
	uint32_t pending_flags;
	bool pending_retry;		/* ... or one that did not answer in time */
	guint pending_timer;
	unsigned long folded, duplicates, described, errors;
	uint64_t fold_logged_ms;

	struct app_cache apps[APPS_CACHED];
	uint64_t app_tick;
	char *role_names[ATSPI_ROLE_LAST_DEFINED + 1];
};

/* --- GLib's log -------------------------------------------------------------- */

/* libatspi reports D-Bus errors (an application gone, a timeout) through
 * g_warning: one of them per minute reaches the log, the rest are counted. */
static void
glib_log(const gchar *domain, GLogLevelFlags level, const gchar *message,
	 gpointer data)
{
	static uint64_t last_ms;
	static unsigned long suppressed;
	uint64_t now = now_ms();

	(void)level;
	(void)data;
	if (last_ms && now - last_ms < FOLD_LOG_MS) {
		suppressed++;
		return;
	}
	last_ms = now;
	if (suppressed)
		log_info("accessibility: %s: %s (%lu similar messages not shown)",
			 domain ? domain : "glib", message, suppressed);
	else
		log_info("accessibility: %s: %s", domain ? domain : "glib", message);
	suppressed = 0;
}

/* --- describing an element ---------------------------------------------------- */

static bool
role_is_text(AtspiRole role)
{
	return role == ATSPI_ROLE_TEXT || role == ATSPI_ROLE_ENTRY ||
	       role == ATSPI_ROLE_PASSWORD_TEXT ||
	       role == ATSPI_ROLE_SPIN_BUTTON || role == ATSPI_ROLE_EDITBAR;
}

static bool
role_is_document(AtspiRole role)
{
	return role == ATSPI_ROLE_DOCUMENT_WEB ||
	       role == ATSPI_ROLE_DOCUMENT_FRAME;
}

static const char *
role_name(struct elements *e, AtspiRole role)
{
	if (role < 0 || role > ATSPI_ROLE_LAST_DEFINED)
		return "unknown";
	if (!e->role_names[role])
		e->role_names[role] = atspi_role_get_name(role);
	return e->role_names[role] ? e->role_names[role] : "unknown";
}

static void
clear_error(GError **err)
{
	if (*err) {
		g_error_free(*err);
		*err = NULL;
	}
}

/* The application's name and pid, asked once per application (bus name). */
static const struct app_cache *
app_of(struct elements *e, AtspiAccessible *acc)
{
	AtspiApplication *app = ATSPI_OBJECT(acc)->app;
	struct app_cache *slot = NULL, *c;
	AtspiAccessible *root;
	GError *err = NULL;

	if (!app || !app->bus_name)
		return NULL;
	for (int i = 0; i < APPS_CACHED; i++) {
		c = &e->apps[i];
		if (c->bus_name && strcmp(c->bus_name, app->bus_name) == 0) {
			c->used = ++e->app_tick;
			return c;
		}
		if (!slot || !c->bus_name || (slot->bus_name && c->used < slot->used))
			slot = c;
	}
	g_free(slot->bus_name);
	g_free(slot->name);
	memset(slot, 0, sizeof(*slot));
	slot->bus_name = g_strdup(app->bus_name);
	slot->used = ++e->app_tick;
	slot->pid = atspi_accessible_get_process_id(acc, &err);
	clear_error(&err);
	root = atspi_accessible_get_application(acc, &err);
	clear_error(&err);
	if (root) {
		slot->name = atspi_accessible_get_name(root, &err);
		clear_error(&err);
		g_object_unref(root);
	}
	return slot;
}

/* The name of the first LABELLED_BY target, or NULL. */
static char *
label_of(AtspiAccessible *acc)
{
	GError *err = NULL;
	GArray *rels = atspi_accessible_get_relation_set(acc, &err);
	char *name = NULL;

	clear_error(&err);
	if (!rels)
		return NULL;
	for (guint i = 0; i < rels->len && !name; i++) {
		AtspiRelation *rel = g_array_index(rels, AtspiRelation *, i);

		if (atspi_relation_get_relation_type(rel) == ATSPI_RELATION_LABELLED_BY &&
		    atspi_relation_get_n_targets(rel) > 0) {
			AtspiAccessible *t = atspi_relation_get_target(rel, 0);

			if (t) {
				name = atspi_accessible_get_name(t, &err);
				clear_error(&err);
				g_object_unref(t);
			}
		}
	}
	for (guint i = 0; i < rels->len; i++)
		g_object_unref(g_array_index(rels, AtspiRelation *, i));
	g_array_free(rels, TRUE);
	return name;
}

static bool
attr_is(GHashTable *attrs, const char *key, const char *value)
{
	const char *v = attrs ? g_hash_table_lookup(attrs, key) : NULL;

	return v && strcmp(v, value) == 0;
}

/* false if the application did not answer (gone, or busy past the
 * method timeout) */
static bool
describe(struct elements *e, AtspiAccessible *acc, uint32_t flags)
{
	struct element_info el;
	const struct app_cache *app;
	GError *err = NULL;
	AtspiStateSet *states;
	AtspiRole role;
	char *name = NULL, *url = NULL;

	role = atspi_accessible_get_role(acc, &err);
	if (err) {
		/* gone already (a menu closed, an application quit), or busy */
		e->errors++;
		clear_error(&err);
		return false;
	}
	e->described++;
	memset(&el, 0, sizeof(el));
	el.flags = flags;

	states = atspi_accessible_get_state_set(acc);
	if (states) {
		if (atspi_state_set_contains(states, ATSPI_STATE_EDITABLE) &&
		    role_is_text(role))
			el.flags |= TT_ELEMENT_EDITABLE;
		g_object_unref(states);
	}
	if (role == ATSPI_ROLE_PASSWORD_TEXT) {
		el.flags |= TT_ELEMENT_PASSWORD;
	} else if (role_is_text(role)) {
		GHashTable *attrs = atspi_accessible_get_attributes(acc, &err);

		clear_error(&err);
		if (attr_is(attrs, "text-input-type", "password"))
			el.flags |= TT_ELEMENT_PASSWORD;
		if (attrs)
			g_hash_table_unref(attrs);
	}
	if (el.flags & TT_ELEMENT_PASSWORD)
		role = ATSPI_ROLE_PASSWORD_TEXT;

	if (e->capture == ELEMENTS_NAMES &&
	    (tt_element_role_is_control(role_name(e, role)) ||
	     tt_element_role_is_text(role_name(e, role)))) {
		name = atspi_accessible_get_name(acc, &err);
		clear_error(&err);
		if (!name || !name[0]) {
			g_free(name);
			name = label_of(acc);
		}
	}
	if (role_is_document(role)) {
		AtspiDocument *doc = atspi_accessible_get_document_iface(acc);

		if (role == ATSPI_ROLE_DOCUMENT_WEB)
			el.flags |= TT_ELEMENT_WEB;
		if (doc) {
			url = atspi_document_get_document_attribute_value(doc,
									  "URI", &err);
			clear_error(&err);
			if (!url || !url[0]) {
				g_free(url);
				url = atspi_document_get_document_attribute_value(doc,
										  "DocURL", &err);
				clear_error(&err);
			}
			g_object_unref(doc);
		}
	}

	app = app_of(e, acc);
	element_info_set(&el, role_name(e, role), name, url,
			 app ? app->name : NULL, app ? app->pid : 0);
	g_free(name);
	g_free(url);
	report_element(e->report, &el, tt_mono_ns());
	return true;
}

/* --- rate, duplicates --------------------------------------------------------- */

static void
log_folded(struct elements *e, uint64_t now)
{
	if (!e->folded || now - e->fold_logged_ms < FOLD_LOG_MS)
		return;
	log_info("accessibility: an application sends more focus events than "
		 "%d a second: %lu folded into the latest one so far",
		 RATE_BURST, e->folded);
	e->fold_logged_ms = now;
}

static bool
take_token(struct elements *e, uint64_t now)
{
	if (now - e->window_start_ms >= RATE_WINDOW_MS) {
		e->window_start_ms = now;
		e->in_window = 0;
	}
	if (e->in_window >= RATE_BURST)
		return false;
	e->in_window++;
	return true;
}

static gboolean
pending_due(gpointer data)
{
	struct elements *e = data;
	AtspiAccessible *acc = e->pending;

	e->pending_timer = 0;
	e->pending = NULL;
	if (acc) {
		if (take_token(e, now_ms()))
			describe(e, acc, e->pending_flags);
		g_object_unref(acc);
	}
	e->pending_retry = false;
	return G_SOURCE_REMOVE;
}

/* An element whose application did not answer in time is asked once
 * more, RETRY_MS later, unless a newer event came meanwhile. */
static void
retry_later(struct elements *e, AtspiAccessible *acc, uint32_t flags)
{
	if (e->pending || e->pending_timer)
		return;
	e->pending = g_object_ref(acc);
	e->pending_flags = flags;
	e->pending_retry = true;
	e->pending_timer = g_timeout_add(RETRY_MS, pending_due, e);
}

static void
consider(struct elements *e, AtspiAccessible *acc, uint32_t flags)
{
	AtspiObject *o = ATSPI_OBJECT(acc);
	const char *bus = o->app ? o->app->bus_name : "";
	const char *path = o->path ? o->path : "";
	uint64_t now = now_ms();

	if (e->last_bus && now - e->last_ms < DEDUP_MS &&
	    strcmp(e->last_bus, bus) == 0 && strcmp(e->last_path, path) == 0) {
		e->duplicates++;
		return;
	}
	g_free(e->last_bus);
	g_free(e->last_path);
	e->last_bus = g_strdup(bus);
	e->last_path = g_strdup(path);
	e->last_ms = now;

	if (e->pending_retry) {
		/* a newer event replaces the one waiting for its retry */
		g_source_remove(e->pending_timer);
		e->pending_timer = 0;
		g_object_unref(e->pending);
		e->pending = NULL;
		e->pending_retry = false;
	}
	if (!e->pending && take_token(e, now)) {
		if (!describe(e, acc, flags))
			retry_later(e, acc, flags);
		return;
	}
	/* over the rate: keep only the latest, described when allowed */
	e->folded++;
	log_folded(e, now);
	if (e->pending)
		g_object_unref(e->pending);
	e->pending = g_object_ref(acc);
	e->pending_flags = flags;
	if (!e->pending_timer) {
		uint64_t due = e->window_start_ms + RATE_WINDOW_MS;

		e->pending_timer = g_timeout_add(due > now ? (guint)(due - now) : 0,
						 pending_due, e);
	}
}

/* --- hit-testing a click (X11) ------------------------------------------------ */

static bool
contains(AtspiAccessible *acc, int x, int y)
{
	AtspiComponent *c = atspi_accessible_get_component_iface(acc);
	GError *err = NULL;
	AtspiRect *r;
	bool in = false;

	if (!c)
		return false;
	r = atspi_component_get_extents(c, ATSPI_COORD_TYPE_SCREEN, &err);
	clear_error(&err);
	if (r) {
		in = r->width > 0 && r->height > 0 && x >= r->x && y >= r->y &&
		     x < r->x + r->width && y < r->y + r->height;
		g_free(r);
	}
	g_object_unref(c);
	return in;
}

/* The deepest descendant of @top under (x, y): each step takes the child
 * the toolkit names at the point, but only if that child's own extents
 * contain the point (GTK3 answers with a notebook page's content for a
 * point on its tab); otherwise the children are searched by extents. */
static AtspiAccessible *
descend(AtspiAccessible *top, int x, int y)
{
	AtspiAccessible *cur = g_object_ref(top);
	GError *err = NULL;

	for (int depth = 0; depth < HIT_MAX_DEPTH; depth++) {
		AtspiComponent *c = atspi_accessible_get_component_iface(cur);
		AtspiAccessible *next = NULL;

		if (c) {
			next = atspi_component_get_accessible_at_point(c, x, y,
								       ATSPI_COORD_TYPE_SCREEN,
								       &err);
			clear_error(&err);
			g_object_unref(c);
		}
		if (next && (next == cur || !contains(next, x, y))) {
			g_object_unref(next);
			next = NULL;
		}
		if (!next) {
			int n = atspi_accessible_get_child_count(cur, &err);

			clear_error(&err);
			for (int i = 0; i < n && i < HIT_MAX_CHILDREN && !next; i++) {
				AtspiAccessible *ch =
					atspi_accessible_get_child_at_index(cur, i, &err);

				clear_error(&err);
				if (ch && contains(ch, x, y))
					next = ch;
				else if (ch)
					g_object_unref(ch);
			}
		}
		if (!next)
			break;
		g_object_unref(cur);
		cur = next;
	}
	return cur;
}

static bool
showing_frame(AtspiAccessible *w, bool need_active)
{
	AtspiStateSet *s = atspi_accessible_get_state_set(w);
	bool ok;

	if (!s)
		return false;
	ok = need_active ? atspi_state_set_contains(s, ATSPI_STATE_ACTIVE)
			 : atspi_state_set_contains(s, ATSPI_STATE_SHOWING);
	g_object_unref(s);
	return ok;
}

static void
hit_test(struct elements *e, int x, int y)
{
	AtspiAccessible *desktop = atspi_get_desktop(0), *found = NULL;
	uint32_t want_pid = e->report->known ? e->report->current.pid : 0;
	GError *err = NULL;
	int napps;

	if (!desktop)
		return;
	napps = atspi_accessible_get_child_count(desktop, &err);
	clear_error(&err);
	/* the active window of the focused application first, then any
	 * showing window that contains the point */
	for (int pass = 0; pass < 2 && !found; pass++) {
		for (int i = 0; i < napps && !found; i++) {
			AtspiAccessible *app =
				atspi_accessible_get_child_at_index(desktop, i, &err);
			int nwin;

			clear_error(&err);
			if (!app)
				continue;
			if (pass == 0 && want_pid) {
				const struct app_cache *c = app_of(e, app);

				if (!c || c->pid != want_pid) {
					g_object_unref(app);
					continue;
				}
			}
			nwin = atspi_accessible_get_child_count(app, &err);
			clear_error(&err);
			for (int j = 0; j < nwin && j < HIT_MAX_CHILDREN && !found; j++) {
				AtspiAccessible *w =
					atspi_accessible_get_child_at_index(app, j, &err);

				clear_error(&err);
				if (w && showing_frame(w, pass == 0) && contains(w, x, y))
					found = w;
				else if (w)
					g_object_unref(w);
			}
			g_object_unref(app);
		}
	}
	g_object_unref(desktop);
	if (found) {
		AtspiAccessible *el = descend(found, x, y);

		consider(e, el, TT_ELEMENT_HIT);
		g_object_unref(el);
		g_object_unref(found);
	}
}

/* registryd notices a press by polling the pointer and reports the
 * position of its previous poll (20–100 ms old: a click right after a
 * fast move is placed where the pointer was): ask the X server instead. */
static void
pointer_now(struct elements *e, int *x, int *y)
{
	xcb_query_pointer_reply_t *r;

	if (!e->x)
		return;
	r = xcb_query_pointer_reply(e->x, xcb_query_pointer(e->x, e->root), NULL);
	if (r) {
		*x = r->root_x;
		*y = r->root_y;
		free(r);
	}
}

/* --- events ------------------------------------------------------------------- */

static void
on_event(AtspiEvent *ev, void *data)
{
	struct elements *e = data;
	const char *type = ev->type ? ev->type : "";

	if (strncmp(type, "mouse:button:", 13) == 0) {
		/* "mouse:button:1p": a press; x, y in detail1, detail2 */
		size_t n = strlen(type);

		if (e->hit_test && n > 13 && type[n - 1] == 'p') {
			int px = ev->detail1, py = ev->detail2;

			pointer_now(e, &px, &py);
			hit_test(e, px, py);
		}
	} else if (strcmp(type, "object:active-descendant-changed") == 0) {
		if (G_VALUE_HOLDS(&ev->any_data, ATSPI_TYPE_ACCESSIBLE)) {
			AtspiAccessible *d = g_value_get_object(&ev->any_data);

			if (d)
				consider(e, d, 0);
		}
	} else if (strncmp(type, "window:activate", 15) == 0) {
		if (ev->source)
			consider(e, ev->source, 0);
	} else if (ev->detail1 == 1 && ev->source) {
		/* focused or selected, gained (a lost focus is followed by
		 * the gained one elsewhere) */
		consider(e, ev->source, 0);
	}
	g_boxed_free(ATSPI_TYPE_EVENT, ev);
}

/* --- the bus ------------------------------------------------------------------ */

/* Is there an accessibility bus? libatspi would otherwise print its own
 * warnings and retry; ask the way it does, once, with a short timeout. */
static bool
a11y_bus_reachable(void)
{
	const char *addr = getenv("AT_SPI_BUS_ADDRESS");
	DBusConnection *bus;
	DBusMessage *call, *reply;
	DBusError err;

	if (addr && addr[0])
		return true;
	/* libdbus would otherwise "autolaunch" a session bus of its own */
	addr = getenv("DBUS_SESSION_BUS_ADDRESS");
	if (!addr || !addr[0]) {
		const char *run = getenv("XDG_RUNTIME_DIR");
		char path[4096];

		snprintf(path, sizeof(path), "%s/bus", run ? run : "");
		if (!run || !run[0] || access(path, F_OK) < 0) {
			log_info("accessibility: no session bus (neither "
				 "DBUS_SESSION_BUS_ADDRESS nor $XDG_RUNTIME_DIR/bus); "
				 "elements are not reported");
			return false;
		}
	}
	dbus_error_init(&err);
	bus = dbus_bus_get_private(DBUS_BUS_SESSION, &err);
	if (!bus) {
		log_info("accessibility: no session bus (%s); elements are not "
			 "reported", err.message ? err.message : "?");
		dbus_error_free(&err);
		return false;
	}
	dbus_connection_set_exit_on_disconnect(bus, FALSE);
	call = dbus_message_new_method_call("org.a11y.Bus", "/org/a11y/bus",
					    "org.a11y.Bus", "GetAddress");
	reply = call ? dbus_connection_send_with_reply_and_block(bus, call, 3000, &err)
		     : NULL;
	if (call)
		dbus_message_unref(call);
	dbus_connection_close(bus);
	dbus_connection_unref(bus);
	if (!reply) {
		log_info("accessibility: no accessibility bus (%s); elements are "
			 "not reported", err.message ? err.message : "?");
		dbus_error_free(&err);
		return false;
	}
	dbus_message_unref(reply);
	return true;
}

static void
unwatch(struct elements *e)
{
	for (int i = 0; i < e->nwatched; i++)
		epoll_ctl(e->epfd, EPOLL_CTL_DEL, e->watched[i].fd, NULL);
	e->nwatched = 0;
}

/* Make the epoll set watch exactly GLib's current fds. */
static int
sync_fds(struct elements *e)
{
	if (e->nfds == e->nwatched &&
	    memcmp(e->fds, e->watched, sizeof(GPollFD) * (size_t)e->nfds) == 0)
		return 0;
	unwatch(e);
	for (int i = 0; i < e->nfds; i++) {
		struct epoll_event ev = { .events = 0 };
		uint32_t want = 0;

		/* GLib's G_IO_* are poll(2)'s bits, which epoll shares */
		for (int j = 0; j < e->nfds; j++)
			if (e->fds[j].fd == e->fds[i].fd)
				want |= e->fds[j].events;
		ev.events = want & (EPOLLIN | EPOLLOUT | EPOLLPRI);
		ev.data.fd = e->fds[i].fd;
		if (epoll_ctl(e->epfd, EPOLL_CTL_ADD, e->fds[i].fd, &ev) < 0 &&
		    errno != EEXIST)
			return -errno;
	}
	memcpy(e->watched, e->fds, sizeof(GPollFD) * (size_t)e->nfds);
	e->nwatched = e->nfds;
	return 0;
}

int
elements_prepare(struct elements *e, int *timeout_ms)
{
	gint timeout = -1;
	int n, rc;

	if (g_main_context_prepare(e->ctx, &e->max_prio))
		timeout = 0;
	for (;;) {
		gint t;

		n = g_main_context_query(e->ctx, e->max_prio, &t, e->fds, e->nalloc);
		if (timeout != 0)
			timeout = t;
		if (n <= e->nalloc)
			break;
		e->nalloc = n;
		e->fds = g_renew(GPollFD, e->fds, n);
		e->watched = g_renew(GPollFD, e->watched, n);
	}
	e->nfds = n;
	e->prepared = true;
	rc = sync_fds(e);
	*timeout_ms = timeout;
	return rc;
}

void
elements_dispatch(struct elements *e)
{
	if (!e->prepared)
		return;
	e->prepared = false;
	for (int i = 0; i < e->nfds; i++)
		e->fds[i].revents = 0;
	if (e->nfds)
		poll((struct pollfd *)e->fds, (nfds_t)e->nfds, 0);
	if (g_main_context_check(e->ctx, e->max_prio, e->fds, e->nfds))
		g_main_context_dispatch(e->ctx);
}

int
elements_fd(const struct elements *e)
{
	return e->epfd;
}

struct elements *
elements_open(struct report *r, enum elements_capture capture, bool hit_test)
{
	struct elements *e;
	GError *err = NULL;

	if (capture == ELEMENTS_OFF) {
		log_info("accessibility: elements are not captured ([elements] capture = off)");
		return NULL;
	}
	g_log_set_default_handler(glib_log, NULL);
	if (!a11y_bus_reachable())
		return NULL;

	e = calloc(1, sizeof(*e));
	if (!e)
		return NULL;
	e->report = r;
	e->capture = capture;
	e->hit_test = hit_test;
	e->ctx = g_main_context_default();
	if (!g_main_context_acquire(e->ctx)) {
		log_error("accessibility: GLib's main context is in use");
		free(e);
		return NULL;
	}
	e->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (e->epfd < 0 || atspi_init() < 0) {
		log_error("accessibility: cannot start (%s)", strerror(errno));
		if (e->epfd >= 0)
			close(e->epfd);
		g_main_context_release(e->ctx);
		free(e);
		return NULL;
	}
	atspi_set_timeout(METHOD_TIMEOUT_MS, -1);

	e->listener = atspi_event_listener_new(on_event, e, NULL);
	for (size_t i = 0; i < sizeof(listened) / sizeof(listened[0]); i++) {
		if (!atspi_event_listener_register(e->listener, listened[i], &err)) {
			log_error("accessibility: cannot listen to %s: %s",
				  listened[i], err ? err->message : "?");
			clear_error(&err);
		}
	}
	if (hit_test) {
		e->x = xcb_connect(NULL, NULL);
		if (xcb_connection_has_error(e->x)) {
			xcb_disconnect(e->x);
			e->x = NULL;
		} else {
			e->root = xcb_setup_roots_iterator(xcb_get_setup(e->x)).data->root;
		}
	}
	if (hit_test && !atspi_event_listener_register(e->listener, "mouse:button", &err)) {
		log_error("accessibility: cannot listen to clicks: %s",
			  err ? err->message : "?");
		clear_error(&err);
		e->hit_test = false;
	}
	log_info("accessibility: reporting UI elements (%s%s)",
		 capture == ELEMENTS_NAMES ? "roles and names" : "roles only",
		 e->hit_test ? ", clicks hit-tested" : ", focus-following");
	return e;
}

void
elements_close(struct elements *e)
{
	GError *err = NULL;

	if (!e)
		return;
	for (size_t i = 0; i < sizeof(listened) / sizeof(listened[0]); i++) {
		atspi_event_listener_deregister(e->listener, listened[i], &err);
		clear_error(&err);
	}
	if (e->hit_test) {
		atspi_event_listener_deregister(e->listener, "mouse:button", &err);
		clear_error(&err);
	}
	g_object_unref(e->listener);
	if (e->pending_timer)
		g_source_remove(e->pending_timer);
	if (e->pending)
		g_object_unref(e->pending);
	log_info("accessibility: %lu elements described, %lu duplicate events "
		 "folded, %lu over the rate, %lu gone before they were asked",
		 e->described, e->duplicates, e->folded, e->errors);
	for (int i = 0; i < APPS_CACHED; i++) {
		g_free(e->apps[i].bus_name);
		g_free(e->apps[i].name);
	}
	for (int i = 0; i <= ATSPI_ROLE_LAST_DEFINED; i++)
		g_free(e->role_names[i]);
	g_free(e->last_bus);
	g_free(e->last_path);
	if (e->x)
		xcb_disconnect(e->x);
	unwatch(e);
	close(e->epfd);
	g_free(e->fds);
	g_free(e->watched);
	atspi_exit();
	g_main_context_release(e->ctx);
	free(e);
}

int
elements_capture_mode(const char *opt, enum elements_capture *out)
{
	if (!opt) {
		/* the file the tracer reads; its errors are the tracer's to
		 * report (and the tracer enforces capture whatever we send) */
		struct tt_config cfg;

		*out = ELEMENTS_NAMES;
		if (tt_config_load(&cfg, NULL, true, NULL, NULL) == 0)
			*out = cfg.elements.capture == TT_ELEMENTS_OFF ? ELEMENTS_OFF :
			       cfg.elements.capture == TT_ELEMENTS_ROLES ? ELEMENTS_ROLES :
			       ELEMENTS_NAMES;
		tt_config_free(&cfg);
		return 0;
	}
	if (strcmp(opt, "off") == 0)
		*out = ELEMENTS_OFF;
	else if (strcmp(opt, "roles") == 0)
		*out = ELEMENTS_ROLES;
	else if (strcmp(opt, "names") == 0)
		*out = ELEMENTS_NAMES;
	else
		return -EINVAL;
	return 0;
}
