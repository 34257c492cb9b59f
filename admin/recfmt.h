/* SPDX-License-Identifier: MIT */
/* Records as text: one-line details, table rows, JSON objects, CSV rows. */
#ifndef TT_RECFMT_H
#define TT_RECFMT_H

#include <json-c/json.h>
#include <stdio.h>

#include "tasktrace/store.h"

/*
 * Where names come from when there is no store at hand (tasktrace me: the
 * tracer sends them): every function below given a NULL reader asks these.
 * Each returns NULL for an unknown id.
 */
struct recfmt_names {
	const char *(*string)(void *ctx, uint32_t id);
	const char *(*device)(void *ctx, uint32_t id);
	const char *(*session_user)(void *ctx, uint32_t session);
	void *ctx;
};

void recfmt_set_names(const struct recfmt_names *names);

enum recfmt_format { RECFMT_TABLE, RECFMT_JSONL, RECFMT_CSV };

/* One record as `tasktrace query` prints it, to stdout. */
void recfmt_print(struct tt_reader *rd, const struct tt_record *r, enum recfmt_format fmt);

/* The CSV header line of recfmt_print(). */
void recfmt_print_csv_header(void);

/* The user of a record: the session's user name, the passwd name, or the
 * uid; "" for none (tool_user_name(), with the names above for no reader). */
const char *recfmt_user(struct tt_reader *rd, uint32_t uid, uint32_t session);

/* A stored string as well-formed UTF-8 (static buffer, next call reuses
 * it); "" for id 0 or an unknown id. */
const char *recfmt_string(struct tt_reader *rd, uint32_t id, char *buf, size_t len);

/* "12 letters, 2 space, 1 erase; ended by pause" and the like. */
void recfmt_detail(struct tt_reader *rd, const struct tt_record *r, char *buf, size_t len);

/* All fields of a record, with names resolved. Caller puts the object. */
struct json_object *recfmt_json(struct tt_reader *rd, const struct tt_record *r);

/* Write @s as one RFC 4180 CSV field. */
void recfmt_csv_field(FILE *f, const char *s);

#endif
