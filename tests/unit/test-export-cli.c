/* SPDX-License-Identifier: MIT */
/*
 * `tasktrace export` end to end: a fixture store (export-fixture.h)
 * exported through the program, every XES and OCEL export validated
 * against the schemas in tests/data/formats/ (override: TT_FORMATS),
 * pseudonyms, exit codes, and what an interrupted export leaves behind.
 */
#include <dirent.h>
#include <errno.h>
#include <json.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "mining/pseudo.h"
#include "export-fixture.h"
#include "harness.h"

static char cli[4096];
static char formats[4096];
static char store[4096];

/*
 * The program under test, $TT_BUILD/tasktrace (scripts/run-tests sets
 * TT_BUILD). The first call also pins what the program reads besides its
 * arguments: an empty configuration and TZ=UTC, so that dates on the
 * command line (local time, as everywhere in tasktrace) are UTC dates.
 */
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
	unsetenv("TASKTRACE_SECRET");
	unsetenv("TASKTRACE_STORE");
	unsetenv("TASKTRACE_EXPORT_DIR");
	return cli;
}

static const char *
formats_dir(void)
{
	const char *env = getenv("TT_FORMATS");

	/* The schemas are test data of the repository: tests/data/formats
	 * under its top (TT_TOP, set by scripts/run-tests). */
	if (!formats[0] && env)
		snprintf(formats, sizeof(formats), "%s", env);
	else if (!formats[0])
		snprintf(formats, sizeof(formats), "%s/tests/data/formats", tt_test_top());
	return formats;
}

static const char *
fixture(void)
{
	if (!store[0]) {
		snprintf(store, sizeof(store), "%s/store", tt_test_tmpdir());
		if (fx_build(store) != 0) {
			fprintf(stderr, "    cannot build the fixture store\n");
			exit(99);
		}
	}
	return store;
}

static char *
slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	if (buf)
		buf[n] = '\0';
	fclose(f);
	return buf;
}

/* Run an export; its exit status. Output in *out when out != NULL. */
#define EXPORT(out, ...) \
	tt_test_run(out, "%s export --quiet --store %s " __VA_ARGS__)

static int
count_lines(const char *s)
{
	int n = 0;

	for (; s && *s; s++)
		n += *s == '\n';
	return n;
}

/* Files in @p dir, hidden ones included ("." and ".." not). */
static int
count_files(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int n = 0;

	if (!d)
		return -1;
	while ((de = readdir(d)))
		n += strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0;
	closedir(d);
	return n;
}

static const char *
new_dir(const char *name)
{
	static char path[8][4096];
	static int next;
	char *p = path[next++ % 8];

	snprintf(p, 4096, "%s/%s", tt_test_tmpdir(), name);
	mkdir(p, 0755);
	return p;
}

/* A secret of 32 fixed bytes @p fill, mode 0600. */
static const char *
make_secret(char fill)
{
	static char path[2][4096];
	char *p = path[fill & 1];
	char key[32];
	FILE *f;

	snprintf(p, 4096, "%s/secret-%c", tt_test_tmpdir(), fill);
	memset(key, fill, sizeof(key));
	f = fopen(p, "wb");
	fwrite(key, 1, sizeof(key), f);
	fclose(f);
	chmod(p, 0600);
	return p;
}

static const char *
jsonschema(void)
{
	/* Debian's python3-jsonschema; /usr/bin first so that a private
	 * Python on PATH without the module cannot hide it. */
	if (tt_test_run(NULL, "/usr/bin/python3 -m jsonschema --version >/dev/null 2>&1") == 0)
		return "/usr/bin/python3 -m jsonschema";
	if (tt_test_run(NULL, "python3 -m jsonschema --version >/dev/null 2>&1") == 0)
		return "python3 -m jsonschema";
	return NULL;
}

static int
xes_valid(const char *file)
{
	return tt_test_run(NULL, "xmllint --noout --schema "
			   "%s/xes-ieee-1849-2016.UNVERIFIED-transcription.xsd %s 2>&1",
			   formats_dir(), file);
}

static int
ocel_valid(const char *file)
{
	const char *js = jsonschema();

	if (!js)
		return -2;
	return tt_test_run(NULL, "%s -i %s %s/ocel20-schema-json.json 2>&1",
			   js, file, formats_dir());
}

/*
 * The fixture as CSV, checked line by line by hand once: every action
 * kind, RFC 4180 quoting (comma and quotes, an embedded line break), the
 * tie at 09:15:13.623 ordered by sort_seq, UTF-8 repair (0xE9 and the
 * control character become U+FFFD), the ownerless idle marker and the
 * pointer motion left out, the day-two case.
 */
static const char golden_csv[] =
	"case_id,activity,start,end,resource,app,title,element,sort_seq\r\n"
	"alice/2026-11-26,Switch to firefox,2026-11-26T09:15:02.123Z,2026-11-26T09:15:02.123Z,alice,firefox,<b>Tom & Jerry</b>,,1\r\n"
	"alice/2026-11-26,Type,2026-11-26T09:15:02.623Z,2026-11-26T09:15:04.623Z,alice,firefox,<b>Tom & Jerry</b>,,2\r\n"
	"bob/2026-11-26,Switch to thunderbird,2026-11-26T09:15:02.723Z,2026-11-26T09:15:02.723Z,bob,thunderbird,Inbox — Thunderbird,,3\r\n"
	"alice/2026-11-26,Shortcut Ctrl+C,2026-11-26T09:15:05.623Z,2026-11-26T09:15:05.703Z,alice,firefox,<b>Tom & Jerry</b>,,4\r\n"
	"bob/2026-11-26,Gesture 3-finger swipe,2026-11-26T09:15:05.823Z,2026-11-26T09:15:06.123Z,bob,thunderbird,Inbox — Thunderbird,,5\r\n"
	"alice/2026-11-26,Switch to libreoffice-calc,2026-11-26T09:15:06.623Z,2026-11-26T09:15:06.623Z,alice,libreoffice-calc,\"report, \"\"final\"\".ods\",,6\r\n"
	"alice/2026-11-26,Key F5,2026-11-26T09:15:07.623Z,2026-11-26T09:15:07.673Z,alice,libreoffice-calc,\"report, \"\"final\"\".ods\",,7\r\n"
	"alice/2026-11-26,Click,2026-11-26T09:15:09.623Z,2026-11-26T09:15:09.713Z,alice,libreoffice-calc,\"report, \"\"final\"\".ods\",,8\r\n"
	"alice/2026-11-26,Double-click,2026-11-26T09:15:10.623Z,2026-11-26T09:15:10.713Z,alice,libreoffice-calc,\"report, \"\"final\"\".ods\",,9\r\n"
	"alice/2026-11-26,Triple-click,2026-11-26T09:15:11.623Z,2026-11-26T09:15:11.713Z,alice,libreoffice-calc,\"report, \"\"final\"\".ods\",,10\r\n"
	"alice/2026-11-26,Right-click,2026-11-26T09:15:12.623Z,2026-11-26T09:15:12.693Z,alice,libreoffice-calc,\"line one\nline two\",,11\r\n"
	"alice/2026-11-26,Scroll,2026-11-26T09:15:13.623Z,2026-11-26T09:15:13.623Z,alice,libreoffice-calc,\"line one\nline two\",,12\r\n"
	"bob/2026-11-26,Touch,2026-11-26T09:15:13.623Z,2026-11-26T09:15:13.623Z,bob,thunderbird,Inbox — Thunderbird,,13\r\n"
	"alice/2026-11-26,Idle,2026-11-26T09:15:15.623Z,2026-11-26T09:30:15.623Z,alice,libreoffice-calc,\"line one\nline two\",,14\r\n"
	"alice/2026-11-26,Lock,2026-11-26T09:16:15.623Z,2026-11-26T09:16:15.623Z,alice,libreoffice-calc,\"line one\nline two\",,15\r\n"
	"bob/2026-11-26,Pen,2026-11-26T09:16:16.623Z,2026-11-26T09:16:18.123Z,bob,thunderbird,Inbox — Thunderbird,,16\r\n"
	"alice/2026-11-26,Unlock,2026-11-26T09:30:15.623Z,2026-11-26T09:30:15.623Z,alice,libreoffice-calc,\"line one\nline two\",,17\r\n"
	"alice/2026-11-26,Shortcut Alt+Tab,2026-11-26T09:30:16.633Z,2026-11-26T09:30:16.753Z,alice,libreoffice-calc,\"line one\nline two\",,18\r\n"
	"alice/2026-11-26,Switch to code,2026-11-26T09:30:16.833Z,2026-11-26T09:30:16.833Z,alice,code,caf\xef\xbf\xbd menu,,19\r\n"
	"alice/2026-11-26,Type,2026-11-26T09:30:20.833Z,2026-11-26T09:30:24.833Z,alice,code,bell\xef\xbf\xbdhere,,20\r\n"
	"alice/2026-11-27,Type,2026-11-27T00:00:05.000Z,2026-11-27T00:00:06.000Z,alice,code,bell\xef\xbf\xbdhere,,21\r\n";

TEST(csv_golden)
{
	const char *dir = new_dir("csv");
	char path[4200], *got;
	struct stat st;

	snprintf(path, sizeof(path), "%s/out.csv", dir);
	CHECK_EQ(EXPORT(NULL, "--format csv -o %s", tasktrace(), fixture(), path), 0);
	got = slurp(path);
	CHECK(got != NULL);
	if (strcmp(got, golden_csv) != 0) {
		const char *a = got, *b = golden_csv;
		while (*a && *a == *b)
			a++, b++;
		tt_test_fail(__FILE__, __LINE__, "CSV differs at byte %zu: got \"%.60s\", "
			     "want \"%.60s\"", (size_t)(a - got), a, b);
	}
	free(got);
	/* atomically written: only the file itself, 0640 whatever the umask
	 * (other people's records are not for every local user) */
	CHECK_EQ(count_files(dir), 1);
	CHECK(stat(path, &st) == 0);
	CHECK_EQ(st.st_mode & 0777, 0640);
}

TEST(csv_stdout_equals_file)
{
	char *out = NULL;

	CHECK_EQ(EXPORT(&out, "-f csv -o -", tasktrace(), fixture()), 0);
	CHECK_STR(out, golden_csv);
	free(out);
}

TEST(csv_time_range)
{
	char *out = NULL;

	/* since is inclusive, until exclusive; dates are UTC midnights */
	CHECK_EQ(EXPORT(&out, "--since 2026-11-27", tasktrace(), fixture()), 0);
	CHECK_EQ(count_lines(out), 2);
	CHECK_CONTAINS(out, "alice/2026-11-27,Type");
	free(out);
	CHECK_EQ(EXPORT(&out, "--since 2026-11-26T09:15:13.623Z --until 2026-11-26T09:16:16",
			tasktrace(), fixture()), 0);
	/* scroll, touch, idle, lock (the ownerless idle is dropped) */
	CHECK_EQ(count_lines(out), 1 + 4 + 2 /* quoted line breaks */ + 1);
	free(out);
}

TEST(csv_user)
{
	char *out = NULL;

	CHECK_EQ(EXPORT(&out, "--user bob", tasktrace(), fixture()), 0);
	CHECK_EQ(count_lines(out), 1 + 4);
	CHECK(strstr(out, "alice") == NULL);
	free(out);
	CHECK_EQ(EXPORT(&out, "--user 1001", tasktrace(), fixture()), 0);
	CHECK_EQ(count_lines(out), 1 + 4);
	free(out);
}

TEST(case_notions)
{
	char *out = NULL;

	CHECK_EQ(EXPORT(&out, "--case session", tasktrace(), fixture()), 0);
	CHECK_CONTAINS(out, "\r\nalice/session-1,Type,2026-11-27T00:00:05.000Z");
	CHECK_CONTAINS(out, "\r\nbob/session-2,Touch,");
	free(out);
	/* 10 minutes: the 15-minute idle and the night cut alice's day */
	CHECK_EQ(EXPORT(&out, "--case idle-gap=10m", tasktrace(), fixture()), 0);
	CHECK_CONTAINS(out, "\r\nalice/2026-11-26T09:15:02.123Z,Lock,");
	CHECK_CONTAINS(out, "\r\nalice/2026-11-26T09:30:15.623Z,Unlock,");
	CHECK_CONTAINS(out, "\r\nalice/2026-11-26T09:30:15.623Z,Type,2026-11-26T09:30:20.833Z");
	CHECK_CONTAINS(out, "\r\nalice/2026-11-27T00:00:05.000Z,Type,");
	CHECK_CONTAINS(out, "\r\nbob/2026-11-26T09:15:02.723Z,Pen,");
	free(out);
	/* focus: each application switch starts a case */
	CHECK_EQ(EXPORT(&out, "--case focus", tasktrace(), fixture()), 0);
	CHECK_CONTAINS(out, "\r\nalice/2026-11-26T09:15:06.623Z,Switch to libreoffice-calc,");
	CHECK_CONTAINS(out, "\r\nalice/2026-11-26T09:15:06.623Z,Shortcut Alt+Tab,");
	CHECK_CONTAINS(out, "\r\nalice/2026-11-26T09:30:16.833Z,Switch to code,");
	CHECK_CONTAINS(out, "\r\nalice/2026-11-26T09:30:16.833Z,Type,2026-11-27");
	free(out);
	/* 20 minutes: only the night */
	CHECK_EQ(EXPORT(&out, "--case idle-gap=20m", tasktrace(), fixture()), 0);
	CHECK_CONTAINS(out, "\r\nalice/2026-11-26T09:15:02.123Z,Unlock,");
	free(out);
}

static int
count(const char *hay, const char *needle)
{
	int n = 0;

	for (const char *p = hay; p && (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

TEST(xes_schema_every_case_notion)
{
	static const struct { const char *arg; int traces; } cases[] = {
		{ "user-day", 3 }, { "session", 2 }, { "idle-gap=10m", 4 },
		{ "idle", 4 }, { "focus", 4 },
	};
	const char *dir = new_dir("xes");

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char path[4200], *got;

		snprintf(path, sizeof(path), "%s/%zu.xes", dir, i);
		CHECK_EQ(EXPORT(NULL, "-f xes --case %s -o %s", tasktrace(), fixture(),
				cases[i].arg, path), 0);
		CHECK_EQ(xes_valid(path), 0);
		got = slurp(path);
		CHECK(got);
		CHECK_EQ(count(got, "<trace>"), cases[i].traces);
		/* 21 actions, 13 of which last: a start and a complete each */
		CHECK_EQ(count(got, "<event>"), 21 + 13);
		CHECK_CONTAINS(got, "value=\"&lt;b&gt;Tom &amp; Jerry&lt;/b&gt;\"");
		CHECK_CONTAINS(got, "<extension name=\"Lifecycle\" prefix=\"lifecycle\"");
		CHECK_CONTAINS(got, "<extension name=\"Organizational\" prefix=\"org\"");
		free(got);
	}
}

TEST(xes_schema_pseudonymized)
{
	const char *dir = new_dir("xesp");
	char path[4200];

	snprintf(path, sizeof(path), "%s/p.xes", dir);
	CHECK_EQ(EXPORT(NULL, "-f xes -p --secret %s -o %s", tasktrace(), fixture(),
			make_secret('a'), path), 0);
	CHECK_EQ(xes_valid(path), 0);
}

TEST(xes_validation_can_fail)
{
	/* The check itself must be able to say no: an XES log without its
	 * required xes.version attribute. */
	const char *dir = new_dir("xesbad");
	char path[4200];
	FILE *f;

	snprintf(path, sizeof(path), "%s/bad.xes", dir);
	f = fopen(path, "w");
	fputs("<?xml version=\"1.0\"?><log><trace/></log>\n", f);
	fclose(f);
	CHECK(xes_valid(path) != 0);
}

TEST(ocel_schema)
{
	const char *dir = new_dir("ocel");
	char path[4200], bad[4200], *got;
	FILE *f;

	if (!jsonschema()) {
		tt_test_fail(__FILE__, __LINE__, "no JSON-schema validator: "
			     "install python3-jsonschema");
		return;
	}
	snprintf(path, sizeof(path), "%s/a.jsonocel", dir);
	CHECK_EQ(EXPORT(NULL, "-f ocel -o %s", tasktrace(), fixture(), path), 0);
	CHECK_EQ(ocel_valid(path), 0);
	got = slurp(path);
	CHECK(got);
	CHECK_EQ(count(got, "{\"id\":\"e"), 21);
	CHECK_CONTAINS(got, "{\"objectId\":\"user:alice\",\"qualifier\":\"performed by\"}");
	CHECK_CONTAINS(got, "{\"id\":\"app:libreoffice-calc\",\"type\":\"application\"");
	CHECK_CONTAINS(got, "\"type\":\"window\",\"attributes\":[{\"name\":\"title\","
			    "\"value\":\"line one\\nline two\"");
	CHECK_CONTAINS(got, "{\"id\":\"device:2\",\"type\":\"device\"");
	CHECK_CONTAINS(got, "{\"objectId\":\"user:bob\",\"qualifier\":\"of user\"}");
	CHECK_CONTAINS(got, "\"value\":\"Inbox — Thunderbird\",\"time\":\"1970-01-01T00:00:00.000Z\"}],"
			    "\"relationships\":[{\"objectId\":\"app:thunderbird\","
			    "\"qualifier\":\"of application\"}]}");
	/* it parses as JSON */
	json_object *doc = json_tokener_parse(got);
	CHECK(doc != NULL);
	json_object *events;
	CHECK(json_object_object_get_ex(doc, "events", &events));
	CHECK_EQ(json_object_array_length(events), 21);
	json_object_put(doc);
	free(got);

	snprintf(path, sizeof(path), "%s/p.jsonocel", dir);
	CHECK_EQ(EXPORT(NULL, "-f ocel -p --case idle-gap=5m --secret %s -o %s",
			tasktrace(), fixture(), make_secret('a'), path), 0);
	CHECK_EQ(ocel_valid(path), 0);

	/* and the validator can fail: a number where the schema wants a string */
	snprintf(bad, sizeof(bad), "%s/bad.jsonocel", dir);
	f = fopen(bad, "w");
	fputs("{\"objectTypes\":[],\"eventTypes\":[],\"objects\":[],\"events\":"
	      "[{\"id\":\"e1\",\"type\":\"T\",\"time\":\"2026-11-26T00:00:00Z\","
	      "\"attributes\":[{\"name\":\"n\",\"value\":1}]}]}\n", f);
	fclose(f);
	CHECK(ocel_valid(bad) != 0);
}

TEST(empty_range_every_format)
{
	const char *dir = new_dir("empty");
	char path[4200], *got;

	/* nothing recorded in 2025: valid, empty documents */
	snprintf(path, sizeof(path), "%s/e.csv", dir);
	CHECK_EQ(EXPORT(NULL, "--until 2025-01-01 -o %s", tasktrace(), fixture(), path), 0);
	got = slurp(path);
	CHECK_STR(got, "case_id,activity,start,end,resource,app,title,element,sort_seq\r\n");
	free(got);
	snprintf(path, sizeof(path), "%s/e.xes", dir);
	CHECK_EQ(EXPORT(NULL, "-f xes --until 2025-01-01 -o %s", tasktrace(), fixture(),
			path), 0);
	CHECK_EQ(xes_valid(path), 0);
	snprintf(path, sizeof(path), "%s/e.jsonocel", dir);
	CHECK_EQ(EXPORT(NULL, "-f ocel --until 2025-01-01 -o %s", tasktrace(), fixture(),
			path), 0);
	CHECK_EQ(ocel_valid(path), 0);
	snprintf(path, sizeof(path), "%s/e.jsonl", dir);
	CHECK_EQ(EXPORT(NULL, "-f jsonl --until 2025-01-01 -o %s", tasktrace(), fixture(),
			path), 0);
	got = slurp(path);
	CHECK_STR(got, "");
	free(got);
}

TEST(jsonl_lines_parse)
{
	char *out = NULL, *line, *save = NULL;
	int n = 0;
	bool saw_lines = false;

	CHECK_EQ(EXPORT(&out, "-f jsonl", tasktrace(), fixture()), 0);
	CHECK_EQ(count_lines(out), 21);
	for (line = strtok_r(out, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		json_object *o = json_tokener_parse(line), *v;
		CHECK_MSG(o != NULL, "line %d does not parse: %s", n + 1, line);
		CHECK(json_object_object_get_ex(o, "seq", &v));
		CHECK_EQ(json_object_get_int64(v), ++n);
		CHECK(json_object_object_get_ex(o, "title", &v));
		if (strcmp(json_object_get_string(v), "line one\nline two") == 0)
			saw_lines = true;
		json_object_put(o);
	}
	CHECK(saw_lines);
	free(out);
}

/* The pseudonym the export must use for @p name under @p secret. */
static void
expected_pseudonym(const char *secret, const char *name, char out[PSEUDO_LEN + 1])
{
	struct pseudo p;
	char err[256];

	if (pseudo_load(&p, secret, err, sizeof(err)) != 0) {
		strcpy(out, "?");
		return;
	}
	pseudo_name(&p, "user", "u-", name, strlen(name), out);
	pseudo_clear(&p);
}

TEST(pseudonyms_stable_and_keyed)
{
	const char *a = make_secret('a'), *b = make_secret('b');
	char *one = NULL, *two = NULL, *other = NULL, *env = NULL;
	char alice[PSEUDO_LEN + 1], bob[PSEUDO_LEN + 1];

	expected_pseudonym(a, "alice", alice);
	expected_pseudonym(a, "bob", bob);
	CHECK_EQ(EXPORT(&one, "-p --secret %s", tasktrace(), fixture(), a), 0);
	CHECK_EQ(EXPORT(&two, "-f csv --pseudonymize --secret %s", tasktrace(), fixture(), a), 0);
	CHECK_EQ(EXPORT(&other, "-p --secret %s", tasktrace(), fixture(), b), 0);
	CHECK_EQ(tt_test_run(&env, "TASKTRACE_SECRET=%s %s export -q -s %s -p",
			     a, tasktrace(), fixture()), 0);
	CHECK_STR(one, two);		/* same secret: same pseudonyms */
	CHECK_STR(one, env);		/* the environment names the same secret */
	CHECK(strcmp(one, other) != 0);	/* another secret: other pseudonyms */
	CHECK(strstr(one, "alice") == NULL && strstr(one, "bob") == NULL);
	CHECK_CONTAINS(one, alice);
	CHECK_CONTAINS(one, bob);
	CHECK(strncmp(alice, "u-", 2) == 0 && strlen(alice) == PSEUDO_LEN);
	/* the pseudonym is in the case id too, and selects its person */
	char want[64];
	snprintf(want, sizeof(want), "\r\n%s/2026-11-26,Switch to firefox", alice);
	CHECK_CONTAINS(one, want);
	free(two);
	CHECK_EQ(EXPORT(&two, "-p --secret %s --user %s", tasktrace(), fixture(), a, bob), 0);
	CHECK_EQ(count_lines(two), 1 + 4);
	free(one);
	free(two);
	free(other);
	free(env);
}

TEST(secret_problems)
{
	char path[4200], *out = NULL;
	const char *dir = new_dir("secret");

	snprintf(path, sizeof(path), "%s/missing", dir);
	CHECK_EQ(EXPORT(&out, "-p --secret %s 2>&1", tasktrace(), fixture(), path), 1);
	CHECK_CONTAINS(out, "no site secret at");
	free(out);

	CHECK_EQ(tt_test_run(&out, "%s secret --create --secret %s", tasktrace(), path), 0);
	free(out);
	struct stat st;
	CHECK(stat(path, &st) == 0);
	CHECK_EQ(st.st_mode & 0777, 0600);
	CHECK_EQ(st.st_size, 32);
	/* never replaced: that would change every pseudonym */
	CHECK(tt_test_run(NULL, "%s secret --create --secret %s 2>/dev/null",
			  tasktrace(), path) != 0);
	CHECK_EQ(tt_test_run(NULL, "%s secret --check --secret %s >/dev/null",
			     tasktrace(), path), 0);

	chmod(path, 0644);
	CHECK_EQ(EXPORT(&out, "-p --secret %s 2>&1", tasktrace(), fixture(), path), 6);
	CHECK_CONTAINS(out, "accessible by others");
	free(out);

	FILE *f = fopen(path, "w");
	fputs("short", f);
	fclose(f);
	chmod(path, 0600);
	CHECK_EQ(EXPORT(&out, "-p --secret %s 2>&1", tasktrace(), fixture(), path), 1);
	CHECK_CONTAINS(out, "fewer than 16");
	free(out);
}

TEST(bad_arguments)
{
	const char *dir = new_dir("bad");
	char notstore[4200], *out = NULL;
	FILE *f;

	CHECK_EQ(EXPORT(&out, "--since 2026-11-27 --until 2026-11-26 2>&1",
			tasktrace(), fixture()), 2);
	CHECK_CONTAINS(out, "--until must be later than --since");
	free(out);
	CHECK_EQ(EXPORT(&out, "--format pdf 2>&1", tasktrace(), fixture()), 2);
	CHECK_CONTAINS(out, "unknown format 'pdf'");
	free(out);
	CHECK_EQ(EXPORT(&out, "--case hourly 2>&1", tasktrace(), fixture()), 2);
	CHECK_CONTAINS(out, "invalid --case");
	free(out);
	CHECK_EQ(EXPORT(&out, "--case idle-gap=soon 2>&1", tasktrace(), fixture()), 2);
	free(out);
	CHECK_EQ(EXPORT(&out, "--since 2026-02-30 2>&1", tasktrace(), fixture()), 2);
	CHECK_CONTAINS(out, "--since: cannot read '2026-02-30' as a time");
	free(out);
	CHECK_EQ(EXPORT(&out, "--frobnicate 2>&1", tasktrace(), fixture()), 2);
	free(out);
	CHECK_EQ(EXPORT(&out, "--user mallory 2>&1", tasktrace(), fixture()), 1);
	CHECK_CONTAINS(out, "no user 'mallory'");
	free(out);

	/* no store there */
	CHECK_EQ(tt_test_run(&out, "%s export -q -s %s/nothing 2>&1", tasktrace(), dir), 3);
	CHECK_CONTAINS(out, "no store");
	free(out);
	/* something that is not a store */
	snprintf(notstore, sizeof(notstore), "%s/junk", dir);
	mkdir(notstore, 0755);
	strcat(notstore, "/data.mdb");
	f = fopen(notstore, "w");
	for (int i = 0; i < 2000; i++)
		fputs("not an lmdb file ", f);
	fclose(f);
	CHECK_EQ(tt_test_run(&out, "%s export -q -s %s/junk 2>&1", tasktrace(), dir), 4);
	free(out);
	/* a path that cannot be written: exit 8, nothing created */
	CHECK_EQ(EXPORT(&out, "-o %s/no/such/dir/out.csv 2>&1", tasktrace(), fixture(),
			dir), 8);
	CHECK_CONTAINS(out, "cannot write");
	free(out);
}

/* The [export] section of tasktrace.conf gives the defaults. */
TEST(config_defaults)
{
	const char *dir = new_dir("config");
	char conf[4200], *out = NULL, *plain = NULL;
	char alice[PSEUDO_LEN + 1];
	const char *secret = make_secret('a');
	FILE *f;

	snprintf(conf, sizeof(conf), "%s/tasktrace.conf", dir);
	f = fopen(conf, "w");
	fprintf(f, "[export]\npseudonymize = yes\nsecret = %s\ncase = focus\n"
		"formats = jsonl, ocel\nkeep = 1\ndir = %s/out\n", secret, dir);
	fclose(f);
	expected_pseudonym(secret, "alice", alice);
	CHECK_EQ(tt_test_run(&out, "TASKTRACE_CONFIG=%s %s export -q -s %s",
			     conf, tasktrace(), fixture()), 0);
	CHECK_CONTAINS(out, alice);
	CHECK(strstr(out, "alice") == NULL);
	CHECK_CONTAINS(out, "/2026-11-26T09:15:06.623Z,Switch to libreoffice-calc,");
	/* the command line wins */
	CHECK_EQ(tt_test_run(&plain, "TASKTRACE_CONFIG=%s %s export -q -s %s "
			     "--no-pseudonymize --case user-day", conf, tasktrace(),
			     fixture()), 0);
	CHECK_STR(plain, golden_csv);
	free(out);
	free(plain);
	/* export-scheduled: formats, keep and dir from the file */
	CHECK_EQ(tt_test_run(&out, "TASKTRACE_CONFIG=%s %s export-scheduled -q -s %s "
			     "--group root --since 2026-11-26", conf, tasktrace(),
			     fixture()), 0);
	free(out);
	snprintf(conf, sizeof(conf), "%s/out", dir);
	CHECK_EQ(count_files(conf), 2);
	snprintf(conf, sizeof(conf), "%s/out/tasktrace-2026-11-26.jsonocel", dir);
	CHECK_EQ(ocel_valid(conf), 0);
	/* a broken configuration: exit 7, nothing exported */
	snprintf(conf, sizeof(conf), "%s/bad.conf", dir);
	f = fopen(conf, "w");
	fputs("[export]\ncase = hourly\n", f);
	fclose(f);
	CHECK_EQ(tt_test_run(&out, "TASKTRACE_CONFIG=%s %s export -q -s %s 2>&1",
			     conf, tasktrace(), fixture()), 7);
	CHECK_CONTAINS(out, "configuration");
	free(out);
}

TEST(error_leaves_nothing)
{
	/* A write that fails half way (file size limit: EFBIG, with SIGXFSZ
	 * ignored) must leave neither the target nor the temporary file. */
	const char *dir = new_dir("efbig");
	char *out = NULL;

	CHECK_EQ(tt_test_run(&out, "trap '' XFSZ; ulimit -f 1; "
			     "%s export -q -s %s -f jsonl -o %s/out.jsonl 2>&1; echo rc=$?",
			     tasktrace(), fixture(), dir), 0);
	/* 4 KiB jsonl is bigger than 1 block of 512 bytes... and 1 KiB */
	CHECK_CONTAINS(out, "rc=8");
	CHECK_EQ(count_files(dir), 0);
	free(out);
}

TEST(replaces_atomically)
{
	const char *dir = new_dir("replace");
	char path[4200], *got;
	FILE *f;

	snprintf(path, sizeof(path), "%s/out.csv", dir);
	f = fopen(path, "w");
	fputs("old contents\n", f);
	fclose(f);
	CHECK_EQ(EXPORT(NULL, "-o %s", tasktrace(), fixture(), path), 0);
	got = slurp(path);
	CHECK_STR(got, golden_csv);
	free(got);
	CHECK_EQ(count_files(dir), 1);
}

TEST(special_targets)
{
	const char *dir = new_dir("special");
	char link[4200], target[4200], fifo[4200], *out = NULL, *got;
	struct stat st;
	FILE *f;

	/* /dev/null is written to, never renamed over */
	CHECK_EQ(EXPORT(NULL, "-o /dev/null", tasktrace(), fixture()), 0);
	CHECK(stat("/dev/null", &st) == 0 && S_ISCHR(st.st_mode));
	/* a FIFO likewise: the reader gets the export */
	snprintf(fifo, sizeof(fifo), "%s/fifo", dir);
	CHECK(mkfifo(fifo, 0600) == 0);
	CHECK_EQ(tt_test_run(&out, "cat %s & %s export -q -s %s -o %s; wait",
			     fifo, tasktrace(), fixture(), fifo), 0);
	CHECK_STR(out, golden_csv);
	free(out);
	CHECK(lstat(fifo, &st) == 0 && S_ISFIFO(st.st_mode));
	/* a symbolic link is never written through, even one of our own
	 * (test-export-links acts out the attacks): refused, both kept */
	snprintf(target, sizeof(target), "%s/target.csv", dir);
	snprintf(link, sizeof(link), "%s/link.csv", dir);
	f = fopen(target, "w");
	fclose(f);
	CHECK(symlink("target.csv", link) == 0);
	CHECK_EQ(EXPORT(&out, "-o %s 2>&1", tasktrace(), fixture(), link), 8);
	CHECK_CONTAINS(out, "'link.csv' is a symbolic link");
	free(out);
	CHECK(lstat(link, &st) == 0 && S_ISLNK(st.st_mode));
	got = slurp(target);
	CHECK_STR(got, "");
	free(got);
	/* a directory is an error */
	CHECK_EQ(EXPORT(&out, "-o %s 2>&1", tasktrace(), fixture(), dir), 8);
	CHECK_CONTAINS(out, "Is a directory");
	free(out);
}

/*
 * Golden exports of a small workload (tasktrace-workload, fixed seed):
 * the CSV compared byte for byte with tests/golden/, the other formats by
 * SHA-256 (they are large) after the store's random host id is replaced
 * by "HOST". XES and OCEL are validated as well. The golden files follow
 * both the exporters and tasktrace-workload: after an intended change to
 * either, regenerate with TT_UPDATE_GOLDEN=1 and review the CSV diff.
 */
TEST(workload_golden)
{
	static const char *const fmts[] = { "csv", "jsonl", "xes", "ocel" };
	const char *dir = new_dir("workload");
	const char *b = getenv("TT_BUILD");
	bool update = getenv("TT_UPDATE_GOLDEN") != NULL;
	char wl[4200], golden[4200], path[4200], sums[4096] = "", *want_sums;
	struct tt_store *st;
	struct tt_reader *rd;
	struct tt_store_stat stat_;

	tasktrace();
	snprintf(wl, sizeof(wl), "%s/store", dir);
	CHECK_EQ(tt_test_run(NULL, "%s/%s/tasktrace-workload --store %s --days 1 --users 2 "
			     "--seed 7 --records-per-day 150 --quiet", tt_test_top(),
			     b ? b : "build", wl), 0);
	CHECK_EQ(tt_store_open(&st, wl, TT_STORE_RDONLY, NULL), 0);
	CHECK_EQ(tt_reader_open(st, &rd), 0);
	CHECK_EQ(tt_reader_stat(rd, &stat_), 0);
	tt_reader_close(rd);
	tt_store_close(st);
	CHECK(strlen(stat_.host_id) == 32);

	for (size_t i = 0; i < 4; i++) {
		char *out = NULL;

		snprintf(path, sizeof(path), "%s/w.%s", dir, fmts[i]);
		CHECK_EQ(EXPORT(NULL, "-f %s -o %s", tasktrace(), wl, fmts[i], path), 0);
		if (strcmp(fmts[i], "xes") == 0)
			CHECK_EQ(xes_valid(path), 0);
		if (strcmp(fmts[i], "ocel") == 0)
			CHECK_EQ(ocel_valid(path), 0);
		CHECK_EQ(tt_test_run(&out, "sed 's/%s/HOST/g' %s | sha256sum | cut -c1-64",
				     stat_.host_id, path), 0);
		snprintf(sums + strlen(sums), sizeof(sums) - strlen(sums), "%s  %s\n",
			 strtok(out, "\n"), fmts[i]);
		free(out);
	}
	snprintf(golden, sizeof(golden), "%s/tests/golden/export-workload-seed7.csv",
		 tt_test_top());
	snprintf(path, sizeof(path), "%s/w.csv", dir);
	if (update) {
		CHECK_EQ(tt_test_run(NULL, "cp %s %s", path, golden), 0);
		snprintf(golden, sizeof(golden), "%s/tests/golden/export-workload-seed7.sha256",
			 tt_test_top());
		FILE *f = fopen(golden, "w");
		CHECK(f);
		fputs(sums, f);
		fclose(f);
		printf("    golden files updated\n");
		return;
	}
	CHECK_MSG(tt_test_run(NULL, "cmp -s %s %s", golden, path) == 0,
		  "CSV differs from the golden file: diff %s %s (TT_KEEP_TMP=1 keeps "
		  "it; did the exporter or tasktrace-workload change?)",
		  golden, path);
	snprintf(golden, sizeof(golden), "%s/tests/golden/export-workload-seed7.sha256",
		 tt_test_top());
	want_sums = slurp(golden);
	CHECK(want_sums);
	CHECK_STR(sums, want_sums);
	free(want_sums);
}

/*
 * Issue 14: a short burst as the tracer stores it (size only, times on
 * the 5 s grid) and a long one with counts rounded to 5, through every
 * export format, query and stats.
 */
static const char *
bursts_store(void)
{
	static char path[4096];
	struct tt_session_info s = { .uid = 1000, .logind_id = "2", .seat = "seat0",
				     .user = "alice", .start_ns = FX_T0 - 60 * FX_SEC };
	uint64_t grid = FX_T0 / (5 * FX_SEC) * (5 * FX_SEC);
	struct tt_store *st;
	struct tt_record r;
	uint32_t app = 0;
	int rc = 0;

	snprintf(path, sizeof(path), "%s/bursts", tt_test_tmpdir());
	if (tt_store_open(&st, path, TT_STORE_CREATE, NULL))
		return NULL;
	tt_store_session_add(st, &s);
	tt_store_intern(st, "sudo-prompt", 11, &app);
	memset(&r, 0, sizeof(r));
	r.kind = TT_KIND_TYPING;
	r.time_ns = grid;
	r.dur_ns = 5 * FX_SEC;
	r.seq = 1;
	r.session = s.id;
	r.uid = 1000;
	r.app = app;
	r.u.typing.under = 20;
	r.u.typing.end = TT_BURST_HIDDEN;
	rc |= tt_store_append(st, &r);
	memset(&r.u, 0, sizeof(r.u));
	r.time_ns = grid + 60 * FX_SEC + 123 * FX_MS;
	r.dur_ns = 4321 * FX_MS;
	r.seq = 2;
	r.u.typing.count[TT_CLASS_LETTER] = 20;
	r.u.typing.count[TT_CLASS_DIGIT] = 5;
	r.u.typing.round = 5;
	r.u.typing.end = TT_BURST_PAUSE;
	rc |= tt_store_append(st, &r);
	rc |= tt_store_close(st);
	return rc ? NULL : path;
}

TEST(short_bursts_every_format)
{
	const char *bs = bursts_store(), *dir = new_dir("bursts");
	char path[4200], *out = NULL, *line, *save = NULL;
	int lines = 0;

	CHECK(bs);
	/* CSV, XES, OCEL: two Type actions, the short one on the grid */
	CHECK_EQ(EXPORT(&out, "-f csv", tasktrace(), bs), 0);
	CHECK_EQ(count(out, ",Type,"), 2);
	CHECK_CONTAINS(out, "Type,2026-11-26T09:15:00.000Z,2026-11-26T09:15:05.000Z,alice,sudo-prompt");
	free(out);
	snprintf(path, sizeof(path), "%s/b.xes", dir);
	CHECK_EQ(EXPORT(NULL, "-f xes -o %s", tasktrace(), bs, path), 0);
	CHECK_EQ(xes_valid(path), 0);
	out = slurp(path);
	CHECK(out && count(out, "value=\"Type\"") >= 2);
	free(out);
	if (jsonschema()) {
		snprintf(path, sizeof(path), "%s/b.jsonocel", dir);
		CHECK_EQ(EXPORT(NULL, "-f ocel -o %s", tasktrace(), bs, path), 0);
		CHECK_EQ(ocel_valid(path), 0);
	}

	/* JSON Lines: the short burst says only its bound */
	CHECK_EQ(EXPORT(&out, "-f jsonl", tasktrace(), bs), 0);
	for (line = strtok_r(out, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		json_object *o = json_tokener_parse(line), *v;

		CHECK_MSG(o != NULL, "line %d does not parse: %s", lines + 1, line);
		if (lines++ == 0) {
			CHECK(json_object_object_get_ex(o, "keys_under", &v));
			CHECK_EQ(json_object_get_int64(v), 20);
			CHECK(!json_object_object_get_ex(o, "keys", &v));
		} else {
			CHECK(json_object_object_get_ex(o, "keys", &v));
			CHECK_EQ(json_object_get_int64(v), 25);
			CHECK(!json_object_object_get_ex(o, "keys_under", &v));
		}
		json_object_put(o);
	}
	CHECK_EQ(lines, 2);
	free(out);

	/* query: no counts and no end reason for the short one */
	CHECK_EQ(tt_test_run(&out, "%s --store %s query --format jsonl", tasktrace(), bs), 0);
	CHECK_CONTAINS(out, "\"kind\":\"typing\",\"uid\":1000,\"user\":\"alice\","
			    "\"session\":1,\"app\":\"sudo-prompt\",\"under\":20}");
	CHECK_CONTAINS(out, "\"counts\":{\"letter\":20,\"digit\":5,");
	CHECK_CONTAINS(out, "\"rounded_to\":5,\"ended_by\":\"pause\"");
	CHECK_EQ(count(out, "\"counts\""), 1);
	CHECK_EQ(count(out, "ended_by"), 1);
	free(out);
	CHECK_EQ(tt_test_run(&out, "%s --store %s query", tasktrace(), bs), 0);
	CHECK_CONTAINS(out, "<20 keys");
	CHECK_CONTAINS(out, "~20 letter, ~5 digit; ended by pause");
	free(out);

	/* stats: the short bursts are counted as such */
	CHECK_EQ(tt_test_run(&out, "%s --store %s stats", tasktrace(), bs), 0);
	CHECK_CONTAINS(out, "(1 short: size only)");
	free(out);
	CHECK_EQ(tt_test_run(&out, "%s --store %s stats --json", tasktrace(), bs), 0);
	CHECK_CONTAINS(out, "\"short_bursts\":1");
	free(out);
}

/* A store big enough that exporting it takes a while. */
static const char *
big_store(void)
{
	static char path[4096];
	struct tt_session_info s = { .uid = 1000, .logind_id = "2", .seat = "seat0",
				     .user = "alice" };
	struct tt_store *st;
	struct tt_record r;
	uint32_t app = 0;

	if (path[0])
		return path;
	snprintf(path, sizeof(path), "%s/big", tt_test_tmpdir());
	if (tt_store_open(&st, path, TT_STORE_CREATE, NULL))
		return NULL;
	tt_store_session_add(st, &s);
	tt_store_intern(st, "firefox", 7, &app);
	for (uint64_t i = 0; i < 400000; i++) {
		memset(&r, 0, sizeof(r));
		r.kind = TT_KIND_TYPING;
		r.time_ns = FX_T0 + i * 10 * FX_MS;
		r.dur_ns = 5 * FX_MS;
		r.seq = i + 1;
		r.session = s.id;
		r.uid = 1000;
		r.app = app;
		r.u.typing.count[0] = 3;
		if (tt_store_append(st, &r))
			break;
	}
	tt_store_close(st);
	return path;
}

static void
interrupt_with(int sig)
{
	const char *dir = new_dir(sig == SIGINT ? "sigint" : "sigterm");
	const char *store_path = big_store();
	char out[4200];
	int status = 0;
	pid_t pid;

	CHECK(store_path);
	snprintf(out, sizeof(out), "%s/out.xes", dir);
	pid = fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		execl(tasktrace(), "tasktrace", "export", "-q", "-s", store_path,
		      "-f", "xes", "-o", out, (char *)NULL);
		_exit(127);
	}
	/* wait until the temporary file exists: the export is under way */
	for (int i = 0; i < 5000 && count_files(dir) == 0; i++)
		usleep(1000);
	CHECK_EQ(count_files(dir), 1);
	kill(pid, sig);
	CHECK(waitpid(pid, &status, 0) == pid);
	/* it died of the signal, after cleaning up */
	CHECK_MSG(WIFSIGNALED(status) && WTERMSIG(status) == sig,
		  "status %#x (finished before the signal? make the store bigger)",
		  status);
	CHECK_EQ(count_files(dir), 0);
}

TEST(interrupted_sigint_leaves_nothing)
{
	interrupt_with(SIGINT);
}

TEST(interrupted_sigterm_leaves_nothing)
{
	interrupt_with(SIGTERM);
}

TEST(scheduled_rotation)
{
	const char *dir = new_dir("scheduled");
	char path[4200], *out = NULL;
	struct stat st;
	FILE *f;

	/* older exports, and a file that is not ours */
	static const char *const old[] = {
		"tasktrace-2026-11-20.csv", "tasktrace-2026-11-21.csv",
		"tasktrace-2026-11-22.csv", "notes.csv",
	};
	for (size_t i = 0; i < 4; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, old[i]);
		f = fopen(path, "w");
		fclose(f);
	}
	CHECK_EQ(tt_test_run(&out, "%s export-scheduled -q -s %s --dir %s --formats csv,xes "
			     "--keep 2 --group root --since 2026-11-26 --until 2026-11-27",
			     tasktrace(), fixture(), dir), 0);
	free(out);
	snprintf(path, sizeof(path), "%s/tasktrace-2026-11-26.csv", dir);
	CHECK(stat(path, &st) == 0);
	CHECK_EQ(st.st_mode & 0777, 0640);
	CHECK_EQ(st.st_gid, 0);
	out = slurp(path);
	CHECK_EQ(count_lines(out), 1 + 20 + 6);	/* day one only */
	free(out);
	snprintf(path, sizeof(path), "%s/tasktrace-2026-11-26.xes", dir);
	CHECK(stat(path, &st) == 0);
	CHECK_EQ(xes_valid(path), 0);
	/* kept: the 2 newest csv (22 and 26), the xes, notes.csv */
	snprintf(path, sizeof(path), "%s/tasktrace-2026-11-22.csv", dir);
	CHECK(access(path, F_OK) == 0);
	snprintf(path, sizeof(path), "%s/tasktrace-2026-11-21.csv", dir);
	CHECK(access(path, F_OK) != 0);
	CHECK_EQ(count_files(dir), 4);

	/* a missing directory is made, 0750 */
	snprintf(path, sizeof(path), "%s/new", dir);
	CHECK_EQ(tt_test_run(&out, "%s export-scheduled -q -s %s --dir %s --group root "
			     "--since 2026-11-27 --until 2026-11-28", tasktrace(), fixture(),
			     path), 0);
	free(out);
	CHECK(stat(path, &st) == 0);
	CHECK_EQ(st.st_mode & 0777, 0750);
	strcat(path, "/tasktrace-2026-11-27.csv");
	CHECK(access(path, F_OK) == 0);
}

/*
 * Issue 18: the element of each action in every format — CSV's element
 * column, JSON Lines' "element" (and "hidden" for a password field's
 * burst), XES's tasktrace:element attribute, an OCEL object of type
 * element linked from its events — with the activity names unchanged,
 * and XES and OCEL still valid against their schemas.
 */
TEST(elements_every_format)
{
	const char *dir = new_dir("elements");
	char store_dir[4200], path[4300];
	struct tt_store *s;
	struct tt_session_info si = { .uid = 1000, .start_ns = FX_T0 };
	struct tt_record r;
	uint32_t app, el_save, el_pw;
	char *got;

	snprintf(store_dir, sizeof(store_dir), "%s/store", dir);
	CHECK_EQ(tt_store_open(&s, store_dir, TT_STORE_CREATE, NULL), 0);
	strcpy(si.user, "alice");
	strcpy(si.seat, "seat0");
	CHECK_EQ(tt_store_session_add(s, &si), 0);
	CHECK_EQ(tt_store_intern(s, "gedit", 5, &app), 0);
	CHECK_EQ(tt_store_intern(s, "push button\tSave", 16, &el_save), 0);
	CHECK_EQ(tt_store_intern(s, "password text", 13, &el_pw), 0);
	memset(&r, 0, sizeof(r));
	r.kind = TT_KIND_BUTTON;
	r.time_ns = FX_T0;
	r.dur_ns = 80 * FX_MS;
	r.seq = 1;
	r.session = si.id;
	r.uid = 1000;
	r.app = app;
	r.element = el_save;
	r.u.button.button = 0x110;
	r.u.button.clicks = 1;
	CHECK_EQ(tt_store_append(s, &r), 0);
	memset(&r.u, 0, sizeof(r.u));
	r.kind = TT_KIND_TYPING;
	r.time_ns = FX_T0 + 5 * FX_SEC;
	r.dur_ns = 5 * FX_SEC;
	r.seq = 2;
	r.element = el_pw;
	r.u.typing.end = TT_BURST_HIDDEN;
	CHECK_EQ(tt_store_append(s, &r), 0);
	CHECK_EQ(tt_store_close(s), 0);

	snprintf(path, sizeof(path), "%s/e.csv", dir);
	CHECK_EQ(EXPORT(NULL, "-f csv -o %s", tasktrace(), store_dir, path), 0);
	got = slurp(path);
	CHECK(got && strstr(got, ",Click,") && strstr(got, ",gedit,,push button\tSave,1\r\n"));
	CHECK(strstr(got, ",Type,") && strstr(got, ",gedit,,password text,2\r\n"));
	free(got);

	snprintf(path, sizeof(path), "%s/e.jsonl", dir);
	CHECK_EQ(EXPORT(NULL, "-f jsonl -o %s", tasktrace(), store_dir, path), 0);
	got = slurp(path);
	CHECK(got && strstr(got, "\"element\":\"push button\\tSave\""));
	CHECK(strstr(got, "\"element\":\"password text\"") && strstr(got, "\"hidden\":true"));
	CHECK(!strstr(got, "\"keys\":") && !strstr(got, "keys_under"));
	free(got);

	snprintf(path, sizeof(path), "%s/e.xes", dir);
	CHECK_EQ(EXPORT(NULL, "-f xes -o %s", tasktrace(), store_dir, path), 0);
	got = slurp(path);
	CHECK(got && strstr(got, "key=\"tasktrace:element\" value=\"push button&#9;Save\""));
	CHECK(strstr(got, "key=\"concept:name\" value=\"Click\""));
	free(got);
	CHECK_EQ(xes_valid(path), 0);

	snprintf(path, sizeof(path), "%s/e.ocel", dir);
	CHECK_EQ(EXPORT(NULL, "-f ocel -o %s", tasktrace(), store_dir, path), 0);
	got = slurp(path);
	CHECK(got && strstr(got, "\"type\":\"Click\""));
	CHECK(strstr(got, "\"qualifier\":\"on element\""));
	CHECK(strstr(got, "\"type\":\"element\",\"attributes\":[{\"name\":\"role\",\"value\":\"push button\""));
	CHECK(strstr(got, "{\"name\":\"name\",\"value\":\"Save\""));
	free(got);

	/* stats: the share of actions with an element, per application */
	CHECK_EQ(tt_test_run(&got, "%s --store %s stats", tasktrace(), store_dir), 0);
	CHECK_MSG(got && strstr(got, "actions with a UI element, per application") &&
		  strstr(got, "gedit                                     2 of          2  100.0 %"),
		  "%s", got ? got : "");
	free(got);
	CHECK_EQ(tt_test_run(&got, "%s --store %s stats --json", tasktrace(), store_dir), 0);
	CHECK(got && strstr(got, "\"actions\":2") && strstr(got, "\"with_element\":2"));
	free(got);

	/* query and me's form: what was clicked, and "hidden" */
	CHECK_EQ(tt_test_run(&got, "%s --store %s query", tasktrace(), store_dir), 0);
	CHECK_MSG(got && strstr(got, "left on 'Save' push button") &&
		  strstr(got, "hidden on password text"), "%s", got ? got : "");
	free(got);

	if (ocel_valid(path) == -2)
		SKIP("python3-jsonschema is not installed");
	CHECK_EQ(ocel_valid(path), 0);
}
