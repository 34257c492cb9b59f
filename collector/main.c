/*
 * tasktrace-collector — per-session focus reporter: options, signals and
 * the one event loop.
 *
 * One epoll set, no threads: the desktop connection (X11, sway IPC or
 * Wayland), the tracer socket, a signalfd for SIGTERM/SIGINT, and, when
 * elements are captured, the accessibility bus (GLib's fds behind one
 * epoll fd, see atspi.c). Timers (reconnect backoff, a backend's debounce,
 * GLib's timeouts) are deadlines folded into the epoll_wait timeout.
 *
 * Copyright © 2026 the tasktrace authors
 * SPDX-License-Identifier: MIT
 */

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "collector.h"

enum source {
	SOURCE_SIGNAL = 1,
	SOURCE_BACKEND,
	SOURCE_TRACER,
	SOURCE_ELEMENTS,
};

static void
usage(FILE *out)
{
	fprintf(out,
		"Usage: tasktrace-collector [OPTION]...\n"
		"Report the focused window of this graphical session to tasktraced.\n"
		"\n"
		"  -s, --socket PATH     tracer socket (default: $%s, else %s)\n"
		"  -b, --backend NAME    x11, sway, wlroots, gnome, kde or auto (default: auto)\n"
		"  -e, --elements MODE   off, roles or names: UI elements from the\n"
		"                        accessibility bus (default: [elements] capture)\n"
		"  -v, --verbose         log every focus, title and element change\n"
		"  -N, --no-notice       do not show the first-session notice\n"
		"  -h, --help            show this help and exit\n"
		"  -V, --version         show the version and exit\n"
		"\n"
		"Exit status: 0 stopped by a signal, 1 display connection lost,\n"
		"2 usage error, 3 no usable backend (no display reachable, desktop\n"
		"not supported, or the chosen backend could not start).\n",
		TT_FOCUS_SOCKET_ENV, TT_FOCUS_SOCKET_DEFAULT);
}

static int
epoll_watch(int epfd, int fd, enum source src, uint32_t events)
{
	struct epoll_event ev = { .events = events, .data.u32 = src };

	if (epoll_ctl(epfd, EPOLL_CTL_MOD, fd, &ev) == 0)
		return 0;
	if (errno == ENOENT && epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev) == 0)
		return 0;
	return -errno;
}

static int
signal_fd(void)
{
	sigset_t mask;

	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	if (sigprocmask(SIG_BLOCK, &mask, NULL) < 0)
		return -errno;
	signal(SIGPIPE, SIG_IGN);
	return signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
}

/* Milliseconds until the earliest deadline, or -1 for none. */
static int
loop_timeout(const struct connection *conn, const struct backend *b,
	     uint64_t now)
{
	uint64_t next = UINT64_MAX;

	if (conn->fd < 0)
		next = conn->retry_at_ms;
	if (b->deadline_ms && b->deadline_ms < next)
		next = b->deadline_ms;
	if (next == UINT64_MAX)
		return -1;
	return next <= now ? 0 : (int)(next - now);
}

static int
run(struct backend *b, struct connection *conn, struct report *r,
    struct elements **elp)
{
	struct elements *el = *elp;
	struct epoll_event events[8];
	int epfd, sigfd = -1, rc, timeout;
	bool stop = false;

	epfd = epoll_create1(EPOLL_CLOEXEC);
	if (epfd < 0)
		return -errno;
	sigfd = signal_fd();
	if (sigfd < 0) {
		rc = sigfd;
		goto out;
	}
	rc = epoll_watch(epfd, sigfd, SOURCE_SIGNAL, EPOLLIN);
	if (rc == 0)
		rc = epoll_watch(epfd, b->fd, SOURCE_BACKEND, EPOLLIN);
	if (rc == 0 && el)
		rc = epoll_watch(epfd, elements_fd(el), SOURCE_ELEMENTS, EPOLLIN);
	if (rc < 0)
		goto out;

	while (!stop) {
		uint64_t now = now_ms();
		int n;

		if (conn->fd < 0 && now >= conn->retry_at_ms &&
		    conn_connect(conn, now) == 0)
			report_resync(r, true);
		if (conn->fd >= 0)
			epoll_watch(epfd, conn->fd, SOURCE_TRACER,
				    EPOLLIN | (conn->stalled ? EPOLLOUT : 0));

		if (b->iface->prepare) {
			rc = b->iface->prepare(b);
			if (rc < 0)
				goto out;
		}

		timeout = loop_timeout(conn, b, now_ms());
		if (el) {
			int t, erc = elements_prepare(el, &t);

			if (erc < 0) {
				log_error("accessibility: %s; elements are no longer "
					  "reported", strerror(-erc));
				epoll_ctl(epfd, EPOLL_CTL_DEL, elements_fd(el), NULL);
				elements_close(el);
				el = *elp = NULL;
			} else if (t >= 0 && (timeout < 0 || t < timeout)) {
				timeout = t;
			}
		}

		n = epoll_wait(epfd, events, 8, timeout);
		if (n < 0 && errno != EINTR) {
			rc = -errno;
			goto out;
		}
		/* GLib checks its own fds: every pass, whatever woke us */
		if (el)
			elements_dispatch(el);

		for (int i = 0; i < n; i++) {
			uint32_t ev = events[i].events;

			switch (events[i].data.u32) {
			case SOURCE_SIGNAL: {
				struct signalfd_siginfo si;

				if (read(sigfd, &si, sizeof(si)) == sizeof(si))
					log_info("signal %u received, stopping",
						 si.ssi_signo);
				stop = true;
				break;
			}
			case SOURCE_ELEMENTS:
				break;	/* dispatched above */
			case SOURCE_BACKEND:
				rc = b->iface->dispatch(b);
				if (rc < 0)
					goto out;
				break;
			case SOURCE_TRACER:
				if (conn->fd < 0)
					break; /* closed by a send this pass */
				if ((ev & (EPOLLIN | EPOLLHUP | EPOLLERR)) &&
				    !conn_handle_input(conn, now_ms()))
					break;
				if (conn->welcomed) {
					conn->welcomed = false;
					report_welcomed(r);
				}
				if ((ev & EPOLLOUT) && conn->stalled) {
					conn->stalled = false;
					report_resync(r, false);
				}
				break;
			}
		}

		if (b->deadline_ms && now_ms() >= b->deadline_ms) {
			b->deadline_ms = 0;
			rc = b->iface->timeout(b);
			if (rc < 0)
				goto out;
		}
	}

	report_bye(r);
	rc = 0;
out:
	if (sigfd >= 0)
		close(sigfd);
	close(epfd);
	return rc;
}

int
main(int argc, char **argv)
{
	static const struct option options[] = {
		{ "socket", required_argument, NULL, 's' },
		{ "backend", required_argument, NULL, 'b' },
		{ "elements", required_argument, NULL, 'e' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "no-notice", no_argument, NULL, 'N' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	const struct backend_interface *candidates[DETECT_MAX], *iface;
	const char *socket_opt = NULL, *backend_opt = "auto";
	struct connection conn;
	struct report report;
	struct backend b;
	const char *elements_opt = NULL;
	enum elements_capture capture;
	struct elements *el;
	bool notice = true;
	int opt, rc, n;

	tt_log_init("tasktrace-collector", false);

	while ((opt = getopt_long(argc, argv, "s:b:e:vNhV", options, NULL)) != -1) {
		switch (opt) {
		case 's':
			socket_opt = optarg;
			break;
		case 'b':
			backend_opt = optarg;
			break;
		case 'e':
			elements_opt = optarg;
			break;
		case 'v':
			tt_log_set_verbose(true);
			break;
		case 'N':
			notice = false;
			break;
		case 'h':
			usage(stdout);
			return COLLECTOR_EXIT_OK;
		case 'V':
			printf("tasktrace-collector %s (focus protocol %d)\n",
			       TT_VERSION, TT_FOCUS_PROTO_VERSION);
			return COLLECTOR_EXIT_OK;
		default:
			usage(stderr);
			return COLLECTOR_EXIT_USAGE;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "tasktrace-collector: unexpected argument '%s'\n",
			argv[optind]);
		usage(stderr);
		return COLLECTOR_EXIT_USAGE;
	}

	if (elements_capture_mode(elements_opt, &capture) < 0) {
		fprintf(stderr, "tasktrace-collector: --elements: '%s' is not "
			"off, roles or names\n", elements_opt);
		usage(stderr);
		return COLLECTOR_EXIT_USAGE;
	}

	/* the person learns what is recorded before anything is */
	if (notice)
		notice_show_if_new();

	n = detect_backends(backend_opt, candidates);
	if (n < 0)
		return COLLECTOR_EXIT_USAGE;
	if (n == 0)
		return COLLECTOR_EXIT_NO_DESKTOP;

	if (strlen(tt_focus_socket_path(socket_opt)) >= TT_FOCUS_SOCKET_PATH_MAX) {
		fprintf(stderr, "tasktrace-collector: socket path longer than %d bytes\n",
			TT_FOCUS_SOCKET_PATH_MAX - 1);
		return COLLECTOR_EXIT_USAGE;
	}
	conn_init(&conn, tt_focus_socket_path(socket_opt));

	/* Opening is the live check: the first candidate that opens wins. */
	for (int i = 0; i < n; i++) {
		report_init(&report, candidates[i]->name, &conn);
		memset(&b, 0, sizeof(b));
		b.iface = candidates[i];
		b.report = &report;
		b.fd = -1;
		b.probe = i + 1 < n;
		rc = b.iface->open(&b);
		if (rc == 0)
			break;
		if (i + 1 == n) {
			detect_none_usable(backend_opt, candidates, n);
			return COLLECTOR_EXIT_NO_DESKTOP;
		}
		log_info("backend %s is not usable here; trying %s",
			 candidates[i]->name, candidates[i + 1]->name);
	}
	iface = b.iface;
	log_info("backend %s ready, reporting to %s", iface->name, conn.path);

	/* X11 clicks carry screen coordinates; Wayland's do not */
	el = elements_open(&report, capture,
			   getenv("DISPLAY") && !getenv("WAYLAND_DISPLAY"));

	rc = run(&b, &conn, &report, &el);
	elements_close(el);
	iface->close(&b);
	conn_close(&conn, now_ms(), false);
	if (rc < 0) {
		log_error("stopping: %s", strerror(-rc));
		return COLLECTOR_EXIT_FAILURE;
	}
	log_info("stopped after %lu messages", report.sent);
	return COLLECTOR_EXIT_OK;
}
