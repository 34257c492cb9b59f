/* SPDX-License-Identifier: MIT */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "admin/cli.h"
#include "admin/recfmt.h"
#include "tasktrace/element.h"
#include "tasktrace/timefmt.h"
#include "tasktrace/utf8.h"

static const struct recfmt_names *names;

/*
 * How many bytes of @p s form a character a terminal must not get raw:
 * C0 controls, DEL, C1 controls (U+0080-U+009F, e.g. U+009B CSI), the
 * bidirectional embeddings, overrides and isolates (U+202A-U+202E,
 * U+2066-U+2069) and marks (U+061C, U+200E, U+200F). 0 for anything
 * else; *cp is the code point.
 */
static size_t
unsafe_char(const unsigned char *s, uint32_t *cp)
{
	if (s[0] < 0x20 || s[0] == 0x7f) {
		*cp = s[0];
		return 1;
	}
	if (s[0] == 0xc2 && s[1] >= 0x80 && s[1] <= 0x9f) {
		*cp = s[1];
		return 2;
	}
	if (s[0] == 0xd8 && s[1] == 0x9c) {
		*cp = 0x061c;
		return 2;
	}
	if (s[0] == 0xe2 && s[1] == 0x80 && (s[2] == 0x8e || s[2] == 0x8f ||
					     (s[2] >= 0xaa && s[2] <= 0xae))) {
		*cp = 0x2000u + (s[2] - 0x80u);
		return 3;
	}
	if (s[0] == 0xe2 && s[1] == 0x81 && s[2] >= 0xa6 && s[2] <= 0xa9) {
		*cp = 0x2040u + (s[2] - 0x80u);
		return 3;
	}
	return 0;
}

size_t
recfmt_escape(char *dst, size_t len, const char *src, enum recfmt_escape style)
{
	const unsigned char *s = (const unsigned char *)src;
	size_t o = 0;

	if (!len)
		return 0;
	/* Text: the library's escapes, the same as the tracer's logs and
	 * sd_notify use ("\x1b", "\r", "\u202e"). */
	if (style == RECFMT_ESC_TEXT)
		return tt_utf8_escape_controls(dst, len, src, strlen(src));
	while (*s) {
		char esc[8];
		uint32_t cp;
		size_t n = unsafe_char(s, &cp), m;

		if (!n) {
			/* a whole UTF-8 sequence or nothing: never a cut one */
			size_t k = 1;

			if (*s >= 0xc0)
				while (k < 4 && (s[k] & 0xc0) == 0x80)
					k++;
			if (o + k >= len)
				break;
			memcpy(dst + o, s, k);
			o += k;
			s += k;
			continue;
		}
		m = (size_t)snprintf(esc, sizeof(esc), "\\u%04x", (unsigned)cp);
		if (o + m >= len)
			break;
		memcpy(dst + o, esc, m);
		o += m;
		s += n;
	}
	dst[o] = '\0';
	return o;
}

const char *
recfmt_term(const char *s, char *buf, size_t len)
{
	recfmt_escape(buf, len, s, RECFMT_ESC_TEXT);
	return buf;
}

void
recfmt_put_json(struct json_object *o)
{
	const char *js = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN |
							JSON_C_TO_STRING_NOSLASHESCAPE);
	size_t n = strlen(js) * 6 + 1;
	char *buf = malloc(n);

	/* json-c writes C0 as \u00XX already; DEL, C1 and bidi controls it
	 * leaves raw, and those become \uXXXX too: the same JSON value. */
	if (buf) {
		recfmt_escape(buf, n, js, RECFMT_ESC_JSON);
		puts(buf);
		free(buf);
	} else {
		puts(js);
	}
}

void
recfmt_set_names(const struct recfmt_names *n)
{
	names = n;
}

const char *
recfmt_string(struct tt_reader *rd, uint32_t id, char *buf, size_t len)
{
	const char *s;
	size_t n;

	buf[0] = '\0';
	if (!id)
		return buf;
	if (rd ? tt_reader_string(rd, id, &s, &n) == 0 :
		 names && (s = names->string(names->ctx, id)) && ((n = strlen(s)), true))
		tt_utf8_repair(buf, len, s, n);
	return buf;
}

const char *
recfmt_user(struct tt_reader *rd, uint32_t uid, uint32_t session)
{
	const char *s;

	if (!rd && uid != TT_UID_NONE && session && names &&
	    (s = names->session_user(names->ctx, session)) && *s)
		return s;
	return tool_user_name(rd, uid, session);
}

/* A device's name, or "?" */
static const char *
device_name(struct tt_reader *rd, uint32_t id, struct tt_device_info *d)
{
	const char *s;

	if (rd)
		return tt_reader_device(rd, id, d) == 0 ? d->name : "?";
	s = names ? names->device(names->ctx, id) : NULL;
	return s ? s : "?";
}

static const char *
button_name(unsigned code)
{
	switch (code) {
	case 0x110: return "left";
	case 0x111: return "right";
	case 0x112: return "middle";
	case 0x113: return "side";
	case 0x114: return "extra";
	case 0x115: return "forward";
	case 0x116: return "back";
	case 0x14a: return "touch";
	case 0x14b: return "stylus";
	case 0x14c: return "stylus2";
	default: return NULL;
	}
}

void
recfmt_detail(struct tt_reader *rd, const struct tt_record *r, char *buf, size_t len)
{
	char s1[512], s2[512];
	size_t o = 0;
	const char *bn;

	buf[0] = '\0';
	switch (r->kind) {
	case TT_KIND_TYPING:
		/* a password field's: not even a size */
		if (tt_record_burst_hidden(r)) {
			snprintf(buf, len, "hidden");
			break;
		}
		/* a short burst: its size is all there is */
		if (r->u.typing.under) {
			snprintf(buf, len, "<%u keys", r->u.typing.under);
			break;
		}
		/* rounded counts are said to be so: "~20 letter" */
		for (unsigned c = 0; c < TT_CLASS_COUNT; c++)
			if (r->u.typing.count[c] && o < len)
				o += (size_t)snprintf(buf + o, len - o, "%s%s%" PRIu32 " %s",
						      o ? ", " : "",
						      r->u.typing.round > 1 ? "~" : "",
						      r->u.typing.count[c],
						      tt_key_class_name(c));
		if (o < len)
			snprintf(buf + o, len - o, "%sended by %s", o ? "; " : "",
				 tt_burst_end_name(r->u.typing.end));
		break;
	case TT_KIND_KEY:
		snprintf(buf, len, "%s", recfmt_string(rd, r->u.key.name, s1, sizeof(s1)));
		break;
	case TT_KIND_BUTTON:
		bn = button_name(r->u.button.button);
		if (bn)
			snprintf(buf, len, "%s%s", bn,
				 r->u.button.clicks == 2 ? " double" :
				 r->u.button.clicks == 3 ? " triple" : "");
		else
			snprintf(buf, len, "button 0x%x ×%u", r->u.button.button,
				 r->u.button.clicks);
		break;
	case TT_KIND_SCROLL:
		snprintf(buf, len, "%s %+" PRId32 "/120 (%s, %" PRIu32 " events)",
			 r->u.scroll.axis ? "horizontal" : "vertical", r->u.scroll.v120,
			 tt_scroll_source_name(r->u.scroll.source), r->u.scroll.events);
		break;
	case TT_KIND_MOTION:
		snprintf(buf, len, "%.1f units, %" PRIu32 " events",
			 r->u.motion.distance / 8.0, r->u.motion.events);
		break;
	case TT_KIND_TOUCH:
		snprintf(buf, len, "%u finger(s), %.1f mm, %" PRIu32 " events",
			 r->u.touch.fingers, r->u.touch.distance / 8.0, r->u.touch.events);
		break;
	case TT_KIND_GESTURE:
		snprintf(buf, len, "%s, %u fingers%s", tt_gesture_type_name(r->u.gesture.type),
			 r->u.gesture.fingers, r->u.gesture.cancelled ? ", cancelled" : "");
		break;
	case TT_KIND_TABLET:
		snprintf(buf, len, "%s, tool 0x%x", tt_tablet_event_name(r->u.tablet.event),
			 r->u.tablet.tool);
		break;
	case TT_KIND_FOCUS:
		snprintf(buf, len, "%s%s pid %" PRIu32 " via %s",
			 r->u.focus.flags & TT_FOCUS_EXCLUDED ? "(excluded) " : "",
			 recfmt_string(rd, r->u.focus.exe, s1, sizeof(s1)), r->u.focus.pid,
			 recfmt_string(rd, r->u.focus.backend, s2, sizeof(s2)));
		break;
	case TT_KIND_SESSION:
		snprintf(buf, len, "%s", r->u.session.end ? "end" : "start");
		break;
	case TT_KIND_DEVICE: {
		struct tt_device_info d;
		snprintf(buf, len, "%s %s", r->u.device.removed ? "removed" : "added",
			 device_name(rd, r->device, &d));
		break;
	}
	case TT_KIND_GAP:
		snprintf(buf, len, "%s%s", tt_gap_reason_name(r->u.gap.reason),
			 r->u.gap.lost ? ", events lost" : "");
		break;
	default:
		break;
	}
	/* what it was done on: "left on 'Save' push button" */
	if (r->element) {
		char el[TT_ELEMENT_STR_MAX], d[TT_ELEMENT_STR_MAX + 8];
		size_t at = strlen(buf);

		tt_element_describe(recfmt_string(rd, r->element, el, sizeof(el)), d, sizeof(d));
		if (d[0] && at + 1 < len)
			snprintf(buf + at, len - at, "%son %s", at ? " " : "", d);
	}
}

static void
add_str(struct json_object *o, const char *key, const char *val)
{
	json_object_object_add(o, key, json_object_new_string(val));
}

static void
add_int(struct json_object *o, const char *key, int64_t v)
{
	json_object_object_add(o, key, json_object_new_int64(v));
}

struct json_object *
recfmt_json(struct tt_reader *rd, const struct tt_record *r)
{
	struct json_object *o = json_object_new_object();
	char t[40], s[1024];

	add_str(o, "time", tt_time_format_utc(r->time_ns, t, sizeof(t)));
	add_int(o, "time_ns", (int64_t)r->time_ns);
	add_int(o, "dur_ns", (int64_t)r->dur_ns);
	add_int(o, "seq", (int64_t)r->seq);
	add_str(o, "kind", tt_kind_name(r->kind));
	if (r->uid != TT_UID_NONE) {
		add_int(o, "uid", r->uid);
		add_str(o, "user", recfmt_user(rd, r->uid, r->session));
	}
	if (r->session)
		add_int(o, "session", r->session);
	if (r->device)
		add_int(o, "device", r->device);
	if (r->app)
		add_str(o, "app", recfmt_string(rd, r->app, s, sizeof(s)));
	if (r->title)
		add_str(o, "title", recfmt_string(rd, r->title, s, sizeof(s)));
	if (r->element)
		add_str(o, "element", recfmt_string(rd, r->element, s, sizeof(s)));

	switch (r->kind) {
	case TT_KIND_TYPING: {
		struct json_object *c;

		if (tt_record_burst_hidden(r)) {
			json_object_object_add(o, "hidden", json_object_new_boolean(1));
			break;
		}
		/* a short burst: fewer than "under" keys, and nothing more */
		if (r->u.typing.under) {
			add_int(o, "under", r->u.typing.under);
			break;
		}
		c = json_object_new_object();
		for (unsigned i = 0; i < TT_CLASS_COUNT; i++)
			add_int(c, tt_key_class_name(i), r->u.typing.count[i]);
		json_object_object_add(o, "counts", c);
		if (r->u.typing.round > 1)
			add_int(o, "rounded_to", r->u.typing.round);
		add_str(o, "ended_by", tt_burst_end_name(r->u.typing.end));
		break;
	}
	case TT_KIND_KEY:
		add_str(o, "name", recfmt_string(rd, r->u.key.name, s, sizeof(s)));
		add_int(o, "code", r->u.key.code);
		add_int(o, "mods", r->u.key.mods);
		break;
	case TT_KIND_BUTTON:
		add_int(o, "button", r->u.button.button);
		add_int(o, "clicks", r->u.button.clicks);
		add_int(o, "mods", r->u.button.mods);
		break;
	case TT_KIND_SCROLL:
		add_str(o, "axis", r->u.scroll.axis ? "horizontal" : "vertical");
		add_int(o, "v120", r->u.scroll.v120);
		add_int(o, "events", r->u.scroll.events);
		add_str(o, "source", tt_scroll_source_name(r->u.scroll.source));
		break;
	case TT_KIND_MOTION:
		add_int(o, "distance", r->u.motion.distance);
		add_int(o, "events", r->u.motion.events);
		break;
	case TT_KIND_TOUCH:
		add_int(o, "distance", r->u.touch.distance);
		add_int(o, "events", r->u.touch.events);
		add_int(o, "fingers", r->u.touch.fingers);
		break;
	case TT_KIND_GESTURE:
		add_str(o, "type", tt_gesture_type_name(r->u.gesture.type));
		add_int(o, "fingers", r->u.gesture.fingers);
		add_int(o, "scale", r->u.gesture.scale);
		json_object_object_add(o, "cancelled",
				       json_object_new_boolean(r->u.gesture.cancelled));
		break;
	case TT_KIND_TABLET:
		add_str(o, "event", tt_tablet_event_name(r->u.tablet.event));
		add_int(o, "tool", r->u.tablet.tool);
		add_int(o, "distance", r->u.tablet.distance);
		break;
	case TT_KIND_FOCUS:
		add_str(o, "exe", recfmt_string(rd, r->u.focus.exe, s, sizeof(s)));
		add_str(o, "backend", recfmt_string(rd, r->u.focus.backend, s, sizeof(s)));
		add_int(o, "pid", r->u.focus.pid);
		json_object_object_add(o, "excluded",
				       json_object_new_boolean(r->u.focus.flags & TT_FOCUS_EXCLUDED));
		break;
	case TT_KIND_SESSION:
		add_str(o, "event", r->u.session.end ? "end" : "start");
		break;
	case TT_KIND_DEVICE:
		add_str(o, "event", r->u.device.removed ? "removed" : "added");
		break;
	case TT_KIND_GAP:
		add_str(o, "reason", tt_gap_reason_name(r->u.gap.reason));
		add_int(o, "lost", r->u.gap.lost);
		break;
	default:
		break;
	}
	return o;
}

void
recfmt_csv_field(FILE *f, const char *raw)
{
	char s[4096];

	/* controls and bidi marks escaped as in the table (a CSV read on a
	 * terminal is a terminal too); then RFC 4180 quoting */
	recfmt_escape(s, sizeof(s), raw, RECFMT_ESC_TEXT);
	if (!strpbrk(s, ",\"\r\n")) {
		fputs(s, f);
		return;
	}
	fputc('"', f);
	for (const char *p = s; *p; p++) {
		if (*p == '"')
			fputc('"', f);
		fputc(*p, f);
	}
	fputc('"', f);
}

/* --- records as `tasktrace query` prints them -------------------------------- */

static void
print_table_row(struct tt_reader *rd, const struct tt_record *r)
{
	char t[40], app[256], detail[768], dur[32] = "";
	char e_user[256], e_app[1024], e_detail[3072];

	if (r->dur_ns)
		snprintf(dur, sizeof(dur), "%.3fs", r->dur_ns / 1e9);
	recfmt_detail(rd, r, detail, sizeof(detail));
	/* every string here may be a peer's: escaped for the terminal */
	printf("%s  %-7s %8s  %-10s %-20s %s\n", tt_time_format_utc(r->time_ns, t, sizeof(t)),
	       tt_kind_name(r->kind), dur,
	       recfmt_term(recfmt_user(rd, r->uid, r->session), e_user, sizeof(e_user)),
	       recfmt_term(recfmt_string(rd, r->app, app, sizeof(app)), e_app, sizeof(e_app)),
	       recfmt_term(detail, e_detail, sizeof(e_detail)));
}

static void
print_csv_row(struct tt_reader *rd, const struct tt_record *r)
{
	char t[40], buf[1024];

	printf("%s,%s,%.3f,", tt_time_format_utc(r->time_ns, t, sizeof(t)),
	       tt_kind_name(r->kind), r->dur_ns / 1e6);
	recfmt_csv_field(stdout, recfmt_user(rd, r->uid, r->session));
	putchar(',');
	recfmt_csv_field(stdout, recfmt_string(rd, r->app, buf, sizeof(buf)));
	putchar(',');
	recfmt_csv_field(stdout, recfmt_string(rd, r->title, buf, sizeof(buf)));
	putchar(',');
	recfmt_detail(rd, r, buf, sizeof(buf));
	recfmt_csv_field(stdout, buf);
	fputs("\r\n", stdout);
}

void
recfmt_print_csv_header(void)
{
	fputs("time,kind,dur_ms,user,app,title,detail\r\n", stdout);
}

void
recfmt_print(struct tt_reader *rd, const struct tt_record *r, enum recfmt_format fmt)
{
	struct json_object *o;

	switch (fmt) {
	case RECFMT_TABLE:
		print_table_row(rd, r);
		break;
	case RECFMT_CSV:
		print_csv_row(rd, r);
		break;
	case RECFMT_JSONL:
		o = recfmt_json(rd, r);
		recfmt_put_json(o);
		json_object_put(o);
		break;
	}
}
