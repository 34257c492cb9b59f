/* SPDX-License-Identifier: MIT */
/*
 * Value parsers shared by the config file and the command line
 * (config.h: tt_parse_duration, tt_parse_size, tt_parse_bool,
 * tt_parse_uint). They take the whole string and reject anything around
 * the value: the config reader has already stripped blanks, and a flag's
 * value with blanks in it is a mistake worth reporting.
 *
 * Tested in tests/unit/test-config.c (duration_table, size_table, …).
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "tasktrace/config.h"

static bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Parse the digits at *s into *v; advance *s. -EINVAL without digits,
 * -ERANGE on overflow (the digits are still consumed). */
static int
parse_digits(const char **s, uint64_t *v)
{
	const char *p = *s;
	uint64_t n = 0;
	bool overflow = false;

	if (!is_digit(*p))
		return -EINVAL;
	for (; is_digit(*p); p++) {
		unsigned d = (unsigned)(*p - '0');
		if (n > (UINT64_MAX - d) / 10)
			overflow = true;
		else
			n = n * 10 + d;
	}
	*s = p;
	*v = n;
	return overflow ? -ERANGE : 0;
}

int
tt_parse_uint(const char *s, uint64_t max, uint64_t *out)
{
	uint64_t v;
	int rc;

	if (!s)
		return -EINVAL;
	rc = parse_digits(&s, &v);
	if (rc == -EINVAL || *s != '\0')
		return -EINVAL;
	if (rc < 0 || v > max)
		return -ERANGE;
	*out = v;
	return 0;
}

int
tt_parse_bool(const char *s, bool *out)
{
	static const char *const yes[] = { "yes", "true", "on", "1" };
	static const char *const no[] = { "no", "false", "off", "0" };

	if (!s)
		return -EINVAL;
	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		if (strcasecmp(s, yes[i]) == 0) {
			*out = true;
			return 0;
		}
		if (strcasecmp(s, no[i]) == 0) {
			*out = false;
			return 0;
		}
	}
	return -EINVAL;
}

int
tt_parse_duration(const char *s, uint64_t *out_ns)
{
	static const struct {
		const char *name;
		uint64_t ns;
	} units[] = {
		{ "ns", 1ULL },
		{ "us", 1000ULL },
		{ "ms", 1000000ULL },
		{ "s", 1000000000ULL },
		{ "m", 60ULL * 1000000000ULL },
		{ "h", 3600ULL * 1000000000ULL },
		{ "d", 86400ULL * 1000000000ULL },
	};
	const char *p = s, *frac = NULL, *unit;
	uint64_t whole, scale = 0, v;
	bool overflow = false;
	int rc;

	if (!s)
		return -EINVAL;
	rc = parse_digits(&p, &whole);
	if (rc == -EINVAL)
		return -EINVAL;
	if (rc == -ERANGE)
		overflow = true;
	if (*p == '.') {
		frac = ++p;
		while (is_digit(*p))
			p++;
		if (p == frac)
			return -EINVAL;		/* "1." */
	}
	unit = p;
	if (*unit == '\0') {
		/* Only a plain zero may go without a unit. */
		if (frac || whole != 0 || overflow)
			return -EINVAL;
		*out_ns = 0;
		return 0;
	}
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (strcmp(unit, units[i].name) == 0)
			scale = units[i].ns;
	}
	if (scale == 0)
		return -EINVAL;
	if (overflow || whole > UINT64_MAX / scale)
		return -ERANGE;
	v = whole * scale;

	/* The fraction, one digit at a time so that nothing overflows and
	 * nothing is rounded: each digit is worth a tenth of the one before.
	 * A non-zero digit worth less than a nanosecond is an error. */
	for (const char *d = frac; d && d < unit; d++) {
		uint64_t digit = (uint64_t)(*d - '0');
		if (scale % 10 != 0) {
			if (digit != 0)
				return -EINVAL;
			continue;
		}
		scale /= 10;
		if (v > UINT64_MAX - digit * scale)
			return -ERANGE;
		v += digit * scale;
	}
	*out_ns = v;
	return 0;
}

int
tt_parse_size(const char *s, uint64_t *out_bytes)
{
	static const char suffixes[] = "KMGTPE";
	const char *p = s, *suf;
	uint64_t v, mult = 1;
	int rc;

	if (!s)
		return -EINVAL;
	rc = parse_digits(&p, &v);
	if (rc == -EINVAL)
		return -EINVAL;
	if (*p != '\0') {
		suf = strchr(suffixes, *p);
		if (!suf)
			return -EINVAL;
		for (const char *q = suffixes; q <= suf; q++)
			mult *= 1024;
		p++;
		if (*p != '\0' && strcmp(p, "iB") != 0)
			return -EINVAL;
	}
	if (rc < 0 || v > UINT64_MAX / mult)
		return -ERANGE;
	*out_bytes = v * mult;
	return 0;
}
