/* SPDX-License-Identifier: MIT */
/* Records as text: one-line details, table rows, JSON objects, CSV rows. */
#ifndef TT_RECFMT_H
#define TT_RECFMT_H

#include <json-c/json.h>
#include <stdio.h>

#include "tasktrace/store.h"

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
