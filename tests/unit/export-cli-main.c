/* SPDX-License-Identifier: MIT */
/*
 * Temporary: the export subcommands behind a minimal main(), so that the
 * CLI tests can run them as a program before mining/main.c (the real
 * subcommand table) exists. Tests prefer build/tasktrace when it does.
 */
#include <stdio.h>
#include <string.h>

#include "../../mining/export.h"

int
main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: %s export|export-scheduled|secret …\n", argv[0]);
		return 2;
	}
	if (strcmp(argv[1], "export") == 0)
		return cmd_export(argc - 1, argv + 1);
	if (strcmp(argv[1], "export-scheduled") == 0)
		return cmd_export_scheduled(argc - 1, argv + 1);
	if (strcmp(argv[1], "secret") == 0)
		return cmd_secret(argc - 1, argv + 1);
	fprintf(stderr, "%s: unknown command '%s'\n", argv[0], argv[1]);
	return 2;
}
