/* SPDX-License-Identifier: MIT */
/*
 * tasktrace-floor: the smallest libinput reader, the floor of `make
 * bench-system` (tests/system/README.md). It does what every libinput
 * client must do and nothing more: a udev context, the udev backend on a
 * seat, poll on libinput's fd, libinput_dispatch(), and every event
 * fetched and destroyed unread. What a reader costs above this is its own
 * work; tasktraced's CPU is reported as a ratio to it.
 *
 *   tasktrace-floor [SEAT]        (default seat0)
 *
 * On SIGTERM or SIGINT it prints how many events it discarded per type
 * class (added/removed devices, pointer, keyboard, other), so the bench
 * can see it read the whole replay, and exits 0. Exit 1 if the context or
 * the seat cannot be set up.
 */
#include <errno.h>
#include <fcntl.h>
#include <libinput.h>
#include <libudev.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t stop;

static void
on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static int
open_restricted(const char *path, int flags, void *data)
{
	int fd = open(path, flags | O_CLOEXEC);

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

int
main(int argc, char **argv)
{
	const char *seat = argc > 1 ? argv[1] : "seat0";
	unsigned long devices = 0, pointer = 0, keyboard = 0, other = 0;
	struct sigaction sa = { .sa_handler = on_signal };
	struct udev *udev = udev_new();
	struct libinput *li;
	struct pollfd pfd;

	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	if (!udev) {
		fprintf(stderr, "tasktrace-floor: udev_new failed\n");
		return 1;
	}
	li = libinput_udev_create_context(&interface, NULL, udev);
	if (!li || libinput_udev_assign_seat(li, seat) != 0) {
		fprintf(stderr, "tasktrace-floor: cannot use seat %s\n", seat);
		return 1;
	}
	pfd.fd = libinput_get_fd(li);
	pfd.events = POLLIN;
	while (!stop) {
		struct libinput_event *ev;

		libinput_dispatch(li);
		while ((ev = libinput_get_event(li))) {
			enum libinput_event_type t = libinput_event_get_type(ev);

			if (t == LIBINPUT_EVENT_DEVICE_ADDED || t == LIBINPUT_EVENT_DEVICE_REMOVED)
				devices++;
			else if (t >= LIBINPUT_EVENT_POINTER_MOTION &&
				 t < LIBINPUT_EVENT_TOUCH_DOWN)
				pointer++;
			else if (t == LIBINPUT_EVENT_KEYBOARD_KEY)
				keyboard++;
			else
				other++;
			libinput_event_destroy(ev);
		}
		if (poll(&pfd, 1, -1) < 0 && errno != EINTR) {
			perror("tasktrace-floor: poll");
			break;
		}
	}
	printf("tasktrace-floor: discarded %lu device, %lu pointer, %lu keyboard, %lu other events\n",
	       devices, pointer, keyboard, other);
	libinput_unref(li);
	udev_unref(udev);
	return 0;
}
