/* SPDX-License-Identifier: MIT */
/*
 * What every stage of the admin command (mining/export, mining/mine,
 * mining/report, ship) shares with the command itself (admin/): exit
 * codes, the program's name and paths, error messages, opening the store
 * with a message a person can act on, naming users. The stages call this;
 * it calls none of them.
 */
#ifndef TT_MINING_TOOL_H
#define TT_MINING_TOOL_H

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

struct tool {
	const char *store_path;		/* --store, TASKTRACE_STORE, default */
	const char *config_path;	/* --config, TASKTRACE_CONFIG */
	const char *prog;
};

extern struct tool tool;

/* Print "tasktrace: <message>" to stderr. */
void tool_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The exit code for a store or system error. */
int tool_exit_code(int err);

/* Open the store, or print why not (with what to do) and return the exit
 * code through *exit_code. */
struct tt_store *tool_open_store(unsigned flags, int *exit_code);

/* Report a store error that happened after opening; returns the exit code. */
int tool_store_error(const char *what, int err);

/* A user given by name or uid: from the store's sessions, then the system's
 * user database, then a plain number. */
bool tool_resolve_user(struct tt_reader *rd, const char *text, uint32_t *uid);

/* The user name for a uid: from the sessions, the system, or the number. */
const char *tool_user_name(struct tt_reader *rd, uint32_t uid, uint32_t session);

/** The exit code (enum tt_exit) for an error of an output file or of an
 *  export's own checks; store errors go through tool_exit_code(). */
int tool_output_exit_code(int err);

#endif /* TT_MINING_TOOL_H */
