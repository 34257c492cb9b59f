/* SPDX-License-Identifier: MIT */
/*
 * Heap in use across repeated replays of a corpus through a fuzz target:
 * tells a leak (or a table that keeps growing, which LeakSanitizer does not
 * report) from ASan's quarantine, which only inflates RSS (tests/fuzz/README).
 * Not built by make; link it with one target instead of -fsanitize=fuzzer:
 *
 *   clang -std=c11 -g -O1 -fsanitize=address,undefined -D_GNU_SOURCE \
 *       -DTT_VERSION='"0"' -Iinclude -Ilib -I. -o /tmp/heap-replay-config \
 *       tests/fuzz/heap-replay.c tests/fuzz/fuzz-config.c lib/\*.c -llmdb -linih -lm
 *   ASAN_OPTIONS=quarantine_size_mb=0 /tmp/heap-replay-config 30 build/fuzz/corpus-fuzz-config/\*
 *
 * Prints, after pass 1 and every 5th pass, the bytes the target holds
 * (the allocator's count minus the replayer's own copies of the inputs).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <sanitizer/allocator_interface.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* Targets without an initialiser get this one. */
__attribute__((weak)) int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

int
main(int argc, char **argv)
{
	enum { MAX_INPUTS = 8192, MAX_LEN = 1 << 20 };
	static uint8_t *buf[MAX_INPUTS];
	static size_t len[MAX_INPUTS];
	int passes, n = 0;
	size_t base;

	if (argc < 3) {
		fprintf(stderr, "usage: %s PASSES FILE...\n", argv[0]);
		return 2;
	}
	passes = atoi(argv[1]);
	for (int i = 2; i < argc && n < MAX_INPUTS; i++) {
		FILE *f = fopen(argv[i], "rb");

		if (!f)
			continue;
		buf[n] = malloc(MAX_LEN);
		if (!buf[n])
			return 1;
		len[n] = fread(buf[n], 1, MAX_LEN, f);
		fclose(f);
		n++;
	}
	LLVMFuzzerInitialize(&argc, &argv);
	printf("%d inputs\n", n);	/* stdout's buffer is allocated before base */
	fflush(stdout);
	base = __sanitizer_get_current_allocated_bytes();
	for (int p = 1; p <= passes; p++) {
		for (int i = 0; i < n; i++)
			LLVMFuzzerTestOneInput(buf[i], len[i]);
		if (p == 1 || p % 5 == 0)
			printf("pass %d (%d runs): the target holds %zd bytes; heap from the system %zu\n",
			       p, p * n, (ssize_t)(__sanitizer_get_current_allocated_bytes() - base),
			       __sanitizer_get_heap_size());
	}
	return 0;
}
