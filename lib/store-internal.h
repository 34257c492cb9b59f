/* SPDX-License-Identifier: MIT */
/* Shared between the store's files (store.c writes, store-read.c reads,
 * store-maint.c purges and verifies); not part of the API. */
#ifndef TT_STORE_INTERNAL_H
#define TT_STORE_INTERNAL_H

#include <lmdb.h>
#include <stdbool.h>
#include <stdint.h>

#include "tasktrace/store.h"

struct store_dbis {
	MDB_dbi meta, records, strings, strhash, sessions, devices;
};

MDB_env *store_env(struct tt_store *s);
const struct store_dbis *store_dbis(const struct tt_store *s);
bool store_is_writer(const struct tt_store *s);
void store_writer_reset(struct tt_store *s);

void store_be64(uint8_t *p, uint64_t v);
uint64_t store_get_be64(const uint8_t *p);
void store_be32(uint8_t *p, uint32_t v);
uint32_t store_get_be32(const uint8_t *p);
void store_record_key(uint8_t key[16], const struct tt_record *r);
uint64_t store_hash(const char *s, size_t len);

int store_meta_get(MDB_txn *txn, MDB_dbi meta, const char *name, MDB_val *val);
uint64_t store_meta_u64(MDB_txn *txn, MDB_dbi meta, const char *name);
int store_note_late(MDB_txn *txn, MDB_dbi meta, uint64_t time_ns, uint64_t seq);
int store_note_expired(MDB_txn *txn, MDB_dbi meta, const uint8_t key[16]);

size_t store_session_encode(uint8_t *buf, const struct tt_session_info *s);
bool store_session_decode(const void *data, size_t len, uint32_t id,
			  struct tt_session_info *s);
size_t store_device_encode(uint8_t *buf, const struct tt_device_info *d);
bool store_device_decode(const void *data, size_t len, uint32_t id,
			 struct tt_device_info *d);
int store_lookup_string(MDB_txn *txn, const struct store_dbis *dbi,
			const char *str, size_t len, uint32_t *id);

int store_block_decode_all(const void *data, size_t len, struct tt_record **out,
			   size_t *n);
int store_put_records(MDB_txn *txn, MDB_dbi dbi, const struct tt_record *arr,
		      size_t n);
/* Mark every string id that records not yet committed (tail, sealed
 * blocks, late records) and the writer's live-string holder refer to. */
void store_mark_pending(const struct tt_store *s, tt_store_mark_fn mark, void *set);
/* Delete the strings nothing refers to (no stored record, no pending
 * one, no live holder), in transactions small enough for a full map;
 * *deleted counts them. */
int store_collect_strings(struct tt_store *s, unsigned *deleted);
/* Forget the interning cache (its ids may name deleted strings). */
void store_cache_forget(struct tt_store *s);
MDB_txn *store_reader_txn(struct tt_reader *rd);
struct tt_store *store_reader_store(struct tt_reader *rd);

#endif
