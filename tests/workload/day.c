/* SPDX-License-Identifier: MIT */
/*
 * One user's working day.
 *
 * The day is built front to back on a clock in whole microseconds (what
 * evdev gives), so a user's records come out in time order: devices found
 * at boot, login, a morning of focus periods and routine batches with
 * short locked breaks, a lunch break (locked, sometimes a logout and a
 * second session, sometimes an undocked laptop), an afternoon, logout.
 *
 * Typing bursts are closed lazily, the way the tracer closes them: the
 * record is written when the burst starts and its end reason is filled in
 * when the next record that closes it (a pause, a shortcut, a click, a
 * focus change, a lock) arrives.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/input-event-codes.h>

#include "workload.h"

#define USEC 1ULL
#define MSEC (1000 * USEC)
#define SEC (1000 * MSEC)
#define MIN (60 * SEC)

/* The tracer's idle threshold and the screensaver's lock delay. */
#define IDLE_AFTER (5 * MIN)
#define AUTOLOCK_AFTER (10 * MIN)
/* A typing burst is split when it reaches this length. */
#define BURST_MAX (60 * SEC)

struct wl_day {
	struct wl_gen *g;
	struct wl_user *u;
	struct wl_rng rng;
	uint64_t t;			/* now, µs */
	uint64_t last_input;		/* end of the last input, µs */
	uint64_t pause;			/* burst-closing pause, µs */
	double dscale;			/* duration scale at high density */
	long open_burst;		/* index of the open burst, or -1 */
	long closed_burst;		/* the burst the last push closed, or -1 */
	uint64_t away_until;		/* end of the last break */
	bool stay;			/* go on in the focused app, no switch */
	uint32_t session;
	uint32_t uid;
	int app;			/* focused app, -1 none */
	uint32_t title;
	uint32_t app_title[WL_APP_COUNT];
	uint32_t pid[WL_APP_COUNT];
	bool mouse_present;
	double touchpad_share;		/* of pointer actions, laptops */
	uint32_t pointer;		/* device of the current pointer action */
	int err;
};

static bool
failed(const struct wl_day *d)
{
	return d->err || d->g->err;
}

/* --- records ------------------------------------------------------------------ */

static bool
closes_burst(const struct wl_day *d, unsigned kind, uint64_t t)
{
	const struct tt_record *b = &d->u->buf.rec[d->open_burst];

	if (t - (b->time_ns / 1000 + b->dur_ns / 1000) >= d->pause)
		return true;
	switch (kind) {
	case TT_KIND_MOTION:
	case TT_KIND_SCROLL:
	case TT_KIND_GESTURE:
	case TT_KIND_IDLE:
	case TT_KIND_ACTIVE:
	case TT_KIND_DEVICE:
		return false;
	default:
		return true;
	}
}

static void
close_burst(struct wl_day *d, const struct tt_record *next)
{
	struct tt_record *b = &d->u->buf.rec[d->open_burst];
	uint64_t end = b->time_ns + b->dur_ns;

	d->open_burst = -1;
	if (b->u.typing.end == TT_BURST_MAXLEN)
		return;
	if (!next || next->time_ns - end >= d->pause * 1000) {
		b->u.typing.end = TT_BURST_PAUSE;
		return;
	}
	switch (next->kind) {
	case TT_KIND_KEY:
		b->u.typing.end = (next->u.key.mods & (TT_MOD_CTRL | TT_MOD_ALT | TT_MOD_SUPER)) ?
				  TT_BURST_SHORTCUT : TT_BURST_NONTEXT;
		break;
	case TT_KIND_BUTTON:
		b->u.typing.end = TT_BURST_CLICK;
		break;
	case TT_KIND_FOCUS:
		b->u.typing.end = TT_BURST_FOCUS;
		break;
	case TT_KIND_LOCK:
	case TT_KIND_SESSION:
	case TT_KIND_GAP:
		b->u.typing.end = TT_BURST_LOCK;
		break;
	default:
		b->u.typing.end = TT_BURST_PAUSE;
		break;
	}
}

/*
 * A new record at @p t (µs) lasting @p dur (µs), with the current context.
 * Returns NULL (and sets d->err) when the buffer cannot grow.
 */
static struct tt_record *
push(struct wl_day *d, unsigned kind, uint64_t t, uint64_t dur, uint32_t device)
{
	struct wl_buf *b = &d->u->buf;
	struct tt_record *r;
	bool close = false;

	if (d->err)
		return NULL;
	if (b->n == b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 32768;
		struct tt_record *rec = realloc(b->rec, cap * sizeof(*rec));

		if (!rec) {
			d->err = -ENOMEM;
			return NULL;
		}
		b->rec = rec;
		b->cap = cap;
	}
	/* Never step back in time within a user. */
	if (b->n > 0 && t * 1000 < b->rec[b->n - 1].time_ns)
		t = b->rec[b->n - 1].time_ns / 1000;
	if (d->open_burst >= 0)
		close = closes_burst(d, kind, t);

	r = &b->rec[b->n++];
	memset(r, 0, sizeof(*r));
	r->kind = (uint8_t)kind;
	r->time_ns = t * 1000;
	r->dur_ns = dur * 1000;
	r->session = d->session;
	r->uid = d->session ? d->uid : TT_UID_NONE;
	r->device = device;
	if (d->app >= 0 && d->session) {
		r->app = wl_intern(d->g, &wl_apps[d->app].id[d->u->backend]);
		r->title = d->title;
	}
	d->closed_burst = -1;
	if (close) {
		d->closed_burst = d->open_burst;
		close_burst(d, r);
	}
	return r;
}

/* Time to think, scaled by the density; idle markers when it is long. */
static void
wait(struct wl_day *d, uint64_t us)
{
	if (us == 0)
		us = 1;
	if (d->t + us >= d->last_input + IDLE_AFTER && d->session) {
		uint64_t idle_at = d->last_input + IDLE_AFTER;

		if (idle_at < d->t)
			idle_at = d->t;
		push(d, TT_KIND_IDLE, idle_at, 0, 0);
		d->t += us;
		push(d, TT_KIND_ACTIVE, d->t, 0, 0);
		d->last_input = d->t;
		return;
	}
	d->t += us;
}

static void
think(struct wl_day *d, double mean_ms)
{
	double density = d->g->density > 1.0 ? d->g->density : 1.0;

	wait(d, (uint64_t)(wl_exp(&d->rng, mean_ms * d->u->think) * 1000.0 / density) + 1);
}

static uint64_t
dur_us(struct wl_day *d, double ms)
{
	uint64_t us = (uint64_t)(ms * 1000.0 * d->dscale);

	return us ? us : 1;
}

/* Button and key holds keep their human length up to density 2. */
static uint64_t
hold_us(struct wl_day *d, double ms)
{
	double scale = d->g->density > 2.0 ? 2.0 / d->g->density : 1.0;
	uint64_t us = (uint64_t)(ms * 1000.0 * scale);

	return us ? us : 1;
}

static void
input_done(struct wl_day *d, uint64_t dur)
{
	d->t += dur;
	d->last_input = d->t;
}

/* --- focus -------------------------------------------------------------------- */

static uint32_t
title_id(struct wl_day *d, int a, int fixed, bool numbered)
{
	struct wl_app *app = &wl_apps[a];
	char buf[256];

	if (app->excluded)
		return 0;
	if (numbered && app->numbered) {
		unsigned k = d->u->title_next[a] % WL_TITLE_POOL;
		char stem[160];

		snprintf(stem, sizeof(stem), app->numbered, app->number_base + k);
		snprintf(buf, sizeof(buf), "%s%s", stem, app->suffix);
		return wl_intern_slot(d->g, buf, &app->numbered_ids[k]);
	}
	snprintf(buf, sizeof(buf), "%s%s", app->titles[fixed], app->suffix);
	return wl_intern_slot(d->g, buf, &app->fixed_ids[fixed]);
}

static uint32_t
random_title(struct wl_day *d, int a)
{
	const struct wl_app *app = &wl_apps[a];
	unsigned n = 0;

	if (app->excluded)
		return 0;
	while (app->titles[n])
		n++;
	if (app->numbered && wl_chance(&d->rng, 0.4)) {
		d->u->title_next[a] += wl_below(&d->rng, 3);
		return title_id(d, a, 0, true);
	}
	return title_id(d, a, (int)wl_below(&d->rng, n), false);
}

static void
focus(struct wl_day *d, int a, uint32_t title, uint8_t flags)
{
	struct tt_record *r;
	struct wl_app *app = &wl_apps[a];

	if (!d->pid[a])
		d->pid[a] = (uint32_t)wl_range(&d->rng, 1800, 98000);
	d->app = a;
	d->title = title;
	d->app_title[a] = title;
	if (app->excluded)
		flags |= TT_FOCUS_EXCLUDED;
	r = push(d, TT_KIND_FOCUS, d->t, 0, 0);
	if (!r)
		return;
	r->u.focus.exe = wl_intern(d->g, &app->exe[d->u->backend]);
	r->u.focus.backend = wl_intern(d->g, &wl_backends[d->u->backend]);
	r->u.focus.pid = d->pid[a];
	r->u.focus.flags = flags;
}

static void
new_title(struct wl_day *d, uint32_t title)
{
	if (d->app < 0 || wl_apps[d->app].excluded || title == d->title)
		return;
	wait(d, dur_us(d, wl_range(&d->rng, 30, 400)));
	focus(d, d->app, title, TT_FOCUS_TITLE_ONLY);
}

/* --- input -------------------------------------------------------------------- */

static uint32_t
pointer_device(struct wl_day *d)
{
	if (d->u->laptop && (!d->mouse_present || wl_chance(&d->rng, d->touchpad_share)))
		return d->u->dev_touchpad;
	return d->u->dev_mouse;
}

static void
burst(struct wl_day *d, unsigned n, const uint16_t *cw, double interval, bool maxlen)
{
	struct tt_record *r;
	uint32_t other = 0;
	uint64_t dur;

	dur = dur_us(d, interval * (n - 1) + wl_range(&d->rng, 0, 60));
	r = push(d, TT_KIND_TYPING, d->t, dur, d->u->dev_kbd);
	if (!r)
		return;
	for (unsigned c = TT_CLASS_DIGIT; c < TT_CLASS_COUNT; c++) {
		double want = n * cw[c] / 1000.0 * (0.6 + 0.8 * wl_unit(&d->rng));
		uint32_t k = (uint32_t)(want + wl_unit(&d->rng));

		if (other + k > n)
			k = n - other;
		r->u.typing.count[c] = k;
		other += k;
	}
	r->u.typing.count[TT_CLASS_LETTER] = n - other;
	d->open_burst = (long)(r - d->u->buf.rec);
	if (maxlen)
		r->u.typing.end = TT_BURST_MAXLEN;
	input_done(d, dur);
}

static void
type_burst(struct wl_day *d, unsigned n, const uint16_t *cw)
{
	double interval = d->u->key_ms * wl_lognormal(&d->rng, 1.0, 0.15);
	unsigned max_keys = (unsigned)((double)(BURST_MAX / MSEC) / interval);

	if (d->open_burst >= 0 && d->t < d->last_input + d->pause)
		wait(d, d->last_input + d->pause - d->t + dur_us(d, wl_range(&d->rng, 100, 1500)));
	/* A burst longer than the tracer's maximum is split, back to back. */
	while (n > max_keys && !failed(d)) {
		burst(d, max_keys, cw, interval, true);
		d->t += dur_us(d, interval);
		n -= max_keys;
	}
	burst(d, n, cw, interval, false);
}

/* A typing burst: 0 a short numeric field, 1 a line or command, 2 text. */
static void
act_type(struct wl_day *d, unsigned size)
{
	const struct wl_app *app = &wl_apps[d->app];
	static const uint16_t field[TT_CLASS_COUNT] = { 0, 700, 80, 0, 60, 90, 40, 0 };
	static const uint16_t line[TT_CLASS_COUNT] = { 0, 30, 60, 150, 45, 10, 50, 5 };
	double keys;
	unsigned bursts = 1;

	switch (size) {
	case 0:
		type_burst(d, (unsigned)wl_range(&d->rng, 3, 11), field);
		return;
	case 1:
		type_burst(d, (unsigned)wl_range(&d->rng, 6, 32), line);
		return;
	case 2:
		bursts = 1 + wl_below(&d->rng, 4);
		break;
	default:
		break;
	}
	for (unsigned i = 0; i < bursts; i++) {
		keys = wl_lognormal(&d->rng, app->burst_median, 0.8);
		if (keys < 1)
			keys = 1;
		if (keys > 900)
			keys = 900;
		type_burst(d, (unsigned)keys, app->class_weight);
		if (i + 1 < bursts)
			wait(d, d->pause + dur_us(d, wl_range(&d->rng, 200, 6000)));
	}
}

static void
act_key(struct wl_day *d, unsigned k)
{
	struct wl_key *key = &wl_keys[k];
	uint64_t hold = hold_us(d, (double)wl_range(&d->rng, 60, 190));
	struct tt_record *r = push(d, TT_KIND_KEY, d->t, hold, d->u->dev_kbd);

	if (!r)
		return;
	r->u.key.name = wl_intern(d->g, &key->name);
	r->u.key.code = key->code;
	r->u.key.mods = key->mods;
	/* The burst this key closed was closed before its mods were known. */
	if (d->closed_burst >= 0) {
		struct tt_record *b = &d->u->buf.rec[d->closed_burst];

		if (b->u.typing.end == TT_BURST_NONTEXT &&
		    (key->mods & (TT_MOD_CTRL | TT_MOD_ALT | TT_MOD_SUPER)))
			b->u.typing.end = TT_BURST_SHORTCUT;
	}
	input_done(d, hold);
}

static void
act_motion(struct wl_day *d, uint32_t dev)
{
	struct tt_record *r;
	double ms = wl_lognormal(&d->rng, 420, 0.55);
	uint64_t dur = dur_us(d, ms);
	unsigned hz = dev == d->u->dev_mouse ? d->u->mouse_hz : 140;

	r = push(d, TT_KIND_MOTION, d->t, dur, dev);
	if (!r)
		return;
	r->u.motion.distance = (uint32_t)(wl_lognormal(&d->rng, 260, 0.8) * 8);
	r->u.motion.events = (uint32_t)(ms * hz / 1000.0) + 1;
	input_done(d, dur);
	/* Now and then the kernel's buffer overflows during fast motion. */
	if (wl_chance(&d->rng, 1.0 / 6000)) {
		r = push(d, TT_KIND_GAP, d->t, 0, dev);
		if (r) {
			r->u.gap.reason = TT_GAP_SYN_DROPPED;
			r->u.gap.lost = (uint32_t)wl_range(&d->rng, 8, 250);
		}
	}
}

static void
act_click(struct wl_day *d, unsigned clicks)
{
	struct tt_record *r;
	uint32_t dev = pointer_device(d);
	uint16_t button = BTN_LEFT;
	uint64_t hold;
	uint8_t mods = 0;
	double x;

	if (wl_chance(&d->rng, 0.85)) {
		act_motion(d, dev);
		wait(d, dur_us(d, wl_range(&d->rng, 60, 350)));
	}
	if (clicks == 0) {
		x = wl_unit(&d->rng);
		clicks = x < 0.11 ? 2 : x < 0.12 ? 3 : 1;
		x = wl_unit(&d->rng);
		if (clicks == 1 && x < 0.07)
			button = BTN_RIGHT;
		else if (clicks == 1 && x < 0.09)
			button = BTN_MIDDLE;
		x = wl_unit(&d->rng);
		if (x < 0.02)
			mods = TT_MOD_CTRL;
		else if (x < 0.035)
			mods = TT_MOD_SHIFT;
	}
	hold = (uint64_t)wl_range(&d->rng, 60, 180);
	if (clicks > 1)
		hold += (clicks - 1) * (uint64_t)wl_range(&d->rng, 140, 260);
	hold = hold_us(d, (double)hold);
	r = push(d, TT_KIND_BUTTON, d->t, hold, dev);
	if (!r)
		return;
	r->u.button.button = button;
	r->u.button.clicks = (uint8_t)clicks;
	r->u.button.mods = mods;
	input_done(d, hold);
}

static void
act_scroll(struct wl_day *d)
{
	uint32_t dev = pointer_device(d);
	bool finger = dev == d->u->dev_touchpad;
	unsigned n = 1 + wl_below(&d->rng, 3);

	for (unsigned i = 0; i < n; i++) {
		struct tt_record *r;
		unsigned events = finger ? (unsigned)wl_range(&d->rng, 6, 70) :
					   (unsigned)wl_range(&d->rng, 1, 12);
		uint64_t dur = dur_us(d, events * (finger ? 12.0 : 70.0));
		int32_t v120 = finger ? (int32_t)(events * wl_range(&d->rng, 9, 60)) :
					(int32_t)events * 120;

		if (wl_chance(&d->rng, 0.22))
			v120 = -v120;
		r = push(d, TT_KIND_SCROLL, d->t, dur, dev);
		if (!r)
			return;
		r->u.scroll.v120 = v120;
		r->u.scroll.events = events;
		r->u.scroll.axis = wl_chance(&d->rng, 0.03) ? TT_AXIS_HORIZONTAL : TT_AXIS_VERTICAL;
		r->u.scroll.source = finger ? TT_SCROLL_FINGER : TT_SCROLL_WHEEL;
		input_done(d, dur);
		if (i + 1 < n)
			wait(d, dur_us(d, wl_range(&d->rng, 250, 2500)));
	}
}

static void
act_gesture(struct wl_day *d)
{
	struct tt_record *r;
	double x = wl_unit(&d->rng);
	uint64_t dur = dur_us(d, wl_range(&d->rng, 180, 900));

	r = push(d, TT_KIND_GESTURE, d->t, dur, d->u->dev_touchpad);
	if (!r)
		return;
	if (x < 0.6) {
		r->u.gesture.type = TT_GESTURE_SWIPE;
		r->u.gesture.fingers = wl_chance(&d->rng, 0.7) ? 3 : 4;
	} else if (x < 0.92) {
		r->u.gesture.type = TT_GESTURE_PINCH;
		r->u.gesture.fingers = 2;
		r->u.gesture.scale = (int32_t)wl_range(&d->rng, 400, 2500);
	} else {
		r->u.gesture.type = TT_GESTURE_HOLD;
		r->u.gesture.fingers = (uint8_t)wl_range(&d->rng, 1, 3);
	}
	r->u.gesture.cancelled = wl_chance(&d->rng, 0.05);
	input_done(d, dur);
}

/* Bring application @p a to the front: Alt+Tab or a click, then focus. */
static void
switch_to(struct wl_day *d, int a, uint32_t title)
{
	if (d->app == a) {
		new_title(d, title);
		return;
	}
	/* Nothing of what happens in a deny-listed application is recorded. */
	if (d->app < 0 || !wl_apps[d->app].excluded) {
		if (wl_chance(&d->rng, 0.6))
			act_key(d, WL_KEY_ALT_TAB);
		else
			act_click(d, 1);
	}
	wait(d, dur_us(d, wl_range(&d->rng, 30, 180)));
	focus(d, a, title, 0);
}

/* One action of free work in the focused application. */
static void
act_free(struct wl_day *d)
{
	const struct wl_app *app = &wl_apps[d->app];
	unsigned k;

	switch (wl_pick(&d->rng, app->act_weight, WL_ACT_COUNT)) {
	case WL_ACT_TYPE:
		act_type(d, 3);
		break;
	case WL_ACT_KEY:
		k = app->keys[wl_pick(&d->rng, app->key_weight, WL_MAX_APP_KEYS)];
		act_key(d, k);
		if (k == WL_KEY_CTRL_T || k == WL_KEY_CTRL_W || k == WL_KEY_CTRL_TAB ||
		    k == WL_KEY_CTRL_L || wl_chance(&d->rng, app->title_change / 2))
			new_title(d, random_title(d, d->app));
		break;
	case WL_ACT_CLICK:
		act_click(d, 0);
		if (wl_chance(&d->rng, app->title_change))
			new_title(d, random_title(d, d->app));
		break;
	case WL_ACT_SCROLL:
		act_scroll(d);
		break;
	case WL_ACT_MOTION:
		if (d->u->laptop && wl_chance(&d->rng, d->touchpad_share * 0.15))
			act_gesture(d);
		else
			act_motion(d, pointer_device(d));
		break;
	}
}

/* --- the day's structure ------------------------------------------------------- */

static void
devices_added(struct wl_day *d, bool all)
{
	uint32_t devs[3] = { d->u->dev_kbd, d->mouse_present ? d->u->dev_mouse : 0,
			     d->u->laptop ? d->u->dev_touchpad : 0 };

	for (unsigned i = 0; i < 3; i++) {
		struct tt_record *r;

		if (!devs[i] || (!all && devs[i] != d->u->dev_mouse))
			continue;
		r = push(d, TT_KIND_DEVICE, d->t, 0, devs[i]);
		if (r)
			r->u.device.removed = 0;
		d->t += (uint64_t)wl_range(&d->rng, 2000, 40000);
	}
}

static void
device_removed(struct wl_day *d, uint32_t dev)
{
	struct tt_record *r = push(d, TT_KIND_DEVICE, d->t, 0, dev);

	if (r)
		r->u.device.removed = 1;
	d->t += (uint64_t)wl_range(&d->rng, 1000, 20000);
}

static void
login(struct wl_day *d)
{
	struct tt_session_info s;
	struct tt_record *r;
	int rc;

	memset(&s, 0, sizeof(s));
	s.uid = d->uid;
	s.start_ns = d->t * 1000;
	snprintf(s.logind_id, sizeof(s.logind_id), "%u", d->g->next_logind++);
	snprintf(s.seat, sizeof(s.seat), "seat0");
	snprintf(s.user, sizeof(s.user), "%s", d->u->name);
	rc = tt_store_session_add(d->g->store, &s);
	if (rc != 0) {
		d->err = rc;
		return;
	}
	d->g->sessions++;
	d->session = s.id;
	r = push(d, TT_KIND_SESSION, d->t, 0, 0);
	if (r)
		r->u.session.end = 0;
	d->last_input = d->t;
	d->app = -1;
	d->title = 0;
}

static void
logout(struct wl_day *d)
{
	struct tt_record *r;

	/* Log out from the menu: a click, the confirmation, then the end. */
	if (d->app >= 0 && !wl_apps[d->app].excluded) {
		wait(d, dur_us(d, wl_range(&d->rng, 500, 4000)));
		act_click(d, 1);
	}
	d->app = -1;
	d->title = 0;
	d->t += (uint64_t)wl_range(&d->rng, 1500, 6000) * MSEC;
	r = push(d, TT_KIND_SESSION, d->t, 0, 0);
	if (r)
		r->u.session.end = 1;
	d->session = 0;
	memset(d->app_title, 0, sizeof(d->app_title));
}

/* Away for @p away µs: locked by hand or by the screensaver, then back. */
static void
away(struct wl_day *d, uint64_t away, bool manual, bool undock)
{
	uint64_t back, lock_at;

	if (manual) {
		act_key(d, WL_KEY_SUPER_L);
		d->t += (uint64_t)wl_range(&d->rng, 150, 400) * MSEC;
		push(d, TT_KIND_LOCK, d->t, 0, 0);
		lock_at = d->t;
		back = d->t + away;
	} else {
		if (away < AUTOLOCK_AFTER + MIN)
			away = AUTOLOCK_AFTER + MIN + away;
		back = d->last_input + away;
		if (back < d->t + AUTOLOCK_AFTER + MIN)
			back = d->t + AUTOLOCK_AFTER + MIN;
		push(d, TT_KIND_IDLE, d->last_input + IDLE_AFTER, 0, 0);
		lock_at = d->last_input + AUTOLOCK_AFTER;
		if (lock_at < d->t)
			lock_at = d->t;
		push(d, TT_KIND_LOCK, lock_at, 0, 0);
	}
	d->t = lock_at + (uint64_t)wl_range(&d->rng, 1, 5) * SEC;
	if (undock) {
		device_removed(d, d->u->dev_mouse);
		d->mouse_present = false;
	}
	if (manual && back > lock_at + IDLE_AFTER)
		push(d, TT_KIND_IDLE, lock_at + IDLE_AFTER, 0, 0);
	d->t = back;
	if (undock && wl_chance(&d->rng, 0.5)) {
		d->mouse_present = true;
		devices_added(d, false);
	}
	/* Back: the first input (on the greeter) ends the idle period. */
	if (!manual || back > lock_at + IDLE_AFTER)
		push(d, TT_KIND_ACTIVE, d->t, 0, 0);
	d->t += (uint64_t)wl_range(&d->rng, 3000, 9000) * MSEC;
	push(d, TT_KIND_UNLOCK, d->t, 0, 0);
	input_done(d, 0);
	d->away_until = d->t;
	d->stay = true;
}

/* After login: the first window comes up, nobody switched to it. */
static void
first_focus(struct wl_day *d)
{
	int a = (int)wl_pick(&d->rng, d->u->role->app_weight, WL_APP_COUNT);

	d->t += (uint64_t)wl_range(&d->rng, 3000, 20000) * MSEC;
	focus(d, a, random_title(d, a), 0);
	d->last_input = d->t;
	d->stay = true;
}

static void
routine_batch(struct wl_day *d, uint64_t until)
{
	const struct wl_role *role = d->u->role;
	unsigned reps = (unsigned)wl_range(&d->rng, role->routine_reps / 2 + 1,
					   role->routine_reps * 3 / 2);

	for (unsigned rep = 0; rep < reps && d->t < until && !failed(d); rep++) {
		for (const struct wl_step *s = role->routine; s->op != WL_OP_END; s++) {
			if (s->op != WL_OP_SWITCH && s->op != WL_OP_NEXT_TITLE)
				think(d, 650);
			switch (s->op) {
			case WL_OP_SWITCH: {
				uint32_t title = s->title ? title_id(d, s->arg, s->title - 1, false) :
					d->app_title[s->arg] ? d->app_title[s->arg] :
					random_title(d, s->arg);
				think(d, 900);
				switch_to(d, s->arg, title);
				break;
			}
			case WL_OP_NEXT_TITLE:
				d->u->title_next[d->app]++;
				new_title(d, title_id(d, d->app, 0, true));
				break;
			case WL_OP_KEY:
				act_key(d, s->arg);
				break;
			case WL_OP_CLICK:
				act_click(d, s->arg);
				break;
			case WL_OP_TYPE:
				act_type(d, s->arg);
				break;
			case WL_OP_SCROLL:
				act_scroll(d);
				break;
			case WL_OP_WAIT:
				wait(d, (uint64_t)(wl_exp(&d->rng, s->arg * 1000.0) * 1000.0 /
						   d->g->density) + 1);
				break;
			}
		}
	}
}

/* A focus period of free work, until @p limit at the latest. */
static void
free_block(struct wl_day *d, uint64_t limit)
{
	const struct wl_role *role = d->u->role;
	uint64_t begin, end, dwell;
	int a;

	if (limit < d->t + 5 * SEC) {
		think(d, 2000);
		return;
	}
	if (d->stay && d->app >= 0) {
		/* Just logged in or back at the desk: go on where the focus is. */
		a = d->app;
	} else if (wl_chance(&d->rng, 0.006)) {
		a = WL_APP_KEEPASSXC;
	} else {
		do
			a = (int)wl_pick(&d->rng, role->app_weight, WL_APP_COUNT);
		while (a == d->app);
	}
	if (!d->stay || a != d->app) {
		think(d, 1200);
		switch_to(d, a, d->app_title[a] && wl_chance(&d->rng, 0.7) ? d->app_title[a] :
				random_title(d, a));
	}
	d->stay = false;
	if (wl_apps[a].excluded) {
		d->t += (uint64_t)wl_range(&d->rng, 4, 40) * SEC;
		d->last_input = d->t;
		return;
	}
	dwell = (uint64_t)(wl_lognormal(&d->rng, 55, 1.1) * SEC);
	if (dwell < 3 * SEC)
		dwell = 3 * SEC;
	if (dwell > 25 * MIN)
		dwell = 25 * MIN;
	end = d->t + dwell < limit ? d->t + dwell : limit;
	begin = d->t;
	while (d->t < end && !failed(d)) {
		/* Reading for a while, now and then: long enough to go idle. */
		if (wl_chance(&d->rng, 0.0005 / d->g->density))
			wait(d, (uint64_t)wl_range(&d->rng, 4 * 60, 9 * 60) * SEC);
		else
			think(d, wl_apps[d->app].think_ms);
		act_free(d);
	}
	/* A lighter day: the same work, with more time away from the keyboard. */
	if (d->g->density < 1.0 && d->t < limit) {
		uint64_t away_us = (uint64_t)((double)(d->t - begin) * (1.0 / d->g->density - 1.0));

		wait(d, away_us < limit - d->t ? away_us : limit - d->t);
	}
}

struct event {
	uint64_t at, len;
	bool routine;
};

static int
event_cmp(const void *a, const void *b)
{
	const struct event *x = a, *y = b;

	return x->at < y->at ? -1 : x->at > y->at;
}

static void
work(struct wl_day *d, uint64_t until, struct event *ev, unsigned nev)
{
	while (d->t < until && !failed(d)) {
		uint64_t limit = until;
		struct event *next = NULL;

		for (unsigned i = 0; i < nev; i++) {
			if (ev[i].at && ev[i].at < until) {
				next = &ev[i];
				break;
			}
		}
		if (next && next->at <= d->t) {
			next->at = 0;
			if (next->routine) {
				routine_batch(d, until);
			} else if (d->t > d->away_until + 20 * MIN) {
				/* Not right after coming back from the last break. */
				away(d, next->len, wl_chance(&d->rng, 0.65), false);
			}
			continue;
		}
		if (next)
			limit = next->at;
		free_block(d, limit);
	}
}

int
wl_day_generate(struct wl_gen *g, struct wl_user *u, unsigned day_index,
		uint64_t midnight_us)
{
	struct wl_day day, *d = &day;
	struct event ev[16];
	unsigned nev = 0, n;
	uint64_t start, lunch, lunch_len, end;
	bool undock, two_sessions;

	memset(d, 0, sizeof(*d));
	d->g = g;
	d->u = u;
	d->uid = u->uid;
	d->app = -1;
	d->open_burst = -1;
	d->closed_burst = -1;
	d->dscale = g->density > 1.0 ? 1.0 / g->density : 1.0;
	d->pause = (uint64_t)(2 * SEC / (g->density > 1.0 ? g->density : 1.0));
	d->mouse_present = true;
	wl_rng_seed(&d->rng, g->seed, u->index + 1, day_index + 1);
	d->touchpad_share = u->laptop ? 0.05 + 0.4 * wl_unit(&d->rng) : 0;
	u->buf.n = 0;

	start = midnight_us + (uint64_t)(u->start_min + wl_range(&d->rng, -20, 25)) * MIN +
		(uint64_t)wl_range(&d->rng, 0, 59999999);
	lunch = midnight_us + (uint64_t)wl_range(&d->rng, 11 * 60 + 40, 13 * 60) * MIN +
		(uint64_t)wl_range(&d->rng, 0, 59999999);
	if (lunch < start + 2 * 60 * MIN)
		lunch = start + 2 * 60 * MIN;
	lunch_len = (uint64_t)wl_range(&d->rng, 25, 65) * MIN;
	end = start + 8 * 60 * MIN + lunch_len + (uint64_t)wl_range(&d->rng, -30, 45) * MIN;
	undock = u->laptop && wl_chance(&d->rng, 0.25);
	two_sessions = wl_chance(&d->rng, 0.15);

	/* Coffee breaks and meetings, then the routine batches. */
	n = (unsigned)wl_range(&d->rng, 1, 4);
	for (unsigned i = 0; i < n; i++, nev++) {
		ev[nev].at = start + (uint64_t)(wl_unit(&d->rng) * (double)(end - start));
		ev[nev].len = wl_chance(&d->rng, 0.3) ?
			(uint64_t)wl_range(&d->rng, 25, 60) * MIN :
			(uint64_t)wl_range(&d->rng, 3, 15) * MIN;
		ev[nev].routine = false;
	}
	n = (unsigned)wl_range(&d->rng, u->role->routine_batches > 1 ? u->role->routine_batches - 1 : 1,
			       u->role->routine_batches + 1);
	for (unsigned i = 0; i < n && nev < 16; i++, nev++) {
		ev[nev].at = start + 10 * MIN +
			     (uint64_t)(wl_unit(&d->rng) * (double)(end - start - 40 * MIN));
		ev[nev].len = 0;
		ev[nev].routine = true;
	}
	for (unsigned i = 0; i < nev; i++)
		if (ev[i].at >= lunch && ev[i].at < lunch + lunch_len)
			ev[i].at = lunch + lunch_len + (uint64_t)wl_range(&d->rng, 2, 30) * MIN;
	qsort(ev, nev, sizeof(ev[0]), event_cmp);

	/* The machine boots and the tracer finds the devices: no session yet. */
	d->t = start - (uint64_t)wl_range(&d->rng, 90, 900) * SEC;
	devices_added(d, true);
	d->t = start;
	login(d);
	if (d->err)
		goto out;
	first_focus(d);

	/* Some mornings the tracer is restarted (an update). */
	if (wl_chance(&d->rng, 0.04)) {
		uint64_t at = start + (uint64_t)wl_range(&d->rng, 20, 120) * MIN;

		work(d, at, ev, nev);
		struct tt_record *r = push(d, TT_KIND_GAP, d->t, 0, 0);
		if (r) {
			uint64_t down = (uint64_t)wl_range(&d->rng, 2, 25) * SEC;

			r->u.gap.reason = TT_GAP_TRACER_STOP;
			r->dur_ns = down * 1000;
			d->t += down;
			d->last_input = d->t;
			devices_added(d, true);
		}
	}

	work(d, lunch, ev, nev);
	if (two_sessions) {
		if (undock) {
			device_removed(d, d->u->dev_mouse);
			d->mouse_present = false;
		}
		logout(d);
		d->t += lunch_len;
		if (undock) {
			d->mouse_present = true;
			devices_added(d, false);
		}
		login(d);
		if (d->err)
			goto out;
		first_focus(d);
	} else {
		away(d, lunch_len, wl_chance(&d->rng, 0.7), undock);
	}
	work(d, end, ev, nev);
	logout(d);
out:
	if (d->open_burst >= 0)
		close_burst(d, NULL);
	return d->err ? d->err : g->err;
}

int
wl_user_init(struct wl_gen *g, struct wl_user *u, unsigned index)
{
	struct wl_rng rng;
	struct tt_device_info dev;
	const struct wl_device_model *m;
	static const unsigned hz[] = { 125, 500, 1000 };
	int rc;

	memset(u, 0, sizeof(*u));
	wl_rng_seed(&rng, g->seed, index + 1, 0);
	u->index = index;
	wl_user_name(index, u->name, sizeof(u->name));
	u->uid = 1000 + index;
	u->role = &wl_roles[index % wl_role_count];
	u->backend = wl_chance(&rng, 0.35) ? 1 : 0;
	u->laptop = wl_chance(&rng, 0.4);
	u->start_min = (int)wl_range(&rng, 8 * 60, 9 * 60 + 30);
	u->key_ms = wl_lognormal(&rng, 190, 0.2);
	u->think = wl_lognormal(&rng, 1.0, 0.2);
	u->mouse_hz = hz[wl_below(&rng, 3)];

	for (unsigned i = 0; i < 3; i++) {
		uint32_t *id = i == 0 ? &u->dev_kbd : i == 1 ? &u->dev_mouse : &u->dev_touchpad;
		uint64_t x = g->seed ^ ((uint64_t)index << 8 | i);

		if (i == 0)
			m = u->laptop ? &wl_keyboards[wl_keyboard_count - 1] :
					&wl_keyboards[wl_below(&rng, wl_keyboard_count - 1)];
		else if (i == 1)
			m = &wl_mice[wl_below(&rng, wl_mouse_count)];
		else if (u->laptop)
			m = &wl_touchpads[wl_below(&rng, wl_touchpad_count)];
		else
			break;
		memset(&dev, 0, sizeof(dev));
		dev.classes = m->classes;
		dev.bus = m->bus;
		dev.vendor = m->vendor;
		dev.product = m->product;
		snprintf(dev.ident, sizeof(dev.ident), "%04x:%04x:%04x:%08x", m->bus,
			 m->vendor, m->product, (unsigned)(wl_splitmix(&x) >> 32));
		snprintf(dev.name, sizeof(dev.name), "%s", m->name);
		rc = tt_store_device_intern(g->store, &dev);
		if (rc != 0)
			return rc;
		*id = dev.id;
	}
	return 0;
}
