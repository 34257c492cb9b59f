/* SPDX-License-Identifier: MIT */
/*
 * tasktrace — the admin command (admin/): a table of subcommands, each in
 * cmd-*.c, with the command line's shared parts in cli.c and the record
 * printer of query and me in recfmt.c. The command calls its stages —
 * exports (mining/export/), the miner (mining/mine/), the report
 * (mining/report/), the shipper (ship/) — and what they share
 * (the files at the top of mining/); none of them calls back (scripts/check-layers).
 */
#include <getopt.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "admin/cli.h"

struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
};

static const struct command commands[] = {
	{ "query", cmd_query, "print records (filter by time, user, application, kind)" },
	{ "stats", cmd_stats, "records per kind, time per application, per day, store size" },
	{ "verify", cmd_verify, "check every record and index of the store" },
	{ "purge", cmd_purge, "delete records by age or by user" },
	{ "check-config", cmd_check_config, "check a configuration file" },
	{ "mine", cmd_mine, "routines, time per application, transitions, copy-paste flows" },
	{ "me", cmd_me, "what is stored about you (no admin rights needed); pause, resume" },
	{ "export", cmd_export, "export actions as an event log (csv, xes, ocel, jsonl)" },
	{ "export-scheduled", cmd_export_scheduled, "the timer's daily export: dated files, rotated" },
	{ "report", cmd_report, "one self-contained HTML report: time, flows, routines" },
	{ "secret", cmd_secret, "create or check the site secret for pseudonyms" },
	{ "ship", cmd_ship, "send new records to the central PostgreSQL server" },
};

static void
usage(FILE *f)
{
	fprintf(f,
		"Usage: tasktrace [--store DIR] COMMAND [OPTIONS]\n"
		"\n"
		"Query and maintain the interaction records of tasktraced.\n"
		"\n"
		"Commands:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  %-17s %s\n", commands[i].name, commands[i].summary);
	fprintf(f,
		"\n"
		"Options:\n"
		"  -s, --store DIR   the store (default: $TASKTRACE_STORE, else the\n"
		"                    configuration's [store] path, /var/lib/tasktrace)\n"
		"  -c, --config FILE the configuration (default: $TASKTRACE_CONFIG or\n"
		"                    /etc/tasktrace/tasktrace.conf)\n"
		"  -h, --help        this help; 'tasktrace COMMAND --help' for a command\n"
		"  -V, --version     print the version\n"
		"\n"
		"Exit status: 0 ok, 1 failure, 2 usage, 3 no store, 4 not a tasktrace store,\n"
		"5 unsupported schema, 6 permission denied, 7 bad configuration, 8 I/O error,\n"
		"9 store busy, 10 store truncated or damaged, 11 server unreachable.\n"
		"See tasktrace(1).\n");
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "store", required_argument, NULL, 's' },
		{ "config", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ 0 }
	};
	const char *env;
	int c;

	setvbuf(stdout, NULL, _IOFBF, 1 << 16);
	bool store_given;

	tool.store_path = (env = getenv("TASKTRACE_STORE")) && *env ? env : "/var/lib/tasktrace";
	store_given = env && *env;
	tool.config_path = (env = getenv("TASKTRACE_CONFIG")) && *env ? env : NULL;

	/* Global options stop at the command name. */
	while ((c = getopt_long(argc, argv, "+s:c:hV", opts, NULL)) != -1) {
		switch (c) {
		case 's':
			tool.store_path = optarg;
			store_given = true;
			break;
		case 'c':
			tool.config_path = optarg;
			break;
		case 'h':
			usage(stdout);
			return TT_EXIT_OK;
		case 'V':
			printf("tasktrace %s\n", TT_VERSION);
			return TT_EXIT_OK;
		default:
			usage(stderr);
			return TT_EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		usage(stderr);
		return TT_EXIT_USAGE;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (strcmp(argv[optind], commands[i].name) == 0) {
			int sub_argc = argc - optind;
			char **sub_argv = argv + optind;
			int rc;

			if (!store_given && commands[i].fn != cmd_check_config && commands[i].fn != cmd_me &&
			    (rc = cli_store_from_config()))
				return rc;
			optind = 1;	/* each command parses its own options */
			return commands[i].fn(sub_argc, sub_argv);
		}
	}
	tool_error("unknown command '%s' (see 'tasktrace --help')", argv[optind]);
	return TT_EXIT_USAGE;
}
