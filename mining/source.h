/* SPDX-License-Identifier: MIT */
/*
 * What the stages read, opened as one (source.c): the pseudonym key, the
 * store and a reader; a user found by name, uid or pseudonym; the store's
 * map in this process.
 */
#ifndef TT_MINING_SOURCE_H
#define TT_MINING_SOURCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tasktrace/store.h"

struct pseudo;

/**
 * Find the user @p name (a session's user name, a pseudonym of one under
 * @p pseudo, a system user or a uid) among the store's sessions.
 * @return 1 and *@p uid when found, 0 when not (a message is printed
 *         when @p name is no user at all), or a negative store error.
 */
int
source_find_user(struct tt_reader *rd, const char *name,
		 const struct pseudo *pseudo, uint32_t *uid);

/**
 * Open what export and report read: the pseudonym key from @p secret when
 * @p pseudonymize (else *@p pseudo is NULL), then the store @p dir and a
 * reader of it, with its figures in *@p st.
 * @return TT_EXIT_OK, or an exit code with the error in @p err. Either way
 *         what was opened is in *@p pseudo, *@p store and *@p rd (NULL when
 *         not), for source_close().
 */
int
source_open(const char *dir, bool pseudonymize, const char *secret,
		  struct pseudo **pseudo, struct tt_store **store,
		  struct tt_reader **rd, struct tt_store_stat *st,
		  char *err, size_t errlen);

/** Close what source_open() opened; any of them may be NULL. */
void
source_close(struct pseudo *pseudo, struct tt_store *store,
		   struct tt_reader *rd);

/*
 * The read-only map of @p store_dir's data.mdb in this process (found in
 * /proc/self/maps), so that a long walk can drop the pages it has read
 * with MADV_DONTNEED (see export.c); m->len is 0 when not found.
 */
struct map_range {
	void *start;
	size_t len;
};

void
source_find_map(const char *store_dir, struct map_range *m);

#endif /* TT_MINING_SOURCE_H */
