/* SPDX-License-Identifier: MIT */
/* tasktrace purge: delete records by age or by user, after asking. */
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "admin/cli.h"
#include "tasktrace/timefmt.h"

static void
usage(FILE *f)
{
	fprintf(f,
		"Usage: tasktrace purge (--before TIME | --user USER | --all) [--yes]\n"
		"\n"
		"Delete records, and every string (window title, application) and session\n"
		"that no remaining record refers to. With --before and --user together,\n"
		"only that user's records older than TIME. Asks first unless --yes.\n"
		"tasktraced must be stopped: the store has one writer at a time.\n"
		"\n"
		"  --before TIME   records older than TIME (e.g. -90d, 2026-01-01)\n"
		"  --user USER     records of one user (name or uid)\n"
		"  --all           every record\n"
		"  -y, --yes       do not ask\n");
}

int
cmd_purge(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "before", required_argument, NULL, 'b' },
		{ "user", required_argument, NULL, 'u' },
		{ "all", no_argument, NULL, 'A' },
		{ "yes", no_argument, NULL, 'y' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	const char *before_text = NULL, *user = NULL;
	bool all = false, yes = false;
	uint64_t before = UINT64_MAX, matching = 0;
	uint32_t uid = TT_UID_NONE;
	struct tt_store *s;
	struct tt_reader *rd;
	struct tt_cursor *c;
	struct tt_query q;
	struct tt_record r;
	struct tt_purge_result res;
	int ch, rc, ret;

	while ((ch = getopt_long(argc, argv, "b:u:Ayh", opts, NULL)) != -1) {
		switch (ch) {
		case 'b': before_text = optarg; break;
		case 'u': user = optarg; break;
		case 'A': all = true; break;
		case 'y': yes = true; break;
		case 'h': usage(stdout); return TT_EXIT_OK;
		default: usage(stderr); return TT_EXIT_USAGE;
		}
	}
	if (optind < argc) {
		tool_error("purge: unexpected argument '%s'", argv[optind]);
		return TT_EXIT_USAGE;
	}
	if (!before_text && !user && !all) {
		tool_error("purge: say what to delete: --before TIME, --user USER or --all");
		return TT_EXIT_USAGE;
	}
	if (all && (before_text || user)) {
		tool_error("purge: --all goes alone");
		return TT_EXIT_USAGE;
	}
	if (before_text && !cli_parse_time("--before", before_text, &before))
		return TT_EXIT_USAGE;
	if (!yes && !isatty(STDIN_FILENO)) {
		tool_error("purge: not on a terminal, so cannot ask: add --yes to delete");
		return TT_EXIT_USAGE;
	}

	if (!(s = tool_open_store(0, &ret)))
		return ret;
	if ((rc = tt_reader_open(s, &rd))) {
		ret = tool_store_error("reading", rc);
		goto out;
	}
	if (user && !tool_resolve_user(rd, user, &uid)) {
		tt_reader_close(rd);
		ret = TT_EXIT_USAGE;
		goto out;
	}
	tt_query_init(&q);
	q.uid = uid;
	q.until_ns = before == UINT64_MAX ? 0 : before;
	if ((rc = tt_cursor_open(rd, &q, &c)) == 0) {
		while ((rc = tt_cursor_next(c, &r)) == 1)
			matching++;
		tt_cursor_close(c);
	}
	tt_reader_close(rd);
	if (rc < 0) {
		ret = tool_store_error("reading", rc);
		goto out;
	}
	if (matching == 0) {
		printf("nothing to purge\n");
		goto out;
	}
	if (!yes) {
		char t[40], line[16];

		printf("Delete %" PRIu64 " record%s", matching, matching == 1 ? "" : "s");
		if (user)
			printf(" of %s", user);
		if (before != UINT64_MAX)
			printf(" older than %s", tt_time_format_utc(before, t, sizeof(t)));
		printf(" from %s? [y/N] ", tool.store_path);
		fflush(stdout);
		if (!fgets(line, sizeof(line), stdin) || (line[0] != 'y' && line[0] != 'Y')) {
			printf("nothing deleted\n");
			goto out;
		}
	}
	if ((rc = tt_store_purge(s, before, uid, &res))) {
		ret = tool_store_error("purging", rc);
		goto out;
	}
	printf("deleted %" PRIu64 " records (%" PRIu64 " blocks rewritten), %" PRIu32
	       " strings and %" PRIu32 " sessions no longer referred to\n",
	       res.records, res.blocks, res.strings, res.sessions);
out:
	rc = tt_store_close(s);
	if (rc && !ret)
		ret = tool_store_error("closing", rc);
	return ret;
}
