/* SPDX-License-Identifier: MIT */
/* UTF-8 checks for strings that come from outside: window titles, app ids. */
#ifndef TASKTRACE_UTF8_H
#define TASKTRACE_UTF8_H

#include <stdbool.h>
#include <stddef.h>

/** True when @p s (@p len bytes) is well-formed UTF-8 (no overlong forms,
 *  no surrogates, nothing above U+10FFFF). NUL bytes are allowed. */
bool
tt_utf8_valid(const char *s, size_t len);

/**
 * Copy @p s into @p out as well-formed UTF-8: each invalid sequence becomes
 * U+FFFD, and the copy is cut at a character boundary so that it fits
 * @p cap - 1 bytes; @p out is NUL-terminated. NUL bytes in @p s become
 * U+FFFD too. Returns the length written.
 */
size_t
tt_utf8_repair(const char *s, size_t len, char *out, size_t cap);

#endif
