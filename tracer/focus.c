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
 * redact, max_title).
 *
 * Limits, which a peer cannot reset by reconnecting: per uid (kept in a
 * table that outlives connections) and for all uids together, messages
 * per second ([collector] rate_limit) and bytes of *new* strings per hour
 * ([collector] string_budget, string_budget_total: a report over budget
 * is recorded without its new strings); at most 32 connections, 4 per
 * uid, 28 for all uids but the seat's, whose collector may evict the
 * longest-silent connection of another uid when all are taken; a
 * connection that sends no HELLO within 5 s is closed. See the threat
 * model in docs/design.md.
 *
 * Elements (ELEMENT, focus-proto.h): a report is kept only while it
 * belongs to the connection's focused window (element_bound()), reduced
 * by the [elements] policy (element-policy.h) before it is interned (a new
 * element string is paid for from the string budget like a title), and
 * handed to the interpreter, which puts it on every record and hides the
 * typing into a password field. Each connection gets one WELCOME so that
 * its collector knows this tracer accepts ELEMENT.
 */
#include <errno.h>
#include <fcntl.h>
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
#include "tasktrace/utf8.h"
#include "tracer.h"

#define MAX_CONNS 32
/* one user cannot take every slot: a collector per session is normal */
#define MAX_CONNS_PER_UID 4
/* all uids but the seat's together: the seat's collectors always fit */
#define MAX_CONNS_OTHERS (MAX_CONNS - MAX_CONNS_PER_UID)
/* messages read per wake-up: a flood must not starve the input */
#define MAX_BATCH 64
/* connections accepted per wake-up, for the same reason */
#define MAX_ACCEPT 16
/* a connection must say HELLO this soon */
#define HELLO_TIMEOUT_USEC 5000000ULL
/* uids whose limits are remembered; more than can hold a slot */
#define MAX_UIDS 64
/* all uids' messages per second, as a multiple of rate_limit */
#define GLOBAL_RATE_FACTOR 8
/* what a new string costs beyond its bytes (key, hash index, node) */
#define STRING_OVERHEAD 32
#define HOUR_USEC 3600000000ULL
/* the largest /.flatpak-info read */
#define FLATPAK_INFO_MAX 16384

/*
 * A token bucket of bytes, refilled continuously at @c budget per hour,
 * holding at most @c budget. The level is kept in byte·µs (bytes × one
 * hour in µs), so that refills never round away.
 */
struct bucket {
	uint64_t level;		/* byte·µs */
	uint64_t at;		/* monotonic µs of the last refill */
};

/* A uid's limits, kept when its connections close. */
struct uid_limits {
	bool used;
	uid_t uid;
	uint64_t touched;		/* last message, for eviction */
	uint64_t window_start;		/* messages: one-second windows */
	unsigned count;
	struct bucket strings;
	struct tt_log_ratelimit rl;		/* this uid's rate warnings */
	struct tt_log_ratelimit rl_strings;	/* … and budget warnings */
};

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
	uint64_t accepted;		/* monotonic µs */
	uint64_t last_msg;		/* monotonic µs of its last message */
};

struct focus_server {
	struct tracer *t;
	int fd;
	struct evsource *src;
	char path[TT_FOCUS_SOCKET_PATH_MAX];
	struct focus_conn *conns[MAX_CONNS];
	struct focus_conn *current;	/* whose focus the interpreter has */
	struct tt_log_ratelimit rl;
	struct tt_log_ratelimit hello_rl;	/* "connected" lines */
	struct uid_limits uids[MAX_UIDS];
	uint64_t window_start;		/* all uids' messages */
	unsigned count;
	struct bucket strings;		/* all uids' new strings */
};

/* --- limits -------------------------------------------------------------- */

static void
bucket_refill(struct bucket *b, uint64_t budget, uint64_t now)
{
	uint64_t cap = budget * HOUR_USEC, dt = now - b->at;

	if (b->at == 0 || dt >= HOUR_USEC)
		b->level = cap;
	else if (cap - b->level <= dt * budget)
		b->level = cap;
	else
		b->level += dt * budget;
	b->at = now;
}

/* Whole bytes in @b. */
static uint64_t
bucket_bytes(const struct bucket *b)
{
	return b->level / HOUR_USEC;
}

static void
bucket_take(struct bucket *b, uint64_t bytes)
{
	uint64_t cost = bytes * HOUR_USEC;

	b->level = cost < b->level ? b->level - cost : 0;
}

/*
 * The limits of @uid: its entry, or a new one (full buckets). When the
 * table is full, the entry of a uid with no connection that was quiet
 * longest is reused: there are more entries than slots, so one exists.
 */
static struct uid_limits *
limits_of(struct focus_server *srv, uid_t uid, uint64_t now)
{
	struct uid_limits *free_e = NULL, *oldest = NULL;

	for (size_t i = 0; i < MAX_UIDS; i++) {
		struct uid_limits *e = &srv->uids[i];

		if (e->used && e->uid == uid)
			return e;
		if (!e->used && !free_e)
			free_e = e;
	}
	for (size_t i = 0; i < MAX_UIDS && !free_e; i++) {
		struct uid_limits *e = &srv->uids[i];
		bool connected = false;

		for (size_t j = 0; j < MAX_CONNS && !connected; j++)
			connected = srv->conns[j] && srv->conns[j]->uid == e->uid;
		if (!connected && (!oldest || e->touched < oldest->touched))
			oldest = e;
	}
	if (!free_e)
		free_e = oldest ? oldest : &srv->uids[0];
	memset(free_e, 0, sizeof(*free_e));
	free_e->used = true;
	free_e->uid = uid;
	free_e->touched = now;
	free_e->rl = (struct tt_log_ratelimit)TT_LOG_RATELIMIT_INIT(60000000, 1);
	free_e->rl_strings = (struct tt_log_ratelimit)TT_LOG_RATELIMIT_INIT(60000000, 1);
	return free_e;
}

static bool
denied(const struct tt_config *cfg, const char *app)
{
	for (char **g = cfg->privacy.deny_apps; *g; g++)
		if (fnmatch(*g, app, 0) == 0)
			return true;
	return false;
}

/*
 * Intern a string of @c's report. A string the store already holds is
 * free; a new one is paid for from the uid's and the global budget of
 * new-string bytes, and refused (0: the record goes without it) when
 * either is short.
 */
static uint32_t
intern(struct focus_server *srv, struct focus_conn *c, const char *s)
{
	const struct tt_config_collector *cc = &srv->t->opts.cfg.collector;
	uint64_t now = evloop_now_usec();
	struct uid_limits *u;
	uint64_t avail;
	size_t len;
	bool created, global;
	uint32_t id;

	if (!s || !*s)
		return 0;
	len = strlen(s);
	u = limits_of(srv, c->uid, now);
	bucket_refill(&u->strings, cc->string_budget, now);
	bucket_refill(&srv->strings, cc->string_budget_total, now);
	avail = bucket_bytes(&u->strings);
	global = bucket_bytes(&srv->strings) < avail;
	if (global)
		avail = bucket_bytes(&srv->strings);
	avail = avail > STRING_OVERHEAD ? avail - STRING_OVERHEAD : 0;
	id = writer_intern_new(&srv->t->writer, s, len, (size_t)avail, &created);
	if (created) {
		bucket_take(&u->strings, len + STRING_OVERHEAD);
		bucket_take(&srv->strings, len + STRING_OVERHEAD);
	} else if (id == 0 && tt_log_ratelimit_ok(&u->rl_strings, now)) {
		log_warn("collector of uid %u: over %s budget of new strings "
			 "([collector] string_budget%s); reports are recorded "
			 "without their new titles and names for now",
			 c->uid, global ? "the global" : "its", global ? "_total" : "");
	}
	return id;
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
static bool
flatpak_id_ok(const char *s)
{
	size_t n = strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
			     "0123456789._-");

	return n > 0 && n <= 255 && s[n] == '\0';
}

/*
 * The file lies in a root the process's owner chose (any user can make
 * one: unshare -Urpf and a chroot), so it is the sandbox's *claim*, and
 * the record says so: "claimed:flatpak:<id>". It is opened without
 * following a link and first as O_PATH, so that nothing but a regular
 * file is ever opened for reading (a FIFO would block the tracer, a
 * device could do anything on open); it is read up to a size cap, and
 * an id outside Flatpak's alphabet is no claim at all.
 */
static void
flatpak_app(pid_t pid, char *buf, size_t cap)
{
	static char data[FLATPAK_INFO_MAX + 1];
	char path[64], fdpath[64];
	bool in_app = false;
	struct stat st;
	size_t len = 0;
	int pfd, fd;

	buf[0] = '\0';
	snprintf(path, sizeof(path), "/proc/%d/root/.flatpak-info", (int)pid);
	pfd = open(path, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (pfd < 0)
		return;
	if (fstat(pfd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size > FLATPAK_INFO_MAX) {
		close(pfd);
		return;
	}
	snprintf(fdpath, sizeof(fdpath), "/proc/self/fd/%d", pfd);
	fd = open(fdpath, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	close(pfd);
	if (fd < 0)
		return;
	while (len < FLATPAK_INFO_MAX) {
		ssize_t n = read(fd, data + len, FLATPAK_INFO_MAX - len);

		if (n <= 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	data[len] = '\0';
	for (char *line = data, *next; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		line[strcspn(line, "\r")] = '\0';
		if (line[0] == '[')
			in_app = strcmp(line, "[Application]") == 0;
		else if (in_app && strncmp(line, "name=", 5) == 0) {
			if (flatpak_id_ok(line + 5))
				snprintf(buf, cap, "claimed:flatpak:%s", line + 5);
			break;
		}
	}
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
			char raw[64] = "";

			/* the process names itself (PR_SET_NAME): any bytes */
			if (fgets(raw, sizeof(raw), f)) {
				raw[strcspn(raw, "\n")] = '\0';
				tt_utf8_repair(comm, sizeof(comm), raw, strlen(raw));
				tt_utf8_strip_controls(comm);
			}
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

	ev.u.focus.backend = intern(srv, c, c->backend);
	if (!nothing) {
		ev.u.focus.app = intern(srv, c, m->app_id);
		if (!excluded && m->title[0]) {
			if (tt_config_redact_title(cfg, m->title, &title) < 0)
				title = NULL;
			if (title && strcmp(title, m->title) != 0)
				ev.u.focus.flags |= TT_FOCUS_TITLE_REDACTED;
			ev.u.focus.title = intern(srv, c, title);
		}
		exe_of((pid_t)m->pid, c->uid, exe, sizeof(exe));
		ev.u.focus.exe = excluded ? 0 : intern(srv, c, exe);
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
	/* over the string budget: 0, the element is not recorded (a
	 * password field still hides its typing) */
	c->element = n ? intern(srv, c, str) : 0;
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

/* Within its uid's and the global message rate? Survives reconnects. */
static bool
rate_ok(struct focus_server *srv, struct focus_conn *c)
{
	unsigned limit = srv->t->opts.cfg.collector.rate_limit;
	uint64_t now = evloop_now_usec();
	struct uid_limits *u = limits_of(srv, c->uid, now);

	u->touched = now;
	c->last_msg = now;
	if (now - u->window_start >= 1000000) {
		u->window_start = now;
		u->count = 0;
	}
	if (now - srv->window_start >= 1000000) {
		srv->window_start = now;
		srv->count = 0;
	}
	if (u->count < limit && srv->count < limit * GLOBAL_RATE_FACTOR) {
		u->count++;
		srv->count++;
		return true;
	}
	if (tt_log_ratelimit_ok(&u->rl, now))
		log_warn("collectors of uid %u: over %u messages/s%s, dropping",
			 c->uid, u->count < limit ? limit * GLOBAL_RATE_FACTOR : limit,
			 u->count < limit ? " of all uids" : "");
	return false;
}

/* A backend is named as the collector's table names it: [a-z0-9-]+. */
static bool
backend_ok(const char *s)
{
	size_t n = strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789-");

	return n > 0 && s[n] == '\0';
}

/* Handle one message; false to drop the connection. */
static bool
handle(struct focus_server *srv, struct focus_conn *c, const struct tt_focus_msg *m)
{
	switch (m->type) {
	case TT_FOCUS_HELLO:
		if (c->hello)
			return false;
		if (!backend_ok(m->backend)) {
			if (tt_log_ratelimit_ok(&srv->rl, evloop_now_usec()))
				log_warn("collector of uid %u: a backend name outside "
					 "[a-z0-9-]; disconnecting", c->uid);
			return false;
		}
		c->hello = true;
		snprintf(c->backend, sizeof(c->backend), "%s", m->backend);
		snprintf(c->session_id, sizeof(c->session_id), "%s", m->session_id);
		/* any uid can connect in a loop: a few lines, then a pause
		 * (the strings are the peer's, escaped by the logger) */
		if (tt_log_ratelimit_ok(&srv->hello_rl, evloop_now_usec()))
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

/* The seat's user holds the front session; a connection of theirs is
 * never refused for slots other uids hold. */
static bool
is_seat_uid(const struct focus_server *srv, uid_t uid)
{
	const struct tracer *t = srv->t;

	return t->session.state != INTERP_SESSION_NONE && uid == t->session.uid;
}

/*
 * No slot for a connection of @uid: when it is the seat's user, the
 * connection of another uid that has been silent longest gives its slot
 * up (never the one whose focus the interpreter has). Else, other uids
 * may hold MAX_CONNS_OTHERS slots together.
 */
static bool
make_room(struct focus_server *srv, uid_t uid)
{
	struct focus_conn *victim = NULL;
	unsigned others = 0, free_slots = 0;

	for (size_t i = 0; i < MAX_CONNS; i++) {
		struct focus_conn *c = srv->conns[i];

		if (!c) {
			free_slots++;
			continue;
		}
		if (is_seat_uid(srv, c->uid))
			continue;
		others++;
		if (c != srv->current && (!victim || c->last_msg < victim->last_msg))
			victim = c;
	}
	if (!is_seat_uid(srv, uid))
		return free_slots > 0 && others < MAX_CONNS_OTHERS;
	if (free_slots > 0)
		return true;
	if (!victim)
		return false;
	if (tt_log_ratelimit_ok(&srv->rl, evloop_now_usec()))
		log_info("collector socket full: closing the longest-silent connection "
			 "(uid %u) for the seat's user", victim->uid);
	conn_close(srv, victim);
	return true;
}

/* Once a second: a connection that never said HELLO is closed. */
void
focus_tick(struct tracer *t)
{
	struct focus_server *srv = t->focus;
	uint64_t now = evloop_now_usec();

	if (!srv)
		return;
	for (size_t i = 0; i < MAX_CONNS; i++) {
		struct focus_conn *c = srv->conns[i];

		if (c && !c->hello && now - c->accepted >= HELLO_TIMEOUT_USEC) {
			log_debug("collector of uid %u: no HELLO in %llu s; closing", c->uid,
				  (unsigned long long)(HELLO_TIMEOUT_USEC / 1000000));
			conn_close(srv, c);
		}
	}
}

static void
listen_ready(void *data, uint32_t events)
{
	struct focus_server *srv = data;
	int fd;

	(void)events;
	for (int n = 0; n < MAX_ACCEPT &&
	     (fd = accept4(srv->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC)) >= 0; n++) {
		struct ucred cred;
		struct focus_conn *c = NULL;
		socklen_t len = sizeof(cred);
		size_t slot;

		if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) < 0 ||
		    !make_room(srv, cred.uid) ||
		    !peer_admit(fd, MAX_CONNS, MAX_CONNS_PER_UID, conn_uid, srv, &cred, &slot) ||
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
		c->accepted = c->last_msg = evloop_now_usec();
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
	srv->hello_rl = (struct tt_log_ratelimit)TT_LOG_RATELIMIT_INIT(60000000, 10);
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
