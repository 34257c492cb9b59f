/*
 * tasktrace-collector — which desktop is this, and which backends fit.
 *
 * The session type comes from XDG_SESSION_TYPE ("wayland", "x11"), or,
 * where it is unset or says something else, from WAYLAND_DISPLAY / DISPLAY.
 * The desktop comes from XDG_CURRENT_DESKTOP. detect_backends() returns the
 * candidates best first; main.c opens them in turn, and an open() is the
 * live check (the shell is on the bus, the compositor offers the protocol).
 *
 *   desktop with its own backend (GNOME, KDE)   that backend; on X11 then x11
 *   Wayland, SWAYSOCK set                        sway, then wlroots
 *   Wayland                                      wlroots
 *   X11                                          x11
 *
 * A Wayland session never gets the X11 backend: it would only see Xwayland
 * windows, and connecting to DISPLAY may start Xwayland.
 *
 * Copyright © 2026 the tasktrace authors
 * SPDX-License-Identifier: MIT
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "collector.h"

/* Every backend, for --backend NAME. */
static const struct backend_interface *const backends[] = {
	&backend_x11,
	&backend_sway,
	&backend_wlroots,
	&backend_gnome,
	&backend_kde,
};

/* Desktops with a backend of their own, by an entry of XDG_CURRENT_DESKTOP.
 * Such a backend serves both Wayland and X11 sessions of its desktop. */
static const struct desktop {
	const char *xdg_name;
	const char *name;
	const struct backend_interface *iface;	/* NULL: none yet */
} desktops[] = {
	{ "GNOME", "GNOME Shell", &backend_gnome },
	{ "KDE", "KDE Plasma", &backend_kde },
};

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

enum session_type { SESSION_NONE, SESSION_X11, SESSION_WAYLAND };

static bool
env_set(const char *name)
{
	const char *v = getenv(name);

	return v && *v;
}

/* XDG_CURRENT_DESKTOP is a colon-separated list, e.g. "ubuntu:GNOME". */
static bool
desktop_is(const char *name)
{
	const char *list = getenv("XDG_CURRENT_DESKTOP");
	size_t n = strlen(name);

	while (list && *list) {
		const char *end = strchr(list, ':');
		size_t len = end ? (size_t)(end - list) : strlen(list);

		if (len == n && strncasecmp(list, name, n) == 0)
			return true;
		list = end ? end + 1 : NULL;
	}
	return false;
}

static const struct desktop *
current_desktop(void)
{
	for (size_t i = 0; i < ARRAY_LEN(desktops); i++)
		if (desktop_is(desktops[i].xdg_name))
			return &desktops[i];
	return NULL;
}

static enum session_type
session_type(void)
{
	const char *t = getenv("XDG_SESSION_TYPE");

	if (t && strcmp(t, "wayland") == 0)
		return SESSION_WAYLAND;
	if (t && strcmp(t, "x11") == 0)
		return SESSION_X11;
	/* Unset, "tty" (a session started from a console), "unspecified". */
	if (env_set("WAYLAND_DISPLAY"))
		return SESSION_WAYLAND;
	if (env_set("DISPLAY"))
		return SESSION_X11;
	return SESSION_NONE;
}

static void
list_names(char *buf, size_t size)
{
	size_t off = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < ARRAY_LEN(backends) && off < size; i++)
		off += (size_t)snprintf(buf + off, size - off, "%s, ",
					backends[i]->name);
	if (off < size)
		snprintf(buf + off, size - off, "auto");
}

int
detect_backends(const char *requested,
		const struct backend_interface *out[DETECT_MAX])
{
	const struct desktop *d = current_desktop();
	int n = 0;

	if (requested && strcmp(requested, "auto") != 0) {
		char names[128];

		for (size_t i = 0; i < ARRAY_LEN(backends); i++) {
			if (strcmp(requested, backends[i]->name) == 0) {
				out[0] = backends[i];
				return 1;
			}
		}
		list_names(names, sizeof(names));
		log_error("unknown backend '%s' (%s)", requested, names);
		return -EINVAL;
	}

	switch (session_type()) {
	case SESSION_WAYLAND:
		if (d) {
			log_info("desktop: %s on Wayland", d->name);
			if (d->iface)
				out[n++] = d->iface;
			break;
		}
		if (!env_set("WAYLAND_DISPLAY"))
			break;
		if (env_set("SWAYSOCK")) {
			log_info("desktop: sway (WAYLAND_DISPLAY and SWAYSOCK set)");
			out[n++] = &backend_sway;
		} else {
			log_info("desktop: Wayland, trying wlr-foreign-toplevel");
		}
		out[n++] = &backend_wlroots;
		break;
	case SESSION_X11:
		if (d && d->iface) {
			log_info("desktop: %s on X11", d->name);
			out[n++] = d->iface;
		} else {
			log_info("desktop: X11");
		}
		if (env_set("DISPLAY"))
			out[n++] = &backend_x11;
		break;
	case SESSION_NONE:
		log_error("no display reachable: neither WAYLAND_DISPLAY nor "
			  "DISPLAY is set (run inside a graphical session, or "
			  "import them with 'systemctl --user import-environment')");
		return 0;
	}
	if (n == 0)
		detect_none_usable(requested, out, 0);
	return n;
}

void
detect_none_usable(const char *requested,
		   const struct backend_interface *const tried[], int n)
{
	const struct desktop *d = current_desktop();
	enum session_type type = session_type();
	const char *what = type == SESSION_WAYLAND ? "Wayland" : "X11";
	char names[64] = "";
	size_t off = 0;

	for (int i = 0; i < n && off < sizeof(names); i++)
		off += (size_t)snprintf(names + off, sizeof(names) - off,
					"%s%s", i ? ", " : "", tried[i]->name);

	if (requested && strcmp(requested, "auto") != 0)
		log_error("no usable backend: the %s backend could not start", names);
	else if (n == 0 && d)
		log_error("no usable backend: %s on %s has no tasktrace backend "
			  "yet%s", d->name, what, type == SESSION_WAYLAND ?
			  " (X11 is not used in a Wayland session: it would only "
			  "see Xwayland windows)" : "");
	else if (n == 0)
		log_error("no usable backend: a Wayland session without "
			  "WAYLAND_DISPLAY (import it with 'systemctl --user "
			  "import-environment')");
	else
		log_error("no usable backend for this %s%s%s session (tried: %s)%s",
			  d ? d->name : "", d ? " " : "", what, names,
			  type == SESSION_WAYLAND ? "; X11 is not used in a "
			  "Wayland session" : "");
}
