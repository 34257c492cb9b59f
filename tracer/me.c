/* SPDX-License-Identifier: MIT */
/*
 * The tracer's side of the "me" socket (me-proto.h): a traced person reads
 * what is stored about them, and may pause their recording.
 *
 * Whose data: the peer's uid from SO_PEERCRED, and nothing else. The query
 * selects that uid in the store and every record is checked again before
 * it is encoded; a request has no field that could name anyone else.
 *
 * No stall: the input loop must keep its latency whatever a client does.
 * An answer is produced a chunk at a time (one record block and the names
 * it refers to, from a read snapshot opened and closed for that chunk, so
 * no snapshot outlives it), only when the previous chunk has gone out, and
 * at most CHUNKS_PER_WAKE chunks per wake-up. Sends never block; a client
 * whose answer has not moved for STALL_USEC (its socket stays full: it
 * does not read) is dropped, as is a connection that asks nothing for
 * IDLE_USEC. Memory per client is one chunk.
 *
 * Pause ([privacy] user_pause_max): the user's sessions count as no
 * session while paused (nothing of their input or focus is recorded); at
 * the end (expiry, resume, or the tracer stopping) one gap record of that
 * user, reason TT_GAP_PAUSED, covers the paused time.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tasktrace/codec.h"
#include "tasktrace/error.h"
#include "tasktrace/focus-proto.h"
#include "tasktrace/log.h"
#include "tasktrace/me-proto.h"
#include "tracer.h"

#define MAX_CLIENTS 16
#define MAX_CLIENTS_PER_UID 2
#define MAX_PAUSES 16
#define CHUNKS_PER_WAKE 1
/* name bytes per chunk: with the block, bounds a client's buffer */
#define NAMES_BUDGET (48 * 1024)
#define OUT_CAP (NAMES_BUDGET + 8 * TT_ME_MSG_MAX)
#define STALL_USEC (5ULL * 1000000)
#define IDLE_USEC (60ULL * 1000000)
#define NAMES_BODY (TT_ME_MSG_MAX - TT_ME_HEADER_SIZE)

struct me_client {
	struct me_server *srv;
	int fd;
	struct evsource *src;
	uid_t uid;
	pid_t pid;
	uint64_t active_usec;		/* last request, or last packet sent */

	/* the answer in progress */
	bool answering;
	bool done;			/* END queued */
	uint64_t since, until;
	bool have_last;
	uint64_t last_time, last_seq;	/* the last record sent */
	uint64_t sent;

	/* queued packets, each [u32 length][bytes]; out_head: next to send */
	uint8_t *out;
	size_t out_len, out_head;

	/* names already sent on this connection: (table << 32 | id) */
	uint64_t *names;
	size_t nnames, capnames;
};

struct me_pause {
	uint32_t uid;
	uint64_t start_usec, until_usec;	/* monotonic */
};

struct me_server {
	struct tracer *t;
	int fd;
	struct evsource *src;
	struct evsource *timer;
	char path[TT_FOCUS_SOCKET_PATH_MAX];
	struct me_client *clients[MAX_CLIENTS];
	struct me_pause pauses[MAX_PAUSES];
	size_t npauses;
	struct tt_log_ratelimit rl;
	struct tt_block_enc enc;	/* one chunk's block, reused */
	uint8_t pkt[TT_ME_MSG_MAX];
};

/* --- names sent: an open-addressing set ------------------------------------ */

static uint64_t
hash64(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	return x;
}

/* Insert @key; true when it was new. Keys are never 0 (ids start at 1). */
static bool
names_insert(struct me_client *c, uint64_t key)
{
	size_t mask, i;

	if (c->nnames * 2 >= c->capnames) {
		size_t cap = c->capnames ? c->capnames * 2 : 256;
		uint64_t *n = calloc(cap, sizeof(*n));

		if (!n)
			return true;	/* sent again: harmless */
		for (size_t j = 0; j < c->capnames; j++) {
			if (!c->names[j])
				continue;
			for (i = hash64(c->names[j]) & (cap - 1); n[i]; i = (i + 1) & (cap - 1))
				;
			n[i] = c->names[j];
		}
		free(c->names);
		c->names = n;
		c->capnames = cap;
	}
	mask = c->capnames - 1;
	for (i = hash64(key) & mask; c->names[i]; i = (i + 1) & mask)
		if (c->names[i] == key)
			return false;
	c->names[i] = key;
	c->nnames++;
	return true;
}

/* --- output queue ------------------------------------------------------------ */

static int
queue(struct me_client *c, const struct tt_me_msg *m)
{
	uint8_t *buf = c->srv->pkt;
	int n = tt_me_encode(m, buf, sizeof(c->srv->pkt));

	if (n < 0)
		return n;
	if (!c->out && !(c->out = malloc(OUT_CAP)))
		return -ENOMEM;
	if (c->out_len + 4 + (size_t)n > OUT_CAP)
		return -ENOBUFS;
	memcpy(c->out + c->out_len, &(uint32_t){ (uint32_t)n }, 4);
	memcpy(c->out + c->out_len + 4, buf, (size_t)n);
	c->out_len += 4 + (size_t)n;
	return 0;
}

static int
queue_error(struct me_client *c, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int
queue_error(struct me_client *c, int code, const char *fmt, ...)
{
	struct tt_me_msg m = { .type = TT_ME_ERROR };
	va_list ap;

	m.u.error.code = code;
	va_start(ap, fmt);
	vsnprintf(m.u.error.text, sizeof(m.u.error.text), fmt, ap);
	va_end(ap);
	return queue(c, &m);
}

/* 1 everything sent, 0 the socket is full, -errno the client is gone */
static int
flush(struct me_client *c)
{
	while (c->out_head < c->out_len) {
		uint32_t len;
		ssize_t n;

		memcpy(&len, c->out + c->out_head, 4);
		n = send(c->fd, c->out + c->out_head + 4, len, MSG_DONTWAIT | MSG_NOSIGNAL);
		if (n < 0) {
			if (errno == EAGAIN || errno == EINTR)
				return 0;
			return -errno;
		}
		c->out_head += 4 + len;
		c->active_usec = evloop_now_usec();
	}
	c->out_head = c->out_len = 0;
	return 1;
}

/* --- producing an answer ------------------------------------------------------ */

struct names_pkt {
	uint8_t body[NAMES_BODY];
	size_t len;
	size_t total;		/* name bytes this chunk */
};

static int
names_flush(struct me_client *c, struct names_pkt *np)
{
	struct tt_me_msg m = { .type = TT_ME_NAMES, .body = np->body, .len = np->len };
	int rc;

	if (np->len == 0)
		return 0;
	rc = queue(c, &m);
	np->len = 0;
	return rc;
}

static int
send_name(struct me_client *c, struct tt_reader *rd, struct names_pkt *np,
	  uint8_t table, uint32_t id)
{
	struct tt_device_info d;
	struct tt_session_info si;
	const char *s;
	size_t n;
	int rc;

	if (!id || !names_insert(c, (uint64_t)table << 32 | id))
		return 0;
	if (table == TT_ME_TABLE_DEVICE) {
		if (tt_reader_device(rd, id, &d) != 0)
			return 0;
		s = d.name;
		n = strnlen(d.name, sizeof(d.name));
	} else if (table == TT_ME_TABLE_SESSION) {
		if (tt_reader_session(rd, id, &si) != 0 || si.uid != c->uid)
			return 0;
		s = si.user;
		n = strnlen(si.user, sizeof(si.user));
	} else if (tt_reader_string(rd, id, &s, &n) != 0) {
		return 0;
	}
	if (tt_me_names_add(np->body, sizeof(np->body), &np->len, table, id, s, n) < 0) {
		if ((rc = names_flush(c, np)) < 0)
			return rc;
		if ((rc = tt_me_names_add(np->body, sizeof(np->body), &np->len, table, id,
					  s, n)) < 0)
			return rc;
	}
	np->total += n + 7;
	return 0;
}

static int
send_names_of(struct me_client *c, struct tt_reader *rd, struct names_pkt *np,
	      const struct tt_record *r)
{
	uint32_t ids[6] = { r->app, r->title, 0, 0, 0, r->element };
	int rc = 0;

	if (r->kind == TT_KIND_KEY)
		ids[2] = r->u.key.name;
	if (r->kind == TT_KIND_FOCUS) {
		ids[3] = r->u.focus.exe;
		ids[4] = r->u.focus.backend;
	}
	for (size_t i = 0; i < 6 && rc == 0; i++)
		rc = send_name(c, rd, np, TT_ME_TABLE_STRING, ids[i]);
	if (rc == 0)
		rc = send_name(c, rd, np, TT_ME_TABLE_DEVICE, r->device);
	if (rc == 0)
		rc = send_name(c, rd, np, TT_ME_TABLE_SESSION, r->session);
	return rc;
}

/* Queue the next chunk of the answer; sets c->done with its END. */
static int
produce(struct me_client *c)
{
	struct me_server *srv = c->srv;
	struct tt_block_enc *enc = &srv->enc;
	struct names_pkt *np;
	struct tt_reader *rd = NULL;
	struct tt_cursor *cur = NULL;
	struct tt_me_msg end = { .type = TT_ME_END };
	struct tt_query q;
	struct tt_record r;
	bool finished = false;
	int rc;

	np = malloc(sizeof(*np));
	if (!np)
		return -ENOMEM;
	np->len = np->total = 0;
	tt_block_enc_init(enc);
	tt_query_init(&q);
	q.uid = c->uid;
	q.since_ns = c->have_last ? c->last_time : c->since;
	q.until_ns = c->until;
	rc = tt_reader_open(srv->t->writer.store, &rd);
	if (rc == 0)
		rc = tt_cursor_open(rd, &q, &cur);
	if (rc != 0) {
		/* the store's own code (an errno or TT_E*), said here */
		log_warn("me: uid %u: reading the store: %s", c->uid, tt_strerror(rc));
		rc = -EIO;
	}
	while (rc == 0) {
		int n = tt_cursor_next(cur, &r);

		if (n < 0) {
			log_warn("me: uid %u: reading the store: %s", c->uid, tt_strerror(n));
			rc = -EIO;
			break;
		}
		if (n == 0) {
			finished = true;
			break;
		}
		/* the store selected the uid: checked once more, cheaply */
		if (r.uid != c->uid)
			continue;
		if (c->have_last && (r.time_ns < c->last_time ||
				     (r.time_ns == c->last_time && r.seq <= c->last_seq)))
			continue;
		/* a page ends between two times, so the next starts cleanly */
		if (c->sent >= TT_ME_PAGE_RECORDS && r.time_ns != c->last_time) {
			end.u.end.more = 1;
			end.u.end.next_ns = r.time_ns;
			finished = true;
			break;
		}
		if ((rc = send_names_of(c, rd, np, &r)) < 0)
			break;
		rc = tt_block_enc_add(enc, &r);
		if (rc == -ENOSPC) {
			rc = 0;
			break;
		}
		if (rc < 0) {
			rc = 0;		/* not encodable: verify would say so */
			continue;
		}
		c->have_last = true;
		c->last_time = r.time_ns;
		c->last_seq = r.seq;
		c->sent++;
		if (np->total >= NAMES_BUDGET || tt_block_enc_full(enc))
			break;
	}
	tt_cursor_close(cur);
	tt_reader_close(rd);
	if (rc < 0) {
		free(np);
		return rc;
	}
	if ((rc = names_flush(c, np)) == 0 && enc->count) {
		struct tt_me_msg b = { .type = TT_ME_BLOCK, .body = enc->buf, .len = enc->len };

		rc = queue(c, &b);
	}
	free(np);
	if (rc < 0)
		return rc;
	if (finished || enc->count == 0) {
		end.u.end.records = c->sent;
		c->done = true;
		return queue(c, &end);
	}
	return 0;
}

/* --- pauses ---------------------------------------------------------------------- */

static struct me_pause *
pause_of(struct me_server *srv, uint32_t uid)
{
	for (size_t i = 0; i < srv->npauses; i++)
		if (srv->pauses[i].uid == uid)
			return &srv->pauses[i];
	return NULL;
}

bool
me_paused(const struct tracer *t, uint32_t uid)
{
	return t->me && pause_of(t->me, uid) != NULL;
}

static void
arm_timer(struct me_server *srv)
{
	uint64_t first = 0;

	for (size_t i = 0; i < srv->npauses; i++)
		if (!first || srv->pauses[i].until_usec < first)
			first = srv->pauses[i].until_usec;
	evloop_timer_set(srv->timer, first, 0);
}

/* The pause of @p is over at @now: one gap record covers it. */
static void
pause_end(struct me_server *srv, struct me_pause *p, uint64_t now, bool update_session)
{
	struct me_pause done = *p;

	*p = srv->pauses[--srv->npauses];
	log_info("uid %u: recording again after a pause of %llus", done.uid,
		 (unsigned long long)((now - done.start_usec) / 1000000));
	if (update_session)
		tracer_session_update(srv->t);
	interp_mark_gap(srv->t->interp, done.start_usec, now, done.uid, TT_GAP_PAUSED);
	arm_timer(srv);
}

static void
timer_ready(void *data, uint32_t events)
{
	struct me_server *srv = data;
	uint64_t now = evloop_now_usec();

	(void)events;
	evloop_timer_ack(srv->timer);
	for (size_t i = 0; i < srv->npauses;) {
		if (srv->pauses[i].until_usec <= now)
			pause_end(srv, &srv->pauses[i], now, true);
		else
			i++;
	}
}

static void
fmt_duration(uint64_t ns, char *buf, size_t len)
{
	uint64_t s = ns / 1000000000ULL;

	if (s % 86400 == 0 && s)
		snprintf(buf, len, "%llud", (unsigned long long)(s / 86400));
	else if (s % 3600 == 0 && s)
		snprintf(buf, len, "%lluh", (unsigned long long)(s / 3600));
	else if (s % 60 == 0 && s)
		snprintf(buf, len, "%llum", (unsigned long long)(s / 60));
	else
		snprintf(buf, len, "%llus", (unsigned long long)s);
}

static int
queue_status(struct me_client *c)
{
	struct tracer *t = c->srv->t;
	struct me_pause *p = pause_of(c->srv, c->uid);
	struct tt_me_msg m = { .type = TT_ME_STATUS };

	m.u.status.uid = c->uid;
	m.u.status.paused_until_ns = p ? tracer_wall_ns(t, p->until_usec) : 0;
	m.u.status.pause_max_ns = t->opts.cfg.privacy.user_pause_max_ns;
	return queue(c, &m);
}

static int
request_pause(struct me_client *c, uint64_t dur_ns)
{
	struct me_server *srv = c->srv;
	uint64_t max = srv->t->opts.cfg.privacy.user_pause_max_ns;
	uint64_t now = evloop_now_usec();
	struct me_pause *p;
	char a[32];

	if (max == 0)
		return queue_error(c, EPERM, "pausing is not allowed on this computer "
				   "(the administrator has not set [privacy] user_pause_max)");
	fmt_duration(max, a, sizeof(a));
	if (dur_ns == 0 || dur_ns > max)
		return queue_error(c, ERANGE, "a pause may last at most %s on this computer", a);
	p = pause_of(srv, c->uid);
	if (!p) {
		if (srv->npauses == MAX_PAUSES)
			return queue_error(c, EBUSY, "too many users are pausing at once");
		p = &srv->pauses[srv->npauses++];
		p->uid = c->uid;
		p->start_usec = now;
		log_info("uid %u: recording paused for %llus", c->uid,
			 (unsigned long long)(dur_ns / 1000000000ULL));
	}
	/* asking again sets a new end, counted from now */
	p->until_usec = now + dur_ns / 1000;
	arm_timer(srv);
	tracer_session_update(srv->t);
	return queue_status(c);
}

/* --- connections ------------------------------------------------------------------ */

static void
client_close(struct me_client *c)
{
	struct me_server *srv = c->srv;

	for (size_t i = 0; i < MAX_CLIENTS; i++)
		if (srv->clients[i] == c)
			srv->clients[i] = NULL;
	evloop_remove(srv->t->loop, c->src);
	close(c->fd);
	free(c->out);
	free(c->names);
	free(c);
}

/* Send what can be sent, produce more when all went; false: drop. */
static bool
pump(struct me_client *c)
{
	for (int i = 0; i < CHUNKS_PER_WAKE; i++) {
		int rc = flush(c);

		if (rc < 0)
			return false;
		if (rc == 0)
			return true;	/* EPOLLOUT says when there is room */
		if (c->done) {
			c->answering = false;
			return evloop_modify(c->srv->t->loop, c->src, EPOLLIN) == 0;
		}
		if (produce(c) < 0)
			return false;	/* the store failed (logged), or no memory */
	}
	return true;	/* more next time round the loop: EPOLLOUT stays ready */
}

static bool
handle(struct me_client *c, const struct tt_me_msg *m)
{
	int rc;

	switch (m->type) {
	case TT_ME_REQ_RECORDS:
		if (m->u.records.until_ns && m->u.records.until_ns <= m->u.records.since_ns) {
			rc = queue_error(c, EINVAL, "the end of the range is before its start");
			c->done = true;
			break;
		}
		c->since = m->u.records.since_ns;
		c->until = m->u.records.until_ns;
		c->have_last = false;
		c->sent = 0;
		c->done = false;
		rc = 0;
		break;
	case TT_ME_REQ_PAUSE:
		rc = request_pause(c, m->u.pause.duration_ns);
		c->done = true;
		break;
	case TT_ME_REQ_RESUME: {
		struct me_pause *p = pause_of(c->srv, c->uid);

		if (p)
			pause_end(c->srv, p, evloop_now_usec(), true);
		rc = queue_status(c);
		c->done = true;
		break;
	}
	case TT_ME_REQ_STATUS:
		rc = queue_status(c);
		c->done = true;
		break;
	default:
		return false;	/* an answer type from a client */
	}
	if (rc < 0)
		return false;
	c->answering = true;
	return evloop_modify(c->srv->t->loop, c->src, EPOLLOUT) == 0 && pump(c);
}

static void
client_ready(void *data, uint32_t events)
{
	struct me_client *c = data;
	struct me_server *srv = c->srv;

	if (c->answering) {
		if ((events & (EPOLLERR | EPOLLHUP)) || !pump(c))
			client_close(c);
		return;
	}
	if (events & EPOLLIN) {
		uint8_t buf[64];
		struct tt_me_msg m;
		ssize_t n = recv(c->fd, buf, sizeof(buf), MSG_DONTWAIT);
		int rc;

		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			return;
		if (n <= 0) {
			client_close(c);
			return;
		}
		c->active_usec = evloop_now_usec();
		/* a request is small: a longer packet was cut, and is invalid */
		rc = tt_me_parse(buf, (size_t)n, &m);
		if (rc < 0 || !handle(c, &m)) {
			if (tt_log_ratelimit_ok(&srv->rl, evloop_now_usec()))
				log_warn("me: uid %u (pid %d): %s; disconnecting", c->uid,
					 (int)c->pid, rc < 0 ? "invalid request" : "cannot answer");
			client_close(c);
		}
		return;
	}
	if (events & (EPOLLERR | EPOLLHUP))
		client_close(c);
}

static uid_t
client_uid(const void *data, size_t i)
{
	const struct me_server *srv = data;

	return srv->clients[i] ? srv->clients[i]->uid : (uid_t)-1;
}

static void
listen_ready(void *data, uint32_t events)
{
	struct me_server *srv = data;
	int fd;

	(void)events;
	while ((fd = accept4(srv->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC)) >= 0) {
		struct ucred cred;
		struct me_client *c = NULL;
		size_t slot;

		if (!peer_admit(fd, MAX_CLIENTS, MAX_CLIENTS_PER_UID, client_uid, srv, &cred,
				&slot) ||
		    !(c = calloc(1, sizeof(*c)))) {
			if (tt_log_ratelimit_ok(&srv->rl, evloop_now_usec()))
				log_warn("me socket: refusing a connection of uid %d",
					 (int)cred.uid);
			close(fd);
			continue;
		}
		c->srv = srv;
		c->fd = fd;
		c->uid = cred.uid;
		c->pid = cred.pid;
		c->active_usec = evloop_now_usec();
		if (evloop_add_fd(srv->t->loop, fd, EPOLLIN, client_ready, c, &c->src) < 0) {
			close(fd);
			free(c);
			continue;
		}
		srv->clients[slot] = c;
	}
}

void
me_tick(struct tracer *t)
{
	struct me_server *srv = t->me;
	uint64_t now = evloop_now_usec();

	if (!srv)
		return;
	for (size_t i = 0; i < MAX_CLIENTS; i++) {
		struct me_client *c = srv->clients[i];

		if (!c)
			continue;
		/* an answer that has not moved: the client does not read */
		if (c->answering && now - c->active_usec > STALL_USEC) {
			log_warn("me: uid %u (pid %d) does not read its answer; dropped",
				 c->uid, (int)c->pid);
			client_close(c);
		} else if (!c->answering && now - c->active_usec > IDLE_USEC) {
			client_close(c);
		}
	}
}

int
me_socket_init(struct tracer *t)
{
	struct me_server *srv = calloc(1, sizeof(*srv));
	int rc;

	if (!srv)
		return -ENOMEM;
	srv->t = t;
	srv->fd = -1;
	srv->rl = (struct tt_log_ratelimit)TT_LOG_RATELIMIT_INIT(60000000, 10);
	rc = tt_me_socket_path(NULL, t->opts.cfg.collector.socket, srv->path,
			       sizeof(srv->path));
	if (rc == 0 && (rc = evloop_add_timer(t->loop, timer_ready, srv, &srv->timer)) == 0)
		rc = srv->fd = tt_focus_listen(srv->path);
	if (rc < 0) {
		log_error("me socket %s: %s", srv->path, strerror(-rc));
		evloop_remove(t->loop, srv->timer);
		free(srv);
		return rc;
	}
	/* every user may ask: SO_PEERCRED decides whose records they get */
	chmod(srv->path, 0666);
	rc = evloop_add_fd(t->loop, srv->fd, EPOLLIN, listen_ready, srv, &srv->src);
	if (rc < 0) {
		evloop_remove(t->loop, srv->timer);
		close(srv->fd);
		unlink(srv->path);
		free(srv);
		return rc;
	}
	t->me = srv;
	log_debug("me socket %s", srv->path);
	return 0;
}

void
me_socket_fini(struct tracer *t)
{
	struct me_server *srv = t->me;
	uint64_t now = evloop_now_usec();

	if (!srv)
		return;
	/* a pause in progress is written as far as it went */
	while (srv->npauses)
		pause_end(srv, &srv->pauses[0], now, false);
	for (size_t i = 0; i < MAX_CLIENTS; i++)
		if (srv->clients[i])
			client_close(srv->clients[i]);
	evloop_remove(t->loop, srv->timer);
	evloop_remove(t->loop, srv->src);
	close(srv->fd);
	unlink(srv->path);
	free(srv);
	t->me = NULL;
}
