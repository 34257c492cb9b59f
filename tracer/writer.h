/* SPDX-License-Identifier: MIT */
/*
 * The writer: the interpreter's sink into the store. Records are appended
 * as they come; the store batches them and the tracer commits at least
 * once a second (and on stop), so a crash loses at most a second.
 */
#ifndef TT_TRACER_WRITER_H
#define TT_TRACER_WRITER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tasktrace/log.h"
#include "tasktrace/store.h"

struct writer {
	struct tt_store *store;
	uint64_t records;	/* appended since start */
	uint64_t errors;
	struct tt_log_ratelimit rl;
};

/** Open (creating) the store in @p dir for writing. */
int
writer_open(struct writer *w, const char *dir, uint64_t map_size);

/** Commit and close. */
int
writer_close(struct writer *w);

/** interp_sink.emit */
void
writer_emit(void *data, const struct tt_record *r);

/** interp_sink.intern: the string's id, 0 on failure (logged). */
uint32_t
writer_intern(void *data, const char *str, size_t len);

/**
 * Intern @p str, adding it to the store only if it is no longer than
 * @p max_new bytes: the id, or 0 when refused (-EDQUOT, not logged) or on
 * failure (logged). *created: whether it was added.
 */
uint32_t
writer_intern_new(struct writer *w, const char *str, size_t len, size_t max_new,
		  bool *created);

int
writer_commit(struct writer *w);

/**
 * Apply the retention: delete records older than @p days before @p now_ns
 * (and the strings and sessions only they referred to). 0 days keeps
 * everything. Logs what was deleted.
 */
int
writer_apply_retention(struct writer *w, unsigned days, uint64_t now_ns);

/**
 * The time of the last record in the store (0 when empty), to mark the
 * time the tracer was not running.
 */
uint64_t
writer_last_time(struct writer *w);

#endif
