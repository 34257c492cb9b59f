/* SPDX-License-Identifier: MIT */
/*
 * report_run(): open the store, mine the selection (mining/mine/), render
 * it (mining/report/) and write the file atomically (mining/output.h);
 * shared by `tasktrace report` and the scheduled exports of
 * admin/cmd-export.c.
 */
#ifndef TT_ADMIN_CMD_REPORT_H
#define TT_ADMIN_CMD_REPORT_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

/** What report_run() does. */
struct report_run_options {
	const char *store_dir;
	const char *output;		/**< path, or "-" for stdout */
	uint64_t since_ns, until_ns;	/**< 0: open */
	const char *user;		/**< name or uid; NULL: everyone */
	bool pseudonymize;
	const char *secret;		/**< the site secret's path */
	const char *title;		/**< NULL: the default */
	char *const *deny_apps;		/**< for the "about" box; may be NULL */
	bool progress;			/**< progress line on stderr */
	mode_t mode;
	gid_t gid;			/**< (gid_t)-1: keep */
};

struct report_stats {
	uint64_t records;
	uint64_t bytes;
	size_t routines;
};

/**
 * Mine the selection of @p o from the store and write the report.
 * @param[out] err a message for the person, when this fails
 * @return an exit code (enum tt_exit)
 */
int
report_run(const struct report_run_options *o, struct report_stats *st,
	   char *err, size_t errlen);


#endif /* TT_ADMIN_CMD_REPORT_H */
