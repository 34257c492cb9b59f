/* SPDX-License-Identifier: MIT */
/* What the `tasktrace` subcommands share: exit codes, opening the store
 * with a message a person can act on, resolving users, option parsing. */
#ifndef TT_CLI_H
#define TT_CLI_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "tasktrace/store.h"

/* Exit codes, documented in tasktrace(1). */
enum tt_exit {
	TT_EXIT_OK = 0,
	TT_EXIT_FAIL = 1,	/* verify found problems; an operation failed */
	TT_EXIT_USAGE = 2,	/* bad command line */
	TT_EXIT_NOSTORE = 3,	/* no store at the path */
	TT_EXIT_NOTSTORE = 4,	/* not a tasktrace store: not LMDB, or foreign */
	TT_EXIT_SCHEMA = 5,	/* a schema this version cannot read */
	TT_EXIT_PERM = 6,	/* permission denied */
	TT_EXIT_CONFIG = 7,	/* invalid configuration */
	TT_EXIT_IO = 8,		/* an I/O error: disk full, unwritable output */
	TT_EXIT_BUSY = 9,	/* the store is being written by another process */
	TT_EXIT_DAMAGED = 10,	/* a tasktrace store, truncated or damaged */
	TT_EXIT_UNREACHABLE = 11, /* ship: the server could not be reached */
};

struct cli {
	const char *store_path;		/* --store, TASKTRACE_STORE, default */
	const char *config_path;	/* --config, TASKTRACE_CONFIG */
	const char *prog;
};

extern struct cli cli;

/* Print "tasktrace: <message>" to stderr. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The exit code for a store or system error. */
int cli_exit_code(int err);

/* Open the store, or print why not (with what to do) and return the exit
 * code through *exit_code. */
struct tt_store *cli_open_store(unsigned flags, int *exit_code);

/* Report a store error that happened after opening; returns the exit code. */
int cli_store_error(const char *what, int err);

/* Parse a --since/--until value; prints the error. */
bool cli_parse_time(const char *opt, const char *text, uint64_t *out);

/* A user given by name or uid: from the store's sessions, then the system's
 * user database, then a plain number. */
bool cli_resolve_user(struct tt_reader *rd, const char *text, uint32_t *uid);

/* The user name for a uid: from the sessions, the system, or the number. */
const char *cli_user_name(struct tt_reader *rd, uint32_t uid, uint32_t session);

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
