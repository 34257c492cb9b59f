/*
 * kwin-bus — the KDE desktop test's hands on the session bus.
 *
 * One connection for the whole test, so that a switch costs one D-Bus call
 * and no process start. Reads commands from stdin, answers one line each:
 *
 *   load PATH NAME  load a KWin script (unloading NAME first) and start it;
 *                   "ok ID" or "error NAME MESSAGE"
 *   invoke NAME     invoke the global shortcut NAME of component "kwin"
 *                   (org.kde.kglobalaccel /component/kwin invokeShortcut):
 *                   the test's own KWin script registered one per window,
 *                   and its handler activates that window. Prints
 *                   "ok T_REQUEST" (CLOCK_MONOTONIC ns just before the call)
 *   rogue EVENT ID CLASS DESKTOP CAPTION PID
 *                   call the collector's Window method as KWin's script
 *                   would, from this (not KWin's) connection; prints "ok"
 *                   if it was accepted or "error NAME MESSAGE"
 *   forge_owner     send the collector (org.tasktrace.Collector) a look-alike
 *                   NameOwnerChanged saying this connection now owns
 *                   org.kde.KWin; prints "ok UNIQUE_NAME"
 *   own NAME        own NAME on the bus (as anybody may while it is free);
 *                   "ok UNIQUE_NAME" or "error …"
 *   release NAME    give NAME up; "ok"
 *
 * Arguments are separated by a tab (captions contain spaces).
 *
 * Copyright © 2026 the tasktrace authors
 * SPDX-License-Identifier: MIT
 */

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <systemd/sd-bus.h>
#include <time.h>

#define TIMEOUT_US (5 * 1000 * 1000ULL)

static unsigned long long
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (unsigned long long)ts.tv_sec * 1000000000ULL +
	       (unsigned long long)ts.tv_nsec;
}

static void
print_error(const sd_bus_error *err, int rc)
{
	printf("error %s %s\n", err->name ? err->name : "errno",
	       err->message ? err->message : strerror(-rc));
}

static void
load(sd_bus *bus, const char *path, const char *name)
{
	sd_bus_error err = SD_BUS_ERROR_NULL;
	sd_bus_message *reply = NULL;
	int id = -1, rc;

	sd_bus_call_method(bus, "org.kde.KWin", "/Scripting",
			   "org.kde.kwin.Scripting", "unloadScript", NULL,
			   NULL, "s", name);
	rc = sd_bus_call_method(bus, "org.kde.KWin", "/Scripting",
				"org.kde.kwin.Scripting", "loadScript", &err,
				&reply, "ss", path, name);
	if (rc >= 0)
		rc = sd_bus_message_read(reply, "i", &id);
	/* Run it with "start" (every loaded script not running yet): KWin
	 * numbers scripts by count, so /<id> may belong to another one. */
	if (rc >= 0)
		rc = sd_bus_call_method(bus, "org.kde.KWin", "/Scripting",
					"org.kde.kwin.Scripting", "start", &err,
					NULL, "");
	if (rc < 0)
		print_error(&err, rc);
	else
		printf("ok %d\n", id);
	sd_bus_message_unref(reply);
	sd_bus_error_free(&err);
}

static void
invoke(sd_bus *bus, const char *name)
{
	sd_bus_error err = SD_BUS_ERROR_NULL;
	unsigned long long t = now_ns();
	int rc;

	rc = sd_bus_call_method(bus, "org.kde.kglobalaccel", "/component/kwin",
				"org.kde.kglobalaccel.Component",
				"invokeShortcut", &err, NULL, "s", name);
	if (rc < 0)
		print_error(&err, rc);
	else
		printf("ok %llu\n", t);
	sd_bus_error_free(&err);
}

static void
rogue(sd_bus *bus, char **a)
{
	sd_bus_error err = SD_BUS_ERROR_NULL;
	int rc;

	rc = sd_bus_call_method(bus, "org.tasktrace.Collector",
				"/org/tasktrace/Collector",
				"org.tasktrace.KWinFocus", "Window", &err, NULL,
				"ssssss", a[0], a[1], a[2], a[3], a[4], a[5]);
	if (rc < 0)
		print_error(&err, rc);
	else
		printf("ok\n");
	sd_bus_error_free(&err);
}

static void
forge_owner(sd_bus *bus)
{
	sd_bus_message *m = NULL;
	const char *me = NULL;
	int rc;

	rc = sd_bus_get_unique_name(bus, &me);
	if (rc >= 0)
		rc = sd_bus_message_new_signal(bus, &m, "/org/freedesktop/DBus",
					       "org.freedesktop.DBus",
					       "NameOwnerChanged");
	if (rc >= 0)
		rc = sd_bus_message_set_destination(m, "org.tasktrace.Collector");
	if (rc >= 0)
		rc = sd_bus_message_append(m, "sss", "org.kde.KWin", "", me);
	if (rc >= 0)
		rc = sd_bus_send(bus, m, NULL);
	if (rc >= 0)
		rc = sd_bus_flush(bus);
	if (rc < 0)
		printf("error errno %s\n", strerror(-rc));
	else
		printf("ok %s\n", me);
	sd_bus_message_unref(m);
}

static void
own(sd_bus *bus, const char *name, bool take)
{
	const char *me = NULL;
	int rc;

	rc = take ? sd_bus_request_name(bus, name, 0) : sd_bus_release_name(bus, name);
	if (rc >= 0)
		rc = sd_bus_get_unique_name(bus, &me);
	if (rc < 0)
		printf("error errno %s\n", strerror(-rc));
	else
		printf("ok %s\n", take ? me : "");
}

int
main(void)
{
	char line[8192];
	sd_bus *bus = NULL;
	int rc;

	setvbuf(stdout, NULL, _IOLBF, 0);
	rc = sd_bus_open_user(&bus);
	if (rc < 0) {
		fprintf(stderr, "kwin-bus: session bus: %s\n", strerror(-rc));
		return 1;
	}
	while (fgets(line, sizeof(line), stdin)) {
		char *arg[8] = { 0 };
		char *rest = line, *tok;
		int n = 0;

		line[strcspn(line, "\n")] = '\0';
		/* strsep keeps empty fields: "rogue" sends empty strings. */
		while ((tok = strsep(&rest, "\t")) && n < 8)
			arg[n++] = tok;
		if (n == 3 && strcmp(arg[0], "load") == 0)
			load(bus, arg[1], arg[2]);
		else if (n == 2 && strcmp(arg[0], "invoke") == 0)
			invoke(bus, arg[1]);
		else if (n == 7 && strcmp(arg[0], "rogue") == 0)
			rogue(bus, arg + 1);
		else if (n == 1 && strcmp(arg[0], "forge_owner") == 0)
			forge_owner(bus);
		else if (n == 2 && strcmp(arg[0], "own") == 0)
			own(bus, arg[1], true);
		else if (n == 2 && strcmp(arg[0], "release") == 0)
			own(bus, arg[1], false);
		else
			printf("error usage bad command\n");
	}
	sd_bus_flush_close_unref(bus);
	return 0;
}
