/*
 * Copyright © 2026 tasktrace contributors
 * SPDX-License-Identifier: MIT
 *
 * Parser for evemu recordings and `libinput record` YAML files.
 *
 * evemu is line based and parsed here by hand, strictly: every field is
 * range-checked and any surprise is refused with the line it is on,
 * because a silently misread recording makes a system test meaningless.
 * The format follows evemu's README and evemu.c (see
 * tests/data/recordings/SOURCES.md); only the one-file form (description
 * followed by events) is accepted.
 *
 * The YAML layer of `libinput record` files is libyaml (Debian's
 * libyaml-dev, document API); the walk over the document and all value
 * checks are ours. Unknown keys are ignored, as the format asks.
 */
#include "recording.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

/* Long enough for any evemu line (the longest are event lines with their
 * comment, well under 100 characters). */
#define MAX_LINE 1024
#define MAX_TOKENS 10
/* Seconds beyond this (year ~33700) are a corrupt file, and keeping
 * sec * 10^6 + usec far from overflow. */
#define MAX_SECONDS 1000000000000ULL

__attribute__((format(printf, 3, 4)))
static int
fail(struct recording_error *err, unsigned int line, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return -EINVAL;

	err->line = line;
	va_start(ap, fmt);
	vsnprintf(err->reason, sizeof(err->reason), fmt, ap);
	va_end(ap);

	return -EINVAL;
}

int
recording_type_max(unsigned int type)
{
	switch (type) {
	case EV_SYN: return SYN_MAX;
	case EV_KEY: return KEY_MAX;
	case EV_REL: return REL_MAX;
	case EV_ABS: return ABS_MAX;
	case EV_MSC: return MSC_MAX;
	case EV_SW: return SW_MAX;
	case EV_LED: return LED_MAX;
	case EV_SND: return SND_MAX;
	case EV_REP: return REP_MAX;
	case EV_FF: return FF_MAX;
	case EV_FF_STATUS: return FF_STATUS_MAX;
	default: return -1;
	}
}

bool
recording_has_code(const struct recording *rec, unsigned int type,
		   unsigned int code)
{
	int max = recording_type_max(type);

	if (max < 0 || code > (unsigned int)max)
		return false;

	return rec->codes[type][code / 8] & (1 << (code % 8));
}

bool
recording_has_type(const struct recording *rec, unsigned int type)
{
	if (type >= EV_CNT)
		return false;

	for (size_t i = 0; i < RECORDING_MASK_BYTES; i++) {
		if (rec->codes[type][i])
			return true;
	}

	return false;
}

bool
recording_has_prop(const struct recording *rec, unsigned int prop)
{
	if (prop > INPUT_PROP_MAX)
		return false;

	return rec->props[prop / 8] & (1 << (prop % 8));
}

const char *
recording_format_name(enum recording_format format)
{
	switch (format) {
	case RECORDING_EVEMU: return "evemu";
	case RECORDING_LIBINPUT_YAML: return "libinput-record";
	}

	return "unknown";
}

void
recording_free(struct recording *rec)
{
	if (!rec)
		return;

	free(rec->events);
	free(rec);
}

/* --- shared value checks -------------------------------------------------- */

/* Strict unsigned hex: digits only, no 0x, no sign, at most `max`. */
static bool
parse_hex(const char *s, unsigned long max, unsigned long *out)
{
	unsigned long v = 0;

	if (!*s)
		return false;

	for (; *s; s++) {
		int d;

		if (*s >= '0' && *s <= '9')
			d = *s - '0';
		else if (*s >= 'a' && *s <= 'f')
			d = *s - 'a' + 10;
		else if (*s >= 'A' && *s <= 'F')
			d = *s - 'A' + 10;
		else
			return false;

		if (v > (max - d) / 16)
			return false;
		v = v * 16 + d;
	}

	*out = v;
	return true;
}

/* Strict signed decimal in [min, max]. Base 10 even with leading zeros:
 * evemu pads values to four digits ("0431" is 431, not octal). */
static bool
parse_dec(const char *s, size_t len, long long min, long long max,
	  long long *out)
{
	bool neg = false;
	unsigned long long v = 0;
	unsigned long long limit;
	size_t i = 0;

	if (len > 0 && (s[0] == '-' || s[0] == '+')) {
		neg = s[0] == '-';
		i = 1;
	}
	if (i == len)
		return false;

	limit = neg ? (unsigned long long)LLONG_MAX + 1 : (unsigned long long)LLONG_MAX;
	for (; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		if (v > (limit - (s[i] - '0')) / 10)
			return false;
		v = v * 10 + (s[i] - '0');
	}

	if (neg) {
		long long n = v == (unsigned long long)LLONG_MAX + 1 ?
			LLONG_MIN : -(long long)v;
		if (n < min)
			return false;
		*out = n;
	} else {
		if (v > (unsigned long long)max)
			return false;
		*out = (long long)v;
	}

	return true;
}

static int
append_event(struct recording *rec, size_t *cap, uint64_t time_us,
	     unsigned int type, unsigned int code, int32_t value,
	     unsigned int line, struct recording_error *err)
{
	if (rec->nevents >= RECORDING_MAX_EVENTS)
		return fail(err, line, "more than %u events", RECORDING_MAX_EVENTS);

	if (rec->nevents == *cap) {
		size_t ncap = *cap ? *cap * 2 : 256;
		struct recording_event *n = realloc(rec->events, ncap * sizeof(*n));

		if (!n)
			return -ENOMEM;
		rec->events = n;
		*cap = ncap;
	}

	rec->events[rec->nevents++] = (struct recording_event) {
		.time_us = time_us,
		.type = type,
		.code = code,
		.value = value,
		.line = line,
	};

	return 0;
}

static int
check_event_code(unsigned long type, unsigned long code, unsigned int line,
		 struct recording_error *err)
{
	int max = recording_type_max(type);

	if (max < 0)
		return fail(err, line, "unknown event type 0x%lx", type);
	if (code > (unsigned long)max)
		return fail(err, line, "event code 0x%lx beyond the maximum 0x%x of type 0x%lx",
			    code, max, type);

	return 0;
}

/* --- evemu ---------------------------------------------------------------- */

struct evemu_state {
	struct recording *rec;
	size_t cap;
	unsigned int line;
	bool have_name;
	bool have_id;
	bool have_bits;
	size_t prop_bytes;			/* P: bytes read so far */
	size_t mask_bytes[EV_CNT];		/* B: bytes read so far, per type */
};

static size_t
tokenize(char *s, char **tok, size_t max)
{
	size_t n = 0;

	while (*s) {
		while (*s == ' ' || *s == '\t')
			*s++ = '\0';
		if (!*s)
			break;
		if (n == max)
			return max + 1;
		tok[n++] = s;
		while (*s && *s != ' ' && *s != '\t')
			s++;
	}

	return n;
}

/* One P: or B: line: 8 hex bytes continuing `mask` at byte *filled.
 * Bits beyond `maxbit` are refused: the kernel would not know them. */
static int
evemu_mask_line(struct evemu_state *st, unsigned char *mask, size_t *filled,
		int maxbit, char **tok, const char *what,
		struct recording_error *err)
{
	for (size_t i = 0; i < 8; i++) {
		unsigned long byte;

		if (strlen(tok[i]) > 2 || !parse_hex(tok[i], 0xff, &byte))
			return fail(err, st->line, "bad hex byte '%s'", tok[i]);

		for (unsigned int b = 0; b < 8; b++) {
			size_t bit = (*filled + i) * 8 + b;

			if (!(byte & (1u << b)))
				continue;
			if (bit > (size_t)maxbit)
				return fail(err, st->line, "%s bit %zu beyond the maximum 0x%x",
					    what, bit, maxbit);
			mask[bit / 8] |= 1 << (bit % 8);
		}
	}

	*filled += 8;
	return 0;
}

static int
evemu_name(struct evemu_state *st, const char *s, struct recording_error *err)
{
	size_t len;

	if (st->have_name)
		return fail(err, st->line, "second N: line");

	/* The name runs to the end of the line; '#' is part of it. */
	while (*s == ' ' || *s == '\t')
		s++;
	len = strlen(s);
	while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	if (len == 0)
		return fail(err, st->line, "empty device name");
	if (len >= sizeof(st->rec->name))
		len = sizeof(st->rec->name) - 1;	/* uinput's limit */

	memcpy(st->rec->name, s, len);
	st->rec->name[len] = '\0';
	st->have_name = true;

	return 0;
}

static int
evemu_id(struct evemu_state *st, char **tok, size_t ntok,
	 struct recording_error *err)
{
	unsigned long v[4];

	if (st->have_id)
		return fail(err, st->line, "second I: line");
	if (ntok != 4)
		return fail(err, st->line, "I: needs 4 hex fields (bus vendor product version), got %zu", ntok);

	for (size_t i = 0; i < 4; i++) {
		if (!parse_hex(tok[i], 0xffff, &v[i]))
			return fail(err, st->line, "bad hex id field '%s'", tok[i]);
	}

	st->rec->bustype = v[0];
	st->rec->vendor = v[1];
	st->rec->product = v[2];
	st->rec->version = v[3];
	st->have_id = true;

	return 0;
}

static int
evemu_abs(struct evemu_state *st, char **tok, size_t ntok,
	  struct recording_error *err)
{
	unsigned long code;
	long long v[5] = { 0 };
	struct input_absinfo *ai;

	if (ntok != 5 && ntok != 6)
		return fail(err, st->line, "A: needs code min max fuzz flat [resolution], got %zu fields", ntok);
	if (!parse_hex(tok[0], 0xffff, &code) || code > ABS_MAX)
		return fail(err, st->line, "bad ABS code '%s'", tok[0]);

	for (size_t i = 1; i < ntok; i++) {
		if (!parse_dec(tok[i], strlen(tok[i]), INT32_MIN, INT32_MAX, &v[i - 1]))
			return fail(err, st->line, "bad number '%s'", tok[i]);
	}
	if (v[0] > v[1])
		return fail(err, st->line, "ABS 0x%lx minimum %lld above maximum %lld",
			    code, v[0], v[1]);

	ai = &st->rec->absinfo[code];
	ai->minimum = v[0];
	ai->maximum = v[1];
	ai->fuzz = v[2];
	ai->flat = v[3];
	ai->resolution = v[4];

	return 0;
}

static int
evemu_state_line(struct evemu_state *st, char tag, char **tok, size_t ntok,
		 struct recording_error *err)
{
	unsigned long code;
	long long state;
	unsigned long max = tag == 'L' ? LED_MAX : SW_MAX;

	if (ntok != 2)
		return fail(err, st->line, "%c: needs code and state, got %zu fields", tag, ntok);
	if (!parse_hex(tok[0], 0xffff, &code) || code > max)
		return fail(err, st->line, "bad %s code '%s'", tag == 'L' ? "LED" : "switch", tok[0]);
	if (!parse_dec(tok[1], strlen(tok[1]), INT32_MIN, INT32_MAX, &state))
		return fail(err, st->line, "bad state '%s'", tok[1]);

	if (tag == 'L')
		st->rec->led_state[code] = state;
	else
		st->rec->sw_state[code] = state;

	return 0;
}

/* E: <sec>.<usec> <type> <code> <value>: usec is six digits, type and code
 * hex, value signed decimal. */
static int
evemu_event(struct evemu_state *st, char **tok, size_t ntok,
	    struct recording_error *err)
{
	const char *dot;
	long long sec, usec, value;
	unsigned long type, code;
	int rc;

	if (!st->have_name || !st->have_id || !st->have_bits)
		return fail(err, st->line, "event before the device description (N:, I:, B: lines)");
	if (ntok != 4)
		return fail(err, st->line, "E: needs time type code value, got %zu fields", ntok);

	dot = strchr(tok[0], '.');
	if (!dot || strlen(dot + 1) != 6 ||
	    !parse_dec(tok[0], dot - tok[0], 0, MAX_SECONDS, &sec) ||
	    tok[0][0] == '-' || tok[0][0] == '+' ||
	    !parse_dec(dot + 1, 6, 0, 999999, &usec) || dot[1] == '-' || dot[1] == '+')
		return fail(err, st->line, "bad timestamp '%s' (want seconds.microseconds)", tok[0]);
	if (!parse_hex(tok[1], 0xffff, &type))
		return fail(err, st->line, "bad hex event type '%s'", tok[1]);
	if (!parse_hex(tok[2], 0xffff, &code))
		return fail(err, st->line, "bad hex event code '%s'", tok[2]);
	if (!parse_dec(tok[3], strlen(tok[3]), INT32_MIN, INT32_MAX, &value))
		return fail(err, st->line, "bad event value '%s'", tok[3]);

	rc = check_event_code(type, code, st->line, err);
	if (rc < 0)
		return rc;

	return append_event(st->rec, &st->cap, (uint64_t)sec * 1000000 + usec,
			    type, code, value, st->line, err);
}

static int
evemu_version(struct evemu_state *st, const char *line,
	      struct recording_error *err)
{
	const char *p = line + strlen("# EVEMU ");
	char *end;
	long major;

	errno = 0;
	major = strtol(p, &end, 10);
	if (end == p || errno || *end != '.')
		return fail(err, st->line, "bad EVEMU version line");
	if (major != 1)
		return fail(err, st->line, "unsupported evemu version %ld", major);

	return 0;
}

static int
evemu_line(struct evemu_state *st, char *line, struct recording_error *err)
{
	char *tok[MAX_TOKENS + 1];
	size_t ntok;
	char *hash;
	char tag;

	if (line[0] == '#') {
		if (st->line == 1 && strncmp(line, "# EVEMU ", 8) == 0)
			return evemu_version(st, line, err);
		return 0;
	}

	if (line[strspn(line, " \t")] == '\0')
		return 0;

	tag = line[0];
	if (!isupper((unsigned char)tag) || line[1] != ':')
		return fail(err, st->line, "not an evemu line (want 'X: ...')");

	if (tag == 'N')
		return evemu_name(st, line + 2, err);

	if (tag != 'E' && st->rec->nevents > 0)
		return fail(err, st->line, "description line after the events");

	/* Everything after '#' is a comment (evemu >= 1.1). */
	hash = strchr(line, '#');
	if (hash)
		*hash = '\0';

	ntok = tokenize(line + 2, tok, MAX_TOKENS);
	if (ntok > MAX_TOKENS)
		return fail(err, st->line, "too many fields");

	switch (tag) {
	case 'I':
		return evemu_id(st, tok, ntok, err);
	case 'P':
		if (ntok != 8)
			return fail(err, st->line, "P: needs 8 hex bytes, got %zu", ntok);
		return evemu_mask_line(st, st->rec->props, &st->prop_bytes,
				       INPUT_PROP_MAX, tok, "property", err);
	case 'B': {
		unsigned long type;
		int rc;

		if (ntok != 9)
			return fail(err, st->line, "B: needs a type and 8 hex bytes, got %zu fields", ntok);
		if (!parse_hex(tok[0], 0xffff, &type) || recording_type_max(type) < 0)
			return fail(err, st->line, "unknown event type '%s'", tok[0]);
		rc = evemu_mask_line(st, st->rec->codes[type], &st->mask_bytes[type],
				     recording_type_max(type), tok + 1, "event code", err);
		if (rc == 0)
			st->have_bits = true;
		return rc;
	}
	case 'A':
		return evemu_abs(st, tok, ntok, err);
	case 'L':
	case 'S':
		return evemu_state_line(st, tag, tok, ntok, err);
	case 'E':
		return evemu_event(st, tok, ntok, err);
	default:
		return fail(err, st->line, "unknown line type '%c:'", tag);
	}
}

static int
parse_evemu(const char *buf, size_t len, struct recording *rec,
	    struct recording_error *err)
{
	struct evemu_state st = { .rec = rec };
	size_t pos = 0;
	char line[MAX_LINE];
	int rc;

	while (pos < len) {
		const char *start = buf + pos;
		const char *nl = memchr(start, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - start) : len - pos;

		pos += n + (nl ? 1 : 0);
		st.line++;

		if (n >= sizeof(line))
			return fail(err, st.line, "line longer than %d bytes", MAX_LINE - 1);
		memcpy(line, start, n);
		line[n] = '\0';
		if (strlen(line) != n)
			return fail(err, st.line, "NUL byte in line");
		if (n > 0 && line[n - 1] == '\r')
			line[n - 1] = '\0';

		rc = evemu_line(&st, line, err);
		if (rc < 0)
			return rc;
	}

	if (!st.have_name || !st.have_id || !st.have_bits)
		return fail(err, st.line, "no complete device description (N:, I:, B: lines)");

	return 0;
}

/* --- libinput record YAML ------------------------------------------------- */

struct yaml_walk {
	yaml_document_t *doc;
	struct recording_error *err;
};

static unsigned int
node_line(const yaml_node_t *n)
{
	return n->start_mark.line + 1;
}

static yaml_node_t *
map_get(struct yaml_walk *w, yaml_node_t *map, const char *key)
{
	size_t klen = strlen(key);

	if (!map || map->type != YAML_MAPPING_NODE)
		return NULL;

	for (yaml_node_pair_t *p = map->data.mapping.pairs.start;
	     p < map->data.mapping.pairs.top; p++) {
		yaml_node_t *k = yaml_document_get_node(w->doc, p->key);

		if (k && k->type == YAML_SCALAR_NODE &&
		    k->data.scalar.length == klen &&
		    memcmp(k->data.scalar.value, key, klen) == 0)
			return yaml_document_get_node(w->doc, p->value);
	}

	return NULL;
}

/* Like map_get(), but a missing key is an error reported at the mapping. */
static yaml_node_t *
map_need(struct yaml_walk *w, yaml_node_t *map, const char *key,
	 const char *where, int *rc)
{
	yaml_node_t *n = map_get(w, map, key);

	if (!n)
		*rc = fail(w->err, node_line(map), "%s: missing %s", where, key);
	return n;
}

static int
scalar_int(struct yaml_walk *w, yaml_node_t *n, long long min, long long max,
	   const char *what, long long *out)
{
	if (!n || n->type != YAML_SCALAR_NODE)
		return fail(w->err, n ? node_line(n) : 0, "%s: want a number", what);
	if (!parse_dec((const char *)n->data.scalar.value, n->data.scalar.length,
		       min, max, out))
		return fail(w->err, node_line(n), "%s: bad number '%.*s' (range %lld..%lld)",
			    what, (int)(n->data.scalar.length > 24 ? 24 : n->data.scalar.length),
			    (const char *)n->data.scalar.value, min, max);

	return 0;
}

/* A sequence of exactly `count` integers (count 0: any length, up to max_count). */
static int
int_seq(struct yaml_walk *w, yaml_node_t *n, size_t count, const char *what,
	long long min, long long max, long long *out, size_t max_count,
	size_t *got)
{
	size_t len;
	int rc;

	if (!n || n->type != YAML_SEQUENCE_NODE)
		return fail(w->err, n ? node_line(n) : 0, "%s: want a list", what);

	len = n->data.sequence.items.top - n->data.sequence.items.start;
	if ((count && len != count) || len > max_count)
		return fail(w->err, node_line(n), "%s: want %zu numbers, got %zu",
			    what, count ? count : max_count, len);

	for (size_t i = 0; i < len; i++) {
		yaml_node_t *item = yaml_document_get_node(w->doc,
							   n->data.sequence.items.start[i]);
		rc = scalar_int(w, item ? item : n, min, max, what, &out[i]);
		if (rc < 0)
			return rc;
	}
	if (got)
		*got = len;

	return 0;
}

static int
yaml_codes(struct yaml_walk *w, struct recording *rec, yaml_node_t *codes)
{
	if (!codes || codes->type != YAML_MAPPING_NODE)
		return fail(w->err, codes ? node_line(codes) : 0, "evdev.codes: want a mapping");

	for (yaml_node_pair_t *p = codes->data.mapping.pairs.start;
	     p < codes->data.mapping.pairs.top; p++) {
		yaml_node_t *k = yaml_document_get_node(w->doc, p->key);
		yaml_node_t *v = yaml_document_get_node(w->doc, p->value);
		long long type;
		int max, rc;

		rc = scalar_int(w, k, 0, EV_MAX, "event type", &type);
		if (rc < 0)
			return rc;
		max = recording_type_max(type);
		if (max < 0)
			return fail(w->err, node_line(k), "unknown event type %lld", type);
		if (!v || v->type != YAML_SEQUENCE_NODE)
			return fail(w->err, node_line(k), "codes of type %lld: want a list", type);

		for (yaml_node_item_t *i = v->data.sequence.items.start;
		     i < v->data.sequence.items.top; i++) {
			yaml_node_t *c = yaml_document_get_node(w->doc, *i);
			long long code;

			rc = scalar_int(w, c ? c : v, 0, max, "event code", &code);
			if (rc < 0)
				return rc;
			rec->codes[type][code / 8] |= 1 << (code % 8);
		}
	}

	return 0;
}

static int
yaml_absinfo(struct yaml_walk *w, struct recording *rec, yaml_node_t *abs)
{
	if (!abs)
		return 0;
	if (abs->type != YAML_MAPPING_NODE)
		return fail(w->err, node_line(abs), "evdev.absinfo: want a mapping");

	for (yaml_node_pair_t *p = abs->data.mapping.pairs.start;
	     p < abs->data.mapping.pairs.top; p++) {
		yaml_node_t *k = yaml_document_get_node(w->doc, p->key);
		yaml_node_t *v = yaml_document_get_node(w->doc, p->value);
		long long code, a[5];
		int rc;

		rc = scalar_int(w, k, 0, ABS_MAX, "ABS code", &code);
		if (rc < 0)
			return rc;
		rc = int_seq(w, v ? v : k, 5, "absinfo [min, max, fuzz, flat, resolution]",
			     INT32_MIN, INT32_MAX, a, 5, NULL);
		if (rc < 0)
			return rc;
		if (a[0] > a[1])
			return fail(w->err, node_line(k), "ABS %lld minimum %lld above maximum %lld",
				    code, a[0], a[1]);

		rec->absinfo[code].minimum = a[0];
		rec->absinfo[code].maximum = a[1];
		rec->absinfo[code].fuzz = a[2];
		rec->absinfo[code].flat = a[3];
		rec->absinfo[code].resolution = a[4];
	}

	return 0;
}

static int
yaml_evdev(struct yaml_walk *w, struct recording *rec, yaml_node_t *evdev)
{
	yaml_node_t *name, *props, *node;
	long long id[4], pv[INPUT_PROP_CNT];
	size_t nprops = 0;
	size_t len;
	int rc;

	if (!evdev || evdev->type != YAML_MAPPING_NODE)
		return fail(w->err, evdev ? node_line(evdev) : 0, "device: missing evdev mapping");

	name = map_get(w, evdev, "name");
	if (!name || name->type != YAML_SCALAR_NODE || name->data.scalar.length == 0)
		return fail(w->err, node_line(name ? name : evdev), "evdev.name: want a string");
	len = name->data.scalar.length;
	if (memchr(name->data.scalar.value, '\0', len))
		return fail(w->err, node_line(name), "evdev.name: NUL byte");
	if (len >= sizeof(rec->name))
		len = sizeof(rec->name) - 1;
	memcpy(rec->name, name->data.scalar.value, len);
	rec->name[len] = '\0';

	node = map_need(w, evdev, "id", "evdev", &rc);
	if (!node)
		return rc;
	rc = int_seq(w, node, 4, "evdev.id [bus, vendor, product, version]",
		     0, 0xffff, id, 4, NULL);
	if (rc < 0)
		return rc;
	rec->bustype = id[0];
	rec->vendor = id[1];
	rec->product = id[2];
	rec->version = id[3];

	node = map_need(w, evdev, "codes", "evdev", &rc);
	if (!node)
		return rc;
	rc = yaml_codes(w, rec, node);
	if (rc < 0)
		return rc;
	rc = yaml_absinfo(w, rec, map_get(w, evdev, "absinfo"));
	if (rc < 0)
		return rc;

	props = map_get(w, evdev, "properties");
	if (props) {
		rc = int_seq(w, props, 0, "evdev.properties", 0, INPUT_PROP_MAX,
			     pv, INPUT_PROP_CNT, &nprops);
		if (rc < 0)
			return rc;
		for (size_t i = 0; i < nprops; i++)
			rec->props[pv[i] / 8] |= 1 << (pv[i] % 8);
	}

	return 0;
}

static int
yaml_events(struct yaml_walk *w, struct recording *rec, yaml_node_t *events)
{
	size_t cap = 0;
	int rc;

	if (!events)
		return 0;
	if (events->type != YAML_SEQUENCE_NODE)
		return fail(w->err, node_line(events), "events: want a list");

	for (yaml_node_item_t *f = events->data.sequence.items.start;
	     f < events->data.sequence.items.top; f++) {
		yaml_node_t *frame = yaml_document_get_node(w->doc, *f);
		yaml_node_t *evdev;

		if (!frame || frame->type != YAML_MAPPING_NODE)
			return fail(w->err, node_line(frame ? frame : events),
				    "events: each item must be a mapping (- evdev: ...)");

		/* hid: and libinput: items are ignored, as unknown keys are */
		evdev = map_get(w, frame, "evdev");
		if (!evdev)
			continue;
		if (evdev->type != YAML_SEQUENCE_NODE)
			return fail(w->err, node_line(evdev), "evdev frame: want a list");

		for (yaml_node_item_t *i = evdev->data.sequence.items.start;
		     i < evdev->data.sequence.items.top; i++) {
			yaml_node_t *row = yaml_document_get_node(w->doc, *i);
			static const long long lo[5] = { 0, 0, 0, 0, INT32_MIN };
			static const long long hi[5] = { MAX_SECONDS, 999999, 0xffff, 0xffff, INT32_MAX };
			static const char *what[5] = { "seconds", "microseconds", "type", "code", "value" };
			long long v[5];
			size_t len;

			if (!row || row->type != YAML_SEQUENCE_NODE)
				return fail(w->err, node_line(row ? row : evdev),
					    "event: want [sec, usec, type, code, value]");
			len = row->data.sequence.items.top - row->data.sequence.items.start;
			if (len != 5)
				return fail(w->err, node_line(row),
					    "event: want 5 numbers [sec, usec, type, code, value], got %zu", len);
			for (size_t j = 0; j < 5; j++) {
				yaml_node_t *x = yaml_document_get_node(w->doc,
									row->data.sequence.items.start[j]);
				rc = scalar_int(w, x ? x : row, lo[j], hi[j], what[j], &v[j]);
				if (rc < 0)
					return rc;
			}
			rc = check_event_code(v[2], v[3], node_line(row), w->err);
			if (rc < 0)
				return rc;
			rc = append_event(rec, &cap, (uint64_t)v[0] * 1000000 + v[1],
					  v[2], v[3], v[4], node_line(row), w->err);
			if (rc < 0)
				return rc;
		}
	}

	return 0;
}

static int
parse_yaml(const char *buf, size_t len, struct recording *rec,
	   struct recording_error *err)
{
	yaml_parser_t parser;
	yaml_document_t doc;
	struct yaml_walk w = { .doc = &doc, .err = err };
	yaml_node_t *root, *devices, *dev, *node;
	long long version;
	size_t ndev;
	int rc;

	if (!yaml_parser_initialize(&parser))
		return -ENOMEM;
	yaml_parser_set_input_string(&parser, (const unsigned char *)buf, len);

	if (!yaml_parser_load(&parser, &doc)) {
		if (parser.error == YAML_MEMORY_ERROR)
			rc = -ENOMEM;
		else
			rc = fail(err, parser.problem_mark.line + 1, "YAML: %s%s%s",
				  parser.problem ? parser.problem : "syntax error",
				  parser.context ? " " : "",
				  parser.context ? parser.context : "");
		goto out_parser;
	}

	root = yaml_document_get_root_node(&doc);
	if (!root || root->type != YAML_MAPPING_NODE) {
		rc = fail(err, root ? node_line(root) : 1, "not a libinput record file (want a YAML mapping)");
		goto out_doc;
	}

	node = map_need(&w, root, "version", "libinput record file", &rc);
	if (!node)
		goto out_doc;
	rc = scalar_int(&w, node, 0, INT32_MAX, "version", &version);
	if (rc < 0)
		goto out_doc;
	if (version != 1) {
		rc = fail(err, node_line(map_get(&w, root, "version")),
			  "unsupported libinput record version %lld", version);
		goto out_doc;
	}

	devices = map_get(&w, root, "devices");
	if (!devices || devices->type != YAML_SEQUENCE_NODE) {
		rc = fail(err, node_line(devices ? devices : root), "devices: want a list");
		goto out_doc;
	}
	ndev = devices->data.sequence.items.top - devices->data.sequence.items.start;
	if (ndev != 1) {
		rc = fail(err, node_line(devices), "%zu devices: only one-device recordings are supported", ndev);
		goto out_doc;
	}

	dev = yaml_document_get_node(&doc, devices->data.sequence.items.start[0]);
	if (!dev || dev->type != YAML_MAPPING_NODE) {
		rc = fail(err, node_line(dev ? dev : devices), "device: want a mapping");
		goto out_doc;
	}

	node = map_need(&w, dev, "evdev", "device", &rc);
	if (!node)
		goto out_doc;
	rc = yaml_evdev(&w, rec, node);
	if (rc < 0)
		goto out_doc;
	rc = yaml_events(&w, rec, map_get(&w, dev, "events"));

out_doc:
	yaml_document_delete(&doc);
out_parser:
	yaml_parser_delete(&parser);
	return rc;
}

/* --- entry point ---------------------------------------------------------- */

/* evemu if the first line that is neither blank nor a comment is "X:". */
static bool
looks_like_evemu(const char *buf, size_t len)
{
	size_t pos = 0;

	while (pos < len) {
		const char *s = buf + pos;
		const char *nl = memchr(s, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - s) : len - pos;
		size_t i = 0;

		pos += n + 1;
		while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r'))
			i++;
		if (i == n || s[0] == '#')
			continue;

		return n >= 2 && isupper((unsigned char)s[0]) && s[1] == ':';
	}

	return false;
}

int
recording_parse(const char *buf, size_t len, struct recording **out,
		struct recording_error *err)
{
	struct recording *rec;
	int rc;

	if (err) {
		err->line = 0;
		err->reason[0] = '\0';
	}

	rec = calloc(1, sizeof(*rec));
	if (!rec)
		return -ENOMEM;

	if (looks_like_evemu(buf, len)) {
		rec->format = RECORDING_EVEMU;
		rc = parse_evemu(buf, len, rec, err);
	} else {
		rec->format = RECORDING_LIBINPUT_YAML;
		rc = parse_yaml(buf, len, rec, err);
	}

	if (rc < 0) {
		recording_free(rec);
		if (rc == -ENOMEM && err)
			snprintf(err->reason, sizeof(err->reason), "out of memory");
		return rc;
	}

	*out = rec;
	return 0;
}
