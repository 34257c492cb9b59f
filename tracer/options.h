/* SPDX-License-Identifier: MIT */
/*
 * The tracer's settings: compiled-in defaults, then the config file (INI),
 * then TASKTRACE_STORE, then the command line. A reload (SIGHUP) rebuilds
 * them the same way, so the command line always wins.
 */
#ifndef TT_TRACER_OPTIONS_H
#define TT_TRACER_OPTIONS_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>

#include "interp.h"
#include "keymap-xkb.h"

#define TRACER_DEFAULT_CONFIG "/etc/tasktrace/tasktrace.conf"
#define TRACER_DEFAULT_STORE "/var/lib/tasktrace"

/* exit codes, documented in --help */
#define TRACER_EXIT_OK 0
#define TRACER_EXIT_FAILURE 1
#define TRACER_EXIT_USAGE 2

struct tracer_options {
	char config_file[PATH_MAX];
	bool config_given;		/* --config: its absence is an error */
	char store_dir[PATH_MAX];
	char seat[64];
	bool tapping;
	bool status;
	bool foreground;
	bool verbose;
	uint64_t commit_usec;
	uint64_t map_size;

	/* applications whose focus stops all recording, comma-separated */
	char deny[1024];

	/* attribution when logind is absent: a user name or uid, or "" */
	char static_user[64];

	char keyboard_file[PATH_MAX];
	struct keymap_names keymap;	/* overrides of the keyboard file */

	struct interp_config interp;
};

/**
 * Fill @p opts from defaults, the config file, the environment and
 * @p argv.
 *
 * @retval 0 run
 * @retval 1 --help or --version was printed: exit 0
 * @retval -EINVAL a usage or config error (printed): exit 2
 */
int
options_load(struct tracer_options *opts, int argc, char **argv);

/**
 * Parse a duration: "1.5s", "300ms", "5min", "2h", "250us", or a plain
 * number of seconds.
 */
bool
options_parse_duration(const char *s, uint64_t *usec);

#endif
