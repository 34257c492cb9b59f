/*
 * tasktrace — the "me" protocol: a traced person asks the tracer what is
 * stored about them, and may pause their recording.
 *
 * Copyright © 2026 the tasktrace authors
 * SPDX-License-Identifier: MIT
 */

#ifndef TASKTRACE_ME_PROTO_H
#define TASKTRACE_ME_PROTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/**
 * @file me-proto.h
 * @brief `tasktrace me` ↔ tracer, version 1.
 *
 * @section mp_why Why a socket of its own
 *
 * The store is readable only by root and the admin group; an ordinary
 * user reaches their own records through the tracer, which has the store
 * open anyway. The tracer listens on a second socket, beside the
 * collector's (#TT_ME_SOCKET_NAME in the same directory), rather than
 * adding requests to the collector socket: the focus protocol is one-way
 * by contract (the tracer never answers a collector), its connection
 * slots are sized for one collector per session, and a client reading a
 * month of records must never take a collector's slot nor share its rate
 * limit. Both sockets are mode 0666; on both, the peer's credentials
 * (SO_PEERCRED), never anything the client sends, decide who is asking.
 * There is no uid field in any request: a user can only ever name
 * themselves.
 *
 * @section mp_transport Transport
 *
 * SOCK_SEQPACKET, one message per packet, at most #TT_ME_MSG_MAX bytes.
 * The client sends one request and reads the answer; it may then send the
 * next request on the same connection.
 *
 * Header, 8 bytes, integers little-endian:
 * <pre>
 *  0  2  magic 'T' 'M'
 *  2  1  version #TT_ME_PROTO_VERSION
 *  3  1  type: enum tt_me_type
 *  4  4  body length (packet length minus 8)
 * </pre>
 *
 * Requests (client → tracer) and their bodies:
 * <pre>
 *  RECORDS  u64 since_ns, u64 until_ns (0: no bound)  → NAMES…, BLOCK…, END
 *  PAUSE    u64 duration_ns                          → STATUS or ERROR
 *  RESUME   (empty)                                  → STATUS or ERROR
 *  STATUS   (empty)                                  → STATUS
 * </pre>
 * Answers (tracer → client):
 * <pre>
 *  NAMES    entries {u8 table, u32 id, u16 len, len bytes}: table 1 is the
 *           store's strings, 2 its device names, 3 its sessions' user
 *           names; each name is sent once per
 *           connection, before the first block that refers to it; at
 *           most #TT_ME_NAME_MAX bytes
 *  BLOCK    a block of records (codec.h), all of the peer's uid
 *  END      u8 more, u64 next_ns, u64 records: the answer is complete;
 *           with more = 1 it was capped at #TT_ME_PAGE_RECORDS records
 *           and the next page is RECORDS since next_ns
 *  STATUS   u32 uid, u64 paused_until_ns (wall clock; 0: not paused),
 *           u64 pause_max_ns (0: this site does not allow pausing)
 *  ERROR    i32 errno, then a message (UTF-8, no NUL) for a person
 * </pre>
 *
 * @section mp_strings Strings from the peer
 *
 * Every string a peer sends (a NAMES entry, an ERROR's text) is cleaned
 * where it is parsed, before a caller sees it: each C0 control, DEL, C1
 * control, bidi control (U+061C, U+200E, U+200F, U+202A…U+202E,
 * U+2066…U+2069) and each byte that is not valid UTF-8 becomes '?' — but
 * a TAB in a NAMES entry, which separates the parts of an element string
 * (element.h) and moves a terminal's cursor without driving it. The
 * names are window titles and application ids, which any program on the
 * desktop chooses: printed raw they could drive the reader's terminal or
 * reorder what it shows.
 */

#define TT_ME_PROTO_VERSION	1
#define TT_ME_HEADER_SIZE	8
/** Largest packet: a full record block and its header fit. */
#define TT_ME_MSG_MAX		16384
/** Records per answer at most; the client asks again for the rest. */
#define TT_ME_PAGE_RECORDS	100000
/** The socket's file name, in the directory of the collector socket. */
#define TT_ME_SOCKET_NAME	"me.sock"
/** Environment variable naming the socket (tests, unusual setups). */
#define TT_ME_SOCKET_ENV	"TASKTRACE_ME_SOCKET"
#define TT_ME_ERROR_TEXT_MAX	255
/** Longest NAMES entry (the store's TT_STRING_MAX); longer is invalid. */
#define TT_ME_NAME_MAX		4096

enum tt_me_type {
	TT_ME_REQ_RECORDS = 1,
	TT_ME_REQ_PAUSE = 2,
	TT_ME_REQ_RESUME = 3,
	TT_ME_REQ_STATUS = 4,
	TT_ME_NAMES = 16,
	TT_ME_BLOCK = 17,
	TT_ME_END = 18,
	TT_ME_STATUS = 19,
	TT_ME_ERROR = 20,
};

enum tt_me_table {
	TT_ME_TABLE_STRING = 1,
	TT_ME_TABLE_DEVICE = 2,
	TT_ME_TABLE_SESSION = 3,	/**< a session's user name */
};

/**
 * One decoded message. @c body points into the parsed packet (NAMES and
 * BLOCK are read from it); the other types' fields are decoded.
 */
struct tt_me_msg {
	uint8_t type;			/**< enum tt_me_type */
	const uint8_t *body;
	size_t len;
	union {
		struct { uint64_t since_ns, until_ns; } records;
		struct { uint64_t duration_ns; } pause;
		struct { uint8_t more; uint64_t next_ns, records; } end;
		struct { uint32_t uid; uint64_t paused_until_ns, pause_max_ns; } status;
		struct { int32_t code; char text[TT_ME_ERROR_TEXT_MAX + 1]; } error;
	} u;
};

/**
 * One entry of a NAMES message: @c str points to @c clean, the entry's
 * bytes cleaned (see @ref mp_strings), @c len bytes, not NUL-terminated.
 */
struct tt_me_name {
	uint8_t table;			/**< enum tt_me_table */
	uint32_t id;
	const char *str;
	size_t len;
	char clean[TT_ME_NAME_MAX];
};

/**
 * Parse one packet. Pure; reads at most @p len bytes.
 *
 * @return 0, or -EBADMSG (bad magic, unknown type, a body of the wrong
 *	size for its type, a NAMES entry running past the end or longer than
 *	#TT_ME_NAME_MAX, a bad table or an id of 0), -EPROTONOSUPPORT
 *	(another version).
 */
int
tt_me_parse(const void *buf, size_t len, struct tt_me_msg *msg);

/**
 * Encode @p msg (its type and the fields for that type; for NAMES and
 * BLOCK, @c body and @c len) into @p buf.
 *
 * @return the packet length, -ENOSPC when @p size is too small, -EINVAL
 *	for an unknown type.
 */
int
tt_me_encode(const struct tt_me_msg *msg, uint8_t *buf, size_t size);

/**
 * Read the next entry of a NAMES body: @p *off starts at 0.
 * @return 1 an entry, 0 the end, -EBADMSG a malformed entry.
 */
int
tt_me_names_next(const struct tt_me_msg *msg, size_t *off, struct tt_me_name *out);

/**
 * Append an entry to a NAMES body being built in @p body (capacity
 * @p cap, @p *len used so far).
 * @return 0, or -ENOSPC (nothing appended).
 */
int
tt_me_names_add(uint8_t *body, size_t cap, size_t *len, uint8_t table, uint32_t id,
		const char *str, size_t slen);

/**
 * The socket path: @p override if not NULL, else $TASKTRACE_ME_SOCKET if
 * set, else #TT_ME_SOCKET_NAME in the directory of @p collector_socket.
 * @return 0 or -ENAMETOOLONG.
 */
int
tt_me_socket_path(const char *override, const char *collector_socket, char *buf,
		  size_t size);

/** The name of a message type ("RECORDS", …), "?" when unknown. */
const char *
tt_me_type_name(int type);

#endif /* TASKTRACE_ME_PROTO_H */
