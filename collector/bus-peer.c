/*
 * tasktrace-collector — is the owner of a bus name the session's
 * compositor?
 *
 * The session bus lets any client own any free name: while GNOME Shell or
 * KWin is away (a crash, a restart), a process of the same user can take
 * org.gnome.Shell or org.kde.KWin, and the name alone would make it
 * believed. So the owner is checked as a process, through the bus daemon
 * (org.freedesktop.DBus.GetConnectionCredentials: the uid and pid the
 * daemon read from the socket, which the client cannot choose):
 *
 *  1. its uid is ours;
 *  2. in a Wayland session, it is the process that serves the session's
 *     display: a connection to $XDG_RUNTIME_DIR/$WAYLAND_DISPLAY reports
 *     (SO_PEERCRED) the pid that called listen() on it, which the kernel
 *     records and nobody can change. While the compositor runs nobody
 *     else can listen there; when it is gone, whoever listens there is
 *     the compositor every new window connects to. KWin may be started
 *     by kwin_wayland_wrapper, which listens and hands the socket to its
 *     child: then the owner's parent must be the listener;
 *  3. where its executable can be read (/proc/PID/exe: not for KWin,
 *     which makes itself non-dumpable), it is a regular file owned by
 *     root and writable by nobody else, with the compositor's name
 *     (gnome-shell, kwin_wayland…): renaming a program of one's own, or a
 *     copy of another, does not meet it. Without a Wayland display (X11
 *     sessions) this is the only rule besides the uid, so it must hold.
 *
 * What it cannot stop: a process of the same user may ptrace the real
 * compositor (when the kernel allows) or run the real binary with its own
 * extensions. See docs/design.md, "Threat model: the session bus".
 *
 * Copyright © 2026 the tasktrace authors
 * SPDX-License-Identifier: MIT
 */

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <systemd/sd-bus.h>
#include <unistd.h>

#include "collector.h"

static void
say(char *why, size_t n, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, n, fmt, ap);
	va_end(ap);
}

/* The uid and pid of a connection, as the bus daemon knows them. */
static int
credentials(sd_bus *bus, const char *name, uint32_t *uid, uint32_t *pid,
	    char *why, size_t n)
{
	sd_bus_error err = SD_BUS_ERROR_NULL;
	sd_bus_message *reply = NULL;
	bool have_uid = false, have_pid = false;
	int r;

	r = sd_bus_call_method(bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
			       "org.freedesktop.DBus", "GetConnectionCredentials",
			       &err, &reply, "s", name);
	if (r < 0) {
		say(why, n, "the bus does not say who it is (%s)",
		    err.message ? err.message : strerror(-r));
		goto out;
	}
	r = sd_bus_message_enter_container(reply, 'a', "{sv}");
	while (r > 0 && (r = sd_bus_message_enter_container(reply, 'e', "sv")) > 0) {
		const char *key;

		r = sd_bus_message_read_basic(reply, 's', &key);
		if (r >= 0 && strcmp(key, "UnixUserID") == 0) {
			r = sd_bus_message_read(reply, "v", "u", uid);
			have_uid = r >= 0;
		} else if (r >= 0 && strcmp(key, "ProcessID") == 0) {
			r = sd_bus_message_read(reply, "v", "u", pid);
			have_pid = r >= 0;
		} else if (r >= 0) {
			r = sd_bus_message_skip(reply, "v");
		}
		if (r >= 0)
			r = sd_bus_message_exit_container(reply);
	}
	if (r < 0) {
		say(why, n, "the bus's credentials are malformed (%s)", strerror(-r));
	} else if (!have_uid || !have_pid) {
		say(why, n, "the bus does not know its %s", have_uid ? "pid" : "uid");
		r = -ENODATA;
	}
out:
	sd_bus_message_unref(reply);
	sd_bus_error_free(&err);
	return r < 0 ? r : 0;
}

/* The pid that listens on the session's Wayland display: >0, 0 when this
 * is not a Wayland session, -errno when nobody serves it. */
static int
display_listener(char *why, size_t n)
{
	const char *display = getenv("WAYLAND_DISPLAY");
	const char *dir = getenv("XDG_RUNTIME_DIR");
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct ucred cred;
	socklen_t len = sizeof(cred);
	int fd, r, w;

	if (!display || !*display)
		return 0;
	if (*display == '/')
		w = snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", display);
	else if (dir && *dir)
		w = snprintf(sa.sun_path, sizeof(sa.sun_path), "%s/%s", dir, display);
	else
		w = -1;
	if (w < 0 || (size_t)w >= sizeof(sa.sun_path)) {
		say(why, n, "the Wayland display %s has no usable path", display);
		return -EINVAL;
	}
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0) {
		r = -errno;
		say(why, n, "socket: %s", strerror(errno));
		return r;
	}
	r = connect(fd, (struct sockaddr *)&sa, sizeof(sa));
	if (r == 0)
		r = getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len);
	if (r < 0) {
		r = -errno;
		say(why, n, "nobody serves the Wayland display %s (%s)", sa.sun_path,
		    strerror(errno));
	} else if (cred.pid <= 0) {
		r = -ESRCH;
		say(why, n, "the Wayland display %s names no process", sa.sun_path);
	} else {
		r = cred.pid;
	}
	close(fd);
	return r;
}

static pid_t
parent_of(uint32_t pid)
{
	char path[64], buf[512], *p;
	FILE *f;
	int ppid = 0;
	size_t got;

	snprintf(path, sizeof(path), "/proc/%u/stat", pid);
	f = fopen(path, "re");
	if (!f)
		return 0;
	got = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[got] = '\0';
	/* "pid (comm) state ppid …": comm may hold anything, ")" too. */
	p = strrchr(buf, ')');
	if (!p || sscanf(p + 1, " %*c %d", &ppid) != 1)
		return 0;
	return ppid;
}

static bool
name_in(const char *name, const char *const *names)
{
	for (; names && *names; names++)
		if (strcmp(name, *names) == 0)
			return true;
	return false;
}

/* 1: /proc/PID/exe is a root-owned executable named one of names; 0: it
 * is not (why says); -EACCES: not readable (a non-dumpable process). */
static int
exe_is(uint32_t pid, const char *const *names, char *why, size_t n)
{
	char path[64], exe[PATH_MAX];
	const char *base;
	struct stat st;
	ssize_t len;
	size_t l;

	snprintf(path, sizeof(path), "/proc/%u/exe", pid);
	len = readlink(path, exe, sizeof(exe) - 1);
	if (len < 0 || stat(path, &st) < 0) {
		if (errno == EACCES || errno == EPERM)
			return -EACCES;
		say(why, n, "its executable cannot be read (%s)", strerror(errno));
		return 0;
	}
	exe[len] = '\0';
	/* Replaced by an upgrade while it runs: still the file it ran. */
	l = strlen(exe);
	if (l > 10 && strcmp(exe + l - 10, " (deleted)") == 0)
		exe[l - 10] = '\0';
	base = strrchr(exe, '/');
	base = base ? base + 1 : exe;
	if (!name_in(base, names)) {
		say(why, n, "its executable is %s", exe);
		return 0;
	}
	if (!S_ISREG(st.st_mode) || st.st_uid != 0 ||
	    (st.st_mode & (S_IWGRP | S_IWOTH))) {
		say(why, n, "its executable %s is not a system file (owner uid %u, mode %04o)",
		    exe, (unsigned)st.st_uid, (unsigned)(st.st_mode & 07777));
		return 0;
	}
	return 1;
}

int
bus_peer_is_compositor(struct sd_bus *bus, const char *name,
		       const struct compositor_rule *rule, char *why, size_t n)
{
	uint32_t uid = 0, pid = 0;
	int listener, exe, r;

	why[0] = '\0';
	r = credentials(bus, name, &uid, &pid, why, n);
	if (r < 0)
		return r;
	if (uid != (uint32_t)geteuid()) {
		say(why, n, "pid %u runs as uid %u, not as this session's uid %u",
		    pid, uid, (unsigned)geteuid());
		return 0;
	}
	exe = exe_is(pid, rule->exe_names, why, n);
	if (exe == 0) {
		char detail[PATH_MAX + 64];

		snprintf(detail, sizeof(detail), "%s", why);
		say(why, n, "pid %u is not %s: %s", pid, rule->what, detail);
		return 0;
	}

	listener = display_listener(why, n);
	if (listener < 0) {
		char detail[PATH_MAX + 64];

		snprintf(detail, sizeof(detail), "%s", why);
		say(why, n, "pid %u cannot be the compositor: %s", pid, detail);
		return 0;
	}
	if (listener == 0) {
		/* X11: no display socket to prove it; the executable must. */
		if (exe < 0) {
			say(why, n, "pid %u: its executable cannot be read and there is "
			    "no Wayland display to check", pid);
			return 0;
		}
		say(why, n, "pid %u, uid %u, a system %s executable (no Wayland "
		    "display)", pid, uid, rule->what);
		return 1;
	}
	if ((uint32_t)listener == pid) {
		say(why, n, "pid %u, uid %u, serves the Wayland display%s", pid, uid,
		    exe > 0 ? ", a system executable of that name" :
			      " (its executable cannot be read)");
		return 1;
	}
	if (rule->parent_names && parent_of(pid) == listener) {
		int pexe = exe_is((uint32_t)listener, rule->parent_names, why, n);

		if (pexe != 0) {
			say(why, n, "pid %u, uid %u, started by pid %d, which serves "
			    "the Wayland display", pid, uid, listener);
			return 1;
		}
		char detail[PATH_MAX + 64];

		snprintf(detail, sizeof(detail), "%s", why);
		say(why, n, "pid %u was started by pid %d, which serves the Wayland "
		    "display but %s", pid, listener, detail);
		return 0;
	}
	say(why, n, "pid %u does not serve the Wayland display %s (pid %d does)",
	    pid, getenv("WAYLAND_DISPLAY"), listener);
	return 0;
}
