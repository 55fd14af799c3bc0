/*
 * benchpeer: the simulated BGP peers of tortie's benchmark
 * (regress/bench/run.sh).  One single-threaded process on epoll plays
 * every peer of a scenario against the daemon under test (the DUT):
 *
 *	fanout	one injector sends a full table, monitors count what the
 *		DUT passes on; optionally the injector then withdraws it
 *	rr	route reflector clients (iBGP), each announcing one /26;
 *		done when every client holds every other client's prefix
 *	scale	many idle sessions: time to Established, keepalives on
 *		time, memory per session
 *
 * bp_wire.c has the BGP messages and the workload, bp_proc.c reads the
 * DUT's processes in /proc, benchpeer.c is the event loop and the
 * scenarios.  The method follows a bgperf-style harness: the workload is
 * encoded before any timing, a monitor is done when it holds exactly the
 * expected prefixes (checked per prefix against the workload, not by
 * count alone), and time runs from the injector's first UPDATE byte.
 */
#ifndef TORTIE_BP_H
#define TORTIE_BP_H

#include <sys/types.h>

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define BP_HDR_LEN		19
#define BP_MAXLEN		4096
#define BP_AS_TRANS		23456

#define BP_MSG_OPEN		1
#define BP_MSG_UPDATE		2
#define BP_MSG_NOTIFICATION	3
#define BP_MSG_KEEPALIVE	4

/*
 * The prefixes of a scenario, each with an index.  Monitors keep one bit
 * per index, so that a prefix the workload does not hold is noticed.
 */
struct bp_pfx {
	uint32_t	 addr;		/* host order, host bits zero */
	uint8_t		 plen;
};

struct bp_table {
	struct bp_pfx	*v;
	uint32_t	 n;
	uint32_t	*hash;		/* index + 1, open addressing */
	uint32_t	 hmask;
};

/* A pre-encoded stream of BGP messages. */
struct bp_stream {
	uint8_t		*buf;
	size_t		 len;
	size_t		 cap;
	uint32_t	 msgs;
};

/* What a parsed UPDATE means to a receiver, one prefix at a time. */
typedef void	(*bp_nlri_cb)(void *, uint32_t, uint8_t, int);

/* bp_wire.c */
void		 bp_table_init(struct bp_table *, uint32_t);
void		 bp_table_free(struct bp_table *);
int		 bp_table_add(struct bp_table *, uint32_t, uint8_t);
int64_t		 bp_table_find(const struct bp_table *, uint32_t, uint8_t);
void		 bp_gen_table(struct bp_table *, uint32_t, uint64_t);
void		 bp_gen_rr_table(struct bp_table *, uint32_t);
void		 bp_gen_announce(struct bp_stream *, const struct bp_table *,
		    uint32_t, uint32_t, uint64_t);
void		 bp_gen_withdraw(struct bp_stream *, const struct bp_table *);
void		 bp_gen_ibgp(struct bp_stream *, const struct bp_pfx *,
		    uint32_t);
void		 bp_stream_free(struct bp_stream *);
size_t		 bp_open(uint8_t *, uint32_t, uint16_t, uint32_t);
size_t		 bp_keepalive(uint8_t *);
size_t		 bp_cease(uint8_t *);
int		 bp_hdr(const uint8_t *, size_t, uint16_t *, uint8_t *);
int		 bp_open_parse(const uint8_t *, size_t, uint16_t *,
		    uint32_t *);
int		 bp_update_parse(const uint8_t *, size_t, bp_nlri_cb,
		    void *);
uint64_t	 bp_rand(uint64_t *);

/* bp_proc.c */
struct bp_proc {
	pid_t		 pid;
	char		 comm[16];
	uint64_t	 ticks;		/* utime + stime */
	uint64_t	 rss_kb;
	uint64_t	 rchar, wchar, syscr, syscw;
};

struct bp_sample {
	struct bp_proc	*v;
	size_t		 n;
	uint64_t	 ns;
};

void		 bp_sample_take(pid_t, struct bp_sample *);
void		 bp_sample_free(struct bp_sample *);
uint64_t	 bp_sample_rss(const struct bp_sample *);
void		 bp_sample_json(FILE *, const char *,
		    const struct bp_sample *, const struct bp_sample *);
double		 bp_sample_cpu(const struct bp_sample *,
		    const struct bp_sample *);

#endif
