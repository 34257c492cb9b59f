/* SPDX-License-Identifier: MIT */
/*
 * The miner stage (mining/mine/), its streaming pass: records → actions
 * (mining/actions.c) → per-user state, application days, transitions,
 * copy→paste flows, and one compact action sequence per user (a symbol and
 * two times per action) that routines.c searches for routines. See mine.h.
 * Its parts form a line: mine.c → routines.c → index.c; apptime.c (time
 * per application for stats and me) stands beside them.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tasktrace/element.h"

#include "mining/actions.h"
#include "mining/mine/mine-internal.h"

#define DAY_NS (86400ULL * 1000000000ULL)
#define DEFAULT_ACTIVE_GAP (5ULL * 60 * 1000000000ULL)

void
mine_options_init(struct mine_options *o)
{
	memset(o, 0, sizeof(*o));
	o->min_length = 3;
	o->min_occurrences = 5;
}

/* --- strings: interned once, owned by the result ----------------------- */

static uint64_t
hash_bytes(const void *p, size_t len, uint64_t h)
{
	const unsigned char *s = p;

	for (size_t i = 0; i < len; i++) {
		h ^= s[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

#define FNV0 0xcbf29ce484222325ULL

static uint64_t
string_hash(const void *ctx, size_t i)
{
	const struct mine_strings *t = ctx;

	return t->hash[i];
}

int
mine_intern(struct mine_strings *t, const char *s, size_t len, uint32_t *id)
{
	uint64_t h = hash_bytes(s, len, FNV0);

	if (mine_index_reserve(&t->slots, &t->cap_slots, t->n, 1024, string_hash, t) < 0)
		return -ENOMEM;
	size_t j = h & (t->cap_slots - 1);
	while (t->slots[j] != UINT32_MAX) {
		uint32_t k = t->slots[j];
		if (t->hash[k] == h && t->len[k] == len && memcmp(t->str[k], s, len) == 0) {
			*id = k;
			return 0;
		}
		j = (j + 1) & (t->cap_slots - 1);
	}
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 256;
		char **str = realloc(t->str, cap * sizeof(*str));
		if (!str)
			return -ENOMEM;
		t->str = str;
		uint64_t *hash = realloc(t->hash, cap * sizeof(*hash));
		if (!hash)
			return -ENOMEM;
		t->hash = hash;
		uint32_t *lens = realloc(t->len, cap * sizeof(*lens));
		if (!lens)
			return -ENOMEM;
		t->len = lens;
		t->cap = cap;
	}
	char *copy = malloc(len + 1);
	if (!copy)
		return -ENOMEM;
	memcpy(copy, s, len);
	copy[len] = '\0';
	t->str[t->n] = copy;
	t->hash[t->n] = h;
	t->len[t->n] = (uint32_t)len;
	t->slots[j] = (uint32_t)t->n;
	*id = (uint32_t)t->n++;
	return 0;
}

void
mine_strings_free(struct mine_strings *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->str[i]);
	free(t->str);
	free(t->hash);
	free(t->len);
	free(t->slots);
	memset(t, 0, sizeof(*t));
}

/* --- a small map of fixed-size keys to growable samples ---------------- */

struct pair_entry {
	uint32_t a, b;		/* from, to (string ids) */
	struct mine_u64s v;	/* samples: dwell or copy→paste times */
};

struct pair_map {
	struct pair_entry *e;
	size_t n, cap;
	uint32_t *slots;
	size_t cap_slots;
};

static int
u64s_push(struct mine_u64s *v, uint64_t x)
{
	if (v->n == v->cap) {
		size_t cap = v->cap ? v->cap * 2 : 8;
		uint64_t *p = realloc(v->v, cap * sizeof(*p));
		if (!p)
			return -ENOMEM;
		v->v = p;
		v->cap = cap;
	}
	v->v[v->n++] = x;
	return 0;
}

static uint64_t
pair_hash(const void *ctx, size_t i)
{
	const struct pair_map *m = ctx;

	return mine_mix(((uint64_t)m->e[i].a << 32) | m->e[i].b);
}

static int
pair_add(struct pair_map *m, uint32_t a, uint32_t b, uint64_t sample)
{
	uint64_t h = mine_mix(((uint64_t)a << 32) | b);

	if (mine_index_reserve(&m->slots, &m->cap_slots, m->n, 256, pair_hash, m) < 0)
		return -ENOMEM;
	size_t j = h & (m->cap_slots - 1);
	while (m->slots[j] != UINT32_MAX) {
		struct pair_entry *e = &m->e[m->slots[j]];
		if (e->a == a && e->b == b)
			return u64s_push(&e->v, sample);
		j = (j + 1) & (m->cap_slots - 1);
	}
	if (m->n == m->cap) {
		size_t cap = m->cap ? m->cap * 2 : 64;
		struct pair_entry *e = realloc(m->e, cap * sizeof(*e));
		if (!e)
			return -ENOMEM;
		m->e = e;
		m->cap = cap;
	}
	struct pair_entry *e = &m->e[m->n];
	memset(e, 0, sizeof(*e));
	e->a = a;
	e->b = b;
	m->slots[j] = (uint32_t)m->n++;
	return u64s_push(&e->v, sample);
}

static void
pair_map_free(struct pair_map *m)
{
	for (size_t i = 0; i < m->n; i++)
		free(m->e[i].v.v);
	free(m->e);
	free(m->slots);
}

/* (user, app, day) → active time and switches. */
struct day_entry {
	uint32_t user, app;
	int32_t day;
	uint64_t active_ns, switches;
};

struct day_map {
	struct day_entry *e;
	size_t n, cap;
	uint32_t *slots;
	size_t cap_slots;
};

static uint64_t
day_hash(uint32_t user, uint32_t app, int32_t day)
{
	return mine_mix(((uint64_t)user << 40) ^ ((uint64_t)app << 20) ^ (uint32_t)day);
}

static uint64_t
day_entry_hash(const void *ctx, size_t i)
{
	const struct day_map *m = ctx;

	return day_hash(m->e[i].user, m->e[i].app, m->e[i].day);
}

static struct day_entry *
day_get(struct day_map *m, uint32_t user, uint32_t app, int32_t day)
{
	if (mine_index_reserve(&m->slots, &m->cap_slots, m->n, 256, day_entry_hash, m) < 0)
		return NULL;
	size_t j = day_hash(user, app, day) & (m->cap_slots - 1);
	while (m->slots[j] != UINT32_MAX) {
		struct day_entry *e = &m->e[m->slots[j]];
		if (e->user == user && e->app == app && e->day == day)
			return e;
		j = (j + 1) & (m->cap_slots - 1);
	}
	if (m->n == m->cap) {
		size_t cap = m->cap ? m->cap * 2 : 64;
		struct day_entry *e = realloc(m->e, cap * sizeof(*e));
		if (!e)
			return NULL;
		m->e = e;
		m->cap = cap;
	}
	struct day_entry *e = &m->e[m->n];
	memset(e, 0, sizeof(*e));
	e->user = user;
	e->app = app;
	e->day = day;
	m->slots[j] = (uint32_t)m->n++;
	return e;
}

/* --- per-user state ----------------------------------------------------- */

struct user {
	uint32_t uid;
	uint32_t name;		/* string id */
	uint32_t app;		/* focused application (string id) */
	bool has_app;
	uint64_t app_since;
	uint64_t last_end;	/* end of the last input */
	bool has_last;		/* last_end counts (no idle, lock since) */
	bool idle;
	uint64_t idle_since;
	bool has_copy;
	uint32_t copy_app;
	uint64_t copy_ns;
	bool cut;		/* the next action starts a segment */
	uint64_t last_act_end;
	/* the day entry last credited: most records go to the same one */
	bool has_day;
	uint32_t day_app;
	int32_t day;
	size_t day_entry;
};

#define SYM_SLOTS 4096
#define USER_SLOTS 256
#define SYM_ONLY(x) ((x) & ~MINE_SEG_START)

struct sym_slot {
	uint64_t key;
	uint32_t element, title;	/* store ids: what it acts on, where */
	uint32_t sym;
	bool valid;
};

struct mine {
	const struct mine_options *opts;
	struct sym_slot syms[SYM_SLOTS];
	uint32_t *app_ids;		/* store string id → ours + 1 */
	size_t n_app_ids;
	struct mine_seq seq;		/* handed to the routine finder */
	struct mine_strings strings;
	struct user *users;
	size_t n_users, cap_users;
	uint32_t user_slots[USER_SLOTS];	/* uid % USER_SLOTS → index + 1 */
	struct day_map days;
	struct pair_map transitions, flows;
	struct mine_totals totals;
	uint64_t active_gap;
	uint32_t empty_app;

	/* names from the store */
	struct tt_reader *rd;
	struct actions_strings cache;
};

static int
src_string(void *ctx, uint32_t id, const char **s, size_t *len)
{
	struct mine *m = ctx;

	return actions_string_cached(&m->cache, m->rd, id, s, len);
}

static int
src_session(void *ctx, uint32_t id, struct tt_session_info *out)
{
	struct mine *m = ctx;
	int rc = tt_reader_session(m->rd, id, out);

	return rc > 0 ? -rc : rc;
}

static struct user *
user_get(struct mine *m, uint32_t uid, const char *name)
{
	uint32_t *slot = &m->user_slots[uid % USER_SLOTS];

	/* records of several people interleave: a direct-mapped cache */
	if (*slot && m->users[*slot - 1].uid == uid)
		return &m->users[*slot - 1];
	for (size_t i = 0; i < m->n_users; i++) {
		if (m->users[i].uid == uid) {
			*slot = (uint32_t)i + 1;
			return &m->users[i];
		}
	}
	if (m->n_users == m->cap_users) {
		size_t cap = m->cap_users ? m->cap_users * 2 : 16;
		struct user *u = realloc(m->users, cap * sizeof(*u));
		struct mine_useq *s = realloc(m->seq.users, cap * sizeof(*s));
		if (u)
			m->users = u;
		if (s)
			m->seq.users = s;
		if (!u || !s)
			return NULL;
		m->cap_users = cap;
	}
	struct user *u = &m->users[m->n_users];
	memset(u, 0, sizeof(*u));
	memset(&m->seq.users[m->n_users], 0, sizeof(m->seq.users[0]));
	u->uid = uid;
	u->cut = true;
	if (mine_intern(&m->strings, name, strlen(name), &u->name) < 0)
		return NULL;
	m->seq.users[m->n_users].name = u->name;
	*slot = (uint32_t)++m->n_users;
	m->seq.n_users = m->n_users;
	return u;
}

static bool
is_input_kind(unsigned kind)
{
	switch (kind) {
	case TT_KIND_TYPING: case TT_KIND_KEY: case TT_KIND_BUTTON:
	case TT_KIND_SCROLL: case TT_KIND_MOTION: case TT_KIND_TOUCH:
	case TT_KIND_GESTURE: case TT_KIND_TABLET:
		return true;
	default:
		return false;
	}
}

/* Copy and paste as the layout names them (the tracer stores the named
 * combination: "Ctrl+C" whatever key produced the C). */
static bool
name_is(const char *s, size_t len, const char *const *names)
{
	for (; *names; names++)
		if (strlen(*names) == len && memcmp(*names, s, len) == 0)
			return true;
	return false;
}

static const char *const copy_names[] = {
	"Ctrl+C", "Ctrl+X", "Ctrl+Shift+C", "Ctrl+Insert", NULL,
};
static const char *const paste_names[] = {
	"Ctrl+V", "Ctrl+Shift+V", "Shift+Insert", NULL,
};

static int
seq_push(struct mine_useq *s, uint32_t sym, uint64_t start, uint64_t end)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap + s->cap / 2 : 1024;
		struct mine_act *a = realloc(s->a, cap * sizeof(*a));
		if (!a)
			return -ENOMEM;
		s->a = a;
		s->cap = cap;
	}
	uint64_t d = end > start ? (end - start) / 1000 : 0;
	s->a[s->n].start_ns = start;
	s->a[s->n].dur_us = d > UINT32_MAX ? UINT32_MAX : (uint32_t)d;
	s->a[s->n].sym = sym;
	s->n++;
	return 0;
}

/* The entry of (@p u, @p app, @p day), remembered per user. */
static struct day_entry *
user_day(struct mine *m, struct user *u, uint32_t app, int32_t day)
{
	struct day_entry *e;

	if (u->has_day && u->day_app == app && u->day == day)
		return &m->days.e[u->day_entry];
	e = day_get(&m->days, u->name, app, day);
	if (e) {
		u->has_day = true;
		u->day_app = app;
		u->day = day;
		u->day_entry = (size_t)(e - m->days.e);
	}
	return e;
}

/* Time from @p from to @p to counts as active in the user's application. */
static int
credit(struct mine *m, struct user *u, uint32_t app, uint64_t from, uint64_t to)
{
	if (to <= from)
		return 0;
	struct day_entry *e = user_day(m, u, app, (int32_t)(from / DAY_NS));
	if (!e)
		return -ENOMEM;
	e->active_ns += to - from;
	m->totals.active_ns += to - from;
	return 0;
}

static void
stop_idle(struct mine *m, struct user *u, uint64_t t)
{
	if (u->idle && t > u->idle_since)
		m->totals.idle_ns += t - u->idle_since;
	u->idle = false;
}

static int
symbol(struct mine *m, const struct tt_record *r, const struct action *a,
       const char *app, size_t app_len, uint32_t *sym);

/* Our id of the record's application, through a cache by store id. */
static int
app_id_of(struct mine *m, uint32_t store_id, const char *app, size_t len, uint32_t *id)
{
	int rc;

	if (len == 0 || store_id == 0) {
		*id = m->empty_app;
		return 0;
	}
	if (store_id < m->n_app_ids && m->app_ids[store_id]) {
		*id = m->app_ids[store_id] - 1;
		return 0;
	}
	rc = mine_intern(&m->strings, app, len, id);
	if (rc < 0 || store_id >= (1u << 24))
		return rc;
	if (store_id >= m->n_app_ids) {
		size_t n = store_id * 2 + 64;
		uint32_t *v = realloc(m->app_ids, n * sizeof(*v));
		if (!v)
			return -ENOMEM;
		memset(v + m->n_app_ids, 0, (n - m->n_app_ids) * sizeof(*v));
		m->app_ids = v;
		m->n_app_ids = n;
	}
	m->app_ids[store_id] = *id + 1;
	return 0;
}

static int
feed(struct mine *m, struct actions *acts, const struct tt_record *r)
{
	struct action a;
	struct user *u;
	const char *app;
	size_t app_len;
	uint32_t app_id;
	int rc;

	if (r->uid == TT_UID_NONE)
		return 0;
	rc = actions_feed(acts, r, &a);
	if (rc < 0)
		return rc;
	if (rc == 0) {
		/* Not an action: motion still counts as activity. */
		if (r->kind != TT_KIND_MOTION && r->kind != TT_KIND_ACTIVE &&
		    r->kind != TT_KIND_SESSION && r->kind != TT_KIND_GAP)
			return 0;
		const char *user;
		rc = actions_user(acts, r->session, &user);
		if (rc < 0)
			return rc;
		/* actions_user() names by session; without one, by uid. */
		char num[24];
		if (r->session == 0) {
			snprintf(num, sizeof(num), "uid-%u", r->uid);
			user = num;
		}
		u = user_get(m, r->uid, user);
		if (!u)
			return -ENOMEM;
		app = "";
		app_len = 0;
		if (r->app && src_string(m, r->app, &app, &app_len) != 0)
			app_len = 0;
	} else {
		u = user_get(m, r->uid, a.user);
		if (!u)
			return -ENOMEM;
		app = a.app;
		app_len = a.app_len;
	}
	m->totals.actions += rc > 0;
	rc = app_id_of(m, r->app, app, app_len, &app_id);
	if (rc < 0)
		return rc;

	uint64_t t = r->time_ns, end = r->time_ns + r->dur_ns;
	switch (r->kind) {
	case TT_KIND_IDLE:
	case TT_KIND_LOCK:
		if (!u->idle) {
			u->idle = true;
			u->idle_since = t;
		}
		u->has_last = false;
		u->cut = true;
		return 0;
	case TT_KIND_ACTIVE:
	case TT_KIND_UNLOCK:
		stop_idle(m, u, t);
		u->cut = true;
		return 0;
	case TT_KIND_SESSION:
	case TT_KIND_GAP:
		stop_idle(m, u, t);
		u->has_last = false;
		u->cut = true;
		return 0;
	case TT_KIND_FOCUS:
		if (!(r->u.focus.flags & TT_FOCUS_TITLE_ONLY)) {
			/* A switch is the person's doing: the pause before it
			 * was spent in the application left. */
			if (u->has_last && !u->idle && t > u->last_end &&
			    t - u->last_end <= m->active_gap) {
				rc = credit(m, u, u->has_app ? u->app : app_id,
					    u->last_end, t);
				if (rc < 0)
					return rc;
				u->last_end = t;
			}
			if (!u->idle && (!u->has_last || t > u->last_end)) {
				u->last_end = t;
				u->has_last = true;
			}
			if (u->has_app && u->app != app_id) {
				rc = pair_add(&m->transitions, u->app, app_id,
					      t > u->app_since ? t - u->app_since : 0);
				if (rc < 0)
					return rc;
				m->totals.switches++;
				struct day_entry *e = user_day(m, u, app_id,
							       (int32_t)(t / DAY_NS));
				if (!e)
					return -ENOMEM;
				e->switches++;
			}
			if (!u->has_app || u->app != app_id)
				u->app_since = t;
			u->app = app_id;
			u->has_app = true;
		}
		break;
	default:
		break;
	}

	if (is_input_kind(r->kind)) {
		stop_idle(m, u, t);
		/* Active: the union of input intervals, and the pauses
		 * between them up to the gap, in the application in focus. */
		if (u->has_last && t > u->last_end && t - u->last_end <= m->active_gap)
			rc = credit(m, u, u->has_app ? u->app : app_id, u->last_end, t);
		if (rc >= 0)
			rc = credit(m, u, app_id, u->has_last && u->last_end > t ? u->last_end : t, end);
		if (rc < 0)
			return rc;
		if (!u->has_last || end > u->last_end)
			u->last_end = end;
		u->has_last = true;
	}
	if (r->kind == TT_KIND_MOTION || r->kind == TT_KIND_ACTIVE ||
	    r->kind == TT_KIND_SESSION || r->kind == TT_KIND_GAP)
		return 0;

	/* Copy → paste between applications. */
	if (r->kind == TT_KIND_KEY) {
		const char *name = a.activity;
		size_t nlen = a.activity_len;
		if (nlen > 9 && memcmp(name, "Shortcut ", 9) == 0)
			name += 9, nlen -= 9;
		if (name_is(name, nlen, copy_names)) {
			u->has_copy = true;
			u->copy_app = app_id;
			u->copy_ns = t;
		} else if (name_is(name, nlen, paste_names) && u->has_copy &&
			   u->copy_app != app_id) {
			rc = pair_add(&m->flows, u->copy_app, app_id,
				      t > u->copy_ns ? t - u->copy_ns : 0);
			if (rc < 0)
				return rc;
			u->has_copy = false;
		}
	}

	/* The routine finder's symbol: the activity in its application,
	 * from a small cache keyed by what the name is made of. */
	uint32_t sym;
	uint64_t detail = 0;
	switch (r->kind) {
	case TT_KIND_KEY:
		detail = r->u.key.name ? r->u.key.name : (1u << 25) | r->u.key.code;
		break;
	case TT_KIND_BUTTON:
		detail = (uint64_t)r->u.button.button * 4 +
			 (r->u.button.clicks > 3 ? 3 : r->u.button.clicks);
		break;
	case TT_KIND_GESTURE:
		detail = (uint64_t)r->u.gesture.type * 256 + r->u.gesture.fingers;
		break;
	case TT_KIND_TABLET:
		detail = r->u.tablet.event;
		break;
	default:
		break;
	}
	uint64_t key = ((uint64_t)r->kind << 58) | (detail << 32) | r->app;
	uint32_t title = m->opts->context == MINE_CONTEXT_TITLE ? r->title : 0;
	uint32_t element = r->kind == TT_KIND_FOCUS ? 0 : r->element;
	struct sym_slot *slot = &m->syms[mine_mix(key ^ ((uint64_t)element << 20) ^
						  ((uint64_t)title << 40)) % SYM_SLOTS];
	if (detail < (1u << 26) && slot->valid && slot->key == key &&
	    slot->element == element && slot->title == title) {
		sym = slot->sym;
	} else {
		rc = symbol(m, r, &a, app, app_len, &sym);
		if (rc < 0)
			return rc;
		if (detail < (1u << 26)) {
			slot->key = key;
			slot->element = element;
			slot->title = title;
			slot->sym = sym;
			slot->valid = true;
		}
	}
	struct mine_useq *s = &m->seq.users[u - m->users];
	if (m->opts->idle_cut_ns && s->n && t > u->last_act_end &&
	    t - u->last_act_end > m->opts->idle_cut_ns)
		u->cut = true;
	if (end > u->last_act_end)
		u->last_act_end = end;
	/* Typing split by pauses, scrolling in several strokes: one step. */
	if (!u->cut && s->n && SYM_ONLY(s->a[s->n - 1].sym) == sym &&
	    (r->kind == TT_KIND_TYPING || r->kind == TT_KIND_SCROLL)) {
		struct mine_act *prev = &s->a[s->n - 1];
		uint64_t d = end > prev->start_ns ? (end - prev->start_ns) / 1000 : 0;
		if (d > prev->dur_us)
			prev->dur_us = d > UINT32_MAX ? UINT32_MAX : (uint32_t)d;
		return 0;
	}
	if (u->cut || s->n == 0)
		sym |= MINE_SEG_START;
	u->cut = false;
	return seq_push(s, sym, t, end);
}

/*
 * The name of an action as a step: what was done, on what, in which
 * application and context — "Ctrl+C in calc", "Click 'Post' push button
 * in Fiori", "Type 'Amount' text in calc — Invoice # – calc". Without an
 * element, today's names; the context (mine_options.context) is the
 * title's class (actions_title_class()), else a web element's host.
 */
static int
symbol(struct mine *m, const struct tt_record *r, const struct action *a,
       const char *app, size_t app_len, uint32_t *sym)
{
	char buf[768], el[200] = "", ctx[200] = "";
	const char *act = a->activity;
	size_t alen = a->activity_len;
	int len;

	if (r->kind == TT_KIND_KEY) {
		/* "Ctrl+C in calc": a key's name says what it is. */
		if (alen > 9 && memcmp(act, "Shortcut ", 9) == 0)
			act += 9, alen -= 9;
		else if (alen > 4 && memcmp(act, "Key ", 4) == 0)
			act += 4, alen -= 4;
	}
	const char *es = NULL, *role, *name, *url;
	size_t elen = 0, rl, nl, ul;
	if (r->kind != TT_KIND_FOCUS && r->element &&
	    src_string(m, r->element, &es, &elen) == 0 && elen) {
		char tmp[TT_ELEMENT_STR_MAX];
		snprintf(tmp, sizeof(tmp), "%.*s", (int)elen, es);
		if (tt_element_split(tmp, &role, &rl, &name, &nl, &url, &ul) > 0) {
			if (nl)
				snprintf(el, sizeof(el), " '%.*s' %.*s", (int)(nl > 80 ? 80 : nl),
					 name, (int)rl, role);
			else
				snprintf(el, sizeof(el), " %.*s", (int)rl, role);
			if (m->opts->context == MINE_CONTEXT_TITLE && ul) {
				const char *h = memmem(url, ul, "://", 3);
				size_t off = h ? (size_t)(h + 3 - url) : 0;
				snprintf(ctx, sizeof(ctx), " — %.*s", (int)(ul - off), url + off);
			}
		}
	}
	const char *ts;
	size_t tl;
	if (m->opts->context == MINE_CONTEXT_TITLE && r->kind != TT_KIND_FOCUS && r->title &&
	    src_string(m, r->title, &ts, &tl) == 0 && tl) {
		char cls[160];
		if (actions_title_class(ts, tl, cls, sizeof(cls)))
			snprintf(ctx, sizeof(ctx), " — %s", cls);
	}
	if (m->opts->context == MINE_CONTEXT_NONE)
		app_len = 0;
	if (r->kind == TT_KIND_FOCUS || app_len == 0)
		len = snprintf(buf, sizeof(buf), "%.*s%s%s", (int)alen, act, el, ctx);
	else
		len = snprintf(buf, sizeof(buf), "%.*s%s in %.*s%s", (int)alen, act, el,
			       (int)app_len, app, ctx);
	if (len < 0)
		return -EINVAL;
	if ((size_t)len >= sizeof(buf))
		len = sizeof(buf) - 1;
	return mine_intern(&m->strings, buf, (size_t)len, sym);
}

/* --- results ------------------------------------------------------------ */

static int
cmp_app_day(const void *pa, const void *pb)
{
	const struct mine_app_day *a = pa, *b = pb;
	int c = strcmp(a->user, b->user);

	if (c)
		return c;
	if (a->day != b->day)
		return a->day < b->day ? -1 : 1;
	if (a->active_ns != b->active_ns)
		return a->active_ns > b->active_ns ? -1 : 1;
	return strcmp(a->app, b->app);
}

static int
cmp_transition(const void *pa, const void *pb)
{
	const struct mine_transition *a = pa, *b = pb;
	int c;

	if (a->count != b->count)
		return a->count > b->count ? -1 : 1;
	if ((c = strcmp(a->from, b->from)))
		return c;
	return strcmp(a->to, b->to);
}

static int
cmp_flow(const void *pa, const void *pb)
{
	const struct mine_flow *a = pa, *b = pb;
	int c;

	if (a->count != b->count)
		return a->count > b->count ? -1 : 1;
	if ((c = strcmp(a->from, b->from)))
		return c;
	return strcmp(a->to, b->to);
}

/* Strings of the result live in one table the result owns. */
struct mine_result_priv {
	struct mine_result pub;
	struct mine_strings strings;
};

static int
build(struct mine *m, struct mine_result_priv *p)
{
	struct mine_result *r = &p->pub;
	char **s = m->strings.str;

	r->app_days = calloc(m->days.n ? m->days.n : 1, sizeof(*r->app_days));
	r->transitions = calloc(m->transitions.n ? m->transitions.n : 1,
				sizeof(*r->transitions));
	r->flows = calloc(m->flows.n ? m->flows.n : 1, sizeof(*r->flows));
	if (!r->app_days || !r->transitions || !r->flows)
		return -ENOMEM;

	/* distinct (user, day) pairs: the entries sorted by user and day */
	for (size_t i = 0; i < m->days.n; i++) {
		const struct day_entry *e = &m->days.e[i];
		struct mine_app_day *d = &r->app_days[i];
		d->user = s[e->user];
		d->app = s[e->app];
		d->day = e->day;
		d->active_ns = e->active_ns;
		d->switches_to = e->switches;
	}
	r->n_app_days = m->days.n;
	qsort(r->app_days, r->n_app_days, sizeof(*r->app_days), cmp_app_day);
	for (size_t i = 0; i < r->n_app_days; i++)
		if (i == 0 || r->app_days[i].day != r->app_days[i - 1].day ||
		    strcmp(r->app_days[i].user, r->app_days[i - 1].user) != 0)
			m->totals.days++;

	for (size_t i = 0; i < m->transitions.n; i++) {
		struct pair_entry *e = &m->transitions.e[i];
		struct mine_transition *t = &r->transitions[i];
		t->from = s[e->a];
		t->to = s[e->b];
		t->count = e->v.n;
		t->median_dwell_ns = mine_median_u64(e->v.v, e->v.n);
	}
	r->n_transitions = m->transitions.n;
	qsort(r->transitions, r->n_transitions, sizeof(*r->transitions), cmp_transition);

	for (size_t i = 0; i < m->flows.n; i++) {
		struct pair_entry *e = &m->flows.e[i];
		struct mine_flow *f = &r->flows[i];
		f->from = s[e->a];
		f->to = s[e->b];
		f->count = e->v.n;
		f->median_ns = mine_median_u64(e->v.v, e->v.n);
	}
	r->n_flows = m->flows.n;
	qsort(r->flows, r->n_flows, sizeof(*r->flows), cmp_flow);
	m->totals.users = m->n_users;
	return 0;
}

int
mine_run(struct tt_reader *rd, const struct tt_query *q,
	 const struct mine_options *opts,
	 void (*progress)(uint64_t records, void *ctx), void *ctx,
	 struct mine_result **out)
{
	struct mine_result_priv *p = NULL;
	struct mine *m = calloc(1, sizeof(*m));
	struct actions *acts = NULL;
	struct tt_cursor *cur = NULL;
	struct tt_record r;
	struct mine_options defaults;
	int rc;

	*out = NULL;
	if (!opts) {
		mine_options_init(&defaults);
		opts = &defaults;
	}
	if (!m)
		return -ENOMEM;
	m->opts = opts;
	m->rd = rd;
	m->active_gap = opts->idle_cut_ns ? opts->idle_cut_ns : DEFAULT_ACTIVE_GAP;
	if (opts->active_gap_ns)
		m->active_gap = opts->active_gap_ns;
	rc = mine_intern(&m->strings, "", 0, &m->empty_app);
	if (rc < 0)
		goto out;

	struct actions_options ao = {
		.case_mode = ACTIONS_CASE_USER_DAY, .pseudo = opts->pseudo,
		.host = opts->host,
	};
	struct actions_source src = {
		.string = src_string, .session = src_session, .ctx = m,
	};
	rc = actions_new(&acts, &ao, &src);
	if (rc < 0)
		goto out;
	rc = tt_cursor_open(rd, q, &cur);
	if (rc != 0)
		goto out;
	while ((rc = tt_cursor_next(cur, &r)) > 0) {
		if (m->totals.records == 0)
			m->totals.first_ns = r.time_ns;
		m->totals.last_ns = r.time_ns;
		m->totals.records++;
		rc = feed(m, acts, &r);
		if (rc < 0)
			break;
		if (progress && (m->totals.records & 0xffff) == 0)
			progress(m->totals.records, ctx);
	}
	tt_cursor_close(cur);
	if (rc < 0)
		goto out;
	/* Idle periods still open at the end of the range. */
	for (size_t i = 0; i < m->n_users; i++)
		stop_idle(m, &m->users[i], m->totals.last_ns);

	p = calloc(1, sizeof(*p));
	if (!p) {
		rc = -ENOMEM;
		goto out;
	}
	rc = build(m, p);
	if (rc < 0)
		goto out;
	m->seq.strings = &m->strings;
	rc = mine_tasks(&m->seq, opts, &p->pub);
	if (rc < 0)
		goto out;
	rc = mine_routines(&m->seq, opts, &p->pub);
	if (rc < 0)
		goto out;
	mine_tasks_link(&p->pub);
	p->pub.totals = m->totals;
	/* The result keeps the strings; the rest of the pass goes. */
	p->strings = m->strings;
	memset(&m->strings, 0, sizeof(m->strings));
	*out = &p->pub;
	p = NULL;
	rc = 0;
out:
	if (p)
		mine_result_free(&p->pub);
	actions_free(acts);
	for (size_t i = 0; i < m->n_users; i++)
		free(m->seq.users[i].a);
	free(m->seq.users);
	free(m->users);
	free(m->app_ids);
	free(m->days.e);
	free(m->days.slots);
	pair_map_free(&m->transitions);
	pair_map_free(&m->flows);
	mine_strings_free(&m->strings);
	free(m);
	return rc;
}

void
mine_result_free(struct mine_result *r)
{
	struct mine_result_priv *p = (struct mine_result_priv *)r;

	if (!r)
		return;
	for (size_t i = 0; i < r->n_routines; i++) {
		free(r->routines[i].actions);
		free(r->routines[i].instances);
	}
	free(r->routines);
	mine_tasks_free(r);
	free(r->app_days);
	free(r->transitions);
	free(r->flows);
	mine_strings_free(&p->strings);
	free(p);
}
