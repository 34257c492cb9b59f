/* SPDX-License-Identifier: MIT */
/*
 * CSV export, RFC 4180: CRLF line ends, fields quoted only when they hold
 * a comma, a quote, a line break or edge spaces, quotes doubled. One row
 * per action:
 *
 *   case_id,activity,start,end,resource,app,title,sort_seq
 *
 * Text is UTF-8; invalid bytes and control characters other than tab
 * and line breaks (which spreadsheets mangle) become U+FFFD.
 * Times are UTC, ISO-8601 with milliseconds. sort_seq is the action's
 * position in the export; it orders actions whose timestamps are equal
 * (two actions in the same millisecond), which most mining tools
 * otherwise order arbitrarily.
 */
#include <errno.h>

#include "export.h"

static int
csv_begin(struct export_ctx *x)
{
	output_puts(x->out, "case_id,activity,start,end,resource,app,title,sort_seq\r\n");
	return x->out->err;
}

static int
field(struct export_ctx *x, const char *s, size_t len)
{
	size_t clen;
	const char *c = fmt_utf8_clean(s, len, FMT_CLEAN_CONTROL, &x->clean, &clen);

	if (!c || fmt_csv_field(&x->line, c, clen) < 0 ||
	    fmt_append(&x->line, ",", 1) < 0)
		return -ENOMEM;
	return 0;
}

static int
csv_action(struct export_ctx *x, const struct action *a)
{
	char t[FMT_TIME_LEN + 1];
	struct fmt_buf *l = &x->line;

	l->len = 0;
	if (field(x, a->case_id, strlen(a->case_id)) < 0 ||
	    field(x, a->activity, a->activity_len) < 0)
		return -ENOMEM;
	fmt_time_iso(t, a->start_ns);
	t[FMT_TIME_LEN] = ',';
	if (fmt_append(l, t, FMT_TIME_LEN + 1) < 0)
		return -ENOMEM;
	fmt_time_iso(t, a->end_ns);
	t[FMT_TIME_LEN] = ',';
	if (fmt_append(l, t, FMT_TIME_LEN + 1) < 0 ||
	    field(x, a->user, strlen(a->user)) < 0 ||
	    field(x, a->app, a->app_len) < 0 ||
	    field(x, a->title, a->title_len) < 0 ||
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
	(void)x;
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
