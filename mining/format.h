/* SPDX-License-Identifier: MIT */
/*
 * Text formatting shared by the export writers: timestamps, UTF-8
 * cleaning and the escaping rules of CSV and JSON.
 *
 * Everything here is pure and allocation-free except struct fmt_buf,
 * a growable scratch buffer that the caller owns and reuses, so that a
 * long export allocates once and then never again.
 */
#ifndef TT_MINING_FORMAT_H
#define TT_MINING_FORMAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/** "2026-11-26T09:15:02.123Z": 24 characters. */
#define FMT_TIME_LEN 24

/**
 * Format @p ns (nanoseconds since the epoch, UTC) as ISO-8601 with
 * milliseconds and a "Z". Writes FMT_TIME_LEN characters and a NUL.
 * Sub-millisecond digits are truncated, never rounded, so that an
 * action's start never formats later than a following action's start.
 */
void
fmt_time_iso(char out[FMT_TIME_LEN + 1], uint64_t ns);

/**
 * fmt_time_iso() for a stream of nearby times: the date part is only
 * recomputed when the day changes. Zero-initialise the cache.
 */
struct fmt_time_cache {
	uint64_t day;
	bool valid;
	char date[10];
};

void
fmt_time_iso_cached(struct fmt_time_cache *c, char out[FMT_TIME_LEN + 1],
		    uint64_t ns);

/** Is @p s printable ASCII that no format needs to escape or quote
 *  (no '"', '\\', ',' and no edge spaces)? The writers' fast path. */
bool
fmt_is_plain(const char *s, size_t len);

/** "2026-11-26": the UTC date of @p ns; writes 10 characters and a NUL. */
void
fmt_date_iso(char out[11], uint64_t ns);

/** A growable byte buffer. Zero-initialise; release with fmt_buf_free(). */
struct fmt_buf {
	char *data;
	size_t len;
	size_t cap;
};

/** Make room for @p extra more bytes. 0 or -ENOMEM. */
int
fmt_buf_reserve(struct fmt_buf *b, size_t extra);

void
fmt_buf_free(struct fmt_buf *b);

enum fmt_clean_flags {
	/** Also replace the control characters XML 1.0 cannot carry at all
	 *  (U+0000–U+001F except TAB, LF, CR; U+FFFE, U+FFFF); CSV gets the
	 *  same treatment, for spreadsheets. */
	FMT_CLEAN_CONTROL = 1 << 0,
};

/**
 * Return @p s as valid UTF-8: each byte that does not start a well-formed
 * sequence (RFC 3629: no overlongs, no surrogates, ≤ U+10FFFF) becomes
 * U+FFFD. Window titles come from X11 and Wayland clients and are not
 * guaranteed to be UTF-8; every output format requires it.
 *
 * The repair is the project's one (tt_utf8_repair(): each maximal
 * ill-formed subpart and each NUL becomes U+FFFD).
 *
 * When @p s is already clean, returns @p s itself and sets *@p out_len to
 * @p len without copying (the common case); otherwise the cleaned text is
 * written to @p scratch (reset first) and returned from there.
 * Returns NULL only when memory runs out.
 */
const char *
fmt_utf8_clean(const char *s, size_t len, unsigned flags,
	       struct fmt_buf *scratch, size_t *out_len);

/**
 * Append @p s as a JSON string (with the quotes) to @p b: '"', '\\' and
 * the control characters are escaped; the text must already be valid
 * UTF-8 (fmt_utf8_clean()). 0 or -ENOMEM.
 */
int
fmt_json_string(struct fmt_buf *b, const char *s, size_t len);

/**
 * Append @p s as the value of an XML attribute (without the quotes) to
 * @p b, escaped exactly as libxml2's xmlTextWriter writes one into a
 * document without an encoding: '<', '>', '&', '"' as entities, TAB, LF
 * and CR as character references (so that they survive attribute value
 * normalisation), every character above U+007F as a hexadecimal character
 * reference (&#x2014;). The text must already be valid UTF-8 without the
 * characters XML cannot carry (fmt_utf8_clean() with FMT_CLEAN_CONTROL).
 * 0 or -ENOMEM.
 */
int
fmt_xml_attr(struct fmt_buf *b, const char *s, size_t len);

/** Does @p s need quoting as a CSV field (RFC 4180)? */
bool
fmt_csv_needs_quotes(const char *s, size_t len);

/** Append @p s as a CSV field to @p b, quoted when needed. 0 or -ENOMEM. */
int
fmt_csv_field(struct fmt_buf *b, const char *s, size_t len);

/** Append a decimal number. 0 or -ENOMEM. */
int
fmt_u64(struct fmt_buf *b, uint64_t v);

/** Append raw bytes. 0 or -ENOMEM. */
int
fmt_append(struct fmt_buf *b, const char *s, size_t len);

#endif /* TT_MINING_FORMAT_H */
