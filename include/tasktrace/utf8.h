/* SPDX-License-Identifier: MIT */
/* UTF-8 checks for strings that come from outside: window titles, app ids. */
#ifndef TASKTRACE_UTF8_H
#define TASKTRACE_UTF8_H

#include <stdbool.h>
#include <stddef.h>

/** True when @p s (@p len bytes) is well-formed UTF-8 (no overlong forms,
 *  no surrogates, nothing above U+10FFFF, no NUL). */
bool
tt_utf8_valid(const char *s, size_t len);

/**
 * Copy @p src into @p dst as well-formed UTF-8.
 *
 * Writes at most @p dst_size - 1 bytes plus a NUL. Each maximal ill-formed
 * subpart (Unicode §3.9 best practice) and each NUL byte becomes U+FFFD
 * (EF BF BD); the output ends on a character boundary. Idempotent:
 * repairing the output again yields the same bytes.
 *
 * @param[out] dst	destination, @p dst_size > 0
 * @param[in] dst_size	size of @p dst including the NUL
 * @param[in] src	source bytes (may be NULL when @p src_len is 0)
 * @param[in] src_len	number of source bytes
 * @return the number of bytes written, excluding the NUL.
 */
size_t
tt_utf8_repair(char *dst, size_t dst_size, const char *src, size_t src_len);

/**
 * Remove, in place, what a peer could use to forge text where it is shown:
 * C0 controls and DEL (TAB, LF, VT, FF and CR become a space, the others
 * go), C1 controls (U+0080–U+009F), the bidirectional marks (U+061C,
 * U+200E, U+200F) and embedding, override and isolate controls
 * (U+202A–U+202E, U+2066–U+2069).
 *
 * @param[in,out] s	well-formed UTF-8 (tt_utf8_repair()), NUL-terminated
 * @return the new length. Idempotent; the result is still well-formed,
 *	and the bytes it gave up (up to the old NUL) are zeroed.
 */
size_t
tt_utf8_strip_controls(char *s);

/**
 * Copy @p src into @p dst for printing on a terminal, in a log line or a
 * key=value protocol (sd_notify): every control tt_utf8_strip_controls()
 * would remove is written as a visible escape instead ("\n", "\x1b",
 * "\u202e"); everything else is copied as is. The output is cut at a
 * character boundary to fit @p dst_size - 1 bytes plus a NUL.
 *
 * @return the number of bytes written, excluding the NUL.
 */
size_t
tt_utf8_escape_controls(char *dst, size_t dst_size, const char *src, size_t src_len);

/**
 * Like tt_utf8_repair(), and also remove every control character that
 * tt_utf8_strip_controls() removes: C0 (U+0000–U+001F, so TAB and newlines
 * too), DEL, C1 (U+0080–U+009F), the bidi marks (U+061C, U+200E, U+200F)
 * and the bidi controls U+202A–U+202E and U+2066–U+2069. Controls are
 * removed (not turned into spaces) before the cap applies, so a long run of
 * them does not eat the room of the text after it. Idempotent. Used for the
 * parts of element strings (element.h): a TAB never remains inside one.
 *
 * @return the number of bytes written, excluding the NUL.
 */
size_t
tt_utf8_clean(char *dst, size_t dst_size, const char *src, size_t src_len);

#endif
