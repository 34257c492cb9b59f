/* SPDX-License-Identifier: MIT */
/*
 * The interpreter's script runner: parses a tests/interp script, feeds its
 * events to a real interpreter with virtual time (delivering the timeouts
 * the interpreter asks for, as the daemon's timerfd does), and formats
 * the records it emits. The language is described in tests/interp/README.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <libevdev/libevdev.h>
#include <linux/input-event-codes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "element-policy.h"
#include "interp-script.h"
#include "interp.h"
#include "keymap-xkb.h"
#include "tasktrace/config.h"
#include "tasktrace/element.h"

struct runner {
	struct script_run *run;
	struct interp *it;
	struct interp_config cfg;
	struct interp_keymap km;
	uint64_t now;
	uint64_t deadline;
	uint32_t device;
	uint64_t next_seq;
	uint64_t last_time;
	bool show_ctx;
	bool noflush;
	int lineno;
	/* elements: the policy's configuration ("config" lines) and the
	 * window in focus, as the tracer's collector connection has them */
	char *cfg_text;
	size_t cfg_len;
	uint64_t window;
	uint64_t next_window;
};

static void
run_error(struct script_run *run, int lineno, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	if (run->error)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (asprintf(&run->error, "line %d: %s", lineno, msg) < 0)
		run->error = NULL;
}

static void
push_line(char ***lines, size_t *n, const char *s)
{
	*lines = realloc(*lines, (*n + 1) * sizeof(**lines));
	(*lines)[(*n)++] = strdup(s);
}

static uint32_t
intern(void *data, const char *str, size_t len)
{
	struct script_run *run = data;

	for (size_t i = 0; i < run->nstrings; i++)
		if (strlen(run->strings[i]) == len &&
		    memcmp(run->strings[i], str, len) == 0)
			return (uint32_t)i + 1;
	if (run->nstrings == sizeof(run->strings) / sizeof(run->strings[0]))
		return 0;
	run->strings[run->nstrings] = strndup(str, len);
	return (uint32_t)++run->nstrings;
}

static const char *
string(const struct script_run *run, uint32_t id)
{
	return id && id <= run->nstrings ? run->strings[id - 1] : "?";
}

/* --- formatting records ---------------------------------------------------- */

static void
fmt_ms(char *buf, size_t cap, uint64_t ns)
{
	if (ns % 1000000 == 0)
		snprintf(buf, cap, "%" PRIu64, ns / 1000000);
	else
		snprintf(buf, cap, "%.3f", (double)ns / 1e6);
}

static void
fmt_mods(char *buf, size_t cap, uint8_t mods)
{
	static const char *names[] = { "shift", "ctrl", "alt", "super", "altgr" };
	size_t len = 0;

	buf[0] = '\0';
	for (unsigned i = 0; i < 5; i++)
		if (mods & (1u << i))
			len += (size_t)snprintf(buf + len, cap - len, "%s%s",
						len ? "," : "", names[i]);
}

static const char *
button_name(uint16_t b)
{
	switch (b) {
	case BTN_LEFT: return "left";
	case BTN_RIGHT: return "right";
	case BTN_MIDDLE: return "middle";
	case BTN_SIDE: return "side";
	case BTN_EXTRA: return "extra";
	default: return NULL;
	}
}

static void
format(struct runner *r, const struct tt_record *rec, char *out, size_t cap)
{
	struct script_run *run = r->run;
	char t[32], d[32], m[64];
	size_t len;

#define ADD(...) (len += (size_t)snprintf(out + len, len < cap ? cap - len : 0, __VA_ARGS__))
	fmt_ms(t, sizeof(t), rec->time_ns);
	fmt_ms(d, sizeof(d), rec->dur_ns);
	len = 0;
	ADD("%s %s", t, tt_kind_name(rec->kind));
	switch (rec->kind) {
	case TT_KIND_TYPING:
		ADD(" dur=%s", d);
		if (rec->u.typing.under)
			ADD(" under=%u", rec->u.typing.under);
		for (unsigned c = 0; c < TT_CLASS_COUNT; c++)
			if (rec->u.typing.count[c])
				ADD(" %s=%" PRIu32, tt_key_class_name(c),
				    rec->u.typing.count[c]);
		ADD(" end=%s", tt_burst_end_name(rec->u.typing.end));
		break;
	case TT_KIND_KEY:
		fmt_mods(m, sizeof(m), rec->u.key.mods);
		ADD(" %s", string(run, rec->u.key.name));
		if (rec->u.key.mods)
			ADD(" mods=%s", m);
		break;
	case TT_KIND_BUTTON:
		if (button_name(rec->u.button.button))
			ADD(" %s", button_name(rec->u.button.button));
		else
			ADD(" %u", rec->u.button.button);
		ADD(" dur=%s clicks=%u", d, rec->u.button.clicks);
		if (rec->u.button.mods) {
			fmt_mods(m, sizeof(m), rec->u.button.mods);
			ADD(" mods=%s", m);
		}
		break;
	case TT_KIND_SCROLL:
		ADD(" %s %+d events=%" PRIu32 " %s dur=%s",
		    rec->u.scroll.axis ? "h" : "v", rec->u.scroll.v120,
		    rec->u.scroll.events, tt_scroll_source_name(rec->u.scroll.source), d);
		break;
	case TT_KIND_MOTION:
		ADD(" dist=%g events=%" PRIu32 " dur=%s",
		    rec->u.motion.distance / 8.0, rec->u.motion.events, d);
		break;
	case TT_KIND_TOUCH:
		ADD(" fingers=%u dist=%g events=%" PRIu32 " dur=%s",
		    rec->u.touch.fingers, rec->u.touch.distance / 8.0,
		    rec->u.touch.events, d);
		break;
	case TT_KIND_GESTURE:
		ADD(" %s fingers=%u", tt_gesture_type_name(rec->u.gesture.type),
		    rec->u.gesture.fingers);
		if (rec->u.gesture.type == TT_GESTURE_PINCH)
			ADD(" scale=%d", rec->u.gesture.scale);
		ADD(" dur=%s%s", d, rec->u.gesture.cancelled ? " cancelled" : "");
		break;
	case TT_KIND_TABLET: {
		const char *n = libevdev_event_code_get_name(EV_KEY, rec->u.tablet.tool);

		ADD(" %s tool=%s", tt_tablet_event_name(rec->u.tablet.event),
		    n ? n : "?");
		if (rec->u.tablet.event == TT_TABLET_TIP)
			ADD(" dist=%g", rec->u.tablet.distance / 8.0);
		ADD(" dur=%s", d);
		break;
	}
	case TT_KIND_FOCUS:
		ADD(" %s", string(run, rec->app));
		if (rec->title)
			ADD(" title=%s", string(run, rec->title));
		if (rec->u.focus.flags & TT_FOCUS_EXCLUDED)
			ADD(" excluded");
		if (rec->u.focus.flags & TT_FOCUS_TITLE_ONLY)
			ADD(" title-only");
		break;
	case TT_KIND_SESSION:
		ADD(" %s", rec->u.session.end ? "end" : "start");
		break;
	case TT_KIND_DEVICE:
		ADD(" %s", rec->u.device.removed ? "removed" : "added");
		break;
	case TT_KIND_GAP:
		ADD(" %s lost=%" PRIu32, tt_gap_reason_name(rec->u.gap.reason),
		    rec->u.gap.lost);
		break;
	default:
		break;
	}
	if (rec->kind != TT_KIND_FOCUS && rec->app)
		ADD(" app=%s", string(run, rec->app));
	if (rec->element) {
		/* el="role\tname\turl": a TAB, a quote, a backslash and any
		 * byte outside printable ASCII escaped, so a test sees that
		 * nothing else is there */
		ADD(" el=\"");
		for (const unsigned char *p = (const unsigned char *)string(run, rec->element);
		     *p; p++) {
			if (*p == '\t')
				ADD("\\t");
			else if (*p == '"' || *p == '\\')
				ADD("\\%c", *p);
			else if (*p < 0x20 || *p >= 0x7f)
				ADD("\\x%02x", *p);
			else
				ADD("%c", *p);
		}
		ADD("\"");
	}
	if (tt_record_burst_hidden(rec))
		ADD(" hidden");
	if (r->show_ctx) {
		ADD(" [s=%" PRIu32 " u=%" PRId64 " d=%" PRIu32 "]", rec->session,
		    rec->uid == TT_UID_NONE ? -1 : (int64_t)rec->uid, rec->device);
	}
#undef ADD
}

static void
emit(void *data, const struct tt_record *rec)
{
	struct runner *r = data;
	struct script_run *run = r->run;
	char line[4096];

	if (rec->seq != r->next_seq)
		run_error(run, r->lineno, "seq %" PRIu64 " after %" PRIu64,
			  rec->seq, r->next_seq - 1);
	if (run->nrecs && rec->time_ns < r->last_time)
		run_error(run, r->lineno, "record out of time order");
	if (!tt_record_valid(rec))
		run_error(run, r->lineno, "record not valid");
	r->next_seq = rec->seq + 1;
	r->last_time = rec->time_ns;
	run->recs = realloc(run->recs, (run->nrecs + 1) * sizeof(*run->recs));
	run->recs[run->nrecs++] = *rec;
	format(r, rec, line, sizeof(line));
	push_line(&run->got, &run->ngot, line);
}

static uint32_t
intern_cb(void *data, const char *str, size_t len)
{
	struct runner *r = data;

	return intern(r->run, str, len);
}

/* --- feeding events -------------------------------------------------------- */

static void
feed(struct runner *r, struct interp_event *ev)
{
	ev->usec = r->now;
	if (ev->type != INTERP_EV_FOCUS && ev->type != INTERP_EV_SESSION &&
	    ev->device == 0)
		ev->device = r->device;
	r->deadline = interp_process(r->it, ev, 1);
}

/* Advance virtual time, delivering every deadline on the way. */
static void
advance(struct runner *r, uint64_t usec)
{
	uint64_t target = r->now + usec;

	while (r->deadline != INTERP_NEVER && r->deadline <= target) {
		struct interp_event ev = { .type = INTERP_EV_TIMEOUT };

		if (r->deadline > r->now)
			r->now = r->deadline;
		ev.usec = r->now;
		r->deadline = interp_process(r->it, &ev, 1);
	}
	r->now = target;
}

static bool
parse_duration(const char *s, uint64_t *usec)
{
	char *end;
	double v = strtod(s, &end);

	if (end == s || v < 0)
		return false;
	if (strcmp(end, "us") == 0)
		*usec = (uint64_t)v;
	else if (strcmp(end, "ms") == 0)
		*usec = (uint64_t)(v * 1e3 + 0.5);
	else if (strcmp(end, "s") == 0)
		*usec = (uint64_t)(v * 1e6 + 0.5);
	else if (strcmp(end, "min") == 0)
		*usec = (uint64_t)(v * 60e6 + 0.5);
	else
		return false;
	return true;
}

static int
code_from_name(const char *prefix, const char *name)
{
	char buf[64];
	size_t n = strlen(prefix);

	if (n + strlen(name) >= sizeof(buf))
		return -1;
	memcpy(buf, prefix, n);
	for (const char *p = name; *p; p++)
		buf[n++] = (char)toupper((unsigned char)*p);
	buf[n] = '\0';
	return libevdev_event_code_from_name(EV_KEY, buf);
}

/* The key that types @c, on a US keyboard; *shift when it needs Shift. */
static int
code_for_char(char c, bool *shift)
{
	static const char *const plain = "`1234567890-=qwertyuiop[]\\asdfghjkl;'zxcvbnm,./ ";
	static const char *const shifted = "~!@#$%^&*()_+QWERTYUIOP{}|ASDFGHJKL:\"ZXCVBNM<>?";
	static const uint16_t codes[] = {
		KEY_GRAVE, KEY_1, KEY_2, KEY_3, KEY_4, KEY_5, KEY_6, KEY_7, KEY_8,
		KEY_9, KEY_0, KEY_MINUS, KEY_EQUAL, KEY_Q, KEY_W, KEY_E, KEY_R,
		KEY_T, KEY_Y, KEY_U, KEY_I, KEY_O, KEY_P, KEY_LEFTBRACE,
		KEY_RIGHTBRACE, KEY_BACKSLASH, KEY_A, KEY_S, KEY_D, KEY_F, KEY_G,
		KEY_H, KEY_J, KEY_K, KEY_L, KEY_SEMICOLON, KEY_APOSTROPHE, KEY_Z,
		KEY_X, KEY_C, KEY_V, KEY_B, KEY_N, KEY_M, KEY_COMMA, KEY_DOT,
		KEY_SLASH, KEY_SPACE,
	};
	const char *p;

	if ((p = strchr(plain, c)) && c) {
		*shift = false;
		return codes[p - plain];
	}
	if ((p = strchr(shifted, c)) && c) {
		*shift = true;
		return codes[p - shifted];
	}
	return -1;
}

static void
key(struct runner *r, int code, uint8_t state)
{
	struct interp_event ev = { .type = INTERP_EV_KEY };

	ev.u.key.code = (uint16_t)code;
	ev.u.key.state = state;
	feed(r, &ev);
}

/* `type [INTERVAL] TEXT`: press each character INTERVAL apart (100 ms),
 * releasing it halfway. Remembers each press time for privacy checks. */
static bool
type_text(struct runner *r, char *args)
{
	struct script_run *run = r->run;
	uint64_t interval = 100000;
	char *text = args;
	char *sp = strchr(args, ' ');

	if (sp) {
		*sp = '\0';
		if (parse_duration(args, &interval))
			text = sp + 1;
		else
			*sp = ' ';
	}
	for (const char *p = text; *p; p++) {
		bool shift;
		int code = code_for_char(*p, &shift);

		if (code < 0)
			return false;
		if (shift)
			key(r, KEY_LEFTSHIFT, 1);
		key(r, code, 1);
		run->key_usec = realloc(run->key_usec, (run->nkeys + 1) * sizeof(uint64_t));
		run->key_codes = realloc(run->key_codes, (run->nkeys + 1) * sizeof(uint16_t));
		run->key_last = realloc(run->key_last, (run->nkeys + 1) * sizeof(bool));
		run->key_usec[run->nkeys] = r->now;
		run->key_last[run->nkeys] = p[1] == '\0';
		run->key_codes[run->nkeys++] = (uint16_t)code;
		advance(r, interval / 2);
		key(r, code, 0);
		if (shift)
			key(r, KEY_LEFTSHIFT, 0);
		advance(r, interval - interval / 2);
	}
	return true;
}

static int
split(char *line, char **argv, int max)
{
	int n = 0;

	for (char *tok = strtok(line, " \t"); tok && n < max; tok = strtok(NULL, " \t"))
		argv[n++] = tok;
	return n;
}

static uint8_t
on_off(const char *s, bool *ok)
{
	if (strcmp(s, "down") == 0 || strcmp(s, "in") == 0)
		return 1;
	if (strcmp(s, "up") == 0 || strcmp(s, "out") == 0)
		return 0;
	*ok = false;
	return 0;
}

static bool
setting(struct runner *r, int argc, char **argv)
{
	static const struct {
		const char *name;
		size_t off;
	} knobs[] = {
		{ "pause", offsetof(struct interp_config, typing_pause_usec) },
		{ "maxlen", offsetof(struct interp_config, typing_max_usec) },
		{ "dclick", offsetof(struct interp_config, double_click_usec) },
		{ "scroll-pause", offsetof(struct interp_config, scroll_pause_usec) },
		{ "motion-pause", offsetof(struct interp_config, motion_pause_usec) },
		{ "aggregate-max", offsetof(struct interp_config, aggregate_max_usec) },
		{ "idle", offsetof(struct interp_config, idle_usec) },
	};
	uint64_t v;
	char *end;

	if (argc == 3 && (strcmp(argv[1], "min-burst") == 0 ||
			  strcmp(argv[1], "round") == 0)) {
		unsigned long n = strtoul(argv[2], &end, 10);

		if (*end || end == argv[2] || n > UINT32_MAX)
			return false;
		if (argv[1][0] == 'm')
			r->cfg.min_burst_keys = (uint32_t)n;
		else
			r->cfg.count_round = (uint32_t)n;
		interp_set_config(r->it, &r->cfg);
		return true;
	}
	if (argc != 3 || !parse_duration(argv[2], &v))
		return false;
	for (size_t i = 0; i < sizeof(knobs) / sizeof(knobs[0]); i++) {
		if (strcmp(argv[1], knobs[i].name) == 0) {
			memcpy((char *)&r->cfg + knobs[i].off, &v, sizeof(v));
			interp_set_config(r->it, &r->cfg);
			return true;
		}
	}
	return false;
}

/*
 * One value of an element line: a word, or a "quoted string" with \t,
 * \n, \\, \" and \xNN escapes. Advances *p past it and the blanks after.
 */
static bool
element_value(const char **p, char *out, size_t cap)
{
	const char *s = *p;
	size_t n = 0;

	if (*s != '"') {
		while (*s && *s != ' ' && n + 1 < cap)
			out[n++] = *s++;
	} else {
		for (s++; *s && *s != '"' && n + 1 < cap; s++) {
			if (*s != '\\') {
				out[n++] = *s;
				continue;
			}
			s++;
			if (*s == 't')
				out[n++] = '\t';
			else if (*s == 'n')
				out[n++] = '\n';
			else if (*s == 'x' && isxdigit((unsigned char)s[1]) &&
				 isxdigit((unsigned char)s[2])) {
				char hex[3] = { s[1], s[2], 0 };

				out[n++] = (char)strtol(hex, NULL, 16);
				s += 2;
			} else if (*s)
				out[n++] = *s;
			else
				return false;
		}
		if (*s != '"')
			return false;
		s++;
	}
	out[n] = '\0';
	while (*s == ' ')
		s++;
	*p = s;
	return true;
}

/* The [elements]/[privacy] configuration of the script's "config" lines. */
static bool
element_config(struct runner *r, struct tt_config *cfg)
{
	int rc = tt_config_load_buffer(cfg, "script", r->cfg_text ? r->cfg_text : "",
				       r->cfg_len, NULL, NULL);

	if (rc != 0) {
		run_error(r->run, r->lineno, "config lines do not load (%d)", rc);
		return false;
	}
	return true;
}

/*
 * "element ROLE [name=V] [url=V] [app=V] [flags=N] [window=N] [repeat=N]":
 * a collector's ELEMENT report, through the tracer's own window binding
 * and privacy policy (element-policy.c), into the interpreter. ROLE "-"
 * is the empty role (no element now). repeat=N builds a name of N copies
 * of name= (for caps). Values as element_value() reads them.
 */
static bool
element_line(struct runner *r, const char *p)
{
	struct tt_focus_msg m;
	struct tt_config cfg;
	struct interp_event ev = { .type = INTERP_EV_ELEMENT };
	char v[2048], big[8192] = "", str[TT_ELEMENT_STR_MAX];
	unsigned repeat = 0;
	bool secret;
	size_t n;

	tt_focus_msg_init(&m, TT_FOCUS_ELEMENT);
	while (*p == ' ')
		p++;
	if (!element_value(&p, v, sizeof(v)))
		return false;
	tt_focus_msg_set_string(&m, TT_FOCUS_TAG_ROLE, strcmp(v, "-") ? v : "",
				strcmp(v, "-") ? strlen(v) : 0);
	while (*p) {
		const char *eq = strchr(p, '=');
		char key[16];

		if (!eq || (size_t)(eq - p) >= sizeof(key))
			return false;
		memcpy(key, p, (size_t)(eq - p));
		key[eq - p] = '\0';
		p = eq + 1;
		if (!element_value(&p, v, sizeof(v)))
			return false;
		if (strcmp(key, "name") == 0)
			snprintf(big, sizeof(big), "%s", v);
		else if (strcmp(key, "url") == 0)
			tt_focus_msg_set_string(&m, TT_FOCUS_TAG_URL, v, strlen(v));
		else if (strcmp(key, "app") == 0)
			tt_focus_msg_set_string(&m, TT_FOCUS_TAG_APP_ID, v, strlen(v));
		else if (strcmp(key, "flags") == 0)
			tt_focus_msg_set_int(&m, TT_FOCUS_TAG_ELEMENT_FLAGS, strtoul(v, NULL, 0));
		else if (strcmp(key, "window") == 0)
			tt_focus_msg_set_int(&m, TT_FOCUS_TAG_WINDOW_ID, strtoull(v, NULL, 0));
		else if (strcmp(key, "repeat") == 0)
			repeat = (unsigned)strtoul(v, NULL, 10);
		else
			return false;
	}
	if (repeat > 1) {
		size_t one = strlen(big), len = one;

		for (unsigned i = 1; i < repeat && len + one < sizeof(big); i++, len += one)
			memcpy(big + len, big, one);
		big[len] = '\0';
	}
	if (big[0])
		tt_focus_msg_set_string(&m, TT_FOCUS_TAG_NAME, big, strlen(big));
	/* the wire: what the collector sent is what the parser gives */
	{
		uint8_t wire[TT_FOCUS_MSG_MAX];
		int len = tt_focus_encode(&m, wire, sizeof(wire));

		if (len < 0 || tt_focus_parse(wire, (size_t)len, &m) != 0)
			return false;
	}
	if (!element_bound(&m, r->window != 0, r->window))
		return true;	/* the tracer drops it */
	if (!element_config(r, &cfg)) {
		tt_config_free(&cfg);
		return false;
	}
	n = element_policy(&cfg, &m, str, sizeof(str), &secret);
	tt_config_free(&cfg);
	ev.u.element.element = n ? intern(r->run, str, n) : 0;
	ev.u.element.secret = secret;
	feed(r, &ev);
	return true;
}

static bool
event_line(struct runner *r, char *line)
{
	struct interp_event ev = { 0 };
	char copy[4096];
	char *argv[16];
	int argc;
	bool ok = true;
	uint64_t usec;
	int code;

	if (line[0] == '+')
		return parse_duration(line + 1, &usec) ? (advance(r, usec), true) : false;
	if (strncmp(line, "type ", 5) == 0)
		return type_text(r, line + 5);
	if (strncmp(line, "config ", 7) == 0) {
		/* "config SECTION KEY = VALUE": a line of tasktrace.conf */
		const char *sp = strchr(line + 7, ' ');
		char *add = NULL;
		int len;

		if (!sp)
			return false;
		len = asprintf(&add, "[%.*s]\n%s\n", (int)(sp - line - 7), line + 7, sp + 1);
		if (len < 0)
			return false;
		r->cfg_text = realloc(r->cfg_text, r->cfg_len + (size_t)len + 1);
		memcpy(r->cfg_text + r->cfg_len, add, (size_t)len + 1);
		r->cfg_len += (size_t)len;
		free(add);
		return true;
	}
	snprintf(copy, sizeof(copy), "%s", line);
	argc = split(copy, argv, 16);
	if (argc == 0)
		return false;

	if (strcmp(argv[0], "set") == 0)
		return setting(r, argc, argv);
	if (strcmp(argv[0], "element") == 0)
		return element_line(r, line + 7);
	if (strcmp(argv[0], "show") == 0 && argc == 2 && strcmp(argv[1], "ctx") == 0) {
		r->show_ctx = true;
		return true;
	}
	if (strcmp(argv[0], "layout") == 0 && argc >= 2) {
		struct keymap_names names = { 0 };

		snprintf(names.layout, sizeof(names.layout), "%s", argv[1]);
		if (argc >= 3)
			snprintf(names.variant, sizeof(names.variant), "%s", argv[2]);
		keymap_init_physical(&r->km);
		if (strcmp(argv[1], "physical") != 0 &&
		    keymap_xkb_apply(&r->km, &names) != 0)
			return false;
		interp_set_keymap(r->it, &r->km);
		return true;
	}
	if (strcmp(argv[0], "dev") == 0 && argc == 2) {
		r->device = (uint32_t)atoi(argv[1]);
		return true;
	}
	if (strcmp(argv[0], "noflush") == 0) {
		r->noflush = true;
		return true;
	}
	if (strcmp(argv[0], "flush") == 0) {
		interp_flush(r->it, r->now);
		return true;
	}
	if (strcmp(argv[0], "tap") == 0 && argc == 2) {
		if ((code = code_from_name("KEY_", argv[1])) < 0)
			return false;
		key(r, code, 1);
		key(r, code, 0);
		return true;
	}
	if (argc == 2 && (code = code_from_name("KEY_", argv[0])) >= 0) {
		if (strcmp(argv[1], "repeat") == 0)
			key(r, code, 2);
		else
			key(r, code, on_off(argv[1], &ok));
		return ok;
	}
	if (strcmp(argv[0], "btn") == 0 && argc == 3) {
		if ((code = code_from_name("BTN_", argv[1])) < 0)
			return false;
		ev.type = INTERP_EV_BUTTON;
		ev.u.button.button = (uint16_t)code;
		ev.u.button.pressed = on_off(argv[2], &ok);
	} else if (strcmp(argv[0], "scroll") == 0 && argc == 4) {
		ev.type = INTERP_EV_AXIS;
		ev.u.axis.axis = strcmp(argv[1], "h") == 0;
		ev.u.axis.v120 = atoi(argv[2]);
		ev.u.axis.source = 255;
		for (unsigned s = 0; s <= TT_SCROLL_SOURCE_MAX; s++)
			if (strcmp(argv[3], tt_scroll_source_name(s)) == 0)
				ev.u.axis.source = (uint8_t)s;
		ok = ev.u.axis.source != 255;
	} else if (strcmp(argv[0], "motion") == 0 && argc == 3) {
		ev.type = INTERP_EV_MOTION;
		ev.u.motion.dx = atof(argv[1]);
		ev.u.motion.dy = atof(argv[2]);
	} else if (strcmp(argv[0], "touch") == 0 && argc >= 2) {
		if (strcmp(argv[1], "cancel") == 0) {
			ev.type = INTERP_EV_TOUCH_CANCEL;
		} else if (argc >= 3) {
			ev.type = strcmp(argv[1], "down") == 0 ? INTERP_EV_TOUCH_DOWN :
				  strcmp(argv[1], "motion") == 0 ? INTERP_EV_TOUCH_MOTION :
				  INTERP_EV_TOUCH_UP;
			ev.u.touch.slot = atoi(argv[2]);
			if (argc == 5) {
				ev.u.touch.x = atof(argv[3]);
				ev.u.touch.y = atof(argv[4]);
			}
		} else {
			ok = false;
		}
	} else if (strcmp(argv[0], "gesture") == 0 && argc >= 2) {
		if (strcmp(argv[1], "begin") == 0 && argc == 4) {
			ev.type = INTERP_EV_GESTURE_BEGIN;
			ev.u.gesture.type = strcmp(argv[2], "swipe") == 0 ? TT_GESTURE_SWIPE :
					    strcmp(argv[2], "pinch") == 0 ? TT_GESTURE_PINCH :
					    TT_GESTURE_HOLD;
			ev.u.gesture.fingers = (uint8_t)atoi(argv[3]);
		} else if (strcmp(argv[1], "update") == 0 && argc == 3) {
			ev.type = INTERP_EV_GESTURE_UPDATE;
			ev.u.gesture.scale = atof(argv[2]);
		} else if (strcmp(argv[1], "end") == 0) {
			ev.type = INTERP_EV_GESTURE_END;
			ev.u.gesture.cancelled = argc == 3 && strcmp(argv[2], "cancelled") == 0;
		} else {
			ok = false;
		}
	} else if (strcmp(argv[0], "tablet") == 0 && argc >= 3) {
		if (strcmp(argv[1], "prox") == 0) {
			ev.type = INTERP_EV_TABLET_PROXIMITY;
			ev.u.tablet.state = on_off(argv[2], &ok);
			if (argc == 4 && (code = code_from_name("BTN_TOOL_", argv[3])) >= 0)
				ev.u.tablet.tool = (uint16_t)code;
		} else if (strcmp(argv[1], "tip") == 0) {
			ev.type = INTERP_EV_TABLET_TIP;
			ev.u.tablet.state = on_off(argv[2], &ok);
			if (argc == 5) {
				ev.u.tablet.x = atof(argv[3]);
				ev.u.tablet.y = atof(argv[4]);
			}
		} else if (strcmp(argv[1], "motion") == 0 && argc == 4) {
			ev.type = INTERP_EV_TABLET_MOTION;
			ev.u.tablet.x = atof(argv[2]);
			ev.u.tablet.y = atof(argv[3]);
		} else if (strcmp(argv[1], "button") == 0 && argc == 4) {
			ev.type = INTERP_EV_TABLET_BUTTON;
			if ((code = code_from_name("BTN_", argv[2])) < 0)
				return false;
			ev.u.tablet.tool = (uint16_t)code;
			ev.u.tablet.state = on_off(argv[3], &ok);
		} else {
			ok = false;
		}
	} else if (strcmp(argv[0], "focus") == 0 && argc >= 2) {
		uint64_t window = 0;

		ev.type = INTERP_EV_FOCUS;
		ev.u.focus.app = intern(r->run, argv[1], strlen(argv[1]));
		for (int i = 2; i < argc; i++) {
			if (strncmp(argv[i], "window=", 7) == 0)
				window = strtoull(argv[i] + 7, NULL, 0);
			else if (strncmp(argv[i], "title=", 6) == 0)
				ev.u.focus.title = intern(r->run, argv[i] + 6, strlen(argv[i] + 6));
			else if (strcmp(argv[i], "excluded") == 0)
				ev.u.focus.flags |= TT_FOCUS_EXCLUDED;
			else if (strcmp(argv[i], "title-only") == 0)
				ev.u.focus.flags |= TT_FOCUS_TITLE_ONLY;
			else
				ok = false;
		}
		/* each window its own id unless the script names one */
		if (!(ev.u.focus.flags & TT_FOCUS_TITLE_ONLY))
			r->window = window ? window : 1000 + ++r->next_window;
	} else if (strcmp(argv[0], "session") == 0 && argc == 4) {
		ev.type = INTERP_EV_SESSION;
		ev.u.session.session = (uint32_t)atoi(argv[1]);
		ev.u.session.uid = (uint32_t)atoi(argv[2]);
		ev.u.session.state = strcmp(argv[3], "active") == 0 ? INTERP_SESSION_ACTIVE :
				     strcmp(argv[3], "locked") == 0 ? INTERP_SESSION_LOCKED :
				     INTERP_SESSION_NONE;
	} else if (strcmp(argv[0], "device") == 0 && argc == 3) {
		ev.type = strcmp(argv[1], "add") == 0 ? INTERP_EV_DEVICE_ADDED :
			  INTERP_EV_DEVICE_REMOVED;
		ev.device = (uint32_t)atoi(argv[2]);
	} else if (strcmp(argv[0], "dropped") == 0 && argc == 2) {
		ev.type = INTERP_EV_SYN_DROPPED;
		ev.u.gap.lost = (uint32_t)atoi(argv[1]);
	} else {
		return false;
	}
	if (ok)
		feed(r, &ev);
	return ok;
}

static void
chomp(char *s)
{
	size_t n = strlen(s);

	while (n > 0 && isspace((unsigned char)s[n - 1]))
		s[--n] = '\0';
}

/* Does the final state still hold any key time the script typed? */
static bool
state_clean(const struct runner *r)
{
	const struct script_run *run = r->run;
	const unsigned char *p;
	const void *bytes;
	size_t len;

	interp_debug_state(r->it, &bytes, &len);
	p = bytes;
	for (size_t k = 0; k < run->nkeys; k++)
		for (size_t i = 0; !run->key_last[k] && i + sizeof(uint64_t) <= len; i++)
			if (memcmp(p + i, &run->key_usec[k], sizeof(uint64_t)) == 0)
				return false;
	return true;
}

bool
script_run_file(struct script_run *run, const char *path)
{
	struct interp_sink sink = { .emit = emit, .intern = intern_cb };
	struct runner r = { .run = run, .device = 1, .deadline = INTERP_NEVER };
	char line[4096];
	bool expected = false;
	FILE *f;

	memset(run, 0, sizeof(*run));
	f = fopen(path, "re");
	if (!f) {
		run_error(run, 0, "%s: %s", path, strerror(errno));
		return false;
	}
	interp_config_defaults(&r.cfg);
	keymap_init_physical(&r.km);
	sink.data = &r;
	if (interp_new(&r.it, &r.cfg, &r.km, &sink, 1) != 0) {
		fclose(f);
		run_error(run, 0, "interp_new failed");
		return false;
	}
	r.next_seq = 1;
	while (fgets(line, sizeof(line), f)) {
		r.lineno++;
		chomp(line);
		if (line[0] == '#')
			continue;
		if (!expected) {
			if (line[0] == '\0') {
				expected = true;
				if (!r.noflush)
					interp_flush(r.it, r.now);
				continue;
			}
			if (!event_line(&r, line))
				run_error(run, r.lineno, "cannot parse: %s", line);
		} else if (line[0] != '\0') {
			push_line(&run->want, &run->nwant, line);
		}
	}
	fclose(f);
	if (!expected && !r.noflush)
		interp_flush(r.it, r.now);
	run->state_clean = state_clean(&r);
	interp_destroy(r.it);
	free(r.cfg_text);
	return run->error == NULL;
}

char *
script_diff(const struct script_run *run)
{
	size_t n = run->ngot > run->nwant ? run->ngot : run->nwant;
	bool same = run->ngot == run->nwant;
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	for (size_t i = 0; same && i < n; i++)
		same = strcmp(run->got[i], run->want[i]) == 0;
	if (same)
		return NULL;
	f = open_memstream(&buf, &len);
	if (!f)
		return strdup("(no memory for the diff)");
	fprintf(f, "expected (-) versus got (+):\n");
	for (size_t i = 0; i < n; i++) {
		const char *w = i < run->nwant ? run->want[i] : NULL;
		const char *g = i < run->ngot ? run->got[i] : NULL;

		if (w && g && strcmp(w, g) == 0) {
			fprintf(f, "      %s\n", w);
			continue;
		}
		if (w)
			fprintf(f, "    - %s\n", w);
		if (g)
			fprintf(f, "    + %s\n", g);
	}
	fclose(f);
	return buf;
}

void
script_run_free(struct script_run *run)
{
	for (size_t i = 0; i < run->ngot; i++)
		free(run->got[i]);
	for (size_t i = 0; i < run->nwant; i++)
		free(run->want[i]);
	for (size_t i = 0; i < run->nstrings; i++)
		free(run->strings[i]);
	free(run->got);
	free(run->want);
	free(run->recs);
	free(run->key_usec);
	free(run->key_codes);
	free(run->key_last);
	free(run->error);
	memset(run, 0, sizeof(*run));
}
