/* SPDX-License-Identifier: MIT */
/*
 * OCEL 2.0 JSON export (object-centric event log).
 *
 * Object types: user, application, window, device, session. Each action
 * is an event whose type is its activity, related to its objects with a
 * qualifier: "performed by" (user), "in application", "in window",
 * "with device", "in session". Sessions are related to their user
 * ("of user"), windows to the application they were first seen in ("of
 * application"). Event attributes: end, case, host.
 *
 * Streaming. The document is one JSON object, and its member order is
 * free, so this writer emits "objectTypes" (fixed) first, then each
 * event as it comes, then "eventTypes" and "objects", which are only
 * known at the end. What it remembers meanwhile is which objects and
 * activities it has seen: a bit per string, session and device id (the
 * ids are small, dense integers from the store's tables), and the names
 * of users and activities. That grows with the store's vocabulary, not
 * with the number of records, and the objects' details are looked up
 * only at the end. A JSON library (json-c) would build the whole
 * document as a tree first: gigabytes for a big store, hence a careful
 * streaming writer, with fmt_json_string() for escaping.
 *
 * The official JSON schema types every attribute "value" as a string
 * (the spec's examples use numbers, but those do not validate), so
 * every value here is a string, times in ISO-8601.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mining/export/export.h"
#include "tasktrace/element.h"

#define EPOCH "1970-01-01T00:00:00.000Z"

struct bitset {
	uint64_t *w;
	size_t words;
};

/* The application a window title was first seen in, by title id. */
struct title_apps {
	uint32_t *app;
	size_t n;
};

struct strset {
	char **slot;
	size_t cap;		/* power of two */
	size_t n;
};

struct ocel {
	struct bitset apps, titles, sessions, devices, elements;
	struct title_apps title_app;
	struct strset users, types;
	bool any_event;
};

static int
bitset_add(struct bitset *b, uint32_t i)
{
	size_t w = i / 64;

	if (w >= b->words) {
		size_t words = b->words ? b->words : 16;
		while (words <= w)
			words *= 2;
		uint64_t *p = realloc(b->w, words * sizeof(*p));
		if (!p)
			return -ENOMEM;
		memset(p + b->words, 0, (words - b->words) * sizeof(*p));
		b->w = p;
		b->words = words;
	}
	b->w[w] |= 1ULL << (i % 64);
	return 0;
}

static int
title_app_set(struct title_apps *t, uint32_t title, uint32_t app)
{
	if (title >= t->n) {
		size_t n = t->n ? t->n : 1024;
		while (n <= title)
			n *= 2;
		uint32_t *p = realloc(t->app, n * sizeof(*p));
		if (!p)
			return -ENOMEM;
		memset(p + t->n, 0, (n - t->n) * sizeof(*p));
		t->app = p;
		t->n = n;
	}
	if (!t->app[title])
		t->app[title] = app;
	return 0;
}

static uint64_t
hash(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL;	/* FNV-1a */

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
	return h;
}

static int
strset_add(struct strset *set, const char *s)
{
	if (set->n * 2 >= set->cap) {
		size_t cap = set->cap ? set->cap * 2 : 64;
		char **slot = calloc(cap, sizeof(*slot));
		if (!slot)
			return -ENOMEM;
		for (size_t i = 0; i < set->cap; i++) {
			if (!set->slot[i])
				continue;
			size_t j = hash(set->slot[i]) & (cap - 1);
			while (slot[j])
				j = (j + 1) & (cap - 1);
			slot[j] = set->slot[i];
		}
		free(set->slot);
		set->slot = slot;
		set->cap = cap;
	}
	size_t j = hash(s) & (set->cap - 1);
	while (set->slot[j]) {
		if (strcmp(set->slot[j], s) == 0)
			return 0;
		j = (j + 1) & (set->cap - 1);
	}
	set->slot[j] = strdup(s);
	if (!set->slot[j])
		return -ENOMEM;
	set->n++;
	return 0;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The set's strings in byte order (so that exports are reproducible);
 * an array the caller frees, or NULL (then *n is 0 when the set is). */
static char **
strset_sorted(const struct strset *set, size_t *n)
{
	char **v = malloc((set->n ? set->n : 1) * sizeof(*v));

	*n = 0;
	if (!v)
		return NULL;
	for (size_t i = 0; i < set->cap; i++)
		if (set->slot[i])
			v[(*n)++] = set->slot[i];
	qsort(v, *n, sizeof(*v), cmp_str);
	return v;
}

static void
strset_free(struct strset *set)
{
	for (size_t i = 0; i < set->cap; i++)
		free(set->slot[i]);
	free(set->slot);
}

/* Append @p s, cleaned, as a JSON string to x->line. */
static int
jstr(struct export_ctx *x, const char *s, size_t len)
{
	size_t clen;
	const char *c = fmt_utf8_clean(s, len, 0, &x->clean, &clen);

	if (!c || fmt_json_string(&x->line, c, clen) < 0)
		return -ENOMEM;
	return 0;
}

static int
lit(struct export_ctx *x, const char *s)
{
	return fmt_append(&x->line, s, strlen(s));
}

/* Write x->line to the output and empty it. */
static int
emit(struct export_ctx *x)
{
	output_write(x->out, x->line.data, x->line.len);
	x->line.len = 0;
	return x->out->err;
}

static int
ocel_begin(struct export_ctx *x)
{
	struct ocel *s = calloc(1, sizeof(*s));

	if (!s)
		return -ENOMEM;
	x->state = s;
	output_puts(x->out,
		"{\"objectTypes\":[\n"
		"{\"name\":\"user\",\"attributes\":[]},\n"
		"{\"name\":\"application\",\"attributes\":[{\"name\":\"name\",\"type\":\"string\"}]},\n"
		"{\"name\":\"window\",\"attributes\":[{\"name\":\"title\",\"type\":\"string\"}]},\n"
		"{\"name\":\"device\",\"attributes\":[{\"name\":\"name\",\"type\":\"string\"},"
		"{\"name\":\"ident\",\"type\":\"string\"}]},\n"
		"{\"name\":\"session\",\"attributes\":[{\"name\":\"seat\",\"type\":\"string\"},"
		"{\"name\":\"start\",\"type\":\"time\"}]},\n"
		"{\"name\":\"element\",\"attributes\":[{\"name\":\"role\",\"type\":\"string\"},"
		"{\"name\":\"name\",\"type\":\"string\"},{\"name\":\"url\",\"type\":\"string\"}]}\n"
		"],\n\"events\":[\n");
	return x->out->err;
}

/* ,{"objectId":"<prefix><name>","qualifier":"<q>"} */
static int
rel(struct export_ctx *x, bool first, const char *prefix, const char *name,
    size_t len, const char *qualifier)
{
	int rc = 0;

	rc |= lit(x, first ? "{\"objectId\":\"" : ",{\"objectId\":\"");
	rc |= lit(x, prefix);
	/* The id's text goes inside the quotes opened above: escape it as a
	 * string and drop that string's own quotes. */
	size_t at = x->line.len;
	rc |= jstr(x, name, len);
	if (rc)
		return -ENOMEM;
	memmove(x->line.data + at, x->line.data + at + 1, x->line.len - at - 2);
	x->line.len -= 2;
	rc |= lit(x, "\",\"qualifier\":\"");
	rc |= lit(x, qualifier);
	rc |= lit(x, "\"}");
	return rc ? -ENOMEM : 0;
}

static int
ocel_action(struct export_ctx *x, const struct action *a)
{
	struct ocel *s = x->state;
	const struct tt_record *r = a->rec;
	char t[FMT_TIME_LEN + 1], num[16];
	int rc = 0;

	if ((rc = strset_add(&s->types, a->activity)) < 0 ||
	    (rc = strset_add(&s->users, a->user)) < 0 ||
	    (r->app && (rc = bitset_add(&s->apps, r->app)) < 0) ||
	    (r->title && (rc = bitset_add(&s->titles, r->title)) < 0) ||
	    (r->title && r->app &&
	     (rc = title_app_set(&s->title_app, r->title, r->app)) < 0) ||
	    (r->session && (rc = bitset_add(&s->sessions, r->session)) < 0) ||
	    (r->device && (rc = bitset_add(&s->devices, r->device)) < 0) ||
	    (r->element && (rc = bitset_add(&s->elements, r->element)) < 0))
		return rc;

	x->line.len = 0;
	rc |= lit(x, s->any_event ? ",\n{\"id\":\"e" : "{\"id\":\"e");
	rc |= fmt_u64(&x->line, a->seq);
	rc |= lit(x, "\",\"type\":");
	rc |= jstr(x, a->activity, a->activity_len);
	fmt_time_iso(t, a->start_ns);
	rc |= lit(x, ",\"time\":\"");
	rc |= lit(x, t);
	fmt_time_iso(t, a->end_ns);
	rc |= lit(x, "\",\"attributes\":[{\"name\":\"end\",\"value\":\"");
	rc |= lit(x, t);
	rc |= lit(x, "\"},{\"name\":\"case\",\"value\":");
	rc |= jstr(x, a->case_id, strlen(a->case_id));
	rc |= lit(x, "},{\"name\":\"host\",\"value\":");
	rc |= jstr(x, a->host, strlen(a->host));
	rc |= lit(x, "}],\"relationships\":[");
	if (rc)
		return -ENOMEM;
	if ((rc = rel(x, true, "user:", a->user, strlen(a->user), "performed by")) < 0)
		return rc;
	if (r->app && (rc = rel(x, false, "app:", a->app, a->app_len,
				"in application")) < 0)
		return rc;
	if (r->title) {
		snprintf(num, sizeof(num), "%u", r->title);
		if ((rc = rel(x, false, "window:", num, strlen(num), "in window")) < 0)
			return rc;
	}
	if (r->device) {
		snprintf(num, sizeof(num), "%u", r->device);
		if ((rc = rel(x, false, "device:", num, strlen(num), "with device")) < 0)
			return rc;
	}
	if (r->session) {
		snprintf(num, sizeof(num), "%u", r->session);
		if ((rc = rel(x, false, "session:", num, strlen(num), "in session")) < 0)
			return rc;
	}
	if (r->element) {
		snprintf(num, sizeof(num), "%u", r->element);
		if ((rc = rel(x, false, "element:", num, strlen(num), "on element")) < 0)
			return rc;
	}
	if (lit(x, "]}") < 0)
		return -ENOMEM;
	s->any_event = true;
	return emit(x);
}

/* One object: {"id":…,"type":…,"attributes":[{"name":…,"value":…,"time":…}…]
 * with @p n name/value pairs in @p kv. */
static int
object(struct export_ctx *x, bool *first, const char *prefix, const char *id,
       size_t id_len, const char *type, const char *const *kv,
       const size_t *kv_len, size_t n, const char *time)
{
	int rc = 0;

	rc |= lit(x, *first ? "{\"id\":" : ",\n{\"id\":");
	*first = false;
	/* prefix and id form one JSON string */
	size_t plen = strlen(prefix);
	char *joined = malloc(plen + id_len + 1);
	if (!joined)
		return -ENOMEM;
	memcpy(joined, prefix, plen);
	memcpy(joined + plen, id, id_len);
	rc |= jstr(x, joined, plen + id_len);
	free(joined);
	rc |= lit(x, ",\"type\":\"");
	rc |= lit(x, type);
	rc |= lit(x, "\",\"attributes\":[");
	for (size_t i = 0; i < n; i++) {
		rc |= lit(x, i ? ",{\"name\":\"" : "{\"name\":\"");
		rc |= lit(x, kv[2 * i]);
		rc |= lit(x, "\",\"value\":");
		rc |= jstr(x, kv[2 * i + 1], kv_len[i]);
		rc |= lit(x, ",\"time\":\"");
		rc |= lit(x, time);
		rc |= lit(x, "\"}");
	}
	rc |= lit(x, "]");
	return rc ? -ENOMEM : 0;
}

static int
string_of(struct export_ctx *x, uint32_t id, const char **s, size_t *len)
{
	int rc = x->names->string(x->names->ctx, id, s, len);

	if (rc != 0) {
		*s = "";
		*len = 0;
	}
	return 0;
}

static int
objects(struct export_ctx *x)
{
	struct ocel *s = x->state;
	bool first = true;
	const char *kv[4];
	size_t kv_len[2];
	char num[16];
	int rc;

	size_t n;
	char **users = strset_sorted(&s->users, &n);

	if (!users)
		return -ENOMEM;
	output_puts(x->out, "\n],\n\"objects\":[\n");
	for (size_t i = 0; i < n; i++) {
		x->line.len = 0;
		if ((rc = object(x, &first, "user:", users[i], strlen(users[i]),
				 "user", kv, kv_len, 0, EPOCH)) < 0 ||
		    lit(x, "}") < 0 || (rc = emit(x)) < 0) {
			free(users);
			return rc < 0 ? rc : -ENOMEM;
		}
	}
	free(users);
	for (size_t w = 0; w < s->apps.words; w++) {
		for (uint64_t bits = s->apps.w[w]; bits; bits &= bits - 1) {
			uint32_t id = (uint32_t)(w * 64 + (unsigned)__builtin_ctzll(bits));
			x->line.len = 0;
			string_of(x, id, &kv[1], &kv_len[0]);
			kv[0] = "name";
			if ((rc = object(x, &first, "app:", kv[1], kv_len[0],
					 "application", kv, kv_len, 1, EPOCH)) < 0 ||
			    lit(x, "}") < 0 || (rc = emit(x)) < 0)
				return rc < 0 ? rc : -ENOMEM;
		}
	}
	for (size_t w = 0; w < s->titles.words; w++) {
		for (uint64_t bits = s->titles.w[w]; bits; bits &= bits - 1) {
			uint32_t id = (uint32_t)(w * 64 + (unsigned)__builtin_ctzll(bits));
			x->line.len = 0;
			string_of(x, id, &kv[1], &kv_len[0]);
			kv[0] = "title";
			snprintf(num, sizeof(num), "%u", id);
			if ((rc = object(x, &first, "window:", num, strlen(num),
					 "window", kv, kv_len, 1, EPOCH)) < 0)
				return rc;
			/* window → the application it was first seen in */
			uint32_t app = id < s->title_app.n ? s->title_app.app[id] : 0;
			if (app) {
				const char *name;
				size_t len;
				string_of(x, app, &name, &len);
				if (lit(x, ",\"relationships\":[") < 0 ||
				    (rc = rel(x, true, "app:", name, len, "of application")) < 0 ||
				    lit(x, "]") < 0)
					return rc < 0 ? rc : -ENOMEM;
			}
			if (lit(x, "}") < 0 || (rc = emit(x)) < 0)
				return rc < 0 ? rc : -ENOMEM;
		}
	}
	for (size_t w = 0; w < s->devices.words; w++) {
		for (uint64_t bits = s->devices.w[w]; bits; bits &= bits - 1) {
			uint32_t id = (uint32_t)(w * 64 + (unsigned)__builtin_ctzll(bits));
			struct tt_device_info dev;
			memset(&dev, 0, sizeof(dev));
			if (x->input->device)
				x->input->device(x->input->ctx, id, &dev);
			x->line.len = 0;
			kv[0] = "name";
			kv[1] = dev.name;
			kv_len[0] = strnlen(dev.name, sizeof(dev.name));
			kv[2] = "ident";
			kv[3] = dev.ident;
			kv_len[1] = strnlen(dev.ident, sizeof(dev.ident));
			snprintf(num, sizeof(num), "%u", id);
			if ((rc = object(x, &first, "device:", num, strlen(num),
					 "device", kv, kv_len, 2, EPOCH)) < 0 ||
			    lit(x, "}") < 0 || (rc = emit(x)) < 0)
				return rc < 0 ? rc : -ENOMEM;
		}
	}
	for (size_t w = 0; w < s->elements.words; w++) {
		for (uint64_t bits = s->elements.w[w]; bits; bits &= bits - 1) {
			uint32_t id = (uint32_t)(w * 64 + (unsigned)__builtin_ctzll(bits));
			const char *str, *p[3];
			size_t len, pl[3];
			char buf[TT_ELEMENT_STR_MAX];
			const char *ekv[6];

			string_of(x, id, &str, &len);
			if (len >= sizeof(buf))
				len = sizeof(buf) - 1;
			memcpy(buf, str, len);
			buf[len] = '\0';
			if (tt_element_split(buf, &p[0], &pl[0], &p[1], &pl[1], &p[2], &pl[2]) < 0)
				continue;	/* not an element string: damage */
			ekv[0] = "role"; ekv[1] = p[0];
			ekv[2] = "name"; ekv[3] = p[1];
			ekv[4] = "url"; ekv[5] = p[2];
			x->line.len = 0;
			snprintf(num, sizeof(num), "%u", id);
			if ((rc = object(x, &first, "element:", num, strlen(num),
					 "element", ekv, pl, 3, EPOCH)) < 0 ||
			    lit(x, "}") < 0 || (rc = emit(x)) < 0)
				return rc < 0 ? rc : -ENOMEM;
		}
	}
	for (size_t w = 0; w < s->sessions.words; w++) {
		for (uint64_t bits = s->sessions.w[w]; bits; bits &= bits - 1) {
			uint32_t id = (uint32_t)(w * 64 + (unsigned)__builtin_ctzll(bits));
			struct tt_session_info info;
			const char *user;
			char start[FMT_TIME_LEN + 1];

			memset(&info, 0, sizeof(info));
			x->names->session(x->names->ctx, id, &info);
			if ((rc = actions_user(x->actions, id, &user)) < 0)
				return rc;
			fmt_time_iso(start, info.start_ns);
			x->line.len = 0;
			kv[0] = "seat";
			kv[1] = info.seat;
			kv_len[0] = strnlen(info.seat, sizeof(info.seat));
			kv[2] = "start";
			kv[3] = start;
			kv_len[1] = FMT_TIME_LEN;
			snprintf(num, sizeof(num), "%u", id);
			if ((rc = object(x, &first, "session:", num, strlen(num),
					 "session", kv, kv_len, 2, start)) < 0 ||
			    lit(x, ",\"relationships\":[") < 0 ||
			    (rc = rel(x, true, "user:", user, strlen(user), "of user")) < 0 ||
			    lit(x, "]}") < 0 || (rc = emit(x)) < 0)
				return rc < 0 ? rc : -ENOMEM;
		}
	}
	return 0;
}

static int
ocel_end(struct export_ctx *x)
{
	struct ocel *s = x->state;
	bool first = true;
	size_t n;
	char **types = strset_sorted(&s->types, &n);
	int rc = 0;

	if (!types)
		return -ENOMEM;
	/* Every event type has the same attributes. */
	output_puts(x->out, "\n],\n\"eventTypes\":[\n");
	for (size_t i = 0; i < n && rc == 0; i++) {
		const char *t = types[i];
		x->line.len = 0;
		rc = lit(x, first ? "{\"name\":" : ",\n{\"name\":");
		rc |= jstr(x, t, strlen(t));
		rc |= lit(x, ",\"attributes\":[{\"name\":\"end\",\"type\":\"time\"},"
			     "{\"name\":\"case\",\"type\":\"string\"},"
			     "{\"name\":\"host\",\"type\":\"string\"}]}");
		first = false;
		rc = rc ? -ENOMEM : emit(x);
	}
	free(types);
	if (rc < 0 || (rc = objects(x)) < 0)
		return rc;
	output_puts(x->out, "\n]}\n");
	return x->out->err;
}

static void
ocel_destroy(struct export_ctx *x)
{
	struct ocel *s = x->state;

	if (!s)
		return;
	free(s->apps.w);
	free(s->titles.w);
	free(s->elements.w);
	free(s->title_app.app);
	free(s->sessions.w);
	free(s->devices.w);
	strset_free(&s->users);
	strset_free(&s->types);
	free(s);
	x->state = NULL;
}

const struct export_format export_ocel = {
	.name = "ocel",
	.extension = "jsonocel",
	.by_user = false,
	.begin = ocel_begin,
	.action = ocel_action,
	.end = ocel_end,
	.destroy = ocel_destroy,
};
