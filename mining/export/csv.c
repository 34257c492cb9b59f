/* SPDX-License-Identifier: MIT */
/*
 * CSV export, RFC 4180: CRLF line ends, fields quoted only when they hold
 * a comma, a quote, a line break or edge spaces, quotes doubled. One row
 * per action:
 *
 *   case_id,activity,start,end,resource,app,title,element,sort_seq
 * (element: the element string of element.h, "role<TAB>name<TAB>url",
 * empty when the record has none)
 *
 * Text is UTF-8; invalid bytes and control characters other than tab
 * and line breaks (which spreadsheets mangle) become U+FFFD.
 * Times are UTC, ISO-8601 with milliseconds. sort_seq is the action's
 * position in the export; it orders actions whose timestamps are equal
 * (two actions in the same millisecond), which most mining tools
 * otherwise order arbitrarily.
 */
#include <errno.h>
#include <stdlib.h>

#include "mining/export/export.h"

/*
 * Speed: this is the export people run on months of data (target: two
 * million records a second), so the row is built with one reservation
 * and plain copies. Application ids and titles repeat on almost every
 * row: their escaped form is cached per string id. Other text takes the
 * fast path when it is plain ASCII (fmt_is_plain()).
 */
#define FIELD_SLOTS 1024

struct field_slot {
	uint32_t id;		/* string id; 0: empty slot */
	uint32_t len;
	char *text;		/* the field as written: cleaned, quoted */
};

struct csv {
	struct field_slot slots[FIELD_SLOTS];
	struct fmt_time_cache tc;
};

static int
csv_begin(struct export_ctx *x)
{
	x->state = calloc(1, sizeof(struct csv));
	if (!x->state)
		return -ENOMEM;
	output_puts(x->out, "case_id,activity,start,end,resource,app,title,element,sort_seq\r\n");
	return x->out->err;
}

/* Append @p s as a field followed by a comma: the slow path. */
static int
field(struct export_ctx *x, const char *s, size_t len)
{
	size_t clen;
	const char *c;

	if (fmt_is_plain(s, len))
		return fmt_append(&x->line, s, len) < 0 ||
		       fmt_append(&x->line, ",", 1) < 0 ? -ENOMEM : 0;
	c = fmt_utf8_clean(s, len, FMT_CLEAN_CONTROL, &x->clean, &clen);
	if (!c || fmt_csv_field(&x->line, c, clen) < 0 ||
	    fmt_append(&x->line, ",", 1) < 0)
		return -ENOMEM;
	return 0;
}

/* Append the field for interned string @p id (text @p s), cached. */
static int
field_id(struct export_ctx *x, uint32_t id, const char *s, size_t len)
{
	struct csv *c = x->state;
	struct field_slot *slot = &c->slots[id % FIELD_SLOTS];

	if (id == 0)
		return fmt_append(&x->line, ",", 1);
	if (slot->id != id) {
		size_t at = x->line.len;
		int rc = field(x, s, len);
		if (rc < 0)
			return rc;
		size_t n = x->line.len - at;
		char *t = realloc(slot->text, n);
		if (!t)
			return -ENOMEM;
		memcpy(t, x->line.data + at, n);
		slot->text = t;
		slot->len = (uint32_t)n;
		slot->id = id;
		return 0;
	}
	return fmt_append(&x->line, slot->text, slot->len);
}

static int
csv_action(struct export_ctx *x, const struct action *a)
{
	struct csv *c = x->state;
	struct fmt_buf *l = &x->line;
	char t[FMT_TIME_LEN + 1];

	l->len = 0;
	if (field(x, a->case_id, strlen(a->case_id)) < 0 ||
	    field(x, a->activity, a->activity_len) < 0 ||
	    fmt_buf_reserve(l, 2 * (FMT_TIME_LEN + 1)) < 0)
		return -ENOMEM;
	fmt_time_iso_cached(&c->tc, t, a->start_ns);
	t[FMT_TIME_LEN] = ',';
	memcpy(l->data + l->len, t, FMT_TIME_LEN + 1);
	fmt_time_iso_cached(&c->tc, t, a->end_ns);
	t[FMT_TIME_LEN] = ',';
	memcpy(l->data + l->len + FMT_TIME_LEN + 1, t, FMT_TIME_LEN + 1);
	l->len += 2 * (FMT_TIME_LEN + 1);
	if (field(x, a->user, strlen(a->user)) < 0 ||
	    field_id(x, a->rec->app, a->app, a->app_len) < 0 ||
	    field_id(x, a->rec->title, a->title, a->title_len) < 0 ||
	    field_id(x, a->rec->element, a->element, a->element_len) < 0 ||
	    fmt_u64(l, a->seq) < 0 || fmt_append(l, "\r\n", 2) < 0)
		return -ENOMEM;
	output_write(x->out, l->data, l->len);
	return x->out->err;
}

static int
csv_end(struct export_ctx *x)
{
	return x->out->err;
}

static void
csv_destroy(struct export_ctx *x)
{
	struct csv *c = x->state;

	if (!c)
		return;
	for (size_t i = 0; i < FIELD_SLOTS; i++)
		free(c->slots[i].text);
	free(c);
	x->state = NULL;
}

const struct export_format export_csv = {
	.name = "csv",
	.extension = "csv",
	.by_user = false,
	.begin = csv_begin,
	.action = csv_action,
	.end = csv_end,
	.destroy = csv_destroy,
};
