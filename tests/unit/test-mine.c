/* SPDX-License-Identifier: MIT */
/*
 * tasktrace mine: mine_run() on stores written through the store API
 * (exact figures worked out by hand), degenerate inputs, the command
 * line, and the routine finder's quality on public UI logs with known
 * routines (tests/data/uilogs, converted by tasktrace-workload
 * --from-uilog): the dominant routine's instance count on the two real
 * recordings, precision and recall against the true traces of the two
 * synthetic XES logs.
 */
#include <errno.h>
#include <json-c/json.h>
#include <libxml/xmlreader.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>

#include "harness.h"
#include "tasktrace/error.h"
#include "tasktrace/store.h"

#include "mining/mine/mine.h"

#define SEC 1000000000ULL
#define T0 (1767600000ULL * SEC)	/* 2026-01-05T08:00:00Z */

static char cli_path[4096], wl_path[4096];

/* The programs under test; an empty configuration, UTC. */
static void
programs(void)
{
	const char *b = getenv("TT_BUILD");
	char conf[4096];
	FILE *f;

	if (cli_path[0])
		return;
	snprintf(cli_path, sizeof(cli_path), "%s/%s/tasktrace", tt_test_top(), b ? b : "build");
	snprintf(wl_path, sizeof(wl_path), "%s/%s/tasktrace-workload", tt_test_top(),
		 b ? b : "build");
	snprintf(conf, sizeof(conf), "%s/empty.conf", tt_test_tmpdir());
	f = fopen(conf, "w");
	if (f)
		fclose(f);
	setenv("TASKTRACE_CONFIG", conf, 1);
	setenv("TZ", "UTC", 1);
	unsetenv("TASKTRACE_STORE");
}

/* --- stores written by hand --------------------------------------------- */

struct w {
	struct tt_store *s;
	uint64_t seq;
	uint32_t session, uid;
	int err;
};

static uint32_t
str(struct w *w, const char *s)
{
	uint32_t id = 0;

	if (!w->err)
		w->err = tt_store_intern(w->s, s, strlen(s), &id);
	return id;
}

static void
put(struct w *w, uint64_t t, unsigned kind, uint32_t app, uint32_t name)
{
	struct tt_record r;

	memset(&r, 0, sizeof(r));
	r.time_ns = t;
	r.seq = ++w->seq;
	r.session = w->session;
	r.uid = w->uid;
	r.app = app;
	r.kind = (uint8_t)kind;
	if (kind == TT_KIND_KEY) {
		r.u.key.name = name;
		r.u.key.mods = TT_MOD_CTRL;
	} else if (kind == TT_KIND_BUTTON) {
		r.u.button.button = 0x110;
		r.u.button.clicks = 1;
	}
	if (!w->err)
		w->err = tt_store_append(w->s, &r);
}

static int
open_store(struct w *w, const char *dir, const char *user)
{
	struct tt_store_options o = { .map_size = 2ULL << 30 };
	struct tt_session_info si = { .uid = 1000, .logind_id = "2", .seat = "seat0" };

	memset(w, 0, sizeof(*w));
	if (tt_store_open(&w->s, dir, TT_STORE_CREATE, &o))
		return -1;
	snprintf(si.user, sizeof(si.user), "%s", user);
	if (tt_store_session_add(w->s, &si))
		return -1;
	w->session = si.id;
	w->uid = si.uid;
	return 0;
}

static int
mine_dir(const char *dir, const struct mine_options *o, struct mine_result **res)
{
	struct tt_store *s;
	struct tt_reader *rd;
	struct tt_query q;
	int rc = tt_store_open(&s, dir, TT_STORE_RDONLY, NULL);

	if (rc)
		return rc;
	rc = tt_reader_open(s, &rd);
	if (rc == 0) {
		tt_query_init(&q);
		rc = mine_run(rd, &q, o, NULL, NULL, res);
		tt_reader_close(rd);
	}
	tt_store_close(s);
	return rc;
}

/*
 * Six times: switch to calc, click, Ctrl+C, switch to mail, click,
 * Ctrl+V, type — one action a second, 100 s apart. Everything below is
 * worked out from that by hand.
 */
static char exact_dir[4200];

static const char *
exact_store(void)
{
	struct w w;

	if (exact_dir[0])
		return exact_dir;
	snprintf(exact_dir, sizeof(exact_dir), "%s/exact", tt_test_tmpdir());
	if (open_store(&w, exact_dir, "alice") != 0)
		return NULL;
	uint32_t calc = str(&w, "calc"), mail = str(&w, "mail");
	uint32_t cc = str(&w, "Ctrl+C"), cv = str(&w, "Ctrl+V");
	for (unsigned i = 0; i < 6; i++) {
		uint64_t t = T0 + i * 100 * SEC;
		put(&w, t, TT_KIND_FOCUS, calc, 0);
		put(&w, t + 1 * SEC, TT_KIND_BUTTON, calc, 0);
		put(&w, t + 2 * SEC, TT_KIND_KEY, calc, cc);
		put(&w, t + 3 * SEC, TT_KIND_FOCUS, mail, 0);
		put(&w, t + 4 * SEC, TT_KIND_BUTTON, mail, 0);
		put(&w, t + 5 * SEC, TT_KIND_KEY, mail, cv);
		put(&w, t + 6 * SEC, TT_KIND_TYPING, mail, 0);
	}
	if (tt_store_close(w.s) != 0 || w.err)
		return NULL;
	return exact_dir;
}

TEST(mine_exact_figures)
{
	const char *dir = exact_store();
	struct mine_result *r = NULL;
	struct mine_options o;

	CHECK(dir);
	mine_options_init(&o);
	CHECK_EQ(o.min_length, 3);
	CHECK_EQ(o.min_occurrences, 5);
	CHECK_EQ(mine_dir(dir, &o, &r), 0);
	CHECK_EQ(r->totals.records, 42);
	CHECK_EQ(r->totals.actions, 42);
	CHECK_EQ(r->totals.users, 1);
	CHECK_EQ(r->totals.days, 1);
	CHECK_EQ(r->totals.switches, 11);
	CHECK_EQ(r->totals.active_ns, 506 * SEC);

	CHECK_EQ(r->n_routines, 1);
	const struct mine_routine *rt = &r->routines[0];
	static const char *const want[] = {
		"Switch to calc", "Click in calc", "Ctrl+C in calc", "Switch to mail",
		"Click in mail", "Ctrl+V in mail", "Type in mail",
	};
	CHECK_EQ(rt->n_actions, 7);
	for (size_t i = 0; i < 7; i++)
		CHECK_STR(rt->actions[i], want[i]);
	CHECK_EQ(rt->occurrences, 6);
	CHECK_EQ(rt->n_instances, 6);
	CHECK_EQ(rt->users, 1);
	CHECK_EQ(rt->variants, 1);
	CHECK_EQ(rt->median_ns, 6 * SEC);
	CHECK_EQ(rt->total_ns, 36 * SEC);
	CHECK(rt->hours_saved > 0.00999 && rt->hours_saved < 0.01001);	/* 6 × 6 s */
	for (size_t i = 0; i < 6; i++) {
		CHECK_STR(rt->instances[i].user, "alice");
		CHECK_EQ(rt->instances[i].start_ns, T0 + i * 100 * SEC);
		CHECK_EQ(rt->instances[i].end_ns, T0 + i * 100 * SEC + 6 * SEC);
	}
	CHECK(r->method && strstr(r->method, "anchored cycles"));

	/* calc: 3 s per round; mail: 3 s per round and the 94 s pauses */
	CHECK_EQ(r->n_app_days, 2);
	CHECK_STR(r->app_days[0].app, "mail");
	CHECK_EQ(r->app_days[0].active_ns, 488 * SEC);
	CHECK_EQ(r->app_days[0].switches_to, 6);
	CHECK_STR(r->app_days[1].app, "calc");
	CHECK_EQ(r->app_days[1].active_ns, 18 * SEC);
	CHECK_EQ(r->app_days[1].switches_to, 5);	/* the first focus is no switch */
	CHECK_EQ(r->app_days[0].day, 20458);

	CHECK_EQ(r->n_transitions, 2);
	CHECK_STR(r->transitions[0].from, "calc");
	CHECK_STR(r->transitions[0].to, "mail");
	CHECK_EQ(r->transitions[0].count, 6);
	CHECK_EQ(r->transitions[0].median_dwell_ns, 3 * SEC);
	CHECK_STR(r->transitions[1].from, "mail");
	CHECK_EQ(r->transitions[1].count, 5);
	CHECK_EQ(r->transitions[1].median_dwell_ns, 97 * SEC);

	CHECK_EQ(r->n_flows, 1);
	CHECK_STR(r->flows[0].from, "calc");
	CHECK_STR(r->flows[0].to, "mail");
	CHECK_EQ(r->flows[0].count, 6);
	CHECK_EQ(r->flows[0].median_ns, 3 * SEC);
	mine_result_free(r);

	/* One more than there are: no routine; the rest unchanged. */
	o.min_occurrences = 7;
	CHECK_EQ(mine_dir(dir, &o, &r), 0);
	CHECK_EQ(r->n_routines, 0);
	CHECK_EQ(r->n_flows, 1);
	mine_result_free(r);
	/* Longer than the routine: none either. */
	mine_options_init(&o);
	o.min_length = 8;
	CHECK_EQ(mine_dir(dir, &o, &r), 0);
	CHECK_EQ(r->n_routines, 0);
	mine_result_free(r);
	/* The bounds are inclusive: exactly as long as the routine, found
	 * (the finder drops anchors by these bounds before listing them). */
	o.min_length = 7;
	o.max_length = 7;
	CHECK_EQ(mine_dir(dir, &o, &r), 0);
	CHECK_EQ(r->n_routines, 1);
	CHECK_EQ(r->n_routines ? r->routines[0].occurrences : 0, 6);
	mine_result_free(r);
	/* Shorter than the routine at most: none. */
	mine_options_init(&o);
	o.max_length = 6;
	CHECK_EQ(mine_dir(dir, &o, &r), 0);
	CHECK_EQ(r->n_routines, 0);
	mine_result_free(r);
}

/* Idle and lock cut the sequence and stop the active time. */
TEST(mine_idle_and_lock)
{
	char dir[4200];
	struct w w;
	struct mine_result *r = NULL;

	snprintf(dir, sizeof(dir), "%s/idle", tt_test_tmpdir());
	CHECK(open_store(&w, dir, "bob") == 0);
	uint32_t app = str(&w, "code");
	put(&w, T0, TT_KIND_FOCUS, app, 0);
	put(&w, T0 + 10 * SEC, TT_KIND_TYPING, app, 0);
	put(&w, T0 + 310 * SEC, TT_KIND_IDLE, 0, 0);
	put(&w, T0 + 1000 * SEC, TT_KIND_ACTIVE, 0, 0);
	put(&w, T0 + 1001 * SEC, TT_KIND_TYPING, app, 0);
	put(&w, T0 + 1031 * SEC, TT_KIND_LOCK, 0, 0);
	put(&w, T0 + 2000 * SEC, TT_KIND_UNLOCK, 0, 0);
	put(&w, T0 + 2005 * SEC, TT_KIND_TYPING, app, 0);
	CHECK_EQ(w.err, 0);
	CHECK_EQ(tt_store_close(w.s), 0);
	CHECK_EQ(mine_dir(dir, NULL, &r), 0);
	/* 0→10 s; idle 310→1000; then nothing counts across the lock */
	CHECK_EQ(r->totals.active_ns, 10 * SEC);
	CHECK_EQ(r->totals.idle_ns, (690 + 969) * SEC);
	CHECK_EQ(r->n_routines, 0);
	mine_result_free(r);
}

/* --- degenerate input ----------------------------------------------------- */

TEST(mine_empty_store_and_range)
{
	char dir[4200], *out = NULL;
	struct w w;
	struct mine_result *r = NULL;
	int st;

	programs();
	snprintf(dir, sizeof(dir), "%s/empty", tt_test_tmpdir());
	CHECK(open_store(&w, dir, "carol") == 0);
	CHECK_EQ(tt_store_close(w.s), 0);
	CHECK_EQ(mine_dir(dir, NULL, &r), 0);
	CHECK_EQ(r->totals.records, 0);
	CHECK_EQ(r->n_routines + r->n_app_days + r->n_transitions + r->n_flows, 0);
	mine_result_free(r);

	st = tt_test_run(&out, "%s --store %s mine 2>&1", cli_path, dir);
	CHECK_EQ(st, 0);
	CHECK_CONTAINS(out, "No records in the selection.");
	free(out);
	st = tt_test_run(&out, "%s --store %s mine --format json 2>&1", cli_path, dir);
	CHECK_EQ(st, 0);
	CHECK_CONTAINS(out, "{\"routines\":[],\"applications\":[],\"transitions\":[],\"flows\":[]");
	free(out);
}

TEST(mine_three_records_and_only_idle)
{
	char dir[4200], dir2[4200], *out = NULL;
	struct w w;
	struct mine_result *r = NULL;

	programs();
	snprintf(dir, sizeof(dir), "%s/three", tt_test_tmpdir());
	CHECK(open_store(&w, dir, "dave") == 0);
	uint32_t app = str(&w, "firefox");
	put(&w, T0, TT_KIND_FOCUS, app, 0);
	put(&w, T0 + SEC, TT_KIND_BUTTON, app, 0);
	put(&w, T0 + 2 * SEC, TT_KIND_TYPING, app, 0);
	CHECK_EQ(w.err, 0);
	CHECK_EQ(tt_store_close(w.s), 0);
	CHECK_EQ(mine_dir(dir, NULL, &r), 0);
	CHECK_EQ(r->totals.records, 3);
	CHECK_EQ(r->n_routines, 0);
	CHECK_EQ(r->n_app_days, 1);
	CHECK_EQ(r->app_days[0].active_ns, 2 * SEC);
	mine_result_free(r);
	CHECK_EQ(tt_test_run(&out, "%s --store %s mine 2>&1", cli_path, dir), 0);
	CHECK_CONTAINS(out, "none found");
	free(out);

	snprintf(dir2, sizeof(dir2), "%s/onlyidle", tt_test_tmpdir());
	CHECK(open_store(&w, dir2, "erin") == 0);
	for (unsigned i = 0; i < 100; i++)
		put(&w, T0 + i * 600 * SEC, i % 2 ? TT_KIND_ACTIVE : TT_KIND_IDLE, 0, 0);
	CHECK_EQ(w.err, 0);
	CHECK_EQ(tt_store_close(w.s), 0);
	CHECK_EQ(mine_dir(dir2, NULL, &r), 0);
	CHECK_EQ(r->totals.records, 100);
	CHECK_EQ(r->totals.active_ns, 0);
	CHECK_EQ(r->totals.idle_ns, 50 * 600 * SEC);
	CHECK_EQ(r->n_routines, 0);
	mine_result_free(r);
}

static long
peak_rss_kib(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;
}

/*
 * The worst case for a repeat finder: one action, millions of times.
 * Bounded: anchors of one and two actions give cycles of one and two
 * actions, below the minimum length, so no routine; and since such an
 * anchor is known hopeless while counting, memory is the sequence alone
 * (16 bytes per action), plus the store's pages this process read.
 */
TEST(mine_identical_actions)
{
	char dir[4200];
	struct w w;
	struct mine_result *r = NULL;
	uint64_t n = getenv("TT_SANITIZED") ? 1000000 : 10000000;

	snprintf(dir, sizeof(dir), "%s/same", tt_test_tmpdir());
	CHECK(open_store(&w, dir, "frank") == 0);
	uint32_t app = str(&w, "calc"), cc = str(&w, "Ctrl+C");
	for (uint64_t i = 0; i < n && !w.err; i++)
		put(&w, T0 + i * 100000000ULL, TT_KIND_KEY, app, cc);
	CHECK_EQ(w.err, 0);
	CHECK_EQ(tt_store_close(w.s), 0);
	CHECK_EQ(mine_dir(dir, NULL, &r), 0);
	CHECK_EQ(r->totals.records, n);
	CHECK_EQ(r->totals.actions, n);
	CHECK_EQ(r->n_routines, 0);
	CHECK_EQ(r->n_flows, 0);
	struct stat st;
	char mdb[4300];
	snprintf(mdb, sizeof(mdb), "%s/data.mdb", dir);
	CHECK_EQ(stat(mdb, &st), 0);
	long bound_kib = (long)((n * 16 + (uint64_t)st.st_blocks * 512) / 1024) + 32 * 1024;
	printf("    %" PRIu64 " identical actions: no routine, peak RSS %ld MiB "
	       "(bound: sequence + store + 32 MiB = %ld MiB)\n", n, peak_rss_kib() / 1024,
	       bound_kib / 1024);
	mine_result_free(r);
	/* 10 M actions: the sequence, 16 bytes each, and no anchor index
	 * (with one, 324 MiB > 252 MiB) */
	CHECK(peak_rss_kib() < bound_kib || getenv("TT_SANITIZED"));
}

/* --- command line ----------------------------------------------------------- */

TEST(mine_cli_errors)
{
	char *out = NULL;
	const char *dir = exact_store();

	programs();
	CHECK(dir);
	CHECK_EQ(tt_test_run(&out, "%s --store %s/none mine 2>&1", cli_path, tt_test_tmpdir()), 3);
	CHECK_CONTAINS(out, "no store there");
	free(out);
	CHECK_EQ(tt_test_run(&out, "%s --store %s mine --format xml 2>&1", cli_path, dir), 2);
	CHECK_CONTAINS(out, "unknown format 'xml' (table or json)");
	free(out);
	CHECK_EQ(tt_test_run(&out, "%s --store %s mine --min-length 0 2>&1", cli_path, dir), 2);
	CHECK_CONTAINS(out, "--min-length: '0' is not a number from 1");
	free(out);
	CHECK_EQ(tt_test_run(&out, "%s --store %s mine --min-occurrences 1 2>&1", cli_path, dir), 2);
	free(out);
	CHECK_EQ(tt_test_run(&out, "%s --store %s mine --idle-cut soon 2>&1", cli_path, dir), 2);
	CHECK_CONTAINS(out, "--idle-cut: cannot read 'soon'");
	free(out);
	CHECK_EQ(tt_test_run(&out, "%s --store %s mine --since 2026-02-30 2>&1", cli_path, dir), 2);
	free(out);
	CHECK_EQ(tt_test_run(&out, "%s --store %s mine --max-length 2 2>&1", cli_path, dir), 2);
	CHECK_CONTAINS(out, "below --min-length");
	free(out);
	CHECK_EQ(tt_test_run(&out, "%s mine --help", cli_path), 0);
	CHECK_CONTAINS(out, "--min-occurrences");
	free(out);
	/* a site secret others can read: permission denied (6), as export */
	const char *tmp = tt_test_tmpdir();
	CHECK_EQ(tt_test_run(NULL, "%s secret --create --secret %s/open-secret && "
			     "chmod 0644 %s/open-secret", cli_path, tmp, tmp), 0);
	CHECK_EQ(tt_test_run(&out, "%s --store %s mine -p --secret %s/open-secret 2>&1",
			     cli_path, dir, tmp), 6);
	CHECK_CONTAINS(out, "accessible by others");
	free(out);
}

/* The routine of mine_exact_figures through the command line, both formats. */
TEST(mine_cli_output)
{
	const char *dir = exact_store();
	char *out = NULL;
	struct json_object *j, *rt, *x;

	programs();
	CHECK(dir);
	CHECK_EQ(tt_test_run(&out, "%s --store %s mine --format json", cli_path, dir), 0);
	j = json_tokener_parse(out);
	free(out);
	CHECK(j);
	CHECK(json_object_object_get_ex(j, "routines", &x));
	CHECK_EQ(json_object_array_length(x), 1);
	rt = json_object_array_get_idx(x, 0);
	CHECK(json_object_object_get_ex(rt, "occurrences", &x) && json_object_get_int(x) == 6);
	CHECK(json_object_object_get_ex(rt, "users", &x) && json_object_get_int(x) == 1);
	CHECK(json_object_object_get_ex(rt, "median_s", &x) && json_object_get_double(x) == 6.0);
	CHECK(json_object_object_get_ex(rt, "total_s", &x) && json_object_get_double(x) == 36.0);
	CHECK(json_object_object_get_ex(rt, "hours_saved", &x));
	CHECK(json_object_object_get_ex(rt, "actions", &x));
	CHECK_STR(json_object_get_string(json_object_array_get_idx(x, 2)), "Ctrl+C in calc");
	CHECK(json_object_object_get_ex(rt, "instances", &x));
	CHECK_EQ(json_object_array_length(x), 6);
	struct json_object *in = json_object_array_get_idx(x, 1), *v;
	CHECK(json_object_object_get_ex(in, "user", &v));
	CHECK_STR(json_object_get_string(v), "alice");
	CHECK(json_object_object_get_ex(in, "start_ns", &v));
	CHECK_EQ((uint64_t)json_object_get_int64(v), T0 + 100 * SEC);
	CHECK(json_object_object_get_ex(in, "end_ns", &v));
	CHECK_EQ((uint64_t)json_object_get_int64(v), T0 + 106 * SEC);
	CHECK(json_object_object_get_ex(j, "applications", &x));
	CHECK_EQ(json_object_array_length(x), 2);
	CHECK(json_object_object_get_ex(json_object_array_get_idx(x, 0), "day", &v));
	CHECK_STR(json_object_get_string(v), "2026-01-05");
	CHECK(json_object_object_get_ex(j, "transitions", &x));
	CHECK_EQ(json_object_array_length(x), 2);
	CHECK(json_object_object_get_ex(j, "flows", &x));
	CHECK_EQ(json_object_array_length(x), 1);
	CHECK(json_object_object_get_ex(json_object_array_get_idx(x, 0), "median_s", &v));
	CHECK(json_object_get_double(v) == 3.0);
	json_object_put(j);

	CHECK_EQ(tt_test_run(&out, "%s --store %s mine", cli_path, dir), 0);
	CHECK_CONTAINS(out, "#1  6 times by 1 user, median 6.0s");
	CHECK_CONTAINS(out, " 3. Ctrl+C in calc");
	CHECK_CONTAINS(out, "alice 2026-01-05T08:01:40.000Z (6.0s)");
	CHECK_CONTAINS(out, "calc → mail  (3.0s)");
	free(out);
	/* a selection that holds nothing: an application never seen */
	CHECK_EQ(tt_test_run(&out, "%s --store %s mine --app nosuch", cli_path, dir), 0);
	CHECK_CONTAINS(out, "No records in the selection.");
	free(out);
	/* and one user */
	CHECK_EQ(tt_test_run(&out, "%s --store %s mine --user alice --format json", cli_path, dir), 0);
	CHECK_CONTAINS(out, "\"occurrences\":6");
	free(out);
}

/* --- quality on public UI logs --------------------------------------------- */

static const char *
uilog(const char *name)
{
	static char path[4200];

	snprintf(path, sizeof(path), "%s/tests/data/uilogs/%s", tt_test_top(), name);
	return path;
}

/* Convert a UI log and mine it; the parsed JSON, or NULL. */
static struct json_object *
mine_uilog(const char *name)
{
	char dir[4200], *out = NULL;
	struct json_object *j;

	programs();
	snprintf(dir, sizeof(dir), "%s/ul-%s", tt_test_tmpdir(), name);
	if (tt_test_run(NULL, "%s --quiet --from-uilog %s --store %s", wl_path, uilog(name),
			dir) != 0)
		return NULL;
	if (tt_test_run(&out, "%s --store %s mine --format json", cli_path, dir) != 0) {
		free(out);
		return NULL;
	}
	j = json_tokener_parse(out);
	free(out);
	return j;
}

static struct json_object *
first_routine(struct json_object *j)
{
	struct json_object *rs;

	if (!j || !json_object_object_get_ex(j, "routines", &rs) ||
	    json_object_array_length(rs) == 0)
		return NULL;
	return json_object_array_get_idx(rs, 0);
}

static int
occurrences(struct json_object *rt)
{
	struct json_object *x;

	return rt && json_object_object_get_ex(rt, "occurrences", &x) ?
	       json_object_get_int(x) : -1;
}

static void
csv_log(const char *name)
{
	struct json_object *j = mine_uilog(name), *rt = first_routine(j), *x, *rs;
	int occ = occurrences(rt);
	size_t n = 0, second = 0;

	CHECK_MSG(j, "%s: conversion or mining failed", name);
	CHECK(json_object_object_get_ex(j, "routines", &rs));
	n = json_object_array_length(rs);
	if (n > 1)
		second = (size_t)occurrences(json_object_array_get_idx(rs, 1));
	CHECK(json_object_object_get_ex(rt, "actions", &x));
	printf("    %s: %zu routine(s); the first: %d instances of %zu actions "
	       "(true: 50)%s", name, n, occ, json_object_array_length(x),
	       n > 1 ? ", the next: " : "\n");
	if (n > 1)
		printf("%zu instances\n", second);
	json_object_put(j);
	CHECK_MSG(occ >= 45 && occ <= 55, "%s: %d instances, want 50 ± 5", name, occ);
}

TEST(uilog_student_record)
{
	csv_log("StudentRecord.csv");
}

TEST(uilog_reimbursement)
{
	csv_log("Reimbursement.csv");
}

/* The true instances of an XES log: each trace's first and last time. */
struct span {
	uint64_t s, e;
};

static bool
xes_time(const char *v, uint64_t *ns)
{
	struct tm tm;
	int y, mo, d, h, mi, sec, n = 0, oh = 0, om = 0;
	double frac = 0;
	char sign = 0;

	memset(&tm, 0, sizeof(tm));
	if (sscanf(v, "%d-%d-%dT%d:%d:%d%n", &y, &mo, &d, &h, &mi, &sec, &n) != 6)
		return false;
	v += n;
	if (*v == '.') {
		char *end;
		frac = strtod(v, &end);
		v = end;
	}
	if ((*v == '+' || *v == '-') && sscanf(v, "%c%d:%d", &sign, &oh, &om) != 3)
		return false;
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	long long t = (long long)timegm(&tm) - (sign == '-' ? -1 : 1) * (oh * 3600 + om * 60);
	*ns = (uint64_t)t * SEC + (uint64_t)(frac * 1e9 + 0.5);
	return true;
}

static size_t
true_traces(const char *path, struct span *v, size_t max)
{
	xmlTextReaderPtr r = xmlReaderForFile(path, NULL, XML_PARSE_NONET);
	size_t n = 0;

	if (!r)
		return 0;
	while (xmlTextReaderRead(r) == 1) {
		const char *name = (const char *)xmlTextReaderConstLocalName(r);
		int type = xmlTextReaderNodeType(r);

		if (type == XML_READER_TYPE_ELEMENT && strcmp(name, "trace") == 0 && n < max) {
			v[n].s = UINT64_MAX;
			v[n].e = 0;
			n++;
		} else if (n && type == XML_READER_TYPE_ELEMENT && strcmp(name, "date") == 0) {
			xmlChar *val = xmlTextReaderGetAttribute(r, (const xmlChar *)"value");
			uint64_t t;
			if (val && xes_time((const char *)val, &t)) {
				if (t < v[n - 1].s)
					v[n - 1].s = t;
				if (t > v[n - 1].e)
					v[n - 1].e = t;
			}
			xmlFree(val);
		}
	}
	xmlFreeTextReader(r);
	return n;
}

static uint64_t
overlap(uint64_t a, uint64_t b, uint64_t c, uint64_t d)
{
	uint64_t s = a > c ? a : c, e = b < d ? b : d;

	return e > s ? e - s : 0;
}

/*
 * Precision and recall of the dominant routine's instances against the
 * true traces: one-to-one, each found instance matched to the true
 * trace it overlaps most in time, pairs taken by overlap, largest first.
 */
static void
xes_log(const char *name)
{
	static struct span truth[1000];
	size_t nt = true_traces(uilog(name), truth, 1000);
	struct json_object *j = mine_uilog(name), *rt = first_routine(j), *insts, *x;
	size_t nf, matched = 0;

	CHECK_MSG(nt == 100, "%s: %zu true traces", name, nt);
	CHECK_MSG(rt, "%s: no routine", name);
	CHECK(json_object_object_get_ex(rt, "instances", &insts));
	nf = json_object_array_length(insts);
	struct span *found = calloc(nf ? nf : 1, sizeof(*found));
	bool *ftaken = calloc(nf ? nf : 1, 1), ttaken[1000] = { 0 };
	CHECK(found && ftaken);
	for (size_t i = 0; i < nf; i++) {
		struct json_object *in = json_object_array_get_idx(insts, i);
		json_object_object_get_ex(in, "start_ns", &x);
		found[i].s = (uint64_t)json_object_get_int64(x);
		json_object_object_get_ex(in, "end_ns", &x);
		found[i].e = (uint64_t)json_object_get_int64(x);
	}
	for (;;) {		/* greedy: the largest overlap left */
		uint64_t best = 0;
		size_t bi = 0, bj = 0;
		for (size_t i = 0; i < nf; i++) {
			if (ftaken[i])
				continue;
			for (size_t k = 0; k < nt; k++) {
				uint64_t o = ttaken[k] ? 0 : overlap(found[i].s, found[i].e,
								     truth[k].s, truth[k].e);
				if (o > best) {
					best = o;
					bi = i;
					bj = k;
				}
			}
		}
		if (!best)
			break;
		ftaken[bi] = ttaken[bj] = true;
		matched++;
	}
	double precision = nf ? (double)matched / (double)nf : 0;
	double recall = (double)matched / (double)nt;
	printf("    %s: %zu instances found, %zu true, %zu matched: precision %.3f, "
	       "recall %.3f\n", name, nf, nt, matched, precision, recall);
	free(found);
	free(ftaken);
	json_object_put(j);
	CHECK_MSG(precision >= 0.9 && recall >= 0.9, "%s: precision %.3f, recall %.3f",
		  name, precision, recall);
}

TEST(uilog_xes_log1)
{
	xes_log("log1.xes");
}

TEST(uilog_xes_log4)
{
	xes_log("log4.xes");
}

/* The converter refuses what it cannot read, and keeps no text. */
TEST(uilog_converter)
{
	char dir[4200], bad[4200], *out = NULL;
	FILE *f;

	programs();
	snprintf(bad, sizeof(bad), "%s/bad.csv", tt_test_tmpdir());
	f = fopen(bad, "w");
	CHECK(f);
	fputs("\"timeStamp\",\"userID\",\"targetApp\",\"eventType\"\n"
	      "\"2019-10-21T00:10:08.994Z\",\"u\",\"Excel\",\"getCell\"\n"
	      "\"yesterday\",\"u\",\"Excel\",\"getCell\"\n", f);
	fclose(f);
	snprintf(dir, sizeof(dir), "%s/ul-bad", tt_test_tmpdir());
	CHECK_EQ(tt_test_run(&out, "%s --from-uilog %s --store %s 2>&1", wl_path, bad, dir), 2);
	CHECK_CONTAINS(out, "line 3: cannot read the time 'yesterday'");
	free(out);
	/* nothing written: no store was even created */
	CHECK_EQ(tt_test_run(NULL, "test -e %s/data.mdb", dir), 1);

	f = fopen(bad, "w");
	CHECK(f);
	fputs("a,b,c\n1,2,3\n", f);
	fclose(f);
	CHECK_EQ(tt_test_run(&out, "%s --from-uilog %s --store %s 2>&1", wl_path, bad, dir), 2);
	CHECK_CONTAINS(out, "not an Action Logger log: no timeStamp column");
	free(out);
	CHECK_EQ(tt_test_run(&out, "%s --from-uilog %s --store %s --users 3 2>&1", wl_path,
			     bad, dir), 2);
	CHECK_CONTAINS(out, "--from-uilog takes --store");
	free(out);

	/* The StudentRecord log types "John" and copies "Doe": the store
	 * must hold neither (records never hold text); of the form's URL
	 * only the host is kept, in the elements. */
	snprintf(dir, sizeof(dir), "%s/ul-text", tt_test_tmpdir());
	CHECK_EQ(tt_test_run(&out, "%s --from-uilog %s --store %s", wl_path,
			     uilog("StudentRecord.csv"), dir), 0);
	CHECK_CONTAINS(out, "2409 events");
	free(out);
	CHECK_EQ(tt_test_run(NULL, "grep -c -a -e John -e 'Doe' -e universityofmelbourne "
			     "-e NewRecord %s/data.mdb", dir), 1);
	CHECK_EQ(tt_test_run(NULL, "grep -c -a -e forms.zoho.com %s/data.mdb", dir), 0);
	CHECK_EQ(tt_test_run(&out, "%s --store %s query --kind focus --format csv | head -3",
			     cli_path, dir), 0);
	CHECK_CONTAINS(out, "Excel");
	free(out);
}

/*
 * The synthetic workload gives each user a role with a routine done in
 * batches (tasktrace-workload(1)): four users, four roles, and each
 * routine must come out as one routine of its user alone, with its
 * characteristic step.
 */
TEST(workload_roles)
{
	static const struct {
		const char *user, *step;
	} want[] = {
		{ "alice", "Ctrl+V in libreoffice-calc" },	/* clerk */
		{ "bob", "Ctrl+S in code" },			/* developer */
		{ "carol", "Ctrl+W in org.gnome.Evince" },	/* accountant */
		{ "dave", "Ctrl+R in thunderbird" },		/* manager */
	};
	char dir[4200], *out = NULL;
	struct json_object *j, *rs;
	bool found[4] = { false };

	programs();
	snprintf(dir, sizeof(dir), "%s/roles", tt_test_tmpdir());
	CHECK_EQ(tt_test_run(NULL, "%s --quiet --store %s --days 3 --users 4 --seed 1",
			     wl_path, dir), 0);
	CHECK_EQ(tt_test_run(&out, "%s --store %s mine --format json", cli_path, dir), 0);
	j = json_tokener_parse(out);
	free(out);
	CHECK(j && json_object_object_get_ex(j, "routines", &rs));
	for (size_t i = 0; i < json_object_array_length(rs); i++) {
		struct json_object *rt = json_object_array_get_idx(rs, i), *x, *in, *u;
		CHECK(json_object_object_get_ex(rt, "users", &x));
		CHECK_EQ(json_object_get_int(x), 1);
		CHECK(json_object_object_get_ex(rt, "instances", &in));
		CHECK(json_object_object_get_ex(json_object_array_get_idx(in, 0), "user", &u));
		CHECK(json_object_object_get_ex(rt, "actions", &x));
		for (size_t k = 0; k < 4; k++) {
			if (strcmp(json_object_get_string(u), want[k].user) != 0)
				continue;
			/* the step, in any context (" — " and its window's title) */
			size_t wl = strlen(want[k].step);
			for (size_t a = 0; a < json_object_array_length(x); a++) {
				const char *st = json_object_get_string(json_object_array_get_idx(x, a));
				if (strncmp(st, want[k].step, wl) == 0 &&
				    (st[wl] == '\0' || strncmp(st + wl, " — ", 5) == 0))
					found[k] = true;
			}
		}
		printf("    %s: %d instances of %zu steps\n", json_object_get_string(u),
		       occurrences(rt), json_object_array_length(x));
	}
	json_object_put(j);
	for (size_t k = 0; k < 4; k++)
		CHECK_MSG(found[k], "no routine of %s with '%s'", want[k].user, want[k].step);
}
