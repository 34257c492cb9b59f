/*
 * tasktrace-collector — the connection to the tracer.
 *
 * The tracer may start after us, restart, or be absent for a long time
 * (not installed, stopped by the admin): none of that is an error for the
 * collector. While disconnected we retry with exponential backoff
 * (CONN_BACKOFF_MIN_MS doubling to CONN_BACKOFF_MAX_MS) and log only when
 * the reason changes, so an absent tracer costs one log line, not one per
 * attempt.
 *
 * Sends never block: a tracer that stops reading must not stall the
 * desktop's event stream. On EAGAIN the message is dropped and the
 * connection marked stalled; once writable again the caller re-sends the
 * current focus, which is all the tracer needs (it is state, not history).
 *
 * Copyright © 2026 the tasktrace authors
 * SPDX-License-Identifier: MIT
 */

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "collector.h"

void
conn_init(struct connection *c, const char *path)
{
	memset(c, 0, sizeof(*c));
	c->path = path;
	c->fd = -1;
	c->backoff_ms = CONN_BACKOFF_MIN_MS;
	c->retry_at_ms = 0; /* try at once */
}

static void
schedule_retry(struct connection *c, uint64_t now)
{
	c->retry_at_ms = now + c->backoff_ms;
	c->backoff_ms *= 2;
	if (c->backoff_ms > CONN_BACKOFF_MAX_MS)
		c->backoff_ms = CONN_BACKOFF_MAX_MS;
}

int
conn_connect(struct connection *c, uint64_t now)
{
	int fd = tt_focus_connect(c->path);

	if (fd < 0) {
		if (fd != c->last_error)
			log_info("tracer not reachable at %s (%s); retrying",
				 c->path, tt_focus_strerror(fd));
		else
			log_debug("connect %s: %s, next try in %u ms", c->path,
				  tt_focus_strerror(fd), c->backoff_ms);
		c->last_error = fd;
		schedule_retry(c, now);
		return fd;
	}

	log_info("connected to tracer at %s", c->path);
	c->fd = fd;
	c->last_error = 0;
	c->stalled = false;
	c->elements_ok = false;
	c->welcomed = false;
	c->backoff_ms = CONN_BACKOFF_MIN_MS;
	return 0;
}

void
conn_close(struct connection *c, uint64_t now, bool retry)
{
	if (c->fd < 0)
		return;
	close(c->fd);
	c->fd = -1;
	c->stalled = false;
	c->elements_ok = false;
	c->welcomed = false;
	if (retry) {
		log_info("tracer connection closed; reconnecting");
		/* The tracer restarting is the common case: first retry soon. */
		c->backoff_ms = CONN_BACKOFF_MIN_MS;
		schedule_retry(c, now);
	}
}

int
conn_send(struct connection *c, const struct tt_focus_msg *msg)
{
	uint8_t buf[TT_FOCUS_MSG_MAX];
	int len;
	ssize_t n;

	if (c->fd < 0)
		return -ENOTCONN;

	len = tt_focus_encode(msg, buf, sizeof(buf));
	if (len < 0) {
		log_error("BUG: cannot encode %s: %s",
			  tt_focus_type_name(msg->type), tt_focus_strerror(len));
		return len;
	}

	n = send(c->fd, buf, (size_t)len, MSG_NOSIGNAL | MSG_DONTWAIT);
	if (n == len)
		return 0;
	if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
		if (!c->stalled)
			log_info("tracer is not reading; dropping updates until it does");
		c->stalled = true;
		return -EAGAIN;
	}
	log_debug("send: %s", n < 0 ? strerror(errno) : "short write");
	conn_close(c, now_ms(), true);
	return -EPIPE;
}

bool
conn_handle_input(struct connection *c, uint64_t now)
{
	uint8_t buf[TT_FOCUS_MSG_MAX + 1];
	struct tt_focus_msg m;
	ssize_t n;

	/* The tracer sends one WELCOME (focus-proto.h, "Old and new peers");
	 * anything else it might send is ignored. */
	for (;;) {
		n = recv(c->fd, buf, sizeof(buf), MSG_DONTWAIT);
		if (n > 0) {
			if (tt_focus_parse(buf, (size_t)n, &m) == 0 &&
			    m.type == TT_FOCUS_WELCOME &&
			    (m.types & (1u << TT_FOCUS_ELEMENT)) && !c->elements_ok) {
				log_debug("the tracer accepts element reports");
				c->elements_ok = true;
				c->welcomed = true;
			}
			continue;
		}
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return true;
		if (n < 0 && errno == EINTR)
			continue;
		break;
	}
	conn_close(c, now, true);
	return false;
}
