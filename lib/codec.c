/* SPDX-License-Identifier: MIT */
/*
 * The block codec (format in codec.h).
 *
 * Payloads are described by a table of fields per kind, so that the
 * encoder and the decoder cannot disagree on a kind's layout and a new
 * field is one line here.
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>

#include "tasktrace/codec.h"

struct field {
	uint16_t off;
	uint8_t size;	/* 1, 2 or 4 */
	uint8_t is_signed;
	uint8_t since;	/* first block version holding it; 0 = version 1 */
};

#define F(member, sgn) \
	{ offsetof(struct tt_record, member), \
	  sizeof(((struct tt_record *)0)->member), sgn, 0 }
/* A field added in block version @v: older blocks leave it 0. New
 * fields go at the end of their kind's table. */
#define FV(member, v) \
	{ offsetof(struct tt_record, member), \
	  sizeof(((struct tt_record *)0)->member), 0, v }

static const struct field f_typing[] = {
	F(u.typing.count[0], 0), F(u.typing.count[1], 0),
	F(u.typing.count[2], 0), F(u.typing.count[3], 0),
	F(u.typing.count[4], 0), F(u.typing.count[5], 0),
	F(u.typing.count[6], 0), F(u.typing.count[7], 0),
	F(u.typing.end, 0),
	FV(u.typing.under, 2), FV(u.typing.round, 2),
};
static const struct field f_key[] = {
	F(u.key.name, 0), F(u.key.code, 0), F(u.key.mods, 0),
};
static const struct field f_button[] = {
	F(u.button.button, 0), F(u.button.clicks, 0), F(u.button.mods, 0),
};
static const struct field f_scroll[] = {
	F(u.scroll.v120, 1), F(u.scroll.events, 0),
	F(u.scroll.axis, 0), F(u.scroll.source, 0),
};
static const struct field f_motion[] = {
	F(u.motion.distance, 0), F(u.motion.events, 0),
};
static const struct field f_touch[] = {
	F(u.touch.distance, 0), F(u.touch.events, 0), F(u.touch.fingers, 0),
};
static const struct field f_gesture[] = {
	F(u.gesture.scale, 1), F(u.gesture.type, 0),
	F(u.gesture.fingers, 0), F(u.gesture.cancelled, 0),
};
static const struct field f_tablet[] = {
	F(u.tablet.distance, 0), F(u.tablet.tool, 0), F(u.tablet.event, 0),
};
static const struct field f_focus[] = {
	F(u.focus.exe, 0), F(u.focus.backend, 0),
	F(u.focus.pid, 0), F(u.focus.flags, 0),
};
static const struct field f_session[] = { F(u.session.end, 0) };
static const struct field f_device[] = { F(u.device.removed, 0) };
static const struct field f_gap[] = { F(u.gap.lost, 0), F(u.gap.reason, 0) };

#undef F
#undef FV

struct layout {
	const struct field *fields;
	unsigned n;
};

#define L(a) { a, sizeof(a) / sizeof(a[0]) }
static const struct layout layouts[TT_KIND_MAX + 1] = {
	[TT_KIND_TYPING] = L(f_typing),	  [TT_KIND_KEY] = L(f_key),
	[TT_KIND_BUTTON] = L(f_button),	  [TT_KIND_SCROLL] = L(f_scroll),
	[TT_KIND_MOTION] = L(f_motion),	  [TT_KIND_TOUCH] = L(f_touch),
	[TT_KIND_GESTURE] = L(f_gesture), [TT_KIND_TABLET] = L(f_tablet),
	[TT_KIND_FOCUS] = L(f_focus),	  [TT_KIND_SESSION] = L(f_session),
	[TT_KIND_DEVICE] = L(f_device),	  [TT_KIND_GAP] = L(f_gap),
	/* idle, active, lock, unlock: no payload */
};
#undef L

#define HEAD_KIND 0x1f
#define HEAD_SEQ_NEXT 0x20
#define HEAD_CTX 0x40
#define HEAD_DUR 0x80

enum {
	CTX_SESSION = 1, CTX_UID = 2, CTX_DEVICE = 4, CTX_APP = 8, CTX_TITLE = 16,
	CTX_ELEMENT = 32,	/* block version 3 */
};
#define CTX_ALL_V2 0x1f
#define CTX_ALL 0x3f

#define FLAG_MICRO 0x01

static void
ctx_reset(struct tt_record *prev)
{
	memset(prev, 0, sizeof(*prev));
	prev->uid = TT_UID_NONE;
}

int
tt_record_cmp(const struct tt_record *a, const struct tt_record *b)
{
	if (a->time_ns != b->time_ns)
		return a->time_ns < b->time_ns ? -1 : 1;
	if (a->seq != b->seq)
		return a->seq < b->seq ? -1 : 1;
	return 0;
}

/* --- encoder -------------------------------------------------------------- */

static uint8_t *
put_varint(uint8_t *p, uint64_t v)
{
	while (v >= 0x80) {
		*p++ = (uint8_t)(v | 0x80);
		v >>= 7;
	}
	*p++ = (uint8_t)v;
	return p;
}

static uint64_t
field_get(const struct tt_record *r, const struct field *f)
{
	const uint8_t *base = (const uint8_t *)r + f->off;
	uint8_t u8;
	uint16_t u16;
	uint32_t u32;

	switch (f->size) {
	case 1:
		memcpy(&u8, base, 1);
		return u8;
	case 2:
		memcpy(&u16, base, 2);
		return u16;
	default:
		memcpy(&u32, base, 4);
		if (f->is_signed)	/* zigzag: small magnitudes, small codes */
			return (uint32_t)(u32 << 1) ^ (uint32_t)-(u32 >> 31);
		return u32;
	}
}

static bool
micro_ok(const struct tt_record *r)
{
	return r->time_ns % 1000 == 0 && r->dur_ns % 1000 == 0;
}

/* Encode @r after @prev into @out (at least TT_RECORD_MAX_BYTES long). */
static size_t
encode_one(uint8_t *out, const struct tt_record *prev, const struct tt_record *r,
	   bool first, bool micro)
{
	uint64_t div = micro ? 1000 : 1;
	uint8_t *p = out + 1;
	uint8_t head = r->kind;
	uint8_t ctx = 0;

	p = put_varint(p, first ? r->time_ns / div
				: (r->time_ns - prev->time_ns) / div);
	/* (the decoder refuses "next" after UINT64_MAX: no wrap-around) */
	if (prev->seq != UINT64_MAX && r->seq == prev->seq + 1)
		head |= HEAD_SEQ_NEXT;
	else
		p = put_varint(p, r->seq);

	if (r->session != prev->session) ctx |= CTX_SESSION;
	if (r->uid != prev->uid) ctx |= CTX_UID;
	if (r->device != prev->device) ctx |= CTX_DEVICE;
	if (r->app != prev->app) ctx |= CTX_APP;
	if (r->title != prev->title) ctx |= CTX_TITLE;
	if (r->element != prev->element) ctx |= CTX_ELEMENT;
	if (ctx) {
		head |= HEAD_CTX;
		*p++ = ctx;
		if (ctx & CTX_SESSION) p = put_varint(p, r->session);
		if (ctx & CTX_UID) p = put_varint(p, r->uid);
		if (ctx & CTX_DEVICE) p = put_varint(p, r->device);
		if (ctx & CTX_APP) p = put_varint(p, r->app);
		if (ctx & CTX_TITLE) p = put_varint(p, r->title);
		if (ctx & CTX_ELEMENT) p = put_varint(p, r->element);
	}
	if (r->dur_ns) {
		head |= HEAD_DUR;
		p = put_varint(p, r->dur_ns / div);
	}

	const struct layout *l = &layouts[r->kind];
	for (unsigned i = 0; i < l->n; i++)
		p = put_varint(p, field_get(r, &l->fields[i]));

	out[0] = head;
	return (size_t)(p - out);
}

static void
put_count(struct tt_block_enc *enc)
{
	enc->buf[2] = (uint8_t)(enc->count & 0xff);
	enc->buf[3] = (uint8_t)(enc->count >> 8);
}

void
tt_block_enc_init(struct tt_block_enc *enc)
{
	enc->len = TT_BLOCK_HEADER;
	enc->count = 0;
	enc->micro = true;
	enc->buf[0] = TT_BLOCK_VERSION;
	enc->buf[1] = FLAG_MICRO;
	put_count(enc);
	ctx_reset(&enc->prev);
}

bool
tt_block_enc_full(const struct tt_block_enc *enc)
{
	return enc->len + TT_RECORD_MAX_BYTES > TT_BLOCK_MAX_BYTES ||
	       enc->count >= TT_BLOCK_MAX_RECORDS;
}

/* Re-encode the block's records in nanoseconds: a record that is not in
 * whole microseconds arrived. Rare (the kernel's evdev times are µs). */
static void
reencode_nano(struct tt_block_enc *enc)
{
	struct tt_block_dec dec;
	struct tt_record prev, r;
	uint8_t tmp[TT_BLOCK_MAX_BYTES];
	size_t len = TT_BLOCK_HEADER;
	bool first = true;

	ctx_reset(&prev);
	/* An empty block has nothing to re-encode (and its header, count 0,
	 * is not one the decoder accepts): only switch units. */
	if (enc->count == 0) {
		enc->micro = false;
		enc->buf[1] = 0;
		return;
	}
	tt_block_dec_init(&dec, enc->buf, enc->len);
	while (tt_block_dec_next(&dec, &r) == 1) {
		len += encode_one(tmp + len, &prev, &r, first, false);
		prev = r;
		first = false;
	}
	memcpy(enc->buf + TT_BLOCK_HEADER, tmp + TT_BLOCK_HEADER,
	       len - TT_BLOCK_HEADER);
	enc->len = len;
	enc->micro = false;
	enc->buf[1] = 0;
}

int
tt_block_enc_add(struct tt_block_enc *enc, const struct tt_record *r)
{
	uint8_t tmp[TT_RECORD_MAX_BYTES];
	size_t n;

	if (!tt_record_valid(r))
		return -EINVAL;
	if (enc->count > 0 && tt_record_cmp(r, &enc->prev) < 0)
		return TT_ECODEC_ORDER;
	if (tt_block_enc_full(enc))
		return -ENOSPC;
	if (enc->micro && !micro_ok(r)) {
		/* Nanoseconds make every record longer: check there is room. */
		if (enc->len + enc->count * 4 + TT_RECORD_MAX_BYTES > TT_BLOCK_MAX_BYTES)
			return -ENOSPC;
		reencode_nano(enc);
	}

	n = encode_one(tmp, &enc->prev, r, enc->count == 0, enc->micro);
	memcpy(enc->buf + enc->len, tmp, n);
	enc->len += n;
	enc->count++;
	put_count(enc);
	enc->prev = *r;
	return 0;
}

int
tt_block_encode(struct tt_block_enc *enc, const struct tt_record *recs, size_t n)
{
	tt_block_enc_init(enc);
	for (size_t i = 0; i < n; i++) {
		int rc = tt_block_enc_add(enc, &recs[i]);
		if (rc)
			return rc;
	}
	return 0;
}

/* --- decoder -------------------------------------------------------------- */

static int
get_varint_slow(struct tt_block_dec *dec, uint64_t *out)
{
	uint64_t v = 0;

	for (unsigned shift = 0; shift < 64; shift += 7) {
		if (dec->p >= dec->end)
			return TT_ECODEC_TRUNCATED;
		uint8_t b = *dec->p++;
		/* The tenth byte may only carry the top bit of a u64. */
		if (shift == 63 && b > 1)
			return TT_ECODEC_INVALID;
		v |= (uint64_t)(b & 0x7f) << shift;
		if (!(b & 0x80)) {
			*out = v;
			return 0;
		}
	}
	return TT_ECODEC_INVALID;
}

/* Most values fit one or two bytes: decode those inline. */
static inline __attribute__((always_inline)) int
get_varint(struct tt_block_dec *dec, uint64_t *out)
{
	const uint8_t *p = dec->p;

	if (dec->end - p >= 2) {
		if (p[0] < 0x80) {
			*out = p[0];
			dec->p = p + 1;
			return 0;
		}
		if (p[1] < 0x80) {
			*out = (uint64_t)(p[0] & 0x7f) | (uint64_t)p[1] << 7;
			dec->p = p + 2;
			return 0;
		}
	}
	return get_varint_slow(dec, out);
}

static int
get_u32(struct tt_block_dec *dec, uint32_t *out)
{
	uint64_t v;
	int rc = get_varint(dec, &v);

	if (rc)
		return rc;
	if (v > UINT32_MAX)
		return TT_ECODEC_INVALID;
	*out = (uint32_t)v;
	return 0;
}

static int
field_set(struct tt_record *r, const struct field *f, uint64_t v)
{
	uint8_t *base = (uint8_t *)r + f->off;

	if (f->is_signed) {
		if (v > UINT32_MAX)
			return TT_ECODEC_INVALID;
		int32_t s = (int32_t)((uint32_t)(v >> 1) ^ -(uint32_t)(v & 1));
		memcpy(base, &s, 4);
		return 0;
	}
	if (f->size < 8 && v >> (8 * f->size))
		return TT_ECODEC_INVALID;
	switch (f->size) {
	case 1: { uint8_t x = (uint8_t)v; memcpy(base, &x, 1); break; }
	case 2: { uint16_t x = (uint16_t)v; memcpy(base, &x, 2); break; }
	default: { uint32_t x = (uint32_t)v; memcpy(base, &x, 4); break; }
	}
	return 0;
}

int
tt_block_dec_init(struct tt_block_dec *dec, const void *buf, size_t len)
{
	const uint8_t *b = buf;

	if (len < TT_BLOCK_HEADER)
		return TT_ECODEC_TRUNCATED;
	if (b[0] < TT_BLOCK_VERSION_MIN || b[0] > TT_BLOCK_VERSION ||
	    (b[1] & ~FLAG_MICRO))
		return TT_ECODEC_VERSION;
	dec->version = b[0];
	dec->micro = b[1] & FLAG_MICRO;
	dec->count = (unsigned)b[2] | (unsigned)b[3] << 8;
	if (dec->count == 0)
		return TT_ECODEC_INVALID;
	dec->left = dec->count;
	dec->p = b + TT_BLOCK_HEADER;
	dec->end = b + len;
	ctx_reset(&dec->prev);
	return 0;
}

static int
scaled(struct tt_block_dec *dec, uint64_t v, uint64_t *out)
{
	if (dec->micro) {
		if (v > UINT64_MAX / 1000)
			return TT_ECODEC_INVALID;
		v *= 1000;
	}
	*out = v;
	return 0;
}

int
tt_block_dec_next(struct tt_block_dec *dec, struct tt_record *r)
{
	const struct tt_record *prev = &dec->prev;
	bool first = dec->left == dec->count;
	uint64_t v;
	uint8_t head, ctx = 0;
	int rc;

	if (dec->left == 0)
		return dec->p == dec->end ? 0 : TT_ECODEC_TRAILING;
	if (dec->p >= dec->end)
		return TT_ECODEC_TRUNCATED;

	head = *dec->p++;
	memset(r, 0, sizeof(*r));
	r->kind = head & HEAD_KIND;
	if (r->kind < TT_KIND_MIN || r->kind > TT_KIND_MAX)
		return TT_ECODEC_INVALID;

	if ((rc = get_varint(dec, &v)) || (rc = scaled(dec, v, &v)))
		return rc;
	if (first) {
		r->time_ns = v;
	} else {
		if (v > UINT64_MAX - prev->time_ns)
			return TT_ECODEC_INVALID;
		r->time_ns = prev->time_ns + v;
	}

	if (head & HEAD_SEQ_NEXT) {
		if (prev->seq == UINT64_MAX)
			return TT_ECODEC_INVALID;
		r->seq = prev->seq + 1;
	} else if ((rc = get_varint(dec, &r->seq))) {
		return rc;
	}

	r->session = prev->session;
	r->uid = prev->uid;
	r->device = prev->device;
	r->app = prev->app;
	r->title = prev->title;
	r->element = prev->element;
	if (head & HEAD_CTX) {
		if (dec->p >= dec->end)
			return TT_ECODEC_TRUNCATED;
		ctx = *dec->p++;
		if (ctx == 0 || (ctx & ~(dec->version >= 3 ? CTX_ALL : CTX_ALL_V2)))
			return TT_ECODEC_INVALID;
		if ((ctx & CTX_SESSION) && (rc = get_u32(dec, &r->session)))
			return rc;
		if ((ctx & CTX_UID) && (rc = get_u32(dec, &r->uid)))
			return rc;
		if ((ctx & CTX_DEVICE) && (rc = get_u32(dec, &r->device)))
			return rc;
		if ((ctx & CTX_APP) && (rc = get_u32(dec, &r->app)))
			return rc;
		if ((ctx & CTX_TITLE) && (rc = get_u32(dec, &r->title)))
			return rc;
		if ((ctx & CTX_ELEMENT) && (rc = get_u32(dec, &r->element)))
			return rc;
	}
	if (head & HEAD_DUR) {
		if ((rc = get_varint(dec, &v)) || (rc = scaled(dec, v, &r->dur_ns)))
			return rc;
		if (r->dur_ns == 0)
			return TT_ECODEC_INVALID;
	}

	const struct layout *l = &layouts[r->kind];
	for (unsigned i = 0; i < l->n; i++) {
		if (l->fields[i].since > dec->version)
			break;	/* an older block: the field is 0 */
		if ((rc = get_varint(dec, &v)) || (rc = field_set(r, &l->fields[i], v)))
			return rc;
	}

	if (!tt_record_valid(r))
		return TT_ECODEC_INVALID;
	/* hidden bursts came with version 3: a version 2 writer never made
	 * one, so in an older block it is damage */
	if (dec->version < 3 && tt_record_burst_hidden(r))
		return TT_ECODEC_INVALID;
	if (!first && tt_record_cmp(r, prev) < 0)
		return TT_ECODEC_ORDER;

	dec->prev = *r;
	dec->left--;
	return 1;
}
