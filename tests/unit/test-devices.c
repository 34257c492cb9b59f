/* SPDX-License-Identifier: MIT */
/* Device identity (tracer/devices.c) and option parsing (tracer/options.c). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "devices.h"
#include "harness.h"
#include "options.h"

static const char *const kbd_caps[4] = { "120013", "1000000000007 ff9f207ac14057ff febeffdfffefffff fffffffffffffffe", "0", "0" };

TEST(identity)
{
	struct device_props p = {
		.name = "Logitech K400 Plus", .bustype = "0003", .vendor = "046d",
		.product = "404d",
	};
	struct tt_device_info a, b;

	memcpy(p.caps, kbd_caps, sizeof(p.caps));
	p.id_input[0] = "1";	/* keyboard */
	p.id_input[1] = "1";	/* key */
	p.id_input[2] = "1";	/* mouse */
	CHECK(device_info_from_props(&a, &p));
	CHECK_EQ(a.bus, 3);
	CHECK_EQ(a.vendor, 0x046d);
	CHECK_EQ(a.product, 0x404d);
	CHECK_STR(a.name, "Logitech K400 Plus");
	CHECK_EQ(a.classes, TT_DEV_KEYBOARD | TT_DEV_KEY | TT_DEV_MOUSE);
	CHECK(strncmp(a.ident, "0003:046d:404d:", 15) == 0);
	CHECK_EQ(strlen(a.ident), 15 + 8);

	/* stable */
	CHECK(device_info_from_props(&b, &p));
	CHECK_STR(a.ident, b.ident);

	/* another node of the same composite device: same ids, other caps */
	p.caps[1] = "0";
	p.caps[2] = "1803";
	CHECK(device_info_from_props(&b, &p));
	CHECK(strcmp(a.ident, b.ident) != 0);

	/* another name, same caps */
	memcpy(p.caps, kbd_caps, sizeof(p.caps));
	p.name = "Logitech K400";
	CHECK(device_info_from_props(&b, &p));
	CHECK(strcmp(a.ident, b.ident) != 0);
}

TEST(ignore_and_virtual)
{
	struct device_props p = { .name = "keyd virtual keyboard", .bustype = "0006",
				  .vendor = "0fac", .product = "0ade" };
	struct tt_device_info info;

	/* virtual (uinput, bus 6) devices are traced like any other */
	CHECK(device_info_from_props(&info, &p));
	p.ignore = "0";
	CHECK(device_info_from_props(&info, &p));
	p.ignore = "1";
	CHECK(!device_info_from_props(&info, &p));
	/* nothing known at all still gives an identity */
	memset(&p, 0, sizeof(p));
	CHECK(device_info_from_props(&info, &p));
	CHECK(strncmp(info.ident, "0000:0000:0000:", 15) == 0);
}

TEST(options_precedence)
{
	const char *dir = tt_test_tmpdir();
	char conf[4096], arg_conf[4200];
	char *argv[8];
	struct tracer_options o;
	FILE *f;

	snprintf(conf, sizeof(conf), "%s/t.conf", dir);
	f = fopen(conf, "w");
	CHECK(f != NULL);
	fputs("[store]\npath = /from/config\n"
	      "[input]\nseats = seat1\ntapping = no\ntyping_pause = 2s\n"
	      "idle_threshold = 10m\nkeyboard_layout = de\n"
	      "[privacy]\nmin_burst_keys = 24\n"
	      "[session]\nstatic_user = alice\nstatic_seat = seat1\n", f);
	fclose(f);
	snprintf(arg_conf, sizeof(arg_conf), "--config=%s", conf);
	argv[0] = "tasktraced";
	argv[1] = arg_conf;
	argv[2] = NULL;
	setenv("TASKTRACE_STORE", "/from/env", 1);
	CHECK_EQ(options_load(&o, 2, argv), 0);
	CHECK_STR(o.store_dir, "/from/env");
	CHECK_STR(o.seat, "seat1");
	CHECK(!o.tapping);
	CHECK_EQ(o.interp.typing_pause_usec, 2000000);
	CHECK_EQ(o.interp.idle_usec, 600000000);
	CHECK_EQ(o.interp.double_click_usec, 400000);	/* the default */
	CHECK_EQ(o.interp.min_burst_keys, 24);
	CHECK_EQ(o.interp.count_round, INTERP_COUNT_ROUND);
	CHECK_EQ(o.commit_usec, 1000000);
	CHECK_STR(o.keymap.layout, "de");
	CHECK_STR(o.static_user, "alice");
	options_free(&o);

	/* the command line wins; the static user belongs to seat1 only */
	argv[2] = "--store";
	argv[3] = "/from/argv";
	argv[4] = "--seat";
	argv[5] = "seat9";
	argv[6] = NULL;
	CHECK_EQ(options_load(&o, 6, argv), 0);
	CHECK_STR(o.store_dir, "/from/argv");
	CHECK_STR(o.seat, "seat9");
	CHECK_STR(o.static_user, "");
	options_free(&o);
	unsetenv("TASKTRACE_STORE");

	/* an unknown key is an error of the file: usage exit */
	f = fopen(conf, "w");
	CHECK(f != NULL);
	fputs("[input]\ntypo = 1\n", f);
	fclose(f);
	CHECK_EQ(options_load(&o, 2, argv), -EINVAL);
	options_free(&o);
}
