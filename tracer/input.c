/* SPDX-License-Identifier: MIT */
/*
 * Input through libinput's udev backend on the configured seat: devices
 * come and go with hot-plug, libinput handles frames, SYN_DROPPED resyncs,
 * touchpads and tablets, and hands us events that normalise.c converts.
 *
 * libinput does not report SYN_DROPPED as an event; it logs it ("eventN -
 * name: SYN_DROPPED event - …", rate-limited). The log handler is the only
 * place to see it, so we watch for that message and turn it into a gap.
 */
#include <errno.h>
#include <fcntl.h>
#include <libinput.h>
#include <libudev.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <time.h>
#include <unistd.h>

#include "devices.h"
#include "normalise.h"
#include "tasktrace/error.h"
#include "tasktrace/log.h"
#include "tracer.h"

struct input_device {
	struct normalise_device nd;
	struct libinput_device *dev;
	bool ignored;
	bool batch;		/* a plain pointer: its frames may be batched */
	char sysname[32];
	struct input_device *next;
};

struct input {
	struct tracer *t;
	struct udev *udev;
	struct libinput *li;
	struct evsource *src;
	struct input_device *devices;
	unsigned count;
	bool said_none;
	uint64_t last_wake_usec;	/* the last wake-up that brought events */
};

/*
 * Batching. A 1 kHz mouse wakes a reader a thousand times a second, one
 * frame each, and the wake-up (epoll, the context switch, libinput's own
 * epoll and read) is most of what a reader costs: in the guest's profile
 * (tests/system/README.md, bench-system) 2/3 of tasktraced's CPU was the
 * kernel's, its own code 8 %. Records have no use for millisecond
 * latency (they are committed once a second), and every event keeps the
 * kernel's time stamp, so while a device streams (a wake-up with events
 * less than BATCH_BUSY_USEC after the last one) the tracer waits
 * BATCH_USEC before it looks again, and takes the frames that came
 * meanwhile in one dispatch. The kernel's evdev buffer holds a mouse's
 * events for 40 ms and more at 1 kHz. Only a plain pointer's motion is
 * batched: touchpads (taps), touchscreens and tablets run state machines
 * on libinput's timers, and a wake-up with anything but motion (a click,
 * a key) is not followed by a wait. Slow input is never delayed.
 */
#define BATCH_USEC 4000
#define BATCH_BUSY_USEC 8000

static int
open_restricted(const char *path, int flags, void *data)
{
	int fd = open(path, flags | O_CLOEXEC);

	/* libinput asks for O_RDWR (only to set keyboard LEDs). The packaged
	 * unit's DeviceAllow=char-input r refuses that with EPERM, rightly:
	 * writing to an evdev node injects input. Reading is all we do. */
	if (fd < 0 && (errno == EPERM || errno == EACCES) && (flags & O_ACCMODE) == O_RDWR)
		fd = open(path, (flags & ~O_ACCMODE) | O_RDONLY | O_CLOEXEC);
	(void)data;
	return fd < 0 ? -errno : fd;
}

static void
close_restricted(int fd, void *data)
{
	(void)data;
	close(fd);
}

static const struct libinput_interface interface = {
	.open_restricted = open_restricted,
	.close_restricted = close_restricted,
};

static struct input_device *
find_sysname(struct input *in, const char *sysname)
{
	for (struct input_device *d = in->devices; d; d = d->next)
		if (strcmp(d->sysname, sysname) == 0)
			return d;
	return NULL;
}

static void
log_handler(struct libinput *li, enum libinput_log_priority prio,
	    const char *fmt, va_list args)
{
	struct input *in = libinput_get_user_data(li);
	char msg[512], sysname[32];

	vsnprintf(msg, sizeof(msg), fmt, args);
	msg[strcspn(msg, "\n")] = '\0';
	if (in && strstr(msg, "SYN_DROPPED") &&
	    sscanf(msg, "%31s", sysname) == 1) {
		struct input_device *d = find_sysname(in, sysname);
		struct interp_event ev = { .type = INTERP_EV_SYN_DROPPED };

		if (d && !d->ignored) {
			ev.usec = evloop_now_usec();
			ev.device = d->nd.id;
			tracer_feed(in->t, &ev, 1);
		}
	}
	tt_log_msg(prio >= LIBINPUT_LOG_PRIORITY_ERROR ? LOG_WARNING :
		prio == LIBINPUT_LOG_PRIORITY_INFO ? LOG_INFO : LOG_DEBUG,
		"libinput: %s", msg);
}

static void
configure(struct input *in, struct libinput_device *dev)
{
	if (libinput_device_config_tap_get_finger_count(dev) > 0 && in->t->opts.tapping)
		libinput_device_config_tap_set_enabled(dev, LIBINPUT_CONFIG_TAP_ENABLED);
}

void
input_set_tapping(struct input *in, bool enabled)
{
	for (struct input_device *d = in->devices; d; d = d->next)
		if (libinput_device_config_tap_get_finger_count(d->dev) > 0)
			libinput_device_config_tap_set_enabled(d->dev, enabled ?
				LIBINPUT_CONFIG_TAP_ENABLED :
				libinput_device_config_tap_get_default_enabled(d->dev));
}

static void
device_added(struct input *in, struct libinput_device *dev, uint64_t usec)
{
	struct udev_device *ud = libinput_device_get_udev_device(dev);
	struct input_device *d = calloc(1, sizeof(*d));
	struct tt_device_info info;
	struct interp_event ev = { .type = INTERP_EV_DEVICE_ADDED };
	int rc;

	if (!d) {
		log_error("out of memory for a device");
		if (ud)
			udev_device_unref(ud);
		return;
	}
	d->dev = libinput_device_ref(dev);
	snprintf(d->sysname, sizeof(d->sysname), "%s", libinput_device_get_sysname(dev));
	if (ud) {
		d->ignored = !device_info_from_udev(&info, ud);
		udev_device_unref(ud);
	} else {
		struct device_props p = { .name = libinput_device_get_name(dev) };

		device_info_from_props(&info, &p);
	}
	libinput_device_set_user_data(dev, d);
	d->next = in->devices;
	in->devices = d;
	if (d->ignored) {
		log_info("%s (%s): TASKTRACE_IGNORE=1, not traced", d->sysname, info.name);
		return;
	}
	rc = tt_store_device_intern(in->t->writer.store, &info);
	if (rc != 0)
		log_warn("%s: cannot register the device: %s", d->sysname, tt_strerror(rc));
	d->nd.id = rc == 0 ? info.id : 0;
	configure(in, dev);
	/* Batching (see BATCH_USEC) is for plain pointers only: a touchpad's
	 * taps and a tablet's or touchscreen's state machines run on
	 * libinput's timers, which a late dispatch would fire before the
	 * events that came in time. */
	d->batch = libinput_device_has_capability(dev, LIBINPUT_DEVICE_CAP_POINTER) &&
		   libinput_device_config_tap_get_finger_count(dev) == 0 &&
		   !libinput_device_has_capability(dev, LIBINPUT_DEVICE_CAP_GESTURE) &&
		   !libinput_device_has_capability(dev, LIBINPUT_DEVICE_CAP_TOUCH) &&
		   !libinput_device_has_capability(dev, LIBINPUT_DEVICE_CAP_TABLET_TOOL) &&
		   !libinput_device_has_capability(dev, LIBINPUT_DEVICE_CAP_TABLET_PAD);
	in->count++;
	in->said_none = false;
	log_info("%s: %s [%s]", d->sysname, info.name, info.ident);
	ev.usec = usec;
	ev.device = d->nd.id;
	tracer_feed(in->t, &ev, 1);
}

static void
device_removed(struct input *in, struct libinput_device *dev, uint64_t usec)
{
	struct input_device *d = libinput_device_get_user_data(dev);
	struct interp_event ev = { .type = INTERP_EV_DEVICE_REMOVED };

	if (!d)
		return;
	for (struct input_device **p = &in->devices; *p; p = &(*p)->next) {
		if (*p == d) {
			*p = d->next;
			break;
		}
	}
	if (!d->ignored) {
		in->count--;
		log_info("%s: removed", d->sysname);
		ev.usec = usec;
		ev.device = d->nd.id;
		tracer_feed(in->t, &ev, 1);
	}
	libinput_device_set_user_data(dev, NULL);
	libinput_device_unref(d->dev);
	free(d);
}

static void
say_if_none(struct input *in)
{
	if (in->count == 0 && !in->said_none)
		log_info("no input devices on %s; waiting for one to be plugged in",
			 in->t->opts.seat);
	in->said_none = in->count == 0;
}

/* Dispatch libinput and feed what came. Returns how many events came,
 * 0 when any of them was not a plain pointer's motion (see BATCH_USEC). */
static unsigned
drain(struct input *in)
{
	struct libinput_event *ev;
	unsigned count = 0;
	bool batch = true;

	libinput_dispatch(in->li);
	while ((ev = libinput_get_event(in->li))) {
		count++;
		if (libinput_event_get_type(ev) != LIBINPUT_EVENT_POINTER_MOTION) {
			batch = false;
		} else {
			struct input_device *pd =
				libinput_device_get_user_data(libinput_event_get_device(ev));

			batch = batch && pd && pd->batch;
		}
		enum libinput_event_type type = libinput_event_get_type(ev);
		struct libinput_device *dev = libinput_event_get_device(ev);

		if (type == LIBINPUT_EVENT_DEVICE_ADDED) {
			device_added(in, dev, evloop_now_usec());
		} else if (type == LIBINPUT_EVENT_DEVICE_REMOVED) {
			device_removed(in, dev, evloop_now_usec());
		} else {
			struct input_device *d = libinput_device_get_user_data(dev);
			struct interp_event out[NORMALISE_MAX];
			size_t n;

			if (d && !d->ignored && (n = normalise_event(ev, &d->nd, out)))
				tracer_feed(in->t, out, n);
		}
		libinput_event_destroy(ev);
	}
	say_if_none(in);
	return batch ? count : 0;
}

static void
input_ready(void *data, uint32_t events)
{
	struct input *in = data;
	uint64_t now;

	(void)events;
	if (!drain(in))
		return;
	now = evloop_now_usec();
	if (now - in->last_wake_usec < BATCH_USEC + BATCH_BUSY_USEC) {
		/* a stream: let frames gather (see BATCH_USEC) */
		struct timespec ts = { 0, BATCH_USEC * 1000L };

		nanosleep(&ts, NULL);
	}
	in->last_wake_usec = now;
}

int
input_new(struct input **out, struct tracer *t)
{
	struct input *in = calloc(1, sizeof(*in));
	int rc;

	if (!in)
		return -ENOMEM;
	in->t = t;
	in->udev = udev_new();
	if (!in->udev) {
		rc = -ENOMEM;
		goto fail;
	}
	in->li = libinput_udev_create_context(&interface, in, in->udev);
	if (!in->li) {
		rc = -ENOMEM;
		goto fail;
	}
	libinput_log_set_handler(in->li, log_handler);
	/* SYN_DROPPED is logged at info priority */
	libinput_log_set_priority(in->li, t->opts.verbose ? LIBINPUT_LOG_PRIORITY_DEBUG :
				  LIBINPUT_LOG_PRIORITY_INFO);
	if (libinput_udev_assign_seat(in->li, t->opts.seat) != 0) {
		log_error("libinput: cannot assign seat %s", t->opts.seat);
		rc = -ENODEV;
		goto fail;
	}
	rc = evloop_add_fd(t->loop, libinput_get_fd(in->li), EPOLLIN, input_ready,
			   in, &in->src);
	if (rc < 0)
		goto fail;
	*out = in;
	/* the initial enumeration arrives as device-added events */
	drain(in);
	return 0;
fail:
	if (in->li)
		libinput_unref(in->li);
	if (in->udev)
		udev_unref(in->udev);
	free(in);
	return rc;
}

void
input_destroy(struct input *in)
{
	if (!in)
		return;
	evloop_remove(in->t->loop, in->src);
	while (in->devices) {
		struct input_device *d = in->devices;

		in->devices = d->next;
		libinput_device_set_user_data(d->dev, NULL);
		libinput_device_unref(d->dev);
		free(d);
	}
	libinput_unref(in->li);
	udev_unref(in->udev);
	free(in);
}

unsigned
input_device_count(const struct input *in)
{
	return in ? in->count : 0;
}
