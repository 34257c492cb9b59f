/* SPDX-License-Identifier: MIT */
/*
 * Tests for lib/config.c and lib/config-value.c: defaults, a full file,
 * each kind of error with its exact message, value parsers table-driven.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"
#include "tasktrace/config.h"

/* Collected error messages, joined by newlines. */
struct errors {
	char text[8192];
	int count;
};

static void
collect(void *ctx, const char *msg)
{
	struct errors *e = ctx;
	size_t len = strlen(e->text);

	snprintf(e->text + len, sizeof(e->text) - len, "%s\n", msg);
	e->count++;
}

/* Keep every test away from the machine's /etc/default/keyboard. */
static void
no_keyboard(void)
{
	setenv("TASKTRACE_KEYBOARD", "/nonexistent/keyboard", 1);
	unsetenv("TASKTRACE_CONFIG");
}

static char *
write_file(const char *name, const char *text)
{
	char *path = NULL;
	FILE *f;

	if (asprintf(&path, "%s/%s", tt_test_tmpdir(), name) < 0)
		abort();
	f = fopen(path, "w");
	if (!f)
		abort();
	fputs(text, f);
	fclose(f);
	return path;
}

/* Load text as file "t.conf" from memory. */
static int
load(struct tt_config *cfg, struct errors *e, const char *text)
{
	memset(e, 0, sizeof(*e));
	return tt_config_load_buffer(cfg, "t.conf", text, strlen(text), collect, e);
}

TEST(defaults)
{
	struct tt_config cfg;

	no_keyboard();
	CHECK_EQ(tt_config_init(&cfg), 0);
	CHECK_STR(cfg.store.path, "/var/lib/tasktrace");
	CHECK_EQ(cfg.store.map_size, 1ULL << 30);
	CHECK_EQ(cfg.store.retention_days, 90);
	CHECK_EQ(cfg.store.commit_interval_ns, 1000000000ULL);
	CHECK_STR(cfg.input.seats[0], "seat0");
	CHECK(cfg.input.seats[1] == NULL);
	CHECK(cfg.input.tapping);
	CHECK(cfg.input.keyboard_layout == NULL);
	CHECK_EQ(cfg.input.typing_pause_ns, 1500000000ULL);
	CHECK_EQ(cfg.input.idle_threshold_ns, 300000000000ULL);
	CHECK_EQ(cfg.input.double_click_ns, 400000000ULL);
	CHECK(cfg.privacy.exclude_users && cfg.privacy.exclude_users[0] == NULL);
	CHECK_STR(cfg.privacy.deny_apps[0], "keepassxc");
	CHECK(cfg.privacy.capture_titles);
	CHECK_EQ(cfg.privacy.nredact, 0);
	CHECK_EQ(cfg.privacy.max_title, 256);
	CHECK_EQ(cfg.privacy.user_pause_max_ns, 0);	/* pausing is off */
	CHECK(cfg.privacy.notice == NULL);		/* the built-in text */
	CHECK_EQ(cfg.privacy.min_burst_keys, 20);
	CHECK(cfg.session.static_user == NULL);
	CHECK(cfg.session.static_seat == NULL);
	CHECK_STR(cfg.collector.socket, "/run/tasktrace/collector.sock");
	CHECK_EQ(cfg.collector.rate_limit, 50);
	CHECK_EQ(cfg.collector.string_budget, 1 << 20);
	CHECK_EQ(cfg.collector.string_budget_total, 4 << 20);
	CHECK_STR(cfg.export.dir, "/var/lib/tasktrace-exports");
	CHECK_EQ(cfg.export.keep, 14);
	CHECK_EQ(cfg.export.formats, TT_EXPORT_CSV | TT_EXPORT_XES);
	CHECK_STR(cfg.export.secret, "/etc/tasktrace/secret");
	CHECK(!cfg.export.pseudonymize);
	CHECK_EQ(cfg.export.case_mode, TT_CASE_USER_DAY);
	CHECK_EQ(cfg.export.report, TT_REPORT_NO);
	tt_config_free(&cfg);
	tt_config_free(&cfg);	/* twice is fine */
}

TEST(default_deny_list_has_password_managers)
{
	static const char *const want[] = {
		"keepassxc", "org.keepassxc.KeePassXC", "1password", "bitwarden",
		"org.gnome.seahorse.Application",
	};
	struct tt_config cfg;

	CHECK_EQ(tt_config_init(&cfg), 0);
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		bool found = false;
		for (char **p = cfg.privacy.deny_apps; *p; p++)
			found |= strcmp(*p, want[i]) == 0;
		CHECK_MSG(found, "%s not in the default deny list", want[i]);
	}
	tt_config_free(&cfg);
}

static const char full_file[] =
	"# a full file\n"
	"[store]\n"
	"path = /srv/tt\n"
	"map_size = 4G\n"
	"retention_days = 0\n"
	"commit_interval = 250ms\n"
	"\n"
	"[input]\n"
	"seats = seat0, seat1\n"
	"tapping = off\n"
	"keyboard_layout = de\n"
	"keyboard_variant = nodeadkeys\n"
	"keyboard_model = pc105\n"
	"keyboard_options = ctrl:nocaps,compose:ralt\n"
	"typing_pause = 2s\n"
	"idle_threshold = 10m\n"
	"double_click = 350ms\n"
	"\n"
	"[privacy]\n"
	"exclude_users = root, 1001\n"
	"deny_apps = keepassxc, *Password*\n"
	"deny_apps = firefox-private ; an inline comment\n"
	"capture_titles = yes\n"
	"redact = [0-9]{4}-[0-9]{4}\n"
	"redact = secret[a-z]*\n"
	"max_title = 64\n"
	"\n"
	"[session]\n"
	"static_user = kiosk\n"
	"\n"
	"[collector]\n"
	"socket = /run/tt/c.sock\n"
	"rate_limit = 100\n"
	"\n"
	"  [export]\n"
	"\tdir = /srv/exports\n"
	"keep = 0\n"
	"formats = xes,jsonl,ocel\n"
	"secret: /etc/tt/key\n"
	"pseudonymize = TRUE\n"
	"case = focus\n"
	"report = weekly\n";

TEST(full_file)
{
	struct tt_config cfg;
	struct errors e;
	char *path = write_file("full.conf", full_file);

	no_keyboard();
	memset(&e, 0, sizeof(e));
	CHECK_EQ(tt_config_load(&cfg, path, false, collect, &e), 0);
	CHECK_EQ(e.count, 0);
	CHECK_STR(cfg.store.path, "/srv/tt");
	CHECK_EQ(cfg.store.map_size, 4ULL << 30);
	CHECK_EQ(cfg.store.retention_days, 0);
	CHECK_EQ(cfg.store.commit_interval_ns, 250000000ULL);
	CHECK_STR(cfg.input.seats[0], "seat0");
	CHECK_STR(cfg.input.seats[1], "seat1");
	CHECK(cfg.input.seats[2] == NULL);
	CHECK(!cfg.input.tapping);
	CHECK_STR(cfg.input.keyboard_layout, "de");
	CHECK_STR(cfg.input.keyboard_variant, "nodeadkeys");
	CHECK_STR(cfg.input.keyboard_model, "pc105");
	CHECK_STR(cfg.input.keyboard_options, "ctrl:nocaps,compose:ralt");
	CHECK_EQ(cfg.input.typing_pause_ns, 2000000000ULL);
	CHECK_EQ(cfg.input.idle_threshold_ns, 600000000000ULL);
	CHECK_EQ(cfg.input.double_click_ns, 350000000ULL);
	CHECK_STR(cfg.privacy.exclude_users[0], "root");
	CHECK_STR(cfg.privacy.exclude_users[1], "1001");
	CHECK(cfg.privacy.exclude_users[2] == NULL);
	/* the first deny_apps replaces the defaults, the second appends */
	CHECK_STR(cfg.privacy.deny_apps[0], "keepassxc");
	CHECK_STR(cfg.privacy.deny_apps[1], "*Password*");
	CHECK_STR(cfg.privacy.deny_apps[2], "firefox-private");
	CHECK(cfg.privacy.deny_apps[3] == NULL);
	CHECK(cfg.privacy.capture_titles);
	CHECK_EQ(cfg.privacy.nredact, 2);
	CHECK_STR(cfg.privacy.redact[1].pattern, "secret[a-z]*");
	CHECK_EQ(cfg.privacy.max_title, 64);
	CHECK_STR(cfg.session.static_user, "kiosk");
	CHECK_STR(cfg.session.static_seat, "seat0");
	CHECK_STR(cfg.collector.socket, "/run/tt/c.sock");
	CHECK_EQ(cfg.collector.rate_limit, 100);
	CHECK_STR(cfg.export.dir, "/srv/exports");
	CHECK_EQ(cfg.export.keep, 0);
	CHECK_EQ(cfg.export.formats, TT_EXPORT_XES | TT_EXPORT_JSONL | TT_EXPORT_OCEL);
	CHECK_STR(cfg.export.secret, "/etc/tt/key");
	CHECK(cfg.export.pseudonymize);
	CHECK_EQ(cfg.export.case_mode, TT_CASE_FOCUS);
	CHECK_EQ(cfg.export.report, TT_REPORT_WEEKLY);
	tt_config_free(&cfg);
	free(path);
}

TEST(example_file_is_valid_and_all_defaults)
{
	struct tt_config cfg, def;
	struct errors e;
	char *path = NULL;

	no_keyboard();
	if (asprintf(&path, "%s/docs/tasktrace.conf.example", tt_test_top()) < 0)
		abort();
	memset(&e, 0, sizeof(e));
	CHECK_EQ(tt_config_load(&cfg, path, false, collect, &e), 0);
	free(path);
	CHECK_EQ(tt_config_init(&def), 0);
	CHECK_EQ(cfg.store.map_size, def.store.map_size);
	CHECK_EQ(cfg.privacy.max_title, def.privacy.max_title);
	CHECK_EQ(cfg.privacy.user_pause_max_ns, def.privacy.user_pause_max_ns);
	tt_config_free(&def);
	tt_config_free(&cfg);
}

/* The example file with every "#key = default" uncommented must load
 * without errors and give exactly the defaults: the comments do not lie. */
TEST(example_file_uncommented_gives_defaults)
{
	struct tt_config cfg, def;
	struct errors e;
	char *out = NULL, *path;
	int rc;

	no_keyboard();
	rc = tt_test_run(&out, "sed -E 's/^#([a-z_]+ = [^ ])/\\1/' %s/docs/tasktrace.conf.example",
			 tt_test_top());
	CHECK_EQ(rc, 0);
	path = write_file("uncommented.conf", out);
	free(out);
	memset(&e, 0, sizeof(e));
	rc = tt_config_load(&cfg, path, false, collect, &e);
	CHECK_MSG(rc == 0, "rc %d: %s", rc, e.text);
	free(path);
	CHECK_EQ(tt_config_init(&def), 0);
	CHECK_STR(cfg.store.path, def.store.path);
	CHECK_EQ(cfg.store.map_size, def.store.map_size);
	CHECK_EQ(cfg.store.retention_days, def.store.retention_days);
	CHECK_EQ(cfg.store.commit_interval_ns, def.store.commit_interval_ns);
	CHECK_STR(cfg.input.seats[0], "seat0");
	CHECK_EQ(cfg.input.tapping, def.input.tapping);
	CHECK_EQ(cfg.input.typing_pause_ns, def.input.typing_pause_ns);
	CHECK_EQ(cfg.input.idle_threshold_ns, def.input.idle_threshold_ns);
	CHECK_EQ(cfg.input.double_click_ns, def.input.double_click_ns);
	for (size_t i = 0; def.privacy.deny_apps[i]; i++)
		CHECK_STR(cfg.privacy.deny_apps[i], def.privacy.deny_apps[i]);
	CHECK_EQ(cfg.privacy.capture_titles, def.privacy.capture_titles);
	CHECK_EQ(cfg.privacy.max_title, def.privacy.max_title);
	CHECK_STR(cfg.collector.socket, def.collector.socket);
	CHECK_EQ(cfg.collector.rate_limit, def.collector.rate_limit);
	CHECK_STR(cfg.export.dir, def.export.dir);
	CHECK_EQ(cfg.export.keep, def.export.keep);
	CHECK_EQ(cfg.export.formats, def.export.formats);
	CHECK_STR(cfg.export.secret, def.export.secret);
	CHECK_EQ(cfg.export.pseudonymize, def.export.pseudonymize);
	CHECK_EQ(cfg.export.case_mode, def.export.case_mode);
	CHECK(cfg.ship.server == NULL && cfg.ship.service == NULL);
	CHECK_STR(cfg.ship.ca, def.ship.ca);
	CHECK_STR(cfg.ship.cert, def.ship.cert);
	CHECK_STR(cfg.ship.key, def.ship.key);
	CHECK_EQ(cfg.ship.plaintext, def.ship.plaintext);
	CHECK_EQ(cfg.ship.batch, def.ship.batch);
	CHECK_EQ(cfg.ship.budget_ns, def.ship.budget_ns);
	CHECK_EQ(cfg.ship.users, def.ship.users);
	CHECK_EQ(cfg.ship.titles, def.ship.titles);
	CHECK_STR(cfg.ship.state_dir, def.ship.state_dir);
	CHECK_EQ(cfg.elements.capture, def.elements.capture);
	CHECK_EQ(cfg.elements.links, def.elements.links);
	CHECK_EQ(cfg.elements.unknown_text, def.elements.unknown_text);
	CHECK(cfg.elements.url_paths[0] == NULL);
	tt_config_free(&def);
	tt_config_free(&cfg);
}

/* [ship]: values, and the errors a person can make there. */
TEST(ship_section)
{
	static const struct {
		const char *text, *msg;
	} bad[] = {
		{ "[ship]\nserver = host=db password=hunter2\n",
		  "t.conf:2: server must not hold a password (use client certificates, "
		  "or a password file: PGPASSFILE, pgpass(5))\n" },
		{ "[ship]\nserver = host=db\nservice = tt\n",
		  "t.conf:3: [ship] has both server and service: give one of them\n" },
		{ "[ship]\ntitles = hash\n",
		  "t.conf:2: invalid value 'hash' for titles (use keep|pseudonymize|drop)\n" },
		{ "[ship]\nusers = drop\n",
		  "t.conf:2: invalid value 'drop' for users (use keep|pseudonymize)\n" },
		{ "[ship]\nbatch = 10\n", "t.conf:2: batch 10 is out of range (100 to 1000000)\n" },
		{ "[ship]\nca = ca.crt\n", "t.conf:2: ca must be an absolute path, not 'ca.crt'\n" },
	};
	struct tt_config cfg;
	struct errors e;
	const char *good = "[ship]\nserver = host=db.example.org dbname=tt user=tasktrace_ship\n"
			   "titles = pseudonymize\nusers = keep\nbatch = 2000\nbudget = 30s\n"
			   "plaintext = yes\n";

	no_keyboard();
	memset(&e, 0, sizeof(e));
	CHECK_EQ(tt_config_load_buffer(&cfg, "t.conf", good, strlen(good), collect, &e), 0);
	CHECK_STR(cfg.ship.server, "host=db.example.org dbname=tt user=tasktrace_ship");
	CHECK_EQ(cfg.ship.titles, TT_SHIP_PSEUDONYMIZE);
	CHECK_EQ(cfg.ship.users, TT_SHIP_KEEP);
	CHECK_EQ(cfg.ship.batch, 2000);
	CHECK_EQ(cfg.ship.budget_ns, 30000000000ULL);
	CHECK(cfg.ship.plaintext);
	tt_config_free(&cfg);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(&e, 0, sizeof(e));
		CHECK_EQ(tt_config_load_buffer(&cfg, "t.conf", bad[i].text, strlen(bad[i].text),
					       collect, &e), 1);
		CHECK_STR(e.text, bad[i].msg);
		tt_config_free(&cfg);
	}
}

/* [elements]: defaults, values, and the errors a person can make. */
TEST(elements_section)
{
	static const struct {
		const char *text, *msg;
	} bad[] = {
		{ "[elements]\ncapture = all\n",
		  "t.conf:2: invalid value 'all' for capture (use off|roles|names)\n" },
		{ "[elements]\nlinks = yes\n",
		  "t.conf:2: invalid value 'yes' for links (use role|names)\n" },
		{ "[elements]\nunknown_text = drop\n",
		  "t.conf:2: invalid value 'drop' for unknown_text (use hidden|coarse)\n" },
		{ "[elements]\nroles = yes\n", "t.conf:2: unknown key 'roles' in [elements]\n" },
	};
	struct tt_config cfg;
	struct errors e;
	const char *good = "[elements]\ncapture = roles\nlinks = names\n"
			   "unknown_text = hidden\nurl_paths = erp.example.org/app/*\n"
			   "url_paths = wiki.example.org/*, x/y\n";

	no_keyboard();
	CHECK_EQ(tt_config_init(&cfg), 0);
	CHECK_EQ(cfg.elements.capture, TT_ELEMENTS_NAMES);
	CHECK_EQ(cfg.elements.links, TT_LINKS_ROLE);
	CHECK_EQ(cfg.elements.unknown_text, TT_UNKNOWN_TEXT_COARSE);
	CHECK(cfg.elements.url_paths && !cfg.elements.url_paths[0]);
	tt_config_free(&cfg);

	memset(&e, 0, sizeof(e));
	CHECK_EQ(tt_config_load_buffer(&cfg, "t.conf", good, strlen(good), collect, &e), 0);
	CHECK_EQ(cfg.elements.capture, TT_ELEMENTS_ROLES);
	CHECK_EQ(cfg.elements.links, TT_LINKS_NAMES);
	CHECK_EQ(cfg.elements.unknown_text, TT_UNKNOWN_TEXT_HIDDEN);
	CHECK_STR(cfg.elements.url_paths[0], "erp.example.org/app/*");
	CHECK_STR(cfg.elements.url_paths[1], "wiki.example.org/*");
	CHECK_STR(cfg.elements.url_paths[2], "x/y");
	CHECK(cfg.elements.url_paths[3] == NULL);
	tt_config_free(&cfg);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(&e, 0, sizeof(e));
		CHECK_EQ(tt_config_load_buffer(&cfg, "t.conf", bad[i].text, strlen(bad[i].text),
					       collect, &e), 1);
		CHECK_STR(e.text, bad[i].msg);
		tt_config_free(&cfg);
	}
}

/* One error per case: the file, and the exact message expected. */
static const struct {
	const char *text;
	const char *msg;
} error_cases[] = {
	{ "[store]\nfoo = 1\n", "t.conf:2: unknown key 'foo' in [store]" },
	{ "[stroe]\npath = /x\n",
	  "t.conf:1: unknown section [stroe] (sections: store, input, privacy, session, collector, export, ship, elements, case.NAME)" },
	{ "path = /x\n",
	  "t.conf:1: key 'path' outside a section (add e.g. [store] above it)" },
	{ "[input]\nidle_threshold = 5x\n",
	  "t.conf:2: invalid duration '5x' for idle_threshold (use e.g. 300ms, 1.5s, 5m, 2h)" },
	{ "[input]\ntapping = maybe\n",
	  "t.conf:2: invalid boolean 'maybe' for tapping (use yes/no, true/false, on/off, 1/0)" },
	{ "[store]\nmap_size = 4X\n",
	  "t.conf:2: invalid size '4X' for map_size (use e.g. 512M, 4G)" },
	{ "[store]\nretention_days = -1\n",
	  "t.conf:2: invalid number '-1' for retention_days (use a whole number from 0 to 36500)" },
	{ "[store]\nretention_days = 40000\n",
	  "t.conf:2: retention_days 40000 is out of range (0 to 36500)" },
	{ "[store]\ncommit_interval = 2s\n",
	  "t.conf:2: commit_interval 2s is out of range (1ms to 1s)" },
	{ "[store]\nmap_size = 99999999999999999999G\n",
	  "t.conf:2: map_size 99999999999999999999G is out of range (1M to 16T)" },
	{ "[store]\npath = /a\n\npath = /b\n",
	  "t.conf:4: duplicate key 'path' in [store] (first set at line 2)" },
	{ "[store]\npath = relative\n",
	  "t.conf:2: path must be an absolute path, not 'relative'" },
	{ "[store]\njust words\n",
	  "t.conf:2: expected 'key = value', '[section]' or a comment" },
	{ "[store\npath = /x\n",
	  "t.conf:1: section header '[store' lacks its closing ']'" },
	{ "[store] junk\n",
	  "t.conf:1: unexpected text after the section header '[store] junk'" },
	{ "[privacy]\nredact = (unclosed\n",
	  "t.conf:2: invalid regular expression '(unclosed' for redact: Unmatched ( or \\(" },
	{ "[privacy]\nredact = x*\n",
	  "t.conf:2: regular expression 'x*' for redact matches the empty string" },
	{ "[privacy]\nredact = a++\n",
	  "t.conf:2: regular expression 'a++' for redact applies a repetition to a repetition" },
	{ "[privacy]\nredact = x{2}{3}\n",
	  "t.conf:2: regular expression 'x{2}{3}' for redact applies a repetition to a repetition" },
	{ "[privacy]\nredact = a{256}\n",
	  "t.conf:2: regular expression 'a{256}' for redact repeats more than 255 times" },
	{ "[privacy]\nredact = a{1,99999}\n",
	  "t.conf:2: regular expression 'a{1,99999}' for redact repeats more than 255 times" },
	{ "[privacy]\nredact = b{,30000}\n",
	  "t.conf:2: regular expression 'b{,30000}' for redact repeats more than 255 times" },
	{ "[privacy]\nredact = ((a{99}){99})x\n",
	  "t.conf:2: regular expression '((a{99}){99})x' for redact is too complex" },
	{ "[privacy]\nredact = ((((((((((((((((((((((((((((((((((x))))))))))))))))))))))))))))))))))\n",
	  "t.conf:2: regular expression '((((((((((((((((((((((((((((((((((x))))))))))))))))))))))))))))))))))' for redact nests groups too deeply" },
	{ "[privacy]\nredact = (ab)\\1\n",
	  "t.conf:2: regular expression '(ab)\\x5c1' for redact uses a back-reference (not supported)" },
	{ "[privacy]\nexclude_users = alice,,bob\n",
	  "t.conf:2: empty item in the list for exclude_users" },
	{ "[privacy]\nexclude_users = al ice\n",
	  "t.conf:2: invalid user 'al ice' for exclude_users (use a user name or a numeric uid)" },
	{ "[input]\nseats = seta0\n",
	  "t.conf:2: invalid seat 'seta0' for seats (seat names start with 'seat', e.g. seat0)" },
	{ "[input]\nseats =\n", "t.conf:2: seats needs at least one seat" },
	{ "[input]\nkeyboard_layout =\n", "t.conf:2: empty value for keyboard_layout" },
	{ "[export]\nformats = csv,pdf\n",
	  "t.conf:2: unknown export format 'pdf' (use csv, xes, ocel, jsonl)" },
	{ "[export]\nformats = csv, ,xes\n", "t.conf:2: empty item in the list for formats" },
	{ "[export]\nformats = csv,csv\n", "t.conf:2: 'csv' is listed twice for formats" },
	{ "[export]\ncase = weekly\n",
	  "t.conf:2: invalid case 'weekly' (use user-day, idle or focus)" },
	{ "[export]\nreport = monthly\n",
	  "t.conf:2: invalid value 'monthly' for report (use no|daily|weekly)" },
	{ "[privacy]\nuser_pause_max = 8d\n",
	  "t.conf:2: user_pause_max 8d is out of range (0 (off) to 7d)" },
	{ "[privacy]\nuser_pause_max = a while\n",
	  "t.conf:2: invalid duration 'a while' for user_pause_max (use e.g. 300ms, 1.5s, 5m, 2h)" },
	{ "[privacy]\nnotice =\n", "t.conf:2: empty value for notice" },
	{ "[privacy]\nnotice = caf\xe9\n",
	  "t.conf:2: value 'caf\\xe9' for notice is not valid UTF-8 text" },
	{ "[collector]\nrate_limit = 0\n",
	  "t.conf:2: rate_limit 0 is out of range (1 to 10000)" },
	{ "[collector]\nstring_budget = 1K\n",
	  "t.conf:2: string_budget 1K is out of range (4K to 1G)" },
	{ "[collector]\nsocket = /run/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n",
	  "t.conf:2: socket '/run/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa...' is too long for a socket path (at most 107 bytes)" },
	{ "[session]\nstatic_seat = seat1\n",
	  "t.conf:2: static_seat is set but static_user is not" },
	{ "[store]\n= /x\n", "t.conf:2: missing key name before '='" },
	{ "[st\xffre]\n",
	  "t.conf:1: unknown section [st\\xffre] (sections: store, input, privacy, session, collector, export, ship, elements, case.NAME)" },
	{ "[store]\np\xe4th = /x\n", "t.conf:2: unknown key 'p\\xe4th' in [store]" },
	{ "[input]\nkeyboard_layout = d\xe9\n",
	  "t.conf:2: value 'd\\xe9' for keyboard_layout is not valid UTF-8 text" },
	{ "[input]\nkeyboard_layout = \xc0\xaf\n",
	  "t.conf:2: value '\\xc0\\xaf' for keyboard_layout is not valid UTF-8 text" },
	{ "[input]\nkeyboard_layout = a\x1b[31mb\n",
	  "t.conf:2: value 'a\\x1b[31mb' for keyboard_layout is not valid UTF-8 text" },
};

TEST(each_error_exact_message)
{
	for (size_t i = 0; i < sizeof(error_cases) / sizeof(error_cases[0]); i++) {
		struct tt_config cfg;
		struct errors e;
		char want[1024];
		int rc;

		no_keyboard();
		rc = load(&cfg, &e, error_cases[i].text);
		tt_config_free(&cfg);
		snprintf(want, sizeof(want), "%s\n", error_cases[i].msg);
		CHECK_MSG(rc == 1 && e.count == 1 && strcmp(e.text, want) == 0,
			  "case %zu: rc %d, %d errors:\n%s  want:\n%s", i, rc, e.count,
			  e.text, want);
	}
}

TEST(unknown_section_reported_once_keys_ignored)
{
	struct tt_config cfg;
	struct errors e;

	no_keyboard();
	CHECK_EQ(load(&cfg, &e, "[nope]\na = 1\nb = 2\n[store]\npath = /ok\n"), 1);
	CHECK_STR(cfg.store.path, "/ok");
	tt_config_free(&cfg);
}

TEST(all_errors_reported_in_order)
{
	struct tt_config cfg;
	struct errors e;
	int rc;

	no_keyboard();
	rc = load(&cfg, &e,
		  "stray = 1\n"			/* 1 */
		  "[store]\n"			/* 2 */
		  "map_size = big\n"		/* 3 */
		  "no equals sign\n"		/* 4 */
		  "[input]\n"			/* 5 */
		  "tapping = yes\n"		/* 6 */
		  "tapping = no\n"		/* 7 */
		  "bogus = 1\n"			/* 8 */
		  "[privacy]\n"			/* 9 */
		  "redact = [z-a]\n"		/* 10 */
		  "max_title = 0\n"		/* 11 */
		  "[export\n"			/* 12 */
		  "dir = x\n"			/* 13: ignored, header broken */
		  "[export]\n"			/* 14 */
		  "dir = relative\n");		/* 15 */
	tt_config_free(&cfg);
	CHECK_EQ(rc, 9);
	CHECK_EQ(e.count, 9);
	CHECK_STR(e.text,
		  "t.conf:1: key 'stray' outside a section (add e.g. [store] above it)\n"
		  "t.conf:3: invalid size 'big' for map_size (use e.g. 512M, 4G)\n"
		  "t.conf:4: expected 'key = value', '[section]' or a comment\n"
		  "t.conf:7: duplicate key 'tapping' in [input] (first set at line 6)\n"
		  "t.conf:8: unknown key 'bogus' in [input]\n"
		  "t.conf:10: invalid regular expression '[z-a]' for redact: Invalid range end\n"
		  "t.conf:11: max_title 0 is out of range (1 to 4096)\n"
		  "t.conf:12: section header '[export' lacks its closing ']'\n"
		  "t.conf:15: dir must be an absolute path, not 'relative'\n");
}

/* Issue 14: the threshold of short typing bursts, 8 … 1000. */
TEST(min_burst_keys)
{
	struct tt_config cfg;
	struct errors e;

	no_keyboard();
	CHECK_EQ(load(&cfg, &e, "[privacy]\nmin_burst_keys = 32\n"), 0);
	CHECK_EQ(cfg.privacy.min_burst_keys, 32);
	tt_config_free(&cfg);
	CHECK_EQ(load(&cfg, &e, "[privacy]\nmin_burst_keys = 8\n"), 0);
	CHECK_EQ(cfg.privacy.min_burst_keys, 8);
	tt_config_free(&cfg);
	CHECK_EQ(load(&cfg, &e, "[privacy]\nmin_burst_keys = 7\n"
			      "[privacy]\n"), 1);
	CHECK_STR(e.text, "t.conf:2: min_burst_keys 7 is out of range (8 to 1000)\n");
	tt_config_free(&cfg);
	CHECK_EQ(load(&cfg, &e, "[privacy]\nmin_burst_keys = 1001\n"), 1);
	CHECK_STR(e.text, "t.conf:2: min_burst_keys 1001 is out of range (8 to 1000)\n");
	tt_config_free(&cfg);
	CHECK_EQ(load(&cfg, &e, "[privacy]\nmin_burst_keys = few\n"), 1);
	CHECK_CONTAINS(e.text, "t.conf:2: ");
	CHECK_CONTAINS(e.text, "min_burst_keys");
	tt_config_free(&cfg);
}

TEST(long_line_and_nul_byte)
{
	struct tt_config cfg;
	struct errors e;
	char text[1024];
	char longv[300];
	int rc;

	no_keyboard();
	memset(longv, 'a', sizeof(longv) - 1);
	longv[sizeof(longv) - 1] = '\0';
	snprintf(text, sizeof(text), "[input]\nkeyboard_options = %s\ntapping = nope\n", longv);
	rc = load(&cfg, &e, text);
	tt_config_free(&cfg);
	CHECK_EQ(rc, 2);
	/* the long line is one error and not split into more lines */
	CHECK_STR(e.text,
		  "t.conf:2: line too long (more than 198 bytes)\n"
		  "t.conf:3: invalid boolean 'nope' for tapping (use yes/no, true/false, on/off, 1/0)\n");

	memset(&e, 0, sizeof(e));
	static const char nul[] = "[store]\npath = /a\0b\n[input]\n";
	rc = tt_config_load_buffer(&cfg, "t.conf", nul, sizeof(nul) - 1, collect, &e);
	tt_config_free(&cfg);
	CHECK_EQ(rc, 1);
	CHECK_STR(e.text, "t.conf:2: NUL byte in line\n");
}

TEST(line_at_the_limit_is_fine)
{
	struct tt_config cfg;
	struct errors e;
	char text[512];
	char v[TT_CONFIG_MAX_LINE + 1];
	const char *prefix = "keyboard_options = ";

	no_keyboard();
	memset(v, 'o', sizeof(v));
	memcpy(v, prefix, strlen(prefix));
	v[TT_CONFIG_MAX_LINE] = '\0';
	snprintf(text, sizeof(text), "[input]\n%s\r\n", v);
	CHECK_EQ(load(&cfg, &e, text), 0);
	CHECK_EQ(strlen(cfg.input.keyboard_options), TT_CONFIG_MAX_LINE - strlen(prefix));
	tt_config_free(&cfg);
}

TEST(syntax_variants_accepted)
{
	struct tt_config cfg;
	struct errors e;

	no_keyboard();
	/* BOM, CRLF, ';' comments, indented keys (never continuations),
	 * repeated sections, a file without a final newline */
	CHECK_EQ(load(&cfg, &e,
		      "\xef\xbb\xbf; comment\r\n"
		      "[store] ; trailing comment\r\n"
		      "path = /a\r\n"
		      "    retention_days = 7\r\n"
		      "[input]\n"
		      "[store]\n"
		      "map_size = 2G"), 0);
	CHECK_STR(cfg.store.path, "/a");
	CHECK_EQ(cfg.store.retention_days, 7);
	CHECK_EQ(cfg.store.map_size, 2ULL << 30);
	tt_config_free(&cfg);

	CHECK_EQ(load(&cfg, &e, ""), 0);
	tt_config_free(&cfg);

	/* Latin-1 in a comment is nobody's business */
	CHECK_EQ(load(&cfg, &e, "# caf\xe9\n[store] ; d\xe9j\xe0\npath = /a ; \xff\n"), 0);
	CHECK_STR(cfg.store.path, "/a");
	tt_config_free(&cfg);
}

TEST(empty_deny_apps_clears_the_list)
{
	struct tt_config cfg;
	struct errors e;

	no_keyboard();
	CHECK_EQ(load(&cfg, &e, "[privacy]\ndeny_apps =\n"), 0);
	CHECK(cfg.privacy.deny_apps[0] == NULL);
	tt_config_free(&cfg);
}

/* Patterns people write must stay well inside the complexity limit. */
TEST(realistic_regexes_accepted)
{
	static const char *const ok[] = {
		"[0-9]{4}([ -]?[0-9]{4}){3}",
		"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}",
		"(Invoice|Rechnung) #?[0-9]+",
		"[[:alpha:]]+[[:digit:]]{1,255}",
		"[]a]+|[^]b]*x",
		"\\(private\\)",
		"[A-Z]{2}[0-9]{2}( ?[0-9A-Z]{4}){3,7}",	/* IBAN */
	};

	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		struct tt_config cfg;
		struct errors e;
		char text[256];
		int rc;

		no_keyboard();
		snprintf(text, sizeof(text), "[privacy]\nredact = %s\n", ok[i]);
		rc = load(&cfg, &e, text);
		tt_config_free(&cfg);
		CHECK_MSG(rc == 0, "'%s': %s", ok[i], e.text);
	}
}

/* Found by the fuzzer: glibc's regcomp took minutes on this. */
TEST(regex_blowup_refused_quickly)
{
	struct tt_config cfg;
	struct errors e;
	char text[256];

	no_keyboard();
	snprintf(text, sizeof(text), "[privacy]\nredact = [0-9]i# configurati%s\n",
		 "++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++");
	CHECK_EQ(load(&cfg, &e, text), 1);
	CHECK_CONTAINS(e.text, "applies a repetition to a repetition");
	tt_config_free(&cfg);
}

TEST(utf8_values_accepted)
{
	struct tt_config cfg;
	struct errors e;

	no_keyboard();
	CHECK_EQ(load(&cfg, &e, "[privacy]\nredact = Geheimnis|机密|🔒\n"), 0);
	CHECK_EQ(cfg.privacy.nredact, 1);
	tt_config_free(&cfg);
}

TEST(missing_files)
{
	struct tt_config cfg;
	struct errors e;
	char *path = NULL;
	int rc;

	no_keyboard();
	if (asprintf(&path, "%s/absent.conf", tt_test_tmpdir()) < 0)
		abort();

	/* named, must exist */
	memset(&e, 0, sizeof(e));
	rc = tt_config_load(&cfg, path, false, collect, &e);
	tt_config_free(&cfg);
	CHECK_EQ(rc, -ENOENT);
	CHECK_EQ(e.count, 1);
	CHECK_CONTAINS(e.text, "absent.conf: cannot open: No such file or directory");

	/* explicitly allowed */
	memset(&e, 0, sizeof(e));
	CHECK_EQ(tt_config_load(&cfg, path, true, collect, &e), 0);
	CHECK_EQ(e.count, 0);
	CHECK_EQ(cfg.store.retention_days, 90);
	tt_config_free(&cfg);

	/* the default path named by TASKTRACE_CONFIG: must exist */
	setenv("TASKTRACE_CONFIG", path, 1);
	CHECK_STR(tt_config_default_path(), path);
	memset(&e, 0, sizeof(e));
	rc = tt_config_load(&cfg, NULL, true, collect, &e);
	tt_config_free(&cfg);
	unsetenv("TASKTRACE_CONFIG");
	CHECK_EQ(rc, -ENOENT);

	/* a directory is not a config file */
	memset(&e, 0, sizeof(e));
	rc = tt_config_load(&cfg, tt_test_tmpdir(), false, collect, &e);
	tt_config_free(&cfg);
	CHECK_EQ(rc, -EISDIR);
	free(path);
}

TEST(default_path)
{
	unsetenv("TASKTRACE_CONFIG");
	CHECK_STR(tt_config_default_path(), "/etc/tasktrace/tasktrace.conf");
	setenv("TASKTRACE_CONFIG", "", 1);
	CHECK_STR(tt_config_default_path(), "/etc/tasktrace/tasktrace.conf");
	setenv("TASKTRACE_CONFIG", "/tmp/x.conf", 1);
	CHECK_STR(tt_config_default_path(), "/tmp/x.conf");
	unsetenv("TASKTRACE_CONFIG");
}

TEST(missing_default_file_gives_defaults)
{
	struct tt_config cfg;
	struct errors e;

	no_keyboard();
	/* The machine's /etc/tasktrace/tasktrace.conf is not ours to rely on:
	 * only run when it is absent. */
	if (access(TT_CONFIG_PATH, F_OK) == 0)
		return;
	memset(&e, 0, sizeof(e));
	CHECK_EQ(tt_config_load(&cfg, NULL, false, collect, &e), 0);
	CHECK_EQ(e.count, 0);
	tt_config_free(&cfg);
}

TEST(keyboard_defaults)
{
	struct tt_config cfg;
	struct errors e;
	char *kb = write_file("keyboard",
			      "# KEYBOARD CONFIGURATION FILE\n"
			      "XKBMODEL=\"pc105\"\n"
			      "XKBLAYOUT='de,us'\n"
			      "XKBVARIANT=\"\"\n"
			      "XKBOPTIONS=ctrl:nocaps # comment\n"
			      "BACKSPACE=\"guess\"\n");

	unsetenv("TASKTRACE_CONFIG");
	setenv("TASKTRACE_KEYBOARD", kb, 1);
	CHECK_EQ(load(&cfg, &e, "[store]\n"), 0);
	CHECK_STR(cfg.input.keyboard_model, "pc105");
	CHECK_STR(cfg.input.keyboard_layout, "de,us");
	CHECK(cfg.input.keyboard_variant == NULL);
	CHECK_STR(cfg.input.keyboard_options, "ctrl:nocaps");
	tt_config_free(&cfg);

	/* any keyboard_* key in the config: the file is not read at all */
	CHECK_EQ(load(&cfg, &e, "[input]\nkeyboard_layout = fr\n"), 0);
	CHECK_STR(cfg.input.keyboard_layout, "fr");
	CHECK(cfg.input.keyboard_model == NULL);
	CHECK(cfg.input.keyboard_options == NULL);
	tt_config_free(&cfg);
	free(kb);
}

/* ---- value parsers ---------------------------------------------- */

static const struct {
	const char *s;
	int rc;
	uint64_t ns;
} durations[] = {
	{ "0", 0, 0 },
	{ "0s", 0, 0 },
	{ "1ns", 0, 1 },
	{ "300ms", 0, 300000000ULL },
	{ "1.5s", 0, 1500000000ULL },
	{ "5m", 0, 300000000000ULL },
	{ "2h", 0, 7200000000000ULL },
	{ "1d", 0, 86400000000000ULL },
	{ "250us", 0, 250000ULL },
	{ "0.000000001s", 0, 1 },
	{ "1.0000000000s", 0, 1000000000ULL },	/* zeros past ns are fine */
	{ "0.0000000001s", -EINVAL, 0 },	/* sub-nanosecond */
	{ "1.5ns", -EINVAL, 0 },
	{ "18446744073709551615ns", 0, UINT64_MAX },
	{ "18446744073709551616ns", -ERANGE, 0 },
	{ "18446744073.709551615s", 0, UINT64_MAX },
	{ "18446744073.709551616s", -ERANGE, 0 },
	{ "213503d", 0, 213503ULL * 86400000000000ULL },
	{ "213504d", -ERANGE, 0 },
	{ "99999999999999999999999h", -ERANGE, 0 },
	{ "", -EINVAL, 0 },
	{ "s", -EINVAL, 0 },
	{ ".5s", -EINVAL, 0 },
	{ "1.s", -EINVAL, 0 },
	{ "5", -EINVAL, 0 },			/* a unit is required */
	{ "1.5", -EINVAL, 0 },
	{ "5x", -EINVAL, 0 },
	{ "5 s", -EINVAL, 0 },
	{ " 5s", -EINVAL, 0 },
	{ "5s ", -EINVAL, 0 },
	{ "-5s", -EINVAL, 0 },
	{ "+5s", -EINVAL, 0 },
	{ "5S", -EINVAL, 0 },
	{ "5sec", -EINVAL, 0 },
	{ "1h30m", -EINVAL, 0 },
	{ "0x10s", -EINVAL, 0 },
};

TEST(duration_table)
{
	for (size_t i = 0; i < sizeof(durations) / sizeof(durations[0]); i++) {
		uint64_t v = 12345;
		int rc = tt_parse_duration(durations[i].s, &v);

		CHECK_MSG(rc == durations[i].rc, "'%s': rc %d, want %d",
			  durations[i].s, rc, durations[i].rc);
		if (rc == 0)
			CHECK_MSG(v == durations[i].ns, "'%s': %" PRIu64 ", want %" PRIu64,
				  durations[i].s, v, durations[i].ns);
		else
			CHECK_MSG(v == 12345, "'%s': output touched on error", durations[i].s);
	}
	CHECK_EQ(tt_parse_duration(NULL, &(uint64_t){ 0 }), -EINVAL);
}

static const struct {
	const char *s;
	int rc;
	uint64_t bytes;
} sizes[] = {
	{ "0", 0, 0 },
	{ "4096", 0, 4096 },
	{ "1K", 0, 1024 },
	{ "512M", 0, 512ULL << 20 },
	{ "4G", 0, 4ULL << 30 },
	{ "1GiB", 0, 1ULL << 30 },
	{ "2T", 0, 2ULL << 40 },
	{ "1P", 0, 1ULL << 50 },
	{ "15E", 0, 15ULL << 60 },
	{ "16E", -ERANGE, 0 },
	{ "18446744073709551615", 0, UINT64_MAX },
	{ "18446744073709551616", -ERANGE, 0 },
	{ "17179869184G", -ERANGE, 0 },
	{ "17179869183G", 0, 17179869183ULL << 30 },
	{ "", -EINVAL, 0 },
	{ "G", -EINVAL, 0 },
	{ "4g", -EINVAL, 0 },
	{ "4GB", -EINVAL, 0 },
	{ "4Gi", -EINVAL, 0 },
	{ "4X", -EINVAL, 0 },
	{ "1.5G", -EINVAL, 0 },
	{ "-1", -EINVAL, 0 },
	{ " 4G", -EINVAL, 0 },
	{ "4G ", -EINVAL, 0 },
	{ "4 G", -EINVAL, 0 },
};

TEST(size_table)
{
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		uint64_t v = 777;
		int rc = tt_parse_size(sizes[i].s, &v);

		CHECK_MSG(rc == sizes[i].rc, "'%s': rc %d, want %d",
			  sizes[i].s, rc, sizes[i].rc);
		if (rc == 0)
			CHECK_MSG(v == sizes[i].bytes, "'%s': %" PRIu64 ", want %" PRIu64,
				  sizes[i].s, v, sizes[i].bytes);
		else
			CHECK(v == 777);
	}
}

static const struct {
	const char *s;
	int rc;
	bool b;
} bools[] = {
	{ "yes", 0, true }, { "no", 0, false },
	{ "true", 0, true }, { "false", 0, false },
	{ "on", 0, true }, { "off", 0, false },
	{ "1", 0, true }, { "0", 0, false },
	{ "YES", 0, true }, { "Off", 0, false }, { "TrUe", 0, true },
	{ "", -EINVAL, false }, { "y", -EINVAL, false }, { "2", -EINVAL, false },
	{ " yes", -EINVAL, false }, { "yes ", -EINVAL, false },
	{ "yess", -EINVAL, false }, { "01", -EINVAL, false },
	{ "enabled", -EINVAL, false },
};

TEST(bool_table)
{
	for (size_t i = 0; i < sizeof(bools) / sizeof(bools[0]); i++) {
		bool v = !bools[i].b;
		int rc = tt_parse_bool(bools[i].s, &v);

		CHECK_MSG(rc == bools[i].rc, "'%s': rc %d", bools[i].s, rc);
		if (rc == 0)
			CHECK_MSG(v == bools[i].b, "'%s': %d", bools[i].s, v);
	}
}

static const struct {
	const char *s;
	uint64_t max;
	int rc;
	uint64_t v;
} uints[] = {
	{ "0", 10, 0, 0 },
	{ "10", 10, 0, 10 },
	{ "007", 10, 0, 7 },
	{ "11", 10, -ERANGE, 0 },
	{ "18446744073709551615", UINT64_MAX, 0, UINT64_MAX },
	{ "18446744073709551616", UINT64_MAX, -ERANGE, 0 },
	{ "", 10, -EINVAL, 0 },
	{ "-1", 10, -EINVAL, 0 },
	{ "+1", 10, -EINVAL, 0 },
	{ " 1", 10, -EINVAL, 0 },
	{ "1 ", 10, -EINVAL, 0 },
	{ "0x1", 10, -EINVAL, 0 },
	{ "1e3", 10000, -EINVAL, 0 },
};

TEST(uint_table)
{
	for (size_t i = 0; i < sizeof(uints) / sizeof(uints[0]); i++) {
		uint64_t v = 99;
		int rc = tt_parse_uint(uints[i].s, uints[i].max, &v);

		CHECK_MSG(rc == uints[i].rc, "'%s': rc %d, want %d", uints[i].s, rc,
			  uints[i].rc);
		if (rc == 0)
			CHECK_EQ(v, uints[i].v);
	}
}

/* ---- titles ------------------------------------------------------ */

TEST(redact_title)
{
	struct tt_config cfg;
	struct errors e;
	char *t = NULL;

	no_keyboard();
	CHECK_EQ(load(&cfg, &e,
		      "[privacy]\n"
		      "redact = [0-9]{4}( [0-9]{4}){3}\n"
		      "redact = [A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\n"
		      "max_title = 24\n"), 0);
	CHECK_EQ(tt_config_redact_title(&cfg, "Pay 4111 1111 1111 1111 now", &t), 0);
	CHECK_STR(t, "Pay \xe2\x80\xa6 now");
	free(t);
	CHECK_EQ(tt_config_redact_title(&cfg, "a@b.org, c@d.org", &t), 0);
	CHECK_STR(t, "\xe2\x80\xa6, \xe2\x80\xa6");
	free(t);
	/* cut to 24 bytes, never inside a UTF-8 sequence: 'ä' is 2 bytes */
	CHECK_EQ(tt_config_redact_title(&cfg, "aaaaaaaaaaaaaaaaaaaaaaaää", &t), 0);
	CHECK_STR(t, "aaaaaaaaaaaaaaaaaaaaaaa");
	free(t);
	cfg.privacy.capture_titles = false;
	CHECK_EQ(tt_config_redact_title(&cfg, "anything", &t), 0);
	CHECK(t == NULL);
	tt_config_free(&cfg);
}

TEST(privacy_pause_and_notice)
{
	struct tt_config cfg;
	struct errors e;

	no_keyboard();
	CHECK_EQ(load(&cfg, &e, "[privacy]\nuser_pause_max = 30m\n"
			       "notice = Recorded: apps and times \u2014 see yours with tasktrace me\n"), 0);
	CHECK_EQ(cfg.privacy.user_pause_max_ns, 30ULL * 60 * 1000000000ULL);
	CHECK_STR(cfg.privacy.notice, "Recorded: apps and times \u2014 see yours with tasktrace me");
	tt_config_free(&cfg);
	CHECK_EQ(load(&cfg, &e, "[privacy]\nuser_pause_max = 7d\n"), 0);
	CHECK_EQ(cfg.privacy.user_pause_max_ns, 7ULL * 86400 * 1000000000ULL);
	tt_config_free(&cfg);
	CHECK_EQ(load(&cfg, &e, "[privacy]\nuser_pause_max = 0\n"), 0);
	CHECK_EQ(cfg.privacy.user_pause_max_ns, 0);
	tt_config_free(&cfg);
}
