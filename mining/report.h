/* SPDX-License-Identifier: MIT */
/*
 * `tasktrace report`: one self-contained HTML file from a mining result.
 *
 * report_write() is pure rendering: a struct mine_result (mine.h) in,
 * HTML on a stdio stream out, nothing read from anywhere else. The page
 * has inline CSS and inline SVG (svg.h), no script, no font, no image and
 * no reference outside itself; every string of the result is escaped.
 * Large results stay readable: the charts show the top applications,
 * people and routines and fold the rest into "others".
 *
 * report_run() is the command around it: open the store, mine the
 * selection, render, and write the file atomically (output.h). It is
 * shared by `tasktrace report` and the scheduled exports.
 */
#ifndef TT_MINING_REPORT_H
#define TT_MINING_REPORT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "mine.h"

struct report_options {
	const char *title;		/**< NULL: "Work patterns" */
	const char *host;		/**< host id or its pseudonym; NULL: none */
	uint64_t since_ns, until_ns;	/**< the selection; 0: open */
	const char *user;		/**< the --user selection, or NULL */
	uint64_t generated_ns;		/**< 0: not shown */
	bool pseudonymized;
	/** The deny-list of the configuration, NULL-terminated, or NULL. */
	char *const *deny_apps;
	unsigned top_routines;		/**< 0: 10 */
};

/**
 * Write the report of @p r to @p f.
 * @return 0, or -EIO when the stream reports an error (ferror()),
 *         -ENOMEM.
 */
int
report_write(FILE *f, const struct mine_result *r, const struct report_options *o);

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

/** `tasktrace report`. */
int
cmd_report(int argc, char **argv);

#endif /* TT_MINING_REPORT_H */
