/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for the block decoder: any bytes, never a crash or an
 * out-of-bounds read; and a block that decodes re-encodes to records that
 * decode the same (the encoder and decoder agree on every layout).
 */
#include <stdlib.h>
#include <string.h>

#include "tasktrace/codec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct tt_record recs[TT_BLOCK_MAX_RECORDS];
	static struct tt_block_enc enc;
	struct tt_block_dec dec;
	struct tt_record r;
	size_t n = 0;
	int rc;

	if (tt_block_dec_init(&dec, data, size))
		return 0;
	while ((rc = tt_block_dec_next(&dec, &recs[n])) == 1)
		n++;
	if (rc < 0)
		return 0;

	if (tt_block_encode(&enc, recs, n) != 0)
		return 0;	/* more than one block's worth: fine */
	if (tt_block_dec_init(&dec, enc.buf, enc.len))
		abort();
	for (size_t i = 0; i < n; i++) {
		if (tt_block_dec_next(&dec, &r) != 1 || memcmp(&r, &recs[i], sizeof(r)))
			abort();
	}
	if (tt_block_dec_next(&dec, &r) != 0)
		abort();
	return 0;
}
