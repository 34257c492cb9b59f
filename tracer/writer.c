/* SPDX-License-Identifier: MIT */
/* The store sink; see writer.h. */
#include <errno.h>
#include <string.h>

#include "evloop.h"
#include "tasktrace/error.h"
#include "writer.h"

int
writer_open(struct writer *w, const char *dir, uint64_t map_size)
{
	struct tt_store_options so = { .map_size = map_size };

	memset(w, 0, sizeof(*w));
	w->rl = (struct tt_log_ratelimit)TT_LOG_RATELIMIT_INIT(60000000, 5);
	return tt_store_open(&w->store, dir, TT_STORE_CREATE, &so);
}

int
writer_close(struct writer *w)
{
	int rc = 0;

	if (w->store)
		rc = tt_store_close(w->store);
	w->store = NULL;
	return rc;
}

void
writer_emit(void *data, const struct tt_record *r)
{
	struct writer *w = data;
	int rc = tt_store_append(w->store, r);

	if (rc == 0) {
		w->records++;
		return;
	}
	/* a failed commit keeps the records pending: only count it */
	w->errors++;
	if (tt_log_ratelimit_ok(&w->rl, evloop_now_usec()))
		log_error("store: %s", tt_strerror(rc));
	if (rc != -EINVAL)
		w->records++;
}

uint32_t
writer_intern(void *data, const char *str, size_t len)
{
	struct writer *w = data;
	uint32_t id = 0;
	int rc = tt_store_intern(w->store, str, len, &id);

	if (rc != 0 && tt_log_ratelimit_ok(&w->rl, evloop_now_usec()))
		log_error("store: cannot intern a string: %s", tt_strerror(rc));
	return rc == 0 ? id : 0;
}

uint32_t
writer_intern_new(struct writer *w, const char *str, size_t len, size_t max_new,
		  bool *created)
{
	uint32_t id = 0;
	int rc = tt_store_intern_new(w->store, str, len, max_new, &id, created);

	if (rc != 0 && rc != -EDQUOT && tt_log_ratelimit_ok(&w->rl, evloop_now_usec()))
		log_error("store: cannot intern a string: %s", tt_strerror(rc));
	return rc == 0 ? id : 0;
}

int
writer_commit(struct writer *w)
{
	int rc;

	if (tt_store_pending(w->store) == 0)
		return 0;
	rc = tt_store_commit(w->store);
	if (rc != 0 && tt_log_ratelimit_ok(&w->rl, evloop_now_usec()))
		log_error("store: commit failed: %s", tt_strerror(rc));
	return rc;
}

int
writer_apply_retention(struct writer *w, unsigned days, uint64_t now_ns)
{
	struct tt_purge_result res;
	uint64_t keep = (uint64_t)days * 86400ULL * 1000000000ULL;
	int rc;

	if (days == 0 || now_ns <= keep)
		return 0;
	rc = tt_store_purge(w->store, now_ns - keep, TT_UID_NONE, &res);
	if (rc != 0) {
		log_error("store: retention (%u days) failed: %s", days, tt_strerror(rc));
		return rc;
	}
	if (res.records)
		log_info("retention: deleted %llu records older than %u days, "
			 "%u strings and %u sessions no longer referred to",
			 (unsigned long long)res.records, days, res.strings, res.sessions);
	return 0;
}

uint64_t
writer_last_time(struct writer *w)
{
	struct tt_store_stat st = { 0 };
	struct tt_reader *rd;

	if (tt_reader_open(w->store, &rd) != 0)
		return 0;
	if (tt_reader_stat(rd, &st) != 0)
		st.last_ns = 0;
	tt_reader_close(rd);
	return st.records ? st.last_ns : 0;
}
