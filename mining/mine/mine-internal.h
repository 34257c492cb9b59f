/* SPDX-License-Identifier: MIT */
/* Between the streaming pass (mine.c) and the routine finder
 * (routines.c, index.c). Not part of the contract in mine.h. */
#ifndef TT_MINING_MINE_INTERNAL_H
#define TT_MINING_MINE_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mining/mine/mine.h"

/* Interned strings: ids are indexes, strings are NUL-terminated. */
struct mine_strings {
	char **str;
	uint64_t *hash;
	uint32_t *len;
	size_t n, cap;
	uint32_t *slots;
	size_t cap_slots;
};

int mine_intern(struct mine_strings *t, const char *s, size_t len, uint32_t *id);
void mine_strings_free(struct mine_strings *t);

/* A 64-bit finaliser (MurmurHash3's): spreads keys over a power of two. */
static inline uint64_t
mine_mix(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ULL;
	return x ^ (x >> 33);
}

/*
 * The miner's hash indexes: open addressing, linear probing, *@p slots
 * holding entry numbers (UINT32_MAX: free), *@p cap_slots a power of two,
 * at most half full. Before the index of @p n entries takes one more:
 * double it (the first time: @p first slots) and put entry i back at the
 * first free slot from hash(@p ctx, i). 0, or -ENOMEM (the index unchanged).
 */
int mine_index_reserve(uint32_t **slots, size_t *cap_slots, size_t n, size_t first,
		       uint64_t (*hash)(const void *ctx, size_t i), const void *ctx);

struct mine_u64s {
	uint64_t *v;
	size_t n, cap;
};

/* The median of @p v (sorts it); 0 when empty. */
uint64_t mine_median_u64(uint64_t *v, size_t n);

/* One action of the sequence: 16 bytes. */
#define MINE_SEG_START (1u << 31)	/* in sym: the action starts a segment */
struct mine_act {
	uint64_t start_ns;
	uint32_t dur_us;		/* to the end of its record, capped */
	uint32_t sym;			/* string id | MINE_SEG_START */
};

struct mine_useq {
	uint32_t name;			/* the user's string id */
	struct mine_act *a;
	size_t n, cap;
};

struct mine_seq {
	struct mine_useq *users;
	size_t n_users;
	struct mine_strings *strings;
};

/* Find routines in @p seq (whose action arrays it may free) and fill
 * r->routines, r->n_routines and r->method. */
int mine_routines(struct mine_seq *seq, const struct mine_options *opts,
		  struct mine_result *r);

/* Recognise task types in @p seq (before mine_routines(), which may free
 * it) and fill r->tasks, r->n_tasks and r->task_method; tasks.c. */
int mine_tasks(const struct mine_seq *seq, const struct mine_options *opts,
	       struct mine_result *r);

/* Point each routine at the task type whose instances hold its first
 * instance (mine_routine.task). */
void mine_tasks_link(struct mine_result *r);

void mine_tasks_free(struct mine_result *r);

#endif
