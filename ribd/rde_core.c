/*
 * The core's life cycle and its work loop.  rde_run() advances every
 * reader of the Loc-RIB (update groups, the kernel) by at most a budget
 * of prefixes, so that the process stays responsive while it sends a
 * million routes; it returns 1 while work is left.
 */
#include <sys/types.h>

#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "rde.h"
#include "util.h"

/* How long to wait for peers before the kernel's leftovers go. */
#define RDE_SYNC_WAIT_MS	(120 * 1000)

struct rde	*rde;

void
rde_init(const struct rde_io *io)
{
	if (rde != NULL)
		rde_shutdown();
	rde = xcalloc(1, sizeof(*rde));
	if (io != NULL)
		rde->io = *io;
	TAILQ_INIT(&rde->policies);
	rde_attr_init();
	rde_prefix_init();
	rde_rib_init();
	rde_nexthop_init();
	rde_peer_init();
	rde_out_init();
	rde_kernel_init();
	rde->now = mono_ms();
	rde->start_ms = rde->now;
}

void
rde_shutdown(void)
{
	struct rde_policy	*pol;

	if (rde == NULL)
		return;
	rde_peer_free_all();
	rde_out_shutdown();
	rde_kernel_shutdown();
	rde_nexthop_shutdown();
	rde_rib_shutdown();
	rde_prefix_shutdown();
	rde_attr_shutdown();
	while ((pol = TAILQ_FIRST(&rde->policies)) != NULL) {
		pol->refcnt = 1;
		rde_policy_unref(pol);
	}
	rde_conf_free(&rde->conf);
	rde_conf_free(&rde->next);
	free(rde->jr.v);
	free(rde);
	rde = NULL;
}

void
rde_set_now(uint64_t now)
{
	rde->now = now;
}

/*
 * Once the first configuration is in, every peer is up with its
 * End-of-RIBs (or the wait is over), and the kernel reader has caught
 * up: kroute may delete the routes nobody asked for again.
 */
static void
rde_kernel_sync_check(void)
{
	if (!rde->kernel || rde->kernel_synced || rde->conf.gen == 0 ||
	    !rde_kernel_idle())
		return;
	if (!rde_peer_converged() &&
	    rde->now < rde->start_ms + RDE_SYNC_WAIT_MS)
		return;
	rde->kernel_synced = 1;
	log_info("routes converged: kernel sync");
	if (rde->io.kroute_sync != NULL)
		rde->io.kroute_sync(rde->io.arg);
}

/* Work through up to budget prefixes; returns 1 if work is left. */
int
rde_run(size_t budget)
{
	int	 more;

	more = rde_out_run(&budget);
	more |= rde_kernel_run(&budget);
	rde_kernel_sync_check();
	/* Dead attribute sets go once the routes are out. */
	if (!more)
		more = rde_attr_reclaim(&budget);
	return more;
}

/* The next time rde_timers() has something to do, 0 for none. */
uint64_t
rde_next_timer(void)
{
	uint64_t	 t = rde_peer_next_timer(), s;

	if (rde->kernel && !rde->kernel_synced) {
		s = rde->start_ms + RDE_SYNC_WAIT_MS;
		if (t == 0 || s < t)
			t = s;
	}
	return t;
}

void
rde_timers(void)
{
	rde_peer_timers();
	rde_kernel_sync_check();
}

/* Memory the RIB holds (tables, attributes), for the benchmark. */
size_t
rde_mem_bytes(void)
{
	struct rde_group	*g;
	size_t			 n;

	n = rde_prefix_bytes() + rde_path_bytes() + rde_attr_bytes() +
	    rde_nexthop_bytes() +
	    (size_t)rde->jr.cap * sizeof(*rde->jr.v) +
	    (size_t)rde->koutcap * sizeof(*rde->kout);
	TAILQ_FOREACH(g, &rde->groups, entry)
		n += (size_t)g->outcap * sizeof(*g->out) +
		    RDE_MEMO_SIZE * sizeof(*g->memo);
	return n;
}
