/*
 * Copyright © 2026 tasktrace contributors
 * SPDX-License-Identifier: MIT
 *
 * Unit tests of the recording parser (tests/system/replay/recording.c):
 * every real recording in tests/data/recordings (TT_RECORDINGS overrides
 * the directory) parses to what we counted in the file by hand and with grep,
 * and malformed input is refused with the right line.
 */
#include "harness.h"
#include "../system/replay/recording.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *
load(const char *name, size_t *len)
{
	const char *dir = getenv("TT_RECORDINGS");
	char path[8192], top[4096];
	FILE *fp;
	char *buf;
	long n;

	if (!dir) {
		snprintf(top, sizeof(top), "%s/tests/data/recordings", tt_test_top());
		dir = top;
	}
	snprintf(path, sizeof(path), "%s/%s", dir, name);

	fp = fopen(path, "rb");
	if (!fp) {
		tt_test_fail(__FILE__, __LINE__, "cannot open %s: %s", path, strerror(errno));
		return NULL;
	}
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	rewind(fp);
	buf = malloc(n + 1);
	if (buf && fread(buf, 1, n, fp) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(fp);
	if (buf)
		buf[n] = '\0';
	*len = n;
	return buf;
}

static struct recording *
parse_file(const char *name)
{
	struct recording *rec = NULL;
	struct recording_error err;
	size_t len;
	char *buf = load(name, &len);
	int rc;

	if (!buf)
		return NULL;
	rc = recording_parse(buf, len, &rec, &err);
	free(buf);
	if (rc != 0) {
		tt_test_fail(__FILE__, __LINE__, "%s:%u: %s", name, err.line, err.reason);
		return NULL;
	}
	return rec;
}

static size_t
count(const struct recording *rec, int type, int code, int value, bool any_value)
{
	size_t n = 0;

	for (size_t i = 0; i < rec->nevents; i++) {
		const struct recording_event *e = &rec->events[i];

		if ((type < 0 || e->type == type) && (code < 0 || e->code == code) &&
		    (any_value || e->value == value))
			n++;
	}
	return n;
}

#define ANY -1

static size_t
frames(const struct recording *rec)
{
	return count(rec, EV_SYN, SYN_REPORT, 0, true);
}

static uint64_t
duration_us(const struct recording *rec)
{
	return rec->events[rec->nevents - 1].time_us - rec->events[0].time_us;
}

/* --- the real recordings -------------------------------------------------- */

static void
test_k400(void)
{
	struct recording *rec = parse_file("keyboard.logitech-k400-plus.evemu");

	if (!rec)
		return;
	CHECK_EQ(rec->format, RECORDING_EVEMU);
	CHECK_STR(rec->name, "Logitech K400 Plus");
	CHECK_EQ(rec->bustype, 0x3);
	CHECK_EQ(rec->vendor, 0x046d);
	CHECK_EQ(rec->product, 0x404d);
	CHECK_EQ(rec->version, 0x0111);
	CHECK_EQ(rec->nevents, 15);
	CHECK_EQ(frames(rec), 6);
	CHECK_EQ(rec->events[0].time_us, 1);
	CHECK_EQ(duration_us(rec), 11576221);
	/* autorepeat: LEFTCTRL value 2 three times, in SYN_REPORT(1) frames */
	CHECK_EQ(count(rec, EV_KEY, KEY_LEFTCTRL, 2, false), 3);
	CHECK_EQ(count(rec, EV_SYN, SYN_REPORT, 1, false), 3);
	/* opens with the Enter release, ends with Ctrl+C held */
	CHECK_EQ(count(rec, EV_KEY, KEY_ENTER, 0, false), 1);
	CHECK_EQ(count(rec, EV_KEY, KEY_C, 1, false), 1);
	CHECK_EQ(count(rec, EV_KEY, KEY_C, 0, false), 0);
	CHECK_EQ(count(rec, EV_MSC, MSC_SCAN, ANY, true), 3);
	CHECK(recording_has_code(rec, EV_KEY, KEY_A));
	CHECK(recording_has_code(rec, EV_REL, REL_WHEEL));
	CHECK(recording_has_code(rec, EV_MSC, MSC_SCAN));
	CHECK(recording_has_code(rec, EV_LED, LED_CAPSL));
	CHECK(recording_has_code(rec, EV_REP, REP_DELAY));
	CHECK(!recording_has_code(rec, EV_KEY, BTN_TOUCH));
	CHECK_EQ(rec->absinfo[ABS_VOLUME].minimum, 1);
	CHECK_EQ(rec->absinfo[ABS_VOLUME].maximum, 652);
	recording_free(rec);
}
TEST_REGISTER(test_k400)

static void
test_surface_type_cover(void)
{
	struct recording *rec = parse_file("keyboard-pointer.ms-surface-type-cover.evemu");

	if (!rec)
		return;
	CHECK_STR(rec->name, "Microsoft Surface Type Cover");
	CHECK_EQ(rec->vendor, 0x045e);
	CHECK_EQ(rec->product, 0x07dc);
	CHECK_EQ(rec->nevents, 75);
	CHECK_EQ(frames(rec), 25);
	CHECK_EQ(rec->events[0].time_us, 0);
	/* one node, two kinds: keys and relative motion */
	CHECK(count(rec, EV_KEY, ANY, 0, true) > 0);
	CHECK(count(rec, EV_REL, ANY, 0, true) > 0);
	CHECK(recording_has_code(rec, EV_ABS, ABS_MT_SLOT));
	CHECK_EQ(rec->absinfo[ABS_X].maximum, 1022);
	CHECK_EQ(rec->absinfo[ABS_X].resolution, 12);
	CHECK_EQ(rec->absinfo[ABS_MT_SLOT].minimum, -127);
	recording_free(rec);
}
TEST_REGISTER(test_surface_type_cover)

static void
test_ultrathin_mouse(void)
{
	struct recording *rec = parse_file("mouse.logitech-ultrathin-touch-mouse.evemu");

	if (!rec)
		return;
	CHECK_STR(rec->name, "Ultrathin Touch Mouse");
	CHECK_EQ(rec->bustype, 0x5);
	CHECK_EQ(rec->product, 0xb00d);
	CHECK_EQ(rec->version, 0x0700);
	CHECK_EQ(rec->nevents, 1109);
	CHECK_EQ(frames(rec), 406);
	/* "-013" is -13, decimal, not octal */
	CHECK_EQ(rec->events[1].value, -13);
	CHECK_EQ(rec->events[1].code, REL_Y);
	/* kernel autorepeat of mouse buttons */
	CHECK_EQ(count(rec, EV_KEY, BTN_LEFT, 2, false) +
		  count(rec, EV_KEY, BTN_RIGHT, 2, false), 31);
	CHECK_EQ(count(rec, EV_KEY, BTN_LEFT, 1, false), 4);
	CHECK_EQ(count(rec, EV_KEY, BTN_RIGHT, 1, false), 2);
	CHECK_EQ(count(rec, EV_REL, REL_WHEEL, ANY, true), 32);
	CHECK_EQ(count(rec, EV_REL, REL_HWHEEL, ANY, true), 0);
	CHECK(recording_has_code(rec, EV_REL, REL_HWHEEL));
	recording_free(rec);
}
TEST_REGISTER(test_ultrathin_mouse)

static void
test_cypress_touchpad(void)
{
	struct recording *rec = parse_file("touchpad.cypress-ps2.two-finger-tap.evemu");

	if (!rec)
		return;
	CHECK_STR(rec->name, "CyPS/2 Cypress Trackpad");
	CHECK_EQ(rec->bustype, 0x11);
	CHECK_EQ(rec->nevents, 70);
	CHECK_EQ(frames(rec), 8);
	/* absolute epoch time base */
	CHECK_EQ(rec->events[0].time_us, 1382570926338731ULL);
	CHECK(recording_has_prop(rec, INPUT_PROP_BUTTONPAD));
	CHECK(recording_has_prop(rec, INPUT_PROP_SEMI_MT));
	CHECK(!recording_has_prop(rec, INPUT_PROP_DIRECT));
	CHECK(recording_has_code(rec, EV_KEY, BTN_TOOL_DOUBLETAP));
	CHECK_EQ(rec->absinfo[ABS_MT_TRACKING_ID].maximum, 65535);
	CHECK_EQ(count(rec, EV_ABS, ABS_MT_TRACKING_ID, -1, false), 2);
	CHECK_EQ(count(rec, EV_KEY, BTN_TOOL_DOUBLETAP, 1, false), 1);
	recording_free(rec);
}
TEST_REGISTER(test_cypress_touchpad)

static void
test_atmel_touchscreen(void)
{
	struct recording *rec = parse_file("touchscreen.atmel-maxtouch.2-fingers-touch-release.evemu");

	if (!rec)
		return;
	CHECK_STR(rec->name, "Atmel maXTouch Touchscreen");
	CHECK_EQ(rec->bustype, 0x18);
	CHECK_EQ(rec->vendor, 0);
	CHECK_EQ(rec->nevents, 64);
	CHECK_EQ(frames(rec), 16);
	CHECK(recording_has_prop(rec, INPUT_PROP_DIRECT));
	CHECK_EQ(rec->absinfo[ABS_MT_SLOT].maximum, 9);
	/* two fingers down, two up */
	CHECK_EQ(count(rec, EV_ABS, ABS_MT_TRACKING_ID, -1, false), 2);
	CHECK_EQ(count(rec, EV_ABS, ABS_MT_TRACKING_ID, ANY, true), 4);
	CHECK_EQ(count(rec, EV_KEY, BTN_TOUCH, 1, false), 1);
	CHECK_EQ(count(rec, EV_KEY, BTN_TOUCH, 0, false), 1);
	recording_free(rec);
}
TEST_REGISTER(test_atmel_touchscreen)

static void
test_wacom_pen(void)
{
	struct recording *rec = parse_file("tablet-pen.wacom-cintiq-13hd.evemu");

	if (!rec)
		return;
	CHECK_STR(rec->name, "Wacom Cintiq 13HD touch Pen");
	CHECK_EQ(rec->vendor, 0x056a);
	CHECK_EQ(rec->product, 0x0333);
	CHECK_EQ(rec->nevents, 425);
	CHECK_EQ(frames(rec), 79);
	CHECK_EQ(duration_us(rec), 499963);
	CHECK_EQ(rec->absinfo[ABS_X].minimum, 400);
	CHECK_EQ(rec->absinfo[ABS_X].maximum, 59152);
	CHECK_EQ(rec->absinfo[ABS_X].resolution, 200);
	CHECK_EQ(rec->absinfo[ABS_Z].minimum, -900);
	CHECK_EQ(rec->absinfo[ABS_TILT_X].resolution, 57);
	CHECK(recording_has_code(rec, EV_MSC, MSC_SERIAL));
	CHECK_EQ(count(rec, EV_KEY, BTN_TOOL_PEN, 1, false), 1);
	CHECK_EQ(count(rec, EV_KEY, BTN_TOOL_PEN, 0, false), 1);
	CHECK_EQ(count(rec, EV_KEY, BTN_TOUCH, 1, false), 2);
	recording_free(rec);
}
TEST_REGISTER(test_wacom_pen)

static void
test_wacom_pad(void)
{
	struct recording *rec = parse_file("tablet-pad.wacom-cintiq-13hd.evemu");

	if (!rec)
		return;
	CHECK_STR(rec->name, "Wacom Cintiq 13HD touch Pad");
	CHECK_EQ(rec->nevents, 54);
	CHECK_EQ(frames(rec), 18);
	CHECK(recording_has_code(rec, EV_KEY, BTN_0));
	CHECK(recording_has_code(rec, EV_KEY, BTN_8));
	CHECK(recording_has_code(rec, EV_KEY, BTN_STYLUS));
	CHECK(recording_has_code(rec, EV_ABS, ABS_MISC));
	CHECK_EQ(rec->absinfo[ABS_WHEEL].maximum, 71);
	CHECK_EQ(count(rec, EV_KEY, ANY, 1, false), 9);
	CHECK_EQ(count(rec, EV_KEY, ANY, 0, false), 9);
	recording_free(rec);
}
TEST_REGISTER(test_wacom_pad)

static void
test_huion_yaml(void)
{
	struct recording *rec = parse_file("tablet-pad.huion-keydial-k20.libinput-record.yml");

	if (!rec)
		return;
	CHECK_EQ(rec->format, RECORDING_LIBINPUT_YAML);
	CHECK_STR(rec->name, "HUION Huion Keydial_K20");
	CHECK_EQ(rec->bustype, 3);
	CHECK_EQ(rec->vendor, 0x256c);
	CHECK_EQ(rec->product, 0x0069);
	CHECK_EQ(rec->version, 0x0110);
	CHECK_EQ(rec->nevents, 6);
	CHECK_EQ(frames(rec), 2);
	CHECK(recording_has_code(rec, EV_KEY, BTN_1));
	CHECK(recording_has_code(rec, EV_KEY, BTN_STYLUS));
	CHECK(recording_has_code(rec, EV_REL, REL_WHEEL_HI_RES));
	CHECK(recording_has_code(rec, EV_SYN, 15));
	CHECK(!recording_has_prop(rec, INPUT_PROP_POINTER));
	CHECK_EQ(rec->events[0].type, EV_MSC);
	CHECK_EQ(rec->events[0].value, 589826);
	CHECK_EQ(rec->events[0].line, 95);
	CHECK_EQ(rec->events[4].value, -120);
	CHECK_EQ(rec->events[5].time_us, 88038334);
	recording_free(rec);
}
TEST_REGISTER(test_huion_yaml)

/* --- malformed input ------------------------------------------------------ */

#define HEAD \
	"# EVEMU 1.3\n" \
	"N: Test Keyboard\n" \
	"I: 0003 046d 404d 0111\n" \
	"P: 00 00 00 00 00 00 00 00\n" \
	"B: 00 0b 00 00 00 00 00 00 00\n" \
	"B: 01 00 00 00 00 00 00 00 00\n" \
	"B: 02 03 00 00 00 00 00 00 00\n" \
	"A: 00 0 100 0 0 0\n"
#define HEAD_LINES 8
#define EV_OK "E: 0.000001 0001 001e 0001\n" "E: 0.000001 0000 0000 0000\n"

/* Expect the text to be refused at `line`, with `what` in the reason. */
static void
refused(const char *text, unsigned int line, const char *what, int srcline)
{
	struct recording *rec = NULL;
	struct recording_error err = { 0 };
	int rc = recording_parse(text, strlen(text), &rec, &err);

	if (rc != -EINVAL) {
		tt_test_fail(__FILE__, srcline, "accepted or wrong error %d", rc);
		recording_free(rec);
		return;
	}
	if (err.line != line)
		tt_test_fail(__FILE__, srcline, "line %u, expected %u (%s)",
			     err.line, line, err.reason);
	if (!strstr(err.reason, what))
		tt_test_fail(__FILE__, srcline, "reason \"%s\" lacks \"%s\"", err.reason, what);
}
#define REFUSED(text_, line_, what_) refused(text_, line_, what_, __LINE__)

static void
test_minimal_is_fine(void)
{
	struct recording *rec = NULL;
	struct recording_error err;
	const char *text = HEAD EV_OK;

	CHECK_EQ(recording_parse(text, strlen(text), &rec, &err), 0);
	if (!rec)
		return;
	CHECK_EQ(rec->nevents, 2);
	CHECK_EQ(rec->events[0].line, HEAD_LINES + 1);
	CHECK(recording_has_code(rec, EV_REL, REL_Y));
	/* no trailing newline, CRLF line ends */
	recording_free(rec);
	rec = NULL;
	text = "N: x\r\nI: 0 0 0 0\r\nB: 01 00 00 00 00 00 00 00 02\r\nE: 1.000000 1 39 1";
	CHECK_EQ(recording_parse(text, strlen(text), &rec, &err), 0);
	if (rec) {
		CHECK_EQ(rec->nevents, 1);
		CHECK_EQ(rec->events[0].time_us, 1000000);
		CHECK_EQ(rec->events[0].code, 57);
	}
	recording_free(rec);
}
TEST_REGISTER(test_minimal_is_fine)

static void
test_truncated(void)
{
	REFUSED(HEAD "E: 0.000001 0001 001e\n", HEAD_LINES + 1, "needs time type code value");
	REFUSED(HEAD EV_OK "E: 0.0000", HEAD_LINES + 3, "");
	REFUSED("N: Test\nI: 0003 046d\n", 2, "I: needs 4");
	REFUSED("N: Test\nI: 0003 046d 404d 0111\nB: 01 00 00\n", 3, "B: needs");
	REFUSED("N: Test\nI: 0003 046d 404d 0111\n", 2, "no complete device description");
	REFUSED(HEAD "A: 01 0 100\n", HEAD_LINES + 1, "A: needs");
}
TEST_REGISTER(test_truncated)

static void
test_truncated_real_file(void)
{
	size_t len;
	char *buf = load("keyboard.logitech-k400-plus.evemu", &len);
	unsigned int lines = 1;
	size_t cut;

	if (!buf)
		return;
	/* cut the file in the middle of its last-but-one event line */
	cut = strstr(buf, "E: 11.") - buf + 7;
	for (size_t i = 0; i < cut; i++)
		lines += buf[i] == '\n';
	buf[cut] = '\0';
	REFUSED(buf, lines, "E: needs time type code value");
	free(buf);
}
TEST_REGISTER(test_truncated_real_file)

static void
test_bad_hex(void)
{
	REFUSED("N: Test\nI: 0003 046g 404d 0111\n", 2, "bad hex id");
	REFUSED("N: Test\nI: 0003 046d 404d 0111\nB: 01 zz 00 00 00 00 00 00 00\n", 3, "bad hex byte");
	REFUSED("N: Test\nI: 0003 046d 404d 0111\nB: 01 100 00 00 00 00 00 00 00\n", 3, "bad hex byte");
	REFUSED("N: Test\nI: 0003 046d 404d 0111\nP: 0x1 00 00 00 00 00 00 00\n", 3, "bad hex byte");
	REFUSED(HEAD "E: 0.000001 000g 001e 0001\n", HEAD_LINES + 1, "bad hex event type");
	REFUSED(HEAD "E: 0.000001 0001 -01e 0001\n", HEAD_LINES + 1, "bad hex event code");
	REFUSED(HEAD "E: 0.000001 0001 001e 0x01\n", HEAD_LINES + 1, "bad event value");
	REFUSED(HEAD "E: 0.00000a 0001 001e 1\n", HEAD_LINES + 1, "bad timestamp");
	REFUSED(HEAD "E: 1.5 0001 001e 1\n", HEAD_LINES + 1, "bad timestamp");
	REFUSED(HEAD "E: -1.000000 0001 001e 1\n", HEAD_LINES + 1, "bad timestamp");
}
TEST_REGISTER(test_bad_hex)

static void
test_unknown_types_and_codes(void)
{
	REFUSED(HEAD "E: 0.000001 0020 0000 0001\n", HEAD_LINES + 1, "unknown event type");
	REFUSED(HEAD "E: 0.000001 0016 0000 0001\n", HEAD_LINES + 1, "unknown event type");
	REFUSED(HEAD "E: 0.000001 0002 0010 0001\n", HEAD_LINES + 1, "beyond the maximum");
	REFUSED(HEAD "E: 0.000001 0001 0300 0001\n", HEAD_LINES + 1, "beyond the maximum");
	REFUSED("N: Test\nI: 0003 046d 404d 0111\nB: 16 00 00 00 00 00 00 00 00\n", 3, "unknown event type");
	/* REL has 16 codes: a bit in the third byte is beyond it */
	REFUSED("N: Test\nI: 0003 046d 404d 0111\nB: 02 00 00 01 00 00 00 00 00\n", 3, "beyond the maximum");
	REFUSED(HEAD "A: 40 0 1 0 0 0\n", HEAD_LINES + 1, "bad ABS code");
	REFUSED(HEAD "X: 1 2 3\n", HEAD_LINES + 1, "unknown line type");
	REFUSED(HEAD "hello\n", HEAD_LINES + 1, "not an evemu line");
	REFUSED("# EVEMU 2.0\nN: Test\n", 1, "unsupported evemu version");
}
TEST_REGISTER(test_unknown_types_and_codes)

static void
test_order(void)
{
	REFUSED("E: 0.000001 0001 001e 0001\n", 1, "event before the device description");
	REFUSED("# comment\nN: Test\nE: 0.000001 0001 001e 0001\n", 3, "event before the device description");
	REFUSED(HEAD EV_OK "B: 01 00 00 00 00 00 00 00 00\n", HEAD_LINES + 3, "description line after the events");
	REFUSED(HEAD "N: Again\n", HEAD_LINES + 1, "second N:");
	REFUSED(HEAD "I: 0 0 0 0\n", HEAD_LINES + 1, "second I:");
}
TEST_REGISTER(test_order)

static void
test_huge_numbers(void)
{
	REFUSED(HEAD "E: 0.000001 0001 001e 2147483648\n", HEAD_LINES + 1, "bad event value");
	REFUSED(HEAD "E: 0.000001 0001 001e -2147483649\n", HEAD_LINES + 1, "bad event value");
	REFUSED(HEAD "E: 0.000001 0001 001e 99999999999999999999999\n", HEAD_LINES + 1, "bad event value");
	REFUSED(HEAD "E: 99999999999999999999.000001 0001 001e 1\n", HEAD_LINES + 1, "bad timestamp");
	REFUSED(HEAD "E: 1000000000001.000001 0001 001e 1\n", HEAD_LINES + 1, "bad timestamp");
	REFUSED(HEAD "E: 0.000001 ffffffffff 001e 1\n", HEAD_LINES + 1, "bad hex event type");
	REFUSED("N: Test\nI: 10000 0 0 0\n", 2, "bad hex id");
	REFUSED(HEAD "A: 01 0 4294967296 0 0 0\n", HEAD_LINES + 1, "bad number");
	REFUSED(HEAD "A: 01 100 0 0 0 0\n", HEAD_LINES + 1, "minimum 100 above maximum");
}
TEST_REGISTER(test_huge_numbers)

static void
test_odd_bytes(void)
{
	static const char with_nul[] = "N: Test\nI: 0003 046d 404d 0111\nB: 01\0 00\n";
	char longline[2048];
	struct recording *rec = NULL;
	struct recording_error err;

	CHECK_EQ(recording_parse(with_nul, sizeof(with_nul) - 1, &rec, &err), -EINVAL);
	CHECK_EQ(err.line, 3);
	CHECK(strstr(err.reason, "NUL") != NULL);

	memset(longline, 'x', sizeof(longline) - 1);
	memcpy(longline, "N: Test\nN: ", 11);
	longline[sizeof(longline) - 1] = '\0';
	REFUSED(longline, 2, "line longer");

	CHECK_EQ(recording_parse("", 0, &rec, &err), -EINVAL);
	CHECK_EQ(recording_parse("# only a comment\n", 17, &rec, &err), -EINVAL);
}
TEST_REGISTER(test_odd_bytes)

#define YHEAD \
	"version: 1\n" \
	"ndevices: 1\n" \
	"devices:\n" \
	"- node: /dev/input/event3\n" \
	"  evdev:\n" \
	"    name: \"Test Pad\"\n" \
	"    id: [3, 9580, 105, 272]\n" \
	"    codes:\n" \
	"      0: [0]\n" \
	"      1: [256, 257]\n" \
	"    properties: []\n" \
	"  events:\n" \
	"  - evdev:\n"
#define YHEAD_LINES 13

static void
test_yaml_malformed(void)
{
	struct recording *rec = NULL;
	struct recording_error err;
	const char *ok = YHEAD "    - [0, 0, 1, 256, 1]\n    - [0, 0, 0, 0, 0]\n";

	CHECK_EQ(recording_parse(ok, strlen(ok), &rec, &err), 0);
	if (rec)
		CHECK_EQ(rec->nevents, 2);
	recording_free(rec);

	REFUSED(YHEAD "    - [0, 0, 1, 256]\n", YHEAD_LINES + 1, "want 5 numbers");
	REFUSED(YHEAD "    - [0, 0, 1, 256, 1]\n    - [0, 0, 32, 0, 0]\n", YHEAD_LINES + 2, "unknown event type");
	REFUSED(YHEAD "    - [0, 0, 2, 16, 0]\n", YHEAD_LINES + 1, "beyond the maximum");
	REFUSED(YHEAD "    - [0, 0, 1, 256, 4294967296]\n", YHEAD_LINES + 1, "value");
	REFUSED(YHEAD "    - [0, 1000000, 1, 256, 1]\n", YHEAD_LINES + 1, "microseconds");
	REFUSED(YHEAD "    - [0, 0, 1, 0x100, 1]\n", YHEAD_LINES + 1, "code");
	/* tabs in the indentation, as in the kernel's hidintro.rst recording */
	REFUSED(YHEAD "\t- [0, 0, 1, 256, 1]\n", YHEAD_LINES + 1, "YAML");
	REFUSED("version: 2\ndevices: []\n", 1, "unsupported libinput record version");
	REFUSED("version: 1\nndevices: 0\n", 1, "devices: want a list");
	REFUSED("version: 1\ndevices:\n- evdev: {name: x, id: [1,2,3], codes: {}}\n", 3, "evdev.id");
	REFUSED("version: 1\ndevices:\n- evdev: {name: x, id: [1,2,3,65536], codes: {}}\n", 3, "evdev.id");
	REFUSED("version: 1\ndevices:\n- evdev: {name: x, id: [1,2,3,4], codes: {22: [0]}}\n", 3, "unknown event type");
	REFUSED("version: 1\ndevices:\n- evdev: {name: x, id: [1,2,3,4], codes: {3: [0]},\n"
		"          absinfo: {0: [5, 1, 0, 0, 0]}}\n", 4, "minimum 5 above maximum");
	REFUSED("- just\n- a list\n", 1, "want a YAML mapping");
	REFUSED("ndevices: 1\ndevices: []\n", 1, "missing version");
	REFUSED("version: 1\ndevices:\n- node: x\n", 3, "device: missing evdev");
	REFUSED("version: 1\ndevices:\n- evdev: {name: x, codes: {}}\n", 3, "evdev: missing id");
	REFUSED("version: 1\ndevices:\n- evdev: {name: x, id: [1,2,3,4]}\n", 3, "evdev: missing codes");
	REFUSED("[unclosed\n", 2, "YAML");
}
TEST_REGISTER(test_yaml_malformed)
