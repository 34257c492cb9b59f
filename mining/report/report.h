/* SPDX-License-Identifier: MIT */
/*
 * The report stage (mining/report/): one self-contained HTML file from a
 * mining result.
 *
 * report_write() is pure rendering: a struct mine_result (mine.h) in,
 * HTML on a stdio stream out, nothing read from anywhere else. The page
 * has inline CSS and inline SVG (svg.h), no script, no font, no image and
 * no reference outside itself; every string of the result is escaped.
 * Large results stay readable: the charts show the top applications,
 * people and routines and fold the rest into "others".
 *
 * The command around it (open the store, mine the selection, render,
 * write the file atomically) is admin/cmd-report.c.
 */
#ifndef TT_MINING_REPORT_H
#define TT_MINING_REPORT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "mining/mine/mine.h"

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

#endif /* TT_MINING_REPORT_H */
