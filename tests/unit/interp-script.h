/* SPDX-License-Identifier: MIT */
/*
 * Running the interpreter's test scripts (tests/interp/ *.t), shared by
 * test-interp.c and test-tracer-store.c.
 *
 * A script is the input, one event per line, a blank line, then the
 * records expected, one per line (keyd's t/ *.t shape). '#' starts a
 * comment line in both parts. See tests/interp/README for the language.
 */
#ifndef TT_INTERP_SCRIPT_H
#define TT_INTERP_SCRIPT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tasktrace/record.h"

struct script_run {
	/* results */
	char **got;			/* formatted records */
	size_t ngot;
	char **want;			/* expected lines */
	size_t nwant;
	struct tt_record *recs;		/* the records, as emitted */
	size_t nrecs;
	uint64_t *key_usec;		/* press times of every text key typed by `type` */
	size_t nkeys;
	uint16_t *key_codes;		/* and their codes */
	bool *key_last;			/* the last key of its `type` line */
	char *error;			/* a problem with the script or an invariant */
	bool state_clean;		/* no key time found in the final state,
					 * but the last of each `type` line:
					 * the time of the last input is what
					 * idle is measured from */

	/* strings interned by the script and the interpreter */
	char *strings[256];
	size_t nstrings;
};

/** Run the script at @p path; false on a script error (see run->error). */
bool
script_run_file(struct script_run *run, const char *path);

/** Compare got with want; on a mismatch, a printable diff (malloc'd). */
char *
script_diff(const struct script_run *run);

void
script_run_free(struct script_run *run);

#endif
