/* SPDX-License-Identifier: MIT */
/*
 * Reading the store: snapshots, cursors over a time range, the small
 * tables, statistics. Every read runs in an LMDB read-only transaction,
 * which never blocks the writer and is never blocked by it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "tasktrace/codec.h"
#include "tasktrace/error.h"
#include "tasktrace/store.h"
#include "store-internal.h"

struct tt_reader {
	struct tt_store *store;
	MDB_txn *txn;
	const struct store_dbis *dbi;
};

struct tt_cursor {
	struct tt_reader *rd;
	MDB_cursor *mc;
	struct tt_query q;
	struct tt_block_dec dec;
	uint64_t blocks;	/* blocks begun, for tt_cursor_blocks() */
	bool in_block;
	bool done;
};

int
tt_reader_open(struct tt_store *s, struct tt_reader **out)
{
	struct tt_reader *rd = calloc(1, sizeof(*rd));
	int rc;

	if (!rd)
		return ENOMEM;
	rd->store = s;
	rd->dbi = store_dbis(s);
	if ((rc = mdb_txn_begin(store_env(s), NULL, MDB_RDONLY, &rd->txn))) {
		free(rd);
		return rc;
	}
	*out = rd;
	return 0;
}

void
tt_reader_close(struct tt_reader *rd)
{
	if (!rd)
		return;
	mdb_txn_abort(rd->txn);
	free(rd);
}

MDB_txn *
store_reader_txn(struct tt_reader *rd)
{
	return rd->txn;
}

struct tt_store *
store_reader_store(struct tt_reader *rd)
{
	return rd->store;
}

static int
get_by_id(struct tt_reader *rd, MDB_dbi dbi, uint32_t id, MDB_val *v)
{
	uint8_t k[4];
	MDB_val key = { 4, k };
	int rc;

	store_be32(k, id);
	rc = mdb_get(rd->txn, dbi, &key, v);
	return rc == MDB_NOTFOUND ? ENOENT : rc;
}

int
tt_reader_string(struct tt_reader *rd, uint32_t id, const char **str, size_t *len)
{
	MDB_val v;
	int rc;

	if (id == 0)
		return ENOENT;
	if ((rc = get_by_id(rd, rd->dbi->strings, id, &v)))
		return rc;
	*str = v.mv_data;
	*len = v.mv_size;
	return 0;
}

int
tt_reader_string_id(struct tt_reader *rd, const char *str, size_t len, uint32_t *id)
{
	return store_lookup_string(rd->txn, rd->dbi, str, len, id);
}

int
tt_reader_session(struct tt_reader *rd, uint32_t id, struct tt_session_info *out)
{
	MDB_val v;
	int rc;

	if ((rc = get_by_id(rd, rd->dbi->sessions, id, &v)))
		return rc;
	return store_session_decode(v.mv_data, v.mv_size, id, out) ? 0 : TT_ECORRUPT;
}

int
tt_reader_device(struct tt_reader *rd, uint32_t id, struct tt_device_info *out)
{
	MDB_val v;
	int rc;

	if ((rc = get_by_id(rd, rd->dbi->devices, id, &v)))
		return rc;
	return store_device_decode(v.mv_data, v.mv_size, id, out) ? 0 : TT_ECORRUPT;
}

int
tt_reader_sessions(struct tt_reader *rd,
		   int (*fn)(void *ctx, const struct tt_session_info *s), void *ctx)
{
	MDB_cursor *c;
	MDB_val k, v;
	struct tt_session_info si;
	int rc;

	if ((rc = mdb_cursor_open(rd->txn, rd->dbi->sessions, &c)))
		return rc;
	while ((rc = mdb_cursor_get(c, &k, &v, MDB_NEXT)) == 0) {
		if (k.mv_size != 4 ||
		    !store_session_decode(v.mv_data, v.mv_size,
					  store_get_be32(k.mv_data), &si)) {
			rc = TT_ECORRUPT;
			break;
		}
		if ((rc = fn(ctx, &si)))
			break;
	}
	mdb_cursor_close(c);
	return rc == MDB_NOTFOUND ? 0 : rc;
}

static uint64_t
free_pages(MDB_txn *txn)
{
	MDB_cursor *c;
	MDB_val k, v;
	uint64_t pages = 0;

	/* The free list (dbi 0) holds page-number lists; their first word
	 * is their length. */
	if (mdb_cursor_open(txn, 0, &c))
		return 0;
	while (mdb_cursor_get(c, &k, &v, MDB_NEXT) == 0)
		if (v.mv_size >= sizeof(size_t))
			pages += *(const size_t *)v.mv_data;
	mdb_cursor_close(c);
	return pages;
}

/* A store made before store ids existed: 128 bits mixed (splitmix64) from
 * its host id, itself 128 random bits made with the store, and its
 * creation time. Deterministic, so every reader agrees. */
static uint64_t
mix64(uint64_t z)
{
	z += 0x9e3779b97f4a7c15ULL;
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static void
derive_store_id(struct tt_store_stat *st)
{
	uint64_t a = 0, b = 0, h[2];

	for (size_t i = 0; i < 16 && st->host_id[i]; i++)
		a = a << 4 | (uint64_t)(st->host_id[i] <= '9' ? st->host_id[i] - '0' :
					(st->host_id[i] | 0x20) - 'a' + 10);
	for (size_t i = 16; i < 32 && st->host_id[i]; i++)
		b = b << 4 | (uint64_t)(st->host_id[i] <= '9' ? st->host_id[i] - '0' :
					(st->host_id[i] | 0x20) - 'a' + 10);
	h[0] = mix64(a ^ mix64(st->created_ns));
	h[1] = mix64(b ^ mix64(h[0] ^ 0x73746f72652d6964ULL));	/* "store-id" */
	for (int i = 0; i < 2; i++)
		snprintf(st->store_id + 16 * i, 17, "%016llx", (unsigned long long)h[i]);
}

int
tt_reader_late(struct tt_reader *rd, struct tt_store_late out[TT_STORE_LATE_MAX], size_t *n)
{
	MDB_val v;
	const uint8_t *p;

	*n = 0;
	if (store_meta_get(rd->txn, rd->dbi->meta, "late", &v))
		return 0;
	if (v.mv_size % TT_STORE_LATE_ENTRY || v.mv_size > TT_STORE_LATE_MAX * TT_STORE_LATE_ENTRY)
		return TT_ECORRUPT;
	p = v.mv_data;
	for (size_t i = 0; i < v.mv_size / TT_STORE_LATE_ENTRY; i++, p += TT_STORE_LATE_ENTRY) {
		out[i].gen = store_get_be64(p);
		out[i].time_ns = store_get_be64(p + 8);
		out[i].seq = store_get_be64(p + 16);
		*n = i + 1;
	}
	return 0;
}

int
tt_reader_expired(struct tt_reader *rd, uint64_t *time_ns, uint64_t *seq)
{
	MDB_val v;

	*time_ns = *seq = 0;
	if (store_meta_get(rd->txn, rd->dbi->meta, "expired", &v))
		return 0;
	if (v.mv_size != 16)
		return TT_ECORRUPT;
	*time_ns = store_get_be64(v.mv_data);
	*seq = store_get_be64((const uint8_t *)v.mv_data + 8);
	return 0;
}

int
tt_reader_stat(struct tt_reader *rd, struct tt_store_stat *st)
{
	MDB_envinfo info;
	MDB_stat ms;
	MDB_cursor *c;
	MDB_val k, v;
	struct stat fst;
	char path[4096];
	int rc;

	memset(st, 0, sizeof(*st));
	if (store_meta_get(rd->txn, rd->dbi->meta, "schema", &v) == 0 && v.mv_size == 4)
		st->schema = store_get_be32(v.mv_data);
	if (store_meta_get(rd->txn, rd->dbi->meta, "host_id", &v) == 0 &&
	    v.mv_size < sizeof(st->host_id))
		memcpy(st->host_id, v.mv_data, v.mv_size);
	st->created_ns = store_meta_u64(rd->txn, rd->dbi->meta, "created");
	st->records = store_meta_u64(rd->txn, rd->dbi->meta, "records");
	if (store_meta_get(rd->txn, rd->dbi->meta, "store_id", &v) == 0 &&
	    v.mv_size < sizeof(st->store_id))
		memcpy(st->store_id, v.mv_data, v.mv_size);
	else
		derive_store_id(st);

	if ((rc = mdb_stat(rd->txn, rd->dbi->records, &ms)))
		return rc;
	st->blocks = ms.ms_entries;
	if ((rc = mdb_stat(rd->txn, rd->dbi->strings, &ms)))
		return rc;
	st->strings = (uint32_t)ms.ms_entries;
	if ((rc = mdb_stat(rd->txn, rd->dbi->sessions, &ms)))
		return rc;
	st->sessions = (uint32_t)ms.ms_entries;
	if ((rc = mdb_stat(rd->txn, rd->dbi->devices, &ms)))
		return rc;
	st->devices = (uint32_t)ms.ms_entries;

	if ((rc = mdb_cursor_open(rd->txn, rd->dbi->records, &c)))
		return rc;
	if (mdb_cursor_get(c, &k, &v, MDB_FIRST) == 0 && k.mv_size == 16)
		st->first_ns = store_get_be64(k.mv_data);
	if (mdb_cursor_get(c, &k, &v, MDB_LAST) == 0) {
		struct tt_block_dec dec;
		struct tt_record r;

		if (tt_block_dec_init(&dec, v.mv_data, v.mv_size) == 0)
			while (tt_block_dec_next(&dec, &r) == 1)
				st->last_ns = r.time_ns + r.dur_ns;
	}
	mdb_cursor_close(c);

	mdb_env_info(store_env(rd->store), &info);
	mdb_env_stat(store_env(rd->store), &ms);
	st->map_size = info.me_mapsize;
	st->used_bytes = ((uint64_t)info.me_last_pgno + 1 - free_pages(rd->txn)) * ms.ms_psize;
	snprintf(path, sizeof(path), "%s/data.mdb", tt_store_path(rd->store));
	if (stat(path, &fst) == 0)
		st->file_size = (uint64_t)fst.st_size;
	return 0;
}

/* --- cursors ------------------------------------------------------------------ */

void
tt_query_init(struct tt_query *q)
{
	memset(q, 0, sizeof(*q));
	q->uid = TT_UID_NONE;
}

int
tt_cursor_open(struct tt_reader *rd, const struct tt_query *q, struct tt_cursor **out)
{
	struct tt_cursor *c = calloc(1, sizeof(*c));
	uint8_t key[16];
	MDB_val k = { 16, key }, v;
	int rc;

	if (!c)
		return ENOMEM;
	c->rd = rd;
	c->q = *q;
	if ((rc = mdb_cursor_open(rd->txn, rd->dbi->records, &c->mc))) {
		free(c);
		return rc;
	}
	/* Blocks never overlap, so the first record ≥ since is in the
	 * block before the first block that starts at or after since. */
	store_be64(key, q->since_ns);
	store_be64(key + 8, 0);
	rc = mdb_cursor_get(c->mc, &k, &v, MDB_SET_RANGE);
	if (rc == MDB_NOTFOUND)
		rc = mdb_cursor_get(c->mc, &k, &v, MDB_LAST);
	else if (rc == 0 && store_get_be64(k.mv_data) > q->since_ns &&
		 mdb_cursor_get(c->mc, &k, &v, MDB_PREV) != 0)
		rc = mdb_cursor_get(c->mc, &k, &v, MDB_FIRST);
	if (rc == MDB_NOTFOUND) {
		c->done = true;
	} else if (rc) {
		tt_cursor_close(c);
		return rc;
	} else if (tt_block_dec_init(&c->dec, v.mv_data, v.mv_size)) {
		tt_cursor_close(c);
		return TT_ECORRUPT;
	} else {
		c->in_block = true;
		c->blocks = 1;
	}
	*out = c;
	return 0;
}

static bool
matches(const struct tt_query *q, const struct tt_record *r)
{
	if (q->kinds && !(q->kinds & (1u << r->kind)))
		return false;
	if (q->uid != TT_UID_NONE && r->uid != q->uid)
		return false;
	if (q->app && r->app != q->app)
		return false;
	return true;
}

int
tt_cursor_next(struct tt_cursor *c, struct tt_record *r)
{
	MDB_val k, v;
	int rc;

	while (!c->done) {
		if (!c->in_block) {
			rc = mdb_cursor_get(c->mc, &k, &v, MDB_NEXT);
			if (rc == MDB_NOTFOUND) {
				c->done = true;
				break;
			}
			if (rc)
				return rc;
			if (c->q.until_ns && store_get_be64(k.mv_data) >= c->q.until_ns) {
				c->done = true;
				break;
			}
			if (tt_block_dec_init(&c->dec, v.mv_data, v.mv_size))
				return TT_ECORRUPT;
			c->in_block = true;
			c->blocks++;
		}
		rc = tt_block_dec_next(&c->dec, r);
		if (rc < 0)
			return TT_ECORRUPT;
		if (rc == 0) {
			c->in_block = false;
			continue;
		}
		if (r->time_ns < c->q.since_ns)
			continue;
		if (c->q.until_ns && r->time_ns >= c->q.until_ns) {
			c->done = true;
			break;
		}
		if (matches(&c->q, r))
			return 1;
	}
	return 0;
}

uint64_t
tt_cursor_blocks(const struct tt_cursor *c)
{
	return c->blocks;
}

void
tt_cursor_close(struct tt_cursor *c)
{
	if (!c)
		return;
	mdb_cursor_close(c->mc);
	free(c);
}
