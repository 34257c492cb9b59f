/* SPDX-License-Identifier: MIT */
/*
 * tasktrace — logging of the daemons (tasktraced, tasktrace-collector).
 *
 * One line per message on stderr, with syslog priorities. When stderr is
 * the journal stream systemd connected (JOURNAL_STREAM names its device
 * and inode), each line starts with the "<N>" prefix journald turns into
 * the entry's priority; otherwise it starts with the program's name, and
 * errors and warnings say so ("tasktraced: error: …"). Debug messages
 * appear only when verbose. Hot paths use struct tt_log_ratelimit so that
 * a flood is logged a few times and then suppressed for a while.
 */
#ifndef TASKTRACE_LOG_H
#define TASKTRACE_LOG_H

#include <stdbool.h>
#include <stdint.h>
#include <syslog.h>

/**
 * Name the program (a string that outlives the log) and set verbosity;
 * decides once whether stderr is the journal. Lines go out whole: stdout
 * and stderr become line buffered.
 */
void
tt_log_init(const char *ident, bool verbose);

void
tt_log_set_verbose(bool verbose);

bool
tt_log_is_verbose(void);

void
tt_log_msg(int prio, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define log_error(...) tt_log_msg(LOG_ERR, __VA_ARGS__)
#define log_warn(...) tt_log_msg(LOG_WARNING, __VA_ARGS__)
#define log_info(...) tt_log_msg(LOG_INFO, __VA_ARGS__)
#define log_debug(...) tt_log_msg(LOG_DEBUG, __VA_ARGS__)

/** At most @c burst messages per @c interval_usec. */
struct tt_log_ratelimit {
	uint64_t interval_usec;
	unsigned burst;
	uint64_t begin;
	unsigned num;
};

#define TT_LOG_RATELIMIT_INIT(interval, n) { (interval), (n), 0, 0 }

/**
 * True when a message may be logged now (@p now_usec monotonic). The first
 * message refused in an interval is replaced by one saying that further
 * ones are suppressed.
 */
bool
tt_log_ratelimit_ok(struct tt_log_ratelimit *rl, uint64_t now_usec);

#endif /* TASKTRACE_LOG_H */
