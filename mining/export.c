/* SPDX-License-Identifier: MIT */
/*
 * `tasktrace export`: the driver that walks the store, turns records into
 * actions (actions.c) and hands them to a format's writer; also
 * `tasktrace export-scheduled` (the systemd timer's job: dated files,
 * group-readable, rotated) and `tasktrace secret` (the pseudonym key).
 */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <grp.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

#include "tasktrace/error.h"
#include "tasktrace/store.h"

#include "export.h"
#include "pseudo.h"

#define DEFAULT_STORE "/var/lib/tasktrace"
#define DEFAULT_EXPORT_DIR "/var/lib/tasktrace/exports"
#define DEFAULT_KEEP 14
#define DEFAULT_GROUP "tasktrace"
#define MAX_USERS 4096
#define STRING_SLOTS 4096

volatile sig_atomic_t export_interrupted;

static const struct export_format *const formats[] = {
	&export_csv, &export_xes, &export_ocel, &export_jsonl,
};

const struct export_format *
export_format_find(const char *name)
{
	for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++)
		if (strcmp(formats[i]->name, name) == 0)
			return formats[i];
	return NULL;
}

int
export_exit_code(int err)
{
	if (err > 0 && err < 4096)
		err = -err;
	switch (err) {
	case 0:
		return EXPORT_EXIT_OK;
	case TT_ENOSTORE:
		return EXPORT_EXIT_NOSTORE;
	case TT_ENOTSTORE:
	case TT_EFOREIGN:
	case TT_ETRUNCATED:
		return EXPORT_EXIT_NOTSTORE;
	case TT_ESCHEMA_NEWER:
	case TT_ESCHEMA_OLDER:
		return EXPORT_EXIT_SCHEMA;
	case -EACCES:
	case -EPERM:
	case -EROFS:
		return EXPORT_EXIT_PERMISSION;
	case -EIO:
	case -ENOSPC:
	case -EDQUOT:
	case -EFBIG:
	case -EPIPE:
	case -ENOENT:
	case -ENOTDIR:
	case -EISDIR:
		return EXPORT_EXIT_IO;
	default:
		return EXPORT_EXIT_FAILURE;
	}
}

/* --- progress ---------------------------------------------------------- */

static uint64_t
now_ns(int clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

struct progress {
	bool on;
	uint64_t started, last;
	bool shown;
};

static void
progress_tick(struct progress *p, const struct export_input *in,
	      const struct export_stats *st)
{
	uint64_t t = now_ns(CLOCK_MONOTONIC);
	double secs;

	if (!p->on || t - p->last < 250000000ULL)
		return;
	p->last = t;
	secs = (double)(t - p->started) / 1e9;
	fprintf(stderr, "\rexport: %" PRIu64 " records, %" PRIu64 " actions, "
		"%.1f MB, %.0f records/s",
		st->records, st->actions, (double)st->bytes / 1e6,
		secs > 0 ? (double)st->records / secs : 0.0);
	if (in->progress)
		fprintf(stderr, ", %.0f%%", 100.0 * in->progress(in->ctx));
	fputs("\033[K", stderr);
	p->shown = true;
}

static void
progress_done(struct progress *p)
{
	if (p->shown)
		fputs("\r\033[K", stderr);
}

/* --- the stream -------------------------------------------------------- */

static int
walk(struct export_ctx *x, uint32_t uid, struct export_stats *st,
     struct progress *prog)
{
	const struct export_input *in = x->input;
	struct tt_record r;
	struct action a;
	int rc;

	rc = in->open(in->ctx, uid);
	if (rc < 0)
		return rc;
	while ((rc = in->next(in->ctx, &r)) > 0) {
		if (export_interrupted) {
			rc = -EINTR;
			break;
		}
		st->records++;
		rc = actions_feed(x->actions, &r, &a);
		if (rc < 0)
			break;
		if (rc > 0) {
			st->actions++;
			rc = x->format->action(x, &a);
			if (rc < 0)
				break;
		}
		if ((st->records & 0xffff) == 0) {
			st->bytes = x->out->bytes;
			progress_tick(prog, in, st);
		}
	}
	in->close(in->ctx);
	return rc;
}

int
export_stream(const struct export_format *format, struct output *out,
	      const struct export_input *input,
	      const struct actions_source *names,
	      const struct actions_options *aopts, bool progress,
	      struct export_stats *stats)
{
	struct export_ctx x = {
		.out = out, .format = format, .names = names, .input = input,
		.pseudonymized = aopts->pseudo != NULL,
	};
	struct progress prog = { .on = progress };
	uint32_t *uids = NULL;
	int rc;

	memset(stats, 0, sizeof(*stats));
	prog.started = prog.last = now_ns(CLOCK_MONOTONIC);
	rc = actions_new(&x.actions, aopts, names);
	if (rc < 0)
		return rc;
	rc = format->begin(&x);
	if (rc < 0)
		goto out;
	if (!format->by_user) {
		rc = walk(&x, TT_UID_NONE, stats, &prog);
	} else {
		uids = calloc(MAX_USERS, sizeof(*uids));
		rc = uids ? input->users(input->ctx, uids, MAX_USERS) : -ENOMEM;
		for (int i = 0, n = rc; rc >= 0 && i < n; i++)
			rc = walk(&x, uids[i], stats, &prog);
	}
	if (rc < 0)
		goto out;
	rc = format->end(&x);
out:
	format->destroy(&x);
	stats->bytes = out->bytes;
	progress_done(&prog);
	actions_free(x.actions);
	free(uids);
	fmt_buf_free(&x.line);
	fmt_buf_free(&x.clean);
	return rc < 0 ? rc : 0;
}

/* --- the store as an input --------------------------------------------- */

struct string_slot {
	uint32_t id;
	uint32_t len;
	const char *s;
};

/*
 * Memory. LMDB reads through a shared, read-only map of data.mdb, and
 * every page the cursor has touched stays in the process's resident set
 * until it is unmapped: a full export of a 10 M-record store would show
 * the whole file (~130 MB) as RSS although none of it is needed again.
 * So the walk periodically drops the map's page-table entries with
 * MADV_DONTNEED. On a read-only MAP_SHARED file mapping that is safe and
 * cheap: nothing is lost, the pages stay in the page cache, and a later
 * access (the current block, a cached string) faults the same bytes back
 * in, which the open read transaction keeps from being reused.
 * The map is found in /proc/self/maps by data.mdb's device and inode.
 */
#define DROP_EVERY (1u << 18)	/* records between drops */

struct map_range {
	void *start;
	size_t len;
};

static void
find_map(const char *store_dir, struct map_range *m)
{
	char path[PATH_MAX], line[PATH_MAX + 128];
	struct stat st;
	FILE *f;

	m->start = NULL;
	m->len = 0;
	snprintf(path, sizeof(path), "%s/data.mdb", store_dir);
	if (stat(path, &st) < 0 || !(f = fopen("/proc/self/maps", "re")))
		return;
	while (fgets(line, sizeof(line), f)) {
		unsigned long lo, hi, ino;
		unsigned maj, mnr;
		char perms[8];

		if (sscanf(line, "%lx-%lx %7s %*x %x:%x %lu", &lo, &hi, perms,
			   &maj, &mnr, &ino) != 6)
			continue;
		if (ino == st.st_ino && maj == major(st.st_dev) &&
		    mnr == minor(st.st_dev) && perms[1] == '-' && hi - lo > m->len) {
			m->start = (void *)lo;
			m->len = hi - lo;
		}
	}
	fclose(f);
}

struct store_input {
	struct map_range map;
	uint64_t since_drop;
	struct tt_reader *rd;
	struct tt_cursor *cur;
	struct tt_query q;
	uint32_t only_uid;		/* --user, or TT_UID_NONE */
	uint64_t first_ns, last_ns, at_ns;
	struct string_slot strings[STRING_SLOTS];
};

static int
si_open(void *ctx, uint32_t uid)
{
	struct store_input *si = ctx;
	struct tt_query q = si->q;

	q.uid = uid != TT_UID_NONE ? uid : si->only_uid;
	si->at_ns = si->first_ns;
	return tt_cursor_open(si->rd, &q, &si->cur);
}

static int
si_next(void *ctx, struct tt_record *r)
{
	struct store_input *si = ctx;
	int rc = tt_cursor_next(si->cur, r);

	if (rc > 0)
		si->at_ns = r->time_ns;
	if (si->map.len && ++si->since_drop == DROP_EVERY) {
		madvise(si->map.start, si->map.len, MADV_DONTNEED);
		si->since_drop = 0;
	}
	return rc;
}

static void
si_close(void *ctx)
{
	struct store_input *si = ctx;

	if (si->cur)
		tt_cursor_close(si->cur);
	si->cur = NULL;
}

static double
si_progress(void *ctx)
{
	struct store_input *si = ctx;

	if (si->last_ns <= si->first_ns || si->at_ns < si->first_ns)
		return 0;
	return (double)(si->at_ns - si->first_ns) /
	       (double)(si->last_ns - si->first_ns);
}

struct uid_list {
	uint32_t *uids;
	size_t n, max;
};

static int
collect_uid(void *ctx, const struct tt_session_info *s)
{
	struct uid_list *l = ctx;

	for (size_t i = 0; i < l->n; i++)
		if (l->uids[i] == s->uid)
			return 0;
	if (l->n == l->max)
		return -E2BIG;
	l->uids[l->n++] = s->uid;
	return 0;
}

static int
cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

static int
si_users(void *ctx, uint32_t *uids, size_t max)
{
	struct store_input *si = ctx;
	struct uid_list l = { uids, 0, max };
	int rc;

	if (si->only_uid != TT_UID_NONE) {
		uids[0] = si->only_uid;
		return 1;
	}
	rc = tt_reader_sessions(si->rd, collect_uid, &l);
	if (rc < 0)
		return rc;
	qsort(uids, l.n, sizeof(*uids), cmp_u32);
	return (int)l.n;
}

static int
si_device(void *ctx, uint32_t id, struct tt_device_info *out)
{
	struct store_input *si = ctx;

	return tt_reader_device(si->rd, id, out);
}

/* Interned strings repeat on every record (the app, the title): a small
 * direct-mapped cache keeps LMDB look-ups off the per-record path. The
 * pointers stay valid as long as the reader is open. */
static int
si_string(void *ctx, uint32_t id, const char **s, size_t *len)
{
	struct store_input *si = ctx;
	struct string_slot *slot = &si->strings[id % STRING_SLOTS];
	int rc;

	if (slot->id == id && id != 0) {
		*s = slot->s;
		*len = slot->len;
		return 0;
	}
	rc = tt_reader_string(si->rd, id, s, len);
	if (rc != 0)
		return rc;
	slot->id = id;
	slot->s = *s;
	slot->len = (uint32_t)*len;
	return 0;
}

static int
si_session(void *ctx, uint32_t id, struct tt_session_info *out)
{
	struct store_input *si = ctx;
	int rc = tt_reader_session(si->rd, id, out);

	return rc > 0 ? -rc : rc;
}

struct find_user {
	const char *name;
	const struct pseudo *pseudo;
	uint32_t uid;
	bool found;
};

static int
match_user(void *ctx, const struct tt_session_info *s)
{
	struct find_user *f = ctx;
	size_t len = strnlen(s->user, sizeof(s->user));
	char p[PSEUDO_LEN + 1];

	if (len && strlen(f->name) == len && memcmp(f->name, s->user, len) == 0)
		goto found;
	/* A pseudonym from an earlier export names its person too. */
	if (f->pseudo && len) {
		pseudo_name(f->pseudo, "user", "u-", s->user, len, p);
		if (strcmp(p, f->name) == 0)
			goto found;
	}
	return 0;
found:
	f->uid = s->uid;
	f->found = true;
	return 1;
}

int
export_run(const struct export_options *o, struct export_stats *stats,
	   char *err, size_t errlen)
{
	const struct export_format *format = export_format_find(o->format);
	struct tt_store *store = NULL;
	struct store_input *si = NULL;
	struct tt_store_stat st;
	struct pseudo *pseudo = NULL;
	struct output out = { .fd = -1 };
	bool out_open = false;
	int rc;

	if (!format) {
		snprintf(err, errlen, "unknown format '%s'", o->format);
		return -EINVAL;
	}
	if (o->pseudonymize) {
		const char *path = pseudo_secret_path(o->secret);
		pseudo = malloc(sizeof(*pseudo));
		if (!pseudo)
			return -ENOMEM;
		rc = pseudo_load(pseudo, path, err, errlen);
		/* A missing secret is a setup problem, not an I/O error. */
		if (rc == -ENOENT)
			rc = -ENOKEY;
		if (rc < 0)
			goto out;
	}
	rc = tt_store_open(&store, o->store_dir, TT_STORE_RDONLY, NULL);
	if (rc != 0) {
		snprintf(err, errlen, "%s: %s", o->store_dir, tt_strerror(rc));
		store = NULL;
		goto out;
	}
	si = calloc(1, sizeof(*si));
	if (!si) {
		rc = -ENOMEM;
		goto out;
	}
	rc = tt_reader_open(store, &si->rd);
	if (rc == 0)
		rc = tt_reader_stat(si->rd, &st);
	if (rc != 0) {
		snprintf(err, errlen, "%s: %s", o->store_dir, tt_strerror(rc));
		goto out;
	}
	find_map(o->store_dir, &si->map);
	tt_query_init(&si->q);
	si->q.since_ns = o->since_ns;
	si->q.until_ns = o->until_ns;
	si->only_uid = TT_UID_NONE;
	si->first_ns = o->since_ns > st.first_ns ? o->since_ns : st.first_ns;
	si->last_ns = o->until_ns && o->until_ns < st.last_ns ? o->until_ns : st.last_ns;
	if (o->user) {
		struct find_user f = { .name = o->user, .pseudo = pseudo };
		char *end;
		unsigned long v;

		errno = 0;
		v = strtoul(o->user, &end, 10);
		if (!errno && *end == '\0' && end != o->user && v < TT_UID_NONE) {
			f.uid = (uint32_t)v;
			f.found = true;
		} else {
			rc = tt_reader_sessions(si->rd, match_user, &f);
			if (rc < 0) {
				snprintf(err, errlen, "%s: %s", o->store_dir, tt_strerror(rc));
				goto out;
			}
		}
		if (!f.found) {
			snprintf(err, errlen, "no user '%s' in the store", o->user);
			rc = -ESRCH;
			goto out;
		}
		si->only_uid = f.uid;
	}

	rc = output_open(&out, o->output);
	if (rc < 0) {
		snprintf(err, errlen, "cannot write %s: %s", o->output, strerror(-rc));
		goto out;
	}
	out_open = true;

	struct export_input in = {
		.open = si_open, .next = si_next, .close = si_close,
		.users = si_users, .device = si_device, .progress = si_progress,
		.ctx = si,
	};
	struct actions_source names = {
		.string = si_string, .session = si_session, .ctx = si,
	};
	struct actions_options aopts = {
		.case_mode = o->case_mode, .idle_gap_ns = o->idle_gap_ns,
		.pseudo = pseudo, .host = st.host_id,
	};
	rc = export_stream(format, &out, &in, &names, &aopts, o->progress, stats);
	if (rc < 0) {
		if (rc == -EINTR)
			snprintf(err, errlen, "interrupted; nothing written");
		else if (rc == out.err)
			snprintf(err, errlen, "writing %s: %s", o->output, strerror(-rc));
		else
			snprintf(err, errlen, "%s", tt_strerror(rc));
		goto out;
	}
	out_open = false;
	rc = output_commit(&out, o->mode, o->gid);
	if (rc < 0)
		snprintf(err, errlen, "writing %s: %s", o->output, strerror(-rc));
out:
	if (out_open)
		output_abort(&out);
	if (si && si->rd)
		tt_reader_close(si->rd);
	free(si);
	if (store)
		tt_store_close(store);
	if (pseudo) {
		pseudo_clear(pseudo);
		free(pseudo);
	}
	return rc;
}

/* --- command line ------------------------------------------------------ */

static int last_signal;

static void
on_signal(int sig)
{
	last_signal = sig;
	export_interrupted = 1;
}

static void
catch_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

/* After cleaning up, die of the signal that interrupted us, so that the
 * shell (or systemd) sees what happened. */
static void
reraise(void)
{
	if (!last_signal)
		return;
	signal(last_signal, SIG_DFL);
	raise(last_signal);
}

static const char *
default_store(void)
{
	const char *env = getenv("TASKTRACE_STORE");

	return env && *env ? env : DEFAULT_STORE;
}

static void
export_usage(FILE *f)
{
	fputs("Usage: tasktrace export [OPTION…]\n"
	      "Export the recorded actions as an event log.\n\n"
	      "  -f, --format FORMAT   csv (default), xes, ocel or jsonl\n"
	      "  -o, --output FILE     write FILE atomically; - for stdout (default)\n"
	      "      --since TIME      actions at or after TIME (UTC: 2026-11-26,\n"
	      "                        2026-11-26T09:00, @EPOCH, today, yesterday)\n"
	      "      --until TIME      actions before TIME\n"
	      "  -u, --user USER       only USER (name, uid or pseudonym)\n"
	      "      --case NOTION     user-day (default), session, focus, idle,\n"
	      "                        idle-gap=DURATION\n"
	      "  -p, --pseudonymize    replace users and hosts by keyed pseudonyms\n"
	      "      --secret FILE     the pseudonym key (default $TASKTRACE_SECRET\n"
	      "                        or " PSEUDO_DEFAULT_SECRET ")\n"
	      "  -s, --store DIR       the store (default $TASKTRACE_STORE or "
	      DEFAULT_STORE ")\n"
	      "  -q, --quiet           no progress line\n"
	      "  -h, --help            this help\n", f);
}

enum {
	OPT_SINCE = 0x100, OPT_UNTIL, OPT_CASE, OPT_SECRET, OPT_DIR, OPT_KEEP,
	OPT_GROUP, OPT_FORMATS, OPT_CREATE, OPT_CHECK,
};

/* Options shared by export and export-scheduled. Returns 1 when @p c was
 * one of them, 0 when not, -1 on a bad value (message printed). */
static int
common_option(int c, const char *arg, struct export_options *o,
	      const char **since, const char **until)
{
	switch (c) {
	case 's': o->store_dir = arg; return 1;
	case 'u': o->user = arg; return 1;
	case 'p': o->pseudonymize = true; return 1;
	case 'q': o->progress = false; return 1;
	case OPT_SECRET: o->secret = arg; return 1;
	case OPT_SINCE: *since = arg; return 1;
	case OPT_UNTIL: *until = arg; return 1;
	case OPT_CASE:
		if (actions_parse_case(arg, &o->case_mode, &o->idle_gap_ns) < 0) {
			fprintf(stderr, "tasktrace: invalid --case '%s' (user-day, "
				"session, focus, idle or idle-gap=DURATION such as "
				"idle-gap=10m)\n",
				arg);
			return -1;
		}
		return 1;
	default:
		return 0;
	}
}

static int
parse_range(struct export_options *o, const char *since, const char *until)
{
	uint64_t now = now_ns(CLOCK_REALTIME);

	if (since && fmt_parse_time(since, now, &o->since_ns) < 0) {
		fprintf(stderr, "tasktrace: invalid --since '%s'\n", since);
		return -1;
	}
	if (until && fmt_parse_time(until, now, &o->until_ns) < 0) {
		fprintf(stderr, "tasktrace: invalid --until '%s'\n", until);
		return -1;
	}
	if (until && o->until_ns <= o->since_ns) {
		fprintf(stderr, "tasktrace: --until must be later than --since\n");
		return -1;
	}
	return 0;
}

static void
init_options(struct export_options *o)
{
	memset(o, 0, sizeof(*o));
	o->store_dir = default_store();
	o->format = "csv";
	o->output = "-";
	o->progress = isatty(STDERR_FILENO);
	o->mode = output_default_mode();
	o->gid = (gid_t)-1;
}

int
cmd_export(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'o' },
		{ "since", required_argument, NULL, OPT_SINCE },
		{ "until", required_argument, NULL, OPT_UNTIL },
		{ "user", required_argument, NULL, 'u' },
		{ "case", required_argument, NULL, OPT_CASE },
		{ "pseudonymize", no_argument, NULL, 'p' },
		{ "pseudonymise", no_argument, NULL, 'p' },
		{ "secret", required_argument, NULL, OPT_SECRET },
		{ "store", required_argument, NULL, 's' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct export_options o;
	struct export_stats st;
	const char *since = NULL, *until = NULL;
	char err[512] = "";
	int c, rc;

	init_options(&o);
	optind = 0;
	while ((c = getopt_long(argc, argv, "f:o:u:ps:qh", longopts, NULL)) != -1) {
		rc = common_option(c, optarg, &o, &since, &until);
		if (rc < 0)
			return EXPORT_EXIT_USAGE;
		if (rc > 0)
			continue;
		switch (c) {
		case 'f': o.format = optarg; break;
		case 'o': o.output = optarg; break;
		case 'h': export_usage(stdout); return EXPORT_EXIT_OK;
		default: export_usage(stderr); return EXPORT_EXIT_USAGE;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "tasktrace: export: unexpected argument '%s'\n", argv[optind]);
		return EXPORT_EXIT_USAGE;
	}
	if (!export_format_find(o.format)) {
		fprintf(stderr, "tasktrace: unknown format '%s' (csv, xes, ocel, jsonl)\n",
			o.format);
		return EXPORT_EXIT_USAGE;
	}
	if (parse_range(&o, since, until) < 0)
		return EXPORT_EXIT_USAGE;

	catch_signals();
	rc = export_run(&o, &st, err, sizeof(err));
	if (rc != 0) {
		fprintf(stderr, "tasktrace: export: %s\n", err[0] ? err : tt_strerror(rc));
		reraise();
		return export_exit_code(rc);
	}
	if (o.progress)
		fprintf(stderr, "export: %" PRIu64 " records, %" PRIu64 " actions, "
			"%" PRIu64 " bytes\n", st.records, st.actions, st.bytes);
	return EXPORT_EXIT_OK;
}

/* --- scheduled exports ------------------------------------------------- */

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * Keep the @p keep newest "tasktrace-YYYY-MM-DD.EXT" files in @p dir
 * (the dates sort as names). Other files are never touched.
 */
static int
rotate(const char *dir, const char *ext, unsigned keep)
{
	char **names = NULL;
	size_t n = 0, cap = 0;
	size_t want = strlen("tasktrace-YYYY-MM-DD.") + strlen(ext);
	struct dirent *de;
	DIR *d = opendir(dir);
	int rc = 0;

	if (!d)
		return -errno;
	while ((de = readdir(d))) {
		const char *nm = de->d_name;
		if (strlen(nm) != want || strncmp(nm, "tasktrace-", 10) != 0 ||
		    nm[14] != '-' || nm[17] != '-' || nm[20] != '.' ||
		    strcmp(nm + 21, ext) != 0)
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 32;
			char **p = realloc(names, cap * sizeof(*p));
			if (!p) {
				rc = -ENOMEM;
				goto out;
			}
			names = p;
		}
		if (!(names[n] = strdup(nm))) {
			rc = -ENOMEM;
			goto out;
		}
		n++;
	}
	qsort(names, n, sizeof(*names), cmp_str);
	for (size_t i = 0; i + keep < n; i++) {
		if (unlinkat(dirfd(d), names[i], 0) < 0 && errno != ENOENT) {
			rc = -errno;
			fprintf(stderr, "tasktrace: rotate: %s/%s: %s\n", dir,
				names[i], strerror(errno));
		}
	}
out:
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	closedir(d);
	return rc;
}

static void
scheduled_usage(FILE *f)
{
	fputs("Usage: tasktrace export-scheduled [OPTION…]\n"
	      "Export one day (default: yesterday, UTC) to dated files and rotate.\n\n"
	      "  -d, --dir DIR         where (default " DEFAULT_EXPORT_DIR ")\n"
	      "  -F, --formats LIST    comma-separated formats (default csv)\n"
	      "  -k, --keep N          keep the N newest files per format, 0 all (default 14)\n"
	      "  -g, --group GROUP     group owning the files, mode 0640 (default "
	      DEFAULT_GROUP ")\n"
	      "      --since, --until, --case, -u, -p, --secret, -s, -q: as in export\n", f);
}

int
cmd_export_scheduled(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "dir", required_argument, NULL, 'd' },
		{ "formats", required_argument, NULL, 'F' },
		{ "format", required_argument, NULL, 'F' },
		{ "keep", required_argument, NULL, 'k' },
		{ "group", required_argument, NULL, 'g' },
		{ "since", required_argument, NULL, OPT_SINCE },
		{ "until", required_argument, NULL, OPT_UNTIL },
		{ "user", required_argument, NULL, 'u' },
		{ "case", required_argument, NULL, OPT_CASE },
		{ "pseudonymize", no_argument, NULL, 'p' },
		{ "pseudonymise", no_argument, NULL, 'p' },
		{ "secret", required_argument, NULL, OPT_SECRET },
		{ "store", required_argument, NULL, 's' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *dir = getenv("TASKTRACE_EXPORT_DIR");
	const char *list = "csv", *group = DEFAULT_GROUP;
	const char *since = "yesterday", *until = "today";
	unsigned long keep = DEFAULT_KEEP;
	struct export_options o;
	char *copy, *save = NULL, *end;
	int c, rc, worst = 0;

	init_options(&o);
	o.progress = false;
	if (!dir || !*dir)
		dir = DEFAULT_EXPORT_DIR;
	optind = 0;
	while ((c = getopt_long(argc, argv, "d:F:k:g:u:ps:qh", longopts, NULL)) != -1) {
		rc = common_option(c, optarg, &o, &since, &until);
		if (rc < 0)
			return EXPORT_EXIT_USAGE;
		if (rc > 0)
			continue;
		switch (c) {
		case 'd': dir = optarg; break;
		case 'F': list = optarg; break;
		case 'g': group = optarg; break;
		case 'k':
			errno = 0;
			keep = strtoul(optarg, &end, 10);
			if (errno || *end || end == optarg || keep > 100000) {
				fprintf(stderr, "tasktrace: invalid --keep '%s'\n", optarg);
				return EXPORT_EXIT_USAGE;
			}
			break;
		case 'h': scheduled_usage(stdout); return EXPORT_EXIT_OK;
		default: scheduled_usage(stderr); return EXPORT_EXIT_USAGE;
		}
	}
	if (optind < argc) {
		scheduled_usage(stderr);
		return EXPORT_EXIT_USAGE;
	}
	if (parse_range(&o, since, until) < 0)
		return EXPORT_EXIT_USAGE;
	o.mode = 0640;
	if (*group) {
		struct group *gr = getgrnam(group);
		if (gr)
			o.gid = gr->gr_gid;
		else
			fprintf(stderr, "tasktrace: no group '%s'; the exports keep "
				"the group of the user running this\n", group);
	}
	/* The directory is made here rather than by systemd's
	 * StateDirectory=, which would give it to root's group: the admin
	 * group must be able to enter it. */
	if (mkdir(dir, 0750) == 0) {
		if (o.gid != (gid_t)-1 && chown(dir, (uid_t)-1, o.gid) < 0)
			fprintf(stderr, "tasktrace: %s: %s\n", dir, strerror(errno));
	} else if (errno != EEXIST) {
		rc = -errno;
		fprintf(stderr, "tasktrace: export-scheduled: %s: %s\n", dir,
			strerror(errno));
		return export_exit_code(rc);
	}
	copy = strdup(list);
	if (!copy)
		return EXPORT_EXIT_FAILURE;
	/* Validate every format before writing any. */
	for (char *f = strtok_r(copy, ",", &save); f; f = strtok_r(NULL, ",", &save)) {
		if (!export_format_find(f)) {
			fprintf(stderr, "tasktrace: unknown format '%s'\n", f);
			free(copy);
			return EXPORT_EXIT_USAGE;
		}
	}
	strcpy(copy, list);
	catch_signals();
	for (char *f = strtok_r(copy, ",", &save); f; f = strtok_r(NULL, ",", &save)) {
		const struct export_format *fmt = export_format_find(f);
		char path[PATH_MAX], date[11], err[512] = "";
		struct export_stats st;

		fmt_date_iso(date, o.since_ns);
		snprintf(path, sizeof(path), "%s/tasktrace-%s.%s", dir, date,
			 fmt->extension);
		o.format = f;
		o.output = path;
		rc = export_run(&o, &st, err, sizeof(err));
		if (rc != 0) {
			fprintf(stderr, "tasktrace: export-scheduled: %s\n", err);
			if (!worst)
				worst = export_exit_code(rc);
			if (export_interrupted)
				break;
			continue;
		}
		printf("%s: %" PRIu64 " actions\n", path, st.actions);
		/* keep = 0 keeps everything, as in tasktrace.conf(5) */
		rc = keep ? rotate(dir, fmt->extension, (unsigned)keep) : 0;
		if (rc < 0 && !worst)
			worst = export_exit_code(rc);
	}
	free(copy);
	if (export_interrupted)
		reraise();
	return worst;
}

/* --- the site secret --------------------------------------------------- */

int
cmd_secret(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "create", no_argument, NULL, OPT_CREATE },
		{ "check", no_argument, NULL, OPT_CHECK },
		{ "secret", required_argument, NULL, OPT_SECRET },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *path = NULL;
	bool create = false, check = false;
	struct pseudo p;
	char err[512];
	int c, rc;

	optind = 0;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_CREATE: create = true; break;
		case OPT_CHECK: check = true; break;
		case OPT_SECRET: path = optarg; break;
		case 'h':
			printf("Usage: tasktrace secret --create|--check [--secret FILE]\n"
			       "Create (32 random bytes, mode 0600) or check the site secret\n"
			       "used by export --pseudonymize.\n");
			return EXPORT_EXIT_OK;
		default:
			return EXPORT_EXIT_USAGE;
		}
	}
	if (create == check || optind < argc) {
		fprintf(stderr, "tasktrace: secret: give one of --create or --check\n");
		return EXPORT_EXIT_USAGE;
	}
	path = pseudo_secret_path(path);
	if (create) {
		rc = pseudo_secret_create(path);
		if (rc < 0) {
			fprintf(stderr, "tasktrace: secret: %s: %s\n", path,
				rc == -EEXIST ? "exists already; not replaced (a new "
				"secret changes every pseudonym)" : strerror(-rc));
			return export_exit_code(rc == -EEXIST ? -EINVAL : rc);
		}
		printf("created %s\n", path);
		return EXPORT_EXIT_OK;
	}
	rc = pseudo_load(&p, path, err, sizeof(err));
	if (rc < 0) {
		fprintf(stderr, "tasktrace: secret: %s\n", err);
		return export_exit_code(rc);
	}
	pseudo_clear(&p);
	printf("%s: ok\n", path);
	return EXPORT_EXIT_OK;
}
