/* SPDX-License-Identifier: MIT */
/*
 * The mining stage's pure parts, without a store: timestamps (against
 * gmtime_r as the oracle), UTF-8 repair, JSON escaping
 * (against json-c's parser as the oracle), XML attribute escaping (against
 * libxml2's xmlTextWriter, which the XES writer used to be), CSV quoting, durations,
 * pseudonyms (against a known answer computed with Python's hmac), and
 * records to actions and cases on in-memory records.
 */
#include <errno.h>
#include <json.h>
#include <libxml/xmlwriter.h>
#include <stdlib.h>
#include <time.h>

#include "mining/actions.h"
#include "mining/format.h"
#include "mining/pseudo.h"
#include "harness.h"

#define MS 1000000ULL
#define SEC 1000000000ULL

static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static uint64_t
rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

TEST(time_iso_known)
{
	char t[FMT_TIME_LEN + 1];

	fmt_time_iso(t, 0);
	CHECK_STR(t, "1970-01-01T00:00:00.000Z");
	fmt_time_iso(t, 1795684502123ULL * MS + 999999);	/* truncated, not rounded */
	CHECK_STR(t, "2026-11-26T09:15:02.123Z");
	fmt_time_iso(t, 1709164800ULL * SEC);
	CHECK_STR(t, "2024-02-29T00:00:00.000Z");
	fmt_time_iso(t, 4107542399ULL * SEC + 5 * MS);
	CHECK_STR(t, "2100-02-28T23:59:59.005Z");
	fmt_date_iso(t, 4107542400ULL * SEC);
	CHECK_STR(t, "2100-03-01");	/* 2100 is no leap year */
}

TEST(time_iso_matches_gmtime)
{
	for (int i = 0; i < 200000; i++) {
		uint64_t ns = rnd() % (4102444800ULL * SEC);	/* before 2100 */
		time_t secs = (time_t)(ns / SEC);
		struct tm tm;
		char want[64], got[FMT_TIME_LEN + 1];

		gmtime_r(&secs, &tm);
		snprintf(want, sizeof(want), "%04d-%02d-%02dT%02d:%02d:%02d.%03uZ",
			 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
			 tm.tm_min, tm.tm_sec, (unsigned)(ns % SEC / MS));
		fmt_time_iso(got, ns);
		CHECK_STR(got, want);
	}
}

static const char *
clean(const char *s, size_t len, unsigned flags, struct fmt_buf *b)
{
	size_t n;
	const char *c = fmt_utf8_clean(s, len, flags, b, &n);
	static char out[256];

	snprintf(out, sizeof(out), "%.*s", (int)n, c);
	return out;
}

TEST(utf8_clean)
{
	struct fmt_buf b = { 0 };
	const char *ok = "Größe – 日本 😀";
	size_t n;

	/* valid text is returned as is, without a copy */
	CHECK(fmt_utf8_clean(ok, strlen(ok), FMT_CLEAN_CONTROL, &b, &n) == ok);
	CHECK_EQ(n, strlen(ok));
	CHECK_STR(clean("caf\xe9", 4, 0, &b), "caf\xef\xbf\xbd");
	CHECK_STR(clean("\xc0\xaf", 2, 0, &b), "\xef\xbf\xbd\xef\xbf\xbd");	/* overlong '/' */
	CHECK_STR(clean("\xed\xa0\x80", 3, 0, &b),
		  "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");		/* a surrogate */
	CHECK_STR(clean("\xf4\x90\x80\x80", 4, 0, &b),
		  "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");	/* > U+10FFFF */
	/* cut short: one maximal ill-formed subpart, one U+FFFD */
	CHECK_STR(clean("ab\xe2\x82", 4, 0, &b), "ab\xef\xbf\xbd");
	CHECK_STR(clean("a\x01\tb\n", 5, 0, &b), "a\x01\tb\n");
	CHECK_STR(clean("\x01\xe9\x02", 3, FMT_CLEAN_CONTROL, &b),
		  "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
	CHECK_STR(clean("a\x01\tb\n", 5, FMT_CLEAN_CONTROL, &b), "a\xef\xbf\xbd\tb\n");
	CHECK_STR(clean("\xef\xbf\xbe", 3, FMT_CLEAN_CONTROL, &b), "\xef\xbf\xbd");
	fmt_buf_free(&b);
}

/* Random bytes, cleaned and escaped, must parse back (json-c) to the
 * cleaned bytes exactly. */
TEST(json_string_round_trip)
{
	struct fmt_buf b = { 0 }, scratch = { 0 };

	for (int i = 0; i < 20000; i++) {
		char raw[64];
		size_t len = rnd() % sizeof(raw), clen;

		for (size_t j = 0; j < len; j++) {
			uint64_t r = rnd();
			/* mostly ASCII and controls, some high bytes */
			raw[j] = (char)(r % 4 == 0 ? (r >> 8) & 0xff : (r >> 8) % 0x80);
		}
		const char *c = fmt_utf8_clean(raw, len, 0, &scratch, &clen);
		CHECK(c);
		/* NUL cannot survive json-c's C strings: compare up to it */
		b.len = 0;
		CHECK_EQ(fmt_json_string(&b, c, clen), 0);
		CHECK_EQ(fmt_append(&b, "", 1), 0);
		json_object *o = json_tokener_parse(b.data);
		CHECK_MSG(o != NULL, "does not parse: %s", b.data);
		CHECK_EQ(json_object_get_string_len(o), clen);
		CHECK(memcmp(json_object_get_string(o), c, clen) == 0);
		json_object_put(o);
	}
	fmt_buf_free(&b);
	fmt_buf_free(&scratch);
}

/* Random text: ASCII with XML's specials and controls, and code points of
 * every UTF-8 length, some invalid bytes; then cleaned as the XES writer
 * cleans. */
static size_t
random_text(char *raw, size_t cap)
{
	size_t len = 0, want = rnd() % (cap / 4);

	while (len < want && len + 4 < cap) {
		uint64_t r = rnd();
		uint32_t cp;

		switch (r % 6) {
		case 0: raw[len++] = "<>&\"'\t\n\r\x01\x7f"[(r >> 8) % 10]; continue;
		case 1: raw[len++] = (char)(0x20 + (r >> 8) % 0x5f); continue;
		case 2: raw[len++] = (char)((r >> 8) & 0xff); continue;	/* maybe invalid */
		case 3: cp = 0x80 + (uint32_t)(r >> 8) % 0x780; break;
		case 4: cp = 0x800 + (uint32_t)(r >> 8) % 0xf800; break;
		default: cp = 0x10000 + (uint32_t)(r >> 8) % 0x100000; break;
		}
		if (cp >= 0xd800 && cp < 0xe000)
			cp = 0xe000;
		if (cp < 0x800) {
			raw[len++] = (char)(0xc0 | cp >> 6);
		} else if (cp < 0x10000) {
			raw[len++] = (char)(0xe0 | cp >> 12);
			raw[len++] = (char)(0x80 | ((cp >> 6) & 0x3f));
		} else {
			raw[len++] = (char)(0xf0 | cp >> 18);
			raw[len++] = (char)(0x80 | ((cp >> 12) & 0x3f));
			raw[len++] = (char)(0x80 | ((cp >> 6) & 0x3f));
		}
		raw[len++] = (char)(0x80 | (cp & 0x3f));
	}
	return len;
}

TEST(xml_attr_as_libxml2)
{
	struct fmt_buf b = { 0 }, scratch = { 0 };

	for (int i = 0; i < 20000; i++) {
		char raw[256];
		size_t len = random_text(raw, sizeof(raw)), clen;
		const char *c = fmt_utf8_clean(raw, len, FMT_CLEAN_CONTROL, &scratch, &clen);

		CHECK(c);
		b.len = 0;
		CHECK_EQ(fmt_xml_attr(&b, c, clen), 0);
		/* the oracle: libxml2 writing the same value (a C string: up
		 * to a NUL, which cleaning has turned into U+FFFD anyway) */
		char *v = strndup(c, clen);
		xmlBufferPtr xb = xmlBufferCreate();
		xmlTextWriterPtr w = xmlNewTextWriterMemory(xb, 0);
		CHECK(v && xb && w);
		CHECK(xmlTextWriterStartElement(w, BAD_CAST "a") >= 0);
		CHECK(xmlTextWriterWriteAttribute(w, BAD_CAST "v", BAD_CAST v) >= 0);
		CHECK(xmlTextWriterEndElement(w) >= 0);
		xmlFreeTextWriter(w);
		const char *x = (const char *)xmlBufferContent(xb);
		size_t xlen = strlen(x);
		/* <a v="…"/> */
		CHECK(xlen >= 9 && memcmp(x, "<a v=\"", 6) == 0);
		CHECK_MSG(xlen - 9 == b.len && memcmp(x + 6, b.data, b.len) == 0,
			  "differs from libxml2: %s vs %.*s", x, (int)b.len, b.data);
		xmlBufferFree(xb);
		free(v);
	}
	fmt_buf_free(&b);
	fmt_buf_free(&scratch);
}

TEST(csv_quoting)
{
	struct fmt_buf b = { 0 };

	CHECK_EQ(fmt_csv_field(&b, "plain", 5), 0);
	CHECK_EQ(fmt_csv_field(&b, "|a,b|", 5), 0);
	CHECK_EQ(fmt_csv_field(&b, "|say \"hi\"|", 10), 0);
	CHECK_EQ(fmt_csv_field(&b, "|x\ny|", 5), 0);
	CHECK_EQ(fmt_csv_field(&b, " edge", 5), 0);
	CHECK_EQ(fmt_append(&b, "", 1), 0);
	CHECK_STR(b.data, "plain\"|a,b|\"\"|say \"\"hi\"\"|\"\"|x\ny|\"\" edge\"");
	fmt_buf_free(&b);
}

TEST(pseudonym_known_answer)
{
	struct pseudo p;
	char out[PSEUDO_LEN + 1], host[PSEUDO_LEN + 1];

	memset(&p, 0, sizeof(p));
	memset(p.key, 'a', 32);
	p.key_len = 32;
	/* python3: hmac.new(b"a"*32, b"user\0alice", sha256).hexdigest()[:16] */
	pseudo_name(&p, "user", "u-", "alice", 5, out);
	CHECK_STR(out, "u-d438b721eeb2666b");
	pseudo_name(&p, "host", "h-", "alice", 5, host);
	CHECK_STR(host, "h-38349b368ae32deb");
	p.key[0] = 'b';
	pseudo_name(&p, "user", "u-", "alice", 5, out);
	CHECK(strcmp(out, "u-d438b721eeb2666b") != 0);
}

/* --- actions on in-memory records ------------------------------------ */

static const char *const strings[] = {
	NULL, "firefox", "Ctrl+C", "F5", "Inbox", "code", "Shift+F5",
};

static int
fake_string(void *ctx, uint32_t id, const char **s, size_t *len)
{
	(void)ctx;
	if (id == 0 || id >= sizeof(strings) / sizeof(strings[0]))
		return -ENOENT;
	*s = strings[id];
	*len = strlen(strings[id]);
	return 0;
}

static int
fake_session(void *ctx, uint32_t id, struct tt_session_info *out)
{
	(void)ctx;
	if (id != 1 && id != 2)
		return -ENOENT;
	memset(out, 0, sizeof(*out));
	out->id = id;
	out->uid = 999 + id;
	if (id == 1)
		strcpy(out->user, "alice");	/* session 2 has no name */
	return 0;
}

static const struct actions_source fake = { fake_string, fake_session, NULL };

static struct tt_record
rec(unsigned kind, uint64_t t)
{
	struct tt_record r;

	memset(&r, 0, sizeof(r));
	r.kind = (uint8_t)kind;
	r.time_ns = t;
	r.session = 1;
	r.uid = 1000;
	r.app = 1;
	r.title = 4;
	return r;
}

TEST(activities)
{
	static const struct { unsigned kind; int detail; const char *want; } table[] = {
		{ TT_KIND_TYPING, 0, "Type" },
		{ TT_KIND_KEY, 2, "Shortcut Ctrl+C" },
		{ TT_KIND_KEY, 3, "Key F5" },
		{ TT_KIND_KEY, 6, "Shortcut Shift+F5" },
		{ TT_KIND_KEY, 0, "Key code 63" },
		{ TT_KIND_BUTTON, 1, "Click" },
		{ TT_KIND_BUTTON, 2, "Double-click" },
		{ TT_KIND_BUTTON, 3, "Triple-click" },
		{ TT_KIND_BUTTON, 0x111, "Right-click" },
		{ TT_KIND_BUTTON, 0x112, "Middle-click" },
		{ TT_KIND_SCROLL, 0, "Scroll" },
		{ TT_KIND_MOTION, 0, NULL },
		{ TT_KIND_TOUCH, 0, "Touch" },
		{ TT_KIND_GESTURE, 4, "Gesture 4-finger pinch" },
		{ TT_KIND_TABLET, TT_TABLET_TIP, "Pen" },
		{ TT_KIND_TABLET, TT_TABLET_BUTTON, "Pen button" },
		{ TT_KIND_TABLET, TT_TABLET_PROXIMITY, NULL },
		{ TT_KIND_FOCUS, 0, "Switch to firefox" },
		{ TT_KIND_FOCUS, TT_FOCUS_TITLE_ONLY, NULL },
		{ TT_KIND_IDLE, 0, "Idle" },
		{ TT_KIND_ACTIVE, 0, NULL },
		{ TT_KIND_LOCK, 0, "Lock" },
		{ TT_KIND_UNLOCK, 0, "Unlock" },
		{ TT_KIND_SESSION, 0, NULL },
		{ TT_KIND_DEVICE, 0, NULL },
		{ TT_KIND_GAP, 0, NULL },
	};
	struct actions_options o = { .host = "h1" };
	struct actions *a;
	struct action act;

	CHECK_EQ(actions_new(&a, &o, &fake), 0);
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
		struct tt_record r = rec(table[i].kind, SEC * (i + 1));
		int d = table[i].detail;

		switch (r.kind) {
		case TT_KIND_KEY:
			r.u.key.name = (uint32_t)d;
			r.u.key.code = 63;
			break;
		case TT_KIND_BUTTON:
			r.u.button.button = d > 3 ? (uint16_t)d : 0x110;
			r.u.button.clicks = d > 3 ? 1 : (uint8_t)d;
			break;
		case TT_KIND_GESTURE:
			r.u.gesture.type = TT_GESTURE_PINCH;
			r.u.gesture.fingers = (uint8_t)d;
			break;
		case TT_KIND_TABLET: r.u.tablet.event = (uint8_t)d; break;
		case TT_KIND_FOCUS: r.u.focus.flags = (uint8_t)d; break;
		default: break;
		}
		int rc = actions_feed(a, &r, &act);
		if (!table[i].want) {
			CHECK_MSG(rc == 0, "%s became an action", tt_kind_name(r.kind));
			continue;
		}
		CHECK_EQ(rc, 1);
		CHECK_STR(act.activity, table[i].want);
		CHECK_EQ(act.activity_len, strlen(table[i].want));
		CHECK_STR(act.user, "alice");
		CHECK_STR(act.host, "h1");
		CHECK_STR(act.case_id, "alice/1970-01-01");
	}
	/* no user: no action; a session without a name: the uid */
	struct tt_record r = rec(TT_KIND_TYPING, 100 * SEC);
	r.uid = TT_UID_NONE;
	CHECK_EQ(actions_feed(a, &r, &act), 0);
	r = rec(TT_KIND_TYPING, 101 * SEC);
	r.session = 2;
	r.uid = 1001;
	CHECK_EQ(actions_feed(a, &r, &act), 1);
	CHECK_STR(act.user, "uid-1001");
	/* no session at all, or one the table does not know: the uid */
	r.session = 0;
	r.uid = 1002;
	CHECK_EQ(actions_feed(a, &r, &act), 1);
	CHECK_STR(act.user, "uid-1002");
	r.uid = 1003;
	CHECK_EQ(actions_feed(a, &r, &act), 1);
	CHECK_STR(act.user, "uid-1003");
	r.session = 9;
	CHECK_EQ(actions_feed(a, &r, &act), 1);
	CHECK_STR(act.user, "uid-1003");
	actions_free(a);
}

TEST(idle_gap_cases)
{
	struct actions_options o = { .case_mode = ACTIONS_CASE_IDLE_GAP,
				     .idle_gap_ns = 60 * SEC };
	struct actions *a;
	struct action act;
	struct tt_record r;

	CHECK_EQ(actions_parse_case("idle-gap=1m", 0, &o.case_mode, &o.idle_gap_ns), 0);
	CHECK_EQ(o.idle_gap_ns, 60 * SEC);
	CHECK_EQ(actions_new(&a, &o, &fake), 0);
	r = rec(TT_KIND_TYPING, 1000 * SEC);
	r.dur_ns = 30 * SEC;		/* input until 1030 s */
	CHECK_EQ(actions_feed(a, &r, &act), 1);
	CHECK(act.new_case);
	CHECK_STR(act.case_id, "alice/1970-01-01T00:16:40.000Z");
	r = rec(TT_KIND_IDLE, 1040 * SEC);
	r.dur_ns = 600 * SEC;		/* a marker: stays in the case */
	CHECK_EQ(actions_feed(a, &r, &act), 1);
	CHECK(!act.new_case);
	r = rec(TT_KIND_LOCK, 1100 * SEC);
	CHECK_EQ(actions_feed(a, &r, &act), 1);
	CHECK_STR(act.case_id, "alice/1970-01-01T00:16:40.000Z");
	r = rec(TT_KIND_SCROLL, 1089 * SEC);	/* 59 s after input: same case */
	CHECK_EQ(actions_feed(a, &r, &act), 1);
	CHECK(!act.new_case);
	r = rec(TT_KIND_UNLOCK, 1150 * SEC);	/* 61 s: a new task */
	CHECK_EQ(actions_feed(a, &r, &act), 1);
	CHECK(act.new_case);
	CHECK_STR(act.case_id, "alice/1970-01-01T00:19:10.000Z");
	/* another user's state is separate */
	r = rec(TT_KIND_TYPING, 1151 * SEC);
	r.session = 2;
	r.uid = 1001;
	CHECK_EQ(actions_feed(a, &r, &act), 1);
	CHECK(act.new_case);
	CHECK_STR(act.case_id, "uid-1001/1970-01-01T00:19:11.000Z");
	actions_free(a);

	CHECK_EQ(actions_parse_case("idle-gap=", 0, &o.case_mode, &o.idle_gap_ns), -EINVAL);
	CHECK_EQ(actions_parse_case("idle-gap=0", 0, &o.case_mode, &o.idle_gap_ns), -EINVAL);
	CHECK_EQ(actions_parse_case("idle-gap=5 m", 0, &o.case_mode, &o.idle_gap_ns), -EINVAL);
	CHECK_EQ(actions_parse_case("weekly", 0, &o.case_mode, &o.idle_gap_ns), -EINVAL);
	CHECK_EQ(actions_parse_case("idle", 42, &o.case_mode, &o.idle_gap_ns), 0);
	CHECK_EQ(o.idle_gap_ns, 42);
	CHECK_EQ(actions_parse_case("idle-gap=1.5h", 0, &o.case_mode, &o.idle_gap_ns), 0);
	CHECK_EQ(o.idle_gap_ns, 5400 * SEC);
}

TEST(pseudonymized_actions)
{
	struct pseudo p;
	struct actions_options o = { .host = "cafe" };
	struct actions *a;
	struct action act;
	struct tt_record r = rec(TT_KIND_TYPING, SEC);
	char want[PSEUDO_LEN + 1];

	memset(&p, 0, sizeof(p));
	memset(p.key, 'a', 32);
	p.key_len = 32;
	o.pseudo = &p;
	CHECK_EQ(actions_new(&a, &o, &fake), 0);
	CHECK_EQ(actions_feed(a, &r, &act), 1);
	CHECK_STR(act.user, "u-d438b721eeb2666b");
	pseudo_name(&p, "host", "h-", "cafe", 4, want);
	CHECK_STR(act.host, want);
	CHECK_STR(act.case_id, "u-d438b721eeb2666b/1970-01-01");
	actions_free(a);
}
