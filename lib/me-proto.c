/*
 * tasktrace — the "me" protocol (include/tasktrace/me-proto.h).
 *
 * Copyright © 2026 the tasktrace authors
 * SPDX-License-Identifier: MIT
 */

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "tasktrace/me-proto.h"

static uint64_t
get_le(const uint8_t *p, unsigned n)
{
	uint64_t v = 0;

	for (unsigned i = 0; i < n; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

static void
put_le(uint8_t *p, uint64_t v, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/* The fixed body size of a type; -1 for variable (NAMES, BLOCK, ERROR),
 * -2 for an unknown type. */
static int
body_size(int type)
{
	switch (type) {
	case TT_ME_REQ_RECORDS: return 16;
	case TT_ME_REQ_PAUSE: return 8;
	case TT_ME_REQ_RESUME:
	case TT_ME_REQ_STATUS: return 0;
	case TT_ME_END: return 17;
	case TT_ME_STATUS: return 20;
	case TT_ME_NAMES:
	case TT_ME_BLOCK:
	case TT_ME_ERROR: return -1;
	default: return -2;
	}
}

const char *
tt_me_type_name(int type)
{
	switch (type) {
	case TT_ME_REQ_RECORDS: return "RECORDS";
	case TT_ME_REQ_PAUSE: return "PAUSE";
	case TT_ME_REQ_RESUME: return "RESUME";
	case TT_ME_REQ_STATUS: return "STATUS?";
	case TT_ME_NAMES: return "NAMES";
	case TT_ME_BLOCK: return "BLOCK";
	case TT_ME_END: return "END";
	case TT_ME_STATUS: return "STATUS";
	case TT_ME_ERROR: return "ERROR";
	default: return "?";
	}
}

/*
 * The length of the UTF-8 sequence at @p (at most @avail bytes) and its
 * code point; 0 when it is not one (a stray or cut byte, an overlong
 * form, a surrogate, past U+10FFFF).
 */
static size_t
utf8_next(const unsigned char *p, size_t avail, uint32_t *cp)
{
	size_t n;
	uint32_t c, min;

	if (p[0] < 0x80) {
		*cp = p[0];
		return 1;
	}
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		n = 2, c = p[0] & 0x1f, min = 0x80;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		n = 3, c = p[0] & 0x0f, min = 0x800;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		n = 4, c = p[0] & 0x07, min = 0x10000;
	else
		return 0;
	if (n > avail)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (p[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return n;
}

/* What a terminal or a bidi-aware renderer would act on, not show. */
static bool
is_control(uint32_t c)
{
	return c < 0x20 || (c >= 0x7f && c <= 0x9f) ||	/* C0, DEL, C1 */
	       c == 0x061c || c == 0x200e || c == 0x200f ||	/* ALM, LRM, RLM */
	       (c >= 0x202a && c <= 0x202e) ||		/* LRE … RLO */
	       (c >= 0x2066 && c <= 0x2069);		/* LRI … PDI */
}

/*
 * Copy @n bytes of @src into @dst (room for @n bytes), each control
 * character (C0, DEL, C1, the bidi controls) and each byte that is not
 * part of valid UTF-8 replaced by '?'. The result is valid UTF-8, never
 * longer than the source; its length is returned. With @keep_tab a TAB
 * stays: it separates the parts of an element string (element.h) and
 * drives nothing in a terminal.
 */
static size_t
clean_copy(char *dst, const char *src, size_t n, bool keep_tab)
{
	const unsigned char *p = (const unsigned char *)src;
	size_t i = 0, o = 0;

	while (i < n) {
		uint32_t c;
		size_t len = utf8_next(p + i, n - i, &c);

		if (len == 0 || (is_control(c) && !(keep_tab && c == '\t'))) {
			dst[o++] = '?';
			i += len ? len : 1;
			continue;
		}
		memcpy(dst + o, p + i, len);
		o += len;
		i += len;
	}
	return o;
}

int
tt_me_names_next(const struct tt_me_msg *msg, size_t *off, struct tt_me_name *out)
{
	const uint8_t *p = msg->body + *off;
	size_t left = msg->len - *off;
	size_t n;

	if (left == 0)
		return 0;
	if (left < 7)
		return -EBADMSG;
	n = (size_t)get_le(p + 5, 2);
	if (n > left - 7 || n > TT_ME_NAME_MAX)
		return -EBADMSG;
	out->table = p[0];
	out->id = (uint32_t)get_le(p + 1, 4);
	/* the peer's bytes, cleaned where they are parsed */
	out->len = clean_copy(out->clean, (const char *)p + 7, n, true);
	out->str = out->clean;
	if (out->table < TT_ME_TABLE_STRING || out->table > TT_ME_TABLE_SESSION ||
	    out->id == 0)
		return -EBADMSG;
	*off += 7 + n;
	return 1;
}

int
tt_me_names_add(uint8_t *body, size_t cap, size_t *len, uint8_t table, uint32_t id,
		const char *str, size_t slen)
{
	if (slen > UINT16_MAX || *len > cap || cap - *len < 7 + slen)
		return -ENOSPC;
	body[*len] = table;
	put_le(body + *len + 1, id, 4);
	put_le(body + *len + 5, slen, 2);
	memcpy(body + *len + 7, str, slen);
	*len += 7 + slen;
	return 0;
}

int
tt_me_parse(const void *buf, size_t len, struct tt_me_msg *msg)
{
	const uint8_t *p = buf;
	size_t blen;
	int want;

	memset(msg, 0, sizeof(*msg));
	if (len < TT_ME_HEADER_SIZE || len > TT_ME_MSG_MAX || p[0] != 'T' || p[1] != 'M')
		return -EBADMSG;
	if (p[2] != TT_ME_PROTO_VERSION)
		return -EPROTONOSUPPORT;
	blen = (size_t)get_le(p + 4, 4);
	want = body_size(p[3]);
	if (want == -2 || blen != len - TT_ME_HEADER_SIZE || (want >= 0 && blen != (size_t)want))
		return -EBADMSG;
	msg->type = p[3];
	msg->body = p + TT_ME_HEADER_SIZE;
	msg->len = blen;
	p = msg->body;
	switch (msg->type) {
	case TT_ME_REQ_RECORDS:
		msg->u.records.since_ns = get_le(p, 8);
		msg->u.records.until_ns = get_le(p + 8, 8);
		break;
	case TT_ME_REQ_PAUSE:
		msg->u.pause.duration_ns = get_le(p, 8);
		break;
	case TT_ME_END:
		if (p[0] > 1)
			goto bad;
		msg->u.end.more = p[0];
		msg->u.end.next_ns = get_le(p + 1, 8);
		msg->u.end.records = get_le(p + 9, 8);
		break;
	case TT_ME_STATUS:
		msg->u.status.uid = (uint32_t)get_le(p, 4);
		msg->u.status.paused_until_ns = get_le(p + 4, 8);
		msg->u.status.pause_max_ns = get_le(p + 12, 8);
		break;
	case TT_ME_ERROR: {
		size_t n = blen - 4;

		if (blen < 4)
			goto bad;
		msg->u.error.code = (int32_t)(uint32_t)get_le(p, 4);
		if (n > TT_ME_ERROR_TEXT_MAX)
			n = TT_ME_ERROR_TEXT_MAX;
		/* a message for a terminal: no control characters */
		msg->u.error.text[clean_copy(msg->u.error.text, (const char *)p + 4, n, false)] = '\0';
		break;
	}
	case TT_ME_NAMES: {
		struct tt_me_name nm;
		size_t off = 0;
		int rc;

		while ((rc = tt_me_names_next(msg, &off, &nm)) == 1)
			;
		if (rc < 0)
			goto bad;
		break;
	}
	default:
		break;
	}
	return 0;
bad:
	memset(msg, 0, sizeof(*msg));
	return -EBADMSG;
}

int
tt_me_encode(const struct tt_me_msg *msg, uint8_t *buf, size_t size)
{
	int want = body_size(msg->type);
	size_t blen;
	uint8_t *p;

	if (want == -2)
		return -EINVAL;
	if (msg->type == TT_ME_ERROR)
		blen = 4 + strnlen(msg->u.error.text, TT_ME_ERROR_TEXT_MAX);
	else
		blen = want >= 0 ? (size_t)want : msg->len;
	if (blen > TT_ME_MSG_MAX - TT_ME_HEADER_SIZE || size < TT_ME_HEADER_SIZE + blen)
		return -ENOSPC;
	buf[0] = 'T';
	buf[1] = 'M';
	buf[2] = TT_ME_PROTO_VERSION;
	buf[3] = msg->type;
	put_le(buf + 4, blen, 4);
	p = buf + TT_ME_HEADER_SIZE;
	switch (msg->type) {
	case TT_ME_REQ_RECORDS:
		put_le(p, msg->u.records.since_ns, 8);
		put_le(p + 8, msg->u.records.until_ns, 8);
		break;
	case TT_ME_REQ_PAUSE:
		put_le(p, msg->u.pause.duration_ns, 8);
		break;
	case TT_ME_END:
		p[0] = msg->u.end.more ? 1 : 0;
		put_le(p + 1, msg->u.end.next_ns, 8);
		put_le(p + 9, msg->u.end.records, 8);
		break;
	case TT_ME_STATUS:
		put_le(p, msg->u.status.uid, 4);
		put_le(p + 4, msg->u.status.paused_until_ns, 8);
		put_le(p + 12, msg->u.status.pause_max_ns, 8);
		break;
	case TT_ME_ERROR:
		put_le(p, (uint32_t)msg->u.error.code, 4);
		memcpy(p + 4, msg->u.error.text, blen - 4);
		break;
	case TT_ME_NAMES:
	case TT_ME_BLOCK:
		if (blen)
			memcpy(p, msg->body, blen);
		break;
	default:
		break;
	}
	return (int)(TT_ME_HEADER_SIZE + blen);
}

int
tt_me_socket_path(const char *override, const char *collector_socket, char *buf,
		  size_t size)
{
	const char *env = getenv(TT_ME_SOCKET_ENV);
	const char *slash;
	int n;

	if (override)
		n = snprintf(buf, size, "%s", override);
	else if (env && *env)
		n = snprintf(buf, size, "%s", env);
	else if ((slash = strrchr(collector_socket, '/')))
		n = snprintf(buf, size, "%.*s/%s", (int)(slash - collector_socket),
			     collector_socket, TT_ME_SOCKET_NAME);
	else
		n = snprintf(buf, size, "%s", TT_ME_SOCKET_NAME);
	return n < 0 || (size_t)n >= size ? -ENAMETOOLONG : 0;
}
