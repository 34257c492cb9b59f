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

/*
 * Peer strings on the admin's terminal (issue 23, finding 10): every
 * string that came from outside (application ids, titles, executables,
 * key, device and user names) is printed through recfmt_escape. Text
 * (RECFMT_ESC_TEXT) is tt_utf8_escape_controls(): C0, DEL and C1 controls
 * as \x1b, \r, \x9b, bidi embeddings, overrides, isolates and marks
 * (U+202A-U+202E, U+2066-U+2069, U+061C, U+200E, U+200F) as \u202e.
 * JSON (RECFMT_ESC_JSON) writes the same set as \u001b, \u009b, \u202e:
 * valid JSON for the same string. Everything else is
 * copied; the output is cut on a character boundary to fit @p len
 * (including the NUL). A backslash is kept as it is. Returns the length.
 */
enum recfmt_escape { RECFMT_ESC_TEXT, RECFMT_ESC_JSON };
size_t recfmt_escape(char *dst, size_t len, const char *src, enum recfmt_escape style);

/* recfmt_escape(TEXT) into @p buf; returns @p buf (for printf arguments). */
const char *recfmt_term(const char *s, char *buf, size_t len);

/* Print a JSON object as one line, DEL, C1 and bidi controls written as
 * \uXXXX (json-c escapes C0 itself): the same value, safe on a terminal. */
void recfmt_put_json(struct json_object *o);

/* Write @s as one RFC 4180 CSV field, controls escaped as recfmt_escape(). */
void recfmt_csv_field(FILE *f, const char *s);

#endif
