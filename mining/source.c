/* SPDX-License-Identifier: MIT */
/*
 * What the stages read (source.h): the pseudonym key, the store and a
 * reader of it, opened and closed as one; users found by name, uid or
 * pseudonym; the store's map, so that a long walk can drop the pages it
 * has read.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "tasktrace/error.h"
#include "tasktrace/store.h"

#include "mining/pseudo.h"
#include "mining/source.h"
#include "mining/tool.h"

/*
 * Memory. LMDB reads through a shared, read-only map of data.mdb, and
 * every page the cursor has touched stays in the process's resident set
 * until it is unmapped: a full export of a 10 M-record store would show
 * the whole file (~130 MB) as RSS although none of it is needed again.
 * So the walk periodically drops the map's page-table entries with
 * MADV_DONTNEED. On a read-only MAP_SHARED file mapping that is safe and
 * cheap: nothing is lost, the pages stay in the page cache, and a later
 * access (the current block, a cached string) faults the same bytes back
 * in, which the open read transaction keeps from being reused.
 * The map is found in /proc/self/maps by data.mdb's device and inode.
 */

void
source_find_map(const char *store_dir, struct map_range *m)
{
	char path[PATH_MAX], line[PATH_MAX + 128];
	struct stat st;
	FILE *f;

	m->start = NULL;
	m->len = 0;
	snprintf(path, sizeof(path), "%s/data.mdb", store_dir);
	if (stat(path, &st) < 0 || !(f = fopen("/proc/self/maps", "re")))
		return;
	while (fgets(line, sizeof(line), f)) {
		unsigned long lo, hi, ino;
		unsigned maj, mnr;
		char perms[8];

		if (sscanf(line, "%lx-%lx %7s %*x %x:%x %lu", &lo, &hi, perms,
			   &maj, &mnr, &ino) != 6)
			continue;
		if (ino == st.st_ino && maj == major(st.st_dev) &&
		    mnr == minor(st.st_dev) && perms[1] == '-' && hi - lo > m->len) {
			m->start = (void *)lo;
			m->len = hi - lo;
		}
	}
	fclose(f);
}

struct find_user {
	const char *name;
	const struct pseudo *pseudo;
	uint32_t uid;
	bool found;
};

static int
match_user(void *ctx, const struct tt_session_info *s)
{
	struct find_user *f = ctx;
	size_t len = strnlen(s->user, sizeof(s->user));
	char p[PSEUDO_LEN + 1];

	if (len && strlen(f->name) == len && memcmp(f->name, s->user, len) == 0)
		goto found;
	/* A pseudonym from an earlier export names its person too. */
	if (f->pseudo && len) {
		pseudo_name(f->pseudo, "user", "u-", s->user, len, p);
		if (strcmp(p, f->name) == 0)
			goto found;
	}
	return 0;
found:
	f->uid = s->uid;
	f->found = true;
	return 1;
}

int
source_find_user(struct tt_reader *rd, const char *name,
		 const struct pseudo *pseudo, uint32_t *uid)
{
	struct find_user f = { .name = name, .pseudo = pseudo };
	int rc = tt_reader_sessions(rd, match_user, &f);

	if (rc < 0)
		return rc;
	/* Not a session's user name (or a pseudonym of one): a name
	 * from the system's user database, or a number. */
	if (!f.found && tool_resolve_user(rd, name, &f.uid))
		f.found = true;
	if (f.found)
		*uid = f.uid;
	return f.found;
}

int
source_open(const char *dir, bool pseudonymize, const char *secret,
		  struct pseudo **pseudo, struct tt_store **store,
		  struct tt_reader **rd, struct tt_store_stat *st,
		  char *err, size_t errlen)
{
	int rc;

	*pseudo = NULL;
	*store = NULL;
	*rd = NULL;
	if (pseudonymize) {
		*pseudo = malloc(sizeof(**pseudo));
		if (!*pseudo) {
			snprintf(err, errlen, "out of memory");
			return TT_EXIT_FAIL;
		}
		rc = pseudo_load(*pseudo, secret, err, errlen);
		if (rc < 0) {
			/* a missing or short secret is a setup problem (1); one
			 * that others can read is a permission problem (6) */
			return rc == -EPERM || rc == -EACCES ? TT_EXIT_PERM : TT_EXIT_FAIL;
		}
	}
	rc = tt_store_open(store, dir, TT_STORE_RDONLY, NULL);
	if (rc != 0) {
		snprintf(err, errlen, "%s: %s", dir,
			 rc == TT_ENOSTORE ? "no store there (use --store DIR or "
			 "TASKTRACE_STORE)" : tt_strerror(rc));
		*store = NULL;
		return tool_exit_code(rc);
	}
	rc = tt_reader_open(*store, rd);
	if (rc == 0)
		rc = tt_reader_stat(*rd, st);
	if (rc != 0) {
		snprintf(err, errlen, "%s: %s", dir, tt_strerror(rc));
		return tool_exit_code(rc);
	}
	return TT_EXIT_OK;
}

void
source_close(struct pseudo *pseudo, struct tt_store *store,
		   struct tt_reader *rd)
{
	if (rd)
		tt_reader_close(rd);
	if (store)
		tt_store_close(store);
	if (pseudo) {
		pseudo_clear(pseudo);
		free(pseudo);
	}
}

