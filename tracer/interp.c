/* SPDX-License-Identifier: MIT */
/*
 * The input interpreter: normalised events in, records out. See interp.h
 * for the contract; this file is pure (no I/O, no clock).
 *
 * Layout of the state: one struct per kind of open aggregate (typing
 * burst, scroll per axis, pointer motion, held buttons, touch sequence,
 * gesture, tablet proximity/tip/buttons). Each aggregate remembers the
 * context (session, user, focus) current when it opened: every context
 * change closes the aggregates it would otherwise straddle, so a record
 * never mixes two applications or two sessions.
 *
 * Tests: the scripts in tests/interp/, run by tests/unit/test-interp.c.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "interp.h"

#define MAX_HELD_BUTTONS 8
#define MAX_HELD_MODS 8
#define MAX_TOUCH_SLOTS 16
#define NAME_CACHE 64

/* What every record carries besides its payload. */
struct ctx {
	uint32_t session;
	uint32_t uid;
	uint32_t app;
	uint32_t title;
	uint32_t element;
};

/*
 * A typing burst. Only counts, the start and the last key's time: the
 * key codes never get here, and the last time is wiped when the burst
 * closes (explicit_bzero, so the compiler cannot drop the wipe).
 */
struct burst {
	bool open;
	uint64_t start;
	uint64_t last;
	/* the earliest a short burst may say it started (monotonic ns) */
	uint64_t coarse_start_ns;
	uint32_t count[TT_CLASS_COUNT];
	uint32_t device;
	bool secret;		/* hidden: typed into a password field */
	struct ctx ctx;
};

struct scroll {
	bool open;
	uint64_t start, last;
	int64_t v120;
	uint32_t events;
	uint32_t device;
	uint8_t source;
	int8_t sign;
	struct ctx ctx;
};

struct motion {
	bool open;
	uint64_t start, last;
	double distance;
	uint32_t events;
	uint32_t device;
	struct ctx ctx;
};

struct held_button {
	bool used;
	uint16_t button;
	uint8_t clicks;
	uint8_t mods;
	uint32_t device;
	uint64_t start;
	struct ctx ctx;
};

struct touch {
	bool open;
	uint64_t start, last;
	uint32_t mask;		/* slots down */
	int32_t first_slot;
	double x, y;		/* last position of the first finger */
	double distance;
	uint32_t events;
	uint8_t fingers;
	uint32_t device;
	struct ctx ctx;
};

struct gesture {
	bool open;
	uint64_t start;
	double scale;
	uint8_t type;
	uint8_t fingers;
	uint32_t device;
	struct ctx ctx;
};

struct tablet_span {
	bool open;
	uint64_t start;
	uint16_t tool;
	bool have_pos;
	double x, y;
	double distance;
	uint32_t device;
	struct ctx ctx;
};

struct interp {
	struct interp_config cfg;
	struct interp_keymap km;
	struct interp_sink sink;
	int64_t offset_ns;

	uint64_t now;
	uint64_t seq;
	uint64_t emitted;
	/* the latest start of a record pushed (monotonic ns), and the time of
	 * the last event other than a key: a short burst's coarse start never
	 * goes back past either, so it sorts after all that came before it */
	uint64_t last_push_ns;
	uint64_t last_nonkey;

	/* context */
	struct ctx ctx;
	uint8_t session_state;
	bool excluded;
	bool secret;		/* the element in front is a password field */

	/* idle */
	bool have_input;
	bool idle;
	uint64_t last_input;

	/* keyboard: held modifiers (codes of modifier keys only) */
	uint16_t held_mod[MAX_HELD_MODS];
	uint16_t lone_mod;	/* a modifier pressed with nothing else yet */

	/* multi-click */
	uint16_t click_button;
	uint32_t click_device;
	uint64_t click_time;
	uint8_t click_count;

	struct burst burst;
	struct scroll scroll[2];
	struct motion motion;
	struct held_button buttons[MAX_HELD_BUTTONS];
	struct touch touch;
	struct gesture gesture;
	struct tablet_span prox;
	struct tablet_span tip;
	struct tablet_span tbuttons[MAX_HELD_BUTTONS];

	/* key name → string id, direct-mapped on (code, mods) */
	struct {
		uint16_t code;
		uint8_t mods;
		uint32_t id;
	} names[NAME_CACHE];

	/* finished records waiting for the watermark, sorted by time */
	struct tt_record *pending;
	size_t npending, cap;
};

static void
mark_ctx(const struct ctx *c, void (*mark)(void *set, uint32_t id), void *set)
{
	mark(set, c->app);
	mark(set, c->title);
}

void
interp_mark_strings(const struct interp *it, void (*mark)(void *set, uint32_t id),
		    void *set)
{
	mark_ctx(&it->ctx, mark, set);
	mark_ctx(&it->burst.ctx, mark, set);
	mark_ctx(&it->scroll[0].ctx, mark, set);
	mark_ctx(&it->scroll[1].ctx, mark, set);
	mark_ctx(&it->motion.ctx, mark, set);
	mark_ctx(&it->touch.ctx, mark, set);
	mark_ctx(&it->gesture.ctx, mark, set);
	mark_ctx(&it->prox.ctx, mark, set);
	mark_ctx(&it->tip.ctx, mark, set);
	for (size_t i = 0; i < MAX_HELD_BUTTONS; i++) {
		mark_ctx(&it->buttons[i].ctx, mark, set);
		mark_ctx(&it->tbuttons[i].ctx, mark, set);
	}
	for (size_t i = 0; i < NAME_CACHE; i++)
		mark(set, it->names[i].id);
	for (size_t i = 0; i < it->npending; i++) {
		const struct tt_record *r = &it->pending[i];

		mark(set, r->app);
		mark(set, r->title);
		if (r->kind == TT_KIND_KEY)
			mark(set, r->u.key.name);
		if (r->kind == TT_KIND_FOCUS) {
			mark(set, r->u.focus.exe);
			mark(set, r->u.focus.backend);
		}
	}
}

void
interp_config_defaults(struct interp_config *cfg)
{
	cfg->typing_pause_usec = 1500000;
	cfg->typing_max_usec = 300000000;
	cfg->double_click_usec = 400000;
	cfg->scroll_pause_usec = 300000;
	cfg->motion_pause_usec = 300000;
	cfg->aggregate_max_usec = 60000000;
	cfg->idle_usec = 300000000;
	cfg->max_pending = 4096;
	cfg->min_burst_keys = INTERP_MIN_BURST_KEYS;
	cfg->count_round = INTERP_COUNT_ROUND;
}

int
interp_new(struct interp **out, const struct interp_config *cfg,
	   const struct interp_keymap *km, const struct interp_sink *sink,
	   uint64_t first_seq)
{
	struct interp *it = calloc(1, sizeof(*it));

	if (!it)
		return -ENOMEM;
	if (cfg)
		it->cfg = *cfg;
	else
		interp_config_defaults(&it->cfg);
	if (it->cfg.max_pending == 0)
		it->cfg.max_pending = 4096;
	it->km = *km;
	it->sink = *sink;
	it->seq = first_seq;
	it->ctx.uid = TT_UID_NONE;
	it->session_state = INTERP_SESSION_NONE;
	*out = it;
	return 0;
}

void
interp_destroy(struct interp *it)
{
	if (!it)
		return;
	free(it->pending);
	/* the burst may still hold a last-key time */
	explicit_bzero(it, sizeof(*it));
	free(it);
}

void
interp_set_config(struct interp *it, const struct interp_config *cfg)
{
	it->cfg = *cfg;
	if (it->cfg.max_pending == 0)
		it->cfg.max_pending = 4096;
}

void
interp_set_keymap(struct interp *it, const struct interp_keymap *km)
{
	it->km = *km;
	memset(it->names, 0, sizeof(it->names));
}

void
interp_set_clock_offset(struct interp *it, int64_t offset_ns)
{
	it->offset_ns = offset_ns;
}

uint64_t
interp_next_seq(const struct interp *it)
{
	return it->seq;
}

uint64_t
interp_records(const struct interp *it)
{
	return it->emitted;
}

void
interp_debug_state(const struct interp *it, const void **bytes, size_t *len)
{
	*bytes = it;
	*len = sizeof(*it);
}

/* --- output: pending queue and watermark ---------------------------------- */

static void
emit_one(struct interp *it, struct tt_record *r)
{
	r->time_ns = (uint64_t)((int64_t)r->time_ns + it->offset_ns);
	r->seq = it->seq++;
	it->emitted++;
	it->sink.emit(it->sink.data, r);
}

/* The earliest start of anything still open: nothing that finishes later
 * can sort before it, so everything up to it may go out. */
static uint64_t
watermark(const struct interp *it)
{
	uint64_t w = UINT64_MAX;

#define LOWER(cond, t) do { if ((cond) && (t) < w) w = (t); } while (0)
	LOWER(it->burst.open, it->burst.coarse_start_ns / 1000);
	LOWER(it->scroll[0].open, it->scroll[0].start);
	LOWER(it->scroll[1].open, it->scroll[1].start);
	LOWER(it->motion.open, it->motion.start);
	LOWER(it->touch.open, it->touch.start);
	LOWER(it->gesture.open, it->gesture.start);
	LOWER(it->prox.open, it->prox.start);
	LOWER(it->tip.open, it->tip.start);
	for (size_t i = 0; i < MAX_HELD_BUTTONS; i++) {
		LOWER(it->buttons[i].used, it->buttons[i].start);
		LOWER(it->tbuttons[i].open, it->tbuttons[i].start);
	}
#undef LOWER
	return w;
}

static void
drain(struct interp *it)
{
	size_t n = 0;
	uint64_t w;

	if (it->npending == 0)
		return;
	w = watermark(it);
	if (w != UINT64_MAX)
		w *= 1000;
	/* Past the limit, give up on order rather than on memory: the store
	 * puts a late record where it belongs. */
	while (n < it->npending &&
	       (it->pending[n].time_ns <= w ||
		it->npending - n > it->cfg.max_pending))
		emit_one(it, &it->pending[n++]);
	if (n == 0)
		return;
	memmove(it->pending, it->pending + n,
		(it->npending - n) * sizeof(*it->pending));
	it->npending -= n;
}

/* Queue a finished record (times in monotonic usec, converted here). */
static void
push(struct interp *it, struct tt_record *r)
{
	size_t i;

	if (it->npending == it->cap) {
		size_t cap = it->cap ? it->cap * 2 : 32;
		struct tt_record *p = realloc(it->pending, cap * sizeof(*p));

		if (!p) {
			/* No memory: emit now, out of order if need be. */
			emit_one(it, r);
			return;
		}
		it->pending = p;
		it->cap = cap;
	}
	/* stable insertion from the end: usually it belongs there */
	i = it->npending;
	while (i > 0 && it->pending[i - 1].time_ns > r->time_ns)
		i--;
	memmove(it->pending + i + 1, it->pending + i,
		(it->npending - i) * sizeof(*it->pending));
	it->pending[i] = *r;
	it->npending++;
	if (r->time_ns > it->last_push_ns)
		it->last_push_ns = r->time_ns;
}

static void
rec_init(struct tt_record *r, unsigned kind, uint64_t start, uint64_t end,
	 const struct ctx *c, uint32_t device)
{
	memset(r, 0, sizeof(*r));
	r->kind = (uint8_t)kind;
	r->time_ns = start * 1000;
	r->dur_ns = end > start ? (end - start) * 1000 : 0;
	r->session = c->session;
	r->uid = c->uid;
	r->app = c->app;
	r->title = c->title;
	r->element = c->element;
	r->device = device;
}

static void
marker(struct interp *it, unsigned kind, uint64_t t, uint32_t device)
{
	struct tt_record r;

	rec_init(&r, kind, t, t, &it->ctx, device);
	push(it, &r);
}

/* --- privacy ---------------------------------------------------------------- */

/* Is input recorded at all right now? */
static bool
recording(const struct interp *it)
{
	return it->session_state == INTERP_SESSION_ACTIVE && !it->excluded;
}

/* --- closing aggregates ---------------------------------------------------- */

/* Monotonic ns of the wall-clock grid line at or before (@up: at or
 * after) monotonic µs @t. */
static uint64_t
coarse_ns(const struct interp *it, uint64_t t, bool up)
{
	int64_t wall = (int64_t)(t * 1000) + it->offset_ns;
	int64_t g = (int64_t)INTERP_COARSE_NS;
	int64_t rem = wall % g;

	if (rem < 0)
		rem += g;
	wall -= rem;
	if (up && rem)
		wall += g;
	wall -= it->offset_ns;
	return wall > 0 ? (uint64_t)wall : 0;
}

/* The nearest multiple of @m (m 5: 2 → 0, 3 → 5, 12 → 10). */
static uint32_t
round_count(uint32_t c, uint32_t m)
{
	uint64_t q = c / m, rem = c % m;
	uint64_t v = (q + (2 * rem >= m)) * m;

	return v > UINT32_MAX ? UINT32_MAX - UINT32_MAX % m : (uint32_t)v;
}

/*
 * The burst becomes a record. A short one keeps only "fewer than N keys":
 * no counts, not what closed it (Enter then a focus change, or a pause),
 * and times on the coarse grid, so that its duration does not tell its
 * length either. A longer one keeps rounded counts.
 */
static void
burst_close(struct interp *it, enum tt_burst_end end)
{
	struct burst *b = &it->burst;
	uint64_t keys = 0;
	struct tt_record r;

	if (!b->open)
		return;
	for (unsigned c = 0; c < TT_CLASS_COUNT; c++)
		keys += b->count[c];
	rec_init(&r, TT_KIND_TYPING, b->start, b->last, &b->ctx, b->device);
	if (b->secret || (it->cfg.min_burst_keys > 1 && keys < it->cfg.min_burst_keys)) {
		uint64_t end_ns = coarse_ns(it, b->last, true);

		r.time_ns = b->coarse_start_ns;
		r.dur_ns = end_ns > r.time_ns ? end_ns - r.time_ns : 0;
		/* An idle marker is dated by the last input: were that the
		 * burst's last key, idle would give the burst's end away. */
		if (it->last_input == b->last)
			it->last_input = (end_ns + 999) / 1000;
		r.u.typing.end = TT_BURST_HIDDEN;
		/* hidden: not even "fewer than N" (under 0) */
		if (!b->secret)
			r.u.typing.under = it->cfg.min_burst_keys > UINT16_MAX ? UINT16_MAX :
					   (uint16_t)it->cfg.min_burst_keys;
	} else {
		uint32_t m = it->cfg.count_round > 1 ? it->cfg.count_round : 1;

		if (m > UINT8_MAX)
			m = UINT8_MAX;
		for (unsigned c = 0; c < TT_CLASS_COUNT; c++)
			r.u.typing.count[c] = round_count(b->count[c], m);
		r.u.typing.end = (uint8_t)end;
		r.u.typing.round = (uint8_t)m;
	}
	push(it, &r);
	explicit_bzero(b, sizeof(*b));
}

static void
scroll_close(struct interp *it, int axis)
{
	struct scroll *s = &it->scroll[axis];
	struct tt_record r;

	if (!s->open)
		return;
	rec_init(&r, TT_KIND_SCROLL, s->start, s->last, &s->ctx, s->device);
	if (s->v120 > INT32_MAX)
		s->v120 = INT32_MAX;
	if (s->v120 < -INT32_MAX)
		s->v120 = -INT32_MAX;
	r.u.scroll.v120 = (int32_t)s->v120;
	r.u.scroll.events = s->events;
	r.u.scroll.axis = (uint8_t)axis;
	r.u.scroll.source = s->source;
	push(it, &r);
	memset(s, 0, sizeof(*s));
}

static uint32_t
eighths(double v)
{
	v = v * 8.0 + 0.5;
	return v >= (double)UINT32_MAX ? UINT32_MAX : (uint32_t)v;
}

static void
motion_close(struct interp *it)
{
	struct motion *m = &it->motion;
	struct tt_record r;

	if (!m->open)
		return;
	rec_init(&r, TT_KIND_MOTION, m->start, m->last, &m->ctx, m->device);
	r.u.motion.distance = eighths(m->distance);
	r.u.motion.events = m->events;
	push(it, &r);
	memset(m, 0, sizeof(*m));
}

static void
button_close(struct interp *it, struct held_button *b, uint64_t t)
{
	struct tt_record r;

	rec_init(&r, TT_KIND_BUTTON, b->start, t, &b->ctx, b->device);
	r.u.button.button = b->button;
	r.u.button.clicks = b->clicks;
	r.u.button.mods = b->mods;
	push(it, &r);
	memset(b, 0, sizeof(*b));
}

static void
touch_close(struct interp *it, uint64_t t)
{
	struct touch *tc = &it->touch;
	struct tt_record r;

	if (!tc->open)
		return;
	rec_init(&r, TT_KIND_TOUCH, tc->start, t, &tc->ctx, tc->device);
	r.u.touch.distance = eighths(tc->distance);
	r.u.touch.events = tc->events;
	r.u.touch.fingers = tc->fingers;
	push(it, &r);
	memset(tc, 0, sizeof(*tc));
}

static void
gesture_close(struct interp *it, uint64_t t, bool cancelled)
{
	struct gesture *g = &it->gesture;
	struct tt_record r;

	if (!g->open)
		return;
	rec_init(&r, TT_KIND_GESTURE, g->start, t, &g->ctx, g->device);
	r.u.gesture.type = g->type;
	r.u.gesture.fingers = g->fingers;
	r.u.gesture.cancelled = cancelled;
	if (g->type == TT_GESTURE_PINCH) {
		double s = g->scale * 1000.0;

		if (s > INT32_MAX)
			s = INT32_MAX;
		if (s < 0)
			s = 0;
		r.u.gesture.scale = (int32_t)lround(s);
	}
	push(it, &r);
	memset(g, 0, sizeof(*g));
}

static void
tablet_close(struct interp *it, struct tablet_span *sp, uint8_t event,
	     uint64_t t)
{
	struct tt_record r;

	if (!sp->open)
		return;
	rec_init(&r, TT_KIND_TABLET, sp->start, t, &sp->ctx, sp->device);
	r.u.tablet.event = event;
	r.u.tablet.tool = sp->tool;
	if (event == TT_TABLET_TIP)
		r.u.tablet.distance = eighths(sp->distance);
	push(it, &r);
	memset(sp, 0, sizeof(*sp));
}

/*
 * Close what is open at @t: everything of @device, or of every device
 * when @device is 0. Held buttons are closed only when @buttons is set:
 * a click often moves the focus between press and release, and that must
 * not cut the click in two.
 */
static void
close_open(struct interp *it, uint64_t t, enum tt_burst_end end,
	   uint32_t device, bool buttons)
{
#define MATCH(d) (device == 0 || (d) == device)
	if (it->burst.open && MATCH(it->burst.device))
		burst_close(it, end);
	for (int a = 0; a < 2; a++)
		if (it->scroll[a].open && MATCH(it->scroll[a].device))
			scroll_close(it, a);
	if (it->motion.open && MATCH(it->motion.device))
		motion_close(it);
	if (it->touch.open && MATCH(it->touch.device))
		touch_close(it, t);
	if (it->gesture.open && MATCH(it->gesture.device))
		gesture_close(it, t, true);
	if (it->tip.open && MATCH(it->tip.device))
		tablet_close(it, &it->tip, TT_TABLET_TIP, t);
	if (it->prox.open && MATCH(it->prox.device))
		tablet_close(it, &it->prox, TT_TABLET_PROXIMITY, t);
	if (!buttons)
		return;
	for (size_t i = 0; i < MAX_HELD_BUTTONS; i++) {
		if (it->buttons[i].used && MATCH(it->buttons[i].device))
			button_close(it, &it->buttons[i], t);
		if (it->tbuttons[i].open && MATCH(it->tbuttons[i].device))
			tablet_close(it, &it->tbuttons[i], TT_TABLET_BUTTON, t);
	}
#undef MATCH
}

/* --- time ---------------------------------------------------------------- */

/* Close what timed out by @now; emit idle when the threshold passed. */
static void
expire(struct interp *it, uint64_t now)
{
	const struct interp_config *c = &it->cfg;

	if (it->burst.open && now >= it->burst.last + c->typing_pause_usec)
		burst_close(it, TT_BURST_PAUSE);
	for (int a = 0; a < 2; a++)
		if (it->scroll[a].open &&
		    now >= it->scroll[a].last + c->scroll_pause_usec)
			scroll_close(it, a);
	if (it->motion.open && now >= it->motion.last + c->motion_pause_usec)
		motion_close(it);
	if (c->idle_usec && it->have_input && !it->idle &&
	    now >= it->last_input + c->idle_usec) {
		uint64_t t = it->last_input;

		close_open(it, now, TT_BURST_PAUSE, 0, true);
		it->idle = true;
		/* Idle is a marker even while locked; only a deny-listed
		 * focus silences it. */
		if (!it->excluded)
			marker(it, TT_KIND_IDLE, t, 0);
	}
}

static uint64_t
next_deadline(const struct interp *it)
{
	const struct interp_config *c = &it->cfg;
	uint64_t d = INTERP_NEVER;

#define SOONER(cond, t) do { if ((cond) && (t) < d) d = (t); } while (0)
	SOONER(it->burst.open, it->burst.last + c->typing_pause_usec);
	SOONER(it->scroll[0].open, it->scroll[0].last + c->scroll_pause_usec);
	SOONER(it->scroll[1].open, it->scroll[1].last + c->scroll_pause_usec);
	SOONER(it->motion.open, it->motion.last + c->motion_pause_usec);
	SOONER(c->idle_usec && it->have_input && !it->idle,
	       it->last_input + c->idle_usec);
#undef SOONER
	return d;
}

/* Any input: wakes from idle. Called after expire(), before handling. */
static void
input_seen(struct interp *it, uint64_t t)
{
	if (it->idle) {
		it->idle = false;
		if (!it->excluded)
			marker(it, TT_KIND_ACTIVE, t, 0);
	}
	it->have_input = true;
	it->last_input = t;
}

/* --- keyboard ---------------------------------------------------------- */

static uint8_t
mods_held(const struct interp *it)
{
	uint8_t m = 0;

	/* the role check: a new keymap may have made a held key something else */
	for (size_t i = 0; i < MAX_HELD_MODS; i++)
		if (it->held_mod[i] && it->km.role[it->held_mod[i]] == INTERP_ROLE_MODIFIER)
			m |= it->km.arg[it->held_mod[i]];
	return m & TT_MOD_ALL;
}

static void
mod_press(struct interp *it, uint16_t code)
{
	size_t free_slot = MAX_HELD_MODS;

	for (size_t i = 0; i < MAX_HELD_MODS; i++) {
		if (it->held_mod[i] == code)
			return;
		if (!it->held_mod[i] && free_slot == MAX_HELD_MODS)
			free_slot = i;
	}
	if (free_slot < MAX_HELD_MODS)
		it->held_mod[free_slot] = code;
}

static void
mod_release(struct interp *it, uint16_t code)
{
	for (size_t i = 0; i < MAX_HELD_MODS; i++)
		if (it->held_mod[i] == code)
			it->held_mod[i] = 0;
}

static void
mods_reset(struct interp *it)
{
	memset(it->held_mod, 0, sizeof(it->held_mod));
	it->lone_mod = 0;
}

static size_t
append_str(char *buf, size_t len, size_t cap, const char *s)
{
	size_t n = strlen(s);

	if (len + n >= cap)
		n = cap - 1 - len;
	memcpy(buf + len, s, n);
	buf[len + n] = '\0';
	return len + n;
}

/* "Ctrl+Shift+T": modifiers in a fixed order, then the key's name. */
static uint32_t
key_name(struct interp *it, uint16_t code, uint8_t mods)
{
	static const struct {
		uint8_t bit;
		const char *name;
	} order[] = {
		{ TT_MOD_CTRL, "Ctrl+" },   { TT_MOD_ALT, "Alt+" },
		{ TT_MOD_SHIFT, "Shift+" }, { TT_MOD_SUPER, "Super+" },
		{ TT_MOD_ALTGR, "AltGr+" },
	};
	size_t slot = ((size_t)code * 31u + mods) % NAME_CACHE;
	char buf[96] = "";
	size_t len = 0;
	uint32_t id;

	if (it->names[slot].id && it->names[slot].code == code &&
	    it->names[slot].mods == mods)
		return it->names[slot].id;
	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++)
		if (mods & order[i].bit)
			len = append_str(buf, len, sizeof(buf), order[i].name);
	len = append_str(buf, len, sizeof(buf), it->km.name[code]);
	id = it->sink.intern ? it->sink.intern(it->sink.data, buf, len) : 0;
	if (id) {
		it->names[slot].code = code;
		it->names[slot].mods = mods;
		it->names[slot].id = id;
	}
	return id;
}

/* What the key types with the modifiers held: Shift+7 is '&' on a US
 * layout, punctuation, not a digit. */
static uint8_t
key_class(const struct interp *it, uint16_t code, uint8_t mods)
{
	unsigned level = (mods & TT_MOD_SHIFT ? 1u : 0u) | (mods & TT_MOD_ALTGR ? 2u : 0u);
	uint8_t cls = level ? it->km.level_class[level - 1][code] : it->km.arg[code];

	return cls < TT_CLASS_COUNT ? cls : TT_CLASS_PUNCT;
}

static void
handle_key(struct interp *it, const struct interp_event *ev, uint64_t t)
{
	uint16_t code = ev->u.key.code;
	uint8_t role = code < INTERP_KEY_CODES ? it->km.role[code] : INTERP_ROLE_IGNORE;
	uint8_t mods, cls;
	struct tt_record r;

	/* Autorepeat is activity (idle), never a press. */
	if (ev->u.key.state == INTERP_KEY_REPEAT)
		return;

	if (role == INTERP_ROLE_MODIFIER) {
		if (ev->u.key.state == INTERP_KEY_PRESSED) {
			mod_press(it, code);
			it->lone_mod = code;
			return;
		}
		mod_release(it, code);
		/* A modifier pressed and released alone is counted in the
		 * open burst, never stored on its own. */
		if (it->lone_mod == code && recording(it) && it->burst.open)
			it->burst.count[TT_CLASS_MODIFIER]++;
		it->lone_mod = 0;
		return;
	}
	if (ev->u.key.state != INTERP_KEY_PRESSED)
		return;
	it->lone_mod = 0;
	if (role == INTERP_ROLE_IGNORE || !recording(it))
		return;

	/* Input other than scrolling ends a scroll. */
	scroll_close(it, 0);
	scroll_close(it, 1);

	mods = mods_held(it);
	/* In a password field every key is a secret's: no key record, only
	 * the hidden burst (its counts are never stored). */
	if (it->secret ||
	    (role == INTERP_ROLE_TEXT &&
	     !(mods & (TT_MOD_CTRL | TT_MOD_ALT | TT_MOD_SUPER)))) {
		struct burst *b = &it->burst;

		if (b->open && t - b->start >= it->cfg.typing_max_usec)
			burst_close(it, TT_BURST_MAXLEN);
		if (!b->open) {
			b->open = true;
			b->start = t;
			b->coarse_start_ns = coarse_ns(it, t, false);
			if (b->coarse_start_ns < it->last_push_ns)
				b->coarse_start_ns = it->last_push_ns;
			if (b->coarse_start_ns < it->last_nonkey * 1000)
				b->coarse_start_ns = it->last_nonkey * 1000;
			b->device = ev->device;
			b->ctx = it->ctx;
			b->secret = it->secret;
		}
		cls = role == INTERP_ROLE_TEXT ? key_class(it, code, mods) : TT_CLASS_PUNCT;
		if (b->count[cls] < UINT32_MAX)
			b->count[cls]++;
		b->last = t;
		return;
	}

	burst_close(it, role == INTERP_ROLE_TEXT || (mods & (TT_MOD_CTRL |
			TT_MOD_ALT | TT_MOD_SUPER)) ? TT_BURST_SHORTCUT :
			TT_BURST_NONTEXT);
	rec_init(&r, TT_KIND_KEY, t, t, &it->ctx, ev->device);
	r.u.key.name = key_name(it, code, mods);
	r.u.key.code = code;
	r.u.key.mods = mods;
	push(it, &r);
}

/* --- pointer ----------------------------------------------------------- */

static void
handle_button(struct interp *it, const struct interp_event *ev, uint64_t t)
{
	uint16_t button = ev->u.button.button;
	struct held_button *b = NULL;

	if (!ev->u.button.pressed) {
		for (size_t i = 0; i < MAX_HELD_BUTTONS; i++)
			if (it->buttons[i].used && it->buttons[i].button == button &&
			    it->buttons[i].device == ev->device)
				b = &it->buttons[i];
		/* a release without its press (pressed while locked, or
		 * before we started) is not a click */
		if (b)
			button_close(it, b, t);
		return;
	}
	/* Ctrl+click is no lone Ctrl */
	it->lone_mod = 0;
	if (!recording(it))
		return;

	burst_close(it, TT_BURST_CLICK);
	motion_close(it);
	scroll_close(it, 0);
	scroll_close(it, 1);

	if (button == it->click_button && ev->device == it->click_device &&
	    it->click_count > 0 && t - it->click_time <= it->cfg.double_click_usec)
		it->click_count = it->click_count < 3 ? it->click_count + 1 : 3;
	else
		it->click_count = 1;
	it->click_button = button;
	it->click_device = ev->device;
	it->click_time = t;

	for (size_t i = 0; i < MAX_HELD_BUTTONS && !b; i++)
		if (!it->buttons[i].used)
			b = &it->buttons[i];
	if (!b)
		return;	/* more buttons held than a mouse has */
	b->used = true;
	b->button = button;
	b->clicks = it->click_count;
	b->mods = mods_held(it);
	b->device = ev->device;
	b->start = t;
	b->ctx = it->ctx;
}

static void
handle_axis(struct interp *it, const struct interp_event *ev, uint64_t t)
{
	int axis = ev->u.axis.axis == TT_AXIS_HORIZONTAL;
	struct scroll *s = &it->scroll[axis];
	int8_t sign;

	/* Ctrl+wheel (zoom) is no lone Ctrl */
	it->lone_mod = 0;
	if (!recording(it))
		return;
	if (ev->u.axis.v120 == 0) {
		/* scroll stop: the fingers left the touchpad */
		scroll_close(it, axis);
		return;
	}
	sign = ev->u.axis.v120 > 0 ? 1 : -1;
	if (s->open && (s->sign != sign || s->source != ev->u.axis.source ||
			s->device != ev->device ||
			t - s->start >= it->cfg.aggregate_max_usec))
		scroll_close(it, axis);
	if (!s->open) {
		s->open = true;
		s->start = t;
		s->sign = sign;
		s->source = ev->u.axis.source;
		s->device = ev->device;
		s->ctx = it->ctx;
	}
	s->v120 += ev->u.axis.v120;
	s->events++;
	s->last = t;
}

static void
handle_motion(struct interp *it, const struct interp_event *ev, uint64_t t)
{
	struct motion *m = &it->motion;

	if (!recording(it))
		return;
	scroll_close(it, 0);
	scroll_close(it, 1);
	if (m->open && (m->device != ev->device ||
			t - m->start >= it->cfg.aggregate_max_usec))
		motion_close(it);
	if (!m->open) {
		m->open = true;
		m->start = t;
		m->device = ev->device;
		m->ctx = it->ctx;
	}
	m->distance += sqrt(ev->u.motion.dx * ev->u.motion.dx +
			    ev->u.motion.dy * ev->u.motion.dy);
	m->events++;
	m->last = t;
}

/* --- touch, gestures, tablets ------------------------------------------ */

static void
handle_touch(struct interp *it, const struct interp_event *ev, uint64_t t)
{
	struct touch *tc = &it->touch;
	int32_t slot = ev->u.touch.slot;
	uint32_t bit;

	if (ev->type == INTERP_EV_TOUCH_CANCEL) {
		touch_close(it, t);
		return;
	}
	if (slot < 0 || slot >= MAX_TOUCH_SLOTS)
		return;
	bit = 1u << slot;

	switch (ev->type) {
	case INTERP_EV_TOUCH_DOWN:
		if (!recording(it))
			return;
		scroll_close(it, 0);
		scroll_close(it, 1);
		if (!tc->open) {
			burst_close(it, TT_BURST_CLICK);
			tc->open = true;
			tc->start = t;
			tc->first_slot = slot;
			tc->x = ev->u.touch.x;
			tc->y = ev->u.touch.y;
			tc->device = ev->device;
			tc->ctx = it->ctx;
		}
		tc->mask |= bit;
		if (__builtin_popcount(tc->mask) > tc->fingers)
			tc->fingers = (uint8_t)__builtin_popcount(tc->mask);
		break;
	case INTERP_EV_TOUCH_MOTION:
		if (!tc->open || !(tc->mask & bit))
			return;
		if (slot == tc->first_slot) {
			double dx = ev->u.touch.x - tc->x, dy = ev->u.touch.y - tc->y;

			tc->distance += sqrt(dx * dx + dy * dy);
			tc->x = ev->u.touch.x;
			tc->y = ev->u.touch.y;
		}
		break;
	case INTERP_EV_TOUCH_UP:
		if (!tc->open || !(tc->mask & bit))
			return;
		tc->mask &= ~bit;
		if (slot == tc->first_slot)
			tc->first_slot = -1;
		break;
	default:
		return;
	}
	tc->events++;
	tc->last = t;
	if (tc->mask == 0)
		touch_close(it, t);
}

static void
handle_gesture(struct interp *it, const struct interp_event *ev, uint64_t t)
{
	struct gesture *g = &it->gesture;

	switch (ev->type) {
	case INTERP_EV_GESTURE_BEGIN:
		if (!recording(it))
			return;
		scroll_close(it, 0);
		scroll_close(it, 1);
		gesture_close(it, t, true);
		g->open = true;
		g->start = t;
		g->type = ev->u.gesture.type;
		g->fingers = ev->u.gesture.fingers;
		g->scale = 1.0;
		g->device = ev->device;
		g->ctx = it->ctx;
		break;
	case INTERP_EV_GESTURE_UPDATE:
		if (g->open && g->type == TT_GESTURE_PINCH)
			g->scale = ev->u.gesture.scale;
		break;
	case INTERP_EV_GESTURE_END:
		gesture_close(it, t, ev->u.gesture.cancelled);
		break;
	default:
		break;
	}
}

static void
span_open(struct interp *it, struct tablet_span *sp,
	  const struct interp_event *ev, uint64_t t)
{
	memset(sp, 0, sizeof(*sp));
	sp->open = true;
	sp->start = t;
	sp->tool = ev->u.tablet.tool;
	sp->device = ev->device;
	sp->ctx = it->ctx;
}

static void
handle_tablet(struct interp *it, const struct interp_event *ev, uint64_t t)
{
	bool on = ev->u.tablet.state != 0;
	struct tablet_span *sp = NULL;

	switch (ev->type) {
	case INTERP_EV_TABLET_PROXIMITY:
		if (!on) {
			tablet_close(it, &it->tip, TT_TABLET_TIP, t);
			tablet_close(it, &it->prox, TT_TABLET_PROXIMITY, t);
		} else if (recording(it) && !it->prox.open) {
			span_open(it, &it->prox, ev, t);
		}
		break;
	case INTERP_EV_TABLET_TIP:
		if (!on) {
			tablet_close(it, &it->tip, TT_TABLET_TIP, t);
		} else if (recording(it) && !it->tip.open) {
			burst_close(it, TT_BURST_CLICK);
			span_open(it, &it->tip, ev, t);
			/* the stroke is made with the tool in proximity */
			if (!it->tip.tool && it->prox.open)
				it->tip.tool = it->prox.tool;
			it->tip.have_pos = true;
			it->tip.x = ev->u.tablet.x;
			it->tip.y = ev->u.tablet.y;
		}
		break;
	case INTERP_EV_TABLET_MOTION:
		if (it->tip.open) {
			if (it->tip.have_pos) {
				double dx = ev->u.tablet.x - it->tip.x;
				double dy = ev->u.tablet.y - it->tip.y;

				it->tip.distance += sqrt(dx * dx + dy * dy);
			}
			it->tip.have_pos = true;
			it->tip.x = ev->u.tablet.x;
			it->tip.y = ev->u.tablet.y;
		}
		break;
	case INTERP_EV_TABLET_BUTTON:
		for (size_t i = 0; i < MAX_HELD_BUTTONS; i++)
			if (it->tbuttons[i].open &&
			    it->tbuttons[i].tool == ev->u.tablet.tool &&
			    it->tbuttons[i].device == ev->device)
				sp = &it->tbuttons[i];
		if (!on) {
			if (sp)
				tablet_close(it, sp, TT_TABLET_BUTTON, t);
			break;
		}
		if (sp || !recording(it))
			break;
		for (size_t i = 0; i < MAX_HELD_BUTTONS && !sp; i++)
			if (!it->tbuttons[i].open)
				sp = &it->tbuttons[i];
		if (sp)
			span_open(it, sp, ev, t);
		break;
	default:
		break;
	}
}

/* --- context ------------------------------------------------------------ */

static void
handle_focus(struct interp *it, const struct interp_event *ev, uint64_t t)
{
	bool title_only = (ev->u.focus.flags & TT_FOCUS_TITLE_ONLY) &&
			  ev->u.focus.app == it->ctx.app;
	bool excluded = (ev->u.focus.flags & TT_FOCUS_EXCLUDED) != 0;
	struct tt_record r;

	/* A new title in the same window is not a focus change: it must not
	 * split a burst (editors retitle on the first keystroke). */
	if (!title_only || excluded != it->excluded)
		close_open(it, t, TT_BURST_FOCUS, 0, excluded);
	it->ctx.app = ev->u.focus.app;
	it->ctx.title = ev->u.focus.title;
	it->excluded = excluded;
	/* another window: its element is not known yet */
	if (!title_only) {
		it->ctx.element = 0;
		it->secret = false;
	}

	/* Locked or no session: the context follows, but nothing about what
	 * is on the screen (a lock screen, a greeter) is recorded. */
	if (it->session_state != INTERP_SESSION_ACTIVE)
		return;
	rec_init(&r, TT_KIND_FOCUS, t, t, &it->ctx, 0);
	r.u.focus.exe = ev->u.focus.exe;
	r.u.focus.backend = ev->u.focus.backend;
	r.u.focus.pid = ev->u.focus.pid;
	r.u.focus.flags = ev->u.focus.flags & TT_FOCUS_FLAGS_ALL;
	push(it, &r);
}

static void
handle_element(struct interp *it, const struct interp_event *ev, uint64_t t)
{
	bool secret = ev->u.element.secret != 0;

	(void)t;
	if (ev->u.element.element == it->ctx.element && secret == it->secret)
		return;
	/* A burst open when a password field comes to the front: its last
	 * keys may have gone to that field before the report came. */
	if (secret && it->burst.open)
		it->burst.secret = true;
	burst_close(it, TT_BURST_FOCUS);
	it->ctx.element = ev->u.element.element;
	it->secret = secret;
	/* a held button: the click that moved the focus there, or the
	 * element the collector found under it */
	for (size_t i = 0; i < MAX_HELD_BUTTONS; i++)
		if (it->buttons[i].used)
			it->buttons[i].ctx.element = it->ctx.element;
}

static void
handle_session(struct interp *it, const struct interp_event *ev, uint64_t t)
{
	uint8_t state = ev->u.session.state;
	uint32_t session = state == INTERP_SESSION_NONE ? 0 : ev->u.session.session;
	uint32_t uid = session ? ev->u.session.uid : TT_UID_NONE;
	struct tt_record r;

	if (session != it->ctx.session) {
		close_open(it, t, TT_BURST_LOCK, 0, true);
		if (it->ctx.session) {
			rec_init(&r, TT_KIND_SESSION, t, t, &it->ctx, 0);
			r.u.session.end = 1;
			push(it, &r);
		}
		/* the focus belonged to the old session's desktop */
		memset(&it->ctx, 0, sizeof(it->ctx));
		it->ctx.session = session;
		it->ctx.uid = uid;
		it->excluded = false;
		if (session)
			marker(it, TT_KIND_SESSION, t, 0);
		it->session_state = session ? INTERP_SESSION_ACTIVE : INTERP_SESSION_NONE;
	}
	if (state == it->session_state)
		return;
	if (state == INTERP_SESSION_LOCKED) {
		close_open(it, t, TT_BURST_LOCK, 0, true);
		marker(it, TT_KIND_LOCK, t, 0);
	} else if (state == INTERP_SESSION_ACTIVE &&
		   it->session_state == INTERP_SESSION_LOCKED) {
		marker(it, TT_KIND_UNLOCK, t, 0);
	}
	it->session_state = state;
}

static void
handle_device(struct interp *it, const struct interp_event *ev, uint64_t t)
{
	struct tt_record r;

	if (ev->type == INTERP_EV_DEVICE_REMOVED) {
		close_open(it, t, TT_BURST_LOCK, ev->device, true);
		/* its keys can no longer be released */
		mods_reset(it);
	}
	rec_init(&r, TT_KIND_DEVICE, t, t, &it->ctx, ev->device);
	r.u.device.removed = ev->type == INTERP_EV_DEVICE_REMOVED;
	push(it, &r);
}

static void
handle_gap(struct interp *it, const struct interp_event *ev, uint64_t t)
{
	struct tt_record r;

	/* The key state is unknown after a drop; start clean. */
	mods_reset(it);
	rec_init(&r, TT_KIND_GAP, t, t, &it->ctx, ev->device);
	r.u.gap.lost = ev->u.gap.lost;
	r.u.gap.reason = TT_GAP_SYN_DROPPED;
	push(it, &r);
}

/* --- entry points ---------------------------------------------------------- */

static bool
is_input(enum interp_event_type type)
{
	return type >= INTERP_EV_KEY && type <= INTERP_EV_TABLET_BUTTON;
}

static void
process_one(struct interp *it, const struct interp_event *ev)
{
	/* Events of several devices may arrive a little out of order; time
	 * never goes back for the interpreter. */
	uint64_t t = ev->usec > it->now ? ev->usec : it->now;

	it->now = t;
	expire(it, t);
	/* A key's release or repeat is not new input: idle is then dated by
	 * the last press, which a burst's end already records, so no other
	 * key time has to be kept for it. */
	if (is_input(ev->type) &&
	    !(ev->type == INTERP_EV_KEY && ev->u.key.state != INTERP_KEY_PRESSED))
		input_seen(it, t);

	switch (ev->type) {
	case INTERP_EV_TIMEOUT:
		break;
	case INTERP_EV_KEY:
		handle_key(it, ev, t);
		break;
	case INTERP_EV_BUTTON:
		handle_button(it, ev, t);
		break;
	case INTERP_EV_AXIS:
		handle_axis(it, ev, t);
		break;
	case INTERP_EV_MOTION:
		handle_motion(it, ev, t);
		break;
	case INTERP_EV_TOUCH_DOWN:
	case INTERP_EV_TOUCH_MOTION:
	case INTERP_EV_TOUCH_UP:
	case INTERP_EV_TOUCH_CANCEL:
		handle_touch(it, ev, t);
		break;
	case INTERP_EV_GESTURE_BEGIN:
	case INTERP_EV_GESTURE_UPDATE:
	case INTERP_EV_GESTURE_END:
		handle_gesture(it, ev, t);
		break;
	case INTERP_EV_TABLET_PROXIMITY:
	case INTERP_EV_TABLET_TIP:
	case INTERP_EV_TABLET_MOTION:
	case INTERP_EV_TABLET_BUTTON:
		handle_tablet(it, ev, t);
		break;
	case INTERP_EV_FOCUS:
		handle_focus(it, ev, t);
		break;
	case INTERP_EV_SESSION:
		handle_session(it, ev, t);
		break;
	case INTERP_EV_DEVICE_ADDED:
	case INTERP_EV_DEVICE_REMOVED:
		handle_device(it, ev, t);
		break;
	case INTERP_EV_SYN_DROPPED:
		handle_gap(it, ev, t);
		break;
	case INTERP_EV_ELEMENT:
		handle_element(it, ev, t);
		break;
	case INTERP_EV_TYPE_COUNT:
		break;
	}
	/* An element report makes no record: were it a bound for a hidden
	 * burst's start, the report just before the first key into a
	 * password field would date that key. */
	if (ev->type != INTERP_EV_TIMEOUT && ev->type != INTERP_EV_KEY &&
	    ev->type != INTERP_EV_ELEMENT)
		it->last_nonkey = t;
	drain(it);
}

uint64_t
interp_process(struct interp *it, const struct interp_event *ev, size_t n)
{
	for (size_t i = 0; i < n; i++)
		process_one(it, &ev[i]);
	return next_deadline(it);
}

void
interp_flush(struct interp *it, uint64_t usec)
{
	uint64_t t = usec > it->now ? usec : it->now;

	it->now = t;
	expire(it, t);
	close_open(it, t, TT_BURST_LOCK, 0, true);
	drain(it);
}

void
interp_mark_gap(struct interp *it, uint64_t start, uint64_t end, uint32_t uid,
		uint8_t reason)
{
	struct tt_record r;

	rec_init(&r, TT_KIND_GAP, start, end, &it->ctx, 0);
	r.session = 0;
	r.app = 0;
	r.title = 0;
	r.element = 0;
	r.uid = uid;
	r.u.gap.reason = reason;
	push(it, &r);
	drain(it);
}
