/* SPDX-License-Identifier: MIT */
/*
 * tasktrace ship — records to a central PostgreSQL (docs/fleet/).
 *
 * Where it stands is a cursor per store: the key (time, seq) of the first
 * record not yet known to be on the server ("next"), and the store's
 * late-record generation it has caught up with. The server keeps the same
 * pair per store (tasktrace.ingest_state), moved in the transaction of
 * every batch; the cursor file is written after the commit. The pair
 * orders progress: (gen, next) only grows. At start the larger of the two
 * wins, so a run killed between COMMIT and the cursor save neither loses
 * nor repeats anything; a run killed before COMMIT leaves nothing on the
 * server. Records sent twice (after late records sent the cursor back)
 * are dropped by the server's key, (store, time, seq).
 */
#ifndef TT_MINING_SHIP_H
#define TT_MINING_SHIP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SHIP_ERROR_MAX 512

/* The cursor and retry state of one store, a small text file
 * <state_dir>/<store id>.state, replaced atomically. */
struct ship_state {
	char store_id[33];
	uint64_t late_gen;
	uint64_t next_ns, next_seq;	/* first key not yet on the server */
	uint64_t shipped;		/* rows committed by this host, all runs */
	uint64_t last_record_ns;	/* time of the last record shipped */
	uint64_t failures;		/* consecutive failed runs */
	uint64_t next_try_ns;		/* not before (backoff); 0: any time */
	uint64_t last_success_ns, last_error_ns;
	/* The last run that found the server's mark behind this cursor (it
	 * lost commits it had acknowledged) and where it sent again from. */
	uint64_t server_behind_ns, resent_from_ns;
	char last_error[SHIP_ERROR_MAX];
};

/* Read the state; a missing file gives the initial state (0). */
int ship_state_load(const char *dir, const char *store_id, struct ship_state *st);
/* Write it: temporary file, fsync, rename, fsync of the directory. */
int ship_state_save(const char *dir, const struct ship_state *st);

struct ship_options {
	const char *store_dir;
	const char *conninfo;		/* complete, TLS parameters included */
	bool require_tls;		/* refuse a connection without TLS */
	const char *state_dir;
	const char *secret;		/* site secret; NULL: no pseudonyms needed */
	unsigned users, titles;		/* enum tt_ship_names */
	unsigned batch;
	uint64_t budget_ns;
	uint64_t lock_timeout_ns, statement_timeout_ns;	/* 0: the server's */
	bool now;			/* ignore the backoff */
	bool verbose;
};

struct ship_result {
	uint64_t rows, batches, rejected, gaps;
	bool rewound;
	bool server_behind;	/* the server's mark was behind the cursor */
	uint64_t retries;	/* batches sent again after a deadlock, … */
};

/* One run: returns an exit code (cli.h) and prints its own messages. */
int ship_run(const struct ship_options *o, struct ship_result *res);

/* `--status`: lag and the last run's outcome, from the state and the store. */
int ship_status(const struct ship_options *o);

struct tt_config;

/* The TLS files of [ship] (unless plaintext): there, regular files, the
 * key readable by its owner only. Prints what is wrong; returns 0 or an
 * exit code. @p missing_ok: a missing file is a warning (check-config,
 * which may check a file meant for other machines). */
int ship_check_files(const struct tt_config *cfg, bool missing_ok);

/* The delay before the next try after @p failures failed runs in a row,
 * with jitter: between half and all of min(5 min · 2^(failures-1), 6 h). */
uint64_t ship_backoff_ns(uint64_t failures, uint64_t random);

#endif
