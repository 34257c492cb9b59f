/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for the config parser (lib/config.c): the input is a
 * whole tasktrace.conf, any bytes at all. It must never crash, leak or
 * read out of bounds, and every error message must be printable.
 *
 *   make build/fuzz/fuzz-config
 *   mkdir -p /tmp/cfg-corpus
 *   build/fuzz/fuzz-config -max_len=2048 -timeout=5 -dict=tests/fuzz/fuzz-config.dict \
 *           /tmp/cfg-corpus tests/fuzz/corpus/fuzz-config
 *
 * The seeds in tests/fuzz/corpus/fuzz-config/ are the example file, a
 * small valid file and one with many errors.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tasktrace/config.h"

static void
check_message(void *ctx, const char *msg)
{
	(void)ctx;
	/* Messages quote values with \xNN escapes: no control bytes. */
	for (const unsigned char *p = (const unsigned char *)msg; *p; p++) {
		if (*p < 0x20 || *p == 0x7f)
			abort();
	}
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	/* Never read the machine's keyboard settings. */
	setenv("TASKTRACE_KEYBOARD", "/nonexistent/tasktrace-fuzz-keyboard", 1);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tt_config cfg;
	char *title;
	int rc;

	rc = tt_config_load_buffer(&cfg, "fuzz.conf", (const char *)data, size,
				   check_message, NULL);
	if (rc == 0) {
		/* A config that loads must work: lists terminated, titles
		 * redacted and cut to max_title. */
		if (!cfg.input.seats[0] || cfg.privacy.max_title == 0)
			abort();
		if (tt_config_redact_title(&cfg, "Invoice 1234 - alice@example.org - Mail",
					   &title) < 0)
			abort();
		if (title && strlen(title) > cfg.privacy.max_title)
			abort();
		free(title);
	}
	tt_config_free(&cfg);
	return 0;
}
