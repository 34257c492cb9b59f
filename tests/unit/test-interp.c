/* SPDX-License-Identifier: MIT */
/*
 * The interpreter's tests: every script in tests/interp/ (input events,
 * a blank line, the records expected), plus the privacy checks that a
 * script's text cannot express.
 *
 * TT_INTERP_SCRIPT=name runs one script only.
 */
#include <dirent.h>
#include <errno.h>
#include <linux/input-event-codes.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "interp-script.h"
#include "interp.h"
#include "keymap-xkb.h"

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

TEST(scripts)
{
	const char *only = getenv("TT_INTERP_SCRIPT");
	char dir[4096], path[8192];
	char *names[512];
	size_t n = 0, failed = 0;
	struct dirent *de;
	DIR *d;

	snprintf(dir, sizeof(dir), "%s/tests/interp", tt_test_top());
	d = opendir(dir);
	CHECK_MSG(d != NULL, "no %s", dir);
	while ((de = readdir(d)) && n < 512) {
		size_t len = strlen(de->d_name);

		if (len > 2 && strcmp(de->d_name + len - 2, ".t") == 0)
			names[n++] = strdup(de->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof(names[0]), cmp_str);
	CHECK_MSG(n >= 20, "only %zu scripts in %s", n, dir);

	for (size_t i = 0; i < n; i++) {
		struct script_run run;
		char *diff;

		if (only && strncmp(names[i], only, strlen(only)) != 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		if (!script_run_file(&run, path)) {
			tt_test_fail(__FILE__, __LINE__, "%s: %s", names[i],
				     run.error ? run.error : "?");
			failed++;
		} else if ((diff = script_diff(&run))) {
			tt_test_fail(__FILE__, __LINE__, "%s: %s", names[i], diff);
			free(diff);
			failed++;
		} else {
			fprintf(stderr, "    ok %s (%zu records)\n", names[i], run.ngot);
		}
		script_run_free(&run);
		free(names[i]);
	}
	CHECK_EQ(failed, 0);
}

/*
 * The secret is typed in the normal state, then locked, then with no
 * session. Whatever comes out: no key record, no time of a text key other
 * than a burst's first and last, and nothing of them left in the
 * interpreter's memory but the time of the very last key of each round:
 * the last input, from which idle is measured (and, unlocked, the end of
 * the burst anyway).
 */
TEST(privacy_secret)
{
	struct script_run run;
	char path[4096];
	size_t typing = 0;

	snprintf(path, sizeof(path), "%s/tests/interp/privacy-secret.t", tt_test_top());
	CHECK_MSG(script_run_file(&run, path), "%s", run.error);
	CHECK(run.nkeys == 3 * strlen("hunter2 correct horse"));

	for (size_t i = 0; i < run.nrecs; i++) {
		const struct tt_record *r = &run.recs[i];

		CHECK_MSG(r->kind != TT_KIND_KEY, "record %zu is a key record", i);
		if (r->kind == TT_KIND_TYPING)
			typing++;
		/* interior key times: neither a record's start nor its end */
		for (size_t k = 0; k < run.nkeys; k++) {
			uint64_t t = run.key_usec[k] * 1000;
			bool first = k == 0, last = k == run.nkeys / 3 - 1;

			if (k < run.nkeys / 3 && (first || last))
				continue;	/* the burst's own start and end */
			CHECK_MSG(r->time_ns != t && r->time_ns + r->dur_ns != t,
				  "record %zu carries the time of key %zu", i, k);
		}
	}
	/* only the first (unlocked) typing made a burst */
	CHECK_EQ(typing, 1);
	CHECK_MSG(run.state_clean, "a key time is still in the interpreter's state");
	script_run_free(&run);
}

/*
 * Issue 14: a short burst tells neither its length nor its composition.
 * Every burst of 1 to 19 keys (letters and digits, with or without Enter
 * last), ended by a pause, a focus change or a click, gives the very same
 * typing record: same start, same duration, same payload. And the
 * password script's record holds no key time.
 */
static bool
short_burst(const char *dir, unsigned n, bool enter, const char *closer,
	    struct tt_record *out, struct script_run *run)
{
	static const char chars[] = "Tr0ub4dor3Xq7Zk9Mw2p";
	char path[4096];
	bool found = false;
	FILE *f;

	snprintf(path, sizeof(path), "%s/short.t", dir);
	f = fopen(path, "w");
	if (!f)
		return false;
	fprintf(f, "session 2 1000 active\n+10100ms\ntype 60ms %.*s\n",
		(int)(enter ? n - 1 : n), chars);
	if (enter)
		fprintf(f, "tap enter\n");
	fprintf(f, "+30ms\n%s\n+2s\n", closer);
	fclose(f);
	if (enter && n == 1) {
		/* Enter alone: no `type` line */
		if (!(f = fopen(path, "w")))
			return false;
		fprintf(f, "session 2 1000 active\n+10100ms\ntap enter\n+30ms\n%s\n+2s\n",
			closer);
		fclose(f);
	}
	if (!script_run_file(run, path))
		return false;
	for (size_t i = 0; i < run->nrecs; i++) {
		if (run->recs[i].kind != TT_KIND_TYPING)
			continue;
		if (found)
			return false;	/* one burst, not two */
		*out = run->recs[i];
		found = true;
	}
	return found;
}

TEST(privacy_short_bursts_alike)
{
	static const char *const closers[] = {
		"+0ms", "focus other", "btn left down\nbtn left up",
	};
	struct tt_record ref, r;
	const char *dir = tt_test_tmpdir();
	struct script_run run;
	unsigned cases = 0;

	CHECK(short_burst(dir, 1, false, closers[0], &ref, &run));
	script_run_free(&run);
	CHECK_EQ(ref.u.typing.under, 20);
	CHECK_EQ(ref.u.typing.end, TT_BURST_HIDDEN);
	CHECK_EQ(ref.time_ns, 10000000000ULL);
	CHECK_EQ(ref.dur_ns, 5000000000ULL);
	for (unsigned n = 1; n < 20; n++)
		for (int enter = 0; enter < 2; enter++)
			for (size_t c = 0; c < sizeof(closers) / sizeof(closers[0]); c++) {
				CHECK_MSG(short_burst(dir, n, enter, closers[c], &r, &run),
					  "%u keys, enter %d, %s: %s", n, enter,
					  closers[c], run.error ? run.error : "not one burst");
				CHECK_MSG(r.time_ns == ref.time_ns && r.dur_ns == ref.dur_ns &&
					  memcmp(&r.u.typing, &ref.u.typing, sizeof(r.u.typing)) == 0,
					  "%u keys, enter %d, %s: a different record", n,
					  enter, closers[c]);
				CHECK_MSG(run.state_clean, "%u keys: a key time left in the state", n);
				script_run_free(&run);
				cases++;
			}
	CHECK_EQ(cases, 19 * 2 * 3);
	/* ... and 20 keys are a long burst: the check can tell them apart */
	CHECK(short_burst(dir, 20, true, closers[0], &r, &run));
	script_run_free(&run);
	CHECK_EQ(r.u.typing.under, 0);
	CHECK(r.time_ns != ref.time_ns || r.dur_ns != ref.dur_ns);
}

TEST(privacy_password_no_key_time)
{
	struct script_run run;
	char path[4096];

	snprintf(path, sizeof(path), "%s/tests/interp/privacy-password.t", tt_test_top());
	CHECK_MSG(script_run_file(&run, path), "%s", run.error);
	CHECK_EQ(run.nkeys, strlen("Tr0ub4dor&3"));
	for (size_t i = 0; i < run.nrecs; i++) {
		const struct tt_record *r = &run.recs[i];

		for (size_t k = 0; k < run.nkeys; k++) {
			uint64_t t = run.key_usec[k] * 1000;

			CHECK_MSG(r->time_ns != t && r->time_ns + r->dur_ns != t,
				  "record %zu carries the time of key %zu", i, k);
		}
		if (r->kind == TT_KIND_TYPING)
			for (unsigned c = 0; c < TT_CLASS_COUNT; c++)
				CHECK_EQ(r->u.typing.count[c], 0);
	}
	CHECK_MSG(run.state_clean, "a key time is still in the interpreter's state");
	script_run_free(&run);
}

/* Prove the state check can fail: a key time left in a burst is found. */
TEST(privacy_state_check_can_fail)
{
	struct script_run run;
	char path[4096];

	snprintf(path, sizeof(path), "%s/tests/interp/privacy-open-burst.t", tt_test_top());
	CHECK_MSG(script_run_file(&run, path), "%s", run.error);
	/* this script ends before its burst closes (no flush): the last key
	 * time is legitimately still held */
	CHECK(!run.state_clean);
	script_run_free(&run);
}

TEST(xkb_layouts)
{
	struct keymap_names names = { 0 };
	struct interp_keymap km;

	keymap_init_physical(&km);
	CHECK_STR(km.name[KEY_Y], "Y");
	CHECK_STR(km.name[KEY_PAGEDOWN], "PageDown");
	CHECK_EQ(km.role[BTN_LEFT], INTERP_ROLE_IGNORE);

	snprintf(names.layout, sizeof(names.layout), "de");
	CHECK_EQ(keymap_xkb_apply(&km, &names), 0);
	CHECK_STR(km.name[KEY_Y], "Z");
	CHECK_STR(km.name[KEY_Z], "Y");
	CHECK_STR(km.name[KEY_SEMICOLON], "Ö");
	CHECK_EQ(km.role[KEY_SEMICOLON], INTERP_ROLE_TEXT);
	CHECK_EQ(km.arg[KEY_SEMICOLON], TT_CLASS_LETTER);
	CHECK_EQ(km.arg[KEY_RIGHTALT], TT_MOD_ALTGR);
	CHECK_STR(km.name[KEY_PAGEDOWN], "PageDown");
	CHECK_STR(km.name[KEY_F5], "F5");
	CHECK_EQ(km.role[KEY_KP7], INTERP_ROLE_TEXT);
	CHECK_EQ(km.arg[KEY_KP7], TT_CLASS_DIGIT);

	keymap_init_physical(&km);
	snprintf(names.layout, sizeof(names.layout), "us");
	CHECK_EQ(keymap_xkb_apply(&km, &names), 0);
	CHECK_STR(km.name[KEY_Y], "Y");
	CHECK_EQ(km.arg[KEY_RIGHTALT], TT_MOD_ALT);
	/* what the layout types with Shift: '&' is punctuation */
	CHECK_EQ(km.arg[KEY_7], TT_CLASS_DIGIT);
	CHECK_EQ(km.level_class[0][KEY_7], TT_CLASS_PUNCT);
	CHECK_EQ(km.level_class[0][KEY_A], TT_CLASS_LETTER);
	CHECK_EQ(km.level_class[0][KEY_KP7], TT_CLASS_DIGIT);

	/* a layout that does not exist: refused, table unchanged */
	keymap_init_physical(&km);
	snprintf(names.layout, sizeof(names.layout), "no-such-layout");
	CHECK(keymap_xkb_apply(&km, &names) < 0);
	CHECK_STR(km.name[KEY_Y], "Y");
}

/*
 * Issue 18: whatever is typed into a password field leaves no count, no
 * size class, no key record and no key time: in every record of the
 * password scripts, a typing record is hidden (tt_record_burst_hidden:
 * counts 0, under 0), no record starts or ends at the time of a typed
 * key, and the interpreter keeps none of them.
 */
static void
check_password_script(const char *name, size_t want_keys, size_t want_hidden)
{
	struct script_run run;
	char path[4096];
	size_t hidden = 0;

	snprintf(path, sizeof(path), "%s/tests/interp/%s", tt_test_top(), name);
	CHECK_MSG(script_run_file(&run, path), "%s: %s", name, run.error);
	CHECK_EQ(run.nkeys, want_keys);
	for (size_t i = 0; i < run.nrecs; i++) {
		const struct tt_record *r = &run.recs[i];

		CHECK_MSG(r->kind != TT_KIND_KEY, "%s: record %zu is a key record", name, i);
		if (r->kind == TT_KIND_TYPING) {
			CHECK_MSG(tt_record_burst_hidden(r), "%s: record %zu not hidden", name, i);
			for (unsigned c = 0; c < TT_CLASS_COUNT; c++)
				CHECK_EQ(r->u.typing.count[c], 0);
			CHECK_EQ(r->u.typing.round, 0);
			hidden++;
		}
		for (size_t k = 0; k < run.nkeys; k++) {
			uint64_t t = run.key_usec[k] * 1000;

			CHECK_MSG(r->time_ns != t && r->time_ns + r->dur_ns != t,
				  "%s: record %zu carries the time of key %zu", name, i, k);
		}
	}
	CHECK_EQ(hidden, want_hidden);
	CHECK_MSG(run.state_clean, "%s: a key time is still in the interpreter's state", name);
	script_run_free(&run);
}

TEST(element_password_no_count_no_key_time)
{
	check_password_script("element-password.t", strlen("correct horse battery stap") + 4, 2);
	check_password_script("element-password-open-burst.t",
			      strlen("alice.liddell@example.org") + 2 + 5, 2);
	check_password_script("element-capture-off.t", strlen("correct horse battery stap"), 1);
	check_password_script("element-password-flag-wins.t", 2 * strlen("correct horse battery stap"), 2);
}
