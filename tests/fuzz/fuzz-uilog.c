/* SPDX-License-Identifier: MIT */
/*
 * The UI-log parser of tasktrace-workload --from-uilog (Action Logger CSV
 * and XES) on any bytes: it must return events or an error, never crash,
 * read out of bounds or leak; every event it hands over is checked.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tasktrace/element.h"

#include "uilog.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
check(void *ctx, const struct uilog_event *ev)
{
	long *n = ctx;

	if (!ev->user || !ev->app || !ev->type || !ev->element || !ev->title ||
	    ev->op > UILOG_UNKNOWN)
		abort();
	/* touch every byte of the strings: ASan sees overruns */
	*n += (long)(strlen(ev->user) + strlen(ev->app) + strlen(ev->type) +
		     strlen(ev->title));
	/* an element is a well-formed element string, or none */
	if (ev->element[0]) {
		const char *r, *nm, *u;
		size_t rl, nl, ul;
		if (tt_element_split(ev->element, &r, &rl, &nm, &nl, &u, &ul) < 1 ||
		    rl > TT_ELEMENT_ROLE_MAX || nl > TT_ELEMENT_NAME_MAX ||
		    ul > TT_ELEMENT_URL_MAX)
			abort();
	}
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[256];
	long bytes = 0;
	/* the writer hands the parser a NUL-terminated copy; so do we */
	char *copy = malloc(size + 1);

	if (!copy)
		return 0;
	memcpy(copy, data, size);
	copy[size] = '\0';
	long n = uilog_parse(copy, size, check, &bytes, err, sizeof(err));
	if (n < 0 && !err[0])
		abort();	/* an error must say what */
	free(copy);
	return 0;
}
