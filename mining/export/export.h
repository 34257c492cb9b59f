/* SPDX-License-Identifier: MIT */
/*
 * The export stage: the interface between its driver (export.c) and the
 * writers (csv.c, xes.c, ocel.c, jsonl.c), and what the commands of
 * admin/cmd-export.c call (export_run, export_format_find).
 *
 * The driver walks the store once (or once per user, for writers whose
 * format groups events by case, see @c by_user), turns records into
 * actions and hands each action to the writer, which formats it onto the
 * output. No writer keeps per-action state: memory does not grow with the
 * number of records.
 */
#ifndef TT_MINING_EXPORT_H
#define TT_MINING_EXPORT_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "mining/actions.h"
#include "mining/format.h"
#include "mining/output.h"

/** Set by SIGINT/SIGTERM/SIGHUP during an export: stop, leave nothing. */
extern volatile sig_atomic_t export_interrupted;

/** A record source the driver can walk, once per user when asked. */
struct export_input {
	/** Start a walk over the records of @p uid (TT_UID_NONE: all). */
	int (*open)(void *ctx, uint32_t uid);
	/** 1: a record; 0: the end; <0: error. */
	int (*next)(void *ctx, struct tt_record *r);
	void (*close)(void *ctx);
	/** The users with sessions, sorted, for per-user walks. Up to
	 *  @p max in @p uids; returns how many, or <0. */
	int (*users)(void *ctx, uint32_t *uids, size_t max);
	/** Device details for a device id; ENOENT when unknown. */
	int (*device)(void *ctx, uint32_t id, struct tt_device_info *out);
	/** Rough progress of the current walk, 0 … 1; NULL: unknown. */
	double (*progress)(void *ctx);
	void *ctx;
};

struct export_ctx;

struct export_format {
	const char *name;		/**< "csv", as in --format */
	const char *extension;		/**< file name extension, no dot */
	/** Formats that nest events in cases (XES traces) get the records
	 *  one user at a time, so that a case's actions are contiguous. */
	bool by_user;
	int (*begin)(struct export_ctx *x);
	int (*action)(struct export_ctx *x, const struct action *a);
	int (*end)(struct export_ctx *x);
	/** Release the writer's state; called after end() or on abort. */
	void (*destroy)(struct export_ctx *x);
};

extern const struct export_format export_csv;
extern const struct export_format export_xes;
extern const struct export_format export_ocel;
extern const struct export_format export_jsonl;

/** The format called @p name, or NULL. */
const struct export_format *
export_format_find(const char *name);

/** What a writer works with. */
struct export_ctx {
	struct output *out;
	const struct export_format *format;
	struct actions *actions;
	const struct actions_source *names;
	const struct export_input *input;
	struct fmt_buf line;		/* scratch: the line being built */
	struct fmt_buf clean;		/* scratch: fmt_utf8_clean() */
	void *state;			/* the writer's own */
};

struct export_options {
	const char *store_dir;
	const char *format;
	const char *output;		/**< path, or "-" for stdout */
	uint64_t since_ns;
	uint64_t until_ns;		/**< 0: no upper bound */
	const char *user;		/**< name or uid; NULL: everyone */
	enum actions_case case_mode;
	uint64_t idle_gap_ns;
	bool activity_element;		/**< --activity element */
	bool pseudonymize;
	const char *secret;		/**< the site secret's path */
	bool progress;			/**< progress line on stderr */
	mode_t mode;			/**< of the file written */
	gid_t gid;			/**< group of the file; (gid_t)-1: keep */
};

struct export_stats {
	uint64_t records;
	uint64_t actions;
	uint64_t bytes;
};

/**
 * Stream @p input through @p format onto @p out: the core of every
 * export, without a store (tests feed it records directly).
 */
int
export_stream(const struct export_format *format, struct output *out,
	      const struct export_input *input,
	      const struct actions_source *names,
	      const struct actions_options *aopts, bool progress,
	      struct export_stats *stats);

/**
 * Run one export from a store, as `tasktrace export` does.
 * @param[out] err a message for the person, when this fails
 * @return an exit code (enum tt_exit): TT_EXIT_OK, or why it failed
 */
int
export_run(const struct export_options *o, struct export_stats *stats,
	   char *err, size_t errlen);

#endif /* TT_MINING_EXPORT_H */
