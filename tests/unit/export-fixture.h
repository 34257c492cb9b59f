/* SPDX-License-Identifier: MIT */
/*
 * A small, fixed store for the export tests, written with the store API:
 * two users on two seats, every kind of record, titles that need escaping
 * in every format (comma, quote, newline, invalid UTF-8, a control
 * character, markup), two UTC days, a long idle gap, two actions in the
 * same millisecond and one record that belongs to no user.
 */
#ifndef TT_TEST_EXPORT_FIXTURE_H
#define TT_TEST_EXPORT_FIXTURE_H

#include <stdio.h>
#include <string.h>

#include "tasktrace/error.h"
#include "tasktrace/store.h"

#define FX_MS 1000000ULL
#define FX_SEC 1000000000ULL
#define FX_T0 (1795684502123ULL * FX_MS)	/* 2026-11-26T09:15:02.123Z */

struct fx {
	struct tt_store *s;
	uint64_t seq;
	uint32_t s_alice, s_bob, dev_kbd, dev_pad;
	uint32_t firefox, calc, code, mail, t_inbox, t_report, t_lines,
		 t_latin1, t_markup, t_ctrl, ctrl_c, f5, alt_tab;
};

static inline uint32_t
fx_str(struct fx *f, const char *s, size_t len)
{
	uint32_t id = 0;

	tt_store_intern(f->s, s, len, &id);
	return id;
}

static inline void
fx_rec(struct fx *f, struct tt_record *r, unsigned kind, uint64_t t,
       uint64_t dur, uint32_t session, uint32_t app, uint32_t title)
{
	memset(r, 0, sizeof(*r));
	r->kind = (uint8_t)kind;
	r->time_ns = t;
	r->dur_ns = dur;
	r->seq = ++f->seq;
	r->session = session;
	r->uid = session == f->s_alice ? 1000 : session == f->s_bob ? 1001 : TT_UID_NONE;
	r->device = session == f->s_bob ? f->dev_pad : f->dev_kbd;
	r->app = app;
	r->title = title;
}

static inline int
fx_append(struct fx *f, struct tt_record *r)
{
	int rc = tt_store_append(f->s, r);

	if (rc)
		fprintf(stderr, "    append: %s\n", tt_strerror(rc));
	return rc;
}

/* Write the fixture store into @p dir; 0 or an error. */
static inline int
fx_build(const char *dir)
{
	struct tt_session_info alice = { .uid = 1000, .start_ns = FX_T0 - 600 * FX_SEC,
		.logind_id = "2", .seat = "seat0", .user = "alice" };
	struct tt_session_info bob = { .uid = 1001, .start_ns = FX_T0 - 300 * FX_SEC,
		.logind_id = "5", .seat = "seat1", .user = "bob" };
	struct tt_device_info kbd = { .classes = TT_DEV_KEYBOARD, .bus = 3,
		.vendor = 0x46d, .product = 0xc31c, .ident = "3:046d:c31c:1a2b",
		.name = "Logitech USB Keyboard" };
	struct tt_device_info pad = { .classes = TT_DEV_TOUCHPAD, .bus = 0x18,
		.vendor = 0x6cb, .product = 0xcd8b, .ident = "24:06cb:cd8b:99aa",
		.name = "SYNA Touchpad" };
	struct fx f = { 0 };
	struct tt_record r;
	uint64_t t = FX_T0;
	int rc;

	rc = tt_store_open(&f.s, dir, TT_STORE_CREATE, NULL);
	if (rc)
		return rc;
	tt_store_session_add(f.s, &alice);
	tt_store_session_add(f.s, &bob);
	tt_store_device_intern(f.s, &kbd);
	tt_store_device_intern(f.s, &pad);
	f.s_alice = alice.id;
	f.s_bob = bob.id;
	f.dev_kbd = kbd.id;
	f.dev_pad = pad.id;
#define S(x) fx_str(&f, x, sizeof(x) - 1)
	f.firefox = S("firefox");
	f.calc = S("libreoffice-calc");
	f.code = S("code");
	f.mail = S("thunderbird");
	f.t_inbox = S("Inbox — Thunderbird");
	f.t_report = S("report, \"final\".ods");
	f.t_lines = S("line one\nline two");
	f.t_latin1 = S("caf\xe9 menu");
	f.t_markup = S("<b>Tom & Jerry</b>");
	f.t_ctrl = S("bell\x01here");
	f.ctrl_c = S("Ctrl+C");
	f.f5 = S("F5");
	f.alt_tab = S("Alt+Tab");
#undef S

	/* alice, day one */
	fx_rec(&f, &r, TT_KIND_FOCUS, t, 0, f.s_alice, f.firefox, f.t_markup);
	r.u.focus.exe = f.firefox;
	rc |= fx_append(&f, &r);
	fx_rec(&f, &r, TT_KIND_TYPING, t += 500 * FX_MS, 2 * FX_SEC, f.s_alice, f.firefox, f.t_markup);
	r.u.typing.count[TT_CLASS_LETTER] = 12;
	r.u.typing.count[TT_CLASS_SPACE] = 2;
	rc |= fx_append(&f, &r);
	/* bob, same time: interleaves with alice */
	fx_rec(&f, &r, TT_KIND_FOCUS, t + 100 * FX_MS, 0, f.s_bob, f.mail, f.t_inbox);
	rc |= fx_append(&f, &r);
	fx_rec(&f, &r, TT_KIND_KEY, t += 3 * FX_SEC, 80 * FX_MS, f.s_alice, f.firefox, f.t_markup);
	r.u.key.name = f.ctrl_c;
	r.u.key.code = 46;
	r.u.key.mods = TT_MOD_CTRL;
	rc |= fx_append(&f, &r);
	fx_rec(&f, &r, TT_KIND_GESTURE, t + 200 * FX_MS, 300 * FX_MS, f.s_bob, f.mail, f.t_inbox);
	r.u.gesture.type = TT_GESTURE_SWIPE;
	r.u.gesture.fingers = 3;
	rc |= fx_append(&f, &r);
	fx_rec(&f, &r, TT_KIND_FOCUS, t += FX_SEC, 0, f.s_alice, f.calc, f.t_report);
	rc |= fx_append(&f, &r);
	fx_rec(&f, &r, TT_KIND_KEY, t += FX_SEC, 50 * FX_MS, f.s_alice, f.calc, f.t_report);
	r.u.key.name = f.f5;
	r.u.key.code = 63;
	rc |= fx_append(&f, &r);
	fx_rec(&f, &r, TT_KIND_MOTION, t += FX_SEC, 400 * FX_MS, f.s_alice, f.calc, f.t_report);
	r.u.motion.distance = 800;
	r.u.motion.events = 40;
	rc |= fx_append(&f, &r);
	for (unsigned clicks = 1; clicks <= 3; clicks++) {
		fx_rec(&f, &r, TT_KIND_BUTTON, t += FX_SEC, 90 * FX_MS, f.s_alice, f.calc, f.t_report);
		r.u.button.button = 0x110;
		r.u.button.clicks = (uint8_t)clicks;
		rc |= fx_append(&f, &r);
	}
	fx_rec(&f, &r, TT_KIND_BUTTON, t += FX_SEC, 70 * FX_MS, f.s_alice, f.calc, f.t_lines);
	r.u.button.button = 0x111;
	r.u.button.clicks = 1;
	rc |= fx_append(&f, &r);
	/* two actions in the same millisecond: sort_seq orders them */
	fx_rec(&f, &r, TT_KIND_SCROLL, t += FX_SEC, 0, f.s_alice, f.calc, f.t_lines);
	r.u.scroll.v120 = -240;
	r.u.scroll.events = 2;
	rc |= fx_append(&f, &r);
	fx_rec(&f, &r, TT_KIND_TOUCH, t + 400000, 0, f.s_bob, f.mail, f.t_inbox);
	r.u.touch.fingers = 1;
	rc |= fx_append(&f, &r);
	/* a marker that belongs to nobody: not an action */
	fx_rec(&f, &r, TT_KIND_IDLE, t += FX_SEC, 0, 0, 0, 0);
	rc |= fx_append(&f, &r);
	/* alice goes idle for 15 minutes, locks, comes back */
	fx_rec(&f, &r, TT_KIND_IDLE, t += FX_SEC, 900 * FX_SEC, f.s_alice, f.calc, f.t_lines);
	rc |= fx_append(&f, &r);
	fx_rec(&f, &r, TT_KIND_LOCK, t += 60 * FX_SEC, 0, f.s_alice, f.calc, f.t_lines);
	rc |= fx_append(&f, &r);
	fx_rec(&f, &r, TT_KIND_TABLET, t + FX_SEC, 1500 * FX_MS, f.s_bob, f.mail, f.t_inbox);
	r.u.tablet.event = TT_TABLET_TIP;
	rc |= fx_append(&f, &r);
	fx_rec(&f, &r, TT_KIND_UNLOCK, t += 840 * FX_SEC, 0, f.s_alice, f.calc, f.t_lines);
	rc |= fx_append(&f, &r);
	fx_rec(&f, &r, TT_KIND_ACTIVE, t += 10 * FX_MS, 0, f.s_alice, f.calc, f.t_lines);
	rc |= fx_append(&f, &r);
	fx_rec(&f, &r, TT_KIND_KEY, t += FX_SEC, 120 * FX_MS, f.s_alice, f.calc, f.t_lines);
	r.u.key.name = f.alt_tab;
	r.u.key.code = 15;
	r.u.key.mods = TT_MOD_ALT;
	rc |= fx_append(&f, &r);
	fx_rec(&f, &r, TT_KIND_FOCUS, t += 200 * FX_MS, 0, f.s_alice, f.code, f.t_latin1);
	rc |= fx_append(&f, &r);
	fx_rec(&f, &r, TT_KIND_FOCUS, t += 3 * FX_SEC, 0, f.s_alice, f.code, f.t_ctrl);
	r.u.focus.flags = TT_FOCUS_TITLE_ONLY;
	rc |= fx_append(&f, &r);
	fx_rec(&f, &r, TT_KIND_TYPING, t += FX_SEC, 4 * FX_SEC, f.s_alice, f.code, f.t_ctrl);
	r.u.typing.count[TT_CLASS_LETTER] = 30;
	r.u.typing.count[TT_CLASS_ENTER] = 1;
	rc |= fx_append(&f, &r);

	/* alice, day two: just after midnight UTC */
	t = (FX_T0 / (86400 * FX_SEC) + 1) * 86400 * FX_SEC + 5 * FX_SEC;
	fx_rec(&f, &r, TT_KIND_TYPING, t, FX_SEC, f.s_alice, f.code, f.t_ctrl);
	r.u.typing.count[TT_CLASS_DIGIT] = 4;
	rc |= fx_append(&f, &r);

	if (rc == 0)
		rc = tt_store_close(f.s);
	else
		tt_store_close(f.s);
	return rc;
}

#endif /* TT_TEST_EXPORT_FIXTURE_H */
