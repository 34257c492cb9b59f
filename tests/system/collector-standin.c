/* SPDX-License-Identifier: MIT */
/*
 * tasktrace-collector-standin: a collector stand-in for the VM suite
 * (tests/system/guest/checks/32-tracer-element-password.sh). It speaks
 * the real focus protocol over the real socket, as a given uid, from
 * commands on stdin, one a line:
 *
 *   hello                          HELLO (backend "x11")
 *   focus WINDOW APP TITLE…        FOCUS
 *   element WINDOW FLAGS ROLE[|NAME]   ELEMENT (ROLE may hold spaces;
 *                                  NAME after a '|')
 *   welcome                        wait (≤ 5 s) for the tracer's WELCOME,
 *                                  print "welcome types=0x…"
 *   bye                            BYE
 *
 * At EOF it closes the socket. Usage:
 *   tasktrace-collector-standin --socket PATH [--uid UID]
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "tasktrace/focus-proto.h"

static int
send_msg(int fd, const struct tt_focus_msg *m)
{
	uint8_t buf[TT_FOCUS_MSG_MAX];
	int n = tt_focus_encode(m, buf, sizeof(buf));

	if (n < 0 || send(fd, buf, (size_t)n, 0) != n) {
		fprintf(stderr, "standin: send: %s\n", n < 0 ? "encode" : strerror(errno));
		return -1;
	}
	return 0;
}

#define SET(m, tag, s) tt_focus_msg_set_string(m, tag, s, strlen(s))

int
main(int argc, char **argv)
{
	const char *path = NULL;
	char line[2048];
	long uid = -1;
	int fd;

	for (int i = 1; i + 1 < argc; i += 2) {
		if (strcmp(argv[i], "--socket") == 0)
			path = argv[i + 1];
		else if (strcmp(argv[i], "--uid") == 0)
			uid = strtol(argv[i + 1], NULL, 10);
	}
	if (!path) {
		fprintf(stderr, "usage: %s --socket PATH [--uid UID]\n", argv[0]);
		return 2;
	}
	if (uid >= 0 && (setgid((gid_t)uid) < 0 || setuid((uid_t)uid) < 0)) {
		perror("standin: setuid");
		return 1;
	}
	fd = tt_focus_connect(path);
	if (fd < 0) {
		fprintf(stderr, "standin: connect %s: %s\n", path, tt_focus_strerror(fd));
		return 1;
	}
	while (fgets(line, sizeof(line), stdin)) {
		struct tt_focus_msg m;
		char *cmd, *rest, *end;

		line[strcspn(line, "\n")] = '\0';
		cmd = strtok_r(line, " ", &rest);
		if (!cmd)
			continue;
		if (strcmp(cmd, "hello") == 0) {
			tt_focus_msg_init(&m, TT_FOCUS_HELLO);
			SET(&m, TT_FOCUS_TAG_COLLECTOR_VERSION, "standin");
			SET(&m, TT_FOCUS_TAG_BACKEND, "x11");
		} else if (strcmp(cmd, "focus") == 0) {
			char *win = strtok_r(NULL, " ", &rest), *app = strtok_r(NULL, " ", &rest);

			if (!win || !app)
				return 2;
			tt_focus_msg_init(&m, TT_FOCUS_FOCUS);
			SET(&m, TT_FOCUS_TAG_BACKEND, "x11");
			SET(&m, TT_FOCUS_TAG_APP_ID, app);
			SET(&m, TT_FOCUS_TAG_TITLE, rest ? rest : "");
			tt_focus_msg_set_int(&m, TT_FOCUS_TAG_WINDOW_ID, strtoull(win, NULL, 0));
		} else if (strcmp(cmd, "element") == 0) {
			char *win = strtok_r(NULL, " ", &rest), *flags = strtok_r(NULL, " ", &rest);
			char *bar;

			if (!win || !flags || !rest)
				return 2;
			tt_focus_msg_init(&m, TT_FOCUS_ELEMENT);
			bar = strchr(rest, '|');
			if (bar) {
				*bar = '\0';
				SET(&m, TT_FOCUS_TAG_NAME, bar + 1);
			}
			SET(&m, TT_FOCUS_TAG_ROLE, rest);
			tt_focus_msg_set_int(&m, TT_FOCUS_TAG_WINDOW_ID, strtoull(win, &end, 0));
			tt_focus_msg_set_int(&m, TT_FOCUS_TAG_ELEMENT_FLAGS, strtoul(flags, NULL, 0));
		} else if (strcmp(cmd, "welcome") == 0) {
			struct pollfd p = { .fd = fd, .events = POLLIN };
			uint8_t buf[TT_FOCUS_MSG_MAX + 1];
			ssize_t n;

			if (poll(&p, 1, 5000) != 1 || (n = recv(fd, buf, sizeof(buf), 0)) <= 0 ||
			    tt_focus_parse(buf, (size_t)n, &m) != 0 || m.type != TT_FOCUS_WELCOME) {
				printf("no welcome\n");
				fflush(stdout);
				continue;
			}
			printf("welcome types=0x%x\n", m.types);
			fflush(stdout);
			continue;
		} else if (strcmp(cmd, "bye") == 0) {
			tt_focus_msg_init(&m, TT_FOCUS_BYE);
		} else {
			fprintf(stderr, "standin: unknown command %s\n", cmd);
			return 2;
		}
		if (send_msg(fd, &m) < 0)
			return 1;
	}
	close(fd);
	return 0;
}
