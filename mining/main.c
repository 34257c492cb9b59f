/* SPDX-License-Identifier: MIT */
/* tasktrace — the admin command: a table of subcommands. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

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
		fprintf(f, "  %-13s %s\n", commands[i].name, commands[i].summary);
	fprintf(f,
		"\n"
		"Options:\n"
		"  -s, --store DIR   the store (default: $TASKTRACE_STORE or /var/lib/tasktrace)\n"
		"  -h, --help        this help; 'tasktrace COMMAND --help' for a command\n"
		"  -V, --version     print the version\n"
		"\n"
		"Exit status: 0 ok, 1 failure, 2 usage, 3 no store, 4 not a store or damaged,\n"
		"5 unsupported schema, 6 permission denied, 7 bad configuration, 8 I/O error,\n"
		"9 store busy. See tasktrace(1).\n");
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "store", required_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ 0 }
	};
	const char *env;
	int c;

	setvbuf(stdout, NULL, _IOFBF, 1 << 16);
	cli.store_path = (env = getenv("TASKTRACE_STORE")) && *env ? env : "/var/lib/tasktrace";
	cli.config_path = getenv("TASKTRACE_CONFIG");

	/* Global options stop at the command name. */
	while ((c = getopt_long(argc, argv, "+s:hV", opts, NULL)) != -1) {
		switch (c) {
		case 's':
			cli.store_path = optarg;
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
			optind = 1;	/* each command parses its own options */
			return commands[i].fn(sub_argc, sub_argv);
		}
	}
	cli_error("unknown command '%s' (see 'tasktrace --help')", argv[optind]);
	return TT_EXIT_USAGE;
}
