/*
 * clock: the time that only goes forward (CLOCK_MONOTONIC), in seconds:
 * what timeouts, debounces, backoffs and durations are measured in.
 */
#ifndef VRFD_CLOCK_H
#define VRFD_CLOCK_H

double	clock_mono(void);

#endif
