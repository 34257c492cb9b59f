/* SPDX-License-Identifier: MIT */
/*
 * The tracer's side of the "me" socket (me-proto.h): a traced person reads
 * what is stored about them, and may pause their recording.
 *
 * Whose data: the peer's uid from SO_PEERCRED, bound to the user name that
 * uid has now (a new account reusing a deleted one's uid gets none of the
 * old records: see is_mine()); every record is checked before it is
 * encoded, and a request has no field that could name anyone else.
 *
 * No stall: the input loop must keep its latency whatever a client does.
 * An answer is produced a chunk at a time (one record block and the names
 * it refers to, from a read snapshot opened and closed for that chunk, so
 * no snapshot outlives it), only when the previous chunk has gone out, and
 * at most CHUNKS_PER_WAKE chunks per wake-up; the scan for a chunk stops
 * after TURN_BLOCKS store blocks or TURN_USEC, keeping its position, so a
 * uid with few or no records cannot hold the loop for a whole store.
 * Sends never block; a client whose answer has not moved for STALL_USEC
 * (its socket stays full: it does not read) is dropped, as is a
 * connection that asks nothing for IDLE_USEC. Memory per client is one
 * chunk.
 *
 * Pause ([privacy] user_pause_max): the user's sessions count as no
 * session while paused (nothing of their input or focus is recorded); at
 * the end (expiry, resume, or the tracer stopping) one gap record of that
 * user, reason TT_GAP_PAUSED, covers the paused time. Only the user of
 * the seat's session may pause; per uid and day the accepted requests and
 * the paused time are bounded (PAUSES_PER_DAY, DAY_PAUSE_FACTOR), renewals
 * are logged, and PAUSE/RESUME are rate-limited (PAUSE_BURST): a flood
 * writes a bounded number of gaps and log lines.
 */
#include <errno.h>
#include <pwd.h>
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
/* a uid's pauses: per day (24 h from its first pause request), at most
 * PAUSES_PER_DAY accepted PAUSE requests (starts and renewals) and
 * DAY_PAUSE_FACTOR × user_pause_max of paused time; PAUSE and RESUME
 * requests at most PAUSE_BURST at once, then one per PAUSE_RATE_USEC */
#define MAX_ACCOUNTS 16
#define PAUSES_PER_DAY 16
#define DAY_PAUSE_FACTOR 4
#define DAY_USEC (86400ULL * 1000000)
#define PAUSE_BURST 5
#define PAUSE_RATE_USEC 1000000ULL
#define CHUNKS_PER_WAKE 1
/* a turn's scan: blocks begun at most, and time (µs) after which no new
 * block is begun (a block of ~1 100 records decodes in about 70 µs) */
#define TURN_BLOCKS 64
#define TURN_USEC 500
/* name bytes per chunk: with the block, bounds a client's buffer */
#define NAMES_BUDGET (48 * 1024)
#define OUT_CAP (NAMES_BUDGET + 8 * TT_ME_MSG_MAX)
#define STALL_USEC (5ULL * 1000000)
#define IDLE_USEC (60ULL * 1000000)
#define NAMES_BODY (TT_ME_MSG_MAX - TT_ME_HEADER_SIZE)
/* every name the store holds fits a NAMES entry the client accepts */
_Static_assert(TT_ME_NAME_MAX >= TT_STRING_MAX, "a store string longer than a me name");

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
	bool have_scan;
	uint64_t scan_time, scan_seq;	/* the last record looked at */
	uint64_t scan_from;		/* where the next turn opens the store */
	uint64_t last_time;		/* the last record sent's time */
	uint64_t sent;
	/* the scan's work, for the debug line at its END (tests read it) */
	uint64_t scan_blocks, scan_turns, scan_max_blocks;

	/* queued packets, each [u32 length][bytes]; out_head: next to send */
	uint8_t *out;
	size_t out_len, out_head;

	/* whose: the peer's user name now, and what it makes of sessions */
	char user[64];
	bool have_first;
	uint64_t first_ns;		/* the earliest session of (uid, user) */
	struct sess_mine { uint32_t id; bool mine; } *sess;
	size_t nsess, capsess, last_sess;

	/* names already sent on this connection: (table << 32 | id) */
	uint64_t *names;
	size_t nnames, capnames;
};

struct me_pause {
	uint32_t uid;
	uint64_t start_usec, until_usec;	/* monotonic */
};

/* What a uid has paused in its day, and its request rate (monotonic). */
struct me_account {
	uint32_t uid;
	bool used;
	uint64_t day_start_usec;
	uint64_t paused_usec;		/* ended pauses of the day */
	unsigned pauses;		/* PAUSE requests accepted this day */
	unsigned tokens;		/* PAUSE/RESUME requests left at once */
	uint64_t refill_usec;
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
	struct me_account accounts[MAX_ACCOUNTS];
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

/* --- whose records: the uid, and the account's name ---------------------------- */

/*
 * A uid alone does not name a person: a new account may get the uid of a
 * deleted one. A record is the peer's when its uid is the peer's and its
 * session was recorded under the user name the peer's uid has now (the
 * name the tracer took from getpwuid when the session began). A record
 * of no session (a pause's gap) is the peer's when its uid is, from the
 * start of the first such session on: an earlier account of the same uid
 * had its sessions, and its gaps, before that.
 */
static bool
peer_name(uid_t uid, char *buf, size_t cap)
{
	struct passwd pw, *res = NULL;
	char tmp[4096];

	if (getpwuid_r(uid, &pw, tmp, sizeof(tmp), &res) != 0 || !res || !res->pw_name[0] ||
	    strlen(res->pw_name) >= cap)
		return false;
	snprintf(buf, cap, "%s", res->pw_name);
	return true;
}

struct first_ctx {
	struct me_client *c;
};

static int
first_session(void *ctx, const struct tt_session_info *si)
{
	struct me_client *c = ((struct first_ctx *)ctx)->c;

	if (si->uid == c->uid && strncmp(si->user, c->user, sizeof(si->user)) == 0 &&
	    (!c->have_first || si->start_ns < c->first_ns)) {
		c->have_first = true;
		c->first_ns = si->start_ns;
	}
	return 0;
}

/* The account's earliest session, for the records of no session. */
static int
find_first_session(struct me_client *c)
{
	struct first_ctx ctx = { c };
	struct tt_reader *rd;
	int rc;

	c->have_first = false;
	c->nsess = 0;
	if ((rc = tt_reader_open(c->srv->t->writer.store, &rd)) != 0)
		return rc;
	rc = tt_reader_sessions(rd, first_session, &ctx);
	tt_reader_close(rd);
	return rc;
}

static bool
is_mine(struct me_client *c, struct tt_reader *rd, const struct tt_record *r)
{
	struct tt_session_info si;
	bool mine;

	if (r->uid != c->uid)
		return false;
	if (r->session == 0)
		return c->have_first && r->time_ns >= c->first_ns;
	/* records come in runs of one session: the last one found first */
	if (c->nsess && c->sess[c->last_sess].id == r->session)
		return c->sess[c->last_sess].mine;
	for (size_t i = 0; i < c->nsess; i++)
		if (c->sess[i].id == r->session) {
			c->last_sess = i;
			return c->sess[i].mine;
		}
	mine = tt_reader_session(rd, r->session, &si) == 0 && si.uid == c->uid &&
	       strncmp(si.user, c->user, sizeof(si.user)) == 0;
	/* a uid's sessions are few: the list is short */
	if (c->nsess == c->capsess) {
		size_t cap = c->capsess ? c->capsess * 2 : 16;
		struct sess_mine *n = realloc(c->sess, cap * sizeof(*n));

		if (!n)
			return mine;
		c->sess = n;
		c->capsess = cap;
	}
	c->last_sess = c->nsess;
	c->sess[c->nsess++] = (struct sess_mine){ r->session, mine };
	return mine;
}

/* Has the scan looked at @r already (it is at or before the position)? */
static bool
scanned(const struct me_client *c, const struct tt_record *r)
{
	return c->have_scan && (r->time_ns < c->scan_time ||
				(r->time_ns == c->scan_time && r->seq <= c->scan_seq));
}

static void
mark_scanned(struct me_client *c, const struct tt_record *r)
{
	c->have_scan = true;
	c->scan_time = c->scan_from = r->time_ns;
	c->scan_seq = r->seq;
}

/* @r is the first record not looked at: the next turn opens the store at
 * its time (the block it is in), not back in the block just finished */
static void
resume_at(struct me_client *c, const struct tt_record *r)
{
	c->scan_from = r->time_ns;
}

/*
 * Queue the next chunk of the answer; sets c->done with its END.
 *
 * One call is one turn of the event loop for this client, and its work is
 * bounded whatever the store holds: it stops at a full block or names
 * budget, and before it begins a block past TURN_BLOCKS or once TURN_USEC
 * have gone (at least one block is always read, so the scan moves). The
 * store is asked for every uid's records (a uid filter in the query would
 * make one tt_cursor_next() walk all the blocks of other uids); the scan's
 * position is the client's, and the next turn opens a new snapshot there.
 * A turn that found nothing of the peer's queues nothing: EPOLLOUT stays
 * armed and the scan goes on at the loop's next turn, after everything
 * else that was ready.
 */
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
	uint64_t t0 = evloop_now_usec(), blocks = 0;
	bool finished = false;
	int rc;

	np = malloc(sizeof(*np));
	if (!np)
		return -ENOMEM;
	np->len = np->total = 0;
	tt_block_enc_init(enc);
	tt_query_init(&q);	/* every uid: the filter is below */
	q.since_ns = c->scan_from;
	q.until_ns = c->until;
	rc = tt_reader_open(srv->t->writer.store, &rd);
	if (rc == 0)
		rc = tt_cursor_open(rd, &q, &cur);
	if (rc != 0) {
		/* the store's own code (an errno or TT_E*), said here */
		log_warn("me: uid %u: reading the store: %s", c->uid, tt_strerror(rc));
		rc = -EIO;
	} else {
		blocks = tt_cursor_blocks(cur);
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
		if (tt_cursor_blocks(cur) != blocks) {
			/* r is the first of a new block: is the turn spent? */
			if (tt_cursor_blocks(cur) > TURN_BLOCKS ||
			    evloop_now_usec() - t0 >= TURN_USEC) {
				resume_at(c, &r);	/* r is looked at next turn */
				break;
			}
			blocks = tt_cursor_blocks(cur);
		}
		if (scanned(c, &r))
			continue;
		if (!is_mine(c, rd, &r)) {
			mark_scanned(c, &r);
			continue;
		}
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
			resume_at(c, &r);	/* r goes into the next chunk */
			break;
		}
		mark_scanned(c, &r);
		if (rc < 0) {
			rc = 0;		/* not encodable: verify would say so */
			continue;
		}
		c->last_time = r.time_ns;
		c->sent++;
		if (np->total >= NAMES_BUDGET || tt_block_enc_full(enc))
			break;
	}
	c->scan_blocks += blocks;
	c->scan_turns++;
	if (blocks > c->scan_max_blocks)
		c->scan_max_blocks = blocks;
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
	if (finished) {
		end.u.end.records = c->sent;
		c->done = true;
		log_debug("me: uid %u: %llu records sent; scanned %llu blocks in %llu turns, "
			  "at most %llu blocks a turn", c->uid, (unsigned long long)c->sent,
			  (unsigned long long)c->scan_blocks, (unsigned long long)c->scan_turns,
			  (unsigned long long)c->scan_max_blocks);
		return queue(c, &end);
	}
	/* scanning is not stalling: the stall clock counts unread answers */
	c->active_usec = evloop_now_usec();
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

/* @uid's account, its day begun afresh when over; NULL when there is
 * none and @create is false, or no room for one. */
static struct me_account *
account_of(struct me_server *srv, uint32_t uid, uint64_t now, bool create)
{
	struct me_account *a = NULL;

	for (size_t i = 0; i < MAX_ACCOUNTS; i++)
		if (srv->accounts[i].used && srv->accounts[i].uid == uid)
			a = &srv->accounts[i];
	if (!a && !create)
		return NULL;
	/* a new one takes a free entry, or one whose day is over */
	for (size_t i = 0; !a && i < MAX_ACCOUNTS; i++) {
		struct me_account *e = &srv->accounts[i];

		if (!e->used || (now - e->day_start_usec >= DAY_USEC && !pause_of(srv, e->uid))) {
			*e = (struct me_account){ .uid = uid, .used = true, .day_start_usec = now,
						  .tokens = PAUSE_BURST, .refill_usec = now };
			a = e;
		}
	}
	if (a && now - a->day_start_usec >= DAY_USEC) {
		a->day_start_usec = now;
		a->paused_usec = 0;
		a->pauses = 0;
	}
	return a;
}

/* May @a make one more PAUSE or RESUME request now? Takes a token. */
static bool
account_rate_ok(struct me_account *a, uint64_t now)
{
	uint64_t n = (now - a->refill_usec) / PAUSE_RATE_USEC;

	if (n) {
		a->tokens = a->tokens + n >= PAUSE_BURST ? PAUSE_BURST : a->tokens + (unsigned)n;
		a->refill_usec = a->tokens == PAUSE_BURST ? now : a->refill_usec + n * PAUSE_RATE_USEC;
	}
	if (a->tokens == 0)
		return false;
	a->tokens--;
	return true;
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
	struct me_account *a = account_of(srv, done.uid, now, false);

	*p = srv->pauses[--srv->npauses];
	if (a)
		a->paused_usec += now - done.start_usec;
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

/* Is @uid the user of the seat's session (paused or not)? */
static bool
on_the_seat(struct me_server *srv, uint32_t uid)
{
	struct session_view v;

	if (!srv->t->sessions)
		return false;
	session_watch_get(srv->t->sessions, &v);
	return v.state != INTERP_SESSION_NONE && v.uid == uid;
}

static int
request_pause(struct me_client *c, uint64_t dur_ns)
{
	struct me_server *srv = c->srv;
	uint64_t max = srv->t->opts.cfg.privacy.user_pause_max_ns;
	uint64_t now = evloop_now_usec();
	uint64_t day_max_usec = DAY_PAUSE_FACTOR * (max / 1000), used, left, dur_usec;
	struct me_account *a;
	struct me_pause *p;
	char a1[32], a2[32];

	if (max == 0)
		return queue_error(c, EPERM, "pausing is not allowed on this computer "
				   "(the administrator has not set [privacy] user_pause_max)");
	fmt_duration(max, a1, sizeof(a1));
	if (dur_ns == 0 || dur_ns > max)
		return queue_error(c, ERANGE, "a pause may last at most %s on this computer", a1);
	/* only the seat's user has input here to pause: anyone else's pause
	 * would only write gaps */
	if (!on_the_seat(srv, c->uid))
		return queue_error(c, EPERM, "only the user of this seat's session may pause "
				   "its recording");
	a = account_of(srv, c->uid, now, true);
	if (!a)
		return queue_error(c, EBUSY, "too many users are pausing at once");
	if (!account_rate_ok(a, now))
		return queue_error(c, EAGAIN, "too many pause requests at once; "
				   "try again in a few seconds");
	p = pause_of(srv, c->uid);
	used = a->paused_usec + (p ? now - p->start_usec : 0);
	left = used < day_max_usec ? day_max_usec - used : 0;
	fmt_duration(day_max_usec * 1000, a2, sizeof(a2));
	if (a->pauses >= PAUSES_PER_DAY)
		return queue_error(c, EDQUOT, "you have paused %u times today, the most this "
				   "computer allows", a->pauses);
	if (left < 1000000)
		return queue_error(c, EDQUOT, "you have paused for %s today, the most this "
				   "computer allows", a2);
	dur_usec = dur_ns / 1000 < left ? dur_ns / 1000 : left;
	if (!p) {
		if (srv->npauses == MAX_PAUSES)
			return queue_error(c, EBUSY, "too many users are pausing at once");
		p = &srv->pauses[srv->npauses++];
		p->uid = c->uid;
		p->start_usec = now;
		log_info("uid %u: recording paused for %llus", c->uid,
			 (unsigned long long)(dur_usec / 1000000));
	} else {
		log_info("uid %u: pause renewed: recording again in %llus, %llus paused so far",
			 c->uid, (unsigned long long)(dur_usec / 1000000),
			 (unsigned long long)((now - p->start_usec) / 1000000));
	}
	a->pauses++;
	/* asking again sets a new end, counted from now, within the day's */
	p->until_usec = now + dur_usec;
	arm_timer(srv);
	tracer_session_update(srv->t);
	return queue_status(c);
}

/* RESUME: ends the peer's pause; a uid that has one is rate-limited. */
static int
request_resume(struct me_client *c)
{
	uint64_t now = evloop_now_usec();
	struct me_account *a = account_of(c->srv, c->uid, now, false);
	struct me_pause *p = pause_of(c->srv, c->uid);

	if (a && !account_rate_ok(a, now))
		return queue_error(c, EAGAIN, "too many pause requests at once; "
				   "try again in a few seconds");
	if (p)
		pause_end(c->srv, p, now, true);
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
	free(c->sess);
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
		if (!peer_name(c->uid, c->user, sizeof(c->user))) {
			rc = queue_error(c, EPERM, "uid %u has no user name on this computer: "
					 "its records cannot be told from those of an earlier "
					 "account with the same uid", c->uid);
			c->done = true;
			break;
		}
		if ((rc = find_first_session(c)) != 0) {
			log_warn("me: uid %u: reading the store: %s", c->uid, tt_strerror(rc));
			return false;
		}
		c->since = m->u.records.since_ns;
		c->until = m->u.records.until_ns;
		c->have_scan = false;
		c->scan_from = c->since;
		c->sent = 0;
		c->scan_blocks = c->scan_turns = c->scan_max_blocks = 0;
		c->done = false;
		rc = 0;
		break;
	case TT_ME_REQ_PAUSE:
		rc = request_pause(c, m->u.pause.duration_ns);
		c->done = true;
		break;
	case TT_ME_REQ_RESUME:
		rc = request_resume(c);
		c->done = true;
		break;
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
