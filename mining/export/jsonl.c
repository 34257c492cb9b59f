/* SPDX-License-Identifier: MIT */
/*
 * JSON Lines export: one JSON object per action, one per line, in store
 * order. The fields are the CSV's plus what a program may want and a CSV
 * reader would not:
 *
 *   {"case":…,"activity":…,"start":…,"end":…,"duration_ms":…,
 *    "user":…,"host":…,"session":N,"app":…,"title":…[,"element":…],
 *    "kind":"typing","seq":N[,"keys":N|,"keys_under":N|,"hidden":true]
 *    [,"clicks":N][,"fingers":N]}
 *
 * "keys" is the sum of a burst's counts (rounded, like them, see
 * tasktraced(8)); a short burst has "keys_under" instead: it had fewer
 * keys than that, and nothing more is known; a hidden burst (typed into a
 * password field) has "hidden":true and no size at all. "element" is the
 * element string of element.h ("role\tname\turl"), when there is one.
 *
 * Text is UTF-8 (invalid bytes in stored titles become U+FFFD) and
 * escaped by fmt_json_string(); numbers are integers.
 */
#include <errno.h>

#include "mining/export/export.h"

static int
jsonl_begin(struct export_ctx *x)
{
	(void)x;
	return 0;
}

static int
key_str(struct export_ctx *x, const char *key, const char *s, size_t len)
{
	size_t clen;
	const char *c = fmt_utf8_clean(s, len, 0, &x->clean, &clen);

	if (!c || fmt_append(&x->line, key, strlen(key)) < 0 ||
	    fmt_json_string(&x->line, c, clen) < 0)
		return -ENOMEM;
	return 0;
}

static int
lit_hidden(struct export_ctx *x)
{
	return fmt_append(&x->line, ",\"hidden\":true", 14) < 0 ? -ENOMEM : 0;
}

static int
key_u64(struct export_ctx *x, const char *key, uint64_t v)
{
	if (fmt_append(&x->line, key, strlen(key)) < 0 || fmt_u64(&x->line, v) < 0)
		return -ENOMEM;
	return 0;
}

static uint64_t
typed_keys(const struct tt_record *r)
{
	uint64_t n = 0;

	for (unsigned i = 0; i < TT_CLASS_COUNT; i++)
		if (i != TT_CLASS_MODIFIER)
			n += r->u.typing.count[i];
	return n;
}

static int
jsonl_action(struct export_ctx *x, const struct action *a)
{
	const struct tt_record *r = a->rec;
	char t[FMT_TIME_LEN + 1];
	int rc = 0;

	x->line.len = 0;
	fmt_time_iso(t, a->start_ns);
	rc |= key_str(x, "{\"case\":", a->case_id, strlen(a->case_id));
	rc |= key_str(x, ",\"activity\":", a->activity, a->activity_len);
	rc |= key_str(x, ",\"start\":", t, FMT_TIME_LEN);
	fmt_time_iso(t, a->end_ns);
	rc |= key_str(x, ",\"end\":", t, FMT_TIME_LEN);
	rc |= key_u64(x, ",\"duration_ms\":", (a->end_ns - a->start_ns) / 1000000);
	rc |= key_str(x, ",\"user\":", a->user, strlen(a->user));
	rc |= key_str(x, ",\"host\":", a->host, strlen(a->host));
	rc |= key_u64(x, ",\"session\":", a->session);
	rc |= key_str(x, ",\"app\":", a->app, a->app_len);
	rc |= key_str(x, ",\"title\":", a->title, a->title_len);
	if (r->element)
		rc |= key_str(x, ",\"element\":", a->element, a->element_len);
	const char *kind = tt_kind_name(r->kind);
	rc |= key_str(x, ",\"kind\":", kind, strlen(kind));
	rc |= key_u64(x, ",\"seq\":", a->seq);
	switch (r->kind) {
	case TT_KIND_TYPING:
		/* a short burst has no count, only its bound; a hidden one
		 * (a password field's) not even that */
		if (tt_record_burst_hidden(r))
			rc |= lit_hidden(x);
		else if (r->u.typing.under)
			rc |= key_u64(x, ",\"keys_under\":", r->u.typing.under);
		else
			rc |= key_u64(x, ",\"keys\":", typed_keys(r));
		break;
	case TT_KIND_BUTTON:
		rc |= key_u64(x, ",\"clicks\":", r->u.button.clicks);
		break;
	case TT_KIND_GESTURE:
		rc |= key_u64(x, ",\"fingers\":", r->u.gesture.fingers);
		break;
	default:
		break;
	}
	if (rc || fmt_append(&x->line, "}\n", 2) < 0)
		return -ENOMEM;
	output_write(x->out, x->line.data, x->line.len);
	return x->out->err;
}

static int
jsonl_end(struct export_ctx *x)
{
	return x->out->err;
}

static void
jsonl_destroy(struct export_ctx *x)
{
	(void)x;
}

const struct export_format export_jsonl = {
	.name = "jsonl",
	.extension = "jsonl",
	.by_user = false,
	.begin = jsonl_begin,
	.action = jsonl_action,
	.end = jsonl_end,
	.destroy = jsonl_destroy,
};
