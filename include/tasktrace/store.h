/* SPDX-License-Identifier: MIT */
/*
 * tasktrace — the store.
 *
 * One LMDB environment in a directory (data.mdb, lock.mdb, writer.lock),
 * with these named databases:
 *
 *   records   key: time_ns (u64 BE) ‖ seq (u64 BE) of a block's first record
 *             value: a block of records (codec.h), sorted by (time, seq).
 *             Blocks never overlap in time; appends are sequential.
 *   strings   key: id (u32 BE)             value: the string's bytes
 *   strhash   key: 64-bit hash (u64 BE)    value: id (u32 BE), duplicates
 *   sessions  key: id (u32 BE)             value: encoded struct tt_session_info
 *   devices   key: id (u32 BE)             value: encoded struct tt_device_info
 *   meta      key: name                    value: schema, host id, created, …
 *
 * Concurrency. One writer at a time (the tracer, or an admin purge): it
 * holds an exclusive lock on writer.lock for as long as it has the store
 * open for writing. Any number of readers, in any process, read consistent
 * snapshots (struct tt_reader) and never block the writer nor are blocked
 * by it. A store handle is used by one thread at a time.
 *
 * Durability. The writer keeps appended records in memory and commits
 * them in one LMDB transaction per batch: when a batch reaches its count,
 * when its oldest record is older than the batch age (checked on append
 * and by tt_store_commit_due()), on tt_store_commit() and on close. A crash
 * loses at most the uncommitted batch; the store always opens clean.
 *
 * Size. When the map is full, the writer deletes the oldest blocks and
 * commits again: it never stops recording because the budget is reached.
 *
 * Errors: 0, an errno, an LMDB code or a TT_E* code (error.h); all
 * accepted by tt_strerror().
 */
#ifndef TASKTRACE_STORE_H
#define TASKTRACE_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tasktrace/record.h"

/**
 * The schema this build writes. Schema 2 (block version 2, codec.h) adds
 * the coarse form of short typing bursts; schema 3 (block version 3) the
 * element of every record and hidden (password) bursts. Stores of schema
 * 1 and 2 are read as they are (element 0); opening one for writing
 * raises it to 3 (its blocks stay, and blocks rewritten are written as
 * version 3), so that an older build refuses it cleanly
 * (TT_ESCHEMA_NEWER) instead of failing on a block.
 */
#define TT_SCHEMA_VERSION 3
/** The oldest schema this build reads. */
#define TT_SCHEMA_VERSION_MIN 1

struct tt_store;
struct tt_reader;
struct tt_cursor;

enum tt_store_flags {
	/** Open for reading only: never writes, not even the lock file's
	 *  contents beyond LMDB's reader table. */
	TT_STORE_RDONLY = 1 << 0,
	/** Create the directory and an empty store when there is none. */
	TT_STORE_CREATE = 1 << 1,
};

struct tt_store_options {
	/** Map size, the store's disk budget, in bytes; 0: 1 GiB. */
	uint64_t map_size;
	/** Commit when a batch has this many records; 0: 65536. */
	unsigned batch_records;
	/** Commit when a batch's oldest record was appended this long ago
	 *  (monotonic clock); 0: one second. */
	uint64_t batch_age_ns;
};

/**
 * Open a store.
 *
 * Readers (@c TT_STORE_RDONLY) may open a store that a writer has open.
 * Before anything is written, a writer first checks the store exactly as a
 * reader would, so a foreign, truncated or newer file is refused without
 * being modified.
 *
 * @param[out] out   the handle, on success
 * @param[in] dir    the store's directory
 * @param[in] flags  enum tt_store_flags
 * @param[in] opts   options, or NULL for the defaults
 * @retval 0 success
 * @retval TT_ENOSTORE     no store in @p dir (and no @c TT_STORE_CREATE)
 * @retval TT_ENOTSTORE    data.mdb is not an LMDB file
 * @retval TT_EFOREIGN     an LMDB environment of some other program
 * @retval TT_ETRUNCATED   data.mdb is shorter than its own meta page says
 * @retval TT_ESCHEMA_NEWER, TT_ESCHEMA_OLDER  schema not readable here
 * @retval TT_EBUSY        a writer: another writer has the store open
 * @retval EACCES          no permission on the directory or its files
 * @retval ENOTDIR         @p dir is not a directory
 */
int
tt_store_open(struct tt_store **out, const char *dir, unsigned flags,
	      const struct tt_store_options *opts);

/** Commit what is pending (writers) and close. Returns the commit's error. */
int
tt_store_close(struct tt_store *s);

/** The path of the store's directory. */
const char *
tt_store_path(const struct tt_store *s);

/* --- writing ---------------------------------------------------------------- */

/**
 * Append a record. Records normally arrive in (time, seq) order; a late
 * one is put where it belongs, at some cost.
 *
 * @retval 0 appended (and committed, when the batch was due)
 * @retval -EINVAL   the record is not well-formed (tt_record_valid())
 * @retval TT_ERDONLY the store is open read-only
 * @retval other      the commit failed; the records stay pending and the
 *                    next commit tries again
 */
int
tt_store_append(struct tt_store *s, const struct tt_record *r);

/** Commit the pending batch now. */
int
tt_store_commit(struct tt_store *s);

/** Commit when the pending batch is older than the batch age. */
int
tt_store_commit_due(struct tt_store *s);

/** Records appended but not yet committed. */
size_t
tt_store_pending(const struct tt_store *s);

/**
 * Intern a string: the same bytes always give the same id (ids start at
 * 1). The string is written with the next commit.
 *
 * @param[in] str  bytes, need not be NUL-terminated; at most
 *                 TT_STRING_MAX bytes are stored (longer input: -E2BIG)
 */
int
tt_store_intern(struct tt_store *s, const char *str, size_t len, uint32_t *id);

#define TT_STRING_MAX 4096

/**
 * As tt_store_intern(), with a budget: a string the store does not hold
 * yet is added only when @p len ≤ @p max_new, else -EDQUOT (and *id = 0).
 * *created says whether this call added it, for the caller to charge.
 */
int
tt_store_intern_new(struct tt_store *s, const char *str, size_t len, size_t max_new,
		    uint32_t *id, bool *created);

/** Marks string @p id as in use; @p set is the collector's. */
typedef void (*tt_store_mark_fn)(void *set, uint32_t id);

/**
 * Who holds string ids outside the store. Purges (by age, by user, and
 * for space when the map is full) delete the strings no record refers
 * to; a writer that keeps ids for records it has not appended yet (the
 * tracer's interpreter: the focus context, its key-name cache, open
 * aggregates) names them through @p fn, called with @p data during each
 * such collection, so that they are kept.
 */
void
tt_store_set_live_strings(struct tt_store *s,
			  void (*fn)(void *data, tt_store_mark_fn mark, void *set),
			  void *data);

/** A logind session (or the static attribution where logind is absent). */
struct tt_session_info {
	uint32_t id;		/**< assigned by the store, from 1 */
	uint32_t uid;
	uint64_t start_ns;
	char logind_id[32];	/**< "2", "c1", or "static" */
	char seat[32];
	char user[64];
};

/** Register a session; sets @c sess->id. Written with the next commit. */
int
tt_store_session_add(struct tt_store *s, struct tt_session_info *sess);

/** An input device. */
struct tt_device_info {
	uint32_t id;		/**< assigned by the store, from 1 */
	uint32_t classes;	/**< bit mask of ID_INPUT_* classes, see below */
	uint16_t bus, vendor, product;
	char ident[64];		/**< stable: bus:vendor:product:hash */
	char name[128];
};

enum tt_device_class {
	TT_DEV_KEYBOARD = 1 << 0,
	TT_DEV_KEY = 1 << 1,
	TT_DEV_MOUSE = 1 << 2,
	TT_DEV_TOUCHPAD = 1 << 3,
	TT_DEV_TOUCHSCREEN = 1 << 4,
	TT_DEV_TABLET = 1 << 5,
	TT_DEV_TABLET_PAD = 1 << 6,
	TT_DEV_POINTINGSTICK = 1 << 7,
	TT_DEV_TRACKBALL = 1 << 8,
	TT_DEV_SWITCH = 1 << 9,
};

/** Register a device, or find it by @c ident; sets @c dev->id. */
int
tt_store_device_intern(struct tt_store *s, struct tt_device_info *dev);

/* --- maintenance (writers) ---------------------------------------------------- */

struct tt_purge_result {
	uint64_t records;	/**< records deleted */
	uint64_t blocks;	/**< blocks deleted or rewritten */
	uint32_t strings;	/**< strings no longer referenced, deleted */
	uint32_t sessions;	/**< sessions deleted */
};

/**
 * Delete records, then every string and session no record refers to.
 *
 * @param[in] before_ns  delete records older than this; UINT64_MAX: all
 * @param[in] uid        only this user's records; TT_UID_NONE: everyone's
 *
 * Pending records are committed first. Runs in one transaction: it
 * happens whole or not at all.
 */
int
tt_store_purge(struct tt_store *s, uint64_t before_ns, uint32_t uid,
	       struct tt_purge_result *res);

/* --- reading ------------------------------------------------------------------ */

/**
 * Begin a read snapshot. Everything read through it (records, strings,
 * sessions, devices) is from one consistent state of the store; pointers
 * it returns stay valid until tt_reader_close(). Long-lived snapshots keep
 * old pages from reuse: close them when done.
 */
int
tt_reader_open(struct tt_store *s, struct tt_reader **out);

void
tt_reader_close(struct tt_reader *rd);

/** The string with @p id (not NUL-terminated). ENOENT when unknown. */
int
tt_reader_string(struct tt_reader *rd, uint32_t id, const char **str, size_t *len);

/** The id of a string, ENOENT when it was never interned. */
int
tt_reader_string_id(struct tt_reader *rd, const char *str, size_t len, uint32_t *id);

int
tt_reader_session(struct tt_reader *rd, uint32_t id, struct tt_session_info *out);

int
tt_reader_device(struct tt_reader *rd, uint32_t id, struct tt_device_info *out);

/** Call @p fn for every session, in id order; stops at a non-zero return. */
int
tt_reader_sessions(struct tt_reader *rd,
		   int (*fn)(void *ctx, const struct tt_session_info *s), void *ctx);

struct tt_store_stat {
	uint32_t schema;
	char host_id[33];	/**< hex */
	char store_id[33];	/**< hex, random at creation (see tt_reader_stat) */
	uint64_t created_ns;
	uint64_t records;	/**< counted at every commit */
	uint64_t blocks;
	uint64_t first_ns;	/**< first record's time; 0 when empty */
	uint64_t last_ns;	/**< last record's time */
	uint32_t strings, sessions, devices;
	uint64_t used_bytes;	/**< pages in use × page size */
	uint64_t map_size;
	uint64_t file_size;	/**< data.mdb on disk */
};

/**
 * Statistics and identity. @c store_id is 128 random bits written when the
 * store is created; a store created before store ids existed has none
 * stored, and gets one derived from its (random) host id and creation
 * time, the same at every read, never written back.
 */
int
tt_reader_stat(struct tt_reader *rd, struct tt_store_stat *st);

/** The most late-record notes a store keeps. */
#define TT_STORE_LATE_MAX 64
#define TT_STORE_LATE_ENTRY 24

/**
 * A note that a commit put records behind the store's end (the clock
 * stepped back): the least such record's key, and a generation counted
 * from 1 across the store's life. The store keeps the last
 * TT_STORE_LATE_MAX notes, oldest first. A reader that follows the end
 * of the store reads them to go back for what was put behind it.
 */
struct tt_store_late {
	uint64_t gen;
	uint64_t time_ns, seq;
};

/** The late notes, oldest first; *n of them (at most TT_STORE_LATE_MAX). */
int
tt_reader_late(struct tt_reader *rd, struct tt_store_late out[TT_STORE_LATE_MAX], size_t *n);

/**
 * The key (time, seq) before which records were deleted by age (retention,
 * purge --before) or to make room: every record that sorted before it is
 * gone. Records deleted by user are not counted. Returns 0 and sets both
 * to 0 when nothing ever expired.
 */
int
tt_reader_expired(struct tt_reader *rd, uint64_t *time_ns, uint64_t *seq);

/** A selection of records. Zero fields select everything. */
struct tt_query {
	uint64_t since_ns;	/**< records with time ≥ since */
	uint64_t until_ns;	/**< and time < until; 0: no upper bound */
	uint32_t kinds;		/**< bit (1 << kind) per wanted kind; 0: all */
	uint32_t uid;		/**< TT_UID_NONE: every user */
	uint32_t app;		/**< string id; 0: every application */
};

/** Fill @p q with "everything". */
void
tt_query_init(struct tt_query *q);

/**
 * Walk the records that match @p q, in (time, seq) order. The cursor
 * belongs to the reader and must be closed before it.
 */
int
tt_cursor_open(struct tt_reader *rd, const struct tt_query *q, struct tt_cursor **out);

/**
 * @retval 1 a record in @p r
 * @retval 0 no more records
 * @retval <0 an error (TT_ECORRUPT for a block that does not decode)
 */
int
tt_cursor_next(struct tt_cursor *c, struct tt_record *r);

/**
 * How many blocks the cursor has begun to decode so far (the block it
 * opened in counts). A caller that must bound its work per call (the
 * tracer's me socket) asks for every record (no uid or kind filter, which
 * would let one tt_cursor_next() walk the whole store) and stops when
 * this passes its budget.
 */
uint64_t
tt_cursor_blocks(const struct tt_cursor *c);

void
tt_cursor_close(struct tt_cursor *c);

/**
 * Check every block, string, hash-index entry, session, device and meta
 * value, and every reference from a record. Calls @p report with one line
 * per problem (up to a limit) and returns the number of problems found
 * (0: sound) or a negative error when the check itself could not run.
 */
long
tt_store_verify(struct tt_reader *rd,
		void (*report)(void *ctx, const char *msg), void *ctx,
		uint64_t *records_checked);

#endif /* TASKTRACE_STORE_H */
