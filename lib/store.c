/* SPDX-License-Identifier: MIT */
/*
 * The LMDB store (API and on-disk layout in store.h).
 *
 * The writer never holds an LMDB write transaction between calls: appended
 * records, new strings, sessions and devices wait in memory and are
 * written in one transaction per batch. That keeps three things simple:
 * a failed commit (map full, disk full) is retried from memory as a whole,
 * readers in other processes see only complete batches, and a crash loses
 * at most the batch in memory.
 *
 * Records go into the *tail* block, encoded incrementally. When it fills,
 * it is sealed and a new tail begins. The tail is re-put under the same key
 * at every commit, so blocks stay full-sized however often we commit.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <lmdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "tasktrace/clock.h"
#include "tasktrace/codec.h"
#include "tasktrace/error.h"
#include "tasktrace/store.h"
#include "store-internal.h"

#define DEFAULT_MAP_SIZE (1ULL << 30)
#define DEFAULT_BATCH 65536
#define DEFAULT_AGE_NS 1000000000ULL
#define STORE_MAGIC "tasktrace-store"
#define STRING_CACHE_MAX 8192
#define KEY_LEN 16

struct pending_block {
	uint8_t key[KEY_LEN];
	uint8_t *data;
	size_t len;
	unsigned count;
};

struct cache_entry {
	uint64_t hash;
	uint32_t id;
	uint32_t len;
	char *str;
};

struct tt_store {
	MDB_env *env;
	struct store_dbis dbi;
	char *path;
	unsigned flags;
	struct tt_store_options opts;
	int lock_fd;

	/* writer state */
	struct tt_block_enc tail;
	bool tail_stored;		/* tail's first key is in LMDB */
	bool tail_dirty;
	bool tail_absorbed;		/* this commit merged the tail's block */
	struct tt_record last;		/* greatest record appended or stored */
	bool have_last;

	struct pending_block *sealed;
	size_t nsealed, capsealed;
	struct tt_record *late;
	size_t nlate, caplate;
	struct tt_record out_of_order;	/* least record appended behind the end */
	bool have_out_of_order;

	struct cache_entry *cache;	/* open addressing, size cache_cap */
	size_t cache_count, cache_cap;
	struct cache_entry *new_strings;	/* interned, not yet written */
	size_t nnew_strings, capnew_strings;

	struct tt_session_info *new_sessions;
	size_t nnew_sessions, capnew_sessions;
	struct tt_device_info *devices;	/* every device, for interning */
	size_t ndevices, capdevices;
	size_t ndevices_written;

	void (*live_fn)(void *data, tt_store_mark_fn mark, void *set);
	void *live_data;
	bool collected;			/* strings collected in this commit */

	uint32_t next_string, next_session, next_device;
	size_t pending;			/* records appended since commit */
	uint64_t batch_start;		/* monotonic ns of first pending */
};

/* --- small helpers -------------------------------------------------------- */

void
store_be64(uint8_t *p, uint64_t v)
{
	for (int i = 7; i >= 0; i--, v >>= 8)
		p[i] = (uint8_t)v;
}

uint64_t
store_get_be64(const uint8_t *p)
{
	uint64_t v = 0;

	for (int i = 0; i < 8; i++)
		v = v << 8 | p[i];
	return v;
}

void
store_be32(uint8_t *p, uint32_t v)
{
	for (int i = 3; i >= 0; i--, v >>= 8)
		p[i] = (uint8_t)v;
}

uint32_t
store_get_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

void
store_record_key(uint8_t key[KEY_LEN], const struct tt_record *r)
{
	store_be64(key, r->time_ns);
	store_be64(key + 8, r->seq);
}

/* FNV-1a, 64 bit: interning needs speed, not secrecy; collisions are
 * resolved by comparing the bytes. */
uint64_t
store_hash(const char *s, size_t len)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (size_t i = 0; i < len; i++) {
		h ^= (uint8_t)s[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

static void *
grow(void *arr, size_t *cap, size_t need, size_t size)
{
	size_t ncap;
	void *p;

	if (need <= *cap)
		return arr;
	ncap = *cap ? *cap * 2 : 16;
	while (ncap < need)
		ncap *= 2;
	p = realloc(arr, ncap * size);
	if (!p)
		abort();
	*cap = ncap;
	return p;
}

static int
mdb_to_tt(int rc)
{
	switch (rc) {
	case MDB_INVALID:
	case MDB_VERSION_MISMATCH:
		return TT_ENOTSTORE;
	case MDB_CORRUPTED:
	case MDB_PAGE_NOTFOUND:
		return TT_ECORRUPT;
	default:
		return rc;
	}
}

/* --- value encodings of the small tables ------------------------------------- */

static size_t
put_str(uint8_t *p, const char *s, size_t max)
{
	size_t n = strnlen(s, max - 1);

	p[0] = (uint8_t)n;
	memcpy(p + 1, s, n);
	return n + 1;
}

static bool
get_str(const uint8_t **p, const uint8_t *end, char *out, size_t max)
{
	size_t n;

	if (*p >= end)
		return false;
	n = **p;
	if (n >= max || (size_t)(end - *p) < n + 1)
		return false;
	memcpy(out, *p + 1, n);
	out[n] = '\0';
	*p += n + 1;
	return true;
}

size_t
store_session_encode(uint8_t *buf, const struct tt_session_info *s)
{
	size_t n = 0;

	store_be32(buf, s->uid);
	store_be64(buf + 4, s->start_ns);
	n = 12;
	n += put_str(buf + n, s->logind_id, sizeof(s->logind_id));
	n += put_str(buf + n, s->seat, sizeof(s->seat));
	n += put_str(buf + n, s->user, sizeof(s->user));
	return n;
}

bool
store_session_decode(const void *data, size_t len, uint32_t id,
		     struct tt_session_info *s)
{
	const uint8_t *p = data, *end = p + len;

	memset(s, 0, sizeof(*s));
	if (len < 12)
		return false;
	s->id = id;
	s->uid = store_get_be32(p);
	s->start_ns = store_get_be64(p + 4);
	p += 12;
	return get_str(&p, end, s->logind_id, sizeof(s->logind_id)) &&
	       get_str(&p, end, s->seat, sizeof(s->seat)) &&
	       get_str(&p, end, s->user, sizeof(s->user)) && p == end;
}

size_t
store_device_encode(uint8_t *buf, const struct tt_device_info *d)
{
	size_t n;

	store_be32(buf, d->classes);
	buf[4] = (uint8_t)(d->bus >> 8);
	buf[5] = (uint8_t)d->bus;
	buf[6] = (uint8_t)(d->vendor >> 8);
	buf[7] = (uint8_t)d->vendor;
	buf[8] = (uint8_t)(d->product >> 8);
	buf[9] = (uint8_t)d->product;
	n = 10;
	n += put_str(buf + n, d->ident, sizeof(d->ident));
	n += put_str(buf + n, d->name, sizeof(d->name));
	return n;
}

bool
store_device_decode(const void *data, size_t len, uint32_t id,
		    struct tt_device_info *d)
{
	const uint8_t *p = data, *end = p + len;

	memset(d, 0, sizeof(*d));
	if (len < 10)
		return false;
	d->id = id;
	d->classes = store_get_be32(p);
	d->bus = (uint16_t)(p[4] << 8 | p[5]);
	d->vendor = (uint16_t)(p[6] << 8 | p[7]);
	d->product = (uint16_t)(p[8] << 8 | p[9]);
	p += 10;
	return get_str(&p, end, d->ident, sizeof(d->ident)) &&
	       get_str(&p, end, d->name, sizeof(d->name)) && p == end;
}

/* --- opening ------------------------------------------------------------------ */

static int
dbis_open(MDB_txn *txn, struct store_dbis *d, unsigned create)
{
	int rc;

	if ((rc = mdb_dbi_open(txn, "meta", create, &d->meta)))
		return rc;
	if ((rc = mdb_dbi_open(txn, "records", create, &d->records)) ||
	    (rc = mdb_dbi_open(txn, "strings", create, &d->strings)) ||
	    (rc = mdb_dbi_open(txn, "strhash", create | MDB_DUPSORT, &d->strhash)) ||
	    (rc = mdb_dbi_open(txn, "sessions", create, &d->sessions)) ||
	    (rc = mdb_dbi_open(txn, "devices", create, &d->devices)))
		return rc == MDB_NOTFOUND ? TT_ECORRUPT : rc;
	return 0;
}

int
store_meta_get(MDB_txn *txn, MDB_dbi meta, const char *name, MDB_val *val)
{
	MDB_val k = { strlen(name), (void *)name };

	return mdb_get(txn, meta, &k, val);
}

static int
meta_put(MDB_txn *txn, MDB_dbi meta, const char *name, const void *v, size_t len)
{
	MDB_val k = { strlen(name), (void *)name };
	MDB_val d = { len, (void *)v };

	return mdb_put(txn, meta, &k, &d, 0);
}

static int
meta_put_u64(MDB_txn *txn, MDB_dbi meta, const char *name, uint64_t v)
{
	uint8_t b[8];

	store_be64(b, v);
	return meta_put(txn, meta, name, b, 8);
}

uint64_t
store_meta_u64(MDB_txn *txn, MDB_dbi meta, const char *name)
{
	MDB_val v;

	if (store_meta_get(txn, meta, name, &v) || v.mv_size != 8)
		return 0;
	return store_get_be64(v.mv_data);
}

/* The checks every open does before trusting the file: it is LMDB, no
 * shorter than its meta page says, and ours, of a schema we read. */
static int
check_env(MDB_env *env, const char *datafile, struct store_dbis *dbi,
	  uint32_t *schema_out)
{
	MDB_envinfo info;
	MDB_stat st;
	struct stat fst;
	MDB_txn *txn;
	MDB_val v;
	uint32_t schema;
	int rc;

	if ((rc = mdb_env_info(env, &info)) || (rc = mdb_env_stat(env, &st)))
		return mdb_to_tt(rc);
	if (stat(datafile, &fst) < 0)
		return errno;
	/* A shorter file would fault (SIGBUS) on the first read of a page
	 * past its end: refuse it before any page is touched. */
	if ((uint64_t)fst.st_size < ((uint64_t)info.me_last_pgno + 1) * st.ms_psize)
		return TT_ETRUNCATED;

	if ((rc = mdb_txn_begin(env, NULL, MDB_RDONLY, &txn)))
		return mdb_to_tt(rc);
	rc = mdb_dbi_open(txn, "meta", 0, &dbi->meta);
	if (rc == MDB_NOTFOUND || rc == MDB_INCOMPATIBLE) {
		MDB_stat ms;
		MDB_dbi main_db;

		/* No database at all: a creation that never committed. */
		if (rc == MDB_NOTFOUND &&
		    mdb_dbi_open(txn, NULL, 0, &main_db) == 0 &&
		    mdb_stat(txn, main_db, &ms) == 0 && ms.ms_entries == 0)
			rc = TT_ENOSTORE;
		else
			rc = TT_EFOREIGN;
		goto out;
	}
	if (rc)
		goto out;
	if (store_meta_get(txn, dbi->meta, "magic", &v) ||
	    v.mv_size != strlen(STORE_MAGIC) ||
	    memcmp(v.mv_data, STORE_MAGIC, v.mv_size) != 0) {
		rc = TT_EFOREIGN;
		goto out;
	}
	if (store_meta_get(txn, dbi->meta, "schema", &v) || v.mv_size != 4) {
		rc = TT_ECORRUPT;
		goto out;
	}
	schema = store_get_be32(v.mv_data);
	if (schema > TT_SCHEMA_VERSION) {
		rc = TT_ESCHEMA_NEWER;
		goto out;
	}
	if (schema < TT_SCHEMA_VERSION_MIN) {
		rc = TT_ESCHEMA_OLDER;
		goto out;
	}
	if ((rc = dbis_open(txn, dbi, 0)))
		goto out;
	if (schema_out)
		*schema_out = schema;
	/* Committing, not aborting: handles opened in an aborted
	 * transaction, even a read-only one, are closed with it. */
	return mdb_to_tt(mdb_txn_commit(txn));
out:
	mdb_txn_abort(txn);
	return mdb_to_tt(rc);
}

static int
env_create(MDB_env **out, uint64_t map_size, unsigned flags)
{
	MDB_env *env;
	int rc;

	if ((rc = mdb_env_create(&env)))
		return rc;
	mdb_env_set_maxdbs(env, 8);
	mdb_env_set_maxreaders(env, 126);
	if (map_size && (rc = mdb_env_set_mapsize(env, map_size))) {
		mdb_env_close(env);
		return rc;
	}
	(void)flags;
	*out = env;
	return 0;
}

/* Is this an LMDB data file at all? Look at the first meta page before
 * LMDB maps it: its page flags say P_META, then the magic and version. An
 * empty file is a store whose creation never finished. */
static int
check_header(const char *datafile)
{
	uint8_t h[24];
	uint16_t flags;
	uint32_t magic, version;
	ssize_t n;
	int fd;

	fd = open(datafile, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno;
	n = pread(fd, h, sizeof(h), 0);
	close(fd);
	if (n == 0)
		return TT_ENOSTORE;
	if (n != (ssize_t)sizeof(h))
		return TT_ENOTSTORE;
	memcpy(&flags, h + 10, 2);
	memcpy(&magic, h + 16, 4);
	memcpy(&version, h + 20, 4);
	if (!(flags & 0x08) || magic != 0xBEEFC0DE || version != 1)
		return TT_ENOTSTORE;
	return 0;
}

static int
open_reader_env(MDB_env **out, const char *dir, const char *datafile,
		struct store_dbis *dbi)
{
	MDB_env *env;
	int rc;

	if ((rc = check_header(datafile)))
		return rc;
	if ((rc = env_create(&env, 0, 0)))
		return rc;
	rc = mdb_env_open(env, dir, MDB_RDONLY | MDB_NOTLS, 0640);
	if (!rc)
		rc = check_env(env, datafile, dbi, NULL);
	if (rc) {
		mdb_env_close(env);
		return mdb_to_tt(rc);
	}
	*out = env;
	return 0;
}

static int
take_writer_lock(struct tt_store *s)
{
	char path[4096], pid[32];
	int fd, n;

	snprintf(path, sizeof(path), "%s/writer.lock", s->path);
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0640);
	if (fd < 0)
		return errno;
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		int err = errno == EWOULDBLOCK ? TT_EBUSY : errno;
		close(fd);
		return err;
	}
	n = snprintf(pid, sizeof(pid), "%ld\n", (long)getpid());
	if (ftruncate(fd, 0) == 0 && pwrite(fd, pid, (size_t)n, 0) < 0)
		(void)0; /* the pid is informative only */
	s->lock_fd = fd;
	return 0;
}

/* A store of an older schema we read, opened for writing: from now on it
 * may hold blocks of the current version, so it says so. */
static int
schema_upgrade(MDB_env *env, struct store_dbis *dbi)
{
	MDB_txn *txn;
	uint8_t schema[4];
	int rc;

	if ((rc = mdb_txn_begin(env, NULL, 0, &txn)))
		return rc;
	store_be32(schema, TT_SCHEMA_VERSION);
	if ((rc = meta_put(txn, dbi->meta, "schema", schema, 4))) {
		mdb_txn_abort(txn);
		return rc;
	}
	return mdb_txn_commit(txn);
}

static int
init_new_store(MDB_env *env, struct store_dbis *dbi)
{
	MDB_txn *txn;
	uint8_t schema[4], host[16], sid[16];
	char hex[33], shex[33];
	int rc;

	if ((rc = mdb_txn_begin(env, NULL, 0, &txn)))
		return rc;
	if ((rc = dbis_open(txn, dbi, MDB_CREATE)))
		goto fail;
	if (getrandom(host, sizeof(host), 0) != (ssize_t)sizeof(host) ||
	    getrandom(sid, sizeof(sid), 0) != (ssize_t)sizeof(sid)) {
		rc = errno ? errno : EIO;
		goto fail;
	}
	for (int i = 0; i < 16; i++) {
		snprintf(hex + 2 * i, 3, "%02x", host[i]);
		snprintf(shex + 2 * i, 3, "%02x", sid[i]);
	}
	store_be32(schema, TT_SCHEMA_VERSION);
	if ((rc = meta_put(txn, dbi->meta, "magic", STORE_MAGIC, strlen(STORE_MAGIC))) ||
	    (rc = meta_put(txn, dbi->meta, "schema", schema, 4)) ||
	    (rc = meta_put(txn, dbi->meta, "host_id", hex, 32)) ||
	    (rc = meta_put(txn, dbi->meta, "store_id", shex, 32)) ||
	    (rc = meta_put_u64(txn, dbi->meta, "created",
			       tt_now_ns())) ||
	    (rc = meta_put_u64(txn, dbi->meta, "records", 0)))
		goto fail;
	return mdb_txn_commit(txn);
fail:
	mdb_txn_abort(txn);
	return rc;
}

static uint32_t
next_id(MDB_txn *txn, MDB_dbi dbi)
{
	MDB_cursor *c;
	MDB_val k, v;
	uint32_t id = 1;

	if (mdb_cursor_open(txn, dbi, &c))
		return 1;
	if (mdb_cursor_get(c, &k, &v, MDB_LAST) == 0 && k.mv_size == 4)
		id = store_get_be32(k.mv_data) + 1;
	mdb_cursor_close(c);
	return id;
}

/* Load what a writer needs to go on where the last one stopped: the next
 * ids, the devices, and the last block as the tail to append to. */
static int
writer_resume(struct tt_store *s)
{
	MDB_txn *txn;
	MDB_cursor *c;
	MDB_val k, v;
	int rc;

	if ((rc = mdb_txn_begin(s->env, NULL, MDB_RDONLY, &txn)))
		return rc;
	s->next_string = next_id(txn, s->dbi.strings);
	/* An id is never given twice, also after its string was collected:
	 * a reader that follows the store may have it cached. */
	{
		uint64_t hw = store_meta_u64(txn, s->dbi.meta, "next_string");

		if (hw > s->next_string && hw <= UINT32_MAX)
			s->next_string = (uint32_t)hw;
	}
	s->next_session = next_id(txn, s->dbi.sessions);
	s->next_device = next_id(txn, s->dbi.devices);

	if ((rc = mdb_cursor_open(txn, s->dbi.devices, &c)))
		goto out;
	while ((rc = mdb_cursor_get(c, &k, &v, MDB_NEXT)) == 0) {
		s->devices = grow(s->devices, &s->capdevices, s->ndevices + 1,
				  sizeof(*s->devices));
		if (k.mv_size != 4 ||
		    !store_device_decode(v.mv_data, v.mv_size,
					 store_get_be32(k.mv_data),
					 &s->devices[s->ndevices])) {
			mdb_cursor_close(c);
			rc = TT_ECORRUPT;
			goto out;
		}
		s->ndevices++;
	}
	mdb_cursor_close(c);
	s->ndevices_written = s->ndevices;
	if (rc != MDB_NOTFOUND)
		goto out;
	rc = 0;

	if ((rc = mdb_cursor_open(txn, s->dbi.records, &c)))
		goto out;
	if (mdb_cursor_get(c, &k, &v, MDB_LAST) == 0) {
		struct tt_block_dec dec;
		struct tt_record r;
		int n;

		bool full = false;

		n = 0;
		rc = tt_block_dec_init(&dec, v.mv_data, v.mv_size);
		while (!rc && (n = tt_block_dec_next(&dec, &r)) == 1) {
			/* A block that no longer takes records stays sealed
			 * and the tail starts anew. */
			if (!full && tt_block_enc_add(&s->tail, &r) != 0)
				full = true;
			s->last = r;
			s->have_last = true;
		}
		if (full)
			tt_block_enc_init(&s->tail);
		if (rc || n < 0)
			rc = TT_ECORRUPT;
		s->tail_stored = s->tail.count > 0;
	}
	mdb_cursor_close(c);
out:
	mdb_txn_abort(txn);
	return rc == MDB_NOTFOUND ? 0 : rc;
}

int
tt_store_open(struct tt_store **out, const char *dir, unsigned flags,
	      const struct tt_store_options *opts)
{
	struct tt_store *s;
	char datafile[4096];
	struct stat st;
	bool fresh = false;
	uint32_t schema = TT_SCHEMA_VERSION;
	int rc;

	if (strlen(dir) > sizeof(datafile) - 32)
		return ENAMETOOLONG;
	if (stat(dir, &st) < 0) {
		if (errno != ENOENT)
			return errno;
		if (!(flags & TT_STORE_CREATE) || (flags & TT_STORE_RDONLY))
			return TT_ENOSTORE;
		if (mkdir(dir, 0750) < 0 && errno != EEXIST)
			return errno;
	} else if (!S_ISDIR(st.st_mode)) {
		return ENOTDIR;
	}
	snprintf(datafile, sizeof(datafile), "%s/data.mdb", dir);
	if (stat(datafile, &st) < 0) {
		if (errno != ENOENT)
			return errno;
		if (!(flags & TT_STORE_CREATE) || (flags & TT_STORE_RDONLY))
			return TT_ENOSTORE;
		fresh = true;
	} else if (!S_ISREG(st.st_mode)) {
		return TT_ENOTSTORE;
	} else if (access(datafile, (flags & TT_STORE_RDONLY) ? R_OK : R_OK | W_OK) < 0) {
		return errno;
	}

	s = calloc(1, sizeof(*s));
	if (!s)
		return ENOMEM;
	s->path = strdup(dir);
	s->flags = flags;
	s->lock_fd = -1;
	if (opts)
		s->opts = *opts;
	if (!s->opts.map_size)
		s->opts.map_size = DEFAULT_MAP_SIZE;
	if (!s->opts.batch_records)
		s->opts.batch_records = DEFAULT_BATCH;
	if (!s->opts.batch_age_ns)
		s->opts.batch_age_ns = DEFAULT_AGE_NS;
	tt_block_enc_init(&s->tail);

	if (flags & TT_STORE_RDONLY) {
		rc = open_reader_env(&s->env, dir, datafile, &s->dbi);
		if (rc)
			goto fail;
		*out = s;
		return 0;
	}

	/* A writer: take the lock, check the file as a reader would (so a bad
	 * file is never written to), then open it for writing. */
	if ((rc = take_writer_lock(s)))
		goto fail;
	if (!fresh) {
		MDB_env *probe;
		struct store_dbis d;

		rc = open_reader_env(&probe, dir, datafile, &d);
		if (rc == TT_ENOSTORE && (flags & TT_STORE_CREATE))
			fresh = true;	/* finish an interrupted creation */
		else if (rc)
			goto fail;
		else
			mdb_env_close(probe);
	}
	if ((rc = env_create(&s->env, s->opts.map_size, 0)))
		goto fail;
	rc = mdb_env_open(s->env, dir, MDB_NOTLS, 0640);
	if (rc)
		goto fail_mdb;
	if (fresh) {
		char lockfile[4096];

		if ((rc = init_new_store(s->env, &s->dbi)))
			goto fail_mdb;
		/* Readers of the admin group need to write LMDB's reader table. */
		snprintf(lockfile, sizeof(lockfile), "%s/lock.mdb", dir);
		chmod(lockfile, 0660);
	} else if ((rc = check_env(s->env, datafile, &s->dbi, &schema)) ||
		   (schema < TT_SCHEMA_VERSION &&
		    (rc = schema_upgrade(s->env, &s->dbi)))) {
		goto fail_mdb;
	}
	if ((rc = writer_resume(s)))
		goto fail_mdb;
	*out = s;
	return 0;

fail_mdb:
	rc = mdb_to_tt(rc);
fail:
	if (s->env)
		mdb_env_close(s->env);
	s->env = NULL;
	if (s->lock_fd >= 0)
		close(s->lock_fd);
	free(s->devices);
	free(s->path);
	free(s);
	return rc;
}

const char *
tt_store_path(const struct tt_store *s)
{
	return s->path;
}

static void
cache_clear(struct tt_store *s)
{
	for (size_t i = 0; i < s->cache_cap; i++)
		free(s->cache[i].str);
	free(s->cache);
	s->cache = NULL;
	s->cache_cap = s->cache_count = 0;
}

int
tt_store_close(struct tt_store *s)
{
	int rc = 0;

	if (!s)
		return 0;
	if (!(s->flags & TT_STORE_RDONLY))
		rc = tt_store_commit(s);
	mdb_env_close(s->env);
	if (s->lock_fd >= 0)
		close(s->lock_fd);
	for (size_t i = 0; i < s->nsealed; i++)
		free(s->sealed[i].data);
	free(s->sealed);
	free(s->late);
	cache_clear(s);
	for (size_t i = 0; i < s->nnew_strings; i++)
		free(s->new_strings[i].str);
	free(s->new_strings);
	free(s->new_sessions);
	free(s->devices);
	free(s->path);
	free(s);
	return rc;
}

/* --- interning ------------------------------------------------------------------ */

static struct cache_entry *
cache_slot(struct tt_store *s, uint64_t hash, const char *str, size_t len)
{
	size_t mask = s->cache_cap - 1;

	for (size_t i = hash & mask;; i = (i + 1) & mask) {
		struct cache_entry *e = &s->cache[i];
		if (!e->str || (e->hash == hash && e->len == len &&
				memcmp(e->str, str, len) == 0))
			return e;
	}
}

static void
cache_insert(struct tt_store *s, uint64_t hash, const char *str, size_t len, uint32_t id)
{
	struct cache_entry *e;

	if ((s->cache_count + 1) * 2 > s->cache_cap) {
		struct cache_entry *old = s->cache;
		size_t oldcap = s->cache_cap;

		s->cache_cap = oldcap ? oldcap * 2 : 256;
		s->cache = calloc(s->cache_cap, sizeof(*s->cache));
		if (!s->cache)
			abort();
		for (size_t i = 0; i < oldcap; i++)
			if (old[i].str)
				*cache_slot(s, old[i].hash, old[i].str, old[i].len) = old[i];
		free(old);
	}
	e = cache_slot(s, hash, str, len);
	e->hash = hash;
	e->id = id;
	e->len = (uint32_t)len;
	e->str = malloc(len + 1);
	if (!e->str)
		abort();
	memcpy(e->str, str, len);
	e->str[len] = '\0';
	s->cache_count++;
}

int
store_lookup_string(MDB_txn *txn, const struct store_dbis *dbi,
		    const char *str, size_t len, uint32_t *id)
{
	MDB_cursor *c;
	MDB_val k, v;
	uint8_t hk[8];
	int rc;

	store_be64(hk, store_hash(str, len));
	k.mv_size = 8;
	k.mv_data = hk;
	if ((rc = mdb_cursor_open(txn, dbi->strhash, &c)))
		return rc;
	rc = mdb_cursor_get(c, &k, &v, MDB_SET_KEY);
	while (rc == 0) {
		MDB_val sk, sv;
		uint8_t idk[4];

		if (v.mv_size != 4) {
			rc = TT_ECORRUPT;
			break;
		}
		memcpy(idk, v.mv_data, 4);
		sk.mv_size = 4;
		sk.mv_data = idk;
		if (mdb_get(txn, dbi->strings, &sk, &sv) == 0 &&
		    sv.mv_size == len && memcmp(sv.mv_data, str, len) == 0) {
			*id = store_get_be32(idk);
			break;
		}
		rc = mdb_cursor_get(c, &k, &v, MDB_NEXT_DUP);
	}
	mdb_cursor_close(c);
	return rc == MDB_NOTFOUND ? ENOENT : rc;
}

int
tt_store_intern(struct tt_store *s, const char *str, size_t len, uint32_t *id)
{
	bool created;

	return tt_store_intern_new(s, str, len, SIZE_MAX, id, &created);
}

int
tt_store_intern_new(struct tt_store *s, const char *str, size_t len, size_t max_new,
		    uint32_t *id, bool *created)
{
	uint64_t h = store_hash(str, len);
	struct cache_entry *e;
	MDB_txn *txn;
	int rc;

	*created = false;
	if (s->flags & TT_STORE_RDONLY)
		return TT_ERDONLY;
	if (len > TT_STRING_MAX)
		return -E2BIG;
	if (s->cache_cap) {
		e = cache_slot(s, h, str, len);
		if (e->str) {
			*id = e->id;
			return 0;
		}
	}
	if (s->next_string > 1) {
		if ((rc = mdb_txn_begin(s->env, NULL, MDB_RDONLY, &txn)))
			return rc;
		rc = store_lookup_string(txn, &s->dbi, str, len, id);
		mdb_txn_abort(txn);
		if (rc == 0) {
			cache_insert(s, h, str, len, *id);
			return 0;
		}
		if (rc != ENOENT)
			return rc;
	}
	if (len > max_new) {
		*id = 0;
		return -EDQUOT;
	}
	*created = true;
	*id = s->next_string++;
	cache_insert(s, h, str, len, *id);
	s->new_strings = grow(s->new_strings, &s->capnew_strings,
			      s->nnew_strings + 1, sizeof(*s->new_strings));
	e = &s->new_strings[s->nnew_strings++];
	e->hash = h;
	e->id = *id;
	e->len = (uint32_t)len;
	e->str = malloc(len + 1);
	if (!e->str)
		abort();
	memcpy(e->str, str, len);
	return 0;
}

int
tt_store_session_add(struct tt_store *s, struct tt_session_info *sess)
{
	if (s->flags & TT_STORE_RDONLY)
		return TT_ERDONLY;
	sess->id = s->next_session++;
	s->new_sessions = grow(s->new_sessions, &s->capnew_sessions,
			       s->nnew_sessions + 1, sizeof(*sess));
	s->new_sessions[s->nnew_sessions++] = *sess;
	return 0;
}

int
tt_store_device_intern(struct tt_store *s, struct tt_device_info *dev)
{
	if (s->flags & TT_STORE_RDONLY)
		return TT_ERDONLY;
	for (size_t i = 0; i < s->ndevices; i++) {
		if (strcmp(s->devices[i].ident, dev->ident) == 0) {
			dev->id = s->devices[i].id;
			return 0;
		}
	}
	dev->id = s->next_device++;
	s->devices = grow(s->devices, &s->capdevices, s->ndevices + 1, sizeof(*dev));
	s->devices[s->ndevices++] = *dev;
	return 0;
}

/* --- appending -------------------------------------------------------------------- */

/* The tail's first record, whose key the tail is stored under. The tail
 * must not be empty. */
static void
tail_first(const struct tt_store *s, struct tt_record *first)
{
	struct tt_block_dec dec;

	tt_block_dec_init(&dec, s->tail.buf, s->tail.len);
	tt_block_dec_next(&dec, first);
}

static void
seal_tail(struct tt_store *s)
{
	struct pending_block *b;
	struct tt_record first;

	if (s->tail.count == 0)
		return;
	tail_first(s, &first);
	s->sealed = grow(s->sealed, &s->capsealed, s->nsealed + 1, sizeof(*b));
	b = &s->sealed[s->nsealed++];
	store_record_key(b->key, &first);
	b->len = s->tail.len;
	b->count = s->tail.count;
	b->data = malloc(b->len);
	if (!b->data)
		abort();
	memcpy(b->data, s->tail.buf, b->len);
	tt_block_enc_init(&s->tail);
	s->tail_stored = false;
	s->tail_dirty = false;
}

/* Decode a block into a new array (caller frees); TT_ECORRUPT when the
 * block does not decode. */
int
store_block_decode_all(const void *data, size_t len, struct tt_record **out, size_t *n)
{
	struct tt_block_dec dec;
	struct tt_record *arr;
	int rc;

	if (tt_block_dec_init(&dec, data, len))
		return TT_ECORRUPT;
	arr = malloc((dec.count + 1) * sizeof(*arr));
	if (!arr)
		return ENOMEM;
	*n = 0;
	while ((rc = tt_block_dec_next(&dec, &arr[*n])) == 1)
		(*n)++;
	if (rc < 0) {
		free(arr);
		return TT_ECORRUPT;
	}
	*out = arr;
	return 0;
}

/* Insert a record that sorts inside the tail (rare: a late record). */
static int
tail_insert(struct tt_store *s, const struct tt_record *r)
{
	struct tt_record *arr;
	size_t n, i;
	int rc;

	if ((rc = store_block_decode_all(s->tail.buf, s->tail.len, &arr, &n)))
		return rc;
	for (i = n; i > 0 && tt_record_cmp(&arr[i - 1], r) > 0; i--)
		arr[i] = arr[i - 1];
	arr[i] = *r;
	n++;

	/* Re-encode; when it no longer fits, the front becomes a sealed
	 * block and the rest the new tail. */
	bool stored = s->tail_stored;
	tt_block_enc_init(&s->tail);
	for (i = 0; i < n; i++) {
		if (tt_block_enc_add(&s->tail, &arr[i]) == -ENOSPC) {
			seal_tail(s);
			tt_block_enc_add(&s->tail, &arr[i]);
			stored = false;
		}
	}
	s->tail_stored = stored;
	s->tail_dirty = true;
	free(arr);
	return 0;
}

int
tt_store_append(struct tt_store *s, const struct tt_record *r)
{
	int rc;

	if (s->flags & TT_STORE_RDONLY)
		return TT_ERDONLY;
	if (!tt_record_valid(r))
		return -EINVAL;

	if (s->tail.count > 0 && tt_record_cmp(r, &s->tail.prev) >= 0) {
		/* The common case: in order, at the end of the tail. */
		rc = tt_block_enc_add(&s->tail, r);
		if (rc == -ENOSPC) {
			seal_tail(s);
			rc = tt_block_enc_add(&s->tail, r);
		}
		if (rc)
			return rc;
		s->tail_dirty = true;
	} else if (s->tail.count == 0 &&
		   (!s->have_last || tt_record_cmp(r, &s->last) >= 0)) {
		if ((rc = tt_block_enc_add(&s->tail, r)))
			return rc;
		s->tail_dirty = true;
	} else {
		/* Late (the clock stepped back, or a long aggregate closed):
		 * inside the tail, or merged into a stored block at commit.
		 * Readers that follow the store's end (tasktrace ship) learn
		 * of it through the "late" meta value written at commit. */
		struct tt_record first;
		bool in_tail = false;

		if (!s->have_out_of_order || tt_record_cmp(r, &s->out_of_order) < 0) {
			s->out_of_order = *r;
			s->have_out_of_order = true;
		}

		if (s->tail.count > 0) {
			tail_first(s, &first);
			in_tail = tt_record_cmp(r, &first) >= 0;
		}
		if (in_tail) {
			if ((rc = tail_insert(s, r)))
				return rc;
		} else {
			s->late = grow(s->late, &s->caplate, s->nlate + 1, sizeof(*r));
			s->late[s->nlate++] = *r;
		}
	}
	if (!s->have_last || tt_record_cmp(r, &s->last) > 0) {
		s->last = *r;
		s->have_last = true;
	}

	if (s->pending++ == 0)
		s->batch_start = tt_mono_ns();
	if (s->pending >= s->opts.batch_records)
		return tt_store_commit(s);
	if ((s->pending & 1023) == 0)
		return tt_store_commit_due(s);
	return 0;
}

size_t
tt_store_pending(const struct tt_store *s)
{
	return s->pending;
}

int
tt_store_commit_due(struct tt_store *s)
{
	if (s->pending && tt_mono_ns() - s->batch_start >= s->opts.batch_age_ns)
		return tt_store_commit(s);
	return 0;
}

/* --- committing ------------------------------------------------------------------ */

static int
put_block(MDB_txn *txn, MDB_dbi dbi, const uint8_t *key, const void *data, size_t len)
{
	MDB_val k = { KEY_LEN, (void *)key };
	MDB_val v = { len, (void *)data };

	return mdb_put(txn, dbi, &k, &v, 0);
}

/* Write sorted records as full blocks, each keyed by its first record. */
int
store_put_records(MDB_txn *txn, MDB_dbi dbi, const struct tt_record *arr, size_t n)
{
	struct tt_block_enc *enc = malloc(sizeof(*enc));
	uint8_t key[KEY_LEN];
	size_t start = 0;
	int rc = 0;

	if (!enc)
		return ENOMEM;
	tt_block_enc_init(enc);
	for (size_t i = 0; i <= n && !rc; i++) {
		if (i == n || tt_block_enc_add(enc, &arr[i]) == -ENOSPC) {
			if (enc->count) {
				store_record_key(key, &arr[start]);
				rc = put_block(txn, dbi, key, enc->buf, enc->len);
			}
			if (i < n && !rc) {
				tt_block_enc_init(enc);
				start = i;
				rc = tt_block_enc_add(enc, &arr[i]);
			}
		}
	}
	free(enc);
	return rc;
}

static int
cmp_records(const void *a, const void *b)
{
	return tt_record_cmp(a, b);
}

/*
 * Merge late records (sorted) into the stored blocks whose ranges hold
 * them: each block touched is decoded, merged with every late record up
 * to the next block's key, and rewritten as full blocks, so a burst of
 * late records costs one rewrite per block, not one per record. Records
 * older than everything join the first block. Blocks keep their
 * invariant: sorted, never overlapping.
 */
static int
merge_late(struct tt_store *s, MDB_txn *txn)
{
	MDB_cursor *c = NULL;
	MDB_val k, v;
	uint8_t key[KEY_LEN], next_key[KEY_LEN];
	struct tt_record *arr = NULL, *merged = NULL;
	size_t i = 0, n, j, m, a, b;
	bool have_next;
	int rc;

	if ((rc = mdb_cursor_open(txn, s->dbi.records, &c)))
		return rc;
	while (i < s->nlate) {
		store_record_key(key, &s->late[i]);
		k.mv_size = KEY_LEN;
		k.mv_data = key;
		rc = mdb_cursor_get(c, &k, &v, MDB_SET_RANGE);
		if (rc == 0 && memcmp(k.mv_data, key, KEY_LEN) != 0)
			rc = mdb_cursor_get(c, &k, &v, MDB_PREV);
		else if (rc == MDB_NOTFOUND)
			rc = mdb_cursor_get(c, &k, &v, MDB_LAST);
		if (rc == MDB_NOTFOUND)	/* older than every block */
			rc = mdb_cursor_get(c, &k, &v, MDB_FIRST);
		if (rc == MDB_NOTFOUND) {
			/* No block at all (purged while pending): write them. */
			rc = store_put_records(txn, s->dbi.records, s->late + i, s->nlate - i);
			break;
		}
		if (rc)
			break;
		uint8_t bkey[KEY_LEN];
		MDB_val bk = { KEY_LEN, bkey };

		if (k.mv_size != KEY_LEN) {
			rc = TT_ECORRUPT;
			break;
		}
		memcpy(bkey, k.mv_data, KEY_LEN);
		if ((rc = store_block_decode_all(v.mv_data, v.mv_size, &arr, &n))) {
			rc = TT_ECORRUPT;
			break;
		}
		/* The next block bounds what may join this one. */
		rc = mdb_cursor_get(c, &k, &v, MDB_NEXT);
		have_next = rc == 0;
		if (have_next)
			memcpy(next_key, k.mv_data, KEY_LEN);
		if ((rc = mdb_del(txn, s->dbi.records, &bk, NULL)))
			break;
		if (s->tail.count > 0) {
			/* Records older than everything join the first block: when
			 * that is the tail's, the tail lives on in the merged
			 * blocks and must not be put again (commit_done()). */
			struct tt_record first;
			uint8_t tkey[KEY_LEN];

			tail_first(s, &first);
			store_record_key(tkey, &first);
			if (memcmp(tkey, bkey, KEY_LEN) == 0)
				s->tail_absorbed = true;
		}
		for (j = i; j < s->nlate; j++) {
			store_record_key(key, &s->late[j]);
			if (have_next && memcmp(key, next_key, KEY_LEN) >= 0)
				break;
		}
		merged = malloc((n + j - i) * sizeof(*merged));
		if (!merged) {
			rc = ENOMEM;
			break;
		}
		for (a = 0, b = i, m = 0; a < n || b < j;) {
			if (b == j || (a < n && tt_record_cmp(&arr[a], &s->late[b]) <= 0))
				merged[m++] = arr[a++];
			else
				merged[m++] = s->late[b++];
		}
		rc = store_put_records(txn, s->dbi.records, merged, m);
		free(merged);
		merged = NULL;
		free(arr);
		arr = NULL;
		if (rc)
			break;
		i = j;
	}
	mdb_cursor_close(c);
	free(arr);
	return rc == MDB_NOTFOUND ? 0 : rc;
}

/*
 * The "late" meta value: a log of the commits that put records behind the
 * store's end, so that a reader following the end (tasktrace ship) can go
 * back for them. Entries of TT_STORE_LATE_ENTRY bytes (generation, then
 * the least record's time and seq, all u64 BE), oldest first, at most
 * TT_STORE_LATE_MAX of them: a reader whose last seen generation is older
 * than the first entry's must start again from the beginning.
 */
int
store_note_late(MDB_txn *txn, MDB_dbi meta, uint64_t time_ns, uint64_t seq)
{
	uint8_t buf[TT_STORE_LATE_MAX * TT_STORE_LATE_ENTRY];
	size_t n = 0;
	uint64_t gen = 1;
	MDB_val v;

	if (store_meta_get(txn, meta, "late", &v) == 0 &&
	    v.mv_size % TT_STORE_LATE_ENTRY == 0 && v.mv_size <= sizeof(buf) && v.mv_size) {
		n = v.mv_size / TT_STORE_LATE_ENTRY;
		memcpy(buf, v.mv_data, v.mv_size);
		gen = store_get_be64(buf + (n - 1) * TT_STORE_LATE_ENTRY) + 1;
	}
	if (n == TT_STORE_LATE_MAX) {
		memmove(buf, buf + TT_STORE_LATE_ENTRY, (n - 1) * TT_STORE_LATE_ENTRY);
		n--;
	}
	store_be64(buf + n * TT_STORE_LATE_ENTRY, gen);
	store_be64(buf + n * TT_STORE_LATE_ENTRY + 8, time_ns);
	store_be64(buf + n * TT_STORE_LATE_ENTRY + 16, seq);
	n++;
	return meta_put(txn, meta, "late", buf, n * TT_STORE_LATE_ENTRY);
}

static int
note_late(MDB_txn *txn, MDB_dbi meta, const struct tt_record *r)
{
	return store_note_late(txn, meta, r->time_ns, r->seq);
}

/* Raise the "expired" meta value, the key (time, seq) before which
 * records were deleted by age or for space (not by user), to @p key. */
int
store_note_expired(MDB_txn *txn, MDB_dbi meta, const uint8_t key[KEY_LEN])
{
	MDB_val v;

	if (store_meta_get(txn, meta, "expired", &v) == 0 && v.mv_size == KEY_LEN &&
	    memcmp(v.mv_data, key, KEY_LEN) >= 0)
		return 0;
	return meta_put(txn, meta, "expired", key, KEY_LEN);
}

static int
commit_once(struct tt_store *s)
{
	MDB_txn *txn;
	uint8_t buf[512];
	uint64_t count;
	int rc;

	s->tail_absorbed = false;
	if ((rc = mdb_txn_begin(s->env, NULL, 0, &txn)))
		return rc;

	for (size_t i = 0; i < s->nnew_strings; i++) {
		const struct cache_entry *e = &s->new_strings[i];
		uint8_t idk[4], hk[8];

		store_be32(idk, e->id);
		store_be64(hk, e->hash);
		MDB_val k = { 4, idk }, v = { e->len, e->str };
		MDB_val hkv = { 8, hk }, hv = { 4, idk };
		if ((rc = mdb_put(txn, s->dbi.strings, &k, &v, MDB_APPEND)) ||
		    (rc = mdb_put(txn, s->dbi.strhash, &hkv, &hv, 0)))
			goto fail;
	}
	for (size_t i = 0; i < s->nnew_sessions; i++) {
		uint8_t idk[4];

		store_be32(idk, s->new_sessions[i].id);
		MDB_val k = { 4, idk };
		MDB_val v = { store_session_encode(buf, &s->new_sessions[i]), buf };
		if ((rc = mdb_put(txn, s->dbi.sessions, &k, &v, MDB_APPEND)))
			goto fail;
	}
	for (size_t i = s->ndevices_written; i < s->ndevices; i++) {
		uint8_t idk[4];

		store_be32(idk, s->devices[i].id);
		MDB_val k = { 4, idk };
		MDB_val v = { store_device_encode(buf, &s->devices[i]), buf };
		if ((rc = mdb_put(txn, s->dbi.devices, &k, &v, MDB_APPEND)))
			goto fail;
	}
	for (size_t i = 0; i < s->nsealed; i++) {
		struct pending_block *b = &s->sealed[i];
		if ((rc = put_block(txn, s->dbi.records, b->key, b->data, b->len)))
			goto fail;
	}
	if (s->tail_dirty && s->tail.count) {
		struct tt_record first;
		uint8_t key[KEY_LEN];

		tail_first(s, &first);
		store_record_key(key, &first);
		if ((rc = put_block(txn, s->dbi.records, key, s->tail.buf, s->tail.len)))
			goto fail;
	}
	if (s->nlate) {
		qsort(s->late, s->nlate, sizeof(*s->late), cmp_records);
		if ((rc = merge_late(s, txn)))
			goto fail;
	}
	if (s->have_out_of_order && (rc = note_late(txn, s->dbi.meta, &s->out_of_order)))
		goto fail;
	if (s->nnew_strings &&
	    (rc = meta_put_u64(txn, s->dbi.meta, "next_string", s->next_string)))
		goto fail;
	count = store_meta_u64(txn, s->dbi.meta, "records") + s->pending;
	if ((rc = meta_put_u64(txn, s->dbi.meta, "records", count)))
		goto fail;
	return mdb_txn_commit(txn);
fail:
	mdb_txn_abort(txn);
	return rc;
}

/*
 * After a purge for space: the strings only the deleted blocks named go
 * too. Without this, a store filled by new strings (a window retitling
 * itself, a hostile collector) stays full after every block is gone, and
 * every commit fails from then on. A transaction of its own, after the
 * blocks' one: LMDB reuses the pages that one freed, and a reader never
 * sees a record whose string is gone (it sees the blocks' deletion first,
 * or neither). A failure here is not the commit's: the next purge tries
 * again.
 */
/* LMDB pages of a database. */
static uint64_t
db_pages(MDB_txn *txn, MDB_dbi dbi)
{
	MDB_stat st;

	if (mdb_stat(txn, dbi, &st))
		return 0;
	return st.ms_branch_pages + st.ms_leaf_pages + st.ms_overflow_pages;
}

/*
 * Do the strings take a quarter of the store? Collecting them reads every
 * record (about 0.5 µs each), while the tracer waits: worth it only when
 * they are what fills the map — else the purged blocks are the room, and
 * the strings go with the next retention.
 */
static bool
strings_weigh(struct tt_store *s)
{
	uint64_t strs, recs;
	MDB_txn *txn;

	if (mdb_txn_begin(s->env, NULL, MDB_RDONLY, &txn))
		return false;
	strs = db_pages(txn, s->dbi.strings) + db_pages(txn, s->dbi.strhash);
	recs = db_pages(txn, s->dbi.records);
	mdb_txn_abort(txn);
	return strs * 3 >= recs;
}

static unsigned
collect_strings_now(struct tt_store *s)
{
	unsigned deleted = 0;

	store_collect_strings(s, &deleted);
	if (deleted)
		store_cache_forget(s);
	return deleted;
}

/* Keep the newer half of the tail's records. */
static void
trim_tail(struct tt_store *s)
{
	struct tt_record *arr;
	size_t n, keep;

	if (s->tail.count < 2 || store_block_decode_all(s->tail.buf, s->tail.len, &arr, &n))
		return;
	keep = n / 2;
	tt_block_enc_init(&s->tail);
	for (size_t i = n - keep; i < n; i++)
		tt_block_enc_add(&s->tail, &arr[i]);
	free(arr);
	s->tail_stored = false;
}

/* Delete the oldest blocks: about a sixteenth of them, at least one. */
static int
purge_oldest(struct tt_store *s)
{
	MDB_txn *txn;
	MDB_cursor *c;
	MDB_stat st;
	MDB_val k, v;
	uint64_t removed = 0, blocks, del;
	int rc;

	if ((rc = mdb_txn_begin(s->env, NULL, 0, &txn)))
		return rc;
	if ((rc = mdb_stat(txn, s->dbi.records, &st)) ||
	    (rc = mdb_cursor_open(txn, s->dbi.records, &c)))
		goto fail;
	blocks = st.ms_entries;
	if (blocks == 0) {
		mdb_cursor_close(c);
		mdb_txn_abort(txn);
		/* no block left: strings may still be, that nothing names */
		return collect_strings_now(s) ? 0 : TT_EFULL;
	}
	del = blocks / 16 ? blocks / 16 : 1;
	for (uint64_t i = 0; i < del; i++) {
		struct tt_block_dec dec;

		if ((rc = mdb_cursor_get(c, &k, &v, MDB_FIRST)))
			break;
		if (tt_block_dec_init(&dec, v.mv_data, v.mv_size) == 0)
			removed += dec.count;
		if ((rc = mdb_cursor_del(c, 0)))
			break;
	}
	if (blocks <= del && (rc == 0 || rc == MDB_NOTFOUND)) {
		/* The tail's own block was among them, and the tail would only
		 * be put back: its older half goes too (else a store whose
		 * records fit in one block, but not their strings, stays full). */
		trim_tail(s);
	}
	if (rc == 0 || rc == MDB_NOTFOUND) {
		/* Everything before the first block left was deleted unread. */
		uint8_t ekey[KEY_LEN];

		if (mdb_cursor_get(c, &k, &v, MDB_FIRST) == 0 && k.mv_size == KEY_LEN) {
			memcpy(ekey, k.mv_data, KEY_LEN);
		} else if (s->tail.count) {
			struct tt_record first;

			tail_first(s, &first);
			store_record_key(ekey, &first);
		} else {
			memset(ekey, 0xff, KEY_LEN);
		}
		rc = store_note_expired(txn, s->dbi.meta, ekey);
	}
	mdb_cursor_close(c);
	if (rc && rc != MDB_NOTFOUND)
		goto fail;
	uint64_t count = store_meta_u64(txn, s->dbi.meta, "records");
	if ((rc = meta_put_u64(txn, s->dbi.meta, "records",
			       count > removed ? count - removed : 0)) ||
	    (rc = meta_put_u64(txn, s->dbi.meta, "purged_full",
			       store_meta_u64(txn, s->dbi.meta, "purged_full") + removed)))
		goto fail;
	/* The tail was among them: it is rewritten next commit, and all
	 * its records count as new then, as the sealed and late ones do. */
	if (blocks <= del) {
		s->tail_dirty = s->tail.count > 0;
		s->pending = s->tail.count + s->nlate;
		for (size_t i = 0; i < s->nsealed; i++)
			s->pending += s->sealed[i].count;
	}
	if ((rc = mdb_txn_commit(txn)))
		return rc;
	/* once per commit: a retry may fail again only because LMDB reuses
	 * freed pages a transaction later, not for want of a collection */
	if (!s->collected && strings_weigh(s)) {
		collect_strings_now(s);
		s->collected = true;
	}
	return 0;
fail:
	mdb_txn_abort(txn);
	return rc;
}

static void
commit_done(struct tt_store *s)
{
	for (size_t i = 0; i < s->nsealed; i++)
		free(s->sealed[i].data);
	s->nsealed = 0;
	s->nlate = 0;
	s->have_out_of_order = false;
	for (size_t i = 0; i < s->nnew_strings; i++)
		free(s->new_strings[i].str);
	s->nnew_strings = 0;
	s->nnew_sessions = 0;
	s->ndevices_written = s->ndevices;
	if (s->tail_absorbed)
		tt_block_enc_init(&s->tail);
	s->tail_absorbed = false;
	s->tail_stored = s->tail.count > 0;
	s->tail_dirty = false;
	s->pending = 0;
	if (s->cache_count > STRING_CACHE_MAX)
		cache_clear(s);
}

int
tt_store_commit(struct tt_store *s)
{
	int rc;

	if (s->flags & TT_STORE_RDONLY)
		return TT_ERDONLY;
	if (!s->pending && !s->nnew_strings && !s->nnew_sessions &&
	    s->ndevices_written == s->ndevices)
		return 0;
	s->collected = false;
	for (int attempt = 0; attempt < 8; attempt++) {
		rc = commit_once(s);
		if (rc == 0) {
			commit_done(s);
			return 0;
		}
		if (rc != MDB_MAP_FULL && rc != ENOSPC)
			break;
		/* Full: the oldest data goes, recording goes on. */
		int prc = purge_oldest(s);
		if (prc == TT_EFULL)
			return TT_EFULL;
		if (prc && prc != MDB_MAP_FULL)
			return mdb_to_tt(prc);
	}
	return mdb_to_tt(rc);
}

/* --- internal access for the other store files -------------------------------- */

MDB_env *
store_env(struct tt_store *s)
{
	return s->env;
}

const struct store_dbis *
store_dbis(const struct tt_store *s)
{
	return &s->dbi;
}

bool
store_is_writer(const struct tt_store *s)
{
	return !(s->flags & TT_STORE_RDONLY);
}

void
store_writer_reset(struct tt_store *s)
{
	/* After a purge rewrote blocks: start a fresh tail, reload ids. */
	tt_block_enc_init(&s->tail);
	s->tail_stored = false;
	s->tail_dirty = false;
	s->have_last = false;
	cache_clear(s);
	s->ndevices = 0;
	writer_resume(s);
}

void
store_cache_forget(struct tt_store *s)
{
	cache_clear(s);
}

void
tt_store_set_live_strings(struct tt_store *s,
			  void (*fn)(void *data, tt_store_mark_fn mark, void *set),
			  void *data)
{
	s->live_fn = fn;
	s->live_data = data;
}

static void
mark_record(const struct tt_record *r, tt_store_mark_fn mark, void *set)
{
	mark(set, r->app);
	mark(set, r->title);
	if (r->kind == TT_KIND_KEY)
		mark(set, r->u.key.name);
	if (r->kind == TT_KIND_FOCUS) {
		mark(set, r->u.focus.exe);
		mark(set, r->u.focus.backend);
	}
}

static void
mark_block(const void *data, size_t len, tt_store_mark_fn mark, void *set)
{
	struct tt_block_dec dec;
	struct tt_record r;

	if (tt_block_dec_init(&dec, data, len))
		return;
	while (tt_block_dec_next(&dec, &r) == 1)
		mark_record(&r, mark, set);
}

void
store_mark_pending(const struct tt_store *s, tt_store_mark_fn mark, void *set)
{
	/* a tail that is all committed is read from the store like any
	 * block (and a purge may just have deleted some of it) */
	if (s->tail.count && s->tail_dirty)
		mark_block(s->tail.buf, s->tail.len, mark, set);
	for (size_t i = 0; i < s->nsealed; i++)
		mark_block(s->sealed[i].data, s->sealed[i].len, mark, set);
	for (size_t i = 0; i < s->nlate; i++)
		mark_record(&s->late[i], mark, set);
	if (s->live_fn)
		s->live_fn(s->live_data, mark, set);
}
