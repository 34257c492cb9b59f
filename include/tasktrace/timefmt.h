/* SPDX-License-Identifier: MIT */
/*
 * tasktrace — reading and writing times on the command line and in output.
 *
 * Accepted forms (tt_time_parse):
 *   2026-01-05                    local midnight
 *   2026-01-05T08:30[:15[.250]]   local time ('T' or one space)
 *   …Z, …+02:00, …-0500           that offset from UTC
 *   @1767600000[.5]               seconds since the epoch
 *   now, today, yesterday         today/yesterday: local midnight
 *   -2h, -30m, -7d, -90s, -1w     relative to now (also "2h ago")
 */
#ifndef TASKTRACE_TIMEFMT_H
#define TASKTRACE_TIMEFMT_H

#include <stddef.h>
#include <stdint.h>

#include "tasktrace/clock.h"	/* tt_now_ns(), the usual reference */

/**
 * Parse @p text into nanoseconds since the epoch.
 *
 * @param[in] now_ns  the reference for relative forms
 * @return 0, or -EINVAL when the text is none of the forms above
 */
int
tt_time_parse(const char *text, uint64_t now_ns, uint64_t *out);

/** "2026-01-05T08:30:15.250Z" (UTC, milliseconds); @p buf ≥ 32 bytes. */
char *
tt_time_format_utc(uint64_t ns, char *buf, size_t len);

/** "2026-01-05" (UTC date); @p buf ≥ 11 bytes. */
char *
tt_date_format_utc(uint64_t ns, char *buf, size_t len);

#endif
