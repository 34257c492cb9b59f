/* SPDX-License-Identifier: MIT */
/* What the `tasktrace` subcommands share on the command line: times,
 * kinds, the selection options; the subcommands' entry points. What the
 * stages share with the command (exit codes, errors, the store) is
 * mining/tool.h. */
#ifndef TT_CLI_H
#define TT_CLI_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "mining/tool.h"
#include "tasktrace/store.h"

/* Parse a --since/--until value; prints the error. */
bool cli_parse_time(const char *opt, const char *text, uint64_t *out);

/* Parse "typing,key" into a kind mask; prints the error. */
bool cli_parse_kinds(const char *text, uint32_t *mask);

/* Subcommands. */
int cmd_query(int argc, char **argv);
int cmd_stats(int argc, char **argv);
int cmd_verify(int argc, char **argv);
int cmd_purge(int argc, char **argv);
int cmd_check_config(int argc, char **argv);
int cmd_ship(int argc, char **argv);
int cmd_mine(int argc, char **argv);
int cmd_me(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_export_scheduled(int argc, char **argv);
int cmd_secret(int argc, char **argv);

/* Take the store path from the configuration; returns an exit code. */
int cli_store_from_config(void);

#endif

/* The selection options query, stats and export share. */
struct cli_filter {
	const char *since, *until, *user, *app, *kinds;
};

#define CLI_FILTER_OPTIONS \
	{ "since", required_argument, NULL, 'S' }, \
	{ "until", required_argument, NULL, 'U' }, \
	{ "user", required_argument, NULL, 'u' }, \
	{ "app", required_argument, NULL, 'a' }, \
	{ "kind", required_argument, NULL, 'k' }

/* Handle one of the options above; false when @c is not one of them. */
bool cli_filter_option(struct cli_filter *f, int c, const char *arg);

/*
 * Turn the options into a query. Returns TT_EXIT_OK, or the exit code
 * after printing the error. *nothing is set when the selection is empty
 * for certain (an application the store has never seen).
 */
int cli_build_query(struct tt_reader *rd, const struct cli_filter *f,
		    struct tt_query *q, bool *nothing);

/* Check --since/--until before the store is opened (usage errors first). */
int cli_check_filter(const struct cli_filter *f);
