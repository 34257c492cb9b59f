/* SPDX-License-Identifier: MIT */
/* tasktrace verify: read every record, string, index entry and reference. */
#include <getopt.h>
#include <inttypes.h>

#include "admin/cli.h"
#include "tasktrace/error.h"

static void
report(void *ctx, const char *msg)
{
	(void)ctx;
	printf("problem: %s\n", msg);
}

int
cmd_verify(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	struct tt_store *s;
	struct tt_reader *rd;
	struct tt_store_stat st;
	uint64_t checked = 0;
	bool quiet = false;
	long problems;
	int ch, rc, ret;

	while ((ch = getopt_long(argc, argv, "qh", opts, NULL)) != -1) {
		switch (ch) {
		case 'q':
			quiet = true;
			break;
		case 'h':
			printf("Usage: tasktrace verify [--quiet]\n\n"
			       "Check every block, record, string, index entry, session and device\n"
			       "of the store and every reference between them. Exit 0 only when all\n"
			       "is sound, 1 when problems were found (each is printed).\n");
			return TT_EXIT_OK;
		default:
			return TT_EXIT_USAGE;
		}
	}
	if (optind < argc) {
		tool_error("verify: unexpected argument '%s'", argv[optind]);
		return TT_EXIT_USAGE;
	}
	if (!(s = tool_open_store(TT_STORE_RDONLY, &ret)))
		return ret;
	if ((rc = tt_reader_open(s, &rd))) {
		ret = tool_store_error("reading", rc);
		tt_store_close(s);
		return ret;
	}
	problems = tt_store_verify(rd, quiet ? NULL : report, NULL, &checked);
	tt_reader_stat(rd, &st);
	tt_reader_close(rd);
	tt_store_close(s);
	if (problems < 0)
		return tool_store_error("verifying", (int)problems);
	if (problems) {
		printf("%s: %ld problem%s in %" PRIu64 " records\n", tool.store_path,
		       problems, problems == 1 ? "" : "s", checked);
		return TT_EXIT_FAIL;
	}
	if (!quiet)
		printf("%s: sound: %" PRIu64 " records in %" PRIu64 " blocks, %" PRIu32
		       " strings, %" PRIu32 " sessions, %" PRIu32 " devices\n",
		       tool.store_path, checked, st.blocks, st.strings, st.sessions, st.devices);
	return TT_EXIT_OK;
}
