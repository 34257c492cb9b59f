/* SPDX-License-Identifier: MIT */
/* tasktrace check-config: validate a configuration file without using it. */
#include <getopt.h>
#include <stdio.h>

#include "admin/cli.h"
#include "ship/ship.h"
#include "tasktrace/cases.h"
#include "tasktrace/config.h"

static void
print_error(void *ctx, const char *msg)
{
	(void)ctx;
	fprintf(stderr, "%s\n", msg);
}

int
cmd_check_config(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	struct tt_config cfg;
	const char *path;
	int ch, rc;

	while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (ch == 'h') {
			printf("Usage: tasktrace check-config [FILE]\n\n"
			       "Check FILE (default: $TASKTRACE_CONFIG or /etc/tasktrace/tasktrace.conf)\n"
			       "and print every error as FILE:LINE: message. Exit 0 when valid,\n"
			       "7 when not.\n");
			return TT_EXIT_OK;
		}
		return TT_EXIT_USAGE;
	}
	if (argc - optind > 1) {
		tool_error("check-config: one file at most");
		return TT_EXIT_USAGE;
	}
	path = optind < argc ? argv[optind] : tool.config_path;
	/* A file named on the command line must exist; the default may not. */
	rc = tt_config_load(&cfg, path, false, print_error, NULL);
	if (!path)
		path = tt_config_default_path();
	/* Shipping configured: its key must not be readable by others here. */
	if (rc == 0 && (cfg.ship.server || cfg.ship.service) && ship_check_files(&cfg, true)) {
		tt_config_free(&cfg);
		return TT_EXIT_CONFIG;
	}
	if (rc < 0) {
		tt_config_free(&cfg);
		return TT_EXIT_CONFIG;
	}
	if (rc > 0) {
		tt_config_free(&cfg);
		fprintf(stderr, "%s: %d error%s\n", path, rc, rc == 1 ? "" : "s");
		return TT_EXIT_CONFIG;
	}
	printf("%s: valid\n", path);
	/* What the case rules compiled to: a check for the person who wrote
	 * them (the tracer runs only what is listed here). */
	for (size_t t = 0; t < tt_cases_count(cfg.cases); t++)
		printf("case %s: %zu pattern%s, ids stored %s\n",
		       tt_cases_name(cfg.cases, (unsigned)t),
		       tt_cases_patterns(cfg.cases, (unsigned)t),
		       tt_cases_patterns(cfg.cases, (unsigned)t) == 1 ? "" : "s",
		       tt_cases_store(cfg.cases, (unsigned)t) == TT_CASE_STORE_PSEUDONYM ?
		       "as pseudonyms" : "in clear");
	tt_config_free(&cfg);
	return TT_EXIT_OK;
}

/* The store the commands use when neither --store nor TASKTRACE_STORE is
 * given: the configuration's [store] path. */
int
cli_store_from_config(void)
{
	static char path[4096];
	struct tt_config cfg;
	int rc = tt_config_load(&cfg, tool.config_path, true, print_error, NULL);

	if (rc == 0 && cfg.store.path)
		snprintf(path, sizeof(path), "%s", cfg.store.path);
	tt_config_free(&cfg);
	if (rc) {
		tool_error("the configuration has errors (see above); fix it, or name the "
			  "store with --store");
		return TT_EXIT_CONFIG;
	}
	if (path[0])
		tool.store_path = path;
	return TT_EXIT_OK;
}
