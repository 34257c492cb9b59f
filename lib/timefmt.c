/* SPDX-License-Identifier: MIT */
#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tasktrace/timefmt.h"

#define NS 1000000000ULL

/* Read exactly @n digits. */
static bool
digits(const char **p, int n, int *out)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (!isdigit((unsigned char)(*p)[i]))
			return false;
		v = v * 10 + ((*p)[i] - '0');
	}
	*p += n;
	*out = v;
	return true;
}

static int
local_midnight(uint64_t now_ns, int days_back, uint64_t *out)
{
	time_t t = (time_t)(now_ns / NS);
	struct tm tm;

	if (!localtime_r(&t, &tm))
		return -EINVAL;
	tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
	tm.tm_mday -= days_back;
	tm.tm_isdst = -1;
	t = mktime(&tm);
	if (t < 0)
		return -EINVAL;
	*out = (uint64_t)t * NS;
	return 0;
}

static int
parse_relative(const char *s, uint64_t now_ns, uint64_t *out)
{
	char *end;
	double v;
	uint64_t unit;
	bool ago = false;

	if (*s == '-')
		s++;
	else
		ago = true;	/* "2h ago" */
	if (!isdigit((unsigned char)*s))
		return -EINVAL;
	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || v < 0)
		return -EINVAL;
	switch (*end) {
	case 's': unit = NS; break;
	case 'm': unit = 60 * NS; break;
	case 'h': unit = 3600 * NS; break;
	case 'd': unit = 86400 * NS; break;
	case 'w': unit = 7 * 86400 * NS; break;
	default: return -EINVAL;
	}
	end++;
	if (ago) {
		if (strcmp(end, " ago") != 0)
			return -EINVAL;
	} else if (*end) {
		return -EINVAL;
	}
	if (v * (double)unit > (double)now_ns)
		return -EINVAL;
	*out = now_ns - (uint64_t)(v * (double)unit);
	return 0;
}

int
tt_time_parse(const char *text, uint64_t now_ns, uint64_t *out)
{
	const char *p = text;
	struct tm tm = { 0 };
	int y, mo, d, h = 0, mi = 0, sec = 0;
	uint64_t frac = 0;
	bool has_offset = false;
	long offset = 0;
	time_t t;

	if (!text || !*text)
		return -EINVAL;
	if (strcmp(text, "now") == 0) {
		*out = now_ns;
		return 0;
	}
	if (strcmp(text, "today") == 0)
		return local_midnight(now_ns, 0, out);
	if (strcmp(text, "yesterday") == 0)
		return local_midnight(now_ns, 1, out);
	if (*p == '@') {
		char *end;
		double v;

		errno = 0;
		v = strtod(p + 1, &end);
		if (errno || end == p + 1 || *end || v < 0 || v > 1e11)
			return -EINVAL;
		*out = (uint64_t)(v * (double)NS);
		return 0;
	}
	if (*p == '-' || strstr(p, " ago"))
		return parse_relative(p, now_ns, out);

	if (!digits(&p, 4, &y) || *p++ != '-' || !digits(&p, 2, &mo) ||
	    *p++ != '-' || !digits(&p, 2, &d))
		return -EINVAL;
	if (*p == 'T' || *p == ' ') {
		p++;
		if (!digits(&p, 2, &h) || *p++ != ':' || !digits(&p, 2, &mi))
			return -EINVAL;
		if (*p == ':') {
			p++;
			if (!digits(&p, 2, &sec))
				return -EINVAL;
			if (*p == '.' || *p == ',') {
				uint64_t scale = NS / 10;
				p++;
				if (!isdigit((unsigned char)*p))
					return -EINVAL;
				for (; isdigit((unsigned char)*p); p++) {
					frac += (uint64_t)(*p - '0') * scale;
					scale /= 10;
				}
			}
		}
		if (*p == 'Z') {
			has_offset = true;
			p++;
		} else if (*p == '+' || *p == '-') {
			int sign = *p++ == '-' ? -1 : 1, oh, om = 0;
			if (!digits(&p, 2, &oh))
				return -EINVAL;
			if (*p == ':')
				p++;
			if (isdigit((unsigned char)*p) && !digits(&p, 2, &om))
				return -EINVAL;
			if (oh > 23 || om > 59)
				return -EINVAL;
			has_offset = true;
			offset = sign * (oh * 3600L + om * 60L);
		}
	}
	if (*p)
		return -EINVAL;
	if (y < 1970 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 ||
	    mi > 59 || sec > 60)
		return -EINVAL;

	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	tm.tm_isdst = -1;
	t = has_offset ? timegm(&tm) - offset : mktime(&tm);
	/* mktime normalises 31 February into March: refuse such dates. */
	if (tm.tm_mday != d || tm.tm_mon != mo - 1)
		return -EINVAL;
	if (t < 0)
		return -EINVAL;
	*out = (uint64_t)t * NS + frac;
	return 0;
}

char *
tt_time_format_utc(uint64_t ns, char *buf, size_t len)
{
	time_t t = (time_t)(ns / NS);
	struct tm tm;

	gmtime_r(&t, &tm);
	snprintf(buf, len, "%04d-%02d-%02dT%02d:%02d:%02d.%03uZ",
		 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		 tm.tm_min, tm.tm_sec, (unsigned)(ns % NS / 1000000));
	return buf;
}

char *
tt_date_format_utc(uint64_t ns, char *buf, size_t len)
{
	time_t t = (time_t)(ns / NS);
	struct tm tm;

	gmtime_r(&t, &tm);
	snprintf(buf, len, "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1,
		 tm.tm_mday);
	return buf;
}
