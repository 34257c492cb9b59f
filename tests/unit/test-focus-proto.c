/*
 * tasktrace — unit tests for the focus protocol (lib/focus-proto.c,
 * lib/focus-socket.c).
 *
 * Copyright © 2026 the tasktrace authors
 * SPDX-License-Identifier: MIT
 */

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "harness.h"
#include "tasktrace/focus-proto.h"

#define U_FFFD "\xef\xbf\xbd"

static void
make_focus(struct tt_focus_msg *m)
{
	tt_focus_msg_init(m, TT_FOCUS_FOCUS);
	tt_focus_msg_set_string(m, TT_FOCUS_TAG_BACKEND, "x11", 3);
	tt_focus_msg_set_string(m, TT_FOCUS_TAG_APP_ID, "XTerm", 5);
	tt_focus_msg_set_string(m, TT_FOCUS_TAG_TITLE, "vim — notes.txt", 17);
	tt_focus_msg_set_int(m, TT_FOCUS_TAG_WINDOW_ID, 0x1200004);
	tt_focus_msg_set_int(m, TT_FOCUS_TAG_PID, 4242);
	tt_focus_msg_set_int(m, TT_FOCUS_TAG_TIME, 123456789012345ULL);
}

static const char *
repair(const char *in, size_t len, size_t cap)
{
	static char out[1024];

	tt_utf8_repair(out, cap, in, len);
	return out;
}

TEST(test_roundtrip_focus)
{
	struct tt_focus_msg m, back;
	uint8_t buf[TT_FOCUS_MSG_MAX];
	int len;

	make_focus(&m);
	len = tt_focus_encode(&m, buf, sizeof(buf));
	CHECK(len > TT_FOCUS_HEADER_SIZE);
	CHECK(tt_focus_parse(buf, (size_t)len, &back) == 0);
	CHECK(back.type == TT_FOCUS_FOCUS);
	CHECK(back.version == TT_FOCUS_PROTO_VERSION);
	CHECK(strcmp(back.backend, "x11") == 0);
	CHECK(strcmp(back.app_id, "XTerm") == 0);
	CHECK(strcmp(back.title, "vim — notes.txt") == 0);
	CHECK(back.window_id == 0x1200004);
	CHECK(back.pid == 4242);
	CHECK(back.time_ns == 123456789012345ULL);
	CHECK(back.present == m.present);
}

TEST(test_roundtrip_hello_title_bye)
{
	struct tt_focus_msg m, back;
	uint8_t buf[TT_FOCUS_MSG_MAX];
	int len;

	tt_focus_msg_init(&m, TT_FOCUS_HELLO);
	tt_focus_msg_set_string(&m, TT_FOCUS_TAG_COLLECTOR_VERSION, "0.1.0", 5);
	tt_focus_msg_set_string(&m, TT_FOCUS_TAG_BACKEND, "sway", 4);
	tt_focus_msg_set_string(&m, TT_FOCUS_TAG_SESSION_ID, "c2", 2);
	len = tt_focus_encode(&m, buf, sizeof(buf));
	CHECK(len > 0 && tt_focus_parse(buf, (size_t)len, &back) == 0);
	CHECK(back.type == TT_FOCUS_HELLO);
	CHECK(strcmp(back.collector_version, "0.1.0") == 0);
	CHECK(strcmp(back.session_id, "c2") == 0);

	tt_focus_msg_init(&m, TT_FOCUS_TITLE);
	tt_focus_msg_set_int(&m, TT_FOCUS_TAG_WINDOW_ID, 7);
	tt_focus_msg_set_string(&m, TT_FOCUS_TAG_TITLE, "", 0);
	len = tt_focus_encode(&m, buf, sizeof(buf));
	CHECK(len > 0 && tt_focus_parse(buf, (size_t)len, &back) == 0);
	CHECK(back.type == TT_FOCUS_TITLE && back.window_id == 7);
	CHECK(back.title[0] == '\0');

	tt_focus_msg_init(&m, TT_FOCUS_BYE);
	len = tt_focus_encode(&m, buf, sizeof(buf));
	CHECK(len == TT_FOCUS_HEADER_SIZE);
	CHECK(tt_focus_parse(buf, (size_t)len, &back) == 0);
	CHECK(back.type == TT_FOCUS_BYE);
}

TEST(test_wire_layout)
{
	/* The documented bytes, spelled out: BYE with TIME = 1. */
	static const uint8_t bye[] = {
		'T', 'F', 1, 4, 11, 0, 0, 0,
		1, 8, 0, 1, 0, 0, 0, 0, 0, 0, 0,
	};
	struct tt_focus_msg m;
	uint8_t buf[64];

	CHECK(tt_focus_parse(bye, sizeof(bye), &m) == 0);
	CHECK(m.type == TT_FOCUS_BYE && m.time_ns == 1);
	CHECK(tt_focus_encode(&m, buf, sizeof(buf)) == (int)sizeof(bye));
	CHECK(memcmp(buf, bye, sizeof(bye)) == 0);
}

TEST(test_encode_errors)
{
	struct tt_focus_msg m;
	uint8_t buf[TT_FOCUS_MSG_MAX];

	tt_focus_msg_init(&m, TT_FOCUS_FOCUS);
	tt_focus_msg_set_string(&m, TT_FOCUS_TAG_BACKEND, "x11", 3);
	/* WINDOW_ID missing */
	CHECK(tt_focus_encode(&m, buf, sizeof(buf)) == -EINVAL);

	make_focus(&m);
	CHECK(tt_focus_encode(&m, buf, 20) == -ENOSPC);
	CHECK(tt_focus_encode(&m, buf, 4) == -ENOSPC);

	m.type = 99;
	CHECK(tt_focus_encode(&m, buf, sizeof(buf)) == -EINVAL);

	CHECK(tt_focus_msg_set_int(&m, TT_FOCUS_TAG_PID, 1ULL << 33) == -ERANGE);
	CHECK(tt_focus_msg_set_int(&m, TT_FOCUS_TAG_TITLE, 1) == -EINVAL);
	CHECK(tt_focus_msg_set_string(&m, TT_FOCUS_TAG_PID, "x", 1) == -EINVAL);
}

TEST(test_encode_repairs_hand_filled_struct)
{
	struct tt_focus_msg m, back;
	uint8_t buf[TT_FOCUS_MSG_MAX];
	int len;

	make_focus(&m);
	/* No NUL anywhere and invalid bytes: the encoder must stay bounded
	 * and put valid UTF-8 on the wire. */
	memset(m.title, 0xff, sizeof(m.title));
	len = tt_focus_encode(&m, buf, sizeof(buf));
	CHECK(len > 0);
	CHECK(tt_focus_parse(buf, (size_t)len, &back) == 0);
	CHECK(strlen(back.title) == 510); /* 170 × U+FFFD */
	CHECK(memcmp(back.title, U_FFFD U_FFFD, 6) == 0);
}

TEST(test_utf8_valid_kept)
{
	const char *s = "a\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80z"; /* aé€😀z */

	CHECK(strcmp(repair(s, strlen(s), 64), s) == 0);
}

TEST(test_utf8_invalid_replaced)
{
	/* stray continuation */
	CHECK(strcmp(repair("a\x80" "b", 3, 64), "a" U_FFFD "b") == 0);
	/* overlong '/' */
	CHECK(strcmp(repair("\xc0\xaf", 2, 64), U_FFFD U_FFFD) == 0);
	/* overlong 3-byte form: E0 80 80 → three replacements */
	CHECK(strcmp(repair("\xe0\x80\x80", 3, 64), U_FFFD U_FFFD U_FFFD) == 0);
	/* surrogate U+D800 */
	CHECK(strcmp(repair("\xed\xa0\x80", 3, 64), U_FFFD U_FFFD U_FFFD) == 0);
	/* above U+10FFFF */
	CHECK(strcmp(repair("\xf4\x90\x80\x80", 4, 64),
		     U_FFFD U_FFFD U_FFFD U_FFFD) == 0);
	CHECK(strcmp(repair("\xf5", 1, 64), U_FFFD) == 0);
	/* truncated sequence: one replacement for the maximal subpart */
	CHECK(strcmp(repair("x\xe2\x82", 3, 64), "x" U_FFFD) == 0);
	CHECK(strcmp(repair("\xe2\x82y", 3, 64), U_FFFD "y") == 0);
	/* embedded NUL */
	CHECK(strcmp(repair("a\0b", 3, 64), "a" U_FFFD "b") == 0);
}

TEST(test_utf8_truncation_on_boundary)
{
	char in[700], out[TT_FOCUS_TITLE_MAX + 1];
	size_t n, i;

	/* "a" then 300 × é (2 bytes): 512 bytes would split an é */
	in[0] = 'a';
	for (i = 0; i < 300; i++) {
		in[1 + 2 * i] = (char)0xc3;
		in[2 + 2 * i] = (char)0xa9;
	}
	n = tt_utf8_repair(out, sizeof(out), in, 601);
	CHECK(n == 511);
	CHECK((unsigned char)out[510] == 0xa9);
	CHECK(out[511] == '\0');

	/* cap smaller than one replacement character */
	CHECK(tt_utf8_repair(out, 3, "\xff", 1) == 0);
	CHECK(tt_utf8_repair(out, 1, "abc", 3) == 0 && out[0] == '\0');
}

TEST(test_utf8_idempotent)
{
	const char *nasty = "\xff\xfe\xc3(\xe2\x28\xa1\xf0\x90\x28\xbc ok \xed\xbf\xbf";
	char once[128], twice[128];
	size_t n1, n2;

	n1 = tt_utf8_repair(once, 20, nasty, strlen(nasty));
	n2 = tt_utf8_repair(twice, 20, once, n1);
	CHECK(n1 == n2);
	CHECK(memcmp(once, twice, n1 + 1) == 0);
}

TEST(test_title_cap_via_setter)
{
	struct tt_focus_msg m;
	char big[2000];

	memset(big, 'x', sizeof(big));
	tt_focus_msg_init(&m, TT_FOCUS_TITLE);
	tt_focus_msg_set_string(&m, TT_FOCUS_TAG_TITLE, big, sizeof(big));
	CHECK(strlen(m.title) == TT_FOCUS_TITLE_MAX);
}

/* Build a raw packet: header + body bytes. */
static size_t
raw(uint8_t *out, int version, int type, const uint8_t *body, size_t n)
{
	out[0] = 'T';
	out[1] = 'F';
	out[2] = (uint8_t)version;
	out[3] = (uint8_t)type;
	out[4] = (uint8_t)(n & 0xff);
	out[5] = (uint8_t)(n >> 8);
	out[6] = out[7] = 0;
	memcpy(out + 8, body, n);
	return 8 + n;
}

TEST(test_parse_header_errors)
{
	static const uint8_t win[] = { 5, 8, 0, 1, 0, 0, 0, 0, 0, 0, 0,
				       7, 1, 0, 'x' };
	struct tt_focus_msg m;
	uint8_t p[TT_FOCUS_MSG_MAX + 16] = { 0 };
	size_t n;

	CHECK(tt_focus_parse(p, 0, &m) == TT_FOCUS_ESHORT);
	CHECK(tt_focus_parse("TF\1", 3, &m) == TT_FOCUS_ESHORT);

	n = raw(p, 1, TT_FOCUS_TITLE, win, sizeof(win));
	CHECK(tt_focus_parse(p, n, &m) == 0);
	CHECK(strcmp(m.title, "x") == 0);

	p[0] = 'X';
	CHECK(tt_focus_parse(p, n, &m) == TT_FOCUS_EMAGIC);
	n = raw(p, 2, TT_FOCUS_TITLE, win, sizeof(win));
	CHECK(tt_focus_parse(p, n, &m) == TT_FOCUS_EVERSION);
	n = raw(p, 1, 0, win, sizeof(win));
	CHECK(tt_focus_parse(p, n, &m) == TT_FOCUS_ETYPE);
	n = raw(p, 1, 9, win, sizeof(win));
	CHECK(tt_focus_parse(p, n, &m) == TT_FOCUS_ETYPE);

	/* body length disagrees with the packet */
	n = raw(p, 1, TT_FOCUS_TITLE, win, sizeof(win));
	CHECK(tt_focus_parse(p, n - 1, &m) == TT_FOCUS_ELENGTH);
	p[4]++;
	CHECK(tt_focus_parse(p, n, &m) == TT_FOCUS_ELENGTH);

	/* oversized packet */
	memset(p, 0, sizeof(p));
	n = raw(p, 1, TT_FOCUS_BYE, (const uint8_t *)"", 0);
	CHECK(tt_focus_parse(p, TT_FOCUS_MSG_MAX + 1, &m) == TT_FOCUS_ETOOBIG);
	CHECK(m.type == 0 && m.present == 0);
}

TEST(test_parse_field_errors)
{
	struct tt_focus_msg m;
	uint8_t p[256];
	size_t n;

	/* field header cut short */
	static const uint8_t cut_hdr[] = { 1, 8 };
	n = raw(p, 1, TT_FOCUS_BYE, cut_hdr, sizeof(cut_hdr));
	CHECK(tt_focus_parse(p, n, &m) == TT_FOCUS_ETRUNC);

	/* value runs past the end */
	static const uint8_t cut_val[] = { 1, 8, 0, 1, 2, 3 };
	n = raw(p, 1, TT_FOCUS_BYE, cut_val, sizeof(cut_val));
	CHECK(tt_focus_parse(p, n, &m) == TT_FOCUS_ETRUNC);

	/* huge length field */
	static const uint8_t huge[] = { 7, 0xff, 0xff, 'a' };
	n = raw(p, 1, TT_FOCUS_TITLE, huge, sizeof(huge));
	CHECK(tt_focus_parse(p, n, &m) == TT_FOCUS_ETRUNC);

	/* integer of the wrong size */
	static const uint8_t short_time[] = { 1, 4, 0, 1, 2, 3, 4 };
	n = raw(p, 1, TT_FOCUS_BYE, short_time, sizeof(short_time));
	CHECK(tt_focus_parse(p, n, &m) == TT_FOCUS_EFIELDSIZE);

	/* duplicate tag */
	static const uint8_t dup[] = { 1, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0,
				       1, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0 };
	n = raw(p, 1, TT_FOCUS_BYE, dup, sizeof(dup));
	CHECK(tt_focus_parse(p, n, &m) == TT_FOCUS_EDUP);

	/* known tag not allowed in this type */
	static const uint8_t forbidden[] = { 7, 1, 0, 'x' };
	n = raw(p, 1, TT_FOCUS_BYE, forbidden, sizeof(forbidden));
	CHECK(tt_focus_parse(p, n, &m) == TT_FOCUS_EFORBIDDEN);

	/* required field missing */
	static const uint8_t no_window[] = { 3, 3, 0, 'x', '1', '1' };
	n = raw(p, 1, TT_FOCUS_FOCUS, no_window, sizeof(no_window));
	CHECK(tt_focus_parse(p, n, &m) == TT_FOCUS_EMISSING);
	CHECK(tt_focus_strerror(TT_FOCUS_EMISSING)[0] != '\0');
	CHECK(strcmp(tt_focus_strerror(-ENOENT), strerror(ENOENT)) == 0);
}

TEST(test_parse_unknown_tag_skipped)
{
	static const uint8_t body[] = { 200, 2, 0, 'z', 'z', 1, 8, 0,
					9, 0, 0, 0, 0, 0, 0, 0 };
	struct tt_focus_msg m;
	uint8_t p[64], again[64];
	size_t n;
	int len;

	n = raw(p, 1, TT_FOCUS_BYE, body, sizeof(body));
	CHECK(tt_focus_parse(p, n, &m) == 0);
	CHECK(m.time_ns == 9);
	/* canonical form drops the unknown field */
	len = tt_focus_encode(&m, again, sizeof(again));
	CHECK(len == 8 + 11);
}

TEST(test_parse_repairs_strings)
{
	/* FOCUS with an invalid app id and an over-long title */
	uint8_t body[1200], p[1300];
	struct tt_focus_msg m;
	size_t n = 0;

	memcpy(body + n, "\x03\x03\x00x11", 6);
	n += 6;
	memcpy(body + n, "\x05\x08\x00\x01\x00\x00\x00\x00\x00\x00\x00", 11);
	n += 11;
	memcpy(body + n, "\x06\x04\x00" "a\xffz\x00", 7);
	n += 7;
	body[n++] = 7;
	body[n++] = 0x20; /* 800 */
	body[n++] = 0x03;
	memset(body + n, 'T', 800);
	n += 800;

	n = raw(p, 1, TT_FOCUS_FOCUS, body, n);
	CHECK(tt_focus_parse(p, n, &m) == 0);
	CHECK(strcmp(m.app_id, "a" U_FFFD "z" U_FFFD) == 0);
	CHECK(strlen(m.title) == TT_FOCUS_TITLE_MAX);
	CHECK(!(m.present & TT_FOCUS_HAS(TT_FOCUS_TAG_PID)));
}

/* Finding 6 of issue 23: every string field loses its controls where it
 * is parsed — C0 (line breaks become spaces), DEL, C1, bidi controls. */
TEST(test_parse_strips_controls)
{
	static const char session[] = "x\n<0>forged\r\tend";
	static const char title[] = "\x1b]0;owned\x07\x1b[2K\rfirefox\x7f"
				    "\xc2\x9b" "31m" "\xe2\x80\xae" "gpj.exe"
				    "\xe2\x81\xa6" "x" "\xe2\x81\xa9" "\xe2\x80\x8f\xd8\x9c"
				    " caf\xc3\xa9 \xe2\x80\x94";
	struct tt_focus_msg m, out;
	uint8_t p[TT_FOCUS_MSG_MAX];
	int n;

	tt_focus_msg_init(&m, TT_FOCUS_HELLO);
	tt_focus_msg_set_string(&m, TT_FOCUS_TAG_COLLECTOR_VERSION, "1\n2", 3);
	tt_focus_msg_set_string(&m, TT_FOCUS_TAG_BACKEND, "x11", 3);
	tt_focus_msg_set_string(&m, TT_FOCUS_TAG_SESSION_ID, session, strlen(session));
	n = tt_focus_encode(&m, p, sizeof(p));
	CHECK(n > 0);
	CHECK_EQ(tt_focus_parse(p, (size_t)n, &out), 0);
	CHECK_STR(out.session_id, "x <0>forged  end");
	CHECK_STR(out.collector_version, "1 2");

	make_focus(&m);
	tt_focus_msg_set_string(&m, TT_FOCUS_TAG_TITLE, title, strlen(title));
	tt_focus_msg_set_string(&m, TT_FOCUS_TAG_APP_ID, "evil\nWATCHDOG=trigger", 21);
	n = tt_focus_encode(&m, p, sizeof(p));
	CHECK(n > 0);
	CHECK_EQ(tt_focus_parse(p, (size_t)n, &out), 0);
	CHECK_STR(out.title, "]0;owned[2K firefox31mgpj.exex caf\xc3\xa9 \xe2\x80\x94");
	CHECK_STR(out.app_id, "evil WATCHDOG=trigger");
}

TEST(test_parse_every_prefix)
{
	struct tt_focus_msg m;
	uint8_t buf[TT_FOCUS_MSG_MAX];
	int len;

	make_focus(&m);
	len = tt_focus_encode(&m, buf, sizeof(buf));
	CHECK(len > 0);
	/* Every shorter packet is an error, never a crash or a success. */
	for (int i = 0; i < len; i++)
		CHECK(tt_focus_parse(buf, (size_t)i, &m) < 0);
}

TEST(test_socket_path_precedence)
{
	unsetenv(TT_FOCUS_SOCKET_ENV);
	CHECK(strcmp(tt_focus_socket_path(NULL), TT_FOCUS_SOCKET_DEFAULT) == 0);
	setenv(TT_FOCUS_SOCKET_ENV, "", 1);
	CHECK(strcmp(tt_focus_socket_path(NULL), TT_FOCUS_SOCKET_DEFAULT) == 0);
	setenv(TT_FOCUS_SOCKET_ENV, "/tmp/env.sock", 1);
	CHECK(strcmp(tt_focus_socket_path(NULL), "/tmp/env.sock") == 0);
	CHECK(strcmp(tt_focus_socket_path("/tmp/opt.sock"), "/tmp/opt.sock") == 0);
	unsetenv(TT_FOCUS_SOCKET_ENV);
}

TEST(test_socket_one_message_per_packet)
{
	char dir[] = "/tmp/tt-focus-test-XXXXXX";
	char path[128];
	struct tt_focus_msg m, back;
	uint8_t buf[TT_FOCUS_MSG_MAX + 1];
	int lfd, cfd, sfd, len;
	ssize_t r;
	char longpath[200];

	CHECK(mkdtemp(dir) != NULL);
	snprintf(path, sizeof(path), "%s/collector.sock", dir);

	CHECK(tt_focus_connect(path) == -ENOENT);
	memset(longpath, 'a', sizeof(longpath) - 1);
	longpath[sizeof(longpath) - 1] = '\0';
	CHECK(tt_focus_connect(longpath) == -ENAMETOOLONG);

	lfd = tt_focus_listen(path);
	CHECK(lfd >= 0);
	cfd = tt_focus_connect(path);
	CHECK(cfd >= 0);
	sfd = accept(lfd, NULL, NULL);
	CHECK(sfd >= 0);

	make_focus(&m);
	len = tt_focus_encode(&m, buf, sizeof(buf));
	CHECK(send(cfd, buf, (size_t)len, 0) == len);
	tt_focus_msg_init(&m, TT_FOCUS_BYE);
	len = tt_focus_encode(&m, buf, sizeof(buf));
	CHECK(send(cfd, buf, (size_t)len, 0) == len);

	r = recv(sfd, buf, sizeof(buf), 0);
	CHECK(r > 0 && tt_focus_parse(buf, (size_t)r, &back) == 0);
	CHECK(back.type == TT_FOCUS_FOCUS && back.pid == 4242);
	r = recv(sfd, buf, sizeof(buf), 0);
	CHECK(r == TT_FOCUS_HEADER_SIZE);
	CHECK(tt_focus_parse(buf, (size_t)r, &back) == 0 &&
	      back.type == TT_FOCUS_BYE);

	close(cfd);
	close(sfd);
	close(lfd);
	unlink(path);
	rmdir(dir);
}

/* --- ELEMENT and WELCOME ------------------------------------------------- */

static void
make_element(struct tt_focus_msg *m)
{
	tt_focus_msg_init(m, TT_FOCUS_ELEMENT);
	tt_focus_msg_set_string(m, TT_FOCUS_TAG_ROLE, "push button", 11);
	tt_focus_msg_set_string(m, TT_FOCUS_TAG_NAME, "Save", 4);
	tt_focus_msg_set_string(m, TT_FOCUS_TAG_URL, "https://example.org/a?b", 23);
	tt_focus_msg_set_string(m, TT_FOCUS_TAG_APP_ID, "gedit", 5);
	tt_focus_msg_set_int(m, TT_FOCUS_TAG_ELEMENT_FLAGS,
			     TT_ELEMENT_EDITABLE | TT_ELEMENT_HIT);
	tt_focus_msg_set_int(m, TT_FOCUS_TAG_WINDOW_ID, 0x1200004);
	tt_focus_msg_set_int(m, TT_FOCUS_TAG_PID, 77);
	tt_focus_msg_set_int(m, TT_FOCUS_TAG_TIME, 5);
}

TEST(test_roundtrip_element)
{
	struct tt_focus_msg m, back;
	uint8_t buf[TT_FOCUS_MSG_MAX];
	int len;

	make_element(&m);
	len = tt_focus_encode(&m, buf, sizeof(buf));
	CHECK(len > 0);
	CHECK(tt_focus_parse(buf, (size_t)len, &back) == 0);
	CHECK(back.type == TT_FOCUS_ELEMENT);
	CHECK(strcmp(back.role, "push button") == 0);
	CHECK(strcmp(back.name, "Save") == 0);
	CHECK(strcmp(back.url, "https://example.org/a?b") == 0);
	CHECK(strcmp(back.app_id, "gedit") == 0);
	CHECK(back.element_flags == (TT_ELEMENT_EDITABLE | TT_ELEMENT_HIT));
	CHECK(back.window_id == 0x1200004 && back.pid == 77 && back.time_ns == 5);
	CHECK(back.present == m.present);
	CHECK(memcmp(&m, &back, sizeof(m)) == 0);
	CHECK(strcmp(tt_focus_type_name(TT_FOCUS_ELEMENT), "ELEMENT") == 0);

	/* only ROLE is required, and "" is a valid role: no element now */
	tt_focus_msg_init(&m, TT_FOCUS_ELEMENT);
	CHECK(tt_focus_encode(&m, buf, sizeof(buf)) == -EINVAL);
	tt_focus_msg_set_string(&m, TT_FOCUS_TAG_ROLE, "", 0);
	len = tt_focus_encode(&m, buf, sizeof(buf));
	CHECK(len == TT_FOCUS_HEADER_SIZE + 3);
	CHECK(tt_focus_parse(buf, (size_t)len, &back) == 0);
	CHECK(back.role[0] == '\0' && back.present == TT_FOCUS_HAS(TT_FOCUS_TAG_ROLE));
}

/* The documented bytes of an ELEMENT: ROLE "text", FLAGS 1. */
TEST(test_element_wire_layout)
{
	static const uint8_t el[] = {
		'T', 'F', 1, 5, 14, 0, 0, 0,
		9, 4, 0, 't', 'e', 'x', 't',
		11, 4, 0, 1, 0, 0, 0,
	};
	struct tt_focus_msg m;
	uint8_t buf[64];

	CHECK(tt_focus_parse(el, sizeof(el), &m) == 0);
	CHECK(m.type == TT_FOCUS_ELEMENT && strcmp(m.role, "text") == 0);
	CHECK(m.element_flags == TT_ELEMENT_PASSWORD);
	CHECK(tt_focus_encode(&m, buf, sizeof(buf)) == (int)sizeof(el));
	CHECK(memcmp(buf, el, sizeof(el)) == 0);
}

/* ROLE, NAME and URL lose their control characters, on both sides: a TAB
 * can never reach an element string. Other strings keep theirs. */
TEST(test_element_strings_cleaned)
{
	static const uint8_t body[] = {
		9, 6, 0, 'p', 'u', '\t', 's', 'h', 0,
		10, 9, 0, 'S', 0xe2, 0x80, 0xae, 'a', '\n', 'v', 0xff, 'e',
		12, 5, 0, 'h', 't', 0x1b, 't', 'p',
	};
	struct tt_focus_msg m;
	uint8_t p[128];
	size_t n = raw(p, 1, TT_FOCUS_ELEMENT, body, sizeof(body));

	CHECK(tt_focus_parse(p, n, &m) == 0);
	CHECK(strcmp(m.role, "push") == 0);
	CHECK(strcmp(m.name, "Sav" U_FFFD "e") == 0);
	CHECK(strcmp(m.url, "http") == 0);

	tt_focus_msg_init(&m, TT_FOCUS_ELEMENT);
	tt_focus_msg_set_string(&m, TT_FOCUS_TAG_ROLE, "a\tb", 3);
	CHECK(strcmp(m.role, "ab") == 0);
	/* a hand-filled struct is cleaned on the way out */
	strcpy(m.name, "x\ty");
	m.present |= TT_FOCUS_HAS(TT_FOCUS_TAG_NAME);
	n = (size_t)tt_focus_encode(&m, p, sizeof(p));
	CHECK(tt_focus_parse(p, n, &m) == 0);
	CHECK(strcmp(m.name, "xy") == 0);
}

TEST(test_element_caps_and_rules)
{
	struct tt_focus_msg m;
	uint8_t buf[TT_FOCUS_MSG_MAX];
	char big[2000];
	int len;

	memset(big, 'n', sizeof(big));
	tt_focus_msg_init(&m, TT_FOCUS_ELEMENT);
	tt_focus_msg_set_string(&m, TT_FOCUS_TAG_ROLE, big, sizeof(big));
	tt_focus_msg_set_string(&m, TT_FOCUS_TAG_NAME, big, sizeof(big));
	tt_focus_msg_set_string(&m, TT_FOCUS_TAG_URL, big, sizeof(big));
	CHECK(strlen(m.role) == TT_FOCUS_ROLE_MAX);
	CHECK(strlen(m.name) == TT_FOCUS_NAME_MAX);
	CHECK(strlen(m.url) == TT_FOCUS_URL_MAX);
	len = tt_focus_encode(&m, buf, sizeof(buf));
	CHECK(len > 0 && tt_focus_parse(buf, (size_t)len, &m) == 0);
	CHECK(strlen(m.url) == TT_FOCUS_URL_MAX);

	CHECK(tt_focus_msg_set_int(&m, TT_FOCUS_TAG_ELEMENT_FLAGS, 1ULL << 32) == -ERANGE);
	CHECK(tt_focus_msg_set_int(&m, TT_FOCUS_TAG_NAME, 1) == -EINVAL);

	/* ELEMENT allows no TITLE; FOCUS allows no ROLE; FLAGS is a u32 */
	static const uint8_t with_title[] = { 9, 1, 0, 'x', 7, 1, 0, 'x' };
	static const uint8_t focus_role[] = { 3, 1, 0, 'x', 5, 8, 0, 1, 0, 0, 0, 0, 0, 0, 0,
					      9, 1, 0, 'x' };
	static const uint8_t short_flags[] = { 9, 1, 0, 'x', 11, 2, 0, 1, 0 };
	static const uint8_t no_role[] = { 10, 1, 0, 'x' };
	uint8_t p[64];
	size_t n;

	n = raw(p, 1, TT_FOCUS_ELEMENT, with_title, sizeof(with_title));
	CHECK(tt_focus_parse(p, n, &m) == TT_FOCUS_EFORBIDDEN);
	n = raw(p, 1, TT_FOCUS_FOCUS, focus_role, sizeof(focus_role));
	CHECK(tt_focus_parse(p, n, &m) == TT_FOCUS_EFORBIDDEN);
	n = raw(p, 1, TT_FOCUS_ELEMENT, short_flags, sizeof(short_flags));
	CHECK(tt_focus_parse(p, n, &m) == TT_FOCUS_EFIELDSIZE);
	n = raw(p, 1, TT_FOCUS_ELEMENT, no_role, sizeof(no_role));
	CHECK(tt_focus_parse(p, n, &m) == TT_FOCUS_EMISSING);
	/* a type after WELCOME is still unknown */
	n = raw(p, 1, TT_FOCUS_TYPE_MAX + 1, no_role, sizeof(no_role));
	CHECK(tt_focus_parse(p, n, &m) == TT_FOCUS_ETYPE);
}

TEST(test_roundtrip_welcome)
{
	struct tt_focus_msg m, back;
	uint8_t buf[64];
	int len;

	tt_focus_msg_init(&m, TT_FOCUS_WELCOME);
	CHECK(tt_focus_encode(&m, buf, sizeof(buf)) == -EINVAL);
	tt_focus_msg_set_int(&m, TT_FOCUS_TAG_TYPES, 1u << TT_FOCUS_ELEMENT);
	len = tt_focus_encode(&m, buf, sizeof(buf));
	CHECK(len == TT_FOCUS_HEADER_SIZE + 7);
	CHECK(tt_focus_parse(buf, (size_t)len, &back) == 0);
	CHECK(back.type == TT_FOCUS_WELCOME && back.types == (1u << TT_FOCUS_ELEMENT));
}

TEST(test_element_every_prefix)
{
	struct tt_focus_msg m;
	uint8_t buf[TT_FOCUS_MSG_MAX];
	int len;

	make_element(&m);
	len = tt_focus_encode(&m, buf, sizeof(buf));
	CHECK(len > 0);
	for (int i = 0; i < len; i++)
		CHECK(tt_focus_parse(buf, (size_t)i, &m) < 0);
}
