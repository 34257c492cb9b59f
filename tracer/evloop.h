/* SPDX-License-Identifier: MIT */
/*
 * One epoll loop of typed sources {fd, dispatch, data}, as in libinput:
 * signals come through a signalfd, timers are timerfds, libinput, the
 * logind monitor, D-Bus and the collector socket are more sources.
 * Removing a source during dispatch is safe: it is freed after the pass.
 */
#ifndef TT_TRACER_EVLOOP_H
#define TT_TRACER_EVLOOP_H

#include <stdint.h>

struct evloop;
struct evsource;

int
evloop_new(struct evloop **out);

void
evloop_destroy(struct evloop *loop);

/**
 * Watch @p fd for @p events (EPOLLIN …); @p fn runs with @p data when
 * ready. The fd stays the caller's: remove the source before closing it.
 *
 * @return 0 or -errno.
 */
int
evloop_add_fd(struct evloop *loop, int fd, uint32_t events,
	      void (*fn)(void *data, uint32_t events), void *data,
	      struct evsource **out);

/** A CLOCK_MONOTONIC timer, owned by the loop (closed on removal);
 *  armed with evloop_timer_set(). @p out is required. */
int
evloop_add_timer(struct evloop *loop, void (*fn)(void *data, uint32_t events),
		 void *data, struct evsource **out);

/**
 * Arm a timer at the absolute monotonic time @p usec (0 disarms), then
 * every @p interval_usec when that is not 0.
 */
int
evloop_timer_set(struct evsource *src, uint64_t usec, uint64_t interval_usec);

/** Read a timer's expiry count (call from its dispatch function). */
uint64_t
evloop_timer_ack(struct evsource *src);

int
evloop_source_fd(const struct evsource *src);

/** Watch for other @p events (EPOLLIN, EPOLLOUT …). @return 0 or -errno. */
int
evloop_modify(struct evloop *loop, struct evsource *src, uint32_t events);

/** Stop watching (a timer's fd is closed); freed after the current pass. */
void
evloop_remove(struct evloop *loop, struct evsource *src);

/**
 * Wait up to @p timeout_ms (-1: forever) and dispatch what is ready.
 *
 * @return the number of sources dispatched, or -errno (-EINTR is 0).
 */
int
evloop_dispatch(struct evloop *loop, int timeout_ms);

/** The monotonic clock, in microseconds. */
uint64_t
evloop_now_usec(void);

#endif
