/* SPDX-License-Identifier: MIT */
/*
 * tasktrace-workload --from-uilog FILE --store DIR: a UI log's events as
 * the records a tracer would have written (mapping in
 * tasktrace-workload(1)): per user a session, a focus record whenever the
 * application changes, then a click, a typing burst or a named shortcut.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tasktrace/element.h"
#include "tasktrace/error.h"
#include "tasktrace/store.h"

#include "uilog.h"
#include "workload.h"

#define MAX_LOG_BYTES (1ULL << 30)
#define MAX_USERS 1024
#define BTN_LEFT_CODE 0x110

#define TITLE_SLOTS 16

struct ul_user {
	char name[64];
	uint32_t uid, session, app, element, title;
	uint64_t first_ns, last_ns;
	struct {
		uint32_t app, title;	/* the last title each application showed */
	} titles[TITLE_SLOTS];
};

struct ul {
	struct tt_store *store;
	struct ul_user users[MAX_USERS];
	size_t n_users;
	uint64_t seq, records, events, dropped, unknown;
	char unknown_types[256];
	uint32_t backend;
	int err;
	/* mixing: where the current event comes from, and the truth file */
	const char *one_app;
	FILE *truth;
	unsigned log, instance;
};

static const struct {
	enum uilog_op op;
	const char *name;
	uint16_t code;
} keys[] = {
	{ UILOG_COPY, "Ctrl+C", 46 }, { UILOG_CUT, "Ctrl+X", 45 },
	{ UILOG_PASTE, "Ctrl+V", 47 }, { UILOG_NEW_TAB, "Ctrl+T", 20 },
	{ UILOG_OPEN, "Ctrl+O", 24 }, { UILOG_SAVE, "Ctrl+S", 31 },
	{ UILOG_ADDRESS, "Ctrl+L", 38 }, { UILOG_NEW_WINDOW, "Ctrl+N", 49 },
};

static int
intern(struct ul *u, const char *s, uint32_t *id)
{
	size_t len = strlen(s);

	if (len > TT_STRING_MAX)
		len = TT_STRING_MAX;
	return tt_store_intern(u->store, s, len, id);
}

static int
append(struct ul *u, struct tt_record *r)
{
	int rc;

	r->seq = ++u->seq;
	rc = tt_store_append(u->store, r);
	if (rc == 0)
		u->records++;
	return rc;
}

static struct ul_user *
user(struct ul *u, const char *name, uint64_t t, int *err)
{
	const char *n = *name ? name : "uilog";
	struct tt_session_info s;

	for (size_t i = 0; i < u->n_users; i++)
		if (strcmp(u->users[i].name, n) == 0)
			return &u->users[i];
	if (u->n_users == MAX_USERS) {
		*err = -E2BIG;
		return NULL;
	}
	struct ul_user *p = &u->users[u->n_users];
	memset(p, 0, sizeof(*p));
	snprintf(p->name, sizeof(p->name), "%s", n);
	p->uid = 1000 + (uint32_t)u->n_users;
	memset(&s, 0, sizeof(s));
	s.uid = p->uid;
	s.start_ns = t;
	snprintf(s.logind_id, sizeof(s.logind_id), "%zu", u->n_users + 2);
	snprintf(s.seat, sizeof(s.seat), "seat0");
	snprintf(s.user, sizeof(s.user), "%s", p->name);
	*err = tt_store_session_add(u->store, &s);
	if (*err)
		return NULL;
	p->session = s.id;
	p->first_ns = p->last_ns = t;
	u->n_users++;

	struct tt_record r = {
		.time_ns = t, .session = p->session, .uid = p->uid,
		.kind = TT_KIND_SESSION,
	};
	*err = append(u, &r);
	return *err ? NULL : p;
}

static void
note_unknown(struct ul *u, const char *type)
{
	size_t len = strlen(u->unknown_types);
	char item[48];

	u->unknown++;
	snprintf(item, sizeof(item), "'%.40s'", type);
	if (strstr(u->unknown_types, item) || len + strlen(item) + 3 >= sizeof(u->unknown_types))
		return;
	snprintf(u->unknown_types + len, sizeof(u->unknown_types) - len, "%s%s",
		 len ? ", " : "", item);
}

static int
on_event(void *ctx, const struct uilog_event *ev)
{
	struct ul *u = ctx;
	struct ul_user *p;
	struct tt_record r;
	uint32_t app;
	int rc = 0;

	u->events++;
	if (ev->op == UILOG_DROP) {
		u->dropped++;
		return 0;
	}
	if (ev->op == UILOG_UNKNOWN) {
		note_unknown(u, ev->type);
		return 0;
	}
	p = user(u, ev->user, ev->time_ns, &rc);
	if (!p)
		return rc < 0 ? rc : -EIO;
	/* Events within a trace may share a millisecond, and a log may step
	 * back: keep each user's records in order. */
	uint64_t t = ev->time_ns > p->last_ns ? ev->time_ns : p->last_ns;
	p->last_ns = t;

	bool clipboard = ev->op == UILOG_COPY && uilog_op("paste", ev->app) == UILOG_DROP;
	uint32_t element = 0, title = 0;
	if (clipboard) {
		if (!p->app) {		/* a copy before any application */
			u->dropped++;
			return 0;
		}
		app = p->app;
		element = p->element;	/* Ctrl+C where the person was */
		title = p->title;
	} else {
		const char *name = u->one_app ? u->one_app : *ev->app ? ev->app : "unknown";
		if ((rc = intern(u, name, &app)))
			return rc < 0 ? rc : -EIO;
		if (ev->element && ev->element[0] && (rc = intern(u, ev->element, &element)))
			return rc < 0 ? rc : -EIO;
		/* A window keeps its title until it shows another. */
		size_t slot = app % TITLE_SLOTS;
		if (ev->title && ev->title[0]) {
			if ((rc = intern(u, ev->title, &title)))
				return rc < 0 ? rc : -EIO;
			p->titles[slot].app = app;
			p->titles[slot].title = title;
		} else if (p->titles[slot].app == app) {
			title = p->titles[slot].title;
		}
	}
	memset(&r, 0, sizeof(r));
	r.time_ns = t;
	r.session = p->session;
	r.uid = p->uid;
	r.app = app;
	r.title = title;
	r.element = element;
	p->element = element;
	p->title = title;
	if (u->truth)
		fprintf(u->truth, "%" PRIu64 " %u %u\n", t, u->log, u->instance);
	if (app != p->app) {
		r.kind = TT_KIND_FOCUS;
		r.u.focus.backend = u->backend;
		if ((rc = append(u, &r)))
			return rc < 0 ? rc : -EIO;
		p->app = app;
	}
	memset(&r.u, 0, sizeof(r.u));
	r.seq = 0;
	switch (ev->op) {
	case UILOG_CLICK:
	case UILOG_RIGHT_CLICK:
		r.kind = TT_KIND_BUTTON;
		r.u.button.button = ev->op == UILOG_CLICK ? BTN_LEFT_CODE : BTN_LEFT_CODE + 1;
		r.u.button.clicks = 1;
		break;
	case UILOG_TYPE:
		/* the log's value is text: not even its length is kept */
		r.kind = TT_KIND_TYPING;
		r.u.typing.end = TT_BURST_PAUSE;
		/* into a password field: a hidden burst (record.h) */
		if (ev->element && strncmp(ev->element, TT_ELEMENT_ROLE_PASSWORD "\t",
					   sizeof(TT_ELEMENT_ROLE_PASSWORD)) == 0)
			r.u.typing.end = TT_BURST_HIDDEN;
		if (ev->element && strcmp(ev->element, TT_ELEMENT_ROLE_PASSWORD) == 0)
			r.u.typing.end = TT_BURST_HIDDEN;
		break;
	default:
		r.kind = TT_KIND_KEY;
		for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
			if (keys[i].op != ev->op)
				continue;
			if ((rc = intern(u, keys[i].name, &r.u.key.name)))
				return rc < 0 ? rc : -EIO;
			r.u.key.code = keys[i].code;
			r.u.key.mods = TT_MOD_CTRL;
		}
		break;
	}
	rc = append(u, &r);
	return rc < 0 ? rc : rc ? -EIO : 0;
}

static char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t cap = 0, n = 0;

	if (!f)
		return NULL;
	for (;;) {
		if (n == cap) {
			if (cap >= MAX_LOG_BYTES) {
				errno = EFBIG;
				goto fail;
			}
			cap = cap ? cap * 2 : 1 << 16;
			char *b = realloc(buf, cap + 1);
			if (!b)
				goto fail;
			buf = b;
		}
		size_t got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		errno = EIO;
		goto fail;
	}
	fclose(f);
	buf[n] = '\0';
	*len = n;
	return buf;
fail:
	free(buf);
	fclose(f);
	return NULL;
}

/* --- mixing ----------------------------------------------------------------- */

struct mix_event {
	struct uilog_event ev;		/* strings owned */
	unsigned log;
};

struct mix {
	struct mix_event *v;
	size_t n, cap;
	unsigned log;
};

static char *
dup_or_empty(const char *s)
{
	return strdup(s ? s : "");
}

static int
mix_collect(void *ctx, const struct uilog_event *ev)
{
	struct mix *m = ctx;
	struct mix_event *e;

	if (m->n == m->cap) {
		size_t cap = m->cap ? m->cap * 2 : 4096;
		struct mix_event *v = realloc(m->v, cap * sizeof(*v));
		if (!v)
			return -ENOMEM;
		m->v = v;
		m->cap = cap;
	}
	e = &m->v[m->n];
	e->ev = *ev;
	e->log = m->log;
	e->ev.user = dup_or_empty(ev->user);
	e->ev.app = dup_or_empty(ev->app);
	e->ev.type = dup_or_empty(ev->type);
	e->ev.element = dup_or_empty(ev->element);
	e->ev.title = dup_or_empty(ev->title);
	m->n++;
	if (!e->ev.user || !e->ev.app || !e->ev.type || !e->ev.element || !e->ev.title)
		return -ENOMEM;
	return 0;
}

static void
mix_free(struct mix *m)
{
	for (size_t i = 0; i < m->n; i++) {
		free((char *)m->v[i].ev.user);
		free((char *)m->v[i].ev.app);
		free((char *)m->v[i].ev.type);
		free((char *)m->v[i].ev.element);
		free((char *)m->v[i].ev.title);
	}
	free(m->v);
}

static uint64_t
splitmix(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

struct mix_instance {
	size_t first, n;
};

/* Shuffle the instances of all logs and feed them, re-timed, as one user's. */
static int
mix_feed(struct ul *u, struct mix *m, uint64_t seed)
{
	struct mix_instance *in = NULL;
	size_t n_in = 0;
	uint64_t rng = seed, t = 0;
	int rc = 0;

	in = calloc(m->n ? m->n : 1, sizeof(*in));
	if (!in)
		return -ENOMEM;
	for (size_t i = 0; i < m->n; i++) {
		if (i == 0 || m->v[i].log != m->v[i - 1].log ||
		    m->v[i].ev.trace != m->v[i - 1].ev.trace)
			in[n_in++].first = i;
		in[n_in - 1].n++;
	}
	for (size_t i = n_in; i > 1; i--) {	/* Fisher–Yates */
		size_t k = (size_t)(splitmix(&rng) % i);
		struct mix_instance tmp = in[i - 1];
		in[i - 1] = in[k];
		in[k] = tmp;
	}
	t = m->n ? m->v[0].ev.time_ns : 0;
	for (size_t k = 0; k < n_in && rc == 0; k++) {
		if (k)
			t += 500000000ULL + splitmix(&rng) % 2500000001ULL;
		for (size_t j = 0; j < in[k].n && rc == 0; j++) {
			struct mix_event *e = &m->v[in[k].first + j];
			if (j) {
				uint64_t a = e[-1].ev.time_ns, b = e->ev.time_ns;
				uint64_t d = b > a ? b - a : 0;
				t += d > 1000000 ? d : 1000000;
			}
			struct uilog_event ev = e->ev;
			ev.time_ns = t;
			ev.user = "mix";
			u->log = e->log;
			u->instance = (unsigned)k;
			rc = on_event(u, &ev);
		}
	}
	free(in);
	return rc;
}

int
wl_from_uilog(const char *const *paths, size_t n_paths, const char *store_dir,
	      const struct wl_uilog_mix *mixo, bool quiet)
{
	struct ul *u = calloc(1, sizeof(*u));
	struct tt_store_options so = { .map_size = 1ULL << 30 };
	struct tt_reader *rd;
	struct tt_store_stat st;
	struct mix m = { 0 };
	char err[256] = "";
	char **data = calloc(n_paths ? n_paths : 1, sizeof(*data));
	size_t *len = calloc(n_paths ? n_paths : 1, sizeof(*len));
	bool mixing = n_paths > 1 || (mixo && (mixo->mix || mixo->one_app || mixo->truth));
	long n;
	int rc, ret = 1;

	if (!u || !data || !len) {
		free(u);
		free(data);
		free(len);
		return 1;
	}
	/* Read and check every log before the store is touched. */
	for (size_t i = 0; i < n_paths; i++) {
		data[i] = slurp(paths[i], &len[i]);
		if (!data[i]) {
			fprintf(stderr, "tasktrace-workload: %s: %s\n", paths[i], strerror(errno));
			goto out;
		}
		m.log = (unsigned)i;
		n = uilog_parse(data[i], len[i], mixing ? mix_collect : NULL, &m, err,
				sizeof(err));
		if (n < 0) {
			fprintf(stderr, "tasktrace-workload: %s: %s\n", paths[i], err);
			ret = 2;
			goto out;
		}
	}
	rc = tt_store_open(&u->store, store_dir, TT_STORE_CREATE, &so);
	if (rc != 0) {
		fprintf(stderr, "tasktrace-workload: %s: %s\n", store_dir, tt_strerror(rc));
		u->store = NULL;
		goto out;
	}
	rc = tt_reader_open(u->store, &rd);
	if (rc == 0) {
		rc = tt_reader_stat(rd, &st);
		tt_reader_close(rd);
	}
	if (rc == 0 && st.records) {
		fprintf(stderr, "tasktrace-workload: %s already holds %" PRIu64 " records; "
			"give an empty or new directory\n", store_dir, st.records);
		ret = 2;
		goto out;
	}
	if ((rc = intern(u, "uilog", &u->backend))) {
		fprintf(stderr, "tasktrace-workload: %s: %s\n", store_dir, tt_strerror(rc));
		goto out;
	}
	if (mixing) {
		u->one_app = mixo ? mixo->one_app : NULL;
		if (mixo && mixo->truth && !(u->truth = fopen(mixo->truth, "w"))) {
			fprintf(stderr, "tasktrace-workload: %s: %s\n", mixo->truth,
				strerror(errno));
			goto out;
		}
		rc = mix_feed(u, &m, mixo ? mixo->seed : 0);
		if (rc < 0) {
			fprintf(stderr, "tasktrace-workload: mixing: %s\n", strerror(-rc));
			goto out;
		}
	} else {
		n = uilog_parse(data[0], len[0], on_event, u, err, sizeof(err));
		if (n < 0) {
			fprintf(stderr, "tasktrace-workload: %s: %s\n", paths[0], err);
			goto out;
		}
	}
	for (size_t i = 0; i < u->n_users; i++) {
		struct tt_record r = {
			.time_ns = u->users[i].last_ns, .session = u->users[i].session,
			.uid = u->users[i].uid, .kind = TT_KIND_SESSION,
		};
		r.u.session.end = 1;
		if ((rc = append(u, &r))) {
			fprintf(stderr, "tasktrace-workload: %s: %s\n", store_dir,
				tt_strerror(rc));
			goto out;
		}
	}
	rc = tt_store_commit(u->store);
	if (rc) {
		fprintf(stderr, "tasktrace-workload: commit: %s\n", tt_strerror(rc));
		goto out;
	}
	if (u->truth && fflush(u->truth) != 0) {
		fprintf(stderr, "tasktrace-workload: %s: %s\n", mixo->truth, strerror(errno));
		goto out;
	}
	if (!quiet) {
		if (mixing)
			printf("tasktrace-workload: %zu log%s mixed: %" PRIu64 " events → %"
			       PRIu64 " records, 1 user\n", n_paths, n_paths == 1 ? "" : "s",
			       u->events, u->records);
		else
			printf("tasktrace-workload: %s: %" PRIu64 " events → %" PRIu64
			       " records, %zu user%s\n", paths[0], u->events, u->records,
			       u->n_users, u->n_users == 1 ? "" : "s");
		printf("  dropped: %" PRIu64 " (waits, effects, clipboard echoes)\n",
		       u->dropped);
		if (u->unknown)
			printf("  unknown event types, dropped: %" PRIu64 " (%s)\n",
			       u->unknown, u->unknown_types);
	}
	ret = 0;
out:
	if (u->truth && fclose(u->truth) != 0 && ret == 0)
		ret = 1;
	if (u->store) {
		rc = tt_store_close(u->store);
		if (rc && ret == 0) {
			fprintf(stderr, "tasktrace-workload: closing: %s\n", tt_strerror(rc));
			ret = 1;
		}
	}
	for (size_t i = 0; i < n_paths; i++)
		free(data[i]);
	free(data);
	free(len);
	mix_free(&m);
	free(u);
	return ret;
}
