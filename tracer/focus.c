/* SPDX-License-Identifier: MIT */
/*
 * The tracer's side of the collector socket (focus-proto.h): each
 * session's tasktrace-collector connects and reports the focused window.
 *
 * Trust: a report is applied only when the peer's credentials
 * (SO_PEERCRED) are those of the user owning the seat's active session,
 * and, when the collector names its session (HELLO's SESSION_ID), that it
 * is that session. A user cannot speak for another user, nor a background
 * session for the one in front. Reports of other sessions are kept (the
 * last one per connection) and applied when their session comes to the
 * front.
 *
 * Policy, applied here before anything reaches the interpreter: the
 * deny-list ([privacy] deny_apps, fnmatch globs: the focus record is
 * marked excluded, its title dropped, and nothing else is recorded while it
 * has focus), title capture and redaction ([privacy] capture_titles,
 * redact, max_title), and a per-peer rate limit ([collector] rate_limit).
 *
 * Elements (ELEMENT, focus-proto.h): a report is kept only while it
 * belongs to the connection's focused window (element_bound()), reduced
 * by the [elements] policy (element-policy.h) before it is interned, and
 * handed to the interpreter, which puts it on every record and hides the
 * typing into a password field. Each connection gets one WELCOME so that
 * its collector knows this tracer accepts ELEMENT.
 */
#include <errno.h>
#include <fnmatch.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "element-policy.h"
#include "tasktrace/element.h"
#include "tasktrace/focus-proto.h"
#include "tasktrace/log.h"
#include "tracer.h"

#define MAX_CONNS 32
/* one user cannot take every slot: a collector per session is normal */
#define MAX_CONNS_PER_UID 4
/* messages read per wake-up: a flood must not starve the input */
#define MAX_BATCH 64

struct focus_conn {
	struct focus_server *srv;
	int fd;
	struct evsource *src;
	uid_t uid;
	pid_t pid;
	bool hello;
	bool bye;
	char backend[TT_FOCUS_BACKEND_MAX + 1];
	char session_id[TT_FOCUS_SESSION_MAX + 1];
	bool have_focus;
	struct tt_focus_msg last;	/* its last FOCUS, title kept current */
	uint32_t element;		/* element in front of that window (string id) */
	bool element_secret;		/* … a password field */
	uint64_t stale_elements;	/* reports of a window no longer focused */
	uint64_t window_start;		/* rate limit: one-second windows */
	unsigned count;
	bool warned;
};

struct focus_server {
	struct tracer *t;
	int fd;
	struct evsource *src;
	char path[TT_FOCUS_SOCKET_PATH_MAX];
	struct focus_conn *conns[MAX_CONNS];
	struct focus_conn *current;	/* whose focus the interpreter has */
	struct tt_log_ratelimit rl;
};

static bool
denied(const struct tt_config *cfg, const char *app)
{
	for (char **g = cfg->privacy.deny_apps; *g; g++)
		if (fnmatch(*g, app, 0) == 0)
			return true;
	return false;
}

static uint32_t
intern(struct tracer *t, const char *s)
{
	return s && *s ? writer_intern(&t->writer, s, strlen(s)) : 0;
}

/* Does @c speak for the session in front of the seat? */
static bool
speaks_for_seat(const struct focus_conn *c, const struct tracer *t)
{
	/* locked: nothing is applied; the last report is, at unlock */
	if (t->session.state != INTERP_SESSION_ACTIVE || !c->hello)
		return false;
	if (c->uid != t->session.uid)
		return false;
	/* a static attribution has no logind id to compare */
	return !t->session.logind || !c->session_id[0] ||
	       strcmp(c->session_id, t->session.id) == 0;
}

/*
 * The application id of a sandboxed process: Flatpak puts /.flatpak-info
 * (an INI file, [Application] name=…) in the sandbox's root. "" if none.
 */
static void
flatpak_app(pid_t pid, char *buf, size_t cap)
{
	char path[64], line[512];
	bool in_app = false;
	FILE *f;

	buf[0] = '\0';
	snprintf(path, sizeof(path), "/proc/%d/root/.flatpak-info", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\r\n")] = '\0';
		if (line[0] == '[')
			in_app = strcmp(line, "[Application]") == 0;
		else if (in_app && strncmp(line, "name=", 5) == 0) {
			snprintf(buf, cap, "flatpak:%s", line + 5);
			break;
		}
	}
	fclose(f);
}

/*
 * The executable of @pid, when that process belongs to @uid. A process in
 * another pid namespace (Flatpak, other sandboxes) has a pid that means
 * nothing out here and an executable inside its sandbox: record the
 * sandbox's application id instead ("flatpak:org.gnome.Maps"), or
 * "sandbox:" and its command name when the sandbox names none.
 */
static void
exe_of(pid_t pid, uid_t uid, char *buf, size_t cap)
{
	char path[64], ns[64], self_ns[64] = "";
	struct stat st;
	ssize_t n;

	buf[0] = '\0';
	if (pid <= 0)
		return;
	snprintf(path, sizeof(path), "/proc/%d", (int)pid);
	if (stat(path, &st) < 0 || st.st_uid != uid)
		return;
	snprintf(path, sizeof(path), "/proc/%d/ns/pid", (int)pid);
	n = readlink(path, ns, sizeof(ns) - 1);
	ns[n > 0 ? n : 0] = '\0';
	n = readlink("/proc/self/ns/pid", self_ns, sizeof(self_ns) - 1);
	self_ns[n > 0 ? n : 0] = '\0';
	if (ns[0] && self_ns[0] && strcmp(ns, self_ns) != 0) {
		char comm[64] = "";
		FILE *f;

		flatpak_app(pid, buf, cap);
		if (buf[0])
			return;
		snprintf(path, sizeof(path), "/proc/%d/comm", (int)pid);
		if ((f = fopen(path, "re"))) {
			if (fgets(comm, sizeof(comm), f))
				comm[strcspn(comm, "\n")] = '\0';
			fclose(f);
		}
		snprintf(buf, cap, "sandbox:%s", comm);
		return;
	}
	snprintf(path, sizeof(path), "/proc/%d/exe", (int)pid);
	n = readlink(path, buf, cap - 1);
	buf[n > 0 ? n : 0] = '\0';
}

static uint64_t
event_time(const struct tt_focus_msg *m)
{
	uint64_t now = evloop_now_usec();
	uint64_t t;

	if (!(m->present & TT_FOCUS_HAS(TT_FOCUS_TAG_TIME)))
		return now;
	t = m->time_ns / 1000;
	/* a collector's clock is its own word: only a recent past counts */
	return t <= now && now - t < 10000000 ? t : now;
}

/* Hand @m (a FOCUS, or a TITLE when @title_only) to the interpreter. */
static void
apply(struct focus_server *srv, struct focus_conn *c, const struct tt_focus_msg *m,
      bool title_only, uint64_t usec)
{
	struct tracer *t = srv->t;
	const struct tt_config *cfg = &t->opts.cfg;
	struct interp_event ev = { .type = INTERP_EV_FOCUS, .usec = usec };
	bool nothing = m->window_id == 0 && !title_only;
	bool excluded = !nothing && denied(cfg, m->app_id);
	char exe[PATH_MAX];
	char *title = NULL;

	ev.u.focus.backend = intern(t, c->backend[0] ? c->backend : m->backend);
	if (!nothing) {
		ev.u.focus.app = intern(t, m->app_id);
		if (!excluded && m->title[0]) {
			if (tt_config_redact_title(cfg, m->title, &title) < 0)
				title = NULL;
			if (title && strcmp(title, m->title) != 0)
				ev.u.focus.flags |= TT_FOCUS_TITLE_REDACTED;
			ev.u.focus.title = intern(t, title);
		}
		exe_of((pid_t)m->pid, c->uid, exe, sizeof(exe));
		ev.u.focus.exe = excluded ? 0 : intern(t, exe);
		ev.u.focus.pid = m->pid;
	}
	if (excluded)
		ev.u.focus.flags |= TT_FOCUS_EXCLUDED;
	if (title_only)
		ev.u.focus.flags |= TT_FOCUS_TITLE_ONLY;
	snprintf(t->app, sizeof(t->app), "%s", nothing ? "" : m->app_id);
	free(title);
	srv->current = c;
	tracer_feed(t, &ev, 1);
	/* a focus applied again (unlock, session switch) brings back the
	 * element its window still has in front */
	if (!title_only && (c->element || c->element_secret)) {
		struct interp_event el = { .type = INTERP_EV_ELEMENT, .usec = usec };

		el.u.element.element = c->element;
		el.u.element.secret = c->element_secret;
		tracer_feed(t, &el, 1);
	}
}

/* An ELEMENT: the policy decides what is kept, of the focused window only. */
static void
element(struct focus_server *srv, struct focus_conn *c, const struct tt_focus_msg *m)
{
	struct tracer *t = srv->t;
	struct interp_event ev = { .type = INTERP_EV_ELEMENT };
	char str[TT_ELEMENT_STR_MAX];
	bool secret;
	size_t n;

	if (!element_bound(m, c->have_focus, c->last.window_id)) {
		/* the focus moved on before the report came: not this window's */
		if (c->stale_elements++ == 0)
			log_debug("collector of uid %u: element of a window not in focus, dropped",
				  c->uid);
		return;
	}
	n = element_policy(&t->opts.cfg, m, str, sizeof(str), &secret);
	c->element = n ? writer_intern(&t->writer, str, n) : 0;
	c->element_secret = secret;
	if (!speaks_for_seat(c, t) || srv->current != c)
		return;
	ev.usec = event_time(m);
	ev.u.element.element = c->element;
	ev.u.element.secret = secret;
	tracer_feed(t, &ev, 1);
}

/* The focus is unknown: its collector went away. */
static void
forget(struct focus_server *srv)
{
	struct interp_event ev = { .type = INTERP_EV_FOCUS };

	srv->current = NULL;
	srv->t->app[0] = '\0';
	ev.usec = evloop_now_usec();
	tracer_feed(srv->t, &ev, 1);
}

static void
conn_close(struct focus_server *srv, struct focus_conn *c)
{
	for (size_t i = 0; i < MAX_CONNS; i++)
		if (srv->conns[i] == c)
			srv->conns[i] = NULL;
	evloop_remove(srv->t->loop, c->src);
	close(c->fd);
	if (srv->current == c)
		forget(srv);
	free(c);
}

static bool
rate_ok(struct focus_server *srv, struct focus_conn *c)
{
	uint64_t now = evloop_now_usec();

	if (now - c->window_start >= 1000000) {
		c->window_start = now;
		c->count = 0;
	}
	if (++c->count <= srv->t->opts.cfg.collector.rate_limit)
		return true;
	if (!c->warned)
		log_warn("collector of uid %u (pid %d): over %u messages/s, dropping",
			 c->uid, (int)c->pid, srv->t->opts.cfg.collector.rate_limit);
	c->warned = true;
	return false;
}

/* Handle one message; false to drop the connection. */
static bool
handle(struct focus_server *srv, struct focus_conn *c, const struct tt_focus_msg *m)
{
	switch (m->type) {
	case TT_FOCUS_HELLO:
		if (c->hello)
			return false;
		c->hello = true;
		snprintf(c->backend, sizeof(c->backend), "%s", m->backend);
		snprintf(c->session_id, sizeof(c->session_id), "%s", m->session_id);
		log_info("collector of uid %u (pid %d, %s, session %s) connected",
			 c->uid, (int)c->pid, c->backend,
			 c->session_id[0] ? c->session_id : "?");
		return true;
	case TT_FOCUS_FOCUS:
		if (!c->hello)
			return false;
		c->last = *m;
		c->have_focus = true;
		c->element = 0;		/* a new window: its element comes next */
		c->element_secret = false;
		if (speaks_for_seat(c, srv->t))
			apply(srv, c, m, false, event_time(m));
		return true;
	case TT_FOCUS_TITLE:
		if (!c->hello || !c->have_focus || m->window_id != c->last.window_id)
			return true;	/* a title of a window not in focus */
		snprintf(c->last.title, sizeof(c->last.title), "%s", m->title);
		if (speaks_for_seat(c, srv->t) && srv->current == c) {
			struct tt_focus_msg tm = c->last;

			apply(srv, c, &tm, true, event_time(m));
		}
		return true;
	case TT_FOCUS_ELEMENT:
		if (!c->hello)
			return false;
		element(srv, c, m);
		return true;
	case TT_FOCUS_BYE:
		c->bye = true;
		return false;
	default:	/* WELCOME is the tracer's, never the collector's */
		return false;
	}
}

static void
conn_ready(void *data, uint32_t events)
{
	struct focus_conn *c = data;
	struct focus_server *srv = c->srv;
	uint8_t buf[TT_FOCUS_MSG_MAX + 1];

	for (int batch = 0; batch < MAX_BATCH; batch++) {
		struct tt_focus_msg m;
		ssize_t n = recv(c->fd, buf, sizeof(buf), MSG_DONTWAIT);
		int rc;

		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			break;
		if (n <= 0)
			goto drop;	/* closed, or an error */
		if (!rate_ok(srv, c))
			continue;
		rc = n > TT_FOCUS_MSG_MAX ? -EMSGSIZE : tt_focus_parse(buf, (size_t)n, &m);
		if (rc < 0) {
			if (tt_log_ratelimit_ok(&srv->rl, evloop_now_usec()))
				log_warn("collector of uid %u: %s; disconnecting", c->uid,
					 tt_focus_strerror(rc));
			goto drop;
		}
		if (!handle(srv, c, &m))
			goto drop;
	}
	if (events & (EPOLLHUP | EPOLLERR))
		goto drop;
	return;
drop:
	conn_close(srv, c);
}

bool
peer_admit(int fd, size_t nslots, unsigned per_uid,
	   uid_t (*slot_uid)(const void *data, size_t i), const void *data,
	   struct ucred *cred, size_t *slot)
{
	socklen_t len = sizeof(*cred);
	unsigned same_uid = 0;

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, cred, &len) < 0)
		cred->uid = (uid_t)-1;
	*slot = nslots;
	for (size_t i = 0; i < nslots; i++) {
		uid_t uid = slot_uid(data, i);

		if (uid == (uid_t)-1 && *slot == nslots)
			*slot = i;
		else if (uid != (uid_t)-1 && uid == cred->uid)
			same_uid++;
	}
	return *slot < nslots && cred->uid != (uid_t)-1 && same_uid < per_uid;
}

/* Tell a new collector that ELEMENT is understood here (focus-proto.h,
 * "Old and new peers"). An old collector never reads it; a failure to
 * send only means the collector will send no elements. */
static void
welcome(int fd)
{
	struct tt_focus_msg m;
	uint8_t buf[64];
	int n;

	tt_focus_msg_init(&m, TT_FOCUS_WELCOME);
	tt_focus_msg_set_int(&m, TT_FOCUS_TAG_TYPES,
			     (1u << TT_FOCUS_HELLO) | (1u << TT_FOCUS_FOCUS) |
			     (1u << TT_FOCUS_TITLE) | (1u << TT_FOCUS_BYE) |
			     (1u << TT_FOCUS_ELEMENT));
	n = tt_focus_encode(&m, buf, sizeof(buf));
	if (n > 0 && send(fd, buf, (size_t)n, MSG_DONTWAIT | MSG_NOSIGNAL) < 0)
		log_debug("collector socket: WELCOME not sent: %s", strerror(errno));
}

static uid_t
conn_uid(const void *data, size_t i)
{
	const struct focus_server *srv = data;

	return srv->conns[i] ? srv->conns[i]->uid : (uid_t)-1;
}

static void
listen_ready(void *data, uint32_t events)
{
	struct focus_server *srv = data;
	int fd;

	(void)events;
	while ((fd = accept4(srv->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC)) >= 0) {
		struct ucred cred;
		struct focus_conn *c = NULL;
		size_t slot;

		if (!peer_admit(fd, MAX_CONNS, MAX_CONNS_PER_UID, conn_uid, srv, &cred, &slot) ||
		    !(c = calloc(1, sizeof(*c)))) {
			if (tt_log_ratelimit_ok(&srv->rl, evloop_now_usec()))
				log_warn("collector socket: refusing a connection");
			close(fd);
			continue;
		}
		c->srv = srv;
		c->fd = fd;
		c->uid = cred.uid;
		c->pid = cred.pid;
		if (evloop_add_fd(srv->t->loop, fd, EPOLLIN, conn_ready, c, &c->src) < 0) {
			close(fd);
			free(c);
			continue;
		}
		srv->conns[slot] = c;
		welcome(fd);
	}
}

int
focus_socket_init(struct tracer *t)
{
	const char *path = t->opts.cfg.collector.socket;
	struct focus_server *srv;
	char dir[TT_FOCUS_SOCKET_PATH_MAX];
	char *slash;
	int rc;

	srv = calloc(1, sizeof(*srv));
	if (!srv)
		return -ENOMEM;
	srv->t = t;
	srv->rl = (struct tt_log_ratelimit)TT_LOG_RATELIMIT_INIT(60000000, 10);
	snprintf(srv->path, sizeof(srv->path), "%s", path);
	snprintf(dir, sizeof(dir), "%s", path);
	slash = strrchr(dir, '/');
	if (slash && slash != dir) {
		*slash = '\0';
		if (mkdir(dir, 0755) < 0 && errno != EEXIST)
			log_warn("%s: %s", dir, strerror(errno));
	}
	srv->fd = tt_focus_listen(path);
	if (srv->fd < 0) {
		rc = srv->fd;
		log_error("collector socket %s: %s", path, strerror(-rc));
		free(srv);
		return rc;
	}
	/* any user's collector may connect: SO_PEERCRED decides what counts */
	chmod(path, 0666);
	rc = evloop_add_fd(t->loop, srv->fd, EPOLLIN, listen_ready, srv, &srv->src);
	if (rc < 0) {
		close(srv->fd);
		unlink(path);
		free(srv);
		return rc;
	}
	t->focus = srv;
	log_debug("collector socket %s", path);
	return 0;
}

void
focus_socket_fini(struct tracer *t)
{
	struct focus_server *srv = t->focus;

	if (!srv)
		return;
	srv->current = NULL;	/* no "unknown" focus at shutdown */
	for (size_t i = 0; i < MAX_CONNS; i++) {
		struct focus_conn *c = srv->conns[i];

		if (!c)
			continue;
		evloop_remove(t->loop, c->src);
		close(c->fd);
		free(c);
	}
	evloop_remove(t->loop, srv->src);
	close(srv->fd);
	unlink(srv->path);
	free(srv);
	t->focus = NULL;
}

void
focus_session_changed(struct tracer *t)
{
	struct focus_server *srv = t->focus;
	struct focus_conn *next = NULL;

	if (!srv)
		return;
	for (size_t i = 0; i < MAX_CONNS && !next; i++)
		if (srv->conns[i] && srv->conns[i]->have_focus &&
		    speaks_for_seat(srv->conns[i], t))
			next = srv->conns[i];
	if (next == srv->current)
		return;
	srv->current = NULL;
	t->app[0] = '\0';
	if (next) {
		struct tt_focus_msg m = next->last;

		apply(srv, next, &m, false, evloop_now_usec());
	}
}
