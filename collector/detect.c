/*
 * tasktrace-collector — which desktop is this, and which backend fits.
 *
 * Order matters: a Wayland session usually also has DISPLAY (Xwayland),
 * and an X11 backend there would only see X clients, so Wayland wins.
 * sway is recognised by SWAYSOCK and gets its IPC backend, which (unlike
 * foreign-toplevel) reports pids. KDE Plasma on Wayland gets the KWin
 * script backend. GNOME Shell on Wayland offers neither sway IPC nor
 * wlr-foreign-toplevel; its own backend is not written yet, and we say so
 * rather than report nothing.
 *
 * Copyright © 2026 the tasktrace authors
 * SPDX-License-Identifier: MIT
 */

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "collector.h"

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

const struct backend_interface *
detect_backend(const char *requested)
{
	bool wayland = env_set("WAYLAND_DISPLAY");
	bool x11 = env_set("DISPLAY");
	const char *big = desktop_is("GNOME") ? "GNOME Shell" :
			  desktop_is("KDE") ? "KDE Plasma" : NULL;

	if (requested && strcmp(requested, "auto") != 0) {
		if (strcmp(requested, "x11") == 0)
			return &backend_x11;
		if (strcmp(requested, "sway") == 0)
			return &backend_sway;
		if (strcmp(requested, "wlroots") == 0)
			return &backend_wlroots;
		if (strcmp(requested, "kde") == 0)
			return &backend_kde;
		log_error("unknown backend '%s' (x11, sway, wlroots, kde or auto)",
			  requested);
		return NULL;
	}

	if (wayland && env_set("SWAYSOCK")) {
		log_info("desktop: sway (WAYLAND_DISPLAY and SWAYSOCK set)");
		return &backend_sway;
	}
	if (wayland && desktop_is("KDE")) {
		log_info("desktop: KDE Plasma on Wayland, using a KWin script");
		return &backend_kde;
	}
	if (wayland && big) {
		log_error("desktop: %s on Wayland is not supported yet: it "
			  "offers neither sway IPC nor wlr-foreign-toplevel, "
			  "so no focus can be reported", big);
		return NULL;
	}
	if (wayland) {
		log_info("desktop: Wayland, trying wlr-foreign-toplevel");
		return &backend_wlroots;
	}
	if (x11) {
		if (big)
			log_info("desktop: %s on X11; its own backend is not "
				 "supported yet, using generic X11 EWMH", big);
		else
			log_info("desktop: X11");
		return &backend_x11;
	}
	log_error("no display reachable: neither WAYLAND_DISPLAY nor DISPLAY "
		  "is set (run inside a graphical session, or import them "
		  "with 'systemctl --user import-environment')");
	return NULL;
}
