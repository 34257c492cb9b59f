/* SPDX-License-Identifier: MIT */
/*
 * XES export (IEEE 1849-2016), a streaming writer: the document is never
 * held in memory, each event is built in one buffer and written through
 * struct output, so the file is still written atomically.
 *
 * Shape (valid against the XES schema in tests/data/formats/):
 *
 *   <log xes.version="1.0">
 *     extensions concept, time, lifecycle, org; globals; classifiers
 *     <trace>  one per case: concept:name = case id, org:resource = user
 *       <event> per action: lifecycle:transition "start" at its start
 *               (only when it lasts) and "complete" at its end, with
 *               concept:name (activity), time:timestamp, org:resource,
 *               app, title, host, session
 *
 * xes.version is "1.0": the schema types it xs:decimal, so "1849-2016"
 * would not validate; 1.0 is what the OpenXES reference writes.
 *
 * The bytes are those libxml2's xmlTextWriter wrote here before (tab
 * indentation, attribute values escaped by fmt_xml_attr(), characters
 * above U+007F as character references): the writer was a fifth of the
 * CSV writer's speed, almost all of it in the library's per-call
 * bookkeeping. tests/unit/test-export-format.c compares fmt_xml_attr()
 * with libxml2 on random text, and tests/golden/ the whole documents.
 *
 * Speed: application ids and titles repeat on almost every event, so
 * their escaped lines are cached per string id; the attributes a start
 * and its complete event share are built once per action.
 *
 * Traces need their events together, so the driver hands this writer
 * the records one user at a time (by_user); a trace ends where the case
 * id changes.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mining/export/export.h"

#define XES_NS "http://www.xes-standard.org/"
#define SLOTS 1024

/* The escaped <string key=… value=…/> line of one interned string. */
struct line_slot {
	uint32_t id;		/* string id; 0: empty */
	uint32_t len;
	char *text;
};

struct xes {
	bool in_trace;
	char case_id[160];
	struct line_slot app[SLOTS], title[SLOTS];
	struct fmt_buf shared;	/* the attributes both events of an action carry */
	/* …and what they were built from: consecutive actions mostly share
	 * them (the same person, window, host and session). */
	struct {
		bool valid;
		uint32_t app, title, element, session;
		char user[128], host[128];
	} key;
	struct fmt_buf act;	/* the activity's line, for both events */
	struct fmt_time_cache tc;
};

#define LIT(b, s) fmt_append((b), (s), sizeof(s) - 1)
#define TRANSITION(t) "\t\t\t<string key=\"lifecycle:transition\" value=\"" t "\"/>\n"
#define START TRANSITION("start")
#define COMPLETE TRANSITION("complete")

/* Is every byte of @p s printable ASCII that an attribute value carries
 * as it is? The fast path: no cleaning, no escaping. */
static bool
xml_plain(const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;

	for (size_t i = 0; i < len; i++)
		if (u[i] < 0x20 || u[i] >= 0x80 || u[i] == '<' || u[i] == '>' ||
		    u[i] == '&' || u[i] == '"')
			return false;
	return true;
}

/* Append @p depth tabs, then <type key="key" value="…"/> and a newline,
 * the value cleaned and escaped. */
static int
attr(struct export_ctx *x, struct fmt_buf *b, unsigned depth, const char *type,
     const char *key, const char *value, size_t len)
{
	size_t tlen = strlen(type), klen = strlen(key), clen = len;
	const char *c = value;
	bool plain = xml_plain(value, len);

	if (!plain) {
		c = fmt_utf8_clean(value, len, FMT_CLEAN_CONTROL, &x->clean, &clen);
		if (!c)
			return -ENOMEM;
	}
	if (fmt_buf_reserve(b, depth + tlen + klen + len + 20) < 0)
		return -ENOMEM;
	char *o = b->data + b->len;
	memset(o, '\t', depth);
	o += depth;
	*o++ = '<';
	memcpy(o, type, tlen);
	o += tlen;
	memcpy(o, " key=\"", 6);
	o += 6;
	memcpy(o, key, klen);
	o += klen;
	memcpy(o, "\" value=\"", 9);
	o += 9;
	if (plain) {
		memcpy(o, c, clen);
		o += clen;
		b->len = (size_t)(o - b->data);
	} else {
		b->len = (size_t)(o - b->data);
		if (fmt_xml_attr(b, c, clen) < 0)
			return -ENOMEM;
	}
	return LIT(b, "\"/>\n");
}

static int
attr_str(struct export_ctx *x, struct fmt_buf *b, unsigned depth,
	 const char *key, const char *value)
{
	return attr(x, b, depth, "string", key, value, strlen(value));
}

/* The cached line of string @p id (text @p s) under @p key. */
static int
attr_id(struct export_ctx *x, struct line_slot *slots, const char *key,
	uint32_t id, const char *s, size_t len)
{
	struct fmt_buf *b = &x->line;
	struct line_slot *slot = &slots[id % SLOTS];

	if (id == 0 || slot->id != id) {
		size_t at = b->len;
		int rc = attr(x, b, 3, "string", key, s, len);

		if (rc < 0 || id == 0)
			return rc;
		size_t n = b->len - at;
		char *t = realloc(slot->text, n);
		if (!t)
			return -ENOMEM;
		memcpy(t, b->data + at, n);
		slot->text = t;
		slot->len = (uint32_t)n;
		slot->id = id;
		return 0;
	}
	return fmt_append(b, slot->text, slot->len);
}

static int
xes_begin(struct export_ctx *x)
{
	static const char *const ext[][2] = {
		{ "Concept", "concept" }, { "Time", "time" },
		{ "Lifecycle", "lifecycle" }, { "Organizational", "org" },
	};
	static const char *const cls[][2] = {
		{ "Activity", "concept:name" },
		{ "Activity_lifecycle", "concept:name lifecycle:transition" },
		{ "Activity_app", "concept:name app" },
	};
	struct fmt_buf *b = &x->line;
	struct xes *s = calloc(1, sizeof(*s));
	char line[256];
	int rc = 0;

	if (!s)
		return -ENOMEM;
	x->state = s;
	b->len = 0;
	if (LIT(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		   "<log xes.version=\"1.0\">\n") < 0)
		return -ENOMEM;
	for (size_t i = 0; i < sizeof(ext) / sizeof(ext[0]); i++) {
		int n = snprintf(line, sizeof(line),
				 "\t<extension name=\"%s\" prefix=\"%s\" uri=\"" XES_NS "%s.xesext\"/>\n",
				 ext[i][0], ext[i][1], ext[i][1]);
		if (fmt_append(b, line, (size_t)n) < 0)
			return -ENOMEM;
	}
	/* Globals: the attributes every trace and event is guaranteed. */
	if (LIT(b, "\t<global scope=\"trace\">\n") < 0 ||
	    (rc = attr_str(x, b, 2, "concept:name", "__INVALID__")) < 0 ||
	    LIT(b, "\t</global>\n\t<global scope=\"event\">\n") < 0 ||
	    (rc = attr_str(x, b, 2, "concept:name", "__INVALID__")) < 0 ||
	    (rc = attr(x, b, 2, "date", "time:timestamp", "1970-01-01T00:00:00.000Z", 24)) < 0 ||
	    (rc = attr_str(x, b, 2, "lifecycle:transition", "complete")) < 0 ||
	    (rc = attr_str(x, b, 2, "org:resource", "__INVALID__")) < 0 ||
	    LIT(b, "\t</global>\n") < 0)
		return rc < 0 ? rc : -ENOMEM;
	for (size_t i = 0; i < sizeof(cls) / sizeof(cls[0]); i++) {
		int n = snprintf(line, sizeof(line), "\t<classifier name=\"%s\" keys=\"%s\"/>\n",
				 cls[i][0], cls[i][1]);
		if (fmt_append(b, line, (size_t)n) < 0)
			return -ENOMEM;
	}
	if ((rc = attr_str(x, b, 1, "concept:name", "tasktrace actions")) < 0 ||
	    (rc = attr_str(x, b, 1, "lifecycle:model", "standard")) < 0 ||
	    (rc = attr_str(x, b, 1, "source", "tasktrace " TT_VERSION)) < 0)
		return rc;
	output_write(x->out, b->data, b->len);
	return x->out->err;
}

/* One <event>: the activity line, the @p transition line, the time @p ns,
 * then the shared part; at @p o, which has room for it (event_size()). */
#define EVENT_OPEN "\t\t<event>\n"
#define EVENT_CLOSE "\t\t</event>\n"
#define DATE_OPEN "\t\t\t<date key=\"time:timestamp\" value=\""
#define DATE_CLOSE "\"/>\n"
#define PUT(o, s) (memcpy((o), (s), sizeof(s) - 1), (o) += sizeof(s) - 1)

static size_t
event_size(const struct xes *s)
{
	return sizeof(EVENT_OPEN) + s->act.len + sizeof(COMPLETE) + sizeof(DATE_OPEN) +
	       FMT_TIME_LEN + sizeof(DATE_CLOSE) + s->shared.len + sizeof(EVENT_CLOSE);
}

static char *
event(struct xes *s, char *o, const char *transition, size_t tlen, uint64_t ns)
{
	PUT(o, EVENT_OPEN);
	memcpy(o, s->act.data, s->act.len);
	o += s->act.len;
	memcpy(o, transition, tlen);
	o += tlen;
	PUT(o, DATE_OPEN);
	fmt_time_iso_cached(&s->tc, o, ns);	/* writes a NUL after, overwritten */
	o += FMT_TIME_LEN;
	PUT(o, DATE_CLOSE);
	memcpy(o, s->shared.data, s->shared.len);
	o += s->shared.len;
	PUT(o, EVENT_CLOSE);
	return o;
}

static bool
shared_same(const struct xes *s, const struct action *a)
{
	/* app and title are string ids; id 0 ("none") has no cache entry
	 * and is always rebuilt, which is rare */
	return s->key.valid && a->rec->app && a->rec->title &&
	       s->key.app == a->rec->app && s->key.title == a->rec->title &&
	       s->key.element == a->rec->element &&
	       s->key.session == a->session && strcmp(s->key.user, a->user) == 0 &&
	       strcmp(s->key.host, a->host) == 0;
}

static void
shared_keep(struct xes *s, const struct action *a)
{
	size_t u = strlen(a->user), h = strlen(a->host);

	s->key.valid = u < sizeof(s->key.user) && h < sizeof(s->key.host);
	if (!s->key.valid)
		return;
	s->key.app = a->rec->app;
	s->key.title = a->rec->title;
	s->key.element = a->rec->element;
	s->key.session = a->session;
	memcpy(s->key.user, a->user, u + 1);
	memcpy(s->key.host, a->host, h + 1);
}

static int
xes_action(struct export_ctx *x, const struct action *a)
{
	struct xes *s = x->state;
	struct fmt_buf *b = &x->line;
	int rc;

	b->len = 0;
	if (!s->in_trace || strcmp(s->case_id, a->case_id) != 0) {
		if (s->in_trace && LIT(b, "\t</trace>\n") < 0)
			return -ENOMEM;
		snprintf(s->case_id, sizeof(s->case_id), "%s", a->case_id);
		s->in_trace = true;
		if (LIT(b, "\t<trace>\n") < 0 ||
		    (rc = attr_str(x, b, 2, "concept:name", a->case_id)) < 0 ||
		    (rc = attr_str(x, b, 2, "org:resource", a->user)) < 0)
			return -ENOMEM;
	}
	/* What both events of the action carry, in the order they show it:
	 * org:resource, app, title, host, session; rebuilt only when one of
	 * them differs from the previous action's. The app and title lines
	 * come from their caches through x->line and are moved. */
	if (!shared_same(s, a)) {
		size_t at = b->len;

		s->shared.len = 0;
		if ((rc = attr_str(x, &s->shared, 3, "org:resource", a->user)) < 0 ||
		    (rc = attr_id(x, s->app, "app", a->rec->app, a->app, a->app_len)) < 0 ||
		    (rc = attr_id(x, s->title, "title", a->rec->title, a->title, a->title_len)) < 0 ||
		    fmt_append(&s->shared, b->data + at, b->len - at) < 0)
			return rc < 0 ? rc : -ENOMEM;
		b->len = at;
		/* the element in front: an attribute, the activity stays */
		if (a->rec->element &&
		    (rc = attr(x, &s->shared, 3, "string", "tasktrace:element",
			       a->element, a->element_len)) < 0)
			return rc;
		if ((rc = attr_str(x, &s->shared, 3, "host", a->host)) < 0 ||
		    LIT(&s->shared, "\t\t\t<int key=\"session\" value=\"") < 0 ||
		    fmt_u64(&s->shared, a->session) < 0 || LIT(&s->shared, "\"/>\n") < 0)
			return rc < 0 ? rc : -ENOMEM;
		shared_keep(s, a);
	}
	s->act.len = 0;
	if ((rc = attr(x, &s->act, 3, "string", "concept:name", a->activity, a->activity_len)) < 0)
		return rc;
	if (b->len)
		output_write(x->out, b->data, b->len);
	/* An action that lasts is a start and a complete event, so that
	 * tools compute activity durations; an instant is one complete. The
	 * events are built in the output's buffer (a NUL past the time is
	 * written, hence the byte of room more). */
	bool lasts = a->end_ns > a->start_ns;
	size_t need = event_size(s) * (lasts ? 2 : 1) + 1;
	char *o = output_space(x->out, need), *start = o;

	if (!o) {
		/* larger than the output's buffer: built aside, written */
		if (fmt_buf_reserve(b, need) < 0)
			return -ENOMEM;
		start = o = b->data;
	}
	if (lasts)
		o = event(s, o, START, sizeof(START) - 1, a->start_ns);
	o = event(s, o, COMPLETE, sizeof(COMPLETE) - 1, a->end_ns);
	if (start == b->data)
		output_write(x->out, start, (size_t)(o - start));
	else
		output_advance(x->out, (size_t)(o - start));
	return x->out->err;
}

static int
xes_end(struct export_ctx *x)
{
	struct xes *s = x->state;

	if (s->in_trace)
		output_puts(x->out, "\t</trace>\n");
	output_puts(x->out, "</log>\n");
	return x->out->err;
}

static void
xes_destroy(struct export_ctx *x)
{
	struct xes *s = x->state;

	if (!s)
		return;
	for (size_t i = 0; i < SLOTS; i++) {
		free(s->app[i].text);
		free(s->title[i].text);
	}
	fmt_buf_free(&s->shared);
	fmt_buf_free(&s->act);
	free(s);
	x->state = NULL;
}

const struct export_format export_xes = {
	.name = "xes",
	.extension = "xes",
	.by_user = true,
	.begin = xes_begin,
	.action = xes_action,
	.end = xes_end,
	.destroy = xes_destroy,
};
