/* SPDX-License-Identifier: MIT */
/*
 * Logging of the tracer: one facade for every module, with syslog
 * priorities. On a journald stream (JOURNAL_STREAM set) each line gets the
 * "<N>" priority prefix journald understands; on a TTY, plain lines. Hot
 * paths use struct log_ratelimit so that a flood is logged a few times and
 * then counted.
 */
#ifndef TT_TRACER_LOG_H
#define TT_TRACER_LOG_H

#include <stdbool.h>
#include <stdint.h>
#include <syslog.h>

void
log_init(bool verbose);

void
log_set_verbose(bool verbose);

void
log_msg(int prio, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define log_error(...) log_msg(LOG_ERR, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_WARNING, __VA_ARGS__)
#define log_info(...) log_msg(LOG_INFO, __VA_ARGS__)
#define log_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)

/** At most @c burst messages per @c interval_usec. */
struct log_ratelimit {
	uint64_t interval_usec;
	unsigned burst;
	uint64_t begin;
	unsigned num;
};

#define LOG_RATELIMIT_INIT(interval, n) { (interval), (n), 0, 0 }

/** True when a message may be logged now (@p now_usec monotonic). */
bool
log_ratelimit_ok(struct log_ratelimit *rl, uint64_t now_usec);

#endif
