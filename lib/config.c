/* SPDX-License-Identifier: MIT */
/*
 * The configuration file: semantics on top of libinih's syntax.
 *
 * See config.h for the file format and for why we drive inih through
 * ini_parse_stream() with our own line reader. In short, the reader
 * (read_line) owns line numbers and syntax checks inih cannot report
 * itself; the handler (handle_key) owns the meaning of each key.
 *
 * Tested in tests/unit/test-config.c; fuzzed by tests/fuzz/fuzz-config.c.
 */
#include <errno.h>
#include <fnmatch.h>
#include <ini.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "tasktrace/cases.h"
#include "tasktrace/config.h"

#define NS_PER_MS 1000000ULL
#define NS_PER_S 1000000000ULL
#define SUN_PATH_MAX 107	/* sizeof(sockaddr_un.sun_path) - 1 */

/* ------------------------------------------------------------------ */
/* The key table                                                        */

enum value_type {
	V_PATH,		/* absolute path */
	V_SOCKET,	/* absolute path that fits sun_path */
	V_STRING,	/* any non-empty text */
	V_SIZE,
	V_DURATION,
	V_UINT,
	V_BOOL,
	V_SEAT,
	V_SEAT_LIST,
	V_USER,
	V_USER_LIST,
	V_GLOB_LIST,
	V_REGEX,
	V_FORMATS,
	V_CASE,
	V_CHOICE,	/* one of the words of the key's range, "a|b|c": its index */
	V_CONNINFO,	/* a libpq connection string: text, no password */
};

enum section {
	S_STORE,
	S_INPUT,
	S_PRIVACY,
	S_SESSION,
	S_COLLECTOR,
	S_EXPORT,
	S_SHIP,
	S_ELEMENTS,
	S_COUNT,
};

static const char *const section_names[S_COUNT] = {
	"store", "input", "privacy", "session", "collector", "export", "ship",
	"elements",
};

struct key {
	enum section section;
	const char *name;
	enum value_type type;
	size_t offset;		/* into struct tt_config */
	bool repeatable;
	uint64_t min, max;	/* V_SIZE, V_DURATION, V_UINT */
	const char *range;	/* the range, as shown to a person */
};

#define OFF(member) offsetof(struct tt_config, member)

static const struct key keys[] = {
	{ S_STORE, "path", V_PATH, OFF(store.path), false, 0, 0, NULL },
	{ S_STORE, "map_size", V_SIZE, OFF(store.map_size), false,
	  1ULL << 20, 16ULL << 40, "1M to 16T" },
	{ S_STORE, "retention_days", V_UINT, OFF(store.retention_days), false,
	  0, 36500, "0 to 36500" },
	{ S_STORE, "commit_interval", V_DURATION, OFF(store.commit_interval_ns), false,
	  NS_PER_MS, NS_PER_S, "1ms to 1s" },

	{ S_INPUT, "seats", V_SEAT_LIST, OFF(input.seats), false, 0, 0, NULL },
	{ S_INPUT, "tapping", V_BOOL, OFF(input.tapping), false, 0, 0, NULL },
	{ S_INPUT, "keyboard_layout", V_STRING, OFF(input.keyboard_layout), false, 0, 0, NULL },
	{ S_INPUT, "keyboard_variant", V_STRING, OFF(input.keyboard_variant), false, 0, 0, NULL },
	{ S_INPUT, "keyboard_model", V_STRING, OFF(input.keyboard_model), false, 0, 0, NULL },
	{ S_INPUT, "keyboard_options", V_STRING, OFF(input.keyboard_options), false, 0, 0, NULL },
	{ S_INPUT, "typing_pause", V_DURATION, OFF(input.typing_pause_ns), false,
	  50 * NS_PER_MS, 60 * NS_PER_S, "50ms to 1m" },
	{ S_INPUT, "idle_threshold", V_DURATION, OFF(input.idle_threshold_ns), false,
	  NS_PER_S, 24 * 3600 * NS_PER_S, "1s to 24h" },
	{ S_INPUT, "double_click", V_DURATION, OFF(input.double_click_ns), false,
	  50 * NS_PER_MS, 5 * NS_PER_S, "50ms to 5s" },

	{ S_PRIVACY, "exclude_users", V_USER_LIST, OFF(privacy.exclude_users), true, 0, 0, NULL },
	{ S_PRIVACY, "deny_apps", V_GLOB_LIST, OFF(privacy.deny_apps), true, 0, 0, NULL },
	{ S_PRIVACY, "capture_titles", V_BOOL, OFF(privacy.capture_titles), false, 0, 0, NULL },
	{ S_PRIVACY, "redact", V_REGEX, 0, true, 0, 0, NULL },
	{ S_PRIVACY, "max_title", V_UINT, OFF(privacy.max_title), false,
	  1, 4096, "1 to 4096" },
	{ S_PRIVACY, "user_pause_max", V_DURATION, OFF(privacy.user_pause_max_ns), false,
	  0, 7 * 24 * 3600 * NS_PER_S, "0 (off) to 7d" },
	{ S_PRIVACY, "notice", V_STRING, OFF(privacy.notice), false, 0, 0, NULL },
	{ S_PRIVACY, "min_burst_keys", V_UINT, OFF(privacy.min_burst_keys), false,
	  8, 1000, "8 to 1000" },

	{ S_SESSION, "static_user", V_USER, OFF(session.static_user), false, 0, 0, NULL },
	{ S_SESSION, "static_seat", V_SEAT, OFF(session.static_seat), false, 0, 0, NULL },

	{ S_COLLECTOR, "socket", V_SOCKET, OFF(collector.socket), false, 0, 0, NULL },
	{ S_COLLECTOR, "rate_limit", V_UINT, OFF(collector.rate_limit), false,
	  1, 10000, "1 to 10000" },
	{ S_COLLECTOR, "string_budget", V_SIZE, OFF(collector.string_budget), false,
	  4ULL << 10, 1ULL << 30, "4K to 1G" },
	{ S_COLLECTOR, "string_budget_total", V_SIZE, OFF(collector.string_budget_total),
	  false, 4ULL << 10, 1ULL << 30, "4K to 1G" },

	{ S_EXPORT, "dir", V_PATH, OFF(export.dir), false, 0, 0, NULL },
	{ S_EXPORT, "keep", V_UINT, OFF(export.keep), false, 0, 100000, "0 to 100000" },
	{ S_EXPORT, "formats", V_FORMATS, OFF(export.formats), false, 0, 0, NULL },
	{ S_EXPORT, "secret", V_PATH, OFF(export.secret), false, 0, 0, NULL },
	{ S_EXPORT, "pseudonymize", V_BOOL, OFF(export.pseudonymize), false, 0, 0, NULL },
	{ S_EXPORT, "case", V_CASE, OFF(export.case_mode), false, 0, 0, NULL },
	{ S_EXPORT, "report", V_CHOICE, OFF(export.report), false, 0, 0,
	  "no|daily|weekly" },

	{ S_SHIP, "server", V_CONNINFO, OFF(ship.server), false, 0, 0, NULL },
	{ S_SHIP, "service", V_STRING, OFF(ship.service), false, 0, 0, NULL },
	{ S_SHIP, "ca", V_PATH, OFF(ship.ca), false, 0, 0, NULL },
	{ S_SHIP, "cert", V_PATH, OFF(ship.cert), false, 0, 0, NULL },
	{ S_SHIP, "key", V_PATH, OFF(ship.key), false, 0, 0, NULL },
	{ S_SHIP, "plaintext", V_BOOL, OFF(ship.plaintext), false, 0, 0, NULL },
	{ S_SHIP, "batch", V_UINT, OFF(ship.batch), false, 100, 1000000, "100 to 1000000" },
	{ S_SHIP, "budget", V_DURATION, OFF(ship.budget_ns), false,
	  NS_PER_S, 24 * 3600 * NS_PER_S, "1s to 24h" },
	{ S_SHIP, "lock_timeout", V_DURATION, OFF(ship.lock_timeout_ns), false,
	  NS_PER_S / 10, 3600 * NS_PER_S, "100ms to 1h" },
	{ S_SHIP, "statement_timeout", V_DURATION, OFF(ship.statement_timeout_ns), false,
	  NS_PER_S, 24 * 3600 * NS_PER_S, "1s to 24h" },
	{ S_SHIP, "users", V_CHOICE, OFF(ship.users), false, 0, 0, "keep|pseudonymize" },
	{ S_SHIP, "titles", V_CHOICE, OFF(ship.titles), false, 0, 0,
	  "keep|pseudonymize|drop" },
	{ S_SHIP, "state_dir", V_PATH, OFF(ship.state_dir), false, 0, 0, NULL },

	{ S_ELEMENTS, "capture", V_CHOICE, OFF(elements.capture), false, 0, 0,
	  "off|roles|names" },
	{ S_ELEMENTS, "links", V_CHOICE, OFF(elements.links), false, 0, 0, "role|names" },
	{ S_ELEMENTS, "unknown_text", V_CHOICE, OFF(elements.unknown_text), false, 0, 0,
	  "hidden|coarse" },
	{ S_ELEMENTS, "url_paths", V_GLOB_LIST, OFF(elements.url_paths), true, 0, 0, NULL },
};

#define NKEYS (sizeof(keys) / sizeof(keys[0]))

static const struct {
	const char *name;
	unsigned bit;
} format_names[] = {
	{ "csv", TT_EXPORT_CSV },
	{ "xes", TT_EXPORT_XES },
	{ "ocel", TT_EXPORT_OCEL },
	{ "jsonl", TT_EXPORT_JSONL },
};

static const char *const case_names[] = {
	[TT_CASE_USER_DAY] = "user-day",
	[TT_CASE_IDLE] = "idle",
	[TT_CASE_FOCUS] = "focus",
};

/* ------------------------------------------------------------------ */
/* Lists and lifetime                                                   */

static void
strv_free(char **v)
{
	if (!v)
		return;
	for (char **p = v; *p; p++)
		free(*p);
	free(v);
}

static size_t
strv_len(char *const *v)
{
	size_t n = 0;

	while (v && v[n])
		n++;
	return n;
}

/* An empty list, or NULL on ENOMEM. */
static char **
strv_new(void)
{
	return calloc(1, sizeof(char *));
}

/* Append a copy of [s, s+len) to *v. */
static int
strv_append(char ***v, const char *s, size_t len)
{
	size_t n = strv_len(*v);
	char **nv;
	char *copy;

	copy = strndup(s, len);
	if (!copy)
		return -ENOMEM;
	nv = realloc(*v, (n + 2) * sizeof(char *));
	if (!nv) {
		free(copy);
		return -ENOMEM;
	}
	nv[n] = copy;
	nv[n + 1] = NULL;
	*v = nv;
	return 0;
}

/* Split a comma list into a new array; items are trimmed. */
static int
strv_split(const char *s, char ***out)
{
	char **v = strv_new();
	int rc = -ENOMEM;

	if (!v)
		goto fail;
	if (*s == '\0')
		goto done;
	for (;;) {
		const char *end = strchr(s, ',');
		const char *e = end ? end : s + strlen(s);

		while (s < e && (*s == ' ' || *s == '\t'))
			s++;
		while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
			e--;
		rc = strv_append(&v, s, (size_t)(e - s));
		if (rc < 0)
			goto fail;
		if (!end)
			break;
		s = end + 1;
	}
done:
	*out = v;
	return 0;
fail:
	strv_free(v);
	return -ENOMEM;
}

static void
regexes_free(struct tt_config_regex *r, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		regfree(&r[i].re);
		free(r[i].pattern);
	}
	free(r);
}

void
tt_config_free(struct tt_config *cfg)
{
	if (!cfg)
		return;
	free(cfg->store.path);
	strv_free(cfg->input.seats);
	free(cfg->input.keyboard_layout);
	free(cfg->input.keyboard_variant);
	free(cfg->input.keyboard_model);
	free(cfg->input.keyboard_options);
	strv_free(cfg->privacy.exclude_users);
	strv_free(cfg->privacy.deny_apps);
	strv_free(cfg->elements.url_paths);
	regexes_free(cfg->privacy.redact, cfg->privacy.nredact);
	free(cfg->privacy.notice);
	free(cfg->session.static_user);
	free(cfg->session.static_seat);
	free(cfg->collector.socket);
	free(cfg->export.dir);
	free(cfg->export.secret);
	free(cfg->ship.server);
	free(cfg->ship.service);
	free(cfg->ship.ca);
	free(cfg->ship.cert);
	free(cfg->ship.key);
	free(cfg->ship.state_dir);
	tt_cases_free(cfg->cases);
	memset(cfg, 0, sizeof(*cfg));
}

int
tt_config_init(struct tt_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));

	cfg->store.path = strdup("/var/lib/tasktrace");
	cfg->store.map_size = 1ULL << 30;
	cfg->store.retention_days = 90;
	cfg->store.commit_interval_ns = NS_PER_S;

	cfg->input.tapping = true;
	cfg->input.typing_pause_ns = 1500 * NS_PER_MS;
	cfg->input.idle_threshold_ns = 5 * 60 * NS_PER_S;
	cfg->input.double_click_ns = 400 * NS_PER_MS;

	cfg->privacy.capture_titles = true;
	cfg->privacy.max_title = 256;
	cfg->privacy.min_burst_keys = 20;

	cfg->collector.socket = strdup("/run/tasktrace/collector.sock");
	cfg->collector.rate_limit = 50;
	cfg->collector.string_budget = 1ULL << 20;
	cfg->collector.string_budget_total = 4ULL << 20;

	cfg->export.dir = strdup("/var/lib/tasktrace-exports");
	cfg->export.keep = 14;
	cfg->export.formats = TT_EXPORT_CSV | TT_EXPORT_XES;
	cfg->export.secret = strdup("/etc/tasktrace/secret");
	cfg->export.pseudonymize = false;
	cfg->export.case_mode = TT_CASE_USER_DAY;
	cfg->export.report = TT_REPORT_NO;

	cfg->ship.ca = strdup("/etc/tasktrace/ship/ca.crt");
	cfg->ship.cert = strdup("/etc/tasktrace/ship/client.crt");
	cfg->ship.key = strdup("/etc/tasktrace/ship/client.key");
	cfg->ship.batch = 50000;
	cfg->ship.budget_ns = 4 * 60 * NS_PER_S;
	cfg->ship.lock_timeout_ns = 10 * NS_PER_S;
	cfg->ship.statement_timeout_ns = 5 * 60 * NS_PER_S;
	cfg->ship.users = TT_SHIP_PSEUDONYMIZE;
	cfg->ship.titles = TT_SHIP_DROP;
	cfg->ship.state_dir = strdup("/var/lib/tasktrace-ship");

	cfg->elements.capture = TT_ELEMENTS_NAMES;
	cfg->elements.links = TT_LINKS_ROLE;
	cfg->elements.unknown_text = TT_UNKNOWN_TEXT_COARSE;

	if (strv_split("seat0", &cfg->input.seats) < 0 ||
	    strv_split(TT_CONFIG_DEFAULT_DENY_APPS, &cfg->privacy.deny_apps) < 0 ||
	    !(cfg->privacy.exclude_users = strv_new()) ||
	    !(cfg->elements.url_paths = strv_new()) ||
	    !cfg->store.path || !cfg->collector.socket ||
	    !cfg->export.dir || !cfg->export.secret || !cfg->ship.ca ||
	    !cfg->ship.cert || !cfg->ship.key || !cfg->ship.state_dir)
		return -ENOMEM;
	return 0;
}

const char *
tt_config_default_path(void)
{
	const char *p = getenv("TASKTRACE_CONFIG");

	return p && *p ? p : TT_CONFIG_PATH;
}

const char *
tt_config_keyboard_path(void)
{
	const char *p = getenv("TASKTRACE_KEYBOARD");

	return p && *p ? p : TT_CONFIG_KEYBOARD_PATH;
}

/* ------------------------------------------------------------------ */
/* Parse state and messages                                            */

enum line_kind {
	LINE_NONE,	/* blank, comment, or already judged */
	LINE_KEY,	/* should reach the handler */
};

#define SECTION_NONE (-1)	/* before the first header */
#define SECTION_SKIP (-2)	/* unknown or broken header: ignore keys */
#define SECTION_CASE (-3)	/* a [case.NAME]: ps->case_type */

struct parser {
	struct tt_config *cfg;
	const char *name;		/* file name for messages */
	tt_config_error_fn err;
	void *ctx;

	/* The source: a FILE, or a buffer. */
	FILE *file;
	const char *buf;
	size_t len, pos;
	char *line;			/* getline's buffer */
	size_t line_cap;

	int lineno;
	enum line_kind kind;		/* of the line inih has now */
	bool handled;			/* the handler saw that line */
	int section;			/* enum section, or SECTION_* */
	int first_inih_line;		/* first line inih refused, by our count */
	int seen[NKEYS];		/* line a key was set at, or 0 */
	bool keyboard_set;
	int nerrors;
	int oom;			/* -ENOMEM once memory ran out */
	/* [case.NAME]: the type of the current section, and per type the
	 * lines its header, normalize and store were seen at */
	unsigned case_type;
	struct case_lines {
		int header, normalize, store;
		int pattern;	/* first pattern line, valid or not */
	} *case_lines;
	size_t ncase_lines;
};

/* Quote a value for a message: printable ASCII and valid UTF-8 as they
 * are, anything else as \xNN, cut to fit size (e.g. 88 bytes and "..." in 96). */
static void
quote(char *out, size_t size, const char *s)
{
	size_t o = 0;
	const unsigned char *p = (const unsigned char *)s;

	while (*p && o + 8 < size) {
		size_t n = 1;

		if (*p >= 0xc2 && *p <= 0xf4) {
			size_t need = *p >= 0xf0 ? 4 : *p >= 0xe0 ? 3 : 2;
			size_t k;

			for (k = 1; k < need && (p[k] & 0xc0) == 0x80; k++)
				;
			/* Reject overlong 3/4-byte forms, surrogates, > U+10FFFF. */
			if (k == need &&
			    !(*p == 0xe0 && p[1] < 0xa0) &&
			    !(*p == 0xed && p[1] >= 0xa0) &&
			    !(*p == 0xf0 && p[1] < 0x90) &&
			    !(*p == 0xf4 && p[1] >= 0x90))
				n = need;
		}
		if (n > 1) {
			if (o + n + 4 >= size)
				break;
			memcpy(out + o, p, n);
			o += n;
			p += n;
		} else if (*p >= 0x20 && *p < 0x7f && *p != '\\') {
			out[o++] = (char)*p++;
		} else {
			o += (size_t)snprintf(out + o, size - o, "\\x%02x", *p++);
		}
	}
	if (*p)
		o += (size_t)snprintf(out + o, size - o, "...");
	out[o] = '\0';
}

/* Is s valid UTF-8 without control characters (other than tab)? */
static bool
valid_text(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	while (*p) {
		size_t need;

		if (*p < 0x80) {
			if ((*p < 0x20 && *p != '\t') || *p == 0x7f)
				return false;
			p++;
			continue;
		}
		if (*p < 0xc2 || *p > 0xf4)
			return false;
		need = *p >= 0xf0 ? 4 : *p >= 0xe0 ? 3 : 2;
		for (size_t k = 1; k < need; k++) {
			if ((p[k] & 0xc0) != 0x80)
				return false;
		}
		if ((*p == 0xe0 && p[1] < 0xa0) || (*p == 0xed && p[1] >= 0xa0) ||
		    (*p == 0xf0 && p[1] < 0x90) || (*p == 0xf4 && p[1] >= 0x90))
			return false;
		p += need;
	}
	return true;
}

__attribute__((format(printf, 3, 4)))
static void
report(struct parser *ps, int line, const char *fmt, ...)
{
	char *text = NULL, *msg = NULL;
	va_list ap;
	int rc;

	ps->nerrors++;
	if (!ps->err)
		return;
	va_start(ap, fmt);
	rc = vasprintf(&text, fmt, ap);
	va_end(ap);
	if (rc < 0) {
		ps->oom = -ENOMEM;
		return;
	}
	if (line > 0)
		rc = asprintf(&msg, "%s:%d: %s", ps->name, line, text);
	else
		rc = asprintf(&msg, "%s: %s", ps->name, text);
	if (rc < 0)
		ps->oom = -ENOMEM;
	else
		ps->err(ps->ctx, msg);
	free(msg);
	free(text);
}

/* ------------------------------------------------------------------ */
/* Values                                                               */

static bool
valid_seat(const char *s)
{
	if (strncmp(s, "seat", 4) != 0)
		return false;
	for (const char *p = s; *p; p++) {
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '_' || *p == '-'))
			return false;
	}
	return strlen(s) <= 255;
}

/* A user name (as useradd(8) accepts them, loosely) or a numeric uid. */
static bool
valid_user(const char *s)
{
	uint64_t uid;

	if (*s >= '0' && *s <= '9')
		return tt_parse_uint(s, 0xfffffffeULL, &uid) == 0;
	if (*s == '\0' || *s == '-' || strlen(s) > 32)
		return false;
	for (const char *p = s; *p; p++) {
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '_' || *p == '-' ||
		      *p == '.' || (*p == '$' && p[1] == '\0')))
			return false;
	}
	return true;
}

static int
set_string(char **slot, const char *value)
{
	char *copy = strdup(value);

	if (!copy)
		return -ENOMEM;
	free(*slot);
	*slot = copy;
	return 0;
}

/* Split and check a list value; append to (repeatable) or replace *slot. */
static int
set_list(struct parser *ps, const struct key *k, const char *value,
	 char ***slot, bool append)
{
	char q[96], **items = NULL;
	int rc;

	rc = strv_split(value, &items);
	if (rc < 0)
		return rc;
	if (k->type == V_SEAT_LIST && !items[0]) {
		report(ps, ps->lineno, "%s needs at least one seat", k->name);
		goto out;
	}
	for (char **it = items; *it; it++) {
		bool ok = true;

		quote(q, sizeof(q), *it);
		if (**it == '\0') {
			report(ps, ps->lineno, "empty item in the list for %s", k->name);
			goto out;
		}
		for (char **prev = items; prev < it; prev++) {
			if (strcmp(*prev, *it) == 0) {
				report(ps, ps->lineno, "'%s' is listed twice for %s",
				       q, k->name);
				goto out;
			}
		}
		switch (k->type) {
		case V_SEAT_LIST:
			ok = valid_seat(*it);
			if (!ok)
				report(ps, ps->lineno,
				       "invalid seat '%s' for %s (seat names start with 'seat', e.g. seat0)",
				       q, k->name);
			break;
		case V_USER_LIST:
			ok = valid_user(*it);
			if (!ok)
				report(ps, ps->lineno,
				       "invalid user '%s' for %s (use a user name or a numeric uid)",
				       q, k->name);
			break;
		default:
			break;
		}
		if (!ok)
			goto out;
	}
	if (append) {
		for (char **it = items; *it; it++) {
			rc = strv_append(slot, *it, strlen(*it));
			if (rc < 0)
				goto out;
		}
	} else {
		strv_free(*slot);
		*slot = items;
		items = NULL;
	}
out:
	strv_free(items);
	return rc;
}

/*
 * Guard regcomp(3) against patterns it cannot afford. glibc compiles a
 * bounded repetition by copying its operand ("x{3}" is "xxx"), and "x+" as
 * "xx*", so stacked or nested repetitions grow the compiled form
 * exponentially: a 100-byte "a++++…" or "((a{99}){99}){99}" takes minutes
 * and gigabytes (found by tests/fuzz/fuzz-config.c). We estimate the size
 * glibc will build and refuse a quantifier on a quantifier (undefined in
 * POSIX anyway), counts over 255 (POSIX's minimum RE_DUP_MAX) and
 * estimates over REGEX_MAX_COST. Back-references (a glibc extension in
 * EREs) are refused too: with them regexec(3) is exponential in the title,
 * which an application chooses. Anything else malformed is left for
 * regcomp to report.
 */
#define REGEX_MAX_COST 4096
#define REGEX_MAX_DEPTH 32

static const char *
regex_too_costly(const char *p)
{
	uint64_t size[REGEX_MAX_DEPTH + 1] = { 0 };
	uint64_t last = 0;	/* size of the atom a quantifier would apply to */
	bool after_quant = false;
	int depth = 0;

	while (*p) {
		uint64_t factor = 0;

		switch (*p) {
		case '(':
			if (depth == REGEX_MAX_DEPTH)
				return "nests groups too deeply";
			size[++depth] = 0;
			last = 0;
			after_quant = false;
			p++;
			continue;
		case ')':
			if (depth > 0) {
				last = size[depth--] + 1;
				size[depth] += last;
				after_quant = false;
				p++;
				goto check;
			}
			break;
		case '|':
			size[depth]++;
			last = 0;
			after_quant = false;
			p++;
			continue;
		case '*':
		case '?':
			factor = 1;
			p++;
			break;
		case '+':
			factor = 2;
			p++;
			break;
		case '{': {
			uint64_t n = 0, m;
			const char *q = p + 1;

			/* glibc reads "{,m}" as "{0,m}" */
			if ((*q < '0' || *q > '9') && *q != ',')
				break;		/* not a bound: regcomp decides */
			while (*q >= '0' && *q <= '9' && n <= 255)
				n = n * 10 + (uint64_t)(*q++ - '0');
			m = n;
			if (*q == ',') {
				q++;
				if (*q >= '0' && *q <= '9') {
					m = 0;
					while (*q >= '0' && *q <= '9' && m <= 255)
						m = m * 10 + (uint64_t)(*q++ - '0');
				} else {
					m = n + 1;
				}
			}
			if (n > 255 || m > 256)
				return "repeats more than 255 times";
			factor = m > 1 ? m : 1;
			p = *q == '}' ? q + 1 : q;
			break;
		}
		case '\\':
			if (p[1] >= '1' && p[1] <= '9')
				return "uses a back-reference (not supported)";
			p += p[1] ? 2 : 1;
			goto atom;
		case '[': {
			const char *q = p + 1;

			if (*q == '^')
				q++;
			if (*q == ']')
				q++;
			while (*q && *q != ']') {
				if (*q == '[' && (q[1] == ':' || q[1] == '.' || q[1] == '=')) {
					const char *end = q + 2;

					while (*end && !(end[0] == q[1] && end[1] == ']'))
						end++;
					if (!*end)
						break;
					q = end + 2;
				} else {
					q++;
				}
			}
			p = *q == ']' ? q + 1 : q;
			goto atom;
		}
		default:
			break;
		}
		if (factor) {
			if (after_quant)
				return "applies a repetition to a repetition";
			if (last == 0) {	/* nothing to repeat: regcomp decides */
				after_quant = false;
				continue;
			}
			size[depth] += last * (factor - 1) + 1;
			last = last * factor + 1;
			after_quant = true;
			goto check;
		}
		p++;
atom:
		size[depth]++;
		last = 1;
		after_quant = false;
check:
		if (size[depth] > REGEX_MAX_COST || last > REGEX_MAX_COST)
			return "is too complex";
	}
	return NULL;
}

static int
set_regex(struct parser *ps, const char *value)
{
	struct tt_config_privacy *p = &ps->cfg->privacy;
	struct tt_config_regex *r;
	char q[96], why[160];
	const char *costly;
	int rc;

	quote(q, sizeof(q), value);
	if (*value == '\0') {
		report(ps, ps->lineno, "empty regular expression for redact");
		return 0;
	}
	costly = regex_too_costly(value);
	if (costly) {
		report(ps, ps->lineno, "regular expression '%s' for redact %s", q, costly);
		return 0;
	}
	r = realloc(p->redact, (p->nredact + 1) * sizeof(*r));
	if (!r)
		return -ENOMEM;
	p->redact = r;
	r = &p->redact[p->nredact];
	rc = regcomp(&r->re, value, REG_EXTENDED);
	if (rc != 0) {
		regerror(rc, &r->re, why, sizeof(why));
		report(ps, ps->lineno, "invalid regular expression '%s' for redact: %s",
		       q, why);
		return 0;
	}
	/* A pattern that matches nothing at all ("x*", "^") would put an
	 * ellipsis between every character: surely not what was meant. */
	if (regexec(&r->re, "", 0, NULL, 0) == 0) {
		regfree(&r->re);
		report(ps, ps->lineno,
		       "regular expression '%s' for redact matches the empty string", q);
		return 0;
	}
	r->pattern = strdup(value);
	if (!r->pattern) {
		regfree(&r->re);
		return -ENOMEM;
	}
	p->nredact++;
	return 0;
}

/* Report a number, size or duration that did not parse (rc -EINVAL) or
 * does not fit (rc -ERANGE, or outside the key's range). */
static bool
number_ok(struct parser *ps, const struct key *k, const char *q, int rc,
	  uint64_t v, const char *what)
{
	if (rc == -EINVAL) {
		if (k->type == V_SIZE)
			report(ps, ps->lineno, "invalid size '%s' for %s (use e.g. 512M, 4G)",
			       q, k->name);
		else if (k->type == V_DURATION)
			report(ps, ps->lineno,
			       "invalid duration '%s' for %s (use e.g. 300ms, 1.5s, 5m, 2h)",
			       q, k->name);
		else
			report(ps, ps->lineno,
			       "invalid %s '%s' for %s (use a whole number from %s)",
			       what, q, k->name, k->range);
		return false;
	}
	if (rc < 0 || v < k->min || v > k->max) {
		report(ps, ps->lineno, "%s %s is out of range (%s)", k->name, q, k->range);
		return false;
	}
	return true;
}

static int
set_value(struct parser *ps, const struct key *k, const char *value)
{
	void *slot = (char *)ps->cfg + k->offset;
	char q[96];
	uint64_t v;
	bool b;
	int rc;

	quote(q, sizeof(q), value);

	switch (k->type) {
	case V_PATH:
	case V_SOCKET:
		if (value[0] != '/') {
			report(ps, ps->lineno, "%s must be an absolute path, not '%s'",
			       k->name, q);
			return 0;
		}
		if (k->type == V_SOCKET && strlen(value) > SUN_PATH_MAX) {
			report(ps, ps->lineno,
			       "%s '%s' is too long for a socket path (at most %d bytes)",
			       k->name, q, SUN_PATH_MAX);
			return 0;
		}
		return set_string(slot, value);
	case V_STRING:
		if (*value == '\0') {
			report(ps, ps->lineno, "empty value for %s", k->name);
			return 0;
		}
		return set_string(slot, value);
	case V_SEAT:
		if (!valid_seat(value)) {
			report(ps, ps->lineno,
			       "invalid seat '%s' for %s (seat names start with 'seat', e.g. seat0)",
			       q, k->name);
			return 0;
		}
		return set_string(slot, value);
	case V_USER:
		if (!valid_user(value)) {
			report(ps, ps->lineno,
			       "invalid user '%s' for %s (use a user name or a numeric uid)",
			       q, k->name);
			return 0;
		}
		return set_string(slot, value);
	case V_BOOL:
		if (tt_parse_bool(value, &b) < 0) {
			report(ps, ps->lineno,
			       "invalid boolean '%s' for %s (use yes/no, true/false, on/off, 1/0)",
			       q, k->name);
			return 0;
		}
		*(bool *)slot = b;
		return 0;
	case V_UINT:
		rc = tt_parse_uint(value, UINT64_MAX, &v);
		if (!number_ok(ps, k, q, rc, v, "number"))
			return 0;
		*(unsigned *)slot = (unsigned)v;
		return 0;
	case V_SIZE:
		rc = tt_parse_size(value, &v);
		if (!number_ok(ps, k, q, rc, v, "size"))
			return 0;
		*(uint64_t *)slot = v;
		return 0;
	case V_DURATION:
		rc = tt_parse_duration(value, &v);
		if (!number_ok(ps, k, q, rc, v, "duration"))
			return 0;
		*(uint64_t *)slot = v;
		return 0;
	case V_SEAT_LIST:
	case V_USER_LIST:
	case V_GLOB_LIST:
		/* A repeatable list starts from scratch at its first line,
		 * then accumulates: the defaults are replaced, not extended. */
		return set_list(ps, k, value, slot,
				k->repeatable && ps->seen[k - keys] != 0);
	case V_REGEX:
		return set_regex(ps, value);
	case V_FORMATS: {
		char **items = NULL;
		unsigned bits = 0;

		rc = strv_split(value, &items);
		if (rc < 0)
			return rc;
		if (!items[0])
			report(ps, ps->lineno, "formats needs at least one format");
		for (char **it = items; *it; it++) {
			size_t i;

			for (i = 0; i < sizeof(format_names) / sizeof(format_names[0]); i++) {
				if (strcmp(*it, format_names[i].name) == 0)
					break;
			}
			quote(q, sizeof(q), *it);
			if (**it == '\0') {
				report(ps, ps->lineno, "empty item in the list for formats");
				bits = 0;
				break;
			}
			if (i == sizeof(format_names) / sizeof(format_names[0])) {
				report(ps, ps->lineno,
				       "unknown export format '%s' (use csv, xes, ocel, jsonl)", q);
				bits = 0;
				break;
			}
			if (bits & format_names[i].bit) {
				report(ps, ps->lineno, "'%s' is listed twice for formats", q);
				bits = 0;
				break;
			}
			bits |= format_names[i].bit;
		}
		strv_free(items);
		if (bits)
			*(unsigned *)slot = bits;
		return 0;
	}
	case V_CASE:
		for (size_t i = 0; i < sizeof(case_names) / sizeof(case_names[0]); i++) {
			if (strcmp(value, case_names[i]) == 0) {
				*(enum tt_case_mode *)slot = (enum tt_case_mode)i;
				return 0;
			}
		}
		report(ps, ps->lineno, "invalid case '%s' (use user-day, idle or focus)", q);
		return 0;
	case V_CHOICE: {
		unsigned i = 0;
		size_t len = strlen(value);

		for (const char *w = k->range; *w; i++) {
			const char *e = strchrnul(w, '|');

			if ((size_t)(e - w) == len && memcmp(w, value, len) == 0) {
				*(unsigned *)slot = i;
				return 0;
			}
			w = *e ? e + 1 : e;
		}
		report(ps, ps->lineno, "invalid value '%s' for %s (use %s)", q, k->name, k->range);
		return 0;
	}
	case V_CONNINFO:
		/* Passwords belong in a file of their own (~/.pgpass, a service
		 * file), never in tasktrace.conf, which is world-readable. */
		if (*value == '\0') {
			report(ps, ps->lineno, "empty value for %s", k->name);
			return 0;
		}
		if (strstr(value, "password")) {
			report(ps, ps->lineno,
			       "%s must not hold a password (use client certificates, "
			       "or a password file: PGPASSFILE, pgpass(5))", k->name);
			return 0;
		}
		return set_string(slot, value);
	}
	return 0;
}

static int case_key(struct parser *ps, const char *name, const char *value);
static void case_section(struct parser *ps, const char *name);
static int case_finish(struct parser *ps);

/* ------------------------------------------------------------------ */
/* inih callbacks                                                       */

/* The handler: inih calls it for each "key = value" line, during the
 * reader's hold on that line, so ps->lineno is the key's line. It always
 * returns 1: semantic errors are ours to count; inih's return value then
 * speaks only of syntax. */
static int
handle_key(void *user, const char *section, const char *name, const char *value)
{
	struct parser *ps = user;
	const struct key *k = NULL;
	char qn[96];
	int rc;

	(void)section;	/* ours is ps->section: inih keeps a broken header's predecessor */
	ps->handled = true;
	if (ps->oom || ps->section == SECTION_SKIP)
		return 1;

	quote(qn, sizeof(qn), name);
	if (*name == '\0') {
		report(ps, ps->lineno, "missing key name before '='");
		return 1;
	}
	if (ps->section == SECTION_NONE) {
		report(ps, ps->lineno, "key '%s' outside a section (add e.g. [store] above it)", qn);
		return 1;
	}
	if (ps->section == SECTION_CASE) {
		rc = case_key(ps, name, value);
		if (rc < 0)
			ps->oom = rc;
		return 1;
	}
	for (size_t i = 0; i < NKEYS; i++) {
		if ((int)keys[i].section == ps->section && strcmp(keys[i].name, name) == 0)
			k = &keys[i];
	}
	if (!k) {
		report(ps, ps->lineno, "unknown key '%s' in [%s]", qn,
		       section_names[ps->section]);
		return 1;
	}
	if (!valid_text(value)) {
		char qv[96];

		quote(qv, sizeof(qv), value);
		report(ps, ps->lineno,
		       "value '%s' for %s is not valid UTF-8 text", qv, k->name);
		return 1;
	}
	if (ps->seen[k - keys] && !k->repeatable) {
		report(ps, ps->lineno, "duplicate key '%s' in [%s] (first set at line %d)",
		       k->name, section_names[k->section], ps->seen[k - keys]);
		return 1;
	}
	if (k->section == S_INPUT && strncmp(k->name, "keyboard_", 9) == 0)
		ps->keyboard_set = true;
	rc = set_value(ps, k, value);
	ps->seen[k - keys] = ps->lineno;
	if (rc < 0)
		ps->oom = rc;
	return 1;
}

/* Judge the line inih just had: a key line the handler never saw is one
 * inih rejected (no '=' or ':' before a comment). */
static void
finish_line(struct parser *ps)
{
	if (ps->kind == LINE_KEY && !ps->handled) {
		if (ps->first_inih_line == 0)
			ps->first_inih_line = ps->lineno;
		report(ps, ps->lineno, "expected 'key = value', '[section]' or a comment");
	}
	ps->kind = LINE_NONE;
	ps->handled = false;
}

/* Next raw line into ps->line, without its newline; its length, or -1 at
 * the end. */
static ssize_t
next_raw_line(struct parser *ps)
{
	ssize_t n;

	if (ps->file) {
		n = getline(&ps->line, &ps->line_cap, ps->file);
		if (n < 0)
			return -1;
	} else {
		const char *start = ps->buf + ps->pos, *nl;
		size_t left = ps->len - ps->pos;

		if (ps->pos >= ps->len)
			return -1;
		nl = memchr(start, '\n', left);
		n = nl ? nl - start + 1 : (ssize_t)left;
		if ((size_t)n + 1 > ps->line_cap) {
			char *l = realloc(ps->line, (size_t)n + 1);
			if (!l) {
				ps->oom = -ENOMEM;
				return -1;
			}
			ps->line = l;
			ps->line_cap = (size_t)n + 1;
		}
		memcpy(ps->line, start, (size_t)n);
		ps->line[n] = '\0';
		ps->pos += (size_t)n;
	}
	if (n > 0 && ps->line[n - 1] == '\n')
		ps->line[--n] = '\0';
	if (n > 0 && ps->line[n - 1] == '\r')
		ps->line[--n] = '\0';
	return n;
}

/* Check a "[section]" line and make it current. */
static void
enter_section(struct parser *ps, const char *line)
{
	const char *close = strchr(line, ']');
	const char *after;
	char name[96], q[96];
	size_t len;

	ps->section = SECTION_SKIP;
	if (!close) {
		quote(q, sizeof(q), line);
		report(ps, ps->lineno, "section header '%s' lacks its closing ']'", q);
		return;
	}
	for (after = close + 1; *after == ' ' || *after == '\t'; after++)
		;
	if (*after != '\0' && *after != ';' && *after != '#') {
		quote(q, sizeof(q), line);
		report(ps, ps->lineno, "unexpected text after the section header '%s'", q);
		return;
	}
	len = (size_t)(close - line - 1);
	if (len >= sizeof(name))
		len = sizeof(name) - 1;
	memcpy(name, line + 1, len);
	name[len] = '\0';
	for (int s = 0; s < S_COUNT; s++) {
		if (strcmp(name, section_names[s]) == 0) {
			ps->section = s;
			return;
		}
	}
	if (strncmp(name, "case.", 5) == 0) {
		case_section(ps, name + 5);
		return;
	}
	quote(q, sizeof(q), name);
	report(ps, ps->lineno,
	       "unknown section [%s] (sections: store, input, privacy, session, "
	       "collector, export, ship, elements, case.NAME)", q);
}

/* inih's reader: one line per call, like fgets. */
static char *
read_line(char *str, int num, void *stream)
{
	struct parser *ps = stream;
	ssize_t n;
	char *line;

	finish_line(ps);
	if (ps->oom)
		return NULL;
	n = next_raw_line(ps);
	if (n < 0)
		return NULL;
	ps->lineno++;
	line = ps->line;

	if (strlen(line) != (size_t)n) {
		report(ps, ps->lineno, "NUL byte in line");
		line = "";
	} else if (n > num - 2 || n > TT_CONFIG_MAX_LINE) {
		report(ps, ps->lineno, "line too long (more than %d bytes)",
		       num - 2 < TT_CONFIG_MAX_LINE ? num - 2 : TT_CONFIG_MAX_LINE);
		line = "";
	} else {
		/* A UTF-8 byte order mark is fine on the first line. */
		if (ps->lineno == 1 && strncmp(line, "\xef\xbb\xbf", 3) == 0)
			line += 3;
		/* No leading blanks: inih would make the line a continuation
		 * of the previous value. */
		while (*line == ' ' || *line == '\t' || *line == '\v' ||
		       *line == '\f' || *line == '\r')
			line++;
		if (*line == '[')
			enter_section(ps, line);
		else if (*line != '\0' && *line != '#' && *line != ';')
			ps->kind = LINE_KEY;
		/* A judged header goes to inih as a blank line: inih must not
		 * keep its own idea of the section or report it again. */
		if (*line == '[')
			line = "";
	}
	snprintf(str, (size_t)num, "%s\n", line);
	return str;
}

/* ------------------------------------------------------------------ */
/* Loading                                                              */

static size_t
key_index(enum section section, const char *name)
{
	size_t i;

	for (i = 0; i < NKEYS; i++) {
		if (keys[i].section == section && strcmp(keys[i].name, name) == 0)
			break;
	}
	return i;
}

static int
parse(struct parser *ps)
{
	int rc;

	ps->section = SECTION_NONE;
	rc = ini_parse_stream(read_line, ps, handle_key, ps);
	finish_line(ps);
	if (ps->oom || rc == -2)
		return -ENOMEM;
	/* Every line inih refuses is one we reported; should inih ever
	 * disagree, say so rather than pass a file it refused. */
	if (rc > 0 && rc != ps->first_inih_line)
		report(ps, rc, "syntax error");
	return 0;
}

static int
finish_load(struct parser *ps)
{
	struct tt_config *cfg = ps->cfg;
	int rc;

	if (cfg->session.static_seat && !cfg->session.static_user)
		report(ps, ps->seen[key_index(S_SESSION, "static_seat")],
		       "static_seat is set but static_user is not");
	if (ps->nerrors == 0 && cfg->session.static_user && !cfg->session.static_seat) {
		rc = set_string(&cfg->session.static_seat, "seat0");
		if (rc < 0)
			return rc;
	}
	rc = case_finish(ps);
	if (rc < 0)
		return rc;
	if (cfg->ship.server && cfg->ship.service)
		report(ps, ps->seen[key_index(S_SHIP, "service")],
		       "[ship] has both server and service: give one of them");
	if (!ps->keyboard_set) {
		rc = tt_config_read_keyboard(cfg, NULL);
		if (rc < 0 && rc != -ENOMEM)
			report(ps, 0, "cannot read keyboard defaults from %s: %s",
			       tt_config_keyboard_path(), strerror(-rc));
		else if (rc < 0)
			return rc;
	}
	return ps->nerrors;
}

static void
parser_init(struct parser *ps, struct tt_config *cfg, const char *name,
	    tt_config_error_fn err, void *ctx)
{
	memset(ps, 0, sizeof(*ps));
	ps->cfg = cfg;
	ps->name = name;
	ps->err = err;
	ps->ctx = ctx;
}

int
tt_config_load(struct tt_config *cfg, const char *path, bool missing_ok,
	       tt_config_error_fn err, void *ctx)
{
	struct parser ps;
	struct stat st;
	int rc;

	rc = tt_config_init(cfg);
	if (rc < 0)
		return rc;
	if (!path) {
		const char *env = getenv("TASKTRACE_CONFIG");

		missing_ok = !(env && *env);
		path = tt_config_default_path();
	}
	parser_init(&ps, cfg, path, err, ctx);

	ps.file = fopen(path, "re");
	if (!ps.file) {
		rc = -errno;
		if (rc == -ENOENT && missing_ok)
			return finish_load(&ps);
		report(&ps, 0, "cannot open: %s", strerror(-rc));
		return rc;
	}
	if (fstat(fileno(ps.file), &st) == 0 && S_ISDIR(st.st_mode)) {
		rc = -EISDIR;
		report(&ps, 0, "cannot read: %s", strerror(EISDIR));
		goto out;
	}
	rc = parse(&ps);
	if (rc == 0 && ferror(ps.file)) {
		rc = -EIO;
		report(&ps, 0, "read error");
	}
	if (rc == 0)
		rc = finish_load(&ps);
out:
	free(ps.case_lines);
	free(ps.line);
	fclose(ps.file);
	return rc;
}

int
tt_config_load_buffer(struct tt_config *cfg, const char *name,
		      const char *buf, size_t len,
		      tt_config_error_fn err, void *ctx)
{
	struct parser ps;
	int rc;

	rc = tt_config_init(cfg);
	if (rc < 0)
		return rc;
	parser_init(&ps, cfg, name ? name : "(buffer)", err, ctx);
	ps.buf = buf;
	ps.len = buf ? len : 0;
	rc = parse(&ps);
	if (rc == 0)
		rc = finish_load(&ps);
	free(ps.case_lines);
	free(ps.line);
	return rc;
}

/* ------------------------------------------------------------------ */
/* /etc/default/keyboard                                                */

/* The value of a shell assignment: "…", '…' or a bare word. */
static char *
shell_value(const char *s)
{
	const char *end;

	if (*s == '"' || *s == '\'') {
		end = strchr(s + 1, *s);
		if (!end)
			return NULL;
		return strndup(s + 1, (size_t)(end - s - 1));
	}
	end = s + strcspn(s, " \t#");
	return strndup(s, (size_t)(end - s));
}

int
tt_config_read_keyboard(struct tt_config *cfg, const char *path)
{
	static const struct {
		const char *var;
		size_t offset;
	} vars[] = {
		{ "XKBLAYOUT=", OFF(input.keyboard_layout) },
		{ "XKBVARIANT=", OFF(input.keyboard_variant) },
		{ "XKBMODEL=", OFF(input.keyboard_model) },
		{ "XKBOPTIONS=", OFF(input.keyboard_options) },
	};
	char *line = NULL;
	size_t cap = 0;
	FILE *f;
	int rc = 0;

	f = fopen(path ? path : tt_config_keyboard_path(), "re");
	if (!f)
		return errno == ENOENT ? 0 : -errno;
	while (getline(&line, &cap, f) >= 0) {
		char *p = line + strspn(line, " \t");

		line[strcspn(line, "\r\n")] = '\0';
		if (strncmp(p, "export ", 7) == 0)
			p += 7;
		for (size_t i = 0; i < sizeof(vars) / sizeof(vars[0]); i++) {
			char **slot = (char **)((char *)cfg + vars[i].offset);
			size_t vlen = strlen(vars[i].var);
			char *v;

			if (strncmp(p, vars[i].var, vlen) != 0)
				continue;
			v = shell_value(p + vlen);
			if (!v) {
				/* unterminated quote: not a value we understand */
				if (errno == ENOMEM) {
					rc = -ENOMEM;
					goto out;
				}
				continue;
			}
			free(*slot);
			*slot = NULL;
			if (*v && valid_text(v))
				*slot = v;
			else
				free(v);
		}
	}
	if (ferror(f))
		rc = -EIO;
out:
	free(line);
	fclose(f);
	return rc;
}

/* ------------------------------------------------------------------ */
/* [case.NAME]: case rules (issue 20)                                   */
/*
 * Each section is one case type; its keys:
 *   title, element, url   a PCRE2 pattern with a group (?<id>…), over the
 *                         window title, the UI element's name, the page
 *                         URL; repeatable (one pattern a line: a pattern
 *                         may hold commas, so there are no lists)
 *   normalize             list of upper, lower, strip-leading-zeros
 *   store                 clear | pseudonym [clear]
 * The patterns compile into cfg->cases (lib/cases.c).
 */

static struct case_lines *
case_lines_of(struct parser *ps)
{
	return &ps->case_lines[ps->case_type];
}

static void
case_section(struct parser *ps, const char *name)
{
	struct tt_config *cfg = ps->cfg;
	char q[96];
	unsigned t;
	int rc;

	quote(q, sizeof(q), name);
	if (!tt_cases_valid_name(name)) {
		report(ps, ps->lineno,
		       "invalid case name '%s' in [case.%s] (use [a-z][a-z0-9_-]*, "
		       "at most %d characters)", q, q, TT_CASES_NAME_MAX);
		return;
	}
	if (!cfg->cases && !(cfg->cases = tt_cases_new(0))) {
		ps->oom = -ENOMEM;
		return;
	}
	rc = tt_cases_type(cfg->cases, name, &t);
	if (rc < 0) {
		ps->oom = -ENOMEM;
		return;
	}
	if (t >= ps->ncase_lines) {
		struct case_lines *cl = realloc(ps->case_lines, (t + 1) * sizeof(*cl));

		if (!cl) {
			ps->oom = -ENOMEM;
			return;
		}
		ps->case_lines = cl;
		memset(&cl[t], 0, sizeof(*cl));
		cl[t].header = ps->lineno;
		ps->ncase_lines = t + 1;
	}
	ps->case_type = t;
	ps->section = SECTION_CASE;
}

static int
case_normalize(struct parser *ps, const char *value, unsigned *out)
{
	static const struct { const char *name; unsigned bit; } words[] = {
		{ "upper", TT_CASE_NORM_UPPER },
		{ "lower", TT_CASE_NORM_LOWER },
		{ "strip-leading-zeros", TT_CASE_NORM_STRIP_ZEROS },
	};
	char **items = NULL, q[96];
	unsigned bits = 0;
	int rc = strv_split(value, &items);

	if (rc < 0)
		return rc;
	if (!items[0])
		report(ps, ps->lineno, "empty value for normalize");
	for (char **it = items; *it; it++) {
		size_t i;

		for (i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
			if (strcmp(*it, words[i].name) == 0)
				break;
		}
		quote(q, sizeof(q), *it);
		if (i == sizeof(words) / sizeof(words[0])) {
			report(ps, ps->lineno, "unknown normalisation '%s' "
			       "(use upper, lower, strip-leading-zeros)", q);
			goto out;
		}
		if (bits & words[i].bit) {
			report(ps, ps->lineno, "'%s' is listed twice for normalize", q);
			goto out;
		}
		bits |= words[i].bit;
	}
	if ((bits & TT_CASE_NORM_UPPER) && (bits & TT_CASE_NORM_LOWER)) {
		report(ps, ps->lineno, "normalize cannot be both upper and lower");
		goto out;
	}
	*out = bits;
out:
	strv_free(items);
	return 0;
}

static int
case_key(struct parser *ps, const char *name, const char *value)
{
	static const char *const fields[TT_CASE_NFIELDS] = {
		[TT_CASE_TITLE] = "title", [TT_CASE_ELEMENT] = "element",
		[TT_CASE_URL] = "url",
	};
	struct tt_cases *c = ps->cfg->cases;
	const char *type = tt_cases_name(c, ps->case_type);
	struct case_lines *cl = case_lines_of(ps);
	char qn[96], qv[96], why[256];
	size_t off;
	int rc;

	quote(qn, sizeof(qn), name);
	quote(qv, sizeof(qv), value);
	if (!valid_text(value)) {
		report(ps, ps->lineno, "value '%s' for %s is not valid UTF-8 text", qv, qn);
		return 0;
	}
	for (int f = 0; f < TT_CASE_NFIELDS; f++) {
		if (strcmp(name, fields[f]) != 0)
			continue;
		if (!cl->pattern)
			cl->pattern = ps->lineno;
		if (*value == '\0') {
			report(ps, ps->lineno, "empty pattern for %s in [case.%s]", qn, type);
			return 0;
		}
		rc = tt_cases_add(c, ps->case_type, (enum tt_case_field)f, value,
				  why, sizeof(why), &off);
		if (rc == -EINVAL && off != SIZE_MAX)
			report(ps, ps->lineno,
			       "invalid pattern '%s' for %s in [case.%s]: %s at offset %zu",
			       qv, qn, type, why, off);
		else if (rc == -EINVAL)
			report(ps, ps->lineno, "pattern '%s' for %s in [case.%s] %s",
			       qv, qn, type, why);
		return rc == -EINVAL ? 0 : rc;
	}
	if (strcmp(name, "normalize") == 0 || strcmp(name, "store") == 0) {
		int *seen = name[0] == 'n' ? &cl->normalize : &cl->store;

		if (*seen) {
			report(ps, ps->lineno,
			       "duplicate key '%s' in [case.%s] (first set at line %d)",
			       qn, type, *seen);
			return 0;
		}
		*seen = ps->lineno;
		if (name[0] == 'n') {
			unsigned bits = 0;

			rc = case_normalize(ps, value, &bits);
			tt_cases_set_norm(c, ps->case_type, bits);
			return rc;
		}
		if (strcmp(value, "clear") == 0)
			tt_cases_set_store(c, ps->case_type, TT_CASE_STORE_CLEAR);
		else if (strcmp(value, "pseudonym") == 0)
			tt_cases_set_store(c, ps->case_type, TT_CASE_STORE_PSEUDONYM);
		else
			report(ps, ps->lineno,
			       "invalid value '%s' for store (use clear|pseudonym)", qv);
		return 0;
	}
	report(ps, ps->lineno,
	       "unknown key '%s' in [case.%s] (keys: title, element, url, normalize, store)",
	       qn, type);
	return 0;
}

/* After the file: every case type needs a pattern. */
static int
case_finish(struct parser *ps)
{
	struct tt_cases *c = ps->cfg->cases;

	for (size_t t = 0; t < tt_cases_count(c) && t < ps->ncase_lines; t++) {
		/* (a section whose patterns were all refused has errors already) */
		if (tt_cases_patterns(c, (unsigned)t) == 0 && !ps->case_lines[t].pattern)
			report(ps, ps->case_lines[t].header,
			       "[case.%s] has no pattern (give title, element or url)",
			       tt_cases_name(c, (unsigned)t));
	}
	return ps->oom;
}

/* ------------------------------------------------------------------ */
/* Titles                                                               */

#define ELLIPSIS "\xe2\x80\xa6"	/* U+2026 */

/* Replace every match of re in *s by the ellipsis. */
static int
redact_one(const regex_t *re, char **s)
{
	char *in = *s, *out = NULL;
	size_t out_len = 0;
	FILE *f;
	const char *p = in;
	regmatch_t m;
	int eflags = 0;

	f = open_memstream(&out, &out_len);
	if (!f)
		return -ENOMEM;
	while (*p && regexec(re, p, 1, &m, eflags) == 0) {
		fwrite(p, 1, (size_t)m.rm_so, f);
		fputs(ELLIPSIS, f);
		if (m.rm_eo == m.rm_so) {
			/* An empty match: keep one character, move on. */
			if (p[m.rm_eo] == '\0')
				break;
			fputc(p[m.rm_eo], f);
			p += m.rm_eo + 1;
		} else {
			p += m.rm_eo;
		}
		eflags = REG_NOTBOL;
	}
	fputs(p, f);
	if (fclose(f) != 0) {
		free(out);
		return -ENOMEM;
	}
	free(in);
	*s = out;
	return 0;
}

int
tt_config_redact_title(const struct tt_config *cfg, const char *title,
		       char **out)
{
	char *s;
	size_t len;
	int rc;

	*out = NULL;
	if (!cfg->privacy.capture_titles)
		return 0;
	s = strdup(title ? title : "");
	if (!s)
		return -ENOMEM;
	for (size_t i = 0; i < cfg->privacy.nredact; i++) {
		rc = redact_one(&cfg->privacy.redact[i].re, &s);
		if (rc < 0) {
			free(s);
			return rc;
		}
	}
	len = strlen(s);
	if (len > cfg->privacy.max_title) {
		len = cfg->privacy.max_title;
		/* Back off to the start of a UTF-8 sequence. */
		while (len > 0 && ((unsigned char)s[len] & 0xc0) == 0x80)
			len--;
		s[len] = '\0';
	}
	*out = s;
	return 0;
}
