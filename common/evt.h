/* Timer convenience on libevent. */
#ifndef TORTIE_EVT_H
#define TORTIE_EVT_H

#include <stdint.h>

struct event;

/* evt.c */
void	evt_after_ms(struct event *, uint64_t);

#endif
