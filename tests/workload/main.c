/* SPDX-License-Identifier: MIT */
/*
 * tasktrace-workload: the command line, the day loop, and the merge of all
 * users' records of a day into one (time, seq)-ordered stream for the
 * store.
 *
 * Exit codes: 0 success, 1 a store or memory failure, 2 bad arguments.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tasktrace/error.h"
#include "workload.h"

#define EXIT_USAGE 2
#define DEFAULT_PER_DAY 18000.0
#define MAX_PER_DAY_ALL 40e6
/*
 * What the model gives per user-day at density 1, and how the count grows
 * with the density (measured over 40 user-days): think times scale with
 * 1/density, input durations too above 1, breaks and reading pauses not,
 * so the count grows slower than the density.
 */
#define MODEL_PER_DAY 18000.0
#define MODEL_EXP_LOW 1.0
#define MODEL_EXP_HIGH 1.0

struct options {
	const char *store;
	unsigned days, users;
	uint64_t seed;
	int64_t start_day;		/* days since 1970-01-01 */
	uint64_t per_day;		/* 0: the default */
	bool quiet;
	bool weekends;
	const char *uilog[16];		/* --from-uilog FILE, repeatable */
	size_t n_uilog;
	struct wl_uilog_mix mix;	/* --mix-seed, --one-app, --truth */
};

static void
usage(FILE *f)
{
	fprintf(f,
		"Usage: tasktrace-workload --store DIR --days D --users U --seed S\n"
		"                          [--start YYYY-MM-DD] [--records-per-day N]\n"
		"                          [--weekends] [--quiet]\n"
		"       tasktrace-workload --from-uilog FILE [--from-uilog FILE …] --store DIR\n"
		"                          [--mix-seed S] [--one-app NAME] [--truth FILE] [--quiet]\n"
		"\n"
		"Write synthetic, deterministic days of office work into a tasktrace\n"
		"store (created when missing): per user and working day a logind\n"
		"session, devices, ~8 hours of focus changes, typing bursts,\n"
		"shortcuts, clicks, scrolling and pointer motion, breaks with locked\n"
		"screens, and repetitive routines. The same arguments always give\n"
		"the same records.\n"
		"\n"
		"  --store DIR            the store's directory\n"
		"  --days D               calendar days, from --start (1 … 36500)\n"
		"  --users U              users: alice, bob, … uid 1000 + i (1 … 2000)\n"
		"  --seed S               seed of the random streams (0 … 2^64-1)\n"
		"  --start YYYY-MM-DD     first day (UTC), default 2026-01-05\n"
		"  --records-per-day N    records per user and day, about (default %.0f);\n"
		"                         above the default the day is denser and faster,\n"
		"                         below it there is more time away from the desk\n"
		"  --weekends             work on Saturdays and Sundays too\n"
		"  --from-uilog FILE      instead: the events of a UI log (Action Logger\n"
		"                         CSV or XES) as records; see tasktrace-workload(1)\n"
		"  --mix-seed S           shuffle the instances of all logs given (up to 16)\n"
		"                         into one person's stream with seed S, re-timed\n"
		"                         (several --from-uilog mix with seed 0 by default)\n"
		"  --one-app NAME         every step in one application, NAME\n"
		"  --truth FILE           write 'time_ns log instance' per event to FILE\n"
		"  --quiet                no summary\n"
		"  --help                 this text\n",
		DEFAULT_PER_DAY);
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant). */
static int64_t
days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

static bool
parse_date(const char *s, int64_t *days)
{
	static const unsigned mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	unsigned y, m, d;
	int n = 0;
	bool leap;

	if (sscanf(s, "%4u-%2u-%2u%n", &y, &m, &d, &n) != 3 || n != 10 || s[n] != '\0')
		return false;
	if (y < 1970 || y > 2200 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
		return false;
	leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	if (m == 2 && d == 29 && !leap)
		return false;
	*days = days_from_civil(y, m, d);
	return true;
}

static bool
parse_u64(const char *s, uint64_t min, uint64_t max, uint64_t *out)
{
	char *end;
	unsigned long long v;

	if (!s || !*s || *s == '-' || *s == '+')
		return false;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || *end || v < min || v > max)
		return false;
	*out = v;
	return true;
}

static int
parse_args(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {
		{ "store", required_argument, NULL, 'd' },
		{ "days", required_argument, NULL, 'n' },
		{ "users", required_argument, NULL, 'u' },
		{ "seed", required_argument, NULL, 's' },
		{ "start", required_argument, NULL, 't' },
		{ "records-per-day", required_argument, NULL, 'r' },
		{ "weekends", no_argument, NULL, 'w' },
		{ "from-uilog", required_argument, NULL, 'L' },
		{ "mix-seed", required_argument, NULL, 'M' },
		{ "one-app", required_argument, NULL, 'A' },
		{ "truth", required_argument, NULL, 'T' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	bool have_days = false, have_users = false, have_seed = false;
	uint64_t v;
	int c;

	memset(o, 0, sizeof(*o));
	o->start_day = days_from_civil(2026, 1, 5);
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'd':
			o->store = optarg;
			break;
		case 'n':
			if (!parse_u64(optarg, 1, 36500, &v))
				goto bad_value;
			o->days = (unsigned)v;
			have_days = true;
			break;
		case 'u':
			if (!parse_u64(optarg, 1, 2000, &v))
				goto bad_value;
			o->users = (unsigned)v;
			have_users = true;
			break;
		case 's':
			if (!parse_u64(optarg, 0, UINT64_MAX, &o->seed))
				goto bad_value;
			have_seed = true;
			break;
		case 't':
			if (!parse_date(optarg, &o->start_day))
				goto bad_value;
			break;
		case 'r':
			if (!parse_u64(optarg, 100, 10000000, &o->per_day))
				goto bad_value;
			break;
		case 'w':
			o->weekends = true;
			break;
		case 'L':
			if (o->n_uilog == sizeof(o->uilog) / sizeof(o->uilog[0])) {
				fprintf(stderr, "tasktrace-workload: at most 16 --from-uilog\n");
				return -EINVAL;
			}
			o->uilog[o->n_uilog++] = optarg;
			break;
		case 'M':
			if (!parse_u64(optarg, 0, UINT64_MAX, &o->mix.seed))
				goto bad_value;
			o->mix.mix = true;
			break;
		case 'A':
			if (!*optarg) {
				fprintf(stderr, "tasktrace-workload: --one-app needs a name\n");
				return -EINVAL;
			}
			o->mix.one_app = optarg;
			break;
		case 'T':
			o->mix.truth = optarg;
			break;
		case 'q':
			o->quiet = true;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		default:
			if (optopt && strchr("dnustrLMAT", optopt))
				fprintf(stderr, "tasktrace-workload: option %s needs a value\n",
					argv[optind - 1]);
			else if (optopt)
				fprintf(stderr, "tasktrace-workload: unknown option -%c\n", optopt);
			else
				fprintf(stderr, "tasktrace-workload: unknown option %s\n",
					argv[optind - 1]);
			fprintf(stderr, "Try 'tasktrace-workload --help'.\n");
			return -EINVAL;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "tasktrace-workload: unexpected argument '%s'\n", argv[optind]);
		return -EINVAL;
	}
	/* A day of all users is merged in memory (~100 bytes a record). */
	if ((double)o->users * (double)(o->per_day ? o->per_day : DEFAULT_PER_DAY) > MAX_PER_DAY_ALL) {
		fprintf(stderr, "tasktrace-workload: --users × --records-per-day must stay below %.0f\n",
			MAX_PER_DAY_ALL);
		return -EINVAL;
	}
	if (!o->n_uilog && (o->mix.mix || o->mix.one_app || o->mix.truth)) {
		fprintf(stderr, "tasktrace-workload: --mix-seed, --one-app and --truth go "
				"with --from-uilog\n");
		return -EINVAL;
	}
	if (o->n_uilog) {
		if (!o->store || have_days || have_users || have_seed || o->per_day ||
		    o->weekends) {
			fprintf(stderr, "tasktrace-workload: --from-uilog takes --store "
					"(and --mix-seed, --one-app, --truth, --quiet), nothing else\n");
			return -EINVAL;
		}
		return 0;
	}
	if (!o->store || !have_days || !have_users || !have_seed) {
		fprintf(stderr, "tasktrace-workload: --store, --days, --users and --seed are required\n"
				"Try 'tasktrace-workload --help'.\n");
		return -EINVAL;
	}
	return 0;

bad_value:
	fprintf(stderr, "tasktrace-workload: invalid value '%s' for --%s\n", optarg,
		c == 'n' ? "days" : c == 'u' ? "users" : c == 's' ? "seed" :
		c == 't' ? "start (want YYYY-MM-DD)" : c == 'M' ? "mix-seed" :
		"records-per-day (100 … 10000000)");
	return -EINVAL;
}

/* --- merging the users of a day ---------------------------------------------- */

/* A user's next record; its time is cached, the heap compares only heads. */
struct head {
	uint64_t time_ns;
	unsigned index;
	struct wl_user *u;
	size_t pos;
};

static bool
head_less(const struct head *a, const struct head *b)
{
	return a->time_ns < b->time_ns || (a->time_ns == b->time_ns && a->index < b->index);
}

static void
sift_down(struct head *h, size_t n, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, m = i;
		struct head tmp;

		if (l < n && head_less(&h[l], &h[m]))
			m = l;
		if (l + 1 < n && head_less(&h[l + 1], &h[m]))
			m = l + 1;
		if (m == i)
			return;
		tmp = h[i];
		h[i] = h[m];
		h[m] = tmp;
		i = m;
	}
}

struct totals {
	uint64_t records;
	uint64_t kinds[TT_KIND_MAX + 1];
	uint64_t user_days;
	uint64_t seq;
};

/* Append all users' records of the day in (time, seq) order. */
static int
append_day(struct tt_store *store, struct wl_user *users, unsigned nusers,
	   struct head *heap, struct totals *tot)
{
	size_t n = 0;
	int rc;

	for (unsigned i = 0; i < nusers; i++) {
		if (users[i].buf.n == 0)
			continue;
		heap[n].u = &users[i];
		heap[n].pos = 0;
		heap[n].index = i;
		heap[n].time_ns = users[i].buf.rec[0].time_ns;
		n++;
	}
	for (size_t i = n / 2; i-- > 0;)
		sift_down(heap, n, i);
	while (n > 0) {
		struct tt_record *r = &heap[0].u->buf.rec[heap[0].pos];

		r->seq = ++tot->seq;
		rc = tt_store_append(store, r);
		if (rc != 0)
			return rc;
		tot->records++;
		tot->kinds[r->kind]++;
		if (++heap[0].pos == heap[0].u->buf.n)
			heap[0] = heap[--n];
		else
			heap[0].time_ns = heap[0].u->buf.rec[heap[0].pos].time_ns;
		sift_down(heap, n, 0);
	}
	return 0;
}

static int
store_records(struct tt_store *store, uint64_t *records)
{
	struct tt_reader *rd;
	struct tt_store_stat st;
	int rc = tt_reader_open(store, &rd);

	if (rc != 0)
		return rc;
	rc = tt_reader_stat(rd, &st);
	if (rc == 0)
		*records = st.records;
	tt_reader_close(rd);
	return rc;
}

static unsigned
laptops(const struct wl_user *users, unsigned n)
{
	unsigned k = 0;

	for (unsigned i = 0; i < n; i++)
		k += users[i].laptop;
	return k;
}

static void
print_summary(struct tt_store *store, const struct options *o, const struct wl_gen *g,
	      const struct wl_user *users, const struct totals *tot)
{
	struct tt_reader *rd = NULL;
	struct tt_store_stat st;

	printf("tasktrace-workload: %" PRIu64 " records, %" PRIu64 " user-days "
	       "(%.0f records per user-day), %u users, seed %" PRIu64 "\n",
	       tot->records, tot->user_days,
	       tot->user_days ? (double)tot->records / (double)tot->user_days : 0.0,
	       o->users, o->seed);
	for (unsigned k = TT_KIND_MIN; k <= TT_KIND_MAX; k++) {
		if (!tot->kinds[k])
			continue;
		printf("  %-8s %12" PRIu64 "  %5.1f %%\n", tt_kind_name(k), tot->kinds[k],
		       100.0 * (double)tot->kinds[k] / (double)tot->records);
	}
	printf("  sessions %" PRIu64 ", strings %" PRIu64 ", devices %u\n", g->sessions,
	       g->strings, o->users * 2 + laptops(users, o->users));
	if (tt_reader_open(store, &rd) == 0) {
		if (tt_reader_stat(rd, &st) == 0)
			printf("  store %s: %" PRIu64 " bytes used (%.1f bytes per record), "
			       "data.mdb %" PRIu64 " bytes\n",
			       tt_store_path(store), st.used_bytes,
			       tot->records ? (double)st.used_bytes / (double)tot->records : 0.0,
			       st.file_size);
		if (tot->user_days)
			printf("  per user-day: %.0f records, %.0f KiB\n",
			       (double)tot->records / (double)tot->user_days,
			       (double)st.used_bytes / (double)tot->user_days / 1024.0);
		tt_reader_close(rd);
	}
}

int
main(int argc, char **argv)
{
	struct options o;
	struct tt_store_options so;
	struct wl_gen g;
	struct wl_user *users = NULL;
	struct head *heap = NULL;
	struct totals tot;
	struct tt_store *store = NULL;
	double per_day;
	uint64_t existing = 0;
	int rc, ret = 1;

	if (parse_args(argc, argv, &o) != 0)
		return EXIT_USAGE;
	if (o.n_uilog)
		return wl_from_uilog(o.uilog, o.n_uilog, o.store, &o.mix, o.quiet);

	memset(&g, 0, sizeof(g));
	memset(&tot, 0, sizeof(tot));
	per_day = o.per_day ? (double)o.per_day : DEFAULT_PER_DAY;
	g.seed = o.seed;
	g.density = pow(per_day / MODEL_PER_DAY,
			1.0 / (per_day < MODEL_PER_DAY ? MODEL_EXP_LOW : MODEL_EXP_HIGH));
	g.next_logind = 2;

	/* Room for everything, so that the store never purges what we write. */
	memset(&so, 0, sizeof(so));
	so.map_size = (uint64_t)(per_day * 1.3 * 64.0) * o.users * o.days + (1ULL << 30);
	if (so.map_size > (1ULL << 40))
		so.map_size = 1ULL << 40;

	users = calloc(o.users, sizeof(*users));
	heap = calloc(o.users, sizeof(*heap));
	if (!users || !heap || wl_catalog_init() != 0) {
		fprintf(stderr, "tasktrace-workload: out of memory\n");
		goto out;
	}
	rc = tt_store_open(&store, o.store, TT_STORE_CREATE, &so);
	if (rc != 0) {
		fprintf(stderr, "tasktrace-workload: %s: %s\n", o.store, tt_strerror(rc));
		store = NULL;
		goto out;
	}
	g.store = store;
	/* Appending a second time would repeat (time, seq) keys: refuse. */
	rc = store_records(store, &existing);
	if (rc != 0 || existing != 0) {
		if (rc != 0)
			fprintf(stderr, "tasktrace-workload: %s: %s\n", o.store, tt_strerror(rc));
		else
			fprintf(stderr, "tasktrace-workload: %s already holds %" PRIu64 " records; "
				"give an empty or new directory\n", o.store, existing);
		ret = rc != 0 ? 1 : EXIT_USAGE;
		goto out;
	}
	for (unsigned i = 0; i < o.users; i++) {
		rc = wl_user_init(&g, &users[i], i);
		if (rc != 0) {
			fprintf(stderr, "tasktrace-workload: registering devices: %s\n",
				tt_strerror(rc));
			goto out;
		}
	}

	for (unsigned day = 0; day < o.days; day++) {
		int64_t date = o.start_day + day;
		/* 1970-01-01 was a Thursday: 0 Sunday … 6 Saturday. */
		unsigned wday = (unsigned)(((date % 7) + 11) % 7);

		if (!o.weekends && (wday == 0 || wday == 6))
			continue;
		for (unsigned i = 0; i < o.users; i++) {
			rc = wl_day_generate(&g, &users[i], day, (uint64_t)date * 86400000000ULL);
			if (rc != 0) {
				fprintf(stderr, "tasktrace-workload: generating day %u: %s\n", day,
					tt_strerror(rc));
				goto out;
			}
			tot.user_days++;
		}
		rc = append_day(store, users, o.users, heap, &tot);
		if (rc != 0) {
			fprintf(stderr, "tasktrace-workload: appending: %s\n", tt_strerror(rc));
			goto out;
		}
	}
	rc = tt_store_commit(store);
	if (rc != 0) {
		fprintf(stderr, "tasktrace-workload: commit: %s\n", tt_strerror(rc));
		goto out;
	}
	if (!o.quiet)
		print_summary(store, &o, &g, users, &tot);
	ret = 0;
out:
	if (store) {
		rc = tt_store_close(store);
		if (rc != 0 && ret == 0) {
			fprintf(stderr, "tasktrace-workload: closing the store: %s\n",
				tt_strerror(rc));
			ret = 1;
		}
	}
	for (unsigned i = 0; users && i < o.users; i++)
		free(users[i].buf.rec);
	free(users);
	free(heap);
	wl_catalog_fini();
	return ret;
}
