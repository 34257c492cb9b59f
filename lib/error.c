/* SPDX-License-Identifier: MIT */
#include <lmdb.h>
#include <string.h>

#include "tasktrace/codec.h"
#include "tasktrace/error.h"

const char *
tt_strerror(int err)
{
	switch (err) {
	case 0: return "success";
	case TT_ECODEC_TRUNCATED: return "record block is truncated";
	case TT_ECODEC_VERSION: return "record block has an unknown version";
	case TT_ECODEC_INVALID: return "record block holds an invalid value";
	case TT_ECODEC_ORDER: return "records in a block are out of order";
	case TT_ECODEC_TRAILING: return "record block has trailing bytes";
	case TT_ENOSTORE: return "no store there";
	case TT_ENOTSTORE: return "not a tasktrace store (the data file is not an LMDB file)";
	case TT_EFOREIGN: return "an LMDB environment, but not a tasktrace store";
	case TT_ETRUNCATED: return "the store's data file is truncated";
	case TT_ESCHEMA_NEWER: return "the store was written by a newer tasktrace";
	case TT_ESCHEMA_OLDER: return "the store was written by an older, unsupported tasktrace";
	case TT_ECORRUPT: return "the store is damaged";
	case TT_EBUSY: return "another process is writing to the store";
	case TT_EFULL: return "the store is full and purging old data did not free room";
	case TT_ERDONLY: return "the store is open read-only";
	case MDB_MAP_FULL:
		return "the store's map is full (MDB_MAP_FULL): raise [store] map_size, "
		       "or let retention and purging free room";
	default: break;
	}
	/* LMDB's own codes, MDB_KEYEXIST (-30799) … MDB_LAST_ERRCODE */
	if (err >= MDB_KEYEXIST && err <= MDB_LAST_ERRCODE)
		return mdb_strerror(err);
	return strerror(err < 0 ? -err : err);
}
