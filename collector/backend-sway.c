/*
 * tasktrace-collector — sway backend (sway IPC, i3-compatible).
 *
 * The IPC socket ($SWAYSOCK) carries messages framed as
 *   "i3-ipc" | u32 payload length | u32 type | JSON payload
 * in native byte order. We send SUBSCRIBE ["window"] and GET_TREE, then
 * read: the GET_TREE reply gives the focus at start, "window" events
 * (type 0x80000003) with change "focus" / "title" / "close" keep it
 * current. Every container carries id, name (title), app_id (Wayland) or
 * window_properties.class (Xwayland), and pid.
 *
 * When the focused window closes, sway sends "close" and then "focus" for
 * the next one, if any: the "no window" report waits CLOSE_DEBOUNCE_MS for
 * that focus event, like the X11 backend's None debounce.
 *
 * Copyright © 2026 the tasktrace authors
 * SPDX-License-Identifier: MIT
 */

#include <errno.h>
#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "collector.h"

#define IPC_MAGIC		"i3-ipc"
#define IPC_MAGIC_LEN		6
#define IPC_HEADER_LEN		(IPC_MAGIC_LEN + 8)
#define IPC_SUBSCRIBE		2
#define IPC_GET_TREE		4
#define IPC_EVENT_WINDOW	0x80000003u
/* A GET_TREE of a busy desktop is tens of KiB; anything near this is
 * not sway talking. */
#define IPC_PAYLOAD_MAX		(16u << 20)
#define CLOSE_DEBOUNCE_MS	100

struct sway {
	int fd;
	uint8_t *buf;
	size_t len, cap;
	int64_t focused_id;	/* -1: none known */
	int64_t closed_id;	/* focused window that closed, pending */
};

static int
ipc_send(int fd, uint32_t type, const char *payload)
{
	uint32_t len = (uint32_t)strlen(payload);
	uint8_t msg[IPC_HEADER_LEN + 64];

	if (len > sizeof(msg) - IPC_HEADER_LEN)
		return -EINVAL;
	memcpy(msg, IPC_MAGIC, IPC_MAGIC_LEN);
	memcpy(msg + IPC_MAGIC_LEN, &len, 4);
	memcpy(msg + IPC_MAGIC_LEN + 4, &type, 4);
	memcpy(msg + IPC_HEADER_LEN, payload, len);
	/* Tiny message on a fresh socket: it fits the send buffer whole. */
	if (send(fd, msg, IPC_HEADER_LEN + len, MSG_NOSIGNAL) !=
	    (ssize_t)(IPC_HEADER_LEN + len))
		return -errno ? -errno : -EIO;
	return 0;
}

static const char *
json_str(struct json_object *obj, const char *key, size_t *len)
{
	struct json_object *v;

	if (!json_object_object_get_ex(obj, key, &v) ||
	    !json_object_is_type(v, json_type_string)) {
		*len = 0;
		return NULL;
	}
	*len = (size_t)json_object_get_string_len(v);
	return json_object_get_string(v);
}

static int64_t
json_int(struct json_object *obj, const char *key, int64_t fallback)
{
	struct json_object *v;

	if (!json_object_object_get_ex(obj, key, &v) ||
	    !json_object_is_type(v, json_type_int))
		return fallback;
	return json_object_get_int64(v);
}

static bool
is_window(struct json_object *con)
{
	struct json_object *v;

	/* Windows have a pid (and an app_id or window properties);
	 * workspaces and split containers do not. */
	return json_object_object_get_ex(con, "pid", &v) ||
	       json_object_object_get_ex(con, "app_id", &v) ||
	       json_object_object_get_ex(con, "window_properties", &v);
}

static void
report_container(struct backend *b, struct json_object *con, uint64_t t)
{
	struct sway *s = b->data;
	struct json_object *props;
	struct focus_info f;
	const char *app, *title;
	size_t app_len, title_len;
	int64_t id = json_int(con, "id", 0);
	int64_t pid = json_int(con, "pid", 0);

	app = json_str(con, "app_id", &app_len);
	if (!app && json_object_object_get_ex(con, "window_properties", &props))
		app = json_str(props, "class", &app_len);
	title = json_str(con, "name", &title_len);

	if (id <= 0)
		return;
	if (pid < 0 || pid > UINT32_MAX)
		pid = 0;
	focus_info_set(&f, (uint64_t)id, (uint32_t)pid, app, app_len,
		       title, title_len);
	s->focused_id = id;
	s->closed_id = -1;
	b->deadline_ms = 0;
	report_focus(b->report, &f, t);
}

/* Depth-first search of the tree for the focused node. */
static struct json_object *
find_focused(struct json_object *node, int depth)
{
	static const char *const lists[] = { "nodes", "floating_nodes" };
	struct json_object *v;

	if (depth > 64)
		return NULL;
	if (json_object_object_get_ex(node, "focused", &v) &&
	    json_object_get_boolean(v))
		return node;
	for (size_t l = 0; l < 2; l++) {
		if (!json_object_object_get_ex(node, lists[l], &v) ||
		    !json_object_is_type(v, json_type_array))
			continue;
		for (size_t i = 0; i < json_object_array_length(v); i++) {
			struct json_object *hit;

			hit = find_focused(json_object_array_get_idx(v, i),
					   depth + 1);
			if (hit)
				return hit;
		}
	}
	return NULL;
}

static void
handle_tree(struct backend *b, struct json_object *tree, uint64_t t)
{
	struct json_object *con = find_focused(tree, 0);
	struct focus_info none = { 0 };

	if (con && is_window(con))
		report_container(b, con, t);
	else
		report_focus(b->report, &none, t); /* an empty workspace */
}

static void
handle_window_event(struct backend *b, struct json_object *ev, uint64_t t)
{
	struct sway *s = b->data;
	struct json_object *con;
	const char *change;
	size_t len;

	change = json_str(ev, "change", &len);
	if (!change || !json_object_object_get_ex(ev, "container", &con))
		return;

	if (strcmp(change, "focus") == 0) {
		report_container(b, con, t);
	} else if (strcmp(change, "title") == 0) {
		const char *title = json_str(con, "name", &len);
		int64_t id = json_int(con, "id", 0);

		if (id == s->focused_id)
			report_title(b->report, (uint64_t)id, title, len, t);
	} else if (strcmp(change, "close") == 0) {
		if (json_int(con, "id", 0) == s->focused_id) {
			s->closed_id = s->focused_id;
			b->deadline_ms = now_ms() + CLOSE_DEBOUNCE_MS;
		}
	}
}

static void
handle_message(struct backend *b, uint32_t type, const char *payload,
	       size_t len, uint64_t t)
{
	struct json_tokener *tok = json_tokener_new_ex(128);
	struct json_object *obj;

	if (!tok)
		return;
	obj = json_tokener_parse_ex(tok, payload, (int)len);
	json_tokener_free(tok);
	if (!obj) {
		log_debug("sway: unparsable message of type %#x", type);
		return;
	}
	if (type == IPC_EVENT_WINDOW)
		handle_window_event(b, obj, t);
	else if (type == IPC_GET_TREE)
		handle_tree(b, obj, t);
	else if (type == IPC_SUBSCRIBE &&
		 !json_object_get_boolean(json_object_object_get(obj, "success")))
		log_error("sway refused the window event subscription");
	json_object_put(obj);
}

static int
sway_dispatch(struct backend *b)
{
	struct sway *s = b->data;

	for (;;) {
		ssize_t n;
		size_t off = 0;

		if (s->cap - s->len < 65536) {
			size_t cap = s->cap ? s->cap * 2 : 131072;
			uint8_t *nb;

			if (cap > IPC_PAYLOAD_MAX + IPC_HEADER_LEN + 65536) {
				log_error("sway: message too large");
				return -EPROTO;
			}
			nb = realloc(s->buf, cap);
			if (!nb)
				return -ENOMEM;
			s->buf = nb;
			s->cap = cap;
		}

		n = recv(s->fd, s->buf + s->len, s->cap - s->len, MSG_DONTWAIT);
		if (n == 0) {
			log_error("sway closed the IPC connection");
			return -EPIPE;
		}
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return 0;
			log_error("sway IPC: %s", strerror(errno));
			return -errno;
		}
		s->len += (size_t)n;

		/* Handle every complete message in the buffer. */
		while (s->len - off >= IPC_HEADER_LEN) {
			uint32_t plen, type;

			if (memcmp(s->buf + off, IPC_MAGIC, IPC_MAGIC_LEN) != 0) {
				log_error("sway IPC: bad magic");
				return -EPROTO;
			}
			memcpy(&plen, s->buf + off + IPC_MAGIC_LEN, 4);
			memcpy(&type, s->buf + off + IPC_MAGIC_LEN + 4, 4);
			if (plen > IPC_PAYLOAD_MAX) {
				log_error("sway IPC: message of %u bytes", plen);
				return -EPROTO;
			}
			if (s->len - off - IPC_HEADER_LEN < plen)
				break;
			handle_message(b, type,
				       (const char *)s->buf + off + IPC_HEADER_LEN,
				       plen, tt_mono_ns());
			off += IPC_HEADER_LEN + plen;
		}
		memmove(s->buf, s->buf + off, s->len - off);
		s->len -= off;
	}
}

static int
sway_open(struct backend *b)
{
	const char *path = getenv("SWAYSOCK");
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	struct sway *s;
	int rc;

	if (!path || !*path || strlen(path) >= sizeof(addr.sun_path)) {
		log_error("SWAYSOCK is not set (or too long): no sway to talk to");
		return -ENXIO;
	}
	memcpy(addr.sun_path, path, strlen(path) + 1);

	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	s->focused_id = -1;
	s->closed_id = -1;
	s->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (s->fd < 0) {
		rc = -errno;
		goto fail;
	}
	if (connect(s->fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
		rc = -errno;
		log_error("cannot connect to sway IPC at %s: %s", path,
			  strerror(errno));
		goto fail_fd;
	}
	/* Subscribe first, then ask for the tree: any focus change after
	 * the tree was built arrives as an event after the reply. */
	rc = ipc_send(s->fd, IPC_SUBSCRIBE, "[\"window\"]");
	if (rc == 0)
		rc = ipc_send(s->fd, IPC_GET_TREE, "");
	if (rc < 0) {
		log_error("sway IPC: cannot send request: %s", strerror(-rc));
		goto fail_fd;
	}
	b->data = s;
	b->fd = s->fd;
	return 0;

fail_fd:
	close(s->fd);
fail:
	free(s);
	return rc;
}

static int
sway_timeout(struct backend *b)
{
	struct sway *s = b->data;
	struct focus_info none = { 0 };

	if (s->closed_id >= 0 && s->closed_id == s->focused_id) {
		s->focused_id = -1;
		s->closed_id = -1;
		report_focus(b->report, &none, tt_mono_ns());
	}
	return 0;
}

static void
sway_close(struct backend *b)
{
	struct sway *s = b->data;

	if (!s)
		return;
	close(s->fd);
	free(s->buf);
	free(s);
	b->data = NULL;
}

const struct backend_interface backend_sway = {
	.name = "sway",
	.open = sway_open,
	.prepare = NULL,
	.dispatch = sway_dispatch,
	.timeout = sway_timeout,
	.close = sway_close,
};
