/* SPDX-License-Identifier: MIT */
/* UI logs (Action Logger CSV, XES) to events. See uilog.h. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/xmlreader.h>

#include "tasktrace/element.h"

#include "uilog.h"

static bool
starts(const char *s, const char *prefix)
{
	return strncasecmp(s, prefix, strlen(prefix)) == 0;
}

enum uilog_op
uilog_op(const char *type, const char *app)
{
	/* The clipboard is no application: its copy is the Ctrl+C that the
	 * focused application received; the rest is the clipboard's echo. */
	if (strcasecmp(app, "OS-Clipboard") == 0 || strcasecmp(app, "Clipboard") == 0)
		return starts(type, "copy") ? UILOG_COPY : UILOG_DROP;
	if (starts(type, "copy"))
		return UILOG_COPY;
	if (starts(type, "right_click") || starts(type, "rightClick") ||
	    starts(type, "contextMenu"))
		return UILOG_RIGHT_CLICK;
	if (starts(type, "newWindow"))
		return UILOG_NEW_WINDOW;
	if (starts(type, "cut"))
		return UILOG_CUT;
	if (starts(type, "paste"))
		return UILOG_PASTE;
	if (starts(type, "edit") || starts(type, "insert") || starts(type, "type") ||
	    starts(type, "changeField") || starts(type, "input"))
		return UILOG_TYPE;
	if (starts(type, "click") || starts(type, "mouseClick") || starts(type, "getCell") || starts(type, "getRange") ||
	    starts(type, "select") || starts(type, "check") || starts(type, "doubleClick"))
		return UILOG_CLICK;
	if (starts(type, "newTab") || starts(type, "createNewTab") || starts(type, "openTab"))
		return UILOG_NEW_TAB;
	if (starts(type, "open"))
		return UILOG_OPEN;
	if (starts(type, "save"))
		return UILOG_SAVE;
	if (starts(type, "goToUrl") || starts(type, "navigate"))
		return UILOG_ADDRESS;
	/* effects of an earlier action, and pages the application loads */
	if (starts(type, "wait") || starts(type, "form_submit") || starts(type, "formSubmit") ||
	    starts(type, "submit") || starts(type, "closeTab") || starts(type, "load") ||
	    starts(type, "startPage") || starts(type, "closeWindow"))
		return UILOG_DROP;
	return UILOG_UNKNOWN;
}

/* --- the element model (uilog.h) --------------------------------------- */

/* Copy @p s trimmed of surrounding white space into @p out. */
static void
trimmed(char *out, size_t size, const char *s)
{
	size_t len;

	while (*s && isspace((unsigned char)*s))
		s++;
	len = strlen(s);
	while (len && isspace((unsigned char)s[len - 1]))
		len--;
	/* an escaped newline of the Action Logger ("\n   ") is blank too */
	while (len >= 2 && s[0] == '\\' && s[1] == 'n') {
		s += 2;
		len -= 2;
		while (len && isspace((unsigned char)*s))
			s++, len--;
	}
	if (len >= size)
		len = size - 1;
	memcpy(out, s, len);
	out[len] = '\0';
}

/* "https://host" of a URL, nothing of its path, query or fragment. */
static void
url_host(char *out, size_t size, const char *url)
{
	const char *p = strstr(url, "://"), *h = p ? p + 3 : url, *e;
	size_t slen = p ? (size_t)(p - url) + 3 : 0;

	out[0] = '\0';
	if (!*url)
		return;
	e = h + strcspn(h, "/?#");
	/* no user:password@ part */
	for (const char *a = h; a < e; a++)
		if (*a == '@')
			h = a + 1;
	if (e == h || slen + (size_t)(e - h) >= size)
		return;
	memcpy(out, url, slen);
	memcpy(out + slen, h, (size_t)(e - h));
	out[slen + (size_t)(e - h)] = '\0';
}

static const char *
web_role(const char *tag, const char *type)
{
	if (strcasecmp(tag, "INPUT") == 0) {
		if (strcasecmp(type, "password") == 0)
			return TT_ELEMENT_ROLE_PASSWORD;
		if (strcasecmp(type, "checkbox") == 0)
			return "check box";
		if (strcasecmp(type, "radio") == 0)
			return "radio button";
		if (strcasecmp(type, "submit") == 0 || strcasecmp(type, "button") == 0 ||
		    strcasecmp(type, "reset") == 0 || strcasecmp(type, "image") == 0)
			return "push button";
		return "text";
	}
	if (strcasecmp(tag, "TEXTAREA") == 0)
		return "text";
	if (strcasecmp(tag, "SELECT") == 0)
		return "combo box";
	if (strcasecmp(tag, "BUTTON") == 0)
		return "push button";
	if (strcasecmp(tag, "A") == 0)
		return "link";
	return "document web";
}

/*
 * The element string of an event from its target's attributes (never its
 * value): @p name is the first non-blank of @p names, kept only when the
 * role is a control's.
 */
static void
element_of(char *buf, size_t size, const char *role, const char *const names[3],
	   const char *url)
{
	char name[TT_ELEMENT_NAME_STORED + 1] = "", host[TT_ELEMENT_URL_MAX + 1];

	if (tt_element_role_is_control(role))
		for (size_t i = 0; i < 3 && !name[0]; i++)
			if (names[i])
				trimmed(name, sizeof(name), names[i]);
	url_host(host, sizeof(host), url ? url : "");
	if (tt_element_format(buf, size, role, name, host) < 0)
		buf[0] = '\0';
}

static void
title_of(char *buf, size_t size, const char *file, const char *sheet)
{
	char f[128] = "", sh[128] = "";

	trimmed(f, sizeof(f), file ? file : "");
	trimmed(sh, sizeof(sh), sheet ? sheet : "");
	snprintf(buf, size, "%s%s%s", f, f[0] && sh[0] ? " - " : "", sh);
}

/* An Action Logger row's element and title. */
static void
csv_element(char *el, size_t elsize, char *title, size_t tsize, const char *type,
	    const char *app, const char *const col[8])
{
	/* col: url, tagName, type, name, id, innerText, workbookName, sheetName */
	const char *names[3] = { col[3], col[4], col[5] };
	bool sheet = (col[6] && col[6][0]) || (col[7] && col[7][0]) ||
		     strcasecmp(app, "Excel") == 0;

	el[0] = title[0] = '\0';
	if (uilog_op(type, app) == UILOG_DROP && strcasecmp(app, "OS-Clipboard") == 0)
		return;
	if (strcasecmp(app, "OS-Clipboard") == 0)
		return;		/* the copy acts on what the application had */
	if (sheet && !(col[1] && col[1][0])) {
		title_of(title, tsize, col[6], col[7]);
		if (starts(type, "selectWorksheet")) {
			const char *tab[3] = { col[7], NULL, NULL };
			element_of(el, elsize, "page tab", tab, NULL);
		} else {
			const char *none[3] = { NULL, NULL, NULL };
			element_of(el, elsize, "table cell", none, NULL);
		}
		return;
	}
	if (col[1] && col[1][0]) {
		element_of(el, elsize, web_role(col[1], col[2] ? col[2] : ""), names, col[0]);
	} else if (col[0] && col[0][0]) {
		const char *none[3] = { NULL, NULL, NULL };
		element_of(el, elsize, "document web", none, col[0]);
	}
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant). */
static int64_t
days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

static bool
digits(const char *s, int n, unsigned *out)
{
	unsigned v = 0;

	for (int i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return false;
		v = v * 10 + (unsigned)(s[i] - '0');
	}
	*out = v;
	return true;
}

bool
uilog_parse_time(const char *s, uint64_t *ns)
{
	static const unsigned mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	unsigned y, mo, d, h, mi, sec, oh = 0, om = 0;
	uint64_t frac = 0, scale = 1000000000ULL;
	int64_t off = 0, t;

	if (!digits(s, 4, &y) || s[4] != '-' || !digits(s + 5, 2, &mo) || s[7] != '-' ||
	    !digits(s + 8, 2, &d) || (s[10] != 'T' && s[10] != ' ') ||
	    !digits(s + 11, 2, &h) || s[13] != ':' || !digits(s + 14, 2, &mi) ||
	    s[16] != ':' || !digits(s + 17, 2, &sec))
		return false;
	s += 19;
	if (*s == '.' || *s == ',') {
		s++;
		if (!isdigit((unsigned char)*s))
			return false;
		for (; isdigit((unsigned char)*s); s++) {
			if (scale > 1) {
				scale /= 10;
				frac += (uint64_t)(*s - '0') * scale;
			}
		}
	}
	if (*s == 'Z' || *s == 'z') {
		s++;
	} else if (*s == '+' || *s == '-') {
		int sign = *s == '-' ? -1 : 1;
		if (!digits(s + 1, 2, &oh))
			return false;
		s += 3;
		if (*s == ':')
			s++;
		if (!digits(s, 2, &om))
			return false;
		s += 2;
		if (oh > 23 || om > 59)
			return false;
		off = sign * (int64_t)(oh * 3600 + om * 60);
	}
	if (*s)
		return false;
	if (y < 1970 || y > 2200 || mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] ||
	    h > 23 || mi > 59 || sec > 60)
		return false;
	if (mo == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return false;
	t = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec - off;
	if (t < 0)
		return false;
	*ns = (uint64_t)t * 1000000000ULL + frac;
	return true;
}

/* --- CSV (RFC 4180: quoted fields may hold commas, quotes, newlines) --- */

#define CSV_MAX_FIELDS 256

struct csv {
	const char *p, *end;
	unsigned line;
	char *buf;		/* the current row's fields, NUL-separated */
	size_t cap;
	char *field[CSV_MAX_FIELDS];
	size_t n;
};

/* Read one row; 1, 0 at the end, -1 on a malformed row. */
static int
csv_row(struct csv *c)
{
	size_t len = 0, starts_at[CSV_MAX_FIELDS];

	c->n = 0;
	if (c->p >= c->end)
		return 0;
	c->line++;
	for (;;) {
		bool quoted = false;

		if (c->n == CSV_MAX_FIELDS)
			return -1;
		starts_at[c->n++] = len;
		if (c->p < c->end && *c->p == '"') {
			quoted = true;
			c->p++;
		}
		for (;;) {
			char ch;
			if (c->p >= c->end) {
				if (quoted)
					return -1;	/* unterminated quote */
				break;
			}
			ch = *c->p;
			if (quoted) {
				if (ch == '"') {
					if (c->p + 1 < c->end && c->p[1] == '"') {
						c->p += 2;
					} else {
						c->p++;
						quoted = false;
						continue;
					}
				} else {
					if (ch == '\n')
						c->line++;
					c->p++;
				}
			} else {
				if (ch == ',' || ch == '\n' || ch == '\r')
					break;
				c->p++;
			}
			if (len + 2 > c->cap) {
				size_t cap = c->cap ? c->cap * 2 : 1024;
				char *b = realloc(c->buf, cap);
				if (!b)
					return -1;
				c->buf = b;
				c->cap = cap;
			}
			c->buf[len++] = ch;
		}
		if (len + 1 > c->cap) {
			size_t cap = c->cap ? c->cap * 2 : 1024;
			char *b = realloc(c->buf, cap);
			if (!b)
				return -1;
			c->buf = b;
			c->cap = cap;
		}
		c->buf[len++] = '\0';
		if (c->p < c->end && *c->p == ',') {
			c->p++;
			continue;
		}
		if (c->p < c->end && *c->p == '\r')
			c->p++;
		if (c->p < c->end && *c->p == '\n')
			c->p++;
		break;
	}
	for (size_t i = 0; i < c->n; i++)
		c->field[i] = c->buf + starts_at[i];
	return 1;
}

static long
parse_csv(const char *data, size_t len,
	  int (*fn)(void *ctx, const struct uilog_event *ev), void *ctx,
	  char *err, size_t errlen)
{
	struct csv c = { .p = data, .end = data + len };
	int col_time = -1, col_user = -1, col_app = -1, col_type = -1, rc;
	int col_el[8] = { -1, -1, -1, -1, -1, -1, -1, -1 };
	static const char *const el_names[8] = {
		"url", "target.tagName", "target.type", "target.name", "target.id",
		"target.innerText", "target.workbookName", "target.sheetName",
	};
	long n = 0;
	unsigned instance = 0;
	bool after_submit = false;
	char user[128] = "", element[TT_ELEMENT_STR_MAX], title[260];

	if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0)
		c.p += 3;
	rc = csv_row(&c);
	if (rc <= 0) {
		snprintf(err, errlen, "empty or malformed header");
		goto fail;
	}
	for (size_t i = 0; i < c.n; i++) {
		if (strcmp(c.field[i], "timeStamp") == 0)
			col_time = (int)i;
		else if (strcmp(c.field[i], "userID") == 0)
			col_user = (int)i;
		else if (strcmp(c.field[i], "targetApp") == 0)
			col_app = (int)i;
		else if (strcmp(c.field[i], "eventType") == 0)
			col_type = (int)i;
		for (size_t k = 0; k < 8; k++)
			if (strcmp(c.field[i], el_names[k]) == 0)
				col_el[k] = (int)i;
	}
	if (col_time < 0 || col_app < 0 || col_type < 0) {
		snprintf(err, errlen, "line 1: not an Action Logger log: no %s column",
			 col_time < 0 ? "timeStamp" : col_app < 0 ? "targetApp" : "eventType");
		goto fail;
	}
	while ((rc = csv_row(&c)) > 0) {
		struct uilog_event ev = { 0 };
		int need = col_time > col_app ? col_time : col_app;

		if (col_type > need)
			need = col_type;
		if (c.n == 1 && c.field[0][0] == '\0')
			continue;	/* a blank line */
		if ((int)c.n <= need) {
			snprintf(err, errlen, "line %u: %zu fields, the header has more",
				 c.line, c.n);
			goto fail;
		}
		if (!uilog_parse_time(c.field[col_time], &ev.time_ns)) {
			snprintf(err, errlen, "line %u: cannot read the time '%.40s'", c.line,
				 c.field[col_time]);
			goto fail;
		}
		/* Clipboard rows name no user: the last one named. */
		if (col_user >= 0 && (int)c.n > col_user && c.field[col_user][0])
			snprintf(user, sizeof(user), "%s", c.field[col_user]);
		ev.user = user;
		ev.app = c.field[col_app];
		ev.type = c.field[col_type];
		ev.op = uilog_op(ev.type, ev.app);
		const char *col[8];
		for (size_t k = 0; k < 8; k++)
			col[k] = col_el[k] >= 0 && (int)c.n > col_el[k] ? c.field[col_el[k]] : "";
		csv_element(element, sizeof(element), title, sizeof(title), ev.type, ev.app, col);
		ev.element = element;
		ev.title = title;
		/* an instance ends with its form's submit and what follows it */
		bool follows = starts(ev.type, "clickLink") || starts(ev.type, "form_submit") ||
			       starts(ev.type, "formSubmit") || starts(ev.type, "createNewTab") ||
			       starts(ev.type, "navigate") || starts(ev.type, "startPage") ||
			       strcasecmp(ev.app, "OS-Clipboard") == 0;
		if (after_submit && !follows) {
			instance++;
			after_submit = false;
		}
		if (starts(ev.type, "click") && strcasecmp(col[2], "submit") == 0)
			after_submit = true;
		ev.trace = instance;
		if (fn && (rc = fn(ctx, &ev)) < 0) {
			snprintf(err, errlen, "line %u: %s", c.line, strerror(-rc));
			goto fail;
		}
		n++;
	}
	if (rc < 0) {
		snprintf(err, errlen, "line %u: malformed row (unterminated quote or "
			 "more than %d fields)", c.line, CSV_MAX_FIELDS);
		goto fail;
	}
	free(c.buf);
	return n;
fail:
	free(c.buf);
	return -1;
}

/* --- XES ---------------------------------------------------------------- */

struct xes_event {
	uint64_t time_ns;
	unsigned trace, order;
	char *app, *type, *user;
	char *label, *url, *sheet, *file;	/* what it acts on: element, title */
};

struct xes {
	struct xes_event *v;
	size_t n, cap;
	uint64_t *first;	/* per trace: its first event's time */
	size_t n_traces;
};

static int
xes_push(struct xes *x, const struct xes_event *e)
{
	if (x->n == x->cap) {
		size_t cap = x->cap ? x->cap * 2 : 256;
		struct xes_event *v = realloc(x->v, cap * sizeof(*v));
		if (!v)
			return -ENOMEM;
		x->v = v;
		x->cap = cap;
	}
	x->v[x->n++] = *e;
	return 0;
}

static const struct xes *sort_ctx;

static int
cmp_xes(const void *pa, const void *pb)
{
	const struct xes_event *a = pa, *b = pb;
	uint64_t fa = sort_ctx->first[a->trace], fb = sort_ctx->first[b->trace];

	if (fa != fb)
		return fa < fb ? -1 : 1;
	if (a->trace != b->trace)
		return a->trace < b->trace ? -1 : 1;
	return a->order < b->order ? -1 : a->order > b->order;
}

static void
xes_free(struct xes *x)
{
	for (size_t i = 0; i < x->n; i++) {
		free(x->v[i].app);
		free(x->v[i].type);
		free(x->v[i].user);
		free(x->v[i].label);
		free(x->v[i].url);
		free(x->v[i].sheet);
		free(x->v[i].file);
	}
	free(x->v);
	free(x->first);
}

static char *
attr(xmlTextReaderPtr r, const char *name)
{
	xmlChar *v = xmlTextReaderGetAttribute(r, (const xmlChar *)name);
	char *s = v ? strdup((const char *)v) : NULL;

	xmlFree(v);
	return s;
}

static void
silence(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

static long
parse_xes(const char *data, size_t len,
	  int (*fn)(void *ctx, const struct uilog_event *ev), void *ctx,
	  char *err, size_t errlen)
{
	struct xes x = { 0 };
	struct xes_event cur = { 0 };
	xmlTextReaderPtr r;
	int depth_event = -1, rc;
	bool in_trace = false, has_time = false;
	unsigned order = 0;
	long n = -1;

	if (len > INT32_MAX) {
		snprintf(err, errlen, "too large");
		return -1;
	}
	xmlSetGenericErrorFunc(NULL, silence);
	/* No network, no external entities, no DTD loading. */
	r = xmlReaderForMemory(data, (int)len, NULL, NULL, XML_PARSE_NONET);
	if (!r) {
		snprintf(err, errlen, "cannot start the XML reader");
		return -1;
	}
	while ((rc = xmlTextReaderRead(r)) == 1) {
		int type = xmlTextReaderNodeType(r), depth = xmlTextReaderDepth(r);
		const char *name = (const char *)xmlTextReaderConstLocalName(r);

		if (!name)
			continue;
		if (type == XML_READER_TYPE_ELEMENT && strcmp(name, "trace") == 0 &&
		    depth_event < 0) {
			if (!xmlTextReaderIsEmptyElement(r))
				in_trace = true;
			uint64_t *f = realloc(x.first, (x.n_traces + 1) * sizeof(*f));
			if (!f)
				goto nomem;
			x.first = f;
			x.first[x.n_traces++] = UINT64_MAX;
			continue;
		}
		if (type == XML_READER_TYPE_END_ELEMENT && strcmp(name, "trace") == 0 &&
		    depth_event < 0) {
			in_trace = false;
			continue;
		}
		if (type == XML_READER_TYPE_ELEMENT && strcmp(name, "event") == 0 &&
		    in_trace && depth_event < 0) {
			memset(&cur, 0, sizeof(cur));
			has_time = false;
			depth_event = depth;
			if (!xmlTextReaderIsEmptyElement(r))
				continue;
			type = XML_READER_TYPE_END_ELEMENT;	/* <event/> */
		}
		if (depth_event >= 0 && type == XML_READER_TYPE_ELEMENT &&
		    depth == depth_event + 1) {
			char *key = attr(r, "key"), *value = attr(r, "value");
			if (key && value) {
				if (strcmp(name, "date") == 0 && strcmp(key, "time:timestamp") == 0) {
					if (!uilog_parse_time(value, &cur.time_ns)) {
						snprintf(err, errlen, "trace %zu: cannot read the "
							 "time '%.40s'", x.n_traces, value);
						free(key);
						free(value);
						goto fail;
					}
					has_time = true;
				} else if (strcmp(key, "concept:name") == 0 && !cur.type) {
					cur.type = value;
					value = NULL;
				} else if (strcmp(key, "source") == 0 && !cur.app) {
					cur.app = value;
					value = NULL;
				} else if (strcmp(key, "org:resource") == 0 && !cur.user) {
					cur.user = value;
					value = NULL;
				} else if (strcmp(key, "Label") == 0 && !cur.label) {
					cur.label = value;
					value = NULL;
				} else if (strcmp(key, "Url") == 0 && !cur.url) {
					cur.url = value;
					value = NULL;
				} else if (strcmp(key, "Sheet") == 0 && !cur.sheet) {
					cur.sheet = value;
					value = NULL;
				} else if (strcmp(key, "FileName") == 0 && !cur.file) {
					cur.file = value;
					value = NULL;
				}
			}
			free(key);
			free(value);
			continue;
		}
		if (depth_event >= 0 && type == XML_READER_TYPE_END_ELEMENT &&
		    depth == depth_event && strcmp(name, "event") == 0) {
			depth_event = -1;
			if (!has_time) {
				snprintf(err, errlen, "trace %zu: an event without time:timestamp",
					 x.n_traces);
				goto fail;
			}
			cur.trace = (unsigned)(x.n_traces - 1);
			cur.order = order++;
			if (cur.time_ns < x.first[cur.trace])
				x.first[cur.trace] = cur.time_ns;
			if (xes_push(&x, &cur) < 0)
				goto nomem;
			memset(&cur, 0, sizeof(cur));
		}
	}
	if (rc < 0) {
		snprintf(err, errlen, "not well-formed XML (near line %d)",
			 xmlTextReaderGetParserLineNumber(r));
		goto fail;
	}
	if (x.n_traces == 0) {
		snprintf(err, errlen, "no <trace> in this XES log");
		goto fail;
	}
	if (x.n == 0) {
		/* (and x.v is NULL, which qsort may not get: fuzz-uilog) */
		snprintf(err, errlen, "no <event> in any <trace> of this XES log");
		goto fail;
	}
	/* Traces in time order, each in file order: an unsegmented log. */
	sort_ctx = &x;
	if (x.n)
		qsort(x.v, x.n, sizeof(*x.v), cmp_xes);
	for (size_t i = 0; i < x.n; i++) {
		struct xes_event *e = &x.v[i];
		char element[TT_ELEMENT_STR_MAX], title[260];
		struct uilog_event ev = {
			.time_ns = e->time_ns,
			.user = e->user ? e->user : "",
			.app = e->app ? e->app : "",
			.type = e->type ? e->type : "",
			.trace = e->trace,
			.element = element,
			.title = title,
		};
		ev.op = uilog_op(ev.type, ev.app);
		const char *names[3] = { e->label, NULL, NULL };
		element[0] = '\0';
		title_of(title, sizeof(title), e->file, e->sheet);
		if (strcasecmp(ev.app, "Excel") == 0 || e->sheet || e->file)
			element_of(element, sizeof(element), "table cell", names, NULL);
		else if (ev.op == UILOG_CLICK)
			element_of(element, sizeof(element), e->label ? "push button" : "document web",
				   names, e->url);
		else if (ev.op == UILOG_ADDRESS || (!e->label && e->url))
			element_of(element, sizeof(element), "document web", names, e->url);
		else if (e->label)
			element_of(element, sizeof(element), "text", names, e->url);
		if (fn && (rc = fn(ctx, &ev)) < 0) {
			snprintf(err, errlen, "%s", strerror(-rc));
			goto fail;
		}
	}
	n = (long)x.n;
	goto out;
nomem:
	snprintf(err, errlen, "out of memory");
fail:
	n = -1;
out:
	free(cur.app);
	free(cur.type);
	free(cur.user);
	free(cur.label);
	free(cur.url);
	free(cur.sheet);
	free(cur.file);
	xes_free(&x);
	xmlFreeTextReader(r);
	return n;
}

long
uilog_parse(const char *data, size_t len,
	    int (*fn)(void *ctx, const struct uilog_event *ev), void *ctx,
	    char *err, size_t errlen)
{
	size_t i = 0;

	while (i < len && isspace((unsigned char)data[i]))
		i++;
	if (i + 3 <= len && memcmp(data + i, "\xef\xbb\xbf", 3) == 0)
		i += 3;
	if (i < len && data[i] == '<')
		return parse_xes(data, len, fn, ctx, err, errlen);
	return parse_csv(data, len, fn, ctx, err, errlen);
}
