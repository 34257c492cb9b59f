/* SPDX-License-Identifier: MIT */
#include "tasktrace/clock.h"

uint64_t
tt_clock_ns(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}
