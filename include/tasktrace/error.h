/* SPDX-License-Identifier: MIT */
/*
 * tasktrace — error codes.
 *
 * As in LMDB: functions return 0 on success, a positive or negative errno
 * (both are accepted: -EACCES and EACCES mean the same), or a code of
 * tasktrace's own from the reserved range below, just above LMDB's
 * (-30799 … -30780). tt_strerror() turns any of them into text.
 */
#ifndef TASKTRACE_ERROR_H
#define TASKTRACE_ERROR_H

/* -30901 … -30905: the codec's, see codec.h */
#define TT_ENOSTORE (-30910)		/* no store at that path */
#define TT_ENOTSTORE (-30911)		/* a file that is not a tasktrace store */
#define TT_EFOREIGN (-30912)		/* an LMDB environment, but not ours */
#define TT_ETRUNCATED (-30913)		/* the data file is shorter than it claims */
#define TT_ESCHEMA_NEWER (-30914)	/* written by a newer tasktrace */
#define TT_ESCHEMA_OLDER (-30915)	/* written by an older, unsupported one */
#define TT_ECORRUPT (-30916)		/* a record, string or index is damaged */
#define TT_EBUSY (-30917)		/* another process writes to the store */
#define TT_EFULL (-30918)		/* full, and purging old data did not help */
#define TT_ERDONLY (-30919)		/* a write on a store opened read-only */

/** Text for any code a tasktrace function returns; never NULL. */
const char *
tt_strerror(int err);

#endif /* TASKTRACE_ERROR_H */
