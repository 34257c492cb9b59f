/* SPDX-License-Identifier: MIT */
/*
 * The miner's two helpers (mine-internal.h), below both of its passes:
 * the open-addressing index that its hash tables grow through, and the
 * median. mine.c (the streaming pass) and routines.c (the routines) call
 * these; these call neither, so the miner's parts form a line:
 * mine.c -> routines.c -> index.c.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mining/mine/mine-internal.h"

int
mine_index_reserve(uint32_t **slots, size_t *cap_slots, size_t n, size_t first,
		   uint64_t (*hash)(const void *ctx, size_t i), const void *ctx)
{
	size_t cap = *cap_slots ? *cap_slots * 2 : first;
	uint32_t *s;

	if ((n + 1) * 2 <= *cap_slots)
		return 0;
	s = malloc(cap * sizeof(*s));
	if (!s)
		return -ENOMEM;
	memset(s, 0xff, cap * sizeof(*s));
	for (size_t i = 0; i < n; i++) {
		size_t j = hash(ctx, i) & (cap - 1);
		while (s[j] != UINT32_MAX)
			j = (j + 1) & (cap - 1);
		s[j] = (uint32_t)i;
	}
	free(*slots);
	*slots = s;
	*cap_slots = cap;
	return 0;
}

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

uint64_t
mine_median_u64(uint64_t *v, size_t n)
{
	if (n == 0)
		return 0;
	qsort(v, n, sizeof(*v), cmp_u64);
	return n % 2 ? v[n / 2] : v[n / 2 - 1] / 2 + v[n / 2] / 2 +
	       (v[n / 2 - 1] % 2 + v[n / 2] % 2) / 2;
}
