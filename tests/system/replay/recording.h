/*
 * Copyright © 2026 tasktrace contributors
 * SPDX-License-Identifier: MIT
 *
 * Input-device recordings: evemu files and `libinput record` YAML.
 *
 * A pure parser: a buffer goes in, a device description plus an event
 * list comes out. No file access, no uinput, no clock, so it can be unit
 * tested on any host and fuzzed (tests/fuzz/fuzz-evemu.c).
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/input.h>
#include <linux/uinput.h>

enum recording_format {
	RECORDING_EVEMU,
	RECORDING_LIBINPUT_YAML,
};

/* Widest code mask of any event type: EV_KEY, 768 bits. */
#define RECORDING_MASK_BYTES ((KEY_CNT + 7) / 8)

struct recording_event {
	uint64_t time_us;	/* as written in the file; only differences matter */
	uint16_t type;
	uint16_t code;
	int32_t value;
	unsigned int line;	/* line of the file the event came from */
};

struct recording {
	enum recording_format format;
	char name[UINPUT_MAX_NAME_SIZE];
	uint16_t bustype;
	uint16_t vendor;
	uint16_t product;
	uint16_t version;
	unsigned char props[(INPUT_PROP_CNT + 7) / 8];
	/* codes[type] is the code bitmask of that event type */
	unsigned char codes[EV_CNT][RECORDING_MASK_BYTES];
	struct input_absinfo absinfo[ABS_CNT];
	int32_t led_state[LED_CNT];	/* evemu 1.3 L: lines */
	int32_t sw_state[SW_CNT];	/* evemu 1.3 S: lines */

	struct recording_event *events;
	size_t nevents;
};

struct recording_error {
	unsigned int line;	/* 1-based; 0 when the file as a whole is wrong */
	char reason[160];
};

/* The parser refuses files with more events than this. */
#define RECORDING_MAX_EVENTS (16u * 1024 * 1024)

/**
 * Parse a recording. The format is recognised from the content: a file
 * whose first non-comment line starts with a one-letter evemu tag and a
 * colon is evemu; a file with `version:` / `devices:` is YAML.
 *
 * @param[in] buf the file's bytes; need not be NUL-terminated
 * @param[in] len its length
 * @param[out] out on success, a new recording owned by the caller
 *	(free with recording_free())
 * @param[out] err on -EINVAL, the line and reason; may be NULL
 *
 * @return 0, -EINVAL for a malformed file, -ENOMEM
 */
int
recording_parse(const char *buf, size_t len, struct recording **out,
		struct recording_error *err);

void
recording_free(struct recording *rec);

/** @return the highest valid code of an event type, or -1 if the
 * type is not one the kernel defines */
int
recording_type_max(unsigned int type);

bool
recording_has_code(const struct recording *rec, unsigned int type,
		   unsigned int code);

/** @return true if any code of that type is set */
bool
recording_has_type(const struct recording *rec, unsigned int type);

bool
recording_has_prop(const struct recording *rec, unsigned int prop);

const char *
recording_format_name(enum recording_format format);
