/* SPDX-License-Identifier: MIT */
/*
 * What the stages share (the files at the top of mining/): records to actions, and actions to
 * cases (this file, actions.h); timestamps and escaping (format.c); atomic
 * outputs (output.c); keyed pseudonyms (pseudo.c); the store opened with
 * its key (source.c); exit codes and messages (tool.c). These call no
 * stage and nothing of admin/.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tasktrace/config.h"
#include "tasktrace/element.h"

#include "mining/actions.h"
#include "mining/format.h"
#include "mining/pseudo.h"

#define BTN_LEFT_CODE 0x110
#define BTN_RIGHT_CODE 0x111
#define BTN_MIDDLE_CODE 0x112

/* "alice", "uid-1000" or "u-0123456789abcdef"; logind limits names to 64. */
#define USER_MAX 72
#define CASE_MAX (USER_MAX + 40)
#define SESSION_SLOTS 64

/* Sessions are few and each record names one: a small direct-mapped
 * cache keeps the session table and the HMAC off the per-record path. */
struct session_slot {
	uint32_t id;		/* 0: empty */
	uint32_t uid;
	char user[USER_MAX];
};

/* Per-user case state; a store has a handful of users. */
struct user_state {
	uint32_t uid;
	uint32_t session;	/* session of the current case */
	uint64_t day;		/* UTC day of the current case */
	uint64_t last_input_end;
	bool has_case;
	char case_id[CASE_MAX];
};

struct actions {
	struct actions_options opts;
	struct actions_source src;
	char host[80];
	uint64_t seq;
	struct session_slot sessions[SESSION_SLOTS];
	struct session_slot nosession;	/* records without a session, by uid */
	struct user_state *users;
	size_t n_users, cap_users;
	struct fmt_buf activity;
};

int
actions_parse_case(const char *s, uint64_t idle_ns, enum actions_case *mode,
		   uint64_t *gap_ns)
{
	uint64_t gap;

	if (strcmp(s, "user-day") == 0) {
		*mode = ACTIONS_CASE_USER_DAY;
		return 0;
	}
	if (strcmp(s, "session") == 0) {
		*mode = ACTIONS_CASE_SESSION;
		return 0;
	}
	if (strcmp(s, "focus") == 0) {
		*mode = ACTIONS_CASE_FOCUS;
		return 0;
	}
	if (strcmp(s, "idle") == 0 || strcmp(s, "idle-gap") == 0) {
		*mode = ACTIONS_CASE_IDLE_GAP;
		*gap_ns = idle_ns;
		return 0;
	}
	/* The configuration's duration parser: one syntax everywhere. */
	if (strncmp(s, "idle-gap=", 9) == 0 &&
	    tt_parse_duration(s + 9, &gap) == 0 && gap > 0) {
		*mode = ACTIONS_CASE_IDLE_GAP;
		*gap_ns = gap;
		return 0;
	}
	return -EINVAL;
}

int
actions_string_cached(struct actions_strings *c, struct tt_reader *rd, uint32_t id,
		      const char **s, size_t *len)
{
	__typeof__(c->slot[0]) *slot = &c->slot[id % ACTIONS_STRING_SLOTS];
	int rc;

	if (slot->id == id && id != 0) {
		*s = slot->s;
		*len = slot->len;
		return 0;
	}
	rc = tt_reader_string(rd, id, s, len);
	if (rc != 0)
		return rc;
	slot->id = id;
	slot->s = *s;
	slot->len = (uint32_t)*len;
	return 0;
}

int
actions_new(struct actions **out, const struct actions_options *opts,
	    const struct actions_source *src)
{
	struct actions *a = calloc(1, sizeof(*a));
	const char *host = opts->host ? opts->host : "";

	if (!a)
		return -ENOMEM;
	a->opts = *opts;
	a->src = *src;
	if (opts->pseudo)
		pseudo_name(opts->pseudo, "host", "h-", host, strlen(host), a->host);
	else
		snprintf(a->host, sizeof(a->host), "%s", host);
	a->opts.host = a->host;
	*out = a;
	return 0;
}

void
actions_free(struct actions *a)
{
	if (!a)
		return;
	free(a->users);
	fmt_buf_free(&a->activity);
	free(a);
}

/*
 * The display name of session @p id's user; @p uid (the record's) names
 * the person when the session is unknown or has no name. Records without
 * a session (id 0) are cached apart, by uid.
 */
static int
session_slot(struct actions *a, uint32_t id, uint32_t uid,
	     const struct session_slot **out)
{
	struct session_slot *slot = &a->sessions[id % SESSION_SLOTS];
	struct tt_session_info info;
	int rc;

	if (id == 0) {
		slot = &a->nosession;
		if (slot->id == 1 && slot->uid == uid) {
			*out = slot;
			return 0;
		}
	} else if (slot->id == id) {
		*out = slot;
		return 0;
	}
	memset(&info, 0, sizeof(info));
	rc = id ? a->src.session(a->src.ctx, id, &info) : -ENOENT;
	if (rc > 0)
		rc = -rc;
	if (rc < 0 && rc != -ENOENT)
		return rc;
	if (rc == -ENOENT)
		info.uid = uid;
	/* The name as logind knew it; the uid when the session table has no
	 * name (or no session), so that the person is still one resource. */
	char name[USER_MAX];
	size_t nlen = strnlen(info.user, sizeof(info.user));
	if (nlen)
		snprintf(name, sizeof(name), "%.*s", (int)nlen, info.user);
	slot->id = id ? id : 1;
	slot->uid = info.uid;
	if (!nlen)
		snprintf(name, sizeof(name), "uid-%u", info.uid);
	if (a->opts.pseudo)
		pseudo_name(a->opts.pseudo, "user", "u-", name, strlen(name),
			    slot->user);
	else
		memcpy(slot->user, name, sizeof(name));
	*out = slot;
	return 0;
}

int
actions_user(struct actions *a, uint32_t session, const char **user)
{
	const struct session_slot *slot;
	int rc = session_slot(a, session, TT_UID_NONE, &slot);

	if (rc == 0)
		*user = slot->user;
	return rc;
}

static struct user_state *
user_state(struct actions *a, uint32_t uid)
{
	for (size_t i = 0; i < a->n_users; i++)
		if (a->users[i].uid == uid)
			return &a->users[i];
	if (a->n_users == a->cap_users) {
		size_t cap = a->cap_users ? a->cap_users * 2 : 8;
		struct user_state *u = realloc(a->users, cap * sizeof(*u));
		if (!u)
			return NULL;
		a->users = u;
		a->cap_users = cap;
	}
	struct user_state *u = &a->users[a->n_users++];
	memset(u, 0, sizeof(*u));
	u->uid = uid;
	return u;
}

static void
str_or_empty(struct actions *a, uint32_t id, const char **s, size_t *len)
{
	*s = "";
	*len = 0;
	if (id == 0 || a->src.string(a->src.ctx, id, s, len) != 0) {
		*s = "";
		*len = 0;
	}
}

/* Build a composed activity name in a->activity; returns 1 or -ENOMEM. */
static int
activity_join(struct actions *a, struct action *out, const char *prefix,
	      const char *s, size_t len)
{
	a->activity.len = 0;
	if (fmt_append(&a->activity, prefix, strlen(prefix)) < 0 ||
	    fmt_append(&a->activity, s, len) < 0 ||
	    fmt_append(&a->activity, "", 1) < 0)
		return -ENOMEM;
	a->activity.len--;
	out->activity = a->activity.data;
	out->activity_len = a->activity.len;
	return 1;
}

static const char *
button_activity(const struct tt_record *r)
{
	switch (r->u.button.button) {
	case BTN_LEFT_CODE:
		if (r->u.button.clicks >= 3)
			return "Triple-click";
		return r->u.button.clicks == 2 ? "Double-click" : "Click";
	case BTN_RIGHT_CODE:
		return "Right-click";
	case BTN_MIDDLE_CODE:
		return "Middle-click";
	default:
		return "Other-click";
	}
}

/* Is this action the person giving input (as opposed to a marker)? */
static bool
is_input(const struct tt_record *r)
{
	return r->kind != TT_KIND_IDLE && r->kind != TT_KIND_LOCK && r->kind != TT_KIND_GAP;
}

/*
 * Fill out->activity; returns 1, or 0 when the record is no action.
 */
static int
activity(struct actions *a, const struct tt_record *r, struct action *out)
{
	const char *s, *fixed = NULL;
	size_t len;
	char tmp[48];

	switch (r->kind) {
	case TT_KIND_TYPING: fixed = "Type"; break;
	case TT_KIND_KEY:
		str_or_empty(a, r->u.key.name, &s, &len);
		if (len == 0) {
			len = (size_t)snprintf(tmp, sizeof(tmp), "code %u",
					       r->u.key.code);
			s = tmp;
		}
		/* A named combination ("Ctrl+C", "Shift+F5") or any key held
		 * with a modifier is a shortcut; a lone key ("F5") is not. */
		if (r->u.key.mods || memchr(s, '+', len))
			return activity_join(a, out, "Shortcut ", s, len);
		return activity_join(a, out, "Key ", s, len);
	case TT_KIND_BUTTON: fixed = button_activity(r); break;
	case TT_KIND_SCROLL: fixed = "Scroll"; break;
	case TT_KIND_TOUCH: fixed = "Touch"; break;
	case TT_KIND_GESTURE:
		len = (size_t)snprintf(tmp, sizeof(tmp), "%u-finger %s",
				       r->u.gesture.fingers,
				       tt_gesture_type_name(r->u.gesture.type));
		return activity_join(a, out, "Gesture ", tmp, len);
	case TT_KIND_TABLET:
		if (r->u.tablet.event == TT_TABLET_TIP)
			fixed = "Pen";
		else if (r->u.tablet.event == TT_TABLET_BUTTON)
			fixed = "Pen button";
		else
			return 0;
		break;
	case TT_KIND_FOCUS:
		if (r->u.focus.flags & TT_FOCUS_TITLE_ONLY)
			return 0;
		return activity_join(a, out, "Switch to ", out->app, out->app_len);
	case TT_KIND_IDLE: fixed = "Idle"; break;
	case TT_KIND_LOCK: fixed = "Lock"; break;
	case TT_KIND_UNLOCK: fixed = "Unlock"; break;
	case TT_KIND_GAP:
		/* the user paused recording: the time is theirs, and shown */
		if (r->u.gap.reason != TT_GAP_PAUSED)
			return 0;
		fixed = "Paused";
		break;
	default:
		return 0;
	}
	out->activity = fixed;
	out->activity_len = strlen(fixed);
	return 1;
}

/* "Click" on ("push button", "Post") → "Click 'Post' push button". */
static int
activity_with_element(struct actions *a, struct action *out)
{
	char el[TT_ELEMENT_STR_MAX], act[512];
	const char *role, *name, *url;
	size_t rl, nl, ul;

	snprintf(el, sizeof(el), "%.*s", (int)out->element_len, out->element);
	if (tt_element_split(el, &role, &rl, &name, &nl, &url, &ul) < 1)
		return 0;
	snprintf(act, sizeof(act), "%.*s", (int)out->activity_len, out->activity);
	a->activity.len = 0;
	if (fmt_append(&a->activity, act, strlen(act)) < 0 ||
	    (nl && (fmt_append(&a->activity, " '", 2) < 0 ||
		    fmt_append(&a->activity, name, nl) < 0 ||
		    fmt_append(&a->activity, "'", 1) < 0)) ||
	    fmt_append(&a->activity, " ", 1) < 0 ||
	    fmt_append(&a->activity, role, rl) < 0 ||
	    fmt_append(&a->activity, "", 1) < 0)
		return -ENOMEM;
	a->activity.len--;
	out->activity = a->activity.data;
	out->activity_len = a->activity.len;
	return 1;
}

static void
set_case(struct actions *a, struct user_state *u, const struct action *act,
	 uint64_t day)
{
	char date[FMT_TIME_LEN + 1];

	switch (a->opts.case_mode) {
	case ACTIONS_CASE_USER_DAY:
		fmt_date_iso(date, act->start_ns);
		snprintf(u->case_id, sizeof(u->case_id), "%s/%s", act->user, date);
		break;
	case ACTIONS_CASE_SESSION:
		snprintf(u->case_id, sizeof(u->case_id), "%s/session-%u",
			 act->user, act->session);
		break;
	case ACTIONS_CASE_IDLE_GAP:
	case ACTIONS_CASE_FOCUS:
		fmt_time_iso(date, act->start_ns);
		snprintf(u->case_id, sizeof(u->case_id), "%s/%s", act->user, date);
		break;
	}
	u->has_case = true;
	u->day = day;
	u->session = act->session;
}

int
actions_feed(struct actions *a, const struct tt_record *r, struct action *out)
{
	const struct session_slot *slot;
	struct user_state *u;
	uint64_t day;
	bool cut;
	int rc;

	if (r->uid == TT_UID_NONE)
		return 0;
	out->rec = r;
	out->start_ns = r->time_ns;
	out->end_ns = r->time_ns + r->dur_ns;
	str_or_empty(a, r->app, &out->app, &out->app_len);
	rc = activity(a, r, out);
	if (rc <= 0)
		return rc;
	str_or_empty(a, r->title, &out->title, &out->title_len);
	str_or_empty(a, r->element, &out->element, &out->element_len);
	if (a->opts.activity_element && out->element_len && r->kind != TT_KIND_FOCUS &&
	    (rc = activity_with_element(a, out)) < 0)
		return rc;

	rc = session_slot(a, r->session, r->uid, &slot);
	if (rc < 0)
		return rc;
	out->user = slot->user;
	/* A record's uid wins over its session's (a session table entry
	 * may be missing); the name comes from the session when it has one. */
	out->uid = r->uid;
	out->session = r->session;
	out->host = a->host;
	out->seq = ++a->seq;

	u = user_state(a, r->uid);
	if (!u)
		return -ENOMEM;
	day = r->time_ns / (86400ULL * 1000000000ULL);
	switch (a->opts.case_mode) {
	case ACTIONS_CASE_USER_DAY:
		cut = !u->has_case || u->day != day;
		break;
	case ACTIONS_CASE_SESSION:
		cut = !u->has_case || u->session != r->session;
		break;
	case ACTIONS_CASE_FOCUS:
		cut = !u->has_case || r->kind == TT_KIND_FOCUS;
		break;
	case ACTIONS_CASE_IDLE_GAP:
	default:
		cut = !u->has_case ||
		      (is_input(r) && r->time_ns > u->last_input_end &&
		       r->time_ns - u->last_input_end > a->opts.idle_gap_ns);
		break;
	}
	if (cut)
		set_case(a, u, out, day);
	if (is_input(r) && out->end_ns > u->last_input_end)
		u->last_input_end = out->end_ns;
	out->case_id = u->case_id;
	out->new_case = cut;
	return 1;
}

size_t
actions_title_class(const char *s, size_t len, char *out, size_t size)
{
	size_t o = 0, i = 0;

	if (!size)
		return 0;
	while (i < len) {
		if (s[i] == ' ' || s[i] == '\t') {
			if (o && out[o - 1] != ' ' && o + 1 < size)
				out[o++] = ' ';
			i++;
			continue;
		}
		size_t j = i;
		bool digit = false, at = false;
		while (j < len && s[j] != ' ' && s[j] != '\t') {
			digit |= s[j] >= '0' && s[j] <= '9';
			at |= s[j] == '@';
			j++;
		}
		const char *w = s + i;
		size_t wl = j - i;
		bool hex = wl >= 8;
		for (size_t k = i; k < j && hex; k++)
			hex = (s[k] >= '0' && s[k] <= '9') || (s[k] >= 'a' && s[k] <= 'f') ||
			      (s[k] >= 'A' && s[k] <= 'F') || s[k] == '-';
		if (at) {
			w = "<email>";
			wl = 7;
		} else if (digit && hex) {
			w = "#";	/* a hash, a UUID */
			wl = 1;
		} else if (digit) {
			/* numbers, ids, dates: each run of digits one "#" */
			for (size_t k = i; k < j;) {
				if (s[k] >= '0' && s[k] <= '9') {
					while (k < j && s[k] >= '0' && s[k] <= '9')
						k++;
					if (o + 1 < size)
						out[o++] = '#';
				} else {
					if (o + 1 < size)
						out[o++] = s[k];
					k++;
				}
			}
			i = j;
			continue;
		}
		if (o + wl < size) {
			memcpy(out + o, w, wl);
			o += wl;
		}
		i = j;
	}
	while (o && out[o - 1] == ' ')
		o--;
	out[o] = '\0';
	return o;
}
