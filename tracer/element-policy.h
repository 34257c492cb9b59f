/* SPDX-License-Identifier: MIT */
/*
 * The tracer's privacy policy for UI elements (tasktrace.conf(5)
 * [elements]): what of a collector's ELEMENT report may be stored. Pure:
 * no I/O, no state, so that the interpreter scripts (tests/interp) run
 * the very code the daemon runs.
 *
 * The collector is not trusted: everything here is decided again whatever
 * the collector already did.
 */
#ifndef TT_ELEMENT_POLICY_H
#define TT_ELEMENT_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tasktrace/config.h"
#include "tasktrace/focus-proto.h"

/**
 * The element string to store for the report @p m (element.h), after the
 * [elements] and [privacy] rules:
 *  - no role: no element (unless the password flag is set);
 *  - a password field (flag TT_ELEMENT_PASSWORD or role "password text"):
 *    "password text", nothing else, and @p secret;
 *  - a text field of unknown kind (no name, or a toolkit class name):
 *    role only, and @p secret when unknown_text = hidden;
 *  - capture = off: no element (@p secret still set as above);
 *    capture = roles: the role only;
 *  - an element of a deny-listed application (its APP_ID): none;
 *  - names only for control roles (links with links = names), never a
 *    toolkit class name, through the title rules (capture_titles, redact),
 *    capped at TT_ELEMENT_NAME_STORED bytes at a character boundary;
 *  - URLs: scheme and host only ("https://host[:port]"), the path too when
 *    "host[:port]/path" matches a url_paths glob; never user info, query
 *    or fragment; through the title rules as well.
 *
 * @param[out] out	the element string; TT_ELEMENT_STR_MAX suffices
 * @param[out] secret	keys typed into this element are to be hidden
 * @return the string's length; 0 for no element.
 */
size_t
element_policy(const struct tt_config *cfg, const struct tt_focus_msg *m,
	       char *out, size_t size, bool *secret);

/**
 * Does the report @p m belong to the focused window? @p focus_window is
 * the window of the connection's last FOCUS (0: nothing has the focus);
 * a report naming another window is stale (the focus moved on before it
 * arrived) and is dropped. A report that names no window is taken to be
 * of the focused one.
 */
bool
element_bound(const struct tt_focus_msg *m, bool have_focus, uint64_t focus_window);

/** Reduce @p url to what may be kept (see element_policy()); "" when
 *  nothing may. @return the length written. */
size_t
element_url_reduce(const char *url, char *const *url_paths, char *out, size_t size);

/** Is @p name a toolkit class name ("GtkEntry", "QLineEdit"), which says
 *  nothing about the field? */
bool
element_name_is_class(const char *name);

#endif
