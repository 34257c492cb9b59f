/*
 * tasktrace-collector — wlroots backend (wlr-foreign-toplevel-management).
 *
 * Compositors built on wlroots (sway, labwc, wayfire, river, Hyprland …)
 * announce every toplevel through zwlr_foreign_toplevel_manager_v1, with
 * its title, app_id and state (activated = focused). Properties arrive as
 * separate events and are only consistent at the handle's "done" event, so
 * we stage them and act on "done". A switch arrives as two updates, one
 * for the window losing "activated" and one for the window gaining it; the
 * "no window" report for the first waits DEACTIVATE_DEBOUNCE_MS so that
 * a switch is not reported as focus → none → focus.
 *
 * The protocol carries no pid and no stable window id: pids are reported
 * as 0 (unknown) and each toplevel gets a collector-local id, counting up
 * from 1 for the life of this process.
 *
 * Copyright © 2026 the tasktrace authors
 * SPDX-License-Identifier: MIT
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <wayland-client.h>

#include "collector.h"
#include "wlr-foreign-toplevel-management-unstable-v1-client-protocol.h"

#define DEACTIVATE_DEBOUNCE_MS	100
#define MANAGER_VERSION		3

struct toplevel {
	struct wl_list link;
	struct backend *backend;
	struct zwlr_foreign_toplevel_handle_v1 *handle;
	uint64_t id;
	/* staged until "done" */
	char *pending_title, *pending_app_id;
	bool pending_activated;
	/* committed */
	char *title, *app_id;
	bool activated;
};

struct wlr {
	struct wl_display *display;
	struct wl_registry *registry;
	struct zwlr_foreign_toplevel_manager_v1 *manager;
	struct wl_list toplevels;
	struct toplevel *focused;
	uint64_t next_id;
	bool finished;
};

static void
replace(char **dst, const char *src)
{
	free(*dst);
	*dst = src ? strdup(src) : NULL;
}

static void
report_toplevel(struct backend *b, struct toplevel *t)
{
	struct focus_info f;

	focus_info_set(&f, t->id, 0,
		       t->app_id, t->app_id ? strlen(t->app_id) : 0,
		       t->title, t->title ? strlen(t->title) : 0);
	report_focus(b->report, &f, tt_mono_ns());
}

static void
handle_title(void *data, struct zwlr_foreign_toplevel_handle_v1 *h,
	     const char *title)
{
	struct toplevel *t = data;

	(void)h;
	replace(&t->pending_title, title);
}

static void
handle_app_id(void *data, struct zwlr_foreign_toplevel_handle_v1 *h,
	      const char *app_id)
{
	struct toplevel *t = data;

	(void)h;
	replace(&t->pending_app_id, app_id);
}

static void
handle_output(void *data, struct zwlr_foreign_toplevel_handle_v1 *h,
	      struct wl_output *output)
{
	(void)data;
	(void)h;
	(void)output;
}

static void
handle_state(void *data, struct zwlr_foreign_toplevel_handle_v1 *h,
	     struct wl_array *state)
{
	struct toplevel *t = data;
	uint32_t *s;

	(void)h;
	t->pending_activated = false;
	wl_array_for_each(s, state) {
		if (*s == ZWLR_FOREIGN_TOPLEVEL_HANDLE_V1_STATE_ACTIVATED)
			t->pending_activated = true;
	}
}

static void
handle_done(void *data, struct zwlr_foreign_toplevel_handle_v1 *h)
{
	struct toplevel *t = data;
	struct backend *b = t->backend;
	struct wlr *w = b->data;

	(void)h;
	/* title and app_id are only sent when they change: keep the old. */
	if (t->pending_title) {
		free(t->title);
		t->title = t->pending_title;
		t->pending_title = NULL;
	}
	if (t->pending_app_id) {
		free(t->app_id);
		t->app_id = t->pending_app_id;
		t->pending_app_id = NULL;
	}
	t->activated = t->pending_activated;

	if (t->activated) {
		w->focused = t;
		b->deadline_ms = 0;
		/* report.c turns "same window, new title" into TITLE */
		report_toplevel(b, t);
	} else if (w->focused == t) {
		w->focused = NULL;
		b->deadline_ms = now_ms() + DEACTIVATE_DEBOUNCE_MS;
	}
}

static void
toplevel_destroy(struct toplevel *t)
{
	zwlr_foreign_toplevel_handle_v1_destroy(t->handle);
	wl_list_remove(&t->link);
	free(t->pending_title);
	free(t->pending_app_id);
	free(t->title);
	free(t->app_id);
	free(t);
}

static void
handle_closed(void *data, struct zwlr_foreign_toplevel_handle_v1 *h)
{
	struct toplevel *t = data;
	struct backend *b = t->backend;
	struct wlr *w = b->data;

	(void)h;
	if (w->focused == t) {
		w->focused = NULL;
		b->deadline_ms = now_ms() + DEACTIVATE_DEBOUNCE_MS;
	}
	toplevel_destroy(t);
}

static void
handle_parent(void *data, struct zwlr_foreign_toplevel_handle_v1 *h,
	      struct zwlr_foreign_toplevel_handle_v1 *parent)
{
	(void)data;
	(void)h;
	(void)parent;
}

static const struct zwlr_foreign_toplevel_handle_v1_listener toplevel_listener = {
	.title = handle_title,
	.app_id = handle_app_id,
	.output_enter = handle_output,
	.output_leave = handle_output,
	.state = handle_state,
	.done = handle_done,
	.closed = handle_closed,
	.parent = handle_parent,
};

static void
manager_toplevel(void *data, struct zwlr_foreign_toplevel_manager_v1 *m,
		 struct zwlr_foreign_toplevel_handle_v1 *handle)
{
	struct backend *b = data;
	struct wlr *w = b->data;
	struct toplevel *t;

	(void)m;
	t = calloc(1, sizeof(*t));
	if (!t) {
		/* Without memory we cannot track it; ignore this window. */
		zwlr_foreign_toplevel_handle_v1_destroy(handle);
		return;
	}
	t->backend = b;
	t->handle = handle;
	t->id = ++w->next_id;
	wl_list_insert(&w->toplevels, &t->link);
	zwlr_foreign_toplevel_handle_v1_add_listener(handle, &toplevel_listener, t);
}

static void
manager_finished(void *data, struct zwlr_foreign_toplevel_manager_v1 *m)
{
	struct backend *b = data;
	struct wlr *w = b->data;

	(void)m;
	w->finished = true;
}

static const struct zwlr_foreign_toplevel_manager_v1_listener manager_listener = {
	.toplevel = manager_toplevel,
	.finished = manager_finished,
};

static void
registry_global(void *data, struct wl_registry *registry, uint32_t name,
		const char *interface, uint32_t version)
{
	struct backend *b = data;
	struct wlr *w = b->data;

	if (w->manager ||
	    strcmp(interface, zwlr_foreign_toplevel_manager_v1_interface.name) != 0)
		return;
	w->manager = wl_registry_bind(registry, name,
				      &zwlr_foreign_toplevel_manager_v1_interface,
				      version < MANAGER_VERSION ? version :
								  MANAGER_VERSION);
	zwlr_foreign_toplevel_manager_v1_add_listener(w->manager,
						      &manager_listener, b);
}

static void
registry_global_remove(void *data, struct wl_registry *registry, uint32_t name)
{
	(void)data;
	(void)registry;
	(void)name;
}

static const struct wl_registry_listener registry_listener = {
	.global = registry_global,
	.global_remove = registry_global_remove,
};

static void
wlr_close(struct backend *b)
{
	struct wlr *w = b->data;
	struct toplevel *t, *tmp;

	if (!w)
		return;
	wl_list_for_each_safe(t, tmp, &w->toplevels, link)
		toplevel_destroy(t);
	if (w->manager)
		zwlr_foreign_toplevel_manager_v1_destroy(w->manager);
	if (w->registry)
		wl_registry_destroy(w->registry);
	wl_display_disconnect(w->display);
	free(w);
	b->data = NULL;
}

static int
wlr_open(struct backend *b)
{
	const char *name = getenv("WAYLAND_DISPLAY");
	struct focus_info none = { 0 };
	struct wlr *w;

	w = calloc(1, sizeof(*w));
	if (!w)
		return -ENOMEM;
	wl_list_init(&w->toplevels);
	b->data = w;

	w->display = wl_display_connect(NULL);
	if (!w->display) {
		log_error("cannot connect to Wayland display '%s'",
			  name ? name : "(WAYLAND_DISPLAY unset)");
		free(w);
		b->data = NULL;
		return -ENXIO;
	}
	w->registry = wl_display_get_registry(w->display);
	wl_registry_add_listener(w->registry, &registry_listener, b);

	/* First round trip: the globals; second: the existing toplevels
	 * and their state. */
	if (wl_display_roundtrip(w->display) < 0)
		goto fail;
	if (!w->manager) {
		log_error("the Wayland compositor does not offer "
			  "wlr-foreign-toplevel-management: focus cannot be "
			  "reported on this desktop");
		goto fail;
	}
	if (wl_display_roundtrip(w->display) < 0)
		goto fail;
	if (!w->focused)
		report_focus(b->report, &none, tt_mono_ns());

	b->fd = wl_display_get_fd(w->display);
	return 0;

fail:
	wlr_close(b);
	return -ENXIO;
}

static int
wlr_prepare(struct backend *b)
{
	struct wlr *w = b->data;

	if (wl_display_dispatch_pending(w->display) < 0 ||
	    (wl_display_flush(w->display) < 0 && errno != EAGAIN)) {
		log_error("lost the connection to the Wayland compositor");
		return -EPIPE;
	}
	return 0;
}

static int
wlr_dispatch(struct backend *b)
{
	struct wlr *w = b->data;

	/* The fd is readable, so this reads without blocking. */
	if (wl_display_dispatch(w->display) < 0) {
		log_error("lost the connection to the Wayland compositor");
		return -EPIPE;
	}
	if (w->finished) {
		log_error("the compositor stopped sending toplevel updates");
		return -EPIPE;
	}
	return 0;
}

static int
wlr_timeout(struct backend *b)
{
	struct wlr *w = b->data;
	struct focus_info none = { 0 };

	if (!w->focused)
		report_focus(b->report, &none, tt_mono_ns());
	return 0;
}

const struct backend_interface backend_wlroots = {
	.name = "wlroots",
	.open = wlr_open,
	.prepare = wlr_prepare,
	.dispatch = wlr_dispatch,
	.timeout = wlr_timeout,
	.close = wlr_close,
};
