/* SPDX-License-Identifier: MIT */
/*
 * tasktrace mine: routines, time per application, transitions and
 * copy→paste flows, as a table for a person or as JSON (shape in
 * tasktrace-mine(1), stable) for programs.
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "tasktrace/clock.h"
#include "tasktrace/config.h"
#include "tasktrace/timefmt.h"

#include "admin/cli.h"
#include "mining/export/export.h"
#include "mining/source.h"
#include "mining/format.h"
#include "mining/mine/mine.h"
#include "mining/pseudo.h"

#define NS 1000000000ULL
#define DAY_NS (86400ULL * NS)

enum {
	OPT_FORMAT = 0x100, OPT_MIN_LENGTH, OPT_MAX_LENGTH, OPT_MIN_OCC, OPT_TOP,
	OPT_IDLE_CUT, OPT_INSTANCES, OPT_SECRET, OPT_CONTEXT,
};

static void
usage(FILE *f)
{
	fputs("Usage: tasktrace mine [OPTION…] [tasks]\n"
	      "Find the task types of the working days, repeated routines, time\n"
	      "per application, application transitions and copy→paste flows in\n"
	      "the recorded actions; 'tasks': the task types alone.\n\n"
	      "      --since TIME          actions at or after TIME (2026-11-26,\n"
	      "                            2026-11-26T09:00Z, -7d, today, @EPOCH)\n"
	      "      --until TIME          actions before TIME\n"
	      "  -u, --user USER           only USER (name or uid)\n"
	      "  -a, --app APP             only records in application APP\n"
	      "  -f, --format FORMAT       table (default) or json\n"
	      "      --min-length N        actions in a routine, at least (3)\n"
	      "      --max-length N        actions in a routine, at most (512)\n"
	      "      --min-occurrences N   instances of a routine, at least (5)\n"
	      "      --top N               routines to report (table: 10, json: all)\n"
	      "      --idle-cut DURATION   also cut sequences at pauses longer than\n"
	      "                            DURATION (90s, 10m); default: only at\n"
	      "                            idle, lock and session records\n"
	      "      --context WHAT        an action's context: title (its window\n"
	      "                            title's class, default), app or none\n"
	      "      --instances N         instances listed per routine in the\n"
	      "                            table (3); json lists all\n"
	      "  -p, --pseudonymize        keyed pseudonyms for users\n"
	      "      --secret FILE         the pseudonym key (as for export)\n"
	      "  -q, --quiet               no progress line\n"
	      "  -h, --help                this help\n"
	      "Exit status as for tasktrace(1); see tasktrace-mine(1).\n", f);
}

static bool
parse_count(const char *opt, const char *arg, uint64_t min, uint64_t max, unsigned *out)
{
	uint64_t v;

	if (tt_parse_uint(arg, max, &v) < 0 || v < min) {
		tool_error("%s: '%s' is not a number from %" PRIu64 " to %" PRIu64,
			  opt, arg, min, max);
		return false;
	}
	*out = (unsigned)v;
	return true;
}

/* --- progress ----------------------------------------------------------- */

struct progress {
	uint64_t start_ns;	/* monotonic */
	double last;
	bool on, shown;
	struct map_range map;
	unsigned calls;
};

static double
elapsed(const struct progress *p)
{
	return (double)(tt_mono_ns() - p->start_ns) / 1e9;
}

static void
on_progress(uint64_t records, void *ctx)
{
	struct progress *p = ctx;
	double s;

	/* Pages of the store already read are not needed again: keep them
	 * out of the resident set (as export does), every 256 k records. */
	if (p->map.len && ++p->calls % 4 == 0)
		madvise(p->map.start, p->map.len, MADV_DONTNEED);
	if (!p->on)
		return;
	s = elapsed(p);
	if (s - p->last < 0.25)
		return;
	p->last = s;
	fprintf(stderr, "\rmine: %" PRIu64 " records, %.0f records/s\033[K",
		records, s > 0 ? (double)records / s : 0.0);
	p->shown = true;
}

/* --- output ------------------------------------------------------------- */

static void
fmt_duration(char *buf, size_t size, uint64_t ns)
{
	uint64_t s = ns / NS;

	if (ns < 10 * NS)
		snprintf(buf, size, "%.1fs", (double)ns / 1e9);
	else if (s < 3600)
		snprintf(buf, size, "%um%02us", (unsigned)(s / 60), (unsigned)(s % 60));
	else
		snprintf(buf, size, "%uh%02um", (unsigned)(s / 3600), (unsigned)(s / 60 % 60));
}

static void
day_string(char out[11], int32_t day)
{
	tt_date_format_utc((uint64_t)day * DAY_NS, out, 11);
}

static void
put_json_str(struct fmt_buf *b, struct fmt_buf *scratch, const char *s)
{
	size_t len;
	const char *clean = fmt_utf8_clean(s, strlen(s), FMT_CLEAN_CONTROL, scratch, &len);

	if (!clean || fmt_json_string(b, clean, len) < 0)
		fmt_append(b, "\"\"", 2);
}

static void
put_fmt(struct fmt_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
put_fmt(struct fmt_buf *b, const char *fmt, ...)
{
	char tmp[128];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n > 0)
		fmt_append(b, tmp, (size_t)n < sizeof(tmp) ? (size_t)n : sizeof(tmp) - 1);
}

/* Write and empty @p b; false on a write error. */
static bool
flush(struct fmt_buf *b)
{
	bool ok = b->len == 0 || fwrite(b->data, 1, b->len, stdout) == b->len;

	b->len = 0;
	return ok;
}

/* "tasks":[…] (tasktrace-mine(1)). */
static bool
json_tasks(struct fmt_buf *b, struct fmt_buf *tmp, const struct mine_result *r)
{
	bool ok = true;

	fmt_append(b, "\"tasks\":[", 9);
	for (size_t i = 0; i < r->n_tasks; i++) {
		const struct mine_task *tk = &r->tasks[i];
		fmt_append(b, i ? ",{\"name\":" : "{\"name\":", i ? 9 : 8);
		put_json_str(b, tmp, tk->name);
		fmt_append(b, ",\"steps\":[", 10);
		for (size_t k = 0; k < tk->n_steps; k++) {
			if (k)
				fmt_append(b, ",", 1);
			put_json_str(b, tmp, tk->steps[k]);
		}
		put_fmt(b, "],\"occurrences\":%zu,\"users\":%zu,\"median_s\":%.3f,",
			tk->n_instances, tk->users, (double)tk->median_ns / 1e9);
		put_fmt(b, "\"total_s\":%.3f,\"hours_saved\":%.3f,\"variants\":%zu,",
			(double)tk->total_ns / 1e9, tk->hours_saved, tk->variants);
		put_fmt(b, "\"actions\":%zu,\"routines\":[", tk->events);
		size_t nrt = 0;
		for (size_t k = 0; k < r->n_routines; k++)
			if (r->routines[k].task == (long)i)
				put_fmt(b, nrt++ ? ",%zu" : "%zu", k);
		fmt_append(b, "],\"instances\":[", 15);
		for (size_t k = 0; k < tk->n_instances; k++) {
			const struct mine_instance *in = &tk->instances[k];
			fmt_append(b, k ? ",{\"user\":" : "{\"user\":", k ? 9 : 8);
			put_json_str(b, tmp, in->user);
			put_fmt(b, ",\"start_ns\":%" PRIu64 ",\"end_ns\":%" PRIu64 "}",
				in->start_ns, in->end_ns);
			if (b->len > (1 << 16))
				ok &= flush(b);
		}
		fmt_append(b, "]}", 2);
	}
	fmt_append(b, "]", 1);
	return ok;
}

static bool
print_json_tasks(const struct mine_result *r)
{
	struct fmt_buf b = { 0 }, tmp = { 0 };
	bool ok;

	fmt_append(&b, "{", 1);
	ok = json_tasks(&b, &tmp, r);
	fmt_append(&b, ",\"method\":", 10);
	put_json_str(&b, &tmp, r->task_method ? r->task_method : "");
	fmt_append(&b, "}\n", 2);
	ok &= flush(&b);
	fmt_buf_free(&b);
	fmt_buf_free(&tmp);
	return ok;
}

static bool
print_json(const struct mine_result *r, size_t top)
{
	struct fmt_buf b = { 0 }, tmp = { 0 };
	const struct mine_totals *t = &r->totals;
	size_t nr = top && top < r->n_routines ? top : r->n_routines;
	bool ok = true;
	char day[11];

	fmt_append(&b, "{\"routines\":[", 13);
	for (size_t i = 0; i < nr; i++) {
		const struct mine_routine *rt = &r->routines[i];
		fmt_append(&b, i ? ",{\"actions\":[" : "{\"actions\":[", i ? 13 : 12);
		for (size_t k = 0; k < rt->n_actions; k++) {
			if (k)
				fmt_append(&b, ",", 1);
			put_json_str(&b, &tmp, rt->actions[k]);
		}
		put_fmt(&b, "],\"occurrences\":%zu,\"users\":%zu,\"median_s\":%.3f,"
			"\"total_s\":%.3f,\"hours_saved\":%.3f,\"variants\":%zu,"
			"\"instances\":[", rt->occurrences, rt->users,
			(double)rt->median_ns / 1e9, (double)rt->total_ns / 1e9,
			rt->hours_saved, rt->variants);
		for (size_t k = 0; k < rt->n_instances; k++) {
			const struct mine_instance *in = &rt->instances[k];
			fmt_append(&b, k ? ",{\"user\":" : "{\"user\":", k ? 9 : 8);
			put_json_str(&b, &tmp, in->user);
			put_fmt(&b, ",\"start_ns\":%" PRIu64 ",\"end_ns\":%" PRIu64 "}",
				in->start_ns, in->end_ns);
			if (b.len > (1 << 16))
				ok &= flush(&b);
		}
		fmt_append(&b, "]}", 2);
	}
	fmt_append(&b, "],\"applications\":[", 18);
	for (size_t i = 0; i < r->n_app_days; i++) {
		const struct mine_app_day *d = &r->app_days[i];
		fmt_append(&b, i ? ",{\"user\":" : "{\"user\":", i ? 9 : 8);
		put_json_str(&b, &tmp, d->user);
		fmt_append(&b, ",\"app\":", 7);
		put_json_str(&b, &tmp, d->app);
		day_string(day, d->day);
		put_fmt(&b, ",\"day\":\"%s\",\"active_s\":%.3f,\"switches_to\":%" PRIu64 "}",
			day, (double)d->active_ns / 1e9, d->switches_to);
		if (b.len > (1 << 16))
			ok &= flush(&b);
	}
	fmt_append(&b, "],\"transitions\":[", 17);
	for (size_t i = 0; i < r->n_transitions; i++) {
		const struct mine_transition *x = &r->transitions[i];
		fmt_append(&b, i ? ",{\"from\":" : "{\"from\":", i ? 9 : 8);
		put_json_str(&b, &tmp, x->from);
		fmt_append(&b, ",\"to\":", 6);
		put_json_str(&b, &tmp, x->to);
		put_fmt(&b, ",\"count\":%" PRIu64 ",\"median_dwell_s\":%.3f}", x->count,
			(double)x->median_dwell_ns / 1e9);
		if (b.len > (1 << 16))
			ok &= flush(&b);
	}
	fmt_append(&b, "],\"flows\":[", 11);
	for (size_t i = 0; i < r->n_flows; i++) {
		const struct mine_flow *x = &r->flows[i];
		fmt_append(&b, i ? ",{\"from\":" : "{\"from\":", i ? 9 : 8);
		put_json_str(&b, &tmp, x->from);
		fmt_append(&b, ",\"to\":", 6);
		put_json_str(&b, &tmp, x->to);
		put_fmt(&b, ",\"count\":%" PRIu64 ",\"median_s\":%.3f}", x->count,
			(double)x->median_ns / 1e9);
	}
	fmt_append(&b, "],", 2);
	ok &= json_tasks(&b, &tmp, r);
	put_fmt(&b, ",\"totals\":{\"records\":%" PRIu64 ",\"actions\":%" PRIu64
		",\"users\":%zu,\"days\":%zu,", t->records, t->actions, t->users, t->days);
	put_fmt(&b, "\"first_ns\":%" PRIu64 ",\"last_ns\":%" PRIu64 ",", t->first_ns,
		t->last_ns);
	put_fmt(&b, "\"active_s\":%.3f,\"idle_s\":%.3f,\"switches\":%" PRIu64 "},",
		(double)t->active_ns / 1e9, (double)t->idle_ns / 1e9, t->switches);
	fmt_append(&b, "\"method\":", 9);
	put_json_str(&b, &tmp, r->method ? r->method : "");
	fmt_append(&b, ",\"task_method\":", 15);
	put_json_str(&b, &tmp, r->task_method ? r->task_method : "");
	fmt_append(&b, "}\n", 2);
	ok &= flush(&b);
	fmt_buf_free(&b);
	fmt_buf_free(&tmp);
	return ok;
}

static void
table_tasks(const struct mine_result *r, size_t top, size_t show_instances)
{
	size_t nt = top && top < r->n_tasks ? top : r->n_tasks;
	char a[16], b[16], ts[FMT_TIME_LEN + 1];

	printf("Task types");
	if (r->n_tasks > nt)
		printf(" (%zu of %zu; --top N for more)", nt, r->n_tasks);
	printf(":\n");
	if (nt == 0)
		printf("  none found (see tasktrace-mine(1))\n");
	for (size_t i = 0; i < nt; i++) {
		const struct mine_task *tk = &r->tasks[i];
		fmt_duration(a, sizeof(a), tk->median_ns);
		fmt_duration(b, sizeof(b), tk->total_ns);
		printf("  T%zu  %s\n", i + 1, tk->name);
		printf("       %zu instances by %zu user%s, median %s, total %s, "
		       "%.1f hours to save, %zu variant%s\n", tk->n_instances, tk->users,
		       tk->users == 1 ? "" : "s", a, b, tk->hours_saved, tk->variants,
		       tk->variants == 1 ? "" : "s");
		for (size_t k = 0; k < tk->n_steps; k++) {
			if (k == 12 && tk->n_steps > 14) {
				printf("        … %zu more …\n", tk->n_steps - 13);
				k = tk->n_steps - 1;
			}
			printf("      %2zu. %s\n", k + 1, tk->steps[k]);
		}
		for (size_t k = 0; k < r->n_routines; k++)
			if (r->routines[k].task == (long)i)
				printf("       routine #%zu is one of its loops\n", k + 1);
		for (size_t k = 0; k < tk->n_instances && k < show_instances; k++) {
			fmt_time_iso(ts, tk->instances[k].start_ns);
			fmt_duration(a, sizeof(a), tk->instances[k].end_ns -
				     tk->instances[k].start_ns);
			printf("      %s %s (%s)\n", tk->instances[k].user, ts, a);
		}
		if (tk->n_instances > show_instances && show_instances)
			printf("      … %zu more instances (--format json lists all)\n",
			       tk->n_instances - show_instances);
	}
}

static void
print_table(const struct mine_result *r, const struct mine_options *o, size_t top,
	    size_t show_instances)
{
	const struct mine_totals *t = &r->totals;
	size_t nr = top && top < r->n_routines ? top : r->n_routines;
	char a[16], b[16], d1[11], d2[11], ts[FMT_TIME_LEN + 1];

	if (t->records == 0) {
		printf("No records in the selection.\n");
		return;
	}
	day_string(d1, (int32_t)(t->first_ns / DAY_NS));
	day_string(d2, (int32_t)(t->last_ns / DAY_NS));
	fmt_duration(a, sizeof(a), t->active_ns);
	fmt_duration(b, sizeof(b), t->idle_ns);
	printf("%" PRIu64 " records, %" PRIu64 " actions, %zu users, %zu user-days, "
	       "%s … %s (UTC)\n", t->records, t->actions, t->users, t->days, d1, d2);
	printf("active %s, idle %s, %" PRIu64 " application switches",
	       a, b, t->switches);
	if (t->active_ns)
		printf(" (%.1f per active hour)", (double)t->switches * 3.6e12 /
		       (double)t->active_ns);
	printf("\n\n");
	table_tasks(r, top, show_instances);
	printf("\nRoutines");
	if (r->n_routines > nr)
		printf(" (%zu of %zu; --top N for more)", nr, r->n_routines);
	printf(":\n");
	if (nr == 0)
		printf("  none found: no run of %u or more repetitions of a sequence of "
		       "%u or more actions\n  (see --min-occurrences, --min-length and "
		       "tasktrace-mine(1))\n", o->min_occurrences, o->min_length);
	for (size_t i = 0; i < nr; i++) {
		const struct mine_routine *rt = &r->routines[i];
		fmt_duration(a, sizeof(a), rt->median_ns);
		fmt_duration(b, sizeof(b), rt->total_ns);
		printf("  #%zu  %zu times by %zu user%s, median %s, total %s, "
		       "%.1f hours to save, %zu actions, %zu variant%s\n",
		       i + 1, rt->occurrences, rt->users, rt->users == 1 ? "" : "s", a, b,
		       rt->hours_saved, rt->n_actions, rt->variants,
		       rt->variants == 1 ? "" : "s");
		for (size_t k = 0; k < rt->n_actions; k++) {
			if (k == 12 && rt->n_actions > 14) {
				printf("        … %zu more …\n", rt->n_actions - 13);
				k = rt->n_actions - 1;
			}
			printf("      %2zu. %s\n", k + 1, rt->actions[k]);
		}
		for (size_t k = 0; k < rt->n_instances && k < show_instances; k++) {
			fmt_time_iso(ts, rt->instances[k].start_ns);
			fmt_duration(a, sizeof(a), rt->instances[k].end_ns -
				     rt->instances[k].start_ns);
			printf("      %s %s (%s)\n", rt->instances[k].user, ts, a);
		}
		if (rt->n_instances > show_instances && show_instances)
			printf("      … %zu more instances (--format json lists all)\n",
			       rt->n_instances - show_instances);
	}

	printf("\nActive time per application (user, UTC day):\n");
	printf("  %-16s %-10s %-28s %9s %9s\n", "user", "day", "application", "active",
	       "switches");
	for (size_t i = 0; i < r->n_app_days; i++) {
		const struct mine_app_day *d = &r->app_days[i];
		if (d->active_ns == 0 && d->switches_to == 0)
			continue;
		day_string(d1, d->day);
		fmt_duration(a, sizeof(a), d->active_ns);
		printf("  %-16s %-10s %-28s %9s %9" PRIu64 "\n", d->user, d1,
		       *d->app ? d->app : "(none)", a, d->switches_to);
	}
	printf("\nTransitions (from → to, median time in the first):\n");
	for (size_t i = 0; i < r->n_transitions && i < (top ? top : 10) * 2; i++) {
		const struct mine_transition *x = &r->transitions[i];
		fmt_duration(a, sizeof(a), x->median_dwell_ns);
		printf("  %8" PRIu64 "  %s → %s  (%s)\n", x->count,
		       *x->from ? x->from : "(none)", *x->to ? x->to : "(none)", a);
	}
	if (r->n_transitions == 0)
		printf("  none\n");
	printf("\nCopy → paste flows (median time from copy to paste):\n");
	for (size_t i = 0; i < r->n_flows && i < (top ? top : 10) * 2; i++) {
		const struct mine_flow *x = &r->flows[i];
		fmt_duration(a, sizeof(a), x->median_ns);
		printf("  %8" PRIu64 "  %s → %s  (%s)\n", x->count,
		       *x->from ? x->from : "(none)", *x->to ? x->to : "(none)", a);
	}
	if (r->n_flows == 0)
		printf("  none\n");
}

int
cmd_mine(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "since", required_argument, NULL, 'S' },
		{ "until", required_argument, NULL, 'U' },
		{ "user", required_argument, NULL, 'u' },
		{ "app", required_argument, NULL, 'a' },
		{ "format", required_argument, NULL, 'f' },
		{ "min-length", required_argument, NULL, OPT_MIN_LENGTH },
		{ "max-length", required_argument, NULL, OPT_MAX_LENGTH },
		{ "min-occurrences", required_argument, NULL, OPT_MIN_OCC },
		{ "top", required_argument, NULL, OPT_TOP },
		{ "idle-cut", required_argument, NULL, OPT_IDLE_CUT },
		{ "instances", required_argument, NULL, OPT_INSTANCES },
		{ "context", required_argument, NULL, OPT_CONTEXT },
		{ "pseudonymize", no_argument, NULL, 'p' },
		{ "pseudonymise", no_argument, NULL, 'p' },
		{ "secret", required_argument, NULL, OPT_SECRET },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct cli_filter filter = { 0 };
	struct mine_options o;
	const char *format = "table", *secret = NULL;
	unsigned top = 0, show = 3;
	bool json, quiet = false, pseudonymize = false, top_given = false, nothing;
	struct tt_store *store;
	struct tt_reader *rd = NULL;
	struct tt_store_stat st;
	struct tt_query q;
	struct pseudo *pseudo = NULL;
	struct mine_result *res = NULL;
	struct progress prog = { 0 };
	char err[512];
	int c, rc, code = TT_EXIT_OK;

	mine_options_init(&o);
	optind = 0;
	while ((c = getopt_long(argc, argv, "u:a:f:pqh", longopts, NULL)) != -1) {
		if (cli_filter_option(&filter, c, optarg))
			continue;
		switch (c) {
		case 'f': format = optarg; break;
		case OPT_MIN_LENGTH:
			if (!parse_count("--min-length", optarg, 1, 100000, &o.min_length))
				return TT_EXIT_USAGE;
			break;
		case OPT_MAX_LENGTH:
			if (!parse_count("--max-length", optarg, 1, 100000, &o.max_length))
				return TT_EXIT_USAGE;
			break;
		case OPT_MIN_OCC:
			if (!parse_count("--min-occurrences", optarg, 2, 100000000,
					 &o.min_occurrences))
				return TT_EXIT_USAGE;
			break;
		case OPT_TOP:
			if (!parse_count("--top", optarg, 1, 1000, &top))
				return TT_EXIT_USAGE;
			top_given = true;
			break;
		case OPT_INSTANCES:
			if (!parse_count("--instances", optarg, 0, 1000000, &show))
				return TT_EXIT_USAGE;
			break;
		case OPT_IDLE_CUT:
			if (tt_parse_duration(optarg, &o.idle_cut_ns) < 0 || !o.idle_cut_ns) {
				tool_error("--idle-cut: cannot read '%s' as a duration "
					  "(e.g. 90s, 10m, 1.5h)", optarg);
				return TT_EXIT_USAGE;
			}
			break;
		case OPT_CONTEXT:
			if (strcmp(optarg, "title") == 0) {
				o.context = MINE_CONTEXT_TITLE;
			} else if (strcmp(optarg, "app") == 0) {
				o.context = MINE_CONTEXT_APP;
			} else if (strcmp(optarg, "none") == 0) {
				o.context = MINE_CONTEXT_NONE;
			} else {
				tool_error("--context: '%s' is not title, app or none", optarg);
				return TT_EXIT_USAGE;
			}
			break;
		case 'p': pseudonymize = true; break;
		case OPT_SECRET: secret = optarg; break;
		case 'q': quiet = true; break;
		case 'h': usage(stdout); return TT_EXIT_OK;
		default: usage(stderr); return TT_EXIT_USAGE;
		}
	}
	bool only_tasks = false;
	if (optind < argc && strcmp(argv[optind], "tasks") == 0) {
		only_tasks = true;
		optind++;
	}
	if (optind < argc) {
		tool_error("mine: unexpected argument '%s'", argv[optind]);
		return TT_EXIT_USAGE;
	}
	if (strcmp(format, "table") == 0) {
		json = false;
	} else if (strcmp(format, "json") == 0) {
		json = true;
	} else {
		tool_error("mine: unknown format '%s' (table or json)", format);
		return TT_EXIT_USAGE;
	}
	if (o.max_length && o.max_length < o.min_length) {
		tool_error("--max-length %u is below --min-length %u", o.max_length,
			  o.min_length);
		return TT_EXIT_USAGE;
	}
	if ((rc = cli_check_filter(&filter)))
		return rc;
	if (!top_given && !json)
		top = 10;
	o.max_routines = 0;

	if (pseudonymize) {
		pseudo = malloc(sizeof(*pseudo));
		if (!pseudo)
			return TT_EXIT_FAIL;
		int prc = pseudo_load(pseudo, pseudo_secret_path(secret, NULL), err,
				      sizeof(err));
		if (prc < 0) {
			tool_error("mine: %s", err);
			free(pseudo);
			/* as export and report: a secret others can read is a
			 * permission problem (6), a missing or short one 1 */
			return prc == -EPERM || prc == -EACCES ? TT_EXIT_PERM : TT_EXIT_FAIL;
		}
		o.pseudo = pseudo;
	}
	store = tool_open_store(TT_STORE_RDONLY, &code);
	if (!store)
		goto out;
	rc = tt_reader_open(store, &rd);
	if (rc == 0)
		rc = tt_reader_stat(rd, &st);
	if (rc != 0) {
		code = tool_store_error("reading", rc);
		goto out;
	}
	o.host = st.host_id;
	code = cli_build_query(rd, &filter, &q, &nothing);
	if (code != TT_EXIT_OK)
		goto out;
	if (nothing)
		q.since_ns = q.until_ns = 1;	/* an application never seen */

	prog.start_ns = tt_mono_ns();
	prog.on = !quiet && isatty(STDERR_FILENO);
	source_find_map(tool.store_path, &prog.map);
	rc = mine_run(rd, &q, &o, on_progress, &prog, &res);
	if (prog.shown)
		fputs("\r\033[K", stderr);
	if (rc == -ENOMEM) {
		tool_error("mine: out of memory");
		code = TT_EXIT_FAIL;
		goto out;
	}
	if (rc != 0) {
		code = tool_store_error("mining", rc);
		goto out;
	}
	if (json && only_tasks) {
		if (!print_json_tasks(res))
			code = TT_EXIT_IO;
	} else if (json) {
		if (!print_json(res, top))
			code = TT_EXIT_IO;
	} else if (only_tasks) {
		if (res->totals.records == 0)
			printf("No records in the selection.\n");
		else
			table_tasks(res, top, show);
	} else {
		print_table(res, &o, top, show);
	}
	if (fflush(stdout) != 0 || ferror(stdout)) {
		tool_error("mine: writing the output: %s", strerror(errno));
		code = TT_EXIT_IO;
	}
out:
	mine_result_free(res);
	source_close(pseudo, store, rd);
	return code;
}
