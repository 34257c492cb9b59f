/* SPDX-License-Identifier: MIT */
/*
 * XES export (IEEE 1849-2016), written with libxml2's xmlTextWriter: a
 * streaming writer, so the document is never held in memory, and the
 * library does the XML escaping. Its output goes through an
 * xmlOutputBuffer whose write callback feeds struct output, so the file
 * is still written atomically.
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
 * Traces need their events together, so the driver hands this writer
 * the records one user at a time (by_user); a trace ends where the case
 * id changes.
 */
#include <errno.h>
#include <libxml/xmlwriter.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mining/export/export.h"

#define XES_NS "http://www.xes-standard.org/"

struct xes {
	xmlTextWriterPtr w;
	bool in_trace;
	char case_id[160];
};

static int
io_write(void *ctx, const char *buf, int len)
{
	struct output *out = ctx;

	output_write(out, buf, (size_t)len);
	return out->err ? -1 : len;
}

static int
io_close(void *ctx)
{
	(void)ctx;
	return 0;
}

/* Every xmlTextWriter call returns < 0 on failure (out of memory or
 * the output's write failing). */
#define XW(call)                                                          \
	do {                                                              \
		if ((call) < 0)                                           \
			return x->out->err ? x->out->err : -EIO;          \
	} while (0)

/* @p s as clean, NUL-terminated UTF-8, in x->clean (xmlTextWriter takes
 * C strings; stored strings are slices). NULL when memory runs out. */
static const char *
cstr(struct export_ctx *x, const char *s, size_t len)
{
	size_t clen;
	const char *c = fmt_utf8_clean(s, len, FMT_CLEAN_CONTROL, &x->clean, &clen);

	if (!c)
		return NULL;
	if (c != x->clean.data) {
		x->clean.len = 0;
		if (fmt_append(&x->clean, c, clen) < 0)
			return NULL;
	}
	x->clean.len = clen;
	if (fmt_append(&x->clean, "", 1) < 0)
		return NULL;
	return x->clean.data;
}

/* <type key="key" value="value"/> */
static int
attr(struct export_ctx *x, const char *type, const char *key,
     const char *value, size_t len)
{
	struct xes *s = x->state;
	const char *v = cstr(x, value, len);

	if (!v)
		return -ENOMEM;
	XW(xmlTextWriterStartElement(s->w, BAD_CAST type));
	XW(xmlTextWriterWriteAttribute(s->w, BAD_CAST "key", BAD_CAST key));
	XW(xmlTextWriterWriteAttribute(s->w, BAD_CAST "value", BAD_CAST v));
	XW(xmlTextWriterEndElement(s->w));
	return 0;
}

static int
attr_str(struct export_ctx *x, const char *key, const char *value)
{
	return attr(x, "string", key, value, strlen(value));
}

static int
extension(struct export_ctx *x, const char *name, const char *prefix)
{
	struct xes *s = x->state;
	char uri[96];

	snprintf(uri, sizeof(uri), XES_NS "%s.xesext", prefix);
	XW(xmlTextWriterStartElement(s->w, BAD_CAST "extension"));
	XW(xmlTextWriterWriteAttribute(s->w, BAD_CAST "name", BAD_CAST name));
	XW(xmlTextWriterWriteAttribute(s->w, BAD_CAST "prefix", BAD_CAST prefix));
	XW(xmlTextWriterWriteAttribute(s->w, BAD_CAST "uri", BAD_CAST uri));
	XW(xmlTextWriterEndElement(s->w));
	return 0;
}

static int
classifier(struct export_ctx *x, const char *name, const char *keys)
{
	struct xes *s = x->state;

	XW(xmlTextWriterStartElement(s->w, BAD_CAST "classifier"));
	XW(xmlTextWriterWriteAttribute(s->w, BAD_CAST "name", BAD_CAST name));
	XW(xmlTextWriterWriteAttribute(s->w, BAD_CAST "keys", BAD_CAST keys));
	XW(xmlTextWriterEndElement(s->w));
	return 0;
}

static int
xes_begin(struct export_ctx *x)
{
	struct xes *s = calloc(1, sizeof(*s));
	xmlOutputBufferPtr buf;
	int rc;

	if (!s)
		return -ENOMEM;
	x->state = s;
	buf = xmlOutputBufferCreateIO(io_write, io_close, x->out, NULL);
	if (!buf)
		return -ENOMEM;
	s->w = xmlNewTextWriter(buf);
	if (!s->w) {
		xmlOutputBufferClose(buf);
		return -ENOMEM;
	}
	XW(xmlTextWriterSetIndent(s->w, 1));
	XW(xmlTextWriterSetIndentString(s->w, BAD_CAST "\t"));
	/* The prolog is written by hand: StartDocument with an encoding
	 * would route every byte through an UTF-8 to UTF-8 converter (a
	 * third of the export's time), and the text is UTF-8 already. */
	output_puts(x->out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	XW(xmlTextWriterStartElement(s->w, BAD_CAST "log"));
	XW(xmlTextWriterWriteAttribute(s->w, BAD_CAST "xes.version", BAD_CAST "1.0"));
	if ((rc = extension(x, "Concept", "concept")) < 0 ||
	    (rc = extension(x, "Time", "time")) < 0 ||
	    (rc = extension(x, "Lifecycle", "lifecycle")) < 0 ||
	    (rc = extension(x, "Organizational", "org")) < 0)
		return rc;

	/* Globals: the attributes every trace and event is guaranteed. */
	XW(xmlTextWriterStartElement(s->w, BAD_CAST "global"));
	XW(xmlTextWriterWriteAttribute(s->w, BAD_CAST "scope", BAD_CAST "trace"));
	if ((rc = attr_str(x, "concept:name", "__INVALID__")) < 0)
		return rc;
	XW(xmlTextWriterEndElement(s->w));
	XW(xmlTextWriterStartElement(s->w, BAD_CAST "global"));
	XW(xmlTextWriterWriteAttribute(s->w, BAD_CAST "scope", BAD_CAST "event"));
	if ((rc = attr_str(x, "concept:name", "__INVALID__")) < 0 ||
	    (rc = attr(x, "date", "time:timestamp", "1970-01-01T00:00:00.000Z", 24)) < 0 ||
	    (rc = attr_str(x, "lifecycle:transition", "complete")) < 0 ||
	    (rc = attr_str(x, "org:resource", "__INVALID__")) < 0)
		return rc;
	XW(xmlTextWriterEndElement(s->w));

	if ((rc = classifier(x, "Activity", "concept:name")) < 0 ||
	    (rc = classifier(x, "Activity_lifecycle",
			     "concept:name lifecycle:transition")) < 0 ||
	    (rc = classifier(x, "Activity_app", "concept:name app")) < 0)
		return rc;

	if ((rc = attr_str(x, "concept:name", "tasktrace actions")) < 0 ||
	    (rc = attr_str(x, "lifecycle:model", "standard")) < 0 ||
	    (rc = attr_str(x, "source", "tasktrace " TT_VERSION)) < 0)
		return rc;
	return x->out->err;
}

static int
event(struct export_ctx *x, const struct action *a, const char *transition,
      uint64_t ns)
{
	struct xes *s = x->state;
	char t[FMT_TIME_LEN + 1], num[16];
	int rc;

	fmt_time_iso(t, ns);
	snprintf(num, sizeof(num), "%u", a->session);
	XW(xmlTextWriterStartElement(s->w, BAD_CAST "event"));
	if ((rc = attr(x, "string", "concept:name", a->activity, a->activity_len)) < 0 ||
	    (rc = attr_str(x, "lifecycle:transition", transition)) < 0 ||
	    (rc = attr(x, "date", "time:timestamp", t, FMT_TIME_LEN)) < 0 ||
	    (rc = attr_str(x, "org:resource", a->user)) < 0 ||
	    (rc = attr(x, "string", "app", a->app, a->app_len)) < 0 ||
	    (rc = attr(x, "string", "title", a->title, a->title_len)) < 0 ||
	    (rc = attr_str(x, "host", a->host)) < 0 ||
	    (rc = attr(x, "int", "session", num, strlen(num))) < 0)
		return rc;
	XW(xmlTextWriterEndElement(s->w));
	return 0;
}

static int
xes_action(struct export_ctx *x, const struct action *a)
{
	struct xes *s = x->state;
	int rc;

	if (!s->in_trace || strcmp(s->case_id, a->case_id) != 0) {
		if (s->in_trace)
			XW(xmlTextWriterEndElement(s->w));
		snprintf(s->case_id, sizeof(s->case_id), "%s", a->case_id);
		XW(xmlTextWriterStartElement(s->w, BAD_CAST "trace"));
		s->in_trace = true;
		if ((rc = attr_str(x, "concept:name", a->case_id)) < 0 ||
		    (rc = attr_str(x, "org:resource", a->user)) < 0)
			return rc;
	}
	/* An action that lasts is a start and a complete event, so that
	 * tools compute activity durations; an instant is one complete. */
	if (a->end_ns > a->start_ns &&
	    (rc = event(x, a, "start", a->start_ns)) < 0)
		return rc;
	if ((rc = event(x, a, "complete", a->end_ns)) < 0)
		return rc;
	return x->out->err;
}

static int
xes_end(struct export_ctx *x)
{
	struct xes *s = x->state;

	XW(xmlTextWriterEndDocument(s->w)); /* closes the open trace and log */
	XW(xmlTextWriterFlush(s->w));
	return x->out->err;
}

static void
xes_destroy(struct export_ctx *x)
{
	struct xes *s = x->state;

	if (!s)
		return;
	if (s->w)
		xmlFreeTextWriter(s->w); /* frees the output buffer too */
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
