/* SPDX-License-Identifier: MIT */
/*
 * Mining: what `tasktrace mine` and `tasktrace report` compute from the
 * store, in one streaming pass over the records (through actions.h, so the
 * names of actions are those of the exports) plus work on what that pass
 * kept (one small symbol per action, never the records themselves).
 *
 *   tasks        the task types of a working day: each person's stream
 *                segmented into task instances, grouped into types
 *                (co-occurrence segmentation and clustering, tasks.c)
 *   routines     repeated action sequences per user, cut at idle, lock
 *                and session ends, ranked by occurrences × median duration
 *   applications active time per application, user and UTC day (idle and
 *                locked time excluded), switches per hour
 *   transitions  application → application counts and median dwell in
 *                the application left
 *   flows        copy in A followed by paste in B: counts, median time
 *
 * Everything a result points to (strings included) is owned by the result
 * and freed by mine_result_free(). Arrays are sorted as documented below,
 * so that two runs on the same store give byte-identical output.
 */
#ifndef TT_MINING_MINE_H
#define TT_MINING_MINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tasktrace/store.h"

struct pseudo;

struct mine_options {
	unsigned min_length;		/**< actions in a routine; default 3 */
	unsigned max_length;		/**< 0: the implementation's bound */
	unsigned min_occurrences;	/**< default 5 */
	unsigned max_routines;		/**< 0: all that pass the filters */
	uint64_t idle_cut_ns;		/**< cut sequences at input gaps longer
					     than this; 0: only at idle, lock
					     and session records */
	uint64_t active_gap_ns;		/**< pauses in input up to this count
					     as active time; 0: the idle cut,
					     or 5 minutes without one */
	const struct pseudo *pseudo;	/**< NULL: real user names */
	const char *host;		/**< the store's host id */
	enum mine_context {
		MINE_CONTEXT_TITLE = 0,	/**< the window title folded into a class */
		MINE_CONTEXT_APP,	/**< the application only */
		MINE_CONTEXT_NONE,	/**< not even the application */
	} context;			/**< what an action's context is */
	bool no_tasks;			/**< skip task recognition */
};

/** Fill @p o with the defaults above. */
void
mine_options_init(struct mine_options *o);

struct mine_instance {
	const char *user;		/**< name, "uid-N", or pseudonym */
	uint64_t start_ns;		/**< wall clock of the first record */
	uint64_t end_ns;		/**< wall clock of the last record's end */
};

struct mine_routine {
	const char **actions;		/**< "Ctrl+C in calc", "Switch to mail" */
	size_t n_actions;
	size_t occurrences;		/**< == n_instances */
	size_t users;			/**< distinct users among the instances */
	uint64_t median_ns;		/**< median instance duration */
	uint64_t total_ns;		/**< sum of instance durations */
	double hours_saved;		/**< estimate, see mine(1) */
	size_t variants;		/**< distinct action sequences among the
					     instances (@c actions is the most
					     common one) */
	struct mine_instance *instances;	/**< in time order */
	size_t n_instances;
	long task;			/**< index into mine_result.tasks of the
					     task type it is a routine of; -1 */
};

/** A task type: instances of the same kind of work. */
struct mine_task {
	const char *name;		/**< its most telling steps, " · "-joined */
	const char **steps;		/**< the main variant's steps */
	size_t n_steps;
	size_t variants;		/**< distinct step sequences */
	struct mine_instance *instances;	/**< in time order per user */
	size_t n_instances;
	size_t users;
	size_t events;			/**< actions in its instances */
	uint64_t median_ns, total_ns;
	double hours_saved;		/**< as for routines: n × median */
};

/** Active time of one application for one user on one UTC day. */
struct mine_app_day {
	const char *user;
	const char *app;		/**< "" when the focus had no application */
	int32_t day;			/**< days since 1970-01-01, UTC */
	uint64_t active_ns;
	uint64_t switches_to;		/**< times this app was switched to */
};

struct mine_transition {
	const char *from, *to;
	uint64_t count;
	uint64_t median_dwell_ns;	/**< time spent in @c from before */
};

struct mine_flow {
	const char *from, *to;		/**< copy in @c from, paste in @c to */
	uint64_t count;
	uint64_t median_ns;		/**< copy → paste */
};

struct mine_totals {
	uint64_t records;		/**< records read */
	uint64_t actions;		/**< of them, actions */
	size_t users;
	size_t days;			/**< distinct (user, day) pairs */
	uint64_t first_ns, last_ns;
	uint64_t active_ns;		/**< all users, idle and locked excluded */
	uint64_t idle_ns;
	uint64_t switches;		/**< application switches */
};

struct mine_result {
	struct mine_totals totals;
	struct mine_task *tasks;	/**< most hours to save first */
	size_t n_tasks;
	const char *task_method;	/**< how task types were found, one line */
	struct mine_routine *routines;	/**< best first: occurrences × median */
	size_t n_routines;
	struct mine_app_day *app_days;	/**< by user, day, active time desc. */
	size_t n_app_days;
	struct mine_transition *transitions;	/**< count desc., then names */
	size_t n_transitions;
	struct mine_flow *flows;	/**< count desc., then names */
	size_t n_flows;
	const char *method;		/**< how routines were found, one line */
};

/**
 * Mine the records of @p q (as tt_cursor_open() selects them) read
 * through @p rd. @p progress, when not NULL, is called now and then with
 * the records read so far.
 * @return 0, or a negative errno (-ENOMEM, a store error).
 */
int
mine_run(struct tt_reader *rd, const struct tt_query *q,
	 const struct mine_options *opts,
	 void (*progress)(uint64_t records, void *ctx), void *ctx,
	 struct mine_result **out);

void
mine_result_free(struct mine_result *r);

#endif /* TT_MINING_MINE_H */
