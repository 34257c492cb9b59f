/* SPDX-License-Identifier: MIT */
/*
 * tasktraced: the system service that records how the computer is used.
 * Exit status: 0 stopped cleanly, 1 a failure, 2 a usage or config error.
 */
#include <errno.h>

#include "options.h"
#include "tracer.h"

int
main(int argc, char **argv)
{
	struct tracer t;
	int rc = tracer_init(&t, argc, argv);
	int status;

	if (rc == 1)
		status = TRACER_EXIT_OK;	/* --help, --version */
	else if (rc == -EINVAL)
		status = TRACER_EXIT_USAGE;
	else if (rc < 0)
		status = TRACER_EXIT_FAILURE;
	else
		status = tracer_run(&t) == 0 ? TRACER_EXIT_OK : TRACER_EXIT_FAILURE;
	/* safe on a tracer set up halfway */
	tracer_fini(&t);
	return status;
}
