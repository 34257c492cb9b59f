/*
 * focus-sink — the receiving end of the focus protocol, for desktop tests.
 *
 * Stands in for tasktraced until it exists: listens on a SOCK_SEQPACKET
 * socket, parses every packet with the real parser (lib/focus-proto.c) and
 * prints one JSON object per line on stdout:
 *
 *   {"t":RECV_NS,"conn":N,"event":"connect","pid":P,"uid":U}
 *   {"t":RECV_NS,"conn":N,"type":"FOCUS","proto":1,"time":NS,"backend":"x11",
 *    "window":ID,"app_id":"…","title":"…","pid":P}
 *   {"t":RECV_NS,"conn":N,"type":"ELEMENT","proto":1,"time":NS,"window":ID,
 *    "app_id":"…","pid":P,"role":"…","name":"…","flags":F,"url":"…"}
 *   {"t":RECV_NS,"conn":N,"error":"…","len":L}
 *   {"t":RECV_NS,"conn":N,"event":"close"}
 *
 * RECV_NS is CLOCK_MONOTONIC at reception, comparable with the message's
 * own "time" (the collector's observation) and with the test driver's
 * clock. Usage: focus-sink SOCKET_PATH [MODE]  (MODE in octal, e.g. 666,
 * for a collector running as another user).
 *
 * Like the tracer, it sends one WELCOME accepting ELEMENT after accepting
 * a connection; FOCUS_SINK_OLD=1 plays a tracer from before ELEMENT
 * instead: no WELCOME, and an ELEMENT drops the connection, as an old
 * parser does with an unknown type.
 *
 * Copyright © 2026 the tasktrace authors
 * SPDX-License-Identifier: MIT
 */

#include <errno.h>
#include <stdbool.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "tasktrace/clock.h"
#include "tasktrace/focus-proto.h"

static volatile sig_atomic_t stop;
static bool old_tracer;

static void
welcome(int fd)
{
	struct tt_focus_msg m;
	uint8_t buf[TT_FOCUS_MSG_MAX];
	int len;

	tt_focus_msg_init(&m, TT_FOCUS_WELCOME);
	tt_focus_msg_set_int(&m, TT_FOCUS_TAG_TYPES, 1u << TT_FOCUS_ELEMENT);
	len = tt_focus_encode(&m, buf, sizeof(buf));
	if (len > 0)
		send(fd, buf, (size_t)len, MSG_NOSIGNAL | MSG_DONTWAIT);
}

static void
on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

/* Strings are valid UTF-8 (the parser repaired them); escape for JSON. */
static void
json_string(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c < 0x20)
			printf("\\u%04x", c);
		else
			putchar(c);
	}
	putchar('"');
}

static void
print_msg(uint64_t t, int conn, const struct tt_focus_msg *m)
{
	printf("{\"t\":%" PRIu64 ",\"conn\":%d,\"type\":\"%s\",\"proto\":%u", t,
	       conn, tt_focus_type_name(m->type), m->version);
	if (m->present & TT_FOCUS_HAS(TT_FOCUS_TAG_TIME))
		printf(",\"time\":%llu", (unsigned long long)m->time_ns);
	if (m->present & TT_FOCUS_HAS(TT_FOCUS_TAG_COLLECTOR_VERSION)) {
		printf(",\"version\":");
		json_string(m->collector_version);
	}
	if (m->present & TT_FOCUS_HAS(TT_FOCUS_TAG_BACKEND)) {
		printf(",\"backend\":");
		json_string(m->backend);
	}
	if (m->present & TT_FOCUS_HAS(TT_FOCUS_TAG_SESSION_ID)) {
		printf(",\"session\":");
		json_string(m->session_id);
	}
	if (m->present & TT_FOCUS_HAS(TT_FOCUS_TAG_WINDOW_ID))
		printf(",\"window\":%llu", (unsigned long long)m->window_id);
	if (m->present & TT_FOCUS_HAS(TT_FOCUS_TAG_APP_ID)) {
		printf(",\"app_id\":");
		json_string(m->app_id);
	}
	if (m->present & TT_FOCUS_HAS(TT_FOCUS_TAG_TITLE)) {
		printf(",\"title\":");
		json_string(m->title);
	}
	if (m->present & TT_FOCUS_HAS(TT_FOCUS_TAG_PID))
		printf(",\"pid\":%u", m->pid);
	if (m->present & TT_FOCUS_HAS(TT_FOCUS_TAG_ROLE)) {
		printf(",\"role\":");
		json_string(m->role);
	}
	if (m->present & TT_FOCUS_HAS(TT_FOCUS_TAG_NAME)) {
		printf(",\"name\":");
		json_string(m->name);
	}
	if (m->present & TT_FOCUS_HAS(TT_FOCUS_TAG_ELEMENT_FLAGS))
		printf(",\"flags\":%u", m->element_flags);
	if (m->present & TT_FOCUS_HAS(TT_FOCUS_TAG_URL)) {
		printf(",\"url\":");
		json_string(m->url);
	}
	printf("}\n");
}

/* Read every pending packet of one client; false once it is gone. */
static bool
read_client(int fd, int conn)
{
	uint8_t buf[TT_FOCUS_MSG_MAX + 1];

	for (;;) {
		struct tt_focus_msg m;
		ssize_t n;
		int rc;

		/* MSG_TRUNC: n is the real packet size even if larger. */
		n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT | MSG_TRUNC);
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return true;
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			printf("{\"t\":%" PRIu64 ",\"conn\":%d,\"event\":\"close\"}\n",
			       tt_mono_ns(), conn);
			return false;
		}
		rc = tt_focus_parse(buf, (size_t)n, &m);
		if (rc == 0 && old_tracer && m.type == TT_FOCUS_ELEMENT) {
			printf("{\"t\":%" PRIu64 ",\"conn\":%d,\"error\":\"%s\",\"len\":%zd}\n",
			       tt_mono_ns(), conn, "unknown message type (old tracer)", n);
			printf("{\"t\":%" PRIu64 ",\"conn\":%d,\"event\":\"close\"}\n",
			       tt_mono_ns(), conn);
			return false;
		}
		if (rc == 0)
			print_msg(tt_mono_ns(), conn, &m);
		else
			printf("{\"t\":%" PRIu64 ",\"conn\":%d,\"error\":\"%s\",\"len\":%zd}\n",
			       tt_mono_ns(), conn, tt_focus_strerror(rc), n);
	}
}

int
main(int argc, char **argv)
{
	struct epoll_event ev, events[16];
	struct sigaction sa = { .sa_handler = on_signal };
	int lfd, epfd, nconn = 0;

	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: focus-sink SOCKET_PATH [MODE]\n");
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	old_tracer = getenv("FOCUS_SINK_OLD") && strcmp(getenv("FOCUS_SINK_OLD"), "1") == 0;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	lfd = tt_focus_listen(argv[1]);
	if (lfd < 0) {
		fprintf(stderr, "focus-sink: %s: %s\n", argv[1],
			tt_focus_strerror(lfd));
		return 1;
	}
	if (argc == 3 && chmod(argv[1], (mode_t)strtoul(argv[2], NULL, 8)) < 0) {
		perror("focus-sink: chmod");
		return 1;
	}

	epfd = epoll_create1(EPOLL_CLOEXEC);
	ev.events = EPOLLIN;
	ev.data.u64 = (uint64_t)lfd << 32;
	epoll_ctl(epfd, EPOLL_CTL_ADD, lfd, &ev);
	printf("{\"t\":%" PRIu64 ",\"event\":\"listening\"}\n", tt_mono_ns());

	while (!stop) {
		int n = epoll_wait(epfd, events, 16, -1);

		for (int i = 0; i < n; i++) {
			int fd = (int)(events[i].data.u64 >> 32);
			int conn = (int)(events[i].data.u64 & 0xffffffff);

			if (fd == lfd) {
				struct ucred cred;
				socklen_t len = sizeof(cred);
				int cfd = accept4(lfd, NULL, NULL,
						  SOCK_NONBLOCK | SOCK_CLOEXEC);

				if (cfd < 0)
					continue;
				nconn++;
				memset(&cred, 0, sizeof(cred));
				getsockopt(cfd, SOL_SOCKET, SO_PEERCRED, &cred, &len);
				printf("{\"t\":%" PRIu64 ",\"conn\":%d,\"event\":\"connect\","
				       "\"pid\":%d,\"uid\":%u}\n",
				       tt_mono_ns(), nconn, cred.pid, cred.uid);
				if (!old_tracer)
					welcome(cfd);
				ev.events = EPOLLIN;
				ev.data.u64 = ((uint64_t)cfd << 32) | (uint32_t)nconn;
				epoll_ctl(epfd, EPOLL_CTL_ADD, cfd, &ev);
			} else if (!read_client(fd, conn)) {
				close(fd);
			}
		}
	}
	unlink(argv[1]);
	return 0;
}
