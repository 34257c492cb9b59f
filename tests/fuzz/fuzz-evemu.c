/*
 * Copyright © 2026 tasktrace contributors
 * SPDX-License-Identifier: MIT
 *
 * libFuzzer target for the recording parser (evemu and, through the same
 * entry point, libinput-record YAML): any input must be either accepted
 * with sane values or refused with a line and a reason, never crash.
 */
#include "../system/replay/recording.h"

#include <assert.h>
#include <errno.h>
#include <string.h>

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct recording *rec = NULL;
	struct recording_error err;
	int rc;

	rc = recording_parse((const char *)data, size, &rec, &err);
	if (rc == 0) {
		assert(rec);
		for (size_t i = 0; i < rec->nevents; i++) {
			assert(recording_type_max(rec->events[i].type) >= 0);
			assert(rec->events[i].code <= recording_type_max(rec->events[i].type));
		}
		assert(memchr(rec->name, '\0', sizeof(rec->name)));
		recording_free(rec);
	} else {
		assert(rc == -EINVAL || rc == -ENOMEM);
		assert(memchr(err.reason, '\0', sizeof(err.reason)));
	}

	return 0;
}
