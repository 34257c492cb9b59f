/* SPDX-License-Identifier: MIT */
/* The epoll loop; see evloop.h. */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include "evloop.h"
#include "tasktrace/clock.h"

struct evsource {
	int fd;
	void (*fn)(void *data, uint32_t events);
	void *data;
	bool owned;		/* a timerfd the loop made: closed on removal */
	bool removed;
	struct evsource *next_removed;
	struct evsource *next;	/* every live source, for destroy */
};

struct evloop {
	int epfd;
	struct evsource *removed;
	struct evsource *sources;
	unsigned nsources;
};

int
evloop_new(struct evloop **out)
{
	struct evloop *loop = calloc(1, sizeof(*loop));

	if (!loop)
		return -ENOMEM;
	loop->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (loop->epfd < 0) {
		int err = -errno;

		free(loop);
		return err;
	}
	*out = loop;
	return 0;
}

static void
reap(struct evloop *loop)
{
	while (loop->removed) {
		struct evsource *s = loop->removed;

		loop->removed = s->next_removed;
		free(s);
	}
}

void
evloop_destroy(struct evloop *loop)
{
	if (!loop)
		return;
	while (loop->sources)
		evloop_remove(loop, loop->sources);
	reap(loop);
	close(loop->epfd);
	free(loop);
}

int
evloop_add_fd(struct evloop *loop, int fd, uint32_t events,
	      void (*fn)(void *data, uint32_t events), void *data,
	      struct evsource **out)
{
	struct epoll_event ev = { .events = events };
	struct evsource *s = calloc(1, sizeof(*s));

	if (!s)
		return -ENOMEM;
	s->fd = fd;
	s->fn = fn;
	s->data = data;
	ev.data.ptr = s;
	if (epoll_ctl(loop->epfd, EPOLL_CTL_ADD, fd, &ev) < 0) {
		int err = -errno;

		free(s);
		return err;
	}
	loop->nsources++;
	s->next = loop->sources;
	loop->sources = s;
	if (out)
		*out = s;
	return 0;
}

int
evloop_add_timer(struct evloop *loop, void (*fn)(void *data, uint32_t events),
		 void *data, struct evsource **out)
{
	int fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
	int rc;

	if (fd < 0)
		return -errno;
	rc = evloop_add_fd(loop, fd, EPOLLIN, fn, data, out);
	if (rc < 0)
		close(fd);
	else
		(*out)->owned = true;
	return rc;
}

int
evloop_timer_set(struct evsource *src, uint64_t usec, uint64_t interval_usec)
{
	struct itimerspec its = { 0 };

	its.it_value.tv_sec = (time_t)(usec / 1000000);
	its.it_value.tv_nsec = (long)(usec % 1000000) * 1000;
	its.it_interval.tv_sec = (time_t)(interval_usec / 1000000);
	its.it_interval.tv_nsec = (long)(interval_usec % 1000000) * 1000;
	if (usec == 0)
		its.it_interval = its.it_value;	/* disarm entirely */
	if (timerfd_settime(src->fd, TFD_TIMER_ABSTIME, &its, NULL) < 0)
		return -errno;
	return 0;
}

uint64_t
evloop_timer_ack(struct evsource *src)
{
	uint64_t n = 0;

	if (read(src->fd, &n, sizeof(n)) != sizeof(n))
		return 0;
	return n;
}

int
evloop_source_fd(const struct evsource *src)
{
	return src->fd;
}

int
evloop_modify(struct evloop *loop, struct evsource *src, uint32_t events)
{
	struct epoll_event ev = { .events = events, .data.ptr = src };

	if (epoll_ctl(loop->epfd, EPOLL_CTL_MOD, src->fd, &ev) < 0)
		return -errno;
	return 0;
}

void
evloop_remove(struct evloop *loop, struct evsource *src)
{
	if (!src || src->removed)
		return;
	epoll_ctl(loop->epfd, EPOLL_CTL_DEL, src->fd, NULL);
	if (src->owned)
		close(src->fd);
	src->fd = -1;
	src->removed = true;
	for (struct evsource **p = &loop->sources; *p; p = &(*p)->next) {
		if (*p == src) {
			*p = src->next;
			break;
		}
	}
	src->next_removed = loop->removed;
	loop->removed = src;
	loop->nsources--;
}

int
evloop_dispatch(struct evloop *loop, int timeout_ms)
{
	struct epoll_event evs[16];
	int n = epoll_wait(loop->epfd, evs, 16, timeout_ms);

	if (n < 0)
		return errno == EINTR ? 0 : -errno;
	for (int i = 0; i < n; i++) {
		struct evsource *s = evs[i].data.ptr;

		/* a source removed earlier in this pass must not run */
		if (!s->removed)
			s->fn(s->data, evs[i].events);
	}
	reap(loop);
	return n;
}

uint64_t
evloop_now_usec(void)
{
	return tt_mono_ns() / 1000;
}
