/*
 * tasktrace — focus protocol between a session's collector and the tracer.
 *
 * Copyright © 2026 the tasktrace authors
 * SPDX-License-Identifier: MIT
 */

#ifndef TASKTRACE_FOCUS_PROTO_H
#define TASKTRACE_FOCUS_PROTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "tasktrace/element.h"
#include "tasktrace/utf8.h"

/**
 * @file focus-proto.h
 * @brief The collector → tracer focus protocol, version 1.
 *
 * @section fp_overview Overview
 *
 * Each graphical session runs one `tasktrace-collector`. It watches the
 * desktop (GNOME Shell extension, KWin script, X11 EWMH, sway IPC,
 * wlroots foreign-toplevel) and tells the tracer which window has the focus, so
 * that input records can carry their application context. Traffic is one
 * way: collector → tracer. The tracer never answers; it identifies the
 * peer with SO_PEERCRED.
 *
 * @section fp_transport Transport
 *
 * A Unix domain socket of type SOCK_SEQPACKET. The tracer listens, the
 * collector connects. **One packet carries exactly one message**, so there
 * is no framing to get wrong and a reader never sees half a message.
 * A packet larger than #TT_FOCUS_MSG_MAX is a protocol error; a receiver
 * should read with a buffer of #TT_FOCUS_MSG_MAX + 1 bytes (or MSG_TRUNC)
 * to detect it.
 *
 * The socket path is, in order of precedence: the collector's `--socket`
 * option, the environment variable #TT_FOCUS_SOCKET_ENV, then
 * #TT_FOCUS_SOCKET_DEFAULT. See tt_focus_socket_path().
 *
 * Conversation: the collector sends HELLO first on every connection, then
 * FOCUS with the current focus (if it knows one), then FOCUS, TITLE and
 * ELEMENT as things change, and BYE before it exits. A tracer must treat a connection
 * closed without BYE as "collector died": the focus context is unknown from
 * then on.
 *
 * @section fp_why_binary Why a binary TLV and not key=value lines
 *
 * Window titles are arbitrary text chosen by whatever runs in a window:
 * they contain `=`, newlines, quotes and anything else. A line form needs
 * an escaping scheme, and escaping is where parsers of hostile input go
 * wrong. A length-prefixed binary form needs no escaping at all, the
 * parser only does bounds checks on explicit lengths, each field has one
 * canonical encoding (which makes "encode(parse(x)) is stable" a real,
 * testable property), and unknown fields can be skipped by length, which
 * gives forward compatibility within a major version. The cost, that the
 * bytes are not human-readable, is paid by `tests/desktop/focus-sink`,
 * which prints each message as JSON.
 *
 * @section fp_wire Wire format (all integers little-endian)
 *
 * Header, 8 bytes:
 * <pre>
 *  offset size  field
 *  0      2     magic: 'T' 'F' (0x54 0x46)
 *  2      1     protocol version: #TT_FOCUS_PROTO_VERSION
 *  3      1     message type: enum tt_focus_type
 *  4      2     body length in bytes (packet length minus 8)
 *  6      2     reserved, sent as 0, ignored by the parser
 * </pre>
 * Body: a sequence of fields, each
 * <pre>
 *  0      1     tag: enum tt_focus_tag
 *  1      2     value length n
 *  3      n     value
 * </pre>
 * Integer fields have exactly the size of their type (u32: 4, u64: 8).
 * String fields are UTF-8 without a terminating NUL. A tag may appear at
 * most once per message. Fields with tags this parser does not know are
 * skipped; the encoder emits fields in ascending tag order.
 *
 * Fields per message type (R = required, O = optional, - = not allowed):
 * <pre>
 *  tag                 HELLO  FOCUS  TITLE  BYE  ELEMENT WELCOME
 *  TIME         u64    O      O      O      O    O       O    CLOCK_MONOTONIC ns of the observation
 *  COLLECTOR_VER str   R      -      -      -    -       -
 *  BACKEND      str    R      R      -      -    -       -    "gnome", "kde", "x11", "sway", "wlroots"
 *  SESSION_ID   str    O      -      -      -    -       -    $XDG_SESSION_ID of the collector
 *  WINDOW_ID    u64    -      R      R      -    O       -    0 in FOCUS = nothing has focus
 *  APP_ID       str    -      O      -      -    O       -    WM_CLASS class / Wayland app_id;
 *                                                              in ELEMENT the AT-SPI application name
 *  TITLE        str    -      O      R      -    -       -
 *  PID          u32    -      O      -      -    O       -    0 or absent = unknown
 *  ROLE         str    -      -      -      -    R       -    AT-SPI role name; "" = no element now
 *  NAME         str    -      -      -      -    O       -    name, or the LABELLED_BY label
 *  ELEMENT_FLAGS u32   -      -      -      -    O       -    enum tt_element_flag (element.h)
 *  URL          str    -      -      -      -    O       -    a web document's URL
 *  TYPES        u32    -      -      -      -    -       R    bit n: the tracer accepts type n
 * </pre>
 *
 * @section fp_element ELEMENT: the UI element in front of the person
 *
 * ELEMENT says that the accessible object (AT-SPI2) in front of the person
 * changed: the one that took the focus or the selection, or (flag
 * #TT_ELEMENT_HIT) the one hit-tested under a click. WINDOW_ID is the
 * focused window it belongs to as the backend reported it in FOCUS (the
 * tracer drops an element of a window that no longer has the focus; absent
 * = the window of the last FOCUS), PID and APP_ID the AT-SPI application.
 * ROLE "" means "no element now" (the focus left every accessible object).
 * NAME and URL are whatever the application said: the tracer, not the
 * collector, decides what of them is kept (tasktrace.conf(5) [elements]);
 * the collector sends no value and no text content, ever.
 *
 * @section fp_compat Old and new peers (ELEMENT and WELCOME)
 *
 * Traffic is one way except for one packet: a tracer that accepts ELEMENT
 * sends, right after accepting a connection, one WELCOME whose TYPES has
 * bit (1 << #TT_FOCUS_ELEMENT) set. It sends nothing else, ever, and
 * ignores a failure to send it.
 *
 *  - *New collector, old tracer*: an old tracer (before ELEMENT) parses
 *    type 5 as #TT_FOCUS_ETYPE and drops the connection. So a collector
 *    sends ELEMENT only on a connection on which it has read a WELCOME
 *    with that bit; with no WELCOME it sends HELLO, FOCUS, TITLE and BYE as
 *    before, and the old tracer works as before, without elements.
 *  - *Old collector, new tracer*: an old collector never reads its socket;
 *    the one WELCOME packet waits in its receive queue and is freed with
 *    the socket. It sends no ELEMENT, so records get element 0.
 *
 * A collector reads WELCOME with tt_focus_parse() (it may arrive any time
 * after connect; until then no ELEMENT is sent, and the first ELEMENT after
 * it repeats the element in front).
 *
 * @section fp_strings Strings: bounds and repair
 *
 * Every string is capped (#TT_FOCUS_TITLE_MAX etc., in bytes, without the
 * NUL) and is valid UTF-8 after encoding *and* after parsing. Both sides run
 * tt_utf8_repair(): each invalid sequence (stray continuation bytes,
 * overlong forms, surrogates, code points above U+10FFFF, truncated
 * sequences) becomes U+FFFD, an embedded NUL also becomes U+FFFD (so the C
 * string in the struct is the whole value), and a value longer than its cap
 * is cut at the last complete UTF-8 character that fits. ROLE, NAME and
 * URL also lose every control character (tt_utf8_clean(): C0 including
 * TAB, DEL, C1, bidi controls), so that they can be joined into an element
 * string (element.h) without escaping. Repair is
 * idempotent, which is what makes the round trip stable. A peer sending
 * a bad string therefore gets it repaired, not rejected: only *structure*
 * errors make a message invalid.
 *
 * The parser then removes controls from every string field
 * (tt_utf8_strip_controls(): C0 and DEL, TAB/LF/VT/FF/CR becoming a space,
 * C1, and the bidi controls U+061C, U+200E, U+200F, U+202A–U+202E and
 * U+2066–U+2069), in the one path all string fields take: what a window
 * names itself cannot start a line in a log, a field in sd_notify or an
 * escape on a terminal.
 *
 * @section fp_versioning Versioning
 *
 * The version byte is the major version. A parser rejects other majors with
 * #TT_FOCUS_EVERSION. Additions that old parsers may ignore (new optional
 * tags) do not bump it; a new message type or a changed meaning does.
 */

/** @defgroup fp_limits Limits and defaults
 * @{
 */
/** Protocol major version carried in every header. */
#define TT_FOCUS_PROTO_VERSION		1
/** Largest packet, header included. Larger packets are protocol errors. */
#define TT_FOCUS_MSG_MAX		4096
/** Header size in bytes. */
#define TT_FOCUS_HEADER_SIZE		8
/** Caps in bytes, excluding the terminating NUL of the struct fields. */
#define TT_FOCUS_TITLE_MAX		512
#define TT_FOCUS_APP_ID_MAX		255
#define TT_FOCUS_BACKEND_MAX		31
#define TT_FOCUS_VERSION_MAX		63
#define TT_FOCUS_SESSION_MAX		63
#define TT_FOCUS_ROLE_MAX		63	/* = TT_ELEMENT_ROLE_MAX */
#define TT_FOCUS_NAME_MAX		255	/* = TT_ELEMENT_NAME_MAX */
#define TT_FOCUS_URL_MAX		1024	/* = TT_ELEMENT_URL_MAX */
/** The largest string cap of any field (a buffer for any one value). */
#define TT_FOCUS_STRING_MAX		TT_FOCUS_URL_MAX
/** Default socket path of the tracer. */
#define TT_FOCUS_SOCKET_DEFAULT		"/run/tasktrace/collector.sock"
/** Room for a socket path in sockaddr_un, NUL included: longer paths
 * are refused with -ENAMETOOLONG. */
#define TT_FOCUS_SOCKET_PATH_MAX	108
/** Environment variable overriding the default socket path. */
#define TT_FOCUS_SOCKET_ENV		"TASKTRACE_COLLECTOR_SOCKET"
/** @} */

/** @defgroup fp_errors Error codes
 *
 * Functions return 0 (or a length) on success and a negative value on
 * failure: either -errno, or one of these codes, which lie in a reserved
 * range well below any errno. tt_focus_strerror() describes both kinds.
 * @{
 */
#define TT_FOCUS_ESHORT		(-31000)	/**< packet shorter than the header */
#define TT_FOCUS_ETOOBIG	(-30999)	/**< packet longer than TT_FOCUS_MSG_MAX */
#define TT_FOCUS_EMAGIC		(-30998)	/**< magic is not "TF" */
#define TT_FOCUS_EVERSION	(-30997)	/**< unsupported protocol major version */
#define TT_FOCUS_ETYPE		(-30996)	/**< unknown message type */
#define TT_FOCUS_ELENGTH	(-30995)	/**< body length does not match the packet */
#define TT_FOCUS_ETRUNC		(-30994)	/**< a field runs past the end of the body */
#define TT_FOCUS_EFIELDSIZE	(-30993)	/**< an integer field has the wrong size */
#define TT_FOCUS_EDUP		(-30992)	/**< a tag appears twice */
#define TT_FOCUS_EFORBIDDEN	(-30991)	/**< a known tag not allowed in this type */
#define TT_FOCUS_EMISSING	(-30990)	/**< a required field is absent */
#define TT_FOCUS_ELAST		TT_FOCUS_EMISSING
/** @} */

/** Message types (header byte 3). */
enum tt_focus_type {
	TT_FOCUS_HELLO = 1,	/**< connection start: who is talking */
	TT_FOCUS_FOCUS = 2,	/**< the focused window changed */
	TT_FOCUS_TITLE = 3,	/**< the focused window's title changed */
	TT_FOCUS_BYE = 4,	/**< orderly collector shutdown */
	TT_FOCUS_ELEMENT = 5,	/**< the element in front of the person changed */
	TT_FOCUS_WELCOME = 6,	/**< tracer → collector, once: what it accepts */
};
#define TT_FOCUS_TYPE_MAX	TT_FOCUS_WELCOME

/** Field tags. Values are wire format: never renumber. */
enum tt_focus_tag {
	TT_FOCUS_TAG_TIME = 1,
	TT_FOCUS_TAG_COLLECTOR_VERSION = 2,
	TT_FOCUS_TAG_BACKEND = 3,
	TT_FOCUS_TAG_SESSION_ID = 4,
	TT_FOCUS_TAG_WINDOW_ID = 5,
	TT_FOCUS_TAG_APP_ID = 6,
	TT_FOCUS_TAG_TITLE = 7,
	TT_FOCUS_TAG_PID = 8,
	TT_FOCUS_TAG_ROLE = 9,
	TT_FOCUS_TAG_NAME = 10,
	TT_FOCUS_TAG_ELEMENT_FLAGS = 11,
	TT_FOCUS_TAG_URL = 12,
	TT_FOCUS_TAG_TYPES = 13,
};
#define TT_FOCUS_TAG_MAX	TT_FOCUS_TAG_TYPES

/** Bits of tt_focus_msg::present, one per tag: (1u << tag). */
#define TT_FOCUS_HAS(tag)	(1u << (tag))

/**
 * One decoded message. Plain data, no pointers: it may be copied, zeroed
 * and kept freely. String members are always NUL-terminated, valid UTF-8,
 * within their cap; an absent string field is "".
 */
struct tt_focus_msg {
	enum tt_focus_type type;
	/** Protocol version from the header (parser) — the encoder always
	 * writes #TT_FOCUS_PROTO_VERSION. */
	uint8_t version;
	/** Which optional fields are present: TT_FOCUS_HAS(TT_FOCUS_TAG_…). */
	uint32_t present;
	uint64_t time_ns;
	uint64_t window_id;
	uint32_t pid;
	uint32_t element_flags;	/**< ELEMENT: enum tt_element_flag */
	uint32_t types;		/**< WELCOME: bit n = accepts type n */
	char collector_version[TT_FOCUS_VERSION_MAX + 1];
	char backend[TT_FOCUS_BACKEND_MAX + 1];
	char session_id[TT_FOCUS_SESSION_MAX + 1];
	char app_id[TT_FOCUS_APP_ID_MAX + 1];
	char title[TT_FOCUS_TITLE_MAX + 1];
	char role[TT_FOCUS_ROLE_MAX + 1];
	char name[TT_FOCUS_NAME_MAX + 1];
	char url[TT_FOCUS_URL_MAX + 1];
};

/**
 * @brief Initialise a message of the given type: all fields absent/empty.
 *
 * @param[out] msg	the message
 * @param[in] type	its type
 */
void
tt_focus_msg_init(struct tt_focus_msg *msg, enum tt_focus_type type);

/**
 * @brief Set a string field, repairing and truncating the value.
 *
 * Copies @p len bytes of @p value (which need not be NUL-terminated, may be
 * invalid UTF-8 and may contain NUL) into the member for @p tag through
 * tt_utf8_repair() and marks the field present.
 *
 * @param[in,out] msg	the message
 * @param[in] tag	a string tag: COLLECTOR_VERSION, BACKEND, SESSION_ID,
 *			APP_ID, TITLE, ROLE, NAME or URL
 * @param[in] value	the bytes; may be NULL when @p len is 0
 * @param[in] len	number of bytes
 * @return 0, or -EINVAL if @p tag is not a string tag.
 */
int
tt_focus_msg_set_string(struct tt_focus_msg *msg, enum tt_focus_tag tag,
			const char *value, size_t len);

/**
 * @brief Set an integer field and mark it present.
 *
 * @param[in,out] msg	the message
 * @param[in] tag	TIME, WINDOW_ID, PID, ELEMENT_FLAGS or TYPES
 * @param[in] value	the value
 * @return 0, -EINVAL if @p tag is not an integer tag, or -ERANGE if
 *	@p value does not fit the field (PID, ELEMENT_FLAGS and TYPES are
 *	32 bits).
 */
int
tt_focus_msg_set_int(struct tt_focus_msg *msg, enum tt_focus_tag tag,
		     uint64_t value);

/**
 * @brief Encode a message into one packet.
 *
 * Pure: no I/O, no allocation. Present string fields are repaired again on
 * the way out (a caller that filled the struct by hand cannot produce
 * invalid UTF-8 on the wire). Fields are written in ascending tag order;
 * only fields allowed for the type are written, so encode(parse(x)) is the
 * canonical form of x.
 *
 * @param[in] msg	the message; its required fields must be present
 * @param[out] buf	output buffer
 * @param[in] size	size of @p buf; #TT_FOCUS_MSG_MAX always suffices
 * @return the packet length (> 0), or
 *	- -EINVAL: unknown type or a required field absent
 *	- -ENOSPC: @p size is too small
 */
int
tt_focus_encode(const struct tt_focus_msg *msg, uint8_t *buf, size_t size);

/**
 * @brief Parse one packet.
 *
 * Pure: reads at most @p len bytes of @p buf, never past them, allocates
 * nothing. On failure @p msg is left zeroed.
 *
 * @param[in] buf	the packet
 * @param[in] len	its length as received
 * @param[out] msg	the decoded message
 * @return 0, or one of
 *	- #TT_FOCUS_ESHORT, #TT_FOCUS_ETOOBIG: bad packet size
 *	- #TT_FOCUS_EMAGIC, #TT_FOCUS_EVERSION, #TT_FOCUS_ETYPE: bad header
 *	- #TT_FOCUS_ELENGTH: header body length differs from the packet
 *	- #TT_FOCUS_ETRUNC, #TT_FOCUS_EFIELDSIZE, #TT_FOCUS_EDUP,
 *	  #TT_FOCUS_EFORBIDDEN: a malformed field
 *	- #TT_FOCUS_EMISSING: a required field for the type is absent
 */
int
tt_focus_parse(const void *buf, size_t len, struct tt_focus_msg *msg);

/**
 * @brief Name of a message type ("HELLO", …), or "?" if unknown.
 */
const char *
tt_focus_type_name(int type);

/**
 * @brief Describe an error returned by this module (protocol code or -errno).
 * @return a static string; never NULL.
 */
const char *
tt_focus_strerror(int err);


/**
 * @brief Decide which socket path to use.
 *
 * @param[in] override	a path given on the command line, or NULL
 * @return @p override if not NULL, else $TASKTRACE_COLLECTOR_SOCKET if set
 *	and not empty, else #TT_FOCUS_SOCKET_DEFAULT. Never NULL.
 */
const char *
tt_focus_socket_path(const char *override);

/**
 * @brief Open a non-blocking SOCK_SEQPACKET connection to the tracer.
 *
 * @param[in] path	socket path (see tt_focus_socket_path())
 * @return a file descriptor (O_NONBLOCK, O_CLOEXEC), or
 *	- -ENAMETOOLONG: @p path does not fit in sockaddr_un
 *	- -ENOENT, -ECONNREFUSED: no tracer listening
 *	- -EAGAIN: the tracer's backlog is full; try again later
 *	- other -errno from socket(2)/connect(2)
 */
int
tt_focus_connect(const char *path);

/**
 * @brief Create the listening SOCK_SEQPACKET socket (tracer side).
 *
 * Removes a stale socket file at @p path first. The socket is
 * non-blocking and close-on-exec; permissions are left to the caller.
 *
 * @param[in] path	socket path
 * @return a file descriptor, or -ENAMETOOLONG or -errno.
 */
int
tt_focus_listen(const char *path);

#endif /* TASKTRACE_FOCUS_PROTO_H */
