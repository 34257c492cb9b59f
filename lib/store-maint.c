/* SPDX-License-Identifier: MIT */
/*
 * Store maintenance: purge (by age, by user) with garbage collection of
 * strings and sessions nothing refers to any more, and verify.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tasktrace/codec.h"
#include "tasktrace/error.h"
#include "tasktrace/store.h"
#include "store-internal.h"


struct bitmap {
	uint8_t *bits;
	size_t n;
};

static int
bitmap_init(struct bitmap *b, size_t n)
{
	b->n = n;
	b->bits = calloc(n / 8 + 1, 1);
	return b->bits ? 0 : ENOMEM;
}

static void
bitmap_set(struct bitmap *b, uint32_t i)
{
	if (i < b->n)
		b->bits[i / 8] |= (uint8_t)(1u << (i % 8));
}

static bool
bitmap_get(const struct bitmap *b, uint32_t i)
{
	return i < b->n && (b->bits[i / 8] & (1u << (i % 8)));
}

static uint32_t
last_id(MDB_txn *txn, MDB_dbi dbi)
{
	MDB_cursor *c;
	MDB_val k, v;
	uint32_t id = 0;

	if (mdb_cursor_open(txn, dbi, &c))
		return 0;
	if (mdb_cursor_get(c, &k, &v, MDB_LAST) == 0 && k.mv_size == 4)
		id = store_get_be32(k.mv_data);
	mdb_cursor_close(c);
	return id;
}

/* Every string id a record refers to. */
static void
record_strings(const struct tt_record *r, uint32_t ids[6], unsigned *n)
{
	*n = 0;
	ids[(*n)++] = r->app;
	ids[(*n)++] = r->title;
	ids[(*n)++] = r->element;
	if (r->kind == TT_KIND_KEY)
		ids[(*n)++] = r->u.key.name;
	if (r->kind == TT_KIND_FOCUS) {
		ids[(*n)++] = r->u.focus.exe;
		ids[(*n)++] = r->u.focus.backend;
	}
}

static int
purge_records(MDB_txn *txn, const struct store_dbis *dbi, uint64_t before,
	      uint32_t uid, struct tt_purge_result *res)
{
	MDB_cursor *c;
	MDB_val k, v;
	uint8_t seek[16];
	int rc;

	if ((rc = mdb_cursor_open(txn, dbi->records, &c)))
		return rc;
	rc = mdb_cursor_get(c, &k, &v, MDB_FIRST);
	while (rc == 0) {
		struct tt_record *arr, last;
		size_t n, kept = 0;

		if (k.mv_size != 16) {
			rc = TT_ECORRUPT;
			break;
		}
		if (store_get_be64(k.mv_data) >= before)
			break;
		if ((rc = store_block_decode_all(v.mv_data, v.mv_size, &arr, &n)))
			break;
		last = arr[n - 1];
		for (size_t i = 0; i < n; i++) {
			bool gone = arr[i].time_ns < before &&
				    (uid == TT_UID_NONE || arr[i].uid == uid);
			if (!gone)
				arr[kept++] = arr[i];
		}
		if (kept < n) {
			res->records += n - kept;
			res->blocks++;
			rc = mdb_cursor_del(c, 0);
			if (!rc && kept)
				rc = store_put_records(txn, dbi->records, arr, kept);
		}
		free(arr);
		if (rc)
			break;
		/* Blocks never overlap: the next one starts after @last. */
		store_be64(seek, last.time_ns);
		store_be64(seek + 8, last.seq + 1);
		if (last.seq == UINT64_MAX)
			store_be64(seek, last.time_ns + 1), store_be64(seek + 8, 0);
		k.mv_size = 16;
		k.mv_data = seek;
		rc = mdb_cursor_get(c, &k, &v, MDB_SET_RANGE);
	}
	mdb_cursor_close(c);
	return rc == MDB_NOTFOUND ? 0 : rc;
}

static void
mark_bit(void *set, uint32_t id)
{
	bitmap_set(set, id);
}

/* Mark what the remaining records refer to (stored, pending in the
 * writer's memory, or held by its live-string holder); delete strings
 * nothing refers to, and, with @p sessions, the sessions the purge
 * covered that no record refers to. */
static int
collect_garbage(struct tt_store *s, MDB_txn *txn, const struct store_dbis *dbi,
		bool sessions, uint64_t before, uint32_t uid, struct tt_purge_result *res)
{
	struct bitmap strs, sess;
	MDB_cursor *c;
	MDB_val k, v;
	int rc;

	if ((rc = bitmap_init(&strs, (size_t)last_id(txn, dbi->strings) + 1)))
		return rc;
	if ((rc = bitmap_init(&sess, (size_t)last_id(txn, dbi->sessions) + 1))) {
		free(strs.bits);
		return rc;
	}
	if ((rc = mdb_cursor_open(txn, dbi->records, &c)))
		goto out;
	while ((rc = mdb_cursor_get(c, &k, &v, MDB_NEXT)) == 0) {
		struct tt_block_dec dec;
		struct tt_record r;
		uint32_t ids[6];
		unsigned n;
		int drc;

		if (tt_block_dec_init(&dec, v.mv_data, v.mv_size)) {
			rc = TT_ECORRUPT;
			break;
		}
		while ((drc = tt_block_dec_next(&dec, &r)) == 1) {
			record_strings(&r, ids, &n);
			for (unsigned i = 0; i < n; i++)
				bitmap_set(&strs, ids[i]);
			bitmap_set(&sess, r.session);
		}
		if (drc < 0) {
			rc = TT_ECORRUPT;
			break;
		}
	}
	mdb_cursor_close(c);
	if (rc != MDB_NOTFOUND)
		goto out;
	store_mark_pending(s, mark_bit, &strs);

	if ((rc = mdb_cursor_open(txn, dbi->strings, &c)))
		goto out;
	while ((rc = mdb_cursor_get(c, &k, &v, MDB_NEXT)) == 0) {
		uint8_t hk[8], idk[4];
		MDB_val hkv = { 8, hk }, idv = { 4, idk };

		if (k.mv_size != 4 || bitmap_get(&strs, store_get_be32(k.mv_data)))
			continue;
		memcpy(idk, k.mv_data, 4);
		store_be64(hk, store_hash(v.mv_data, v.mv_size));
		if ((rc = mdb_cursor_del(c, 0)))
			break;
		rc = mdb_del(txn, dbi->strhash, &hkv, &idv);
		if (rc && rc != MDB_NOTFOUND)
			break;
		res->strings++;
	}
	mdb_cursor_close(c);
	if (rc != MDB_NOTFOUND || !sessions)
		goto out;

	if ((rc = mdb_cursor_open(txn, dbi->sessions, &c)))
		goto out;
	while ((rc = mdb_cursor_get(c, &k, &v, MDB_NEXT)) == 0) {
		struct tt_session_info si;
		uint32_t id;

		if (k.mv_size != 4)
			continue;
		id = store_get_be32(k.mv_data);
		if (bitmap_get(&sess, id) ||
		    !store_session_decode(v.mv_data, v.mv_size, id, &si))
			continue;
		if (uid != TT_UID_NONE ? si.uid != uid : si.start_ns >= before)
			continue;
		if ((rc = mdb_cursor_del(c, 0)))
			break;
		res->sessions++;
	}
	mdb_cursor_close(c);
out:
	free(strs.bits);
	free(sess.bits);
	return rc == MDB_NOTFOUND ? 0 : rc;
}

/* Mark, in a read snapshot, every string id something refers to. */
static int
mark_live_strings(struct tt_store *s, struct bitmap *strs)
{
	const struct store_dbis *dbi = store_dbis(s);
	MDB_txn *txn;
	MDB_cursor *c;
	MDB_val k, v;
	int rc;

	if ((rc = mdb_txn_begin(store_env(s), NULL, MDB_RDONLY, &txn)))
		return rc;
	if ((rc = bitmap_init(strs, (size_t)last_id(txn, dbi->strings) + 1)))
		goto out;
	if ((rc = mdb_cursor_open(txn, dbi->records, &c)))
		goto out;
	while ((rc = mdb_cursor_get(c, &k, &v, MDB_NEXT)) == 0) {
		struct tt_block_dec dec;
		struct tt_record r;
		uint32_t ids[6];
		unsigned n;

		if (tt_block_dec_init(&dec, v.mv_data, v.mv_size))
			continue;	/* verify's business; keep what it names */
		while (tt_block_dec_next(&dec, &r) == 1) {
			record_strings(&r, ids, &n);
			for (unsigned i = 0; i < n; i++)
				bitmap_set(strs, ids[i]);
		}
	}
	mdb_cursor_close(c);
	if (rc == MDB_NOTFOUND)
		rc = 0;
	store_mark_pending(s, mark_bit, strs);
out:
	mdb_txn_abort(txn);
	if (rc) {
		free(strs->bits);
		strs->bits = NULL;
	}
	return rc;
}

/* Delete up to @p max unmarked strings from id @p *from on; *from moves
 * past the last one looked at (UINT32_MAX: the end). One transaction. */
static int
delete_strings(struct tt_store *s, const struct bitmap *strs, uint32_t *from,
	       unsigned max, unsigned *deleted)
{
	const struct store_dbis *dbi = store_dbis(s);
	unsigned n = 0;
	uint32_t next = UINT32_MAX;
	uint8_t start[4];
	MDB_txn *txn;
	MDB_cursor *c;
	MDB_val k, v;
	int rc;

	if ((rc = mdb_txn_begin(store_env(s), NULL, 0, &txn)))
		return rc;
	if ((rc = mdb_cursor_open(txn, dbi->strings, &c))) {
		mdb_txn_abort(txn);
		return rc;
	}
	store_be32(start, *from);
	k.mv_size = 4;
	k.mv_data = start;
	for (rc = mdb_cursor_get(c, &k, &v, MDB_SET_RANGE); rc == 0;
	     rc = mdb_cursor_get(c, &k, &v, MDB_NEXT)) {
		uint8_t hk[8], idk[4];
		MDB_val hkv = { 8, hk }, idv = { 4, idk };
		uint32_t id;

		if (k.mv_size != 4)
			continue;
		id = store_get_be32(k.mv_data);
		if (bitmap_get(strs, id) || id >= strs->n)
			continue;
		if (n == max) {
			next = id;
			break;
		}
		memcpy(idk, k.mv_data, 4);
		store_be64(hk, store_hash(v.mv_data, v.mv_size));
		if ((rc = mdb_cursor_del(c, 0)))
			break;
		rc = mdb_del(txn, dbi->strhash, &hkv, &idv);
		if (rc && rc != MDB_NOTFOUND)
			break;
		n++;
	}
	mdb_cursor_close(c);
	if (rc && rc != MDB_NOTFOUND) {
		mdb_txn_abort(txn);
		return rc;
	}
	if ((rc = mdb_txn_commit(txn)))
		return rc;
	*from = next;
	*deleted += n;
	return 0;
}

/*
 * The strings nothing refers to, deleted for space: called when the map
 * is full, so a transaction must fit in the pages the last purge freed.
 * All in one transaction first (one sync: the tracer waits); when that
 * does not fit, in chunks, each its own transaction — 4096, then half as
 * many when one does not fit, twice as many after one that did — and
 * every chunk's pages are free for the ones after it. A reader never
 * sees a record whose string is gone: what is deleted is what no record
 * of any snapshot since the blocks' deletion names.
 */
int
store_collect_strings(struct tt_store *s, unsigned *deleted)
{
	struct bitmap strs;
	uint32_t from = 1;
	unsigned chunk = UINT32_MAX;	/* all at once, while it fits */
	int rc;

	*deleted = 0;
	if ((rc = mark_live_strings(s, &strs)))
		return rc;
	while (from != UINT32_MAX) {
		rc = delete_strings(s, &strs, &from, chunk, deleted);
		if (rc == MDB_MAP_FULL && chunk > 1) {
			chunk = chunk > 4096 ? 4096 : chunk / 2;
			continue;
		}
		if (rc)
			break;
		if (chunk < 4096)
			chunk *= 2;
	}
	free(strs.bits);
	return rc;
}

int
tt_store_purge(struct tt_store *s, uint64_t before_ns, uint32_t uid,
	       struct tt_purge_result *res)
{
	const struct store_dbis *dbi = store_dbis(s);
	MDB_txn *txn;
	uint8_t b[8];
	uint64_t count;
	int rc;

	memset(res, 0, sizeof(*res));
	if (!store_is_writer(s))
		return TT_ERDONLY;
	if ((rc = tt_store_commit(s)))
		return rc;
	if ((rc = mdb_txn_begin(store_env(s), NULL, 0, &txn)))
		return rc;
	if ((rc = purge_records(txn, dbi, before_ns, uid, res)) ||
	    (rc = collect_garbage(s, txn, dbi, true, before_ns, uid, res)))
		goto fail;
	if (uid == TT_UID_NONE && res->records) {
		/* Deleted by age: readers that had not read them yet
		 * (tasktrace ship) learn that they expired. */
		uint8_t ekey[16];

		store_be64(ekey, before_ns);
		store_be64(ekey + 8, 0);
		if ((rc = store_note_expired(txn, dbi->meta, ekey)))
			goto fail;
	}
	count = store_meta_u64(txn, dbi->meta, "records");
	store_be64(b, count > res->records ? count - res->records : 0);
	{
		MDB_val k = { 7, "records" }, v = { 8, b };
		if ((rc = mdb_put(txn, dbi->meta, &k, &v, 0)))
			goto fail;
	}
	if ((rc = mdb_txn_commit(txn)))
		return rc;
	store_writer_reset(s);
	return 0;
fail:
	mdb_txn_abort(txn);
	return rc;
}

/* --- verify ------------------------------------------------------------------- */

struct verify {
	void (*report)(void *ctx, const char *msg);
	void *ctx;
	long problems;
};

__attribute__((format(printf, 2, 3))) static void
problem(struct verify *vf, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	vf->problems++;
	if (vf->problems > 100 || !vf->report)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	vf->report(vf->ctx, msg);
}

static int
verify_strings(MDB_txn *txn, const struct store_dbis *dbi, struct verify *vf,
	       struct bitmap *strs)
{
	MDB_cursor *c;
	MDB_val k, v;
	int rc;

	if ((rc = bitmap_init(strs, (size_t)last_id(txn, dbi->strings) + 1)))
		return rc;
	if ((rc = mdb_cursor_open(txn, dbi->strings, &c)))
		return rc;
	while ((rc = mdb_cursor_get(c, &k, &v, MDB_NEXT)) == 0) {
		uint8_t hk[8];
		MDB_val hkv = { 8, hk }, idv = { k.mv_size, k.mv_data };
		MDB_cursor *hc;

		if (k.mv_size != 4 || store_get_be32(k.mv_data) == 0) {
			problem(vf, "strings: a key of %zu bytes", k.mv_size);
			continue;
		}
		if (v.mv_size > TT_STRING_MAX)
			problem(vf, "string %" PRIu32 ": %zu bytes, more than %d",
				store_get_be32(k.mv_data), v.mv_size, TT_STRING_MAX);
		bitmap_set(strs, store_get_be32(k.mv_data));
		store_be64(hk, store_hash(v.mv_data, v.mv_size));
		if (mdb_cursor_open(txn, dbi->strhash, &hc) == 0) {
			if (mdb_cursor_get(hc, &hkv, &idv, MDB_GET_BOTH) != 0)
				problem(vf, "string %" PRIu32 ": missing from the hash index",
					store_get_be32(k.mv_data));
			mdb_cursor_close(hc);
		}
	}
	mdb_cursor_close(c);
	if (rc != MDB_NOTFOUND)
		return rc;

	if ((rc = mdb_cursor_open(txn, dbi->strhash, &c)))
		return rc;
	while ((rc = mdb_cursor_get(c, &k, &v, MDB_NEXT)) == 0) {
		MDB_val sv;

		if (k.mv_size != 8 || v.mv_size != 4) {
			problem(vf, "hash index: an entry of %zu/%zu bytes",
				k.mv_size, v.mv_size);
			continue;
		}
		if (mdb_get(txn, dbi->strings, &v, &sv) != 0) {
			problem(vf, "hash index: refers to missing string %" PRIu32,
				store_get_be32(v.mv_data));
			continue;
		}
		if (store_hash(sv.mv_data, sv.mv_size) != store_get_be64(k.mv_data))
			problem(vf, "hash index: wrong hash for string %" PRIu32,
				store_get_be32(v.mv_data));
	}
	mdb_cursor_close(c);
	return rc == MDB_NOTFOUND ? 0 : rc;
}

long
tt_store_verify(struct tt_reader *rd,
		void (*report)(void *ctx, const char *msg), void *ctx,
		uint64_t *records_checked)
{
	MDB_txn *txn = store_reader_txn(rd);
	const struct store_dbis *dbi = store_dbis(store_reader_store(rd));
	struct verify vf = { report, ctx, 0 };
	struct bitmap strs = { 0 }, devs = { 0 };
	uint32_t *sess_uid = NULL;
	size_t nsess;
	MDB_cursor *c;
	MDB_val k, v;
	struct tt_record prev_last;
	bool have_prev = false;
	uint64_t count = 0, blocks = 0;
	uint32_t schema = 0;
	int rc;

	/* meta */
	if (store_meta_get(txn, dbi->meta, "schema", &v) == 0 && v.mv_size == 4)
		schema = store_get_be32(v.mv_data);
	if (store_meta_get(txn, dbi->meta, "host_id", &v) || v.mv_size != 32)
		problem(&vf, "meta: host_id missing or malformed");
	if (store_meta_get(txn, dbi->meta, "created", &v) || v.mv_size != 8)
		problem(&vf, "meta: created missing or malformed");
	if (store_meta_get(txn, dbi->meta, "records", &v) || v.mv_size != 8)
		problem(&vf, "meta: records counter missing or malformed");

	if ((rc = verify_strings(txn, dbi, &vf, &strs)))
		goto out;

	/* sessions */
	nsess = (size_t)last_id(txn, dbi->sessions) + 1;
	sess_uid = malloc(nsess * sizeof(*sess_uid));
	if (!sess_uid) {
		rc = ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < nsess; i++)
		sess_uid[i] = UINT32_MAX - 1;	/* "no such session" */
	if ((rc = mdb_cursor_open(txn, dbi->sessions, &c)))
		goto out;
	while ((rc = mdb_cursor_get(c, &k, &v, MDB_NEXT)) == 0) {
		struct tt_session_info si;
		uint32_t id = k.mv_size == 4 ? store_get_be32(k.mv_data) : 0;

		if (!id || !store_session_decode(v.mv_data, v.mv_size, id, &si))
			problem(&vf, "session %" PRIu32 ": malformed", id);
		else
			sess_uid[id] = si.uid;
	}
	mdb_cursor_close(c);
	if (rc != MDB_NOTFOUND)
		goto out;

	/* devices */
	if ((rc = bitmap_init(&devs, (size_t)last_id(txn, dbi->devices) + 1)))
		goto out;
	if ((rc = mdb_cursor_open(txn, dbi->devices, &c)))
		goto out;
	while ((rc = mdb_cursor_get(c, &k, &v, MDB_NEXT)) == 0) {
		struct tt_device_info di;
		uint32_t id = k.mv_size == 4 ? store_get_be32(k.mv_data) : 0;

		if (!id || !store_device_decode(v.mv_data, v.mv_size, id, &di))
			problem(&vf, "device %" PRIu32 ": malformed", id);
		else
			bitmap_set(&devs, id);
	}
	mdb_cursor_close(c);
	if (rc != MDB_NOTFOUND)
		goto out;

	/* records */
	if ((rc = mdb_cursor_open(txn, dbi->records, &c)))
		goto out;
	while ((rc = mdb_cursor_get(c, &k, &v, MDB_NEXT)) == 0) {
		struct tt_block_dec dec;
		struct tt_record r;
		uint8_t key[16];
		bool first = true;
		int drc;

		blocks++;
		if (k.mv_size != 16) {
			problem(&vf, "block %" PRIu64 ": key of %zu bytes", blocks, k.mv_size);
			continue;
		}
		if ((drc = tt_block_dec_init(&dec, v.mv_data, v.mv_size))) {
			problem(&vf, "block at %" PRIu64 ": %s",
				store_get_be64(k.mv_data), tt_strerror(drc));
			continue;
		}
		/* block version n came with schema n: a newer block in an
		 * older store is one an older build would refuse */
		if (dec.version > schema)
			problem(&vf, "block at %" PRIu64 ": version %u in a store of schema %" PRIu32,
				store_get_be64(k.mv_data), dec.version, schema);
		while ((drc = tt_block_dec_next(&dec, &r)) == 1) {
			uint32_t ids[6];
			unsigned n;

			count++;
			if (first) {
				store_record_key(key, &r);
				if (memcmp(key, k.mv_data, 16) != 0)
					problem(&vf, "block at %" PRIu64 ": key is not its first record",
						store_get_be64(k.mv_data));
				if (have_prev && tt_record_cmp(&r, &prev_last) <= 0)
					problem(&vf, "block at %" PRIu64 ": overlaps the block before",
						store_get_be64(k.mv_data));
				first = false;
			}
			record_strings(&r, ids, &n);
			for (unsigned i = 0; i < n; i++)
				if (ids[i] && !bitmap_get(&strs, ids[i]))
					problem(&vf, "record %" PRIu64 "/%" PRIu64 ": refers to missing string %" PRIu32,
						r.time_ns, r.seq, ids[i]);
			if (r.session) {
				if (r.session >= nsess || sess_uid[r.session] == UINT32_MAX - 1)
					problem(&vf, "record %" PRIu64 "/%" PRIu64 ": refers to missing session %" PRIu32,
						r.time_ns, r.seq, r.session);
				else if (sess_uid[r.session] != r.uid)
					problem(&vf, "record %" PRIu64 "/%" PRIu64 ": uid %" PRIu32 " but its session's is %" PRIu32,
						r.time_ns, r.seq, r.uid, sess_uid[r.session]);
			}
			if (r.device && !bitmap_get(&devs, r.device))
				problem(&vf, "record %" PRIu64 "/%" PRIu64 ": refers to missing device %" PRIu32,
					r.time_ns, r.seq, r.device);
			prev_last = r;
			have_prev = true;
		}
		if (drc < 0)
			problem(&vf, "block at %" PRIu64 ": %s",
				store_get_be64(k.mv_data), tt_strerror(drc));
	}
	mdb_cursor_close(c);
	if (rc != MDB_NOTFOUND)
		goto out;
	rc = 0;
	if (count != store_meta_u64(txn, dbi->meta, "records"))
		problem(&vf, "meta: records counter says %" PRIu64 ", the blocks hold %" PRIu64,
			store_meta_u64(txn, dbi->meta, "records"), count);
out:
	free(strs.bits);
	free(devs.bits);
	free(sess_uid);
	if (records_checked)
		*records_checked = count;
	return rc ? (rc < 0 ? rc : -rc) : vf.problems;
}
