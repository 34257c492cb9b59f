/* SPDX-License-Identifier: MIT */
/*
 * tasktrace-workload --from-uilog on the inputs fuzz-uilog found: an XES
 * log with traces but no events made the parser qsort() a NULL array
 * (undefined behaviour, caught by UBSan in 30 s of fuzzing; the suite's
 * 8-second runs never got there). The input is kept in
 * tests/fuzz/corpus/fuzz-uilog/ (run by every fuzz run) and here, through
 * the program (sanitized under make check-asan): a clear error, exit 2,
 * no store made.
 */
#include <stdlib.h>
#include <unistd.h>

#include "harness.h"

TEST(xes_traces_without_events)
{
	const char *b = getenv("TT_BUILD");
	char store[4200], *out = NULL;

	snprintf(store, sizeof(store), "%s/store", tt_test_tmpdir());
	CHECK_EQ(tt_test_run(&out, "%s/%s/tasktrace-workload --from-uilog "
			     "%s/tests/fuzz/corpus/fuzz-uilog/traces-no-events.xes --store %s 2>&1",
			     tt_test_top(), b ? b : "build", tt_test_top(), store), 2);
	CHECK_CONTAINS(out, "no <event> in any <trace> of this XES log");
	free(out);
	CHECK(access(store, F_OK) != 0);
}
