/* SPDX-License-Identifier: MIT */
/*
 * Peer strings that try to drive the admin's terminal (issue 23, finding
 * 10) or reorder the report (finding 12): a store whose application id,
 * title, executable, backend, key name, device name and user name carry
 * what any X11 client can claim for its WM_CLASS and title — an OSC that
 * sets the terminal's title, an erase-line, a carriage return, BEL, a C1
 * CSI and bidi overrides — read back through `tasktrace query` (table,
 * CSV, JSON Lines), `stats` and `report`. No raw control or bidi byte may
 * come out; the table shows the escapes instead.
 */
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "admin/recfmt.h"
#include "harness.h"
#include "tasktrace/error.h"
#include "tasktrace/store.h"

#define SEC 1000000000ULL
#define T0 (1795684502ULL * SEC)	/* 2026-11-26T09:15:02Z */

/* The app id: set the title, BEL, erase the line, back to col 0. */
#define EVIL_APP "\x1b]0;owned\x07\x1b[2K\rfirefox"
/* C1 CSI (U+009B) then a right-to-left override: "exe.png" on screen */
#define EVIL_EXE "/usr/bin/\xc2\x9b" "31m\xe2\x80\xaegnp.exe"
#define EVIL_USER "mal\x1b[8mlory\x7f"
#define EVIL_KEY "Ctrl+\xe2\x81\xa6" "C\xe2\x81\xa9\x1b[A"

static char cli[4096];
static char store[4096];

static const char *
tasktrace(void)
{
	const char *b = getenv("TT_BUILD");
	char conf[4096];
	FILE *f;

	if (cli[0])
		return cli;
	snprintf(cli, sizeof(cli), "%s/%s/tasktrace", tt_test_top(), b ? b : "build");
	snprintf(conf, sizeof(conf), "%s/empty.conf", tt_test_tmpdir());
	f = fopen(conf, "w");
	if (f)
		fclose(f);
	setenv("TASKTRACE_CONFIG", conf, 1);
	setenv("TZ", "UTC", 1);
	unsetenv("TASKTRACE_STORE");
	return cli;
}

static uint32_t
intern(struct tt_store *s, const char *str)
{
	uint32_t id = 0;

	tt_store_intern(s, str, strlen(str), &id);
	return id;
}

/* A store of one hostile session: focus, typing, a shortcut, a device. */
static const char *
hostile_store(void)
{
	struct tt_session_info sess = { .uid = 4242, .start_ns = T0 - 60 * SEC,
		.logind_id = "c42", .seat = "seat0" };
	struct tt_device_info kbd = { .classes = TT_DEV_KEYBOARD, .bus = 3,
		.vendor = 0x46d, .product = 0xc31c, .ident = "3:046d:c31c:1a2b" };
	struct tt_store *s;
	struct tt_record r;
	uint64_t t = T0, seq = 0;
	uint32_t app, exe, backend, key;

	if (store[0])
		return store;
	snprintf(store, sizeof(store), "%s/store", tt_test_tmpdir());
	snprintf(sess.user, sizeof(sess.user), "%s", EVIL_USER);
	snprintf(kbd.name, sizeof(kbd.name), "Evil\x1b[31m \xe2\x80\xae" "draobyek");
	if (tt_store_open(&s, store, TT_STORE_CREATE, NULL) != 0)
		return NULL;
	tt_store_session_add(s, &sess);
	tt_store_device_intern(s, &kbd);
	app = intern(s, EVIL_APP);
	exe = intern(s, EVIL_EXE);
	backend = intern(s, "x11\x1b]2;x\x07");
	key = intern(s, EVIL_KEY);
	for (int i = 0; i < 6; i++) {
		memset(&r, 0, sizeof(r));
		r.kind = TT_KIND_FOCUS;
		r.time_ns = t += 10 * SEC;
		r.seq = ++seq;
		r.session = sess.id;
		r.uid = sess.uid;
		r.device = kbd.id;
		r.app = app;
		r.title = app;
		r.u.focus.exe = exe;
		r.u.focus.backend = backend;
		r.u.focus.pid = 4242;
		tt_store_append(s, &r);
		r.kind = TT_KIND_TYPING;
		r.time_ns = t += SEC;
		r.seq = ++seq;
		r.dur_ns = 5 * SEC;
		memset(&r.u, 0, sizeof(r.u));
		r.u.typing.count[TT_CLASS_LETTER] = 30;
		tt_store_append(s, &r);
		r.kind = TT_KIND_KEY;
		r.time_ns = t += 6 * SEC;
		r.seq = ++seq;
		r.dur_ns = SEC / 5;
		memset(&r.u, 0, sizeof(r.u));
		r.u.key.name = key;
		r.u.key.code = 46;
		r.u.key.mods = TT_MOD_CTRL;
		tt_store_append(s, &r);
	}
	memset(&r, 0, sizeof(r));
	r.kind = TT_KIND_DEVICE;
	r.time_ns = t += SEC;
	r.seq = ++seq;
	r.session = sess.id;
	r.uid = sess.uid;
	r.device = kbd.id;
	tt_store_append(s, &r);
	if (tt_store_commit(s) != 0 || tt_store_close(s) != 0)
		return NULL;
	return store;
}

/* The first raw control or bidi character in @p s (CR and LF allowed
 * where @p allow_eol; TAB and CR where html_ws), as an offset; -1 when there is none. */
static bool html_ws;	/* TAB and CR allowed (HTML white space) */

static long
first_raw(const char *s, bool allow_eol)
{
	const unsigned char *u = (const unsigned char *)s;

	for (size_t i = 0; u[i]; i++) {
		if (u[i] == '\n' || (allow_eol && u[i] == '\r' && u[i + 1] == '\n'))
			continue;
		if (html_ws && (u[i] == '\r' || u[i] == '\t'))
			continue;	/* HTML white space, as XML keeps it */
		if (u[i] < 0x20 || u[i] == 0x7f)
			return (long)i;
		if (u[i] == 0xc2 && u[i + 1] >= 0x80 && u[i + 1] <= 0x9f)
			return (long)i;
		if (u[i] == 0xe2 && u[i + 1] == 0x80 && u[i + 2] >= 0xaa && u[i + 2] <= 0xae)
			return (long)i;
		if (u[i] == 0xe2 && u[i + 1] == 0x81 && u[i + 2] >= 0xa6 && u[i + 2] <= 0xa9)
			return (long)i;
	}
	return -1;
}

#define CHECK_CLEAN(out, eol)                                              \
	do {                                                               \
		long _at = first_raw(out, eol);                            \
		CHECK_MSG(_at < 0, "raw control at byte %ld: \"%.40s\"", _at, \
			  (out) + (_at < 0 ? 0 : _at));                    \
	} while (0)

TEST(query_table_escapes)
{
	char *out = NULL;

	CHECK(hostile_store());
	CHECK_EQ(tt_test_run(&out, "%s --store %s query --since 2026-11-26 --until 2026-11-27",
			     tasktrace(), hostile_store()), 0);
	CHECK_CLEAN(out, false);
	/* shown, escaped: the admin sees what the peer tried */
	CHECK_CONTAINS(out, "\\x1b]0;owned\\x07\\x1b[2K\\rfirefox");
	CHECK_CONTAINS(out, "\\x9b31m\\u202egnp.exe");
	CHECK_CONTAINS(out, "mal\\x1b[8mlory\\x7f");
	CHECK_CONTAINS(out, "Ctrl+\\u2066C\\u2069\\x1b[A");
	CHECK_CONTAINS(out, "via x11\\x1b]2;x\\x07");
	CHECK_CONTAINS(out, "Evil\\x1b[31m \\u202edraobyek");
	free(out);
}

TEST(query_csv_escapes)
{
	char *out = NULL;

	CHECK(hostile_store());
	CHECK_EQ(tt_test_run(&out, "%s --store %s query --format csv --since 2026-11-26 "
			     "--until 2026-11-27", tasktrace(), hostile_store()), 0);
	CHECK_CLEAN(out, true);
	CHECK_CONTAINS(out, "\\x1b]0;owned\\x07\\x1b[2K\\rfirefox");
	free(out);
}

TEST(query_jsonl_escapes)
{
	char *out = NULL;

	CHECK(hostile_store());
	CHECK_EQ(tt_test_run(&out, "%s --store %s query --format jsonl --since 2026-11-26 "
			     "--until 2026-11-27", tasktrace(), hostile_store()), 0);
	CHECK_CLEAN(out, false);
	/* JSON's own escapes: the same string value, decoded */
	CHECK_CONTAINS(out, "\\u001b]0;owned\\u0007\\u001b[2K\\rfirefox");
	CHECK_CONTAINS(out, "\\u009b31m\\u202egnp.exe");
	CHECK_CONTAINS(out, "lory\\u007f");
	free(out);
	/* and it is still JSON whose value is the raw string */
	CHECK_EQ(tt_test_run(&out, "%s --store %s query --format jsonl --kind focus --limit 1 "
			     "--since 2026-11-26 --until 2026-11-27 | /usr/bin/python3 -c "
			     "'import json,sys; r=json.loads(sys.stdin.readline()); "
			     "sys.exit(0 if r[\"app\"] == \"\\x1b]0;owned\\x07\\x1b[2K\\rfirefox\" "
			     "and \"\\u202e\" in r[\"exe\"] else 1)'",
			     tasktrace(), hostile_store()), 0);
	free(out);
}

TEST(stats_escapes)
{
	char *out = NULL;

	CHECK(hostile_store());
	CHECK_EQ(tt_test_run(&out, "%s --store %s stats --since 2026-11-26 --until 2026-11-27",
			     tasktrace(), hostile_store()), 0);
	CHECK_CLEAN(out, false);
	CHECK_CONTAINS(out, "\\x1b]0;owned");
	free(out);
}

/* The report removes bidi controls and replaces C1/DEL (finding 12). */
TEST(report_no_bidi)
{
	char path[4200], *out = NULL;

	CHECK(hostile_store());
	snprintf(path, sizeof(path), "%s/r.html", tt_test_tmpdir());
	CHECK_EQ(tt_test_run(&out, "%s --store %s report --quiet --since 2026-11-26 "
			     "--until 2026-11-27 -o %s 2>&1", tasktrace(), hostile_store(), path), 0);
	free(out);
	CHECK_EQ(tt_test_run(&out, "cat %s", path), 0);
	html_ws = true;
	CHECK_CLEAN(out, false);
	html_ws = false;
	CHECK_CONTAINS(out, "]0;owned");	/* the text is there, its controls not */
	free(out);
}

/* The escaping function itself, on the cases above and at the edges. */
TEST(escape_function)
{
	char buf[64];

	recfmt_escape(buf, sizeof(buf), "a\x1b[2Kb", RECFMT_ESC_TEXT);
	CHECK_STR(buf, "a\\x1b[2Kb");
	recfmt_escape(buf, sizeof(buf), "a\x1b" "b", RECFMT_ESC_JSON);
	CHECK_STR(buf, "a\\u001bb");
	recfmt_escape(buf, sizeof(buf), "\xe2\x80\xae" "x\xe2\x81\xa9\xc2\x85\x7f", RECFMT_ESC_TEXT);
	CHECK_STR(buf, "\\u202ex\\u2069\\x85\\x7f");
	/* ordinary UTF-8 (é, —, U+2028 is not a control here) passes */
	recfmt_escape(buf, sizeof(buf), "caf\xc3\xa9 \xe2\x80\x94 ok", RECFMT_ESC_TEXT);
	CHECK_STR(buf, "caf\xc3\xa9 \xe2\x80\x94 ok");
	/* cut to fit, never inside an escape or a character */
	recfmt_escape(buf, 6, "ab\x1b", RECFMT_ESC_TEXT);
	CHECK_STR(buf, "ab");
	recfmt_escape(buf, 5, "abc\xe2\x80\x94", RECFMT_ESC_TEXT);
	CHECK_STR(buf, "abc");
}
