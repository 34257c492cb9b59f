/* SPDX-License-Identifier: MIT */
/*
 * tasktrace — the block codec: the storage form of records.
 *
 * Records are stored many to an LMDB value, in *blocks*. A block holds
 * records sorted by (time, seq), each encoded as the difference from the
 * record before it, so that a typical record takes 6 to 12 bytes instead
 * of the ~50 bytes of one LMDB entry or one SQLite row.
 *
 * Block format, version 3 (all multi-byte integers are LEB128 varints
 * unless said otherwise; "signed" fields are zigzag-encoded):
 *
 *     u8   version      TT_BLOCK_VERSION
 *     u8   flags        bit 0: times and durations are in microseconds
 *                       (all of them were whole microseconds); others 0
 *     u16  count        little endian, 1 … TT_BLOCK_MAX_RECORDS
 *     count × record:
 *       u8 head         bits 0-4 kind; bit 5 seq is the previous seq + 1;
 *                       bit 6 a context byte follows; bit 7 dur follows
 *       time            first record: absolute; then delta (≥ 0)
 *       [seq]           absolute, when head bit 5 is clear
 *       [ctx u8]        bit 0 session, 1 uid, 2 device, 3 app, 4 title,
 *                       5 element: each set bit is followed by the new
 *                       value, in that order; bits 6-7 must be 0
 *       [dur]
 *       payload         the kind's fields, in the order of record.h
 *
 * Version 2 differs in the context byte: bit 5 (element) must be 0, every
 * record reads with element 0, and a hidden burst (tt_record_burst_hidden())
 * is invalid. Version 1 differs from 2 in the payload of a typing record:
 * it ends at @c end (no @c under, no @c round; both read as 0). The
 * decoder reads all three versions; the encoder writes version 3. The
 * element costs a record nothing while it stays the same, like app and
 * title.
 *
 * The context starts, before the first record of a block, as session 0,
 * uid TT_UID_NONE, device 0, app 0, title 0, element 0, seq 0.
 *
 * The decoder trusts nothing: every read is bounds-checked, every value
 * range-checked against its field, the kind and enum fields checked with
 * tt_record_valid(), records must be in (time, seq) order and the block
 * must end exactly after its last record. Any violation is an error, never
 * an out-of-bounds read.
 */
#ifndef TASKTRACE_CODEC_H
#define TASKTRACE_CODEC_H

#include <stddef.h>
#include <stdint.h>

#include "tasktrace/record.h"

#define TT_BLOCK_VERSION 3
/** The oldest block version the decoder reads. */
#define TT_BLOCK_VERSION_MIN 1
#define TT_BLOCK_HEADER 4
/** Largest encoded block: four LMDB overflow pages (4 × 4096 − 16). */
#define TT_BLOCK_MAX_BYTES 16368
#define TT_BLOCK_MAX_RECORDS 65535
/** No record encodes to more than this many bytes. */
#define TT_RECORD_MAX_BYTES 128

/** Errors of the codec (negative; see tt_strerror() in error.h). */
#define TT_ECODEC_TRUNCATED (-30901)	/* ends inside a record or header */
#define TT_ECODEC_VERSION (-30902)	/* unknown block version or flags */
#define TT_ECODEC_INVALID (-30903)	/* a value out of range */
#define TT_ECODEC_ORDER (-30904)	/* records not in (time, seq) order */
#define TT_ECODEC_TRAILING (-30905)	/* bytes after the last record */

/**
 * An incremental block encoder. Records are added in (time, seq) order;
 * the encoded bytes are always a complete, valid block.
 */
struct tt_block_enc {
	uint8_t buf[TT_BLOCK_MAX_BYTES];
	size_t len;
	unsigned count;
	bool micro;		/**< encoding in microseconds */
	struct tt_record prev;
};

/** Start an empty block. */
void
tt_block_enc_init(struct tt_block_enc *enc);

/**
 * Add a record at the end of the block.
 *
 * @retval 0 added
 * @retval -ENOSPC the block is full (the record was not added)
 * @retval -EINVAL the record is not valid (tt_record_valid())
 * @retval TT_ECODEC_ORDER the record sorts before the last one
 */
int
tt_block_enc_add(struct tt_block_enc *enc, const struct tt_record *r);

/** True when no record of maximum size would fit any more. */
bool
tt_block_enc_full(const struct tt_block_enc *enc);

/**
 * Encode @p n sorted records into @p enc (reinitialised first).
 *
 * @return 0, or the first error of tt_block_enc_add().
 */
int
tt_block_encode(struct tt_block_enc *enc, const struct tt_record *recs, size_t n);

/** A block decoder: records are read one at a time. */
struct tt_block_dec {
	const uint8_t *p;
	const uint8_t *end;
	unsigned left;
	unsigned count;
	uint8_t version;
	bool micro;
	struct tt_record prev;
};

/**
 * Check the header of a block and prepare to read its records.
 *
 * @return 0, TT_ECODEC_TRUNCATED or TT_ECODEC_VERSION.
 */
int
tt_block_dec_init(struct tt_block_dec *dec, const void *buf, size_t len);

/**
 * Read the next record.
 *
 * @retval 1 a record was read into @p r
 * @retval 0 the block has ended (and ended exactly)
 * @retval <0 a TT_ECODEC_* error; the decoder must not be used again
 */
int
tt_block_dec_next(struct tt_block_dec *dec, struct tt_record *r);

/** Compare two records by (time, seq): <0, 0, >0. */
int
tt_record_cmp(const struct tt_record *a, const struct tt_record *b);

#endif /* TASKTRACE_CODEC_H */
