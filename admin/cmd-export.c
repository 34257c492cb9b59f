/* SPDX-License-Identifier: MIT */
/*
 * `tasktrace export` (one export, mining/export/), `tasktrace
 * export-scheduled` (the systemd timer's job: dated files, group-readable,
 * rotated, and the scheduled report of admin/cmd-report.c) and `tasktrace
 * secret` (the pseudonym key). The command line and the [export] section
 * of tasktrace.conf(5) are read here; the stages do the work.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <grp.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "tasktrace/cases.h"
#include "tasktrace/clock.h"
#include "tasktrace/config.h"
#include "tasktrace/error.h"
#include "tasktrace/timefmt.h"

#include "admin/cli.h"
#include "admin/cmd-report.h"
#include "mining/export/export.h"
#include "mining/pseudo.h"
#include "mining/source.h"

#define DEFAULT_GROUP "tasktrace"
#define DAY_NS (86400ULL * 1000000000ULL)

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

/*
 * The [export] section of tasktrace.conf(5): the defaults of both export
 * commands, under the command line and the environment.
 */
struct export_config {
	char dir[PATH_MAX];
	char secret[PATH_MAX];
	char formats[64];
	unsigned keep;
	bool pseudonymize;
	enum actions_case case_mode;
	uint64_t idle_gap_ns;
	enum tt_export_report report;
};

static void
config_error(void *ctx, const char *msg)
{
	(void)ctx;
	tool_error("%s", msg);
}

static int
load_config(struct export_config *ec)
{
	static const struct { unsigned bit; const char *name; } fmts[] = {
		{ TT_EXPORT_CSV, "csv" }, { TT_EXPORT_XES, "xes" },
		{ TT_EXPORT_OCEL, "ocel" }, { TT_EXPORT_JSONL, "jsonl" },
	};
	struct tt_config cfg;
	int rc = tt_config_load(&cfg, tool.config_path, true, config_error, NULL);

	if (rc != 0) {
		tt_config_free(&cfg);
		if (rc > 0)
			tool_error("the configuration has errors (see above); fix it "
				  "or name another with --config");
		else
			tool_error("cannot read the configuration: %s", strerror(-rc));
		return TT_EXIT_CONFIG;
	}
	snprintf(ec->dir, sizeof(ec->dir), "%s", cfg.export.dir);
	snprintf(ec->secret, sizeof(ec->secret), "%s", cfg.export.secret);
	ec->keep = cfg.export.keep;
	ec->pseudonymize = cfg.export.pseudonymize;
	ec->report = cfg.export.report;
	/* "idle" cuts where the tracer would mark the person idle. */
	ec->idle_gap_ns = cfg.input.idle_threshold_ns;
	switch (cfg.export.case_mode) {
	case TT_CASE_IDLE: ec->case_mode = ACTIONS_CASE_IDLE_GAP; break;
	case TT_CASE_FOCUS: ec->case_mode = ACTIONS_CASE_FOCUS; break;
	case TT_CASE_USER_DAY:
	default: ec->case_mode = ACTIONS_CASE_USER_DAY; break;
	}
	ec->formats[0] = '\0';
	for (size_t i = 0; i < sizeof(fmts) / sizeof(fmts[0]); i++) {
		if (!(cfg.export.formats & fmts[i].bit))
			continue;
		if (ec->formats[0])
			strcat(ec->formats, ",");
		strcat(ec->formats, fmts[i].name);
	}
	tt_config_free(&cfg);
	return TT_EXIT_OK;
}

static void
export_usage(FILE *f)
{
	fputs("Usage: tasktrace export [OPTION…]\n"
	      "Export the recorded actions as an event log.\n\n"
	      "  -f, --format FORMAT   csv (default), xes, ocel or jsonl\n"
	      "  -o, --output FILE     write FILE atomically; - for stdout (default)\n"
	      "      --since TIME      actions at or after TIME (2026-11-26,\n"
	      "                        2026-11-26T09:00Z, -7d, today, yesterday, @EPOCH)\n"
	      "      --until TIME      actions before TIME\n"
	      "  -u, --user USER       only USER (name, uid or pseudonym)\n"
	      "      --case NOTION     user-day (default), session, focus, idle,\n"
	      "                        idle-gap=DURATION\n"
	      "      --activity WHAT   name (default: 'Click') or element (the\n"
	      "                        element in it: 'Click 'Post' push button')\n"
	      "  -p, --pseudonymize    replace users and hosts by keyed pseudonyms\n"
	      "      --no-pseudonymize real names, whatever the configuration says\n"
	      "      --secret FILE     the pseudonym key (default $TASKTRACE_SECRET,\n"
	      "                        the configuration's, " PSEUDO_DEFAULT_SECRET ")\n"
	      "  -s, --store DIR       the store (default: as for tasktrace)\n"
	      "  -q, --quiet           no progress line\n"
	      "  -h, --help            this help\n"
	      "Exit status as for tasktrace(1); see tasktrace-export(1).\n", f);
}

enum {
	OPT_SINCE = 0x100, OPT_UNTIL, OPT_CASE, OPT_SECRET, OPT_CREATE, OPT_CHECK,
	OPT_NO_PSEUDO, OPT_REPORT, OPT_ACTIVITY,
};

/* Options shared by export and export-scheduled. Returns 1 when @p c was
 * one of them, 0 when not, -1 on a bad value (message printed). */
static int
common_option(int c, const char *arg, struct export_options *o,
	      const struct export_config *ec, const char **since,
	      const char **until)
{
	switch (c) {
	case 's': o->store_dir = arg; return 1;
	case 'u': o->user = arg; return 1;
	case 'p': o->pseudonymize = true; return 1;
	case OPT_NO_PSEUDO: o->pseudonymize = false; return 1;
	case 'q': o->progress = false; return 1;
	case OPT_SECRET: o->secret = arg; return 1;
	case OPT_SINCE: *since = arg; return 1;
	case OPT_UNTIL: *until = arg; return 1;
	case OPT_ACTIVITY:
		if (strcmp(arg, "element") == 0) {
			o->activity_element = true;
		} else if (strcmp(arg, "name") == 0) {
			o->activity_element = false;
		} else {
			tool_error("invalid --activity '%s' (name or element)", arg);
			return -1;
		}
		return 1;
	case OPT_CASE:
		if (actions_parse_case(arg, ec->idle_gap_ns, &o->case_mode,
				       &o->idle_gap_ns) < 0) {
			tool_error("invalid --case '%s' (user-day, session, focus, idle "
				  "or idle-gap=DURATION such as idle-gap=10m)", arg);
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
	if (since && !cli_parse_time("--since", since, &o->since_ns))
		return -1;
	if (until && !cli_parse_time("--until", until, &o->until_ns))
		return -1;
	if (until && o->until_ns <= o->since_ns) {
		tool_error("--until must be later than --since");
		return -1;
	}
	return 0;
}

static void
init_options(struct export_options *o, const struct export_config *ec)
{
	memset(o, 0, sizeof(*o));
	o->store_dir = tool.store_path;
	o->format = "csv";
	o->output = "-";
	o->progress = isatty(STDERR_FILENO);
	o->mode = OUTPUT_MODE;
	o->gid = (gid_t)-1;
	o->pseudonymize = ec->pseudonymize;
	o->case_mode = ec->case_mode;
	o->idle_gap_ns = ec->idle_gap_ns;
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
		{ "activity", required_argument, NULL, OPT_ACTIVITY },
		{ "pseudonymize", no_argument, NULL, 'p' },
		{ "pseudonymise", no_argument, NULL, 'p' },
		{ "no-pseudonymize", no_argument, NULL, OPT_NO_PSEUDO },
		{ "secret", required_argument, NULL, OPT_SECRET },
		{ "store", required_argument, NULL, 's' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct export_options o;
	struct export_config ec;
	struct export_stats st;
	const char *since = NULL, *until = NULL;
	char err[512] = "";
	int c, rc;

	if ((rc = load_config(&ec)) != TT_EXIT_OK)
		return rc;
	init_options(&o, &ec);
	optind = 0;
	while ((c = getopt_long(argc, argv, "f:o:u:ps:qh", longopts, NULL)) != -1) {
		rc = common_option(c, optarg, &o, &ec, &since, &until);
		if (rc < 0)
			return TT_EXIT_USAGE;
		if (rc > 0)
			continue;
		switch (c) {
		case 'f': o.format = optarg; break;
		case 'o': o.output = optarg; break;
		case 'h': export_usage(stdout); return TT_EXIT_OK;
		default: export_usage(stderr); return TT_EXIT_USAGE;
		}
	}
	if (optind < argc) {
		tool_error("export: unexpected argument '%s'", argv[optind]);
		return TT_EXIT_USAGE;
	}
	if (!export_format_find(o.format)) {
		tool_error("unknown format '%s' (csv, xes, ocel, jsonl)", o.format);
		return TT_EXIT_USAGE;
	}
	if (parse_range(&o, since, until) < 0)
		return TT_EXIT_USAGE;
	o.secret = pseudo_secret_path(o.secret, ec.secret);
	/* The export itself on the terminal: a progress line would cut
	 * through it. */
	if (strcmp(o.output, "-") == 0 && isatty(STDOUT_FILENO))
		o.progress = false;

	catch_signals();
	rc = export_run(&o, &st, err, sizeof(err));
	if (rc != TT_EXIT_OK) {
		tool_error("export: %s", err);
		reraise();
		return rc;
	}
	if (o.progress)
		fprintf(stderr, "export: %" PRIu64 " records, %" PRIu64 " actions, "
			"%" PRIu64 " bytes\n", st.records, st.actions, st.bytes);
	return TT_EXIT_OK;
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
	/* never through a link: check_export_dir() vouched for this one */
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	DIR *d = fd < 0 ? NULL : fdopendir(fd);
	int rc = 0;

	if (!d) {
		rc = -errno;
		if (fd >= 0)
			close(fd);
		return rc;
	}
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
			tool_error("rotate: %s/%s: %s", dir, names[i], strerror(errno));
		}
	}
out:
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	closedir(d);
	return rc;
}

/* Is @p st a directory only root or the caller can change? */
static const char *
untrusted_dir(const struct stat *st)
{
	if (!S_ISDIR(st->st_mode))
		return "is not a directory";
	if (st->st_uid != 0 && st->st_uid != geteuid())
		return "belongs to another user";
	if (st->st_mode & (S_IWGRP | S_IWOTH))
		return "is writable by group or others";
	return NULL;
}

/*
 * The scheduled exports' directory, as root runs them: it and its parent
 * must be real directories that only root (or the caller) can change.
 * Else whoever can (the tracer user owns /var/lib/tasktrace, where
 * exports/ used to be) could swap the directory for a link, and root's
 * rotation would delete, and its exports replace, files elsewhere.
 * Returns 0, or prints why not and returns TT_EXIT_PERM.
 */
static int
check_export_dir(const char *dir)
{
	char *copy = strdup(dir), *slash;
	struct stat st;
	const char *why;

	if (!copy)
		return TT_EXIT_FAIL;
	if (lstat(dir, &st) < 0) {
		tool_error("export-scheduled: %s: %s", dir, strerror(errno));
		free(copy);
		return tool_output_exit_code(-errno);
	}
	if (S_ISLNK(st.st_mode) || (why = untrusted_dir(&st))) {
		tool_error("export-scheduled: %s %s; refused (the exports' directory must "
			  "be root's, 0750, e.g. /var/lib/tasktrace-exports)", dir,
			  S_ISLNK(st.st_mode) ? "is a symbolic link" : why);
		free(copy);
		return TT_EXIT_PERM;
	}
	slash = strrchr(copy, '/');
	if (slash && slash != copy)
		*slash = '\0';
	else if (slash)
		copy[1] = '\0';
	else
		strcpy(copy, ".");
	if (stat(copy, &st) < 0 || (why = untrusted_dir(&st))) {
		tool_error("export-scheduled: %s: its parent %s %s, so the directory can "
			  "be swapped; refused (use e.g. /var/lib/tasktrace-exports)", dir, copy,
			  why ? why : strerror(errno));
		free(copy);
		return TT_EXIT_PERM;
	}
	free(copy);
	return 0;
}

/*
 * The scheduled report: of the exported range (daily), or of the week
 * that ends with it (weekly: Monday 00:00 to Monday 00:00 UTC, written
 * when the export reaches the end of a Sunday, so once per week whatever
 * else the timer runs). Named after its first day, like the exports, and
 * rotated with them.
 */
static int
scheduled_report(const struct export_options *o, enum tt_export_report when,
		 const char *dir, unsigned keep)
{
	struct report_run_options ro = {
		.store_dir = o->store_dir, .since_ns = o->since_ns,
		.until_ns = o->until_ns, .user = o->user,
		.pseudonymize = o->pseudonymize, .secret = o->secret,
		.mode = o->mode, .gid = o->gid,
	};
	struct report_stats st;
	char path[PATH_MAX], date[11], err[512] = "";
	int rc;

	if (when == TT_REPORT_WEEKLY) {
		uint64_t day = o->until_ns / DAY_NS;

		/* 1970-01-01 was a Thursday: day d is a Monday when
		 * (d + 3) % 7 == 0 */
		if (o->until_ns % DAY_NS || (day + 3) % 7 || o->until_ns < 7 * DAY_NS)
			return TT_EXIT_OK;
		ro.since_ns = o->until_ns - 7 * DAY_NS;
		ro.title = "Weekly work patterns";
	}
	tt_date_format_utc(ro.since_ns, date, sizeof(date));
	if ((size_t)snprintf(path, sizeof(path), "%s/tasktrace-%s.html", dir, date) >=
	    sizeof(path)) {
		tool_error("export-scheduled: %s: name too long", dir);
		return TT_EXIT_USAGE;
	}
	ro.output = path;
	rc = report_run(&ro, &st, err, sizeof(err));
	if (rc != TT_EXIT_OK) {
		tool_error("export-scheduled: report: %s", err);
		return rc;
	}
	printf("%s: report of %" PRIu64 " records, %zu routines\n", path, st.records,
	       st.routines);
	rc = keep ? rotate(dir, "html", keep) : 0;
	return rc < 0 ? tool_output_exit_code(rc) : TT_EXIT_OK;
}

static void
scheduled_usage(FILE *f)
{
	fputs("Usage: tasktrace export-scheduled [OPTION…]\n"
	      "Export one UTC day (default: yesterday) to dated files and rotate them.\n"
	      "Defaults come from the [export] section of tasktrace.conf(5).\n\n"
	      "  -d, --dir DIR         where ($TASKTRACE_EXPORT_DIR, the configuration's)\n"
	      "  -F, --formats LIST    comma-separated formats\n"
	      "  -k, --keep N          keep the N newest files per format; 0 keeps all\n"
	      "  -g, --group GROUP     group owning the files, mode 0640 (default "
	      DEFAULT_GROUP ")\n"
	      "      --report WHEN     also an HTML report: no, daily (of the day)\n"
	      "                        or weekly (Monday to Sunday, written once the\n"
	      "                        Sunday is exported); rotated like the exports\n"
	      "      --since, --until, --case, --activity, -u, -p, --no-pseudonymize, --secret, -s, -q:\n"
	      "                        as for export\n", f);
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
		{ "report", required_argument, NULL, OPT_REPORT },
		{ "since", required_argument, NULL, OPT_SINCE },
		{ "until", required_argument, NULL, OPT_UNTIL },
		{ "user", required_argument, NULL, 'u' },
		{ "case", required_argument, NULL, OPT_CASE },
		{ "activity", required_argument, NULL, OPT_ACTIVITY },
		{ "pseudonymize", no_argument, NULL, 'p' },
		{ "pseudonymise", no_argument, NULL, 'p' },
		{ "no-pseudonymize", no_argument, NULL, OPT_NO_PSEUDO },
		{ "secret", required_argument, NULL, OPT_SECRET },
		{ "store", required_argument, NULL, 's' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *env = getenv("TASKTRACE_EXPORT_DIR");
	const char *dir, *list, *group = DEFAULT_GROUP;
	const char *since = NULL, *until = NULL;
	struct export_options o;
	struct export_config ec;
	enum tt_export_report report;
	unsigned keep;
	uint64_t v;
	char *copy, *save = NULL;
	int c, rc, worst = TT_EXIT_OK;

	if ((rc = load_config(&ec)) != TT_EXIT_OK)
		return rc;
	init_options(&o, &ec);
	o.progress = false;
	dir = env && *env ? env : ec.dir;
	list = ec.formats;
	keep = ec.keep;
	report = ec.report;
	optind = 0;
	while ((c = getopt_long(argc, argv, "d:F:k:g:u:ps:qh", longopts, NULL)) != -1) {
		rc = common_option(c, optarg, &o, &ec, &since, &until);
		if (rc < 0)
			return TT_EXIT_USAGE;
		if (rc > 0)
			continue;
		switch (c) {
		case 'd': dir = optarg; break;
		case 'F': list = optarg; break;
		case 'g': group = optarg; break;
		case OPT_REPORT:
			if (strcmp(optarg, "no") == 0) {
				report = TT_REPORT_NO;
			} else if (strcmp(optarg, "daily") == 0) {
				report = TT_REPORT_DAILY;
			} else if (strcmp(optarg, "weekly") == 0) {
				report = TT_REPORT_WEEKLY;
			} else {
				tool_error("invalid --report '%s' (no, daily or weekly)", optarg);
				return TT_EXIT_USAGE;
			}
			break;
		case 'k':
			/* the configuration's parser: same syntax, same range */
			if (tt_parse_uint(optarg, 100000, &v) < 0) {
				tool_error("invalid --keep '%s' (0 to 100000)", optarg);
				return TT_EXIT_USAGE;
			}
			keep = (unsigned)v;
			break;
		case 'h': scheduled_usage(stdout); return TT_EXIT_OK;
		default: scheduled_usage(stderr); return TT_EXIT_USAGE;
		}
	}
	if (optind < argc) {
		scheduled_usage(stderr);
		return TT_EXIT_USAGE;
	}
	/* Default: the previous UTC day, the unit of user-day cases. */
	o.until_ns = tt_now_ns() / DAY_NS * DAY_NS;
	o.since_ns = o.until_ns - DAY_NS;
	if (since && !cli_parse_time("--since", since, &o.since_ns))
		return TT_EXIT_USAGE;
	if (until && !cli_parse_time("--until", until, &o.until_ns))
		return TT_EXIT_USAGE;
	if (since && !until)
		o.until_ns = o.since_ns / DAY_NS * DAY_NS + DAY_NS;
	if (o.until_ns <= o.since_ns) {
		tool_error("--until must be later than --since");
		return TT_EXIT_USAGE;
	}
	o.secret = pseudo_secret_path(o.secret, ec.secret);
	o.mode = OUTPUT_MODE;
	if (*group) {
		struct group *gr = getgrnam(group);
		if (gr)
			o.gid = gr->gr_gid;
		else
			tool_error("no group '%s'; the exports keep the group of the "
				  "user running this", group);
	}
	copy = strdup(list);
	if (!copy)
		return TT_EXIT_FAIL;
	/* Validate every format before writing any. */
	for (char *f = strtok_r(copy, ",", &save); f; f = strtok_r(NULL, ",", &save)) {
		if (!export_format_find(f)) {
			tool_error("unknown format '%s' (csv, xes, ocel, jsonl)", f);
			free(copy);
			return TT_EXIT_USAGE;
		}
	}
	strcpy(copy, list);
	/* The directory is made here rather than by systemd's
	 * StateDirectory=, which would give it to root's group: the admin
	 * group must be able to enter it. */
	if (mkdir(dir, 0750) == 0) {
		if (o.gid != (gid_t)-1 && chown(dir, (uid_t)-1, o.gid) < 0)
			tool_error("%s: %s", dir, strerror(errno));
	} else if (errno != EEXIST) {
		rc = -errno;
		tool_error("export-scheduled: %s: %s", dir, strerror(errno));
		free(copy);
		return tool_output_exit_code(rc);
	}
	if ((rc = check_export_dir(dir)) != 0) {
		free(copy);
		return rc;
	}
	catch_signals();
	for (char *f = strtok_r(copy, ",", &save); f; f = strtok_r(NULL, ",", &save)) {
		const struct export_format *fmt = export_format_find(f);
		char path[PATH_MAX], date[11], err[512] = "";
		struct export_stats st;

		tt_date_format_utc(o.since_ns, date, sizeof(date));
		if ((size_t)snprintf(path, sizeof(path), "%s/tasktrace-%s.%s", dir,
				     date, fmt->extension) >= sizeof(path)) {
			tool_error("export-scheduled: %s: name too long", dir);
			worst = TT_EXIT_USAGE;
			break;
		}
		o.format = f;
		o.output = path;
		rc = export_run(&o, &st, err, sizeof(err));
		if (rc != TT_EXIT_OK) {
			tool_error("export-scheduled: %s", err);
			if (worst == TT_EXIT_OK)
				worst = rc;
			if (export_interrupted)
				break;
			continue;
		}
		printf("%s: %" PRIu64 " actions\n", path, st.actions);
		/* keep = 0 keeps everything, as in tasktrace.conf(5) */
		rc = keep ? rotate(dir, fmt->extension, keep) : 0;
		if (rc < 0 && worst == TT_EXIT_OK)
			worst = tool_output_exit_code(rc);
	}
	free(copy);
	if (report != TT_REPORT_NO && !export_interrupted) {
		rc = scheduled_report(&o, report, dir, keep);
		if (rc != TT_EXIT_OK && worst == TT_EXIT_OK)
			worst = rc;
	}
	if (export_interrupted)
		reraise();
	return worst;
}

/* --- the site secret --------------------------------------------------- */

/* Hash one case id as the tracer will store it with store = pseudonym:
 * normalised by its case type's rule, then tt_case_pseudonym(). */
static int
hash_one(const struct pseudo *p, const struct tt_cases *cases, int type,
	 const char *id, size_t len)
{
	char norm[TT_CASES_ID_MAX + 1], out[TT_CASE_PSEUDONYM_LEN + 1];
	unsigned how = type >= 0 ? tt_cases_norm(cases, (unsigned)type) : 0;
	int n;

	if (len == 0) {
		tool_error("secret hash-id: an empty id");
		return TT_EXIT_USAGE;
	}
	n = tt_cases_normalize(how, id, len, norm, sizeof(norm));
	if (n < 0) {
		tool_error("secret hash-id: an id longer than %d bytes", TT_CASES_ID_MAX);
		return TT_EXIT_USAGE;
	}
	tt_case_pseudonym(p->key, p->key_len, norm, (size_t)n, out);
	printf("%s\n", out);
	return TT_EXIT_OK;
}

/* tasktrace secret hash-id [--case NAME] [--secret FILE] [ID…] */
static int
secret_hash_id(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "case", required_argument, NULL, OPT_CASE },
		{ "secret", required_argument, NULL, OPT_SECRET },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *path = NULL, *name = NULL;
	struct tt_config cfg;
	struct pseudo p;
	char err[512];
	int c, rc, type = -1;

	optind = 0;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_CASE: name = optarg; break;
		case OPT_SECRET: path = optarg; break;
		case 'h':
			printf("Usage: tasktrace secret hash-id [--case NAME] [--secret FILE] [ID...]\n"
			       "Print the pseudonym of each case ID (or of each line of standard\n"
			       "input), as [case.NAME] store = pseudonym keeps it: normalised by\n"
			       "NAME's rule when --case is given, then keyed by the site secret.\n");
			return TT_EXIT_OK;
		default:
			return TT_EXIT_USAGE;
		}
	}
	/* A file named with --config must exist (with none named, a missing
	 * default is fine): --case needs its rules. */
	rc = tt_config_load(&cfg, tool.config_path, false, config_error, NULL);
	if (rc != 0) {
		tt_config_free(&cfg);
		tool_error(rc > 0 ? "the configuration has errors (see above); fix it "
			   "or name another with --config" : "cannot read the configuration");
		return TT_EXIT_CONFIG;
	}
	if (name) {
		for (size_t t = 0; t < tt_cases_count(cfg.cases); t++) {
			if (strcmp(tt_cases_name(cfg.cases, (unsigned)t), name) == 0)
				type = (int)t;
		}
		if (type < 0) {
			tool_error("secret hash-id: no [case.%s] in the configuration", name);
			tt_config_free(&cfg);
			return TT_EXIT_USAGE;
		}
	}
	path = pseudo_secret_path(path, cfg.export.secret);
	rc = pseudo_load(&p, path, err, sizeof(err));
	if (rc < 0) {
		tool_error("secret: %s", err);
		tt_config_free(&cfg);
		return rc == -EPERM ? TT_EXIT_PERM : TT_EXIT_FAIL;
	}
	rc = TT_EXIT_OK;
	if (optind < argc) {
		for (int i = optind; i < argc && rc == TT_EXIT_OK; i++)
			rc = hash_one(&p, cfg.cases, type, argv[i], strlen(argv[i]));
	} else {
		char *line = NULL;
		size_t cap = 0;
		ssize_t n;

		while (rc == TT_EXIT_OK && (n = getline(&line, &cap, stdin)) >= 0) {
			while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
				n--;
			rc = hash_one(&p, cfg.cases, type, line, (size_t)n);
		}
		free(line);
	}
	pseudo_clear(&p);
	tt_config_free(&cfg);
	if (rc == TT_EXIT_OK && (fflush(stdout) != 0 || ferror(stdout)))
		return tool_output_exit_code(-errno);
	return rc;
}

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
	struct export_config ec;
	struct pseudo p;
	char err[512];
	int c, rc;

	if (argc > 1 && strcmp(argv[1], "hash-id") == 0)
		return secret_hash_id(argc - 1, argv + 1);
	if ((rc = load_config(&ec)) != TT_EXIT_OK)
		return rc;
	optind = 0;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_CREATE: create = true; break;
		case OPT_CHECK: check = true; break;
		case OPT_SECRET: path = optarg; break;
		case 'h':
			printf("Usage: tasktrace secret --create|--check [--secret FILE]\n"
			       "       tasktrace secret hash-id [--case NAME] [--secret FILE] [ID...]\n"
			       "Create (32 random bytes, mode 0600) or check the site secret\n"
			       "used by export --pseudonymize; hash-id: the pseudonym of a case id.\n");
			return TT_EXIT_OK;
		default:
			return TT_EXIT_USAGE;
		}
	}
	if (create == check || optind < argc) {
		tool_error("secret: give one of --create or --check");
		return TT_EXIT_USAGE;
	}
	path = pseudo_secret_path(path, ec.secret);
	if (create) {
		rc = pseudo_secret_create(path);
		if (rc < 0) {
			tool_error("secret: %s: %s", path,
				  rc == -EEXIST ? "exists already; not replaced (a new "
				  "secret changes every pseudonym)" : strerror(-rc));
			return rc == -EEXIST ? TT_EXIT_FAIL : tool_output_exit_code(rc);
		}
		printf("created %s\n", path);
		return TT_EXIT_OK;
	}
	rc = pseudo_load(&p, path, err, sizeof(err));
	if (rc < 0) {
		tool_error("secret: %s", err);
		return rc == -EPERM ? TT_EXIT_PERM : TT_EXIT_FAIL;
	}
	pseudo_clear(&p);
	printf("%s: ok\n", path);
	return TT_EXIT_OK;
}
