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

	/* a layout that does not exist: refused, table unchanged */
	keymap_init_physical(&km);
	snprintf(names.layout, sizeof(names.layout), "no-such-layout");
	CHECK(keymap_xkb_apply(&km, &names) < 0);
	CHECK_STR(km.name[KEY_Y], "Y");
}
