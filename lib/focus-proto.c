/*
 * tasktrace — focus protocol codec (see include/tasktrace/focus-proto.h).
 *
 * Copyright © 2026 the tasktrace authors
 * SPDX-License-Identifier: MIT
 */

#include <errno.h>
#include <string.h>

#include "tasktrace/focus-proto.h"
#include "tasktrace/utf8.h"

#define FIELD_HEADER_SIZE 3

/* Which tags each message type allows and requires; the table is the
 * normative copy of the one in the header. */
struct type_rule {
	uint32_t allowed;
	uint32_t required;
};

#define HAS TT_FOCUS_HAS
static const struct type_rule rules[] = {
	[TT_FOCUS_HELLO] = {
		.allowed = HAS(TT_FOCUS_TAG_TIME) |
			   HAS(TT_FOCUS_TAG_COLLECTOR_VERSION) |
			   HAS(TT_FOCUS_TAG_BACKEND) |
			   HAS(TT_FOCUS_TAG_SESSION_ID),
		.required = HAS(TT_FOCUS_TAG_COLLECTOR_VERSION) |
			    HAS(TT_FOCUS_TAG_BACKEND),
	},
	[TT_FOCUS_FOCUS] = {
		.allowed = HAS(TT_FOCUS_TAG_TIME) |
			   HAS(TT_FOCUS_TAG_BACKEND) |
			   HAS(TT_FOCUS_TAG_WINDOW_ID) |
			   HAS(TT_FOCUS_TAG_APP_ID) |
			   HAS(TT_FOCUS_TAG_TITLE) |
			   HAS(TT_FOCUS_TAG_PID),
		.required = HAS(TT_FOCUS_TAG_BACKEND) |
			    HAS(TT_FOCUS_TAG_WINDOW_ID),
	},
	[TT_FOCUS_TITLE] = {
		.allowed = HAS(TT_FOCUS_TAG_TIME) |
			   HAS(TT_FOCUS_TAG_WINDOW_ID) |
			   HAS(TT_FOCUS_TAG_TITLE),
		.required = HAS(TT_FOCUS_TAG_WINDOW_ID) |
			    HAS(TT_FOCUS_TAG_TITLE),
	},
	[TT_FOCUS_BYE] = {
		.allowed = HAS(TT_FOCUS_TAG_TIME),
		.required = 0,
	},
	[TT_FOCUS_ELEMENT] = {
		.allowed = HAS(TT_FOCUS_TAG_TIME) |
			   HAS(TT_FOCUS_TAG_WINDOW_ID) |
			   HAS(TT_FOCUS_TAG_APP_ID) |
			   HAS(TT_FOCUS_TAG_PID) |
			   HAS(TT_FOCUS_TAG_ROLE) |
			   HAS(TT_FOCUS_TAG_NAME) |
			   HAS(TT_FOCUS_TAG_ELEMENT_FLAGS) |
			   HAS(TT_FOCUS_TAG_URL),
		.required = HAS(TT_FOCUS_TAG_ROLE),
	},
	[TT_FOCUS_WELCOME] = {
		.allowed = HAS(TT_FOCUS_TAG_TIME) |
			   HAS(TT_FOCUS_TAG_TYPES),
		.required = HAS(TT_FOCUS_TAG_TYPES),
	},
};
#undef HAS

static bool
type_known(int type)
{
	return type >= TT_FOCUS_HELLO && type <= TT_FOCUS_TYPE_MAX;
}

/* Where a string tag lives in the struct; NULL for non-string tags. */
static char *
string_member(struct tt_focus_msg *msg, int tag, size_t *size)
{
	switch (tag) {
	case TT_FOCUS_TAG_COLLECTOR_VERSION:
		*size = sizeof(msg->collector_version);
		return msg->collector_version;
	case TT_FOCUS_TAG_BACKEND:
		*size = sizeof(msg->backend);
		return msg->backend;
	case TT_FOCUS_TAG_SESSION_ID:
		*size = sizeof(msg->session_id);
		return msg->session_id;
	case TT_FOCUS_TAG_APP_ID:
		*size = sizeof(msg->app_id);
		return msg->app_id;
	case TT_FOCUS_TAG_TITLE:
		*size = sizeof(msg->title);
		return msg->title;
	case TT_FOCUS_TAG_ROLE:
		*size = sizeof(msg->role);
		return msg->role;
	case TT_FOCUS_TAG_NAME:
		*size = sizeof(msg->name);
		return msg->name;
	case TT_FOCUS_TAG_URL:
		*size = sizeof(msg->url);
		return msg->url;
	default:
		return NULL;
	}
}

/* Byte size of an integer tag, 0 for others. */
static size_t
int_size(int tag)
{
	switch (tag) {
	case TT_FOCUS_TAG_TIME:
	case TT_FOCUS_TAG_WINDOW_ID:
		return 8;
	case TT_FOCUS_TAG_PID:
	case TT_FOCUS_TAG_ELEMENT_FLAGS:
	case TT_FOCUS_TAG_TYPES:
		return 4;
	default:
		return 0;
	}
}

static uint64_t *
u64_member(struct tt_focus_msg *msg, int tag)
{
	return tag == TT_FOCUS_TAG_TIME ? &msg->time_ns : &msg->window_id;
}

/* The 32-bit integer member of a tag of size 4. */
static uint32_t *
u32_member(struct tt_focus_msg *msg, int tag)
{
	switch (tag) {
	case TT_FOCUS_TAG_ELEMENT_FLAGS:
		return &msg->element_flags;
	case TT_FOCUS_TAG_TYPES:
		return &msg->types;
	default:
		return &msg->pid;
	}
}

/* The element parts lose their control characters too (element.h). */
static size_t
fix_string(int tag, char *dst, size_t size, const char *src, size_t len)
{
	if (tag == TT_FOCUS_TAG_ROLE || tag == TT_FOCUS_TAG_NAME ||
	    tag == TT_FOCUS_TAG_URL)
		return tt_utf8_clean(dst, size, src, len);
	return tt_utf8_repair(dst, size, src, len);
}

/* --- building a message --------------------------------------------------- */

void
tt_focus_msg_init(struct tt_focus_msg *msg, enum tt_focus_type type)
{
	memset(msg, 0, sizeof(*msg));
	msg->type = type;
	msg->version = TT_FOCUS_PROTO_VERSION;
}

int
tt_focus_msg_set_string(struct tt_focus_msg *msg, enum tt_focus_tag tag,
			const char *value, size_t len)
{
	size_t size;
	char *dst = string_member(msg, tag, &size);

	if (!dst)
		return -EINVAL;
	fix_string(tag, dst, size, value, len);
	msg->present |= TT_FOCUS_HAS(tag);
	return 0;
}

int
tt_focus_msg_set_int(struct tt_focus_msg *msg, enum tt_focus_tag tag,
		     uint64_t value)
{
	switch (tag) {
	case TT_FOCUS_TAG_PID:
	case TT_FOCUS_TAG_ELEMENT_FLAGS:
	case TT_FOCUS_TAG_TYPES:
		if (value > UINT32_MAX)
			return -ERANGE;
		*u32_member(msg, tag) = (uint32_t)value;
		break;
	case TT_FOCUS_TAG_TIME:
	case TT_FOCUS_TAG_WINDOW_ID:
		*u64_member(msg, tag) = value;
		break;
	default:
		return -EINVAL;
	}
	msg->present |= TT_FOCUS_HAS(tag);
	return 0;
}

/* --- encoding ------------------------------------------------------------- */

static void
put_le(uint8_t *p, uint64_t v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static uint64_t
get_le(const uint8_t *p, size_t n)
{
	uint64_t v = 0;

	for (size_t i = 0; i < n; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

static int
put_field(uint8_t *buf, size_t size, size_t *off, int tag,
	  const void *value, size_t len)
{
	if (size - *off < FIELD_HEADER_SIZE + len)
		return -ENOSPC;
	buf[*off] = (uint8_t)tag;
	put_le(buf + *off + 1, len, 2);
	if (len)
		memcpy(buf + *off + FIELD_HEADER_SIZE, value, len);
	*off += FIELD_HEADER_SIZE + len;
	return 0;
}

int
tt_focus_encode(const struct tt_focus_msg *msg, uint8_t *buf, size_t size)
{
	const struct type_rule *rule;
	struct tt_focus_msg copy;
	size_t off = TT_FOCUS_HEADER_SIZE;
	uint32_t fields;
	int rc;

	if (!type_known(msg->type))
		return -EINVAL;
	rule = &rules[msg->type];
	if ((msg->present & rule->required) != rule->required)
		return -EINVAL;
	if (size < TT_FOCUS_HEADER_SIZE)
		return -ENOSPC;

	/* A const struct filled by hand may hold anything: work on a copy
	 * whose strings are bounded and terminated. */
	copy = *msg;
	fields = copy.present & rule->allowed;

	for (int tag = 0; tag < 32; tag++) {
		uint8_t num[8];
		size_t n, cap;
		char *s;

		if (!(fields & TT_FOCUS_HAS(tag)))
			continue;

		s = string_member(&copy, tag, &cap);
		if (s) {
			char fixed[TT_FOCUS_STRING_MAX + 1];

			n = fix_string(tag, fixed, cap, s, strnlen(s, cap));
			rc = put_field(buf, size, &off, tag, fixed, n);
		} else {
			n = int_size(tag);
			put_le(num, n == 4 ? *u32_member(&copy, tag) :
					     *u64_member(&copy, tag), n);
			rc = put_field(buf, size, &off, tag, num, n);
		}
		if (rc < 0)
			return rc;
	}

	if (off > TT_FOCUS_MSG_MAX)
		return -ENOSPC; /* impossible with the caps above */

	buf[0] = 'T';
	buf[1] = 'F';
	buf[2] = TT_FOCUS_PROTO_VERSION;
	buf[3] = (uint8_t)msg->type;
	put_le(buf + 4, off - TT_FOCUS_HEADER_SIZE, 2);
	put_le(buf + 6, 0, 2);
	return (int)off;
}

/* --- parsing -------------------------------------------------------------- */

int
tt_focus_parse(const void *data, size_t len, struct tt_focus_msg *msg)
{
	const uint8_t *buf = data;
	const struct type_rule *rule;
	size_t off, body;
	uint32_t seen = 0;
	int rc;

	memset(msg, 0, sizeof(*msg));

	if (len < TT_FOCUS_HEADER_SIZE)
		return TT_FOCUS_ESHORT;
	if (len > TT_FOCUS_MSG_MAX)
		return TT_FOCUS_ETOOBIG;
	if (buf[0] != 'T' || buf[1] != 'F')
		return TT_FOCUS_EMAGIC;
	if (buf[2] != TT_FOCUS_PROTO_VERSION)
		return TT_FOCUS_EVERSION;
	if (!type_known(buf[3]))
		return TT_FOCUS_ETYPE;
	body = get_le(buf + 4, 2);
	if (body != len - TT_FOCUS_HEADER_SIZE)
		return TT_FOCUS_ELENGTH;

	rule = &rules[buf[3]];
	msg->type = buf[3];
	msg->version = buf[2];

	off = TT_FOCUS_HEADER_SIZE;
	while (off < len) {
		const uint8_t *value;
		size_t n, cap;
		int tag;
		char *s;

		if (len - off < FIELD_HEADER_SIZE) {
			rc = TT_FOCUS_ETRUNC;
			goto fail;
		}
		tag = buf[off];
		n = get_le(buf + off + 1, 2);
		if (len - off - FIELD_HEADER_SIZE < n) {
			rc = TT_FOCUS_ETRUNC;
			goto fail;
		}
		value = buf + off + FIELD_HEADER_SIZE;
		off += FIELD_HEADER_SIZE + n;

		/* Unknown tags: a later minor revision; skip them. */
		if (tag < TT_FOCUS_TAG_TIME || tag > TT_FOCUS_TAG_MAX)
			continue;
		if (!(rule->allowed & TT_FOCUS_HAS(tag))) {
			rc = TT_FOCUS_EFORBIDDEN;
			goto fail;
		}
		if (seen & TT_FOCUS_HAS(tag)) {
			rc = TT_FOCUS_EDUP;
			goto fail;
		}
		seen |= TT_FOCUS_HAS(tag);

		s = string_member(msg, tag, &cap);
		if (s) {
			/* the one path of every string field: a peer's
			 * text is repaired, then loses its controls (an
			 * element part without a trace: no TAB inside one) */
			fix_string(tag, s, cap, (const char *)value, n);
			tt_utf8_strip_controls(s);
		} else {
			if (n != int_size(tag)) {
				rc = TT_FOCUS_EFIELDSIZE;
				goto fail;
			}
			if (n == 4)
				*u32_member(msg, tag) = (uint32_t)get_le(value, n);
			else
				*u64_member(msg, tag) = get_le(value, n);
		}
	}

	if ((seen & rule->required) != rule->required) {
		rc = TT_FOCUS_EMISSING;
		goto fail;
	}
	msg->present = seen;
	return 0;

fail:
	memset(msg, 0, sizeof(*msg));
	return rc;
}

/* --- names ---------------------------------------------------------------- */

const char *
tt_focus_type_name(int type)
{
	switch (type) {
	case TT_FOCUS_HELLO: return "HELLO";
	case TT_FOCUS_FOCUS: return "FOCUS";
	case TT_FOCUS_TITLE: return "TITLE";
	case TT_FOCUS_BYE: return "BYE";
	case TT_FOCUS_ELEMENT: return "ELEMENT";
	case TT_FOCUS_WELCOME: return "WELCOME";
	default: return "?";
	}
}

const char *
tt_focus_strerror(int err)
{
	switch (err) {
	case 0: return "success";
	case TT_FOCUS_ESHORT: return "packet shorter than the header";
	case TT_FOCUS_ETOOBIG: return "packet larger than the protocol maximum";
	case TT_FOCUS_EMAGIC: return "bad magic";
	case TT_FOCUS_EVERSION: return "unsupported protocol version";
	case TT_FOCUS_ETYPE: return "unknown message type";
	case TT_FOCUS_ELENGTH: return "body length does not match packet size";
	case TT_FOCUS_ETRUNC: return "field runs past the end of the message";
	case TT_FOCUS_EFIELDSIZE: return "integer field of the wrong size";
	case TT_FOCUS_EDUP: return "duplicate field";
	case TT_FOCUS_EFORBIDDEN: return "field not allowed in this message type";
	case TT_FOCUS_EMISSING: return "required field missing";
	default:
		break;
	}
	if (err < 0 && err > -4096)
		return strerror(-err);
	return "unknown error";
}
