/* SPDX-License-Identifier: MIT */
/* The tracer's logging facade; see log.h. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "log.h"

static bool verbose_enabled;
static bool journal;

void
log_init(bool verbose)
{
	verbose_enabled = verbose;
	journal = getenv("JOURNAL_STREAM") != NULL;
	/* journald reads lines: never hold a message in a buffer */
	setvbuf(stdout, NULL, _IOLBF, 0);
	setvbuf(stderr, NULL, _IOLBF, 0);
}

void
log_set_verbose(bool verbose)
{
	verbose_enabled = verbose;
}

void
log_msg(int prio, const char *fmt, ...)
{
	static const char *const prefix[] = {
		[LOG_ERR] = "error: ", [LOG_WARNING] = "warning: ",
	};
	va_list ap;

	if (prio == LOG_DEBUG && !verbose_enabled)
		return;
	if (journal)
		fprintf(stderr, "<%d>", prio);
	else
		fprintf(stderr, "tasktraced: %s",
			prio <= LOG_WARNING && prefix[prio] ? prefix[prio] : "");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

bool
log_ratelimit_ok(struct log_ratelimit *rl, uint64_t now_usec)
{
	if (rl->begin == 0 || now_usec - rl->begin > rl->interval_usec) {
		rl->begin = now_usec;
		rl->num = 0;
	}
	if (rl->num == rl->burst) {
		rl->num++;
		log_warn("further messages of this kind are suppressed for a while");
		return false;
	}
	return rl->num++ < rl->burst;
}
