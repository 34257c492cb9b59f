/* SPDX-License-Identifier: MIT */
/* Timestamps, UTF-8 cleaning and escaping for the export writers. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "format.h"

#define NS_PER_SEC 1000000000ULL
#define SEC_PER_DAY 86400ULL

/*
 * Days since 1970-01-01 to a proleptic Gregorian date, in 400-year eras
 * shifted to start on March 1st so that the leap day is the era's last
 * day (the well-known civil-from-days construction). gmtime_r() would do
 * the same but costs a lock-free yet non-trivial call per timestamp, and
 * the CSV export formats two of them per record.
 */
static void
civil_from_days(int64_t z, int *y, unsigned *m, unsigned *d)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;

	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

static int64_t
days_from_civil(int y, unsigned m, unsigned d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return era * 146097 + (int64_t)doe - 719468;
}

static inline void
put2(char *p, unsigned v)
{
	p[0] = (char)('0' + v / 10);
	p[1] = (char)('0' + v % 10);
}

static void
put_date(char *p, uint64_t days)
{
	int y;
	unsigned m, d;

	civil_from_days((int64_t)days, &y, &m, &d);
	put2(p, (unsigned)y / 100 % 100);
	put2(p + 2, (unsigned)y % 100);
	p[4] = '-';
	put2(p + 5, m);
	p[7] = '-';
	put2(p + 8, d);
}

void
fmt_date_iso(char out[11], uint64_t ns)
{
	put_date(out, ns / NS_PER_SEC / SEC_PER_DAY);
	out[10] = '\0';
}

static void
put_time_of_day(char out[FMT_TIME_LEN + 1], uint64_t ns)
{
	uint64_t secs = ns / NS_PER_SEC;
	unsigned ms = (unsigned)(ns % NS_PER_SEC / 1000000);
	unsigned sod = (unsigned)(secs % SEC_PER_DAY);

	out[10] = 'T';
	put2(out + 11, sod / 3600);
	out[13] = ':';
	put2(out + 14, sod / 60 % 60);
	out[16] = ':';
	put2(out + 17, sod % 60);
	out[19] = '.';
	out[20] = (char)('0' + ms / 100);
	put2(out + 21, ms % 100);
	out[23] = 'Z';
	out[24] = '\0';
}

void
fmt_time_iso(char out[FMT_TIME_LEN + 1], uint64_t ns)
{
	put_date(out, ns / NS_PER_SEC / SEC_PER_DAY);
	put_time_of_day(out, ns);
}

void
fmt_time_iso_cached(struct fmt_time_cache *c, char out[FMT_TIME_LEN + 1],
		    uint64_t ns)
{
	uint64_t day = ns / NS_PER_SEC / SEC_PER_DAY;

	if (!c->valid || c->day != day) {
		put_date(c->date, day);
		c->day = day;
		c->valid = true;
	}
	memcpy(out, c->date, 10);
	put_time_of_day(out, ns);
}

bool
fmt_is_plain(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\' || c == ',')
			return false;
	}
	return len == 0 || (s[0] != ' ' && s[len - 1] != ' ');
}

int
fmt_buf_reserve(struct fmt_buf *b, size_t extra)
{
	size_t want = b->len + extra;
	size_t cap;
	char *p;

	if (want <= b->cap)
		return 0;
	cap = b->cap ? b->cap : 256;
	while (cap < want)
		cap *= 2;
	p = realloc(b->data, cap);
	if (!p)
		return -ENOMEM;
	b->data = p;
	b->cap = cap;
	return 0;
}

void
fmt_buf_free(struct fmt_buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

int
fmt_append(struct fmt_buf *b, const char *s, size_t len)
{
	if (fmt_buf_reserve(b, len) < 0)
		return -ENOMEM;
	memcpy(b->data + b->len, s, len);
	b->len += len;
	return 0;
}

int
fmt_u64(struct fmt_buf *b, uint64_t v)
{
	char tmp[20];
	size_t n = 0;

	do {
		tmp[sizeof(tmp) - ++n] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	return fmt_append(b, tmp + sizeof(tmp) - n, n);
}

/*
 * Length of the well-formed UTF-8 sequence at @p s (1–4), or 0 when the
 * byte there does not start one. Follows RFC 3629 table 2: the second
 * byte's range depends on the first, which excludes overlong forms,
 * surrogates and code points above U+10FFFF.
 */
static size_t
utf8_seq(const unsigned char *s, size_t avail, uint32_t *cp)
{
	unsigned char c = s[0];
	unsigned char lo = 0x80, hi = 0xbf;
	size_t n;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf) {
		n = 2;
		*cp = c & 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		n = 3;
		*cp = c & 0x0f;
		if (c == 0xe0)
			lo = 0xa0;
		else if (c == 0xed)
			hi = 0x9f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4;
		*cp = c & 0x07;
		if (c == 0xf0)
			lo = 0x90;
		else if (c == 0xf4)
			hi = 0x8f;
	} else {
		return 0;
	}
	if (avail < n || s[1] < lo || s[1] > hi)
		return 0;
	*cp = (*cp << 6) | (s[1] & 0x3f);
	for (size_t i = 2; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		*cp = (*cp << 6) | (s[i] & 0x3f);
	}
	return n;
}

static bool
xml_forbidden(uint32_t cp)
{
	if (cp < 0x20)
		return cp != '\t' && cp != '\n' && cp != '\r';
	return cp == 0xfffe || cp == 0xffff;
}

const char *
fmt_utf8_clean(const char *s, size_t len, unsigned flags,
	       struct fmt_buf *scratch, size_t *out_len)
{
	const unsigned char *u = (const unsigned char *)s;
	bool xml = flags & FMT_CLEAN_CONTROL;
	size_t i = 0;
	uint32_t cp;

	/* Fast path: printable ASCII needs nothing, and most strings are. */
	while (i < len && u[i] >= 0x20 && u[i] < 0x80)
		i++;
	for (; i < len;) {
		size_t n = utf8_seq(u + i, len - i, &cp);
		if (n == 0 || (xml && xml_forbidden(cp)))
			goto copy;
		i += n;
	}
	*out_len = len;
	return s;

copy:
	scratch->len = 0;
	if (fmt_append(scratch, s, i) < 0)
		return NULL;
	while (i < len) {
		size_t n = utf8_seq(u + i, len - i, &cp);
		int rc;

		if (n == 0 || (xml && xml_forbidden(cp))) {
			rc = fmt_append(scratch, "\xef\xbf\xbd", 3);
			n = n ? n : 1;
		} else {
			rc = fmt_append(scratch, s + i, n);
		}
		if (rc < 0)
			return NULL;
		i += n;
	}
	*out_len = scratch->len;
	return scratch->data;
}

int
fmt_json_string(struct fmt_buf *b, const char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";

	/* Worst case: every byte becomes \u00XX. */
	if (fmt_buf_reserve(b, len * 6 + 2) < 0)
		return -ENOMEM;
	char *p = b->data + b->len;
	*p++ = '"';
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c >= 0x20 && c != '"' && c != '\\') {
			*p++ = (char)c;
			continue;
		}
		*p++ = '\\';
		switch (c) {
		case '"': *p++ = '"'; break;
		case '\\': *p++ = '\\'; break;
		case '\n': *p++ = 'n'; break;
		case '\r': *p++ = 'r'; break;
		case '\t': *p++ = 't'; break;
		case '\b': *p++ = 'b'; break;
		case '\f': *p++ = 'f'; break;
		default:
			*p++ = 'u';
			*p++ = '0';
			*p++ = '0';
			*p++ = hex[c >> 4];
			*p++ = hex[c & 0xf];
			break;
		}
	}
	*p++ = '"';
	b->len = (size_t)(p - b->data);
	return 0;
}

bool
fmt_csv_needs_quotes(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		if (c == ',' || c == '"' || c == '\n' || c == '\r')
			return true;
	}
	/* Leading or trailing spaces survive a round trip only when quoted
	 * in some readers (RFC 4180 says spaces are part of the field, but
	 * spreadsheet imports often trim them). */
	return len > 0 && (s[0] == ' ' || s[len - 1] == ' ');
}

int
fmt_csv_field(struct fmt_buf *b, const char *s, size_t len)
{
	if (!fmt_csv_needs_quotes(s, len))
		return fmt_append(b, s, len);
	if (fmt_buf_reserve(b, len * 2 + 2) < 0)
		return -ENOMEM;
	char *p = b->data + b->len;
	*p++ = '"';
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '"')
			*p++ = '"';
		*p++ = s[i];
	}
	*p++ = '"';
	b->len = (size_t)(p - b->data);
	return 0;
}

int
fmt_parse_duration(const char *s, uint64_t *ns)
{
	uint64_t total = 0;
	const char *p = s;

	if (!*p)
		return -EINVAL;
	while (*p) {
		char *end;
		uint64_t unit;

		if (*p < '0' || *p > '9')
			return -EINVAL;
		errno = 0;
		unsigned long long v = strtoull(p, &end, 10);
		if (errno || end == p)
			return -EINVAL;
		switch (*end) {
		case '\0': unit = NS_PER_SEC; break;
		case 's': unit = NS_PER_SEC; end++; break;
		case 'm': unit = 60 * NS_PER_SEC; end++; break;
		case 'h': unit = 3600 * NS_PER_SEC; end++; break;
		case 'd': unit = SEC_PER_DAY * NS_PER_SEC; end++; break;
		default: return -EINVAL;
		}
		if (v > UINT64_MAX / unit / 2)
			return -EINVAL;
		total += v * unit;
		p = end;
	}
	if (total == 0)
		return -EINVAL;
	*ns = total;
	return 0;
}

static bool
digits(const char *s, int n, unsigned *v)
{
	*v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		*v = *v * 10 + (unsigned)(s[i] - '0');
	}
	return true;
}

int
fmt_parse_time(const char *s, uint64_t now_ns, uint64_t *ns)
{
	uint64_t day_ns = SEC_PER_DAY * NS_PER_SEC;
	unsigned y, mo, d, h = 0, mi = 0, sec = 0;
	uint64_t frac = 0;
	const char *p;

	if (strcmp(s, "now") == 0) {
		*ns = now_ns;
		return 0;
	}
	if (strcmp(s, "today") == 0) {
		*ns = now_ns / day_ns * day_ns;
		return 0;
	}
	if (strcmp(s, "yesterday") == 0) {
		*ns = now_ns / day_ns * day_ns - day_ns;
		return 0;
	}
	if (s[0] == '@') {
		char *end;
		errno = 0;
		unsigned long long v = strtoull(s + 1, &end, 10);
		if (errno || end == s + 1 || *end || v > UINT64_MAX / NS_PER_SEC)
			return -EINVAL;
		*ns = v * NS_PER_SEC;
		return 0;
	}
	if (strlen(s) < 10 || !digits(s, 4, &y) || s[4] != '-' ||
	    !digits(s + 5, 2, &mo) || s[7] != '-' || !digits(s + 8, 2, &d))
		return -EINVAL;
	p = s + 10;
	if (*p == 'T' || *p == ' ') {
		p++;
		if (!digits(p, 2, &h) || p[2] != ':' || !digits(p + 3, 2, &mi))
			return -EINVAL;
		p += 5;
		if (*p == ':') {
			if (!digits(p + 1, 2, &sec))
				return -EINVAL;
			p += 3;
			if (*p == '.') {
				uint64_t scale = NS_PER_SEC / 10;
				p++;
				if (*p < '0' || *p > '9')
					return -EINVAL;
				for (; *p >= '0' && *p <= '9'; p++) {
					frac += (uint64_t)(*p - '0') * scale;
					scale /= 10;
				}
			}
		}
	}
	if (*p == 'Z')
		p++;
	if (*p || y < 1970 || mo < 1 || mo > 12 || d < 1 || h > 23 ||
	    mi > 59 || sec > 60)
		return -EINVAL;
	/* Reject 2026-02-30 and friends: the date must survive a round trip. */
	int64_t days = days_from_civil((int)y, mo, d);
	int ry;
	unsigned rm, rd;
	civil_from_days(days, &ry, &rm, &rd);
	if (ry != (int)y || rm != mo || rd != d)
		return -EINVAL;
	*ns = ((uint64_t)days * SEC_PER_DAY + h * 3600ULL + mi * 60ULL + sec) *
		      NS_PER_SEC + frac;
	return 0;
}
