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

#include "tasktrace/error.h"
#include "tasktrace/store.h"

#include "uilog.h"
#include "workload.h"

#define MAX_LOG_BYTES (1ULL << 30)
#define MAX_USERS 1024
#define BTN_LEFT_CODE 0x110

struct ul_user {
	char name[64];
	uint32_t uid, session, app;
	uint64_t first_ns, last_ns;
};

struct ul {
	struct tt_store *store;
	struct ul_user users[MAX_USERS];
	size_t n_users;
	uint64_t seq, records, events, dropped, unknown;
	char unknown_types[256];
	uint32_t backend;
	int err;
};

static const struct {
	enum uilog_op op;
	const char *name;
	uint16_t code;
} keys[] = {
	{ UILOG_COPY, "Ctrl+C", 46 }, { UILOG_CUT, "Ctrl+X", 45 },
	{ UILOG_PASTE, "Ctrl+V", 47 }, { UILOG_NEW_TAB, "Ctrl+T", 20 },
	{ UILOG_OPEN, "Ctrl+O", 24 }, { UILOG_SAVE, "Ctrl+S", 31 },
	{ UILOG_ADDRESS, "Ctrl+L", 38 },
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
	if (clipboard) {
		if (!p->app) {		/* a copy before any application */
			u->dropped++;
			return 0;
		}
		app = p->app;
	} else if ((rc = intern(u, *ev->app ? ev->app : "unknown", &app))) {
		return rc < 0 ? rc : -EIO;
	}
	memset(&r, 0, sizeof(r));
	r.time_ns = t;
	r.session = p->session;
	r.uid = p->uid;
	r.app = app;
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
		r.kind = TT_KIND_BUTTON;
		r.u.button.button = BTN_LEFT_CODE;
		r.u.button.clicks = 1;
		break;
	case UILOG_TYPE:
		/* the log's value is text: not even its length is kept */
		r.kind = TT_KIND_TYPING;
		r.u.typing.end = TT_BURST_PAUSE;
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

int
wl_from_uilog(const char *path, const char *store_dir, bool quiet)
{
	struct ul *u = calloc(1, sizeof(*u));
	struct tt_store_options so = { .map_size = 1ULL << 30 };
	struct tt_reader *rd;
	struct tt_store_stat st;
	char err[256] = "";
	size_t len = 0;
	char *data;
	long n;
	int rc, ret = 1;

	if (!u)
		return 1;
	data = slurp(path, &len);
	if (!data) {
		fprintf(stderr, "tasktrace-workload: %s: %s\n", path, strerror(errno));
		free(u);
		return 1;
	}
	/* Check the whole log before the store is touched. */
	n = uilog_parse(data, len, NULL, NULL, err, sizeof(err));
	if (n < 0) {
		fprintf(stderr, "tasktrace-workload: %s: %s\n", path, err);
		ret = 2;
		goto out;
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
	n = uilog_parse(data, len, on_event, u, err, sizeof(err));
	if (n < 0) {
		fprintf(stderr, "tasktrace-workload: %s: %s\n", path, err);
		goto out;
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
	if (!quiet) {
		printf("tasktrace-workload: %s: %" PRIu64 " events → %" PRIu64 " records, "
		       "%zu user%s\n", path, u->events, u->records, u->n_users,
		       u->n_users == 1 ? "" : "s");
		printf("  dropped: %" PRIu64 " (waits, effects, clipboard echoes)\n",
		       u->dropped);
		if (u->unknown)
			printf("  unknown event types, dropped: %" PRIu64 " (%s)\n",
			       u->unknown, u->unknown_types);
	}
	ret = 0;
out:
	if (u->store) {
		rc = tt_store_close(u->store);
		if (rc && ret == 0) {
			fprintf(stderr, "tasktrace-workload: closing: %s\n", tt_strerror(rc));
			ret = 1;
		}
	}
	free(data);
	free(u);
	return ret;
}
