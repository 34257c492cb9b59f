/* SPDX-License-Identifier: MIT */
/*
 * tasktrace-focus-send: a collector stand-in for the soak (guest only).
 *
 *   tasktrace-focus-send SOCKET UID SECONDS APP...
 *
 * Drops to UID (the session's user: the tracer believes a collector of
 * the session's user only), connects to the tracer's collector socket,
 * says hello, then reports a focus change to the next APP (round robin,
 * window ids 1, 2, ..., title "APP window N") every SECONDS, or with
 * SECONDS 0 on each SIGUSR1, until killed. Each change sent is printed as
 * "sent N APP" (line-buffered), so the soak can count what was sent.
 * Reconnects when the tracer restarts.
 * Exit status: 2 usage, 1 setup error, 0 on SIGTERM.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "tasktrace/focus-proto.h"

static volatile sig_atomic_t stop, next;

static void
on_term(int sig)
{
	if (sig == SIGUSR1)
		next = 1;
	else
		stop = 1;
}

static int
send_msg(int fd, enum tt_focus_type type, uint64_t window, const char *app,
	 const char *title)
{
	struct tt_focus_msg m;
	uint8_t buf[TT_FOCUS_MSG_MAX];
	int n;

	tt_focus_msg_init(&m, type);
	tt_focus_msg_set_string(&m, TT_FOCUS_TAG_BACKEND, "x11", 3);
	if (type == TT_FOCUS_HELLO)
		tt_focus_msg_set_string(&m, TT_FOCUS_TAG_COLLECTOR_VERSION, "soak", 4);
	if (type == TT_FOCUS_FOCUS) {
		tt_focus_msg_set_string(&m, TT_FOCUS_TAG_APP_ID, app, strlen(app));
		tt_focus_msg_set_int(&m, TT_FOCUS_TAG_WINDOW_ID, window);
		tt_focus_msg_set_string(&m, TT_FOCUS_TAG_TITLE, title, strlen(title));
	}
	n = tt_focus_encode(&m, buf, sizeof(buf));
	return n > 0 && send(fd, buf, (size_t)n, MSG_NOSIGNAL) == n ? 0 : -1;
}

int
main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_term };
	unsigned long uid, seconds, n = 0;
	int fd = -1;

	if (argc < 5) {
		fprintf(stderr, "usage: tasktrace-focus-send SOCKET UID SECONDS APP...\n");
		return 2;
	}
	uid = strtoul(argv[2], NULL, 10);
	seconds = strtoul(argv[3], NULL, 10);
	if (setgid((gid_t)uid) < 0 || setuid((uid_t)uid) < 0) {
		fprintf(stderr, "tasktrace-focus-send: cannot become uid %lu: %s\n", uid,
			strerror(errno));
		return 1;
	}
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGUSR1, &sa, NULL);
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!seconds)
		while (!stop && !next)
			usleep(50000);	/* no lost wake-up, unlike pause() */
	while (!stop) {
		const char *app = argv[4 + n % (unsigned long)(argc - 4)];
		char title[128];

		if (fd < 0) {
			fd = tt_focus_connect(argv[1]);
			if (fd >= 0 && send_msg(fd, TT_FOCUS_HELLO, 0, NULL, NULL) < 0) {
				close(fd);
				fd = -1;
			}
		}
		snprintf(title, sizeof(title), "%s window %lu", app, n + 1);
		if (fd >= 0 && send_msg(fd, TT_FOCUS_FOCUS, n + 1, app, title) == 0) {
			printf("sent %lu %s\n", n + 1, app);
			n++;
		} else if (fd >= 0) {
			close(fd);
			fd = -1;
			continue;
		}
		next = 0;
		if (seconds)
			sleep((unsigned)seconds);
		else
			while (!stop && !next)
				usleep(50000);	/* no lost wake-up, unlike pause() */
	}
	if (fd >= 0)
		close(fd);
	return 0;
}
