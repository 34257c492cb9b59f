/* SPDX-License-Identifier: MIT */
/* tasktrace query: print the records that match a selection. */
#include <getopt.h>
#include <inttypes.h>
#include <string.h>
#include <unistd.h>

#include "admin/cli.h"
#include "admin/recfmt.h"
#include "tasktrace/timefmt.h"

static void
usage(FILE *f)
{
	fprintf(f,
		"Usage: tasktrace query [OPTIONS]\n"
		"\n"
		"Print the records that match, oldest first.\n"
		"\n"
		"  --since TIME       records at or after TIME\n"
		"  --until TIME       records before TIME\n"
		"  --user USER        one user (name or uid)\n"
		"  --app APP          one application (as recorded, e.g. firefox)\n"
		"  --kind K[,K…]      typing, key, button, scroll, motion, touch, gesture,\n"
		"                     tablet, focus, idle, active, lock, unlock, session,\n"
		"                     device, gap\n"
		"  --format FMT       table (default), jsonl or csv\n"
		"  --limit N          stop after N records\n"
		"  -h, --help         this help\n"
		"\n"
		"TIME: 2026-01-05, 2026-01-05T08:30, 2026-01-05T08:30:00Z, -2h, -7d, today,\n"
		"yesterday, now, @EPOCH. Without an offset, times are local.\n");
}

int
cmd_query(int argc, char **argv)
{
	static const struct option opts[] = {
		CLI_FILTER_OPTIONS,
		{ "format", required_argument, NULL, 'f' },
		{ "limit", required_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	struct cli_filter filter = { 0 };
	enum recfmt_format fmt = RECFMT_TABLE;
	unsigned long long limit = 0, n = 0;
	struct tt_store *s;
	struct tt_reader *rd = NULL;
	struct tt_cursor *c = NULL;
	struct tt_query q;
	struct tt_record r;
	bool nothing;
	int ch, rc, ret;

	while ((ch = getopt_long(argc, argv, "f:n:h", opts, NULL)) != -1) {
		if (cli_filter_option(&filter, ch, optarg))
			continue;
		switch (ch) {
		case 'f':
			if (strcmp(optarg, "table") == 0)
				fmt = RECFMT_TABLE;
			else if (strcmp(optarg, "jsonl") == 0)
				fmt = RECFMT_JSONL;
			else if (strcmp(optarg, "csv") == 0)
				fmt = RECFMT_CSV;
			else {
				tool_error("--format: unknown format '%s' (table, jsonl, csv)", optarg);
				return TT_EXIT_USAGE;
			}
			break;
		case 'n': {
			char *end;
			limit = strtoull(optarg, &end, 10);
			if (*end || !*optarg || optarg[0] == '-') {
				tool_error("--limit: '%s' is not a count", optarg);
				return TT_EXIT_USAGE;
			}
			break;
		}
		case 'h':
			usage(stdout);
			return TT_EXIT_OK;
		default:
			usage(stderr);
			return TT_EXIT_USAGE;
		}
	}
	if (optind < argc) {
		tool_error("query: unexpected argument '%s'", argv[optind]);
		return TT_EXIT_USAGE;
	}
	if ((ret = cli_check_filter(&filter)))
		return ret;
	if (!(s = tool_open_store(TT_STORE_RDONLY, &ret)))
		return ret;
	if ((rc = tt_reader_open(s, &rd))) {
		ret = tool_store_error("reading", rc);
		goto out;
	}
	if ((ret = cli_build_query(rd, &filter, &q, &nothing)) || nothing)
		goto out;
	if ((rc = tt_cursor_open(rd, &q, &c))) {
		ret = tool_store_error("reading", rc);
		goto out;
	}
	if (fmt == RECFMT_CSV)
		recfmt_print_csv_header();
	while ((!limit || n < limit) && (rc = tt_cursor_next(c, &r)) == 1) {
		n++;
		recfmt_print(rd, &r, fmt);
	}
	if (rc < 0)
		ret = tool_store_error("reading records", rc);
out:
	if (fflush(stdout) != 0 || ferror(stdout)) {
		tool_error("writing the output: %m");
		ret = TT_EXIT_IO;
	}
	tt_cursor_close(c);
	tt_reader_close(rd);
	tt_store_close(s);
	return ret;
}
