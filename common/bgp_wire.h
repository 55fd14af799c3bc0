/*
 * Private to the bgp_*.c files: big-endian reads and writes on octet
 * buffers whose bounds the caller has already checked.
 */
#ifndef TORTIE_BGP_WIRE_H
#define TORTIE_BGP_WIRE_H

#include <stddef.h>
#include <stdint.h>

struct bgp_err;

/* bgp_msg.c: check the header of a complete message of type want. */
int	bgp_msg_check(const uint8_t *, size_t, uint8_t, struct bgp_err *);

static inline uint16_t
bgp_get16(const uint8_t *p)
{
	return (uint16_t)((uint16_t)p[0] << 8 | p[1]);
}

static inline uint32_t
bgp_get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

static inline void
bgp_put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static inline void
bgp_put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

#endif
