/* SPDX-License-Identifier: MIT */
/*
 * The shipper (ship/; state.c keeps its cursor and retry state; the
 * command is admin/cmd-ship.c). tasktrace ship: read the records after
 * the cursor in short read-only transactions and send them in batches,
 * one PostgreSQL transaction each.
 * A batch wholly above the server's high-water mark (the usual case):
 *
 *   BEGIN
 *   COPY ship_str FROM STDIN     the batch's strings not sent yet this run
 *   SELECT tasktrace.ship_days(…)            daily partitions, when new
 *   INSERT INTO tasktrace.strings … ON CONFLICT DO NOTHING
 *   COPY tasktrace.events FROM STDIN (FORMAT binary)     (the next batch
 *                                is read from the store meanwhile)
 *   SELECT tasktrace.ship_advance(…)         the high-water mark
 *   COMMIT
 *
 * COPY straight into the table lets the server insert the rows a page at
 * a time (one WAL record per heap page, not per row) with no temporary
 * table between; binary, the server parses no text and the client sends
 * ts ready-made. A batch that may hold records the server has goes
 * through a temporary table instead:
 *
 *   COPY ship_ev FROM STDIN      the records, text
 *   INSERT INTO tasktrace.events … SELECT … FROM ship_ev ON CONFLICT DO NOTHING
 *
 * That is after the cursor went back for late records, and after the
 * server reported a duplicate key (a cloned store shipping under the
 * same ids: the batch is sent again this way). A batch with a value that
 * does not fit its column (a duration above bigint) goes through ship_ev
 * too, without ON CONFLICT: the server names the error. Either way the
 * key (store, time, seq) keeps every record once, and the batch, its
 * strings and the mark commit together or not at all.
 *
 * then the cursor file. A batch the server refuses for its data (SQLSTATE
 * classes 22, 23, 54) is split in halves until the refused row stands
 * alone; it goes to tasktrace.rejected with the error, and the rest is
 * shipped. Strings are sent with an id of their own bytes (SHA-256,
 * 63 bits), so the host never reads the server to intern them.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <libpq-fe.h>
#include <nettle/sha2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "mining/tool.h"
#include "mining/pseudo.h"
#include "ship/ship.h"
#include "tasktrace/config.h"
#include "tasktrace/error.h"
#include "tasktrace/timefmt.h"
#include "tasktrace/utf8.h"

#define NS UINT64_C(1000000000)
#define GAP_EXPIRED 100		/* gap reason on the server only */

/* One row of tasktrace.events, as sent (ids 0: NULL). */
struct row {
	uint64_t t_ns, seq, dur_ns;
	int64_t n1;
	int64_t person, device, app, title, name;
	uint32_t session;
	int32_t n2, n3;
	int16_t tz_min;
	uint8_t kind;
	bool gap;		/* an expiry gap: seq -1 on the server */
};

struct str {
	int64_t id;
	char *s;
	size_t len;
	bool sent;		/* committed on the server during this run */
	unsigned mark;		/* in the transaction being built */
};

/* Strings by id: open addressing, grows at half full. */
struct strtab {
	struct str *v;
	size_t cap, n;
};

struct buf {
	char *p;
	size_t len, cap;
};

struct ship {
	const struct ship_options *o;
	struct tt_store *store;
	struct pseudo *pseudo;
	PGconn *conn;
	struct tt_store_stat st;
	struct ship_state state;
	char hostname[256];
	struct ship_result *res;
	int src;			/* the server's number for this store */
	int kill_phase, kill_at;	/* test hook, see fault_point() */
	bool on_conflict;		/* duplicates possible: ON CONFLICT DO NOTHING */
	/* Keys below this the server may hold already: it had lost commits
	 * and they are sent again (ON CONFLICT DO NOTHING up to here). */
	uint64_t resend_t, resend_s;
	uint64_t stmt_timeout_ms;	/* the session's statement_timeout; 0: none */
	unsigned batches;

	struct row *rows;
	size_t nrows, caprows;
	/* The next batch, read while the server inserts this one. */
	struct row *spare;
	size_t nspare, capspare;
	bool want_prefetch, have_spare;
	uint64_t pf_t, pf_s;		/* it starts at this key */
	uint64_t start_ns;
	struct strtab strs;
	unsigned mark;
	struct buf copy;

	/* per batch caches: local id → string id */
	uint64_t days_lo, days_hi;	/* partitions known to exist, days */
	time_t tz_slot;
	int16_t tz_min;
	char err[SHIP_ERROR_MAX];
};

/* --- small helpers --------------------------------------------------------- */

static void
buf_reserve(struct buf *b, size_t more)
{
	if (b->len + more <= b->cap)
		return;
	b->cap = (b->len + more) * 2;
	b->p = realloc(b->p, b->cap);
	if (!b->p)
		abort();
}

static void
buf_add(struct buf *b, const char *s, size_t len)
{
	buf_reserve(b, len);
	memcpy(b->p + b->len, s, len);
	b->len += len;
}

static void
buf_u64(struct buf *b, uint64_t v)
{
	char tmp[24];
	int i = 24;

	do
		tmp[--i] = (char)('0' + v % 10);
	while (v /= 10);
	buf_add(b, tmp + i, (size_t)(24 - i));
}

static void
buf_i64(struct buf *b, int64_t v)
{
	if (v < 0) {
		buf_add(b, "-", 1);
		buf_u64(b, (uint64_t)0 - (uint64_t)v);
	} else {
		buf_u64(b, (uint64_t)v);
	}
}

/* A column: tab before it unless first; 0 ids are NULL. */
static void
col_id(struct buf *b, int64_t id)
{
	if (id)
		buf_i64(b, id);
	else
		buf_add(b, "\\N", 2);
}

/* COPY text escaping; NUL cannot be escaped and is sent as \000, which the
 * server refuses: such a row ends in tasktrace.rejected, never silently. */
static void
buf_copy_text(struct buf *b, const char *s, size_t len)
{
	buf_reserve(b, 4 * len);
	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		char *o = b->p + b->len;

		switch (c) {
		case '\\': o[0] = '\\'; o[1] = '\\'; b->len += 2; break;
		case '\t': o[0] = '\\'; o[1] = 't'; b->len += 2; break;
		case '\n': o[0] = '\\'; o[1] = 'n'; b->len += 2; break;
		case '\r': o[0] = '\\'; o[1] = 'r'; b->len += 2; break;
		case '\0': memcpy(o, "\\000", 4); b->len += 4; break;
		default: o[0] = c; b->len++; break;
		}
	}
}

static int64_t
string_id(const char *s, size_t len)
{
	struct sha256_ctx ctx;
	uint8_t d[SHA256_DIGEST_SIZE];
	uint64_t v = 0;

	sha256_init(&ctx);
	sha256_update(&ctx, len, (const uint8_t *)s);
	sha256_digest(&ctx, sizeof(d), d);
	for (int i = 0; i < 8; i++)
		v = v << 8 | d[i];
	v &= INT64_MAX;
	return v ? (int64_t)v : 1;
}

static struct str *
strtab_find(struct strtab *t, int64_t id, bool add)
{
	if (add && (t->n + 1) * 2 > t->cap) {
		struct strtab nt = { .cap = t->cap ? t->cap * 2 : 1024 };

		nt.v = calloc(nt.cap, sizeof(*nt.v));
		if (!nt.v)
			abort();
		for (size_t i = 0; i < t->cap; i++) {
			if (!t->v[i].id)
				continue;
			size_t j = (size_t)t->v[i].id & (nt.cap - 1);
			while (nt.v[j].id)
				j = (j + 1) & (nt.cap - 1);
			nt.v[j] = t->v[i];
		}
		free(t->v);
		nt.n = t->n;
		*t = nt;
	}
	if (!t->cap)
		return NULL;
	for (size_t j = (size_t)id & (t->cap - 1);; j = (j + 1) & (t->cap - 1)) {
		if (t->v[j].id == id)
			return &t->v[j];
		if (!t->v[j].id) {
			if (!add)
				return NULL;
			t->v[j].id = id;
			t->n++;
			return &t->v[j];
		}
	}
}

static void
strtab_free(struct strtab *t)
{
	for (size_t i = 0; i < t->cap; i++)
		free(t->v[i].s);
	free(t->v);
	memset(t, 0, sizeof(*t));
}

/* Intern text for the server; returns its id. */
static int64_t
intern(struct ship *sh, const char *s, size_t len)
{
	int64_t id = string_id(s, len);
	struct str *e = strtab_find(&sh->strs, id, true);

	if (!e->s) {
		e->s = malloc(len + 1);
		if (!e->s)
			abort();
		memcpy(e->s, s, len);
		e->s[len] = '\0';
		e->len = len;
	}
	return id;
}

static void
set_error(struct ship *sh, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
set_error(struct ship *sh, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(sh->err, sizeof(sh->err), fmt, ap);
	va_end(ap);
	for (char *p = sh->err; *p; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
	/* trailing blanks of libpq's messages */
	for (size_t n = strlen(sh->err); n && sh->err[n - 1] == ' '; n--)
		sh->err[n - 1] = '\0';
}

/* The host's offset from UTC at @p t_ns, in minutes. Offsets change at
 * most at quarter hours: one localtime_r() per 15 minutes of records. */
static int16_t
tz_minutes(struct ship *sh, uint64_t t_ns)
{
	time_t t = (time_t)(t_ns / NS), slot = t / 900;
	struct tm tm;

	if (slot != sh->tz_slot) {
		sh->tz_slot = slot;
		sh->tz_min = localtime_r(&t, &tm) ? (int16_t)(tm.tm_gmtoff / 60) : 0;
	}
	return sh->tz_min;
}

/* --- reading a batch ------------------------------------------------------- */

struct cache {
	uint32_t key;
	int64_t val;
};

/* Small direct caches for the batch: local string, session and device ids
 * to server string ids (titles and persons may be pseudonyms). */
struct batch_cache {
	struct cache str[4096], title[1024], sess[256], dev[256];
};

static int64_t
local_string(struct ship *sh, struct tt_reader *rd, struct batch_cache *bc, uint32_t id)
{
	struct cache *c = &bc->str[id & 4095];
	const char *s;
	size_t len;

	if (!id)
		return 0;
	if (c->key == id)
		return c->val;
	if (tt_reader_string(rd, id, &s, &len))
		return 0;
	c->key = id;
	c->val = intern(sh, s, len);
	return c->val;
}

static int64_t
local_title(struct ship *sh, struct tt_reader *rd, struct batch_cache *bc, uint32_t id)
{
	struct cache *c = &bc->title[id & 1023];
	char pn[PSEUDO_LEN + 1];
	const char *s;
	size_t len;

	if (!id || sh->o->titles == TT_SHIP_DROP)
		return 0;
	if (sh->o->titles == TT_SHIP_KEEP)
		return local_string(sh, rd, bc, id);
	if (c->key == id)
		return c->val;
	if (tt_reader_string(rd, id, &s, &len))
		return 0;
	pseudo_name(sh->pseudo, "title", "t-", s, len, pn);
	c->key = id;
	c->val = intern(sh, pn, strlen(pn));
	return c->val;
}

static int64_t
local_person(struct ship *sh, struct tt_reader *rd, struct batch_cache *bc,
	     uint32_t session, uint32_t uid)
{
	struct cache *c = &bc->sess[session & 255];
	struct tt_session_info si;
	char name[64], pn[PSEUDO_LEN + 1];

	if (uid == TT_UID_NONE)
		return 0;
	if (session && c->key == session)
		return c->val;
	if (session && tt_reader_session(rd, session, &si) == 0 && si.user[0])
		snprintf(name, sizeof(name), "%s", si.user);
	else
		snprintf(name, sizeof(name), "%s", tool_user_name(rd, uid, session));
	int64_t v;
	if (sh->o->users == TT_SHIP_PSEUDONYMIZE) {
		pseudo_name(sh->pseudo, "user", "u-", name, strlen(name), pn);
		v = intern(sh, pn, strlen(pn));
	} else {
		v = intern(sh, name, strlen(name));
	}
	if (session) {
		c->key = session;
		c->val = v;
	}
	return v;
}

static int64_t
local_device(struct ship *sh, struct tt_reader *rd, struct batch_cache *bc, uint32_t id)
{
	struct cache *c = &bc->dev[id & 255];
	struct tt_device_info d;

	if (!id)
		return 0;
	if (c->key == id)
		return c->val;
	if (tt_reader_device(rd, id, &d))
		return 0;
	c->key = id;
	c->val = intern(sh, d.name, strnlen(d.name, sizeof(d.name)));
	return c->val;
}

static void
to_row(struct ship *sh, struct tt_reader *rd, struct batch_cache *bc,
       const struct tt_record *r, struct row *w)
{
	memset(w, 0, sizeof(*w));
	w->t_ns = r->time_ns;
	w->seq = r->seq;
	w->dur_ns = r->dur_ns;
	w->kind = r->kind;
	w->tz_min = tz_minutes(sh, r->time_ns);
	w->session = r->session;
	w->person = local_person(sh, rd, bc, r->session, r->uid);
	w->device = local_device(sh, rd, bc, r->device);
	w->app = local_string(sh, rd, bc, r->app);
	w->title = local_title(sh, rd, bc, r->title);
	switch (r->kind) {
	case TT_KIND_TYPING: {
		int64_t keys = 0;

		for (int i = 0; i < TT_CLASS_COUNT; i++)
			keys += r->u.typing.count[i];
		w->n1 = keys;
		w->n2 = (int32_t)r->u.typing.count[TT_CLASS_ERASE];
		w->n3 = r->u.typing.end;
		break;
	}
	case TT_KIND_KEY:
		w->name = local_string(sh, rd, bc, r->u.key.name);
		w->n1 = r->u.key.code;
		w->n2 = r->u.key.mods;
		break;
	case TT_KIND_BUTTON:
		w->n1 = r->u.button.button;
		w->n2 = r->u.button.clicks;
		w->n3 = r->u.button.mods;
		break;
	case TT_KIND_SCROLL:
		w->n1 = r->u.scroll.v120;
		w->n2 = (int32_t)r->u.scroll.events;
		w->n3 = r->u.scroll.axis;
		break;
	case TT_KIND_MOTION:
		w->n1 = r->u.motion.distance;
		w->n2 = (int32_t)r->u.motion.events;
		break;
	case TT_KIND_TOUCH:
		w->n1 = r->u.touch.distance;
		w->n2 = (int32_t)r->u.touch.events;
		w->n3 = r->u.touch.fingers;
		break;
	case TT_KIND_GESTURE:
		w->n1 = r->u.gesture.scale;
		w->n2 = r->u.gesture.type;
		w->n3 = r->u.gesture.fingers;
		break;
	case TT_KIND_TABLET:
		w->n1 = r->u.tablet.distance;
		w->n2 = r->u.tablet.tool;
		w->n3 = r->u.tablet.event;
		break;
	case TT_KIND_FOCUS:
		w->name = local_string(sh, rd, bc, r->u.focus.exe);
		w->n1 = r->u.focus.pid;
		w->n2 = r->u.focus.flags;
		break;
	case TT_KIND_SESSION:
		w->n1 = r->u.session.end;
		break;
	case TT_KIND_DEVICE:
		w->n1 = r->u.device.removed;
		break;
	case TT_KIND_GAP:
		w->n1 = r->u.gap.lost;
		w->n2 = r->u.gap.reason;
		break;
	default:
		break;
	}
}

static bool
key_less(uint64_t at, uint64_t as, uint64_t bt, uint64_t bs)
{
	return at < bt || (at == bt && as < bs);
}

static void
push_row(struct ship *sh, const struct row *w)
{
	if (sh->nrows == sh->caprows) {
		sh->caprows = sh->caprows ? sh->caprows * 2 : 4096;
		sh->rows = realloc(sh->rows, sh->caprows * sizeof(*sh->rows));
		if (!sh->rows)
			abort();
	}
	sh->rows[sh->nrows++] = *w;
}

/*
 * Read up to a batch of records from the cursor, in one short read
 * transaction. Returns 0 (rows in sh->rows, maybe none) or an exit code.
 */
static int
read_batch(struct ship *sh, uint64_t from_t, uint64_t from_s)
{
	struct tt_reader *rd;
	struct tt_cursor *cur;
	struct tt_query q;
	struct tt_record r;
	struct batch_cache *bc;
	int rc;

	sh->nrows = 0;
	if ((rc = tt_reader_open(sh->store, &rd)))
		return tool_store_error("reading the store", rc);
	bc = calloc(1, sizeof(*bc));
	if (!bc)
		abort();

	/* Records deleted by age or for room before they were shipped:
	 * one gap row says so, then the cursor moves past them. */
	uint64_t et, es;
	if ((rc = tt_reader_expired(rd, &et, &es)) == 0 &&
	    key_less(from_t, from_s, et, es)) {
		struct row g = { 0 };
		uint64_t from = from_t ? from_t : sh->st.created_ns;

		if (from > et)
			from = et;
		g.gap = true;
		g.kind = TT_KIND_GAP;
		g.seq = es;		/* sent as -1; the cursor's seq after it */
		g.t_ns = from;
		g.dur_ns = et - from;
		g.n2 = GAP_EXPIRED;
		g.tz_min = tz_minutes(sh, from);
		push_row(sh, &g);
	}

	tt_query_init(&q);
	q.since_ns = from_t;
	if (sh->nrows)
		q.since_ns = et;
	if ((rc = tt_cursor_open(rd, &q, &cur)) == 0) {
		uint64_t nt = sh->nrows ? et : from_t;
		uint64_t ns = sh->nrows ? es : from_s;

		while (sh->nrows < sh->o->batch && (rc = tt_cursor_next(cur, &r)) == 1) {
			struct row w;

			if (key_less(r.time_ns, r.seq, nt, ns))
				continue;
			to_row(sh, rd, bc, &r, &w);
			push_row(sh, &w);
		}
		tt_cursor_close(cur);
		if (rc > 0)
			rc = 0;
	}
	tt_reader_close(rd);
	free(bc);
	if (rc)
		return tool_store_error("reading the store", rc);
	return 0;
}

/* --- sending ------------------------------------------------------------- */

static const char *
pg_message(PGconn *conn, const PGresult *res)
{
	const char *m = res ? PQresultErrorMessage(res) : NULL;

	return m && *m ? m : PQerrorMessage(conn);
}

enum send_result {
	SEND_OK,
	SEND_DATA,	/* the server refused the data: split */
	SEND_FAIL,	/* connection lost or another error: stop */
	SEND_RETRY,	/* a duplicate key: again, with ON CONFLICT DO NOTHING */
	SEND_TRANSIENT,	/* another session's doing (a deadlock, a serialization
			 * failure, a partition made meanwhile): again, as it was */
};

static enum send_result
classify(struct ship *sh, PGresult *res, const char *what)
{
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;

	set_error(sh, "%s: %s", what, pg_message(sh->conn, res));
	if (PQstatus(sh->conn) != CONNECTION_OK)
		return SEND_FAIL;
	if (state && strcmp(state, "23505") == 0 && !sh->on_conflict) {
		/* A key the server has (a clone of this store shipping too):
		 * from now on the insert drops what is there already. */
		sh->on_conflict = true;
		return SEND_RETRY;
	}
	/* Concurrent hosts: a deadlock or a serialization failure is the
	 * other transaction's luck, a partition another host made (or is
	 * making) is there the next time. None is this batch's fault. */
	if (state && (strcmp(state, "40P01") == 0 || strcmp(state, "40001") == 0 ||
		      strcmp(state, "42P07") == 0))
		return SEND_TRANSIENT;
	if (state && strcmp(state, "23514") == 0 && res &&
	    strstr(pg_message(sh->conn, res), "no partition of relation")) {
		sh->days_lo = UINT64_MAX;	/* ask for the days again */
		sh->days_hi = 0;
		return SEND_TRANSIENT;
	}
	if (state && (strncmp(state, "22", 2) == 0 || strncmp(state, "23", 2) == 0 ||
		      strncmp(state, "54", 2) == 0))
		return SEND_DATA;
	return SEND_FAIL;
}

static enum send_result
exec_ok(struct ship *sh, const char *sql, const char *what)
{
	PGresult *res = PQexec(sh->conn, sql);
	ExecStatusType s = PQresultStatus(res);
	enum send_result r = SEND_OK;

	if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK)
		r = classify(sh, res, what);
	PQclear(res);
	return r;
}

static void prefetch(struct ship *sh);

#define COPY_CHUNK ((size_t)64 << 10)

/* COPY @p b; with @p overlap, the next batch is read from the store while
 * the server works through what is still on its way. */
static enum send_result
copy_in(struct ship *sh, const char *sql, const struct buf *b, const char *what, bool overlap)
{
	PGresult *res = PQexec(sh->conn, sql);
	enum send_result r = SEND_OK;

	if (PQresultStatus(res) != PGRES_COPY_IN) {
		r = classify(sh, res, what);
		PQclear(res);
		return r;
	}
	PQclear(res);
	/* In messages of 64 KiB: one message of a whole batch (megabytes)
	 * made the server spend a third of its time copying it around. */
	for (size_t off = 0; off < b->len; off += COPY_CHUNK) {
		size_t len = b->len - off < COPY_CHUNK ? b->len - off : COPY_CHUNK;

		if (PQputCopyData(sh->conn, b->p + off, (int)len) != 1) {
			set_error(sh, "%s: %s", what, PQerrorMessage(sh->conn));
			return SEND_FAIL;
		}
	}
	if (PQputCopyEnd(sh->conn, NULL) != 1) {
		set_error(sh, "%s: %s", what, PQerrorMessage(sh->conn));
		return SEND_FAIL;
	}
	if (overlap && sh->want_prefetch)
		prefetch(sh);
	while ((res = PQgetResult(sh->conn))) {
		if (PQresultStatus(res) != PGRES_COMMAND_OK && r == SEND_OK)
			r = classify(sh, res, what);
		PQclear(res);
	}
	return r;
}

static int read_batch(struct ship *sh, uint64_t from_t, uint64_t from_s);

/* Read the batch after this one into the spare rows (once per batch). */
static void
prefetch(struct ship *sh)
{
	struct row *rows = sh->rows;
	size_t n = sh->nrows, cap = sh->caprows;

	sh->want_prefetch = false;
	if (tt_mono_ns() - sh->start_ns >= sh->o->budget_ns)
		return;
	sh->rows = sh->spare;
	sh->nrows = 0;
	sh->caprows = sh->capspare;
	sh->have_spare = read_batch(sh, sh->pf_t, sh->pf_s) == 0;
	sh->spare = sh->rows;
	sh->nspare = sh->nrows;
	sh->capspare = sh->caprows;
	sh->rows = rows;
	sh->nrows = n;
	sh->caprows = cap;
}

/* Send @p sql and, while the server runs it, read the next batch. */
static enum send_result
exec_overlapped(struct ship *sh, const char *sql, const char *what)
{
	enum send_result r = SEND_OK;
	PGresult *res;

	if (!PQsendQuery(sh->conn, sql)) {
		set_error(sh, "%s: %s", what, PQerrorMessage(sh->conn));
		return SEND_FAIL;
	}
	if (sh->want_prefetch)
		prefetch(sh);
	while ((res = PQgetResult(sh->conn))) {
		ExecStatusType st = PQresultStatus(res);

		if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK && r == SEND_OK)
			r = classify(sh, res, what);
		PQclear(res);
	}
	return r;
}

static void
format_row(struct buf *b, const struct row *w)
{
	buf_u64(b, w->t_ns);
	buf_add(b, "\t", 1);
	if (w->gap)
		buf_add(b, "-1", 2);
	else
		buf_u64(b, w->seq);
	buf_add(b, "\t", 1);
	buf_i64(b, w->tz_min);
	buf_add(b, "\t", 1);
	buf_u64(b, w->dur_ns);
	buf_add(b, "\t", 1);
	buf_u64(b, w->kind);
	buf_add(b, "\t", 1);
	col_id(b, w->person);
	buf_add(b, "\t", 1);
	if (w->session)
		buf_u64(b, w->session);
	else
		buf_add(b, "\\N", 2);
	buf_add(b, "\t", 1);
	col_id(b, w->device);
	buf_add(b, "\t", 1);
	col_id(b, w->app);
	buf_add(b, "\t", 1);
	col_id(b, w->title);
	buf_add(b, "\t", 1);
	col_id(b, w->name);
	buf_add(b, "\t", 1);
	buf_i64(b, w->n1);
	buf_add(b, "\t", 1);
	buf_i64(b, w->n2);
	buf_add(b, "\t", 1);
	buf_i64(b, w->n3);
	buf_add(b, "\n", 1);
}

/* COPY BINARY: big-endian fields, each after its length (-1: NULL). */
static void
bin_field(struct buf *b, uint64_t v, unsigned size)
{
	char *o;

	buf_reserve(b, 4 + size);
	o = b->p + b->len;
	o[0] = 0;
	o[1] = 0;
	o[2] = 0;
	o[3] = (char)size;
	for (unsigned i = 0; i < size; i++)
		o[4 + i] = (char)(v >> (8 * (size - 1 - i)));
	b->len += 4 + size;
}

static void
bin_id(struct buf *b, int64_t id, unsigned size)
{
	if (id)
		bin_field(b, (uint64_t)id, size);
	else
		buf_add(b, "\377\377\377\377", 4);
}

/* Whether a row fits the columns' types as binary values; a row that does
 * not goes through the text path, where the server refuses it by name. */
static bool
row_fits(const struct row *w)
{
	return w->t_ns <= INT64_MAX && w->dur_ns <= INT64_MAX &&
	       (w->gap || w->seq <= INT64_MAX) && w->session <= INT32_MAX;
}

/* The row as tasktrace.events takes it (EVENT_COLUMNS, by name). ts is
 * microseconds since 2000-01-01 UTC, the server's timestamptz. */
static void
format_row_binary(struct buf *b, int src, const struct row *w)
{
	const uint64_t pg_epoch_us = UINT64_C(946684800000000);

	buf_add(b, "\0\20", 2);
	bin_field(b, (uint32_t)src, 4);
	bin_field(b, w->t_ns, 8);
	bin_field(b, w->gap ? UINT64_MAX : w->seq, 8);
	bin_field(b, w->t_ns / 1000 - pg_epoch_us, 8);
	bin_field(b, (uint16_t)w->tz_min, 2);
	bin_field(b, w->dur_ns, 8);
	bin_field(b, w->kind, 2);
	bin_id(b, w->person, 8);
	bin_id(b, w->session, 4);
	bin_id(b, w->device, 8);
	bin_id(b, w->app, 8);
	bin_id(b, w->title, 8);
	bin_id(b, w->name, 8);
	bin_field(b, (uint64_t)w->n1, 8);
	bin_field(b, (uint32_t)w->n2, 4);
	bin_field(b, (uint32_t)w->n3, 4);
}

/* The strings rows [a, b) refer to that the server does not have yet. */
static void
format_strings(struct ship *sh, struct buf *out, size_t a, size_t b)
{
	sh->mark++;
	for (size_t i = a; i < b; i++) {
		const int64_t ids[] = { sh->rows[i].person, sh->rows[i].device,
					sh->rows[i].app, sh->rows[i].title, sh->rows[i].name };

		for (size_t j = 0; j < 5; j++) {
			struct str *e;

			if (!ids[j] || !(e = strtab_find(&sh->strs, ids[j], false)) ||
			    e->sent || e->mark == sh->mark)
				continue;
			e->mark = sh->mark;
			buf_i64(out, e->id);
			buf_add(out, "\t", 1);
			buf_copy_text(out, e->s, e->len);
			buf_add(out, "\n", 1);
		}
	}
}

static void
mark_sent(struct ship *sh, size_t a, size_t b)
{
	for (size_t i = a; i < b; i++) {
		const int64_t ids[] = { sh->rows[i].person, sh->rows[i].device,
					sh->rows[i].app, sh->rows[i].title, sh->rows[i].name };

		for (size_t j = 0; j < 5; j++) {
			struct str *e = ids[j] ? strtab_find(&sh->strs, ids[j], false) : NULL;

			if (e)
				e->sent = true;
		}
	}
}

/* The cursor after row @p w. */
static void
next_after(const struct row *w, uint64_t *nt, uint64_t *ns)
{
	if (w->gap) {
		*nt = w->t_ns + w->dur_ns;	/* the expiry key */
		*ns = w->seq;
	} else if (w->seq == UINT64_MAX) {
		*nt = w->t_ns + 1;
		*ns = 0;
	} else {
		*nt = w->t_ns;
		*ns = w->seq + 1;
	}
}

/*
 * Test hook: TASKTRACE_SHIP_FAULT=before-commit:N or after-commit:N makes
 * the Nth batch of the run SIGKILL itself there, so that the fault tests
 * hit both windows for certain (random kills hit them only by chance).
 */
static void
fault_point(struct ship *sh, int phase)
{
	if (phase == sh->kill_phase && sh->batches + 1 == (unsigned)sh->kill_at)
		raise(SIGKILL);
}

/* A transaction committed rows [a, b): the cursor follows, on disk. */
static enum send_result
committed(struct ship *sh, size_t a, size_t b, uint64_t end_t, uint64_t end_s)
{
	int rc;

	sh->batches++;
	sh->state.next_ns = end_t;
	sh->state.next_seq = end_s;
	sh->state.shipped += b - a;
	for (size_t i = a; i < b; i++)
		if (!sh->rows[i].gap && sh->rows[i].t_ns > sh->state.last_record_ns)
			sh->state.last_record_ns = sh->rows[i].t_ns;
	if ((rc = ship_state_save(sh->o->state_dir, &sh->state))) {
		/* The server has it; the next run takes its mark. */
		set_error(sh, "cannot save the cursor in %s: %s", sh->o->state_dir, strerror(-rc));
		return SEND_FAIL;
	}
	sh->res->batches++;
	sh->res->rows += b - a;
	return SEND_OK;
}

#define EVENT_COLUMNS "src, t_ns, seq, ts, tz_min, dur_ns, kind, person, session, " \
	"device, app, title, name, n1, n2, n3"

/*
 * ts from t_ns in integer arithmetic, truncated to the microsecond, as the
 * binary path computes it (format_row_binary()): whole seconds (exact in a
 * float8 below 2^53) plus the microseconds. to_timestamp(t_ns / 1e9) was
 * a float8 of the whole value and came out 1 µs off for some rows.
 */
#define EXACT_TS "to_timestamp(t_ns / 1000000000) + " \
		 "(mod(t_ns, 1000000000) / 1000) * interval '1 microsecond'"

/*
 * One transaction for rows [a, b). A range wholly above the server's mark
 * (no ON CONFLICT needed) whose values all fit their columns is copied
 * straight into tasktrace.events in binary; otherwise through ship_ev.
 */
static enum send_result
send_range(struct ship *sh, size_t a, size_t b, uint64_t end_t, uint64_t end_s)
{
	static const char header[19] = "PGCOPY\n\377\r\n";	/* flags, extension: 0 */
	struct buf strs = { 0 };
	char sql[1536];
	uint64_t lo = UINT64_MAX, hi = 0;
	bool overlap = sh->on_conflict ||
		       key_less(sh->rows[a].t_ns, sh->rows[a].seq, sh->resend_t, sh->resend_s);
	bool direct = !overlap;
	enum send_result r;

	for (size_t i = a; i < b; i++) {
		if (sh->rows[i].t_ns < lo)
			lo = sh->rows[i].t_ns;
		if (sh->rows[i].t_ns > hi)
			hi = sh->rows[i].t_ns;
		direct = direct && row_fits(&sh->rows[i]);
	}
	sh->copy.len = 0;
	if (direct) {
		buf_add(&sh->copy, header, sizeof(header));
		for (size_t i = a; i < b; i++)
			format_row_binary(&sh->copy, sh->src, &sh->rows[i]);
		buf_add(&sh->copy, "\377\377", 2);
	} else {
		for (size_t i = a; i < b; i++)
			format_row(&sh->copy, &sh->rows[i]);
	}
	format_strings(sh, &strs, a, b);

	if ((r = exec_ok(sh, "BEGIN", "BEGIN")) != SEND_OK)
		goto out;
	if (strs.len && (r = copy_in(sh, "COPY pg_temp.ship_str FROM STDIN", &strs,
				     "sending strings", false)) != SEND_OK)
		goto rollback;
	if (!direct && (r = copy_in(sh, "COPY pg_temp.ship_ev FROM STDIN", &sh->copy,
				    "sending records", false)) != SEND_OK)
		goto rollback;

	int n = 0;
	uint64_t dlo = lo / (86400 * NS), dhi = hi / (86400 * NS);
	bool days = b > a && (dlo < sh->days_lo || dhi > sh->days_hi);

	sql[0] = '\0';
	if (days)
		n += snprintf(sql + n, sizeof(sql) - (size_t)n,
			      "SELECT tasktrace.ship_days(%" PRIu64 ", %" PRIu64 ");", lo, hi);
	if (strs.len)
		n += snprintf(sql + n, sizeof(sql) - (size_t)n,
			      "INSERT INTO tasktrace.strings (id, s) SELECT id, s FROM "
			      "pg_temp.ship_str ORDER BY id ON CONFLICT DO NOTHING;");
	if (direct) {
		if (n && (r = exec_ok(sh, sql, "inserting")) != SEND_OK)
			goto rollback;
		if ((r = copy_in(sh, "COPY tasktrace.events (" EVENT_COLUMNS ") FROM STDIN "
				 "(FORMAT binary)", &sh->copy, "sending records", true)) != SEND_OK)
			goto rollback;
		n = 0;
	} else {
		n += snprintf(sql + n, sizeof(sql) - (size_t)n,
			      "INSERT INTO tasktrace.events (" EVENT_COLUMNS ") "
			      "SELECT %d, t_ns, seq, " EXACT_TS ", tz_min, "
			      "dur_ns, kind, person, session, device, app, title, name, n1, n2, n3 "
			      "FROM pg_temp.ship_ev%s;", sh->src,
			      overlap ? " ON CONFLICT DO NOTHING" : "");
	}
	n += snprintf(sql + n, sizeof(sql) - (size_t)n,
		      "SELECT tasktrace.ship_advance('%s', '%s', %" PRIu64 ", %" PRIu64
		      ", %" PRIu64 ", %zu);", sh->st.host_id, sh->st.store_id,
		      sh->state.late_gen, end_t, end_s, b - a);
	if ((r = exec_overlapped(sh, sql, "inserting")) != SEND_OK)
		goto rollback;
	fault_point(sh, 1);
	if ((r = exec_ok(sh, "COMMIT", "COMMIT")) != SEND_OK)
		goto out;
	fault_point(sh, 2);
	if (days) {
		if (dlo < sh->days_lo)
			sh->days_lo = dlo;
		if (dhi > sh->days_hi)
			sh->days_hi = dhi;
	}
	mark_sent(sh, a, b);
	free(strs.p);
	return committed(sh, a, b, end_t, end_s);
rollback:
	if (PQstatus(sh->conn) == CONNECTION_OK) {
		PGresult *res = PQexec(sh->conn, "ROLLBACK");
		PQclear(res);
	}
out:
	free(strs.p);
	return r;
}

/* Make @p s printable for tasktrace.rejected: valid UTF-8, no NUL. */
static void
printable(struct buf *out, const char *s, size_t len)
{
	struct buf tmp = { 0 };

	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\0')
			buf_add(&tmp, "\\0", 2);
		else
			buf_add(&tmp, s + i, 1);
	}
	buf_reserve(out, 3 * tmp.len + 1);
	out->len += tt_utf8_repair(out->p + out->len, 3 * tmp.len + 1, tmp.p ? tmp.p : "",
				   tmp.len);
	free(tmp.p);
}

/* One row the server refuses: into tasktrace.rejected with the error, and
 * the mark moves past it, in one transaction. */
static enum send_result
quarantine(struct ship *sh, size_t i, uint64_t end_t, uint64_t end_s)
{
	struct buf line = { 0 }, text = { 0 }, strs = { 0 };
	char src[16], t[24], q[24], gen[24], et[24], es[24];
	const char *params[9];
	PGresult *res;
	enum send_result r;
	char error[SHIP_ERROR_MAX];

	snprintf(error, sizeof(error), "%s", sh->err);
	format_row(&line, &sh->rows[i]);
	sh->mark++;
	format_strings(sh, &strs, i, i + 1);
	buf_add(&line, strs.p ? strs.p : "", strs.len);
	printable(&text, line.p, line.len);
	buf_add(&text, "", 1);
	fprintf(stderr, "tasktrace: ship: the server refused a record (%s); kept in "
		"tasktrace.rejected: %s", error, text.p);

	snprintf(src, sizeof(src), "%d", sh->src);
	snprintf(t, sizeof(t), "%" PRIu64, sh->rows[i].t_ns);
	snprintf(q, sizeof(q), "%" PRIu64, sh->rows[i].seq);
	snprintf(gen, sizeof(gen), "%" PRIu64, sh->state.late_gen);
	snprintf(et, sizeof(et), "%" PRIu64, end_t);
	snprintf(es, sizeof(es), "%" PRIu64, end_s);
	params[0] = src;
	params[1] = sh->rows[i].t_ns <= INT64_MAX ? t : NULL;
	params[2] = sh->rows[i].seq <= INT64_MAX && !sh->rows[i].gap ? q : NULL;
	params[3] = text.p;
	params[4] = error;
	params[5] = gen;
	params[6] = et;
	params[7] = es;
	if ((r = exec_ok(sh, "BEGIN", "BEGIN")) != SEND_OK)
		goto out;
	res = PQexecParams(sh->conn,
			   "INSERT INTO tasktrace.rejected (src, t_ns, seq, row_text, error) "
			   "VALUES ($1, $2, $3, $4, $5)", 5, NULL, params, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		classify(sh, res, "recording a refused record");
		PQclear(res);
		r = SEND_FAIL;
		goto rollback;
	}
	PQclear(res);
	char sql[512];
	snprintf(sql, sizeof(sql), "SELECT tasktrace.ship_advance('%s', '%s', $1, $2, $3, 1)",
		 sh->st.host_id, sh->st.store_id);
	res = PQexecParams(sh->conn, sql, 3, NULL, params + 5, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		classify(sh, res, "moving the mark past a refused record");
		PQclear(res);
		r = SEND_FAIL;
		goto rollback;
	}
	PQclear(res);
	if ((r = exec_ok(sh, "COMMIT", "COMMIT")) != SEND_OK)
		goto out;
	sh->res->rejected++;
	r = committed(sh, i, i + 1, end_t, end_s);
	sh->state.shipped--;	/* not on the server */
	sh->res->rows--;
	goto out;
rollback:
	if (PQstatus(sh->conn) == CONNECTION_OK)
		PQclear(PQexec(sh->conn, "ROLLBACK"));
out:
	free(line.p);
	free(text.p);
	free(strs.p);
	return r;
}

#define TRANSIENT_TRIES 12

/* Send rows [a, b); on a data error, halves until the refused row stands
 * alone. */
static enum send_result
send_split(struct ship *sh, size_t a, size_t b, uint64_t end_t, uint64_t end_s)
{
	enum send_result r = send_range(sh, a, b, end_t, end_s);
	size_t mid;

	/* Another host's deadlock, serialization failure or new partition:
	 * the same batch again after a short random pause, a few times,
	 * before the run gives up (and backs off) for it. */
	for (unsigned i = 0; r == SEND_TRANSIENT && i < TRANSIENT_TRIES; i++) {
		uint64_t rnd = 0;
		struct timespec ts;

		if (getrandom(&rnd, sizeof(rnd), 0) < 0)
			rnd = tt_mono_ns();
		uint64_t ms = 10 + rnd % (50u << (i < 5 ? i : 5));
		ts.tv_sec = (time_t)(ms / 1000);
		ts.tv_nsec = (long)(ms % 1000) * 1000000;
		nanosleep(&ts, NULL);
		sh->res->retries++;
		if (sh->o->verbose)
			printf("ship: %s; sending the batch again\n", sh->err);
		r = send_range(sh, a, b, end_t, end_s);
	}
	if (r == SEND_TRANSIENT)
		r = SEND_FAIL;
	if (r == SEND_RETRY)
		r = send_range(sh, a, b, end_t, end_s);
	uint64_t mt, ms;

	if (r != SEND_DATA)
		return r;
	if (b - a == 1)
		return quarantine(sh, a, end_t, end_s);
	mid = a + (b - a) / 2;
	next_after(&sh->rows[mid - 1], &mt, &ms);
	if ((r = send_split(sh, a, mid, mt, ms)) != SEND_OK)
		return r;
	return send_split(sh, mid, b, end_t, end_s);
}

/* --- a run ------------------------------------------------------------------ */

uint64_t
ship_backoff_ns(uint64_t failures, uint64_t random)
{
	const uint64_t base = 5 * 60 * NS, cap = 6 * 3600 * NS;
	uint64_t d = base;

	for (uint64_t i = 1; i < failures && d < cap; i++)
		d *= 2;
	if (d > cap)
		d = cap;
	return d / 2 + random % (d / 2 + 1);
}

static int
lock_state(const struct ship_options *o, const char *store_id, int *fd)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/%s.lock", o->state_dir, store_id);
	*fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0640);
	if (*fd < 0) {
		tool_error("ship: %s: %s (the state directory is [ship] state_dir)", path,
			  strerror(errno));
		return errno == EACCES || errno == EPERM ? TT_EXIT_PERM : TT_EXIT_IO;
	}
	if (flock(*fd, LOCK_EX | LOCK_NB) < 0) {
		tool_error("ship: another tasktrace ship is running for this store");
		close(*fd);
		*fd = -1;
		return TT_EXIT_BUSY;
	}
	return 0;
}

static int
open_store(struct ship *sh)
{
	struct tt_reader *rd;
	int code, rc;

	sh->store = tool_open_store(TT_STORE_RDONLY, &code);
	if (!sh->store)
		return code;
	if ((rc = tt_reader_open(sh->store, &rd)))
		return tool_store_error("reading the store", rc);
	rc = tt_reader_stat(rd, &sh->st);
	tt_reader_close(rd);
	if (rc)
		return tool_store_error("reading the store", rc);
	return 0;
}

static bool
valid_hex_id(const char *s)
{
	size_t n = strspn(s, "0123456789abcdef");

	return n == 32 && s[n] == '\0';
}

/* Connect, make the temporary tables, learn the server's mark. */
static int
connect_server(struct ship *sh, uint64_t *gen, uint64_t *nt, uint64_t *ns)
{
	static const char temp[] =
		"CREATE TEMP TABLE ship_ev (t_ns bigint, seq bigint, tz_min smallint, "
		"dur_ns bigint, kind smallint, person bigint, session integer, device bigint, "
		"app bigint, title bigint, name bigint, n1 bigint, n2 integer, n3 integer) "
		"ON COMMIT DELETE ROWS;"
		"CREATE TEMP TABLE ship_str (id bigint, s text) ON COMMIT DELETE ROWS;";
	const char *params[3] = { sh->st.host_id, sh->st.store_id, sh->hostname };
	char hid[40], sid[40];
	PGresult *res;

	sh->conn = PQconnectdb(sh->o->conninfo);
	if (PQstatus(sh->conn) != CONNECTION_OK) {
		set_error(sh, "cannot connect to the server: %s", PQerrorMessage(sh->conn));
		return TT_EXIT_UNREACHABLE;
	}
	if (sh->o->require_tls && !PQsslInUse(sh->conn)) {
		set_error(sh, "the connection to the server is not encrypted; refusing to "
			  "send (set [ship] plaintext = yes only for a local socket or a test)");
		return TT_EXIT_CONFIG;
	}
	if (exec_ok(sh, temp, "preparing the session") != SEND_OK)
		return PQstatus(sh->conn) == CONNECTION_OK ? TT_EXIT_FAIL : TT_EXIT_UNREACHABLE;
	/*
	 * A commit counts when it is on the server's disk: the host moves its
	 * cursor past what the server acknowledged, so an asynchronous commit
	 * (synchronous_commit = off, a common ingest tuning) would let a
	 * server crash lose batches for good. Waits are bounded: a held lock
	 * or a stuck statement ends the run with an error, not a hang.
	 */
	char set[256];
	uint64_t stmt_ms = sh->o->statement_timeout_ns / 1000000;

	if (sh->o->budget_ns && (!stmt_ms || sh->o->budget_ns / 1000000 < stmt_ms))
		stmt_ms = sh->o->budget_ns / 1000000;
	snprintf(set, sizeof(set), "SET synchronous_commit = on; SET lock_timeout = %" PRIu64
		 "; SET statement_timeout = %" PRIu64 ";",
		 sh->o->lock_timeout_ns / 1000000, stmt_ms);
	if (exec_ok(sh, set, "preparing the session") != SEND_OK)
		return PQstatus(sh->conn) == CONNECTION_OK ? TT_EXIT_FAIL : TT_EXIT_UNREACHABLE;
	sh->stmt_timeout_ms = stmt_ms;

	/* uuid text: the hex ids as they are */
	snprintf(hid, sizeof(hid), "%s", sh->st.host_id);
	snprintf(sid, sizeof(sid), "%s", sh->st.store_id);
	params[0] = hid;
	params[1] = sid;
	res = PQexecParams(sh->conn, "SELECT src, late_gen, hwm_ns, hwm_seq FROM "
			   "tasktrace.ship_begin($1, $2, $3)", 3, NULL, params, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) != 1) {
		const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
		const char *msg = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);

		if (state && strcmp(state, "42501") == 0 && msg &&
		    strstr(msg, "registered to another role"))	/* ship_begin's refusal */
			set_error(sh, "the server refuses this store to this host's role: %s", msg);
		else
			set_error(sh, "registering with the server (is docs/fleet/schema.sql "
				  "installed, and grants.sql?): %s", pg_message(sh->conn, res));
		PQclear(res);
		return PQstatus(sh->conn) == CONNECTION_OK ? TT_EXIT_FAIL : TT_EXIT_UNREACHABLE;
	}
	sh->src = atoi(PQgetvalue(res, 0, 0));
	*gen = strtoull(PQgetvalue(res, 0, 1), NULL, 10);
	*nt = strtoull(PQgetvalue(res, 0, 2), NULL, 10);
	*ns = strtoull(PQgetvalue(res, 0, 3), NULL, 10);
	PQclear(res);
	return 0;
}

static bool
progress_less(uint64_t ag, uint64_t at, uint64_t as, uint64_t bg, uint64_t bt, uint64_t bs)
{
	return ag < bg || (ag == bg && key_less(at, as, bt, bs));
}

/* Late records put behind the cursor since the last run: go back to the
 * least of them (the server drops what it has). */
static int
follow_late(struct ship *sh)
{
	struct tt_store_late late[TT_STORE_LATE_MAX];
	struct tt_reader *rd;
	size_t n;
	int rc;

	if ((rc = tt_reader_open(sh->store, &rd)))
		return tool_store_error("reading the store", rc);
	rc = tt_reader_late(rd, late, &n);
	tt_reader_close(rd);
	if (rc)
		return tool_store_error("reading the store", rc);
	if (n == 0 || late[n - 1].gen <= sh->state.late_gen)
		return 0;
	if (late[0].gen > sh->state.late_gen + 1) {
		/* Notes were dropped: start again from the beginning. */
		sh->state.next_ns = sh->state.next_seq = 0;
	} else {
		for (size_t i = 0; i < n; i++) {
			if (late[i].gen > sh->state.late_gen &&
			    key_less(late[i].time_ns, late[i].seq,
				     sh->state.next_ns, sh->state.next_seq)) {
				sh->state.next_ns = late[i].time_ns;
				sh->state.next_seq = late[i].seq;
			}
		}
	}
	sh->state.late_gen = late[n - 1].gen;
	sh->res->rewound = true;
	sh->on_conflict = true;		/* what is sent again is dropped */
	return 0;
}

static void
fail_state(struct ship *sh)
{
	uint64_t rnd = 0, now = tt_now_ns();

	if (getrandom(&rnd, sizeof(rnd), 0) != (ssize_t)sizeof(rnd))
		rnd = now;
	sh->state.failures++;
	sh->state.next_try_ns = now + ship_backoff_ns(sh->state.failures, rnd);
	sh->state.last_error_ns = now;
	snprintf(sh->state.last_error, sizeof(sh->state.last_error), "%s", sh->err);
}

int
ship_run(const struct ship_options *o, struct ship_result *res)
{
	struct ship sh = { .o = o, .res = res, .tz_slot = -1, .days_lo = UINT64_MAX };
	uint64_t start = tt_mono_ns(), sg, st, ss;
	const char *fault = getenv("TASKTRACE_SHIP_FAULT");
	int lock_fd = -1, code, rc;

	memset(res, 0, sizeof(*res));
	if (fault && sscanf(fault, "before-commit:%d", &sh.kill_at) == 1)
		sh.kill_phase = 1;
	else if (fault && sscanf(fault, "after-commit:%d", &sh.kill_at) == 1)
		sh.kill_phase = 2;
	if (gethostname(sh.hostname, sizeof(sh.hostname) - 1) < 0)
		snprintf(sh.hostname, sizeof(sh.hostname), "unknown");

	if ((code = open_store(&sh)))
		goto out;
	if (!valid_hex_id(sh.st.host_id) || !valid_hex_id(sh.st.store_id)) {
		tool_error("ship: the store's host id or store id is malformed (run tasktrace verify)");
		code = TT_EXIT_DAMAGED;
		goto out;
	}
	if ((code = lock_state(o, sh.st.store_id, &lock_fd)))
		goto out;
	if ((rc = ship_state_load(o->state_dir, sh.st.store_id, &sh.state))) {
		tool_error("ship: %s/%s.state: %s", o->state_dir, sh.st.store_id,
			  rc == -EINVAL ? "not a cursor file of this store (remove it: the "
			  "server's mark is used then)" : strerror(-rc));
		code = rc == -EINVAL ? TT_EXIT_FAIL : TT_EXIT_IO;
		goto out;
	}
	sh.start_ns = start;
	if (!o->now && sh.state.next_try_ns > tt_now_ns()) {
		char when[64];

		tt_time_format_utc(sh.state.next_try_ns, when, sizeof(when));
		printf("ship: waiting after %" PRIu64 " failed run%s: next attempt at %s "
		       "(--now tries now)\n", sh.state.failures,
		       sh.state.failures == 1 ? "" : "s", when);
		code = TT_EXIT_OK;
		goto out;
	}
	if (o->titles == TT_SHIP_PSEUDONYMIZE || o->users == TT_SHIP_PSEUDONYMIZE) {
		char err[512];

		sh.pseudo = malloc(sizeof(*sh.pseudo));
		if (!sh.pseudo)
			abort();
		if ((rc = pseudo_load(sh.pseudo, o->secret, err, sizeof(err)))) {
			tool_error("ship: %s (pseudonyms need the site secret: tasktrace "
				  "secret --create, or [ship] users/titles = keep)", err);
			code = rc == -EPERM || rc == -EACCES ? TT_EXIT_PERM : TT_EXIT_CONFIG;
			goto out;
		}
	}

	if ((code = connect_server(&sh, &sg, &st, &ss)))
		goto failed;
	if (progress_less(sh.state.late_gen, sh.state.next_ns, sh.state.next_seq, sg, st, ss)) {
		/* Committed on the server, not saved here (killed in between). */
		sh.state.late_gen = sg;
		sh.state.next_ns = st;
		sh.state.next_seq = ss;
	} else if (progress_less(sg, st, ss, sh.state.late_gen, sh.state.next_ns,
				 sh.state.next_seq)) {
		/*
		 * The server is behind what it acknowledged: it lost commits
		 * (asynchronous commit and a crash, a failover to a standby
		 * that lagged, a restore from a backup). The store still has
		 * the records: send again from the server's mark, through ON
		 * CONFLICT up to the old cursor (the server may have some of
		 * them). What the store has expired meanwhile becomes the gap
		 * row, as for any cursor before the store's oldest record.
		 */
		char at[64], from[64];

		tt_time_format_utc(sh.state.next_ns, at, sizeof(at));
		tt_time_format_utc(st, from, sizeof(from));
		fprintf(stderr, "tasktrace: ship: the server's mark (%s) is behind what it "
			"acknowledged to this host (%s): it lost commits (asynchronous commit, "
			"a failover, a restore); sending again from its mark\n",
			st ? from : "nothing", at);
		sh.resend_t = sh.state.next_ns;
		sh.resend_s = sh.state.next_seq;
		sh.state.late_gen = sg;
		sh.state.next_ns = st;
		sh.state.next_seq = ss;
		sh.state.server_behind_ns = tt_now_ns();
		sh.state.resent_from_ns = st;
		res->server_behind = true;
	}
	if ((code = follow_late(&sh)))
		goto out;

	while (tt_mono_ns() - start < o->budget_ns) {
		uint64_t et, es;
		enum send_result r;

		if (sh.have_spare) {
			/* read during the last batch, from where it ended */
			struct row *t = sh.rows;
			size_t c = sh.caprows;

			sh.rows = sh.spare;
			sh.nrows = sh.nspare;
			sh.caprows = sh.capspare;
			sh.spare = t;
			sh.capspare = c;
			sh.have_spare = false;
		} else if ((code = read_batch(&sh, sh.state.next_ns, sh.state.next_seq))) {
			goto out;
		}
		if (sh.nrows == 0)
			break;
		/* The budget holds inside a batch too: no statement of it may
		 * run past what is left. */
		uint64_t used = tt_mono_ns() - start, left_ms;

		left_ms = used < o->budget_ns ? (o->budget_ns - used) / 1000000 : 0;
		if (left_ms < 1000)
			left_ms = 1000;
		if (sh.stmt_timeout_ms && left_ms < sh.stmt_timeout_ms) {
			char set[64];

			snprintf(set, sizeof(set), "SET statement_timeout = %" PRIu64, left_ms);
			if (exec_ok(&sh, set, "bounding the batch by the budget") != SEND_OK) {
				code = PQstatus(sh.conn) == CONNECTION_OK ? TT_EXIT_FAIL
									   : TT_EXIT_UNREACHABLE;
				goto failed;
			}
			sh.stmt_timeout_ms = left_ms;
		}
		if (sh.rows[0].gap)
			res->gaps++;
		next_after(&sh.rows[sh.nrows - 1], &et, &es);
		sh.want_prefetch = true;
		sh.pf_t = et;
		sh.pf_s = es;
		r = send_split(&sh, 0, sh.nrows, et, es);
		if (r != SEND_OK) {
			code = PQstatus(sh.conn) == CONNECTION_OK ? TT_EXIT_FAIL : TT_EXIT_UNREACHABLE;
			goto failed;
		}
		if (o->verbose)
			printf("ship: batch of %zu records committed\n", sh.nrows);
	}
	sh.state.failures = 0;
	sh.state.next_try_ns = 0;
	sh.state.last_success_ns = tt_now_ns();
	if ((rc = ship_state_save(o->state_dir, &sh.state))) {
		tool_error("ship: cannot save the cursor in %s: %s", o->state_dir, strerror(-rc));
		code = TT_EXIT_IO;
		goto out;
	}
	code = TT_EXIT_OK;
	goto out;

failed:
	tool_error("ship: %s", sh.err);
	fail_state(&sh);
	if ((rc = ship_state_save(o->state_dir, &sh.state)))
		tool_error("ship: cannot save the state in %s: %s", o->state_dir, strerror(-rc));
	if (code == TT_EXIT_UNREACHABLE)
		fprintf(stderr, "tasktrace: ship: nothing is lost; the next run tries again "
			"(not before %" PRIu64 " s from now)\n",
			(sh.state.next_try_ns - tt_now_ns()) / NS);
out:
	if (sh.conn)
		PQfinish(sh.conn);
	if (sh.store)
		tt_store_close(sh.store);
	if (sh.pseudo) {
		pseudo_clear(sh.pseudo);
		free(sh.pseudo);
	}
	if (lock_fd >= 0)
		close(lock_fd);
	strtab_free(&sh.strs);
	free(sh.rows);
	free(sh.spare);
	free(sh.copy.p);
	return code;
}

/* --- status ------------------------------------------------------------------- */

static void
print_time(const char *label, uint64_t ns, uint64_t now)
{
	char b[64];

	if (!ns) {
		printf("%-14s never\n", label);
		return;
	}
	tt_time_format_utc(ns, b, sizeof(b));
	if (now >= ns)
		printf("%-14s %s (%" PRIu64 " s ago)\n", label, b, (now - ns) / NS);
	else
		printf("%-14s %s (in %" PRIu64 " s)\n", label, b, (ns - now) / NS);
}

int
ship_status(const struct ship_options *o)
{
	struct ship sh = { .o = o };
	struct tt_reader *rd;
	struct tt_cursor *cur;
	struct tt_query q;
	struct tt_record r;
	uint64_t lag = 0, oldest = 0, now = tt_now_ns();
	int code, rc;

	if ((code = open_store(&sh)))
		return code;
	if ((rc = ship_state_load(o->state_dir, sh.st.store_id, &sh.state))) {
		tool_error("ship: %s/%s.state: %s", o->state_dir, sh.st.store_id,
			  rc == -EINVAL ? "not a cursor file of this store" : strerror(-rc));
		tt_store_close(sh.store);
		return rc == -EINVAL ? TT_EXIT_FAIL : TT_EXIT_IO;
	}
	if ((rc = tt_reader_open(sh.store, &rd)) == 0) {
		tt_query_init(&q);
		q.since_ns = sh.state.next_ns;
		if ((rc = tt_cursor_open(rd, &q, &cur)) == 0) {
			while ((rc = tt_cursor_next(cur, &r)) == 1) {
				if (key_less(r.time_ns, r.seq, sh.state.next_ns, sh.state.next_seq))
					continue;
				if (!lag++)
					oldest = r.time_ns;
			}
			tt_cursor_close(cur);
		}
		tt_reader_close(rd);
	}
	tt_store_close(sh.store);
	if (rc < 0 || rc > 1)
		return tool_store_error("reading the store", rc);

	printf("%-14s %s\n", "store", tool.store_path);
	printf("%-14s %s (host %s)\n", "store id", sh.st.store_id, sh.st.host_id);
	printf("%-14s %" PRIu64 " records\n", "shipped", sh.state.shipped);
	print_time("shipped up to", sh.state.last_record_ns, now);
	printf("%-14s %" PRIu64 " records", "lag", lag);
	if (lag)
		printf(", oldest from %" PRIu64 " s ago", now > oldest ? (now - oldest) / NS : 0);
	printf("\n");
	print_time("last success", sh.state.last_success_ns, now);
	if (sh.state.last_error_ns) {
		print_time("last error", sh.state.last_error_ns, now);
		printf("%-14s %s\n", "", sh.state.last_error);
	} else {
		printf("%-14s none\n", "last error");
	}
	if (sh.state.failures) {
		printf("%-14s %" PRIu64 " in a row\n", "failures", sh.state.failures);
		print_time("next attempt", sh.state.next_try_ns, now);
	}
	if (sh.state.server_behind_ns) {
		char from[64];

		print_time("server behind", sh.state.server_behind_ns, now);
		if (sh.state.resent_from_ns)
			tt_time_format_utc(sh.state.resent_from_ns, from, sizeof(from));
		printf("%-14s it had lost acknowledged commits; sent again from %s\n", "",
		       sh.state.resent_from_ns ? from : "the start");
	}
	return TT_EXIT_OK;
}
