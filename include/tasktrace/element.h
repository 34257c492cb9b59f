/* SPDX-License-Identifier: MIT */
/*
 * tasktrace — the UI element in front of the person.
 *
 * A record's @c element (record.h) is the id of an interned string that
 * names the accessible object (AT-SPI2) the person acts on. The string is
 *
 *     role
 *     role <TAB> name
 *     role <TAB> name <TAB> url        (name may be empty: "document web\t\thttps://host")
 *
 * where role is AT-SPI's role name as atspi_role_get_name() spells it
 * ("push button", "password text", "text", "menu item", "page tab",
 * "check box", "combo box", "document web", "table cell", …). Every part
 * has had its control characters removed (C0, DEL, C1 and the bidi
 * controls U+202A–U+202E, U+2066–U+2069) and its UTF-8 repaired, so a TAB
 * never appears inside a part and splitting on TAB is exact.
 *
 * Which names and URLs may be kept at all is the tracer's privacy policy
 * (tracer/focus.c, tasktrace.conf(5) [elements]); this module only builds
 * and takes apart the strings, and says which roles are controls.
 */
#ifndef TASKTRACE_ELEMENT_H
#define TASKTRACE_ELEMENT_H

#include <stdbool.h>
#include <stddef.h>

/** Caps in bytes, without NUL, of each part of an element string. */
#define TT_ELEMENT_ROLE_MAX	63
#define TT_ELEMENT_NAME_MAX	255	/**< on the wire; the tracer keeps ≤ 128 */
#define TT_ELEMENT_URL_MAX	1024
/** What the tracer keeps of a name (tasktrace.conf(5)). */
#define TT_ELEMENT_NAME_STORED	128
/** A buffer of this size holds any element string tt_element_format()
 *  builds from parts within the caps, NUL included. */
#define TT_ELEMENT_STR_MAX \
	(TT_ELEMENT_ROLE_MAX + 1 + TT_ELEMENT_NAME_MAX + 1 + TT_ELEMENT_URL_MAX + 1)

/** The role of a password field, as AT-SPI names it. */
#define TT_ELEMENT_ROLE_PASSWORD "password text"

/** Flags of an element report (focus-proto.h TT_FOCUS_TAG_ELEMENT_FLAGS).
 *  The values are wire format. */
enum tt_element_flag {
	TT_ELEMENT_PASSWORD = 1 << 0,	/**< password role or text-input-type=password */
	TT_ELEMENT_EDITABLE = 1 << 1,	/**< editable text */
	TT_ELEMENT_HIT = 1 << 2,	/**< found by hit-testing a click, not by focus */
	TT_ELEMENT_WEB = 1 << 3,	/**< a web document */
	TT_ELEMENT_FLAGS_ALL = 0xf
};

/**
 * Build an element string.
 *
 * Each part goes through tt_utf8_clean() and is cut to its cap
 * (TT_ELEMENT_ROLE_MAX, TT_ELEMENT_NAME_MAX, TT_ELEMENT_URL_MAX) at a
 * character boundary. Trailing empty parts are left out: ("text", "", NULL)
 * gives "text"; ("document web", NULL, "https://host") gives
 * "document web\t\thttps://host".
 *
 * @param[out] buf	destination; TT_ELEMENT_STR_MAX always suffices
 * @param[in] size	size of @p buf
 * @param[in] role	the role; must not be empty after cleaning
 * @param[in] name	the name, or NULL / "" for none
 * @param[in] url	the URL, or NULL / "" for none
 * @return the length written (without NUL), -EINVAL when the role is
 *	empty, -ENOSPC when @p buf is too small (then @p buf is "").
 */
int
tt_element_format(char *buf, size_t size, const char *role, const char *name,
		  const char *url);

/**
 * Take an element string apart, without copying: each part is a pointer
 * into @p str and a length; an absent part has length 0 (and points at
 * the end of @p str).
 *
 * @return the number of parts (1, 2 or 3), or -EINVAL when @p str is
 *	NULL, empty, has an empty role or more than three parts.
 */
int
tt_element_split(const char *str, const char **role, size_t *rolelen,
		 const char **name, size_t *namelen, const char **url,
		 size_t *urllen);

/**
 * Is @p role a control, whose name the tracer may keep? Controls are
 * push, toggle and radio buttons, "push button menu", switches, menus,
 * menu bars and menu items (also check and radio menu items), page tabs,
 * check boxes, combo boxes, spin buttons, sliders, and the field roles
 * "text", "entry" and "password text" (their name is the field's label
 * as the collector reports it, never its value). Content roles (documents,
 * paragraphs, labels, list items, table cells, terminals, links, headings
 * …) and unknown roles are not: their names are often document content.
 */
bool
tt_element_role_is_control(const char *role);

/**
 * An element string for people: "'Save' push button", "push button",
 * "document web https://host", "'Inbox' document web https://host".
 * Cut to @p size at a character boundary; "" for NULL or "".
 * @return @p buf.
 */
const char *
tt_element_describe(const char *str, char *buf, size_t size);

/** Is @p role a text field: "text", "entry" or "password text"? */
bool
tt_element_role_is_text(const char *role);

#endif /* TASKTRACE_ELEMENT_H */
