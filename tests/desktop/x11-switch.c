/*
 * x11-switch — switch the focus on an EWMH desktop and time it, for the
 * desktop tests' latency figures.
 *
 * Spawning xdotool for every switch puts a process start (milliseconds,
 * and far more on a loaded machine) in front of every measurement. This
 * helper stays connected instead: for every window id read from stdin it
 *   1. takes CLOCK_MONOTONIC (t_request),
 *   2. asks the window manager to activate the window (the same
 *      _NET_ACTIVE_WINDOW client message `xdotool windowactivate` sends),
 *   3. waits for the root window's _NET_ACTIVE_WINDOW to become that
 *      window and takes CLOCK_MONOTONIC when the PropertyNotify arrives
 *      (t_active: the moment the focus change is visible to X clients),
 * and prints "t_request t_active" (ns), or "timeout" after 2 s.
 *
 * Copyright © 2026 the tasktrace authors
 * SPDX-License-Identifier: MIT
 */

#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <xcb/xcb.h>
#include <xcb/xcb_ewmh.h>

#include "tasktrace/clock.h"

static xcb_window_t
active_window(xcb_ewmh_connection_t *ewmh)
{
	xcb_window_t win = XCB_WINDOW_NONE;

	if (!xcb_ewmh_get_active_window_reply(ewmh,
			xcb_ewmh_get_active_window(ewmh, 0), &win, NULL))
		return XCB_WINDOW_NONE;
	return win;
}

/* Wait until _NET_ACTIVE_WINDOW == target; 0 on timeout. */
static unsigned long long
wait_active(xcb_connection_t *c, xcb_ewmh_connection_t *ewmh,
	    xcb_window_t root, xcb_window_t target)
{
	unsigned long long deadline = tt_mono_ns() + 2000000000ULL;
	struct pollfd pfd = { .fd = xcb_get_file_descriptor(c), .events = POLLIN };

	while (tt_mono_ns() < deadline) {
		xcb_generic_event_t *ev;

		while ((ev = xcb_poll_for_event(c))) {
			xcb_property_notify_event_t *pn = (void *)ev;
			unsigned long long t = tt_mono_ns();
			int hit = (ev->response_type & 0x7f) == XCB_PROPERTY_NOTIFY &&
				  pn->window == root &&
				  pn->atom == ewmh->_NET_ACTIVE_WINDOW;

			free(ev);
			if (hit && active_window(ewmh) == target)
				return t;
		}
		if (xcb_connection_has_error(c))
			return 0;
		poll(&pfd, 1, 50);
	}
	return 0;
}

int
main(void)
{
	xcb_ewmh_connection_t ewmh;
	xcb_connection_t *c;
	xcb_window_t root;
	uint32_t mask = XCB_EVENT_MASK_PROPERTY_CHANGE;
	char line[64];

	c = xcb_connect(NULL, NULL);
	if (xcb_connection_has_error(c)) {
		fprintf(stderr, "x11-switch: cannot connect to the X display\n");
		return 1;
	}
	if (!xcb_ewmh_init_atoms_replies(&ewmh, xcb_ewmh_init_atoms(c, &ewmh), NULL))
		return 1;
	root = ewmh.screens[0]->root;
	xcb_change_window_attributes(c, root, XCB_CW_EVENT_MASK, &mask);
	xcb_flush(c);
	setvbuf(stdout, NULL, _IOLBF, 0);

	while (fgets(line, sizeof(line), stdin)) {
		xcb_window_t target = (xcb_window_t)strtoul(line, NULL, 0);
		unsigned long long t_req, t_active;
		xcb_generic_event_t *ev;

		/* Drop stale events from earlier switches. */
		while ((ev = xcb_poll_for_event(c)))
			free(ev);

		t_req = tt_mono_ns();
		/* source 2 = pager: the WM obeys without focus-stealing checks */
		xcb_ewmh_request_change_active_window(&ewmh, 0, target,
				XCB_EWMH_CLIENT_SOURCE_TYPE_OTHER, XCB_CURRENT_TIME,
				XCB_WINDOW_NONE);
		xcb_flush(c);
		t_active = wait_active(c, &ewmh, root, target);
		if (t_active)
			printf("%llu %llu\n", t_req, t_active);
		else
			printf("timeout\n");
	}
	xcb_ewmh_connection_wipe(&ewmh);
	xcb_disconnect(c);
	return 0;
}
