/*
 * tasktrace — focus protocol transport: the SOCK_SEQPACKET socket both the
 * collector and the tracer open (see include/tasktrace/focus-proto.h).
 *
 * Copyright © 2026 the tasktrace authors
 * SPDX-License-Identifier: MIT
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "tasktrace/focus-proto.h"

const char *
tt_focus_socket_path(const char *override)
{
	const char *env;

	if (override)
		return override;
	env = getenv(TT_FOCUS_SOCKET_ENV);
	if (env && *env)
		return env;
	return TT_FOCUS_SOCKET_DEFAULT;
}

static int
make_address(const char *path, struct sockaddr_un *addr)
{
	size_t len = strlen(path);

	_Static_assert(sizeof(addr->sun_path) == TT_FOCUS_SOCKET_PATH_MAX,
		       "TT_FOCUS_SOCKET_PATH_MAX must match sockaddr_un");
	memset(addr, 0, sizeof(*addr));
	addr->sun_family = AF_UNIX;
	if (len == 0 || len >= sizeof(addr->sun_path))
		return -ENAMETOOLONG;
	memcpy(addr->sun_path, path, len + 1);
	return 0;
}

int
tt_focus_connect(const char *path)
{
	struct sockaddr_un addr;
	int fd, rc;

	rc = make_address(path, &addr);
	if (rc < 0)
		return rc;

	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;

	/* connect() on a Unix socket completes at once or fails; with
	 * O_NONBLOCK a full backlog gives EAGAIN instead of blocking. */
	if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
		rc = -errno;
		goto fail;
	}
	return fd;

fail:
	close(fd);
	return rc;
}

int
tt_focus_listen(const char *path)
{
	struct sockaddr_un addr;
	int fd, rc;

	rc = make_address(path, &addr);
	if (rc < 0)
		return rc;

	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;

	if (unlink(path) < 0 && errno != ENOENT) {
		rc = -errno;
		goto fail;
	}
	if (bind(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0 ||
	    listen(fd, 16) < 0) {
		rc = -errno;
		goto fail;
	}
	return fd;

fail:
	close(fd);
	return rc;
}
