/*
 * Arm a libevent timer some milliseconds from now.
 */
#include <sys/time.h>

#include <event2/event.h>

#include "evt.h"

void
evt_after_ms(struct event *ev, uint64_t ms)
{
	struct timeval	 tv;

	tv.tv_sec = (time_t)(ms / 1000);
	tv.tv_usec = (suseconds_t)((ms % 1000) * 1000);
	evtimer_add(ev, &tv);
}
