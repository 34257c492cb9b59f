/* SPDX-License-Identifier: MIT */
/*
 * The UI-log parser of tasktrace-workload --from-uilog (Action Logger CSV
 * and XES) on any bytes: it must return events or an error, never crash,
 * read out of bounds or leak; every event it hands over is checked.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "uilog.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
check(void *ctx, const struct uilog_event *ev)
{
	long *n = ctx;

	if (!ev->user || !ev->app || !ev->type || ev->op > UILOG_UNKNOWN)
		abort();
	/* touch every byte of the strings: ASan sees overruns */
	*n += (long)(strlen(ev->user) + strlen(ev->app) + strlen(ev->type));
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
