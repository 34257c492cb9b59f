/* SPDX-License-Identifier: MIT */
/*
 * The tracer's settings: the project's configuration file (lib/config.c,
 * tasktrace.conf(5)), then TASKTRACE_STORE, then the command line. A
 * reload (SIGHUP) rebuilds them the same way into a fresh struct, so the
 * command line always wins and a broken file never half-applies.
 */
#ifndef TT_TRACER_OPTIONS_H
#define TT_TRACER_OPTIONS_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>

#include "interp.h"
#include "keymap-xkb.h"
#include "tasktrace/config.h"

/* exit codes, documented in --help and tasktraced(8) */
#define TRACER_EXIT_OK 0
#define TRACER_EXIT_FAILURE 1
#define TRACER_EXIT_USAGE 2

struct tracer_options {
	struct tt_config cfg;		/* the file, as loaded; owned */
	const char *config_file;	/* --config, or NULL: the default */

	/* what the tracer runs with: the file, overridden */
	char store_dir[PATH_MAX];
	char seat[64];
	char static_user[64];		/* "" unless set, and for this seat */
	bool tapping;
	bool status;
	bool foreground;
	bool verbose;
	uint64_t commit_usec;
	uint64_t map_size;
	struct keymap_names keymap;
	struct interp_config interp;
};

/**
 * Fill @p opts from the configuration file, the environment and @p argv.
 * Free with options_free() whatever the result.
 *
 * @retval 0 run
 * @retval 1 --help or --version was printed: exit 0
 * @retval -EINVAL a usage or configuration error (printed): exit 2
 */
int
options_load(struct tracer_options *opts, int argc, char **argv);

void
options_free(struct tracer_options *opts);

#endif
