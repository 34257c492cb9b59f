/* SPDX-License-Identifier: MIT */
/* Timestamps, UTF-8 cleaning and escaping for the export writers. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "tasktrace/utf8.h"

#include "mining/format.h"

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

static bool
control(unsigned char c)
{
	return c < 0x20 && c != '\t' && c != '\n' && c != '\r';
}

/* Does valid UTF-8 @p s hold a character that FMT_CLEAN_CONTROL replaces:
 * a C0 control other than TAB, LF, CR, or U+FFFE/U+FFFF (EF BF BE/BF)? */
static bool
has_forbidden(const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;

	for (size_t i = 0; i < len; i++) {
		if (control(u[i]))
			return true;
		if (u[i] == 0xef && i + 2 < len && u[i + 1] == 0xbf &&
		    (u[i + 2] == 0xbe || u[i + 2] == 0xbf))
			return true;
	}
	return false;
}

const char *
fmt_utf8_clean(const char *s, size_t len, unsigned flags,
	       struct fmt_buf *scratch, size_t *out_len)
{
	const unsigned char *u = (const unsigned char *)s;
	bool ctl = flags & FMT_CLEAN_CONTROL;
	size_t i = 0, n;

	/* Fast path: printable ASCII needs nothing, and most strings are. */
	while (i < len && u[i] >= 0x20 && u[i] < 0x80)
		i++;
	if (i == len ||
	    (tt_utf8_valid(s + i, len - i) && !(ctl && has_forbidden(s + i, len - i)))) {
		*out_len = len;
		return s;
	}
	/* Worst case: every byte becomes U+FFFD (3 bytes), plus the NUL. */
	scratch->len = 0;
	if (fmt_buf_reserve(scratch, 3 * len + 1) < 0)
		return NULL;
	n = tt_utf8_repair(scratch->data, 3 * len + 1, s, len);
	if (ctl && has_forbidden(scratch->data, n)) {
		/* Replace in place from the end, so that each replacement
		 * (1 or 3 bytes become 3) only moves what follows it. */
		char *d = scratch->data;
		size_t extra = 0;
		for (size_t j = 0; j < n; j++)
			extra += control((unsigned char)d[j]) ? 2 : 0;
		if (fmt_buf_reserve(scratch, n + extra + 1) < 0)
			return NULL;
		d = scratch->data;
		size_t w = n + extra;
		for (size_t j = n; j-- > 0;) {
			unsigned char c = (unsigned char)d[j];
			bool nonchar = c >= 0xbe && c <= 0xbf && j >= 2 &&
				       (unsigned char)d[j - 1] == 0xbf &&
				       (unsigned char)d[j - 2] == 0xef;
			if (control(c) || nonchar) {
				w -= 3;
				memcpy(d + w, "\xef\xbf\xbd", 3);
				if (nonchar)
					j -= 2;
			} else {
				d[--w] = (char)c;
			}
		}
		n += extra;
	}
	scratch->len = n;
	*out_len = n;
	return scratch->data;
}

int
fmt_json_string(struct fmt_buf *b, const char *s, size_t len)
{
	static const char hex[] = "0123456789ABCDEF";

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
fmt_xml_attr(struct fmt_buf *b, const char *s, size_t len)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *u = (const unsigned char *)s;
	size_t run = 0, i = 0;

	/* At most 6 bytes out for a byte in ("&quot;"; "&#x10FFFF;" is 10
	 * for 4). */
	if (fmt_buf_reserve(b, len * 6 + 16) < 0)
		return -ENOMEM;
	char *o = b->data + b->len;
	while (i < len) {
		unsigned c = u[i];
		const char *e;
		size_t n;

		if (c < 0x80) {
			switch (c) {
			case '<': e = "&lt;"; n = 4; break;
			case '>': e = "&gt;"; n = 4; break;
			case '&': e = "&amp;"; n = 5; break;
			case '"': e = "&quot;"; n = 6; break;
			case '\t': e = "&#9;"; n = 4; break;
			case '\n': e = "&#10;"; n = 5; break;
			case '\r': e = "&#13;"; n = 5; break;
			default: i++; continue;
			}
			memcpy(o, s + run, i - run);
			o += i - run;
			memcpy(o, e, n);
			o += n;
			run = ++i;
			continue;
		}
		/* Valid UTF-8 (the caller's promise): a lead byte and its
		 * continuation bytes. */
		uint32_t cp;
		size_t l;
		if (c < 0xe0) {
			cp = c & 0x1f;
			l = 2;
		} else if (c < 0xf0) {
			cp = c & 0x0f;
			l = 3;
		} else {
			cp = c & 0x07;
			l = 4;
		}
		if (i + l > len)
			l = len - i;
		for (size_t k = 1; k < l; k++)
			cp = cp << 6 | (u[i + k] & 0x3f);
		memcpy(o, s + run, i - run);
		o += i - run;
		*o++ = '&';
		*o++ = '#';
		*o++ = 'x';
		int shift = 20;
		while (shift > 0 && !(cp >> shift))
			shift -= 4;
		for (; shift >= 0; shift -= 4)
			*o++ = hex[(cp >> shift) & 0xf];
		*o++ = ';';
		i += l;
		run = i;
	}
	memcpy(o, s + run, len - run);
	o += len - run;
	b->len = (size_t)(o - b->data);
	return 0;
}
