/* SPDX-License-Identifier: MIT */
/*
 * Task recognition (tasktrace mine tasks) on mixed working days built
 * from the public UI logs of tests/data/uilogs (issue 19): the instances
 * of several logs shuffled with a fixed seed into one person's stream and
 * re-timed (row order = time order, 0.5–3 s between instances), by
 * tasktrace-workload --from-uilog … --mix-seed S --truth FILE.
 *
 * Event-level task F1, as the issue defines it: each event gets the type
 * of the found instance that covers it (none: no type); each found type
 * is mapped to the true type most of its events have; F1 per true type,
 * macro-averaged. The instance boundaries' edit distance: the events
 * where an instance starts in one segmentation and not in the other
 * (insertions plus deletions of boundaries), printed with the true count.
 *
 * The figures are deterministic (fixed seeds, no sampling in the method
 * below 2 M actions): no false-result chance beyond a real regression.
 */
#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

static char cli_path[4096], wl_path[4096];

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

struct truth {
	uint64_t t;
	unsigned log, inst;
};

struct found {
	uint64_t s, e;
	int type;
};

static int
cmp_found(const void *pa, const void *pb)
{
	const struct found *a = pa, *b = pb;

	/* an instance of no length first: of two starting together the
	 * longer one covers what follows */
	if (a->s != b->s)
		return a->s < b->s ? -1 : 1;
	return a->e < b->e ? -1 : a->e > b->e;
}

/* The found type covering time @p t, or -1. */
static int
covering(const struct found *f, size_t n, uint64_t t, size_t *which)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {		/* the last start <= t */
		size_t mid = (lo + hi) / 2;
		if (f[mid].s <= t)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0 || f[lo - 1].e < t)
		return -1;
	*which = lo - 1;
	return f[lo - 1].type;
}

struct score {
	double f1;		/* macro over the true types */
	double per[8];
	size_t n_types, found_types, true_bounds, edit;
};

/*
 * Score a mix. @p merge maps each log to its true type (logs that the
 * recorded information cannot tell apart may share one); NULL: each log
 * its own type.
 */
static bool
score_mix(const char *name, const char *const *logs, size_t n_logs, uint64_t seed,
	  const char *one_app, const unsigned *merge, struct score *sc)
{
	char dir[4200], truth_path[4300], *out = NULL, args[4096] = "";
	size_t alen = 0;

	programs();
	memset(sc, 0, sizeof(*sc));
	for (size_t i = 0; i < n_logs; i++)
		alen += (size_t)snprintf(args + alen, sizeof(args) - alen,
					 " --from-uilog %s/tests/data/uilogs/%s", tt_test_top(),
					 logs[i]);
	snprintf(dir, sizeof(dir), "%s/mix-%s", tt_test_tmpdir(), name);
	snprintf(truth_path, sizeof(truth_path), "%s.truth", dir);
	if (tt_test_run(NULL, "%s --quiet%s --mix-seed %llu%s%s --truth %s --store %s",
			wl_path, args, (unsigned long long)seed, one_app ? " --one-app " : "",
			one_app ? one_app : "", truth_path, dir) != 0)
		return false;
	if (tt_test_run(&out, "%s --store %s mine tasks --format json", cli_path, dir) != 0) {
		free(out);
		return false;
	}
	struct json_object *j = json_tokener_parse(out), *tasks;
	free(out);
	if (!j || !json_object_object_get_ex(j, "tasks", &tasks)) {
		json_object_put(j);
		return false;
	}

	/* the found instances, by start */
	size_t nf = 0, cap = 1024;
	struct found *f = malloc(cap * sizeof(*f));
	sc->found_types = json_object_array_length(tasks);
	for (size_t k = 0; f && k < sc->found_types; k++) {
		struct json_object *ins, *x;
		json_object_object_get_ex(json_object_array_get_idx(tasks, k), "instances", &ins);
		for (size_t i = 0; i < json_object_array_length(ins); i++) {
			struct json_object *in = json_object_array_get_idx(ins, i);
			if (nf == cap) {
				struct found *g = realloc(f, (cap *= 2) * sizeof(*f));
				if (!g)
					break;
				f = g;
			}
			json_object_object_get_ex(in, "start_ns", &x);
			f[nf].s = (uint64_t)json_object_get_int64(x);
			json_object_object_get_ex(in, "end_ns", &x);
			f[nf].e = (uint64_t)json_object_get_int64(x);
			f[nf++].type = (int)k;
		}
	}
	json_object_put(j);
	qsort(f, nf, sizeof(*f), cmp_found);

	/* the truth, one line per event */
	FILE *tf = fopen(truth_path, "r");
	size_t nt = 0, tcap = 1 << 14;
	struct truth *tr = malloc(tcap * sizeof(*tr));
	unsigned long long t;
	unsigned lg, in;
	while (tf && tr && fscanf(tf, "%llu %u %u", &t, &lg, &in) == 3) {
		if (nt == tcap) {
			struct truth *g = realloc(tr, (tcap *= 2) * sizeof(*tr));
			if (!g)
				break;
			tr = g;
		}
		tr[nt++] = (struct truth){ t, merge ? merge[lg] : lg, in };
	}
	if (tf)
		fclose(tf);
	if (!f || !tr || nt == 0) {
		free(f);
		free(tr);
		return false;
	}

	/* found type → the true type most of its events have */
	size_t nft = sc->found_types, ntt = 0;
	for (size_t i = 0; i < nt; i++)
		if (tr[i].log + 1 > ntt)
			ntt = tr[i].log + 1;
	size_t *cnt = calloc((nft + 1) * ntt, sizeof(*cnt));
	int *got = malloc(nt * sizeof(*got));
	int *map = malloc((nft + 1) * sizeof(*map));
	size_t prev_inst = SIZE_MAX;
	for (size_t i = 0; cnt && got && map && i < nt; i++) {
		size_t which = SIZE_MAX;
		got[i] = covering(f, nf, tr[i].t, &which);
		if (got[i] >= 0)
			cnt[(size_t)got[i] * ntt + tr[i].log]++;
		/* boundaries: a true instance starts here, a found one does */
		bool tb = i == 0 || tr[i].inst != tr[i - 1].inst;
		bool fb = i == 0 || which != prev_inst;
		prev_inst = which;
		sc->true_bounds += tb;
		sc->edit += tb != fb;
	}
	for (size_t k = 0; cnt && map && k < nft; k++) {
		size_t best = 0;
		map[k] = -1;
		for (size_t l = 0; l < ntt; l++)
			if (cnt[k * ntt + l] > best) {
				best = cnt[k * ntt + l];
				map[k] = (int)l;
			}
	}
	sc->n_types = ntt;
	for (size_t l = 0; cnt && got && map && l < ntt && l < 8; l++) {
		size_t tp = 0, fp = 0, fn = 0;
		for (size_t i = 0; i < nt; i++) {
			bool pred = got[i] >= 0 && map[got[i]] == (int)l;
			bool real = tr[i].log == l;
			tp += pred && real;
			fp += pred && !real;
			fn += !pred && real;
		}
		double p = tp + fp ? (double)tp / (double)(tp + fp) : 0;
		double r = tp + fn ? (double)tp / (double)(tp + fn) : 0;
		sc->per[l] = p + r > 0 ? 2 * p * r / (p + r) : 0;
		sc->f1 += sc->per[l] / (double)ntt;
	}
	bool ok = cnt && got && map;
	free(cnt);
	free(got);
	free(map);
	free(f);
	free(tr);
	printf("    %s: F1 %.3f (", name, sc->f1);
	for (size_t l = 0; l < sc->n_types && l < 8; l++)
		printf("%s%.3f", l ? " " : "", sc->per[l]);
	printf("), %zu types found, boundaries: %zu true, edit distance %zu (%.2f per true)\n",
	       sc->found_types, sc->true_bounds, sc->edit,
	       sc->true_bounds ? (double)sc->edit / (double)sc->true_bounds : 0.0);
	return ok;
}

static const char *const all4[] = {
	"StudentRecord.csv", "Reimbursement.csv", "log1.xes", "log4.xes",
};

/*
 * The issue's mix of all four. log1 and log4 are the same routine model
 * but for one button in 52 of log4's 100 traces and the typed values,
 * which are never imported (tests/data/uilogs/SOURCES.md): 48 of log4's
 * instances are step for step log1's. No method on the recorded
 * information can tell those apart, so the bar applies with the two as
 * one true type; the four-type figure is printed beside its ceiling
 * (log4's Button3 instances told apart, the rest taken for log1: 0.873).
 */
TEST(tasks_mix_all_four)
{
	static const unsigned merged[] = { 0, 1, 2, 2 };
	struct score sc;

	for (uint64_t seed = 1; seed <= 2; seed++) {
		char name[32];
		snprintf(name, sizeof(name), "all4-seed%llu", (unsigned long long)seed);
		CHECK_MSG(score_mix(name, all4, 4, seed, NULL, NULL, &sc), "%s: no score", name);
		printf("      (four types; the information ceiling is 0.873)\n");
		snprintf(name, sizeof(name), "all4-seed%llu-merged", (unsigned long long)seed);
		CHECK_MSG(score_mix(name, all4, 4, seed, NULL, merged, &sc), "%s: no score", name);
		CHECK_MSG(sc.f1 >= 0.95, "%s: F1 %.3f < 0.95", name, sc.f1);
		CHECK_MSG(sc.found_types == 3, "%s: %zu types", name, sc.found_types);
	}
}

/* Three types that the records can tell apart, two seeds, and log4 in
 * log1's place. */
TEST(tasks_mix_three)
{
	static const char *const a[] = { "StudentRecord.csv", "Reimbursement.csv", "log1.xes" };
	static const char *const b[] = { "log4.xes", "Reimbursement.csv", "StudentRecord.csv" };
	struct score sc;

	CHECK(score_mix("three-seed3", a, 3, 3, NULL, NULL, &sc));
	CHECK_MSG(sc.f1 >= 0.95, "F1 %.3f < 0.95", sc.f1);
	CHECK(score_mix("three-seed11", a, 3, 11, NULL, NULL, &sc));
	CHECK_MSG(sc.f1 >= 0.95, "F1 %.3f < 0.95", sc.f1);
	CHECK(score_mix("three-log4-seed6", b, 3, 6, NULL, NULL, &sc));
	CHECK_MSG(sc.f1 >= 0.95, "F1 %.3f < 0.95", sc.f1);
}

/* The two Action Logger recordings share their applications (Excel and
 * Chrome) and their kinds of steps: only what the steps act on differs. */
TEST(tasks_mix_action_logger)
{
	static const char *const a[] = { "StudentRecord.csv", "Reimbursement.csv" };
	struct score sc;

	CHECK(score_mix("al-seed4", a, 2, 4, NULL, NULL, &sc));
	CHECK_MSG(sc.f1 >= 0.95, "F1 %.3f < 0.95", sc.f1);
	CHECK(score_mix("al-seed9", a, 2, 9, NULL, NULL, &sc));
	CHECK_MSG(sc.f1 >= 0.95, "F1 %.3f < 0.95", sc.f1);
}

/* Every step in one application: the application says nothing. */
TEST(tasks_mix_one_application)
{
	static const char *const a[] = { "StudentRecord.csv", "Reimbursement.csv", "log1.xes" };
	static const char *const b[] = { "StudentRecord.csv", "Reimbursement.csv" };
	struct score sc;

	CHECK(score_mix("oneapp-seed5", a, 3, 5, "Fiori", NULL, &sc));
	CHECK_MSG(sc.f1 >= 0.95, "F1 %.3f < 0.95", sc.f1);
	CHECK(score_mix("oneapp-al-seed12", b, 2, 12, "Fiori", NULL, &sc));
	CHECK_MSG(sc.f1 >= 0.95, "F1 %.3f < 0.95", sc.f1);
}

/* One type repeated: each single log is one task type with its true
 * number of instances (± 10 %), as the routine finder's bars. */
TEST(tasks_single_logs)
{
	static const struct {
		const char *log;
		int instances;
	} logs[] = {
		{ "StudentRecord.csv", 50 }, { "Reimbursement.csv", 50 },
		{ "log1.xes", 100 }, { "log4.xes", 100 },
	};

	programs();
	for (size_t i = 0; i < 4; i++) {
		char dir[4200], *out = NULL;
		struct json_object *j, *tasks, *x;
		snprintf(dir, sizeof(dir), "%s/single-%s", tt_test_tmpdir(), logs[i].log);
		CHECK(tt_test_run(NULL, "%s --quiet --from-uilog %s/tests/data/uilogs/%s --store %s",
				  wl_path, tt_test_top(), logs[i].log, dir) == 0);
		CHECK(tt_test_run(&out, "%s --store %s mine tasks --format json", cli_path,
				  dir) == 0);
		j = json_tokener_parse(out);
		free(out);
		CHECK(j && json_object_object_get_ex(j, "tasks", &tasks));
		size_t n = json_object_array_length(tasks);
		int occ = -1;
		if (n && json_object_object_get_ex(json_object_array_get_idx(tasks, 0),
						   "occurrences", &x))
			occ = json_object_get_int(x);
		printf("    %s: %zu task type(s), the first with %d instances (true: %d)\n",
		       logs[i].log, n, occ, logs[i].instances);
		json_object_put(j);
		CHECK_MSG(n == 1, "%s: %zu task types", logs[i].log, n);
		CHECK_MSG(occ * 10 >= logs[i].instances * 9 && occ * 10 <= logs[i].instances * 11,
			  "%s: %d instances", logs[i].log, occ);
	}
}

/*
 * The importer's element model (tasktrace-workload(1)): six rounds of a
 * small Action Logger log; the routine's steps name what they act on —
 * a control's name, a link without its text, a sheet as the context, a
 * URL as its host alone (no user, password, path or query) — and no
 * typed value or link text reaches the store.
 */
TEST(tasks_importer_elements)
{
	char log[4200], dir[4200], *out = NULL;
	FILE *f;

	programs();
	snprintf(log, sizeof(log), "%s/elements.csv", tt_test_tmpdir());
	snprintf(dir, sizeof(dir), "%s/elements", tt_test_tmpdir());
	f = fopen(log, "w");
	CHECK(f);
	fputs("timeStamp,userID,targetApp,eventType,url,content,target.tagName,target.type,"
	      "target.name,target.id,target.innerText,target.value,target.workbookName,"
	      "target.sheetName\n", f);
	for (int i = 0; i < 6; i++) {
		int m = 10 + i;
		fprintf(f, "2019-10-21T00:%02d:01Z,u,Excel,getCell,,Secret42,,,,A%d,,Secret42,"
			"Book.xlsx,Sheet1\n", m, i + 2);
		fprintf(f, "2019-10-21T00:%02d:02Z,,OS-Clipboard,copy,,Secret42,,,,,,,,\n", m);
		fprintf(f, "2019-10-21T00:%02d:03Z,u,Chrome,mouseClick,"
			"https://me:pw@host.example/form/x?id=7,,INPUT,password,pw,,,,,\n", m);
		fprintf(f, "2019-10-21T00:%02d:04Z,u,Chrome,paste,https://host.example/form/x,"
			"Secret42,INPUT,password,pw,,,Secret42,,\n", m);
		fprintf(f, "2019-10-21T00:%02d:05Z,u,Chrome,clickButton,https://host.example/,,"
			"BUTTON,submit,,,\"\\n  Submit \",,,\n", m);
		fprintf(f, "2019-10-21T00:%02d:06Z,u,Chrome,right_click,,,A,,,,Linktext,,,\n", m);
		fprintf(f, "2019-10-21T00:%02d:07Z,u,Chrome,formSubmit,,,,,,,,,,\n", m);
	}
	fclose(f);
	CHECK_EQ(tt_test_run(&out, "%s --from-uilog %s --store %s", wl_path, log, dir), 0);
	CHECK_CONTAINS(out, "42 events");
	CHECK_MSG(!strstr(out, "unknown"), "%s", out);	/* mouseClick, right_click, formSubmit */
	free(out);
	CHECK_EQ(tt_test_run(&out, "%s --store %s mine --format json --min-occurrences 5",
			     cli_path, dir), 0);
	CHECK_CONTAINS(out, "Click table cell in Excel \xe2\x80\x94 Book.xlsx - Sheet#");
	CHECK_CONTAINS(out, "Ctrl+C table cell in Excel");
	CHECK_CONTAINS(out, "Click 'pw' password text in Chrome \xe2\x80\x94 host.example\"");
	CHECK_CONTAINS(out, "Ctrl+V 'pw' password text in Chrome");
	CHECK_CONTAINS(out, "Click 'Submit' push button in Chrome");
	CHECK_CONTAINS(out, "Right-click link in Chrome\"");
	free(out);
	CHECK_EQ(tt_test_run(NULL, "grep -c -a -e Secret42 -e Linktext -e form/x -e me:pw %s/data.mdb",
			     dir), 1);
}

/* export --activity element puts the element in the activity name; the
 * default names stay as they were. */
TEST(tasks_export_activity_element)
{
	char dir[4200], *out = NULL;

	programs();
	snprintf(dir, sizeof(dir), "%s/export-sr", tt_test_tmpdir());
	CHECK_EQ(tt_test_run(NULL, "%s --quiet --from-uilog %s/tests/data/uilogs/StudentRecord.csv "
			     "--store %s", wl_path, tt_test_top(), dir), 0);
	CHECK_EQ(tt_test_run(&out, "%s --store %s export -q --activity element", cli_path, dir), 0);
	CHECK_CONTAINS(out, ",Click 'SingleLine' text,");
	CHECK_CONTAINS(out, ",Shortcut Ctrl+V 'SingleLine' text,");
	CHECK_CONTAINS(out, ",Switch to Chrome,");
	free(out);
	CHECK_EQ(tt_test_run(&out, "%s --store %s export -q", cli_path, dir), 0);
	CHECK_CONTAINS(out, ",Shortcut Ctrl+V,");
	CHECK(!strstr(out, ",Click 'SingleLine' text,"));
	free(out);
	CHECK_EQ(tt_test_run(&out, "%s --store %s export -q --activity role 2>&1", cli_path, dir), 2);
	CHECK_CONTAINS(out, "invalid --activity 'role' (name or element)");
	free(out);
}
