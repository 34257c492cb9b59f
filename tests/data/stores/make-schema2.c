/* SPDX-License-Identifier: MIT */
/*
 * Generator of tests/data/stores/schema2/: a store of schema 2 written by
 * the code before schema 3 (commit 7e12dc3 of main). Not built by the
 * Makefile; it compiles only against that commit's headers. How it was
 * made is in tests/data/stores/README.
 *
 * Fixed content, so that a test can check every record: one session of
 * uid 1000, one mouse and one keyboard, 60 records cycling through focus,
 * button, key, typing (full, short), scroll and motion, in two apps.
 */
#include <stdio.h>
#include <string.h>

#include "tasktrace/error.h"
#include "tasktrace/store.h"

#define T0 1767600000000000000ULL	/* 2026-01-05 08:00 UTC */
#define MS 1000000ULL

int
main(int argc, char **argv)
{
	struct tt_store *s;
	struct tt_session_info si = { .uid = 1000, .start_ns = T0 };
	struct tt_device_info mouse = { .classes = TT_DEV_MOUSE, .bus = 3, .vendor = 0x46d };
	struct tt_device_info kbd = { .classes = TT_DEV_KEYBOARD, .bus = 3, .vendor = 0x1 };
	uint32_t app[2], title[2], ctrl_s, x11;
	int rc;

	if (argc != 2)
		return 2;
	if ((rc = tt_store_open(&s, argv[1], TT_STORE_CREATE, NULL))) {
		fprintf(stderr, "%s\n", tt_strerror(rc));
		return 1;
	}
	strcpy(si.user, "alice");
	strcpy(si.seat, "seat0");
	strcpy(si.logind_id, "2");
	strcpy(mouse.ident, "3:046d:c52b:abcd");
	strcpy(mouse.name, "Logitech USB Receiver");
	strcpy(kbd.ident, "3:0001:0001:kbd");
	strcpy(kbd.name, "AT Translated Set 2 keyboard");
	tt_store_session_add(s, &si);
	tt_store_device_intern(s, &mouse);
	tt_store_device_intern(s, &kbd);
	tt_store_intern(s, "gedit", 5, &app[0]);
	tt_store_intern(s, "firefox", 7, &app[1]);
	tt_store_intern(s, "notes.txt — gedit", strlen("notes.txt — gedit"), &title[0]);
	tt_store_intern(s, "Inbox — Mozilla Firefox", strlen("Inbox — Mozilla Firefox"), &title[1]);
	tt_store_intern(s, "Ctrl+S", 6, &ctrl_s);
	tt_store_intern(s, "x11", 3, &x11);

	for (unsigned i = 0; i < 60; i++) {
		struct tt_record r;
		unsigned w = (i / 10) % 2;

		memset(&r, 0, sizeof(r));
		r.time_ns = T0 + i * 700 * MS;
		r.seq = i + 1;
		r.session = si.id;
		r.uid = 1000;
		r.app = app[w];
		r.title = title[w];
		switch (i % 10) {
		case 0:
			r.kind = TT_KIND_FOCUS;
			r.u.focus.backend = x11;
			r.u.focus.pid = 4242 + w;
			break;
		case 1: case 5:
			r.kind = TT_KIND_BUTTON;
			r.device = mouse.id;
			r.dur_ns = 80 * MS;
			r.u.button.button = 0x110;
			r.u.button.clicks = 1;
			break;
		case 2:
			r.kind = TT_KIND_TYPING;
			r.device = kbd.id;
			r.dur_ns = 3000 * MS;
			r.u.typing.count[0] = 15;
			r.u.typing.count[3] = 5;
			r.u.typing.round = 5;
			r.u.typing.end = 0;
			break;
		case 3:
			r.kind = TT_KIND_TYPING;
			r.device = kbd.id;
			r.dur_ns = 5000 * MS;
			r.u.typing.under = 20;
			r.u.typing.end = 7;	/* TT_BURST_HIDDEN */
			break;
		case 4:
			r.kind = TT_KIND_KEY;
			r.device = kbd.id;
			r.u.key.name = ctrl_s;
			r.u.key.code = 31;
			r.u.key.mods = 2;
			break;
		case 6: case 7:
			r.kind = TT_KIND_SCROLL;
			r.device = mouse.id;
			r.dur_ns = 200 * MS;
			r.u.scroll.v120 = i % 2 ? 240 : -120;
			r.u.scroll.events = 2;
			break;
		default:
			r.kind = TT_KIND_MOTION;
			r.device = mouse.id;
			r.dur_ns = 400 * MS;
			r.u.motion.distance = 8000 + i;
			r.u.motion.events = 40;
			break;
		}
		if ((rc = tt_store_append(s, &r))) {
			fprintf(stderr, "record %u: %s\n", i, tt_strerror(rc));
			return 1;
		}
	}
	return tt_store_close(s) ? 1 : 0;
}
