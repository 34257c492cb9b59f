/*
 * tasktrace — KWin script: tells tasktrace-collector which window is active.
 *
 * tasktrace-collector loads this file into KWin over D-Bus
 * (org.kde.KWin /Scripting loadScript, then run) under the name
 * "tasktrace-focus". It calls back, on the session bus, the method
 *
 *   org.tasktrace.Collector /org/tasktrace/Collector
 *   org.tasktrace.KWinFocus.Window(event, id, resource_class,
 *                                  desktop_file, caption, pid)
 *
 * with strings only (a JS number could reach D-Bus as int or double):
 *   event  "active" (the active window changed, or the script started;
 *          id "" = no window is active) or "caption" (the active
 *          window's caption changed)
 *   id     KWin's internalId of the window (a UUID)
 *   pid    the client's process id, "" when KWin does not know it
 * The collector accepts the call only from the current owner of
 * org.kde.KWin: KWin's own connection, which is the one callDBus uses.
 *
 * Plasma 6 renamed clients to windows: workspace.windowActivated,
 * activeWindow, windowAdded and windowList() instead of clientActivated,
 * activeClient, clientAdded and clientList(). The script picks whichever
 * this KWin has.
 *
 * Copyright © 2026 the tasktrace authors
 * SPDX-License-Identifier: MIT
 */

"use strict";

var SERVICE = "org.tasktrace.Collector";
var PATH = "/org/tasktrace/Collector";
var IFACE = "org.tasktrace.KWinFocus";

var plasma6 = workspace.windowActivated !== undefined;
var activated = plasma6 ? workspace.windowActivated : workspace.clientActivated;
var added = plasma6 ? workspace.windowAdded : workspace.clientAdded;

function activeWindow() {
	return plasma6 ? workspace.activeWindow : workspace.activeClient;
}

function windows() {
	return plasma6 ? workspace.windowList() : workspace.clientList();
}

function text(v) {
	return v === undefined || v === null ? "" : String(v);
}

function send(event, w) {
	if (!w) {
		callDBus(SERVICE, PATH, IFACE, "Window", event, "", "", "", "", "");
		return;
	}
	callDBus(SERVICE, PATH, IFACE, "Window", event, text(w.internalId),
		 text(w.resourceClass), text(w.desktopFileName), text(w.caption),
		 w.pid > 0 ? text(w.pid) : "");
}

/* Every window's caption is watched, and reported only while it is the
 * active one: connecting to the active window alone would mean
 * disconnecting from a window that may already be gone. */
function watch(w) {
	if (!w || !w.captionChanged)
		return;
	w.captionChanged.connect(function () {
		var a = activeWindow();

		if (a && text(a.internalId) === text(w.internalId))
			send("caption", w);
	});
}

activated.connect(function (w) {
	send("active", w);
});
added.connect(watch);
var list = windows();
for (var i = 0; i < list.length; i++)
	watch(list[i]);
send("active", activeWindow());
