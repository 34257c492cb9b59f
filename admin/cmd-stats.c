/* SPDX-License-Identifier: MIT */
/*
 * tasktrace stats: records per kind, time per application, per day, and
 * the store's size. Time in an application runs from a focus record to
 * the next focus change of the same user, paused by idle, lock and the
 * end of a session. Per application also the share of actions (typing,
 * keys, clicks, scrolling, touch, gestures, pen) that carry the UI
 * element acted on: where it is 0, accessibility is off for that
 * application (or its toolkit gives nothing).
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "mining/mine/apptime.h"
#include "admin/cli.h"
#include "admin/recfmt.h"
#include "tasktrace/timefmt.h"

struct app_time {
	uint32_t app;
	uint64_t ns;
	uint64_t actions, with_element;
};

struct day {
	uint64_t day;		/* days since the epoch (UTC) */
	uint64_t records;
	uint64_t active_ns;
	uint64_t paused_ns;
};

struct stats {
	uint64_t per_kind[TT_KIND_MAX + 1];
	uint64_t short_bursts;	/* typing records of the coarse form */
	uint64_t records;
	struct app_time *apps;
	size_t napps, capapps;
	struct day *days;
	size_t ndays, capdays;
	uint64_t paused_ns;		/* users' pauses (gap records) */
	uint64_t with_element;		/* actions with an element, all apps */
	struct apptime at;
};

static void *
grow(void *p, size_t *cap, size_t need, size_t size)
{
	if (need <= *cap)
		return p;
	*cap = *cap ? *cap * 2 : 64;
	p = realloc(p, *cap * size);
	if (!p)
		abort();
	return p;
}

static struct day *
day_of(struct stats *st, uint64_t ns)
{
	uint64_t d = ns / (86400ULL * 1000000000ULL);

	if (st->ndays && st->days[st->ndays - 1].day == d)
		return &st->days[st->ndays - 1];
	for (size_t i = 0; i < st->ndays; i++)
		if (st->days[i].day == d)
			return &st->days[i];
	st->days = grow(st->days, &st->capdays, st->ndays + 1, sizeof(*st->days));
	st->days[st->ndays] = (struct day){ .day = d };
	return &st->days[st->ndays++];
}

static struct app_time *
app_entry(struct stats *st, uint32_t app)
{
	size_t i;

	for (i = 0; i < st->napps && st->apps[i].app != app; i++)
		;
	if (i == st->napps) {
		st->apps = grow(st->apps, &st->capapps, st->napps + 1, sizeof(*st->apps));
		st->apps[st->napps++] = (struct app_time){ .app = app };
	}
	return &st->apps[i];
}

static void
add_app_time(struct stats *st, uint32_t app, uint64_t from, uint64_t to)
{
	if (!app || to <= from)
		return;
	app_entry(st, app)->ns += to - from;
	day_of(st, from)->active_ns += to - from;
}

/* Something a person did in the application, which could have an element. */
static bool
is_action(unsigned kind)
{
	return kind == TT_KIND_TYPING || kind == TT_KIND_KEY || kind == TT_KIND_BUTTON ||
	       kind == TT_KIND_SCROLL || kind == TT_KIND_TOUCH || kind == TT_KIND_GESTURE ||
	       kind == TT_KIND_TABLET;
}

static void
app_span(void *ctx, uint32_t uid, uint32_t app, uint64_t from, uint64_t to)
{
	(void)uid;
	add_app_time(ctx, app, from, to);
}

static void
account(struct stats *st, const struct tt_record *r)
{
	st->records++;
	st->per_kind[r->kind]++;
	if (r->kind == TT_KIND_TYPING && r->u.typing.under)
		st->short_bursts++;
	if (r->app && is_action(r->kind)) {
		struct app_time *a = app_entry(st, r->app);

		a->actions++;
		a->with_element += r->element != 0;
		st->with_element += r->element != 0;
	}
	day_of(st, r->time_ns)->records++;
	if (r->kind == TT_KIND_GAP && r->u.gap.reason == TT_GAP_PAUSED) {
		st->paused_ns += r->dur_ns;
		day_of(st, r->time_ns)->paused_ns += r->dur_ns;
	}
	apptime_feed(&st->at, r);
}

static int
by_time_desc(const void *a, const void *b)
{
	const struct app_time *x = a, *y = b;
	return x->ns < y->ns ? 1 : x->ns > y->ns ? -1 : 0;
}

static int
by_day(const void *a, const void *b)
{
	const struct day *x = a, *y = b;
	return x->day < y->day ? -1 : x->day > y->day;
}

static const char *
hm(uint64_t ns, char *buf, size_t len)
{
	uint64_t m = ns / 60000000000ULL;

	if (m >= 60)
		snprintf(buf, len, "%" PRIu64 "h %02" PRIu64 "m", m / 60, m % 60);
	else
		snprintf(buf, len, "%" PRIu64 "m %02" PRIu64 "s", m, (uint64_t)(ns / 1000000000ULL % 60));
	return buf;
}

static const char *
mib(uint64_t bytes, char *buf, size_t len)
{
	if (bytes >= 1ULL << 30)
		snprintf(buf, len, "%.2f GiB", bytes / 1073741824.0);
	else if (bytes >= 1ULL << 20)
		snprintf(buf, len, "%.2f MiB", bytes / 1048576.0);
	else
		snprintf(buf, len, "%.1f KiB", bytes / 1024.0);
	return buf;
}

static void
print_text(struct tt_reader *rd, const struct tt_store_stat *ss, struct stats *st,
	   unsigned top)
{
	char a[64], b[64], c[64];
	uint64_t total = 0;

	printf("store     %s  (schema %" PRIu32 ", host %.8s…, created %s)\n", tool.store_path,
	       ss->schema, ss->host_id, tt_time_format_utc(ss->created_ns, a, sizeof(a)));
	printf("records   %" PRIu64 " in %" PRIu64 " blocks", ss->records, ss->blocks);
	if (ss->records)
		printf(", %s … %s", tt_time_format_utc(ss->first_ns, a, sizeof(a)),
		       tt_time_format_utc(ss->last_ns, b, sizeof(b)));
	printf("\nsize      %s used of a %s map (%.1f %%), data file %s",
	       mib(ss->used_bytes, a, sizeof(a)), mib(ss->map_size, b, sizeof(b)),
	       ss->map_size ? 100.0 * (double)ss->used_bytes / (double)ss->map_size : 0.0,
	       mib(ss->file_size, c, sizeof(c)));
	if (ss->records)
		printf(", %.1f bytes/record", (double)ss->used_bytes / (double)ss->records);
	printf("\ntables    %" PRIu32 " strings, %" PRIu32 " sessions, %" PRIu32 " devices\n",
	       ss->strings, ss->sessions, ss->devices);

	printf("\nselected  %" PRIu64 " records\n", st->records);
	for (unsigned k = TT_KIND_MIN; k <= TT_KIND_MAX; k++)
		if (st->per_kind[k]) {
			printf("  %-9s %12" PRIu64, tt_kind_name(k), st->per_kind[k]);
			if (k == TT_KIND_TYPING && st->short_bursts)
				printf("  (%" PRIu64 " short: size only)", st->short_bursts);
			putchar('\n');
		}

	if (st->napps)	/* no focus record: apps is NULL, which qsort may not get */
		qsort(st->apps, st->napps, sizeof(*st->apps), by_time_desc);
	for (size_t i = 0; i < st->napps; i++)
		total += st->apps[i].ns;
	if (st->napps) {
		printf("\ntime per application (focused, not idle or locked)\n");
		for (size_t i = 0; i < st->napps && i < top; i++) {
			char e[1024];

			if (!st->apps[i].ns)	/* acted in, never focused: no time */
				continue;
			printf("  %-32s %10s  %5.1f %%\n",
			       recfmt_term(recfmt_string(rd, st->apps[i].app, a, sizeof(a)),
					   e, sizeof(e)),
			       hm(st->apps[i].ns, b, sizeof(b)),
			       100.0 * (double)st->apps[i].ns / (double)total);
		}
		if (st->napps > top)
			printf("  … %zu more\n", st->napps - top);
	}
	/* said only once elements exist: a store from before has none */
	if (st->with_element) {
		char e[1024];

		printf("\nactions with a UI element, per application "
		       "(0 %%: accessibility off there)\n");
		for (size_t i = 0; i < st->napps && i < top; i++)
			if (st->apps[i].actions)
				printf("  %-32s %10" PRIu64 " of %10" PRIu64 "  %5.1f %%\n",
				       recfmt_term(recfmt_string(rd, st->apps[i].app, a, sizeof(a)),
						   e, sizeof(e)),
				       st->apps[i].with_element, st->apps[i].actions,
				       100.0 * (double)st->apps[i].with_element /
				       (double)st->apps[i].actions);
	}
	if (st->ndays)
		qsort(st->days, st->ndays, sizeof(*st->days), by_day);
	if (st->ndays) {
		printf("\nper day (UTC)\n");
		for (size_t i = 0; i < st->ndays; i++) {
			printf("  %s %10" PRIu64 " records  %10s active",
			       tt_date_format_utc(st->days[i].day * 86400ULL * 1000000000ULL,
						  a, sizeof(a)),
			       st->days[i].records, hm(st->days[i].active_ns, b, sizeof(b)));
			if (st->days[i].paused_ns)
				printf("  %10s paused by the user",
				       hm(st->days[i].paused_ns, c, sizeof(c)));
			putchar('\n');
		}
	}
	if (st->paused_ns)
		printf("\npaused     %s in total, by users (tasktrace me pause)\n",
		       hm(st->paused_ns, a, sizeof(a)));
}

static void
print_json(struct tt_reader *rd, const struct tt_store_stat *ss, struct stats *st)
{
	struct json_object *o = json_object_new_object(), *k, *apps, *days;
	char a[1024];

	json_object_object_add(o, "store", json_object_new_string(tool.store_path));
	json_object_object_add(o, "schema", json_object_new_int(ss->schema));
	json_object_object_add(o, "host_id", json_object_new_string(ss->host_id));
	json_object_object_add(o, "records", json_object_new_int64((int64_t)ss->records));
	json_object_object_add(o, "blocks", json_object_new_int64((int64_t)ss->blocks));
	json_object_object_add(o, "first", json_object_new_string(
		tt_time_format_utc(ss->first_ns, a, sizeof(a))));
	json_object_object_add(o, "last", json_object_new_string(
		tt_time_format_utc(ss->last_ns, a, sizeof(a))));
	json_object_object_add(o, "used_bytes", json_object_new_int64((int64_t)ss->used_bytes));
	json_object_object_add(o, "map_size", json_object_new_int64((int64_t)ss->map_size));
	json_object_object_add(o, "file_size", json_object_new_int64((int64_t)ss->file_size));
	json_object_object_add(o, "strings", json_object_new_int64(ss->strings));
	json_object_object_add(o, "sessions", json_object_new_int64(ss->sessions));
	json_object_object_add(o, "devices", json_object_new_int64(ss->devices));
	json_object_object_add(o, "selected", json_object_new_int64((int64_t)st->records));
	k = json_object_new_object();
	for (unsigned i = TT_KIND_MIN; i <= TT_KIND_MAX; i++)
		json_object_object_add(k, tt_kind_name(i),
				       json_object_new_int64((int64_t)st->per_kind[i]));
	json_object_object_add(o, "per_kind", k);
	json_object_object_add(o, "short_bursts", json_object_new_int64((int64_t)st->short_bursts));
	if (st->napps)	/* no focus record: apps is NULL, which qsort may not get */
		qsort(st->apps, st->napps, sizeof(*st->apps), by_time_desc);
	apps = json_object_new_array();
	for (size_t i = 0; i < st->napps; i++) {
		struct json_object *e = json_object_new_object();
		json_object_object_add(e, "app", json_object_new_string(
			recfmt_string(rd, st->apps[i].app, a, sizeof(a))));
		json_object_object_add(e, "seconds",
				       json_object_new_double((double)st->apps[i].ns / 1e9));
		json_object_object_add(e, "actions",
				       json_object_new_int64((int64_t)st->apps[i].actions));
		json_object_object_add(e, "with_element",
				       json_object_new_int64((int64_t)st->apps[i].with_element));
		json_object_array_add(apps, e);
	}
	json_object_object_add(o, "apps", apps);
	json_object_object_add(o, "paused_seconds",
			       json_object_new_double((double)st->paused_ns / 1e9));
	if (st->ndays)
		qsort(st->days, st->ndays, sizeof(*st->days), by_day);
	days = json_object_new_array();
	for (size_t i = 0; i < st->ndays; i++) {
		struct json_object *e = json_object_new_object();
		json_object_object_add(e, "date", json_object_new_string(
			tt_date_format_utc(st->days[i].day * 86400ULL * 1000000000ULL, a, sizeof(a))));
		json_object_object_add(e, "records", json_object_new_int64((int64_t)st->days[i].records));
		json_object_object_add(e, "active_seconds",
				       json_object_new_double((double)st->days[i].active_ns / 1e9));
		json_object_object_add(e, "paused_seconds",
				       json_object_new_double((double)st->days[i].paused_ns / 1e9));
		json_object_array_add(days, e);
	}
	json_object_object_add(o, "days", days);
	puts(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY |
					    JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
}

int
cmd_stats(int argc, char **argv)
{
	static const struct option opts[] = {
		CLI_FILTER_OPTIONS,
		{ "json", no_argument, NULL, 'j' },
		{ "top", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	struct cli_filter filter = { 0 };
	struct stats st = { .at = { .span = app_span, .ctx = &st } };
	struct tt_store_stat ss;
	struct tt_store *s;
	struct tt_reader *rd = NULL;
	struct tt_cursor *c = NULL;
	struct tt_query q;
	struct tt_record r;
	bool json = false, nothing;
	unsigned top = 15;
	int ch, rc, ret;

	while ((ch = getopt_long(argc, argv, "jt:h", opts, NULL)) != -1) {
		if (cli_filter_option(&filter, ch, optarg))
			continue;
		switch (ch) {
		case 'j':
			json = true;
			break;
		case 't':
			top = (unsigned)atoi(optarg);
			if (top == 0) {
				tool_error("--top: '%s' is not a positive number", optarg);
				return TT_EXIT_USAGE;
			}
			break;
		case 'h':
			printf("Usage: tasktrace stats [--since T] [--until T] [--user U] [--app A]\n"
			       "                       [--kind K] [--top N] [--json]\n\n"
			       "The store's size and fill, then for the selected records: counts per\n"
			       "kind, time per application and records and active time per day.\n");
			return TT_EXIT_OK;
		default:
			return TT_EXIT_USAGE;
		}
	}
	if (optind < argc) {
		tool_error("stats: unexpected argument '%s'", argv[optind]);
		return TT_EXIT_USAGE;
	}
	if ((ret = cli_check_filter(&filter)))
		return ret;
	if (!(s = tool_open_store(TT_STORE_RDONLY, &ret)))
		return ret;
	if ((rc = tt_reader_open(s, &rd)) || (rc = tt_reader_stat(rd, &ss))) {
		ret = tool_store_error("reading", rc);
		goto out;
	}
	if ((ret = cli_build_query(rd, &filter, &q, &nothing)))
		goto out;
	if (!nothing) {
		if ((rc = tt_cursor_open(rd, &q, &c))) {
			ret = tool_store_error("reading", rc);
			goto out;
		}
		while ((rc = tt_cursor_next(c, &r)) == 1)
			account(&st, &r);
		if (rc < 0) {
			ret = tool_store_error("reading records", rc);
			goto out;
		}
	}
	if (json)
		print_json(rd, &ss, &st);
	else
		print_text(rd, &ss, &st, top);
out:
	free(st.apps);
	free(st.days);
	tt_cursor_close(c);
	tt_reader_close(rd);
	tt_store_close(s);
	return ret;
}
