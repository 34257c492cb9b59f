/* SPDX-License-Identifier: MIT */
/*
 * `tasktrace report`: mine a selection of the store (mine.h) and write the
 * result as one self-contained HTML file (report.h), atomically, like the
 * exports (output.h). Also used by `tasktrace export-scheduled` for its
 * weekly report.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "tasktrace/clock.h"
#include "tasktrace/config.h"
#include "tasktrace/error.h"
#include "tasktrace/timefmt.h"

#include "admin/cli.h"
#include "mining/export/export.h"
#include "mining/source.h"
#include "mining/output.h"
#include "mining/pseudo.h"
#include "admin/cmd-report.h"
#include "mining/report/report.h"

struct progress {
	bool on, shown;
	uint64_t started, last;
	struct map_range map;
	unsigned calls;
};

static void
on_progress(uint64_t records, void *ctx)
{
	struct progress *p = ctx;
	uint64_t t = tt_mono_ns();
	double secs;

	/* Store pages already read are not needed again: keep them out of
	 * the resident set, as mine and export do. */
	if (p->map.len && ++p->calls % 4 == 0)
		madvise(p->map.start, p->map.len, MADV_DONTNEED);
	if (!p->on || t - p->last < 250000000ULL)
		return;
	p->last = t;
	secs = (double)(t - p->started) / 1e9;
	fprintf(stderr, "\rreport: %" PRIu64 " records read, %.0f records/s\033[K",
		records, secs > 0 ? (double)records / secs : 0.0);
	p->shown = true;
}

int
report_run(const struct report_run_options *o, struct report_stats *st,
	   char *err, size_t errlen)
{
	struct tt_store *store = NULL;
	struct tt_reader *rd = NULL;
	struct tt_store_stat ss;
	struct pseudo *pseudo = NULL;
	struct mine_result *res = NULL;
	struct mine_options mo;
	struct tt_query q;
	struct progress prog = { .on = o->progress };
	struct output out = { .fd = -1 };
	char host[sizeof(ss.host_id) + PSEUDO_LEN], *html = NULL;
	size_t html_len = 0;
	FILE *mem;
	int rc, code = TT_EXIT_FAIL;

	memset(st, 0, sizeof(*st));
	code = source_open(o->store_dir, o->pseudonymize, o->secret, &pseudo,
				 &store, &rd, &ss, err, errlen);
	if (code != TT_EXIT_OK)
		goto out;
	tt_query_init(&q);
	q.since_ns = o->since_ns;
	q.until_ns = o->until_ns;
	if (o->user) {
		rc = source_find_user(rd, o->user, pseudo, &q.uid);
		if (rc <= 0) {
			if (rc < 0)
				snprintf(err, errlen, "%s: %s", o->store_dir, tt_strerror(rc));
			else
				snprintf(err, errlen, "no user '%s' in the store", o->user);
			code = rc < 0 ? tool_exit_code(rc) : TT_EXIT_USAGE;
			goto out;
		}
	}

	mine_options_init(&mo);
	mo.pseudo = pseudo;
	mo.host = ss.host_id;
	prog.started = prog.last = tt_mono_ns();
	source_find_map(o->store_dir, &prog.map);
	rc = mine_run(rd, &q, &mo, on_progress, &prog, &res);
	if (prog.shown)
		fputs("\r\033[K", stderr);
	if (rc < 0) {
		snprintf(err, errlen, "%s: mining: %s", o->store_dir,
			 rc == -ENOMEM ? "out of memory" : tt_strerror(rc));
		code = rc == -ENOMEM ? TT_EXIT_FAIL : tool_exit_code(rc);
		goto out;
	}
	st->records = res->totals.records;
	st->routines = res->n_routines;

	if (pseudo)
		pseudo_name(pseudo, "host", "h-", ss.host_id, strlen(ss.host_id), host);
	else
		snprintf(host, sizeof(host), "%s", ss.host_id);
	struct report_options ro = {
		.title = o->title, .host = host,
		.since_ns = o->since_ns, .until_ns = o->until_ns,
		.user = pseudo ? NULL : o->user,
		.generated_ns = tt_now_ns(), .pseudonymized = pseudo != NULL,
		.deny_apps = o->deny_apps,
	};
	/* The page is small (well under the 2 MiB of a team's month): built
	 * in memory, then written in one go through the atomic output. */
	mem = open_memstream(&html, &html_len);
	if (!mem)
		goto nomem;
	rc = report_write(mem, res, &ro);
	if (fclose(mem) != 0 && rc == 0)
		rc = -ENOMEM;
	if (rc < 0)
		goto nomem;
	rc = output_open(&out, o->output);
	if (rc < 0) {
		snprintf(err, errlen, "cannot write %s: %s", o->output, strerror(-rc));
		code = tool_output_exit_code(rc);
		goto out;
	}
	output_write(&out, html, html_len);
	st->bytes = out.bytes;
	rc = output_commit(&out, o->mode, o->gid);
	if (rc < 0) {
		snprintf(err, errlen, "writing %s: %s", o->output, strerror(-rc));
		code = tool_output_exit_code(rc);
		goto out;
	}
	code = TT_EXIT_OK;
	goto out;
nomem:
	snprintf(err, errlen, "out of memory");
	code = TT_EXIT_FAIL;
out:
	free(html);
	mine_result_free(res);
	source_close(pseudo, store, rd);
	return code;
}

static void
usage(FILE *f)
{
	fputs("Usage: tasktrace report -o FILE.html [OPTION…]\n"
	      "Mine the records and write one self-contained HTML report: time per\n"
	      "application, switches and copy-paste flows, routines worth automating,\n"
	      "people. No script, no font, nothing fetched: it opens offline.\n\n"
	      "  -o, --output FILE     write FILE atomically; - for stdout\n"
	      "      --since TIME      records at or after TIME (2026-11-26,\n"
	      "                        2026-11-26T09:00Z, -7d, today, yesterday, @EPOCH)\n"
	      "      --until TIME      records before TIME\n"
	      "  -u, --user USER       only USER (name, uid or pseudonym)\n"
	      "  -p, --pseudonymize    people and host under keyed pseudonyms, as in\n"
	      "                        the exports\n"
	      "      --no-pseudonymize real names, whatever the configuration says\n"
	      "      --secret FILE     the pseudonym key (default $TASKTRACE_SECRET,\n"
	      "                        the configuration's, " PSEUDO_DEFAULT_SECRET ")\n"
	      "  -t, --title TEXT      the report's heading (default \"Work patterns\")\n"
	      "  -s, --store DIR       the store (default: as for tasktrace)\n"
	      "  -q, --quiet           no progress line\n"
	      "  -h, --help            this help\n"
	      "Exit status as for tasktrace(1); see tasktrace-report(1).\n", f);
}

static void
config_error(void *ctx, const char *msg)
{
	(void)ctx;
	tool_error("%s", msg);
}

enum { OPT_SINCE = 0x100, OPT_UNTIL, OPT_SECRET, OPT_NO_PSEUDO };

int
cmd_report(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "since", required_argument, NULL, OPT_SINCE },
		{ "until", required_argument, NULL, OPT_UNTIL },
		{ "user", required_argument, NULL, 'u' },
		{ "pseudonymize", no_argument, NULL, 'p' },
		{ "pseudonymise", no_argument, NULL, 'p' },
		{ "no-pseudonymize", no_argument, NULL, OPT_NO_PSEUDO },
		{ "secret", required_argument, NULL, OPT_SECRET },
		{ "title", required_argument, NULL, 't' },
		{ "store", required_argument, NULL, 's' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct report_run_options o = {
		.store_dir = tool.store_path, .mode = output_default_mode(),
		.gid = (gid_t)-1, .progress = isatty(STDERR_FILENO),
	};
	struct report_stats st;
	struct tt_config cfg;
	const char *since = NULL, *until = NULL, *secret = NULL;
	char err[512] = "";
	int c, rc;

	rc = tt_config_load(&cfg, tool.config_path, true, config_error, NULL);
	if (rc != 0) {
		tt_config_free(&cfg);
		if (rc > 0)
			tool_error("the configuration has errors (see above); fix it "
				  "or name another with --config");
		else
			tool_error("cannot read the configuration: %s", strerror(-rc));
		return TT_EXIT_CONFIG;
	}
	o.pseudonymize = cfg.export.pseudonymize;
	o.deny_apps = cfg.privacy.deny_apps;
	optind = 0;
	while ((c = getopt_long(argc, argv, "o:u:pt:s:qh", longopts, NULL)) != -1) {
		switch (c) {
		case 'o': o.output = optarg; break;
		case 'u': o.user = optarg; break;
		case 'p': o.pseudonymize = true; break;
		case OPT_NO_PSEUDO: o.pseudonymize = false; break;
		case OPT_SECRET: secret = optarg; break;
		case OPT_SINCE: since = optarg; break;
		case OPT_UNTIL: until = optarg; break;
		case 't': o.title = optarg; break;
		case 's': o.store_dir = optarg; break;
		case 'q': o.progress = false; break;
		case 'h':
			usage(stdout);
			rc = TT_EXIT_OK;
			goto out;
		default:
			usage(stderr);
			rc = TT_EXIT_USAGE;
			goto out;
		}
	}
	rc = TT_EXIT_USAGE;
	if (optind < argc) {
		tool_error("report: unexpected argument '%s'", argv[optind]);
		goto out;
	}
	if (!o.output || !*o.output) {
		tool_error("report: name the file to write with -o FILE.html "
			  "(or -o - for standard output)");
		goto out;
	}
	if (since && !cli_parse_time("--since", since, &o.since_ns))
		goto out;
	if (until && !cli_parse_time("--until", until, &o.until_ns))
		goto out;
	if (until && o.until_ns <= o.since_ns) {
		tool_error("--until must be later than --since");
		goto out;
	}
	if (o.user && !*o.user) {
		tool_error("--user: empty user name");
		goto out;
	}
	o.secret = pseudo_secret_path(secret, cfg.export.secret);
	rc = report_run(&o, &st, err, sizeof(err));
	if (rc != TT_EXIT_OK) {
		tool_error("report: %s", err);
		goto out;
	}
	if (o.progress)
		fprintf(stderr, "report: %" PRIu64 " records, %zu routines, %" PRIu64
			" bytes written to %s\n", st.records, st.routines, st.bytes,
			strcmp(o.output, "-") ? o.output : "standard output");
out:
	tt_config_free(&cfg);
	return rc;
}
