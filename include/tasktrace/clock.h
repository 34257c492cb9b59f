/* SPDX-License-Identifier: MIT */
/*
 * tasktrace — the clocks, in nanoseconds.
 *
 * Records carry wall-clock time (tt_now_ns); intervals, timeouts and
 * progress are measured on the monotonic clock (tt_mono_ns), which no
 * clock step moves.
 */
#ifndef TASKTRACE_CLOCK_H
#define TASKTRACE_CLOCK_H

#include <stdint.h>
#include <time.h>

/** The time of @p clock (CLOCK_REALTIME, CLOCK_MONOTONIC, …) in ns. */
uint64_t
tt_clock_ns(clockid_t clock);

/** The current wall-clock time in nanoseconds since the epoch. */
static inline uint64_t
tt_now_ns(void)
{
	return tt_clock_ns(CLOCK_REALTIME);
}

/** The monotonic clock in nanoseconds. */
static inline uint64_t
tt_mono_ns(void)
{
	return tt_clock_ns(CLOCK_MONOTONIC);
}

#endif /* TASKTRACE_CLOCK_H */
